//! Where each kind of value sits in a rule file, and how a value written in a wrong but
//! readable form is repaired.
//!
//! The table and the repairs are defined here once. `check` renders a repair as an edit of
//! the file's text (the fix of the lint named in [`Problem::lint`]); the lenient reader
//! ([`super::read`]) applies the same repair to the value it reads, so that `check --fix`
//! and `convert` always agree on what a value means.

use super::attack::{
    is_newer_defense_evasion, is_technique, leading_technique_id, padded_ics_technique,
    tactic_for_id, tactic_for_spelling, technique_ids_in,
};
use super::duration::{self, Duration, DurationForm};
use super::limits::TRIGGER_THRESHOLD_MAX;
use super::{RuleType, Severity, Tactic, TriggerOperator, ids, schema};
use crate::text::suggest::did_you_mean;

/// What a field holds, and so which repairs apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A list; a single string is read as a comma-separated list.
    List,
    /// The rule's kind (`Scheduled`, `NRT`).
    Kind,
    /// A value of the model enum of this definition name, in any case.
    Enum(&'static str),
    /// A tactic name; also written with spaces, or as its ATT&CK id.
    Tactic,
    /// A technique id; also followed by the technique's name.
    Technique,
    /// The rule's GUID.
    Id,
    /// `X.Y.Z`; also written as a YAML number.
    Version,
    /// The severity; also written as the service's number.
    Severity,
    /// `gt`, `lt`, `eq`, `ne`; also the ARM names, or a symbol.
    TriggerOperator,
    /// A whole number; also written as a string.
    Threshold,
    /// A duration in the short form (`5m`, `1h`, `1d`); also ISO 8601 or a .NET TimeSpan.
    Duration {
        /// ISO 8601 is as good as the short form here.
        iso_ok: bool,
        /// The Azure-Sentinel CI parses it (so its rules apply exactly).
        checked_by_ci: bool,
    },
}

/// Which rule types have a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Types {
    All,
    Analytics,
    Scheduled,
}

impl Types {
    pub fn contains(self, rule_type: RuleType) -> bool {
        match self {
            Types::All => true,
            Types::Analytics => rule_type.is_analytics(),
            Types::Scheduled => rule_type == RuleType::Scheduled,
        }
    }
}

/// A field: a JSON pointer pattern in which `*` is every item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub pattern: &'static str,
    pub kind: FieldKind,
    pub types: Types,
}

const fn field(pattern: &'static str, kind: FieldKind, types: Types) -> Field {
    Field {
        pattern,
        kind,
        types,
    }
}

const SHORT_DURATION: FieldKind = FieldKind::Duration {
    iso_ok: false,
    checked_by_ci: true,
};

/// Every field whose values can be repaired, lists before their items (a list written as
/// one string is split before its items are repaired).
pub static FIELDS: &[Field] = &[
    field("/id", FieldKind::Id, Types::All),
    field("/kind", FieldKind::Kind, Types::Analytics),
    field("/severity", FieldKind::Severity, Types::All),
    field("/version", FieldKind::Version, Types::All),
    field("/status", FieldKind::Enum("TemplateStatus"), Types::All),
    field("/tactics", FieldKind::List, Types::All),
    field("/tactics/*", FieldKind::Tactic, Types::All),
    field("/relevantTechniques", FieldKind::List, Types::All),
    field("/relevantTechniques/*", FieldKind::Technique, Types::All),
    field(
        "/requiredDataConnectors/*/dataTypes",
        FieldKind::List,
        Types::All,
    ),
    field(
        "/entityMappings/*/entityType",
        FieldKind::Enum("EntityType"),
        Types::All,
    ),
    field("/queryFrequency", SHORT_DURATION, Types::Scheduled),
    field("/queryPeriod", SHORT_DURATION, Types::Scheduled),
    field(
        "/triggerOperator",
        FieldKind::TriggerOperator,
        Types::Scheduled,
    ),
    field("/triggerThreshold", FieldKind::Threshold, Types::Scheduled),
    field(
        "/suppressionDuration",
        FieldKind::Duration {
            iso_ok: false,
            checked_by_ci: false,
        },
        Types::Analytics,
    ),
    field(
        "/eventGroupingSettings/aggregationKind",
        FieldKind::Enum("AggregationKind"),
        Types::Analytics,
    ),
    field(
        "/incidentConfiguration/groupingConfiguration/lookbackDuration",
        FieldKind::Duration {
            iso_ok: true,
            checked_by_ci: false,
        },
        Types::Analytics,
    ),
    field(
        "/incidentConfiguration/groupingConfiguration/matchingMethod",
        FieldKind::Enum("MatchingMethod"),
        Types::Analytics,
    ),
    field(
        "/incidentConfiguration/groupingConfiguration/groupByEntities/*",
        FieldKind::Enum("EntityType"),
        Types::Analytics,
    ),
    field(
        "/incidentConfiguration/groupingConfiguration/groupByAlertDetails/*",
        FieldKind::Enum("AlertDetail"),
        Types::Analytics,
    ),
    field(
        "/alertDetailsOverride/alertDynamicProperties/*/alertProperty",
        FieldKind::Enum("AlertProperty"),
        Types::Analytics,
    ),
];

