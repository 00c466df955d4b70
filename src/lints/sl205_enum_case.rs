//! SL205 enum-case: a value right except for its upper/lower case.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::fields::{self, FieldKind, Problem, Repaired};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, nodes_at, repair_edit, written};

pub static LINT: Lint = Lint {
    code: "SL205",
    name: "enum-case",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A value from a fixed set is written in the wrong case (`kind: scheduled`, `severity: high`)",
    docs: r#"## What it does
Reports values of `kind`, `severity`, `tactics`, `status`, entity types, `aggregationKind`,
`matchingMethod`, `groupByEntities`, `groupByAlertDetails` and `alertProperty` that match an
allowed value except for upper/lower case.

## Why is this bad?
The Azure-Sentinel CI reads these case-insensitively, so the rule passes there, but the
Solutions packager copies the value verbatim into ARM, other tools compare exactly, and
the content is inconsistent.

## Example
```yaml
kind: scheduled
severity: high
```
Use instead:
```yaml
kind: Scheduled
severity: High
```

## Fix
Writes the value in its canonical case (safe).
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    // The kinds whose values come from a fixed set of names.
    let named = |kind: &FieldKind| {
        matches!(
            kind,
            FieldKind::Kind | FieldKind::Enum(_) | FieldKind::Tactic | FieldKind::Severity
        )
    };
    for field in fields::fields(ctx.rule_type).filter(|f| named(&f.kind)) {
        for (pointer, node) in nodes_at(ctx.root, field.pattern) {
            let Some(repair) = fields::repair(field.kind, written(ctx, node)) else {
                continue;
            };
            let (Problem::Case, Repaired::Text(canonical), Some(value)) =
                (repair.problem, &repair.value, node.as_str())
            else {
                continue;
            };
            let mut d = LINT
                .diagnostic(node.span, format!("`{value}` is written `{canonical}`"))
                .with_pointer(pointer);
            if let Some(edit) = repair_edit(ctx, node, &repair.value) {
                d = d.with_fix(Fix::safe(format!("Write `{canonical}`"), vec![edit]));
            }
            sink.push(d);
        }
    }
}
