//! Reading a rule file's tree into the typed model, for the converters.
//!
//! `check` reports many things as warnings (a scalar where a list belongs, a value in the
//! wrong case, an ISO duration); such a rule still converts, so they are normalized here,
//! each with a note. With `--force` a rule with errors is converted too: optional parts the
//! model cannot hold (an unknown entity type, an invalid tactic) are left out, each with a
//! note saying so. What cannot be left out (the query, the name) stops the conversion.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Note;
use crate::model::schema::{self, SchemaErrorKind};
use crate::model::{RuleFile, RuleType, TriggerOperator};
use crate::model::{duration, limits};
use crate::text::suggest::normalize as letters;
use crate::yaml::{Node, pointer_push, pointer_tokens};

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
        let id = uuid::Uuid::new_v5(
            &crate::lints::sl204_missing_field::ID_NAMESPACE,
            old.as_bytes(),
        );
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
    crate::lints::describe_pointer(pointer)
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
    for key in ["tactics", "relevantTechniques"] {
        scalar_to_list(root, key, &format!("/{key}"), notes);
    }
    if let Some(Value::Array(connectors)) = root.get_mut("requiredDataConnectors") {
        for (i, c) in connectors.iter_mut().enumerate() {
            if let Value::Object(c) = c {
                scalar_to_list(
                    c,
                    "dataTypes",
                    &format!("/requiredDataConnectors/{i}/dataTypes"),
                    notes,
                );
            }
        }
    }
    if let Some(Value::Array(tactics)) = root.get_mut("tactics") {
        canonical_tactics(tactics, notes);
    }
    if let Some(Value::Array(techniques)) = root.get_mut("relevantTechniques") {
        canonical_techniques(techniques, notes);
    }
    canonical_case(root, notes);
    for key in ["queryFrequency", "queryPeriod", "suppressionDuration"] {
        short_duration(root, key, notes);
    }
    if let Some(Value::String(op)) = root.get("triggerOperator")
        && let Some(canonical) = TriggerOperator::parse_ignoring_case(op)
            .map(TriggerOperator::name)
            .filter(|c| c != op)
    {
        notes.push(Note::exact(
            format!("`{op}` read as `{canonical}`"),
            "/triggerOperator",
        ));
        root.insert("triggerOperator".into(), Value::String(canonical.into()));
    }
    if let Some(Value::String(threshold)) = root.get("triggerThreshold")
        && let Ok(n) = threshold.trim().parse::<u32>()
    {
        notes.push(Note::exact(
            format!("`{threshold}` read as the number {n}"),
            "/triggerThreshold",
        ));
        root.insert("triggerThreshold".into(), Value::from(n));
    }
    if let Some(Value::Number(n)) = root.get("version") {
        let text = n.to_string();
        let mut parts: Vec<&str> = text.split('.').collect();
        while parts.len() < 3 {
            parts.push("0");
        }
        let version = parts.join(".");
        notes.push(Note::exact(
            format!("`version: {text}` read as `{version}`"),
            "/version",
        ));
        root.insert("version".into(), Value::String(version));
    }
    if let Some(Value::Number(n)) = root.get("severity")
        && let Some(name) = n
            .as_u64()
            .and_then(|i| ["Informational", "Low", "Medium", "High"].get(i as usize))
    {
        notes.push(Note::exact(
            format!("severity {n} read as `{name}`"),
            "/severity",
        ));
        root.insert("severity".into(), Value::String((*name).into()));
    }
    if let Some(Value::String(id)) = root.get("id")
        && let Ok(uuid) = uuid::Uuid::parse_str(id.trim())
    {
        let canonical = uuid.hyphenated().to_string();
        if !canonical.eq_ignore_ascii_case(id) {
            notes.push(Note::exact(
                format!("id `{id}` read as `{canonical}`"),
                "/id",
            ));
            root.insert("id".into(), Value::String(canonical));
        }
    }
}

fn scalar_to_list(map: &mut Map<String, Value>, key: &str, pointer: &str, notes: &mut Vec<Note>) {
    if let Some(Value::String(s)) = map.get(key) {
        let items: Vec<Value> = s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Value::String(p.to_owned()))
            .collect();
        notes.push(Note::exact(
            format!("`{}` is a single value; read as a list", describe(pointer)),
            pointer,
        ));
        map.insert(key.into(), Value::Array(items));
    }
}

