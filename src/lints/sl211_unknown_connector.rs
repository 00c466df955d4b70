//! SL211 unknown-connector: a `connectorId` the Azure-Sentinel CI does not accept.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::reference::{self, connectors};

use super::{
    Check, FixAvailability, Lint, RuleContext, Sink, case_insensitive_match, did_you_mean,
    list_items, replace_scalar,
};

pub static LINT: Lint = Lint {
    code: "SL211",
    name: "unknown-connector",
    severity: Severity::Error,
    summary: "A `connectorId` is not in the list of valid data connector ids",
    docs: r#"## What it does
Checks every `requiredDataConnectors[].connectorId` against the list of valid connector ids
of the Azure-Sentinel repository (`ValidConnectorIds.json`, 285 ids). Ids are compared
exactly, as the CI does. For hunting queries, which that CI does not check, the finding is
a warning.

## Why is this bad?
The CI fails ("doesn't have valid connectorIds"), and the content hub cannot tell which
connector the rule needs. Hunting queries often use ids of older or other products
(`Microsoft365Defender` where detections use `MicrosoftThreatProtection`).

## Example
```yaml
requiredDataConnectors:
  - connectorId: AzureActiveDirectoryIdentityprotection
```
Use instead:
```yaml
requiredDataConnectors:
  - connectorId: AzureActiveDirectoryIdentityProtection
```

## Fix
An id that differs from a valid one only in case is corrected (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    for (pointer, item) in list_items(ctx, "requiredDataConnectors") {
        let Some(node) = item.get("connectorId") else {
            continue;
        };
        let Some(id) = node.as_str() else {
            continue; // schema
        };
        if reference::is_valid_connector(id) {
            continue;
        }
        let mut d = LINT
            .diagnostic(
                node.span,
                format!("`{id}` is not a valid data connector id"),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_pointer(format!("{pointer}/connectorId"));
        let valid = connectors::VALID_CONNECTOR_IDS.iter().copied();
        if let Some(m) = case_insensitive_match(id, valid.clone()) {
            d = d.with_help(format!("connector ids are case-sensitive: `{m}`"));
            if let Some(edit) = replace_scalar(ctx, node, m) {
                d = d.with_fix(Fix::safe(format!("Write `{m}`"), vec![edit]));
            }
        } else if connectors::RETIRED_CONNECTOR_IDS.contains(&id) {
            d = d.with_help("this id was removed from the list of valid connector ids; use the connector that replaced it");
        } else if let Some(m) = meant_connector(id) {
            d = d.with_help(format!("did you mean `{m}`?"));
        } else if id == "Microsoft365Defender" {
            d = d.with_help(
                "detections use `MicrosoftThreatProtection` for Microsoft Defender XDR tables",
            );
        } else {
            d = d.with_help(
                "use an id from ValidConnectorIds.json of the Azure-Sentinel repository",
            );
        }
        sink.push(d);
    }
}

/// The valid id a wrong one most likely meant. The same wrong ids recur across a pack (copied
/// rules), and comparing with every valid id is the dearest step of a check: each is worked
/// out once per run.
fn meant_connector(id: &str) -> Option<&'static str> {
    static MEANT: Mutex<BTreeMap<String, Option<&'static str>>> = Mutex::new(BTreeMap::new());
    if let Some(known) = MEANT.lock().ok().and_then(|m| m.get(id).copied()) {
        return known;
    }
    let meant = did_you_mean(id, connectors::VALID_CONNECTOR_IDS.iter().copied());
    // Bounded: a pack of endless distinct ids does not grow it further.
    if let Ok(mut m) = MEANT.lock()
        && m.len() < 4_096
    {
        m.insert(id.to_owned(), meant);
    }
    meant
}
