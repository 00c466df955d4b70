//! SL104 duplicate-key: the same key twice in one mapping.

use std::collections::HashMap;

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};
use crate::yaml::{Node, Value};

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL104",
    name: "duplicate-key",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "A mapping has the same key twice",
    docs: r#"## What it does
Reports a key that appears twice in the same mapping.

## Why is this bad?
YAML requires unique keys. Parsers disagree on what to do: PyYAML silently keeps the last
value, YamlDotNet (the Azure-Sentinel CI) and ruamel.yaml refuse the file. Either way one of
the two values is lost, usually after a merge conflict was resolved by hand.

## Example
```yaml
severity: Medium
severity: High
```

## Fix
Deletes the earlier entry, keeping the value PyYAML and sentinel-lint read (unsafe: check
which value you meant).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    for doc in &ctx.parsed.documents {
        visit(ctx, doc, sink);
    }
}

fn visit(ctx: &FileContext<'_>, node: &Node, sink: &mut Sink) {
    match &node.value {
        Value::Map(entries) => {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (i, entry) in entries.iter().enumerate() {
                if let Some(&first) = seen.get(entry.key.as_str()) {
                    let earlier = &entries[first];
                    let (line, _) = ctx.lines.line_col(ctx.text, earlier.key_span.start);
                    let mut d = LINT
                        .diagnostic(
                            entry.key_span,
                            format!(
                                "duplicate key `{}`; the value at line {line} is overwritten by this one",
                                entry.key
                            ),
                        )
                        .with_label(earlier.key_span, "first defined here")
                        .with_help("keep one of the two entries");
                    // Delete the earlier entry when it occupies whole lines of its own.
                    let start = ctx.full_line_span(earlier.key_span.start).start;
                    let end = ctx
                        .full_line_span(earlier.value.span.end.max(earlier.key_span.end))
                        .end;
                    let next_key_line = ctx.full_line_span(entries[first + 1].key_span.start).start;
                    if ctx.text[start..earlier.key_span.start].trim().is_empty()
                        && end <= next_key_line
                    {
                        d = d.with_fix(Fix::unsafe_(
                            format!("Delete the earlier `{}`", entry.key),
                            vec![Edit::delete(Span::new(start, end))],
                        ));
                    }
                    sink.push(d);
                } else {
                    seen.insert(&entry.key, i);
                }
                visit(ctx, &entry.value, sink);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| visit(ctx, n, sink)),
        _ => {}
    }
}
