//! SL302 invalid-tactic: a value in `tactics` that is not a MITRE ATT&CK tactic name.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::Edit;

use crate::model::Tactic;
use crate::model::attack::{is_newer_defense_evasion, tactic_for_id};
use crate::model::fields::{self, FieldKind, Problem, Repair, Repaired, Written};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, list_values};

pub static LINT: Lint = Lint {
    code: "SL302",
    name: "invalid-tactic",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A value in `tactics` is not one of the MITRE ATT&CK tactic names Sentinel accepts",
    docs: r#"## What it does
Checks every value of `tactics` against the 16 tactic names of the Azure-Sentinel
validator (`InitialAccess`, `Persistence`, `CommandAndControl`, ...). Names with spaces,
ATT&CK tactic ids (`TA0011`), misspellings and `PreAttack` are reported with the name that
was meant. (A value that differs only in case is reported by `enum-case`.)

## Why is this bad?
The Azure-Sentinel CI fails to convert the value. `PreAttack` is accepted by ARM but
rejected by that CI; the ATT&CK v19 names `Stealth` and `Defense Impairment` are not yet
known to Sentinel.

## Example
```yaml
tactics:
  - Command And Control
  - Persistance
```
Use instead:
```yaml
tactics:
  - CommandAndControl
  - Persistence
```

## Fix
A name written with spaces or as a tactic id is rewritten (safe); a misspelling is
corrected (unsafe: check the suggestion).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let names: Vec<&str> = Tactic::ALL.iter().map(|t| t.as_str()).collect();
    for value in list_values(ctx, ctx.root, "", "tactics") {
        let Some(text) = value.text else {
            sink.push(
                LINT.diagnostic(
                    value.span,
                    format!("a tactic must be a name, not {}", value.node.type_name()),
                )
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer(value.pointer.clone()),
            );
            continue;
        };
        let repair = fields::repair(FieldKind::Tactic, Written::Text(text));
        if names.contains(&text) || repair.as_ref().is_some_and(|r| r.problem == Problem::Case) {
            continue; // valid, or enum-case
        }
        let mut d = LINT
            .diagnostic(
                value.span,
                format!("`{text}` is not a tactic Sentinel accepts"),
            )
            .with_severity(ctx.severity_for(&LINT));
        if !value.in_scalar {
            d = d.with_pointer(value.pointer.clone());
        }
        let rewrite = |d: crate::diagnostics::Diagnostic, name: &str, safe: bool, why: String| {
            let d = d.with_help(why);
            if value.in_scalar && !ctx.slice(value.span).eq(text) {
                return d;
            }
            let edit = Edit::replace(value.span, name);
            let title = format!("Write `{name}`");
            d.with_fix(if safe {
                Fix::safe(title, vec![edit])
            } else {
                Fix::unsafe_(title, vec![edit])
            })
        };
        d = match repair {
            _ if text.eq_ignore_ascii_case("PreAttack") => d.with_help(
                "ARM accepts `PreAttack`, but the Azure-Sentinel validator does not; use `Reconnaissance` or `ResourceDevelopment`",
            ),
            Some(Repair { value: Repaired::Text(name), problem }) => {
                let why = match problem {
                    Problem::TacticSpelling if tactic_for_id(text).is_some() => {
                        format!("`{text}` is the ATT&CK id of `{name}`; Sentinel wants the name")
                    }
                    Problem::TacticSpelling => format!("tactic names have no spaces or punctuation: `{name}`"),
                    _ if is_newer_defense_evasion(text) => {
                        "Sentinel does not know this ATT&CK v19 tactic yet; use `DefenseEvasion`".into()
                    }
                    _ => format!("did you mean `{name}`?"),
                };
                rewrite(d, &name, problem.is_safe(), why)
            }
            _ => d.with_help(format!("tactics are: {}", names.join(", "))),
        };
        sink.push(d);
    }
}
