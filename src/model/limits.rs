//! Limits of the rule format, shared by the generated schema and the lints.
//!
//! Source: the model classes of the Azure/Azure-Sentinel repository
//! (`.script/tests/detectionTemplateSchemaValidation/Models/`, MIT), which are copies of the
//! Sentinel service's own contracts, and the service limits page of the Microsoft Sentinel
//! documentation. See ../shared/docs/sentinel.md sections 1.3 to 1.6.

pub const NAME_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 5000;
/// The review guideline for hunting-query descriptions (not enforced by CI).
pub const HUNTING_DESCRIPTION_MAX: usize = 255;
pub const QUERY_MAX: usize = 10_000;
pub const VERSION_MAX: usize = 20;

pub const TRIGGER_THRESHOLD_MAX: u64 = 10_000;

pub const ENTITY_MAPPINGS_MAX: usize = 10;
pub const FIELD_MAPPINGS_MAX: usize = 3;
pub const COLUMN_NAME_MAX: usize = 500;

pub const CUSTOM_DETAILS_MAX: usize = 20;
pub const CUSTOM_DETAIL_KEY_MAX: usize = 20;
pub const CUSTOM_DETAIL_VALUE_MAX: usize = 500;

pub const ALERT_DISPLAY_NAME_MAX: usize = 256;
pub const ALERT_DESCRIPTION_MAX: usize = 5000;
pub const ALERT_FORMAT_PLACEHOLDERS_MAX: usize = 3;

/// `queryFrequency` and `queryPeriod`: 5 minutes to 14 days, in minutes.
pub const SCHEDULE_MIN_MINUTES: u64 = 5;
pub const SCHEDULE_MAX_MINUTES: u64 = 14 * 24 * 60;
/// A `queryPeriod` of 2 days or more needs a `queryFrequency` of at least 1 hour.
pub const LONG_PERIOD_MINUTES: u64 = 2 * 24 * 60;
pub const LONG_PERIOD_MIN_FREQUENCY_MINUTES: u64 = 60;
/// `suppressionDuration`: up to 24 hours (service documentation).
pub const SUPPRESSION_MAX_MINUTES: u64 = 24 * 60;
/// `incidentConfiguration.groupingConfiguration.lookbackDuration`: 5 minutes to 7 days.
pub const GROUPING_LOOKBACK_MIN_MINUTES: u64 = 5;
pub const GROUPING_LOOKBACK_MAX_MINUTES: u64 = 7 * 24 * 60;

/// The regular expressions of the schema.
pub const GUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
pub const VERSION_PATTERN: &str = r"^\d+\.\d+\.\d+$";
pub const DURATION_PATTERN: &str = "^[0-9]+[mhd]$";
/// `lookbackDuration` is copied verbatim into ARM by the Solutions packager, so the ISO form
/// is common there; both are accepted.
pub const LOOKBACK_PATTERN: &str = "^([0-9]+[mhd]|P(?:[0-9]+D)?(?:T(?:[0-9]+H)?(?:[0-9]+M)?)?)$";
pub const TECHNIQUE_PATTERN: &str = r"^T\d{4}(\.\d{3})?$";
pub const COLUMN_NAME_PATTERN: &str = r"^[a-zA-Z_]+\w*$";
pub const CUSTOM_DETAIL_KEY_PATTERN: &str = r"^[a-zA-Z]+\w*$";

/// Whether a name fits [`COLUMN_NAME_PATTERN`] (ASCII word characters).
pub fn is_column_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
