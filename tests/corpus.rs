//! Tests over ../shared (the corpus of 3,222 real rule files, the reference data) and with
//! peer tools. They are ignored by default; CI runs them with `cargo test -- --ignored`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sentinel_lint::diagnostics::Report;
use sentinel_lint::model::RuleFile;
use sentinel_lint::model::shape::{self, Shape};
use sentinel_lint::pipeline::{self, Settings};
use sentinel_lint::text::LineIndex;
use sentinel_lint::yaml::{self, source};

fn shared() -> PathBuf {
    std::env::var_os("SENTINEL_LINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn corpus_files() -> Vec<PathBuf> {
    let files = pipeline::discover::collect_files(&[shared().join("corpus")])
        .expect("../shared/corpus is readable");
    assert_eq!(files.len(), 3222, "the corpus has 3,222 YAML files");
    files
}

fn check_corpus() -> Report {
    pipeline::check_files(&corpus_files(), &Settings::default())
}

#[test]
#[ignore = "needs ../shared"]
fn corpus_is_checked_without_panic() {
    let report = check_corpus();
    let summary = report.summary();
    assert_eq!(summary.files, 3222);
    assert!(
        report.has_errors(),
        "the corpus has known defects, so `check` exits with 1"
    );
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        *per_code.entry(d.code).or_default() += 1;
    }
    let mut ranked: Vec<_> = per_code.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!(
        "files: {} with findings: {} without: {}; errors {}, warnings {}, infos {}",
        summary.files,
        summary.files_with_findings,
        summary.files - summary.files_with_findings,
        summary.errors,
        summary.warnings,
        summary.infos
    );
    for (code, count) in ranked.iter().take(10) {
        println!("{count:>6} {code}");
    }
}

/// The 1-based line and column of the first `dataTypes:` key of a file.
fn data_types_position(text: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, line)| {
            let body = line.trim_start();
            body.starts_with("dataTypes:")
                .then(|| (i + 1, line.len() - body.len() + 1))
        })
        .expect("every RMM file has a dataTypes key")
}

#[test]
#[ignore = "needs ../shared"]
fn every_rmm_file_gets_the_misindentation_finding_at_its_data_types_line() {
    let dir = shared().join("corpus/jischell-msft__RemoteManagementMonitoringTools");
    let files = pipeline::discover::collect_files(&[dir]).unwrap();
    assert_eq!(files.len(), 171);
    let report = pipeline::check_files(&files, &Settings::default());
    for file in &report.files {
        // The report keeps only the lines of its findings: the text is read again here.
        let expected = data_types_position(&std::fs::read_to_string(&file.path).unwrap());
        let found = file
            .diagnostics
            .iter()
            .find(|d| d.code == "SL102")
            .unwrap_or_else(|| {
                panic!("{}: no SL102", file.path);
            });
        assert_eq!(
            file.source.line_col(found.span.start),
            expected,
            "{}",
            file.path
        );
        assert!(found.message.starts_with(
            "`dataTypes` is indented like the list item above; indent it 2 more spaces"
        ));
        assert!(found.fix.is_some(), "{}: the fix is attached", file.path);
        // No bare parser message about the same mistake.
        assert!(
            !file
                .diagnostics
                .iter()
                .any(|d| d.code == "SL101" && d.message.contains("did not find expected '-'")),
            "{}",
            file.path
        );
    }
}

/// Whether serde-saphyr reads a file as it is, and whether yaml_serde (the maintained
/// serde_yaml) does; where both do, they must read the same values.
#[test]
#[ignore = "needs ../shared"]
fn yaml_serde_second_opinion() {
    let mut agree = 0;
    let mut disagreements: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let decoded = source::decode(&bytes);
        let lines = LineIndex::new(&decoded.text);
        let ours = yaml::parse_documents(&decoded.text, &lines);
        let oracle: Result<Vec<serde_yaml::Value>, _> =
            serde_yaml::Deserializer::from_slice(&bytes)
                .map(serde::Deserialize::deserialize)
                .collect();
        let name = path.display().to_string();
        match (&ours, &oracle) {
            (Ok(docs), Ok(values)) => {
                let ours: Vec<serde_json::Value> = docs.iter().map(|d| d.to_json()).collect();
                let theirs: Vec<serde_json::Value> = values
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(|v| serde_json::to_value(v).unwrap())
                    .collect();
                if ours == theirs {
                    agree += 1;
                } else {
                    disagreements
                        .entry("both read it, with different values".into())
                        .or_default()
                        .push(name);
                }
            }
            (Err(_), Err(_)) => agree += 1,
            (Ok(docs), Err(e)) => {
                let has_duplicate = docs.iter().any(has_duplicate_key);
                let why = if has_duplicate {
                    "only serde-saphyr: duplicate keys (reported by SL104)".to_owned()
                } else if decoded.has_bom {
                    "only serde-saphyr: yaml_serde refuses a byte-order mark, which YAML allows (reported by SL106)".to_owned()
                } else if decoded.is_lossy() {
                    "only serde-saphyr: not UTF-8, read lossily (reported by SL105)".to_owned()
                } else {
                    format!("only serde-saphyr: {e}")
                };
                disagreements.entry(why).or_default().push(name);
            }
            (Err(e), Ok(_)) => disagreements
                .entry(format!("only yaml_serde: {}", e.message))
                .or_default()
                .push(name),
        }
    }
    println!("same verdict and values: {agree}");
    for (why, files) in &disagreements {
        println!("{:>5}  {why}", files.len());
        for f in files.iter().take(3) {
            println!("         {f}");
        }
    }
    let explained = |why: &str| why.contains("(reported by SL10");
    let unexplained: Vec<_> = disagreements.keys().filter(|w| !explained(w)).collect();
    assert!(
        unexplained.is_empty(),
        "unexplained disagreements: {unexplained:?}"
    );
}

