//! Conversion tests over the fixtures of `rules/convert` and `rules/examples`:
//!
//! - the ARM templates and rule YAML written for each fixture, and the report of each rule,
//!   are snapshotted under `snapshots/convert/`;
//! - YAML -> ARM -> YAML gives back a rule of the same meaning;
//! - the outputs are byte-identical across runs and thread counts.

use std::path::{Path, PathBuf};

use sentinel_lint::convert::arm::{ArmOptions, DEFAULT_API_VERSION};
use sentinel_lint::convert::batch::{self, ArmBatchOptions, Batch, Input};
use sentinel_lint::convert::sigma::SigmaOptions;
use sentinel_lint::convert::{Status, canonical, from_arm};
use sentinel_lint::model::RuleFile;
use sentinel_lint::model::read;
use sentinel_lint::model::shape::{self, Shape};
use sentinel_lint::pipeline::Settings;
use sentinel_lint::reference;
use sentinel_lint::text::LineIndex;
use sentinel_lint::yaml;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots/convert"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The files under a folder of the repository, as inputs found by walking it.
fn inputs(folder: &str, accept: fn(&Path) -> bool) -> Vec<Input> {
    let base = root().join(folder);
    sentinel_lint::pipeline::discover::walk_folder(&base, accept)
        .unwrap()
        .into_iter()
        .map(|path| Input {
            path: path
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
            relative: path.strip_prefix(&base).unwrap().to_path_buf(),
            bytes: std::fs::read(&path).unwrap(),
            unreadable: None,
            explicit: false,
        })
        .collect()
}

/// The rules of `rules/convert` (not its Sigma fixtures) and the example pack.
fn yaml_inputs() -> Vec<Input> {
    let mut all: Vec<Input> = inputs("rules/convert", sentinel_lint::pipeline::discover::is_yaml)
        .into_iter()
        .filter(|i| !i.path.starts_with("rules/convert/sigma/"))
        .collect();
    all.extend(inputs(
        "rules/examples",
        sentinel_lint::pipeline::discover::is_yaml,
    ));
    all
}

fn json_inputs() -> Vec<Input> {
    inputs("rules/convert/arm", |p| {
        p.extension().is_some_and(|e| e == "json")
    })
}

fn options(api_version: &str, force: bool, bundle: bool) -> ArmBatchOptions {
    ArmBatchOptions {
        arm: ArmOptions {
            api_version: reference::arm_api_version(api_version).unwrap(),
            enabled: None,
        },
        bundle,
        force,
    }
}

/// The version of sentinel-lint in a template's `_generator` changes with every release.
fn without_version(text: &str) -> String {
    text.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[sentinel-lint version]\"",
    )
}

/// Every output and the report of every rule, as one text.
fn describe(batch: &Batch) -> String {
    let mut out = String::new();
    for output in &batch.outputs {
        out.push_str(&format!("===== {}\n", output.relative.display()));
        out.push_str(&without_version(&output.text));
    }
    out.push_str("===== report\n");
    out.push_str(&serde_json::to_string_pretty(&batch.reports).unwrap());
    out.push('\n');
    for (file, reason) in &batch.skipped {
        out.push_str(&format!("skipped {file}: {reason}\n"));
    }
    out
}

fn one(name: &str, all: &[Input]) -> Vec<Input> {
    all.iter()
        .filter(|i| i.path.ends_with(name))
        .cloned()
        .collect()
}

#[test]
fn rules_to_arm() {
    let all = yaml_inputs();
    settings().bind(|| {
        for input in &all {
            let batch = batch::to_arm(
                std::slice::from_ref(input),
                &options(DEFAULT_API_VERSION, false, false),
                &Settings::default(),
            );
            let name = format!(
                "arm__{}",
                input.relative.file_stem().unwrap().to_string_lossy()
            );
            insta::assert_snapshot!(name, describe(&batch));
        }
    });
}

