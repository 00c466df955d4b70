//! Inputs that crashed a fuzz target (`fuzz/`), each run again through what that target
//! runs: `tests/fuzz/<target>/<input>`. Found by `fuzz/run.sh`; a new crash goes here with
//! its fix.

use std::path::Path;

use sentinel_lint::config::Selection;
use sentinel_lint::convert::arm::{ArmOptions, DEFAULT_API_VERSION};
use sentinel_lint::convert::batch::{self, ArmBatchOptions, Input};
use sentinel_lint::convert::sigma::SigmaOptions;
use sentinel_lint::diagnostics::render::{Format, HumanOptions, render};
use sentinel_lint::linter::{self, Settings};
use sentinel_lint::{fix, kql, reference};

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn check() {
    for bytes in inputs("check") {
        let report = linter::finish(
            vec![linter::check_source("fuzz.yaml", &bytes)],
            &Settings::default(),
        );
        for format in [Format::Human, Format::Concise, Format::Json, Format::Sarif] {
            render(&report, format, &HumanOptions::default(), &mut Vec::new()).unwrap();
        }
    }
}

#[test]
fn kql() {
    for bytes in inputs("kql") {
        let text = String::from_utf8_lossy(&bytes);
        let parsed = kql::parse(&text);
        let printed = kql::print(&parsed.query);
        if parsed.errors.is_empty() {
            assert!(kql::parse(&printed).errors.is_empty(), "{text:?}");
        }
    }
}

#[test]
fn fix() {
    for bytes in inputs("fix") {
        for unsafe_fixes in [false, true] {
            let outcome = fix::fix_source("fuzz.yaml", &bytes, &Selection::default(), unsafe_fixes);
            if let Some(fixed) = outcome.fixed {
                fix::fix_source(
                    "fuzz.yaml",
                    fixed.fixed.as_bytes(),
                    &Selection::default(),
                    unsafe_fixes,
                );
            }
        }
    }
}

#[test]
fn convert() {
    for bytes in inputs("convert") {
        let inputs = [Input {
            path: "fuzz.yaml".into(),
            relative: "fuzz.yaml".into(),
            bytes,
            unreadable: None,
            explicit: true,
        }];
        let arm = ArmBatchOptions {
            arm: ArmOptions {
                api_version: reference::arm_api_version(DEFAULT_API_VERSION).unwrap(),
                enabled: None,
            },
            bundle: false,
            force: true,
        };
        batch::to_arm(&inputs, &arm);
        batch::to_sigma(
            &inputs,
            &SigmaOptions {
                status: "experimental".into(),
                author: None,
                date: "2026-01-01".into(),
            },
        );
        batch::to_yaml(&inputs);
    }
}
