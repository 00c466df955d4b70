//! The command line: one file per subcommand.

mod check;
mod convert;
mod coverage;
pub mod explain;
mod kql;
mod schema;

use std::io::Write;
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
    /// The MITRE ATT&CK coverage of a pack, and what it is made of (tables, connectors).
    Coverage(coverage::CoverageArgs),
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
        Command::Coverage(args) => coverage::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Kql(args) => kql::run(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "sentinel-lint", &mut script);
            print(&script)
                .map(|()| ExitStatus::Success)
                .map_err(Into::into)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut page)
                .and_then(|()| print(&page))
                .map(|()| ExitStatus::Success)
                .map_err(Into::into)
        }
    };
    match result {
        Ok(status) => status,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "sentinel-lint: error: {error:#}");
            ExitStatus::Error
        }
    }
}

/// Write to standard output. A reader that went away (`| head`) is not an error: the run
/// ends with the exit code its work calls for. Any other failure (a full disk) is.
pub(crate) fn print(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(std::io::Error::new(
            e.kind(),
            format!("writing to standard output: {e}"),
        )),
        Ok(()) => Ok(()),
    }
}

/// The size of the stack of each thread that reads files: the syntax trees of queries are
/// bounded in depth ([`crate::kql::MAX_TREE_DEPTH`]) so that every walk of them fits,
/// with room to spare, in this.
pub const STACK_BYTES: usize = 64 * 1024 * 1024;

/// [`run`] on threads with [`STACK_BYTES`] of stack (the main thread's is set by the
/// system, often 8 MiB, and a worker's by Rust, 2 MiB).
pub fn run_with_stack(cli: Cli) -> ExitStatus {
    // Fails only when a pool exists already, which then is the one to use.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build_global();
    // A bug is reported in one line, not with Rust's backtrace advice; a panic while one
    // file is checked also becomes a finding of that file (`pipeline::check_guarded`).
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr(),
            "sentinel-lint: internal error (a bug; please report it): {info}"
        );
    }));
    std::thread::Builder::new()
        .name("sentinel-lint".into())
        .stack_size(STACK_BYTES)
        .spawn(move || run(cli))
        .ok()
        .and_then(|thread| thread.join().ok())
        .unwrap_or(ExitStatus::Error)
}
