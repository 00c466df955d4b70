//! The rule model -> rule YAML, in the key order and style of the Azure-Sentinel repository:
//! `id, name, description, severity, status, requiredDataConnectors, queryFrequency, ...,
//! query, entityMappings, ..., version, kind`, lists indented under their key, the
//! description and the query as literal blocks.

use serde::Serialize;
use serde_saphyr::LitString;

use crate::model::{
    AlertDetailsOverride, AnalyticsCommon, CustomDetails, DataConnector, EntityMapping,
    EventGroupingSettings, IncidentConfiguration, Metadata, RuleCore, RuleFile,
    SentinelEntityMapping, Severity, Tactic, Tag, Technique, TemplateStatus, TriggerOperator,
};
use crate::text::LineIndex;
use crate::yaml::parse;

/// A rule file's keys in the order the Azure-Sentinel repository writes them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleYaml<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<Severity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TemplateStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_data_connectors: Option<&'a [DataConnector]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_frequency: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query_period: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_operator: Option<TriggerOperator>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_threshold: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression_duration: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tactics: Option<&'a [Tactic]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relevant_techniques: Option<&'a [Technique]>,
    query: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_mappings: Option<&'a [EntityMapping]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_details: Option<&'a CustomDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alert_details_override: Option<&'a AlertDetailsOverride>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_grouping_settings: Option<&'a EventGroupingSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incident_configuration: Option<&'a IncidentConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentinel_entities_mappings: Option<&'a [SentinelEntityMapping]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<&'a [Tag]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Metadata>,
}

/// A long text: a literal block (`|`) when it reads back exactly, else a quoted scalar.
#[derive(Serialize)]
#[serde(untagged)]
enum Text {
    Block(LitString),
    Scalar(String),
}

impl Text {
    fn new(text: &str, blocks: bool) -> Text {
        if blocks && text.contains('\n') {
            Text::Block(LitString(text.to_owned()))
        } else {
            Text::Scalar(text.to_owned())
        }
    }
}

/// The YAML text of a rule. The text is read back and compared with the rule; should a
/// literal block not give back the exact text (leading blank lines, control characters),
/// the texts are written as quoted scalars instead.
pub fn to_yaml(rule: &RuleFile) -> Result<String, String> {
    let block = render(rule, true)?;
    if reads_back(&block, rule) {
        return Ok(block);
    }
    let quoted = render(rule, false)?;
    if reads_back(&quoted, rule) {
        return Ok(quoted);
    }
    Err("the written YAML does not read back as the same rule".into())
}

fn reads_back(text: &str, rule: &RuleFile) -> bool {
    let parsed = parse(text, &LineIndex::new(text));
    let Some(root) = parsed.documents.first() else {
        return false;
    };
    match crate::model::read::read_rule(rule.rule_type(), root) {
        Ok(read) => read.rule == *rule,
        Err(_) => false,
    }
}

fn render(rule: &RuleFile, blocks: bool) -> Result<String, String> {
    let yaml = match rule {
        RuleFile::Scheduled(r) => {
            let mut y = analytics(&r.common, blocks);
            y.required_data_connectors = Some(&r.required_data_connectors);
            y.query_frequency = Some(&r.query_frequency);
            y.query_period = Some(&r.query_period);
            y.trigger_operator = Some(r.trigger_operator);
            y.trigger_threshold = Some(r.trigger_threshold);
            y.kind = Some("Scheduled");
            y
        }
        RuleFile::Nrt(r) => {
            let mut y = analytics(&r.common, blocks);
            y.required_data_connectors = r.required_data_connectors.as_deref();
            y.kind = Some("NRT");
            y
        }
        RuleFile::Hunting(h) => {
            let mut y = core(&h.core, blocks);
            y.description = h.description.as_deref().map(|d| Text::new(d, blocks));
            y.severity = h.severity;
            y.required_data_connectors = h.required_data_connectors.as_deref();
            y
        }
    };
    let options = serde_saphyr::ser_options! {
        // Lists indented under their key, as the Azure-Sentinel repository writes them.
        compact_list_indent: false,
        // Long single-line values stay on one line (folding would change nothing but look).
        prefer_block_scalars: false,
    };
    let mut text =
        serde_saphyr::to_string_with_options(&yaml, options).map_err(|e| e.to_string())?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn core(core: &RuleCore, blocks: bool) -> RuleYaml<'_> {
    RuleYaml {
        id: &core.id,
        name: &core.name,
        description: None,
        severity: None,
        status: None,
        required_data_connectors: None,
        query_frequency: None,
        query_period: None,
        trigger_operator: None,
        trigger_threshold: None,
        enabled: None,
        suppression_enabled: None,
        suppression_duration: None,
        tactics: core.tactics.as_deref(),
        relevant_techniques: core.relevant_techniques.as_deref(),
        query: Text::new(&core.query, blocks),
        entity_mappings: core.entity_mappings.as_deref(),
        custom_details: core.custom_details.as_ref(),
        alert_details_override: None,
        event_grouping_settings: None,
        incident_configuration: None,
        sentinel_entities_mappings: None,
        version: core.version.as_deref(),
        kind: None,
        tags: core.tags.as_deref(),
        metadata: core.metadata.as_ref(),
    }
}

fn analytics(common: &AnalyticsCommon, blocks: bool) -> RuleYaml<'_> {
    let mut y = core(&common.core, blocks);
    y.description =
        (!common.description.is_empty()).then(|| Text::new(&common.description, blocks));
    y.severity = Some(common.severity);
    y.status = common.status;
    y.enabled = common.enabled;
    y.suppression_enabled = common.suppression_enabled;
    y.suppression_duration = common.suppression_duration.as_deref();
    y.alert_details_override = common.alert_details_override.as_ref();
    y.event_grouping_settings = common.event_grouping_settings.as_ref();
    y.incident_configuration = common.incident_configuration.as_ref();
    y.sentinel_entities_mappings = common.sentinel_entities_mappings.as_deref();
    y
}
