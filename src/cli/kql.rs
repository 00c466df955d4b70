//! `sentinel-lint kql`: the syntax tree of a rule's query.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use super::ExitStatus;
use crate::kql;
use crate::text::LineIndex;
use crate::yaml::{self, ScalarMap, source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KqlFormat {
    /// The syntax tree, one node per line.
    Tree,
    /// The syntax tree as JSON (without positions).
    Json,
    /// The query written back from the tree, one operator per line.
    Kql,
    /// The tokens, with their lines and columns.
    Tokens,
}

#[derive(Debug, Args)]
pub struct KqlArgs {
    /// A rule file (its `query` is read), or a `.kql` file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = KqlFormat::Tree)]
    pub format: KqlFormat,
}

pub fn run(args: KqlArgs) -> anyhow::Result<ExitStatus> {
    let bytes = crate::files::input::read(&args.file, crate::pipeline::MAX_FILE_BYTES as u64)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let decoded = source::decode(&bytes);
    let lines = LineIndex::new(&decoded.text);
    let display = args.file.display().to_string();
    let is_yaml = matches!(
        args.file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml")
    );
    // The query, and how its offsets map to the file.
    let (query, map): (String, Option<ScalarMap>) = if is_yaml {
        let parsed = yaml::parse(&decoded.text, &lines);
        let Some(node) = parsed.documents.first().and_then(|d| d.get("query")) else {
            bail!(
                "{display}: no `query` to read (is the YAML valid? run `sentinel-lint check` on it)"
            );
        };
        let Some(text) = node.as_str() else {
            bail!("{display}: `query` is not a string");
        };
        (text.to_owned(), Some(ScalarMap::new(&decoded.text, node)))
    } else {
        (decoded.text.clone(), None)
    };
    let parsed = kql::parse(&query);
    let position = |offset: usize| {
        let file_offset = map.as_ref().map_or(offset, |m| m.to_file(offset));
        lines.line_col(&decoded.text, file_offset)
    };
    let mut messages = String::new();
    for error in &parsed.errors {
        let (line, column) = position(error.span.start);
        let what = if error.limit {
            "KQL limit"
        } else {
            "KQL syntax error"
        };
        let _ = writeln!(
            messages,
            "{display}:{line}:{column}: {what}: {}",
            error.message
        );
    }
    let _ = std::io::stderr().write_all(messages.as_bytes());
    let mut out = String::new();
    match args.format {
        KqlFormat::Tree => out.push_str(&kql::tree(&parsed.query)),
        KqlFormat::Json => {
            out.push_str(&serde_json::to_string_pretty(&parsed.query)?);
            out.push('\n');
        }
        KqlFormat::Kql => {
            out.push_str(&kql::print(&parsed.query));
            out.push('\n');
        }
        KqlFormat::Tokens => {
            for token in &parsed.tokens {
                let (line, column) = position(token.start as usize);
                let _ = writeln!(
                    out,
                    "{line}:{column}\t{:?}\t{}",
                    token.kind,
                    &query[token.range()]
                );
            }
        }
    }
    super::print(out.as_bytes())?;
    Ok(if parsed.errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
