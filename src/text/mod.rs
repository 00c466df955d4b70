//! Source text at the bottom of the crate: byte spans, edits and their application, line
//! and column positions, and the text a report keeps of a file. Every other module (YAML,
//! KQL, diagnostics, renderers) builds on this one; it uses none of them.

mod line_index;
mod source;
pub mod suggest;

use serde::Serialize;

pub use line_index::{LineIndex, floor_char_boundary};
pub use source::SourceText;

/// A half-open byte range `start..end` in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Replace `span` of the original text with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    #[serde(skip)]
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(Span::empty(at), text)
    }

    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }
}

/// Apply non-overlapping edits to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for edit in sorted {
        if edit.span.start < cursor {
            continue; // overlapping edit: the earlier one wins
        }
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// Names as code, at most `max` of them, the rest counted: "`a`, `b` and 3 more".
pub fn code_list(names: &[&str], max: usize) -> String {
    let mut list = names
        .iter()
        .take(max)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        list.push_str(&format!(" and {} more", names.len() - max));
    }
    list
}

/// A character for a message: the character and its code point.
pub fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}` (U+{:04X})", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::code_list;

    #[test]
    fn names_past_the_maximum_are_counted() {
        assert_eq!(code_list(&["a", "b"], 3), "`a`, `b`");
        assert_eq!(code_list(&["a", "b", "c", "d"], 2), "`a`, `b` and 2 more");
    }
}
