//! Properties over generated input (proptest): no input makes `check` panic, a printed KQL
//! query reads back as itself, and `--fix` applied twice changes nothing the second time.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use sentinel_lint::kql;
use sentinel_lint::pipeline::config::Selection;
use sentinel_lint::pipeline::{self, fix};

/// The project's own rule files (fixtures and examples): starting points for mutations.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files: Vec<_> = common::walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        files
            .iter()
            .filter_map(|p| String::from_utf8(std::fs::read(p).unwrap()).ok())
            .collect()
    })
}

/// An edit of a text: at a place (a fraction of its length), delete some bytes and insert a
/// fragment that often matters to YAML or KQL.
fn edits() -> impl Strategy<Value = Vec<(f64, usize, &'static str)>> {
    let fragments = prop::sample::select(vec![
        "",
        ":",
        " ",
        "\n",
        "\t",
        "- ",
        "  ",
        "'",
        "\"",
        "|",
        "#",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        "\r",
        "é",
        "\u{feff}",
        "query: ",
        "kind: NRT\n",
        "tactics: ",
        "T1059",
        "PT1H",
        "5m",
        "\n  - ",
        "---\n",
        "(",
        ")",
        "==",
        " and ",
        "\\",
        "%",
        "@",
        "\0",
    ]);
    prop::collection::vec((0.0..1.0f64, 0usize..8, fragments), 0..6)
}

fn mutate(text: &str, edits: &[(f64, usize, &str)]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for &(at, delete, insert) in edits {
        let at = ((bytes.len() as f64) * at) as usize;
        let end = (at + delete).min(bytes.len());
        bytes.splice(at..end, insert.bytes());
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        pipeline::check_source("x.yaml", &bytes);
    }

    #[test]
    fn mutated_rules_never_panic(seed in any::<prop::sample::Index>(), edits in edits()) {
        let text = seed.get(seeds()).as_str();
        pipeline::check_source("x.yaml", &mutate(text, &edits));
    }

    #[test]
    fn fixing_twice_changes_nothing(seed in any::<prop::sample::Index>(), edits in edits(), unsafe_fixes: bool) {
        let bytes = mutate(seed.get(seeds()).as_str(), &edits);
        let selection = Selection::default();
        let once = fix::fix_source("x.yaml", &bytes, &selection, unsafe_fixes, &sentinel_lint::model::declared::Declared::default());
        if let Some(fixed) = once.fixed {
            let twice = fix::fix_source("x.yaml", fixed.fixed.as_bytes(), &selection, unsafe_fixes, &sentinel_lint::model::declared::Declared::default());
            prop_assert!(twice.fixed.is_none(), "fixing again changed {:?}:\n{}", fixed.fixed, twice.fixed.map(|f| f.fixed).unwrap_or_default());
        }
    }

    #[test]
    fn printed_queries_read_back_as_themselves(words in prop::collection::vec(prop::sample::select(vec![
        "T", "SigninLogs", "|", "where", "x", "y", "==", "!=", "1", "2.5", "1h", "'a'", "\"b\"",
        "and", "or", "not(", "(", ")", ",", "extend", "=", "project", "summarize", "count()",
        "by", "has", "contains", "in", "!in", "startswith", "bin(", "ago(", "take", "10",
        "sort", "asc", "desc", "let", ";", "join", "kind=inner", "on", "union", "[", "]", ".",
        "-", "+", "*", "/", "between", "..", "dynamic(", "mv-expand", "top", "distinct", "isnotempty(",
    ]), 1..24)) {
        let query = words.join(" ");
        let parsed = kql::parse(&query);
        if parsed.errors.is_empty() {
            let printed = kql::print(&parsed.query);
            let again = kql::parse(&printed);
            prop_assert!(again.errors.is_empty(), "{query:?} printed as {printed:?}: {:?}", again.errors);
            prop_assert_eq!(kql::print(&again.query), printed);
        }
    }
}