/// Every field of a rule type, in the order repairs apply.
pub fn fields(rule_type: RuleType) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| f.types.contains(rule_type))
}

/// The field of a kind at a pointer (`/queryPeriod`), for a rule type.
pub fn field_at(rule_type: RuleType, pointer: &str) -> Option<&'static Field> {
    fields(rule_type).find(|f| pattern_matches(f.pattern, pointer))
}

/// Whether a pointer is one of those a pattern names.
pub fn pattern_matches(pattern: &str, pointer: &str) -> bool {
    let mut pattern = pattern.split('/');
    let mut pointer = pointer.split('/');
    loop {
        match (pattern.next(), pointer.next()) {
            (None, None) => return true,
            (Some("*"), Some(token)) => {
                if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
            }
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// A value as written in the file: what the repairs look at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Written<'a> {
    Text(&'a str),
    /// A YAML integer, with its text as written.
    Int(i64, &'a str),
    /// A YAML float, as written (`1.10` keeps its zero).
    Float(&'a str),
    /// Anything else (a list, a mapping, a boolean, nothing): no repair applies.
    Other,
}

/// The repaired value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repaired {
    Text(String),
    Int(i64),
    List(Vec<String>),
}

/// What was wrong with the value, which says which lint reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A single value where a list belongs.
    ScalarList,
    /// A value of a fixed set in the wrong case.
    Case,
    /// A tactic with spaces or punctuation, or given by its ATT&CK id.
    TacticSpelling,
    /// A tactic name Sentinel does not know, or a misspelling of one: a guess.
    TacticGuess,
    /// A technique id with more text after it, or in lower case, or several ids in one item.
    TechniqueText,
    /// A 3-digit ICS technique id: a guess.
    TechniqueGuess,
    /// A GUID not in the 8-4-4-4-12 form.
    IdForm,
    /// Not a GUID at all: a new one replaces it.
    IdReplaced,
    /// A version written as a number.
    VersionNumber,
    /// A severity written as the service's number.
    SeverityNumber,
    /// A misspelt severity.
    SeverityGuess,
    /// A trigger operator written as a symbol or word.
    OperatorSpelling,
    /// A trigger operator written with its ARM name (`GreaterThan`).
    ArmOperator,
    /// A number written as a string.
    NumberAsText,
    /// A duration in another form than the short one.
    DurationForm,
}

impl Problem {
    /// The code of the lint that reports it (and whose fix writes the repair).
    pub fn lint(self) -> &'static str {
        match self {
            Problem::ScalarList => "SL301",
            Problem::Case => "SL205",
            Problem::TacticSpelling | Problem::TacticGuess => "SL302",
            Problem::TechniqueText | Problem::TechniqueGuess => "SL303",
            Problem::IdForm | Problem::IdReplaced => "SL206",
            Problem::VersionNumber => "SL208",
            Problem::SeverityNumber | Problem::SeverityGuess => "SL209",
            Problem::OperatorSpelling => "SL406",
            Problem::ArmOperator => "SL407",
            Problem::NumberAsText => "SL408",
            Problem::DurationForm => "SL402",
        }
    }

    /// Whether the repair keeps the value's meaning: a safe fix, which the reader applies
    /// too. Else it is for a human to review (an unsafe fix), and the reader does not apply
    /// it.
    pub fn is_safe(self) -> bool {
        !matches!(
            self,
            Problem::TacticGuess | Problem::TechniqueGuess | Problem::IdReplaced
        )
    }

    /// Whether the repaired value is a guess at what was meant (a misspelling corrected),
    /// rather than the same value written correctly.
    pub fn is_guess(self) -> bool {
        matches!(
            self,
            Problem::TacticGuess
                | Problem::TechniqueGuess
                | Problem::IdReplaced
                | Problem::SeverityGuess
        )
    }
}

/// A repair of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub value: Repaired,
    pub problem: Problem,
}

impl Repair {
    fn text(value: impl Into<String>, problem: Problem) -> Option<Repair> {
        Some(Repair {
            value: Repaired::Text(value.into()),
            problem,
        })
    }
}

/// The repair of a value written in a field of this kind, if it needs one and has one.
pub fn repair(kind: FieldKind, written: Written<'_>) -> Option<Repair> {
    match kind {
        FieldKind::List => split_list(written),
        FieldKind::Kind => case_of(RuleType::KINDS.iter().copied(), written),
        FieldKind::Enum(definition) => case_of(allowed(definition), written),
        FieldKind::Tactic => repair_tactic(written),
        FieldKind::Technique => repair_technique(written),
        FieldKind::Id => repair_id(written),
        FieldKind::Version => repair_version(written),
        FieldKind::Severity => repair_severity(written),
        FieldKind::TriggerOperator => repair_operator(written),
        FieldKind::Threshold => repair_threshold(written),
        FieldKind::Duration { iso_ok, .. } => repair_duration(written, iso_ok),
    }
}

/// The allowed values of a model enum, by definition name.
pub fn allowed(definition: &str) -> impl Iterator<Item = &'static str> + Clone {
    schema::enum_values(definition).iter().map(String::as_str)
}

