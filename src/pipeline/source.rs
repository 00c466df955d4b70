//! A file's bytes read once into what every command works on: its text and lines, its YAML,
//! what it is, and its query parsed. `check`, `convert` and `kql` all start here.

use crate::files::input::ReadError;
use crate::kql;
use crate::lints::{FileContext, sl114_unreadable_file};
use crate::model::RuleType;
use crate::model::declared::Declared;
use crate::model::shape::{self, Shape};
use crate::text::{LineIndex, SourceText};
use crate::yaml::source::{self, Decoded};
use crate::yaml::{self, Node, ParsedYaml, ScalarMap, SyntaxError};

/// Files larger than this are not read as rules (a rule's query is at most 10,000
/// characters; the largest real rule files are a few tens of kilobytes).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A rule file, read and parsed.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given or found.
    pub path: String,
    pub decoded: Decoded,
    pub lines: LineIndex,
    pub parsed: ParsedYaml,
    pub shape: Shape,
    /// The query of the first document, when it has a string `query`.
    pub query: Option<Query>,
}

/// A rule's query, parsed, and where its offsets are in the file.
#[derive(Debug)]
pub struct Query {
    pub parsed: kql::Parsed,
    pub map: ScalarMap,
    /// Its columns, analysed when a lint first asks.
    pub columns: std::sync::OnceLock<Option<kql::columns::Analysis>>,
}

impl SourceFile {
    /// Read a file's bytes; `Err` says why they cannot be read as a rule file (too large, or
    /// not UTF-8 but UTF-16 or UTF-32).
    pub fn read(path: &str, bytes: &[u8]) -> Result<SourceFile, String> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ReadError::TooLarge {
                len: bytes.len() as u64,
                limit: MAX_FILE_BYTES as u64,
            }
            .to_string());
        }
        if let Some(encoding) = sl114_unreadable_file::wide_encoding(bytes) {
            return Err(format!(
                "the file is encoded as {encoding}; rule files are UTF-8"
            ));
        }
        let decoded = source::decode(bytes);
        let lines = LineIndex::new(&decoded.text);
        let parsed = yaml::parse(&decoded.text, &lines);
        let shape = shape::classify_at(&parsed, path);
        let query = parsed
            .documents
            .first()
            .and_then(|root| root.get("query"))
            .and_then(|node| {
                node.as_str().map(|text| Query {
                    parsed: kql::parse(text),
                    map: ScalarMap::new(&decoded.text, node),
                    columns: std::sync::OnceLock::new(),
                })
            });
        Ok(SourceFile {
            path: path.to_owned(),
            decoded,
            lines,
            parsed,
            shape,
            query,
        })
    }

    pub fn text(&self) -> &str {
        &self.decoded.text
    }

    /// The rule the file holds, when it is one: its type and its tree.
    pub fn rule(&self) -> Option<(RuleType, &Node)> {
        match self.shape {
            Shape::Rule(rule_type) => Some((rule_type, self.root()?)),
            _ => None,
        }
    }

    /// The first document, when it is a mapping.
    pub fn root(&self) -> Option<&Node> {
        self.parsed
            .documents
            .first()
            .filter(|d| d.as_map().is_some())
    }

    /// What the file lints see.
    pub fn context<'a>(&'a self, declared: &'a Declared) -> FileContext<'a> {
        FileContext {
            declared,
            path: &self.path,
            text: &self.decoded.text,
            lines: &self.lines,
            decoded: &self.decoded,
            parsed: &self.parsed,
            shape: &self.shape,
            query: self.query.as_ref().map(|q| (&q.parsed, &q.map)),
        }
    }
}

/// A data file (an ARM template, an export) read as a rule file's text is (decoded, with its
/// lines), its YAML or JSON read as plain data: no rule shape, no repairs of rule files.
pub fn read_data(bytes: &[u8]) -> (SourceText, Result<Node, SyntaxError>) {
    let decoded = source::decode(bytes);
    let lines = LineIndex::new(&decoded.text);
    let parsed = yaml::parse_data(&decoded.text, &lines);
    (SourceText::with_lines(decoded.text, lines), parsed)
}
