//! `sentinel-lint check`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::ExitStatus;
use crate::diagnostics::render::{self, Format, HumanOptions};
use crate::diagnostics::{Report, Severity};
use crate::linter::{self, Selection};
use crate::lints;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rule files and folders; folders are searched for *.yaml and *.yml, honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these lints: codes (SL102), names (misindented-key) or code prefixes (SL1).
    #[arg(long, value_delimiter = ',', value_name = "LINTS")]
    pub select: Vec<String>,
    /// Never these lints: codes, names or code prefixes.
    #[arg(long, value_delimiter = ',', value_name = "LINTS")]
    pub ignore: Vec<String>,
    /// Exit with 0 even when there are findings at error level.
    #[arg(long)]
    pub exit_zero: bool,
    /// Count findings per lint instead of listing them.
    #[arg(long)]
    pub statistics: bool,
    /// No colours (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitStatus> {
    for selector in args.select.iter().chain(&args.ignore) {
        if !lints::is_known_selector(selector) {
            bail!(
                "`{selector}` is not a lint code, name or code prefix (see `sentinel-lint explain`)"
            );
        }
    }
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let files = linter::collect_files(&args.paths)?;
    let report = linter::check_files(&files, &selection)?;

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let options = HumanOptions {
        color: to_terminal
            && !args.no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
    };
    let mut buffer = Vec::new();
    if args.statistics {
        statistics(&report, &mut buffer)?;
    } else {
        render::render(&report, args.format, &options, &mut buffer)?;
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buffer).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(&buffer)?,
    }
    Ok(if report.has_errors() && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// One line per lint: count, code, name, severity.
fn statistics(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut counts: BTreeMap<(&str, &str), (usize, Severity)> = BTreeMap::new();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        let entry = counts.entry((d.code, d.name)).or_insert((0, d.severity));
        entry.0 += 1;
        entry.1 = entry.1.min(d.severity);
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    for ((code, name), (count, severity)) in rows {
        writeln!(out, "{count:>6}  {code}  {name} ({severity})")?;
    }
    writeln!(out, "{}", render::summary_line(&report.summary()))
}
