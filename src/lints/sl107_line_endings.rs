//! SL107 line-endings: a file that mixes CRLF and LF line endings.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL107",
    name: "line-endings",
    severity: Severity::Warning,
    summary: "The file mixes CRLF and LF line endings",
    docs: r#"## What it does
Reports a file whose lines end in both Windows (CRLF) and Unix (LF) line endings. A file
that uses one kind throughout, CRLF or LF, is fine: repositories that keep CRLF files
(many Azure-Sentinel forks do) get no finding and no rewrite.

## Why is this bad?
YAML reads both, but a file that mixes them was edited with different tools, produces
noisy diffs, and breaks line-based scripts (such as the Azure-Sentinel version-bump check,
which greps `git diff`).

## Fix
Writes every line ending as the kind most of the file's lines already use (safe; LF on a
tie). Add `*.yaml text eol=lf` (or `crlf`) to `.gitattributes` to keep it that way.
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let endings = ctx.decoded.line_endings;
    if endings.crlf == 0 || endings.lf == 0 {
        return;
    }
    let to_crlf = endings.crlf > endings.lf;
    let text = ctx.text;
    let edits: Vec<Edit> = if to_crlf {
        // Every `\n` not already preceded by `\r`.
        text.match_indices('\n')
            .filter(|&(i, _)| i == 0 || text.as_bytes()[i - 1] != b'\r')
            .map(|(i, _)| Edit::replace(Span::new(i, i + 1), "\r\n"))
            .collect()
    } else {
        text.match_indices("\r\n")
            .map(|(i, _)| Edit::replace(Span::new(i, i + 2), "\n"))
            .collect()
    };
    let Some(first) = edits.first().map(|e| e.span.start) else {
        return;
    };
    let (style, other) = if to_crlf {
        ("CRLF", "LF")
    } else {
        ("LF", "CRLF")
    };
    let d = LINT
        .diagnostic(
            Span::new(first, first + 1),
            format!(
                "the file mixes line endings: {} CRLF and {} LF",
                endings.crlf, endings.lf
            ),
        )
        .with_help(format!(
            "use one kind of line ending: most lines end in {style}, this one in {other}"
        ))
        .with_fix(Fix::safe(format!("Convert line endings to {style}"), edits));
    sink.push(d);
}
