//! `sentinel-lint coverage`: what a pack covers of MITRE ATT&CK, and what it is made of.
//!
//! The rules are read as `convert` reads them (the lenient reader of the model), their
//! queries analysed for the tables they read; the numbers are then arranged by
//! [`navigator`], [`svg`] and [`markdown`], or written as JSON. Technique names, tactics and
//! their order come from ATT&CK v18.1 (`reference`).

pub mod markdown;
pub mod navigator;
pub mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::kql::columns::{self, SourceKind};
use crate::model::RuleFile;
use crate::model::declared::Declared;
use crate::model::read::read_rule;
use crate::pipeline::SourceFile;
use crate::reference;

/// One rule of the pack, as coverage sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub name: String,
    pub file: String,
    /// `Scheduled`, `NRT` or `Hunting`.
    pub kind: &'static str,
    pub severity: Option<&'static str>,
    /// Deployed enabled (analytics rules: `enabled`, default true); hunting queries: false.
    pub enabled: bool,
    pub tactics: Vec<String>,
    pub techniques: Vec<String>,
    pub tables: Vec<String>,
    pub connectors: Vec<String>,
}

/// The rules of a pack.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    pub rules: Vec<Rule>,
    /// Files read that are not rules (or that the reader could not read as one).
    pub not_rules: usize,
}

/// Read the rules of `files` (in parallel; a file that is not a rule is counted, not an
/// error), in the order of `files`.
pub fn read_pack(files: &[PathBuf], declared: &Declared) -> Pack {
    let rules: Vec<Option<Rule>> = files
        .par_iter()
        // A bug of this tool on one file leaves that file out, not the user without a map.
        .map(|path| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_one(path, declared)))
                .ok()
                .flatten()
        })
        .collect();
    let not_rules = rules.iter().filter(|r| r.is_none()).count();
    Pack {
        rules: rules.into_iter().flatten().collect(),
        not_rules,
    }
}

fn read_one(path: &std::path::Path, declared: &Declared) -> Option<Rule> {
    let bytes = crate::files::input::read(path, crate::pipeline::MAX_FILE_BYTES as u64).ok()?;
    let file = path.display().to_string();
    let source = SourceFile::read(&file, &bytes).ok()?;
    let (rule_type, root) = source.rule()?;
    let read = read_rule(rule_type, root).ok()?;
    let core = read.rule.core();
    let (kind, severity, enabled) = match &read.rule {
        RuleFile::Scheduled(r) => (
            "Scheduled",
            Some(r.common.severity.as_str()),
            r.common.enabled.unwrap_or(true),
        ),
        RuleFile::Nrt(r) => (
            "NRT",
            Some(r.common.severity.as_str()),
            r.common.enabled.unwrap_or(true),
        ),
        RuleFile::Hunting(h) => ("Hunting", h.severity.map(|s| s.as_str()), false),
    };
    let tables: BTreeSet<String> = source
        .query
        .as_ref()
        .filter(|q| q.parsed.errors.is_empty())
        .map(|q| {
            columns::analyze(&q.parsed.query, &declared.tables)
                .sources
                .into_iter()
                .filter(|s| s.kind == SourceKind::Table)
                .map(|s| s.name)
                .collect()
        })
        .unwrap_or_default();
    Some(Rule {
        name: core.name.clone(),
        file,
        kind,
        severity,
        enabled,
        tactics: core
            .tactics
            .iter()
            .flatten()
            .map(|t| t.as_str().to_owned())
            .collect(),
        techniques: core
            .relevant_techniques
            .iter()
            .flatten()
            .map(|t| t.0.trim().to_ascii_uppercase())
            .collect(),
        tables: tables.into_iter().collect(),
        connectors: read
            .rule
            .data_connectors()
            .iter()
            .filter_map(|c| c.connector_id.clone())
            .collect(),
    })
}

/// A rule, as a coverage entry names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleRef {
    pub name: String,
    pub file: String,
}

/// The ATT&CK coverage of a pack, and its inventory: what every output format shows.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub attack_version: &'static str,
    pub rules: usize,
    pub files_not_rules: usize,
    /// In the matrix's order.
    pub tactics: Vec<TacticCoverage>,
    /// Techniques and sub-techniques of ATT&CK that rules name, by id.
    pub techniques: Vec<TechniqueCoverage>,
    /// Named by rules, revoked in ATT&CK: with the technique that replaced each.
    pub revoked: Vec<Retired>,
    /// Named by rules, deprecated in ATT&CK (no replacement).
    pub deprecated: Vec<Retired>,
    /// Named by rules, not techniques of ATT&CK Enterprise v18.1 (ICS ids, typos).
    pub unknown: Vec<Retired>,
    pub inventory: Inventory,
}

#[derive(Debug, Clone, Serialize)]
pub struct TacticCoverage {
    pub id: &'static str,
    pub shortname: &'static str,
    pub name: &'static str,
    /// Rules that list the tactic.
    pub rules: usize,
    /// Of them, rules none of whose techniques belongs to the tactic.
    pub rules_without_techniques: Vec<RuleRef>,
    /// Techniques (not sub-techniques) of the tactic that rules name, themselves or through
    /// a sub-technique.
    pub techniques_covered: usize,
    /// Techniques (not sub-techniques) ATT&CK has in the tactic.
    pub techniques_total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TechniqueCoverage {
    pub id: String,
    pub name: &'static str,
    /// Its tactics (shortnames).
    pub tactics: &'static [&'static str],
    pub rules: Vec<RuleRef>,
    /// Rules by kind (`Scheduled`, `NRT`, `Hunting`), by severity, and enabled.
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_severity: BTreeMap<&'static str, usize>,
    pub enabled: usize,
}

