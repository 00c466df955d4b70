//! SL110 multiple-documents: more than one YAML document in a file.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::Edit;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL110",
    name: "multiple-documents",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file holds more than one YAML document",
    docs: r#"## What it does
Reports a second YAML document (after a `---` line) in a rule file.

## Why is this bad?
A rule file holds exactly one rule. The Azure-Sentinel tooling reads the first document
only, so everything after the `---` is silently ignored. A lone `---` at the start or end
of the file is fine; two at the start make an empty first document, which is all that
those tools then read (PyYAML's `safe_load` refuses the file outright).

## Example
```yaml
id: 1d1a5d6e-2f6c-4bd3-a3c5-9c9e1c7b6a01
name: First rule
---
id: 2e2b6e7f-3a7d-4ce4-b4d6-0d0f2d8c7b12
name: Second rule
```
Use one file per rule.
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    leading_empty_document(ctx, sink);
    let docs = &ctx.parsed.documents;
    if docs.len() < 2 {
        return;
    }
    let second = &docs[1];
    sink.push(
        LINT.diagnostic(
            ctx.line_span(second.span.start),
            format!(
                "the file holds {} YAML documents; only the first is read as the rule",
                docs.len()
            ),
        )
        .with_label(
            ctx.line_span(docs[0].span.start),
            "the rule is this document",
        )
        .with_help("put each rule in its own file"),
    );
}

/// `---` lines before the first content: the parser drops the empty documents they make, the
/// tools that read the first document do not.
fn leading_empty_document(ctx: &FileContext<'_>, sink: &mut Sink) {
    let mut markers = Vec::new();
    for line in 0..ctx.lines.line_count() {
        let text = ctx.lines.line_text(ctx.text, line);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let is_marker = text
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
        if !is_marker
            || text
                .trim_start_matches("---")
                .trim()
                .starts_with(|c: char| c != '#')
        {
            break;
        }
        markers.push(ctx.lines.line_start(line));
    }
    if markers.len() < 2 {
        return;
    }
    let first = markers[0];
    let extra: Vec<Edit> = markers[..markers.len() - 1]
        .iter()
        .map(|&at| Edit::delete(ctx.full_line_span(at)))
        .collect();
    sink.push(
        LINT.diagnostic(
            ctx.line_span(markers[1]),
            "the file starts with an empty YAML document: a second `---` before the rule",
        )
        .with_label(ctx.line_span(first), "the empty document starts here")
        .with_help("tools that read the first document of the file read nothing")
        .with_fix(Fix::safe("Remove the empty document", extra)),
    );
}
