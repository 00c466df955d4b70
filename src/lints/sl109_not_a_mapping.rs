//! SL109 not-a-mapping: the file is a YAML scalar or list, not a rule.

use crate::diagnostics::Severity;
use crate::model::shape::Shape;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL109",
    name: "not-a-mapping",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file is not a YAML mapping of keys to values",
    docs: r#"## What it does
Reports a file whose YAML is a plain value or a list instead of a mapping (`id: ...`,
`name: ...`, `query: ...`).

## Why is this bad?
No tool can read it as a rule. In real repositories these are usually bare KQL queries
saved with a `.yaml` extension.

## Example
```yaml
SecurityEvent
| where EventID == 4625
```
Use instead:
```yaml
id: 9f3e5b0c-7a4e-4d3f-9c8b-1e2d3c4b5a69
name: Failed logons
description: Failed logons.
query: |
  SecurityEvent
  | where EventID == 4625
```
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if *ctx.shape != Shape::NotAMapping {
        return;
    }
    let Some(doc) = ctx.parsed.documents.first() else {
        return;
    };
    let looks_like_kql = doc.as_str().is_some_and(|s| {
        s.contains('|') || s.starts_with("//") || s.starts_with("let ") || s.contains(" where ")
    });
    let message = if looks_like_kql {
        "the file holds a bare KQL query, not a rule".to_owned()
    } else {
        format!(
            "the file holds {}, not a mapping of rule keys",
            doc.type_name()
        )
    };
    let span = ctx.line_span(doc.span.start);
    sink.push(
        LINT.diagnostic(span, message)
            .with_help("a rule file is a mapping with at least `id`, `name` and `query` (the KQL goes under `query: |`)"),
    );
}
