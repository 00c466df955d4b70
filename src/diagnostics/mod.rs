//! The diagnostic type every part of the tool reports through, and the report of a run.
//!
//! A diagnostic always belongs to a lint (code + kebab name), points at a byte range of the
//! file it was found in, and may carry secondary labels, a help text and a fix. Renderers
//! (`src/render`) turn a [`Report`] into one of the output formats; they never compute
//! anything themselves.

use std::fmt;

use serde::Serialize;

use crate::text::{Edit, SourceText, Span, apply_edits};

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

/// Everything found in one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user gave it or as it was found under a given folder.
    pub path: String,
    pub source: SourceText,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings a baseline holds (`check --baseline`): not reported, not counted; SARIF
    /// lists them as suppressed results.
    pub baselined: Vec<Diagnostic>,
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

    /// For each finding, a key that names it without its line: the lint, the YAML value it
    /// is about (pointer), the text it points at (first line, trimmed), and how many findings
    /// before it in the file had the same (so that a second identical problem is another
    /// key). It survives lines moving above it; code hosts and baselines track findings by it.
    pub fn finding_keys(&self, diagnostics: &[Diagnostic]) -> Vec<String> {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        diagnostics
            .iter()
            .map(|d| {
                let (code, pointer, text) = self.identity(d);
                let base = format!("{code}\u{1f}{pointer}\u{1f}{text}");
                let n = seen.entry(base.clone()).or_default();
                *n += 1;
                format!("{base}\u{1f}{n}")
            })
            .collect()
    }

    /// What names a finding of this file without its line: its lint, the YAML value it is
    /// about (pointer, or empty) and the text it points at (its first line, trimmed).
    pub fn identity<'a>(&'a self, d: &'a Diagnostic) -> (&'static str, &'a str, &'a str) {
        (
            d.code,
            d.pointer.as_deref().unwrap_or(""),
            self.source.first_line_of(d.span).trim(),
        )
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
    /// Findings `--fix` fixes (safe fixes).
    pub fixable: usize,
    /// Findings only `--fix --unsafe-fixes` fixes.
    pub fixable_unsafe: usize,
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
                match d.fix.as_ref().map(|f| f.applicability) {
                    Some(Applicability::Safe) => s.fixable += 1,
                    Some(Applicability::Unsafe) => s.fixable_unsafe += 1,
                    None => {}
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
