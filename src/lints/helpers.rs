//! Small things many lints need: suggestions, rewriting a scalar in place, list access.

use crate::text::{Edit, Span};
use crate::yaml::{Node, Value};

use super::RuleContext;
pub use crate::text::suggest::{case_insensitive_match, did_you_mean, normalize};

/// How a scalar is written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Block,
}

pub fn scalar_style(source: &str) -> ScalarStyle {
    match source.as_bytes().first() {
        Some(b'\'') => ScalarStyle::SingleQuoted,
        Some(b'"') => ScalarStyle::DoubleQuoted,
        _ if source.contains('\n') => ScalarStyle::Block,
        _ => ScalarStyle::Plain,
    }
}

/// An edit replacing a single-line scalar with `new_value`, written in the same quoting
/// style (plain values that would need quotes are single-quoted).
pub fn replace_scalar(ctx: &RuleContext<'_>, node: &Node, new_value: &str) -> Option<Edit> {
    let source = ctx.slice(node.span);
    let text = match scalar_style(source) {
        ScalarStyle::Block => return None,
        ScalarStyle::SingleQuoted => format!("'{}'", new_value.replace('\'', "''")),
        ScalarStyle::DoubleQuoted => {
            format!(
                "\"{}\"",
                new_value.replace('\\', "\\\\").replace('"', "\\\"")
            )
        }
        ScalarStyle::Plain if needs_quotes(new_value) => {
            format!("'{}'", new_value.replace('\'', "''"))
        }
        ScalarStyle::Plain => new_value.to_owned(),
    };
    Some(Edit::replace(node.span, text))
}

/// Whether a plain YAML scalar would not read back as this string.
pub fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        || s.ends_with(char::is_whitespace)
        || s.contains(": ")
        || s.contains(" #")
        || s.parse::<f64>().is_ok()
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

/// The items of a list value; `None` for anything else.
pub fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// A character for a message: the character and its code point.
pub fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("`{c}` (U+{:04X})", c as u32)
    }
}

/// The span of a top-level key and its value, for messages that are about the whole entry.
pub fn entry_span(ctx: &RuleContext<'_>, key: &str) -> Option<Span> {
    ctx.entry(key).map(|e| e.key_span.cover(e.value.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert!(needs_quotes("no"));
        assert!(needs_quotes("1.0"));
        assert!(needs_quotes("%%GUID%%"));
        assert!(!needs_quotes("CommandAndControl"));
        assert!(!needs_quotes("1.0.0"));
    }
}

/// Files of a run that share a key (an id, a file name), in a stable order.
pub fn pack_groups(
    entries: &[super::PackEntry],
    key: impl Fn(&super::PackEntry) -> Option<String>,
) -> Vec<Vec<usize>> {
    let mut by_key: std::collections::BTreeMap<String, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        if let Some(k) = key(entry) {
            by_key.entry(k).or_default().push(i);
        }
    }
    by_key
        .into_values()
        .filter(|files| files.len() > 1)
        .map(|mut files| {
            // By path, so that messages do not depend on the order of the command line.
            files.sort_by(|&a, &b| entries[a].path.cmp(&entries[b].path));
            files
        })
        .collect()
}

/// How many other files a pack finding names; the rest are counted. Each file of a group
/// gets its own finding, so listing them all would make the output quadratic in the group.
pub const MAX_OTHER_PATHS: usize = 3;

