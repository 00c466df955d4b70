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
use crate::text;
use detection::{Cond, Item};
use model::{ConditionValue, Correlation, CorrelationRule, Logsource, Related, Scalar, SigmaRule};

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
    /// Overrides the rule's `metadata.author.name` (`--author`).
    pub author: Option<String>,
    /// When the rule names no author (`[sigma] author` of the configuration).
    pub default_author: Option<String>,
    /// Tag every tactic ATT&CK files the rule's techniques under, not only the rule's own
    /// (`--technique-tactics`: SigmaHQ's convention).
    pub technique_tactics: bool,
    /// `YYYY-MM-DD`: the date of the Sigma rules whose file has no history.
    pub date: String,
    /// The history of the input files (by their path as given): `date` and `modified`.
    pub dates: std::collections::BTreeMap<String, FileDates>,
}

/// When a rule file was first and last committed (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDates {
    pub created: String,
    pub modified: String,
}

/// The Sigma rules of one Sentinel rule: a file per table it reads (the tables of a
/// `union` each get their own).
#[derive(Debug, Clone, PartialEq)]
pub struct SigmaConversion {
    pub files: Vec<SigmaFile>,
    pub notes: Vec<Note>,
    /// `analytics rule`, `NRT rule` or `hunting query`: tells two rules of one name apart.
    pub kind: &'static str,
    /// The lower-case Sentinel id, which the Sigma ids are derived from.
    pub seed: String,
}

/// The rules of one output file: a detection rule; or the rules a correlation refers to,
/// then the correlation.
#[derive(Debug, Clone, PartialEq)]
pub struct SigmaFile {
    pub rules: Vec<SigmaRule>,
    pub correlation: Option<CorrelationRule>,
    /// The table the (first) rule reads.
    pub table: String,
    /// The title of the file: the correlation's, or the one rule's; the rules of a
    /// correlation add their part to it (` - Base Events`).
    pub title: String,
    parts: Vec<String>,
    /// What the ids are derived from, besides the Sentinel id (the table of a `union`).
    pub id_suffix: String,
}

impl SigmaFile {
    /// Titles from the file's title: the rules of a correlation each with their part.
    pub fn set_title(&mut self, title: &str) {
        let cut = |t: String| t.chars().take(256).collect::<String>();
        self.title = title.to_owned();
        if let Some(correlation) = &mut self.correlation {
            correlation.title = cut(title.to_owned());
            for (rule, part) in self.rules.iter_mut().zip(&self.parts) {
                rule.title = cut(format!("{title} - {part}"));
            }
        } else {
            for rule in &mut self.rules {
                rule.title = cut(title.to_owned());
            }
        }
    }

    /// Ids as UUIDv5 of `seed` (the lower-case Sentinel id, and more when two files share
    /// it): the first rule's of the seed, the others' of `seed/rule-N`, the correlation's
    /// of `seed/correlation`; the correlation refers to its rules by them.
    pub fn set_ids(&mut self, seed: &str) {
        let uuid = |text: &str| Uuid::new_v5(&SIGMA_ID_NAMESPACE, text.as_bytes()).to_string();
        let seed = format!("{seed}{}", self.id_suffix);
        let mut renamed = IndexMap::new();
        for (i, rule) in self.rules.iter_mut().enumerate() {
            let id = if i == 0 {
                uuid(&seed)
            } else {
                uuid(&format!("{seed}/rule-{}", i + 1))
            };
            renamed.insert(std::mem::replace(&mut rule.id, id.clone()), id);
        }
        if let Some(correlation) = &mut self.correlation {
            correlation.id = uuid(&format!("{seed}/correlation"));
            let rename = |id: &mut String| {
                if let Some(new) = renamed.get(id.as_str()) {
                    *id = new.clone();
                }
            };
            correlation.correlation.rules.iter_mut().for_each(rename);
            for per_rule in correlation.correlation.aliases.values_mut() {
                *per_rule = std::mem::take(per_rule)
                    .into_iter()
                    .map(|(mut id, field)| {
                        rename(&mut id);
                        (id, field)
                    })
                    .collect();
            }
        }
    }

    /// `date` (the first commit of the Sentinel rule, or the day of the conversion) and
    /// `modified` (its last commit, when later).
    pub fn set_dates(&mut self, date: &str, modified: Option<&str>) {
        let modified = modified.filter(|m| *m > date).map(str::to_owned);
        for rule in &mut self.rules {
            rule.date = date.to_owned();
            rule.modified.clone_from(&modified);
        }
        if let Some(correlation) = &mut self.correlation {
            correlation.date = date.to_owned();
            correlation.modified = modified;
        }
    }

