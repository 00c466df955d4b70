//! Reading a rule file's tree into the typed model, leniently (for the converters).
//!
//! `check` reports many things as warnings (a scalar where a list belongs, a value in the
//! wrong case, an ISO duration); such a rule still converts, so they are normalized here,
//! each with a note. With `--force` a rule with errors is converted too: optional parts the
//! model cannot hold (an unknown entity type, an invalid tactic) are left out, each with a
//! note saying so. What cannot be left out (the query, the name) stops the conversion.

use std::collections::BTreeSet;

use serde_json::Value;

use super::fields::{self, FieldKind, Problem, Repaired, Written};
use super::schema::{self, SchemaErrorKind};
use super::{RuleFile, RuleType, ids, limits};
use crate::text::Span;
use crate::yaml::{Node, pointer_push, pointer_tokens};

/// Something a conversion normalized, changed, left out or could not do.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Note {
    pub message: String,
    /// JSON pointer of the input value the note is about.
    pub pointer: Option<String>,
    /// The part of the rule's query the note is about (byte offsets in the query text).
    pub query_span: Option<Span>,
    /// The output means something else than the input (or lacks part of it).
    pub approximate: bool,
}

impl Note {
    /// A change that keeps the meaning.
    pub fn exact(message: impl Into<String>, pointer: impl Into<String>) -> Self {
        Note {
            message: message.into(),
            pointer: Some(pointer.into()),
            query_span: None,
            approximate: false,
        }
    }

    /// A change that loses or alters something.
    pub fn approximate(message: impl Into<String>, pointer: impl Into<String>) -> Self {
        Note {
            message: message.into(),
            pointer: Some(pointer.into()),
            query_span: None,
            approximate: true,
        }
    }

    /// Without a place in the input.
    pub fn general(message: impl Into<String>, approximate: bool) -> Self {
        Note {
            message: message.into(),
            pointer: None,
            query_span: None,
            approximate,
        }
    }

    /// About a part of the query.
    pub fn in_query(message: impl Into<String>, span: Span, approximate: bool) -> Self {
        Note {
            message: message.into(),
            pointer: Some("/query".into()),
            query_span: Some(span),
            approximate,
        }
    }
}

/// A rule in the typed model, and what reading it changed.
#[derive(Debug, Clone)]
pub struct ReadRule {
    pub rule: RuleFile,
    pub notes: Vec<Note>,
}

/// Read a rule of a known type. `Err` carries the reasons it cannot be read.
pub fn read_rule(rule_type: RuleType, root: &Node) -> Result<ReadRule, Vec<Note>> {
    read_json(rule_type, root.to_json())
}

/// Keys written in another case than the format's (`datatypes:`) read as the format's, as
/// `check --fix` rewrites them (SL210): only keys the schema does not know where they stand
/// (the keys of `customDetails` are the author's and stay as written), and not where the key
/// in its own case is there too.
fn write_keys_in_their_case(json: &mut Value, rule_type: RuleType) {
    if !has_key_in_another_case(json) {
        return;
    }
    let mut unknown: Vec<String> = schema::validate(rule_type, json)
        .into_iter()
        .filter(|e| e.kind == schema::SchemaErrorKind::Unexpected)
        .map(|e| e.pointer)
        .collect();
    // Deepest first: renaming a key does not move the pointers of those inside it.
    unknown.sort_by_key(|p| std::cmp::Reverse(p.matches('/').count()));
    for pointer in unknown {
        let Some((parent, key)) = crate::yaml::split_pointer(&pointer) else {
            continue;
        };
        let Some(to) = schema::key_in_its_case(&key) else {
            continue;
        };
        let Some(Value::Object(map)) = json.pointer_mut(parent) else {
            continue;
        };
        if map.contains_key(to) {
            continue;
        }
        // Rebuilt in order: the keys keep their places.
        *map = std::mem::take(map)
            .into_iter()
            .map(|(k, v)| if k == key { (to.to_owned(), v) } else { (k, v) })
            .collect();
    }
}

/// Is any key, at any depth, a known key written in another case? (Most rules have none:
/// they are not validated again for it.)
fn has_key_in_another_case(json: &Value) -> bool {
    match json {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| schema::key_in_its_case(k).is_some() || has_key_in_another_case(v)),
        Value::Array(items) => items.iter().any(has_key_in_another_case),
        _ => false,
    }
}

