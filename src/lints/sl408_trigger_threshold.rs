//! SL408 trigger-threshold: `triggerThreshold` not a whole number from 0 to 10,000.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::limits::TRIGGER_THRESHOLD_MAX;
use crate::text::Edit;
use crate::yaml::Value;

use crate::model::fields::{self, FieldKind, Repaired, Written};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, scheduled_field};

pub static LINT: Lint = Lint {
    code: "SL408",
    name: "trigger-threshold",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "`triggerThreshold` is not a whole number from 0 to 10,000",
    docs: r#"## What it does
Checks that `triggerThreshold` of a Scheduled rule is a whole number from 0 to 10,000,
written as a number.

## Why is this bad?
The Azure-Sentinel CI fails (`Range(0, 10000)`), and ARM expects an integer. A quoted
number passes the CI but not a strict converter (a warning here).

## Example
```yaml
triggerThreshold: '0'
```
Use instead:
```yaml
triggerThreshold: 0
```

## Fix
A quoted whole number in range loses its quotes (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = scheduled_field(ctx, "triggerThreshold") else {
        return;
    };
    let range = format!("0 to {TRIGGER_THRESHOLD_MAX}");
    let d = match &node.value {
        Value::Int(n) if (0..=TRIGGER_THRESHOLD_MAX as i64).contains(n) => return,
        Value::Int(n) => LINT.diagnostic(
            node.span,
            format!("`triggerThreshold` is {n}; it must be {range}"),
        ),
        Value::Str(s) => {
            match fields::repair(FieldKind::Threshold, Written::Text(s)).map(|r| r.value) {
                Some(Repaired::Int(n)) => LINT
                    .diagnostic(
                        node.span,
                        format!("`triggerThreshold` is the string `{s}`; write it as a number"),
                    )
                    .with_severity(Severity::Warning)
                    .with_fix(Fix::safe(
                        format!("Write {n}"),
                        vec![Edit::replace(node.span, n.to_string())],
                    )),
                _ => LINT.diagnostic(
                    node.span,
                    format!("`{s}` is not a whole number from {range}"),
                ),
            }
        }
        Value::Float(f) => LINT.diagnostic(
            node.span,
            format!("`triggerThreshold` is {f}; it must be a whole number from {range}"),
        ),
        Value::Null => return, // empty-value
        _ => LINT.diagnostic(
            node.span,
            format!(
                "`triggerThreshold` must be a whole number from {range}, not {}",
                node.type_name()
            ),
        ),
    };
    sink.push(d.with_pointer("/triggerThreshold"));
}
