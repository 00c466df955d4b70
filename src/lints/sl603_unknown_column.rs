//! SL603 unknown-column: the query names a column that its input does not have.

use crate::diagnostics::Severity;
use crate::reference;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, meant_name};

pub static LINT: Lint = Lint {
    code: "SL603",
    name: "unknown-column",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "The query names a column that the table or the operators before it do not have",
    docs: r#"## What it does
Works out the columns at each step of the query, from the schemas of the tables it reads
through `where`, `extend`, `project`, `summarize`, `join`, `union`, `parse`, `mv-expand`
and the other common operators, and reports a column name that is not among them. When a
step is not understood (a table no schema knows, `evaluate`, an aggregate whose result
name is not certain, a function of the workspace), nothing after it is checked: this lint
only reports what Kusto reports too. `sentinel-lint kql FILE --columns` shows the columns.
The rules whose queries the Azure-Sentinel CI does not validate (its
`SkipValidationsTemplates.json`, known mistakes of Kusto.Language) get a warning instead.

## Why is this bad?
The Azure-Sentinel CI rejects the query (Kusto's KS142, "The name ... does not refer to any
known column"), and Sentinel does not save the rule. Column names are case-sensitive:
`IpAddress` is not `IPAddress`.

## Example
```yaml
query: |
  SigninLogs
  | where IpAddress == "203.0.113.7"
```
Use instead:
```yaml
query: |
  SigninLogs
  | where IPAddress == "203.0.113.7"
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((query, analysis)) = ctx.query_columns() else {
        return;
    };
    // The CI does not check these rules' queries (Kusto.Language gets them wrong): advice.
    if analysis.unknown_columns.is_empty() {
        return;
    }
    let skipped = ctx
        .get("id")
        .and_then(|id| id.as_str())
        .and_then(reference::ci_skip_reason);
    for unknown in &analysis.unknown_columns {
        let meant = meant_name(&unknown.name, unknown.candidates.iter().map(String::as_str));
        let message = if unknown.name.contains('*') {
            format!("no column here matches `{}`", unknown.name)
        } else {
            format!("`{}` is not a column here", unknown.name)
        };
        let mut d = LINT
            .diagnostic(query.file_span(unknown.span), message)
            .with_severity(ctx.severity_for(&LINT));
        let mut help: Vec<String> = meant
            .map(|m| format!("did you mean `{m}`?"))
            .into_iter()
            .collect();
        if let Some(reason) = skipped {
            d = d.with_severity(Severity::Warning);
            help.push(format!(
                "the Azure-Sentinel CI does not validate this rule's query (\"{}\"), so this is a warning",
                reason.trim_end_matches('.')
            ));
        }
        if !help.is_empty() {
            d = d.with_help(help.join(" "));
        }
        sink.push(d);
    }
}
