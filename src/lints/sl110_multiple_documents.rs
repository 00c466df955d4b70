//! SL110 multiple-documents: more than one YAML document in a file.

use crate::diagnostics::Severity;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL110",
    name: "multiple-documents",
    severity: Severity::Error,
    summary: "The file holds more than one YAML document",
    docs: r#"## What it does
Reports a second YAML document (after a `---` line) in a rule file.

## Why is this bad?
A rule file holds exactly one rule. The Azure-Sentinel tooling reads the first document
only, so everything after the `---` is silently ignored. A lone `---` at the start or end
of the file is fine.

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
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
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
        .with_label(ctx.line_span(docs[0].span.start), "the rule is this document")
        .with_help("put each rule in its own file"),
    );
}