/// Read a rule of a known type from its JSON form (keys as in rule YAML).
pub fn read_json(rule_type: RuleType, mut json: Value) -> Result<ReadRule, Vec<Note>> {
    let mut notes = Vec::new();
    normalize(&mut json, rule_type, &mut notes);
    let mut dropped: BTreeSet<String> = BTreeSet::new();
    let mut fatal = Vec::new();
    // Leave out what does not fit; every round drops at least one value or stops.
    for _ in 0..500 {
        let errors = schema::validate(rule_type, &json);
        let next = errors.iter().find(|e| {
            is_structural(&e.kind)
                && !dropped
                    .iter()
                    .any(|d| e.pointer == *d || e.pointer.starts_with(&format!("{d}/")))
        });
        let Some(error) = next else { break };
        match drop_target(&json, &error.pointer, rule_type, &dropped) {
            Some(Target::Drop(pointer)) => {
                notes.push(Note::approximate(
                    why_dropped(&json, &error.pointer, &pointer),
                    pointer.clone(),
                ));
                if let Some(slot) = json.pointer_mut(&pointer) {
                    *slot = Value::Null;
                }
                dropped.insert(pointer);
            }
            Some(Target::Default(pointer, value, note)) => {
                notes.push(note);
                set(&mut json, &pointer, value);
            }
            None => {
                fatal.push(Note::approximate(
                    blocking_message(&json, &error.pointer, &error.kind),
                    error.pointer.clone(),
                ));
                break;
            }
        }
    }
    if !fatal.is_empty() {
        return Err(fatal);
    }
    remove_dropped(&mut json, &dropped);
    match RuleFile::from_json(rule_type, json) {
        Ok(rule) => Ok(ReadRule { rule, notes }),
        Err(e) => Err(vec![Note::general(
            format!("the rule does not fit the rule model: {e}"),
            true,
        )]),
    }
}

/// Errors that stop the model from reading the value (lengths and patterns do not).
fn is_structural(kind: &SchemaErrorKind) -> bool {
    matches!(
        kind,
        SchemaErrorKind::Type(_)
            | SchemaErrorKind::Enum(_)
            | SchemaErrorKind::Const(_)
            | SchemaErrorKind::Required
            | SchemaErrorKind::Other(_)
    ) || matches!(
        kind,
        SchemaErrorKind::Pattern(p) if [limits::GUID_PATTERN, limits::TECHNIQUE_PATTERN, limits::VERSION_PATTERN].contains(&p.as_str())
    )
}

enum Target {
    /// Leave this value out.
    Drop(String),
    /// Put this value here.
    Default(String, Value, Note),
}

/// What to leave out for an error at `pointer`: the nearest list item or optional key.
fn drop_target(
    json: &Value,
    pointer: &str,
    rule_type: RuleType,
    dropped: &BTreeSet<String>,
) -> Option<Target> {
    if pointer == "/id" {
        let old = json.pointer("/id").map(value_text).unwrap_or_default();
        let id = ids::derived_id(old.trim());
        return Some(Target::Default(
            "/id".into(),
            Value::String(id.to_string()),
            Note::approximate(
                format!("`{old}` is not a GUID; the rule gets the id {id}"),
                "/id",
            ),
        ));
    }
    if pointer == "/requiredDataConnectors" {
        let note = if json.get("requiredDataConnectors").is_none() {
            Note::exact(
                "`requiredDataConnectors` is missing; read as an empty list",
                pointer,
            )
        } else {
            Note::approximate(
                "`requiredDataConnectors` is unreadable; read as an empty list",
                pointer,
            )
        };
        return Some(Target::Default(
            pointer.into(),
            Value::Array(Vec::new()),
            note,
        ));
    }
    if pointer == "/description" && rule_type.is_analytics() {
        return Some(Target::Default(
            pointer.into(),
            Value::String(String::new()),
            Note::exact("the rule has no description", pointer),
        ));
    }
    if pointer == "/kind" && rule_type.is_analytics() && json.get("kind").is_none() {
        // The file was recognized as this kind of rule by its fields (see `shape`).
        let kind = if rule_type == RuleType::Nrt {
            "NRT"
        } else {
            "Scheduled"
        };
        return Some(Target::Default(
            pointer.into(),
            Value::String(kind.into()),
            Note::exact(
                format!("the rule has no `kind`; read as `kind: {kind}` from its fields"),
                pointer,
            ),
        ));
    }
    let required = schema::required_keys(rule_type);
    let tokens: Vec<String> = pointer_tokens(pointer).collect();
    let mut depth = tokens.len();
    while depth > 0 {
        let here = join(&tokens[..depth]);
        let parent = join(&tokens[..depth - 1]);
        let key = &tokens[depth - 1];
        match json.pointer(&parent) {
            Some(Value::Array(items)) => {
                // A list item; when every item is gone, the list goes too.
                let others_left = items.iter().enumerate().any(|(i, _)| {
                    let p = format!("{parent}/{i}");
                    p != here && !dropped.contains(&p)
                });
                if others_left || parent.is_empty() {
                    return Some(Target::Drop(here));
                }
            }
            Some(Value::Object(_))
                if !(required.contains(key) || depth == 1 && is_required_top(rule_type, key)) =>
            {
                return Some(Target::Drop(here));
            }
            _ => {}
        }
        depth -= 1;
    }
    if pointer.starts_with("/requiredDataConnectors/") {
        return Some(Target::Default(
            "/requiredDataConnectors".into(),
            Value::Array(Vec::new()),
            Note::approximate(
                "`requiredDataConnectors` is unreadable; read as an empty list",
                "/requiredDataConnectors",
            ),
        ));
    }
    None
}

