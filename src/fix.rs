//! `--fix`: apply the fixes of findings to the files' text.
//!
//! Fixes are span-based edits of the text, so comments and formatting elsewhere stay as they
//! are. Fixes whose edits overlap are applied one at a time: the file is checked again after
//! each round, until no fix is left (at most [`MAX_ROUNDS`] rounds), which also makes
//! `--fix` idempotent. Writing is atomic (a temporary file in the same folder, renamed over
//! the file) and keeps the file's permissions.

use std::io::Write;
use std::path::Path;

use crate::config::Selection;
use crate::diagnostics::{Applicability, Edit};
use crate::linter;

/// Rounds of fixing one file before giving up on fixes that keep producing fixes.
pub const MAX_ROUNDS: usize = 10;

/// What fixing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub original: String,
    pub fixed: String,
    /// Findings fixed (over all rounds).
    pub applied: usize,
}

/// Fix a file's text. `None` when there is nothing to fix (or the text cannot be edited
/// safely: invalid UTF-8).
pub fn fix_text(
    path: &str,
    bytes: &[u8],
    selection: &Selection,
    unsafe_fixes: bool,
) -> Option<Fixed> {
    // Files that are not valid UTF-8 are not rewritten: the bytes that were replaced to read
    // them would be lost.
    let original = std::str::from_utf8(bytes).ok()?.to_owned();
    let mut text = original.clone();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let checked = linter::check_source(path, text.as_bytes());
        let mut edits: Vec<Edit> = Vec::new();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut round = 0;
        for d in &checked.report.diagnostics {
            let Some(fix) = &d.fix else { continue };
            if selection.decide(d.code, d.severity).is_none()
                || (fix.applicability == Applicability::Unsafe && !unsafe_fixes)
            {
                continue;
            }
            // A fix applies whole or not at all; one that overlaps an earlier one waits for
            // the next round.
            let overlaps = fix.edits.iter().any(|e| {
                taken.iter().any(|&(s, t)| {
                    e.span.start < t && s < e.span.end || (e.span.start == s && e.span.end == t)
                })
            });
            if overlaps {
                continue;
            }
            taken.extend(fix.edits.iter().map(|e| (e.span.start, e.span.end)));
            edits.extend(fix.edits.iter().cloned());
            round += 1;
        }
        if round == 0 {
            break;
        }
        let next = crate::diagnostics::apply_edits(&text, &edits);
        if next == text {
            break;
        }
        text = next;
        applied += round;
    }
    (text != original).then_some(Fixed {
        original,
        fixed: text,
        applied,
    })
}

/// Replace a file's content atomically, keeping its permissions.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    std::fs::set_permissions(file.path(), permissions)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of a fixed file (for `--diff`).
pub fn diff(path: &str, fixed: &Fixed) -> String {
    similar::TextDiff::from_lines(&fixed.original, &fixed.fixed)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_apply_until_nothing_is_left_and_again_changes_nothing() {
        let text = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\ndescription: d\nseverity: low\nrequiredDataConnectors: []\nqueryFrequency: PT1H\nqueryPeriod: PT1H\ntriggerOperator: GreaterThan\ntriggerThreshold: 0\ntactics: Persistence, privilege escalation # keep me\nquery: T\nkind: scheduled\n";
        let fixed = fix_text("x.yaml", text.as_bytes(), &Selection::default(), false).unwrap();
        assert!(fixed.applied >= 5, "{fixed:?}");
        assert!(
            fixed.fixed.contains("queryFrequency: 1h"),
            "{}",
            fixed.fixed
        );
        assert!(
            fixed.fixed.contains("triggerOperator: gt"),
            "{}",
            fixed.fixed
        );
        assert!(fixed.fixed.contains("kind: Scheduled"), "{}", fixed.fixed);
        assert!(
            fixed.fixed.contains("# keep me"),
            "comments stay: {}",
            fixed.fixed
        );
        assert!(
            fix_text(
                "x.yaml",
                fixed.fixed.as_bytes(),
                &Selection::default(),
                false
            )
            .is_none()
        );
        let diff = diff("x.yaml", &fixed);
        assert!(
            diff.contains("-queryFrequency: PT1H\n") && diff.contains("+queryFrequency: 1h\n"),
            "{diff}"
        );
    }
}
