//! Types shared by analytics rules and hunting queries.

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use super::limits::*;
use crate::reference::entities;

/// The fields analytics rules and hunting queries share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleCore {
    /// The GUID of the rule or query. It must never change: Sentinel updates by it.
    #[schemars(regex(pattern = GUID_PATTERN))]
    pub id: String,
    /// The display name.
    #[schemars(length(min = 1, max = NAME_MAX))]
    pub name: String,
    /// The query (KQL), 1 to 10,000 characters.
    #[schemars(length(min = 1, max = QUERY_MAX))]
    pub query: String,
    /// MITRE ATT&CK tactics, as a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Tactic>")]
    pub tactics: Option<Vec<Tactic>>,
    /// MITRE ATT&CK techniques and sub-techniques, as a list (`T1078`, `T1078.004`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Technique>")]
    pub relevant_techniques: Option<Vec<Technique>>,
    /// Up to 10 entities mapped from the query's result columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<EntityMapping>", length(min = 1, max = ENTITY_MAPPINGS_MAX))]
    pub entity_mappings: Option<Vec<EntityMapping>>,
    /// Up to 20 custom details: alert field -> result column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        with = "CustomDetails",
        extend(
            "maxProperties" = CUSTOM_DETAILS_MAX,
            "propertyNames" = { "pattern": CUSTOM_DETAIL_KEY_PATTERN, "maxLength": CUSTOM_DETAIL_KEY_MAX },
            "additionalProperties" = { "type": "string", "pattern": COLUMN_NAME_PATTERN, "maxLength": CUSTOM_DETAIL_VALUE_MAX }
        )
    )]
    pub custom_details: Option<CustomDetails>,
    /// Version `X.Y.Z`; raise it with every change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", regex(pattern = VERSION_PATTERN), length(max = VERSION_MAX))]
    pub version: Option<String>,
    /// Free-form tags; not deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Tag>")]
    pub tags: Option<Vec<Tag>>,
    /// Content-hub metadata; not deployed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Metadata")]
    pub metadata: Option<Metadata>,
}

/// A MITRE ATT&CK tactic, as the Azure-Sentinel validator accepts it (no spaces).
/// `PreAttack` is accepted by ARM but rejected by that validator, so it is not listed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Tactic {
    Reconnaissance,
    ResourceDevelopment,
    InitialAccess,
    Execution,
    Persistence,
    PrivilegeEscalation,
    DefenseEvasion,
    CredentialAccess,
    Discovery,
    LateralMovement,
    Collection,
    Exfiltration,
    CommandAndControl,
    Impact,
    ImpairProcessControl,
    InhibitResponseFunction,
}

impl Tactic {
    pub const ALL: [Tactic; 16] = [
        Tactic::Reconnaissance,
        Tactic::ResourceDevelopment,
        Tactic::InitialAccess,
        Tactic::Execution,
        Tactic::Persistence,
        Tactic::PrivilegeEscalation,
        Tactic::DefenseEvasion,
        Tactic::CredentialAccess,
        Tactic::Discovery,
        Tactic::LateralMovement,
        Tactic::Collection,
        Tactic::Exfiltration,
        Tactic::CommandAndControl,
        Tactic::Impact,
        Tactic::ImpairProcessControl,
        Tactic::InhibitResponseFunction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tactic::Reconnaissance => "Reconnaissance",
            Tactic::ResourceDevelopment => "ResourceDevelopment",
            Tactic::InitialAccess => "InitialAccess",
            Tactic::Execution => "Execution",
            Tactic::Persistence => "Persistence",
            Tactic::PrivilegeEscalation => "PrivilegeEscalation",
            Tactic::DefenseEvasion => "DefenseEvasion",
            Tactic::CredentialAccess => "CredentialAccess",
            Tactic::Discovery => "Discovery",
            Tactic::LateralMovement => "LateralMovement",
            Tactic::Collection => "Collection",
            Tactic::Exfiltration => "Exfiltration",
            Tactic::CommandAndControl => "CommandAndControl",
            Tactic::Impact => "Impact",
            Tactic::ImpairProcessControl => "ImpairProcessControl",
            Tactic::InhibitResponseFunction => "InhibitResponseFunction",
        }
    }

    pub fn parse(s: &str) -> Option<Tactic> {
        Tactic::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// How severe the alert of a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Informational,
        Severity::Low,
        Severity::Medium,
        Severity::High,
    ];

    /// The severity of the service's enum value (`Informational` = 0 ... `High` = 3).
    pub fn from_service_number(n: i64) -> Option<Severity> {
        usize::try_from(n)
            .ok()
            .and_then(|i| Severity::ALL.get(i))
            .copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
        }
    }
}

/// A data connector the rule needs, and the tables (data types) it reads from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct DataConnector {
    /// The connector id, from the list of valid connector ids of the Azure-Sentinel repository
    /// (`ValidConnectorIds.json`), e.g. `AzureActiveDirectory`, `MicrosoftThreatProtection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub connector_id: Option<String>,
    /// The tables the query reads from this connector, e.g. `SigninLogs`.
    pub data_types: Vec<String>,
}

/// A MITRE ATT&CK technique (`T1078`) or sub-technique (`T1078.004`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct Technique(#[schemars(regex(pattern = TECHNIQUE_PATTERN))] pub String);

