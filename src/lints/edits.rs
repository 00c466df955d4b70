//! Edits of a rule's text: a scalar rewritten in its own quoting style, a value written as a
//! block list, whole lines deleted; and the model's repairs rendered as such edits.

use crate::model::fields::{Repaired, Written};
use crate::text::{Edit, Span};
use crate::yaml::{Entry, Node, Value};

use super::RuleContext;

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

/// The value of a node as the model's repairs read it.
pub fn written<'a>(ctx: &'a RuleContext<'_>, node: &'a Node) -> Written<'a> {
    match &node.value {
        Value::Str(s) => Written::Text(s),
        Value::Int(i) => Written::Int(*i, ctx.slice(node.span).trim()),
        Value::Float(_) => Written::Float(ctx.slice(node.span).trim()),
        _ => Written::Other,
    }
}

/// A repaired value written over the node's: a string in the node's quoting style, a
/// number as it is; `None` for a list (see [`as_block_list`]) or a value in a block scalar.
pub fn repair_edit(ctx: &RuleContext<'_>, node: &Node, repaired: &Repaired) -> Option<Edit> {
    match repaired {
        Repaired::Text(text) if node.as_str().is_some() => replace_scalar(ctx, node, text),
        Repaired::Text(text) => Some(Edit::replace(node.span, text.clone())),
        Repaired::Int(n) => Some(Edit::replace(node.span, n.to_string())),
        Repaired::List(_) => None,
    }
}

/// A block-list item written as several items at its place (`- T1005, T1560` becomes
/// `- T1005` and `- T1560`), in the file's line ending.
pub fn as_list_items(ctx: &RuleContext<'_>, node: &Node, items: &[String]) -> Option<Edit> {
    if items.is_empty() || ctx.slice(node.span).contains('\n') {
        return None;
    }
    let text = ctx.text();
    let line = ctx.file.line_span(node.span.start);
    let prefix = &text[line.start..node.span.start];
    let dash = prefix.trim_start_matches(' ');
    if !(dash.starts_with('-') && dash.len() > 1 && dash[1..].chars().all(|c| c == ' ')) {
        return None;
    }
    let newline = if text[line.end..].starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            if needs_quotes(item) {
                format!("'{}'", item.replace('\'', "''"))
            } else {
                item.clone()
            }
        })
        .collect();
    Some(Edit::replace(
        node.span,
        items.join(&format!("{newline}{prefix}")),
    ))
}

/// A single-line scalar written as a block list of `items` under its key (an empty list as
/// `[]`).
pub fn as_block_list(ctx: &RuleContext<'_>, entry: &Entry, items: &[String]) -> Option<Edit> {
    if ctx.slice(entry.value.span).contains('\n') {
        return None;
    }
    let text = ctx.text();
    // From just after the colon to the end of the value.
    let after_key = &text[entry.key_span.end..entry.value.span.start];
    let colon = entry.key_span.end + after_key.find(':')? + 1;
    if items.is_empty() {
        return Some(Edit::replace(Span::new(colon, entry.value.span.end), " []"));
    }
    let line_start = ctx.file.line_span(entry.key_span.start).start;
    let indent = &text[line_start..entry.key_span.start];
    if !indent.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    // A key that is the first of a list item (`- dataTypes: x`) is indented past the dash.
    let indent = " ".repeat(indent.len());
    let mut list = String::new();
    for item in items {
        let item = if needs_quotes(item) {
            format!("'{}'", item.replace('\'', "''"))
        } else {
            item.clone()
        };
        list.push_str(&format!("\n{indent}  - {item}"));
    }
    Some(Edit::replace(Span::new(colon, entry.value.span.end), list))
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
