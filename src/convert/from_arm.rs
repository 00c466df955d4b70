//! ARM templates -> the rule model: the reverse of [`super::arm`], for rules exported from a
//! workspace or shipped in a Solution.
//!
//! Reads single-resource templates, portal exports with many rules, Solution
//! `mainTemplate.json` files (alert rule templates inside `contentTemplates` and nested
//! deployments), REST responses (`{"value": [...]}` or one resource) and the PascalCase
//! exports of the Az.SecurityInsights PowerShell module. Alert rules of kind Scheduled and
//! NRT and saved searches of the category "Hunting Queries" become rules; other alert rule
//! kinds are reported as unsupported; other resources (workbooks, playbooks, ...) are counted.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::Note;
use super::arm::{HUNTING_CATEGORY, RuleFileExtras, TemplateMetadata};
use super::arm_expr::Scope;
use crate::model::duration;
use crate::model::read::{ReadRule, read_json};
use crate::model::{RuleType, TriggerOperator};
use crate::yaml::{Node, pointer_push};

/// One rule found in a template.
#[derive(Debug, Clone)]
pub struct FoundRule {
    /// JSON pointer of the resource in the file.
    pub pointer: String,
    /// The rule's display name, when it has one.
    pub name: Option<String>,
    /// The rule, or why it cannot be converted. Note pointers are pointers into the file.
    pub result: Result<ReadRule, Vec<Note>>,
}

/// What a template holds.
#[derive(Debug, Clone, Default)]
pub struct ArmReading {
    pub rules: Vec<FoundRule>,
    /// Resources that are not rules (workbooks, playbooks, connectors, ...), by type.
    pub other_resources: IndexMap<String, usize>,
    /// Why nothing could be read, when the file is not a template at all.
    pub not_a_template: Option<String>,
}

/// Read every rule of an ARM template (or export) tree.
pub fn read_template(root: &Node) -> ArmReading {
    let mut reading = ArmReading::default();
    match &root.value {
        crate::yaml::Value::Map(_) if root.get("resources").is_some() => {
            let extras = template_extras(root);
            let context = Context {
                scope: Scope::of_template(root, None),
                extras: &extras,
                content_id: None,
                content_version: None,
            };
            walk_template(root, "", &context, &mut reading);
        }
        crate::yaml::Value::Map(_) if root.get("value").and_then(Node::as_seq).is_some() => {
            // A REST list response.
            let extras = IndexMap::new();
            let context = Context::plain(&extras);
            for (i, item) in root
                .get("value")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                resource(item, &format!("/value/{i}"), &context, &mut reading);
            }
        }
        crate::yaml::Value::Map(_)
            if root.get("properties").is_some() || is_pascal_export(root) =>
        {
            resource(root, "", &Context::plain(&IndexMap::new()), &mut reading);
        }
        crate::yaml::Value::Seq(items) => {
            let extras = IndexMap::new();
            let context = Context::plain(&extras);
            for (i, item) in items.iter().enumerate() {
                resource(item, &format!("/{i}"), &context, &mut reading);
            }
        }
        _ => {}
    }
    if reading.rules.is_empty() && reading.other_resources.is_empty() {
        reading.not_a_template = Some(
            "this is not an ARM template, a REST response or an export of Sentinel alert rules"
                .into(),
        );
    }
    reading
}

/// What sentinel-lint kept in the template's metadata (see [`TemplateMetadata`]).
fn template_extras(root: &Node) -> IndexMap<String, RuleFileExtras> {
    root.get("metadata")
        .and_then(|m| serde_json::from_value::<TemplateMetadata>(m.to_json()).ok())
        .map(|m| m.rule_files)
        .unwrap_or_default()
}

/// What a resource is read in.
#[derive(Debug, Clone)]
struct Context<'a> {
    scope: Scope<'a>,
    /// What sentinel-lint kept in the template's metadata, by rule id.
    extras: &'a IndexMap<String, RuleFileExtras>,
    /// The `contentId` of the Solution content template around the resource: the rule's id
    /// when its own name does not say it.
    content_id: Option<String>,
    /// The `version` of that content template: the rule's version when it has none.
    content_version: Option<String>,
}

impl<'a> Context<'a> {
    fn plain(extras: &'a IndexMap<String, RuleFileExtras>) -> Self {
        Context {
            scope: Scope::default(),
            extras,
            content_id: None,
            content_version: None,
        }
    }
}

