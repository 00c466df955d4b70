//! SL713 version-decreased: a rule's `version` is lower than it was.

use crate::diagnostics::Severity;
use crate::model::ids::{version_numbers, version_text};

use super::{Check, FixAvailability, Lint, RevisionContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL713",
    name: "version-decreased",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "The `version` of a rule is lower than it was at the revision `--changed-since` names",
    docs: r#"## What it does
With `--changed-since REF`, compares the `version` of each changed rule with the one it
had at `REF`, as numbers (`1.0.10` is higher than `1.0.9`). A warning for hunting queries.

## Why is this bad?
Workspaces that deployed the higher version are never offered this one: Sentinel and the
content hub update only to a higher version. It is usually the result of a merge that
took the older side.

## Example
`version: 1.2.0` became `version: 1.1.0`. Use instead: `version: 1.2.1`.
"#,
    fix: FixAvailability::None,
    check: Check::Revision(check),
};

fn check(ctx: &RevisionContext<'_>, sink: &mut Sink) {
    let rule = ctx.rule;
    let (Some(version), Some(old)) = (
        rule.root.get("version"),
        ctx.previous
            .get("version")
            .and_then(|v| version_numbers(&v.to_json())),
    ) else {
        return;
    };
    let Some(new) = version_numbers(&version.to_json()) else {
        return;
    };
    if new >= old {
        return;
    }
    let old_text = version_text(old);
    sink.push(
        LINT.diagnostic(
            version.span,
            format!("the version went down from {old_text}"),
        )
        .with_severity(rule.severity_for(&LINT))
        .with_help(format!(
            "a version higher than {old_text}: deployed copies are updated only to a higher one"
        ))
        .with_pointer("/version"),
    );
}
