//! What each fuzz target runs on one input, shared by the targets (`fuzz_targets/`) and by
//! `tests/fuzz_regressions.rs`, which replays the inputs that once crashed them.
// Each target uses one of these functions; the regression test uses them all.
#![allow(dead_code)]

use sentinel_lint::convert::arm::{ArmOptions, DEFAULT_API_VERSION};
use sentinel_lint::convert::batch::{self, ArmBatchOptions, Input};
use sentinel_lint::convert::sigma::SigmaOptions;
use sentinel_lint::pipeline::config::Selection;
use sentinel_lint::pipeline::fix;
use sentinel_lint::pipeline::{self, Settings};
use sentinel_lint::render::{Format, HumanOptions, render};
use sentinel_lint::{kql, reference};

/// File bytes -> check diagnostics, rendered in every format: never a panic.
pub fn check(bytes: &[u8]) {
    let checked = pipeline::check_source("fuzz.yaml", bytes);
    let report = pipeline::finish(vec![checked], &Settings::default());
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ] {
        let mut out = Vec::new();
        render(&report, format, &HumanOptions::default(), 0, &mut out).unwrap();
    }
}

/// The KQL parser and printer: never a panic, and the printed form of a query without
/// errors parses again to the same print.
pub fn kql(text: &str) {
    let parsed = kql::parse(text);
    let printed = kql::print(&parsed.query);
    let _ = kql::tree(&parsed.query);
    if parsed.errors.is_empty() {
        let again = kql::parse(&printed);
        assert!(
            again.errors.is_empty(),
            "{text:?} printed as {printed:?}: {:?}",
            again.errors
        );
        assert_eq!(kql::print(&again.query), printed, "{text:?}");
    }
}

/// `--fix` (with and without the unsafe fixes): never a panic, and fixing the fixed text
/// again does not fix more.
pub fn fix(bytes: &[u8]) {
    let selection = Selection::default();
    for unsafe_fixes in [false, true] {
        let outcome = fix::fix_source(
            "fuzz.yaml",
            bytes,
            &selection,
            unsafe_fixes,
            &sentinel_lint::model::declared::Declared::default(),
        );
        if let Some(fixed) = outcome.fixed {
            let again = fix::fix_source(
                "fuzz.yaml",
                fixed.fixed.as_bytes(),
                &selection,
                unsafe_fixes,
                &sentinel_lint::model::declared::Declared::default(),
            );
            if let Some(more) = again.fixed {
                // Fixing stops after a bounded number of rounds; what is left must not grow.
                assert!(more.applied <= fixed.applied, "{:?}", fixed.fixed);
            }
        }
    }
}

/// `convert --to arm|sigma` over an arbitrary rule file and `--to yaml` over an arbitrary
/// template: never a panic.
pub fn convert(bytes: &[u8]) {
    let inputs = [Input {
        path: "fuzz.yaml".into(),
        relative: "fuzz.yaml".into(),
        bytes: bytes.to_vec(),
        unreadable: None,
        explicit: true,
    }];
    let options = ArmBatchOptions {
        arm: ArmOptions {
            api_version: reference::arm_api_version(DEFAULT_API_VERSION).unwrap(),
            enabled: None,
        },
        bundle: false,
        force: true,
    };
    let _ = batch::to_arm(&inputs, &options, &Settings::default());
    let _ = batch::to_sigma(
        &inputs,
        &SigmaOptions {
            status: "experimental".into(),
            author: None,
            date: "2026-01-01".into(),
            default_author: None,
            dates: Default::default(),
            technique_tactics: false,
        },
        &Settings::default(),
    );
    let _ = batch::to_yaml(&inputs);
}
