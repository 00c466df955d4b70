//! SL601 kql-syntax: the query is not valid KQL.

use crate::diagnostics::Severity;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL601",
    name: "kql-syntax",
    severity: Severity::Error,
    summary: "The query is not valid KQL",
    docs: r#"## What it does
Parses the `query` with sentinel-lint's KQL parser and reports each syntax error at its
line and column in the YAML file. After an error the parser carries on at the next `|` or
`;`, so one mistake does not hide the next; at most 10 errors are listed per query.
A query beyond the parser's limits (more than 50,000 tokens, nesting deeper than 100
levels, a chain of more than 1,000 operators) gets a warning instead: it was not analysed,
which does not make it wrong.

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
    let errors = &query.parsed.errors;
    for (i, error) in errors.iter().take(MAX_ERRORS).enumerate() {
        let mut message = error.message.clone();
        if i + 1 == MAX_ERRORS && errors.len() > MAX_ERRORS {
            message.push_str(&format!(
                " ({} more KQL errors are not listed)",
                errors.len() - MAX_ERRORS
            ));
        }
        let diagnostic = LINT.diagnostic(query.file_span(error.span), message);
        sink.push(if error.limit {
            // Kusto may well accept it: say the query was not checked, do not fail the rule.
            diagnostic
                .with_severity(Severity::Warning)
                .with_help("see the limits in the README; the rest of the query was not checked")
        } else {
            diagnostic
        });
    }
}
