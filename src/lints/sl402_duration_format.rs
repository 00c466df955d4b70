//! SL402 duration-format: a duration written as ISO 8601 or .NET TimeSpan.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::duration::{DurationForm, describe};
use crate::model::fields::{self, FieldKind, Repaired};

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, describe_pointer, durations, repair_edit,
    written,
};

pub static LINT: Lint = Lint {
    code: "SL402",
    name: "duration-format",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A duration is written as ISO 8601 (`PT1H`) or .NET TimeSpan (`01:00:00`) instead of `1h`",
    docs: r#"## What it does
Reports durations written in the ARM form (ISO 8601: `PT1H`, `P1D`) or the .NET form
(`01:00:00`, `1.00:00:00`, or a bare number, which means days) where rule YAML uses the
short form (`1h`, `1d`). ISO is fine for `lookbackDuration`, which the packagers copy into
ARM unchanged.

## Why is this bad?
ISO 8601 in `queryFrequency`/`queryPeriod` fails the Azure-Sentinel CI (an error here).
The .NET forms pass that CI but the Solutions packager turns them into invalid ARM
(`PT01:00:00`), and `queryPeriod: 5` silently means five *days* (a warning here).

## Example
```yaml
queryFrequency: PT1H
queryPeriod: P1D
```
Use instead:
```yaml
queryFrequency: 1h
queryPeriod: 1d
```

## Fix
Writes the duration in the short form (safe), when it is a whole number of minutes.
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (field, node, duration) in durations(ctx) {
        let (message, severity) = match duration.form {
            DurationForm::Short => continue,
            DurationForm::Iso if field.iso_ok => continue,
            DurationForm::Iso => (
                format!(
                    "`{}` is ISO 8601, the ARM form; rule YAML writes durations as `5m`, `1h` or `1d`",
                    ctx.slice(node.span).trim()
                ),
                if field.checked_by_ci {
                    ctx.severity_for(&LINT)
                } else {
                    Severity::Warning
                },
            ),
            DurationForm::TimeSpan => (
                format!(
                    "`{}` is a .NET TimeSpan ({}); rule YAML writes durations as `5m`, `1h` or `1d`",
                    ctx.slice(node.span).trim(),
                    describe(duration.seconds)
                ),
                Severity::Warning,
            ),
        };
        let mut d = LINT
            .diagnostic(node.span, message)
            .with_severity(severity)
            .with_pointer(field.pointer);
        let kind = FieldKind::Duration {
            iso_ok: field.iso_ok,
            checked_by_ci: field.checked_by_ci,
        };
        match fields::repair(kind, written(ctx, node)).map(|r| r.value) {
            Some(Repaired::Text(short)) => {
                let edit = repair_edit(ctx, node, &Repaired::Text(short.clone()));
                d = d.with_help(format!(
                    "write `{}: {short}`",
                    describe_pointer(field.pointer)
                        .rsplit('.')
                        .next()
                        .unwrap_or_default()
                ));
                if let Some(edit) = edit {
                    d = d.with_fix(Fix::safe(format!("Write `{short}`"), vec![edit]));
                }
            }
            _ => d = d.with_help("write a whole number of minutes, hours or days"),
        }
        sink.push(d);
    }
}
