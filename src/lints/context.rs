//! What a lint sees, and where it reports.

use crate::diagnostics::{Diagnostic, Severity};

use crate::kql::columns::{self, Analysis};
use crate::model::RuleType;
use crate::model::declared::Declared;
use crate::model::shape::Shape;
use crate::model::tables::Tables;
use crate::text::LineIndex;
use crate::text::Span;
use crate::yaml::source::Decoded;
use crate::yaml::{Entry, Node, ParsedYaml};

use super::Lint;

/// One file, as read.
pub struct FileContext<'a> {
    /// What the configuration declares (tables, connector ids, line endings).
    pub declared: &'a Declared,
    /// The path as given or found.
    pub path: &'a str,
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub decoded: &'a Decoded,
    pub parsed: &'a ParsedYaml,
    pub shape: &'a Shape,
    /// The rule's query, when the file is a rule with one: its parse and where its offsets
    /// are in the file.
    pub query: Option<(&'a crate::kql::Parsed, &'a crate::yaml::ScalarMap)>,
}

impl FileContext<'_> {
    /// The file spans of the string literals of the query (empty without one).
    /// In file order.
    pub fn query_strings(&self) -> Vec<Span> {
        let Some((parsed, map)) = self.query else {
            return Vec::new();
        };
        parsed
            .tokens
            .iter()
            .filter(|t| t.kind == crate::kql::lexer::TokenKind::String)
            .map(|t| map.span_to_file(Span::new(t.start as usize, t.end as usize)))
            .collect()
    }

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

/// A rule and the version it had at the revision `--changed-since` names.
pub struct RevisionContext<'a> {
    pub rule: &'a RuleContext<'a>,
    /// The previous version's top-level mapping (its spans are of the previous text).
    pub previous: &'a Node,
    pub previous_type: RuleType,
}

/// A rule's KQL query: the YAML node, the parse, and where its offsets are in the file.
pub struct RuleQuery<'a> {
    pub node: &'a Node,
    pub parsed: &'a crate::kql::Parsed,
    pub map: &'a crate::yaml::ScalarMap,
    /// The analysis of its columns, made by the first lint that asks.
    pub columns: &'a std::sync::OnceLock<Option<Analysis>>,
    /// The tables it may read.
    pub tables: &'a Tables,
}

impl RuleQuery<'_> {
    /// The file span of a span of the query text.
    pub fn file_span(&self, span: Span) -> Span {
        self.map.span_to_file(span)
    }

    /// The syntax tree, when the query parses (a partial tree would give wrong answers).
    pub fn tree(&self) -> Option<&crate::kql::ast::Query> {
        self.parsed.errors.is_empty().then_some(&self.parsed.query)
    }

    /// The tables, columns and result columns of the query (`None` when it does not parse:
    /// a partial tree would give wrong answers).
    pub fn columns(&self) -> Option<&Analysis> {
        self.columns
            .get_or_init(|| {
                self.parsed
                    .errors
                    .is_empty()
                    .then(|| columns::analyze(&self.parsed.query, self.tables))
            })
            .as_ref()
    }
}

impl<'a> RuleContext<'a> {
    /// The rule's query and its syntax tree, when it parses.
    pub fn query_tree(&self) -> Option<(&'a RuleQuery<'a>, &'a crate::kql::ast::Query)> {
        let query = self.query?;
        Some((query, query.tree()?))
    }

    /// The rule's query and the analysis of its tables and columns, when it parses.
    pub fn query_columns(&self) -> Option<(&'a RuleQuery<'a>, &'a Analysis)> {
        let query = self.query?;
        Some((query, query.columns()?))
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

    /// The lint's severity for this rule: its `hunting_severity` on hunting queries (the
    /// Azure-Sentinel CI does not check their structure, so such findings are advice there).
    pub fn severity_for(&self, lint: &Lint) -> Severity {
        match lint.hunting_severity {
            Some(severity) if self.is_hunting() => severity,
            _ => lint.severity,
        }
    }
}

/// Collects a file's findings, and the JSON pointers the lints have explained, so that the
/// schema validation does not report the same value again in vaguer words.
#[derive(Debug, Default)]
pub struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
    claims: Vec<String>,
    /// The pointers of the findings and the claims, once there are many (a file can have
    /// thousands of findings; most have a handful, which a scan finds faster).
    index: Option<std::collections::HashSet<String>>,
    /// Findings not kept, past [`MAX_FINDINGS_PER_FILE`].
    dropped: usize,
    has_error: bool,
}

/// A file with more findings than this is not a rule that needs them all listed (a real rule
/// has a handful); the rest are counted, so that the work and the output stay bounded.
pub const MAX_FINDINGS_PER_FILE: usize = 1_000;

impl Sink {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.is_full() && (diagnostic.severity != Severity::Error || self.has_error) {
            // An error is kept even so when none is, so that the exit code stays right.
            self.dropped += 1;
            return;
        }
        self.has_error |= diagnostic.severity == Severity::Error;
        if let (Some(index), Some(pointer)) = (&mut self.index, &diagnostic.pointer) {
            index.insert(pointer.clone());
        }
        self.diagnostics.push(diagnostic);
        self.index_when_large();
    }

    /// Mark a value as explained without reporting it again (e.g. the consequence of a
    /// finding reported elsewhere).
    pub fn claim(&mut self, pointer: impl Into<String>) {
        let pointer = pointer.into();
        if let Some(index) = &mut self.index {
            index.insert(pointer.clone());
        }
        self.claims.push(pointer);
        self.index_when_large();
    }

    fn index_when_large(&mut self) {
        const SCAN_UP_TO: usize = 32;
        if self.index.is_none() && self.diagnostics.len() + self.claims.len() > SCAN_UP_TO {
            let pointers = self.diagnostics.iter().filter_map(|d| d.pointer.clone());
            self.index = Some(pointers.chain(self.claims.iter().cloned()).collect());
        }
    }

    /// Whether a finding or a claim already covers this pointer.
    pub fn covers(&self, pointer: &str) -> bool {
        match &self.index {
            Some(index) => index.contains(pointer),
            None => {
                self.claims.iter().any(|c| c == pointer)
                    || self
                        .diagnostics
                        .iter()
                        .any(|d| d.pointer.as_deref() == Some(pointer))
            }
        }
    }

    /// Whether more findings would be counted rather than kept: a lint that finds many
    /// things may stop looking.
    pub fn is_full(&self) -> bool {
        self.diagnostics.len() >= MAX_FINDINGS_PER_FILE
    }

    /// Whether an error would still be kept (none is yet).
    pub fn wants_error(&self) -> bool {
        !self.has_error
    }

    /// Count a finding that is not worked out, the sink being full.
    pub fn count_dropped(&mut self) {
        self.dropped += 1;
    }

    /// The findings; past the limit, the last one says how many more there were.
    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0
            && let Some(last) = self.diagnostics.last_mut()
        {
            last.message.push_str(&format!(
                " ({} more findings in this file are not listed: at most {MAX_FINDINGS_PER_FILE} are)",
                self.dropped
            ));
        }
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
