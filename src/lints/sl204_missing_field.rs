//! SL204 missing-field: a required key is missing.

use crate::diagnostics::{Applicability, Diagnostic, Fix, Severity};

use crate::model::schema::SchemaErrorKind;
use crate::model::{RuleType, ids};
use crate::text::{Edit, Span};
use crate::yaml::{Node, split_pointer};

use super::{Check, FixAvailability, Lint, RuleContext, describe_pointer};

pub static LINT: Lint = Lint {
    code: "SL204",
    name: "missing-field",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "A required key is missing",
    docs: r#"## What it does
Reports a key the rule's type requires and the file does not have: for every analytics
rule `id`, `name`, `description`, `kind`, `severity`, `query`; for Scheduled rules also
`requiredDataConnectors` (may be `[]`), `queryFrequency`, `queryPeriod`, `triggerOperator`
and `triggerThreshold`; for hunting queries `id`, `name` and `query`; and the required keys
of nested mappings (`dataTypes` of a connector, `fieldMappings` of an entity mapping, ...).

## Why is this bad?
The Azure-Sentinel CI fails with "Required property '...' not found in JSON", and the
service refuses the rule. Analytics rules without `kind` are the format before 2021.

## Example
```yaml
id: 6b2f3c1d-0e9a-4b8c-8d7e-5f4a3b2c1d0e
name: Rare process
query: |
  DeviceProcessEvents
```
(as a Scheduled rule: `kind`, `severity`, `description`, scheduling fields are missing)

## Fix
A missing `id` gets a new GUID (unsafe: a rule's id must never change once deployed, so
make sure the rule was never published under another id).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Schema {
        explains: |kind| *kind == SchemaErrorKind::Required,
        report: |ctx, error, _| diagnostic(ctx, &error.pointer),
    },
};

fn hint(key: &str, rule_type: RuleType) -> Option<String> {
    Some(match key {
        "kind" => {
            "add `kind: Scheduled` (this file has scheduling fields such as `queryFrequency`)"
                .into()
        }
        "severity" => "add `severity:` with one of Informational, Low, Medium, High".into(),
        "requiredDataConnectors" => {
            "list the connectors and tables the query reads, or write `requiredDataConnectors: []`"
                .into()
        }
        "queryFrequency" => "add how often the query runs, e.g. `queryFrequency: 1h`".into(),
        "queryPeriod" => "add how far back the query looks, e.g. `queryPeriod: 1h`".into(),
        "triggerOperator" => "add `triggerOperator: gt` (gt, lt, eq or ne)".into(),
        "triggerThreshold" => "add `triggerThreshold: 0` to alert on any result".into(),
        "dataTypes" => "list the tables the query reads from this connector".into(),
        "description" if rule_type.is_analytics() => "describe what the rule detects".into(),
        "query" => "add the KQL under `query: |`, indented on the lines below".into(),
        "name" => "add the display name, e.g. `name: Rare sign-in country`".into(),
        "id" => "add a new GUID, e.g. from `uuidgen`; it must never change afterwards".into(),
        _ => return None,
    })
}

/// A finding for the missing key at `pointer` (reported from the schema).
fn diagnostic(ctx: &RuleContext<'_>, pointer: &str) -> Option<Diagnostic> {
    let (parent_pointer, key) = split_pointer(pointer)?;
    let parent = ctx.root.pointer(parent_pointer)?;
    let span = anchor(parent);
    let mut d = if parent_pointer.is_empty() {
        LINT.diagnostic(
            span,
            format!(
                "missing required key `{key}`; {} need it",
                ctx.rule_type.describe()
            ),
        )
    } else {
        LINT.diagnostic(
            span,
            format!("`{}` has no `{key}`", describe_pointer(parent_pointer)),
        )
    };
    if let Some(h) = hint(&key, ctx.rule_type) {
        d = d.with_help(h);
    }
    if pointer == "/id" {
        // Deterministic (from the file path and name), so that running the fix twice gives
        // the same id.
        let name = ctx.get("name").and_then(Node::as_str).unwrap_or_default();
        let new_id = ids::derived_id(&format!("{}\n{name}", ctx.file.path));
        let first = ctx
            .root
            .as_map()
            .and_then(|m| m.first())
            .map_or(0, |e| e.key_span.start);
        let at = ctx.file.full_line_span(first).start;
        d = d.with_fix(Fix::unsafe_(
            "Add a new id",
            vec![Edit::insert(at, format!("id: {new_id}\n"))],
        ));
    }
    Some(d)
}

/// Point at the rule's `kind` (what makes a key required), else at the mapping's first key.
fn anchor(parent: &Node) -> Span {
    parent
        .entry("kind")
        .or_else(|| parent.as_map().and_then(|m| m.first()))
        .map_or(parent.span, |e| e.key_span.cover(e.value.span))
}
