//! Rule model + parsed query -> Sigma (specification v2.1.0): a detection rule, and a
//! correlation rule when the query counts events against a threshold.
//!
//! The table becomes the log source and the columns Sigma fields (inverting the mappings of
//! pySigma-backend-kusto, so that converting the Sigma rule back to KQL gives the same
//! columns); the `where` predicates become selections and a condition ([`query`],
//! [`detection`]); the metadata becomes title, id (a UUIDv5 of the Sentinel id), status,
//! description, references, author, date, ATT&CK tags (v18.1), level and false positives.
//! Every approximation and everything left out is a [`Note`] with its place in the query.

pub mod detection;
pub mod fields;
pub mod model;
pub mod query;

use indexmap::IndexMap;
use uuid::Uuid;

use super::Note;
use crate::kql;
use crate::model::{RuleFile, Severity};
use crate::reference;
use detection::{Cond, Item};
use model::{ConditionValue, Correlation, CorrelationRule, Scalar, SigmaRule};

/// The namespace of the Sigma ids: a Sigma rule's id is the UUIDv5 of the lower-case
/// Sentinel id in this namespace (the correlation rule's: of the id followed by
/// `/correlation`), so that converting again gives the same ids, and the Sigma id is not
/// the Sentinel one (which names the deployed rule).
pub const SIGMA_ID_NAMESPACE: Uuid = Uuid::from_u128(0x7b1f_3c2a_94d0_4e5b_8a6c_1d2e_3f40_5a6b);

/// The ATT&CK version of the tags.
pub const ATTACK_VERSION: &str = "18.1";

#[derive(Debug, Clone)]
pub struct SigmaOptions {
    /// `experimental`, `test` or `stable`.
    pub status: String,
    /// Overrides the rule's `metadata.author.name`.
    pub author: Option<String>,
    /// `YYYY-MM-DD`: the date of the Sigma rule.
    pub date: String,
}

/// The Sigma rules of one Sentinel rule.
#[derive(Debug, Clone, PartialEq)]
pub struct SigmaConversion {
    pub rule: SigmaRule,
    pub correlation: Option<CorrelationRule>,
    pub notes: Vec<Note>,
}

