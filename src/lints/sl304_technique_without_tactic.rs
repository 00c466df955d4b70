//! SL304 technique-without-tactic: a technique none of whose tactics is in `tactics`.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::reference;

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, list_values, normalize, replace_scalar,
};
use crate::model::attack::is_technique;
use crate::model::fields::{self, FieldKind, Repair, Repaired, Written};

pub static LINT: Lint = Lint {
    code: "SL304",
    name: "technique-without-tactic",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A technique in `relevantTechniques` has none of its tactics in `tactics`",
    docs: r#"## What it does
For every technique of `relevantTechniques` (a sub-technique counts as its parent), looks
up the tactics it belongs to in the table of the Azure-Sentinel validator
(`KillChainTechniquesHelper.cs`) and requires at least one of them in `tactics`. A
technique the table does not know is reported too, because the CI fails on it. The CI
skips this check for NRT rules; sentinel-lint does not. For hunting queries the finding
is a warning.

## Why is this bad?
The CI fails with "No valid tactic corresponding to the technique ... was provided in the
tactics field", and the rule's MITRE coverage is inconsistent. Newer ATT&CK techniques
(such as `T1656`) are missing from that table; for those the only way through the CI is
to leave them out or to get the table updated upstream. Techniques ATT&CK revoked (`T1100`
Web Shell, now `T1505.003`) or deprecated are missing too: for a revoked one the finding
names its replacement (ATT&CK v18.1) and offers it as an unsafe fix (its tactics may
differ: check `tactics` after).

## Example
```yaml
tactics:
  - Execution
relevantTechniques:
  - T1078
```
`T1078` (Valid Accounts) belongs to InitialAccess, Persistence, PrivilegeEscalation and
DefenseEvasion; add one of them to `tactics`.
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    // A misspelt tactic counts as the one it was meant to be: invalid-tactic reports it, and
    // the technique's finding would repeat that root cause.
    let tactics: Vec<String> = list_values(ctx, ctx.root, "", "tactics")
        .iter()
        .filter_map(|v| v.text)
        .map(
            |t| match fields::repair(FieldKind::Tactic, Written::Text(t)) {
                Some(Repair {
                    value: Repaired::Text(meant),
                    ..
                }) => normalize(&meant),
                _ => normalize(t),
            },
        )
        .collect();
    let tactics_span = ctx.root.key_span_at("/tactics");
    for value in list_values(ctx, ctx.root, "", "relevantTechniques") {
        let Some(technique) = value.text.filter(|t| is_technique(t)) else {
            continue; // invalid-technique
        };
        let d = match reference::validator_tactics(technique) {
            None if let Some((name, replacement)) = reference::revoked_technique(technique) => {
                let d = LINT
                    .diagnostic(
                        value.span,
                        format!("`{technique}` ({name}) is revoked in ATT&CK; use `{replacement}`"),
                    )
                    .with_help(format!(
                        "ATT&CK replaced it with `{replacement}`; the Azure-Sentinel validator's technique table does not know revoked ids, so its CI fails on it"
                    ));
                match (ctx.slice(value.span) == technique).then(|| replace_scalar(ctx, value.node, replacement)).flatten() {
                    Some(edit) if !value.in_scalar => d.with_fix(Fix::unsafe_(
                        format!("Write `{replacement}`"),
                        vec![edit],
                    )),
                    _ => d,
                }
            }
            None if let Some(name) = reference::deprecated_technique(technique) => LINT
                .diagnostic(
                    value.span,
                    format!("`{technique}` ({name}) is deprecated in ATT&CK, with no replacement"),
                )
                .with_help("remove it, or map the rule to a current technique; the Azure-Sentinel validator's technique table does not know it, so its CI fails on it"),
            None => LINT.diagnostic(
                value.span,
                format!("the Azure-Sentinel validator's technique table does not know `{technique}`, so its CI fails on it"),
            )
            .with_help("check the id; newer ATT&CK techniques are missing from that table (KillChainTechniquesHelper.cs)"),
            Some(expected) => {
                if expected.iter().any(|t| tactics.contains(&normalize(t))) {
                    continue;
                }
                let mut d = LINT
                    .diagnostic(
                        value.span,
                        format!("no tactic of `{technique}` is in `tactics`"),
                    )
                    .with_help(format!("`{technique}` belongs to {}; add one of them to `tactics`", expected.join(", ")));
                if let Some(span) = tactics_span {
                    d = d.with_label(span, "tactics are listed here");
                }
                d
            }
        };
        sink.push(d.with_severity(ctx.severity_for(&LINT)));
    }
}
