//! SL201 foreign-format: Sentinel content in a format other than rule YAML.

use crate::diagnostics::Severity;

use crate::model::shape::{ForeignFormat, Shape};
use crate::text::Span;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL201",
    name: "foreign-format",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file holds Sentinel content in another format than Azure-Sentinel rule YAML",
    docs: r#"## What it does
Recognises three look-alikes of rule files and reports each with one finding instead of a
wall of schema errors:
- the PascalCase export of the AzSentinel PowerShell module (`DisplayName`, `Query`,
  `QueryFrequency: PT5H`, `TriggerOperator: GreaterThan`);
- an ARM deployment template written as YAML (`$schema`, `resources`);
- several rules bundled in one file under a `rules:` list.

## Why is this bad?
None of these is the rule format the Azure-Sentinel repository, its CI, the Solutions
packager and Sentinel Repositories read. They are not checked further.

## Example
```yaml
DisplayName: AppServices AV Scan Failure
Query: |
  AppServiceAntivirusScanAuditLogs
QueryFrequency: PT5H
```
Use instead:
```yaml
name: AppServices AV Scan Failure
query: |
  AppServiceAntivirusScanAuditLogs
queryFrequency: 5h
```
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let Shape::Foreign(format) = ctx.shape else {
        return;
    };
    let Some(root) = ctx.root() else {
        return;
    };
    let first_key = |keys: &[&str]| -> Span {
        root.as_map()
            .and_then(|m| m.iter().find(|e| keys.contains(&e.key.as_str())))
            .map_or(Span::empty(0), |e| e.key_span)
    };
    let d = match format {
        ForeignFormat::PascalCaseExport => LINT
            .diagnostic(
                first_key(&["DisplayName", "Query", "QueryFrequency", "Id", "Severity", "Tactics"]),
                "this is the PascalCase export format of the AzSentinel PowerShell module, not Azure-Sentinel rule YAML",
            )
            .with_help(
                "rule YAML uses camelCase keys (`name`, `query`, `queryFrequency`), durations such as `5h` instead of `PT5H`, and `triggerOperator: gt`; this file is not checked further",
            ),
        ForeignFormat::ArmTemplate => LINT
            .diagnostic(
                first_key(&["$schema", "resources"]),
                "this is an ARM deployment template written as YAML, not rule YAML",
            )
            .with_help(
                "rule YAML has the rule's fields at the top level (`id`, `name`, `query`, ...); save the template as JSON and run `sentinel-lint convert --to yaml` on it",
            ),
        ForeignFormat::Bundle => LINT
            .diagnostic(
                first_key(&["rules"]),
                "this file bundles several rules under `rules:`; rule files hold one rule each",
            )
            .with_help("split the bundle into one file per rule; it is not checked further"),
    };
    sink.push(d);
}
