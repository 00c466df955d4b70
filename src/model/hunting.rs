//! Hunting queries: saved queries a person runs; no schedule, no kind.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::*;
use super::limits::*;

/// A hunting query (the files under `Hunting Queries/` of the Azure-Sentinel repository).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "Microsoft Sentinel hunting query", extend("additionalProperties" = false))]
pub struct HuntingQuery {
    /// The query's GUID.
    #[schemars(regex(pattern = GUID_PATTERN))]
    pub id: String,
    /// The query's display name.
    #[schemars(length(min = 1, max = NAME_MAX))]
    pub name: String,
    /// What the query looks for (reviewers ask for at most 255 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(max = DESCRIPTION_MAX))]
    pub description: Option<String>,
    /// The data connectors the query needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<DataConnector>")]
    pub required_data_connectors: Option<Vec<DataConnector>>,
    /// MITRE ATT&CK tactics, as a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Tactic>")]
    pub tactics: Option<Vec<Tactic>>,
    /// MITRE ATT&CK techniques and sub-techniques, as a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Technique>")]
    pub relevant_techniques: Option<Vec<Technique>>,
    /// The query (KQL).
    #[schemars(length(min = 1, max = QUERY_MAX))]
    pub query: String,
    /// Entities mapped from the query's result columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<EntityMapping>", length(min = 1, max = ENTITY_MAPPINGS_MAX))]
    pub entity_mappings: Option<Vec<EntityMapping>>,
    /// Custom details: field -> result column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "CustomDetails")]
    pub custom_details: Option<CustomDetails>,
    /// Ignored by Sentinel for hunting queries, but found in real files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Severity")]
    pub severity: Option<Severity>,
    /// Version `X.Y.Z`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", regex(pattern = VERSION_PATTERN), length(max = VERSION_MAX))]
    pub version: Option<String>,
    /// Free-form tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Tag>")]
    pub tags: Option<Vec<Tag>>,
    /// Content-hub metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Metadata")]
    pub metadata: Option<Metadata>,
}