/// Convert a rule and its parsed query. `Err` says what cannot be expressed, and where.
pub fn convert(
    rule: &RuleFile,
    query: &kql::Parsed,
    options: &SigmaOptions,
) -> Result<SigmaConversion, Vec<Note>> {
    if let Some(error) = query.errors.first() {
        return Err(vec![Note::in_query(
            format!("the query does not parse: {}", error.message),
            error.span,
            true,
        )]);
    }
    let analysis = query::analyze(&query.query)?;
    let mut notes = analysis.notes.clone();
    let core = rule.core();
    let logsource = analysis.fields.logsource(&analysis.table);
    if !analysis.fields.is_known() {
        notes.push(Note::in_query(
            format!(
                "`{}` has no SigmaHQ log source; written as product: {}, service: {} (backends need a mapping for it)",
                analysis.table,
                logsource.product.as_deref().unwrap_or_default(),
                logsource.service.as_deref().unwrap_or_default()
            ),
            analysis.table_span,
            false,
        ));
    }
    let correlation = match &analysis.threshold {
        Some(threshold) => {
            let timespan = threshold
                .timespan
                .clone()
                .or_else(|| match rule {
                    RuleFile::Scheduled(r) => short_window(&r.query_period),
                    _ => None,
                })
                .or_else(|| analysis.time_window.clone());
            let Some(timespan) = timespan else {
                return Err(vec![Note::in_query(
                    "the threshold has no time window (no `bin()`, `queryPeriod` or time filter) for the Sigma correlation",
                    threshold.span,
                    true,
                )]);
            };
            Some((threshold.clone(), timespan))
        }
        None => None,
    };
    let filter = match (&analysis.filter, &correlation) {
        (Some(filter), _) => filter.clone(),
        // A threshold over all events: those that have the field grouped by.
        (None, Some((threshold, _))) => Cond::Item(Item::new(
            &threshold.group_by[0],
            &["exists"],
            vec![Scalar::Bool(true)],
        )),
        (None, None) => {
            return Err(vec![Note::in_query(
                "the query keeps every event of the table; a Sigma rule needs a condition",
                analysis.table_span,
                true,
            )]);
        }
    };
    if let RuleFile::Scheduled(r) = rule {
        let trivial = r.trigger_operator.short_name() == "gt" && r.trigger_threshold == 0;
        if !trivial {
            notes.push(Note::approximate(
                format!(
                    "the rule alerts when the query returns {} {} results; Sigma has no such condition",
                    r.trigger_operator.short_name(),
                    r.trigger_threshold
                ),
                "/triggerThreshold",
            ));
        }
    }
    let level = match severity(rule) {
        Some(s) => s.as_str().to_ascii_lowercase(),
        None => {
            notes.push(Note::exact(
                "the hunting query has no severity; written as level: medium",
                "/severity",
            ));
            "medium".to_owned()
        }
    };
    let (description, references) = describe(rule);
    let author = options.author.clone().or_else(|| {
        core.metadata
            .as_ref()
            .and_then(|m| m.get("author"))
            .and_then(|a| a.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_owned)
    });
    let id = Uuid::new_v5(
        &SIGMA_ID_NAMESPACE,
        core.id.trim().to_ascii_lowercase().as_bytes(),
    )
    .to_string();
    // SigmaHQ titles do not end with a full stop.
    let title: String = title_case(core.name.trim().trim_end_matches('.'))
        .chars()
        .take(256)
        .collect();
    let tags = tags(rule, &mut notes);
    let base = SigmaRule {
        title: if correlation.is_some() {
            format!("{title} - Base Events").chars().take(256).collect()
        } else {
            title.clone()
        },
        id: id.clone(),
        name: None,
        status: options.status.clone(),
        description: description.clone(),
        references,
        author: author.clone(),
        date: options.date.clone(),
        tags,
        logsource,
        detection: detection::detection(&filter),
        falsepositives: vec!["Unknown".into()],
        level: level.clone(),
    };
    let correlation = correlation.map(|(threshold, timespan)| {
        let mut condition = IndexMap::new();
        if let Some(field) = &threshold.distinct {
            condition.insert("field".to_owned(), ConditionValue::Field(field.clone()));
        }
        for (op, n) in &threshold.condition {
            condition.insert((*op).to_owned(), ConditionValue::Count(*n));
        }
        CorrelationRule {
            title,
            id: Uuid::new_v5(
                &SIGMA_ID_NAMESPACE,
                format!("{}/correlation", core.id.trim().to_ascii_lowercase()).as_bytes(),
            )
            .to_string(),
            status: options.status.clone(),
            description,
            author,
            date: options.date.clone(),
            correlation: Correlation {
                type_: if threshold.distinct.is_some() {
                    "value_count"
                } else {
                    "event_count"
                }
                .into(),
                rules: vec![id],
                group_by: threshold.group_by.clone(),
                timespan,
                condition,
            },
            falsepositives: vec!["Unknown".into()],
            level,
        }
    });
    Ok(SigmaConversion {
        rule: base,
        correlation,
        notes,
    })
}

fn severity(rule: &RuleFile) -> Option<Severity> {
    match rule {
        RuleFile::Scheduled(r) => Some(r.common.severity),
        RuleFile::Nrt(r) => Some(r.common.severity),
        RuleFile::Hunting(h) => h.severity,
    }
}

/// `1d` -> `1d`; Sigma timespans are a whole number of s, m, h or d.
fn short_window(period: &str) -> Option<String> {
    let d = crate::model::duration::parse(period.trim())?;
    crate::model::duration::to_short(d.seconds)
}

/// The description as one paragraph without links (SigmaHQ wants none in it), and the
/// links as references.
fn describe(rule: &RuleFile) -> (String, Vec<String>) {
    let text = match rule {
        RuleFile::Scheduled(r) => r.common.description.clone(),
        RuleFile::Nrt(r) => r.common.description.clone(),
        RuleFile::Hunting(h) => h.description.clone().unwrap_or_default(),
    };
    let text = super::arm::clean_description(&text);
    let mut references: Vec<String> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let start = word.find("https://").or_else(|| word.find("http://"));
        let Some(start) = start else {
            words.push(word);
            continue;
        };
        let before = &word[..start];
        let link = word[start..].trim_end_matches(['.', ',', ')', ';', ']', '>', '"', '\'', ':']);
        let kept = before.trim_end_matches(['(', '[', '<', '"', '\'', ':']);
        if !kept.is_empty() {
            words.push(kept);
        }
        // ATT&CK pages are in the tags.
        if !link.contains("attack.mitre.org") && !references.iter().any(|r| r == link) {
            references.push(link.to_owned());
        }
    }
    let mut description = words.join(" ");
    let kind = match rule {
        RuleFile::Hunting(_) => "hunting query",
        _ => "analytics rule",
    };
    if description.chars().count() < 16 {
        description = format!(
            "Converted from the Microsoft Sentinel {kind} '{}'.",
            rule.core().name.trim()
        );
    }
    (description, references)
}

