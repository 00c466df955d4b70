use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sentinel_lint::cli::Cli::parse();
    sentinel_lint::cli::run_with_stack(cli).into()
}
