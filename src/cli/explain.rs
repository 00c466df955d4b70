//! `sentinel-lint explain`.

use anyhow::bail;
use clap::Args;

use super::ExitStatus;
use crate::lints::{self, Check, Lint};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A lint code (SL102) or name (misindented-key); all lints when omitted.
    pub lint: Option<String>,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitStatus> {
    match args.lint {
        None => {
            let list: String = lints::ALL
                .iter()
                .map(|lint| {
                    format!(
                        "{}  {:<30} {:<7}  {}\n",
                        lint.code, lint.name, lint.severity, lint.summary
                    )
                })
                .collect();
            super::print(list.as_bytes())?;
        }
        Some(wanted) => match lints::find(&wanted) {
            Some(lint) => super::print(explain(lint).as_bytes())?,
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

/// The documentation of one lint, as Markdown.
pub fn explain(lint: &Lint) -> String {
    let found_by = match lint.check {
        Check::File(_) => "each file",
        Check::Rule(_) => "each rule",
        Check::Pack(_) => "all files of a run together",
        Check::Schema { .. } => "each rule, from the JSON Schema",
        Check::Suppression => "the suppression comments of each file",
        Check::Input => "each file, before it is read as YAML",
    };
    format!(
        "# {code} {name}\n\n{summary}.\n\nDefault severity: {severity}. Fix: {fix}. Checks {found_by}.\n\n{docs}",
        code = lint.code,
        name = lint.name,
        summary = lint.summary,
        severity = lint.severity,
        fix = lint.fix.describe(),
        docs = lint.docs.trim_end().to_owned() + "\n",
    )
}
