//! SL203 invalid-kind: a `kind` that is neither Scheduled nor NRT.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::model::RuleType;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, did_you_mean, replace_scalar};

pub static LINT: Lint = Lint {
    code: "SL203",
    name: "invalid-kind",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "`kind` is neither `Scheduled` nor `NRT`",
    docs: r#"## What it does
Reports a `kind` that is not an analytics-rule kind sentinel-lint knows. Analytics rules
are `Scheduled` or `NRT`; hunting queries have no `kind` at all.

## Why is this bad?
The Azure-Sentinel CI fails with "The provided kind '...' was not recognized as a valid
template kind", and nothing can deploy the rule. sentinel-lint checks such a file as a
Scheduled rule if it has scheduling fields (`queryFrequency`, ...), as an NRT rule if it
has a `severity`, else as a hunting query.

## Example
```yaml
kind: Schedule
```
Use instead:
```yaml
kind: Scheduled
```

## Fix
When the kind is a misspelling of `Scheduled` or `NRT`, the fix corrects it (unsafe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(kind) = ctx.get("kind") else {
        return;
    };
    let Some(written) = kind.as_str() else {
        sink.push(
            LINT.diagnostic(
                kind.span,
                format!(
                    "`kind` must be `Scheduled` or `NRT`, not {}",
                    kind.type_name()
                ),
            )
            .with_pointer("/kind"),
        );
        return;
    };
    if written.eq_ignore_ascii_case("Scheduled") || written.eq_ignore_ascii_case("NRT") {
        return; // exact, or a matter of case (enum-case)
    }
    let checked_as = match ctx.rule_type {
        RuleType::Scheduled => "as a Scheduled rule",
        RuleType::Nrt => "as an NRT rule",
        RuleType::Hunting => "as a hunting query",
    };
    let mut d = LINT
        .diagnostic(
            kind.span,
            format!("unknown kind `{written}`; analytics rules are `Scheduled` or `NRT`"),
        )
        .with_pointer("/kind");
    match did_you_mean(written, RuleType::KINDS) {
        Some(m) => {
            d = d.with_help(format!("did you mean `{m}`?"));
            if let Some(edit) = replace_scalar(ctx, kind, m) {
                d = d.with_fix(Fix::unsafe_(
                    format!("Change the kind to `{m}`"),
                    vec![edit],
                ));
            }
        }
        None => {
            d = d.with_help(format!(
                "hunting queries have no `kind`; the file is checked {checked_as}"
            ));
        }
    }
    sink.push(d);
}
