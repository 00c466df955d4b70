//! SL202 unsupported-kind: an analytics rule of a built-in kind that has no query.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::model::shape::Shape;
use crate::text::Edit;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL202",
    name: "unsupported-kind",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The rule is of a built-in kind (Fusion, Anomaly, ...) that sentinel-lint does not check",
    docs: r#"## What it does
Notes rules of the kinds `Fusion`, `MicrosoftSecurityIncidentCreation`,
`MLBehaviorAnalytics`, `ThreatIntelligence` and `Anomaly`, which Microsoft provides and
configures rather than defines with a query, and does not check them further. A misspelt
kind (`Anomoly`) is an error.

## Why is this bad?
The Azure-Sentinel CI accepts only `Scheduled` and `NRT` templates ("was not recognized as
a valid template kind"). Exports of built-in rules belong with the workspace's
configuration, not with detection content.

## Fix
A misspelt kind is corrected (unsafe: check that the file really is such a rule).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let Shape::OtherKind { written, canonical } = ctx.shape else {
        return;
    };
    let Some(kind) = ctx.root().and_then(|r| r.get("kind")) else {
        return;
    };
    if written.eq_ignore_ascii_case(canonical) {
        sink.push(
            LINT.diagnostic(
                kind.span,
                format!("`{canonical}` rules are built in to Sentinel and have no query to check; the file is not checked further"),
            )
            .with_help("the Azure-Sentinel CI accepts only kinds `Scheduled` and `NRT`"),
        );
    } else {
        sink.push(
            LINT.diagnostic(
                kind.span,
                format!("unknown kind `{written}`; did you mean `{canonical}`?"),
            )
            .with_severity(Severity::Error)
            .with_help(format!(
                "`{canonical}` rules are built in to Sentinel; the file is not checked further"
            ))
            .with_fix(Fix::unsafe_(
                format!("Change the kind to `{canonical}`"),
                vec![Edit::replace(kind.span, *canonical)],
            )),
        );
    }
}
