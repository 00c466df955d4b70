//! SL505 duplicate-entity-identifier: the same identifier twice in one entity.

use crate::diagnostics::Severity;
use crate::yaml::Node;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, items, list_items};

pub static LINT: Lint = Lint {
    code: "SL505",
    name: "duplicate-entity-identifier",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "An entity mapping uses the same identifier twice",
    docs: r#"## What it does
Reports an identifier that appears twice in the `fieldMappings` of one entity.

## Why is this bad?
The Azure-Sentinel CI fails ("Identifier '...' is defined multiple times. Identifiers used
in 'EntityMappings' must be unique."), and only one of the two columns can be used. Map
the second column to another entity instead.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (pointer, mapping) in list_items(ctx, "entityMappings") {
        let fields = items(mapping.get("fieldMappings"));
        for (i, field) in fields.iter().enumerate() {
            let Some(node) = field.get("identifier") else {
                continue;
            };
            let Some(identifier) = node.as_str() else {
                continue;
            };
            let earlier = fields[..i]
                .iter()
                .filter_map(|f| f.get("identifier"))
                .find(|n| n.as_str() == Some(identifier));
            if let Some(first) = earlier.map(|n: &Node| n.span) {
                sink.push(
                    LINT.diagnostic(
                        node.span,
                        format!("identifier `{identifier}` is already mapped in this entity"),
                    )
                    .with_severity(ctx.severity_for(&LINT))
                    .with_label(first, "first mapped here")
                    .with_pointer(format!("{pointer}/fieldMappings/{i}/identifier")),
                );
            }
        }
    }
}
