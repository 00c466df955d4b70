//! SL607 time-filter-beyond-period: the query filters on time further back than
//! `queryPeriod`, so it silently sees less data than it asks for.

use crate::diagnostics::Severity;
use crate::kql::time::time_use;

use crate::model::duration::describe;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, schedule};

pub static LINT: Lint = Lint {
    code: "SL607",
    name: "time-filter-beyond-period",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The query filters on time further back than `queryPeriod` lets it read",
    docs: r#"## What it does
Finds the filters of a Scheduled rule's query on `TimeGenerated` (or `Timestamp`) with a
lower bound a literal time back from now — `ago(14d)`, `now(-14d)`, `now() - 14d`,
`startofday(ago(14d))`, `between (ago(14d) .. now())`, directly or through `let` — and
compares the furthest with `queryPeriod`.

## Why is this bad?
A scheduled rule only ever reads the last `queryPeriod` of data, whatever the query says:
with `queryPeriod: 1d`, `where TimeGenerated > ago(14d)` sees one day, and a baseline
built over "14 days" is built over one. Nothing warns at deployment or at run time.

## Example
```yaml
queryFrequency: 1h
queryPeriod: 1d
query: |
  let baseline = SigninLogs | where TimeGenerated > ago(14d) | summarize count() by IPAddress;
  SigninLogs
  | where TimeGenerated > ago(1h)
  | join kind=leftanti baseline on IPAddress
```
Use instead: `queryPeriod: 14d` (the longest Sentinel allows), or a shorter baseline.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((_, (period_node, period))) = schedule(ctx) else {
        return;
    };
    let Some((query, tree)) = ctx.query_tree() else {
        return;
    };
    let time = time_use(tree);
    let Some((filter, reach)) = time.furthest() else {
        return;
    };
    // (`startofday(ago(1d))` counts as one day: rounding down is not held against it.)
    if reach <= period.seconds as f64 {
        return;
    }
    let at = filter.bound.unwrap_or(filter.span);
    sink.push(
        LINT.diagnostic(
            query.file_span(at),
            format!(
                "this reads {} back, but `queryPeriod` is {}: the rule only ever sees the last {}",
                describe(reach.round() as u64),
                describe(period.seconds),
                describe(period.seconds),
            ),
        )
        .with_label(period_node.span, "the data the rule can read")
        .with_help(if reach <= 14.0 * 86_400.0 {
            format!(
                "set `queryPeriod` to {} or more, or filter less far back",
                describe(reach.round() as u64)
            )
        } else {
            "`queryPeriod` can be at most 14 days: filter less far back".to_owned()
        }),
    );
}
