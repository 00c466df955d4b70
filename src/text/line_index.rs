//! Byte offset <-> line/column conversion.

/// Start offsets of every line of a text. Lines end at `\n`, `\r\n` or a lone `\r` (YAML's
/// line breaks, so that a file saved with old Mac line endings has its lines); the break is
/// not content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a trailing newline does not start an extra line of content,
    /// but is still counted so that an offset at the very end has a line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte offset where the content of 0-based `line` ends (before `\r\n` or `\n`).
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > self.line_start(line) && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.line_start(line) && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    /// The content of 0-based `line`, without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        &text[self.line_start(line)..self.line_end(text, line)]
    }

    /// 1-based line and 1-based column (in characters) of a byte offset. A byte-order mark at
    /// the start of the file is not counted as a column, as no editor shows it.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let mut start = self.line_start(line);
        if line == 0 && text.starts_with('\u{feff}') && offset >= 3 {
            start = 3;
        }
        let column = text[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// Byte offset of 1-based `line` and 1-based character `column` (clamped to the line).
    pub fn offset_of(&self, text: &str, line: usize, column: usize) -> usize {
        let line0 = line.saturating_sub(1).min(self.starts.len() - 1);
        let start = self.line_start(line0);
        let end = self.line_end(text, line0);
        let mut offset = start;
        for (n, (i, _)) in text[start..end].char_indices().enumerate() {
            offset = start + i;
            if n + 1 == column {
                return offset;
            }
        }
        if column > 1 { end } else { offset }
    }
}

/// The offsets of the last byte of each line break.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter_map(|(i, &b)| {
        (b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).then_some(i)
    })
}

/// The greatest char boundary `<= offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\r\nbé: x\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 6), (2, 1));
        // `x` comes after a two-byte character
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 5));
        assert_eq!(idx.line_text(text, 0), "a: 1");
        assert_eq!(idx.line_text(text, 2), "");
        assert_eq!(idx.line_text(text, 3), "last");
        assert_eq!(idx.offset_of(text, 2, 5), x);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a: 1\rb: 2\r\nc: 3";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_col(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(idx.line_col(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(idx.line_text(text, 0), "a: 1");
        assert_eq!(idx.line_text(text, 1), "b: 2");
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}id: 1\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), (1, 1));
        assert_eq!(idx.line_col(text, 7), (1, 5));
    }
}
