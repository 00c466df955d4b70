//! A readable view of a syntax tree (`sentinel-lint kql`), one node per line.

use serde_json::Value;

use super::ast::Query;

/// The tree of a query, indented, from its serialized form: enum variants become node
/// names, struct fields become `field:` lines, short values stay on one line, and empty
/// fields are left out.
pub fn tree(query: &Query) -> String {
    let mut out = String::new();
    let value = serde_json::to_value(query).unwrap_or(Value::Null);
    for statement in value["statements"].as_array().into_iter().flatten() {
        node(statement, 0, &mut out);
    }
    out
}

/// `{"kind": X}` (an expression or operator without its span) is shown as `X`.
fn unwrap(value: &Value) -> &Value {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("kind") => unwrap(&map["kind"]),
        other => other,
    }
}

/// `{"Variant": inner}`
fn variant(value: &Value) -> Option<(&str, &Value)> {
    match value {
        Value::Object(map) if map.len() == 1 => {
            let (name, inner) = map.iter().next()?;
            name.starts_with(char::is_uppercase)
                .then_some((name.as_str(), inner))
        }
        _ => None,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// A value that fits on one line.
fn inline(value: &Value) -> Option<String> {
    let value = unwrap(value);
    match value {
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        // A unit variant (`Minus`), or text.
        Value::String(s)
            if !s.is_empty()
                && s.chars().all(|c| c.is_ascii_alphanumeric())
                && s.starts_with(char::is_uppercase) =>
        {
            Some(s.clone())
        }
        Value::String(s) => Some(serde_json::to_string(s).unwrap_or_default()),
        Value::Array(items) if items.iter().all(|i| matches!(i, Value::String(_))) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        // A name.
        Value::Object(map)
            if map.len() == 2 && map.contains_key("text") && map.contains_key("escaped") =>
        {
            let text = map["text"].as_str().unwrap_or_default();
            Some(if map["escaped"] == Value::Bool(true) {
                format!("[{text:?}]")
            } else {
                text.to_owned()
            })
        }
        // A variant holding one short value: `Name x`, `Int "5"`, a string operator.
        other => {
            let (name, inner) = variant(other)?;
            let text = inline(inner)?;
            Some(if name == "String" && inner.is_string() {
                text.trim_matches('"').to_owned()
            } else {
                format!("{name} {text}")
            })
        }
    }
}

fn node(value: &Value, indent: usize, out: &mut String) {
    let value = unwrap(value);
    let pad = "  ".repeat(indent);
    if let Some(text) = inline(value) {
        out.push_str(&format!("{pad}{text}\n"));
    } else if let Some((name, inner)) = variant(value) {
        out.push_str(&format!("{pad}{name}\n"));
        fields(inner, indent + 1, out);
    } else {
        fields(value, indent, out);
    }
}

/// A list item: a struct item gets a `-` line, so that items stay apart.
fn item(value: &Value, indent: usize, out: &mut String) {
    let value = unwrap(value);
    if inline(value).is_none() && variant(value).is_none() && value.is_object() {
        out.push_str(&format!("{}-\n", "  ".repeat(indent)));
        fields(value, indent + 1, out);
    } else {
        node(value, indent, out);
    }
}

fn fields(value: &Value, indent: usize, out: &mut String) {
    let value = unwrap(value);
    let pad = "  ".repeat(indent);
    match value {
        Value::Object(_) if variant(value).is_some() => node(value, indent, out),
        Value::Object(map) => {
            for (key, v) in map.iter().filter(|(_, v)| !is_empty(v)) {
                match inline(v) {
                    Some(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        match unwrap(v) {
                            Value::Array(items) => {
                                items.iter().for_each(|i| item(i, indent + 1, out))
                            }
                            other => node(other, indent + 1, out),
                        }
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| node(i, indent, out)),
        other => {
            if let Some(text) = inline(other) {
                out.push_str(&format!("{pad}{text}\n"));
            }
        }
    }
}
