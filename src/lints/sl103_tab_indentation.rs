//! SL103 tab-indentation: a tab where YAML wants indentation spaces.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};
use crate::yaml::SyntaxErrorKind;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL103",
    name: "tab-indentation",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "A tab character is used for indentation",
    docs: r#"## What it does
Reports a tab in the indentation of a YAML line, where YAML allows only spaces.

## Why is this bad?
YAML forbids tabs for indentation; the file cannot be read. Editors often insert tabs when
KQL is pasted into a rule. Inside a `|` block scalar tabs *after* the indentation spaces are
fine (they are part of the query text).

## Example
```yaml
tactics:
	- Persistence
```
Use instead:
```yaml
tactics:
  - Persistence
```

## Fix
Replaces the leading tabs of the line with two spaces each (unsafe: the intended
indentation cannot always be known).
"#,
    fix: FixAvailability::Always(Applicability::Unsafe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let Some(error) = &ctx.parsed.syntax_error else {
        return;
    };
    if error.kind != SyntaxErrorKind::Tab {
        return;
    }
    let line = ctx.line_span(error.span.start);
    let text = ctx.slice(line);
    let leading = text.len() - text.trim_start_matches([' ', '\t']).len();
    let indent = &text[..leading];
    let tab_at = indent
        .find('\t')
        .map_or(error.span.start, |i| line.start + i);
    let mut d = LINT
        .diagnostic(
            Span::new(tab_at, tab_at + 1),
            "tab character in indentation; YAML allows only spaces here",
        )
        .with_help("indent with spaces; set your editor to insert spaces in YAML files");
    if indent.contains('\t') {
        let spaces: String = indent
            .chars()
            .map(|c| if c == '\t' { "  " } else { " " })
            .collect();
        d = d.with_fix(Fix::unsafe_(
            "Replace the tabs with spaces",
            vec![Edit::replace(
                Span::new(line.start, line.start + leading),
                spaces,
            )],
        ));
    }
    sink.push(d);
}
