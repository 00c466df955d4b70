//! SL407 arm-trigger-operator: the ARM name of a trigger operator in YAML.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::model::fields::{self, FieldKind, Problem, Repair, Repaired, Written};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, replace_scalar, scheduled_field};

pub static LINT: Lint = Lint {
    code: "SL407",
    name: "arm-trigger-operator",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "`triggerOperator` uses the ARM name (`GreaterThan`) instead of the YAML short form (`gt`)",
    docs: r#"## What it does
Reports `triggerOperator: GreaterThan`, `LessThan`, `Equal` or `NotEqual`: the ARM names,
common in rules exported from a workspace.

## Why is this bad?
The Azure-Sentinel CI and the Solutions packager accept them, but rule YAML uses the short
forms, and some converters map only those (SentinelARConverter turns an unknown value into
invalid ARM).

## Example
```yaml
triggerOperator: GreaterThan
```
Use instead:
```yaml
triggerOperator: gt
```

## Fix
Writes the short form (safe).
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = scheduled_field(ctx, "triggerOperator") else {
        return;
    };
    let Some(op) = node.as_str() else {
        return;
    };
    let Some(Repair {
        value: Repaired::Text(short),
        problem: Problem::ArmOperator,
    }) = fields::repair(FieldKind::TriggerOperator, Written::Text(op))
    else {
        return;
    };
    let mut d = LINT
        .diagnostic(
            node.span,
            format!("`{op}` is the ARM name; rule YAML writes `{short}`"),
        )
        .with_pointer("/triggerOperator");
    if let Some(edit) = replace_scalar(ctx, node, &short) {
        d = d.with_fix(Fix::safe(format!("Write `{short}`"), vec![edit]));
    }
    sink.push(d);
}