fn walk_template(template: &Node, pointer: &str, context: &Context<'_>, reading: &mut ArmReading) {
    let Some(resources) = template.get("resources").and_then(Node::as_seq) else {
        return;
    };
    for (i, item) in resources.iter().enumerate() {
        let here = format!("{pointer}/resources/{i}");
        resource(item, &here, context, reading);
        // Nested templates: Solution content templates, template specs, nested deployments.
        for key in ["mainTemplate", "template"] {
            let properties = item.get("properties");
            if let Some(inner) = properties.and_then(|p| p.get(key))
                && inner.get("resources").is_some()
            {
                let content_id = properties
                    .and_then(|p| p.get("contentId"))
                    .and_then(Node::as_str)
                    .and_then(|id| context.scope.string(id))
                    .and_then(|id| last_guid(&id));
                let content_version = properties
                    .and_then(|p| p.get("version"))
                    .and_then(Node::as_str)
                    .and_then(|v| context.scope.string(v))
                    .filter(|v| {
                        v.split('.').count() == 3 && v.split('.').all(|p| p.parse::<u32>().is_ok())
                    });
                let inner_context = Context {
                    scope: Scope::of_template(inner, Some(&context.scope)),
                    extras: context.extras,
                    content_id,
                    content_version,
                };
                walk_template(
                    inner,
                    &format!("{here}/properties/{key}"),
                    &inner_context,
                    reading,
                );
            }
        }
        // Child resources (`savedSearches` under a workspace).
        if item.get("resources").is_some() {
            walk_template(item, &here, context, reading);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResourceKind {
    AlertRule,
    AlertRuleTemplate,
    SavedSearch,
    Other,
}

fn resource_kind(type_name: &str) -> ResourceKind {
    let lower = type_name.to_ascii_lowercase();
    if lower.ends_with("/alertrules") {
        ResourceKind::AlertRule
    } else if lower.ends_with("/alertruletemplates") {
        ResourceKind::AlertRuleTemplate
    } else if lower.ends_with("savedsearches") {
        ResourceKind::SavedSearch
    } else {
        ResourceKind::Other
    }
}

fn resource(node: &Node, pointer: &str, context: &Context<'_>, reading: &mut ArmReading) {
    let scope = &context.scope;
    let pascal = is_pascal_export(node);
    let resource = if pascal {
        from_pascal(node)
    } else {
        node.to_json()
    };
    let type_name = resource
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let kind = match resource_kind(&type_name) {
        // A REST response for one rule names its type `Microsoft.SecurityInsights/alertRules`;
        // a bare resource without a type but with rule properties is read as one too.
        ResourceKind::Other
            if type_name.is_empty() && resource.pointer("/properties/query").is_some() =>
        {
            ResourceKind::AlertRule
        }
        kind => kind,
    };
    if kind == ResourceKind::Other {
        if !type_name.is_empty() && !type_name.to_ascii_lowercase().contains("contenttemplates") {
            *reading.other_resources.entry(type_name).or_default() += 1;
        }
        return;
    }
    let properties = resolve(
        scope,
        &resource["properties"],
        &format!("{pointer}/properties"),
    );
    let mut notes = properties.notes;
    let properties = properties.value;
    if kind == ResourceKind::SavedSearch {
        let category = properties
            .get("category")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !category.eq_ignore_ascii_case(HUNTING_CATEGORY) {
            *reading
                .other_resources
                .entry(format!("{type_name} ({category})"))
                .or_default() += 1;
            return;
        }
    }
    let name = properties
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let id = rule_id(node, &resource, &properties, context, pointer, &mut notes);
    let mut rule_extras = context
        .extras
        .get(&id.to_ascii_lowercase())
        .cloned()
        .unwrap_or_default();
    if rule_extras.version.is_none() {
        rule_extras.version = context.content_version.clone();
    }
    let result = if kind == ResourceKind::SavedSearch {
        hunting_query(&id, &properties, pointer, rule_extras, notes)
    } else {
        let rule_kind = match resource.get("kind").and_then(Value::as_str) {
            None => Err("the alert rule has no `kind`".to_owned()),
            Some(text) => scope.string(text).ok_or_else(|| {
                format!("`kind` is `{text}`, an ARM expression that is only known at deployment")
            }),
        };
        alert_rule(&id, rule_kind, &properties, pointer, rule_extras, notes)
    };
    reading.rules.push(FoundRule {
        pointer: pointer.to_owned(),
        name,
        result,
    });
}

struct Resolved {
    value: Value,
    notes: Vec<Note>,
}

/// The properties with their expressions evaluated; those that cannot be are kept as they
/// are, with a note.
fn resolve(scope: &Scope<'_>, value: &Value, pointer: &str) -> Resolved {
    let mut notes = Vec::new();
    let value = resolve_value(scope, value, pointer, &mut notes);
    Resolved { value, notes }
}

fn resolve_value(scope: &Scope<'_>, value: &Value, pointer: &str, notes: &mut Vec<Note>) -> Value {
    match value {
        Value::String(s) => match scope.string(s) {
            Some(v) => Value::String(v),
            None => {
                notes.push(Note::approximate(
                    format!("`{s}` is an ARM expression that is only known at deployment; written as it is"),
                    pointer,
                ));
                Value::String(s.clone())
            }
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| resolve_value(scope, v, &format!("{pointer}/{i}"), notes))
                .collect(),
        ),
        // ARM writes absent values as null.
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    (
                        k.clone(),
                        resolve_value(scope, v, &pointer_push(pointer, k), notes),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The rule's id: the GUID that names the resource (so that converting back updates the
/// same rule), else the template it was made from, else one derived from its name.
fn rule_id(
    node: &Node,
    resource: &Value,
    properties: &Value,
    context: &Context<'_>,
    pointer: &str,
    notes: &mut Vec<Note>,
) -> String {
    let scope = &context.scope;
    let text_of = |key: &str| {
        resource
            .get(key)
            .and_then(Value::as_str)
            .map(|s| scope.partial_text(s))
    };
    let from_name = text_of("name")
        .and_then(|n| last_guid(&n))
        .or_else(|| text_of("id").and_then(|n| last_guid(&n)));
    let template = properties
        .get("alertRuleTemplateName")
        .and_then(Value::as_str)
        .and_then(last_guid);
    match (from_name, template) {
        (Some(id), template) => {
            if let Some(t) = template.filter(|t| !t.eq_ignore_ascii_case(&id)) {
                notes.push(Note::approximate(
                    format!(
                        "`alertRuleTemplateName` {t} (the template the rule was created from) has no field in rule YAML; left out (the rule keeps its own id {id})"
                    ),
                    format!("{pointer}/properties/alertRuleTemplateName"),
                ));
            }
            id
        }
        (None, Some(template)) => template,
        (None, None) if context.content_id.is_some() => {
            context.content_id.clone().unwrap_or_default()
        }
        (None, None) => {
            let name = properties
                .get("displayName")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let id = crate::model::ids::derived_id(name).to_string();
            let location = if node.get("name").is_some() {
                format!("{pointer}/name")
            } else {
                pointer.to_owned()
            };
            notes.push(Note::exact(
                format!("the template gives the rule no fixed id (it is made at deployment); it gets {id}, derived from its name"),
                location,
            ));
            id
        }
    }
}

/// The last GUID in a text (resource names end with the rule's).
fn last_guid(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i + 36 <= bytes.len() {
        let Some(candidate) = text.get(i..i + 36) else {
            i += 1;
            continue;
        };
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_hexdigit();
        let boundary_after = i + 36 == bytes.len() || !bytes[i + 36].is_ascii_hexdigit();
        if boundary_before && boundary_after && text.is_char_boundary(i + 36) && is_guid(candidate)
        {
            found = Some(candidate.to_ascii_lowercase());
            i += 36;
        } else {
            i += 1;
        }
    }
    found
}

fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Properties of alert rules and templates that map to a rule-file key of the same name.
const SAME_NAME: [&str; 12] = [
    "description",
    "severity",
    "status",
    "requiredDataConnectors",
    "tactics",
    "query",
    "entityMappings",
    "customDetails",
    "alertDetailsOverride",
    "eventGroupingSettings",
    "incidentConfiguration",
    "sentinelEntitiesMappings",
];

/// Read-only properties the service adds; they say nothing about the rule.
const SERVICE_STATE: [&str; 7] = [
    "lastModifiedUtc",
    "createdDateUTC",
    "lastUpdatedDateUTC",
    "alertRulesCreatedByTemplateCount",
    "etag",
    "isDeprecated",
    "lastModified",
];

fn alert_rule(
    id: &str,
    kind: Result<String, String>,
    properties: &Value,
    pointer: &str,
    extras: RuleFileExtras,
    mut notes: Vec<Note>,
) -> Result<ReadRule, Vec<Note>> {
    let kind =
        kind.map_err(|message| vec![Note::approximate(message, format!("{pointer}/kind"))])?;
    let rule_type = match kind.to_ascii_lowercase().as_str() {
        "scheduled" => RuleType::Scheduled,
        "nrt" => RuleType::Nrt,
        _ => {
            return Err(vec![Note::approximate(
                format!(
                    "alert rules of kind `{kind}` have no rule-file form (only Scheduled and NRT rules do)"
                ),
                format!("{pointer}/kind"),
            )]);
        }
    };
    let Value::Object(props) = properties else {
        return Err(vec![Note::approximate(
            "the alert rule has no `properties`",
            pointer.to_owned(),
        )]);
    };
    let base = format!("{pointer}/properties");
    let mut rule = Map::new();
    rule.insert("id".into(), Value::String(id.to_owned()));
    let mut techniques: Vec<String> = Vec::new();
    let mut sub_techniques: Vec<String> = Vec::new();
    for (key, value) in props {
        if value.is_null() || SERVICE_STATE.contains(&key.as_str()) {
            continue;
        }
        let here = pointer_push(&base, key);
        match key.as_str() {
            "displayName" => {
                rule.insert("name".into(), value.clone());
            }
            "description" => {
                rule.insert(key.clone(), description_value(value));
            }
            "query" => {
                rule.insert(key.clone(), text_value(value));
            }
            k if SAME_NAME.contains(&k) => {
                rule.insert(key.clone(), value.clone());
            }
            "enabled" => {
                // Enabled is what a deployment does when nothing is said.
                if value != &Value::Bool(true) {
                    rule.insert(key.clone(), value.clone());
                }
            }
            "suppressionEnabled" => {
                if value != &Value::Bool(false) {
                    rule.insert(key.clone(), value.clone());
                }
            }
            "queryFrequency" | "queryPeriod" | "suppressionDuration" => {
                if rule_type == RuleType::Nrt && key != "suppressionDuration" {
                    notes.push(Note::exact(
                        format!("NRT rules have no `{key}`; left out"),
                        here,
                    ));
                    continue;
                }
                let short = short_duration(value);
                if key == "suppressionDuration" && short.as_deref() == Some("1h") {
                    continue;
                }
                rule.insert(
                    key.clone(),
                    short.map_or_else(|| value.clone(), Value::String),
                );
            }
            "triggerOperator" => {
                if rule_type == RuleType::Nrt {
                    continue;
                }
                rule.insert(key.clone(), short_operator(value));
            }
            "triggerThreshold" => {
                if rule_type == RuleType::Nrt {
                    continue;
                }
                rule.insert(key.clone(), value.clone());
            }
            "techniques" => techniques = strings(value),
            "subTechniques" => sub_techniques = strings(value),
            "templateVersion" | "version" => {
                rule.insert("version".into(), value.clone());
            }
            "alertRuleTemplateName" => {} // read with the id
            "startTimeUtc" => notes.push(Note::approximate(
                "`startTimeUtc` (when the rule first runs) has no field in rule YAML; left out",
                here,
            )),
            _ => notes.push(Note::approximate(
                format!("`{key}` has no field in rule YAML; left out"),
                here,
            )),
        }
    }
    let relevant = relevant_techniques(&techniques, &sub_techniques);
    if !relevant.is_empty() {
        rule.insert("relevantTechniques".into(), Value::from(relevant));
    }
    if let Some(lookback) = rule
        .get_mut("incidentConfiguration")
        .and_then(|i| i.pointer_mut("/groupingConfiguration/lookbackDuration"))
        && let Some(short) = short_duration(lookback)
    {
        *lookback = Value::String(short);
    }
    rule.insert(
        "kind".into(),
        Value::String(
            if rule_type == RuleType::Nrt {
                "NRT"
            } else {
                "Scheduled"
            }
            .into(),
        ),
    );
    if rule_type == RuleType::Scheduled
        && !rule.contains_key("requiredDataConnectors")
        && extras.required_data_connectors.is_none()
    {
        // The rule-file format requires the key; an alert rule never has it.
        rule.insert("requiredDataConnectors".into(), Value::Array(Vec::new()));
    }
    merge_extras(&mut rule, extras);
    finish(rule_type, rule, pointer, notes, &yaml_to_arm_alert)
}

fn hunting_query(
    id: &str,
    properties: &Value,
    pointer: &str,
    extras: RuleFileExtras,
    mut notes: Vec<Note>,
) -> Result<ReadRule, Vec<Note>> {
    let base = format!("{pointer}/properties");
    let mut rule = Map::new();
    rule.insert("id".into(), Value::String(id.to_owned()));
    if let Some(name) = properties.get("displayName") {
        rule.insert("name".into(), name.clone());
    }
    if let Some(Value::Array(tags)) = properties.get("tags") {
        for (i, tag) in tags.iter().enumerate() {
            let name = tag.get("name").and_then(Value::as_str).unwrap_or_default();
            let value = tag.get("value").and_then(Value::as_str).unwrap_or_default();
            let list = || -> Value {
                Value::from(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>(),
                )
            };
            match name.to_ascii_lowercase().as_str() {
                "description" => {
                    rule.insert(
                        "description".into(),
                        description_value(&Value::String(value.to_owned())),
                    );
                }
                "tactics" => {
                    rule.insert("tactics".into(), list());
                }
                "techniques" | "relevanttechniques" => {
                    rule.insert("relevantTechniques".into(), list());
                }
                _ => notes.push(Note::approximate(
                    format!("the tag `{name}` has no field in hunting query YAML; left out"),
                    format!("{base}/tags/{i}"),
                )),
            }
        }
    }
    if let Some(query) = properties.get("query") {
        rule.insert("query".into(), text_value(query));
    }
    for (key, value) in properties.as_object().into_iter().flatten() {
        if !value.is_null()
            && ![
                "category",
                "displayName",
                "query",
                "tags",
                "version",
                "etag",
                "eTag",
            ]
            .contains(&key.as_str())
        {
            notes.push(Note::approximate(
                format!("`{key}` has no field in hunting query YAML; left out"),
                pointer_push(&base, key),
            ));
        }
    }
    merge_extras(&mut rule, extras);
    finish(
        RuleType::Hunting,
        rule,
        pointer,
        notes,
        &yaml_to_arm_hunting,
    )
}

/// Put back what sentinel-lint kept in the template's metadata.
fn merge_extras(rule: &mut Map<String, Value>, extras: RuleFileExtras) {
    if let Ok(Value::Object(extras)) = serde_json::to_value(extras) {
        for (key, value) in extras {
            rule.entry(key).or_insert(value);
        }
    }
}

/// Read the rule-file JSON into the model; note pointers (rule-file keys) become pointers
/// into the template.
fn finish(
    rule_type: RuleType,
    rule: Map<String, Value>,
    pointer: &str,
    mut notes: Vec<Note>,
    translate: &dyn Fn(&str) -> String,
) -> Result<ReadRule, Vec<Note>> {
    let relocate = |mut note: Note| {
        note.pointer = note.pointer.map(|p| format!("{pointer}{}", translate(&p)));
        note
    };
    match read_json(rule_type, Value::Object(rule)) {
        Ok(read) => {
            notes.extend(read.notes.into_iter().map(relocate));
            Ok(ReadRule {
                rule: read.rule,
                notes,
            })
        }
        Err(errors) => {
            notes.retain(|n| n.approximate);
            notes.extend(errors.into_iter().map(relocate));
            Err(notes)
        }
    }
}

/// Where a rule-file key of an alert rule came from.
fn yaml_to_arm_alert(pointer: &str) -> String {
    let mut tokens = pointer.splitn(3, '/').skip(1);
    let first = tokens.next().unwrap_or_default();
    let rest = tokens.next().map(|r| format!("/{r}")).unwrap_or_default();
    let arm = match first {
        "name" => "displayName",
        "relevantTechniques" => "techniques",
        "version" => "templateVersion",
        "id" | "kind" => return String::new(),
        other => other,
    };
    format!("/properties/{arm}{rest}")
}

/// Where a rule-file key of a hunting query came from.
fn yaml_to_arm_hunting(pointer: &str) -> String {
    let first = pointer.split('/').nth(1).unwrap_or_default();
    match first {
        "name" => "/properties/displayName".into(),
        "query" => "/properties/query".into(),
        "description" | "tactics" | "relevantTechniques" => "/properties/tags".into(),
        _ => String::new(),
    }
}

/// Techniques and sub-techniques as `relevantTechniques`: a sub-technique takes the place of
/// its technique.
pub fn relevant_techniques(techniques: &[String], sub_techniques: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |t: &str, out: &mut Vec<String>| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    };
    for t in techniques {
        let subs: Vec<&String> = sub_techniques
            .iter()
            .filter(|s| s.split('.').next() == Some(t.as_str()))
            .collect();
        if subs.is_empty() {
            push(t, &mut out);
        } else {
            subs.into_iter().for_each(|s| push(s, &mut out));
        }
    }
    for s in sub_techniques {
        push(s, &mut out);
    }
    out
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => s
            .split(',')
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// Text as rule YAML holds it: `\r\n` (common in exports) read as `\n`, which means the same
/// to KQL and Markdown and lets the YAML use a literal block.
fn text_value(value: &Value) -> Value {
    match value {
        Value::String(s) if s.contains('\r') => Value::String(s.replace("\r\n", "\n")),
        other => other.clone(),
    }
}

/// A description ends with a line break, so that it is written as a `|` block like those of
/// the Azure-Sentinel repository (deployments drop the line break again).
fn description_value(value: &Value) -> Value {
    match text_value(value) {
        Value::String(s) if !s.trim().is_empty() => Value::String(format!("{}\n", s.trim_end())),
        other => other,
    }
}

fn short_duration(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    let parsed = duration::parse(text.trim())?;
    duration::to_short(parsed.seconds)
}

fn short_operator(value: &Value) -> Value {
    let short = match value {
        Value::String(s) => match TriggerOperator::parse_ignoring_case(s) {
            Some(op) => op.short_name(),
            None => return value.clone(),
        },
        // The PowerShell module writes the enum's number.
        Value::Number(n) => match n.as_u64() {
            Some(0) => "gt",
            Some(1) => "lt",
            Some(2) => "eq",
            Some(3) => "ne",
            _ => return value.clone(),
        },
        _ => return value.clone(),
    };
    Value::String(short.into())
}

// ---- PowerShell exports (Get-AzSentinelAlertRule | ConvertTo-Json) ---------------------

fn is_pascal_export(node: &Node) -> bool {
    node.get("DisplayName").is_some()
        && node.get("Query").is_some()
        && node.get("properties").is_none()
}

/// A PowerShell export item as a resource: `{type, kind, name, properties}` with camelCase
/// keys and TimeSpan objects as ISO durations.
fn from_pascal(node: &Node) -> Value {
    let Value::Object(item) = node.to_json() else {
        return Value::Null;
    };
    let mut properties = Map::new();
    let mut resource = Map::new();
    for (key, value) in item {
        match key.as_str() {
            "Type" => {
                resource.insert("type".into(), value);
            }
            "Kind" => {
                resource.insert("kind".into(), value);
            }
            "Name" => {
                resource.insert("name".into(), value);
            }
            "Id" => {
                resource.insert("id".into(), value);
            }
            "Etag" | "LastModifiedUtc" => {}
            _ => {
                properties.insert(camel_case(&key), pascal_value(value));
            }
        }
    }
    resource
        .entry("type")
        .or_insert_with(|| Value::String("Microsoft.SecurityInsights/alertRules".into()));
    resource.insert("properties".into(), Value::Object(properties));
    Value::Object(resource)
}

fn camel_case(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// TimeSpan objects become ISO durations; nested keys become camelCase.
fn pascal_value(value: Value) -> Value {
    match value {
        Value::Object(map) if map.contains_key("TotalSeconds") => {
            let seconds = map
                .get("TotalSeconds")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            Value::String(duration::to_iso(seconds.max(0.0) as u64))
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (camel_case(&k), pascal_value(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(pascal_value).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_techniques_take_the_place_of_their_technique() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(
            relevant_techniques(&s(&["T1078", "T1110"]), &s(&["T1078.003", "T1078.004"])),
            ["T1078.003", "T1078.004", "T1110"]
        );
        assert_eq!(
            relevant_techniques(&s(&[]), &s(&["T1550.001"])),
            ["T1550.001"]
        );
        assert_eq!(
            relevant_techniques(&s(&["T1550"]), &s(&["T1550.001", "T1550.001"])),
            ["T1550.001"]
        );
    }

    #[test]
    fn guids_are_found_at_the_end_of_names() {
        assert_eq!(
            last_guid("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/E60EF31E-169C-41B9-829A-BD54AD26A48E')]").as_deref(),
            Some("e60ef31e-169c-41b9-829a-bd54ad26a48e")
        );
        assert_eq!(last_guid("?/Microsoft.SecurityInsights/?"), None);
        assert_eq!(last_guid("x0e60ef31e-169c-41b9-829a-bd54ad26a48e"), None);
    }
}
