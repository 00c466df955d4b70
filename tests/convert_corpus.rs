//! Conversion tests over ../shared: the corpus, the official ARM schemas and the
//! SentinelARConverter fixtures. Ignored by default; CI runs them with `--ignored`.
//!
//! The ARM schemas `$ref` each other by URL (`https://schema.management.azure.com/...`);
//! a retriever maps those URLs to the copies in ../shared/reference/arm-schemas, so nothing
//! is fetched.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use sentinel_lint::convert::arm::{ArmOptions, DEFAULT_API_VERSION};
use sentinel_lint::convert::batch::{self, ArmBatchOptions, Batch, Input};
use sentinel_lint::convert::{Status, canonical, from_arm, yaml as rule_yaml};
use sentinel_lint::diagnostics::Severity;
use sentinel_lint::model::read;
use sentinel_lint::model::shape::Shape;
use sentinel_lint::pipeline::{self, Settings, SourceFile};
use sentinel_lint::reference;
use sentinel_lint::text::LineIndex;
use sentinel_lint::yaml;

fn shared() -> PathBuf {
    std::env::var_os("SENTINEL_LINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn schemas() -> PathBuf {
    shared().join("reference/arm-schemas")
}

fn inputs_under(folder: &Path, accept: fn(&Path) -> bool) -> Vec<Input> {
    pipeline::discover::walk_folder(folder, accept)
        .unwrap()
        .into_iter()
        .map(|path| Input {
            path: path.display().to_string(),
            relative: path.strip_prefix(folder).unwrap().to_path_buf(),
            bytes: std::fs::read(&path).unwrap(),
            unreadable: None,
            explicit: false,
        })
        .collect()
}

fn corpus_yaml() -> Vec<Input> {
    let inputs = inputs_under(&shared().join("corpus"), pipeline::discover::is_yaml);
    assert_eq!(inputs.len(), 3222);
    inputs
}

fn corpus_json() -> Vec<Input> {
    let inputs = inputs_under(&shared().join("corpus"), |p| {
        p.extension().is_some_and(|e| e == "json")
    });
    assert_eq!(inputs.len(), 149);
    inputs
}

fn arm_options(api_version: &str, force: bool) -> ArmBatchOptions {
    ArmBatchOptions {
        arm: ArmOptions {
            api_version: reference::arm_api_version(api_version).unwrap(),
            enabled: None,
        },
        bundle: false,
        force,
    }
}

// ---- the official schemas ---------------------------------------------------------------

/// Serves `https://schema.management.azure.com/schemas/<version>/<file>` from
/// `arm-schemas/<version>__<file>`. With `strict`, every object schema that lists its
/// properties gets `additionalProperties: false`, so that a property the api-version does not
/// have is an error (the official schemas allow any).
struct LocalSchemas {
    strict: bool,
}

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = uri.as_str();
        let rest = text
            .strip_prefix("https://schema.management.azure.com/schemas/")
            .ok_or_else(|| format!("not an ARM schema: {text}"))?;
        let rest = rest.split('#').next().unwrap_or_default();
        let file = rest.replacen('/', "__", 1);
        let mut value: Value =
            serde_json::from_str(&std::fs::read_to_string(schemas().join(&file))?)?;
        if self.strict && file.contains("Microsoft.") {
            close_objects(&mut value);
            // The alert rule definitions describe `kind` and `properties` only; the resource's
            // `type`, `apiVersion` and `name` are the envelope's.
            for (name, definition) in value["definitions"].as_object_mut().into_iter().flatten() {
                if name.ends_with("AlertRule") {
                    definition
                        .as_object_mut()
                        .map(|d| d.remove("additionalProperties"));
                }
            }
        }
        Ok(value)
    }
}

