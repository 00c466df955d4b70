//! `sentinel-lint convert`: rule YAML -> ARM templates, and ARM templates -> rule YAML.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::ExitStatus;
use crate::convert::Status;
use crate::convert::arm::{ArmOptions, DEFAULT_API_VERSION};
use crate::convert::batch::{self, ArmBatchOptions, Batch, Input, RuleReport};
use crate::linter::{self, RunError};
use crate::reference;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// ARM templates: alert rules and hunting queries (saved searches) to deploy.
    Arm,
    /// Rule YAML, from ARM templates, portal exports and Solution mainTemplate.json files.
    Yaml,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// What to convert to.
    #[arg(long, value_enum)]
    pub to: Target,
    /// Files and folders. Folders are searched for *.yaml and *.yml (--to arm) or *.json
    /// (--to yaml), honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Where to write: a folder (outputs mirror the inputs' layout), `-` for standard output;
    /// with --bundle, the template's file.
    #[arg(long, short = 'o', value_name = "OUT", default_value = "-")]
    pub output: String,
    /// --to arm: the api-version of alert rules (`list` shows them all).
    #[arg(long, value_name = "V", default_value = DEFAULT_API_VERSION)]
    pub api_version: String,
    /// --to arm: one template for all the rules.
    #[arg(long)]
    pub bundle: bool,
    /// --to arm: deploy the rules enabled or disabled (default: the rule's `enabled`, else true).
    #[arg(long, value_name = "BOOL")]
    pub enabled: Option<bool>,
    /// --to arm: convert rules that `check` finds errors in; what cannot be converted is
    /// left out and reported.
    #[arg(long)]
    pub force: bool,
    /// Replace output files that exist (input files are never written).
    #[arg(long)]
    pub overwrite: bool,
    /// Write a JSON report of every rule (status, outputs, notes with line and column).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

pub fn run(args: ConvertArgs) -> anyhow::Result<ExitStatus> {
    if args.to == Target::Arm && args.api_version == "list" {
        let mut out = std::io::stdout().lock();
        for version in reference::arm_api_versions() {
            let features = [
                (version.has_nrt(), "NRT"),
                (
                    version.scheduled_properties.contains(&"subTechniques"),
                    "subTechniques",
                ),
                (
                    version
                        .scheduled_properties
                        .contains(&"sentinelEntitiesMappings"),
                    "sentinelEntitiesMappings",
                ),
            ];
            let has: Vec<&str> = features
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| *name)
                .collect();
            writeln!(out, "{:<20} {}", version.version, has.join(", "))?;
        }
        return Ok(ExitStatus::Success);
    }
    if args.to == Target::Yaml {
        for (used, flag) in [
            (args.bundle, "--bundle"),
            (args.enabled.is_some(), "--enabled"),
            (args.force, "--force"),
            (args.api_version != DEFAULT_API_VERSION, "--api-version"),
        ] {
            if used {
                bail!("{flag} applies to --to arm");
            }
        }
    }
    let inputs = read_inputs(&args.paths, args.to)?;
    let batch = match args.to {
        Target::Arm => {
            let Some(api_version) = reference::arm_api_version(&args.api_version) else {
                bail!(
                    "`{}` is not an api-version of Microsoft.SecurityInsights/alertRules (see `--api-version list`)",
                    args.api_version
                );
            };
            let options = ArmBatchOptions {
                arm: ArmOptions {
                    api_version,
                    enabled: args.enabled,
                },
                bundle: args.bundle,
                force: args.force,
            };
            batch::to_arm(&inputs, &options)
        }
        Target::Yaml => batch::to_yaml(&inputs),
    };
    let mut batch = batch;
    write_outputs(&mut batch, &args, &inputs)?;
    if let Some(path) = &args.report {
        let document = ReportDocument {
            rules: &batch.reports,
            skipped: batch
                .skipped
                .iter()
                .map(|(file, reason)| Skipped { file, reason })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&document)?;
        text.push('\n');
        write_atomically(path, &text, true)?;
    }
    summarize(&batch, args.to, &mut std::io::stderr().lock())?;
    Ok(if batch.count(Status::Unsupported) > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

#[derive(Serialize)]
struct ReportDocument<'a> {
    rules: &'a [RuleReport],
    skipped: Vec<Skipped<'a>>,
}

#[derive(Serialize)]
struct Skipped<'a> {
    file: &'a str,
    reason: &'a str,
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Every input file with its place under the folder it was found in.
fn read_inputs(paths: &[PathBuf], to: Target) -> Result<Vec<Input>, RunError> {
    let accept = match to {
        Target::Arm => linter::is_yaml,
        Target::Yaml => is_json,
    };
    let mut found: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
    for path in paths {
        if linter::is_file(path)? {
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            found.push((path.clone(), name, true));
        } else {
            for file in linter::walk_folder(path, accept)? {
                let relative = file
                    .strip_prefix(path)
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                found.push((file, relative, false));
            }
        }
    }
    found.dedup_by(|a, b| a.0 == b.0);
    found
        .into_iter()
        .map(|(path, relative, explicit)| {
            let display = path.display().to_string();
            std::fs::read(&path)
                .map(|bytes| Input {
                    path: display.clone(),
                    relative,
                    bytes,
                    explicit,
                })
                .map_err(|source| RunError::Io {
                    path: display,
                    source,
                })
        })
        .collect()
}

