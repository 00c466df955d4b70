//! SL301 scalar-list: a single value where a list is expected (`tactics: Impact`).

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::fields::{self, FieldKind, Repaired};

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, as_block_list, describe_pointer, nodes_at,
    written,
};

pub static LINT: Lint = Lint {
    code: "SL301",
    name: "scalar-list",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`tactics`, `relevantTechniques` or `dataTypes` is a single value instead of a list",
    docs: r#"## What it does
Reports `tactics`, `relevantTechniques` and `requiredDataConnectors[].dataTypes` written
as a single value (or a comma-separated string) instead of a list. For hunting queries,
which the Azure-Sentinel CI does not check, the finding is a warning.

## Why is this bad?
The Azure-Sentinel CI cannot convert a string into a list and fails, and converters that
expect a list treat the string as a list of characters or drop it. The 171 Remote
Management and Monitoring queries all have `tactics: CommandAndControl`.

## Example
```yaml
tactics: CommandAndControl
relevantTechniques: T1219
```
Use instead:
```yaml
tactics:
  - CommandAndControl
relevantTechniques:
  - T1219
```

## Fix
Rewrites the value as a block list, one item per comma-separated part (safe).
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let lists = fields::fields(ctx.rule_type).filter(|f| f.kind == FieldKind::List);
    for field in lists {
        let (parent_pattern, key) = field
            .pattern
            .rsplit_once('/')
            .unwrap_or(("", field.pattern));
        for (parent_pointer, parent) in nodes_at(ctx.root, parent_pattern) {
            let Some(entry) = parent.entry(key) else {
                continue;
            };
            let Some(repair) = fields::repair(field.kind, written(ctx, &entry.value)) else {
                continue;
            };
            let Repaired::List(items) = &repair.value else {
                continue;
            };
            let pointer = format!("{parent_pointer}/{key}");
            let mut d = LINT
                .diagnostic(
                    entry.value.span,
                    format!(
                        "`{}` is a single value; it must be a list",
                        describe_pointer(&pointer)
                    ),
                )
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer(pointer.clone())
                .with_help(format!(
                    "write each {} on its own line, starting with `- `",
                    if key == "dataTypes" { "table" } else { "value" }
                ));
            if let Some(edit) = as_block_list(ctx, entry, items) {
                d = d.with_fix(Fix::safe("Write the value as a list", vec![edit]));
            }
            sink.push(d);
        }
    }
}
