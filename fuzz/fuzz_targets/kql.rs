//! The KQL parser and printer: never a panic, and the printed form of a query without
//! errors parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinel_lint::kql;

fuzz_target!(|text: &str| {
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
});
