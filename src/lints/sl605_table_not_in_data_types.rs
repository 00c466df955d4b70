//! SL605 table-not-in-data-types: the query reads a table that no
//! `requiredDataConnectors[].dataTypes` names.

use crate::diagnostics::Severity;
use crate::kql::columns::SourceKind;
use crate::reference;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, data_types_and_query};

pub static LINT: Lint = Lint {
    code: "SL605",
    name: "table-not-in-data-types",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The query reads a table that no `requiredDataConnectors[].dataTypes` names",
    docs: r#"## What it does
Compares the tables the query reads (at the start of pipelines, in `join`, `union`,
`lookup` and `let`) with the `dataTypes` of `requiredDataConnectors`. Only rules that name
at least one data type are checked, and only tables: a parser or function (`CiscoISEEvent`,
`imDns`) reads tables of its own, which the data types name; a data type written with a note (`SecurityAlert (ASC
for IoT)`) counts as its table, and case does not matter.

## Why is this bad?
Sentinel shows a rule's data connectors as what it needs, and turns the rule on or warns
by them: a table missing from the list is a dependency nobody sees, and the rule matches
nothing in a workspace without it.

## Example
```yaml
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
query: |
  SigninLogs
  | join (AuditLogs | where OperationName == "Add member to role") on $left.UserPrincipalName == $right.Identity
```
Use instead: add `AuditLogs` to the `dataTypes` of the connector that brings it.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((listed, query, analysis)) = data_types_and_query(ctx) else {
        return;
    };
    let mut reported: Vec<&str> = Vec::new();
    for source in analysis
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Table && !reference::is_parser_table(&s.name))
    {
        let name = source.name.as_str();
        if listed.iter().any(|d| d.table.eq_ignore_ascii_case(name)) || reported.contains(&name) {
            continue;
        }
        reported.push(name);
        sink.push(
            LINT.diagnostic(
                query.file_span(source.span),
                format!("the query reads `{name}`, which no `dataTypes` of `requiredDataConnectors` names"),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_help(format!(
                "add `{name}` to the `dataTypes` of the connector that brings it"
            )),
        );
    }
}
