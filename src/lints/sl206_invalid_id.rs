//! SL206 invalid-id: the rule's `id` is not a GUID.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::Edit;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, replace_scalar};
use crate::model::fields::{self, FieldKind, Repair, Repaired, Written};

pub static LINT: Lint = Lint {
    code: "SL206",
    name: "invalid-id",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`id` is not a GUID in the form 8-4-4-4-12",
    docs: r#"## What it does
Checks that `id` is a GUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits).
Other spellings .NET also reads (braces, no hyphens) are a warning; the all-zero GUID is a
warning (a placeholder).

## Why is this bad?
The id is the rule's identity: the Azure-Sentinel CI parses it as a GUID, ARM templates use
it as the resource name, and Sentinel updates a deployed rule by it. A made-up id such as
`a1b2c3d4-0011-4a5b-8c9d-dns011certutil` fails all of them.

## Example
```yaml
id: f090f8f4a-b986-42d2-b536-e0795c723e25
```
(the first group has 9 hex digits)

## Fix
A GUID in another spelling is rewritten in the canonical form (safe). An id that is not a
GUID is replaced with a new one (unsafe: if the rule was ever deployed under the old id,
Sentinel will see a new rule).
"#,
    fix: FixAvailability::Always(Applicability::Unsafe),
    check: Check::Rule(check),
};

fn describe_groups(id: &str) -> Option<String> {
    let groups: Vec<&str> = id.split('-').collect();
    let expected = [8, 4, 4, 4, 12];
    if groups.len() != 5 {
        return Some(format!(
            "it has {} groups separated by `-`; a GUID has 5 (8-4-4-4-12 hex digits)",
            groups.len()
        ));
    }
    for (i, (g, n)) in groups.iter().zip(expected).enumerate() {
        if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Some(format!(
                "group {} contains `{c}`, which is not a hex digit (0-9, a-f)",
                i + 1
            ));
        }
        if g.len() != n {
            return Some(format!(
                "group {} has {} hex digits instead of {n}",
                i + 1,
                g.len()
            ));
        }
    }
    None
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = ctx.get("id") else {
        return; // missing-field
    };
    let Some(id) = node.as_str() else {
        if !node.is_null() {
            sink.push(
                LINT.diagnostic(
                    node.span,
                    format!("`id` must be a GUID, not {}", node.type_name()),
                )
                .with_pointer("/id"),
            );
        }
        return;
    };
    let trimmed = id.trim();
    let repair = fields::repair(FieldKind::Id, Written::Text(id));
    let fix = |repair: Option<Repair>, safe: bool| {
        let Repaired::Text(new_id) = repair?.value else {
            return None;
        };
        let edit = replace_scalar(ctx, node, &new_id)
            .unwrap_or_else(|| Edit::replace(node.span, new_id.clone()));
        Some(if safe {
            Fix::safe(format!("Write `{new_id}`"), vec![edit])
        } else {
            Fix::unsafe_("Replace with a new GUID", vec![edit])
        })
    };
    match uuid::Uuid::parse_str(trimmed) {
        Ok(uuid) if uuid.is_nil() => sink.push(
            LINT.diagnostic(node.span, "`id` is the all-zero GUID, a placeholder")
                .with_severity(Severity::Warning)
                .with_pointer("/id")
                .with_help("give the rule its own GUID (e.g. from `uuidgen`)"),
        ),
        Ok(_) => {
            if let Some(fix) = fix(repair, true) {
                sink.push(
                    LINT.diagnostic(
                        node.span,
                        format!("`{id}` is a GUID, but not written in the usual 8-4-4-4-12 form"),
                    )
                    .with_severity(Severity::Warning)
                    .with_pointer("/id")
                    .with_fix(fix),
                );
            }
        }
        Err(_) => {
            let why = describe_groups(trimmed)
                .unwrap_or_else(|| "it is not 32 hex digits in groups of 8-4-4-4-12".into());
            let mut d = LINT
                .diagnostic(node.span, format!("`{id}` is not a GUID: {why}"))
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer("/id")
                .with_help("every rule needs its own GUID; generate one (e.g. `uuidgen`) and never change it afterwards");
            if let Some(fix) = fix(repair, false) {
                d = d.with_fix(fix);
            }
            sink.push(d);
        }
    }
}
