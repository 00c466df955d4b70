//! Fixture tests: `rules/lints/<CODE>-<name>/{valid,invalid}*` for every lint.
//!
//! - every lint has a folder, and every folder is a lint;
//! - a `valid*` fixture produces no finding at all (of any lint);
//! - an `invalid*` fixture produces at least one finding of its lint; its input, the
//!   rendered findings and the text after applying that lint's fixes are snapshotted under
//!   `snapshots/lints/`, and the fixed text is checked again: the fixes must remove the
//!   findings they fix without breaking the YAML.
//!
//! A fixture is a file, or a folder of files checked together (for pack-level lints); a
//! folder may hold a `sentinel-lint.toml`, whose settings then apply, and `X.previous.yaml`
//! files, the previous versions of `X.yaml` that the revision lints compare with (as
//! `--changed-since` reads them from git).

mod common;

use std::path::{Path, PathBuf};

use common::walk;

use sentinel_lint::diagnostics::Report;
use sentinel_lint::lints::{self, Lint};
use sentinel_lint::pipeline::{self, Settings};
use sentinel_lint::render::{Format, HumanOptions, render};
use sentinel_lint::text::{Edit, apply_edits};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/lints")
}

fn folder_of(lint: &Lint) -> String {
    format!("{}-{}", lint.code, lint.name)
}

/// The files of a fixture, as paths relative to the repository root.
fn fixture_files(fixture: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if fixture.is_dir() {
        for entry in walk(fixture) {
            files.push(entry);
        }
    } else {
        files.push(fixture.to_path_buf());
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

const CONFIG: &str = "sentinel-lint.toml";

/// The settings of a fixture: its `sentinel-lint.toml`, if it has one.
fn settings_of(files: &[PathBuf]) -> Settings {
    match files.iter().find(|f| f.ends_with(CONFIG)) {
        Some(config) => sentinel_lint::pipeline::config::settings(Some(config), false).unwrap(),
        None => Settings::default(),
    }
}

fn is_previous(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".previous.yaml")
}

/// The settings of a fixture, with the previous versions of its files.
fn settings_with_previous(files: &[PathBuf]) -> Settings {
    let mut settings = settings_of(files);
    let previous = files
        .iter()
        .filter(|f| is_previous(f))
        .map(|f| {
            let current = f.to_string_lossy().replace(".previous.yaml", ".yaml");
            (relative(Path::new(&current)), std::fs::read(f).unwrap())
        })
        .collect();
    settings.declared.previous = std::sync::Arc::new(previous);
    settings
}

fn check(files: &[PathBuf]) -> Report {
    let settings = settings_with_previous(files);
    let checked = files
        .iter()
        .filter(|f| !f.ends_with(CONFIG) && !is_previous(f))
        .map(|f| {
            pipeline::check_source_with(
                &relative(f),
                &std::fs::read(f).unwrap(),
                &settings.declared,
            )
        })
        .collect();
    pipeline::finish(checked, &settings)
}

fn human(report: &Report) -> String {
    let mut out = Vec::new();
    let options = HumanOptions {
        color: false,
        width: 100,
    };
    render(report, Format::Human, &options, 0, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn fixtures_of(lint: &Lint) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let dir = fixtures_root().join(folder_of(lint));
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (valid, invalid);
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("valid") {
            valid.push(path);
        } else if name.starts_with("invalid") {
            invalid.push(path);
        } else {
            panic!(
                "{}: fixture names start with `valid` or `invalid`",
                relative(&path)
            );
        }
    }
    valid.sort();
    invalid.sort();
    (valid, invalid)
}

#[test]
fn every_lint_has_fixtures_and_every_folder_is_a_lint() {
    for lint in lints::ALL {
        let (valid, invalid) = fixtures_of(lint);
        assert!(
            !valid.is_empty(),
            "{} has no valid fixture",
            folder_of(lint)
        );
        assert!(
            !invalid.is_empty(),
            "{} has no invalid fixture",
            folder_of(lint)
        );
    }
    for entry in std::fs::read_dir(fixtures_root()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            lints::ALL.iter().any(|l| folder_of(l) == name),
            "rules/lints/{name} does not name a lint (CODE-name)"
        );
    }
}

#[test]
fn valid_fixtures_have_no_findings() {
    for lint in lints::ALL {
        for fixture in fixtures_of(lint).0 {
            let report = check(&fixture_files(&fixture));
            let count: usize = report.files.iter().map(|f| f.diagnostics.len()).sum();
            assert_eq!(
                count,
                0,
                "{} has findings:\n{}",
                relative(&fixture),
                human(&report)
            );
        }
    }
}

#[test]
fn invalid_fixtures_trigger_their_lint() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/lints"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for lint in lints::ALL {
            for fixture in fixtures_of(lint).1 {
                let files = fixture_files(&fixture);
                let report = check(&files);
                let found = report
                    .files
                    .iter()
                    .flat_map(|f| &f.diagnostics)
                    .filter(|d| d.code == lint.code)
                    .count();
                assert!(
                    found > 0,
                    "{} does not trigger {}:\n{}",
                    relative(&fixture),
                    lint.code,
                    human(&report)
                );
                let name = format!(
                    "{}@{}",
                    folder_of(lint),
                    fixture.file_name().unwrap().to_string_lossy()
                );
                insta::assert_snapshot!(name, snapshot(lint, &files, &report));
            }
        }
    });
}

/// The input, the findings, and the input after this lint's fixes (re-checked).
fn snapshot(lint: &Lint, files: &[PathBuf], report: &Report) -> String {
    let mut out = String::new();
    for file in files {
        let bytes = std::fs::read(file).unwrap();
        out.push_str(&format!("# {}\n", relative(file)));
        out.push_str(&String::from_utf8_lossy(&bytes).replace('\r', "␍"));
        out.push('\n');
    }
    out.push_str("# findings\n");
    out.push_str(&human(report));
    for file_report in &report.files {
        let edits: Vec<Edit> = file_report
            .diagnostics
            .iter()
            .filter(|d| d.code == lint.code)
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.clone())
            .collect();
        if edits.is_empty() {
            continue;
        }
        let fixed = apply_edits(&file_report.source.text, &edits);
        out.push_str(&format!(
            "\n# {} after the fixes of {}\n",
            file_report.path, lint.code
        ));
        out.push_str(&fixed.replace('\r', "␍"));
        // Every finding that had a fix is gone (a fix may leave a different finding of the
        // same lint, e.g. a misspelt kind fixed into a kind that is not checked).
        let again = pipeline::check_source_with(
            &file_report.path,
            fixed.as_bytes(),
            &settings_with_previous(files).declared,
        );
        for d in file_report
            .diagnostics
            .iter()
            .filter(|d| d.code == lint.code && d.fix.is_some())
        {
            assert!(
                !again
                    .report
                    .diagnostics
                    .iter()
                    .any(|a| a.code == d.code && a.message == d.message),
                "{}: after its fix, `{}` is still reported:\n{fixed}",
                file_report.path,
                d.message
            );
        }
        assert!(
            again.report.diagnostics.iter().all(|d| d.code != "SL101"),
            "{}: the fixes of {} broke the YAML:\n{fixed}",
            file_report.path,
            lint.code
        );
    }
    out
}
