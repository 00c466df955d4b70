//! `sentinel-lint kql`: the syntax tree of a rule's query.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};

use super::ExitStatus;
use crate::kql;
use crate::kql::columns::Schema;
use crate::pipeline::SourceFile;
use crate::text::LineIndex;
use crate::yaml::source;

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
    /// Print the query's result columns instead (from the table schemas sentinel-lint knows),
    /// or where and why they are not known.
    #[arg(long, conflicts_with = "format")]
    pub columns: bool,
}

/// The (line, column) in the file of an offset in the query.
type Position<'a> = Box<dyn Fn(usize) -> (usize, usize) + 'a>;

pub fn run(args: KqlArgs) -> anyhow::Result<ExitStatus> {
    let bytes = crate::files::input::read(&args.file, crate::pipeline::MAX_FILE_BYTES as u64)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let display = args.file.display().to_string();
    let is_yaml = matches!(
        args.file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("yaml" | "yml")
    );
    // The query, its parse, and the file position of an offset in it.
    let source;
    let text;
    let lines;
    let parsed_text;
    let (query, parsed, position): (&str, &kql::Parsed, Position<'_>) = if is_yaml {
        source = SourceFile::read(&display, &bytes).map_err(|e| anyhow!("{display}: {e}"))?;
        let query_text = source.root().and_then(|r| r.get("query"));
        let (Some(node), Some(query)) = (query_text, &source.query) else {
            bail!(
                "{display}: no `query` string to read (is the YAML valid? run `sentinel-lint check` on it)"
            );
        };
        let position = |offset: usize| {
            source
                .lines
                .line_col(source.text(), query.map.to_file(offset))
        };
        (
            node.as_str().unwrap_or_default(),
            &query.parsed,
            Box::new(position),
        )
    } else {
        text = source::decode(&bytes).text;
        lines = LineIndex::new(&text);
        parsed_text = kql::parse(&text);
        let position = |offset: usize| lines.line_col(&text, offset);
        (&text, &parsed_text, Box::new(position))
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
    if args.columns {
        if parsed.errors.is_empty() {
            // The tables of `sentinel-lint.toml` (from this folder up) too.
            let tables = crate::pipeline::config::settings(None, false)?
                .declared
                .tables;
            columns(
                &kql::columns::analyze(&parsed.query, &tables),
                &*position,
                &mut out,
            );
        }
        super::print(out.as_bytes())?;
        return Ok(if parsed.errors.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        });
    }
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

/// The result columns, one per line (`name: type`), or why they are not known; then the
/// names no schema knows.
fn columns(
    analysis: &kql::columns::Analysis,
    position: &dyn Fn(usize) -> (usize, usize),
    out: &mut String,
) {
    match &analysis.result {
        Schema::Closed(columns) => {
            for column in columns {
                let kind = if column.kind.is_empty() {
                    "?"
                } else {
                    &column.kind
                };
                let _ = writeln!(out, "{}: {kind}", column.name);
            }
        }
        Schema::Open { why, span } => {
            let (line, column) = position(span.start);
            let _ = writeln!(out, "not known from {line}:{column}: {why}");
        }
    }
    for (what, list) in [
        ("unknown table", &analysis.unknown_tables),
        ("unknown column", &analysis.unknown_columns),
    ] {
        for unknown in list {
            let (line, column) = position(unknown.span.start);
            let _ = writeln!(out, "{line}:{column}: {what} `{}`", unknown.name);
        }
    }
}
