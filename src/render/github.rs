//! GitHub Actions workflow commands: `::error file=…,line=…::message`, which GitHub shows as
//! annotations on the changed lines of a pull request.

use std::io::{self, Write};

use super::summary_line;
use crate::diagnostics::{Report, Severity};

/// Escape a command's message (`@actions/core` `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property (`escapeProperty`): also `:` and `,`, which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for d in &file.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (line, column) = file.source.line_col(d.span.start);
            let (end_line, end_column) = file.source.line_col(d.span.end);
            // Columns only for one-line ranges: GitHub misplaces the others.
            let columns = if line == end_line {
                format!(",col={column},endColumn={end_column}")
            } else {
                String::new()
            };
            let message = match &d.help {
                Some(help) => format!("{}\n{help}", d.message),
                None => d.message.clone(),
            };
            writeln!(
                out,
                "::{command} file={},line={line},endLine={end_line}{columns},title={}::{}",
                escape_property(&file.path),
                escape_property(&format!("sentinel-lint {} {}", d.code, d.name)),
                escape_data(&message)
            )?;
        }
    }
    writeln!(out, "{}", summary_line(&report.summary()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, FileReport};
    use crate::text::{SourceText, Span};

    #[test]
    fn messages_and_properties_are_escaped_as_github_requires() {
        assert_eq!(
            escape_data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
        assert_eq!(
            escape_property("dir,with:colon/50%.yaml"),
            "dir%2Cwith%3Acolon/50%25.yaml"
        );
        let source = SourceText::new("key: value\nother: x\n");
        let diagnostic = Diagnostic {
            code: "SL999",
            name: "test",
            severity: Severity::Warning,
            message: "a: b, 5%\nsecond line".into(),
            span: Span::new(5, 10),
            labels: Vec::new(),
            help: None,
            fix: None,
            pointer: None,
        };
        let multi_line = Diagnostic {
            span: Span::new(5, 15),
            ..diagnostic.clone()
        };
        let report = Report {
            files: vec![FileReport {
                path: "Hunting Queries/a,b:c%.yaml".into(),
                source,
                diagnostics: vec![diagnostic, multi_line],
                baselined: Vec::new(),
            }],
        };
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=Hunting Queries/a%2Cb%3Ac%25.yaml,line=1,endLine=1,col=6,endColumn=11,title=sentinel-lint SL999 test::a: b, 5%25%0Asecond line"
        );
        // A range over two lines has no columns.
        assert!(
            lines[1].starts_with(
                "::warning file=Hunting Queries/a%2Cb%3Ac%25.yaml,line=1,endLine=2,title="
            ),
            "{}",
            lines[1]
        );
    }
}