fn close_objects(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

struct Validators {
    envelope: jsonschema::Validator,
    /// (api-version, kind or "savedSearch", strict) -> validator.
    resources: std::sync::Mutex<BTreeMap<(String, String, bool), Arc<jsonschema::Validator>>>,
}

impl Validators {
    fn new() -> Self {
        // The template envelope, with its list of every resource type of Azure (which refers
        // to hundreds of other files) reduced to what every resource has; the resources are
        // validated against their own schemas below.
        let mut envelope: Value = serde_json::from_str(
            &std::fs::read_to_string(schemas().join("2019-04-01__deploymentTemplate.json"))
                .unwrap(),
        )
        .unwrap();
        envelope["definitions"]["resource"] =
            serde_json::json!({"$ref": "#/definitions/resourceBase"});
        let envelope = jsonschema::options()
            .with_retriever(LocalSchemas { strict: false })
            .build(&envelope)
            .expect("the deployment template schema compiles");
        Validators {
            envelope,
            resources: Default::default(),
        }
    }

    fn resource(&self, api_version: &str, kind: &str, strict: bool) -> Arc<jsonschema::Validator> {
        let key = (api_version.to_owned(), kind.to_owned(), strict);
        let mut cache = self.resources.lock().unwrap();
        cache
            .entry(key)
            .or_insert_with(|| {
                let reference = match kind {
                    "savedSearch" => format!(
                        "https://schema.management.azure.com/schemas/{api_version}/Microsoft.OperationalInsights.json#/resourceDefinitions/workspaces_savedSearches"
                    ),
                    "NRT" => format!(
                        "https://schema.management.azure.com/schemas/{api_version}/Microsoft.SecurityInsights.json#/definitions/NrtAlertRule"
                    ),
                    _ => format!(
                        "https://schema.management.azure.com/schemas/{api_version}/Microsoft.SecurityInsights.json#/definitions/ScheduledAlertRule"
                    ),
                };
                let schema = serde_json::json!({"$schema": "http://json-schema.org/draft-04/schema#", "$ref": reference});
                Arc::new(
                    jsonschema::options()
                        .with_retriever(LocalSchemas { strict })
                        .build(&schema)
                        .unwrap_or_else(|e| panic!("{reference}: {e}")),
                )
            })
            .clone()
    }

    /// Every error of a template, as text (empty when it is valid).
    fn errors(&self, template: &Value) -> Vec<String> {
        let mut errors: Vec<String> = self
            .envelope
            .iter_errors(template)
            .map(|e| format!("envelope: {e}"))
            .collect();
        for resource in template["resources"].as_array().unwrap() {
            let api_version = resource["apiVersion"].as_str().unwrap();
            let kind = if resource["type"]
                .as_str()
                .unwrap()
                .ends_with("savedSearches")
            {
                "savedSearch"
            } else {
                resource["kind"].as_str().unwrap()
            };
            for strict in [false, true] {
                let validator = self.resource(api_version, kind, strict);
                errors.extend(validator.iter_errors(resource).map(|e| {
                    format!(
                        "{api_version} {kind}{}: {e} at {}",
                        if strict { " (strict)" } else { "" },
                        e.instance_path()
                    )
                }));
            }
        }
        errors
    }
}

/// The first few failures, for a message.
fn first(failures: &[String]) -> String {
    failures
        .iter()
        .take(20)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which rule files `check` passes without errors (the pack-level lints included).
fn clean_rules(inputs: &[Input]) -> HashSet<String> {
    let paths: Vec<PathBuf> = inputs.iter().map(|i| PathBuf::from(&i.path)).collect();
    let report = pipeline::check_files(&paths, &Settings::default());
    let analyzed: Vec<Shape> = inputs
        .iter()
        .map(|i| SourceFile::read(&i.path, &i.bytes).map_or(Shape::Unreadable, |s| s.shape))
        .collect();
    report
        .files
        .iter()
        .zip(analyzed)
        .filter(|(file, shape)| {
            matches!(shape, Shape::Rule(_))
                && file
                    .diagnostics
                    .iter()
                    .all(|d| d.severity != Severity::Error)
        })
        .map(|(file, _)| file.path.clone())
        .collect()
}

#[test]
#[ignore = "needs ../shared"]
fn every_clean_corpus_rule_converts_and_validates_against_the_official_schema() {
    let inputs = corpus_yaml();
    let clean = clean_rules(&inputs);
    let validators = Validators::new();
    println!("rules `check` passes without errors: {}", clean.len());
    for api_version in [
        DEFAULT_API_VERSION,
        "2025-09-01",
        "2024-01-01-preview",
        "2023-10-01-preview",
        "2021-03-01-preview",
        "2020-01-01",
    ] {
        let batch = batch::to_arm(
            &inputs,
            &arm_options(api_version, false),
            &Settings::default(),
        );
        let mut statuses: BTreeMap<Status, usize> = BTreeMap::new();
        for report in &batch.reports {
            *statuses.entry(report.status).or_default() += 1;
            if clean.contains(&report.file) && report.status == Status::Unsupported {
                let nrt_on_stable = report
                    .notes
                    .iter()
                    .any(|n| n.message.contains("has no NRT rules"));
                assert!(
                    nrt_on_stable,
                    "{api_version}: a clean rule was not converted: {report:#?}"
                );
            }
        }
        let converted: Vec<&String> = batch
            .reports
            .iter()
            .filter(|r| r.status != Status::Unsupported)
            .map(|r| &r.file)
            .collect();
        assert!(
            converted.iter().all(|f| clean.contains(*f)),
            "only clean rules are converted without --force"
        );
        let mut valid = 0;
        let mut failures = Vec::new();
        for output in &batch.outputs {
            let template: Value = serde_json::from_str(&output.text).unwrap();
            let errors = validators.errors(&template);
            if errors.is_empty() {
                valid += 1;
            } else {
                failures.push(format!(
                    "{}: {}",
                    output.relative.display(),
                    errors.join("; ")
                ));
            }
        }
        println!(
            "{api_version}: {} converted ({} approximate), {} not converted; {} templates, {valid} schema-valid",
            statuses.get(&Status::Converted).unwrap_or(&0),
            statuses.get(&Status::Approximate).unwrap_or(&0),
            statuses.get(&Status::Unsupported).unwrap_or(&0),
            batch.outputs.len()
        );
        assert!(
            failures.is_empty(),
            "{} templates do not validate:\n{}",
            failures.len(),
            first(&failures)
        );
        assert_eq!(valid, converted.len());
    }
}

#[test]
#[ignore = "needs ../shared"]
fn forced_conversions_of_the_whole_corpus_validate_too() {
    let inputs = corpus_yaml();
    let validators = Validators::new();
    let batch = batch::to_arm(
        &inputs,
        &arm_options(DEFAULT_API_VERSION, true),
        &Settings::default(),
    );
    let mut failures = Vec::new();
    for output in &batch.outputs {
        let template: Value = serde_json::from_str(&output.text).unwrap();
        let errors = validators.errors(&template);
        if !errors.is_empty() {
            failures.push(format!(
                "{}: {}",
                output.relative.display(),
                errors.join("; ")
            ));
        }
    }
    println!(
        "--force: {} converted, {} approximate, {} not converted; {} templates, {} schema-valid",
        batch.count(Status::Converted),
        batch.count(Status::Approximate),
        batch.count(Status::Unsupported),
        batch.outputs.len(),
        batch.outputs.len() - failures.len()
    );
    assert!(failures.is_empty(), "{}", first(&failures));
}

#[test]
#[ignore = "needs ../shared"]
fn yaml_to_arm_to_yaml_keeps_every_field_over_the_corpus() {
    let inputs = corpus_yaml();
    let batch = batch::to_arm(
        &inputs,
        &arm_options(DEFAULT_API_VERSION, true),
        &Settings::default(),
    );
    let mut compared = 0;
    for output in &batch.outputs {
        let report = &batch.reports[output.rules[0]];
        let input = inputs.iter().find(|i| i.path == report.file).unwrap();
        let source = SourceFile::read(&input.path, &input.bytes).unwrap();
        let (rule_type, root) = source.rule().unwrap();
        let original = read::read_rule(rule_type, root).unwrap();
        // The model holds what was read (an invalid tactic that --force left out is not in it).
        let template = yaml::parse_data(&output.text, &LineIndex::new(&output.text)).unwrap();
        let reading = from_arm::read_template(&template);
        let back = reading.rules[0].result.as_ref().unwrap();
        assert!(
            back.notes.iter().all(|n| !n.approximate),
            "{}: {:?}",
            report.file,
            back.notes
        );
        assert_eq!(
            canonical(&back.rule),
            canonical(&original.rule),
            "{}",
            report.file
        );
        compared += 1;
        // The YAML written for it reads back as exactly that rule.
        let text = rule_yaml::to_yaml(&back.rule).unwrap();
        let parsed = yaml::parse(&text, &LineIndex::new(&text));
        let again = read::read_rule(back.rule.rule_type(), &parsed.documents[0]).unwrap();
        assert_eq!(again.rule, back.rule, "{}:\n{text}", report.file);
    }
    println!(
        "YAML -> ARM -> YAML: {compared} rules compared field by field, all equal ({} converted, {} approximate)",
        batch.count(Status::Converted),
        batch.count(Status::Approximate),
    );
    assert_eq!(compared, batch.outputs.len());
}

/// Lints whose findings on YAML written from ARM say what the ARM itself lacks or holds:
/// the output cannot do better than its input.
const FROM_THE_ARM: &[(&str, &str)] = &[
    (
        "SL204",
        "a field rule files require and alert rules do not have (requiredDataConnectors' contents, version, description)",
    ),
    (
        "SL207",
        "a text longer than the rule-file limit, as it is in the ARM",
    ),
    (
        "SL211",
        "a connector id; alert rules have none, so `requiredDataConnectors` is empty",
    ),
    (
        "SL214",
        "an empty value, as in the ARM (`requiredDataConnectors: []`, empty grouping lists)",
    ),
    ("SL302", "a tactic as the ARM has it"),
    ("SL303", "a technique as the ARM has it"),
    (
        "SL304",
        "a technique the Azure-Sentinel validator's table does not know, as in the ARM",
    ),
    ("SL305", "a technique given twice in the ARM"),
    ("SL306", "no tactics in the ARM"),
    (
        "SL403",
        "a duration out of the range rule files allow, as in the ARM",
    ),
    (
        "SL404",
        "a period shorter than the frequency, as in the ARM",
    ),
    ("SL405", "a long period, as in the ARM"),
    ("SL408", "a trigger threshold as in the ARM"),
    ("SL410", "an incident configuration as in the ARM"),
    ("SL501", "entity mappings as in the ARM"),
    ("SL502", "field mappings as in the ARM"),
    ("SL503", "an entity type as in the ARM"),
    ("SL504", "an entity identifier as in the ARM"),
    ("SL505", "an entity identifier given twice in the ARM"),
    ("SL506", "a required identifier missing in the ARM"),
    ("SL507", "a column name as in the ARM"),
    ("SL508", "legacy custom entity columns in the ARM's query"),
    ("SL509", "custom details as in the ARM"),
    ("SL510", "an alert details override as in the ARM"),
    ("SL511", "event grouping as in the ARM"),
    (
        "SL512",
        "a mapping or detail naming a column the ARM's query does not return",
    ),
    ("SL601", "the ARM's query does not parse"),
    (
        "SL602",
        "a table of the ARM's query that no schema knows (a workspace function or custom table)",
    ),
    (
        "SL603",
        "a column of the ARM's query that its table does not have",
    ),
    (
        "SL605",
        "a table of the ARM's query that no data type names (alert rules have no connectors)",
    ),
    ("SL606", "a data type the ARM's query does not read"),
    (
        "SL607",
        "a time filter of the ARM's query reaching further back than its query period",
    ),
    ("SL608", "the ARM's query searches every table"),
    ("SL108", "non-ASCII characters in the ARM's text"),
    ("SL215", "a Markdown fence in the ARM's description"),
    (
        "SL212",
        "a description longer than hunting queries allow, as in the ARM",
    ),
    (
        "SL701",
        "the same rule id in several resources of the ARM files (664 alert rules of the corpus share their id with another; Solution templates that name rules by `[newGuid()]` get ids from their names)",
    ),
    (
        "SL703",
        "the same rule (so the same file name) in several ARM files",
    ),
];

#[test]
#[ignore = "needs ../shared"]
fn arm_to_yaml_over_the_corpus_converts_every_supported_rule() {
    let inputs = corpus_json();
    let batch: Batch = batch::to_yaml(&inputs);
    let allowed: BTreeMap<&str, &str> = FROM_THE_ARM.iter().copied().collect();
    // Every alert rule of kind Scheduled or NRT converts; only other kinds and templates
    // whose query is an unevaluated ARM expression do not.
    let mut unsupported_kinds: BTreeMap<String, usize> = BTreeMap::new();
    for report in batch
        .reports
        .iter()
        .filter(|r| r.status == Status::Unsupported)
    {
        let reason = &report.notes[0].message;
        let kind = reason
            .strip_prefix("alert rules of kind `")
            .and_then(|r| r.split('`').next())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                assert!(
                    report.notes.iter().any(|n| n
                        .message
                        .contains("ARM expression that is only known at deployment")),
                    "{report:#?}"
                );
                "parameterized template".into()
            });
        *unsupported_kinds.entry(kind).or_default() += 1;
    }
    // The written YAML passes `check`, or reports only what the ARM itself lacks or holds.
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    let mut clean = 0;
    let mut clean_alone = 0;
    // Checked as a pack, as `check` would check the folder written.
    let checked: Vec<_> = batch
        .outputs
        .iter()
        .map(|o| pipeline::check_source(&o.relative.display().to_string(), o.text.as_bytes()))
        .collect();
    let report = pipeline::finish(checked, &Settings::default());
    for (file, output) in report.files.iter().zip(&batch.outputs) {
        let findings: Vec<_> = file
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        if findings.is_empty() {
            clean += 1;
        }
        if findings
            .iter()
            .all(|d| ["SL701", "SL703"].contains(&d.code))
        {
            clean_alone += 1;
        }
        for d in findings {
            assert!(
                allowed.contains_key(d.code),
                "{}: {} {}\n{}",
                file.path,
                d.code,
                d.message,
                output.text
            );
            *per_code.entry(d.code).or_default() += 1;
        }
    }
    let rules = batch.reports.len();
    println!(
        "ARM -> YAML: {} files, {rules} rules: {} converted, {} approximate, {} not converted {unsupported_kinds:?}",
        inputs.len(),
        batch.count(Status::Converted),
        batch.count(Status::Approximate),
        batch.count(Status::Unsupported),
    );
    println!(
        "written YAML without warnings or errors: {clean} of {} ({clean_alone} apart from the duplicates across files); findings (all from the ARM): {per_code:?}",
        batch.outputs.len()
    );
    assert_eq!(
        batch.outputs.len(),
        batch.count(Status::Converted) + batch.count(Status::Approximate)
    );
    let kinds: BTreeSet<&str> = unsupported_kinds.keys().map(String::as_str).collect();
    assert!(
        kinds.is_subset(&BTreeSet::from([
            "Anomaly",
            "Fusion",
            "MLBehaviorAnalytics",
            "MicrosoftSecurityIncidentCreation",
            "parameterized template"
        ])),
        "{kinds:?}"
    );
}

