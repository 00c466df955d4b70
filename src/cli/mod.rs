//! The command line: one file per subcommand.

mod check;
mod convert;
mod explain;
mod kql;
mod schema;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lint Microsoft Sentinel analytics rules and hunting queries (Azure-Sentinel YAML).
#[derive(Debug, Parser)]
#[command(name = "sentinel-lint", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rule files and folders (default: the current folder).
    Check(check::CheckArgs),
    /// Convert rules to ARM templates, or ARM templates back to rule YAML.
    Convert(convert::ConvertArgs),
    /// Print the JSON Schema of rule files, for editors and other tools.
    Schema(schema::SchemaArgs),
    /// Show the documentation of a lint, or list all lints.
    Explain(explain::ExplainArgs),
    /// Show the syntax tree of a rule's KQL query (and its syntax errors).
    Kql(kql::KqlArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    Man,
}

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at error level.
    Success = 0,
    /// Findings at error level.
    Failure = 1,
    /// Usage, configuration or internal error.
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Kql(args) => kql::run(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "sentinel-lint", &mut std::io::stdout());
            Ok(ExitStatus::Success)
        }
        Command::Man => clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut std::io::stdout())
            .map(|()| ExitStatus::Success)
            .map_err(Into::into),
    };
    match result {
        Ok(status) => status,
        // The reader went away (`| head`): nothing to report.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitStatus::Success
        }
        Err(error) => {
            eprintln!("sentinel-lint: error: {error:#}");
            ExitStatus::Error
        }
    }
}
