//! SL712 version-not-bumped: what a rule does changed, its `version` did not.

use crate::diagnostics::Severity;
use crate::model::ids::{version_numbers, version_text};

use super::{Check, FixAvailability, Lint, RevisionContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL712",
    name: "version-not-bumped",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "The query, schedule, trigger, entities or details of a rule changed, its `version` did not",
    docs: r#"## What it does
With `--changed-since REF`, compares each changed rule with its version at `REF`: when its
query (other than trailing spaces), `queryFrequency`, `queryPeriod`, `triggerOperator`,
`triggerThreshold`, `entityMappings`, `customDetails`, `alertDetailsOverride`,
`eventGroupingSettings`, `incidentConfiguration` or `sentinelEntitiesMappings` changed, the
`version` must be higher than it was. A warning for hunting queries.

## Why is this bad?
The content hub and Sentinel offer an update of a deployed template only when its version
is higher: the change never reaches the workspaces that use the rule. The Azure-Sentinel
CI asks for the bump.

## Example
The query changed and `version: 1.0.3` stayed. Use instead: `version: 1.0.4`.
"#,
    fix: FixAvailability::None,
    check: Check::Revision(check),
};

/// What a deployed rule does, besides its query: a change to any needs a new version.
const BEHAVIOUR: [&str; 10] = [
    "queryFrequency",
    "queryPeriod",
    "triggerOperator",
    "triggerThreshold",
    "entityMappings",
    "customDetails",
    "alertDetailsOverride",
    "eventGroupingSettings",
    "incidentConfiguration",
    "sentinelEntitiesMappings",
];

fn check(ctx: &RevisionContext<'_>, sink: &mut Sink) {
    let rule = ctx.rule;
    let json = |node: &crate::yaml::Node, key: &str| node.get(key).map(|n| n.to_json());
    let (Some(version), Some(old_version)) = (
        rule.root.get("version"),
        json(ctx.previous, "version").and_then(|v| version_numbers(&v)),
    ) else {
        return;
    };
    let Some(new_version) = version_numbers(&version.to_json()) else {
        return;
    };
    // Higher: bumped. Lower: `version-decreased` says so.
    if new_version != old_version {
        return;
    }
    let query = |node: &crate::yaml::Node| {
        node.get("query").and_then(|q| q.as_str()).map(|q| {
            q.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .to_owned()
        })
    };
    let mut changed: Vec<&str> = Vec::new();
    if query(rule.root) != query(ctx.previous) {
        changed.push("query");
    }
    changed.extend(
        BEHAVIOUR
            .iter()
            .filter(|key| json(rule.root, key) != json(ctx.previous, key)),
    );
    if changed.is_empty() {
        return;
    }
    let shown = version_text(old_version);
    let next = version_text([old_version[0], old_version[1], old_version[2] + 1]);
    let what = crate::text::code_list(&changed, 3);
    sink.push(
        LINT.diagnostic(
            version.span,
            format!("{what} changed, and the version is still {shown}"),
        )
        .with_severity(rule.severity_for(&LINT))
        .with_help(format!(
            "raise the version (to {next} or higher), or deployed copies of the rule are never offered the change"
        ))
        .with_pointer("/version"),
    );
}
