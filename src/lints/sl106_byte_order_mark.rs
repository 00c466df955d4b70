//! SL106 byte-order-mark: the file starts with a UTF-8 byte-order mark.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL106",
    name: "byte-order-mark",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The file starts with a byte-order mark",
    docs: r#"## What it does
Reports the invisible UTF-8 byte-order mark (bytes `EF BB BF`) at the start of a file.

## Why is this bad?
UTF-8 needs no byte-order mark. YAML parsers skip it, but shell tools, `diff` and some
converters see three stray bytes before `id:`, and Windows editors add it silently.

## Fix
Removes the mark (safe).
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if ctx.decoded.has_bom {
        let bom = Span::new(0, 3);
        sink.push(
            LINT.diagnostic(bom, "the file starts with a UTF-8 byte-order mark")
                .with_help("save the file as UTF-8 without BOM")
                .with_fix(Fix::safe(
                    "Remove the byte-order mark",
                    vec![Edit::delete(bom)],
                )),
        );
    }
}
