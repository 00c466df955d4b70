//! SL102 misindented-key: a key indented like the `- ` of the list item above it.

use crate::diagnostics::{Applicability, Fix, Severity};
use crate::yaml::pointer_push;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL102",
    name: "misindented-key",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "A key is indented like the `- ` of the list item above it, so it does not belong to that item",
    docs: r#"## What it does
Finds a key written at the column of the `- ` of a list item, when it belongs inside that
item. Inside an indented list this is a YAML syntax error ("did not find expected '-'
indicator"); in a list written without indentation it is valid YAML that means something
else (the key becomes a sibling of the list).

## Why is this bad?
All 171 files of the public Remote Management and Monitoring hunting-query pack have this
mistake, so none of them can be read. Where the YAML stays valid, the connector loses its
`dataTypes` and the rule gets an unknown top-level key.

## Example
```yaml
requiredDataConnectors:
    - connectorId: MicrosoftThreatProtection
    dataTypes:
        - DeviceNetworkEvents
```
Use instead:
```yaml
requiredDataConnectors:
    - connectorId: MicrosoftThreatProtection
      dataTypes:
        - DeviceNetworkEvents
```

## Fix
Indents the key and every line of its value by the same number of spaces, so that the key
starts in the column of the item's first key (safe). sentinel-lint also checks the rest of
the file as if this fix were applied.
"#,
    fix: FixAvailability::Always(Applicability::Safe),
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    for m in &ctx.parsed.misindents {
        let spaces = if m.shift == 1 { "space" } else { "spaces" };
        let mut d = LINT
            .diagnostic(
                m.key_span,
                format!(
                    "`{}` is indented like the list item above; indent it {} more {spaces} so it belongs to that item",
                    m.key, m.shift
                ),
            )
            .with_label(m.item_key_span, format!("the item starts with `{}` here", m.item_key))
            .with_help(format!(
                "a key of a list item starts in the column of the item's first key (`{}`), not in the column of its `- `",
                m.item_key
            ))
            .with_fix(Fix::safe(
                format!("Indent `{}` and its value by {} {spaces}", m.key, m.shift),
                m.edits.clone(),
            ));
        if !m.is_syntax_error {
            // Valid YAML, read with the key one level up: say where it landed.
            d = d.with_pointer(pointer_push("", &m.key));
            sink.claim(pointer_push("", &m.key));
        }
        sink.push(d);
    }
}
