//! SL503 invalid-entity-type: an `entityType` Sentinel does not know.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::reference;

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, allowed, did_you_mean, list_items, normalize,
    replace_scalar,
};

pub static LINT: Lint = Lint {
    code: "SL503",
    name: "invalid-entity-type",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "An `entityType` is not one of Sentinel's entity types",
    docs: r#"## What it does
Checks every `entityMappings[].entityType` against Sentinel's entity types (`Account`,
`Host`, `IP`, `URL`, `FileHash`, ...). `IoTDevice`, which the Azure-Sentinel CI accepts but
the ARM API does not list, is a warning. (A value that differs only in case is reported by
`enum-case`.)

## Why is this bad?
The CI cannot convert the value and the service refuses the rule.

## Example
```yaml
entityMappings:
  - entityType: User
```
Use instead:
```yaml
entityMappings:
  - entityType: Account
```

## Fix
A type written with spaces (`Azure Resource`) is corrected (safe); common other names
(`User` -> `Account`, `Computer` -> `Host`, `IPAddress` -> `IP`) and misspellings are
corrected too (unsafe: the identifiers may need to change as well).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

/// Names used by other products for Sentinel's entity types.
const ALIASES: [(&str, &str); 12] = [
    ("user", "Account"),
    ("useraccount", "Account"),
    ("computer", "Host"),
    ("device", "Host"),
    ("machine", "Host"),
    ("ipaddress", "IP"),
    ("address", "IP"),
    ("domain", "DNS"),
    ("dnsdomain", "DNS"),
    ("hash", "FileHash"),
    ("registry", "RegistryKey"),
    ("email", "MailMessage"),
];

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let types: Vec<&str> = allowed("EntityType").collect();
    for (pointer, mapping) in list_items(ctx, "entityMappings") {
        let Some(node) = mapping.get("entityType") else {
            continue;
        };
        let pointer = format!("{pointer}/entityType");
        let Some(value) = node.as_str() else {
            if !node.is_null() {
                sink.push(
                    LINT.diagnostic(
                        node.span,
                        format!(
                            "`entityType` must be an entity type name, not {}",
                            node.type_name()
                        ),
                    )
                    .with_severity(ctx.severity_for(&LINT))
                    .with_pointer(pointer),
                );
            }
            continue;
        };
        if let Some(info) = reference::entity_type(value) {
            if !info.in_arm {
                sink.push(
                    LINT.diagnostic(
                        node.span,
                        format!("`{value}` is not an entity type of the ARM API"),
                    )
                    .with_severity(Severity::Warning)
                    .with_pointer(pointer)
                    .with_help(
                        "the Azure-Sentinel CI accepts it, but deployment through ARM may fail",
                    ),
                );
            }
            continue;
        }
        if types.iter().any(|t| t.eq_ignore_ascii_case(value)) {
            continue; // enum-case
        }
        let mut d = LINT
            .diagnostic(
                node.span,
                format!("`{value}` is not a Sentinel entity type"),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(pointer);
        let normalized = normalize(value);
        let spelled_apart = types.iter().copied().find(|t| normalize(t) == normalized);
        let suggestion = ALIASES
            .iter()
            .find(|(alias, _)| *alias == normalized)
            .map(|(_, t)| *t)
            .or_else(|| did_you_mean(value, types.iter().copied()));
        match suggestion {
            Some(s) => {
                d = d.with_help(format!("did you mean `{s}`?"));
                if let Some(edit) = replace_scalar(ctx, node, s) {
                    let title = format!("Write `{s}`");
                    // `Azure Resource` -> `AzureResource` means the same; aliases may not.
                    d = d.with_fix(if spelled_apart.is_some() {
                        Fix::safe(title, vec![edit])
                    } else {
                        Fix::unsafe_(title, vec![edit])
                    });
                }
            }
            None => d = d.with_help(format!("entity types are: {}", types.join(", "))),
        }
        sink.push(d);
    }
}
