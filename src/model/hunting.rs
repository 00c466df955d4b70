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
    #[serde(flatten)]
    pub core: RuleCore,
    /// What the query looks for (reviewers ask for at most 255 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(max = DESCRIPTION_MAX))]
    pub description: Option<String>,
    /// The data connectors the query needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<DataConnector>")]
    pub required_data_connectors: Option<Vec<DataConnector>>,
    /// Ignored by Sentinel for hunting queries, but found in real files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Severity")]
    pub severity: Option<Severity>,
}
