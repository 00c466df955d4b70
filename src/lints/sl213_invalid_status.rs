//! SL213 invalid-status: `status` is not a template status.

use crate::diagnostics::Severity;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, allowed};

pub static LINT: Lint = Lint {
    code: "SL213",
    name: "invalid-status",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "`status` is not Available, Installed or NotAvailable",
    docs: r#"## What it does
Checks that `status` is a template status: `Available` (the usual value), `Installed` or
`NotAvailable`.

## Why is this bad?
The Solutions packager copies `status` into the rule template, whose API knows only these
three values. Community packs use values such as `Production` for their own bookkeeping;
that belongs in `metadata` or `tags`.

## Example
```yaml
status: Production
```
Use instead:
```yaml
status: Available
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(node) = ctx.get("status") else {
        return;
    };
    let Some(status) = node.as_str() else {
        return;
    };
    let names: Vec<&str> = allowed("TemplateStatus").collect();
    if names.iter().any(|n| n.eq_ignore_ascii_case(status)) {
        return;
    }
    sink.push(
        LINT.diagnostic(node.span, format!("`{status}` is not a template status"))
            .with_pointer("/status")
            .with_help(format!(
                "use one of {} (usually `Available`)",
                names.join(", ")
            )),
    );
}
