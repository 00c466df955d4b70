//! SL410 incident-configuration: incident grouping that cannot work.

use crate::diagnostics::Severity;
use crate::yaml::Node;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, items};

pub static LINT: Lint = Lint {
    code: "SL410",
    name: "incident-configuration",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "`incidentConfiguration` groups by something the rule does not have",
    docs: r#"## What it does
Checks the grouping of alerts into incidents against the rest of the rule:
`matchingMethod: Selected` needs at least one non-empty `groupByEntities`,
`groupByAlertDetails` or `groupByCustomDetails`; `groupByEntities` may only name entity
types the rule maps; `groupByCustomDetails` may only name keys of `customDetails`.

## Why is this bad?
The Azure-Sentinel CI does not look at `incidentConfiguration` at all; the service refuses
the rule at deployment, or groups nothing.

## Example
```yaml
incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: false
    lookbackDuration: 5h
    matchingMethod: Selected
    groupByEntities:
      - Host
```
with no `Host` in `entityMappings`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn strings(node: Option<&Node>) -> Vec<(&str, &Node)> {
    items(node)
        .iter()
        .filter_map(|n| n.as_str().map(|s| (s, n)))
        .collect()
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    if !ctx.rule_type.is_analytics() {
        return;
    }
    let Some(grouping) = ctx
        .root
        .pointer("/incidentConfiguration/groupingConfiguration")
    else {
        return;
    };
    let base = "/incidentConfiguration/groupingConfiguration";
    let entities = grouping.get("groupByEntities");
    let details = grouping.get("groupByAlertDetails");
    let custom = grouping.get("groupByCustomDetails");
    if let Some(method) = grouping.get("matchingMethod")
        && method
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case("Selected"))
        && [entities, details, custom]
            .iter()
            .all(|n| items(*n).is_empty())
    {
        sink.push(
            LINT.diagnostic(method.span, "`matchingMethod: Selected` needs something to group by")
                .with_help("add `groupByEntities`, `groupByAlertDetails` or `groupByCustomDetails`, or use `AllEntities`"),
        );
    }
    let mapped: Vec<String> = items(ctx.get("entityMappings"))
        .iter()
        .filter_map(|m| m.get("entityType").and_then(Node::as_str))
        .map(str::to_ascii_lowercase)
        .collect();
    for (i, (entity, node)) in strings(entities).into_iter().enumerate() {
        if !mapped.contains(&entity.to_ascii_lowercase()) {
            sink.push(
                LINT.diagnostic(
                    node.span,
                    format!("grouping by `{entity}`, but the rule maps no `{entity}` entity"),
                )
                .with_pointer(format!("{base}/groupByEntities/{i}"))
                .with_help("add the entity to `entityMappings`, or remove it here"),
            );
        }
    }
    let keys: Vec<&str> = ctx
        .get("customDetails")
        .and_then(Node::as_map)
        .map(|m| m.iter().map(|e| e.key.as_str()).collect())
        .unwrap_or_default();
    for (i, (key, node)) in strings(custom).into_iter().enumerate() {
        if !keys.contains(&key) {
            sink.push(
                LINT.diagnostic(
                    node.span,
                    format!(
                        "grouping by custom detail `{key}`, which `customDetails` does not define"
                    ),
                )
                .with_pointer(format!("{base}/groupByCustomDetails/{i}")),
            );
        }
    }
}
