//! SL101 yaml-syntax: the file is not valid YAML.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};
use crate::yaml::SyntaxErrorKind;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL101",
    name: "yaml-syntax",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file is not valid YAML",
    docs: r#"## What it does
Reports a YAML syntax error, with an explanation of the common causes instead of the
parser's bare message. Indentation mistakes that have their own lint (`misindented-key`,
`block-scalar-indentation`, `tab-indentation`) are repaired in memory first, so this lint
reports what is left, and the rest of the file is still checked when the repair works.
A key written further right than the key of the line above it (` - entityType: Host`, then
`    fieldMappings:`), which YAML reads as more of that key's value, is reported as the
misindentation it is, with both columns; a list item after a key that has a value
(`severity: High`, then `  - connectorId: ...`) as the list whose own key is missing.

## Why is this bad?
A file that is not YAML cannot be read by the Azure-Sentinel CI (`yamlFileValidator`:
"Incorrect yaml file"), by the Solutions packager, or by Sentinel Repositories.

## Example
```yaml
id: %%GUID%%
```
A plain (unquoted) value cannot start with `%`, `@` or a backtick. Use instead:
```yaml
id: '%%GUID%%'
```

## Fix
When an unquoted value starts with a reserved character, the fix quotes it (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let Some(error) = &ctx.parsed.syntax_error else {
        return;
    };
    let span = if error.span.is_empty() && error.span.start < ctx.text.len() {
        let len = ctx.text[error.span.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(error.span.start, error.span.start + len)
    } else {
        error.span
    };
    let diagnostic = match error.kind {
        SyntaxErrorKind::Tab => return, // tab-indentation
        SyntaxErrorKind::ReservedIndicator(c) => {
            let line = ctx.line_span(span.start);
            let value = ctx.text[span.start..line.end].trim_end();
            let value_span = Span::new(span.start, span.start + value.len());
            let quoted = format!("'{}'", value.replace('\'', "''"));
            let mut d = LINT
                .diagnostic(
                    value_span,
                    format!("an unquoted value cannot start with `{c}`: YAML reserves it"),
                )
                .with_help(format!("put the value in quotes: {quoted}"))
                .with_fix(Fix::safe("Quote the value", vec![Edit::replace(value_span, quoted)]));
            if value.starts_with("%%") {
                d.help = Some("this looks like a template placeholder: fill it in, or quote it".into());
            }
            d
        }
        SyntaxErrorKind::ColonInPlainValue => match key_indented_into_value(ctx, span) {
            Some(d) => d,
            None => LINT
                .diagnostic(span, "a `: ` inside an unquoted value starts a new mapping here")
                .with_help(
                    "put the whole value in quotes, or write it as a block scalar (`key: |` followed by indented lines)",
                ),
        },
        SyntaxErrorKind::Limit => {
            let message = error.message.to_ascii_lowercase();
            let why = if message.contains("node") {
                format!("more than {} values, e.g. aliases expanding into a huge document", crate::yaml::MAX_NODES)
            } else if message.contains("alias") || message.contains("anchor") {
                "too many anchors or aliases".to_owned()
            } else if message.contains("recursion") || message.contains("depth") || message.contains("nest") {
                format!("nested deeper than {} levels", crate::yaml::MAX_DEPTH)
            } else {
                error.message.clone()
            };
            LINT.diagnostic(span, format!("the YAML is too large to be a rule file ({why}), so it was not read"))
        }
        SyntaxErrorKind::Other => LINT
            .diagnostic(span, format!("invalid YAML: {}", error.message))
            .with_help(
                "look at the indentation of this line and the lines above it: keys of one mapping must start in the same column, and the lines of a `|` block must be indented more than its key",
            ),
    };
    sink.push(diagnostic);
}

/// A line's key: its column (0-based) and name, after the indentation and any `- `
/// (`    - identifier: HostName` -> (6, "identifier")).
fn key_of_line(line: &str) -> Option<(usize, &str)> {
    let mut column = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[column..];
    while let Some(after) = rest.strip_prefix("- ") {
        let spaces = after.len() - after.trim_start_matches(' ').len();
        column += 2 + spaces;
        rest = &after[spaces..];
    }
    let end = rest.find(':')?;
    let key = &rest[..end];
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && rest[end + 1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\r');
    is_key.then_some((column, key))
}

/// The `: ` error of a key written further right than the key of the line above: YAML reads
/// the line as more of that key's value (` - entityType: Host` then `    fieldMappings:`).
/// What is wrong is the indentation, not the quoting.
fn key_indented_into_value(
    ctx: &FileContext<'_>,
    colon: Span,
) -> Option<crate::diagnostics::Diagnostic> {
    let line = ctx.lines.line_of(colon.start);
    let text = ctx.lines.line_text(ctx.text, line);
    let (column, key) = key_of_line(text)?;
    let start = ctx.lines.line_start(line);
    if start + column + key.len() != colon.start {
        return None;
    }
    let above = (0..line).rev().find(|&l| {
        let t = ctx.lines.line_text(ctx.text, l).trim();
        !t.is_empty() && !t.starts_with('#')
    })?;
    let (above_column, above_key) = key_of_line(ctx.lines.line_text(ctx.text, above))?;
    if column <= above_column {
        return None;
    }
    let key_span = Span::new(start + column, start + column + key.len());
    if text.trim_start().starts_with("- ") {
        // A list item after a key that has a value: the list's own key is missing (the
        // `requiredDataConnectors:` line above `- connectorId:`), not the indentation.
        let item = Span::new(start + text.len() - text.trim_start().len(), key_span.end);
        let list = crate::model::schema::list_of_items_with(key)
            .map(|l| format!(" (here probably `{l}:`)"))
            .unwrap_or_default();
        return Some(
            LINT.diagnostic(
                item,
                format!(
                    "a list item follows `{above_key}`, which has a value, so YAML reads it as more of that value"
                ),
            )
            .with_help(format!(
                "is the key of this list missing on the line above it? A list starts on the line after its own key{list}"
            )),
        );
    }
    let above_span = {
        let s = ctx.lines.line_start(above) + above_column;
        Span::new(s, s + above_key.len())
    };
    Some(
        LINT.diagnostic(
            key_span,
            format!(
                "`{key}` is indented more than `{above_key}` above it, so YAML reads it as more of `{above_key}`'s value"
            ),
        )
        .with_label(above_span, format!("`{above_key}` starts in column {}", above_column + 1))
        .with_help(format!(
            "keys of one mapping start in the same column: move `{key}` (column {}) to column {}, or, if the line above is the one out of place (a list item's `- ` indented differently from its siblings), move that line",
            column + 1,
            above_column + 1
        )),
    )
}