    /// The ids of the rules, and of the correlation.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(self.correlation.iter().map(|c| c.id.as_str()))
    }

    /// The titles of the rules, and of the correlation.
    pub fn titles(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .map(|r| r.title.as_str())
            .chain(self.correlation.iter().map(|c| c.title.as_str()))
    }
}

/// What every Sigma rule of a Sentinel rule says about it.
struct Metadata {
    title: String,
    status: String,
    description: String,
    references: Vec<String>,
    author: Option<String>,
    date: String,
    tags: Vec<String>,
    level: String,
}

impl Metadata {
    fn rule(&self, logsource: Logsource, filter: &Cond) -> SigmaRule {
        SigmaRule {
            title: self.title.clone(),
            id: String::new(),
            name: None,
            related: Vec::new(),
            status: self.status.clone(),
            description: self.description.clone(),
            references: self.references.clone(),
            author: self.author.clone(),
            date: self.date.clone(),
            modified: None,
            tags: self.tags.clone(),
            logsource,
            detection: detection::detection(filter),
            falsepositives: vec!["Unknown".into()],
            level: self.level.clone(),
        }
    }

    fn correlation(&self, correlation: Correlation) -> CorrelationRule {
        CorrelationRule {
            title: self.title.clone(),
            id: String::new(),
            status: self.status.clone(),
            description: self.description.clone(),
            author: self.author.clone(),
            date: self.date.clone(),
            modified: None,
            correlation,
            falsepositives: vec!["Unknown".into()],
            level: self.level.clone(),
        }
    }
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
    let analyses = query::analyze_tables(&query.query)?;
    let mut notes = Vec::new();
    let core = rule.core();
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
    let author = options
        .author
        .clone()
        .or_else(|| {
            core.metadata
                .as_ref()
                .and_then(|m| m.get("author"))
                .and_then(|a| a.get("name"))
                .and_then(|n| n.as_str())
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
        })
        .or_else(|| options.default_author.clone());
    // SigmaHQ titles do not end with a full stop.
    let title = title_case(core.name.trim().trim_end_matches('.'))
        .trim_end_matches('.')
        .to_owned();
    let meta = Metadata {
        title: title.clone(),
        status: options.status.clone(),
        description,
        references,
        author,
        date: options.date.clone(),
        tags: tags(rule, options.technique_tactics, &mut notes),
        level,
    };
    let period = match rule {
        RuleFile::Scheduled(r) => short_window(&r.query_period),
        _ => None,
    };
    for analysis in &analyses {
        notes.extend(analysis.notes.iter().cloned());
    }
    // The tables of a `union` counted together: one correlation of their rules.
    let counted_union = analyses.len() > 1 && analyses.iter().any(|a| a.threshold.is_some());
    if counted_union {
        let all: Vec<&query::Analysis> = analyses.iter().collect();
        let mut file = events(&all, &meta, period.as_deref(), &mut notes)?;
        file.set_title(&title);
        notes.push(Note::exact(
            format!(
                "the `union` of {} tables counted together is one Sigma correlation of a rule for each",
                analyses.len()
            ),
            "/query",
        ));
        return Ok(finish(rule, vec![file], notes));
    }
    let several = analyses.len() > 1;
    let mut files = Vec::with_capacity(analyses.len());
    for analysis in &analyses {
        let mut file = match &analysis.join {
            Some(join) => joined(analysis, join, &meta, period.as_deref(), &mut notes)?,
            None => events(&[analysis], &meta, period.as_deref(), &mut notes)?,
        };
        if several {
            // One rule per table of the `union`, named and identified after it.
            file.id_suffix = format!("/{}", analysis.table.to_ascii_lowercase());
            file.set_title(&format!("{title} - {}", analysis.table));
        } else {
            file.set_title(&title);
        }
        files.push(file);
    }
    if several {
        notes.push(Note::exact(
            format!(
                "the `union` of {} tables is written as one Sigma rule per table, related to each other",
                files.len()
            ),
            "/query",
        ));
    }
    Ok(finish(rule, files, notes))
}

/// The conversion of a rule's files: ids given, the files of a `union` related, notes
/// given once.
fn finish(rule: &RuleFile, mut files: Vec<SigmaFile>, mut notes: Vec<Note>) -> SigmaConversion {
    // The tables of a `union` repeat the notes of the operators they share.
    let mut seen = std::collections::HashSet::new();
    notes.retain(|n| seen.insert(n.clone()));
    let seed = rule.core().id.trim().to_ascii_lowercase();
    for file in &mut files {
        file.set_ids(&seed);
    }
    link_related(&mut files);
    SigmaConversion {
        files,
        notes,
        kind: match rule {
            RuleFile::Scheduled(_) => "analytics rule",
            RuleFile::Nrt(_) => "NRT rule",
            RuleFile::Hunting(_) => "hunting query",
        },
        seed,
    }
}

