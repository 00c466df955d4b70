//! SL207 field-length: `name`, `description` or `query` empty or too long.

use crate::diagnostics::Severity;
use crate::model::limits::{DESCRIPTION_MAX, NAME_MAX, QUERY_MAX};

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL207",
    name: "field-length",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`name`, `description` or `query` is empty or longer than the service allows",
    docs: r#"## What it does
Checks the lengths the Sentinel service enforces: `name` 1 to 256 characters,
`description` at most 5,000, `query` 1 to 10,000.

## Why is this bad?
The Azure-Sentinel CI fails (`StringLength` validation) and the service refuses the rule
at deployment ("Invalid data model"). A long query usually holds a list (IPs, domains)
that belongs in a watchlist or an external data source.

## Example
A `query` of 12,000 characters with an inline `datatable` of indicators.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (key, min, max) in [
        ("name", 1, NAME_MAX),
        ("description", 0, DESCRIPTION_MAX),
        ("query", 1, QUERY_MAX),
    ] {
        let Some(node) = ctx.get(key) else {
            continue;
        };
        let Some(value) = node.as_str() else {
            continue; // wrong type: schema
        };
        let length = value.chars().count();
        let message = if min > 0 && value.trim().is_empty() {
            format!("`{key}` is empty")
        } else if length > max {
            format!("`{key}` is {length} characters long; at most {max} are allowed")
        } else {
            continue;
        };
        let span = if node.span.is_empty() {
            ctx.root
                .key_span_at(&format!("/{key}"))
                .unwrap_or(node.span)
        } else {
            node.span
        };
        let mut d = LINT
            .diagnostic(span, message)
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(format!("/{key}"));
        if key == "query" && length > max {
            d = d.with_help(
                "move long lists (IPs, domains, hashes) into a watchlist or `externaldata`",
            );
        }
        sink.push(d);
    }
}