fn split_list(written: Written<'_>) -> Option<Repair> {
    let Written::Text(text) = written else {
        return None;
    };
    let items = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    Some(Repair {
        value: Repaired::List(items),
        problem: Problem::ScalarList,
    })
}

fn case_of<'a>(allowed: impl IntoIterator<Item = &'a str>, written: Written<'_>) -> Option<Repair> {
    let Written::Text(text) = written else {
        return None;
    };
    let canonical = allowed.into_iter().find(|a| a.eq_ignore_ascii_case(text))?;
    if canonical == text {
        return None;
    }
    Repair::text(canonical, Problem::Case)
}

fn repair_tactic(written: Written<'_>) -> Option<Repair> {
    let Written::Text(text) = written else {
        return None;
    };
    if let Some(case) = case_of(Tactic::ALL.iter().map(|t| t.as_str()), written) {
        return Some(case);
    }
    if Tactic::ALL.iter().any(|t| t.as_str() == text) || text.eq_ignore_ascii_case("PreAttack") {
        return None;
    }
    if let Some(tactic) = tactic_for_spelling(text).or_else(|| tactic_for_id(text)) {
        return Repair::text(tactic.as_str(), Problem::TacticSpelling);
    }
    if is_newer_defense_evasion(text) {
        return Repair::text(Tactic::DefenseEvasion.as_str(), Problem::TacticGuess);
    }
    let guess = did_you_mean(text, Tactic::ALL.iter().map(|t| t.as_str()))?;
    Repair::text(guess, Problem::TacticGuess)
}

fn repair_technique(written: Written<'_>) -> Option<Repair> {
    let Written::Text(text) = written else {
        return None;
    };
    if is_technique(text) || tactic_for_id(text).is_some() {
        return None;
    }
    // Several ids in one item (`T1005, T1560`): each its own item, none dropped.
    let ids = technique_ids_in(text);
    if ids.len() > 1 {
        return Some(Repair {
            value: Repaired::List(ids),
            problem: Problem::TechniqueText,
        });
    }
    let id = leading_technique_id(text);
    if is_technique(&id) {
        return Repair::text(id, Problem::TechniqueText);
    }
    Repair::text(padded_ics_technique(&id)?, Problem::TechniqueGuess)
}

fn repair_id(written: Written<'_>) -> Option<Repair> {
    let Written::Text(id) = written else {
        return None;
    };
    match ids::usual_form(id) {
        Some(usual) => Repair::text(usual, Problem::IdForm),
        None if uuid::Uuid::parse_str(id.trim()).is_ok() => None,
        None => Repair::text(ids::derived_id(id.trim()).to_string(), Problem::IdReplaced),
    }
}

fn repair_version(written: Written<'_>) -> Option<Repair> {
    let text = match written {
        Written::Int(_, text) | Written::Float(text) => text.trim(),
        _ => return None,
    };
    let mut parts: Vec<&str> = text.split('.').collect();
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    (parts.len() == 3).then(|| Repair {
        value: Repaired::Text(parts.join(".")),
        problem: Problem::VersionNumber,
    })
}

fn repair_severity(written: Written<'_>) -> Option<Repair> {
    let names = Severity::ALL.iter().map(|s| s.as_str());
    match written {
        Written::Int(n, _) => {
            let severity = Severity::from_service_number(n)?;
            Repair::text(severity.as_str(), Problem::SeverityNumber)
        }
        Written::Text(text) => {
            if let Some(case) = case_of(names.clone(), written) {
                return Some(case);
            }
            if names.clone().any(|n| n.eq_ignore_ascii_case(text)) {
                return None;
            }
            Repair::text(did_you_mean(text, names)?, Problem::SeverityGuess)
        }
        _ => None,
    }
}

