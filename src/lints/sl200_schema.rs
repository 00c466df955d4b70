//! SL200 schema: a value that does not fit the rule format and no other lint explains.

use crate::diagnostics::{Diagnostic, Severity};

use crate::model::schema::{SchemaError, SchemaErrorKind};
use crate::text::Span;
use crate::yaml::{Node, split_pointer};

use super::{Check, FixAvailability, Lint, RuleContext, describe_pointer, did_you_mean};

pub static LINT: Lint = Lint {
    code: "SL200",
    name: "schema",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A value does not fit the rule format (reported from the JSON Schema)",
    docs: r#"## What it does
Validates the rule against sentinel-lint's JSON Schema of its type (`sentinel-lint schema`)
and reports what no more specific lint has explained: a value of the wrong type, a list
where a mapping belongs, a value outside an allowed set.

## Why is this bad?
The Azure-Sentinel CI deserializes every analytics rule into the Sentinel service's own
model; a value of the wrong shape fails there (`Error converting value ...`), or at
deployment ("Invalid data model").

## Example
```yaml
requiredDataConnectors: MicrosoftThreatProtection
```
Use instead:
```yaml
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceProcessEvents
```
"#,
    fix: FixAvailability::None,
    check: Check::Schema {
        explains: |kind| {
            !matches!(
                kind,
                SchemaErrorKind::Required | SchemaErrorKind::Unexpected
            )
        },
        report: |ctx, error, _| Some(generic(ctx, error)),
    },
};

/// Where to point for a pointer: the value, or its key when the value is empty.
pub fn span_of(ctx: &RuleContext<'_>, pointer: &str) -> Span {
    match ctx.root.pointer(pointer) {
        Some(node) if node.is_null() || node.span.is_empty() => {
            ctx.root.key_span_at(pointer).unwrap_or(node.span)
        }
        Some(node) => node.span,
        None => ctx.root.key_span_at(pointer).unwrap_or(Span::empty(0)),
    }
}

fn json_type(expected: &str) -> String {
    expected
        .split(" or ")
        .map(|t| match t {
            "array" => "a list",
            "object" => "a mapping",
            "string" => "a string",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "null" => "nothing",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn generic(ctx: &RuleContext<'_>, error: &SchemaError) -> Diagnostic {
    let node: Option<&Node> = ctx.root.pointer(&error.pointer);
    let what = describe_pointer(&error.pointer);
    let value = node
        .map(|n| ctx.slice(n.span).trim().to_owned())
        .filter(|s| !s.is_empty() && s.len() <= 60 && !s.contains('\n'))
        .map(|s| format!("`{s}`"))
        .unwrap_or_else(|| "the value".to_owned());
    let mut help = None;
    let message = match &error.kind {
        SchemaErrorKind::Type(expected) => format!(
            "`{what}` must be {}, not {}",
            json_type(expected),
            node.map_or("this", Node::type_name)
        ),
        SchemaErrorKind::Enum(options) => {
            if let Some(s) = node.and_then(Node::as_str)
                && let Some(m) = did_you_mean(s, options.iter().map(String::as_str))
            {
                help = Some(format!("did you mean `{m}`?"));
            } else {
                help = Some(format!("allowed: {}", options.join(", ")));
            }
            format!("{value} is not allowed in `{what}`")
        }
        SchemaErrorKind::Const(expected) => format!("`{what}` must be `{expected}`"),
        SchemaErrorKind::Pattern(pattern) => {
            format!("{value} does not have the format of `{what}` (`{pattern}`)")
        }
        SchemaErrorKind::MinLength(0 | 1) => format!("`{what}` must not be empty"),
        SchemaErrorKind::MinLength(n) => format!("`{what}` must be at least {n} characters long"),
        SchemaErrorKind::MaxLength(n) => format!("`{what}` must be at most {n} characters long"),
        SchemaErrorKind::MinItems(n) => format!("`{what}` needs at least {n} item(s)"),
        SchemaErrorKind::MaxItems(n) => format!("`{what}` may have at most {n} items"),
        SchemaErrorKind::MaxProperties(n) => format!("`{what}` may have at most {n} entries"),
        SchemaErrorKind::Minimum(n) => format!("`{what}` must be at least {n}"),
        SchemaErrorKind::Maximum(n) => format!("`{what}` must be at most {n}"),
        SchemaErrorKind::PropertyName(reason) => {
            let key = split_pointer(&error.pointer)
                .map(|(_, k)| k)
                .unwrap_or_default();
            format!("key `{key}` is not allowed here: {reason}")
        }
        SchemaErrorKind::Required | SchemaErrorKind::Unexpected => {
            format!("`{what}` does not fit the rule format")
        }
        SchemaErrorKind::Other(message) => format!("`{what}`: {message}"),
    };
    let span = match &error.kind {
        SchemaErrorKind::PropertyName(_) => ctx
            .root
            .key_span_at(&error.pointer)
            .unwrap_or(Span::empty(0)),
        _ => span_of(ctx, &error.pointer),
    };
    let d = LINT
        .diagnostic(span, message)
        .with_severity(ctx.severity_for(&LINT));
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
