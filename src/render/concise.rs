//! `file:line:col: severity CODE message`, one finding per line.

use std::io::{self, Write};

use super::summary_line;
use crate::diagnostics::Report;

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for d in &file.diagnostics {
            let (line, column) = file.source.line_col(d.span.start);
            writeln!(
                out,
                "{}:{line}:{column}: {} {} {}",
                file.path,
                d.severity,
                d.code,
                d.message.replace('\n', " ")
            )?;
        }
    }
    writeln!(out, "{}", summary_line(&report.summary()))
}
