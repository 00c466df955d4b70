//! SL511 event-grouping: an `aggregationKind` that is not SingleAlert or AlertPerResult.

use crate::diagnostics::{Applicability, Fix, Severity};

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, allowed, did_you_mean, replace_scalar,
};

pub static LINT: Lint = Lint {
    code: "SL511",
    name: "event-grouping",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`eventGroupingSettings.aggregationKind` is not SingleAlert or AlertPerResult",
    docs: r#"## What it does
Checks that `eventGroupingSettings.aggregationKind` is `SingleAlert` (one alert per run)
or `AlertPerResult` (one alert per result row). A missing `aggregationKind` is reported by
`missing-field`, a case slip by `enum-case`.

## Why is this bad?
The Azure-Sentinel CI cannot convert the value and the service refuses it.

## Example
```yaml
eventGroupingSettings:
  aggregationKind: AlertPerRow
```
Use instead:
```yaml
eventGroupingSettings:
  aggregationKind: AlertPerResult
```

## Fix
A close misspelling is corrected (unsafe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = ctx.root.pointer("/eventGroupingSettings/aggregationKind") else {
        return;
    };
    let Some(value) = node.as_str() else { return };
    let kinds: Vec<&str> = allowed("AggregationKind").collect();
    if kinds.iter().any(|k| k.eq_ignore_ascii_case(value)) {
        return;
    }
    let mut d = LINT
        .diagnostic(node.span, format!("`{value}` is not an aggregation kind"))
        .with_severity(ctx.severity_for(&LINT))
        .with_pointer("/eventGroupingSettings/aggregationKind");
    let guess = did_you_mean(value, kinds.iter().copied())
        .or_else(|| {
            value
                .to_ascii_lowercase()
                .contains("result")
                .then_some("AlertPerResult")
        })
        .or_else(|| {
            value
                .to_ascii_lowercase()
                .contains("row")
                .then_some("AlertPerResult")
        })
        .or_else(|| {
            value
                .to_ascii_lowercase()
                .contains("single")
                .then_some("SingleAlert")
        });
    match guess {
        Some(m) => {
            d = d.with_help(format!("did you mean `{m}`?"));
            if let Some(edit) = replace_scalar(ctx, node, m) {
                d = d.with_fix(Fix::unsafe_(format!("Write `{m}`"), vec![edit]));
            }
        }
        None => d = d.with_help("use `SingleAlert` or `AlertPerResult`"),
    }
    sink.push(d);
}
