//! SL214 empty-value: a key written without a value.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::yaml::{Node, Value, pointer_push};

use super::{Check, FixAvailability, Lint, RuleContext, Sink, delete_lines, describe_pointer};

pub static LINT: Lint = Lint {
    code: "SL214",
    name: "empty-value",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A key has no value (YAML null)",
    docs: r#"## What it does
Reports keys written without a value (`tactics:` followed by nothing, often with a
comment), which YAML reads as null. For a required key this is an error; for an optional
key a warning.

## Why is this bad?
The Azure-Sentinel CI fails on a required key with no value ("expects a value but got
null"); for an optional key, converters disagree on whether null means "empty" or "not
there", and reviewers ask to remove such keys (PR #13523).

## Example
```yaml
tactics: # filled in later
relevantTechniques:
```

## Fix
Deletes the line of an optional key that has no value (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    visit(ctx, ctx.root, "", sink);
}

fn visit(ctx: &RuleContext<'_>, node: &Node, pointer: &str, sink: &mut Sink) {
    match &node.value {
        Value::Map(entries) => {
            let required = crate::model::schema::required_keys(ctx.rule_type);
            for entry in entries {
                let child = pointer_push(pointer, &entry.key);
                // An unknown key is reported by unknown-key, which says more.
                let known = crate::model::schema::known_keys().contains(&entry.key);
                if entry.value.is_null() && known {
                    let is_required = required.contains(&entry.key);
                    let what = describe_pointer(&child);
                    let mut d = LINT
                        .diagnostic(entry.key_span, format!("`{what}` has no value"))
                        .with_pointer(child.clone());
                    if is_required {
                        d = d
                            .with_severity(Severity::Error)
                            .with_help("this key is required; give it a value");
                    } else {
                        d = d.with_help("give it a value, or remove the key");
                        if let Some(edit) = delete_lines(
                            ctx,
                            entry.key_span.start,
                            entry.key_span.end.max(entry.value.span.end),
                        ) {
                            d = d
                                .with_fix(Fix::safe(format!("Remove `{}`", entry.key), vec![edit]));
                        }
                    }
                    sink.push(d);
                } else if !entry.value.is_null() {
                    visit(ctx, &entry.value, &child, sink);
                }
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(ctx, item, &format!("{pointer}/{i}"), sink);
            }
        }
        _ => {}
    }
}
