//! SL108 non-ascii: characters outside ASCII.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};

use super::{Check, FileContext, FixAvailability, Lint, Sink, describe_char};

pub static LINT: Lint = Lint {
    code: "SL108",
    name: "non-ascii",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file contains characters outside ASCII",
    docs: r#"## What it does
Reports characters outside ASCII, one finding per line (at most 10 per file). This is the
`NonAsciiValidations` check of the Azure-Sentinel CI, which applies to analytics rules and
hunting queries alike.

## Why is this bad?
The Azure-Sentinel CI rejects the file (`includes the non ascii char`). Most such
characters are typographic quotes, dashes and non-breaking spaces pasted from documents; in
a query they can also silently change a string literal.

## Example
```yaml
description: 'Detects the adversary’s use of …'
```
Use instead:
```yaml
description: 'Detects the adversary''s use of ...'
```

Inside a string of the query (`translate('–”“', '-""', x)`, `has "Krämer"`) the character
is matched on purpose: that is an info, never rewritten.

## Fix
Replaces typographic quotes, dashes, ellipses and non-breaking spaces outside the query's
strings with their ASCII look-alikes (unsafe: in the query's code or comments this may
change what is matched). Other characters, such as letters with accents in vendor names,
need a human decision.
"#,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    check: Check::File(check),
};

const MAX_FINDINGS: usize = 10;

/// An ASCII look-alike for common typographic characters.
fn ascii_lookalike(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => "\"",
        '\u{2013}' | '\u{2014}' | '\u{2212}' | '\u{2010}' | '\u{2011}' => "-",
        '\u{2026}' => "...",
        '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{202F}' => " ",
        '\u{200B}' | '\u{FEFF}' => "",
        _ => return None,
    })
}

/// ASCII, or a character another lint reports: the byte-order mark (byte-order-mark) and
/// the stand-in for bytes that are not UTF-8 (invalid-utf8).
fn explained(at: usize, c: char, lossy: bool) -> bool {
    c.is_ascii() || (at == 0 && c == '\u{feff}') || (lossy && c == '\u{fffd}')
}

fn check(ctx: &FileContext<'_>, sink: &mut Sink) {
    if ctx.text.is_ascii() {
        return;
    }
    let lossy = ctx.decoded.is_lossy();
    // Characters a query matches on purpose (`translate('–”“', ...)`) are never rewritten.
    let literals = ctx.query_strings();
    // The literals are in file order and do not overlap: the one that may hold `at` is the
    // last that starts at or before it.
    let in_literal = |at: usize| {
        let i = literals.partition_point(|s| s.start <= at);
        i > 0 && at < literals[i - 1].end
    };
    let mut lines_found = 0;
    let mut reported = 0;
    for line in 0..ctx.lines.line_count() {
        let start = ctx.lines.line_start(line);
        let text = ctx.lines.line_text(ctx.text, line);
        if text.is_ascii() {
            continue;
        }
        // The non-ASCII characters of the line that are not explained by another lint.
        let (quoted, chars): (Located, Located) = text
            .char_indices()
            .map(|(i, c)| (start + i, c))
            .filter(|&(at, c)| !explained(at, c, lossy))
            .partition(|&(at, _)| in_literal(at));
        if chars.is_empty() && quoted.is_empty() {
            continue;
        }
        lines_found += 1;
        if reported == MAX_FINDINGS {
            continue;
        }
        reported += 1;
        if let Some(d) = stray(ctx, &chars) {
            sink.push(d);
        }
        if let Some(&(at, c)) = quoted.first() {
            sink.push(
                LINT.diagnostic(
                    Span::new(at, at + c.len_utf8()),
                    format!("non-ASCII character {} in a string of the query", describe_char(c)),
                )
                .with_severity(Severity::Info)
                .with_help(format!(
                    "the query matches it on purpose, so it is not rewritten; the Azure-Sentinel CI rejects any non-ASCII character, so a rule for that repository writes it as `unicode_codepoints_to_string({})`",
                    c as u32
                )),
            );
        }
    }
    if lines_found > MAX_FINDINGS {
        let last = sink.diagnostics.last_mut().filter(|d| d.code == LINT.code);
        if let Some(d) = last {
            d.message.push_str(&format!(
                "; {} more lines with non-ASCII characters are not listed",
                lines_found - MAX_FINDINGS
            ));
        }
    }
}

/// Characters and their offsets in the file.
type Located = Vec<(usize, char)>;

/// The finding for the non-ASCII characters of a line outside the query's strings, with
/// look-alikes for all of them as an unsafe fix.
fn stray(ctx: &FileContext<'_>, chars: &[(usize, char)]) -> Option<crate::diagnostics::Diagnostic> {
    let &(first_at, first) = chars.first()?;
    // The run of consecutive non-ASCII characters starting at the first one.
    let mut end = first_at + first.len_utf8();
    for &(at, c) in &chars[1..] {
        if at != end {
            break;
        }
        end = at + c.len_utf8();
    }
    let others = chars.len() - ctx.text[first_at..end].chars().count();
    let more = if others > 0 {
        format!(" (and {others} more on this line)")
    } else {
        String::new()
    };
    let mut d = LINT
        .diagnostic(
            Span::new(first_at, end),
            format!("non-ASCII character {}{more}", describe_char(first)),
        )
        .with_help(
            "the Azure-Sentinel CI accepts only ASCII; replace it with a plain ASCII equivalent",
        );
    let edits: Vec<Edit> = chars
        .iter()
        .filter_map(|&(at, c)| {
            ascii_lookalike(c).map(|a| Edit::replace(Span::new(at, at + c.len_utf8()), a))
        })
        .collect();
    if edits.len() == chars.len() {
        d = d.with_fix(Fix::unsafe_("Replace with ASCII look-alikes", edits));
    }
    Some(d)
}