/// ATT&CK tags (v18.1): the tactics, the techniques, and the tactics of the techniques that
/// the rule does not list (SigmaHQ wants them); `detection.threat-hunting` for hunting queries.
fn tags(rule: &RuleFile, notes: &mut Vec<Note>) -> Vec<String> {
    let core = rule.core();
    let mut tactics: Vec<String> = Vec::new();
    for (i, tactic) in core.tactics.iter().flatten().enumerate() {
        let shortname = sigma_tactic(tactic.as_str());
        if reference::is_attack_tactic(&shortname) {
            if !tactics.contains(&shortname) {
                tactics.push(shortname);
            }
        } else {
            notes.push(Note::exact(
                format!(
                    "`{}` is not an ATT&CK Enterprise tactic; no tag",
                    tactic.as_str()
                ),
                format!("/tactics/{i}"),
            ));
        }
    }
    let mut techniques: Vec<String> = Vec::new();
    for (i, technique) in core.relevant_techniques.iter().flatten().enumerate() {
        let id = technique.0.trim().to_ascii_uppercase();
        match reference::attack_technique_tactics(&id) {
            Some(of) => {
                for t in of {
                    if !tactics.iter().any(|x| x == t) {
                        tactics.push((*t).to_owned());
                    }
                }
                let tag = id.to_ascii_lowercase();
                if !techniques.contains(&tag) {
                    techniques.push(tag);
                }
            }
            None => notes.push(Note::exact(
                format!("`{id}` is not an ATT&CK Enterprise v{ATTACK_VERSION} technique; no tag"),
                format!("/relevantTechniques/{i}"),
            )),
        }
    }
    let mut tags: Vec<String> = tactics.into_iter().map(|t| format!("attack.{t}")).collect();
    tags.extend(techniques.into_iter().map(|t| format!("attack.{t}")));
    if matches!(rule, RuleFile::Hunting(_)) {
        tags.push("detection.threat-hunting".into());
    }
    tags
}

/// Title Case as SigmaHQ writes titles: every word capitalized but the small ones, and words
/// with `.`, `/`, `_` or a leading digit (file names, paths) as they are.
fn title_case(title: &str) -> String {
    const SMALL: [&str; 20] = [
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "new", "of", "on", "or", "over",
        "the", "through", "to", "via", "with", "without",
    ];
    title
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let keep = (i > 0 && SMALL.contains(&word))
                || word.contains(['.', '/', '_'])
                || word.starts_with(|c: char| c.is_ascii_digit());
            let mut chars = word.chars();
            match chars.next() {
                Some(first) if !keep && first.is_lowercase() => {
                    first.to_uppercase().chain(chars).collect()
                }
                _ => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `CommandAndControl` -> `command-and-control`.
fn sigma_tactic(tactic: &str) -> String {
    let mut out = String::new();
    for (i, c) in tactic.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The YAML of the rules: the detection rule, then the correlation rule in a second document.
pub fn to_yaml(conversion: &SigmaConversion) -> Result<String, String> {
    let options = || {
        serde_saphyr::ser_options! {
            // The Sigma convention: four spaces, lists indented under their key.
            indent_step: 4,
            compact_list_indent: false,
            prefer_block_scalars: false,
        }
    };
    let mut text = serde_saphyr::to_string_with_options(&conversion.rule, options())
        .map_err(|e| e.to_string())?;
    if let Some(correlation) = &conversion.correlation {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("---\n");
        text.push_str(
            &serde_saphyr::to_string_with_options(correlation, options())
                .map_err(|e| e.to_string())?,
        );
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_title_case() {
        assert_eq!(
            title_case("Remote Management and Monitoring tool - Panorama9 - File Signature"),
            "Remote Management and Monitoring Tool - Panorama9 - File Signature"
        );
        assert_eq!(
            title_case("a user ran powershell.exe from the temp folder"),
            "A User Ran powershell.exe from the Temp Folder"
        );
    }

    #[test]
    fn tactics_become_sigma_shortnames() {
        assert_eq!(sigma_tactic("CommandAndControl"), "command-and-control");
        assert_eq!(sigma_tactic("Impact"), "impact");
    }
}
