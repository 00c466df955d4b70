//! Turning a file's bytes into text without losing track of what was odd about them.

/// The text of a file plus what decoding noticed.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text. With invalid UTF-8, each bad byte became one U+FFFD, so that line and column
    /// numbers still match the file (byte offsets then differ, and fixes are withheld).
    pub text: String,
    /// The file starts with a UTF-8 byte-order mark (kept as the first character of `text`).
    pub has_bom: bool,
    /// Bytes that are not UTF-8: offset in `text` of their U+FFFD, and the byte.
    pub invalid_bytes: Vec<(usize, u8)>,
    pub line_endings: LineEndings,
}

impl Decoded {
    pub fn is_lossy(&self) -> bool {
        !self.invalid_bytes.is_empty()
    }
}

/// How many lines end in each style.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineEndings {
    pub lf: usize,
    pub crlf: usize,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    let has_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let mut invalid_bytes = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let mut text = String::with_capacity(bytes.len() + 16);
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                for &b in chunk.invalid() {
                    invalid_bytes.push((text.len(), b));
                    text.push('\u{fffd}');
                }
            }
            text
        }
    };
    let mut line_endings = LineEndings::default();
    let raw = text.as_bytes();
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' {
            if i > 0 && raw[i - 1] == b'\r' {
                line_endings.crlf += 1;
            } else {
                line_endings.lf += 1;
            }
        }
    }
    Decoded {
        text,
        has_bom,
        invalid_bytes,
        line_endings,
    }
}

/// What a byte that is not UTF-8 most likely meant: files with such bytes were saved as
/// Windows-1252 (smart quotes and dashes from Word or Outlook).
pub fn windows_1252_char(byte: u8) -> Option<char> {
    let c = match byte {
        0x80 => '€',
        0x82 => '‚',
        0x83 => 'ƒ',
        0x84 => '„',
        0x85 => '…',
        0x86 => '†',
        0x87 => '‡',
        0x88 => 'ˆ',
        0x89 => '‰',
        0x8A => 'Š',
        0x8B => '‹',
        0x8C => 'Œ',
        0x8E => 'Ž',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x95 => '•',
        0x96 => '–',
        0x97 => '—',
        0x98 => '˜',
        0x99 => '™',
        0x9A => 'š',
        0x9B => '›',
        0x9C => 'œ',
        0x9E => 'ž',
        0x9F => 'Ÿ',
        0xA0..=0xFF => char::from(byte),
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_columns() {
        let d = decode(b"a: it\x92s\r\nb: 1\n");
        assert_eq!(d.text, "a: it\u{fffd}s\r\nb: 1\n");
        assert_eq!(d.invalid_bytes, vec![(5, 0x92)]);
        assert_eq!(d.line_endings, LineEndings { lf: 1, crlf: 1 });
        assert_eq!(windows_1252_char(0x92), Some('’'));
    }

    #[test]
    fn bom_is_kept() {
        let d = decode(b"\xef\xbb\xbfid: 1\n");
        assert!(d.has_bom);
        assert!(d.text.starts_with('\u{feff}'));
        assert!(!d.is_lossy());
    }
}
