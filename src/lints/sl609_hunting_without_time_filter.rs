//! SL609 hunting-without-time-filter: a hunting query that does not bound the time it
//! reads.

use crate::diagnostics::Severity;
use crate::kql::time::time_use;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL609",
    name: "hunting-without-time-filter",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "A hunting query does not filter on time",
    docs: r#"## What it does
Reports a hunting query that neither compares `TimeGenerated` (or `Timestamp`) with a value
nor calls `ago()` or `now()` anywhere (a parser's time parameter counts).

## Why is this bad?
Analytics rules read `queryPeriod`; a hunting query reads whatever time range it is run
with. The Sentinel portal applies its time picker, but the same query run through the API,
a notebook, Defender's advanced hunting or another tool reads every day the workspace
keeps: slow, costly, and not what the query was written for.

## Example
```yaml
query: |
  SecurityEvent
  | where EventID == 4688 and CommandLine has "-enc"
```
Use instead:
```yaml
query: |
  SecurityEvent
  | where TimeGenerated > ago(7d)
  | where EventID == 4688 and CommandLine has "-enc"
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    if !ctx.is_hunting() {
        return;
    }
    let Some(query) = ctx.query else { return };
    // A query already reported as empty, fenced or cut short is not a query yet.
    if sink.covers("/query") {
        return;
    }
    let Some(tree) = query.tree() else { return };
    let time = time_use(tree);
    if !time.filters.is_empty() || time.calls_now || tree.statements.is_empty() {
        return;
    }
    let Some(entry) = ctx.entry("query") else {
        return;
    };
    sink.push(
        LINT.diagnostic(entry.key_span, "the query does not filter on time")
            .with_pointer("/query")
            .with_help("add `| where TimeGenerated > ago(7d)` (or the period it is meant for) after each table"),
    );
}
