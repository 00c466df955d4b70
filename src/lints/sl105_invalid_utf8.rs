//! SL105 invalid-utf8: bytes that are not UTF-8.

use crate::diagnostics::Severity;

use crate::text::Span;
use crate::yaml::source::windows_1252_char;

use super::{Check, FileContext, FixAvailability, Lint, Sink};

pub static LINT: Lint = Lint {
    code: "SL105",
    name: "invalid-utf8",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file is not valid UTF-8",
    docs: r#"## What it does
Reports bytes that are not UTF-8, and says which character they most likely are: such
files were almost always saved as Windows-1252 (smart quotes and dashes pasted from Word or
Outlook).

## Why is this bad?
YAML files must be UTF-8. js-yaml (the Azure-Sentinel CI) and most tools refuse the file or
turn the bytes into `�`.

## Example
A description typed in Word: `It<0x92>s` instead of `It's`.

## Fix
Save the file as UTF-8, or replace the characters with plain ASCII. sentinel-lint checks the
rest of the file with each bad byte read as `�`; line and column numbers stay right, but no
automatic fixes are offered for such a file.
"#,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    let bad = &ctx.decoded.invalid_bytes;
    let Some(&(offset, byte)) = bad.first() else {
        return;
    };
    let guess = windows_1252_char(byte)
        .map(|c| format!(" (`{c}` in Windows-1252)"))
        .unwrap_or_default();
    let more = match bad.len() {
        1 => String::new(),
        n => format!("; {} more such bytes follow", n - 1),
    };
    let mut d = LINT
        .diagnostic(
            Span::new(offset, offset + '\u{fffd}'.len_utf8()),
            format!("byte 0x{byte:02X} is not UTF-8{guess}{more}"),
        )
        .with_help("save the file as UTF-8 (or replace the character with plain ASCII)");
    for &(offset, byte) in bad.iter().skip(1).take(4) {
        let label = windows_1252_char(byte)
            .map(|c| format!("0x{byte:02X} (`{c}`)"))
            .unwrap_or_else(|| format!("0x{byte:02X}"));
        d = d.with_label(Span::new(offset, offset + 3), label);
    }
    sink.push(d);
}
