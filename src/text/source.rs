//! The text of a checked file as a report holds it: whole, or only the lines findings
//! point at.

use std::sync::Arc;

use super::{LineIndex, Span, floor_char_boundary};

/// The text of a checked file, shared by its diagnostics for rendering: the whole text, or,
/// once [`SourceText::keep_only`] has run, only the lines that findings point at (so that a
/// run over a large pack does not hold every file's text until the report is written).
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The whole text (empty once only excerpts are kept).
    pub text: Arc<str>,
    pub lines: Arc<LineIndex>,
    /// Runs of whole lines, by start offset, when only they are kept.
    excerpts: Option<Arc<[Excerpt]>>,
}

/// Consecutive lines of a text, from a line start.
#[derive(Debug)]
struct Excerpt {
    /// Byte offset of its first line in the whole text.
    start: usize,
    /// 0-based number of its first line.
    first_line: usize,
    text: Box<str>,
    /// Its lines, so that a position in a long excerpt is found without scanning it.
    lines: LineIndex,
}

impl SourceText {
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let lines = LineIndex::new(&text);
        SourceText::with_lines(text, lines)
    }

    /// With a line index already built for this text.
    pub fn with_lines(text: impl Into<Arc<str>>, lines: LineIndex) -> Self {
        SourceText {
            text: text.into(),
            lines: Arc::new(lines),
            excerpts: None,
        }
    }

    /// 1-based (line, column) of a byte offset; columns count characters. With excerpts, an
    /// offset outside them is placed at the start of the nearest line kept before it.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        match &self.excerpts {
            None => self.lines.line_col(&self.text, offset),
            Some(_) => {
                let Some(excerpt) = self.excerpt_at(offset) else {
                    return (1, 1);
                };
                let text = &*excerpt.text;
                let local =
                    floor_char_boundary(text, offset.saturating_sub(excerpt.start).min(text.len()));
                let line = excerpt.lines.line_of(local);
                let mut line_start = excerpt.lines.line_start(line);
                // The byte-order mark is not a column (see `LineIndex::line_col`), and only
                // the file's first line can start with it.
                if excerpt.start == 0 && line == 0 && text.starts_with('\u{feff}') && local >= 3 {
                    line_start = 3;
                }
                (
                    excerpt.first_line + line + 1,
                    text[line_start..local].chars().count() + 1,
                )
            }
        }
    }

    /// The text from the start of a line at most `lines_before` lines above the one holding
    /// `offset` (not above the excerpt holding it, when only excerpts are kept), with the
    /// offset and the 0-based number of that line. Found through line indexes: no scan.
    pub fn window(&self, offset: usize, lines_before: usize) -> (usize, usize, &str) {
        match (&self.excerpts, self.excerpt_at(offset)) {
            (None, _) => {
                let offset = offset.min(self.text.len());
                let first = self.lines.line_of(offset).saturating_sub(lines_before);
                let base = self.lines.line_start(first).min(offset);
                (base, first, &self.text[base..])
            }
            (Some(_), Some(excerpt)) => {
                let local = offset.saturating_sub(excerpt.start).min(excerpt.text.len());
                let first = excerpt.lines.line_of(local).saturating_sub(lines_before);
                let base = excerpt.lines.line_start(first);
                (
                    excerpt.start + base,
                    excerpt.first_line + first,
                    &excerpt.text[base..],
                )
            }
            (Some(_), None) => (offset, 0, ""),
        }
    }

    /// The part of `span` on its first line (all of it when it is on one line): what a
    /// finding points at, as kept with or without excerpts.
    pub fn first_line_of(&self, span: Span) -> &str {
        let (base, _, text) = self.window(span.start, 0);
        let Some(from) = span.start.checked_sub(base).filter(|&f| f <= text.len()) else {
            return "";
        };
        let rest = &text[floor_char_boundary(text, from)..];
        let until = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let wanted = span.end.saturating_sub(span.start).min(until);
        &rest[..floor_char_boundary(rest, wanted)]
    }

    /// Bytes of text held (all of it, or the excerpts).
    pub fn held_bytes(&self) -> usize {
        match &self.excerpts {
            None => self.text.len(),
            Some(excerpts) => excerpts.iter().map(|e| e.text.len()).sum(),
        }
    }

    fn excerpt_at(&self, offset: usize) -> Option<&Excerpt> {
        let excerpts = self.excerpts.as_deref()?;
        let i = excerpts
            .partition_point(|e| e.start <= offset)
            .checked_sub(1)?;
        Some(&excerpts[i])
    }

    /// Keep only the lines that `spans` touch (from the line of their start to the line of
    /// their end, and `context` lines around them; without context, only the lines where
    /// they start and end); drop the rest of the text and the line index.
    pub fn keep_only(&mut self, spans: impl IntoIterator<Item = Span>, context: usize) {
        if self.excerpts.is_some() {
            return;
        }
        let last_line = self.lines.line_count().saturating_sub(1);
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for span in spans {
            let start = self.lines.line_of(span.start.min(self.text.len()));
            let end = self
                .lines
                .line_of(span.end.min(self.text.len()).max(span.start));
            if context == 0 {
                // Positions only: the lines where the span starts and ends.
                ranges.push((start, start));
                if end != start {
                    ranges.push((end, end));
                }
            } else {
                ranges.push((
                    start.saturating_sub(context),
                    (end + context).min(last_line),
                ));
            }
        }
        ranges.sort_unstable();
        // Merge in place: overlapping or adjacent runs of lines become one.
        let mut kept = 0;
        for i in 0..ranges.len() {
            let (start, end) = ranges[i];
            if kept > 0 && start <= ranges[kept - 1].1 + 1 {
                ranges[kept - 1].1 = ranges[kept - 1].1.max(end);
            } else {
                ranges[kept] = (start, end);
                kept += 1;
            }
        }
        let excerpts: Arc<[Excerpt]> = ranges[..kept]
            .iter()
            .map(|&(first, last)| {
                let start = self.lines.line_start(first);
                let end = self.lines.line_start(last + 1);
                let text: Box<str> = self.text[start..end].into();
                Excerpt {
                    start,
                    first_line: first,
                    lines: LineIndex::new(&text),
                    text,
                }
            })
            .collect();
        self.excerpts = Some(excerpts);
        // One empty text and line index for every file (no allocation per file).
        static EMPTY: std::sync::OnceLock<(Arc<str>, Arc<LineIndex>)> = std::sync::OnceLock::new();
        let (text, lines) = EMPTY.get_or_init(|| (Arc::from(""), Arc::new(LineIndex::new(""))));
        self.text = Arc::clone(text);
        self.lines = Arc::clone(lines);
    }
}
