//! SL801 invalid-suppression: a `# sentinel-lint:` comment that cannot be read.

use crate::diagnostics::Severity;

use super::{Check, FixAvailability, Lint};

pub static LINT: Lint = Lint {
    code: "SL801",
    name: "invalid-suppression",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "A suppression comment names no lint, or an unknown one",
    docs: r#"## What it does
Reports `# sentinel-lint:` comments that are not suppressions sentinel-lint understands: a
form other than `ignore[...]` and `ignore-file[...]`, a list without its closing `]`, an
empty list, or a name that is no lint code, name or code prefix.

## Why is this bad?
Whoever wrote it meant to silence a finding; a misspelt code silences nothing, and the
finding comes back as a surprise (or, worse, the comment looks as if the file had been
reviewed).

## Example
```yaml
# sentinel-lint: ignore[SL1O8] the em dash is in the product name
```

Use instead:
```yaml
# sentinel-lint: ignore[SL108] the em dash is in the product name
```

`ignore[...]` on a line of its own applies to the next key (with its whole value), at the
end of a line to that line's key; `ignore-file[...]` to the whole file. Lints are named by
code, name or code prefix; the text after `]` is the reason.
"#,
    fix: FixAvailability::None,
    check: Check::Suppression,
};
