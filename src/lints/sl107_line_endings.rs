//! SL107 line-endings: CRLF line endings, or a mix of CRLF and LF.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL107",
    name: "line-endings",
    severity: Severity::Warning,
    summary: "The file uses CRLF line endings, or mixes CRLF and LF",
    docs: r#"## What it does
Reports Windows (CRLF) line endings: as information when the whole file uses them, as a
warning when CRLF and LF lines are mixed.

## Why is this bad?
YAML reads both, so CRLF alone is harmless; but a file that mixes them was edited with
different tools, produces noisy diffs, and breaks line-based scripts (such as the
Azure-Sentinel version-bump check, which greps `git diff`).

## Fix
Converts every line ending to LF (safe). Add `*.yaml text eol=lf` to `.gitattributes` to
keep it that way.
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let endings = ctx.decoded.line_endings;
    if endings.crlf == 0 {
        return;
    }
    let edits: Vec<Edit> = ctx
        .text
        .match_indices("\r\n")
        .map(|(i, _)| Edit::replace(Span::new(i, i + 2), "\n"))
        .collect();
    let first = edits[0].span.start;
    let fix = Fix::safe("Convert line endings to LF", edits);
    let d = if endings.lf == 0 {
        LINT.diagnostic(
            Span::new(first, first + 1),
            "the file uses CRLF (Windows) line endings",
        )
        .with_severity(Severity::Info)
        .with_help(
            "harmless for YAML; LF keeps diffs clean (`*.yaml text eol=lf` in .gitattributes)",
        )
    } else {
        LINT.diagnostic(
            Span::new(first, first + 1),
            format!(
                "the file mixes line endings: {} CRLF and {} LF",
                endings.crlf, endings.lf
            ),
        )
        .with_help("use one kind of line ending; LF is the convention of rule repositories")
    };
    sink.push(d.with_fix(fix));
}
