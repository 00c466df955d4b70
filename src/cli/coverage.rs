//! `sentinel-lint coverage`: the ATT&CK coverage and inventory of a pack.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::ExitStatus;
use crate::coverage::{self, Coverage};
use crate::files::atomic::{self, Existing};
use crate::files::input::{self, FileId};
use crate::pipeline::{self, config};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoverageFormat {
    /// Markdown: a table per tactic, retired techniques, the inventory.
    Markdown,
    /// JSON: every number, stable.
    Json,
    /// An ATT&CK Navigator layer (format 4.5).
    Navigator,
    /// The matrix as an SVG picture.
    Svg,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Files and folders (default: the current folder).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = CoverageFormat::Markdown)]
    pub format: CoverageFormat,
    /// --format navigator: link each technique to the files of its rules under this URL
    /// (the repository's files at a branch: `https://github.com/org/rules/blob/main`).
    #[arg(long, value_name = "URL")]
    pub repository_url: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The configuration file (its `exclude` and `[schema]` apply).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

pub fn run(args: CoverageArgs) -> anyhow::Result<ExitStatus> {
    let settings = config::settings(args.config.as_deref(), args.isolated)?;
    let files = pipeline::discover::collect(&args.paths, &settings, false)?;
    if let Some(output) = &args.output {
        let inputs: HashSet<FileId> = files.iter().filter_map(|f| FileId::of(f)).collect();
        input::refuse_input_as_output(output, "output", &inputs).map_err(anyhow::Error::msg)?;
    }
    let pack = coverage::read_pack(&files, &settings.declared);
    let coverage = Coverage::of(&pack);
    let text = match args.format {
        CoverageFormat::Markdown => coverage::markdown::render(&coverage),
        CoverageFormat::Json => serde_json::to_string_pretty(&coverage)? + "\n",
        CoverageFormat::Navigator => {
            coverage::navigator::render(&coverage, args.repository_url.as_deref())
        }
        CoverageFormat::Svg => coverage::svg::render(&coverage),
    };
    match &args.output {
        Some(path) => {
            atomic::write_file(path, &text, Existing::Replace)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => super::print(text.as_bytes())?,
    }
    Ok(ExitStatus::Success)
}
