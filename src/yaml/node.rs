//! A YAML document as a tree in which every key and value knows its byte span.
//!
//! serde-saphyr deserializes into `Spanned<RawNode>` (one parse); that is then turned into
//! [`Node`], whose spans are plain byte ranges of the file text. Duplicate keys are kept
//! (in order) so that a lint can report them; lookups use the last one, as PyYAML does.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::text::LineIndex;
use crate::text::Span;

/// One YAML value with its span. For a scalar the span covers its source text (quotes
/// included; for a block scalar the content lines). For a collection it starts at the
/// collection and ends at the end of its last descendant.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A key of a mapping and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn is_scalar(&self) -> bool {
        !matches!(self.value, Value::Seq(_) | Value::Map(_))
    }

    /// The value of `key` in a mapping (the last one if the key is duplicated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry of `key` in a mapping (the last one if the key is duplicated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key == key)
    }

    /// Follow a JSON pointer (`/entityMappings/0/entityType`).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for token in pointer_tokens(pointer) {
            node = match &node.value {
                Value::Map(_) => node.get(&token)?,
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The span of the key whose value a JSON pointer designates, if the last step is a key.
    pub fn key_span_at(&self, pointer: &str) -> Option<Span> {
        let (parent, last) = split_pointer(pointer)?;
        self.pointer(parent)?.entry(&last).map(|e| e.key_span)
    }

    /// What kind of value this is, for messages ("a string", "a list", ...).
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "empty (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The value as JSON, for schema validation. Duplicate keys: the last one wins.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or_else(|| J::String(f.to_string())),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    // Remove first so that a duplicate key moves to its last position.
                    map.shift_remove(&e.key);
                    map.insert(e.key.clone(), e.value.to_json());
                }
                J::Object(map)
            }
        }
    }
}

/// The decoded tokens of a JSON pointer (`~1` is `/`, `~0` is `~`).
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// Split a pointer into its parent pointer and its (decoded) last token.
pub fn split_pointer(pointer: &str) -> Option<(&str, String)> {
    let cut = pointer.rfind('/')?;
    let last = pointer[cut + 1..].replace("~1", "/").replace("~0", "~");
    Some((&pointer[..cut], last))
}

/// A JSON pointer as a reader writes the path: `/entityMappings/0/entityType` ->
/// `entityMappings[0].entityType`.
pub fn describe_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer_tokens(pointer) {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) && !out.is_empty() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    if out.is_empty() {
        "the file".to_owned()
    } else {
        out
    }
}

/// Append a token to a JSON pointer, escaping it.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// What serde-saphyr hands us: every child wrapped in `Spanned`.
#[derive(Debug)]
pub(crate) enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawNodeVisitor)
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }

    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }

    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }

    fn visit_char<E>(self, v: char) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawNode, E> {
        Ok(RawNode::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(256));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8).min(256));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(RawNode::Map(entries))
    }
}

/// Turns `Spanned<RawNode>` into [`Node`] with byte spans.
pub(crate) struct Converter<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
}

impl Converter<'_> {
    fn span_of<T>(&self, spanned: &Spanned<T>) -> Span {
        let location = spanned.referenced;
        let span = location.span();
        if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) {
            let start = (offset as usize).min(self.text.len());
            return Span::new(start, (start + len as usize).min(self.text.len()));
        }
        // Fallback (not expected for string input): line and character column.
        let start = self.lines.offset_of(
            self.text,
            location.line() as usize,
            location.column() as usize,
        );
        Span::empty(start)
    }

    pub fn convert(&self, raw: Spanned<RawNode>) -> Node {
        let span = self.span_of(&raw);
        let value = match raw.value {
            RawNode::Null => Value::Null,
            RawNode::Bool(b) => Value::Bool(b),
            RawNode::Int(i) => Value::Int(i),
            RawNode::Float(f) => Value::Float(f),
            RawNode::Str(mut s) => {
                // A block scalar that ends the file without a final line break has none in
                // its value (YAML 1.2, chomping at the end of the stream); serde-saphyr adds
                // one, libyaml and PyYAML do not.
                if span.end == self.text.len()
                    && s.ends_with('\n')
                    && !self.text[span.start..]
                        .trim_end_matches([' ', '\t'])
                        .ends_with('\n')
                {
                    s.pop();
                }
                Value::Str(s)
            }
            RawNode::Seq(items) => Value::Seq(items.into_iter().map(|i| self.convert(i)).collect()),
            RawNode::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key_span = self.span_of(&k);
                        let key = match k.value {
                            RawNode::Str(s) => s,
                            RawNode::Null => "null".to_owned(),
                            RawNode::Bool(b) => b.to_string(),
                            RawNode::Int(i) => i.to_string(),
                            RawNode::Float(f) => f.to_string(),
                            // A complex key: keep its source text.
                            RawNode::Seq(_) | RawNode::Map(_) => {
                                self.text[key_span.start..key_span.end].to_owned()
                            }
                        };
                        Entry {
                            key,
                            key_span,
                            value: self.convert(v),
                        }
                    })
                    .collect(),
            ),
        };
        let mut node = Node { span, value };
        // A collection's span from the parser has no end: extend it over its children.
        let end = match &node.value {
            Value::Seq(items) => items.last().map(|n| n.span.end),
            Value::Map(entries) => entries.last().map(|e| e.value.span.end.max(e.key_span.end)),
            _ => None,
        };
        if let Some(end) = end {
            node.span.end = node.span.end.max(end);
        }
        node
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_round_trip() {
        assert_eq!(pointer_push("", "a/b~c"), "/a~1b~0c");
        assert_eq!(
            pointer_tokens("/a~1b~0c/0").collect::<Vec<_>>(),
            vec!["a/b~c", "0"]
        );
        assert_eq!(split_pointer("/x/y~1z"), Some(("/x", "y/z".to_owned())));
    }
}
