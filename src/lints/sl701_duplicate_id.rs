//! SL701 duplicate-id: two rule files with the same `id`.

use crate::diagnostics::{Diagnostic, Severity};

use super::{Check, FixAvailability, Lint, PackContext, other_paths, pack_groups};

pub static LINT: Lint = Lint {
    code: "SL701",
    name: "duplicate-id",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "Two rule files of the run have the same `id`",
    docs: r#"## What it does
Reports every file whose `id` another checked file also has (ids compared ignoring case).

## Why is this bad?
Sentinel identifies a rule by its id: deploying both files makes one overwrite the other.
The Azure-Sentinel CI fails ("There should not be 2 templates with the same ID"). This
usually comes from copying a rule file to start a new one.

## Fix
Give the copy a new GUID (the original keeps its id).
"#,
    fix: FixAvailability::None,
    check: Check::Pack(check),
};

fn check(pack: &PackContext<'_>, out: &mut Vec<(usize, Diagnostic)>) {
    let groups = pack_groups(pack.entries, |entry| {
        entry
            .id
            .as_ref()
            .map(|(id, _)| id.to_ascii_lowercase())
            .filter(|id| !id.is_empty())
    });
    for group in groups {
        for &i in &group {
            let (id, span) = pack.entries[i].id.clone().unwrap_or_default();
            let others = other_paths(pack.entries, &group, i);
            out.push((
                i,
                LINT.diagnostic(span, format!("id `{id}` is also used by {others}"))
                    .with_help("every rule needs its own GUID; give the copy a new one"),
            ));
        }
    }
}