#[test]
fn rules_with_errors_convert_only_when_forced() {
    let input = one("with_errors.yaml", &yaml_inputs());
    let refused = batch::to_arm(
        &input,
        &options(DEFAULT_API_VERSION, false, false),
        &Settings::default(),
    );
    assert_eq!(refused.reports[0].status, Status::Unsupported);
    assert!(refused.outputs.is_empty());
    let forced = batch::to_arm(
        &input,
        &options(DEFAULT_API_VERSION, true, false),
        &Settings::default(),
    );
    assert_eq!(forced.reports[0].status, Status::Forced);
    settings().bind(|| insta::assert_snapshot!("arm__with_errors_forced", describe(&forced)));
}

#[test]
fn older_api_versions_report_what_they_cannot_hold() {
    let all = yaml_inputs();
    let scheduled = one("scheduled_every_field.yaml", &all);
    let old = batch::to_arm(
        &scheduled,
        &options("2021-03-01-preview", false, false),
        &Settings::default(),
    );
    assert_eq!(old.reports[0].status, Status::Approximate);
    let nrt = one("convert/nrt.yaml", &all);
    let stable = batch::to_arm(
        &nrt,
        &options("2025-09-01", false, false),
        &Settings::default(),
    );
    assert_eq!(
        stable.reports[0].status,
        Status::Unsupported,
        "stable api-versions have no NRT rules"
    );
    let between = batch::to_arm(
        &nrt,
        &options("2023-10-01-preview", false, false),
        &Settings::default(),
    );
    settings().bind(|| {
        insta::assert_snapshot!(
            "arm__scheduled_every_field_2021-03-01-preview",
            describe(&old)
        );
        insta::assert_snapshot!("arm__nrt_2025-09-01", describe(&stable));
        insta::assert_snapshot!("arm__nrt_2023-10-01-preview", describe(&between));
    });
}

#[test]
fn a_bundle_holds_every_rule_once() {
    let batch = batch::to_arm(
        &yaml_inputs(),
        &options(DEFAULT_API_VERSION, false, true),
        &Settings::default(),
    );
    assert_eq!(batch.outputs.len(), 1);
    let template: serde_json::Value = serde_json::from_str(&batch.outputs[0].text).unwrap();
    let converted = batch
        .reports
        .iter()
        .filter(|r| r.status != Status::Unsupported)
        .count();
    assert_eq!(template["resources"].as_array().unwrap().len(), converted);
    settings().bind(|| insta::assert_snapshot!("arm__bundle", describe(&batch)));
}

#[test]
fn templates_to_yaml() {
    let all = json_inputs();
    settings().bind(|| {
        for input in &all {
            let batch = batch::to_yaml(std::slice::from_ref(input));
            let name = format!(
                "yaml__{}",
                input.relative.to_string_lossy().replace(['/', '\\'], "__")
            );
            insta::assert_snapshot!(name, describe(&batch));
        }
    });
}

fn read_rule(text: &str) -> RuleFile {
    let parsed = yaml::parse(text, &LineIndex::new(text));
    let Shape::Rule(rule_type) = shape::classify(&parsed) else {
        panic!("not a rule:\n{text}")
    };
    read::read_rule(rule_type, &parsed.documents[0])
        .unwrap()
        .rule
}

