//! SL114 unreadable-file: the file cannot be read as a rule file's text.

use crate::diagnostics::{Diagnostic, Severity};

use crate::text::Span;

use super::{Check, FixAvailability, Lint};

pub static LINT: Lint = Lint {
    code: "SL114",
    name: "unreadable-file",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The file cannot be read: an OS error, not a regular file, too large, or UTF-16",
    docs: r#"## What it does
Reports a file that was named on the command line or found in a folder but cannot be read
as the UTF-8 text of a rule file:
- the operating system refused to read it (permissions, a broken link, an I/O error);
- it is not a regular file: a FIFO, a socket or a device named `*.yaml` (it is not opened,
  so that the run never blocks on it);
- it is larger than the file size limit (4 MiB; rule files are a few kilobytes);
- it is encoded as UTF-16 or UTF-32 (Windows editors save "Unicode" files so).

The other files of the run are checked as usual.

## Why is this bad?
Nothing can be checked in the file, and the Azure-Sentinel CI and Sentinel's repository
connection cannot read it either: a UTF-16 file fails YAML parsing there with a message
about invalid characters.

## Example
A rule saved by an editor as "Unicode (UTF-16 LE)": its bytes start with `FF FE`, and every
other byte is zero.

## How to fix
Save the file as UTF-8 (`iconv -f UTF-16 -t UTF-8 rule.yaml`), fix its permissions, or
remove what is not a rule file from the rule folder.
"#,
    fix: FixAvailability::None,
    check: Check::Input,
};

/// The finding for a file that could not be read.
pub fn diagnostic(reason: impl Into<String>) -> Diagnostic {
    LINT.diagnostic(Span::empty(0), reason)
}

/// The encoding of a text that is UTF-16 or UTF-32 rather than UTF-8: by its byte-order mark,
/// or by the zero bytes that ASCII text has between its characters in UTF-16.
pub fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some("UTF-32 (little-endian)");
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some("UTF-32 (big-endian)");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16 (little-endian)");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16 (big-endian)");
    }
    // Without a mark: the first characters of a rule file are ASCII.
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() >= 8 {
        let (even, odd) = head.chunks(2).fold((0, 0), |(e, o), pair| {
            (e + usize::from(pair[0] == 0), o + usize::from(pair[1] == 0))
        });
        let pairs = head.len() / 2;
        if odd == pairs && even == 0 {
            return Some("UTF-16 (little-endian)");
        }
        if even == pairs && odd == 0 {
            return Some("UTF-16 (big-endian)");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_encodings() {
        let le: Vec<u8> = "id: 1\nname: x\n".bytes().flat_map(|b| [b, 0]).collect();
        let be: Vec<u8> = "id: 1\nname: x\n".bytes().flat_map(|b| [0, b]).collect();
        assert_eq!(wide_encoding(&le), Some("UTF-16 (little-endian)"));
        assert_eq!(wide_encoding(&be), Some("UTF-16 (big-endian)"));
        assert_eq!(
            wide_encoding(b"\xff\xfei\0d\0"),
            Some("UTF-16 (little-endian)")
        );
        assert_eq!(wide_encoding(b"id: 1\nname: x\n"), None);
        assert_eq!(wide_encoding(b"\xef\xbb\xbfid: 1\n"), None);
    }
}
