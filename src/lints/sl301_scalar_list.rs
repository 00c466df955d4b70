//! SL301 scalar-list: a single value where a list is expected (`tactics: Impact`).

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};
use crate::yaml::{Entry, Value};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, describe_pointer, needs_quotes, nodes_at};

pub static LINT: Lint = Lint {
    code: "SL301",
    name: "scalar-list",
    severity: Severity::Error,
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

const LOCATIONS: [&str; 3] = ["/tactics", "/relevantTechniques", "/requiredDataConnectors/*/dataTypes"];

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for pattern in LOCATIONS {
        let (parent_pattern, key) = pattern.rsplit_once('/').unwrap_or(("", pattern));
        for (parent_pointer, parent) in nodes_at(ctx.root, if parent_pattern.is_empty() { "" } else { parent_pattern }) {
            let Some(entry) = parent.entry(key) else {
                continue;
            };
            let Value::Str(value) = &entry.value.value else {
                continue;
            };
            let pointer = format!("{parent_pointer}/{key}");
            let parts: Vec<&str> = value.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
            let mut d = LINT
                .diagnostic(
                    entry.value.span,
                    format!("`{}` is a single value; it must be a list", describe_pointer(&pointer)),
                )
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer(pointer.clone())
                .with_help(format!("write each {} on its own line, starting with `- `", if key == "dataTypes" { "table" } else { "value" }));
            if let Some(edit) = as_block_list(ctx, entry, &parts) {
                d = d.with_fix(Fix::safe("Write the value as a list", vec![edit]));
            }
            sink.push(d);
        }
    }
}

fn as_block_list(ctx: &RuleContext<'_>, entry: &Entry, parts: &[&str]) -> Option<Edit> {
    if parts.is_empty() || ctx.slice(entry.value.span).contains('\n') {
        return None;
    }
    let text = ctx.text();
    // From just after the colon to the end of the value.
    let after_key = &text[entry.key_span.end..entry.value.span.start];
    let colon = entry.key_span.end + after_key.find(':')? + 1;
    let line_start = ctx.file.line_span(entry.key_span.start).start;
    let indent = &text[line_start..entry.key_span.start];
    if !indent.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    // A key that is the first of a list item (`- dataTypes: x`) is indented past the dash.
    let indent = " ".repeat(indent.len());
    let mut list = String::new();
    for part in parts {
        let item = if needs_quotes(part) { format!("'{}'", part.replace('\'', "''")) } else { (*part).to_owned() };
        list.push_str(&format!("\n{indent}  - {item}"));
    }
    Some(Edit::replace(Span::new(colon, entry.value.span.end), list))
}
