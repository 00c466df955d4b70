//! SL112 block-scalar-indentation: lines of a `|` block indented less than its content.

use crate::diagnostics::{Applicability, Fix, Severity};

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL112",
    name: "block-scalar-indentation",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "Lines of a `|` block (usually the query) are indented less than the block's content",
    docs: r#"## What it does
Finds lines of a block scalar (`query: |`, `description: |`) that start further left than
the block's first line, or a block whose text was written without any indentation.

## Why is this bad?
YAML ends a block scalar at the first line indented less than its content. What follows is
read as YAML keys, which fails ("could not find expected ':'") or, worse, silently cuts the
query short. In real files this happens when KQL is pasted in and a `//` comment or the
whole query lands in column 1.

## Example
```yaml
query: |
  let lookback = 1d;
// failed sign-ins only
  SigninLogs
```
Use instead:
```yaml
query: |
  let lookback = 1d;
  // failed sign-ins only
  SigninLogs
```

## Fix
Indents the affected lines to the block's content column (safe). sentinel-lint also
checks the rest of the file as if this fix were applied.
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    for block in &ctx.parsed.underindented_blocks {
        let lines = if block.lines_moved == 1 {
            "line"
        } else {
            "lines"
        };
        sink.push(
            LINT.diagnostic(
                block.first_bad_line,
                format!(
                    "line {} is indented less than the `{}` block it belongs to, so YAML ends the block before it",
                    block.first_bad_line_number, block.key
                ),
            )
            .with_label(block.key_span, "the block starts here")
            .with_help(format!(
                "indent every line of the block by at least {} spaces",
                block.content_indent
            ))
            .with_fix(Fix::safe(
                format!("Indent {} {lines} of the `{}` block", block.lines_moved, block.key),
                block.edits.clone(),
            )),
        );
    }
}
