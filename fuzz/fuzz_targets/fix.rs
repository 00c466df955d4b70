//! `--fix` (with the unsafe fixes): never a panic, and fixing the fixed text again changes
//! nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinel_lint::config::Selection;
use sentinel_lint::fix;

fuzz_target!(|bytes: &[u8]| {
    let selection = Selection::default();
    for unsafe_fixes in [false, true] {
        let outcome = fix::fix_source("fuzz.yaml", bytes, &selection, unsafe_fixes);
        if let Some(fixed) = outcome.fixed {
            let again = fix::fix_source(
                "fuzz.yaml",
                fixed.fixed.as_bytes(),
                &selection,
                unsafe_fixes,
            );
            if let Some(more) = again.fixed {
                // Fixing stops after a bounded number of rounds; what is left must not grow.
                assert!(more.applied <= fixed.applied, "{:?}", fixed.fixed);
            }
        }
    }
});
