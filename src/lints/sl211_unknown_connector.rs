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
    hunting_severity: Some(Severity::Warning),
    summary: "A `connectorId` is not in the list of valid data connector ids",
    docs: r#"## What it does
Checks every `requiredDataConnectors[].connectorId` against the list of valid connector ids
of the Azure-Sentinel repository (`ValidConnectorIds.json`, 285 ids) and those declared in
`sentinel-lint.toml`. Ids are compared exactly, as the CI does. For hunting queries, which
that CI does not check, the finding is a warning.

A solution brings its own connectors (Azure Functions, pollers, codeless connector
definitions), and the list grows with each: an id named like one (`ContosoAuditPoller`,
`ContosoCCPDefinition`, `ContosoAma`) is a warning, not an error. Declare your solutions'
own ids and they are valid:

```toml
connector-ids = ["ContosoAuditPoller"]
```

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
        if reference::is_valid_connector(id) || ctx.file.declared.connector_ids.contains(id) {
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
        } else if looks_like_a_solutions_own(id) {
            // A solution brings its own connector (a function app, a poller, a CCP
            // definition): a newer list than the embedded one may well have it.
            d = d.with_severity(Severity::Warning).with_help(format!(
                "the name is that of a solution's own connector (a function, poller or CCP definition), which the embedded list may not have yet; if your solution defines it, add it to `connector-ids` in sentinel-lint.toml{}",
                meant_connector(id)
                    .map(|m| format!(" (or did you mean `{m}`?)"))
                    .unwrap_or_default()
            ));
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
                "use an id from ValidConnectorIds.json of the Azure-Sentinel repository, or declare your solution's own in `connector-ids` of sentinel-lint.toml",
            );
        }
        sink.push(d);
    }
}

/// The endings of the ids solutions give the connectors they bring themselves (Azure
/// Functions, pollers, codeless connector definitions, AMA variants): 72 of the 285 valid
/// ids end so.
const SOLUTION_CONNECTOR_ENDINGS: [&str; 16] = [
    "Ama",
    "AMA",
    "API",
    "APIs",
    "AzureFunction",
    "AzureFunctions",
    "CCP",
    "CCPDefinition",
    "CCFDefinition",
    "Connector",
    "Definition",
    "Function",
    "FunctionApp",
    "Poller",
    "Polling",
    "Push",
];

fn looks_like_a_solutions_own(id: &str) -> bool {
    SOLUTION_CONNECTOR_ENDINGS.iter().any(|end| {
        id.len() > end.len() + 2 && id.ends_with(end) && !id.contains(char::is_whitespace)
    })
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
