//! SL205 enum-case: a value right except for its upper/lower case.

use crate::diagnostics::{Applicability, Fix, Severity};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, allowed, nodes_at, replace_scalar};

pub static LINT: Lint = Lint {
    code: "SL205",
    name: "enum-case",
    severity: Severity::Warning,
    summary: "A value from a fixed set is written in the wrong case (`kind: scheduled`, `severity: high`)",
    docs: r#"## What it does
Reports values of `kind`, `severity`, `tactics`, `status`, entity types, `aggregationKind`,
`matchingMethod`, `groupByEntities`, `groupByAlertDetails` and `alertProperty` that match an
allowed value except for upper/lower case.

## Why is this bad?
The Azure-Sentinel CI reads these case-insensitively, so the rule passes there, but the
Solutions packager copies the value verbatim into ARM, other tools compare exactly, and
the content is inconsistent.

## Example
```yaml
kind: scheduled
severity: high
```
Use instead:
```yaml
kind: Scheduled
severity: High
```

## Fix
Writes the value in its canonical case (safe).
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::Rule(check),
};

/// Where such values are, and the model enum that lists them.
const LOCATIONS: [(&str, &str); 10] = [
    ("/kind", "kind"),
    ("/severity", "Severity"),
    ("/tactics/*", "Tactic"),
    ("/status", "TemplateStatus"),
    ("/entityMappings/*/entityType", "EntityType"),
    ("/eventGroupingSettings/aggregationKind", "AggregationKind"),
    ("/incidentConfiguration/groupingConfiguration/matchingMethod", "MatchingMethod"),
    ("/incidentConfiguration/groupingConfiguration/groupByEntities/*", "EntityType"),
    ("/incidentConfiguration/groupingConfiguration/groupByAlertDetails/*", "AlertDetail"),
    ("/alertDetailsOverride/alertDynamicProperties/*/alertProperty", "AlertProperty"),
];

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (pattern, definition) in LOCATIONS {
        for (pointer, node) in nodes_at(ctx.root, pattern) {
            let Some(value) = node.as_str() else {
                continue;
            };
            let canonical = if definition == "kind" {
                ["Scheduled", "NRT"].into_iter().find(|k| k.eq_ignore_ascii_case(value))
            } else {
                allowed(definition).find(|k| k.eq_ignore_ascii_case(value))
            };
            let Some(canonical) = canonical.filter(|c| *c != value) else {
                continue;
            };
            let mut d = LINT
                .diagnostic(node.span, format!("`{value}` is written `{canonical}`"))
                .with_pointer(pointer);
            if let Some(edit) = replace_scalar(ctx, node, canonical) {
                d = d.with_fix(Fix::safe(format!("Write `{canonical}`"), vec![edit]));
            }
            sink.push(d);
        }
    }
}