// ---- SentinelARConverter fixtures ------------------------------------------------------

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Properties on which our output differs from the fixture's ARM, and why. Everything else
/// must be equal (nulls count as absent: ARM exports write `null` for what is not set).
const FIXTURE_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "*",
        "id",
        "the fixture is a portal export: its resource `id` is read-only export output, not part of a deployable template",
    ),
    (
        "*",
        "alertRuleTemplateName",
        "portal-only value: the export names the Microsoft template the deployed rule was created from; a converted rule names its own id",
    ),
    (
        "Scheduled",
        "techniques",
        "the export's rule has `T1078`, the YAML has no relevantTechniques: the two fixtures are not the same revision of the rule",
    ),
    (
        "ScheduledBadGuid",
        "templateVersion",
        "portal-only value: the exported rule was created without a template, so it has no templateVersion; the YAML's `version` is written",
    ),
    (
        "ScheduledBadGuid",
        "techniques",
        "portal export artefact: `techniques: []`; the YAML has none, and an empty list is not written",
    ),
    (
        "ScheduledBadGuid",
        "name",
        "the YAML's id `z-4a5f-...` is not a GUID; the export carries the GUID the portal made at random, we derive one from the id (UUIDv5) so that a rerun gives the same resource",
    ),
    (
        "TTPWithTacticsNTechniques",
        "description",
        "known bug: the fixture keeps the YAML's wrapping quotes `'...'`; the Solutions packager removes them, as we do",
    ),
    (
        "TTPWithTacticsNTechniques",
        "status",
        "known bug: `status` is a property of alert rule templates, not of alert rules; we keep it in the template's metadata",
    ),
    (
        "TTPWithTacticsNTechniques",
        "tags",
        "known bug: `tags` is not an alert rule property; we keep it in the template's metadata",
    ),
    (
        "TTPWithTacticsNTechniques",
        "techniques",
        "the fixture drops `T9912` through its allow-list of 201 techniques (which also drops real techniques newer than T1659); ARM takes any `T####`, so we keep it (check reports it as SL304, so it only gets here with --force)",
    ),
];

