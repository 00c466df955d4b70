//! `convert --to arm|sigma` over arbitrary rule files and `--to yaml` over arbitrary
//! templates: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinel_lint::convert::arm::{ArmOptions, DEFAULT_API_VERSION};
use sentinel_lint::convert::batch::{self, ArmBatchOptions, Input};
use sentinel_lint::convert::sigma::SigmaOptions;
use sentinel_lint::reference;

fuzz_target!(|bytes: &[u8]| {
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
    let _ = batch::to_arm(&inputs, &options);
    let _ = batch::to_sigma(
        &inputs,
        &SigmaOptions {
            status: "experimental".into(),
            author: None,
            date: "2026-01-01".into(),
        },
    );
    let _ = batch::to_yaml(&inputs);
});
