//! Rule model -> ARM template resources (what Sentinel Repositories and
//! `az deployment group create` deploy).
//!
//! Scheduled and NRT rules become `Microsoft.OperationalInsights/workspaces/providers/alertRules`
//! resources named after the rule's id (so that a redeploy updates the rule), hunting
//! queries become `Microsoft.OperationalInsights/workspaces/savedSearches` of the category
//! "Hunting Queries". The mapping avoids the known bugs of other converters: `eq` is
//! `Equal` and `ne` is `NotEqual`; sub-techniques go to `subTechniques` where the
//! api-version has it and are otherwise folded into their technique with a note;
//! durations become ISO 8601 in the form the service returns (`70m` -> `PT1H10M`);
//! descriptions are kept whole, only one pair of wrapping quotes is removed; whatever the
//! chosen api-version cannot hold is reported, never silently lost.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::Note;
use crate::model::duration;
use crate::model::{
    AlertDetailsOverride, AnalyticsCommon, CustomDetails, DataConnector, EntityMapping,
    EventGroupingSettings, HuntingQuery, IncidentConfiguration, Metadata, NrtRule, RuleCore,
    RuleFile, ScheduledRule, SentinelEntityMapping, Severity, Tag, Technique, TemplateStatus,
};
use crate::reference::ArmApiVersion;

/// The api-version written unless `--api-version` says otherwise: the newest preview, which
/// has NRT rules and sub-techniques.
/// The most resources one ARM template may hold (Azure Resource Manager's limit).
pub const MAX_RESOURCES: usize = 800;
pub const DEFAULT_API_VERSION: &str = "2025-07-01-preview";
/// The api-version of saved searches (hunting queries).
pub const SAVED_SEARCH_API_VERSION: &str = "2020-08-01";
pub const TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
pub const ALERT_RULE_TYPE: &str = "Microsoft.OperationalInsights/workspaces/providers/alertRules";
pub const SAVED_SEARCH_TYPE: &str = "Microsoft.OperationalInsights/workspaces/savedSearches";
pub const HUNTING_CATEGORY: &str = "Hunting Queries";

/// How to convert.
#[derive(Debug, Clone, Copy)]
pub struct ArmOptions {
    pub api_version: &'static ArmApiVersion,
    /// Overrides the rule's `enabled` (default: the rule's, else true).
    pub enabled: Option<bool>,
}

/// An ARM deployment template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub content_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<TemplateMetadata>,
    pub parameters: IndexMap<String, TemplateParameter>,
    pub resources: Vec<Resource>,
}

/// The template's `metadata` (ARM does not deploy it): what wrote the template, and what the
/// rule files have that the resources cannot hold, so that `convert --to yaml` gives it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateMetadata {
    #[serde(rename = "_generator")]
    pub generator: Generator,
    /// Keyed by rule id.
    #[serde(
        rename = "sentinelRuleFiles",
        default,
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub rule_files: IndexMap<String, RuleFileExtras>,
}

/// The tool that wrote a template (the convention of Bicep's `_generator`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

/// Fields of a rule file that its resource has no property for: template-only fields of
/// analytics rules (`requiredDataConnectors`, `status`, ...) and everything of a hunting query
/// beyond its query, name and tags.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleFileExtras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TemplateStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_data_connectors: Option<Vec<DataConnector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_mappings: Option<Vec<EntityMapping>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_details: Option<CustomDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

impl RuleFileExtras {
    pub fn is_empty(&self) -> bool {
        *self == RuleFileExtras::default()
    }
}

