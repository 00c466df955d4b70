//! SL502 field-mappings-count: an entity with no identifier or more than 3.

use crate::diagnostics::Severity;
use crate::model::limits::FIELD_MAPPINGS_MAX;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, list_items};

pub static LINT: Lint = Lint {
    code: "SL502",
    name: "field-mappings-count",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "An entity mapping has no `fieldMappings` or more than 3",
    docs: r#"## What it does
Checks that every entity of `entityMappings` has 1 to 3 `fieldMappings`.

## Why is this bad?
The service refuses more than three identifiers per entity ("Invalid length of '4' for
'FieldMappings'"), a limit the Azure-Sentinel CI enforces too. Pick the identifiers that
identify the entity best.

## Example
An `Account` mapped with `Name`, `NTDomain`, `UPNSuffix` and `Sid`: keep `Sid`, or `Name`
and `NTDomain`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (pointer, mapping) in list_items(ctx, "entityMappings") {
        let Some(fields) = mapping.get("fieldMappings").and_then(|n| n.as_seq()) else {
            continue;
        };
        let (message, span) = match fields.len() {
            0 => (
                "the entity has no `fieldMappings`".to_owned(),
                mapping.key_span_at("/fieldMappings"),
            ),
            n if n > FIELD_MAPPINGS_MAX => (
                format!(
                    "the entity has {n} field mappings; at most {FIELD_MAPPINGS_MAX} are allowed"
                ),
                fields.get(FIELD_MAPPINGS_MAX).map(|f| f.span),
            ),
            _ => continue,
        };
        let Some(span) = span else { continue };
        sink.push(
            LINT.diagnostic(span, message)
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer(format!("{pointer}/fieldMappings")),
        );
    }
}
