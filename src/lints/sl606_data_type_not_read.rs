//! SL606 data-type-not-read: a `requiredDataConnectors[].dataTypes` entry names a table the
//! query never reads.

use crate::diagnostics::Severity;
use crate::kql::columns::Catalog;
use crate::reference;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, data_types_and_query};

pub static LINT: Lint = Lint {
    code: "SL606",
    name: "data-type-not-read",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A data type of `requiredDataConnectors` names a table the query never reads",
    docs: r#"## What it does
Reports a `dataTypes` entry of `requiredDataConnectors` that names a known table the query
does not read. It only judges queries whose tables are all named: a query that calls a
function or parser (which reads tables of its own), searches every table (`search`,
`union *`) or reads a name no schema knows is not checked, and a data type that is not a
known table name is left alone.

## Why is this bad?
The rule asks for a data source it does not use: Sentinel reports it as missing in
workspaces without it, and readers of the rule look for a dependency that is not there.
Often the query was changed to read another table and the list was not.

## Example
```yaml
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
      - AuditLogs
query: |
  SigninLogs
  | where ResultType == "50126"
```
Use instead: remove `AuditLogs` from `dataTypes`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((listed, query, analysis)) = data_types_and_query(ctx) else {
        return;
    };
    let parser = analysis
        .sources
        .iter()
        .any(|s| reference::is_parser_table(&s.name));
    if !analysis.reads_only_named_tables() || parser || analysis.sources.is_empty() {
        return;
    }
    for data_type in &listed {
        let read = analysis
            .sources
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(data_type.table));
        if read || query.tables.table(data_type.table).is_none() {
            continue;
        }
        sink.push(
            LINT.diagnostic(
                data_type.node.span,
                format!(
                    "`{}` is a required data type, but the query never reads it",
                    data_type.table
                ),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(data_type.pointer())
            .with_help("remove it from `dataTypes`, or read it in the query"),
        );
    }
}
