//! `sentinel-lint check`.

use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use clap::Args;
use rayon::prelude::*;

use super::ExitStatus;
use crate::diagnostics::{Report, Severity};
use crate::files::atomic::{self, Existing, Written};
use crate::files::input::{self, FileId};
use crate::files::paths;
use crate::lints;
use crate::pipeline;
use crate::pipeline::baseline::Baseline;
use crate::pipeline::config::{self, Settings};
use crate::pipeline::fix;
use crate::render::{self, Format, HumanOptions};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rule files and folders; folders are searched for *.yaml and *.yml, honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: github inside GitHub Actions, else human).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these lints: codes (SL102), names (misindented-key) or code prefixes (SL1).
    #[arg(long, value_delimiter = ',', value_name = "LINTS")]
    pub select: Vec<String>,
    /// Never these lints: codes, names or code prefixes.
    #[arg(long, value_delimiter = ',', value_name = "LINTS")]
    pub ignore: Vec<String>,
    /// The configuration file (default: sentinel-lint.toml in this folder or above).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Apply the configuration's `exclude` to files named on the command line too (for
    /// pre-commit, which names every staged file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Apply the safe fixes to the files.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a diff instead of writing them (exit code 1 when there are any).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Report only files changed since this git revision (and files not yet committed).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Report only findings this baseline does not hold (default: `baseline` of
    /// sentinel-lint.toml).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Write every finding to this baseline file (replacing it), and report none of them.
    #[arg(long, value_name = "FILE", conflicts_with = "changed_since")]
    pub write_baseline: Option<PathBuf>,
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
    if args.unsafe_fixes && !(args.fix || args.diff) {
        bail!("--unsafe-fixes goes with --fix or --diff");
    }
    let settings = settings(&args)?;
    let files = pipeline::discover::collect(&args.paths, &settings, args.force_exclude)?;
    let inputs: HashSet<FileId> = files.iter().filter_map(|f| FileId::of(f)).collect();
    if let Some(output) = &args.output {
        input::refuse_input_as_output(output, "report", &inputs).map_err(anyhow::Error::msg)?;
    }
    if let Some(path) = &args.write_baseline {
        input::refuse_input_as_output(path, "baseline", &inputs).map_err(anyhow::Error::msg)?;
    }
    // Read before any work: a baseline that cannot be read stops the run (exit code 2).
    let baseline = match args.baseline.as_ref().or(settings.baseline.as_ref()) {
        Some(path) if args.write_baseline.is_none() => Some((
            path.clone(),
            Baseline::read(path).map_err(anyhow::Error::msg)?,
        )),
        _ => None,
    };
    let mut settings = settings;
    let changed = match &args.changed_since {
        Some(reference) => {
            let changes = changed_files(reference)?;
            // The revision lints compare each changed rule with its version at REF.
            settings.declared.previous = std::sync::Arc::new(earlier_versions(&files, &changes)?);
            Some(changes.files)
        }
        None => None,
    };
    let settings = settings;
    if args.diff {
        return diff(&files, &settings, &args, changed.as_ref());
    }
    let format = args.format.unwrap_or(
        if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        },
    );
    // Code frames show a line around each finding; the other formats need only its lines.
    let context = usize::from(format == Format::Human && !args.statistics);
    let mut fixed_note = None;
    let mut not_written = 0;
    let mut report = if args.fix {
        let fixes = apply_fixes(&files, &settings, &args, changed.as_ref(), context);
        fixed_note = Some(format!(
            "Fixed {} in {}.",
            plural(fixes.applied, "finding"),
            plural(fixes.files, "file")
        ));
        not_written = fixes.not_written;
        fixes.report
    } else {
        pipeline::check_files_keeping(&files, &settings, context)
    };
    if let Some(changed) = &changed {
        // The whole pack is read (duplicate ids across it are found), the changed files reported.
        report
            .files
            .retain(|f| is_changed(Path::new(&f.path), changed));
    }

    let mut notes = Vec::new();
    if let Some(path) = &args.write_baseline {
        let written = Baseline::of_report(&report, path);
        let fixed = Baseline::read(path)
            .map(|old| old.fixed_since(&report))
            .unwrap_or(0);
        atomic::write_file(path, &written.to_json(), Existing::Replace)
            .with_context(|| format!("writing {}", path.display()))?;
        written.apply(&mut report);
        notes.push(format!(
            "Wrote {} to {}{}.",
            plural(written.len(), "finding"),
            path.display(),
            if fixed > 0 {
                format!(
                    " ({} of the old baseline fixed since, dropped)",
                    plural(fixed, "finding")
                )
            } else {
                String::new()
            }
        ));
    } else if let Some((path, baseline)) = &baseline {
        let applied = baseline.apply(&mut report);
        notes.push(format!(
            "{} in the baseline {} not reported.{}",
            plural(applied.hidden, "finding"),
            path.display(),
            if applied.fixed > 0 {
                format!(
                    " {} of the baseline fixed since: `--write-baseline {}` drops them.",
                    plural(applied.fixed, "finding"),
                    path.display()
                )
            } else {
                String::new()
            }
        ));
    }

    if matches!(format, Format::Github | Format::Sarif) {
        // GitHub places annotations and alerts by the path from the repository's top, as
        // `git diff` names files, wherever in the repository the check ran.
        if let Some((top, prefix)) = paths::repository_of_working_folder() {
            for file in &mut report.files {
                file.path = paths::repository_relative(&file.path, &top, &prefix);
            }
        }
    }

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
    let status = if not_written > 0 {
        ExitStatus::Error
    } else if report.has_errors() && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    // Written as it is rendered (a report of a large pack is not held twice in memory).
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        if args.statistics {
            statistics(&report, out)?;
        } else {
            render::render(&report, format, &options, status as i32, out)?;
        }
        out.flush()
    };
    match &args.output {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| write(&mut std::io::BufWriter::new(file)))
            .with_context(|| format!("writing {}", path.display()))?,
        None => match write(&mut std::io::BufWriter::new(std::io::stdout().lock())) {
            // The reader went away (`| head`): the exit code is still the findings'.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            result => result.context("writing to standard output")?,
        },
    }
    for note in fixed_note.into_iter().chain(notes) {
        let _ = writeln!(std::io::stderr(), "{note}");
    }
    Ok(status)
}

