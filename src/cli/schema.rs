//! `sentinel-lint schema`.

use clap::Args;

use super::ExitStatus;
use crate::schema::{Draft, document_schema};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// JSON Schema draft: 2020-12, or 07 for the VS Code YAML extension.
    #[arg(long, value_enum, default_value_t = Draft::Draft2020_12)]
    pub draft: Draft,
}

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitStatus> {
    println!(
        "{}",
        serde_json::to_string_pretty(&document_schema(args.draft))?
    );
    Ok(ExitStatus::Success)
}