fn has_duplicate_key(node: &yaml::Node) -> bool {
    match &node.value {
        yaml::Value::Map(entries) => {
            let mut keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            keys.len() != n || entries.iter().any(|e| has_duplicate_key(&e.value))
        }
        yaml::Value::Seq(items) => items.iter().any(has_duplicate_key),
        _ => false,
    }
}

/// A rule the schema accepts must deserialize into the typed model: the schema is generated
/// from the model, so they must agree.
#[test]
#[ignore = "needs ../shared"]
fn schema_valid_rules_fit_the_typed_model() {
    let mut valid = 0;
    for path in corpus_files() {
        let decoded = source::decode(&std::fs::read(&path).unwrap());
        let lines = LineIndex::new(&decoded.text);
        let parsed = yaml::parse(&decoded.text, &lines);
        let Shape::Rule(rule_type) = shape::classify(&parsed) else {
            continue;
        };
        let json = parsed.documents[0].to_json();
        if !sentinel_lint::model::schema::validate(rule_type, &json).is_empty() {
            continue;
        }
        valid += 1;
        if let Err(e) = RuleFile::from_json(rule_type, json) {
            panic!(
                "{}: the schema accepts it, the model does not: {e}",
                path.display()
            );
        }
    }
    println!("{valid} corpus rules are schema-valid and deserialize into the model");
    assert!(valid > 1000);
}

#[test]
#[ignore = "needs ../shared"]
fn generated_reference_tables_are_fresh() {
    let status = Command::new("python3")
        .arg("tools/generate_reference.py")
        .arg("--check")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "src/reference is stale: run tools/generate_reference.py"
    );
}

/// The table of Kusto's built-in functions matches the installed Kusto.Language.
#[test]
#[ignore = "needs Kusto.Language (installed by .ci/run)"]
fn generated_kql_functions_are_fresh() {
    let dir = std::env::var("KUSTO_LANGUAGE_DIR").expect("KUSTO_LANGUAGE_DIR is set by .ci/run");
    let status = Command::new("node")
        .arg("tools/generate_kql_functions.js")
        .arg("--check")
        .env("KUSTO_LANGUAGE_DIR", dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("node runs");
    assert!(
        status.success(),
        "src/reference/kql_functions.rs is stale: run tools/generate_kql_functions.js"
    );
}

/// check-jsonschema (PyPI), an independent validator, accepts every example with the
/// committed schemas, and rejects a broken rule (so the test can fail).
#[test]
#[ignore = "needs check-jsonschema (installed by .ci/run)"]
fn check_jsonschema_accepts_the_examples() {
    let tool = std::env::var("CHECK_JSONSCHEMA").unwrap_or_else(|_| "check-jsonschema".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut examples: Vec<String> = std::fs::read_dir(root.join("rules/examples"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    examples.sort();
    assert_eq!(examples.len(), 4);
    for schema in [
        "schema/rule.draft-07.schema.json",
        "schema/rule.schema.json",
    ] {
        let run = |files: &[String]| {
            Command::new(&tool)
                .arg("--schemafile")
                .arg(root.join(schema))
                .args(files)
                .output()
                .unwrap_or_else(|e| panic!("{tool} runs: {e}"))
        };
        let ok = run(&examples);
        assert!(
            ok.status.success(),
            "{schema}: {}",
            String::from_utf8_lossy(&ok.stdout)
        );
        let broken = [root
            .join("rules/lints/SL209-invalid-severity/invalid.yaml")
            .display()
            .to_string()];
        assert!(
            !run(&broken).status.success(),
            "{schema} accepts an invalid severity"
        );
    }
}
