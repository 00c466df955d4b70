//! Output formats. Renderers only arrange what a [`Report`] holds.

mod concise;
pub mod github;
mod human;
mod json;
mod junit;
pub mod sarif;

use std::io::{self, Write};

use crate::diagnostics::{Report, Summary};

pub use human::HumanOptions;

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames with the offending lines (the default).
    Human,
    /// One line per finding: `file:line:col: severity CODE message`.
    Concise,
    /// One JSON document with every finding and a summary.
    Json,
    /// One JSON object per line and finding (the objects of `json`).
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// JUnit XML: a test suite per file, a failed test case per finding.
    Junit,
}

/// Write a report in a format; `exit_code` is the one the run ends with (SARIF records it).
pub fn render(
    report: &Report,
    format: Format,
    options: &HumanOptions,
    exit_code: i32,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, options, out),
        Format::Concise => concise::render(report, out),
        Format::Json => json::render(report, out),
        Format::JsonLines => json::render_lines(report, out),
        Format::Sarif => sarif::render(report, exit_code, out),
        Format::Github => github::render(report, out),
        Format::Junit => junit::render(report, out),
    }
}

/// "3 errors, 1 warning and 2 infos in 2 of 5 files".
pub fn summary_line(summary: &Summary) -> String {
    if summary.errors + summary.warnings + summary.infos == 0 {
        let files = plural(summary.files, "file");
        return format!("All checks passed ({files} checked).");
    }
    let mut parts = Vec::new();
    for (n, what) in [
        (summary.errors, "error"),
        (summary.warnings, "warning"),
        (summary.infos, "info"),
    ] {
        if n > 0 {
            parts.push(plural(n, what));
        }
    }
    let listed = match parts.len() {
        1 => parts[0].clone(),
        _ => format!(
            "{} and {}",
            parts[..parts.len() - 1].join(", "),
            parts[parts.len() - 1]
        ),
    };
    let mut line = format!(
        "Found {listed} in {} of {}.",
        summary.files_with_findings,
        plural(summary.files, "file")
    );
    // As `--fix` sees them: the safe fixes it applies, and those it leaves for review.
    match (summary.fixable, summary.fixable_unsafe) {
        (0, 0) => {}
        (safe, 0) => line.push_str(&format!(" {safe} fixable with --fix.")),
        (0, more) => line.push_str(&format!(" {more} fixable with --fix --unsafe-fixes.")),
        (safe, more) => line.push_str(&format!(
            " {safe} fixable with --fix ({more} more with --unsafe-fixes)."
        )),
    }
    line
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
