//! SL113 empty-file: no YAML document at all.

use crate::diagnostics::Severity;

use crate::model::shape::Shape;
use crate::text::Span;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL113",
    name: "empty-file",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file is empty or holds only comments",
    docs: r#"## What it does
Reports a rule file with no content: empty, only whitespace, or only comments.

## Why is this bad?
An empty file in a rule folder is a rule that was lost (a failed save, a bad merge) or a
stray file; deployment tools fail on it.
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if *ctx.shape == Shape::Empty {
        sink.push(LINT.diagnostic(Span::empty(0), "the file is empty"));
    }
}
