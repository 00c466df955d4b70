//! Code frames through miette: the offending lines, underlined, with labels and help.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::summary_line;
use crate::diagnostics::{Applicability, Diagnostic, Report, Severity};
use crate::text::SourceText;

/// How the human format looks.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
        }
    }
}

/// A diagnostic in the shape miette renders.
struct Frame {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Excerpted,
}

/// A file's text for miette, read from the lines around a span. miette reads a plain text
/// from its start up to the span, which for a file with many findings is quadratic; the line
/// index finds the first line to show at once.
struct Excerpted {
    name: String,
    source: SourceText,
}

impl SourceCode for Excerpted {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (base, first, text) = self.source.window(span.offset(), context_lines_before);
        let offset = span.offset().clamp(base, base + text.len());
        let local = SourceSpan::new((offset - base).into(), span.len());
        let inner = text.read_span(&local, context_lines_before, context_lines_after)?;
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count(),
        )
        .with_language("yaml");
        Ok(Box::new(contents))
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Frame {}

impl miette::Diagnostic for Frame {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn frame(path: &str, source: &SourceText, d: &Diagnostic) -> Frame {
    let clamp = |offset: usize| {
        let (base, _, text) = source.window(offset, 0);
        base + crate::text::floor_char_boundary(text, offset.saturating_sub(base).min(text.len()))
    };
    let span = |s: crate::text::Span| {
        let start = clamp(s.start);
        (start, clamp(s.end).max(start) - start)
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(None, span(d.span))];
    labels.extend(
        d.labels
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), span(l.span))),
    );
    let fix = d.fix.as_ref().map(|f| {
        let how = match f.applicability {
            Applicability::Safe => "safe fix",
            Applicability::Unsafe => "unsafe fix",
        };
        format!("{how}: {}", f.title)
    });
    let help = match (d.help.clone(), fix) {
        (Some(h), Some(f)) => Some(format!("{h}\n{f}")),
        (h, f) => h.map(String::from).or(f),
    };
    Frame {
        code: format!("{} {}", d.code, d.name),
        message: d.message.clone(),
        severity: d.severity,
        help,
        labels,
        source: Excerpted {
            name: path.to_owned(),
            source: source.clone(),
        },
    }
}

pub fn render(report: &Report, options: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1);
    // Frames are rendered in parallel per file, and written in the report's order, a chunk
    // of files at a time (the output of a large pack is not held whole).
    for chunk in report.files.chunks(256) {
        let rendered: Vec<Result<String, fmt::Error>> = chunk
            .par_iter()
            .map(|file| {
                let mut text = String::new();
                for d in &file.diagnostics {
                    let frame = frame(&file.path, &file.source, d);
                    handler.render_report(&mut text, &frame)?;
                    text.push('\n');
                }
                Ok(text)
            })
            .collect();
        for text in rendered {
            let text = text.map_err(|e| io::Error::other(e.to_string()))?;
            out.write_all(text.as_bytes())?;
        }
    }
    writeln!(out, "{}", summary_line(&report.summary()))
}
