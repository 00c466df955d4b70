//! SL507 invalid-column-name: a column reference that is not a plain column name.

use crate::diagnostics::Severity;
use crate::model::limits::{self, COLUMN_NAME_MAX};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, nodes_at};

pub static LINT: Lint = Lint {
    code: "SL507",
    name: "invalid-column-name",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A `columnName` (or other column reference) is not a plain column name",
    docs: r#"## What it does
Checks the column names of entity mappings (`fieldMappings[].columnName`),
`sentinelEntitiesMappings`, and the column references of `alertDetailsOverride`: a letter
or underscore, then letters, digits and underscores, at most 500 characters.

## Why is this bad?
These fields name a column of the query's results; they are not expressions. The
Azure-Sentinel CI fails ("The ColumnName '...' is invalid. The value must start with a
letter or underscore, and contain only alphanumeric English characters."). To map a
nested value, `extend` it into a column in the query first.

## Example
```yaml
columnName: InitiatingProcessAccount.Name
```
Use instead: `| extend AccountName = ...` in the query, and `columnName: AccountName`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

const LOCATIONS: [&str; 5] = [
    "/entityMappings/*/fieldMappings/*/columnName",
    "/sentinelEntitiesMappings/*/columnName",
    "/alertDetailsOverride/alertTacticsColumnName",
    "/alertDetailsOverride/alertSeverityColumnName",
    "/alertDetailsOverride/alertDynamicProperties/*/value",
];

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for pattern in LOCATIONS {
        for (pointer, node) in nodes_at(ctx.root, pattern) {
            let Some(name) = node.as_str() else { continue };
            let message = if name.chars().count() > COLUMN_NAME_MAX {
                format!(
                    "the column name is {} characters long; at most {COLUMN_NAME_MAX} are allowed",
                    name.chars().count()
                )
            } else if name.is_empty() {
                "the column name is empty".to_owned()
            } else if !limits::is_column_name(name) {
                let why = match name
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
                {
                    Some(' ') => "contains a space".to_owned(),
                    Some(c) => format!("contains `{c}`"),
                    None => "starts with a digit".to_owned(),
                };
                format!("`{name}` is not a column name: it {why}")
            } else {
                continue;
            };
            sink.push(
                LINT.diagnostic(node.span, message)
                    .with_severity(ctx.severity_for(&LINT))
                    .with_pointer(pointer)
                    .with_help("name a column of the query's results; `extend` a new column in the query for anything computed"),
            );
        }
    }
}
