//! `sentinel-lint convert`: rule YAML -> ARM templates, and ARM templates -> rule YAML.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::ExitStatus;
use crate::convert::Status;
use crate::convert::arm::{self, ArmOptions, DEFAULT_API_VERSION};
use crate::convert::batch::{self, ArmBatchOptions, Batch, Input, Renamed, RuleReport};
use crate::convert::sigma::{FileDates, SigmaOptions};
use crate::files::atomic::{self, Existing};
use crate::files::history;
use crate::files::input::{self, FileId};
use crate::files::paths::without_dots;
use crate::pipeline::config::{self, Settings};
use crate::pipeline::{self, discover::RunError};
use crate::reference;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// ARM templates: alert rules and hunting queries (saved searches) to deploy.
    Arm,
    /// Rule YAML, from ARM templates, portal exports and Solution mainTemplate.json files.
    Yaml,
    /// Sigma rules (and correlation rules for thresholds).
    Sigma,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SigmaStatus {
    Experimental,
    Test,
    Stable,
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
    /// --to sigma: exit with 0 even when some rules cannot be expressed in Sigma.
    #[arg(long)]
    pub skip_unsupported: bool,
    /// --to sigma: the author (default: the rule's metadata.author.name, else `[sigma]
    /// author` in sentinel-lint.toml).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// --to sigma: tag every tactic ATT&CK files the rule's techniques under, besides the
    /// rule's own tactics (what SigmaHQ's `sigmahq_tags_techniques_without_tactics` asks).
    #[arg(long)]
    pub technique_tactics: bool,
    /// --to sigma: the status of the Sigma rules.
    #[arg(long, value_enum, default_value_t = SigmaStatus::Experimental)]
    pub status: SigmaStatus,
    /// --to sigma: the date of the Sigma rules, YYYY-MM-DD (default: the first commit of
    /// the rule file, with `modified` its last commit; today, UTC, for a file git does not
    /// have).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Replace output files that exist (input files are never written).
    #[arg(long)]
    pub overwrite: bool,
    /// Write a JSON report of every rule (status, outputs, notes with line and column).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// The configuration file (default: sentinel-lint.toml in this folder or above): its
    /// `exclude` skips files in folders, and its lint settings decide which findings of
    /// `check` stop a conversion.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
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
    let flags = [
        (args.bundle, "--bundle", &[Target::Arm][..]),
        (args.enabled.is_some(), "--enabled", &[Target::Arm]),
        (
            args.api_version != DEFAULT_API_VERSION,
            "--api-version",
            &[Target::Arm],
        ),
        (args.force, "--force", &[Target::Arm]),
        (
            args.skip_unsupported,
            "--skip-unsupported",
            &[Target::Sigma],
        ),
        (args.author.is_some(), "--author", &[Target::Sigma]),
        (
            args.technique_tactics,
            "--technique-tactics",
            &[Target::Sigma],
        ),
        (
            args.status != SigmaStatus::Experimental,
            "--status",
            &[Target::Sigma],
        ),
        (args.date.is_some(), "--date", &[Target::Sigma]),
    ];
    for (used, flag, targets) in flags {
        if used && !targets.contains(&args.to) {
            let names: Vec<String> = targets
                .iter()
                .map(|t| format!("--to {}", target_name(*t)))
                .collect();
            bail!("{flag} applies to {}", names.join(" and "));
        }
    }
    let date = match &args.date {
        Some(date) if is_date(date) => Some(date.clone()),
        Some(date) => bail!("--date `{date}` is not a date in the form YYYY-MM-DD"),
        None => None,
    };
    let settings = config::settings(args.config.as_deref(), args.isolated)?;
    let inputs = read_inputs(&args.paths, args.to, &settings)?;
    let input_ids: HashSet<FileId> = inputs
        .iter()
        .filter_map(|i| FileId::of(Path::new(&i.path)))
        .collect();
    if let Some(report) = &args.report {
        input::refuse_input_as_output(report, "report", &input_ids).map_err(anyhow::Error::msg)?;
        if !args.overwrite && std::fs::symlink_metadata(report).is_ok() {
            bail!(
                "{} exists; give --overwrite to replace it",
                report.display()
            );
        }
    }
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
            batch::to_arm(&inputs, &options, &settings)
        }
        Target::Yaml => batch::to_yaml(&inputs),
        Target::Sigma => {
            // The history of the rule files dates the Sigma rules, unless --date is given.
            let dates = match &date {
                Some(_) => Default::default(),
                None => {
                    let paths: Vec<&str> = inputs
                        .iter()
                        .filter(|i| i.unreadable.is_none())
                        .map(|i| i.path.as_str())
                        .collect();
                    history::commit_dates(&paths)
                        .into_iter()
                        .map(|(path, commits)| {
                            let dates = FileDates {
                                created: commits.first,
                                modified: commits.last,
                            };
                            (path, dates)
                        })
                        .collect()
                }
            };
            batch::to_sigma(
                &inputs,
                &SigmaOptions {
                    status: format!("{:?}", args.status).to_ascii_lowercase(),
                    author: args.author.clone(),
                    default_author: settings.sigma_author.clone(),
                    technique_tactics: args.technique_tactics,
                    date: date.unwrap_or_else(today),
                    dates,
                },
                &settings,
            )
        }
    };
    let mut batch = batch;
    write_outputs(&mut batch, &args, &input_ids)?;
    if let Some(path) = &args.report {
        let document = ReportDocument {
            rules: &batch.reports,
            renamed: &batch.renamed,
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
    summarize(&batch, args.to, args.bundle, &mut std::io::stderr().lock())?;
    Ok(
        if batch.count(Status::Unsupported) > 0 && !args.skip_unsupported {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        },
    )
}

#[derive(Serialize)]
struct ReportDocument<'a> {
    rules: &'a [RuleReport],
    /// Outputs written under another name than their input gives them.
    renamed: &'a [Renamed],
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
fn read_inputs(paths: &[PathBuf], to: Target, settings: &Settings) -> Result<Vec<Input>, RunError> {
    let accept = match to {
        Target::Arm | Target::Sigma => pipeline::discover::is_yaml,
        Target::Yaml => is_json,
    };
    let mut found: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
    for path in paths {
        let path = &without_dots(path);
        // With several inputs, each keeps its own tree under the output folder
        // (`Detections/`, `Hunting Queries/`), so that two inputs' files do not meet.
        let place = if paths.len() > 1 {
            mirrored_place(path)
        } else {
            PathBuf::new()
        };
        if pipeline::discover::is_file(path)? {
            let name = match paths.len() {
                1 => path.file_name().map(PathBuf::from).unwrap_or_default(),
                _ => place,
            };
            found.push((path.clone(), name, true));
        } else {
            let files = pipeline::discover::walk_folder(path, accept)?;
            for file in files.into_iter().filter(|f| !settings.is_excluded(f)) {
                let relative = place.join(
                    file.strip_prefix(path)
                        .map(Path::to_path_buf)
                        .unwrap_or_default(),
                );
                found.push((file, relative, false));
            }
        }
    }
    let mut found = pipeline::discover::first_mentions(paths.len(), found, |(path, _, _)| path);
    // Output names are claimed in this order (`x.json`, `x_2.json`): by place and path, not by
    // the order of the command line.
    found.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    found
        .into_iter()
        .map(|(path, relative, explicit)| {
            let limit = match to {
                Target::Yaml => batch::MAX_TEMPLATE_BYTES,
                Target::Arm | Target::Sigma => pipeline::MAX_FILE_BYTES,
            };
            let (bytes, unreadable) = match input::read(&path, limit as u64) {
                Ok(bytes) => (bytes, None),
                Err(error) => (Vec::new(), Some(error.to_string())),
            };
            Ok(Input {
                path: path.display().to_string(),
                relative,
                bytes,
                unreadable,
                explicit,
            })
        })
        .collect()
}

/// Where an input given with others goes under the output folder: its path as given when
/// that is a plain relative path (`Hunting Queries/Azure`), else its last name (`../x`,
/// `/abs/x` -> `x`).
fn mirrored_place(path: &Path) -> PathBuf {
    use std::path::Component;
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        path.to_path_buf()
    } else {
        path.file_name().map(PathBuf::from).unwrap_or_default()
    }
}

