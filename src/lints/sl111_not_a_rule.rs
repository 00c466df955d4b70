//! SL111 not-a-rule: a YAML mapping without any key of a rule.

use crate::diagnostics::Severity;
use crate::model::shape::Shape;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL111",
    name: "not-a-rule",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "The YAML file has none of the keys of a rule and is not checked",
    docs: r#"## What it does
Notes a YAML mapping that has none of the keys a rule file has (`id`, `name`, `query`,
`description`, `kind`, `severity`): some other YAML file in the rule folders, such as a
workbook or a configuration file. It is not checked further.

## Why is this bad?
It is not bad in itself. If the file *is* meant to be a rule, its keys are misspelt.
Exclude such files from the run to silence this note.
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if *ctx.shape != Shape::NotARule {
        return;
    }
    let Some(first) = ctx.root().and_then(|r| r.as_map()).and_then(|m| m.first()) else {
        return;
    };
    sink.push(
        LINT.diagnostic(
            first.key_span,
            "no key of a Sentinel rule (`id`, `name`, `query`, ...); the file is not checked",
        )
        .with_help("if this is meant to be a rule, check the spelling of its keys"),
    );
}