/// The rules made of one Sentinel rule (the tables of a `union`) name each other as
/// `similar`.
pub fn link_related(files: &mut [SigmaFile]) {
    if files.len() < 2 {
        return;
    }
    let ids: Vec<String> = files
        .iter()
        .filter_map(|f| f.rules.first().map(|r| r.id.clone()))
        .collect();
    for file in files.iter_mut() {
        if let Some(rule) = file.rules.first_mut() {
            rule.related = ids
                .iter()
                .filter(|id| **id != rule.id)
                .map(|id| Related {
                    id: id.clone(),
                    type_: "similar",
                })
                .collect();
        }
    }
}

/// The log source of an analysis, with a note when the table has no SigmaHQ one.
fn logsource(analysis: &query::Analysis, notes: &mut Vec<Note>) -> Logsource {
    let logsource = analysis.fields.logsource(&analysis.table);
    if !analysis.fields.is_known() && !analysis.own_columns {
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
    logsource
}

/// The filter of one table's events, refused when Sigma would match nearly everything.
fn filter_of(analysis: &query::Analysis, counted: bool) -> Result<Cond, Vec<Note>> {
    let filter = match (&analysis.filter, &analysis.threshold) {
        (Some(filter), _) => filter.clone(),
        // A threshold over all events: those that have the field grouped by. The
        // correlation, not this rule, selects.
        (None, Some(threshold)) if counted => Cond::Item(Item::new(
            &threshold.group_by[0],
            &["exists"],
            vec![Scalar::Bool(true)],
        )),
        _ => {
            return Err(vec![Note::in_query(
                format!(
                    "the query keeps every event of `{}`; a Sigma rule needs a condition",
                    analysis.table
                ),
                analysis.table_span,
                true,
            )]);
        }
    };
    if !counted && filter.tests_presence_only() {
        return Err(vec![Note::in_query(
            format!(
                "the Sigma rule would only test that fields exist, and so match nearly every event of `{}`: the query selects its events by something Sigma cannot say",
                analysis.table
            ),
            analysis.table_span,
            true,
        )]);
    }
    Ok(filter)
}

/// A table's events: a detection rule, and a correlation when they are counted; the events
/// of several tables (a `union`) counted together: a rule for each, one correlation.
fn events(
    analyses: &[&query::Analysis],
    meta: &Metadata,
    period: Option<&str>,
    notes: &mut Vec<Note>,
) -> Result<SigmaFile, Vec<Note>> {
    let first = analyses[0];
    let Some(threshold) = &first.threshold else {
        let logsource = logsource(first, notes);
        let filter = filter_of(first, false)?;
        return Ok(SigmaFile {
            rules: vec![meta.rule(logsource, &filter)],
            correlation: None,
            table: first.table.clone(),
            title: meta.title.clone(),
            parts: Vec::new(),
            id_suffix: String::new(),
        });
    };
    if let Some(other) = analyses[1..].iter().find(|a| {
        a.threshold
            .as_ref()
            .map(|t| (t.kind, &t.field, &t.group_by, &t.condition))
            != Some((
                threshold.kind,
                &threshold.field,
                &threshold.group_by,
                &threshold.condition,
            ))
    }) {
        return Err(vec![Note::in_query(
            format!(
                "`{}` and `{}` name the fields counted or grouped by differently; one Sigma correlation of their rules needs the same",
                first.table, other.table
            ),
            threshold.span,
            true,
        )]);
    }
    let timespan = threshold
        .timespan
        .clone()
        .or_else(|| period.map(str::to_owned))
        .or_else(|| analyses.iter().find_map(|a| a.time_window.clone()));
    let Some(timespan) = timespan else {
        return Err(vec![Note::in_query(
            "the threshold has no time window (no `bin()`, `queryPeriod` or time filter) for the Sigma correlation",
            threshold.span,
            true,
        )]);
    };
    let mut condition = IndexMap::new();
    if let Some(field) = &threshold.field {
        condition.insert("field".to_owned(), ConditionValue::Field(field.clone()));
    }
    for (op, n) in &threshold.condition {
        condition.insert((*op).to_owned(), ConditionValue::Count(*n));
    }
    let mut rules = Vec::with_capacity(analyses.len());
    for (i, analysis) in analyses.iter().enumerate() {
        let filter = filter_of(analysis, true)?;
        let mut rule = meta.rule(logsource(analysis, notes), &filter);
        // Ids to refer to until `set_ids` gives the real ones.
        rule.id = format!("rule-{i}");
        rules.push(rule);
    }
    let correlation = meta.correlation(Correlation {
        type_: threshold.kind.to_owned(),
        rules: rules.iter().map(|r| r.id.clone()).collect(),
        group_by: threshold.group_by.clone(),
        aliases: IndexMap::new(),
        timespan,
        condition,
    });
    let parts = if analyses.len() == 1 {
        vec!["Base Events".to_owned()]
    } else {
        analyses
            .iter()
            .map(|a| format!("{} Events", a.table))
            .collect()
    };
    Ok(SigmaFile {
        rules,
        correlation: Some(correlation),
        table: first.table.clone(),
        title: meta.title.clone(),
        parts,
        id_suffix: String::new(),
    })
}

/// An inner join of two tables' events on keys: a `temporal` correlation of a rule for
/// each, grouped by the keys.
fn joined(
    analysis: &query::Analysis,
    join: &query::Join,
    meta: &Metadata,
    period: Option<&str>,
    notes: &mut Vec<Note>,
) -> Result<SigmaFile, Vec<Note>> {
    if analysis.threshold.is_some() {
        return Err(vec![Note::in_query(
            "a count after a `join` has no Sigma form",
            join.span,
            true,
        )]);
    }
    let Some(timespan) = period
        .map(str::to_owned)
        .or_else(|| analysis.time_window.clone())
        .or_else(|| join.right.time_window.clone())
    else {
        return Err(vec![Note::in_query(
            "the `join` has no time window (no `queryPeriod` or time filter) for the Sigma temporal correlation",
            join.span,
            true,
        )]);
    };
    let left_filter = filter_of(analysis, false)?;
    let right_filter = filter_of(&join.right, false)?;
    let left_source = logsource(analysis, notes);
    let right_source = logsource(&join.right, notes);
    let mut left = meta.rule(left_source, &left_filter);
    let mut right = meta.rule(right_source, &right_filter);
    // Ids to refer to until `set_ids` gives the real ones.
    left.id = "left".into();
    right.id = "right".into();
    let mut group_by = Vec::new();
    let mut aliases = IndexMap::new();
    for (a, b) in &join.keys {
        if a == b {
            group_by.push(a.clone());
        } else {
            let alias = format!("{}_{}", detection::identifier(a), detection::identifier(b));
            aliases.insert(
                alias.clone(),
                IndexMap::from([(left.id.clone(), a.clone()), (right.id.clone(), b.clone())]),
            );
            group_by.push(alias);
        }
    }
    notes.push(Note::in_query(
        format!(
            "the `join` is a Sigma temporal correlation: events of both rules with the same {} within {timespan} (KQL pairs every match within the query's period)",
            text::code_list(&group_by.iter().map(String::as_str).collect::<Vec<_>>(), 4)
        ),
        join.span,
        true,
    ));
    let correlation = meta.correlation(Correlation {
        type_: "temporal".into(),
        rules: vec![left.id.clone(), right.id.clone()],
        group_by,
        aliases,
        timespan,
        condition: IndexMap::new(),
    });
    Ok(SigmaFile {
        rules: vec![left, right],
        correlation: Some(correlation),
        table: analysis.table.clone(),
        title: meta.title.clone(),
        parts: vec![
            format!("{} Events", analysis.table),
            format!("Joined {} Events", join.right.table),
        ],
        id_suffix: String::new(),
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
/// links as references; a link in a sentence becomes the number of its reference (`See the
/// advisory: [1].`), so that the sentence still reads.
fn describe(rule: &RuleFile) -> (String, Vec<String>) {
    let text = match rule {
        RuleFile::Scheduled(r) => r.common.description.clone(),
        RuleFile::Nrt(r) => r.common.description.clone(),
        RuleFile::Hunting(h) => h.description.clone().unwrap_or_default(),
    };
    let (mut description, references) = links_out(&super::arm::clean_description(&text));
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

/// The text with each link replaced by the number of its reference, and the references.
fn links_out(text: &str) -> (String, Vec<String>) {
    let mut references: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let Some(start) = lower.find("https://").or_else(|| lower.find("http://")) else {
            words.push(word.to_owned());
            continue;
        };
        let rest = &word[start..];
        let link = rest.trim_end_matches(['.', ',', ')', ';', ']', '>', '"', '\'', ':']);
        let mut before = &word[..start];
        let mut after = &rest[link.len()..];
        // `(https://x)` -> `[1]`, not `([1])`.
        if before.ends_with(['(', '<', '[']) && after.starts_with([')', '>', ']']) {
            before = &before[..before.len() - 1];
            after = &after[1..];
        }
        let before = before.trim_end_matches(['"', '\'']);
        let after = after.trim_start_matches(['"', '\'']);
        let marker = if link.to_ascii_lowercase().contains("attack.mitre.org") {
            // ATT&CK pages are in the tags.
            String::new()
        } else {
            let n = match references.iter().position(|r| r == link) {
                Some(i) => i + 1,
                None => {
                    references.push(link.to_owned());
                    references.len()
                }
            };
            format!("[{n}]")
        };
        let word = format!("{before}{marker}{after}");
        if !word.is_empty() {
            words.push(word);
        }
    }
    (words.join(" "), references)
}

/// ATT&CK tags (v18.1): the rule's own tactics and techniques (not every tactic ATT&CK files
/// a technique under: the rule says which it detects); `detection.threat-hunting` for
/// hunting queries. With `technique_tactics`, also every tactic of the techniques, as
/// SigmaHQ's convention asks.
fn tags(rule: &RuleFile, technique_tactics: bool, notes: &mut Vec<Note>) -> Vec<String> {
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
                if technique_tactics {
                    for t in of {
                        if !tactics.iter().any(|x| x == t) {
                            tactics.push((*t).to_owned());
                        }
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
/// with `.`, `/`, `_` or a leading digit (file names, paths) as they are; no leading
/// "Detect(s)" (SigmaHQ titles name what is found).
pub fn title_case(title: &str) -> String {
    const SMALL: [&str; 20] = [
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "new", "of", "on", "or", "over",
        "the", "through", "to", "via", "with", "without",
    ];
    let mut title = title.trim();
    for detect in ["Detects ", "Detect ", "detects ", "detect "] {
        if let Some(rest) = title.strip_prefix(detect)
            && !rest.trim().is_empty()
        {
            title = rest.trim_start();
            break;
        }
    }
    title
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let keep = (i > 0 && SMALL.contains(&word))
                || word.contains(['.', '/', '_'])
                || word.starts_with(|c: char| c.is_ascii_digit());
            // `(users)` -> `(Users)`: the first letter, after any punctuation.
            let lower =
                word.chars().any(char::is_lowercase) && !word.chars().any(char::is_uppercase);
            match word.char_indices().find(|(_, c)| c.is_alphabetic()) {
                Some((at, first)) if !keep && lower => {
                    let mut out = word[..at].to_owned();
                    out.extend(first.to_uppercase());
                    out.push_str(&word[at + first.len_utf8()..]);
                    out
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

/// The YAML of a file: its rules, then the correlation, as documents of one stream.
pub fn to_yaml(file: &SigmaFile) -> Result<String, String> {
    let options = || {
        serde_saphyr::ser_options! {
            // The Sigma convention: four spaces, lists indented under their key.
            indent_step: 4,
            compact_list_indent: false,
            prefer_block_scalars: false,
        }
    };
    let mut documents = Vec::with_capacity(file.rules.len() + 1);
    for rule in &file.rules {
        documents.push(
            serde_saphyr::to_string_with_options(rule, options()).map_err(|e| e.to_string())?,
        );
    }
    if let Some(correlation) = &file.correlation {
        documents.push(
            serde_saphyr::to_string_with_options(correlation, options())
                .map_err(|e| e.to_string())?,
        );
    }
    let mut text = String::new();
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(document);
        if !text.ends_with('\n') {
            text.push('\n');
        }
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
        assert_eq!(
            title_case("Detect failed logins (users) via ssh"),
            "Failed Logins (Users) via Ssh"
        );
        assert_eq!(title_case("Detect"), "Detect");
    }

    #[test]
    fn links_become_numbered_references() {
        let (text, references) = links_out(
            "More information: https://a.example/x and AWS VPC API Docs: https://b.example/y. \
             Again (https://a.example/x), and ATT&CK: https://attack.mitre.org/techniques/T1078/",
        );
        assert_eq!(
            text,
            "More information: [1] and AWS VPC API Docs: [2]. Again [1], and ATT&CK:"
        );
        assert_eq!(references, ["https://a.example/x", "https://b.example/y"]);
    }

    #[test]
    fn tactics_become_sigma_shortnames() {
        assert_eq!(sigma_tactic("CommandAndControl"), "command-and-control");
        assert_eq!(sigma_tactic("Impact"), "impact");
    }
}
