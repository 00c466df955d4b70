//! The YAML layer: bytes -> text -> spanned tree, with breakage explained rather than
//! merely reported.

mod node;
mod scalar;
pub mod source;
pub mod structure;

pub use node::{Entry, Node, Value, describe_pointer, pointer_push, pointer_tokens, split_pointer};
pub use scalar::ScalarMap;

use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, Spanned};

use crate::text::{Edit, LineIndex, Span, apply_edits};
use node::{Converter, RawNode};
use structure::{Misindent, UnderindentedBlock};

/// Nesting deeper than this is not a rule file; it is refused before it can hurt.
pub const MAX_DEPTH: usize = 64;
/// More values than this are not a rule file (the largest real ones have a few thousand);
/// it also stops anchors and aliases that expand into a huge document.
pub const MAX_NODES: usize = 50_000;

/// What the parser said when it gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The parser's own words.
    pub message: String,
    /// Where it gave up (a position, sometimes a one-character span).
    pub span: Span,
    pub kind: SyntaxErrorKind,
}

/// Parser errors that have a better explanation than the parser's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// A tab where YAML wants indentation spaces.
    Tab,
    /// A plain value starts with a character YAML reserves (`%`, `@`, `` ` ``).
    ReservedIndicator(char),
    /// `key: value: more` — a `: ` inside an unquoted value.
    ColonInPlainValue,
    /// Resource limits (nesting, size, aliases) were hit.
    Limit,
    Other,
}

/// The outcome of reading a file's YAML.
#[derive(Debug, Clone, Default)]
pub struct ParsedYaml {
    /// The documents of the file (empty when the YAML could not be read). Spans are byte
    /// ranges of the file's text, also when the tree came from a repaired copy.
    pub documents: Vec<Node>,
    /// The parser error that remains after the known breakages were repaired in memory.
    pub syntax_error: Option<SyntaxError>,
    /// Keys indented like the `- ` of the list item above them.
    pub misindents: Vec<Misindent>,
    /// Block scalars whose lines are indented less than their content.
    pub underindented_blocks: Vec<UnderindentedBlock>,
    /// The documents were read from the text with the repairs of `misindents` and
    /// `underindented_blocks` applied.
    pub recovered: bool,
}

/// Parse a file's text. Known indentation mistakes are found first; when they make the YAML
/// invalid (or valid but wrong), the file is re-read with them repaired so that the rest of
/// the file can still be checked, and every span is mapped back to the original text.
pub fn parse(text: &str, lines: &LineIndex) -> ParsedYaml {
    let misindents = structure::find_misindented_keys(text, lines);
    let first = parse_documents(text, lines);
    let underindented_blocks = if first.is_err() {
        structure::find_underindented_blocks(text, lines)
    } else {
        Vec::new()
    };
    let mut repairs: Vec<Edit> = misindents.iter().flat_map(|m| m.edits.clone()).collect();
    repairs.extend(underindented_blocks.iter().flat_map(|b| b.edits.clone()));
    if repairs.is_empty() {
        return match first {
            Ok(documents) => ParsedYaml {
                documents,
                ..ParsedYaml::default()
            },
            Err(error) => ParsedYaml {
                syntax_error: Some(error),
                ..ParsedYaml::default()
            },
        };
    }
    let repaired = apply_edits(text, &repairs);
    let repaired_lines = LineIndex::new(&repaired);
    let map = OffsetMap::new(&repairs);
    match (parse_documents(&repaired, &repaired_lines), first) {
        (Ok(mut documents), _) => {
            for doc in &mut documents {
                map.remap_node(doc);
            }
            ParsedYaml {
                documents,
                syntax_error: None,
                misindents,
                underindented_blocks,
                recovered: true,
            }
        }
        // The repair made valid YAML invalid: the findings were wrong; trust the parser.
        (Err(_), Ok(documents)) => ParsedYaml {
            documents,
            ..ParsedYaml::default()
        },
        (Err(mut error), Err(_)) => {
            error.span = map.remap_span(error.span);
            ParsedYaml {
                documents: Vec::new(),
                syntax_error: Some(error),
                misindents,
                underindented_blocks,
                recovered: false,
            }
        }
    }
}

/// Data files (ARM templates, JSON being YAML) are much larger than rules: a Solution's
/// `mainTemplate.json` can hold hundreds of rules and workbooks.
pub const MAX_DATA_NODES: usize = 5_000_000;

/// Parse a data file (an ARM template) as it is: one document, no repairs, a budget for
/// large files.
pub fn parse_data(text: &str, lines: &LineIndex) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            max_depth: 2 * MAX_DEPTH,
            flow_nesting_limit: 2 * MAX_DEPTH,
            max_documents: 1,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: MAX_DATA_NODES,
        },
    };
    let raw: Spanned<RawNode> = serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| syntax_error(&e, text, lines))?;
    Ok(Converter { text, lines }.convert(raw))
}