#[test]
#[ignore = "needs ../shared"]
fn sentinel_ar_converter_fixtures() {
    let folder = shared().join("reference/arm-fixtures");
    let mut listed = 0;
    for name in [
        "Scheduled",
        "NRT",
        "ScheduledBadGuid",
        "TTPWithTacticsNTechniques",
    ] {
        let mut expected: Value = serde_json::from_str(
            std::fs::read_to_string(folder.join(format!("{name}.json")))
                .unwrap()
                .trim_start_matches('\u{feff}'),
        )
        .unwrap();
        strip_nulls(&mut expected);
        let expected = expected["resources"][0].clone();
        // Written for the fixture's api-version, so that what a version has is the same.
        let api_version = expected["apiVersion"].as_str().unwrap();
        let input = Input {
            path: format!("{name}.yaml"),
            relative: PathBuf::from(format!("{name}.yaml")),
            bytes: std::fs::read(folder.join(format!("{name}.yaml"))).unwrap(),
            unreadable: None,
            explicit: true,
        };
        // The fixtures lack `requiredDataConnectors` and so fail `check`: --force.
        let batch = batch::to_arm(
            &[input],
            &arm_options(api_version, true),
            &Settings::default(),
        );
        let ours: Value = serde_json::from_str(&batch.outputs[0].text).unwrap();
        let ours = ours["resources"][0].clone();
        let mut differing: BTreeSet<String> = BTreeSet::new();
        for key in ["type", "apiVersion", "name", "kind", "id"] {
            if ours.get(key) != expected.get(key) {
                differing.insert(key.to_owned());
            }
        }
        let (a, b) = (
            ours["properties"].as_object().unwrap(),
            expected["properties"].as_object().unwrap(),
        );
        for key in a.keys().chain(b.keys()) {
            if a.get(key) != b.get(key) {
                differing.insert(key.clone());
            }
        }
        let allowed: BTreeSet<String> = FIXTURE_EXCEPTIONS
            .iter()
            .filter(|(fixture, _, _)| *fixture == "*" || *fixture == name)
            .map(|(_, key, _)| key.to_string())
            .collect();
        let unexplained: Vec<&String> =
            differing.iter().filter(|k| !allowed.contains(*k)).collect();
        assert!(
            unexplained.is_empty(),
            "{name}: {unexplained:?} differ\nours: {ours:#}\nfixture: {expected:#}"
        );
        for key in &differing {
            let why = FIXTURE_EXCEPTIONS
                .iter()
                .find(|(f, k, _)| (*f == "*" || *f == name) && k == key)
                .map(|(_, _, why)| *why)
                .unwrap_or_default();
            println!("{name}: `{key}`: {why}");
            listed += 1;
        }
        let equal = a.keys().chain(b.keys()).collect::<BTreeSet<_>>().len()
            - differing
                .iter()
                .filter(|k| a.contains_key(*k) || b.contains_key(*k))
                .count();
        println!("{name}: {equal} properties equal");
    }
    println!("{listed} differences, each explained");
}

