//! The diagnostic type every part of the tool reports through, and its renderers.
//!
//! A diagnostic always belongs to a lint (code + kebab name), points at a byte range of the
//! file it was found in, and may carry secondary labels, a help text and a fix. Renderers
//! turn a [`Report`] into one of the output formats; they never compute anything themselves.

pub mod render;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::yaml::LineIndex;

/// How bad a finding is. `Error` findings make `check` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// A secondary location shown next to the primary one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Whether applying a fix can change what the rule means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The rule means the same afterwards, only written correctly.
    Safe,
    /// A human should look at the result.
    Unsafe,
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

/// A set of non-overlapping edits that together repair one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }

    /// Apply the edits to `text`. Edits must not overlap; they are applied back to front.
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, &self.edits)
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

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Lint code, e.g. `SL102`.
    pub code: &'static str,
    /// Lint name, e.g. `misindented-key`.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// Most helps are fixed texts: they are not copied into every finding.
    pub help: Option<std::borrow::Cow<'static, str>>,
    /// Boxed: most findings have none, and a report holds every finding of a run.
    pub fix: Option<Box<Fix>>,
    /// JSON pointer of the YAML value the finding is about (`/tactics/0`), when there is one.
    pub pointer: Option<String>,
}

impl Diagnostic {
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

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
                let local = crate::yaml::floor_char_boundary(
                    text,
                    offset.saturating_sub(excerpt.start).min(text.len()),
                );
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

/// Everything found in one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user gave it or as it was found under a given folder.
    pub path: String,
    pub source: SourceText,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// Keep of the text only the lines the findings point at, and `also` (places that
    /// findings made later, across files, will point at), with `context` lines around them.
    pub fn keep_only_excerpts(&mut self, also: impl IntoIterator<Item = Span>, context: usize) {
        let spans = self.diagnostics.iter().flat_map(|d| {
            std::iter::once(d.span)
                .chain(d.labels.iter().map(|l| l.span))
                .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span)))
        });
        self.source.keep_only(spans.chain(also), context);
    }
}

/// Everything found in one run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

/// Counts shown at the end of every output format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for file in &self.files {
            if !file.diagnostics.is_empty() {
                s.files_with_findings += 1;
            }
            for d in &file.diagnostics {
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
                if d.fix.is_some() {
                    s.fixable += 1;
                }
            }
        }
        s
    }

    pub fn has_errors(&self) -> bool {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .any(|d| d.severity == Severity::Error)
    }
}
