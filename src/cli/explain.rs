//! `sentinel-lint explain`.

use anyhow::bail;
use clap::Args;

use super::ExitStatus;
use crate::diagnostics::Applicability;
use crate::lints::{self, Check, FixAvailability, Lint};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A lint code (SL102) or name (misindented-key), or a code prefix (SL1) to list those
    /// lints; all lints when omitted.
    pub lint: Option<String>,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitStatus> {
    match args.lint {
        None => super::print(list(lints::ALL.iter().copied()).as_bytes())?,
        Some(wanted) => match lints::find(&wanted) {
            Some(lint) => super::print(explain(lint).as_bytes())?,
            // A code prefix (`SL1`) or `ALL`, as `--select` takes them: the lints it selects.
            None if lints::is_known_selector(&wanted) => {
                let selected = lints::ALL.iter().copied().filter(|l| l.matches(&wanted));
                super::print(list(selected).as_bytes())?;
            }
            None => {
                let names = lints::ALL.iter().flat_map(|l| [l.code, l.name]);
                match lints::did_you_mean(&wanted, names) {
                    Some(m) => bail!("no lint `{wanted}`; did you mean `{m}`?"),
                    None => bail!("no lint `{wanted}` (run `sentinel-lint explain` for the list)"),
                }
            }
        },
    }
    Ok(ExitStatus::Success)
}

/// One line per lint: code, name, default severity (and on hunting queries, when that is
/// another), fix availability, summary.
fn list<'a>(lints: impl Iterator<Item = &'a Lint>) -> String {
    lints
        .map(|lint| {
            let fix = match lint.fix {
                FixAvailability::None => "",
                FixAvailability::Always(Applicability::Safe)
                | FixAvailability::Sometimes(Applicability::Safe) => "fix",
                _ => "unsafe fix",
            };
            let severity = match lint.hunting_severity {
                Some(hunting) => format!("{} (hunting: {hunting})", lint.severity),
                None => lint.severity.to_string(),
            };
            format!(
                "{}  {:<30} {:<25}  {:<10}  {}\n",
                lint.code, lint.name, severity, fix, lint.summary
            )
        })
        .collect()
}

/// The documentation of one lint, as Markdown.
pub fn explain(lint: &Lint) -> String {
    let found_by = match lint.check {
        Check::File(_) => "each file",
        Check::Rule(_) => "each rule",
        Check::Pack(_) => "all files of a run together",
        Check::Revision(_) => {
            "each changed rule against its version at the revision `--changed-since` names"
        }
        Check::Schema { .. } => "each rule, from the JSON Schema",
        Check::Suppression => "the suppression comments of each file",
        Check::Input => "each file, before it is read as YAML",
    };
    format!(
        "# {code} {name}\n\n{summary}.\n\nDefault severity: {severity}. Fix: {fix}. Checks {found_by}.\n\n{docs}",
        code = lint.code,
        name = lint.name,
        summary = lint.summary,
        severity = match lint.hunting_severity {
            Some(hunting) => format!("{} ({hunting} on hunting queries)", lint.severity),
            None => lint.severity.to_string(),
        },
        fix = lint.fix.describe(),
        docs = lint.docs.trim_end().to_owned() + "\n",
    )
}
