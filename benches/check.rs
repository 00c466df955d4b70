//! The cost of `check` per file against a bare YAML parse of the same files, over the
//! corpus in ../shared (single thread, files already in memory):
//!
//!     cargo bench --bench check
//!
//! Without ../shared the benchmarks have no input and say so.

use std::path::Path;
use std::sync::OnceLock;

use sentinel_lint::pipeline;
use sentinel_lint::text::LineIndex;
use sentinel_lint::yaml::{self, source};

fn corpus() -> &'static [(String, Vec<u8>)] {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(paths) = pipeline::discover::collect_files(&[root]) else {
            eprintln!("../shared/corpus not found: nothing to measure");
            return Vec::new();
        };
        paths
            .into_iter()
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect()
    })
}

/// serde-saphyr into a `serde_json::Value`: the least any YAML linter must do.
#[divan::bench]
fn bare_yaml_parse() -> usize {
    corpus()
        .iter()
        .filter(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            serde_saphyr::from_str::<serde_json::Value>(&text).is_ok()
        })
        .count()
}

/// Our spanned tree, with the indentation repairs.
#[divan::bench]
fn spanned_parse() -> usize {
    corpus()
        .iter()
        .map(|(_, bytes)| {
            let decoded = source::decode(bytes);
            let lines = LineIndex::new(&decoded.text);
            yaml::parse(&decoded.text, &lines).documents.len()
        })
        .sum()
}

/// The KQL parser alone, over every query of the corpus (throughput in bytes of KQL).
#[divan::bench]
fn kql_parse(bencher: divan::Bencher) {
    let queries = queries();
    let bytes: usize = queries.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            queries
                .iter()
                .map(|q| sentinel_lint::kql::parse(q).errors.len())
                .sum::<usize>()
        });
}

/// The queries of the corpus files.
fn queries() -> &'static [String] {
    static QUERIES: OnceLock<Vec<String>> = OnceLock::new();
    QUERIES.get_or_init(|| {
        corpus()
            .iter()
            .filter_map(|(_, bytes)| {
                let decoded = source::decode(bytes);
                let lines = LineIndex::new(&decoded.text);
                let parsed = yaml::parse(&decoded.text, &lines);
                parsed
                    .documents
                    .first()?
                    .get("query")?
                    .as_str()
                    .map(str::to_owned)
            })
            .collect()
    })
}

/// Everything `check` does for a file: parse, classify, every lint, schema validation.
#[divan::bench]
fn check_source() -> usize {
    corpus()
        .iter()
        .map(|(path, bytes)| pipeline::check_source(path, bytes).report.diagnostics.len())
        .sum()
}

fn main() {
    let bytes: usize = corpus().iter().map(|(_, b)| b.len()).sum();
    eprintln!("{} files, {:.1} MB", corpus().len(), bytes as f64 / 1e6);
    divan::main();
}

/// Rendering is linear in the findings: 20,000 findings spread over one 20,000-line file,
/// in the human format (code frames) and the concise one.
#[divan::bench(args = ["human", "concise"])]
fn render_20000_findings(bencher: divan::Bencher, format: &str) {
    use sentinel_lint::diagnostics::{FileReport, Report};
    use sentinel_lint::render::{Format, HumanOptions, render};
    use sentinel_lint::text::{SourceText, Span};
    let text: String = (0..20_000)
        .map(|i| format!("key{i}: value {i}\n"))
        .collect();
    let source = SourceText::new(text.clone());
    let mut diagnostics = Vec::new();
    let mut offset = 0;
    for line in text.lines() {
        let span = Span::new(offset, offset + line.find(':').unwrap());
        diagnostics
            .push(sentinel_lint::lints::sl210_unknown_key::LINT.diagnostic(span, "unknown key"));
        offset += line.len() + 1;
    }
    let report = Report {
        files: vec![FileReport {
            path: "many.yaml".into(),
            source,
            diagnostics,
            baselined: Vec::new(),
        }],
    };
    let format = if format == "human" {
        Format::Human
    } else {
        Format::Concise
    };
    bencher.bench(|| {
        let mut out = Vec::new();
        render(&report, format, &HumanOptions::default(), 0, &mut out).unwrap();
        out.len()
    });
}
