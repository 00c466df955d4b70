//! What a lint sees, and where it reports.

use crate::diagnostics::{Diagnostic, Severity, Span};
use crate::model::RuleType;
use crate::shape::Shape;
use crate::yaml::source::Decoded;
use crate::yaml::{Entry, LineIndex, Node, ParsedYaml};

use super::Lint;

/// One file, as read.
pub struct FileContext<'a> {
    /// The path as given or found.
    pub path: &'a str,
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub decoded: &'a Decoded,
    pub parsed: &'a ParsedYaml,
    pub shape: &'a Shape,
}

impl FileContext<'_> {
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The span of the whole line holding `offset`, without its line break.
    pub fn line_span(&self, offset: usize) -> Span {
        let line = self.lines.line_of(offset);
        Span::new(
            self.lines.line_start(line),
            self.lines.line_end(self.text, line),
        )
    }

    /// The span of the line holding `offset` with its line break: what to delete to remove
    /// the line.
    pub fn full_line_span(&self, offset: usize) -> Span {
        let line = self.lines.line_of(offset);
        Span::new(self.lines.line_start(line), self.lines.line_start(line + 1))
    }

    /// The first document, when it is a mapping.
    pub fn root(&self) -> Option<&Node> {
        self.parsed
            .documents
            .first()
            .filter(|d| d.as_map().is_some())
    }
}

/// One rule (Scheduled, NRT or hunting query) of a readable file.
pub struct RuleContext<'a> {
    pub file: &'a FileContext<'a>,
    pub root: &'a Node,
    pub rule_type: RuleType,
    /// The rule's query, parsed once, when `query` is a string.
    pub query: Option<&'a RuleQuery<'a>>,
}

/// A rule's KQL query: the YAML node, the parse, and where its offsets are in the file.
pub struct RuleQuery<'a> {
    pub node: &'a Node,
    pub parsed: crate::kql::Parsed,
    pub map: crate::yaml::ScalarMap,
}

impl RuleQuery<'_> {
    /// The file span of a span of the query text.
    pub fn file_span(&self, span: Span) -> Span {
        self.map.span_to_file(span)
    }
}

impl RuleContext<'_> {
    pub fn text(&self) -> &str {
        self.file.text
    }

    pub fn slice(&self, span: Span) -> &str {
        self.file.slice(span)
    }

    /// A top-level value.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.root.get(key)
    }

    /// A top-level entry.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.root.entry(key)
    }

    pub fn is_hunting(&self) -> bool {
        self.rule_type == RuleType::Hunting
    }

    /// The lint's severity, one level lower for hunting queries: the Azure-Sentinel CI does
    /// not check their structure, so such findings are advice there.
    pub fn severity_for(&self, lint: &Lint) -> Severity {
        if self.is_hunting() && lint.severity == Severity::Error {
            Severity::Warning
        } else {
            lint.severity
        }
    }
}

/// Collects a file's findings, and the JSON pointers the lints have explained, so that the
/// schema validation does not report the same value again in vaguer words.
#[derive(Debug, Default)]
pub struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
    claims: Vec<String>,
}

impl Sink {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Mark a value as explained without reporting it again (e.g. the consequence of a
    /// finding reported elsewhere).
    pub fn claim(&mut self, pointer: impl Into<String>) {
        self.claims.push(pointer.into());
    }

    /// Whether a finding or a claim already covers this pointer.
    pub fn covers(&self, pointer: &str) -> bool {
        self.claims.iter().any(|c| c == pointer)
            || self
                .diagnostics
                .iter()
                .any(|d| d.pointer.as_deref() == Some(pointer))
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// What the pack-level lints know of each file of a run.
#[derive(Debug, Clone)]
pub struct PackEntry {
    pub path: String,
    pub rule_type: Option<RuleType>,
    /// The rule's `id` and where it is written.
    pub id: Option<(String, Span)>,
}

pub struct PackContext<'a> {
    pub entries: &'a [PackEntry],
}
