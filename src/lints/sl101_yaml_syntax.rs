//! SL101 yaml-syntax: the file is not valid YAML.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};
use crate::yaml::SyntaxErrorKind;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL101",
    name: "yaml-syntax",
    severity: Severity::Error,
    summary: "The file is not valid YAML",
    docs: r#"## What it does
Reports a YAML syntax error, with an explanation of the common causes instead of the
parser's bare message. Indentation mistakes that have their own lint (`misindented-key`,
`block-scalar-indentation`, `tab-indentation`) are repaired in memory first, so this lint
reports what is left, and the rest of the file is still checked when the repair works.

## Why is this bad?
A file that is not YAML cannot be read by the Azure-Sentinel CI (`yamlFileValidator`:
"Incorrect yaml file"), by the Solutions packager, or by Sentinel Repositories.

## Example
```yaml
id: %%GUID%%
```
A plain (unquoted) value cannot start with `%`, `@` or a backtick. Use instead:
```yaml
id: '%%GUID%%'
```

## Fix
When an unquoted value starts with a reserved character, the fix quotes it (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let Some(error) = &ctx.parsed.syntax_error else {
        return;
    };
    let span = if error.span.is_empty() && error.span.start < ctx.text.len() {
        let len = ctx.text[error.span.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(error.span.start, error.span.start + len)
    } else {
        error.span
    };
    let diagnostic = match error.kind {
        SyntaxErrorKind::Tab => return, // tab-indentation
        SyntaxErrorKind::ReservedIndicator(c) => {
            let line = ctx.line_span(span.start);
            let value = ctx.text[span.start..line.end].trim_end();
            let value_span = Span::new(span.start, span.start + value.len());
            let quoted = format!("'{}'", value.replace('\'', "''"));
            let mut d = LINT
                .diagnostic(
                    value_span,
                    format!("an unquoted value cannot start with `{c}`: YAML reserves it"),
                )
                .with_help(format!("put the value in quotes: {quoted}"))
                .with_fix(Fix::safe("Quote the value", vec![Edit::replace(value_span, quoted)]));
            if value.starts_with("%%") {
                d.help = Some("this looks like a template placeholder: fill it in, or quote it".into());
            }
            d
        }
        SyntaxErrorKind::ColonInPlainValue => LINT
            .diagnostic(span, "a `: ` inside an unquoted value starts a new mapping here")
            .with_help(
                "put the whole value in quotes, or write it as a block scalar (`key: |` followed by indented lines)",
            ),
        SyntaxErrorKind::Limit => {
            let message = error.message.to_ascii_lowercase();
            let why = if message.contains("node") {
                format!("more than {} values, e.g. aliases expanding into a huge document", crate::yaml::MAX_NODES)
            } else if message.contains("alias") || message.contains("anchor") {
                "too many anchors or aliases".to_owned()
            } else if message.contains("recursion") || message.contains("depth") || message.contains("nest") {
                format!("nested deeper than {} levels", crate::yaml::MAX_DEPTH)
            } else {
                error.message.clone()
            };
            LINT.diagnostic(span, format!("the YAML is too large to be a rule file ({why}), so it was not read"))
        }
        SyntaxErrorKind::Other => LINT
            .diagnostic(span, format!("invalid YAML: {}", error.message))
            .with_help(
                "look at the indentation of this line and the lines above it: keys of one mapping must start in the same column, and the lines of a `|` block must be indented more than its key",
            ),
    };
    sink.push(diagnostic);
}
