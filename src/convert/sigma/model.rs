//! The Sigma documents written: a detection rule and, for thresholds, a correlation rule
//! (Sigma specification v2.1.0), as serde structs in the key order of SigmaHQ rules.

use indexmap::IndexMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SigmaRule {
    pub title: String,
    pub id: String,
    /// Set when a correlation rule refers to this rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The rules made from the same Sentinel rule (the tables of a `union`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    pub status: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub logsource: Logsource,
    pub detection: Detection,
    pub falsepositives: Vec<String>,
    pub level: String,
}

/// `related:` entry: another Sigma rule and how it relates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub id: String,
    #[serde(rename = "type")]
    pub type_: &'static str,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Logsource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// Search identifiers, then `condition`.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub selections: IndexMap<String, Selection>,
    pub condition: String,
}

impl Serialize for Detection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.selections.len() + 1))?;
        for (name, selection) in &self.selections {
            map.serialize_entry(name, selection)?;
        }
        map.serialize_entry("condition", &self.condition)?;
        map.end()
    }
}

/// A search identifier: `field|modifiers: value(s)` items that must all match.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Selection(pub IndexMap<String, Values>);

/// One value, or a list of values of which one must match (all, with `|all`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Values {
    One(Scalar),
    Many(Vec<Scalar>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    /// Already escaped for Sigma (`*`, `?` and the backslashes before them).
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationRule {
    pub title: String,
    pub id: String,
    pub status: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    pub correlation: Correlation,
    pub falsepositives: Vec<String>,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    #[serde(rename = "type")]
    pub type_: String,
    pub rules: Vec<String>,
    #[serde(rename = "group-by")]
    pub group_by: Vec<String>,
    /// Per rule, the field that the group-by name stands for (a join's keys differ in name).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub aliases: IndexMap<String, IndexMap<String, String>>,
    pub timespan: String,
    /// None for `temporal`: the rules matching together is the condition.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub condition: IndexMap<String, ConditionValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ConditionValue {
    Count(i64),
    Field(String),
}

/// Escape a literal for a Sigma value: `*` and `?` are wildcards, and a backslash before a
/// wildcard or a backslash escapes it.
pub fn escape(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str("\\*"),
            '?' => out.push_str("\\?"),
            '\\' if matches!(chars.peek(), Some('\\' | '*' | '?') | None) => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out
}

/// The literal a Sigma value stands for (wildcards kept as they are): the inverse of
/// [`escape`] for values without wildcards.
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && matches!(next, '\\' | '*' | '?')
        {
            out.push(next);
            chars.next();
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_backslashes_are_escaped() {
        for (literal, sigma) in [
            ("a*b", "a\\*b"),
            ("what?", "what\\?"),
            ("C:\\Windows\\x.exe", "C:\\Windows\\x.exe"),
            ("\\\\server\\share", "\\\\\\server\\share"),
            ("ends\\", "ends\\\\"),
            ("a\\*", "a\\\\\\*"),
        ] {
            assert_eq!(escape(literal), sigma, "{literal}");
            assert_eq!(unescape(sigma), literal, "{sigma}");
        }
    }
}
