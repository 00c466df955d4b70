//! SL602 unknown-table: the query reads a table or function that no schema knows.

use crate::diagnostics::Severity;
use crate::kql::columns::Catalog;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, meant_name};

pub static LINT: Lint = Lint {
    code: "SL602",
    name: "unknown-table",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The query reads a table or function that no schema sentinel-lint knows has",
    docs: r#"## What it does
Looks up each table the query reads (at the start of a pipeline, in `join`, `union`,
`lookup`, `let`) in the schemas sentinel-lint embeds: the built-in and custom tables and
functions the Azure-Sentinel CI validates queries against, the ASIM parsers, and the
Azure Monitor and Defender XDR tables of Microsoft Learn. `let` names are not tables.

## Why is this bad?
The Azure-Sentinel CI rejects a query over a name it has no schema for (Kusto's KS204,
"The name ... does not refer to any known table"), and a misspelt table name makes the
rule match nothing. A custom table (`_CL`) or a workspace function is fine in a
workspace that has it, but the CI needs its schema, which is why this is a warning.

## Example
```yaml
query: |
  SignInLogs
  | where ResultType == "50126"
```
Use instead:
```yaml
query: |
  SigninLogs
  | where ResultType == "50126"
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((query, analysis)) = ctx.query_columns() else {
        return;
    };
    for unknown in &analysis.unknown_tables {
        // A slip keeps the first letter: of a thousand table names, compare those only.
        let first = unknown.name.chars().next().map(|c| c.to_ascii_lowercase());
        let names: Vec<&str> = query
            .tables
            .table_names()
            .into_iter()
            .filter(|t| t.chars().next().map(|c| c.to_ascii_lowercase()) == first)
            .collect();
        let meant = meant_name(&unknown.name, names.iter().copied());
        let help = match meant {
            Some(m) => format!("did you mean `{m}`?"),
            None => "a custom table or workspace function is fine where it exists, but the Azure-Sentinel CI needs its schema".into(),
        };
        sink.push(
            LINT.diagnostic(
                query.file_span(unknown.span),
                format!("no schema knows a table or function `{}`", unknown.name),
            )
            .with_help(help),
        );
    }
}