/// Write the outputs (or print them), after making sure no file is written over that should
/// not be.
fn write_outputs(batch: &mut Batch, args: &ConvertArgs, inputs: &[Input]) -> anyhow::Result<()> {
    if batch.outputs.is_empty() {
        return Ok(());
    }
    if args.output == "-" {
        if args.to == Target::Arm && batch.outputs.len() > 1 {
            bail!(
                "{} templates cannot go to standard output; write them to a folder with -o DIR, or as one template with --bundle",
                batch.outputs.len()
            );
        }
        let mut out = std::io::stdout().lock();
        for (i, output) in batch.outputs.iter().enumerate() {
            if i > 0 {
                // Several rules as one YAML stream, one document each.
                out.write_all(b"---\n")?;
            }
            out.write_all(output.text.as_bytes())?;
            for &rule in &output.rules {
                batch.reports[rule].outputs.push("-".into());
            }
        }
        return Ok(());
    }
    let base = PathBuf::from(&args.output);
    if !args.bundle && base.exists() && !base.is_dir() {
        bail!(
            "{} is a file; -o takes a folder (or, with --bundle, the template's file)",
            base.display()
        );
    }
    let targets: Vec<PathBuf> = batch
        .outputs
        .iter()
        .map(|o| {
            if args.bundle {
                base.clone()
            } else {
                base.join(&o.relative)
            }
        })
        .collect();
    let input_paths: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|i| std::fs::canonicalize(&i.path).ok())
        .collect();
    let mut existing = Vec::new();
    for target in &targets {
        if let Ok(canonical) = std::fs::canonicalize(target) {
            if input_paths.contains(&canonical) {
                bail!(
                    "{} is an input file; convert never writes over its inputs",
                    target.display()
                );
            }
            existing.push(target.display().to_string());
        }
    }
    if !existing.is_empty() && !args.overwrite {
        let shown: Vec<&str> = existing.iter().take(5).map(String::as_str).collect();
        bail!(
            "{} output file(s) exist ({}{}); give --overwrite to replace them",
            existing.len(),
            shown.join(", "),
            if existing.len() > 5 { ", ..." } else { "" }
        );
    }
    // In parallel: on a disk, creating thousands of files is bound by the file system.
    batch
        .outputs
        .par_iter()
        .zip(&targets)
        .try_for_each(|(output, target)| write_atomically(target, &output.text, args.overwrite))?;
    for (output, target) in batch.outputs.iter().zip(&targets) {
        for &rule in &output.rules {
            batch.reports[rule]
                .outputs
                .push(target.display().to_string());
        }
    }
    Ok(())
}

/// Write through a temporary file in the same folder and a rename, so that a reader never
/// sees half a file and an interrupted run leaves the old file whole.
fn write_atomically(path: &Path, text: &str, overwrite: bool) -> anyhow::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(&folder)
        .with_context(|| format!("writing in {}", folder.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    let persisted = if overwrite {
        file.persist(path)
    } else {
        file.persist_noclobber(path)
    };
    persisted
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// A few lines on standard error: what was not converted or changed, and the counts.
fn summarize(batch: &Batch, to: Target, out: &mut impl Write) -> std::io::Result<()> {
    for report in &batch.reports {
        if report.status == Status::Converted {
            continue;
        }
        let name = report
            .rule
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let status = match report.status {
            Status::Unsupported => "not converted",
            _ => "converted approximately",
        };
        writeln!(out, "{}{name}: {status}", report.file)?;
        for note in report.notes.iter().filter(|n| n.approximate) {
            match (note.line, note.column) {
                (Some(line), Some(column)) => writeln!(out, "  {line}:{column}: {}", note.message)?,
                _ => writeln!(out, "  {}", note.message)?,
            }
        }
    }
    let target = match to {
        Target::Arm => "ARM",
        Target::Yaml => "rule YAML",
    };
    let rules = batch.reports.len();
    write!(
        out,
        "{rules} rule{} to {target}: {} converted, {} approximate, {} not converted",
        if rules == 1 { "" } else { "s" },
        batch.count(Status::Converted),
        batch.count(Status::Approximate),
        batch.count(Status::Unsupported),
    )?;
    if !batch.skipped.is_empty() {
        write!(
            out,
            "; skipped what is not a rule in {} file(s)",
            batch.skipped.len()
        )?;
    }
    writeln!(out, ".")
}
