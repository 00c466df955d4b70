//! What a YAML file is, before checking it as a rule: an analytics rule, a hunting query,
//! or one of the look-alikes found in real repositories.

use crate::model::RuleType;
use crate::yaml::{Node, ParsedYaml};

/// The classification of a file's first document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// The YAML could not be read.
    Unreadable,
    /// No document at all: an empty file, or only comments.
    Empty,
    /// The document is a scalar or a list, not a mapping.
    NotAMapping,
    /// A mapping with none of the keys of a rule.
    NotARule,
    /// What is left of a rule that moved: an id, a name, and a description that says where
    /// the rule is now (`this file is moved to new location`), no query.
    MovedStub,
    /// Sentinel content in another format.
    Foreign(ForeignFormat),
    /// An analytics rule of a kind sentinel-lint does not check.
    OtherKind {
        /// The kind as written.
        written: String,
        /// The built-in kind it is (or is a misspelling of).
        canonical: &'static str,
    },
    /// A rule sentinel-lint checks.
    Rule(RuleType),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignFormat {
    /// The PascalCase export of the AzSentinel PowerShell module (`DisplayName`, `Query`, ...).
    PascalCaseExport,
    /// An ARM deployment template written as YAML (`$schema`, `resources`).
    ArmTemplate,
    /// Several rules in one file under a `rules:` list.
    Bundle,
}

/// Built-in analytics rule kinds that have no query to check.
pub const OTHER_KINDS: [&str; 5] = [
    "Fusion",
    "MicrosoftSecurityIncidentCreation",
    "MLBehaviorAnalytics",
    "ThreatIntelligence",
    "Anomaly",
];

/// Keys that only a Scheduled rule has.
pub const SCHEDULE_KEYS: [&str; 4] = [
    "queryFrequency",
    "queryPeriod",
    "triggerOperator",
    "triggerThreshold",
];

const RULE_KEYS: [&str; 6] = ["id", "name", "query", "description", "kind", "severity"];
const PASCAL_KEYS: [&str; 8] = [
    "DisplayName",
    "Query",
    "QueryFrequency",
    "QueryPeriod",
    "TriggerOperator",
    "Severity",
    "Tactics",
    "AlertRuleTemplateName",
];

/// What the file at `path` is: as [`classify`], and a file under a `Hunting Queries` folder
/// that carries a stray `kind` but nothing else of an analytics rule (no schedule; for NRT,
/// no severity) is the hunting query its folder says it is.
pub fn classify_at(parsed: &ParsedYaml, path: &str) -> Shape {
    let shape = classify(parsed);
    let Some(root) = parsed.documents.first() else {
        return shape;
    };
    let has = |k: &str| root.get(k).is_some();
    let stray = match shape {
        Shape::Rule(RuleType::Scheduled) => !SCHEDULE_KEYS.iter().any(|k| has(k)),
        Shape::Rule(RuleType::Nrt) => !has("severity"),
        _ => false,
    };
    if stray && has("kind") && in_hunting_folder(path) {
        return Shape::Rule(RuleType::Hunting);
    }
    shape
}

/// Whether a folder of the path is named `Hunting Queries` (as Azure-Sentinel and its
/// Solutions name it), in any case.
pub fn in_hunting_folder(path: &str) -> bool {
    std::path::Path::new(path).parent().is_some_and(|p| {
        p.components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case("Hunting Queries"))
    })
}

pub fn classify(parsed: &ParsedYaml) -> Shape {
    if parsed.syntax_error.is_some() {
        return Shape::Unreadable;
    }
    let Some(root) = parsed.documents.first() else {
        return Shape::Empty;
    };
    let Some(entries) = root.as_map() else {
        return Shape::NotAMapping;
    };
    let has = |k: &str| root.get(k).is_some();
    if !has("query") && !has("name") && PASCAL_KEYS.iter().filter(|k| has(k)).count() >= 2 {
        return Shape::Foreign(ForeignFormat::PascalCaseExport);
    }
    if has("resources") && (has("$schema") || has("contentVersion")) {
        return Shape::Foreign(ForeignFormat::ArmTemplate);
    }
    if !has("query") && root.get("rules").and_then(Node::as_seq).is_some() {
        return Shape::Foreign(ForeignFormat::Bundle);
    }
    if !entries.iter().any(|e| RULE_KEYS.contains(&e.key.as_str())) {
        return Shape::NotARule;
    }
    if is_moved_stub(root) {
        return Shape::MovedStub;
    }
    let has_schedule = SCHEDULE_KEYS.iter().any(|k| has(k));
    let guess = if has_schedule {
        RuleType::Scheduled
    } else if has("severity") {
        RuleType::Nrt
    } else {
        RuleType::Hunting
    };
    match root.get("kind") {
        Some(kind) => match kind.as_str() {
            Some(written) => classify_kind(written, guess),
            None => Shape::Rule(guess),
        },
        None if has_schedule => Shape::Rule(RuleType::Scheduled),
        None => Shape::Rule(RuleType::Hunting),
    }
}

