//! SL403 duration-range: a duration outside the range the service allows.

use crate::diagnostics::Severity;
use crate::model::duration::describe;
use crate::model::limits::*;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, describe_pointer, durations};

pub static LINT: Lint = Lint {
    code: "SL403",
    name: "duration-range",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A duration is outside its allowed range (5 minutes to 14 days for the schedule)",
    docs: r#"## What it does
Checks the ranges the Sentinel service allows: `queryFrequency` and `queryPeriod` 5 minutes
to 14 days, `suppressionDuration` up to 24 hours, `lookbackDuration` of incident grouping 5
minutes to 7 days.

## Why is this bad?
The Azure-Sentinel CI fails ("The field QueryFrequency must be between PT5M and P14D.")
and the service refuses the rule.

## Example
```yaml
queryFrequency: 1m
queryPeriod: 30d
```
For one-minute latency use an NRT rule; for lookbacks beyond 14 days use a summary table
or a watchlist.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (field, node, duration) in durations(ctx) {
        let (min, max) = match field.pointer {
            "/suppressionDuration" => (1, SUPPRESSION_MAX_MINUTES),
            "/incidentConfiguration/groupingConfiguration/lookbackDuration" => {
                (GROUPING_LOOKBACK_MIN_MINUTES, GROUPING_LOOKBACK_MAX_MINUTES)
            }
            _ => (SCHEDULE_MIN_MINUTES, SCHEDULE_MAX_MINUTES),
        };
        if (min * 60..=max * 60).contains(&duration.seconds) {
            continue;
        }
        let severity = if field.checked_by_ci {
            ctx.severity_for(&LINT)
        } else {
            LINT.severity
        };
        sink.push(
            LINT.diagnostic(
                node.span,
                format!(
                    "`{}` is {}; it must be between {} and {}",
                    describe_pointer(field.pointer),
                    describe(duration.seconds),
                    describe(min * 60),
                    describe(max * 60)
                ),
            )
            .with_severity(severity),
        );
    }
}