/// The paths of the other files of a group (sorted by path, as [`pack_groups`] makes them),
/// at most [`MAX_OTHER_PATHS`] of them and how many more.
pub fn other_paths(entries: &[super::PackEntry], group: &[usize], this: usize) -> String {
    let others = group.iter().filter(|&&j| j != this);
    let mut text = others
        .clone()
        .take(MAX_OTHER_PATHS)
        .map(|&j| entries[j].path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let more = group.len().saturating_sub(1 + MAX_OTHER_PATHS);
    if more > 0 {
        text.push_str(&format!(
            " and {more} more file{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    text
}

/// A JSON pointer as a reader writes the path: `/entityMappings/0/entityType` ->
/// `entityMappings[0].entityType`.
pub fn describe_pointer(pointer: &str) -> String {
    let mut out = String::new();
    for token in crate::yaml::pointer_tokens(pointer) {
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

/// An edit deleting the whole lines a node (and its key, if any) occupies, when nothing
/// else is on those lines.
pub fn delete_lines(ctx: &RuleContext<'_>, from: usize, to: usize) -> Option<Edit> {
    let first = ctx.file.full_line_span(from);
    let last = ctx.file.full_line_span(to.saturating_sub(1).max(from));
    let before = &ctx.text()[first.start..from];
    if !before.trim_matches([' ', '-']).is_empty() {
        return None;
    }
    let after_end = ctx.file.line_span(to.saturating_sub(1).max(from)).end;
    let after = ctx.text()[to.min(after_end)..after_end].trim();
    if !after.is_empty() && !after.starts_with('#') {
        return None;
    }
    Some(Edit::delete(Span::new(first.start, last.end)))
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

/// The allowed values of a model enum, as string slices.
pub fn allowed(definition: &str) -> impl Iterator<Item = &'static str> + Clone {
    crate::model::schema::enum_values(definition)
        .iter()
        .map(String::as_str)
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

/// The duration fields that apply to a rule's type.
pub fn duration_fields(ctx: &RuleContext<'_>) -> Vec<DurationField> {
    let mut fields = Vec::new();
    if ctx.rule_type == crate::model::RuleType::Scheduled {
        for pointer in ["/queryFrequency", "/queryPeriod"] {
            fields.push(DurationField {
                pointer,
                iso_ok: false,
                checked_by_ci: true,
            });
        }
    }
    if ctx.rule_type.is_analytics() {
        fields.push(DurationField {
            pointer: "/suppressionDuration",
            iso_ok: false,
            checked_by_ci: false,
        });
        fields.push(DurationField {
            pointer: "/incidentConfiguration/groupingConfiguration/lookbackDuration",
            iso_ok: true,
            checked_by_ci: false,
        });
    }
    fields
}

/// The duration fields of the rule that are present and readable, with their values.
pub fn durations<'a>(
    ctx: &RuleContext<'a>,
) -> Vec<(DurationField, &'a Node, crate::model::duration::Duration)> {
    duration_fields(ctx)
        .into_iter()
        .filter_map(|field| {
            let node = ctx.root.pointer(field.pointer)?;
            read_duration(node).map(|d| (field, node, d))
        })
        .collect()
}

/// `queryFrequency` and `queryPeriod` of a Scheduled rule, when both can be read.
pub type Timed<'a> = (&'a Node, crate::model::duration::Duration);

pub fn schedule<'a>(ctx: &RuleContext<'a>) -> Option<(Timed<'a>, Timed<'a>)> {
    let frequency = scheduled_field(ctx, "queryFrequency")?;
    let period = scheduled_field(ctx, "queryPeriod")?;
    Some((
        (frequency, read_duration(frequency)?),
        (period, read_duration(period)?),
    ))
}

/// A top-level field that only Scheduled rules have (`None` for other types).
pub fn scheduled_field<'a>(ctx: &RuleContext<'a>, key: &str) -> Option<&'a Node> {
    (ctx.rule_type == crate::model::RuleType::Scheduled)
        .then(|| ctx.root.get(key))
        .flatten()
}

/// The value of a duration field, read in any form: YAML integers count as .NET TimeSpan
/// days, as the Azure-Sentinel CI reads them.
pub fn read_duration(node: &Node) -> Option<crate::model::duration::Duration> {
    use crate::model::duration::{Duration, DurationForm, parse};
    match &node.value {
        Value::Str(s) => parse(s.trim()),
        Value::Int(days) if *days >= 0 => Some(Duration {
            seconds: (*days as u64).saturating_mul(86_400),
            form: DurationForm::TimeSpan,
        }),
        _ => None,
    }
}