/// An entity of the alert, built from columns of the query's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false), transform = entity_identifier_rules)]
pub struct EntityMapping {
    /// The entity type, e.g. `Account`, `Host`, `IP`.
    pub entity_type: EntityType,
    /// One to three identifiers of the entity, each taken from a result column.
    #[schemars(length(min = 1, max = FIELD_MAPPINGS_MAX))]
    pub field_mappings: Vec<FieldMapping>,
}

/// One identifier of an entity and the result column it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct FieldMapping {
    /// An identifier valid for the entity type, e.g. `FullName` for `Account`.
    pub identifier: String,
    /// A column of the query's results.
    #[schemars(regex(pattern = COLUMN_NAME_PATTERN), length(max = COLUMN_NAME_MAX))]
    pub column_name: String,
}

/// The entity types of the Azure-Sentinel validator (`IoTDevice` is not in the ARM enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum EntityType {
    Account,
    Host,
    IP,
    Malware,
    File,
    Process,
    CloudApplication,
    DNS,
    AzureResource,
    FileHash,
    RegistryKey,
    RegistryValue,
    SecurityGroup,
    URL,
    IoTDevice,
    Mailbox,
    MailCluster,
    MailMessage,
    SubmissionMail,
}

/// Add, for each entity type, the identifiers it allows, so that editors complete them.
fn entity_identifier_rules(schema: &mut Schema) {
    let rules: Vec<serde_json::Value> = entities::ENTITY_TYPES
        .iter()
        .map(|entity| {
            serde_json::json!({
                "if": {
                    "properties": { "entityType": { "const": entity.name } },
                    "required": ["entityType"]
                },
                "then": {
                    "properties": {
                        "fieldMappings": {
                            "items": {
                                "properties": { "identifier": { "enum": entity.identifiers } }
                            }
                        }
                    }
                }
            })
        })
        .collect();
    schema.insert("allOf".into(), rules.into());
}

/// Custom details: alert field name -> result column. Keys start with a letter, values
/// with a letter or underscore; both contain only letters, digits and underscores.
pub type CustomDetails = IndexMap<String, String>;

/// Override alert properties with values from the query's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct AlertDetailsOverride {
    /// Alert name, with at most 3 `{{Column}}` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1, max = ALERT_DISPLAY_NAME_MAX))]
    pub alert_display_name_format: Option<String>,
    /// Alert description, with at most 3 `{{Column}}` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String", length(min = 1, max = ALERT_DESCRIPTION_MAX))]
    pub alert_description_format: Option<String>,
    /// A result column holding the alert's tactics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub alert_tactics_column_name: Option<String>,
    /// A result column holding the alert's severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub alert_severity_column_name: Option<String>,
    /// Other alert properties taken from result columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<AlertDynamicProperty>")]
    pub alert_dynamic_properties: Option<Vec<AlertDynamicProperty>>,
}

/// One alert property and the result column it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct AlertDynamicProperty {
    pub alert_property: AlertProperty,
    /// A result column.
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum AlertProperty {
    AlertLink,
    ConfidenceLevel,
    ConfidenceScore,
    ExtendedLinks,
    ProductName,
    ProviderName,
    ProductComponentName,
    RemediationSteps,
    Techniques,
}

/// How events become alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct EventGroupingSettings {
    pub aggregation_kind: AggregationKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum AggregationKind {
    /// One alert for all results of a run.
    SingleAlert,
    /// One alert per result row.
    AlertPerResult,
}

/// Whether and how alerts of the rule create and group incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct IncidentConfiguration {
    pub create_incident: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "GroupingConfiguration")]
    pub grouping_configuration: Option<GroupingConfiguration>,
}

/// How alerts are grouped into incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct GroupingConfiguration {
    pub enabled: bool,
    pub reopen_closed_incident: bool,
    /// How far back alerts are grouped: 5 minutes to 7 days (`5h`, or ISO 8601 `PT5H`).
    #[schemars(regex(pattern = LOOKBACK_PATTERN))]
    pub lookback_duration: String,
    pub matching_method: MatchingMethod,
    /// Entity types (mapped by this rule) whose values must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<EntityType>")]
    pub group_by_entities: Option<Vec<EntityType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<AlertDetail>")]
    pub group_by_alert_details: Option<Vec<AlertDetail>>,
    /// Keys of this rule's `customDetails`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub group_by_custom_details: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum MatchingMethod {
    AllEntities,
    AnyAlert,
    Selected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum AlertDetail {
    DisplayName,
    Severity,
}

/// A column whose values are Sentinel entities (preview ARM api-versions only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("additionalProperties" = false))]
pub struct SentinelEntityMapping {
    pub column_name: String,
}

/// Status of a rule template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TemplateStatus {
    Available,
    Installed,
    NotAvailable,
}

/// A free-form tag: a word, or a mapping such as `{Schema: ASimDns, SchemaVersion: 0.1.1}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Tag {
    Word(String),
    Properties(IndexMap<String, serde_json::Value>),
}

/// Content-hub metadata (`source`, `author`, `support`, `categories`); not deployed.
pub type Metadata = serde_json::Map<String, serde_json::Value>;
