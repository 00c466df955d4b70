//! SL406 invalid-trigger-operator: a `triggerOperator` the CI does not accept.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::TriggerOperator;
use crate::model::fields::{self, FieldKind, Repair, Repaired, Written};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, replace_scalar, scheduled_field};

pub static LINT: Lint = Lint {
    code: "SL406",
    name: "invalid-trigger-operator",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "`triggerOperator` is not one of gt, lt, eq, ne",
    docs: r#"## What it does
Checks that `triggerOperator` of a Scheduled rule is `gt`, `lt`, `eq` or `ne` (or one of
the ARM names `GreaterThan`, `LessThan`, `Equal`, `NotEqual`, see `arm-trigger-operator`).
The comparison is case-sensitive, as in the Azure-Sentinel CI.

## Why is this bad?
The CI fails ("trigger operator value is not as expected"). Sentinel has no
"greater or equal": `ge`, `GreaterThanOrEqual` and SentinelARConverter's `Equals` are not
valid in ARM either.

## Example
```yaml
triggerOperator: GT
```
Use instead:
```yaml
triggerOperator: gt
```

## Fix
Case slips and symbols (`>`, `<`, `==`, `!=`, `Equals`) are rewritten (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = scheduled_field(ctx, "triggerOperator") else {
        return;
    };
    let Some(op) = node.as_str() else {
        if !node.is_null() {
            sink.push(
                LINT.diagnostic(
                    node.span,
                    format!(
                        "`triggerOperator` must be gt, lt, eq or ne, not {}",
                        node.type_name()
                    ),
                )
                .with_pointer("/triggerOperator"),
            );
        }
        return;
    };
    if TriggerOperator::ALL.iter().any(|a| a.name() == op) {
        return;
    }
    let replacement = match fields::repair(FieldKind::TriggerOperator, Written::Text(op)) {
        Some(Repair {
            value: Repaired::Text(r),
            ..
        }) => Some(r),
        _ => None,
    };
    let mut d = LINT
        .diagnostic(node.span, format!("`{op}` is not a trigger operator"))
        .with_pointer("/triggerOperator");
    let lower = op.to_ascii_lowercase();
    if let Some(r) = replacement {
        d = d.with_help(format!("write `{r}`"));
        if let Some(edit) = replace_scalar(ctx, node, &r) {
            d = d.with_fix(Fix::safe(format!("Write `{r}`"), vec![edit]));
        }
    } else if matches!(
        lower.as_str(),
        "ge" | "gte" | ">=" | "le" | "lte" | "<=" | "greaterthanorequal" | "lessthanorequal"
    ) {
        d = d.with_help("Sentinel has no greater-or-equal or less-or-equal; use `gt` or `lt` and move the threshold by one");
    } else {
        d = d.with_help("use gt, lt, eq or ne");
    }
    sink.push(d);
}