/// A rule as an ARM resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmRule {
    /// The rule id (lower case), which names the resource.
    pub id: String,
    pub resource: Resource,
    pub extras: RuleFileExtras,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateParameter {
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<IndexMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Resource {
    AlertRule(Box<AlertRuleResource>),
    SavedSearch(SavedSearchResource),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertRuleResource {
    #[serde(rename = "type")]
    pub type_: String,
    pub api_version: String,
    pub name: String,
    pub kind: String,
    pub properties: AlertRuleProperties,
}

/// The properties of a Scheduled or NRT alert rule, in the order the API lists them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertRuleProperties {
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub severity: String,
    pub enabled: bool,
    pub query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_frequency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_operator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_threshold: Option<u32>,
    pub suppression_duration: String,
    pub suppression_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tactics: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub techniques: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_techniques: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_rule_template_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_mappings: Option<Vec<EntityMapping>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_details: Option<CustomDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_details_override: Option<AlertDetailsOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_grouping_settings: Option<EventGroupingSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_configuration: Option<IncidentConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentinel_entities_mappings: Option<Vec<SentinelEntityMapping>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearchResource {
    #[serde(rename = "type")]
    pub type_: String,
    pub api_version: String,
    pub name: String,
    pub properties: SavedSearchProperties,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearchProperties {
    pub category: String,
    pub display_name: String,
    pub query: String,
    /// The version of the query language (2).
    pub version: u32,
    pub tags: Vec<SavedSearchTag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSearchTag {
    pub name: String,
    pub value: String,
}

/// A template holding these rules, with the `workspace` parameter they use.
pub fn template(rules: Vec<ArmRule>) -> Template {
    let rule_files: IndexMap<String, RuleFileExtras> = rules
        .iter()
        .filter(|r| !r.extras.is_empty())
        .map(|r| (r.id.clone(), r.extras.clone()))
        .collect();
    let resources = rules.into_iter().map(|r| r.resource).collect();
    let mut parameters = IndexMap::new();
    parameters.insert(
        "workspace".to_owned(),
        TemplateParameter {
            type_: "string".into(),
            metadata: Some(IndexMap::from([(
                "description".to_owned(),
                "The name of the Log Analytics workspace of Microsoft Sentinel".to_owned(),
            )])),
        },
    );
    Template {
        schema: TEMPLATE_SCHEMA.into(),
        content_version: "1.0.0.0".into(),
        metadata: Some(TemplateMetadata {
            generator: Generator {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            rule_files,
        }),
        parameters,
        resources,
    }
}

/// The ARM resource of a rule. `Err` says why it cannot be converted.
pub fn resource(rule: &RuleFile, options: &ArmOptions) -> Result<ArmRule, Vec<Note>> {
    let unreadable = unreadable_durations(rule);
    if !unreadable.is_empty() {
        return Err(unreadable);
    }
    match rule {
        RuleFile::Scheduled(rule) => Ok(scheduled(rule, options)),
        RuleFile::Nrt(rule) => nrt(rule, options),
        RuleFile::Hunting(query) => Ok(saved_search(query)),
    }
}

/// Durations that cannot be written in ISO 8601 (ARM would get nothing, or garbage).
fn unreadable_durations(rule: &RuleFile) -> Vec<Note> {
    let common = match rule {
        RuleFile::Scheduled(r) => &r.common,
        RuleFile::Nrt(r) => &r.common,
        RuleFile::Hunting(_) => return Vec::new(),
    };
    let mut fields: Vec<(&str, &str)> = Vec::new();
    if let RuleFile::Scheduled(r) = rule {
        fields.push(("/queryFrequency", &r.query_frequency));
        fields.push(("/queryPeriod", &r.query_period));
    }
    if let Some(d) = &common.suppression_duration {
        fields.push(("/suppressionDuration", d));
    }
    if let Some(g) = common
        .incident_configuration
        .as_ref()
        .and_then(|i| i.grouping_configuration.as_ref())
    {
        fields.push((
            "/incidentConfiguration/groupingConfiguration/lookbackDuration",
            &g.lookback_duration,
        ));
    }
    fields
        .into_iter()
        .filter(|(_, text)| duration::parse(text.trim()).is_none())
        .map(|(pointer, text)| {
            Note::approximate(
                format!("`{text}` is not a duration (write `5m`, `1h` or `1d`)"),
                pointer,
            )
        })
        .collect()
}

/// Does the api-version have this property for this kind of rule?
fn supports(version: &ArmApiVersion, nrt: bool, property: &str) -> bool {
    let properties = if nrt {
        version.nrt_properties
    } else {
        version.scheduled_properties
    };
    properties.contains(&property)
}

fn scheduled(rule: &ScheduledRule, options: &ArmOptions) -> ArmRule {
    let mut notes = Vec::new();
    let (mut properties, mut extras) = common_properties(&rule.common, options, false, &mut notes);
    let iso = |text: &str| duration::parse(text.trim()).map(|d| duration::to_iso(d.seconds));
    properties.query_frequency = iso(&rule.query_frequency);
    properties.query_period = iso(&rule.query_period);
    properties.trigger_operator = Some(rule.trigger_operator.arm_name().to_owned());
    properties.trigger_threshold = Some(rule.trigger_threshold);
    extras.required_data_connectors =
        Some(rule.required_data_connectors.clone()).filter(|c| !c.is_empty());
    alert_rule(
        &rule.common,
        "Scheduled",
        properties,
        extras,
        notes,
        options,
    )
}

fn nrt(rule: &NrtRule, options: &ArmOptions) -> Result<ArmRule, Vec<Note>> {
    if !options.api_version.has_nrt() {
        return Err(vec![Note::general(
            format!(
                "api-version {} has no NRT rules (only preview api-versions do, e.g. {DEFAULT_API_VERSION})",
                options.api_version.version
            ),
            true,
        )]);
    }
    let mut notes = Vec::new();
    let (properties, mut extras) = common_properties(&rule.common, options, true, &mut notes);
    extras.required_data_connectors = rule
        .required_data_connectors
        .clone()
        .filter(|c| !c.is_empty());
    Ok(alert_rule(
        &rule.common,
        "NRT",
        properties,
        extras,
        notes,
        options,
    ))
}

fn alert_rule(
    common: &AnalyticsCommon,
    kind: &str,
    properties: AlertRuleProperties,
    mut extras: RuleFileExtras,
    notes: Vec<Note>,
    options: &ArmOptions,
) -> ArmRule {
    let id = common.core.id.to_ascii_lowercase();
    extras.status = common.status;
    extras.tags = common.core.tags.clone();
    extras.metadata = common.core.metadata.clone();
    ArmRule {
        resource: Resource::AlertRule(Box::new(AlertRuleResource {
            type_: ALERT_RULE_TYPE.into(),
            api_version: options.api_version.version.into(),
            name: format!("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/{id}')]"),
            kind: kind.into(),
            properties,
        })),
        id,
        extras,
        notes,
    }
}

/// A description as the packagers deploy it: trailing white space removed, and one pair of
/// quotes around the whole text removed (many rule files write `description: |` followed by
/// `'...'`).
pub fn clean_description(text: &str) -> String {
    let trimmed = text.trim_end();
    for quote in ['\'', '"'] {
        if trimmed.len() >= 2 && trimmed.starts_with(quote) && trimmed.ends_with(quote) {
            return trimmed[1..trimmed.len() - 1].to_owned();
        }
    }
    trimmed.to_owned()
}

/// `T1078` and `T1078.004` into techniques (parents, each once) and sub-techniques.
pub fn split_techniques(techniques: &[Technique]) -> (Vec<String>, Vec<String>) {
    let mut parents: Vec<String> = Vec::new();
    let mut subs: Vec<String> = Vec::new();
    for t in techniques {
        let parent = t.0.split('.').next().unwrap_or(&t.0).to_owned();
        if !parents.contains(&parent) {
            parents.push(parent);
        }
        if t.0.contains('.') && !subs.contains(&t.0) {
            subs.push(t.0.clone());
        }
    }
    (parents, subs)
}

fn common_properties(
    common: &AnalyticsCommon,
    options: &ArmOptions,
    nrt: bool,
    notes: &mut Vec<Note>,
) -> (AlertRuleProperties, RuleFileExtras) {
    let mut extras = RuleFileExtras::default();
    let version = options.api_version;
    let core: &RuleCore = &common.core;
    let has = |property: &str| supports(version, nrt, property);
    let drop = |property: &str, pointer: &str, notes: &mut Vec<Note>| {
        notes.push(Note::approximate(
            format!(
                "api-version {} has no `{property}`; it was left out",
                version.version
            ),
            pointer,
        ));
    };
    let description = clean_description(&common.description);
    let mut properties = AlertRuleProperties {
        display_name: core.name.clone(),
        description: (!description.is_empty()).then_some(description),
        severity: common.severity.as_str().to_owned(),
        enabled: options.enabled.or(common.enabled).unwrap_or(true),
        query: core.query.clone(),
        suppression_duration: common
            .suppression_duration
            .as_deref()
            .and_then(|d| duration::parse(d.trim()))
            .map_or_else(|| "PT1H".to_owned(), |d| duration::to_iso(d.seconds)),
        suppression_enabled: common.suppression_enabled.unwrap_or(false),
        ..AlertRuleProperties::default()
    };
    if let Some(tactics) = &core.tactics {
        let (known, unknown): (Vec<&str>, Vec<&str>) = tactics
            .iter()
            .map(|t| t.as_str())
            .partition(|t| version.tactics.contains(t));
        for t in unknown {
            notes.push(Note::approximate(
                format!(
                    "api-version {} has no tactic `{t}`; it was left out",
                    version.version
                ),
                "/tactics",
            ));
        }
        properties.tactics = Some(known.into_iter().map(str::to_owned).collect());
    }
    if let Some(techniques) = core.relevant_techniques.as_ref().filter(|t| !t.is_empty()) {
        let (parents, subs) = split_techniques(techniques);
        if !has("techniques") {
            drop("techniques", "/relevantTechniques", notes);
        } else {
            properties.techniques = Some(parents);
            if !subs.is_empty() {
                if has("subTechniques") {
                    properties.sub_techniques = Some(subs);
                } else {
                    let parents: Vec<&str> = properties
                        .techniques
                        .iter()
                        .flatten()
                        .filter(|p| subs.iter().any(|s| s.starts_with(&format!("{p}."))))
                        .map(String::as_str)
                        .collect();
                    let verb = if subs.len() == 1 { "is" } else { "are" };
                    notes.push(Note::approximate(
                        format!(
                            "api-version {} has no `subTechniques`; {} {verb} written as {}",
                            version.version,
                            subs.join(", "),
                            parents.join(", ")
                        ),
                        "/relevantTechniques",
                    ));
                }
            }
        }
    }
    if has("alertRuleTemplateName") {
        properties.alert_rule_template_name = Some(core.id.to_ascii_lowercase());
    }
    if let Some(v) = &core.version {
        if has("alertRuleTemplateName") && has("templateVersion") {
            properties.template_version = Some(v.clone());
        } else {
            // Kept in the template's metadata; the deployed rule does not have it.
            drop("templateVersion", "/version", notes);
            extras.version = Some(v.clone());
        }
    }
    if let Some(mappings) = &core.entity_mappings {
        if has("entityMappings") {
            let mut kept = Vec::new();
            for (i, m) in mappings.iter().enumerate() {
                let name = serde_json::to_value(m.entity_type)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                if version.entity_types.contains(&name.as_str()) {
                    kept.push(m.clone());
                } else {
                    notes.push(Note::approximate(
                        format!(
                            "api-version {} has no entity type `{name}`; the mapping was left out",
                            version.version
                        ),
                        format!("/entityMappings/{i}"),
                    ));
                }
            }
            properties.entity_mappings = (!kept.is_empty()).then_some(kept);
        } else {
            drop("entityMappings", "/entityMappings", notes);
        }
    }
    // Properties of the same name in rule files and alert rules: written when the
    // api-version has them, else reported.
    let keep = |property: &str, present: bool, notes: &mut Vec<Note>| {
        if present && !has(property) {
            drop(property, &format!("/{property}"), notes);
        }
        present && has(property)
    };
    if keep("customDetails", core.custom_details.is_some(), notes) {
        properties.custom_details = core.custom_details.clone();
    }
    if keep(
        "alertDetailsOverride",
        common.alert_details_override.is_some(),
        notes,
    ) && let Some(o) = &common.alert_details_override
    {
        let mut o = o.clone();
        if let Some(dynamic) = o.alert_dynamic_properties.take() {
            let (kept, unknown): (Vec<_>, Vec<_>) = dynamic.into_iter().partition(|p| {
                let name = serde_json::to_value(p.alert_property)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                version.alert_properties.contains(&name.as_str())
            });
            if !unknown.is_empty() {
                notes.push(Note::approximate(
                    format!(
                        "api-version {} does not have {} of the `alertDynamicProperties`; left out",
                        version.version,
                        unknown.len()
                    ),
                    "/alertDetailsOverride/alertDynamicProperties",
                ));
            }
            o.alert_dynamic_properties = (!kept.is_empty()).then_some(kept);
        }
        properties.alert_details_override = Some(o);
    }
    if keep(
        "eventGroupingSettings",
        common.event_grouping_settings.is_some(),
        notes,
    ) {
        properties.event_grouping_settings = common.event_grouping_settings.clone();
    }
    if keep(
        "incidentConfiguration",
        common.incident_configuration.is_some(),
        notes,
    ) {
        let mut i = common.incident_configuration.clone();
        if let Some(g) = i.as_mut().and_then(|i| i.grouping_configuration.as_mut())
            && let Some(d) = duration::parse(g.lookback_duration.trim())
        {
            g.lookback_duration = duration::to_iso(d.seconds);
        }
        properties.incident_configuration = i;
    }
    if keep(
        "sentinelEntitiesMappings",
        common.sentinel_entities_mappings.is_some(),
        notes,
    ) {
        properties.sentinel_entities_mappings = common.sentinel_entities_mappings.clone();
    }
    (properties, extras)
}

fn saved_search(query: &HuntingQuery) -> ArmRule {
    let core = &query.core;
    let id = core.id.to_ascii_lowercase();
    let mut tags = Vec::new();
    if let Some(d) = query
        .description
        .as_deref()
        .map(clean_description)
        .filter(|d| !d.is_empty())
    {
        tags.push(SavedSearchTag {
            name: "description".into(),
            value: d,
        });
    }
    if let Some(t) = core.tactics.as_ref().filter(|t| !t.is_empty()) {
        tags.push(SavedSearchTag {
            name: "tactics".into(),
            value: t.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(","),
        });
    }
    if let Some(t) = core.relevant_techniques.as_ref().filter(|t| !t.is_empty()) {
        tags.push(SavedSearchTag {
            name: "techniques".into(),
            value: t.iter().map(|t| t.0.as_str()).collect::<Vec<_>>().join(","),
        });
    }
    let mut notes = Vec::new();
    for (present, pointer, what) in [
        (
            core.entity_mappings.is_some(),
            "/entityMappings",
            "entity mappings",
        ),
        (
            core.custom_details.is_some(),
            "/customDetails",
            "custom details",
        ),
    ] {
        if present {
            notes.push(Note::approximate(
                format!("saved searches have no {what}; kept in the template's metadata only, Sentinel does not use them"),
                pointer,
            ));
        }
    }
    let extras = RuleFileExtras {
        severity: query.severity,
        status: None,
        required_data_connectors: query.required_data_connectors.clone(),
        entity_mappings: core.entity_mappings.clone(),
        custom_details: core.custom_details.clone(),
        version: core.version.clone(),
        tags: core.tags.clone(),
        metadata: core.metadata.clone(),
    };
    ArmRule {
        resource: Resource::SavedSearch(SavedSearchResource {
            type_: SAVED_SEARCH_TYPE.into(),
            api_version: SAVED_SEARCH_API_VERSION.into(),
            name: format!("[concat(parameters('workspace'), '/{id}')]"),
            properties: SavedSearchProperties {
                category: HUNTING_CATEGORY.into(),
                display_name: core.name.clone(),
                query: core.query.clone(),
                version: 2,
                tags,
            },
        }),
        id,
        extras,
        notes,
    }
}

/// JSON text of a template: two-space indentation, a final newline.
pub fn to_json(template: &Template) -> String {
    let mut text = serde_json::to_string_pretty(template).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_every_character() {
        assert_eq!(clean_description("'Detects it.'\n"), "Detects it.");
        assert_eq!(clean_description("\"Quoted\""), "Quoted");
        assert_eq!(
            clean_description("'Starts quoted' but not only"),
            "'Starts quoted' but not only"
        );
        assert_eq!(
            clean_description("This hunting query looks for..."),
            "This hunting query looks for..."
        );
        assert_eq!(clean_description("'"), "'");
    }

    #[test]
    fn sub_techniques_split() {
        let t = |s: &str| Technique(s.to_owned());
        let (parents, subs) =
            split_techniques(&[t("T1078.003"), t("T1078.004"), t("T1078"), t("T1110")]);
        assert_eq!(parents, ["T1078", "T1110"]);
        assert_eq!(subs, ["T1078.003", "T1078.004"]);
    }
}
