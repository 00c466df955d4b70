//! SL302 invalid-tactic: a value in `tactics` that is not a MITRE ATT&CK tactic name.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::Edit;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, allowed, did_you_mean, list_values, normalize};

pub static LINT: Lint = Lint {
    code: "SL302",
    name: "invalid-tactic",
    severity: Severity::Error,
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

/// ATT&CK tactic ids of the tactics Sentinel knows (enterprise and ICS).
const TACTIC_IDS: [(&str, &str); 16] = [
    ("TA0043", "Reconnaissance"),
    ("TA0042", "ResourceDevelopment"),
    ("TA0001", "InitialAccess"),
    ("TA0002", "Execution"),
    ("TA0003", "Persistence"),
    ("TA0004", "PrivilegeEscalation"),
    ("TA0005", "DefenseEvasion"),
    ("TA0006", "CredentialAccess"),
    ("TA0007", "Discovery"),
    ("TA0008", "LateralMovement"),
    ("TA0009", "Collection"),
    ("TA0010", "Exfiltration"),
    ("TA0011", "CommandAndControl"),
    ("TA0040", "Impact"),
    ("TA0106", "ImpairProcessControl"),
    ("TA0107", "InhibitResponseFunction"),
];

pub fn tactic_for_id(id: &str) -> Option<&'static str> {
    TACTIC_IDS.iter().find(|(t, _)| t.eq_ignore_ascii_case(id.trim())).map(|(_, n)| *n)
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let names: Vec<&str> = allowed("Tactic").collect();
    for value in list_values(ctx, ctx.root, "", "tactics") {
        let Some(text) = value.text else {
            sink.push(
                LINT.diagnostic(value.span, format!("a tactic must be a name, not {}", value.node.type_name()))
                    .with_severity(ctx.severity_for(&LINT))
                    .with_pointer(value.pointer.clone()),
            );
            continue;
        };
        if names.iter().any(|n| n.eq_ignore_ascii_case(text)) {
            continue; // valid, or enum-case
        }
        let mut d = LINT
            .diagnostic(value.span, format!("`{text}` is not a tactic Sentinel accepts"))
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
            d.with_fix(if safe { Fix::safe(title, vec![edit]) } else { Fix::unsafe_(title, vec![edit]) })
        };
        let normalized = normalize(text);
        d = if text.eq_ignore_ascii_case("PreAttack") {
            d.with_help("ARM accepts `PreAttack`, but the Azure-Sentinel validator does not; use `Reconnaissance` or `ResourceDevelopment`")
        } else if let Some(name) = names.iter().find(|n| normalize(n) == normalized) {
            rewrite(d, name, true, format!("tactic names have no spaces or punctuation: `{name}`"))
        } else if let Some(name) = tactic_for_id(text) {
            rewrite(d, name, true, format!("`{text}` is the ATT&CK id of `{name}`; Sentinel wants the name"))
        } else if matches!(normalized.as_str(), "stealth" | "defenseimpairment" | "evasion") {
            rewrite(d, "DefenseEvasion", false, "Sentinel does not know this ATT&CK v19 tactic yet; use `DefenseEvasion`".into())
        } else if let Some(name) = did_you_mean(text, names.iter().copied()) {
            rewrite(d, name, false, format!("did you mean `{name}`?"))
        } else {
            d.with_help(format!("tactics are: {}", names.join(", ")))
        };
        sink.push(d);
    }
}
