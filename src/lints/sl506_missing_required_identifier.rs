//! SL506 missing-required-identifier: an entity without the identifiers that identify it.

use crate::diagnostics::Severity;
use crate::reference;
use crate::yaml::Node;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, items, list_items};

pub static LINT: Lint = Lint {
    code: "SL506",
    name: "missing-required-identifier",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "An entity mapping lacks the identifiers its type requires",
    docs: r#"## What it does
Checks that every entity maps at least one complete combination of the identifiers its
type requires: an `Account` needs `FullName`, `Sid`, `Name`, `AadUserId`, `PUID` or
`ObjectGuid`; a `Host` needs `FullName`, `HostName`, `NetBiosName`, `AzureID` or
`OMSAgentID`; a `FileHash` needs both `Algorithm` and `Value`; and so on.

## Why is this bad?
Sentinel cannot identify, merge or investigate an entity from the other identifiers alone
(`NTDomain`, `UPNSuffix`, ...). The Azure-Sentinel CI and the service refuse the mapping
("Missing required identifiers ... Required identifiers are one of the following
combinations").

## Example
```yaml
- entityType: Account
  fieldMappings:
    - identifier: NTDomain
      columnName: Domain
```
Add `Name` (with `NTDomain`), `Sid` or `FullName`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (pointer, mapping) in list_items(ctx, "entityMappings") {
        let Some(type_node) = mapping.get("entityType") else {
            continue;
        };
        let Some(info) = type_node.as_str().and_then(reference::entity_type) else {
            continue;
        };
        let fields = items(mapping.get("fieldMappings"));
        if fields.is_empty() {
            continue; // field-mappings-count / schema
        }
        let used: Vec<&str> = fields
            .iter()
            .filter_map(|f| f.get("identifier").and_then(Node::as_str))
            .collect();
        if used.iter().any(|id| !info.identifiers.contains(id)) {
            continue; // the wrong identifier was probably meant to be a required one
        }
        if info
            .required
            .iter()
            .any(|combo| combo.iter().all(|id| used.contains(id)))
        {
            continue;
        }
        let combos: Vec<String> = info.required.iter().map(|c| c.join(" + ")).collect();
        sink.push(
            LINT.diagnostic(
                type_node.span,
                format!(
                    "this `{}` entity has none of the identifiers that identify it",
                    info.name
                ),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(format!("{pointer}/fieldMappings"))
            .with_help(format!("map one of: {}", combos.join("; "))),
        );
    }
}