#[test]
#[ignore = "needs ../shared"]
fn sentinel_ar_converter_exports_convert_to_yaml() {
    let folder = shared().join("reference/arm-fixtures");
    let inputs: Vec<Input> = [
        "Scheduled",
        "NRT",
        "ScheduledBadGuid",
        "ScheduledMultiple",
        "ScheduledNRTMultiple",
        "TTPWithTacticsNTechniques",
        "MicrosoftSecurityIncidentCreation",
    ]
    .iter()
    .map(|name| Input {
        path: format!("{name}.json"),
        relative: PathBuf::from(format!("{name}.json")),
        bytes: std::fs::read(folder.join(format!("{name}.json"))).unwrap(),
        unreadable: None,
        explicit: true,
    })
    .collect();
    let batch = batch::to_yaml(&inputs);
    let ids: Vec<String> = batch
        .outputs
        .iter()
        .filter(|o| batch.reports[o.rules[0]].file == "ScheduledNRTMultiple.json")
        .map(|o| {
            o.text
                .lines()
                .next()
                .unwrap()
                .trim_start_matches("id: ")
                .to_owned()
        })
        .collect();
    // The ids SentinelARConverter's tests expect.
    assert!(
        ids.contains(&"1baffb8f-9fc6-468e-aff6-91da707ec37d".to_owned()),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"4a4364e4-bd26-46f6-a040-ab14860275f8".to_owned()),
        "{ids:?}"
    );
    let unsupported: Vec<&str> = batch
        .reports
        .iter()
        .filter(|r| r.status == Status::Unsupported)
        .map(|r| r.file.as_str())
        .collect();
    assert_eq!(unsupported, ["MicrosoftSecurityIncidentCreation.json"]);
    // techniques + subTechniques merge, sub-techniques in place of their technique.
    let ttp = batch
        .outputs
        .iter()
        .find(|o| batch.reports[o.rules[0]].file == "TTPWithTacticsNTechniques.json")
        .unwrap();
    assert!(
        ttp.text
            .contains("relevantTechniques:\n  - T1078.003\n  - T1078.004\n"),
        "{}",
        ttp.text
    );
}

// ---- Sigma ------------------------------------------------------------------------------

use sentinel_lint::convert::sigma::detection::{Cond, Item};
use sentinel_lint::convert::sigma::model::{Scalar, unescape};
use sentinel_lint::convert::sigma::{SigmaOptions, query as sigma_query};

fn sigma_options() -> SigmaOptions {
    SigmaOptions {
        status: "experimental".into(),
        author: None,
        date: "2026-11-22".into(),
        default_author: Some("Sentinel Lint Corpus Test".into()),
        dates: Default::default(),
        technique_tactics: false,
    }
}

/// The Python of a venv with sigma-cli, pySigma-validators-sigmahq and pySigma-backend-kusto
/// (.ci/run makes target/ci-sigma).
fn sigma_python() -> PathBuf {
    std::env::var_os("SIGMA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-sigma/bin/python"))
}

fn sigma_tool(command: &str, argument: &Path) -> Value {
    let python = sigma_python();
    assert!(
        python.exists(),
        "{} does not exist: run .ci/run (which makes it) or set SIGMA_PYTHON",
        python.display()
    );
    let output = std::process::Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/sigma_tools.py"))
        .arg(command)
        .arg(argument)
        .env("SENTINEL_LINT_SHARED", shared())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "sigma_tools.py {command}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
}

