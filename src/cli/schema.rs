//! `sentinel-lint schema`.

use clap::Args;

use super::ExitStatus;
use crate::model::schema::{Draft, document_schema};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// JSON Schema draft of rule files: 2020-12, or 07 for the VS Code YAML extension.
    #[arg(long, value_enum, default_value_t = Draft::Draft2020_12)]
    pub draft: Draft,
    /// The schema of the configuration file (sentinel-lint.toml) instead of rule files.
    #[arg(long, conflicts_with = "draft")]
    pub config: bool,
}

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitStatus> {
    let schema = if args.config {
        crate::pipeline::config::json_schema()
    } else {
        document_schema(args.draft)
    };
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    super::print(text.as_bytes())?;
    Ok(ExitStatus::Success)
}
