//! SL703 duplicate-file-name: two rule files with the same file name.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Severity, Span};

use super::{Check, FixAvailability, Lint, PackContext};

pub static LINT: Lint = Lint {
    code: "SL703",
    name: "duplicate-file-name",
    severity: Severity::Warning,
    summary: "Two rule files in different folders have the same file name",
    docs: r#"## What it does
Reports rule files whose file name (without folder, ignoring case) another checked rule
file also has.

## Why is this bad?
The Azure-Sentinel CI looks detections up by file name and throws ("Should not have 2
templates with the same name"), and ARM templates converted from them collide in one
output folder.
"#,
    fix: FixAvailability::None,
    check: Check::Pack(check),
};

fn check(pack: &PackContext<'_>, out: &mut Vec<(usize, Diagnostic)>) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, entry) in pack.entries.iter().enumerate() {
        if entry.rule_type.is_none() {
            continue;
        }
        let name = std::path::Path::new(&entry.path)
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        by_name.entry(name).or_default().push(i);
    }
    let mut groups: Vec<&Vec<usize>> = by_name.values().filter(|f| f.len() > 1).collect();
    groups.sort();
    for files in groups {
        for &i in files {
            let others: Vec<&str> = files
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| pack.entries[j].path.as_str())
                .collect();
            out.push((
                i,
                LINT.diagnostic(Span::empty(0), format!("another rule file has the same name: {}", others.join(", ")))
                    .with_help("give rule files unique names"),
            ));
        }
    }
}
