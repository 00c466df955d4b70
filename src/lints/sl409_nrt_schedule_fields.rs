//! SL409 nrt-schedule-fields: scheduling fields in an NRT rule.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::model::RuleType;
use crate::model::shape::SCHEDULE_KEYS;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, delete_lines};

pub static LINT: Lint = Lint {
    code: "SL409",
    name: "nrt-schedule-fields",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "An NRT rule has `queryFrequency`, `queryPeriod`, `triggerOperator` or `triggerThreshold`, which NRT rules ignore",
    docs: r#"## What it does
Reports scheduling fields in a rule of kind `NRT`.

## Why is this bad?
NRT rules run about once a minute over the events that arrived since the last run, and
alert on every result: these fields are ignored by the CI and removed by the packagers.
Their presence suggests the rule was meant to be Scheduled, or was converted from one.

## Example
```yaml
kind: NRT
queryFrequency: 5m
```

## Fix
Deletes the fields (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    if ctx.rule_type != RuleType::Nrt {
        return;
    }
    for key in SCHEDULE_KEYS {
        let Some(entry) = ctx.entry(key) else {
            continue;
        };
        let mut d = LINT
            .diagnostic(entry.key_span, format!("NRT rules ignore `{key}`"))
            .with_pointer(format!("/{key}"))
            .with_help(
                "remove it, or make the rule `kind: Scheduled` if it should run on a schedule",
            );
        if let Some(edit) = delete_lines(
            ctx,
            entry.key_span.start,
            entry.value.span.end.max(entry.key_span.end),
        ) {
            d = d.with_fix(Fix::safe(format!("Remove `{key}`"), vec![edit]));
        }
        sink.push(d);
    }
}
