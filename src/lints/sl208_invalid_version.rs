//! SL208 invalid-version: `version` is not `X.Y.Z`.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::fields::{self, FieldKind, Repair, Repaired};
use crate::model::limits::VERSION_MAX;
use crate::text::Edit;
use crate::yaml::Value;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, written};

pub static LINT: Lint = Lint {
    code: "SL208",
    name: "invalid-version",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`version` is not three numbers `X.Y.Z`",
    docs: r#"## What it does
Checks that `version` is three whole numbers separated by dots (`1.0.0`), at most 20
characters, written as a string.

## Why is this bad?
The Azure-Sentinel CI fails ("'templateVersion' should be in format X.Y.Z (all numbers)"),
and the packagers copy the value into ARM as `templateVersion`. `version: 1.0` is read by
YAML as the *number* 1.0.

## Example
```yaml
version: 1.0
```
Use instead:
```yaml
version: 1.0.0
```

## Fix
A number (`1`, `1.0`) is completed to three parts (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = ctx.get("version") else {
        return;
    };
    let source = ctx.slice(node.span).trim().to_owned();
    let severity = ctx.severity_for(&LINT);
    let d = match &node.value {
        Value::Str(s) if is_version(s) && s.len() <= VERSION_MAX => return,
        Value::Str(s) if is_version(s) => LINT.diagnostic(
            node.span,
            format!("`version` is {} characters long; at most {VERSION_MAX} are allowed", s.len()),
        ),
        Value::Str(s) => LINT
            .diagnostic(node.span, format!("`{s}` is not a version of the form X.Y.Z (three numbers)"))
            .with_help("use three whole numbers separated by dots, e.g. `1.0.0`, and raise it with every change"),
        Value::Int(_) | Value::Float(_) => {
            let d = LINT.diagnostic(node.span, format!("`version: {source}` is read as a number, not a version X.Y.Z"));
            match fields::repair(FieldKind::Version, written(ctx, node)) {
                Some(Repair { value: Repaired::Text(version), .. }) => d
                    .with_help(format!("write `version: {version}`"))
                    .with_fix(Fix::safe(format!("Write `{version}`"), vec![Edit::replace(node.span, version)])),
                _ => d.with_help("use three whole numbers separated by dots, e.g. `1.0.0`"),
            }
        }
        Value::Null => return, // empty-value
        _ => LINT.diagnostic(node.span, format!("`version` must be a string X.Y.Z, not {}", node.type_name())),
    };
    sink.push(d.with_severity(severity).with_pointer("/version"));
}
