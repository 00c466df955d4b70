//! SL510 alert-details-override: alert name or description formats over the limits.

use crate::diagnostics::Severity;
use crate::model::limits::*;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL510",
    name: "alert-details-override",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`alertDisplayNameFormat` or `alertDescriptionFormat` is empty, too long, or has more than 3 placeholders",
    docs: r#"## What it does
Checks the alert name and description formats of `alertDetailsOverride`: not blank, at most
256 (name) or 5,000 (description) characters, and at most three `{{Column}}` placeholders
each.

## Why is this bad?
The Sentinel service refuses the rule ("Invalid data model"); the limits come from its
contract classes (`MaxAmountOfDynamicContentPlaceHolders`, `NonEmptyString`).

## Example
```yaml
alertDetailsOverride:
  alertDisplayNameFormat: '{{User}} from {{IP}} on {{Host}} via {{App}}'
```
Keep at most three placeholders; put the rest into the description or custom details.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

/// The `{{...}}` placeholders of a format string.
pub fn placeholders(format: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find(['{', '}']) {
            Some(end) if after[end..].starts_with("}}") => {
                out.push(&after[..end]);
                rest = &after[end + 2..];
            }
            Some(end) => rest = &after[end..],
            None => break,
        }
    }
    out
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(details) = ctx.get("alertDetailsOverride") else {
        return;
    };
    let severity = ctx.severity_for(&LINT);
    for (key, max) in [
        ("alertDisplayNameFormat", ALERT_DISPLAY_NAME_MAX),
        ("alertDescriptionFormat", ALERT_DESCRIPTION_MAX),
    ] {
        let Some(node) = details.get(key) else {
            continue;
        };
        let Some(format) = node.as_str() else {
            continue;
        };
        let pointer = format!("/alertDetailsOverride/{key}");
        let length = format.chars().count();
        let message = if format.trim().is_empty() {
            format!("`{key}` is blank")
        } else if length > max {
            format!("`{key}` is {length} characters long; at most {max} are allowed")
        } else {
            let count = placeholders(format).len();
            if count <= ALERT_FORMAT_PLACEHOLDERS_MAX {
                continue;
            }
            format!(
                "`{key}` has {count} `{{{{...}}}}` placeholders; at most {ALERT_FORMAT_PLACEHOLDERS_MAX} are allowed"
            )
        };
        sink.push(
            LINT.diagnostic(node.span, message)
                .with_severity(severity)
                .with_pointer(pointer),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders() {
        assert_eq!(
            super::placeholders("{{A}} and {{B}} {x} {{ C }}"),
            vec!["A", "B", " C "]
        );
        assert!(super::placeholders("no {{ end").is_empty());
    }
}
