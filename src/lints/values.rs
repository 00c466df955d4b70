//! Reading a rule's tree as lints need it: list items (also the parts of a scalar written
//! where a list belongs), the nodes at a pointer pattern, durations, the schedule.

use crate::model::RuleType;
use crate::model::duration::Duration;
use crate::model::fields::{self, FieldKind};
use crate::text::Span;
use crate::yaml::{Node, Value};

use super::RuleContext;
use super::edits::{ScalarStyle, scalar_style, written};

/// The items of a list value; `None` for anything else.
pub fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// The span of a top-level key and its value, for messages that are about the whole entry.
pub fn entry_span(ctx: &RuleContext<'_>, key: &str) -> Option<Span> {
    ctx.entry(key).map(|e| e.key_span.cover(e.value.span))
}

/// One value of a key that should hold a list: a list item, or a part of a scalar written
/// where the list should be (`tactics: Persistence, Execution`).
#[derive(Debug, Clone)]
pub struct ListValue<'a> {
    /// The text (trimmed for parts of a scalar); `None` when the item is not a string.
    pub text: Option<&'a str>,
    pub span: Span,
    /// Pointer of the list item, or of the scalar.
    pub pointer: String,
    pub node: &'a Node,
    /// The value is a part of a scalar rather than a list item.
    pub in_scalar: bool,
}

/// The values of `key` of `parent` (at `parent_pointer`): list items, or the comma-separated
/// parts of a scalar.
pub fn list_values<'a>(
    ctx: &RuleContext<'_>,
    parent: &'a Node,
    parent_pointer: &str,
    key: &str,
) -> Vec<ListValue<'a>> {
    let Some(node) = parent.get(key) else {
        return Vec::new();
    };
    let pointer = crate::yaml::pointer_push(parent_pointer, key);
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| ListValue {
                text: item.as_str(),
                span: item.span,
                pointer: format!("{pointer}/{i}"),
                node: item,
                in_scalar: false,
            })
            .collect(),
        Value::Str(s) => {
            // Map parts back to the source when the scalar is written without escapes.
            let source = ctx.slice(node.span);
            let inner_start = match scalar_style(source) {
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => node.span.start + 1,
                _ => node.span.start,
            };
            let direct = ctx.text().get(inner_start..inner_start + s.len()) == Some(s.as_str());
            let mut out = Vec::new();
            let mut offset = 0;
            for part in s.split(',') {
                let trimmed = part.trim();
                let lead = part.len() - part.trim_start().len();
                let span = if direct {
                    let start = inner_start + offset + lead;
                    Span::new(start, start + trimmed.len())
                } else {
                    node.span
                };
                offset += part.len() + 1;
                if trimmed.is_empty() {
                    continue;
                }
                out.push(ListValue {
                    text: Some(trimmed),
                    span,
                    pointer: pointer.clone(),
                    node,
                    in_scalar: true,
                });
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Every mapping item of a top-level list, with its pointer.
pub fn list_items<'a>(ctx: &'a RuleContext<'_>, key: &str) -> Vec<(String, &'a Node)> {
    items(ctx.get(key))
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_map().is_some())
        .map(|(i, n)| (format!("/{key}/{i}"), n))
        .collect()
}

/// The nodes at a pointer pattern in which `*` matches every item of a list
/// (`/entityMappings/*/entityType`), with their pointers.
pub fn nodes_at<'a>(root: &'a Node, pattern: &str) -> Vec<(String, &'a Node)> {
    let mut current: Vec<(String, &'a Node)> = vec![(String::new(), root)];
    for token in pattern.split('/').skip(1) {
        let mut next = Vec::new();
        for (pointer, node) in current {
            if token == "*" {
                if let Some(items) = node.as_seq() {
                    for (i, item) in items.iter().enumerate() {
                        next.push((format!("{pointer}/{i}"), item));
                    }
                }
            } else if let Some(child) = node.get(token) {
                next.push((crate::yaml::pointer_push(&pointer, token), child));
            }
        }
        current = next;
    }
    current
}

/// The duration fields of a rule's type: their pointers and whether ISO 8601 is fine there
/// and the Azure-Sentinel CI parses them.
pub fn duration_fields(rule_type: RuleType) -> impl Iterator<Item = DurationField> {
    fields::fields(rule_type).filter_map(|field| match field.kind {
        FieldKind::Duration {
            iso_ok,
            checked_by_ci,
        } => Some(DurationField {
            pointer: field.pattern,
            iso_ok,
            checked_by_ci,
        }),
        _ => None,
    })
}

/// A duration-valued field of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationField {
    pub pointer: &'static str,
    /// Whether ISO 8601 is as good as the short form here.
    pub iso_ok: bool,
    /// Whether the Azure-Sentinel CI parses it (so its rules apply exactly).
    pub checked_by_ci: bool,
}

