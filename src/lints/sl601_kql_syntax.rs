//! SL601 kql-syntax: the query is not valid KQL.

use crate::diagnostics::Severity;
use crate::kql::lexer::UNTERMINATED_STRING;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL601",
    name: "kql-syntax",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The query is not valid KQL",
    docs: r#"## What it does
Parses the `query` with sentinel-lint's KQL parser and reports each syntax error at its
line and column in the YAML file. After an error the parser carries on at the next `|` or
`;`, so one mistake does not hide the next; at most 10 errors are listed per query.
A query beyond the parser's limits (more than 50,000 tokens, nesting deeper than 100
levels, a chain of more than 1,000 operators) gets a warning instead: it was not analysed,
which does not make it wrong.

One mistake is one finding: a missing quote pairs the line's other quotes wrongly, and
only the string left open is reported (with the string that ran into the next item, when
there is one); a key of the rule indented into the `query: |` block (`  entityMappings:`)
is reported as that, not as the KQL errors of the YAML after it.

The parser follows Microsoft's KQL grammar; over the 3,000 queries of the test corpus it
gives the same verdict as Microsoft's own parser (Kusto.Language) on every query. It checks
syntax only: unknown tables, columns and functions are not errors here.

## Why is this bad?
The rule cannot run. The Azure-Sentinel CI validates the KQL of analytics rules and of
hunting queries, and Sentinel refuses to save a rule whose query does not parse.

## Example
```yaml
query: |
  SigninLogs
  | where ResultType == "50126" and
  | summarize count() by IPAddress
```
(`and` is followed by `|` instead of a condition)
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

const MAX_ERRORS: usize = 10;

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(query) = ctx.query else { return };
    // A query already reported as empty, fenced or cut short says why it does not parse.
    if sink.covers("/query") {
        return;
    }
    let all = &query.parsed.errors;
    let line_of =
        |error: &crate::kql::KqlError| ctx.file.lines.line_of(query.file_span(error.span).start);
    // A quote missing on a line pairs the line's other quotes wrongly: what lies between
    // them is read as code and fails, and the last quote opens a string the line never
    // closes. One root cause: the unterminated string is the finding, the rest of the line's
    // errors follow from it.
    let unterminated: std::collections::BTreeSet<usize> = all
        .iter()
        .filter(|e| e.message.starts_with(UNTERMINATED_STRING))
        .map(line_of)
        .collect();
    let mut errors: Vec<&crate::kql::KqlError> = all
        .iter()
        .filter(|e| {
            e.message.starts_with(UNTERMINATED_STRING) || !unterminated.contains(&line_of(e))
        })
        .collect();
    // A key of the rule indented into the `query: |` block: the YAML after it became KQL.
    // That is the finding; what follows it in the block is not KQL to report on.
    let swallowed = errors.iter().find_map(|e| swallowed_key(ctx, query, e));
    if let Some((span, _)) = &swallowed {
        errors.retain(|e| query.file_span(e.span).start < span.start);
    }
    for (i, error) in errors.iter().copied().take(MAX_ERRORS).enumerate() {
        let mut message = error.message.clone();
        if i + 1 == MAX_ERRORS && errors.len() > MAX_ERRORS {
            message.push_str(&format!(
                " ({} more KQL errors are not listed)",
                errors.len() - MAX_ERRORS
            ));
        }
        let mut diagnostic = LINT.diagnostic(query.file_span(error.span), message);
        if error.message.starts_with(UNTERMINATED_STRING) {
            diagnostic = explain_unterminated(ctx, query, error, diagnostic);
        }
        sink.push(if error.limit {
            // Kusto may well accept it: say the query was not checked, do not fail the rule.
            diagnostic
                .with_severity(Severity::Warning)
                .with_help("see the limits in the README; the rest of the query was not checked")
        } else {
            diagnostic
        });
    }
    if let Some((span, key)) = swallowed {
        let column = ctx
            .root
            .key_span_at("/query")
            .map(|k| ctx.file.lines.line_col(ctx.file.text, k.start).1);
        sink.push(
            LINT.diagnostic(
                span,
                format!("the YAML key `{key}` is inside the `query` block, so it is read as KQL"),
            )
            .with_help(format!(
                "it is indented like the query's lines; move `{key}:` and the lines that belong to it left, to the column of `query:`{}",
                column.map(|c| format!(" (column {c})")).unwrap_or_default()
            )),
        );
    }
}

/// The key of the rule format that an error is at, when the line of the query where it
/// stands is `key:` (or `key: value`) and nothing else: a YAML key that the block swallowed.
fn swallowed_key(
    ctx: &RuleContext<'_>,
    query: &crate::lints::RuleQuery<'_>,
    error: &crate::kql::KqlError,
) -> Option<(crate::text::Span, String)> {
    let at = query.file_span(error.span);
    let line = ctx.file.line_span(at.start);
    let text = ctx.file.slice(line);
    let indent = text.len() - text.trim_start().len();
    if line.start + indent != at.start {
        return None;
    }
    let rest = &text[indent..];
    let end = rest.find(':')?;
    let key = &rest[..end];
    let after = &rest[end + 1..];
    let is_key = crate::model::schema::known_keys().iter().any(|k| k == key)
        && (after.is_empty() || after.starts_with(' '));
    is_key.then(|| {
        (
            crate::text::Span::new(at.start, at.start + key.len()),
            key.to_owned(),
        )
    })
}

/// Where the quote is most likely missing: a string earlier on the line that ends in a list
/// separator (`"w3wp.exe, "` of `("w3wp.exe, "httpd.exe")`) lost its closing quote and ran
/// into the next item.
fn explain_unterminated(
    ctx: &RuleContext<'_>,
    query: &crate::lints::RuleQuery<'_>,
    error: &crate::kql::KqlError,
    diagnostic: crate::diagnostics::Diagnostic,
) -> crate::diagnostics::Diagnostic {
    let at = query.file_span(error.span);
    let line = ctx.file.lines.line_of(at.start);
    let swallowed = query
        .parsed
        .tokens
        .iter()
        .filter(|t| t.kind == crate::kql::lexer::TokenKind::String)
        .map(|t| query.file_span(crate::text::Span::new(t.start as usize, t.end as usize)))
        .filter(|span| span.end <= at.start && ctx.file.lines.line_of(span.start) == line)
        .find(|span| {
            let text = ctx.file.slice(*span);
            let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
            inner.trim_end().ends_with(',') && inner.trim_end().len() > 1
        });
    match swallowed {
        Some(span) => diagnostic
            .with_label(span, "this string runs into the next item: its closing quote is missing")
            .with_help("add the missing quote; the other errors on this line come from it"),
        None => diagnostic.with_help(
            "a quote is missing here or earlier on this line (quotes pair up from the start of the line); the other errors on this line come from it",
        ),
    }
}
