//! SL703 duplicate-file-name: two rule files with the same file name.

use crate::diagnostics::{Diagnostic, Severity};

use crate::text::Span;

use super::{Check, FixAvailability, Lint, PackContext, other_paths, pack_groups};

pub static LINT: Lint = Lint {
    code: "SL703",
    name: "duplicate-file-name",
    severity: Severity::Warning,
    hunting_severity: None,
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
    let groups = pack_groups(pack.entries, |entry| {
        entry.rule_type?;
        let name = std::path::Path::new(&entry.path).file_name()?;
        Some(name.to_string_lossy().to_ascii_lowercase())
    });
    for group in groups {
        for &i in &group {
            let others = other_paths(pack.entries, &group, i);
            out.push((
                i,
                LINT.diagnostic(
                    Span::empty(0),
                    format!("another rule file has the same name: {others}"),
                )
                .with_help("give rule files unique names"),
            ));
        }
    }
}
