//! SL711 id-changed: a changed rule has another `id` than it had.

use crate::diagnostics::{Fix, Severity};

use super::{Check, FixAvailability, Lint, RevisionContext, Sink, replace_scalar};

pub static LINT: Lint = Lint {
    code: "SL711",
    name: "id-changed",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The `id` of an existing rule changed since the revision `--changed-since` names",
    docs: r#"## What it does
With `--changed-since REF`, compares the `id` of each changed rule with the one it had at
`REF` (read from git's object store, following a renamed or moved file). Ids are compared
without case and surrounding spaces, as GUIDs are; an earlier id that was not a GUID
(`tobeadded`) was never deployed, and replacing it is not reported.

## Why is this bad?
Sentinel, the content hub and Sentinel Repositories update a deployed rule by its id: a
new id deploys a second rule and leaves the first one running, unmaintained. The
Azure-Sentinel CI refuses a changed id for the same reason. A new rule gets a new file.

## Example
The rule had `id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a` and now has
`id: 9d0e1f2a-...`. Use instead: the old id.

## Fix
Writes the old id back (unsafe: if a new rule was meant, give it a file of its own).
"#,
    fix: FixAvailability::Sometimes(crate::diagnostics::Applicability::Unsafe),
    check: Check::Revision(check),
};

fn check(ctx: &RevisionContext<'_>, sink: &mut Sink) {
    let rule = ctx.rule;
    let (Some(node), Some(old)) = (rule.get("id"), ctx.previous.get("id")) else {
        return;
    };
    let (Some(id), Some(old_id)) = (node.as_str(), old.as_str()) else {
        return;
    };
    // An id that was not a GUID was never deployed (the CI and Sentinel refuse it): giving
    // the rule a real one is the fix, not a change.
    if id.trim().eq_ignore_ascii_case(old_id.trim())
        || uuid::Uuid::parse_str(old_id.trim()).is_err()
    {
        return;
    }
    let old_id = old_id.trim();
    let mut d = LINT
        .diagnostic(
            node.span,
            format!("the id changed from `{old_id}`: Sentinel would deploy this as a new rule"),
        )
        .with_help(
            "keep the id of an existing rule; the deployed rule is updated by it (a new rule belongs in a new file)",
        )
        .with_pointer("/id");
    if let Some(edit) = replace_scalar(rule, node, old_id) {
        d = d.with_fix(Fix::unsafe_(
            format!("Write the old id `{old_id}`"),
            vec![edit],
        ));
    }
    sink.push(d);
}