/// Words of the descriptions Azure-Sentinel left in place of rules it moved to Solutions.
const MOVED_WORDS: [&str; 4] = ["moved to", "new location", "content migration", "has moved"];

/// No query, no kind, a few keys, and a description that says the rule moved and links to
/// where it is.
fn is_moved_stub(root: &Node) -> bool {
    let Some(entries) = root.as_map() else {
        return false;
    };
    let description = root
        .get("description")
        .and_then(Node::as_str)
        .map(str::to_ascii_lowercase);
    root.get("query").is_none()
        && root.get("kind").is_none()
        && entries.len() <= 4
        && description.is_some_and(|d| {
            // The words and a link to where the rule is: "moved to" alone may describe
            // what a rule detects.
            MOVED_WORDS.iter().any(|w| d.contains(w)) && d.contains("http")
        })
}

/// A kind that is not Scheduled or NRT (invalid-kind reports it) is checked as what the
/// rest of the file looks like: `guess`.
fn classify_kind(written: &str, guess: RuleType) -> Shape {
    if written.eq_ignore_ascii_case("Scheduled") {
        return Shape::Rule(RuleType::Scheduled);
    }
    if written.eq_ignore_ascii_case("NRT") {
        return Shape::Rule(RuleType::Nrt);
    }
    if let Some(canonical) = OTHER_KINDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(written) || is_misspelling(k, written))
    {
        return Shape::OtherKind {
            written: written.to_owned(),
            canonical,
        };
    }
    Shape::Rule(guess)
}

/// A one- or two-letter slip, ignoring case.
pub fn is_misspelling(canonical: &str, written: &str) -> bool {
    let distance = strsim::osa_distance(
        &canonical.to_ascii_lowercase(),
        &written.to_ascii_lowercase(),
    );
    distance > 0 && distance <= 2.min(canonical.len() / 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;
    use crate::yaml::parse;

    fn shape(text: &str) -> Shape {
        classify(&parse(text, &LineIndex::new(text)))
    }

    #[test]
    fn kinds() {
        assert_eq!(
            shape("id: x\nkind: scheduled\n"),
            Shape::Rule(RuleType::Scheduled)
        );
        assert_eq!(shape("id: x\nkind: Nrt\n"), Shape::Rule(RuleType::Nrt));
        assert_eq!(shape("id: x\nquery: T\n"), Shape::Rule(RuleType::Hunting));
        assert_eq!(
            shape("id: x\nqueryFrequency: 1h\n"),
            Shape::Rule(RuleType::Scheduled)
        );
        assert_eq!(
            shape("id: x\nkind: Anomoly\n"),
            Shape::OtherKind {
                written: "Anomoly".into(),
                canonical: "Anomaly"
            }
        );
        assert_eq!(
            shape("id: x\nkind: Weird\nseverity: Low\n"),
            Shape::Rule(RuleType::Nrt)
        );
        assert_eq!(
            shape("id: x\nkind: HuntingQuery\n"),
            Shape::Rule(RuleType::Hunting)
        );
    }

    #[test]
    fn look_alikes() {
        assert_eq!(shape(""), Shape::Empty);
        assert_eq!(shape("SecurityEvent | take 1\n"), Shape::NotAMapping);
        assert_eq!(shape("foo: bar\n"), Shape::NotARule);
        assert_eq!(
            shape(
                "id: 8c076f9f-ebc5-4018-8795-e1ed4879f68e\nname: n\ndescription: 'As part of content migration, this file is moved to new location. you can find here: https://github.com/x'\n"
            ),
            Shape::MovedStub
        );
        let stray = "id: 8c076f9f-ebc5-4018-8795-e1ed4879f68e\nname: n\ndescription: d\nkind: Scheduled\nquery: T\n";
        let parsed = parse(stray, &LineIndex::new(stray));
        assert_eq!(
            classify_at(&parsed, "Solutions/X/Hunting Queries/q.yaml"),
            Shape::Rule(RuleType::Hunting)
        );
        assert_eq!(
            classify_at(&parsed, "Solutions/X/Analytic Rules/q.yaml"),
            Shape::Rule(RuleType::Scheduled)
        );
        // Without a link, a description that mentions moving is a rule's.
        assert_eq!(
            shape(
                "id: 8c076f9f-ebc5-4018-8795-e1ed4879f68e\nname: n\ndescription: Mail moved to Deleted Items\n"
            ),
            Shape::Rule(RuleType::Hunting)
        );
        // A hunting query without its query is still one.
        assert_eq!(
            shape("id: 8c076f9f-ebc5-4018-8795-e1ed4879f68e\nname: n\ndescription: d\n"),
            Shape::Rule(RuleType::Hunting)
        );
        assert_eq!(
            shape("Id: x\nDisplayName: n\nQuery: q\n"),
            Shape::Foreign(ForeignFormat::PascalCaseExport)
        );
        assert_eq!(
            shape("$schema: s\nresources: []\n"),
            Shape::Foreign(ForeignFormat::ArmTemplate)
        );
        assert_eq!(
            shape("rules:\n  - id: x\n"),
            Shape::Foreign(ForeignFormat::Bundle)
        );
    }
}