/// The configuration file's settings with the command line's on top.
fn settings(args: &CheckArgs) -> anyhow::Result<Settings> {
    let mut settings = config::settings(args.config.as_deref(), args.isolated)?;
    if !args.select.is_empty() {
        settings.base.select = args.select.clone();
    }
    settings.base.ignore.extend(args.ignore.iter().cloned());
    Ok(settings)
}

/// Every file, read and fixed (in parallel) without writing: files outside `changed` are
/// only checked.
fn fix_files(
    files: &[PathBuf],
    settings: &Settings,
    args: &CheckArgs,
    changed: Option<&HashSet<PathBuf>>,
    context: usize,
) -> Vec<(PathBuf, fix::Outcome)> {
    files
        .par_iter()
        .map(|path| {
            let display = path.display().to_string();
            let outcome = match input::read(path, pipeline::MAX_FILE_BYTES as u64) {
                Err(error) => fix::Outcome {
                    checked: pipeline::unreadable_file(&display, error.to_string()),
                    fixed: None,
                },
                Ok(bytes) if changed.is_none_or(|c| is_changed(path, c)) => {
                    let selection = settings.selection_for(path);
                    // A bug in a fix leaves the file as it is and becomes its finding.
                    std::panic::catch_unwind(|| {
                        fix::fix_source(
                            &display,
                            &bytes,
                            &selection,
                            args.unsafe_fixes,
                            &settings.declared,
                        )
                    })
                    .unwrap_or_else(|_| fix::Outcome {
                        checked: pipeline::check_guarded(&display, &bytes, &settings.declared),
                        fixed: None,
                    })
                }
                Ok(bytes) => fix::Outcome {
                    checked: pipeline::check_guarded(&display, &bytes, &settings.declared),
                    fixed: None,
                },
            };
            let mut outcome = outcome;
            pipeline::keep_for_report(&mut outcome.checked, settings, context);
            (path.clone(), outcome)
        })
        .collect()
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// What `--fix` did.
struct Fixes {
    /// The findings left in the files (in those not written, the findings before fixing).
    report: Report,
    /// Findings fixed.
    applied: usize,
    /// Files written.
    files: usize,
    /// Files that had fixes but could not be written (each reported on standard error).
    not_written: usize,
}

/// `--fix`: write the fixes. A file that cannot be written (read-only, a full disk) is
/// reported and left as it was; the others are fixed.
fn apply_fixes(
    files: &[PathBuf],
    settings: &Settings,
    args: &CheckArgs,
    changed: Option<&HashSet<PathBuf>>,
    context: usize,
) -> Fixes {
    let outcomes = fix_files(files, settings, args, changed, context);
    let written: Vec<Option<std::io::Result<Written>>> = outcomes
        .par_iter()
        .map(|(path, outcome)| {
            outcome
                .fixed
                .as_ref()
                .map(|f| atomic::write_file(path, &f.fixed, Existing::Replace))
        })
        .collect();
    let mut fixes = Fixes {
        report: Report::default(),
        applied: 0,
        files: 0,
        not_written: 0,
    };
    let mut checked = Vec::with_capacity(outcomes.len());
    let mut stderr = std::io::stderr().lock();
    for ((path, outcome), written) in outcomes.into_iter().zip(written) {
        match (written, outcome.fixed) {
            (Some(Ok(how)), Some(fixed)) => {
                fixes.applied += fixed.applied;
                fixes.files += 1;
                if let Written::InPlace { links } = how {
                    let _ = writeln!(
                        stderr,
                        "{}: written in place, as the file has {links} hard links",
                        path.display()
                    );
                }
                checked.push(outcome.checked);
            }
            (Some(Err(error)), Some(fixed)) => {
                fixes.not_written += 1;
                let _ = writeln!(
                    stderr,
                    "sentinel-lint: error: {}: not fixed: {error}",
                    path.display()
                );
                // The findings of the file as it is.
                let display = path.display().to_string();
                checked.push(pipeline::check_guarded(
                    &display,
                    fixed.original.as_bytes(),
                    &settings.declared,
                ));
            }
            _ => checked.push(outcome.checked),
        }
    }
    fixes.report = pipeline::finish(checked, settings);
    fixes
}

/// `--diff`: print what `--fix` would change.
fn diff(
    files: &[PathBuf],
    settings: &Settings,
    args: &CheckArgs,
    changed: Option<&HashSet<PathBuf>>,
) -> anyhow::Result<ExitStatus> {
    let files: Vec<PathBuf> = files
        .iter()
        .filter(|path| changed.is_none_or(|c| is_changed(path, c)))
        .cloned()
        .collect();
    let fixed: Vec<(PathBuf, fix::Fixed)> = fix_files(&files, settings, args, None, 0)
        .into_iter()
        .filter_map(|(path, o)| o.fixed.map(|f| (path, f)))
        .collect();
    let out: String = fixed
        .iter()
        .map(|(path, f)| fix::diff(&path.display().to_string(), f))
        .collect();
    match &args.output {
        Some(path) => {
            std::fs::write(path, &out).with_context(|| format!("writing {}", path.display()))?
        }
        None => super::print(out.as_bytes())?,
    }
    let count: usize = fixed.iter().map(|(_, f)| f.applied).sum();
    eprintln!(
        "{} in {}{}.",
        plural(count, "fixable finding"),
        plural(fixed.len(), "file"),
        if count > 0 {
            " (run with --fix to apply)"
        } else {
            ""
        }
    );
    Ok(if count > 0 && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// What changed since a git revision: the files changed, committed or not, and files git
/// does not track yet (canonical paths); and for each changed file that existed at the
/// revision, its path there (from the repository's top; a renamed or moved file is
/// followed).
struct Changes {
    files: HashSet<PathBuf>,
    earlier_name: std::collections::HashMap<PathBuf, String>,
    commit: String,
}

fn git(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .context("running git (needed by --changed-since)")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn changed_files(reference: &str) -> anyhow::Result<Changes> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    // The revision is the user's text: never let git read it as an option.
    let commit = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &format!("{reference}^{{commit}}"),
    ])
    .map_err(|_| anyhow::anyhow!("--changed-since: `{reference}` is not a git revision"))?;
    let commit = commit.trim().to_owned();
    let mut changes = Changes {
        files: HashSet::new(),
        earlier_name: Default::default(),
        commit: commit.clone(),
    };
    // `STATUS\0path\0`, or `R<score>\0old\0new\0` for a rename; names from the top.
    let diff = git(&[
        "diff",
        "--name-status",
        "-z",
        "--find-renames",
        "--diff-filter=ACMR",
        "--end-of-options",
        &commit,
        "--",
    ])?;
    let mut fields = diff.split('\0').filter(|f| !f.is_empty());
    while let Some(status) = fields.next() {
        let (earlier, name) = if status.starts_with('R') {
            let (Some(old), Some(new)) = (fields.next(), fields.next()) else {
                break;
            };
            (Some(old), new)
        } else {
            let Some(name) = fields.next() else { break };
            (status.starts_with('M').then_some(name), name)
        };
        if let Ok(path) = std::fs::canonicalize(top.join(name)) {
            if let Some(earlier) = earlier {
                changes
                    .earlier_name
                    .insert(path.clone(), earlier.to_owned());
            }
            changes.files.insert(path);
        }
    }
    // Untracked files, named from the working folder.
    for name in git(&["ls-files", "-z", "--others", "--exclude-standard"])?
        .split('\0')
        .filter(|n| !n.is_empty())
    {
        if let Ok(path) = std::fs::canonicalize(name) {
            changes.files.insert(path);
        }
    }
    Ok(changes)
}

/// The text each of `files` had at the revision, by the path it is checked under, read from
/// git's object store in one `git cat-file --batch` (no checkout). Files larger than a rule
/// file may be are left out.
fn earlier_versions(
    files: &[PathBuf],
    changes: &Changes,
) -> anyhow::Result<std::collections::HashMap<String, Vec<u8>>> {
    use std::io::{BufRead, Read};
    let wanted: Vec<(String, &String)> = files
        .iter()
        .filter_map(|f| {
            let real = std::fs::canonicalize(f).ok()?;
            let earlier = changes.earlier_name.get(&real)?;
            Some((f.display().to_string(), earlier))
        })
        .collect();
    let mut versions = std::collections::HashMap::new();
    if wanted.is_empty() {
        return Ok(versions);
    }
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("running git cat-file (needed by --changed-since)")?;
    let mut requests = String::new();
    for (_, earlier) in &wanted {
        requests.push_str(&format!("{}:{earlier}\n", changes.commit));
    }
    let mut stdin = child.stdin.take().context("git cat-file: no input")?;
    // Written from a thread: git answers while it reads, and both pipes have a limit.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut out = std::io::BufReader::new(child.stdout.take().context("git cat-file: no output")?);
    for (path, _) in &wanted {
        let mut header = String::new();
        out.read_line(&mut header)?;
        // `<sha> blob <size>`, or `<name> missing`.
        let size = match header.trim_end().rsplit_once(' ') {
            Some((kind, size)) if kind.ends_with(" blob") => size.parse::<u64>().ok(),
            _ => None,
        };
        let Some(size) = size else { continue };
        // A blob larger than a rule file may be is passed over, not held in memory.
        if size <= pipeline::MAX_FILE_BYTES as u64 {
            let mut text = Vec::new();
            out.by_ref().take(size).read_to_end(&mut text)?;
            versions.insert(path.clone(), text);
        } else {
            std::io::copy(&mut out.by_ref().take(size), &mut std::io::sink())?;
        }
        let mut newline = [0u8; 1];
        out.read_exact(&mut newline)?;
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(versions)
}

fn is_changed(path: &Path, changed: &HashSet<PathBuf>) -> bool {
    std::fs::canonicalize(path).is_ok_and(|p| changed.contains(&p))
}

/// One line per lint and severity (a lint reports hunting queries, or configured files,
/// at another level): count, code, name, severity.
fn statistics(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut counts: BTreeMap<(&str, &str, Severity), usize> = BTreeMap::new();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        *counts.entry((d.code, d.name, d.severity)).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((code, name, severity), count) in rows {
        writeln!(out, "{count:>6}  {code}  {name} ({severity})")?;
    }
    writeln!(out, "{}", render::summary_line(&report.summary()))
}
