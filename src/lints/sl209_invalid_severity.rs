//! SL209 invalid-severity: `severity` is not Informational, Low, Medium or High.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::Edit;
use crate::yaml::Value;

use crate::model::Severity as RuleSeverity;
use crate::model::fields::{self, FieldKind, Repair, Repaired};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, replace_scalar, written};

pub static LINT: Lint = Lint {
    code: "SL209",
    name: "invalid-severity",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`severity` is not one of Informational, Low, Medium, High",
    docs: r#"## What it does
Checks that `severity` is one of `Informational`, `Low`, `Medium`, `High`. (A value that
differs only in case is reported by `enum-case`.)

## Why is this bad?
The Azure-Sentinel CI fails to convert the value, and ARM refuses it. `Critical` does not
exist in Sentinel; numbers (0-3) pass the CI but not every other tool.

## Example
```yaml
severity: Critical
```
Use instead:
```yaml
severity: High
```

## Fix
A number 0-3 becomes its name, a near-miss spelling is corrected (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = ctx.get("severity") else {
        return;
    };
    let names: Vec<&str> = RuleSeverity::ALL.iter().map(|s| s.as_str()).collect();
    let severity = ctx.severity_for(&LINT);
    let repair = fields::repair(FieldKind::Severity, written(ctx, node));
    let fix = |name: &str| {
        replace_scalar(ctx, node, name).map(|edit| Fix::safe(format!("Write `{name}`"), vec![edit]))
    };
    let d = match (&node.value, repair) {
        (Value::Str(s), _) if names.iter().any(|n| n.eq_ignore_ascii_case(s)) => return,
        (Value::Str(s), repair) => {
            let d = LINT.diagnostic(node.span, format!("`{s}` is not a severity"));
            match repair {
                Some(Repair {
                    value: Repaired::Text(m),
                    ..
                }) => {
                    let d = d.with_help(format!("did you mean `{m}`?"));
                    match fix(&m) {
                        Some(fix) => d.with_fix(fix),
                        None => d,
                    }
                }
                _ => d.with_help(format!("use one of: {}", names.join(", "))),
            }
        }
        (
            Value::Int(i),
            Some(Repair {
                value: Repaired::Text(name),
                ..
            }),
        ) => LINT
            .diagnostic(
                node.span,
                format!("severity {i} is a number; write its name `{name}`"),
            )
            .with_fix(Fix::safe(
                format!("Write `{name}`"),
                vec![Edit::replace(node.span, name)],
            )),
        (Value::Null, _) => return, // empty-value
        _ => LINT.diagnostic(
            node.span,
            format!(
                "`severity` must be one of {}, not {}",
                names.join(", "),
                node.type_name()
            ),
        ),
    };
    sink.push(d.with_severity(severity).with_pointer("/severity"));
}
