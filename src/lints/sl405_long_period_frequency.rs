//! SL405 long-period-frequency: a lookback of 2 days or more run more than hourly.

use crate::diagnostics::Severity;
use crate::model::duration::describe;
use crate::model::limits::{LONG_PERIOD_MIN_FREQUENCY_MINUTES, LONG_PERIOD_MINUTES};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, schedule};

pub static LINT: Lint = Lint {
    code: "SL405",
    name: "long-period-frequency",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "A `queryPeriod` of 2 days or more with a `queryFrequency` under 1 hour",
    docs: r#"## What it does
Checks the service rule that a query looking back 2 days or more runs at most hourly.

## Why is this bad?
The Sentinel service refuses such rules, and the Azure-Sentinel CI fails ("When
'queryPeriod' greater than or equal to 2 days, the 'queryFrequency' should be greater than
or equal to 1 hour.").

## Example
```yaml
queryFrequency: 15m
queryPeriod: 7d
```
Use instead:
```yaml
queryFrequency: 1h
queryPeriod: 7d
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(((frequency, f), (period, p))) = schedule(ctx) else {
        return;
    };
    if p.seconds >= LONG_PERIOD_MINUTES * 60 && f.seconds < LONG_PERIOD_MIN_FREQUENCY_MINUTES * 60 {
        sink.push(
            LINT.diagnostic(
                frequency.span,
                format!(
                    "`queryFrequency` is {} with a `queryPeriod` of {}; a lookback of 2 days or more may run at most hourly",
                    describe(f.seconds),
                    describe(p.seconds)
                ),
            )
            .with_label(period.span, "this lookback is 2 days or more")
            .with_help("set `queryFrequency` to at least `1h`, or shorten `queryPeriod`"),
        );
    }
}
