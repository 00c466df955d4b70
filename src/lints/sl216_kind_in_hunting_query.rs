//! SL216 kind-in-hunting-query: a hunting query (by its folder) that carries a `kind`.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::model::shape::in_hunting_folder;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, delete_lines};

pub static LINT: Lint = Lint {
    code: "SL216",
    name: "kind-in-hunting-query",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A file under `Hunting Queries` without a schedule carries a `kind`",
    docs: r#"## What it does
Reports `kind` in a file under a `Hunting Queries` folder that has nothing else of an
analytics rule: no `queryFrequency`, `queryPeriod`, `triggerOperator` or
`triggerThreshold` (for `kind: NRT`, no `severity`). The folder and the content say it is a
hunting query, and it is checked and converted as one; the stray `kind` is the one
finding.

## Why is this bad?
Hunting queries have no `kind`. Tools that go by `kind` take the file for an analytics
rule without a schedule and reject it or drop it.

## Example
```yaml
# Hunting Queries/SigninLogs/RareCountries.yaml
name: Rare sign-in countries
kind: Scheduled
query: |
  SigninLogs | summarize count() by Location
```
Use instead: remove the `kind` line.
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    if !ctx.is_hunting() || !in_hunting_folder(ctx.file.path) {
        return;
    }
    let Some(entry) = ctx.entry("kind") else {
        return;
    };
    let written = entry.value.as_str().unwrap_or("?");
    let mut d = LINT
        .diagnostic(
            entry.key_span.cover(entry.value.span),
            format!(
                "`kind: {written}` in a hunting query: this file is under `Hunting Queries` and has no schedule"
            ),
        )
        .with_pointer("/kind")
        .with_help("hunting queries have no `kind`; remove it (or move the file and add a schedule if it is an analytics rule)");
    if let Some(edit) = delete_lines(ctx, entry.key_span.start, entry.value.span.end) {
        d = d.with_fix(Fix::unsafe_("Remove the `kind` line", vec![edit]));
    }
    sink.push(d);
}