fn parse_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        // YAML 1.2 core schema: `no`, `on`, `0755` and `1_000` stay strings.
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        // Duplicates reach the tree, so that a lint can point at both keys.
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        // `!custom` tags: PyYAML's safe_load and the Azure-Sentinel CI refuse them.
        reject_unsupported_tags: true,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_documents: 64,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: MAX_NODES,
        },
    }
}

/// Parse a text as it is, without repairing anything (what [`parse`] does first).
pub fn parse_documents(text: &str, lines: &LineIndex) -> Result<Vec<Node>, SyntaxError> {
    let raw: Vec<Spanned<RawNode>> =
        serde_saphyr::from_str_multiple_with_options(text, parse_options())
            .map_err(|e| syntax_error(&e, text, lines))?;
    let converter = Converter { text, lines };
    Ok(raw.into_iter().map(|doc| converter.convert(doc)).collect())
}

fn syntax_error(error: &serde_saphyr::Error, text: &str, lines: &LineIndex) -> SyntaxError {
    let error = error.without_snippet();
    let message = serde_saphyr::DefaultMessageFormatter
        .format_message(error)
        .into_owned();
    let span = match error.location() {
        Some(location) if location.line() > 0 => {
            let s = location.span();
            match (s.byte_offset(), s.byte_len()) {
                (Some(offset), Some(len)) if (offset as usize) <= text.len() => {
                    let start = offset as usize;
                    Span::new(start, (start + len as usize).min(text.len()))
                }
                _ => {
                    let start =
                        lines.offset_of(text, location.line() as usize, location.column() as usize);
                    let len = text[start..].chars().next().map_or(0, char::len_utf8);
                    Span::new(start, start + len)
                }
            }
        }
        _ => Span::empty(0),
    };
    let kind = classify_error(error, &message, text, span);
    SyntaxError {
        message,
        span,
        kind,
    }
}

fn classify_error(
    error: &serde_saphyr::Error,
    message: &str,
    text: &str,
    span: Span,
) -> SyntaxErrorKind {
    if matches!(error, serde_saphyr::Error::Budget { .. }) {
        return SyntaxErrorKind::Limit;
    }
    let lower = message.to_ascii_lowercase();
    if lower.contains("tab") {
        return SyntaxErrorKind::Tab;
    }
    if lower.contains("mapping values are not allowed") {
        return SyntaxErrorKind::ColonInPlainValue;
    }
    if lower.contains("unexpected character")
        && let Some(c) = text[span.start..].chars().next()
        && matches!(c, '%' | '@' | '`')
    {
        return SyntaxErrorKind::ReservedIndicator(c);
    }
    if lower.contains("budget") || lower.contains("limit") || lower.contains("depth") {
        return SyntaxErrorKind::Limit;
    }
    SyntaxErrorKind::Other
}

/// Maps byte offsets of an edited text back to the text before the edits.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// (start in the edited text, end in the edited text, original start, delta after it)
    segments: Vec<(usize, usize, usize, isize)>,
}

