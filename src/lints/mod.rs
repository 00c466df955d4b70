//! The lints: one file each, declared once in the registry at the bottom of this file.
//!
//! A lint is a [`Lint`] value: its code (`SL` + 3 digits), kebab-case name, default
//! severity, one-line summary, documentation (shown by `sentinel-lint explain`), whether
//! it can fix what it finds, and the function that finds it. Codes are grouped:
//! SL1xx file and YAML syntax, SL2xx schema and field values, SL3xx MITRE ATT&CK,
//! SL4xx scheduling, SL5xx entities, custom and alert details, SL6xx KQL, SL7xx pack level.

mod context;
mod edits;
mod pack;
mod values;

pub use crate::model::fields::allowed;
pub use crate::text::describe_char;
pub use crate::text::suggest::{case_insensitive_match, did_you_mean, meant_name, normalize};
pub use crate::yaml::describe_pointer;
pub use context::{
    FileContext, MAX_FINDINGS_PER_FILE, PackContext, PackEntry, RevisionContext, RuleContext,
    RuleQuery, Sink,
};
pub use edits::*;
pub use pack::*;
pub use values::*;

use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::model::schema::{SchemaError, SchemaErrorKind};

use crate::text::Span;

/// The declaration of a lint.
#[derive(Debug)]
pub struct Lint {
    /// `SL` + 3 digits.
    pub code: &'static str,
    /// kebab-case; accepted wherever a code is.
    pub name: &'static str,
    /// The severity of its findings unless configured otherwise.
    pub severity: Severity,
    /// Its severity on hunting queries, when that is another: lints of the structure the
    /// Azure-Sentinel CI checks only for analytics rules report hunting queries one level
    /// lower, as advice.
    pub hunting_severity: Option<Severity>,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Markdown: what it does, why, an example, how to fix.
    pub docs: &'static str,
    pub fix: FixAvailability,
    pub check: Check,
}

/// Whether a lint's findings come with a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Always(Applicability),
    Sometimes(Applicability),
}

impl FixAvailability {
    pub fn describe(self) -> &'static str {
        match self {
            FixAvailability::None => "no automatic fix",
            FixAvailability::Always(Applicability::Safe) => "safe fix",
            FixAvailability::Always(Applicability::Unsafe) => "unsafe fix (needs review)",
            FixAvailability::Sometimes(Applicability::Safe) => "safe fix for some findings",
            FixAvailability::Sometimes(Applicability::Unsafe) => {
                "unsafe fix for some findings (needs review)"
            }
        }
    }
}

