//! SL404 period-shorter-than-frequency: `queryPeriod` shorter than `queryFrequency`.

use crate::diagnostics::Severity;
use crate::model::duration::describe;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, schedule};

pub static LINT: Lint = Lint {
    code: "SL404",
    name: "period-shorter-than-frequency",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "`queryPeriod` is shorter than `queryFrequency`, so events between runs are never looked at",
    docs: r#"## What it does
Checks that a Scheduled rule looks back at least as far as the time between two runs:
`queryPeriod` >= `queryFrequency`.

## Why is this bad?
Events that arrive between the end of one lookback window and the next run are never
queried: the rule has blind spots. The Azure-Sentinel CI fails ("'queryPeriod' should be
greater than or equal to 'queryFrequency'").

## Example
```yaml
queryFrequency: 1d
queryPeriod: 1h
```
Use instead:
```yaml
queryFrequency: 1h
queryPeriod: 1h
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(((frequency, f), (period, p))) = schedule(ctx) else {
        return;
    };
    if p.seconds < f.seconds {
        sink.push(
            LINT.diagnostic(
                period.span,
                format!(
                    "`queryPeriod` ({}) is shorter than `queryFrequency` ({}): events between runs are never queried",
                    describe(p.seconds),
                    describe(f.seconds)
                ),
            )
            .with_label(frequency.span, "the query runs this often")
            .with_help("make `queryPeriod` at least as long as `queryFrequency`"),
        );
    }
}
