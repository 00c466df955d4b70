//! `--fix`: apply the fixes of findings to the files' text.
//!
//! Fixes are span-based edits of the text, so comments and formatting elsewhere stay as they
//! are. Fixes whose edits overlap are applied one at a time: the file is checked again after
//! each round, until no fix is left (at most [`MAX_ROUNDS`] rounds), which also makes
//! `--fix` idempotent. Writing is atomic (a temporary file in the same folder, renamed over
//! the file) and keeps the file's permissions.

use crate::diagnostics::Applicability;
use crate::model::declared::Declared;
use crate::pipeline::config::Selection;
use crate::pipeline::{self, Checked};
use crate::text::Edit;

/// How many rounds of fixes `--fix` applies at most. Most files need one or two; a fix
/// that repairs one key of a run at a time (misindented keys) needs one round per key, so
/// the bound is generous, and still bounds the time a pathological file can take.
pub const MAX_ROUNDS: usize = 100;

/// What fixing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub original: String,
    pub fixed: String,
    /// Findings fixed (over all rounds).
    pub applied: usize,
}

/// A file after fixing: its findings as checked in its final text (what a check after
/// writing the fixes would find, so the file is not read and checked again), and the fixes.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub checked: Checked,
    /// `None` when there is nothing to fix (or the text cannot be edited safely: invalid
    /// UTF-8).
    pub fixed: Option<Fixed>,
}

/// Fix a file's text: the fixes of the findings that `selection` reports (the unsafe ones
/// only with `unsafe_fixes`).
pub fn fix_source(
    path: &str,
    bytes: &[u8],
    selection: &Selection,
    unsafe_fixes: bool,
    declared: &Declared,
) -> Outcome {
    let mut checked = pipeline::check_source_with(path, bytes, declared);
    // Files that are not valid UTF-8 are not rewritten: the bytes that were replaced to read
    // them would be lost.
    let Ok(original) = std::str::from_utf8(bytes) else {
        return Outcome {
            checked,
            fixed: None,
        };
    };
    let mut text = original.to_owned();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let (edits, round) = round_of_edits(&checked, selection, unsafe_fixes);
        if round == 0 {
            break;
        }
        let next = crate::text::apply_edits(&text, &edits);
        if next == text {
            break;
        }
        checked = pipeline::check_source_with(path, next.as_bytes(), declared);
        text = next;
        applied += round;
    }
    let fixed = (text != original).then(|| Fixed {
        original: original.to_owned(),
        fixed: text,
        applied,
    });
    Outcome { checked, fixed }
}

/// The edits of the fixes that can be applied together to a checked text, and how many fixes
/// they are. A fix applies whole or not at all; one that overlaps an earlier one waits for
/// the next round.
fn round_of_edits(
    checked: &Checked,
    selection: &Selection,
    unsafe_fixes: bool,
) -> (Vec<Edit>, usize) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut round = 0;
    for d in &checked.report.diagnostics {
        let Some(fix) = &d.fix else { continue };
        if selection.decide(d.code, d.severity).is_none()
            || (fix.applicability == Applicability::Unsafe && !unsafe_fixes)
        {
            continue;
        }
        let overlaps = fix.edits.iter().any(|e| {
            edits.iter().any(|taken| {
                let (s, t) = (taken.span.start, taken.span.end);
                e.span.start < t && s < e.span.end || (e.span.start == s && e.span.end == t)
            })
        });
        if overlaps {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        round += 1;
    }
    (edits, round)
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
        let outcome = fix_source(
            "x.yaml",
            text.as_bytes(),
            &Selection::default(),
            false,
            &Declared::default(),
        );
        let fixed = outcome.fixed.unwrap();
        assert_eq!(
            &*outcome.checked.report.source.text, fixed.fixed,
            "the findings returned are those of the fixed text"
        );
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
            fix_source(
                "x.yaml",
                fixed.fixed.as_bytes(),
                &Selection::default(),
                false,
                &Declared::default()
            )
            .fixed
            .is_none()
        );
        let diff = diff("x.yaml", &fixed);
        assert!(
            diff.contains("-queryFrequency: PT1H\n") && diff.contains("+queryFrequency: 1h\n"),
            "{diff}"
        );
    }
}