/// Where in the pipeline a lint looks.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// At the file: its bytes, its YAML, its shape.
    File(fn(&FileContext<'_>, &mut Sink)),
    /// At one rule (Scheduled, NRT or hunting query).
    Rule(fn(&RuleContext<'_>, &mut Sink)),
    /// Across all files of a run.
    Pack(fn(&PackContext<'_>, &mut Vec<(usize, Diagnostic)>)),
    /// At one rule and its previous version (`--changed-since`), when both are rules.
    Revision(fn(&RevisionContext<'_>, &mut Sink)),
    /// Explains errors of validation against the generated JSON Schema: those of the kinds
    /// it takes (the first lint in the registry that takes a kind explains it).
    Schema {
        explains: fn(&SchemaErrorKind) -> bool,
        report: fn(&RuleContext<'_>, &SchemaError, &mut Sink) -> Option<Diagnostic>,
    },
    /// Reported while suppression comments are applied (by the pipeline).
    Suppression,
    /// Reported by the pipeline when a file's bytes cannot be read as text.
    Input,
}

impl Lint {
    /// A finding of this lint at its default severity.
    pub fn diagnostic(&'static self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
            pointer: None,
        }
    }

    /// Whether a selector (`SL102`, `misindented-key`, a code prefix such as `SL1`, or
    /// `ALL`) designates this lint.
    pub fn matches(&self, selector: &str) -> bool {
        let selector = selector.trim();
        selector.eq_ignore_ascii_case("ALL")
            || selector.eq_ignore_ascii_case(self.name)
            || (selector.len() >= 2
                && self.code.len() >= selector.len()
                && self.code[..selector.len()].eq_ignore_ascii_case(selector))
    }
}

/// Whether a selector designates at least one lint.
pub fn is_known_selector(selector: &str) -> bool {
    ALL.iter().any(|l| l.matches(selector))
}

/// The lint of this code or name.
/// The web page of a lint's documentation (generated under `docs/lints/`), at the tag of
/// this version in the package's repository.
pub fn docs_url(lint: &Lint) -> String {
    format!(
        "{}/blob/v{}/docs/lints/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION"),
        lint.code
    )
}

pub fn find(code_or_name: &str) -> Option<&'static Lint> {
    // The registry is in code order: a code as the lints write it is found at once (this is
    // called for every finding of a run); names and other spellings by a scan.
    if let Ok(i) = ALL.binary_search_by(|l| l.code.cmp(code_or_name)) {
        return Some(ALL[i]);
    }
    ALL.iter()
        .copied()
        .find(|l| l.code.eq_ignore_ascii_case(code_or_name) || l.name == code_or_name)
}

// The lint modules, one file each (declared outside the registry so that rustfmt reaches
// them; `every_lint_file_is_registered` checks the two lists agree).
pub mod sl101_yaml_syntax;
pub mod sl102_misindented_key;
pub mod sl103_tab_indentation;
pub mod sl104_duplicate_key;
pub mod sl105_invalid_utf8;
pub mod sl106_byte_order_mark;
pub mod sl107_line_endings;
pub mod sl108_non_ascii;
pub mod sl109_not_a_mapping;
pub mod sl110_multiple_documents;
pub mod sl111_not_a_rule;
pub mod sl112_block_scalar_indentation;
pub mod sl113_empty_file;
pub mod sl114_unreadable_file;
pub mod sl115_moved_rule_stub;
pub mod sl200_schema;
pub mod sl201_foreign_format;
pub mod sl202_unsupported_kind;
pub mod sl203_invalid_kind;
pub mod sl204_missing_field;
pub mod sl205_enum_case;
pub mod sl206_invalid_id;
pub mod sl207_field_length;
pub mod sl208_invalid_version;
pub mod sl209_invalid_severity;
pub mod sl210_unknown_key;
pub mod sl211_unknown_connector;
pub mod sl212_hunting_description_length;
pub mod sl213_invalid_status;
pub mod sl214_empty_value;
pub mod sl215_markdown_fence;
pub mod sl216_kind_in_hunting_query;
pub mod sl301_scalar_list;
pub mod sl302_invalid_tactic;
pub mod sl303_invalid_technique;
pub mod sl304_technique_without_tactic;
pub mod sl305_duplicate_mitre;
pub mod sl306_missing_tactics;
pub mod sl401_invalid_duration;
pub mod sl402_duration_format;
pub mod sl403_duration_range;
pub mod sl404_period_shorter_than_frequency;
pub mod sl405_long_period_frequency;
pub mod sl406_invalid_trigger_operator;
pub mod sl407_arm_trigger_operator;
pub mod sl408_trigger_threshold;
pub mod sl409_nrt_schedule_fields;
pub mod sl410_incident_configuration;
pub mod sl501_entity_mappings_count;
pub mod sl502_field_mappings_count;
pub mod sl503_invalid_entity_type;
pub mod sl504_invalid_entity_identifier;
pub mod sl505_duplicate_entity_identifier;
pub mod sl506_missing_required_identifier;
pub mod sl507_invalid_column_name;
pub mod sl508_legacy_custom_entity;
pub mod sl509_custom_details;
pub mod sl510_alert_details_override;
pub mod sl511_event_grouping;
pub mod sl512_column_not_in_output;
pub mod sl601_kql_syntax;
pub mod sl602_unknown_table;
pub mod sl603_unknown_column;
pub mod sl604_unknown_function;
pub mod sl605_table_not_in_data_types;
pub mod sl606_data_type_not_read;
pub mod sl607_time_filter_beyond_period;
pub mod sl608_search_all_tables;
pub mod sl609_hunting_without_time_filter;
pub mod sl610_contains_instead_of_has;
pub mod sl611_unbounded_mv_expand;
pub mod sl701_duplicate_id;
pub mod sl702_yml_extension;
pub mod sl703_duplicate_file_name;
pub mod sl711_id_changed;
pub mod sl712_version_not_bumped;
pub mod sl713_version_decreased;
pub mod sl801_invalid_suppression;
pub mod sl802_unused_suppression;

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        /// Every lint, in code order.
        pub static ALL: &[&Lint] = &[$(&$module::LINT),*];
    };
}

registry! {
    sl101_yaml_syntax,
    sl102_misindented_key,
    sl103_tab_indentation,
    sl104_duplicate_key,
    sl105_invalid_utf8,
    sl106_byte_order_mark,
    sl107_line_endings,
    sl108_non_ascii,
    sl109_not_a_mapping,
    sl110_multiple_documents,
    sl111_not_a_rule,
    sl112_block_scalar_indentation,
    sl113_empty_file,
    sl114_unreadable_file,
    sl115_moved_rule_stub,
    sl200_schema,
    sl201_foreign_format,
    sl202_unsupported_kind,
    sl203_invalid_kind,
    sl204_missing_field,
    sl205_enum_case,
    sl206_invalid_id,
    sl207_field_length,
    sl208_invalid_version,
    sl209_invalid_severity,
    sl210_unknown_key,
    sl211_unknown_connector,
    sl212_hunting_description_length,
    sl213_invalid_status,
    sl214_empty_value,
    sl215_markdown_fence,
    sl216_kind_in_hunting_query,
    sl301_scalar_list,
    sl302_invalid_tactic,
    sl303_invalid_technique,
    sl304_technique_without_tactic,
    sl305_duplicate_mitre,
    sl306_missing_tactics,
    sl401_invalid_duration,
    sl402_duration_format,
    sl403_duration_range,
    sl404_period_shorter_than_frequency,
    sl405_long_period_frequency,
    sl406_invalid_trigger_operator,
    sl407_arm_trigger_operator,
    sl408_trigger_threshold,
    sl409_nrt_schedule_fields,
    sl410_incident_configuration,
    sl501_entity_mappings_count,
    sl502_field_mappings_count,
    sl503_invalid_entity_type,
    sl504_invalid_entity_identifier,
    sl505_duplicate_entity_identifier,
    sl506_missing_required_identifier,
    sl507_invalid_column_name,
    sl508_legacy_custom_entity,
    sl509_custom_details,
    sl510_alert_details_override,
    sl511_event_grouping,
    sl512_column_not_in_output,
    sl601_kql_syntax,
    sl602_unknown_table,
    sl603_unknown_column,
    sl604_unknown_function,
    sl605_table_not_in_data_types,
    sl606_data_type_not_read,
    sl607_time_filter_beyond_period,
    sl608_search_all_tables,
    sl609_hunting_without_time_filter,
    sl610_contains_instead_of_has,
    sl611_unbounded_mv_expand,
    sl701_duplicate_id,
    sl702_yml_extension,
    sl703_duplicate_file_name,
    sl711_id_changed,
    sl712_version_not_bumped,
    sl713_version_decreased,
    sl801_invalid_suppression,
    sl802_unused_suppression,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for lint in ALL {
            assert!(codes.insert(lint.code), "duplicate code {}", lint.code);
            assert!(names.insert(lint.name), "duplicate name {}", lint.name);
            assert!(
                lint.code.len() == 5
                    && lint.code.starts_with("SL")
                    && lint.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "bad code {}",
                lint.code
            );
            assert!(
                lint.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "bad name {}",
                lint.name
            );
            assert!(lint.docs.contains("## What it does"), "{} docs", lint.code);
            assert!(!lint.summary.ends_with('.'), "{} summary", lint.code);
        }
        let mut sorted: Vec<_> = ALL.iter().map(|l| l.code).collect();
        sorted.sort();
        assert_eq!(sorted, ALL.iter().map(|l| l.code).collect::<Vec<_>>());
    }

    #[test]
    fn every_lint_file_is_registered() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lints");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().ok())
            .filter(|name| name.starts_with("sl") && name.ends_with(".rs"))
            .collect();
        files.sort();
        assert_eq!(files.len(), ALL.len(), "{files:?}");
        for (file, lint) in files.iter().zip(ALL) {
            assert!(
                file.starts_with(&lint.code.to_ascii_lowercase()),
                "{file} is not registered in order (found {})",
                lint.code
            );
        }
    }

    #[test]
    fn selectors() {
        let lint = find("SL102").unwrap();
        assert!(lint.matches("SL102"));
        assert!(lint.matches("sl1"));
        assert!(lint.matches("misindented-key"));
        assert!(lint.matches("ALL"));
        assert!(!lint.matches("SL2"));
        assert!(!lint.matches("S"));
        assert!(is_known_selector("SL4"));
        assert!(!is_known_selector("SL9"));
    }
}
