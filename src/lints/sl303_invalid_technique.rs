//! SL303 invalid-technique: a value in `relevantTechniques` that is not `T####[.###]`.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::Edit;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, as_list_items, list_values};
use crate::model::attack::{is_technique, leading_technique_id, tactic_for_id};
use crate::model::fields::{self, FieldKind, Repair, Repaired, Written};

pub static LINT: Lint = Lint {
    code: "SL303",
    name: "invalid-technique",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A value in `relevantTechniques` is not a technique id `T####` or `T####.###`",
    docs: r#"## What it does
Checks that every value of `relevantTechniques` is a MITRE ATT&CK technique id (`T1078`)
or sub-technique id (`T1078.004`): a capital T, four digits, optionally a dot and three
digits.

## Why is this bad?
ARM refuses other forms at deployment ("The technique ... is invalid. The expected format
is 'T####'"), and the Azure-Sentinel CI cannot find them in its technique table. Real
files carry tactic ids (`TA0005`), 3-digit ICS ids (`T814`), 5-digit typos (`T10178`) and
names pasted with the id.

## Example
```yaml
relevantTechniques:
  - t1078
  - T1059 - Command and Scripting Interpreter
```
Use instead:
```yaml
relevantTechniques:
  - T1078
  - T1059
```

## Fix
Upper-cases the id, removes spaces and pasted names (safe); pads 3-digit ICS ids to 4
digits (unsafe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for value in list_values(ctx, ctx.root, "", "relevantTechniques") {
        let Some(text) = value.text else {
            sink.push(
                LINT.diagnostic(
                    value.span,
                    format!(
                        "a technique must be an id such as `T1078`, not {}",
                        value.node.type_name()
                    ),
                )
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer(value.pointer.clone()),
            );
            continue;
        };
        if is_technique(text) {
            continue;
        }
        let mut d = LINT
            .diagnostic(
                value.span,
                format!("`{text}` is not a technique id (`T####` or `T####.###`)"),
            )
            .with_severity(ctx.severity_for(&LINT));
        if !value.in_scalar {
            d = d.with_pointer(value.pointer.clone());
        }
        let exact_source = ctx.slice(value.span) == text;
        let fix = |d: crate::diagnostics::Diagnostic, id: String, safe: bool| {
            if !exact_source {
                return d;
            }
            let edit = Edit::replace(value.span, id.clone());
            let title = format!("Write `{id}`");
            d.with_fix(if safe {
                Fix::safe(title, vec![edit])
            } else {
                Fix::unsafe_(title, vec![edit])
            })
        };
        let id = leading_technique_id(text);
        let repair = fields::repair(FieldKind::Technique, Written::Text(text));
        d = if let Some(tactic) = tactic_for_id(text) {
            d.with_help(format!(
                "`{text}` is the id of the tactic `{}`; put that in `tactics` instead",
                tactic.as_str()
            ))
        } else if let Some(Repair {
            value: Repaired::List(ids),
            ..
        }) = &repair
        {
            let listed = ids
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d = d.with_help(format!("one technique per item: {listed}"));
            d.message = format!("`{text}` holds {} technique ids in one item", ids.len());
            match as_list_items(ctx, value.node, ids).filter(|_| !value.in_scalar) {
                Some(edit) => d.with_fix(Fix::safe(
                    format!("Write {listed} as items of their own"),
                    vec![edit],
                )),
                None => d,
            }
        } else if let Some(Repair {
            value: Repaired::Text(id),
            problem,
        }) = repair
        {
            let d = if problem.is_safe() {
                d.with_help(format!("write the id only: `{id}`"))
            } else {
                d.with_help(format!(
                    "technique ids have four digits; ICS techniques start with 0: `{id}`?"
                ))
            };
            fix(d, id, problem.is_safe())
        } else if id.starts_with('T') && id[1..].split('.').next().is_some_and(|p| p.len() > 4) {
            d.with_help("technique ids have exactly four digits after the `T`")
        } else if id.contains('.') {
            d.with_help(
                "a sub-technique id is the technique id, a dot and three digits: `T1078.004`",
            )
        } else {
            d.with_help("use the ATT&CK id of the technique, e.g. `T1078` or `T1078.004`")
        };
        sink.push(d);
    }
}