#[test]
fn yaml_to_arm_to_yaml_keeps_every_field() {
    let inputs: Vec<Input> = yaml_inputs()
        .into_iter()
        .filter(|i| !i.path.ends_with("with_errors.yaml"))
        .collect();
    let arm = batch::to_arm(
        &inputs,
        &options(DEFAULT_API_VERSION, false, false),
        &Settings::default(),
    );
    assert_eq!(arm.outputs.len(), inputs.len());
    for (input, output) in inputs.iter().zip(&arm.outputs) {
        let original = read_rule(&String::from_utf8_lossy(&input.bytes));
        let template = yaml::parse_data(&output.text, &LineIndex::new(&output.text)).unwrap();
        let reading = from_arm::read_template(&template);
        assert_eq!(reading.rules.len(), 1);
        let back = reading.rules[0].result.as_ref().unwrap();
        assert!(
            back.notes.iter().all(|n| !n.approximate),
            "{}: {:?}",
            input.path,
            back.notes
        );
        assert_eq!(
            canonical(&back.rule),
            canonical(&original),
            "{}",
            input.path
        );
        // And the YAML written for it reads back as the same rule.
        let text = sentinel_lint::convert::yaml::to_yaml(&back.rule).unwrap();
        assert_eq!(
            canonical(&read_rule(&text)),
            canonical(&original),
            "{}:\n{text}",
            input.path
        );
    }
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

fn texts(batch: &Batch) -> Vec<(PathBuf, String)> {
    batch
        .outputs
        .iter()
        .map(|o| (o.relative.clone(), o.text.clone()))
        .collect()
}

#[test]
fn outputs_are_byte_identical_across_runs_and_thread_counts() {
    let yaml_in = yaml_inputs();
    let json_in = json_inputs();
    let run = |threads| {
        in_pool(threads, || {
            (
                texts(&batch::to_arm(
                    &yaml_in,
                    &options(DEFAULT_API_VERSION, true, false),
                    &Settings::default(),
                )),
                texts(&batch::to_arm(
                    &yaml_in,
                    &options(DEFAULT_API_VERSION, true, true),
                    &Settings::default(),
                )),
                texts(&batch::to_yaml(&json_in)),
            )
        })
    };
    let first = run(1);
    assert!(!first.0.is_empty() && !first.2.is_empty());
    assert_eq!(first, run(1), "two runs differ");
    assert_eq!(first, run(4), "1 and 4 threads differ");
    assert_eq!(first, run(16), "1 and 16 threads differ");
}

fn sigma_options() -> SigmaOptions {
    SigmaOptions {
        status: "experimental".into(),
        author: None,
        date: "2026-11-22".into(),
        default_author: None,
        dates: Default::default(),
        technique_tactics: false,
    }
}

/// The Sigma fixtures and the example pack (whose Panorama9 hunting queries are the two
/// rules the project started from, ../shared/seeds).
fn sigma_inputs() -> Vec<Input> {
    let mut all = inputs(
        "rules/convert/sigma",
        sentinel_lint::pipeline::discover::is_yaml,
    );
    all.extend(inputs(
        "rules/examples",
        sentinel_lint::pipeline::discover::is_yaml,
    ));
    all
}

#[test]
fn rules_to_sigma() {
    let all = sigma_inputs();
    settings().bind(|| {
        for input in &all {
            let batch = batch::to_sigma(
                std::slice::from_ref(input),
                &sigma_options(),
                &Settings::default(),
            );
            let name = format!(
                "sigma__{}",
                input.relative.file_stem().unwrap().to_string_lossy()
            );
            insta::assert_snapshot!(name, describe(&batch));
        }
    });
}

#[test]
fn the_seed_rules_convert_to_sigma() {
    let seeds: Vec<Input> = sigma_inputs()
        .into_iter()
        .filter(|i| i.path.contains("rmm_Panorama9"))
        .collect();
    assert_eq!(seeds.len(), 2);
    let batch = batch::to_sigma(&seeds, &sigma_options(), &Settings::default());
    assert_eq!(batch.outputs.len(), 2);
    for report in &batch.reports {
        // `has` -> `contains` is the one approximation.
        assert_eq!(report.status, Status::Approximate, "{report:?}");
        assert!(
            report
                .notes
                .iter()
                .filter(|n| n.approximate)
                .all(|n| n.message.starts_with("`has`"))
        );
    }
}

#[test]
fn sigma_output_is_byte_identical_across_thread_counts() {
    let all = sigma_inputs();
    let run = |threads| {
        in_pool(threads, || {
            texts(&batch::to_sigma(
                &all,
                &sigma_options(),
                &Settings::default(),
            ))
        })
    };
    let first = run(1);
    assert!(!first.is_empty());
    assert_eq!(first, run(4));
}
