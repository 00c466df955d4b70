//! SL501 entity-mappings-count: `entityMappings` empty or longer than 10.

use crate::diagnostics::Severity;
use crate::model::limits::ENTITY_MAPPINGS_MAX;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, entry_span};

pub static LINT: Lint = Lint {
    code: "SL501",
    name: "entity-mappings-count",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "`entityMappings` is empty or has more than 10 entities",
    docs: r#"## What it does
Checks that `entityMappings`, when present, maps 1 to 10 entities.

## Why is this bad?
The service allows at most 10 entity mappings per rule, and the Azure-Sentinel CI fails on
an empty list as well ("Invalid length of '0' for 'EntityMappings'. 'EntityMappings'
length should be between '1' and '10'").

## Example
```yaml
entityMappings: []
```
Remove the key, or map at least one entity.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(items) = ctx.get("entityMappings").and_then(|n| n.as_seq()) else {
        return;
    };
    let message = match items.len() {
        0 => "`entityMappings` is empty; remove it or map at least one entity".to_owned(),
        n if n > ENTITY_MAPPINGS_MAX => {
            format!("`entityMappings` maps {n} entities; at most {ENTITY_MAPPINGS_MAX} are allowed")
        }
        _ => return,
    };
    let span = if items.is_empty() {
        entry_span(ctx, "entityMappings")
    } else {
        items.get(ENTITY_MAPPINGS_MAX).map(|n| n.span)
    };
    let Some(span) = span else { return };
    sink.push(
        LINT.diagnostic(span, message)
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer("/entityMappings"),
    );
}
