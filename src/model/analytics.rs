//! Analytics rules: kind `Scheduled` and kind `NRT` (near real time).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::*;
use super::limits::*;

/// The fields every analytics rule has, whatever its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsCommon {
    #[serde(flatten)]
    pub core: RuleCore,
    /// What the rule detects and why it matters.
    #[schemars(length(max = DESCRIPTION_MAX))]
    pub description: String,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "AlertDetailsOverride")]
    pub alert_details_override: Option<AlertDetailsOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "EventGroupingSettings")]
    pub event_grouping_settings: Option<EventGroupingSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "IncidentConfiguration")]
    pub incident_configuration: Option<IncidentConfiguration>,
    /// Columns holding Sentinel entities (preview ARM api-versions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<SentinelEntityMapping>")]
    pub sentinel_entities_mappings: Option<Vec<SentinelEntityMapping>>,
    /// Whether the deployed rule is enabled (ARM `enabled`; default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub enabled: Option<bool>,
    /// Stop running the query for `suppressionDuration` after an alert (ARM; default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub suppression_enabled: Option<bool>,
    /// Up to 24 hours, `Nm`/`Nh`/`Nd` (ARM; default 1h).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", regex(pattern = DURATION_PATTERN))]
    pub suppression_duration: Option<String>,
    /// Template status; not deployed with a rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "TemplateStatus")]
    pub status: Option<TemplateStatus>,
}

/// Only `Scheduled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ScheduledKind {
    Scheduled,
}

/// Only `NRT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum NrtKind {
    NRT,
}

/// The trigger comparison: the YAML short forms, or the ARM names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TriggerOperator {
    #[serde(rename = "gt")]
    Gt,
    #[serde(rename = "lt")]
    Lt,
    #[serde(rename = "eq")]
    Eq,
    #[serde(rename = "ne")]
    Ne,
    GreaterThan,
    LessThan,
    Equal,
    NotEqual,
}

impl TriggerOperator {
    pub const ALL: [TriggerOperator; 8] = [
        TriggerOperator::Gt,
        TriggerOperator::Lt,
        TriggerOperator::Eq,
        TriggerOperator::Ne,
        TriggerOperator::GreaterThan,
        TriggerOperator::LessThan,
        TriggerOperator::Equal,
        TriggerOperator::NotEqual,
    ];

    /// The name as written in rule files (serde's).
    pub fn name(self) -> &'static str {
        match self {
            TriggerOperator::Gt
            | TriggerOperator::Lt
            | TriggerOperator::Eq
            | TriggerOperator::Ne => self.short_name(),
            _ => self.arm_name(),
        }
    }

    /// The value written `text`, compared ignoring case (`GREATERTHAN`, `Gt`).
    pub fn parse_ignoring_case(text: &str) -> Option<TriggerOperator> {
        Self::ALL
            .into_iter()
            .find(|op| op.name().eq_ignore_ascii_case(text))
    }

    /// The same comparison in the YAML short form.
    pub fn to_short(self) -> TriggerOperator {
        match self {
            TriggerOperator::Gt | TriggerOperator::GreaterThan => TriggerOperator::Gt,
            TriggerOperator::Lt | TriggerOperator::LessThan => TriggerOperator::Lt,
            TriggerOperator::Eq | TriggerOperator::Equal => TriggerOperator::Eq,
            TriggerOperator::Ne | TriggerOperator::NotEqual => TriggerOperator::Ne,
        }
    }

    /// The ARM enum value.
    pub fn arm_name(self) -> &'static str {
        match self {
            TriggerOperator::Gt | TriggerOperator::GreaterThan => "GreaterThan",
            TriggerOperator::Lt | TriggerOperator::LessThan => "LessThan",
            TriggerOperator::Eq | TriggerOperator::Equal => "Equal",
            TriggerOperator::Ne | TriggerOperator::NotEqual => "NotEqual",
        }
    }

    /// The YAML short form.
    pub fn short_name(self) -> &'static str {
        match self.to_short() {
            TriggerOperator::Gt => "gt",
            TriggerOperator::Lt => "lt",
            TriggerOperator::Eq => "eq",
            _ => "ne",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TriggerOperator;

    #[test]
    fn trigger_operator_names_are_serdes() {
        for op in TriggerOperator::ALL {
            assert_eq!(serde_json::to_value(op).unwrap(), op.name(), "{op:?}");
            assert_eq!(
                TriggerOperator::parse_ignoring_case(&op.name().to_uppercase()),
                Some(op)
            );
            assert_eq!(op.to_short().arm_name(), op.arm_name());
        }
    }
}

/// A scheduled analytics rule: runs `query` every `queryFrequency` over the last
/// `queryPeriod` and alerts when the result count passes the trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "Microsoft Sentinel scheduled analytics rule", extend("additionalProperties" = false))]
pub struct ScheduledRule {
    pub kind: ScheduledKind,
    #[serde(flatten)]
    pub common: AnalyticsCommon,
    /// The data connectors the rule needs (may be an empty list).
    pub required_data_connectors: Vec<DataConnector>,
    /// How often the query runs: `Nm`, `Nh` or `Nd`, 5 minutes to 14 days.
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub query_frequency: String,
    /// How far back the query looks: `Nm`, `Nh` or `Nd`, 5 minutes to 14 days.
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub query_period: String,
    pub trigger_operator: TriggerOperator,
    /// 0 to 10,000.
    #[schemars(range(max = TRIGGER_THRESHOLD_MAX))]
    pub trigger_threshold: u32,
}

/// A near-real-time analytics rule: runs about every minute over new events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "Microsoft Sentinel NRT analytics rule", extend("additionalProperties" = false))]
pub struct NrtRule {
    pub kind: NrtKind,
    #[serde(flatten)]
    pub common: AnalyticsCommon,
    /// The data connectors the rule needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<DataConnector>")]
    pub required_data_connectors: Option<Vec<DataConnector>>,
}
