//! SL210 unknown-key: a key the rule format does not have.

use crate::diagnostics::{Applicability, Diagnostic, Fix, Severity};

use crate::model::schema::SchemaErrorKind;
use crate::text::Edit;
use crate::yaml::split_pointer;

use super::{Check, FixAvailability, Lint, RuleContext, describe_pointer, did_you_mean};

pub static LINT: Lint = Lint {
    code: "SL210",
    name: "unknown-key",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A key that the rule format does not have",
    docs: r#"## What it does
Reports keys that no part of the rule format defines, at the top level and inside nested
mappings, and suggests the key that was probably meant: the YAML name of an ARM property
(`techniques` -> `relevantTechniques`, `displayName` -> `name`), or a spelling or case
slip (`Tags` -> `tags`).

## Why is this bad?
Every tool ignores unknown keys silently: a misspelt `entityMapping` means the rule has no
entities, a `techniques` list never reaches the deployed rule. (`tags`, `metadata` and
`status` are known keys.)

## Example
```yaml
techniques:
  - T1078
```
Use instead:
```yaml
relevantTechniques:
  - T1078
```

## Fix
A key written in another case than the format's (`datatypes` -> `dataTypes`) is rewritten
(safe: `convert` reads it so already, and keeps the value). Other keys are renamed to the
suggestion (unsafe: the value is then read, and checked).
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::Schema {
        explains: |kind| *kind == SchemaErrorKind::Unexpected,
        report: |ctx, error, sink| {
            let (d, meant) = diagnostic(ctx, &error.pointer)?;
            if let Some(meant) = meant {
                // The key it was meant to be is not missing: this finding explains that.
                sink.claim(meant);
            }
            Some(d)
        },
    },
};

/// Names other tools or older formats use, and what the rule format calls them.
const RENAMES: [(&str, &str); 9] = [
    ("techniques", "relevantTechniques"),
    ("subTechniques", "relevantTechniques"),
    ("threatAnalysisTechniques", "relevantTechniques"),
    ("threatAnalysisTactics", "tactics"),
    ("displayName", "name"),
    ("alertRuleTemplateName", "id"),
    ("templateVersion", "version"),
    ("eventGroupSettings", "eventGroupingSettings"),
    ("entityMapping", "entityMappings"),
];

const METADATA_KEYS: [&str; 4] = ["source", "author", "support", "categories"];

/// A finding for the unknown key at `pointer` (reported from the schema), and the pointer
/// of the key it was probably meant to be, when that key is missing.
fn diagnostic(ctx: &RuleContext<'_>, pointer: &str) -> Option<(Diagnostic, Option<String>)> {
    let (parent, key) = split_pointer(pointer)?;
    let span = ctx.root.key_span_at(pointer)?;
    let place = if parent.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", describe_pointer(parent))
    };
    let taken = |s: &str| ctx.root.pointer(parent).and_then(|p| p.get(s)).is_some();
    if let Some(right) = crate::model::schema::key_in_its_case(&key).filter(|r| !taken(r)) {
        // The same key in another case: what it means is plain (and `convert` reads it so).
        let d = LINT
            .diagnostic(span, format!("`{key}`{place} is written `{right}`"))
            .with_help(format!("keys are case-sensitive: `{right}`"))
            .with_fix(Fix::safe(
                format!("Write `{right}`"),
                vec![Edit::replace(span, right)],
            ));
        return Some((d, Some(crate::yaml::pointer_push(parent, right))));
    }
    let mut d = LINT.diagnostic(span, format!("unknown key `{key}`{place}; it is ignored"));
    let mut meant = None;
    let suggestion = RENAMES
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(&key))
        .map(|(_, to)| *to)
        .or_else(|| {
            did_you_mean(
                &key,
                crate::model::schema::known_keys()
                    .iter()
                    .map(String::as_str),
            )
        });
    if parent.is_empty() && METADATA_KEYS.contains(&key.as_str()) {
        d = d.with_help(format!(
            "`{key}` belongs under `metadata:`; is it indented too little?"
        ));
    } else if let Some(s) = suggestion.filter(|s| *s != key) {
        let taken = taken(s);
        d = d.with_help(format!(
            "did you mean `{s}`?{}",
            if taken { " (it is also present)" } else { "" }
        ));
        if !taken {
            d = d.with_fix(Fix::unsafe_(
                format!("Rename to `{s}`"),
                vec![Edit::replace(span, s)],
            ));
            meant = Some(crate::yaml::pointer_push(parent, s));
        }
    } else if key.contains("description") {
        d = d.with_help("no tool reads it; put what matters into `description`");
    }
    Some((d, meant))
}
