//! One JSON document: `{"diagnostics": [...], "summary": {...}}`.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostics::{Applicability, Diagnostic, FileReport, Report, Summary};

#[derive(Serialize)]
struct Document<'a> {
    /// The version of this document's shape.
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    position: Position,
    help: Option<&'a str>,
    /// JSON pointer of the YAML value the finding is about.
    pointer: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten)]
    position: Position,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    position: Position,
    replacement: &'a str,
}

fn position(file: &FileReport, span: crate::text::Span) -> Position {
    let (line, column) = file.source.line_col(span.start);
    let (end_line, end_column) = file.source.line_col(span.end);
    Position {
        line,
        column,
        end_line,
        end_column,
    }
}

fn convert<'a>(file: &'a FileReport, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        file: &file.path,
        code: d.code,
        name: d.name,
        severity: d.severity.as_str(),
        message: &d.message,
        position: position(file, d.span),
        help: d.help.as_deref(),
        pointer: d.pointer.as_deref(),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                position: position(file, l.span),
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    position: position(file, e.span),
                    replacement: &e.replacement,
                })
                .collect(),
        }),
    }
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: 1,
        diagnostics: report
            .files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| convert(f, d)))
            .collect(),
        summary: report.summary(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// One JSON object per finding and line (no summary): easy to stream and to `grep`.
pub fn render_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for d in &file.diagnostics {
            serde_json::to_writer(&mut *out, &convert(file, d))?;
            writeln!(out)?;
        }
    }
    Ok(())
}