impl OffsetMap {
    pub fn new(edits: &[Edit]) -> Self {
        let mut sorted: Vec<&Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.span.start, e.span.end));
        let mut delta: isize = 0;
        let mut segments = Vec::with_capacity(sorted.len());
        let mut last_end = 0;
        for e in sorted {
            if e.span.start < last_end {
                continue; // overlapping: skipped by apply_edits too
            }
            last_end = e.span.end;
            let new_start = (e.span.start as isize + delta) as usize;
            let new_end = new_start + e.replacement.len();
            delta += e.replacement.len() as isize - e.span.len() as isize;
            segments.push((new_start, new_end, e.span.start, delta));
        }
        OffsetMap { segments }
    }

    /// The original offset of an offset in the edited text. Offsets inside replaced text
    /// map to the start of what was replaced.
    pub fn to_original(&self, offset: usize) -> usize {
        // Last segment starting at or before `offset`.
        let idx = self.segments.partition_point(|s| s.0 <= offset);
        if idx == 0 {
            return offset;
        }
        let (new_start, new_end, orig_start, delta_after) = self.segments[idx - 1];
        if offset < new_end && offset >= new_start {
            // Inside inserted text; for an insertion the content after it is the same.
            if new_end > new_start && offset == new_start {
                return orig_start;
            }
            return orig_start;
        }
        (offset as isize - delta_after) as usize
    }

    pub fn remap_span(&self, span: Span) -> Span {
        let start = self.to_original(span.start);
        let end = self.to_original(span.end).max(start);
        Span::new(start, end)
    }

    pub fn remap_node(&self, node: &mut Node) {
        node.span = self.remap_span(node.span);
        match &mut node.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| self.remap_node(n)),
            Value::Map(entries) => {
                for e in entries {
                    e.key_span = self.remap_span(e.key_span);
                    self.remap_node(&mut e.value);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> ParsedYaml {
        parse(text, &LineIndex::new(text))
    }

    #[test]
    fn spans_are_bytes_of_the_file() {
        let text = "id: \"x\"\ntactics:\n  - Impact\nquery: |\n  T\n  | take 1\n";
        let parsed = parse_str(text);
        assert!(parsed.syntax_error.is_none());
        let doc = &parsed.documents[0];
        let tactic = doc.pointer("/tactics/0").unwrap();
        assert_eq!(&text[tactic.span.start..tactic.span.end], "Impact");
        let id = doc.get("id").unwrap();
        assert_eq!(&text[id.span.start..id.span.end], "\"x\"");
        assert_eq!(
            doc.key_span_at("/query").map(|s| &text[s.start..s.end]),
            Some("query")
        );
    }

    #[test]
    fn recovered_tree_maps_back_to_the_original_text() {
        let text = "id: x\nrequiredDataConnectors:\n    - connectorId: MicrosoftThreatProtection\n    dataTypes:\n        - DeviceNetworkEvents\ntactics: CommandAndControl\n";
        let parsed = parse_str(text);
        assert!(parsed.recovered);
        assert!(parsed.syntax_error.is_none());
        assert_eq!(parsed.misindents.len(), 1);
        let doc = &parsed.documents[0];
        let dt = doc
            .pointer("/requiredDataConnectors/0/dataTypes/0")
            .unwrap();
        assert_eq!(&text[dt.span.start..dt.span.end], "DeviceNetworkEvents");
        let tactics = doc.get("tactics").unwrap();
        assert_eq!(
            &text[tactics.span.start..tactics.span.end],
            "CommandAndControl"
        );
    }

    #[test]
    fn remaining_error_is_reported_at_its_original_place() {
        let text = "id: %%GUID%%\nrequiredDataConnectors:\n    - connectorId: X\n    dataTypes:\n        - T\n";
        let parsed = parse_str(text);
        assert_eq!(parsed.misindents.len(), 1);
        let error = parsed.syntax_error.unwrap();
        assert_eq!(error.kind, SyntaxErrorKind::ReservedIndicator('%'));
        assert_eq!(error.span.start, 4);
    }

    #[test]
    fn block_scalar_at_the_end_of_the_file_without_a_line_break() {
        let parsed = parse_str("a: |\n  x\n  y");
        assert_eq!(
            parsed.documents[0].get("a").and_then(Node::as_str),
            Some("x\ny")
        );
        let parsed = parse_str("a: |\n  x\n  y\n");
        assert_eq!(
            parsed.documents[0].get("a").and_then(Node::as_str),
            Some("x\ny\n")
        );
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let parsed = parse_str("a: 1\nb: 2\na: 3\n");
        let doc = &parsed.documents[0];
        assert_eq!(doc.as_map().unwrap().len(), 3);
        assert_eq!(doc.get("a").and_then(Node::as_i64), Some(3));
        assert_eq!(doc.to_json(), serde_json::json!({"b": 2, "a": 3}));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "a: ".to_owned() + &"[".repeat(10_000) + &"]".repeat(10_000);
        let parsed = parse_str(&text);
        assert_eq!(
            parsed.syntax_error.map(|e| e.kind),
            Some(SyntaxErrorKind::Limit)
        );
    }

    #[test]
    fn yaml_1_1_scalars_stay_strings() {
        let parsed = parse_str("a: no\nb: 0755\nc: 1_000\nd: true\n");
        let doc = &parsed.documents[0];
        assert_eq!(doc.get("a").and_then(Node::as_str), Some("no"));
        assert_eq!(doc.get("b").and_then(Node::as_str), Some("0755"));
        assert_eq!(doc.get("c").and_then(Node::as_str), Some("1_000"));
        assert_eq!(doc.get("d").map(|n| &n.value), Some(&Value::Bool(true)));
    }

    #[test]
    fn offset_map() {
        let edits = vec![Edit::insert(2, "xx"), Edit::replace(Span::new(4, 6), "y")];
        // "ab" + "xx" + "cd" + "y" + "g..."
        let map = OffsetMap::new(&edits);
        assert_eq!(map.to_original(0), 0);
        assert_eq!(map.to_original(2), 2);
        assert_eq!(map.to_original(4), 2);
        assert_eq!(map.to_original(6), 4);
        assert_eq!(map.to_original(7), 6);
    }
}
