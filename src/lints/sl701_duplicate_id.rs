//! SL701 duplicate-id: two rule files with the same `id`.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Severity};

use super::{Check, FixAvailability, Lint, PackContext};

pub static LINT: Lint = Lint {
    code: "SL701",
    name: "duplicate-id",
    severity: Severity::Error,
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
    let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, entry) in pack.entries.iter().enumerate() {
        if let Some((id, _)) = &entry.id
            && !id.is_empty()
        {
            by_id.entry(id.to_ascii_lowercase()).or_default().push(i);
        }
    }
    let mut groups: Vec<&Vec<usize>> = by_id.values().filter(|files| files.len() > 1).collect();
    groups.sort();
    for files in groups {
        for &i in files {
            let (id, span) = pack.entries[i].id.clone().unwrap_or_default();
            let others: Vec<&str> = files
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| pack.entries[j].path.as_str())
                .collect();
            out.push((
                i,
                LINT.diagnostic(span, format!("id `{id}` is also used by {}", others.join(", ")))
                    .with_help("every rule needs its own GUID; give the copy a new one"),
            ));
        }
    }
}
