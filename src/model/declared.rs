//! What a run knows of the rule repository beyond each file: what `sentinel-lint.toml`
//! declares (its workspace's tables, functions and watchlists, the connector ids its
//! solutions define, the line endings its files use) and, with `--changed-since`, the
//! previous version of each changed file. The lints read it; the pipeline passes it.

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
    /// The text each changed file had at the revision `--changed-since` names, by the path
    /// it is checked under (a file new since has none).
    pub previous: std::sync::Arc<std::collections::HashMap<String, Vec<u8>>>,
}

impl Declared {
    /// The previous version of the file checked under `path`, if the run knows one.
    pub fn previous_of(&self, path: &str) -> Option<&[u8]> {
        self.previous.get(path).map(Vec::as_slice)
    }
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