/// A technique id named by rules that ATT&CK v18.1 does not have as a current technique.
#[derive(Debug, Clone, Serialize)]
pub struct Retired {
    pub id: String,
    pub name: Option<&'static str>,
    pub replaced_by: Option<&'static str>,
    pub rules: Vec<RuleRef>,
}

/// What the pack is made of: rules per table read, per connector, per severity, per kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inventory {
    pub tables: BTreeMap<String, usize>,
    pub connectors: BTreeMap<String, usize>,
    pub severities: BTreeMap<String, usize>,
    pub kinds: BTreeMap<String, usize>,
}

/// The parent of a sub-technique (`T1059.001` -> `T1059`), or the id itself.
fn parent(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

impl Coverage {
    pub fn of(pack: &Pack) -> Coverage {
        let mut claimed: BTreeMap<String, Vec<&Rule>> = BTreeMap::new();
        let mut inventory = Inventory::default();
        for rule in &pack.rules {
            let ids: BTreeSet<&String> = rule.techniques.iter().collect();
            for id in ids {
                claimed.entry(id.clone()).or_default().push(rule);
            }
            for table in &rule.tables {
                *inventory.tables.entry(table.clone()).or_default() += 1;
            }
            for connector in rule.connectors.iter().collect::<BTreeSet<_>>() {
                *inventory.connectors.entry(connector.clone()).or_default() += 1;
            }
            let severity = rule.severity.unwrap_or("(none)");
            *inventory.severities.entry(severity.to_owned()).or_default() += 1;
            *inventory.kinds.entry(rule.kind.to_owned()).or_default() += 1;
        }
        let refs = |rules: &[&Rule]| -> Vec<RuleRef> {
            let mut refs: Vec<RuleRef> = rules
                .iter()
                .map(|r| RuleRef {
                    name: r.name.clone(),
                    file: r.file.clone(),
                })
                .collect();
            refs.sort();
            refs
        };
        let mut techniques = Vec::new();
        let (mut revoked, mut deprecated, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
        for (id, rules) in &claimed {
            match reference::attack_technique_name(id) {
                Some(name) => {
                    let mut entry = TechniqueCoverage {
                        id: id.clone(),
                        name,
                        tactics: reference::attack_technique_tactics(id).unwrap_or_default(),
                        rules: refs(rules),
                        by_kind: BTreeMap::new(),
                        by_severity: BTreeMap::new(),
                        enabled: 0,
                    };
                    for rule in rules {
                        *entry.by_kind.entry(rule.kind).or_default() += 1;
                        *entry
                            .by_severity
                            .entry(rule.severity.unwrap_or("(none)"))
                            .or_default() += 1;
                        entry.enabled += usize::from(rule.enabled);
                    }
                    techniques.push(entry);
                }
                None => {
                    let retired = |name, replaced_by| Retired {
                        id: id.clone(),
                        name,
                        replaced_by,
                        rules: refs(rules),
                    };
                    if let Some((name, by)) = reference::revoked_technique(id) {
                        revoked.push(retired(Some(name), Some(by)));
                    } else if let Some(name) = reference::deprecated_technique(id) {
                        deprecated.push(retired(Some(name), None));
                    } else {
                        unknown.push(retired(None, None));
                    }
                }
            }
        }
        let covered_parents: BTreeSet<&str> = techniques.iter().map(|t| parent(&t.id)).collect();
        let tactics = reference::attack_matrix()
            .iter()
            .map(|&(id, shortname, name, rule_name)| {
                let in_tactic = |technique: &str| {
                    reference::attack_technique_tactics(technique)
                        .is_some_and(|tactics| tactics.contains(&shortname))
                };
                let listing: Vec<&Rule> = pack
                    .rules
                    .iter()
                    .filter(|r| r.tactics.iter().any(|t| t == rule_name))
                    .collect();
                let without: Vec<&Rule> = listing
                    .iter()
                    .copied()
                    .filter(|r| !r.techniques.iter().any(|t| in_tactic(t)))
                    .collect();
                let (mut total, mut covered) = (0, 0);
                for t in reference::attack_tactic_techniques(shortname) {
                    total += 1;
                    covered += usize::from(covered_parents.contains(t));
                }
                TacticCoverage {
                    id,
                    shortname,
                    name,
                    rules: listing.len(),
                    rules_without_techniques: refs(&without),
                    techniques_covered: covered,
                    techniques_total: total,
                }
            })
            .collect();
        Coverage {
            attack_version: reference::ATTACK_VERSION,
            rules: pack.rules.len(),
            files_not_rules: pack.not_rules,
            tactics,
            techniques,
            revoked,
            deprecated,
            unknown,
            inventory,
        }
    }

    /// Rules that name a technique or one of its sub-techniques, by parent technique id.
    pub fn rules_by_parent(&self) -> BTreeMap<&str, BTreeSet<&RuleRef>> {
        let mut by_parent: BTreeMap<&str, BTreeSet<&RuleRef>> = BTreeMap::new();
        for t in &self.techniques {
            by_parent.entry(parent(&t.id)).or_default().extend(&t.rules);
        }
        by_parent
    }
}
