//! SL802 unused-suppression: a suppression that silences no finding.

use crate::diagnostics::{Applicability, Severity};

use super::{Check, FixAvailability, Lint};

pub static LINT: Lint = Lint {
    code: "SL802",
    name: "unused-suppression",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "A suppression comment silences no finding",
    docs: r#"## What it does
Reports `# sentinel-lint: ignore[...]` comments whose lints report nothing where the
comment applies.

## Why is this bad?
The problem was fixed, or the comment sits above the wrong key. Either way it no longer
documents anything, and a stale suppression would silence a new, real finding later.

## Example
```yaml
# sentinel-lint: ignore[SL301]
tactics:
  - Persistence
```

The fix removes the comment (safe) when none of its lints is used.
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Suppression,
};
