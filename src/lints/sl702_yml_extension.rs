//! SL702 yml-extension: a rule file named `*.yml`.

use crate::diagnostics::Severity;

use crate::model::shape::Shape;
use crate::text::Span;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL702",
    name: "yml-extension",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A rule file ends in `.yml` instead of `.yaml`",
    docs: r#"## What it does
Reports rule files whose name ends in `.yml`.

## Why is this bad?
The Azure-Sentinel CI requires every file under `Detections/` and `Analytic Rules/` to end
in `.yaml` (`Validate_DetectionTemplates_AllFilesAreYamls`), and some of its loaders only
pick up `*.yaml`, so a `.yml` rule is silently skipped by other checks.

## Fix
Rename the file (`git mv rule.yml rule.yaml`).
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if !matches!(ctx.shape, Shape::Rule(_)) {
        return;
    }
    let is_yml = std::path::Path::new(ctx.path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yml"));
    if is_yml {
        sink.push(
            LINT.diagnostic(Span::empty(0), "rule files must end in `.yaml`, not `.yml`")
                .with_help("rename the file with `git mv`"),
        );
    }
}