/// The duration fields of the rule that are present and readable, with their values.
pub fn durations<'a>(ctx: &RuleContext<'a>) -> Vec<(DurationField, &'a Node, Duration)> {
    duration_fields(ctx.rule_type)
        .filter_map(|field| {
            let node = ctx.root.pointer(field.pointer)?;
            read_duration(ctx, node).map(|d| (field, node, d))
        })
        .collect()
}

/// `queryFrequency` and `queryPeriod` of a Scheduled rule, when both can be read.
pub type Timed<'a> = (&'a Node, Duration);

pub fn schedule<'a>(ctx: &RuleContext<'a>) -> Option<(Timed<'a>, Timed<'a>)> {
    let frequency = scheduled_field(ctx, "queryFrequency")?;
    let period = scheduled_field(ctx, "queryPeriod")?;
    Some((
        (frequency, read_duration(ctx, frequency)?),
        (period, read_duration(ctx, period)?),
    ))
}

/// A top-level field that only Scheduled rules have (`None` for other types).
pub fn scheduled_field<'a>(ctx: &RuleContext<'a>, key: &str) -> Option<&'a Node> {
    (ctx.rule_type == crate::model::RuleType::Scheduled)
        .then(|| ctx.root.get(key))
        .flatten()
}

/// The value of a duration field, read in any form (see [`fields::read_duration`]).
pub fn read_duration(ctx: &RuleContext<'_>, node: &Node) -> Option<Duration> {
    fields::read_duration(written(ctx, node))
}

/// A `requiredDataConnectors[].dataTypes` entry and the table it names.
#[derive(Debug, Clone)]
pub struct DataType<'a> {
    /// The table: the text before a note in parentheses (`SecurityAlert (ASC for IoT)`).
    pub table: &'a str,
    pub node: &'a Node,
    /// Its connector's and its own index.
    at: (usize, usize),
}

impl DataType<'_> {
    pub fn pointer(&self) -> String {
        format!(
            "/requiredDataConnectors/{}/dataTypes/{}",
            self.at.0, self.at.1
        )
    }
}

/// The data types of the rule's `requiredDataConnectors`, in order.
pub fn data_types<'a>(ctx: &RuleContext<'a>) -> Vec<DataType<'a>> {
    let mut out = Vec::new();
    for (i, connector) in items(ctx.root.get("requiredDataConnectors"))
        .iter()
        .enumerate()
    {
        for (j, node) in items(connector.get("dataTypes")).iter().enumerate() {
            let Some(text) = node.as_str() else { continue };
            let table = text.split(" (").next().unwrap_or(text).trim();
            if !table.is_empty() {
                out.push(DataType {
                    table,
                    node,
                    at: (i, j),
                });
            }
        }
    }
    out
}

/// The data types of a rule that names some, with its query and the query's analysis
/// (what the data-type lints compare).
pub fn data_types_and_query<'a>(
    ctx: &RuleContext<'a>,
) -> Option<(
    Vec<DataType<'a>>,
    &'a super::RuleQuery<'a>,
    &'a crate::kql::columns::Analysis,
)> {
    let listed = data_types(ctx);
    if listed.is_empty() {
        return None;
    }
    let (query, analysis) = ctx.query_columns()?;
    Some((listed, query, analysis))
}