/// The documents of a Sigma file, as our own YAML reader reads them.
fn sigma_documents(text: &str) -> Vec<Value> {
    yaml::parse_documents(text, &LineIndex::new(text))
        .unwrap()
        .iter()
        .map(|d| d.to_json())
        .collect()
}

/// Write the outputs of a batch under `folder`, each with a `.json` sidecar: the documents as
/// our own YAML reader reads them.
fn write_sigma(batch: &Batch, folder: &Path) -> Vec<(PathBuf, Vec<Value>)> {
    let mut written = Vec::new();
    for output in &batch.outputs {
        let path = folder.join(&output.relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &output.text).unwrap();
        let documents = sigma_documents(&output.text);
        std::fs::write(
            path.with_extension("json"),
            serde_json::to_string(&documents).unwrap(),
        )
        .unwrap();
        written.push((path, documents));
    }
    written
}

fn sigma_schema(file: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("reference/sigma").join(file)).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn top_reasons(batch: &Batch) -> Vec<(String, usize)> {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for report in batch
        .reports
        .iter()
        .filter(|r| r.status == Status::Unsupported)
    {
        let first = report
            .notes
            .first()
            .map(|n| n.message.as_str())
            .unwrap_or("?");
        if report
            .notes
            .iter()
            .any(|n| n.message.contains("`check` finds errors"))
        {
            *reasons
                .entry("`check` finds errors in the rule (no --force)".into())
                .or_default() += 1;
            continue;
        }
        // The construct, without the names of this rule's columns and values (keywords,
        // in lower case, stay).
        let mut reason = String::new();
        for (i, part) in first.split('`').enumerate() {
            if i % 2 == 0 {
                reason.push_str(part);
            } else if !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
            {
                reason.push_str(&format!("`{part}`"));
            } else {
                reason.push_str("`…`");
            }
        }
        *reasons.entry(reason).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = reasons.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

#[test]
#[ignore = "needs ../shared"]
fn sigma_over_the_corpus_passes_the_schemas_pyyaml_and_sigma_check() {
    let inputs = corpus_yaml();
    {
        let batch = batch::to_sigma(&inputs, &sigma_options(), &Settings::default());
        println!(
            "--to sigma: {} rules: {} exact, {} approximate, {} unsupported ({} files skipped: not rules)",
            batch.reports.len(),
            batch.count(Status::Converted),
            batch.count(Status::Approximate),
            batch.count(Status::Unsupported),
            batch.skipped.len()
        );
        println!("top reasons for unsupported:");
        for (reason, count) in top_reasons(&batch).iter().take(15) {
            println!("{count:>6}  {reason}");
        }
        let folder = tempfile::tempdir().unwrap();
        let written = write_sigma(&batch, folder.path());
        let rule_schema = sigma_schema("sigma-detection-rule-schema.json");
        let correlation_schema = sigma_schema("sigma-correlation-rules-schema.json");
        let mut documents = 0;
        let mut correlations = 0;
        for (path, docs) in &written {
            for doc in docs {
                documents += 1;
                let schema = if doc.get("correlation").is_some() {
                    correlations += 1;
                    &correlation_schema
                } else {
                    &rule_schema
                };
                let errors: Vec<String> = schema
                    .iter_errors(doc)
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            }
        }
        println!(
            "{} files, {documents} Sigma documents ({correlations} correlation rules): all valid against the Sigma JSON schemas",
            written.len()
        );
        let yaml = sigma_tool("yaml", folder.path());
        assert_eq!(
            yaml["differ"],
            serde_json::json!([]),
            "PyYAML reads these otherwise than meant"
        );
        println!("PyYAML reads all {} files as meant", yaml["files"]);
        let check = sigma_tool("check", folder.path());
        println!("sigma check: {check}");
        assert_eq!(check["errors"], 0, "{check}");
        assert_eq!(check["condition_errors"], 0, "{check}");
    }
}

/// A condition in disjunctive normal form: a set of conjunctions of (negated, field,
/// modifiers, value) atoms, with values as the literals they stand for, in lower case (Sigma
/// and `=~` compare in any case).
type Atom = (bool, String, String, String);

fn dnf(cond: &Cond, negated: bool, limit: usize) -> Option<BTreeSet<BTreeSet<Atom>>> {
    let atom = |item: &Item, value: &Scalar| -> Atom {
        let value = match value {
            Scalar::Str(s) => unescape(s).to_lowercase(),
            Scalar::Int(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Null => "null".into(),
        };
        let modifiers: Vec<&str> = item
            .modifiers
            .iter()
            .copied()
            .filter(|m| *m != "all" && *m != "i")
            .collect();
        (
            negated,
            item.field.to_lowercase(),
            modifiers.join("|"),
            value,
        )
    };
    let set = match cond {
        Cond::Item(item) => {
            let atoms: Vec<Atom> = item.values.iter().map(|v| atom(item, v)).collect();
            let all = item.modifiers.contains(&"all");
            // Values are alternatives (all of them with `|all`); negation swaps the two.
            if all != negated {
                BTreeSet::from([atoms.into_iter().collect()])
            } else {
                atoms.into_iter().map(|a| BTreeSet::from([a])).collect()
            }
        }
        Cond::Not(inner) => return dnf(inner, !negated, limit),
        Cond::And(children) | Cond::Or(children) => {
            let conjunction = matches!(cond, Cond::And(_)) != negated;
            let parts: Vec<BTreeSet<BTreeSet<Atom>>> = children
                .iter()
                .map(|c| dnf(c, negated, limit))
                .collect::<Option<_>>()?;
            if conjunction {
                let mut acc: BTreeSet<BTreeSet<Atom>> = BTreeSet::from([BTreeSet::new()]);
                for part in parts {
                    let mut next = BTreeSet::new();
                    for a in &acc {
                        for b in &part {
                            next.insert(a.union(b).cloned().collect());
                            if next.len() > limit {
                                return None;
                            }
                        }
                    }
                    acc = next;
                }
                acc
            } else {
                parts.into_iter().flatten().collect()
            }
        }
    };
    (set.len() <= limit).then_some(set)
}

#[test]
#[ignore = "needs ../shared"]
fn sigma_round_trip_through_the_kusto_backend() {
    let inputs = corpus_yaml();
    let batch = batch::to_sigma(&inputs, &sigma_options(), &Settings::default());
    let folder = tempfile::tempdir().unwrap();
    let mut manifest = Vec::new();
    let mut originals = BTreeMap::new();
    for (output, mut analyses) in batch.outputs.iter().zip(output_analyses(&batch, &inputs)) {
        // The file's first document: the rule of the first table.
        let original = analyses.remove(0);
        let report = &batch.reports[output.rules[0]];
        let path = folder.path().join(&output.relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // The base rule only: the backend converts no correlation rules.
        let base = output.text.split("\n---\n").next().unwrap_or_default();
        std::fs::write(&path, base).unwrap();
        let category = base.contains("\n    category: ");
        manifest
            .push(serde_json::json!({"file": path, "table": original.table, "category": category}));
        originals.insert(path.display().to_string(), (original, report.file.clone()));
    }
    let manifest_path = folder.path().join("manifest.json");
    std::fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let results = sigma_tool("kusto", &manifest_path);
    let (mut same, mut differ, mut unreadable, mut too_large) = (0, 0, 0, 0);
    let mut backend_errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples = Vec::new();
    let with_category: HashSet<String> = manifest
        .iter()
        .filter(|m| m["category"] == true)
        .map(|m| m["file"].as_str().unwrap().to_owned())
        .collect();
    let mut category_errors = Vec::new();
    for (file, result) in results.as_object().unwrap() {
        let Some(kql) = result["kql"]
            .as_array()
            .and_then(|q| q.first())
            .and_then(Value::as_str)
        else {
            let error = result["error"].as_str().unwrap_or_default();
            if with_category.contains(file) {
                category_errors.push(format!("{file}: {error}"));
            }
            // The backend's message without the rule's own names.
            let kind: String = error
                .split(['.', '('])
                .next()
                .unwrap_or_default()
                .chars()
                .take(90)
                .collect();
            let kind = match kind.find("field name encountered") {
                Some(i) => kind[..i + "field name encountered".len()].to_owned(),
                None => kind,
            };
            *backend_errors.entry(kind).or_default() += 1;
            continue;
        };
        let (original, source) = &originals[file];
        let parsed = sentinel_lint::kql::parse(kql);
        let back = match sigma_query::analyze(&parsed.query) {
            Ok(back) if parsed.errors.is_empty() => back,
            _ => {
                unreadable += 1;
                examples.push(format!(
                    "{source}: our parser cannot read the backend's KQL:\n{kql}"
                ));
                continue;
            }
        };
        let limit = 4096;
        match (
            original.filter.as_ref().and_then(|c| dnf(c, false, limit)),
            back.filter.as_ref().and_then(|c| dnf(c, false, limit)),
        ) {
            (Some(a), Some(b)) if a == b => same += 1,
            (Some(_), Some(_)) => {
                differ += 1;
                if examples.len() < 15 {
                    examples.push(format!("{source}:\n{kql}"));
                }
            }
            _ => too_large += 1,
        }
    }
    println!(
        "round trip through pySigma-backend-kusto: {} rules; {same} read back as the same filter, {differ} differ, {unreadable} unreadable, {too_large} too large to compare; backend errors: {backend_errors:?}",
        results.as_object().unwrap().len()
    );
    for e in &examples {
        println!("---\n{e}");
    }
    assert!(same > 0);
    // A log source with a category: the backend finds the table itself.
    println!(
        "{} rules have a log source with a category; the backend converts {} of them without being given a table",
        with_category.len(),
        with_category.len() - category_errors.len()
    );
    assert!(category_errors.is_empty(), "{category_errors:#?}");
}

/// The query analyses of each output, in the order of its rules: the k-th output of a rule
/// is the k-th table of its `union` (the first and only one otherwise; for a `join`, the
/// left one, whose rule is the file's first document); a `union` counted together is one
/// output of all its tables.
fn output_analyses(batch: &Batch, inputs: &[Input]) -> Vec<Vec<sigma_query::Analysis>> {
    let mut nth: BTreeMap<usize, usize> = BTreeMap::new();
    batch
        .outputs
        .iter()
        .map(|output| {
            let report = &batch.reports[output.rules[0]];
            let k = *nth
                .entry(output.rules[0])
                .and_modify(|k| *k += 1)
                .or_insert(0);
            let input = inputs.iter().find(|i| i.path == report.file).unwrap();
            let source = SourceFile::read(&input.path, &input.bytes).unwrap();
            let mut all = sigma_query::analyze_tables(&source.query.unwrap().parsed.query).unwrap();
            if all.len() > 1 && all.iter().any(|a| a.threshold.is_some()) {
                all
            } else {
                vec![all.remove(k)]
            }
        })
        .collect()
}

/// The tables each rule of each output reads, by file name and Sigma id: for pySigma's
/// kusto backend, which needs it where the log source has no category.
fn sigma_tables_of(batch: &Batch, inputs: &[Input]) -> Value {
    let mut tables = serde_json::Map::new();
    for (output, analyses) in batch.outputs.iter().zip(output_analyses(batch, inputs)) {
        let mut names = Vec::new();
        for analysis in analyses {
            names.push(analysis.table.clone());
            names.extend(analysis.join.as_ref().map(|j| j.right.table.clone()));
        }
        let mut ids = serde_json::Map::new();
        for (document, table) in sigma_documents(&output.text)
            .into_iter()
            .filter(|d| d.get("detection").is_some())
            .zip(&names)
        {
            ids.insert(
                document["id"].as_str().unwrap().to_owned(),
                table.clone().into(),
            );
        }
        let name = output.relative.file_name().unwrap().to_string_lossy();
        tables.insert(name.into_owned(), ids.into());
    }
    tables.into()
}

#[test]
#[ignore = "needs ../shared"]
fn sigma_fixtures_read_back_through_pysigma() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/convert/sigma");
    let inputs = inputs_under(&folder, pipeline::discover::is_yaml);
    let batch = batch::to_sigma(&inputs, &sigma_options(), &Settings::default());
    let out = tempfile::tempdir().unwrap();
    write_sigma(&batch, out.path());
    std::fs::write(
        out.path().join("tables.json"),
        sigma_tables_of(&batch, &inputs).to_string(),
    )
    .unwrap();
    let read = sigma_tool("read", out.path());
    println!("{read:#}");
    let files = read.as_object().unwrap();
    for (name, entry) in files {
        assert_eq!(entry["errors"], serde_json::json!([]), "{name}");
    }
    let file = |name: &str| &files[name];
    // join -> a temporal correlation of two rules grouped by the keys (an alias: they differ).
    let join = file("correlation_join_temporal.yml");
    assert_eq!(join["rules"], 2);
    assert_eq!(join["correlations"][0]["type"], "temporal");
    assert_eq!(
        join["correlations"][0]["group_by"],
        serde_json::json!(["userprincipalname_userid"])
    );
    let kql = join["kql"].to_string();
    assert!(
        kql.contains("SigninLogs") && kql.contains("OfficeActivity"),
        "{kql}"
    );
    // Computed columns -> conditions on their source columns.
    let computed = file("win_security_computed_columns.yml")["kql"][0]
        .as_str()
        .unwrap();
    for part in [
        "ServiceFileName contains",
        "ServiceName in~ (\"updater\", \"helper\")",
        "ServiceFileName matches regex",
        "not(SubjectUserName =~ \"SYSTEM\")",
    ] {
        assert!(computed.contains(part), "{part}: {computed}");
    }
    // union -> a rule per table.
    assert!(
        file("win_security_union_split_security_event.yml")["kql"][0]
            .as_str()
            .unwrap()
            .starts_with("SecurityEvent\n| where EventID == 1102")
    );
    assert!(
        file("union_split_windows_event.yml")["kql"][0]
            .as_str()
            .unwrap()
            .starts_with("WindowsEvent\n| where EventID == 1102")
    );
    // A union counted together -> one event_count of a rule per table (the table read
    // twice is one rule of either filter).
    let counted = file("correlation_union_counted.yml");
    assert_eq!(counted["rules"], 2);
    assert_eq!(counted["correlations"][0]["type"], "event_count");
    assert_eq!(
        counted["correlations"][0]["rules"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // sum -> value_sum.
    assert_eq!(
        file("correlation_sum_threshold.yml")["correlations"][0]["type"],
        "value_sum"
    );
}

/// Does a Sigma detection only test that fields exist (or test nothing)?
fn matches_everything(detection: &Value) -> bool {
    detection
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, _)| *name != "condition")
        .all(|(_, selection)| {
            let items: Vec<&Value> = match selection {
                Value::Array(list) => list.iter().collect(),
                other => vec![other],
            };
            items.iter().all(|item| {
                item.as_object()
                    .is_some_and(|map| map.keys().all(|k| k.contains("|exists")))
            })
        })
}

#[test]
#[ignore = "needs ../shared"]
fn no_sigma_detection_over_the_corpus_matches_everything() {
    let inputs = corpus_yaml();
    let batch = batch::to_sigma(&inputs, &sigma_options(), &Settings::default());
    let (mut detections, mut counted) = (0, 0);
    let mut everything = Vec::new();
    for output in &batch.outputs {
        let documents = sigma_documents(&output.text);
        // Rules a count refers to: the correlation, not they, selects.
        let counted_ids: Vec<&Value> = documents
            .iter()
            .filter(|d| {
                d["correlation"]["type"]
                    .as_str()
                    .is_some_and(|t| t != "temporal" && t != "temporal_ordered")
            })
            .flat_map(|d| d["correlation"]["rules"].as_array().unwrap())
            .collect();
        for document in documents.iter().filter(|d| d.get("detection").is_some()) {
            detections += 1;
            if counted_ids.contains(&&document["id"]) {
                counted += 1;
                continue;
            }
            if matches_everything(&document["detection"]) {
                everything.push(format!(
                    "{}: {}",
                    output.relative.display(),
                    document["title"]
                ));
            }
        }
    }
    println!(
        "{detections} Sigma detections ({counted} counted by an event_count/value_* correlation, which selects); {} match every event",
        everything.len()
    );
    assert!(everything.is_empty(), "{everything:#?}");
    // The check itself: a detection of `exists` tests only is one that matches everything.
    assert!(matches_everything(
        &serde_json::json!({"selection": {"X|exists": true}, "condition": "selection"})
    ));
    assert!(!matches_everything(
        &serde_json::json!({"selection": {"X|exists": true, "Y": 1}, "condition": "selection"})
    ));
}
