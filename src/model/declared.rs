//! What a rule repository declares about itself in `sentinel-lint.toml`, beyond which lints
//! run: its workspace's tables, functions and watchlists, the connector ids its solutions
//! define, and the line endings its files use. The lints read it; the pipeline passes it.

use std::collections::BTreeSet;

use super::tables::Tables;

#[derive(Debug, Clone, Default)]
pub struct Declared {
    /// The tables queries may read: the embedded schemas and `[schema]`.
    pub tables: Tables,
    /// Connector ids valid besides the embedded list (`connector-ids`): those of the
    /// repository's own solutions.
    pub connector_ids: BTreeSet<String>,
    /// The line ending every file must use (`line-endings`); `None`: any, one per file.
    pub line_endings: Option<LineEnding>,
}

impl Declared {
    pub fn with_tables(tables: Tables) -> Self {
        Declared {
            tables,
            ..Declared::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\n` (Unix).
    Lf,
    /// `\r\n` (Windows).
    Crlf,
}

impl LineEnding {
    pub fn name(self) -> &'static str {
        match self {
            LineEnding::Lf => "LF",
            LineEnding::Crlf => "CRLF",
        }
    }
}
