//! File bytes -> check diagnostics, rendered in every format: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinel_lint::diagnostics::render::{Format, HumanOptions, render};
use sentinel_lint::linter::{self, Settings};

fuzz_target!(|bytes: &[u8]| {
    let checked = linter::check_source("fuzz.yaml", bytes);
    let report = linter::finish(vec![checked], &Settings::default());
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ] {
        let mut out = Vec::new();
        render(&report, format, &HumanOptions::default(), &mut out).unwrap();
    }
});
