//! SL304 technique-without-tactic: a technique none of whose tactics is in `tactics`.

use crate::diagnostics::Severity;
use crate::reference;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, list_values, normalize};
use crate::model::attack::is_technique;

pub static LINT: Lint = Lint {
    code: "SL304",
    name: "technique-without-tactic",
    severity: Severity::Error,
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
to leave them out or to get the table updated upstream.

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
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let tactics: Vec<String> = list_values(ctx, ctx.root, "", "tactics")
        .iter()
        .filter_map(|v| v.text)
        .map(normalize)
        .collect();
    let tactics_span = ctx.root.key_span_at("/tactics");
    for value in list_values(ctx, ctx.root, "", "relevantTechniques") {
        let Some(technique) = value.text.filter(|t| is_technique(t)) else {
            continue; // invalid-technique
        };
        let d = match reference::validator_tactics(technique) {
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
