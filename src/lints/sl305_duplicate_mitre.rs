//! SL305 duplicate-mitre: the same tactic or technique listed twice.

use std::collections::HashMap;

use crate::diagnostics::{Applicability, Fix, Severity};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, delete_lines, items};

pub static LINT: Lint = Lint {
    code: "SL305",
    name: "duplicate-mitre",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The same tactic or technique is listed twice",
    docs: r#"## What it does
Reports a value of `tactics` or `relevantTechniques` that appears more than once.

## Why is this bad?
It adds nothing, and converters that split techniques into `techniques` and
`subTechniques` then produce duplicates (SentinelARConverter issue #44).

## Example
```yaml
relevantTechniques:
  - T1078
  - T1078
```

## Fix
Deletes the repeated item's line (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for key in ["tactics", "relevantTechniques"] {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, item) in items(ctx.get(key)).iter().enumerate() {
            let Some(text) = item.as_str() else {
                continue;
            };
            let Some(&first) = seen.get(text) else {
                seen.insert(text, i);
                continue;
            };
            let earlier = &items(ctx.get(key))[first];
            let mut d = LINT
                .diagnostic(item.span, format!("`{text}` is already listed in `{key}`"))
                .with_label(earlier.span, "first listed here");
            if let Some(edit) = delete_lines(ctx, item.span.start, item.span.end) {
                d = d.with_fix(Fix::safe(
                    format!("Remove the repeated `{text}`"),
                    vec![edit],
                ));
            }
            sink.push(d);
        }
    }
}
