//! SL212 hunting-description-length: a hunting query's description over 255 characters.

use crate::diagnostics::Severity;
use crate::model::limits::HUNTING_DESCRIPTION_MAX;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL212",
    name: "hunting-description-length",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "A hunting query's description is longer than 255 characters",
    docs: r#"## What it does
Notes hunting-query descriptions longer than 255 characters.

## Why is this bad?
Reviewers of the Azure-Sentinel repository ask for hunting-query descriptions of at most
255 characters (PR #9323): the hunting blade shows them in a narrow column, and the
description is deployed as a saved-search tag. Not enforced by CI, hence a note.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    if !ctx.is_hunting() {
        return;
    }
    let Some(node) = ctx.get("description") else {
        return;
    };
    let Some(text) = node.as_str() else {
        return;
    };
    let length = text.trim().chars().count();
    if length > HUNTING_DESCRIPTION_MAX {
        sink.push(
            LINT.diagnostic(
                node.span,
                format!("the description is {length} characters long; hunting-query descriptions should stay within {HUNTING_DESCRIPTION_MAX}"),
            )
            .with_help("keep the first sentence short; put details in the query's comments"),
        );
    }
}
