//! SL509 custom-details: custom details over the service's limits.

use crate::diagnostics::Severity;
use crate::model::limits::*;
use crate::yaml::pointer_push;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};
use crate::model::limits::is_column_name;

pub static LINT: Lint = Lint {
    code: "SL509",
    name: "custom-details",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`customDetails` has more than 20 entries, or a key or column that is not allowed",
    docs: r#"## What it does
Checks `customDetails` against the service's rules: at most 20 entries; keys at most 20
characters, starting with a letter, then letters, digits and underscores; values name a
result column (letter or underscore first, at most 500 characters).

## Why is this bad?
The Azure-Sentinel CI fails (`DictionaryLength`, `DictionaryKeyMatchesRegex`, ...) and the
service refuses the rule. Custom detail keys become field names of the alert.

## Example
```yaml
customDetails:
  Target User: TargetUserName
```
Use instead:
```yaml
customDetails:
  TargetUser: TargetUserName
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn key_ok(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(details) = ctx.get("customDetails") else {
        return;
    };
    let Some(entries) = details.as_map() else {
        return;
    };
    let severity = ctx.severity_for(&LINT);
    if entries.len() > CUSTOM_DETAILS_MAX {
        sink.push(
            LINT.diagnostic(
                entries[CUSTOM_DETAILS_MAX].key_span,
                format!(
                    "`customDetails` has {} entries; at most {CUSTOM_DETAILS_MAX} are allowed",
                    entries.len()
                ),
            )
            .with_severity(severity)
            .with_pointer("/customDetails"),
        );
    }
    for entry in entries {
        let pointer = pointer_push("/customDetails", &entry.key);
        let key = &entry.key;
        if key.chars().count() > CUSTOM_DETAIL_KEY_MAX {
            sink.push(
                LINT.diagnostic(entry.key_span, format!("the custom detail key `{key}` is {} characters long; at most {CUSTOM_DETAIL_KEY_MAX} are allowed", key.chars().count()))
                    .with_severity(severity)
                    .with_pointer(pointer.clone()),
            );
        } else if !key_ok(key) {
            sink.push(
                LINT.diagnostic(
                    entry.key_span,
                    format!("`{key}` is not a valid custom detail key"),
                )
                .with_severity(severity)
                .with_pointer(pointer.clone())
                .with_help(
                    "a key starts with a letter and contains only letters, digits and underscores",
                ),
            );
        }
        let Some(value) = entry.value.as_str() else {
            if !entry.value.is_null() {
                sink.push(
                    LINT.diagnostic(
                        entry.value.span,
                        format!(
                            "a custom detail names a result column, not {}",
                            entry.value.type_name()
                        ),
                    )
                    .with_severity(severity)
                    .with_pointer(pointer),
                );
            }
            continue;
        };
        if value.chars().count() > CUSTOM_DETAIL_VALUE_MAX || !is_column_name(value) {
            sink.push(
                LINT.diagnostic(entry.value.span, format!("`{value}` is not a column name"))
                    .with_severity(severity)
                    .with_pointer(pointer)
                    .with_help("a custom detail names a column of the query's results; `extend` a column for anything computed"),
            );
        }
    }
}