fn canonical_tactics(tactics: &mut [Value], notes: &mut Vec<Note>) {
    let names = schema::enum_values("Tactic");
    for (i, t) in tactics.iter_mut().enumerate() {
        let Value::String(s) = t else { continue };
        let wanted = letters(s);
        let canonical = names
            .iter()
            .find(|n| letters(n) == wanted)
            .map(String::as_str)
            .or_else(|| crate::lints::sl302_invalid_tactic::tactic_for_id(s));
        if let Some(c) = canonical.filter(|c| c != s) {
            notes.push(Note::exact(
                format!("tactic `{s}` read as `{c}`"),
                format!("/tactics/{i}"),
            ));
            *t = Value::String(c.to_owned());
        }
    }
}

fn canonical_techniques(techniques: &mut [Value], notes: &mut Vec<Note>) {
    for (i, t) in techniques.iter_mut().enumerate() {
        let Value::String(s) = t else { continue };
        let id = crate::lints::sl303_invalid_technique::leading_id(s);
        if id != *s && crate::lints::sl303_invalid_technique::is_technique(&id) {
            notes.push(Note::exact(
                format!("technique `{s}` read as `{id}`"),
                format!("/relevantTechniques/{i}"),
            ));
            *t = Value::String(id);
        }
    }
}

/// Values of fixed sets written in another case (the Azure-Sentinel CI reads them so too).
fn canonical_case(root: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    let fix = |value: &mut Value, definition: &str, pointer: String, notes: &mut Vec<Note>| {
        let Value::String(s) = value else { return };
        let canonical = if definition == "kind" {
            ["Scheduled", "NRT"]
                .into_iter()
                .find(|k| k.eq_ignore_ascii_case(s))
                .map(str::to_owned)
        } else {
            schema::enum_values(definition)
                .iter()
                .find(|k| k.eq_ignore_ascii_case(s))
                .cloned()
        };
        if let Some(c) = canonical.filter(|c| c != s) {
            notes.push(Note::exact(format!("`{s}` read as `{c}`"), pointer));
            *value = Value::String(c);
        }
    };
    for (key, definition) in [
        ("kind", "kind"),
        ("severity", "Severity"),
        ("status", "TemplateStatus"),
    ] {
        if let Some(v) = root.get_mut(key) {
            fix(v, definition, format!("/{key}"), notes);
        }
    }
    if let Some(Value::Array(tactics)) = root.get_mut("tactics") {
        for (i, t) in tactics.iter_mut().enumerate() {
            fix(t, "Tactic", format!("/tactics/{i}"), notes);
        }
    }
    if let Some(Value::Array(mappings)) = root.get_mut("entityMappings") {
        for (i, m) in mappings.iter_mut().enumerate() {
            if let Some(v) = m.get_mut("entityType") {
                fix(
                    v,
                    "EntityType",
                    format!("/entityMappings/{i}/entityType"),
                    notes,
                );
            }
        }
    }
    if let Some(v) = root
        .get_mut("eventGroupingSettings")
        .and_then(|e| e.get_mut("aggregationKind"))
    {
        fix(
            v,
            "AggregationKind",
            "/eventGroupingSettings/aggregationKind".into(),
            notes,
        );
    }
    if let Some(grouping) = root
        .get_mut("incidentConfiguration")
        .and_then(|i| i.get_mut("groupingConfiguration"))
    {
        let base = "/incidentConfiguration/groupingConfiguration";
        if let Some(v) = grouping.get_mut("matchingMethod") {
            fix(v, "MatchingMethod", format!("{base}/matchingMethod"), notes);
        }
        for (key, definition) in [
            ("groupByEntities", "EntityType"),
            ("groupByAlertDetails", "AlertDetail"),
        ] {
            if let Some(Value::Array(items)) = grouping.get_mut(key) {
                for (i, v) in items.iter_mut().enumerate() {
                    fix(v, definition, format!("{base}/{key}/{i}"), notes);
                }
            }
        }
        // Empty lists written as `groupByCustomDetails:` (null) mean none.
        if let Value::Object(map) = grouping {
            map.retain(|_, v| !v.is_null());
        }
    }
}

/// A duration in another form than `5m`/`1h`/`1d`, written in that form.
fn short_duration(root: &mut Map<String, Value>, key: &str, notes: &mut Vec<Note>) {
    let (text, parsed) = match root.get(key) {
        Some(Value::String(s)) => (s.clone(), duration::parse(s.trim())),
        Some(Value::Number(n)) => (
            n.to_string(),
            n.as_u64().map(|days| duration::Duration {
                seconds: days * 86_400,
                form: duration::DurationForm::TimeSpan,
            }),
        ),
        _ => return,
    };
    let Some(parsed) = parsed.filter(|d| d.form != duration::DurationForm::Short) else {
        return;
    };
    if let Some(short) = duration::to_short(parsed.seconds) {
        notes.push(Note::exact(
            format!("`{key}: {text}` read as `{short}`"),
            format!("/{key}"),
        ));
        root.insert(key.into(), Value::String(short));
    }
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
