//! SL306 missing-tactics: an analytics rule without MITRE ATT&CK tactics.

use crate::diagnostics::Severity;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, entry_span};

pub static LINT: Lint = Lint {
    code: "SL306",
    name: "missing-tactics",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "An analytics rule lists no MITRE ATT&CK tactics",
    docs: r#"## What it does
Reports an analytics rule (Scheduled or NRT) with no `tactics`, or with `tactics: []`.

## Why is this bad?
Sentinel's MITRE ATT&CK coverage view and incident triage rely on the tactics of a rule;
reviewers of the Azure-Sentinel repository ask for them (PR #3345, #13523). Hunting
queries may omit them.

## Example
```yaml
tactics: []
```
Use instead:
```yaml
tactics:
  - CredentialAccess
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    if ctx.is_hunting() {
        return;
    }
    let span = match ctx.get("tactics") {
        None => ctx
            .root
            .entry("kind")
            .or_else(|| ctx.root.entry("name"))
            .map(|e| e.key_span),
        Some(node) if node.as_seq().is_some_and(<[_]>::is_empty) => entry_span(ctx, "tactics"),
        Some(_) => None, // listed, or reported by another lint
    };
    if let Some(span) = span {
        sink.push(
            LINT.diagnostic(span, "the rule lists no MITRE ATT&CK tactics")
                .with_help("add the tactics the detected behaviour belongs to, e.g. `tactics: [CredentialAccess]`"),
        );
    }
}
