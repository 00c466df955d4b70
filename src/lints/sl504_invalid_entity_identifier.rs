//! SL504 invalid-entity-identifier: an identifier not valid for its entity type.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::reference;
use crate::yaml::Node;

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, case_insensitive_match, did_you_mean, items,
    list_items, replace_scalar,
};

pub static LINT: Lint = Lint {
    code: "SL504",
    name: "invalid-entity-identifier",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "A `fieldMappings[].identifier` is not valid for the entity type",
    docs: r#"## What it does
Checks every identifier of an entity mapping against the identifiers its entity type has
(for example `Host`: `HostName`, `FullName`, `NetBiosName`, `AzureID`, `OMSAgentID`,
`DnsDomain`, `NTDomain`, `OSFamily`, `OSVersion`, `IsDomainJoined`). The comparison is
case-sensitive, as in the Azure-Sentinel CI and the service.

## Why is this bad?
The CI fails, and deployment fails with "Invalid data model. [: Invalid identifier 'Name'
for type 'Host' encountered. Valid identifiers are: [...]]" (Azure-Sentinel PR #7809).

## Example
```yaml
- entityType: Host
  fieldMappings:
    - identifier: Name
      columnName: Computer
```
Use instead:
```yaml
- entityType: Host
  fieldMappings:
    - identifier: HostName
      columnName: Computer
```

## Fix
A case slip is corrected (safe); a close misspelling is corrected (unsafe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (pointer, mapping) in list_items(ctx, "entityMappings") {
        let Some(info) = mapping
            .get("entityType")
            .and_then(Node::as_str)
            .and_then(|t| {
                reference::entity_type(t).or_else(|| {
                    // Case slips of the type are reported by enum-case; check identifiers anyway.
                    crate::reference::entities::ENTITY_TYPES
                        .iter()
                        .find(|e| e.name.eq_ignore_ascii_case(t))
                })
            })
        else {
            continue;
        };
        for (i, field) in items(mapping.get("fieldMappings")).iter().enumerate() {
            let Some(node) = field.get("identifier") else {
                continue;
            };
            let Some(identifier) = node.as_str() else {
                continue;
            };
            if info.identifiers.contains(&identifier) {
                continue;
            }
            let mut d = LINT
                .diagnostic(
                    node.span,
                    format!(
                        "`{identifier}` is not an identifier of entity type `{}`",
                        info.name
                    ),
                )
                .with_severity(ctx.severity_for(&LINT))
                .with_pointer(format!("{pointer}/fieldMappings/{i}/identifier"));
            let valid = info.identifiers.iter().copied();
            if let Some(m) = case_insensitive_match(identifier, valid.clone()) {
                d = d.with_help(format!("identifiers are case-sensitive: `{m}`"));
                if let Some(edit) = replace_scalar(ctx, node, m) {
                    d = d.with_fix(Fix::safe(format!("Write `{m}`"), vec![edit]));
                }
            } else if let Some(m) = did_you_mean(identifier, valid) {
                d = d.with_help(format!(
                    "did you mean `{m}`? {} identifiers are: {}",
                    info.name,
                    info.identifiers.join(", ")
                ));
                if let Some(edit) = replace_scalar(ctx, node, m) {
                    d = d.with_fix(Fix::unsafe_(format!("Write `{m}`"), vec![edit]));
                }
            } else {
                d = d.with_help(format!(
                    "{} identifiers are: {}",
                    info.name,
                    info.identifiers.join(", ")
                ));
            }
            sink.push(d);
        }
    }
}
