//! SL512 column-not-in-output: an entity mapping, custom detail or alert detail names a
//! column that the query does not return.

use crate::diagnostics::Severity;
use crate::text::Span;
use crate::yaml::{Node, ScalarMap};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, meant_name, nodes_at};

pub static LINT: Lint = Lint {
    code: "SL512",
    name: "column-not-in-output",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "An entity mapping, custom detail or alert detail names a column the query does not return",
    docs: r#"## What it does
Works out the columns the query returns (see `unknown-column`) and checks the columns the
rule names: `entityMappings[].fieldMappings[].columnName`, the values of `customDetails`,
the `{{Column}}` placeholders of `alertDisplayNameFormat` and `alertDescriptionFormat`,
`alertTacticsColumnName`, `alertSeverityColumnName` and the values of
`alertDynamicProperties`. When the result columns are not known for certain (a table no
schema knows, `evaluate`, an unusual aggregate), nothing is reported.

## Why is this bad?
The deployment fails ("The given column 'IpAddress' does not exist in the query result"),
or the entity, detail or placeholder stays empty. Column names are case-sensitive.

## Example
```yaml
query: |
  SigninLogs
  | summarize Failures = count() by IPAddress
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IpAddress
```
Use instead: `columnName: IPAddress`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

/// Values that name one result column.
const COLUMN_VALUES: [&str; 5] = [
    "/entityMappings/*/fieldMappings/*/columnName",
    "/alertDetailsOverride/alertTacticsColumnName",
    "/alertDetailsOverride/alertSeverityColumnName",
    "/alertDetailsOverride/alertDynamicProperties/*/value",
    "/sentinelEntitiesMappings/*/columnName",
];

/// Texts with `{{Column}}` placeholders.
const FORMATS: [&str; 2] = [
    "/alertDetailsOverride/alertDisplayNameFormat",
    "/alertDetailsOverride/alertDescriptionFormat",
];

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((_, analysis)) = ctx.query_columns() else {
        return;
    };
    let Some(columns) = analysis.result.names() else {
        return;
    };
    let mut report = |name: &str, span: Span, what: &str, pointer: String| {
        if columns.contains(&name) {
            return;
        }
        let meant = meant_name(name, columns.iter().copied());
        let help = match meant {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!(
                "the query returns: {}",
                crate::text::code_list(&columns, 12)
            ),
        };
        sink.push(
            LINT.diagnostic(
                span,
                format!("{what} `{name}` is not a column the query returns"),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(pointer)
            .with_help(help),
        );
    };
    for pattern in COLUMN_VALUES {
        for (pointer, node) in nodes_at(ctx.root, pattern) {
            if let Some(name) = node.as_str().map(str::trim).filter(|n| is_name(n)) {
                report(name, node.span, "column", pointer);
            }
        }
    }
    if let Some(details) = ctx.get("customDetails").and_then(Node::as_map) {
        for entry in details {
            if let Some(name) = entry.value.as_str().map(str::trim).filter(|n| is_name(n)) {
                let pointer = crate::yaml::pointer_push("/customDetails", &entry.key);
                report(name, entry.value.span, "custom detail column", pointer);
            }
        }
    }
    for pointer in FORMATS {
        let Some(node) = ctx.root.pointer(pointer) else {
            continue;
        };
        let Some(text) = node.as_str() else { continue };
        let map = ScalarMap::new(ctx.text(), node);
        for (start, name) in placeholders(text) {
            let span = map.span_to_file(Span::new(start, start + name.len()));
            report(name, span, "placeholder", pointer.to_owned());
        }
    }
}

/// A plain column name (other values are other lints' business).
fn is_name(s: &str) -> bool {
    crate::model::limits::is_column_name(s)
}

/// The `{{Name}}` placeholders of a text: where each name starts, and the name.
fn placeholders(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{") {
        let start = rest + open + 2;
        let Some(close) = text[start..].find("}}") else {
            break;
        };
        let name = &text[start..start + close];
        let trimmed = name.trim();
        if is_name(trimmed) {
            out.push((start + (name.len() - name.trim_start().len()), trimmed));
        }
        rest = start + close + 2;
    }
    out
}
