//! The typed model of a rule file: the single source of truth for the JSON Schema, and what
//! the converters read. Lints read the spanned YAML tree instead (so that they still work on
//! files that do not fit the model), and point at it.

pub mod analytics;
pub mod attack;
pub mod common;
pub mod declared;
pub mod duration;
pub mod fields;
pub mod hunting;
pub mod ids;
pub mod limits;
pub mod read;
pub mod schema;
pub mod shape;
pub mod tables;

pub use analytics::{AnalyticsCommon, NrtRule, ScheduledRule, TriggerOperator};
pub use common::*;
pub use hunting::HuntingQuery;

/// The three kinds of file sentinel-lint checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleType {
    Scheduled,
    Nrt,
    Hunting,
}

impl RuleType {
    /// The values of `kind` of analytics rules.
    pub const KINDS: [&'static str; 2] = ["Scheduled", "NRT"];

    pub fn is_analytics(self) -> bool {
        matches!(self, RuleType::Scheduled | RuleType::Nrt)
    }

    /// How the type is called in messages.
    pub fn describe(self) -> &'static str {
        match self {
            RuleType::Scheduled => "Scheduled rules",
            RuleType::Nrt => "NRT rules",
            RuleType::Hunting => "hunting queries",
        }
    }
}

/// A whole rule file, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleFile {
    Scheduled(ScheduledRule),
    Nrt(NrtRule),
    Hunting(HuntingQuery),
}

impl RuleFile {
    /// What every rule has: id, name, query, MITRE, entities, ...
    pub fn core(&self) -> &RuleCore {
        match self {
            RuleFile::Scheduled(r) => &r.common.core,
            RuleFile::Nrt(r) => &r.common.core,
            RuleFile::Hunting(h) => &h.core,
        }
    }

    /// The data connectors the rule names (none when it names none).
    pub fn data_connectors(&self) -> &[DataConnector] {
        match self {
            RuleFile::Scheduled(r) => &r.required_data_connectors,
            RuleFile::Nrt(r) => r.required_data_connectors.as_deref().unwrap_or_default(),
            RuleFile::Hunting(h) => h.required_data_connectors.as_deref().unwrap_or_default(),
        }
    }

    pub fn rule_type(&self) -> RuleType {
        match self {
            RuleFile::Scheduled(_) => RuleType::Scheduled,
            RuleFile::Nrt(_) => RuleType::Nrt,
            RuleFile::Hunting(_) => RuleType::Hunting,
        }
    }

    /// Read a rule of a known type from its JSON form.
    pub fn from_json(rule_type: RuleType, value: serde_json::Value) -> serde_json::Result<Self> {
        Ok(match rule_type {
            RuleType::Scheduled => RuleFile::Scheduled(serde_json::from_value(value)?),
            RuleType::Nrt => RuleFile::Nrt(serde_json::from_value(value)?),
            RuleType::Hunting => RuleFile::Hunting(serde_json::from_value(value)?),
        })
    }
}