fn is_required_top(rule_type: RuleType, key: &str) -> bool {
    required_top(rule_type).contains(&key)
}

fn required_top(rule_type: RuleType) -> &'static [&'static str] {
    match rule_type {
        RuleType::Scheduled => &[
            "id",
            "name",
            "query",
            "severity",
            "kind",
            "queryFrequency",
            "queryPeriod",
            "triggerOperator",
            "triggerThreshold",
        ],
        RuleType::Nrt => &["id", "name", "query", "severity", "kind"],
        RuleType::Hunting => &["id", "name", "query"],
    }
}

fn join(tokens: &[String]) -> String {
    tokens
        .iter()
        .fold(String::new(), |acc, t| pointer_push(&acc, t))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn describe(pointer: &str) -> String {
    crate::yaml::describe_pointer(pointer)
}

fn why_dropped(json: &Value, error_at: &str, dropped: &str) -> String {
    let value = json
        .pointer(error_at)
        .map(value_text)
        .filter(|v| v.len() <= 60)
        .map(|v| format!(" (`{v}`)"))
        .unwrap_or_default();
    if error_at == dropped {
        format!(
            "`{}`{value} is not valid and was left out",
            describe(dropped)
        )
    } else {
        format!(
            "`{}` was left out: `{}`{value} is not valid",
            describe(dropped),
            describe(error_at)
        )
    }
}

fn blocking_message(json: &Value, pointer: &str, kind: &SchemaErrorKind) -> String {
    match kind {
        SchemaErrorKind::Required => format!("`{}` is missing", describe(pointer)),
        _ => {
            let value = json.pointer(pointer).map(value_text).unwrap_or_default();
            format!("`{}` is not valid (`{value}`)", describe(pointer))
        }
    }
}

fn set(json: &mut Value, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer_tokens(pointer).collect();
    if let [key] = tokens.as_slice()
        && let Value::Object(map) = json
    {
        map.insert(key.clone(), value);
    }
}

/// Remove the dropped values (deepest first, list items from the back).
fn remove_dropped(json: &mut Value, dropped: &BTreeSet<String>) {
    let mut pointers: Vec<&String> = dropped.iter().collect();
    pointers.sort_by_key(|p| {
        let tokens: Vec<String> = pointer_tokens(p).collect();
        let index = tokens
            .last()
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(0);
        (std::cmp::Reverse(tokens.len()), std::cmp::Reverse(index))
    });
    for pointer in pointers {
        let tokens: Vec<String> = pointer_tokens(pointer).collect();
        let Some((last, parent)) = tokens.split_last() else {
            continue;
        };
        match json.pointer_mut(&join(parent)) {
            Some(Value::Array(items)) => {
                if let Ok(i) = last.parse::<usize>()
                    && i < items.len()
                {
                    items.remove(i);
                }
            }
            Some(Value::Object(map)) => {
                map.shift_remove(last);
            }
            _ => {}
        }
    }
}

// ---- normalization --------------------------------------------------------------------

fn normalize(json: &mut Value, rule_type: RuleType, notes: &mut Vec<Note>) {
    write_keys_in_their_case(json, rule_type);
    let Value::Object(root) = json else { return };
    // Keys of no meaning to the model.
    let known = schema::top_level_keys(rule_type);
    let unknown: Vec<String> = root
        .keys()
        .filter(|k| !known.contains(k))
        .cloned()
        .collect();
    for key in unknown {
        root.shift_remove(&key);
        notes.push(Note::approximate(
            format!(
                "`{key}` is not a field of {} and was not converted",
                rule_type.describe()
            ),
            pointer_push("", &key),
        ));
    }
    // Empty (null) values mean "not there".
    let nulls: Vec<String> = root
        .iter()
        .filter(|(_, v)| v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for key in nulls {
        root.shift_remove(&key);
    }
    for field in fields::fields(rule_type) {
        // From the last item: an item that becomes several moves only those after it.
        for pointer in pointers_at(json, field.pattern).iter().rev() {
            repair_value(json, field.kind, pointer, notes);
        }
    }
    // Empty lists written as `groupByCustomDetails:` (null) mean none.
    if let Some(Value::Object(grouping)) =
        json.pointer_mut("/incidentConfiguration/groupingConfiguration")
    {
        grouping.retain(|_, v| !v.is_null());
    }
}

/// The pointers of the values a pattern names (`*`: every item of a list).
fn pointers_at(json: &Value, pattern: &str) -> Vec<String> {
    let mut current = vec![(String::new(), json)];
    for token in pattern.split('/').skip(1) {
        let mut next = Vec::new();
        for (pointer, value) in current {
            match (token, value) {
                ("*", Value::Array(items)) => {
                    next.extend(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| (format!("{pointer}/{i}"), item)),
                    );
                }
                (key, Value::Object(map)) => {
                    if let Some(child) = map.get(key) {
                        next.push((pointer_push(&pointer, key), child));
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current.into_iter().map(|(pointer, _)| pointer).collect()
}

/// Apply the field's safe repair to the value at `pointer`, with a note saying so.
fn repair_value(json: &mut Value, kind: FieldKind, pointer: &str, notes: &mut Vec<Note>) {
    let Some(slot) = json.pointer_mut(pointer) else {
        return;
    };
    let number_text;
    let written = match &*slot {
        Value::String(s) => Written::Text(s),
        Value::Number(n) => {
            number_text = n.to_string();
            match n.as_i64() {
                Some(i) => Written::Int(i, &number_text),
                None => Written::Float(&number_text),
            }
        }
        _ => Written::Other,
    };
    let Some(repair) = fields::repair(kind, written).filter(|r| r.problem.is_safe()) else {
        return;
    };
    let was = value_text(slot);
    // An item of a list that holds several values (`T1005, T1560`) becomes those items.
    if let (Repaired::List(items), Some((parent, index))) =
        (&repair.value, pointer.rsplit_once('/'))
        && kind != FieldKind::List
        && let Ok(index) = index.parse::<usize>()
        && let Some(Value::Array(list)) = json.pointer_mut(parent)
    {
        notes.push(Note::exact(
            format!(
                "`{was}` read as {}",
                items
                    .iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            pointer,
        ));
        list.splice(index..=index, items.iter().cloned().map(Value::String));
        return;
    }
    let message = match (&repair.value, kind) {
        (Repaired::List(_), _) => {
            format!("`{}` is a single value; read as a list", describe(pointer))
        }
        (Repaired::Int(n), _) => format!("`{was}` read as the number {n}"),
        (Repaired::Text(to), FieldKind::Tactic) => format!("tactic `{was}` read as `{to}`"),
        (Repaired::Text(to), FieldKind::Technique) => format!("technique `{was}` read as `{to}`"),
        (Repaired::Text(to), FieldKind::Id) => format!("id `{was}` read as `{to}`"),
        (Repaired::Text(to), FieldKind::Version) => format!("`version: {was}` read as `{to}`"),
        (Repaired::Text(to), FieldKind::Severity) if repair.problem == Problem::SeverityNumber => {
            format!("severity {was} read as `{to}`")
        }
        (Repaired::Text(to), FieldKind::Duration { .. }) => {
            let key = pointer.rsplit('/').next().unwrap_or_default();
            format!("`{key}: {was}` read as `{to}`")
        }
        (Repaired::Text(to), _) => format!("`{was}` read as `{to}`"),
    };
    notes.push(if repair.problem.is_guess() {
        Note::approximate(message, pointer)
    } else {
        Note::exact(message, pointer)
    });
    let Some(slot) = json.pointer_mut(pointer) else {
        return;
    };
    *slot = match repair.value {
        Repaired::Text(text) => Value::String(text),
        Repaired::Int(n) => Value::from(n),
        Repaired::List(items) => Value::Array(items.into_iter().map(Value::String).collect()),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;
    use crate::yaml::parse;

    fn read(text: &str, rule_type: RuleType) -> Result<ReadRule, Vec<Note>> {
        let parsed = parse(text, &LineIndex::new(text));
        read_rule(rule_type, &parsed.documents[0])
    }

    const HUNTING: &str = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\nquery: T\n";

    #[test]
    fn an_item_of_several_techniques_is_read_as_each() {
        let text = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\ndescription: d\nrequiredDataConnectors: []\ntactics:\n  - Collection\nrelevantTechniques:\n  - T1005, T1560\n  - T1119\nquery: T\n";
        let RuleFile::Hunting(h) = read(text, RuleType::Hunting).unwrap().rule else {
            panic!()
        };
        let techniques: Vec<String> = h
            .core
            .relevant_techniques
            .unwrap()
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(techniques, ["T1005", "T1560", "T1119"]);
    }

    #[test]
    fn keys_in_another_case_are_read_as_the_formats() {
        let text = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\ndescription: d\nrequiredDataConnectors:\n  - connectorId: AzureActiveDirectory\n    datatypes:\n      - SigninLogs\n  - connectorId: Office365\n    datatypes:\n      - OfficeActivity\n    dataTypes:\n      - OfficeActivity (Exchange)\nquery: T\n";
        let RuleFile::Hunting(h) = read(text, RuleType::Hunting).unwrap().rule else {
            panic!()
        };
        let connectors = h.required_data_connectors.unwrap();
        assert_eq!(connectors[0].data_types, ["SigninLogs"]);
        // Where the key is there in its own case too, that one is read.
        assert_eq!(connectors[1].data_types, ["OfficeActivity (Exchange)"]);
        // The keys of custom details are the author's: `Severity` stays `Severity`.
        let text = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\ndescription: d\nseverity: Low\nrequiredDataConnectors: []\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\nquery: T\ncustomDetails:\n  Severity: AlertLevel\n";
        let RuleFile::Scheduled(r) = read(text, RuleType::Scheduled).unwrap().rule else {
            panic!()
        };
        let details = serde_json::to_value(r.common.core.custom_details).unwrap();
        assert_eq!(details, serde_json::json!({"Severity": "AlertLevel"}));
    }

    #[test]
    fn warnings_are_normalized() {
        let read = read(
            &format!(
                "{HUNTING}tactics: Command And Control, persistence\nrelevantTechniques: t1219\n"
            ),
            RuleType::Hunting,
        )
        .unwrap();
        let RuleFile::Hunting(h) = read.rule else {
            panic!()
        };
        let tactics: Vec<&str> = h.core.tactics.unwrap().iter().map(|t| t.as_str()).collect();
        assert_eq!(tactics, ["CommandAndControl", "Persistence"]);
        assert_eq!(h.core.relevant_techniques.unwrap()[0].0, "T1219");
        assert!(
            read.notes.iter().all(|n| !n.approximate),
            "{:?}",
            read.notes
        );
    }

    #[test]
    fn invalid_optional_parts_are_left_out_with_a_note() {
        let text = format!(
            "{HUNTING}tactics: [Persistence, Ransomware]\nentityMappings:\n  - entityType: User\n    fieldMappings:\n      - identifier: Name\n        columnName: A\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: B\ncolour: red\n"
        );
        let read = read(&text, RuleType::Hunting).unwrap();
        let RuleFile::Hunting(h) = read.rule else {
            panic!()
        };
        assert_eq!(h.core.tactics.unwrap().len(), 1);
        assert_eq!(h.core.entity_mappings.unwrap().len(), 1);
        let pointers: Vec<&str> = read
            .notes
            .iter()
            .filter_map(|n| n.pointer.as_deref())
            .collect();
        assert!(pointers.contains(&"/tactics/1"), "{pointers:?}");
        assert!(pointers.contains(&"/entityMappings/0"), "{pointers:?}");
        assert!(pointers.contains(&"/colour"), "{pointers:?}");
    }

    #[test]
    fn missing_query_stops_reading() {
        let errors = read(
            "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\n",
            RuleType::Hunting,
        )
        .unwrap_err();
        assert!(
            errors[0].message.contains("`query` is missing"),
            "{errors:?}"
        );
    }
}
