//! SL115 moved-rule-stub: a file left where a rule was, saying where it moved.

use crate::diagnostics::Severity;
use crate::model::shape::Shape;
use crate::text::Span;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL115",
    name: "moved-rule-stub",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "The file is a stub left where a rule moved, not a rule",
    docs: r#"## What it does
Recognises what Azure-Sentinel leaves where it moved a rule (to a Solution): an `id`, a
`name` and a `description` that says where the rule is now, without a `query` or a
`kind`. Such a file is not checked as a rule (no "missing `query`", no duplicate file
name with the rule it points to), and `convert` skips it.

## Why is this bad?
It is not: the stub keeps old links working. This info says why the file is not checked,
and where the rule is.

## Example
```yaml
id: 8c076f9f-ebc5-4018-8795-e1ed4879f68e
name: Azure VM Run Command executed from Azure IP address
description: 'As part of content migration, this file is moved to new location. you can find here: https://github.com/Azure/Azure-Sentinel/blob/master/Solutions/...'
```
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if *ctx.shape != Shape::MovedStub {
        return;
    }
    let description = ctx.root().and_then(|root| root.get("description"));
    let span = description.map_or(Span::empty(0), |d| d.span);
    let target = description
        .and_then(|d| d.as_str())
        .and_then(|d| d.split_whitespace().find(|w| w.starts_with("http")));
    let message = match target {
        Some(url) => {
            format!("a stub left where a rule moved (now at {url}); not checked as a rule")
        }
        None => "a stub left where a rule moved; not checked as a rule".to_owned(),
    };
    sink.push(LINT.diagnostic(span, message));
}