/// Write the outputs (or print them), after making sure no file is written over that should
/// not be.
fn write_outputs(
    batch: &mut Batch,
    args: &ConvertArgs,
    input_ids: &HashSet<FileId>,
) -> anyhow::Result<()> {
    if batch.outputs.is_empty() {
        return Ok(());
    }
    if args.output == "-" {
        if args.bundle && batch.outputs.len() > 1 {
            bail!(
                "{} rules make {} templates (ARM takes at most {} resources in one), which cannot go to standard output; name the first template's file with -o FILE",
                batch.outputs.iter().map(|o| o.rules.len()).sum::<usize>(),
                batch.outputs.len(),
                arm::MAX_RESOURCES
            );
        }
        // Rule YAML and Sigma rules make one stream of documents; ARM templates do not.
        if args.to == Target::Arm && batch.outputs.len() > 1 {
            bail!(
                "{} templates cannot go to standard output; write them to a folder with -o DIR, or as one template with --bundle",
                batch.outputs.len()
            );
        }
        let mut out = std::io::stdout().lock();
        for (i, output) in batch.outputs.iter().enumerate() {
            if i > 0 {
                // Several files as one YAML stream.
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
    let parts = batch.outputs.len();
    let targets: Vec<PathBuf> = batch
        .outputs
        .iter()
        .enumerate()
        .map(|(i, o)| match (args.bundle, parts) {
            (true, 1) => base.clone(),
            // A bundle split at ARM's limit: `rules.json` -> `rules-1.json`, `rules-2.json`.
            (true, _) => numbered(&base, i + 1),
            (false, _) => base.join(&o.relative),
        })
        .collect();
    if let Some(report) = &args.report {
        let report = lexical_absolute(report);
        if let Some(target) = targets.iter().find(|t| lexical_absolute(t) == report) {
            bail!(
                "{} is both the report and an output; give the report another name",
                target.display()
            );
        }
    }
    let mut existing = Vec::new();
    for target in &targets {
        input::refuse_input_as_output(target, "output", input_ids).map_err(anyhow::Error::msg)?;
        if std::fs::symlink_metadata(target).is_ok() {
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

/// `rules.json` -> `rules-2.json`.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path.extension() {
        Some(ext) => path.with_file_name(format!("{stem}-{n}.{}", ext.to_string_lossy())),
        None => path.with_file_name(format!("{stem}-{n}")),
    }
}

/// The absolute form of a path with `.` and `..` resolved as text (outputs may not exist yet).
fn lexical_absolute(path: &Path) -> PathBuf {
    input::normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn write_atomically(path: &Path, text: &str, overwrite: bool) -> anyhow::Result<()> {
    let existing = if overwrite {
        Existing::Replace
    } else {
        Existing::Keep
    };
    atomic::write_file(path, text, existing)
        .map(drop)
        .with_context(|| format!("writing {}", path.display()))
}

/// A few lines on standard error: what was not converted or changed, and the counts.
fn summarize(batch: &Batch, to: Target, bundle: bool, out: &mut impl Write) -> std::io::Result<()> {
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
            Status::Forced => "converted with errors (--force)",
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
    for renamed in &batch.renamed {
        writeln!(
            out,
            "{}: written as {}: {} is the output of {}",
            renamed.file,
            renamed.written.display(),
            renamed.wanted.display(),
            renamed.taken_by
        )?;
    }
    for warning in &batch.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    if bundle && batch.outputs.len() > 1 {
        writeln!(
            out,
            "The bundle is split into {} templates: ARM takes at most {} resources in one.",
            batch.outputs.len(),
            arm::MAX_RESOURCES
        )?;
    }
    let target = match to {
        Target::Arm => "ARM",
        Target::Yaml => "rule YAML",
        Target::Sigma => "Sigma",
    };
    let rules = batch.reports.len();
    write!(
        out,
        "{rules} rule{} to {target}: {} converted, {} approximate, ",
        if rules == 1 { "" } else { "s" },
        batch.count(Status::Converted),
        batch.count(Status::Approximate),
    )?;
    let forced = batch.count(Status::Forced);
    if forced > 0 {
        write!(out, "{forced} with errors (--force), ")?;
    }
    write!(out, "{} not converted", batch.count(Status::Unsupported))?;
    if !batch.skipped.is_empty() {
        write!(
            out,
            "; skipped what is not a rule in {} file(s)",
            batch.skipped.len()
        )?;
    }
    writeln!(out, ".")
}

fn target_name(target: Target) -> &'static str {
    match target {
        Target::Arm => "arm",
        Target::Yaml => "yaml",
        Target::Sigma => "sigma",
    }
}

/// `YYYY-MM-DD` with a month and day that exist.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    text.len() == 10 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((seconds / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 -> (year, month, day) in the proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_779), (2026, 11, 22));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert!(
            is_date("2024-02-29")
                && !is_date("2023-02-29")
                && !is_date("2024-13-01")
                && !is_date("24-1-1")
        );
        assert!(is_date(&today()));
    }
}
