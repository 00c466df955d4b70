//! SL107 line-endings: a file that mixes CRLF and LF line endings.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::declared::LineEnding;
use crate::text::{Edit, Span};

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL107",
    name: "line-endings",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The file mixes CRLF and LF line endings, or does not use those the configuration asks for",
    docs: r#"## What it does
Reports a file whose lines end in both Windows (CRLF) and Unix (LF) line endings. A file
that uses one kind throughout, CRLF or LF, is fine: repositories that keep CRLF files
(many Azure-Sentinel forks do) get no finding and no rewrite. A repository that wants one
kind says so in `sentinel-lint.toml`, and then every file with another is reported:

```toml
line-endings = "lf"   # or "crlf"
```

## Why is this bad?
YAML reads both, but a file that mixes them was edited with different tools, produces
noisy diffs, and breaks line-based scripts (such as the Azure-Sentinel version-bump check,
which greps `git diff`).

## Fix
Writes every line ending as the configured kind, else as the kind most of the file's
lines already use (safe; LF on a tie). Add `*.yaml text eol=lf` (or `crlf`) to `.gitattributes` to keep it that way.
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let endings = ctx.decoded.line_endings;
    let asked = ctx.declared.line_endings;
    let style = match asked {
        Some(LineEnding::Lf) if endings.crlf == 0 => return,
        Some(LineEnding::Crlf) if endings.lf == 0 => return,
        Some(style) => style,
        None if endings.crlf == 0 || endings.lf == 0 => return,
        None if endings.crlf > endings.lf => LineEnding::Crlf,
        None => LineEnding::Lf,
    };
    let text = ctx.text;
    let edits: Vec<Edit> = match style {
        // Every `\n` not already preceded by `\r`.
        LineEnding::Crlf => text
            .match_indices('\n')
            .filter(|&(i, _)| i == 0 || text.as_bytes()[i - 1] != b'\r')
            .map(|(i, _)| Edit::replace(Span::new(i, i + 1), "\r\n"))
            .collect(),
        LineEnding::Lf => text
            .match_indices("\r\n")
            .map(|(i, _)| Edit::replace(Span::new(i, i + 2), "\n"))
            .collect(),
    };
    let Some(first) = edits.first().map(|e| e.span.start) else {
        return;
    };
    let other = match style {
        LineEnding::Lf => "CRLF",
        LineEnding::Crlf => "LF",
    };
    let style = style.name();
    let mixed = endings.crlf > 0 && endings.lf > 0;
    let message = if mixed {
        format!(
            "the file mixes line endings: {} CRLF and {} LF",
            endings.crlf, endings.lf
        )
    } else {
        format!("the file's line endings are {other}")
    };
    let help = match asked {
        Some(_) => format!(
            "sentinel-lint.toml asks for {style} line endings (`line-endings`); this line ends in {other}"
        ),
        None => {
            format!("use one kind of line ending: most lines end in {style}, this one in {other}")
        }
    };
    let d = LINT
        .diagnostic(Span::new(first, first + 1), message)
        .with_help(help)
        .with_fix(Fix::safe(format!("Convert line endings to {style}"), edits));
    sink.push(d);
}
