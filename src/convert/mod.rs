//! Conversions. Each converter is a pure function over the typed rule model (and the KQL
//! tree); reading files, writing files and reporting are the CLI's business.
//!
//! The rule file's tree is read into the model by [`crate::model::read`], which also makes
//! the notes on what was normalized or left out.
//! - [`arm`]: the typed model -> ARM template resources;
//! - [`from_arm`]: ARM templates and exports -> the typed model (with [`arm_expr`] for the
//!   expressions that name things);
//! - [`yaml`]: the typed model -> rule YAML.

pub mod arm;
pub mod arm_expr;
pub mod batch;
pub mod from_arm;
pub mod sigma;
pub mod yaml;

use serde::Serialize;

use crate::model::duration;
pub use crate::model::read::Note;
use crate::model::{AnalyticsCommon, RuleFile, Technique};

/// How completely a rule was converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Everything was converted with the same meaning.
    Converted,
    /// Converted, but something was left out or changed in meaning (see the notes).
    Approximate,
    /// Not converted (see the notes).
    Unsupported,
    /// Converted because `--force` asked, although `check` finds errors in the rule (the
    /// notes): Sentinel or its CI may refuse what was written.
    Forced,
}

/// The status a list of notes amounts to, for a rule that was converted.
pub fn status_of(notes: &[Note]) -> Status {
    if notes.iter().any(|n| n.approximate) {
        Status::Approximate
    } else {
        Status::Converted
    }
}

/// The rule with everything that does not change its meaning written one way, so that two
/// rules mean the same exactly when their canonical forms are equal: descriptions as the
/// packagers deploy them, durations in their shortest form, `eq` for `Equal`, defaults
/// (`enabled: true`, no suppression for `1h`) left out, sub-techniques in place of their
/// technique, `\r\n` as `\n`.
pub fn canonical(rule: &RuleFile) -> RuleFile {
    let mut rule = rule.clone();
    let core = match &mut rule {
        RuleFile::Scheduled(r) => {
            r.query_frequency = short(&r.query_frequency);
            r.query_period = short(&r.query_period);
            r.trigger_operator = r.trigger_operator.to_short();
            canonical_analytics(&mut r.common);
            &mut r.common.core
        }
        RuleFile::Nrt(r) => {
            if r.required_data_connectors
                .as_ref()
                .is_some_and(Vec::is_empty)
            {
                r.required_data_connectors = None;
            }
            canonical_analytics(&mut r.common);
            &mut r.common.core
        }
        RuleFile::Hunting(h) => {
            h.description = h
                .description
                .as_deref()
                .map(canonical_description)
                .filter(|d| !d.is_empty());
            if h.required_data_connectors
                .as_ref()
                .is_some_and(Vec::is_empty)
            {
                h.required_data_connectors = None;
            }
            &mut h.core
        }
    };
    core.id = core.id.to_ascii_lowercase();
    // An empty list says nothing.
    core.tactics = core.tactics.take().filter(|t| !t.is_empty());
    core.entity_mappings = core.entity_mappings.take().filter(|t| !t.is_empty());
    core.tags = core.tags.take().filter(|t| !t.is_empty());
    core.custom_details = core.custom_details.take().filter(|t| !t.is_empty());
    core.query = core.query.replace("\r\n", "\n");
    if let Some(techniques) = core.relevant_techniques.take() {
        let (parents, subs) = arm::split_techniques(&techniques);
        let mut merged = from_arm::relevant_techniques(&parents, &subs);
        merged.sort();
        core.relevant_techniques =
            Some(merged.into_iter().map(Technique).collect()).filter(|t: &Vec<_>| !t.is_empty());
    }
    rule
}

fn canonical_analytics(common: &mut AnalyticsCommon) {
    common.description = canonical_description(&common.description);
    if common.enabled == Some(true) {
        common.enabled = None;
    }
    if common.suppression_enabled == Some(false) {
        common.suppression_enabled = None;
    }
    common.suppression_duration = common
        .suppression_duration
        .as_deref()
        .map(short)
        .filter(|d| d != "1h");
    if let Some(o) = common.alert_details_override.as_mut() {
        o.alert_dynamic_properties = o.alert_dynamic_properties.take().filter(|p| !p.is_empty());
    }
    if let Some(g) = common
        .incident_configuration
        .as_mut()
        .and_then(|i| i.grouping_configuration.as_mut())
    {
        g.lookback_duration = short(&g.lookback_duration);
    }
}

/// As deployed, and without white space at the end (which a deployment may or may not keep).
fn canonical_description(text: &str) -> String {
    arm::clean_description(&text.replace("\r\n", "\n"))
        .trim_end()
        .to_owned()
}

fn short(text: &str) -> String {
    duration::parse(text.trim())
        .and_then(|d| duration::to_short(d.seconds))
        .unwrap_or_else(|| text.to_owned())
}