fn repair_operator(written: Written<'_>) -> Option<Repair> {
    let Written::Text(text) = written else {
        return None;
    };
    if let Some(operator) = TriggerOperator::ALL.iter().find(|op| op.name() == text) {
        let short = operator.short_name();
        return (short != text).then(|| Repair::text(short, Problem::ArmOperator))?;
    }
    let operator = match text.trim() {
        ">" => TriggerOperator::Gt,
        "<" => TriggerOperator::Lt,
        "=" | "==" | "Equals" | "equals" => TriggerOperator::Eq,
        "!=" | "<>" => TriggerOperator::Ne,
        other => TriggerOperator::parse_ignoring_case(other)?,
    };
    Repair::text(operator.short_name(), Problem::OperatorSpelling)
}

fn repair_threshold(written: Written<'_>) -> Option<Repair> {
    let Written::Text(text) = written else {
        return None;
    };
    let n = text.trim().parse::<i64>().ok()?;
    (0..=TRIGGER_THRESHOLD_MAX as i64)
        .contains(&n)
        .then_some(Repair {
            value: Repaired::Int(n),
            problem: Problem::NumberAsText,
        })
}

/// A duration as written, in any form: YAML integers count as .NET TimeSpan days, as the
/// Azure-Sentinel CI reads them.
pub fn read_duration(written: Written<'_>) -> Option<Duration> {
    match written {
        Written::Text(text) => duration::parse(text.trim()),
        Written::Int(days, _) if days >= 0 => Some(Duration {
            seconds: (days as u64).saturating_mul(86_400),
            form: DurationForm::TimeSpan,
        }),
        _ => None,
    }
}

fn repair_duration(written: Written<'_>, iso_ok: bool) -> Option<Repair> {
    let read = read_duration(written)?;
    match read.form {
        DurationForm::Short => None,
        DurationForm::Iso if iso_ok => None,
        _ => Repair::text(duration::to_short(read.seconds)?, Problem::DurationForm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_list_items() {
        assert!(pattern_matches("/tactics/*", "/tactics/3"));
        assert!(!pattern_matches("/tactics/*", "/tactics"));
        assert!(!pattern_matches("/tactics/*", "/tactics/x"));
        assert_eq!(
            field_at(
                RuleType::Hunting,
                "/alertDetailsOverride/alertDynamicProperties/0/alertProperty"
            ),
            None
        );
        assert!(
            field_at(
                RuleType::Nrt,
                "/alertDetailsOverride/alertDynamicProperties/0/alertProperty"
            )
            .is_some()
        );
    }

    #[test]
    fn repairs() {
        let text = |kind, s| repair(kind, Written::Text(s)).map(|r| (r.value, r.problem));
        assert_eq!(
            text(FieldKind::Enum("AlertProperty"), "alertlink"),
            Some((Repaired::Text("AlertLink".into()), Problem::Case))
        );
        assert_eq!(
            text(FieldKind::Kind, "nrt"),
            Some((Repaired::Text("NRT".into()), Problem::Case))
        );
        assert_eq!(
            text(FieldKind::Tactic, "TA0011"),
            Some((
                Repaired::Text("CommandAndControl".into()),
                Problem::TacticSpelling
            ))
        );
        assert_eq!(text(FieldKind::Tactic, "PreAttack"), None);
        assert_eq!(
            text(FieldKind::List, "A, B,"),
            Some((
                Repaired::List(vec!["A".into(), "B".into()]),
                Problem::ScalarList
            ))
        );
        // Several ids in one item: all of them, as items of their own.
        assert_eq!(
            text(FieldKind::Technique, "T1005, T1560"),
            Some((
                Repaired::List(vec!["T1005".into(), "T1560".into()]),
                Problem::TechniqueText
            ))
        );
        assert_eq!(
            text(FieldKind::Technique, "T1005 - Data from Local System"),
            Some((Repaired::Text("T1005".into()), Problem::TechniqueText))
        );
        assert_eq!(
            repair(FieldKind::Version, Written::Float("1.10")).map(|r| r.value),
            Some(Repaired::Text("1.10.0".into()))
        );
        assert_eq!(
            text(FieldKind::TriggerOperator, ">"),
            Some((Repaired::Text("gt".into()), Problem::OperatorSpelling))
        );
        assert_eq!(text(FieldKind::Severity, "Medium"), None);
    }
}
