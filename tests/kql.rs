//! The KQL parser against every query of the corpus in ../shared (ignored by default; CI
//! runs them): parse rate, print-and-reparse, identifier spans in the YAML file, and
//! Microsoft's own parser (Kusto.Language, from npm) as an oracle.

use std::path::{Path, PathBuf};

use sentinel_lint::kql;
use sentinel_lint::pipeline;
use sentinel_lint::text::LineIndex;
use sentinel_lint::yaml::{self, source};

fn shared() -> PathBuf {
    std::env::var_os("SENTINEL_LINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// A query of the corpus: its file, the file's text, and the query's YAML node.
struct CorpusQuery {
    path: String,
    /// The file's text.
    text: String,
    node: yaml::Node,
}

impl CorpusQuery {
    fn query(&self) -> &str {
        self.node.as_str().unwrap_or_default()
    }
}

/// Every file whose YAML parses (possibly after the indentation repairs) and that has a
/// `query` string.
fn corpus_queries() -> Vec<CorpusQuery> {
    let files =
        pipeline::discover::collect_files(&[shared().join("corpus")]).expect("../shared/corpus");
    let mut out = Vec::new();
    for path in files {
        let decoded = source::decode(&std::fs::read(&path).unwrap());
        let lines = LineIndex::new(&decoded.text);
        let parsed = yaml::parse(&decoded.text, &lines);
        let Some(node) = parsed.documents.first().and_then(|d| d.get("query")) else {
            continue;
        };
        if node.as_str().is_some() {
            out.push(CorpusQuery {
                path: path.display().to_string(),
                text: decoded.text,
                node: node.clone(),
            });
        }
    }
    out
}

/// Printing a tree and parsing the output gives the same tree, for every valid query.
#[test]
#[ignore = "needs ../shared"]
fn print_and_reparse_gives_the_same_tree() {
    let mut checked = 0;
    for q in corpus_queries() {
        let parsed = kql::parse(q.query());
        if !parsed.errors.is_empty() {
            continue;
        }
        let printed = kql::print(&parsed.query);
        let again = kql::parse(&printed);
        assert!(
            again.errors.is_empty(),
            "{}: the printed query does not parse: {:?}\n{printed}",
            q.path,
            again.errors
        );
        assert_eq!(
            serde_json::to_value(&parsed.query).unwrap(),
            serde_json::to_value(&again.query).unwrap(),
            "{}: the printed query parses differently:\n{printed}",
            q.path
        );
        checked += 1;
    }
    println!("{checked} queries print and reparse to the same tree");
    assert!(checked > 2900);
}

/// Every node of every valid query has a span that starts at a token and ends at one, and a
/// name's span is the name (found by the visitor, so that no node kind is missed).
#[test]
#[ignore = "needs ../shared"]
fn every_node_spans_whole_tokens() {
    use std::collections::HashSet;

    use kql::visit::{Visitor, walk_query};

    struct Nodes<'q> {
        query: &'q str,
        starts: HashSet<usize>,
        ends: HashSet<usize>,
        count: usize,
        problems: Vec<String>,
    }
    impl<'a> Visitor<'a> for Nodes<'_> {
        fn node(&mut self, span: sentinel_lint::text::Span) {
            self.count += 1;
            if span.is_empty() {
                return; // an operator's empty token list
            }
            if !self.starts.contains(&span.start) || !self.ends.contains(&span.end) {
                self.problems.push(format!(
                    "{span:?} `{}`",
                    self.query.get(span.start..span.end).unwrap_or("?")
                ));
            }
        }
        fn name(&mut self, name: &'a kql::ast::Name) {
            self.node(name.span);
            if !name.escaped && self.query.get(name.span.start..name.span.end) != Some(&name.text) {
                self.problems
                    .push(format!("name {} at {:?}", name.text, name.span));
            }
        }
    }
    let (mut queries, mut nodes) = (0, 0);
    for q in corpus_queries() {
        let parsed = kql::parse(q.query());
        if !parsed.errors.is_empty() {
            continue;
        }
        let mut visitor = Nodes {
            query: q.query(),
            starts: parsed.tokens.iter().map(|t| t.start as usize).collect(),
            ends: parsed.tokens.iter().map(|t| t.end as usize).collect(),
            count: 0,
            problems: Vec::new(),
        };
        // The whole query may start or end with white space.
        visitor.starts.insert(0);
        visitor.ends.insert(q.query().len());
        walk_query(&mut visitor, &parsed.query);
        assert!(
            visitor.problems.is_empty(),
            "{}: {:#?}",
            q.path,
            visitor.problems
        );
        queries += 1;
        nodes += visitor.count;
    }
    println!("{nodes} nodes of {queries} queries span whole tokens");
    assert!(queries > 2900);
}

/// Every identifier token of every query, mapped into the YAML file, slices exactly that
/// identifier out of the file.
#[test]
#[ignore = "needs ../shared"]
fn identifier_spans_map_into_the_yaml_file() {
    let (mut identifiers, mut queries, mut not_rebuilt) = (0, 0, Vec::new());
    for q in corpus_queries() {
        let map = yaml::ScalarMap::new(&q.text, &q.node);
        if !map.exact {
            not_rebuilt.push(q.path.clone());
            continue;
        }
        queries += 1;
        let query = q.query();
        for token in kql::parse(query).tokens {
            if token.kind != kql::lexer::TokenKind::Word {
                continue;
            }
            let word = &query[token.range()];
            let span = map.span_to_file(sentinel_lint::text::Span::new(
                token.start as usize,
                token.end as usize,
            ));
            assert_eq!(
                &q.text[span.start..span.end],
                word,
                "{} at {}",
                q.path,
                token.start
            );
            identifiers += 1;
        }
    }
    println!(
        "{identifiers} identifiers of {queries} queries map to exactly their text in the file"
    );
    assert!(
        not_rebuilt.is_empty(),
        "source maps not rebuilt for: {not_rebuilt:#?}"
    );
}

#[test]
#[ignore = "needs ../shared"]
fn parse_rate_over_the_corpus() {
    let queries = corpus_queries();
    let mut failed = Vec::new();
    for q in &queries {
        let parsed = kql::parse(q.query());
        if let Some(first) = parsed.errors.first() {
            let at = &q.query()[first.span.start..first.span.end.max(first.span.start)];
            failed.push(format!("{}\n    {} (at {:?})", q.path, first.message, at));
        }
    }
    println!(
        "parsed without errors: {} of {}",
        queries.len() - failed.len(),
        queries.len()
    );
    for f in &failed {
        println!("{f}");
    }
}

/// Run a Kusto.Language script of `tools/` over queries (one JSON line each way, with an
/// `id`), with `env` set; its output lines.
fn run_oracle(script: &str, env: &[(&str, &Path)], queries: &[&str]) -> Vec<serde_json::Value> {
    use std::io::Write;
    let dir = std::env::var("KUSTO_LANGUAGE_DIR").expect("KUSTO_LANGUAGE_DIR (set by .ci/run)");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tools")
        .join(script);
    let mut child = std::process::Command::new("node")
        .arg(script)
        .env("KUSTO_LANGUAGE_DIR", dir)
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut input = String::new();
    for (id, q) in queries.iter().enumerate() {
        input.push_str(&serde_json::json!({"id": id, "query": q}).to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The verdicts of Kusto.Language on the given queries: for each, its syntax errors.
fn oracle(queries: &[&str]) -> Vec<Vec<(usize, usize, String)>> {
    let mut verdicts = vec![Vec::new(); queries.len()];
    for v in run_oracle("kql_oracle.js", &[], queries) {
        let id = v["id"].as_u64().unwrap() as usize;
        verdicts[id] = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["start"].as_u64().unwrap() as usize,
                    e["length"].as_u64().unwrap() as usize,
                    e["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
    }
    verdicts
}

/// Every corpus query gets the same verdict from sentinel-lint and from Kusto.Language:
/// valid for both, or invalid for both (at the first error's place, give or take a token).
#[test]
#[ignore = "needs ../shared and Kusto.Language (installed by .ci/run)"]
fn same_verdict_as_kusto_language() {
    let queries = corpus_queries();
    let texts: Vec<&str> = queries.iter().map(CorpusQuery::query).collect();
    let verdicts = oracle(&texts);
    let mut both_valid = 0;
    let mut both_invalid = Vec::new();
    let mut disagree = Vec::new();
    for (q, theirs) in queries.iter().zip(&verdicts) {
        let ours = kql::parse(q.query()).errors;
        match (ours.first(), theirs.first()) {
            (None, None) => both_valid += 1,
            (Some(a), Some(b)) => both_invalid.push((q, a.clone(), b.clone())),
            (a, b) => disagree.push(format!(
                "{}\n    ours: {:?}\n    Kusto.Language: {:?}",
                q.path, a, b
            )),
        }
    }
    println!(
        "valid for both: {both_valid}; invalid for both: {}; disagree: {}",
        both_invalid.len(),
        disagree.len()
    );
    for (q, ours, theirs) in &both_invalid {
        println!(
            "{}\n    ours: {} | Kusto.Language: {} (at {})",
            q.path, ours.message, theirs.2, theirs.0
        );
    }
    for d in &disagree {
        println!("{d}");
    }
    assert!(
        disagree.is_empty(),
        "{} queries get a different verdict",
        disagree.len()
    );
}

/// `name:type,...` as a Kusto schema `(name:type, ...)`, each item written by `item` from
/// the name and the type (`dynamic` when not known).
fn kusto_list(encoded: &str, item: impl Fn(&str, &str) -> String) -> String {
    let list: Vec<String> = encoded
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| {
            let (name, kind) = c.rsplit_once(':').unwrap_or((c, ""));
            item(name, if kind.is_empty() { "dynamic" } else { kind })
        })
        .collect();
    format!("({})", list.join(", "))
}

/// The schema union sentinel-lint embeds, in the form `tools/kql_schema_oracle.js` reads.
fn schema_json() -> serde_json::Value {
    let columns = |encoded: &str| {
        kusto_list(encoded, |name, kind| {
            format!("['{}']:{kind}", name.replace('\'', "\\'"))
        })
    };
    let tables: serde_json::Map<String, serde_json::Value> = sentinel_lint::reference::tables()
        .map(|(name, _, encoded)| (name.to_owned(), columns(encoded).into()))
        .collect();
    // Parameters, all optional (as the schemas declare them), with a default of their type.
    let parameters = |encoded: &str| {
        kusto_list(encoded, |name, kind| {
            let default = match kind {
                "string" => "\"\"",
                "datetime" => "datetime(null)",
                "timespan" => "0s",
                "int" | "long" => "0",
                "real" | "decimal" => "0.0",
                "bool" => "false",
                "guid" => "guid(null)",
                _ => "dynamic([])",
            };
            format!("{name}:{kind} = {default}")
        })
    };
    // A name that is a table is read as the table (as sentinel-lint reads it).
    let functions: serde_json::Map<String, serde_json::Value> =
        sentinel_lint::reference::functions()
            .filter(|(name, _, _)| !tables.contains_key(*name))
            .map(|(name, params, result)| {
                let function = serde_json::json!({
                    "parameters": parameters(params),
                    "columns": columns(result),
                });
                (name.to_owned(), function)
            })
            .collect();
    serde_json::json!({"tables": tables, "functions": functions})
}

/// Where our unknown tables, columns and functions agree with Kusto.Language's KS204, KS142
/// and KS211, given
/// the same schemas: every name we report, Kusto reports at the same place (no false
/// positive); of those Kusto reports, how many we report (where our schema stays open, we
/// report nothing, on purpose). And the result columns, where ours are known.
#[test]
#[ignore = "needs ../shared and Kusto.Language (installed by .ci/run)"]
fn unknown_names_agree_with_kusto_language() {
    use std::collections::BTreeMap;

    use sentinel_lint::kql::columns::{Catalog, Schema, analyze};
    use sentinel_lint::model::tables::Tables;

    let schema = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(schema.path(), schema_json().to_string()).unwrap();
    let queries: Vec<CorpusQuery> = corpus_queries()
        .into_iter()
        .filter(|q| kql::parse(q.query()).errors.is_empty())
        .collect();
    let texts: Vec<&str> = queries.iter().map(CorpusQuery::query).collect();
    let mut kusto = vec![serde_json::Value::Null; queries.len()];
    for v in run_oracle(
        "kql_schema_oracle.js",
        &[("SCHEMA_JSON", schema.path())],
        &texts,
    ) {
        let id = v["id"].as_u64().unwrap() as usize;
        kusto[id] = v;
    }

    let (mut ours_total, mut false_positives, mut kusto_total, mut found) = (0, Vec::new(), 0, 0);
    let mut missed: BTreeMap<String, usize> = BTreeMap::new();
    // Kusto's findings where our columns were known (or a table name): found, and missed.
    let (mut closed_total, mut closed_missed) = (0, Vec::new());
    let (mut closed, mut same_columns, mut other_columns) = (0, 0, Vec::new());
    for (q, verdict) in queries.iter().zip(&kusto) {
        let query = q.query();
        // Kusto counts UTF-16 code units.
        let utf16 = |offset: usize| query[..offset].encode_utf16().count();
        let analysis = analyze(&kql::parse(query).query, &Tables::default());
        let ours: Vec<(usize, &str)> = analysis
            .unknown_tables
            .iter()
            .chain(&analysis.unknown_columns)
            .chain(&analysis.unknown_functions)
            .map(|u| (utf16(u.span.start), u.name.as_str()))
            .collect();
        let unknown_diagnostics: Vec<&serde_json::Value> = verdict["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| matches!(d["code"].as_str(), Some("KS142" | "KS204" | "KS211")))
            .collect();
        let unknown: Vec<(usize, String)> = unknown_diagnostics
            .iter()
            .map(|d| {
                (
                    d["start"].as_u64().unwrap() as usize,
                    d["message"].to_string(),
                )
            })
            .collect();
        for (start, name) in &ours {
            ours_total += 1;
            let quoted = format!("'{name}'");
            if !unknown
                .iter()
                .any(|(s, m)| s == start && m.contains(&quoted))
            {
                false_positives.push(format!("{}: `{name}` at {start}", q.path));
            }
        }
        let byte_offset = |utf16_offset: usize| {
            query
                .char_indices()
                .scan(0, |units, (i, c)| {
                    let at = *units;
                    *units += c.len_utf16();
                    Some((at, i))
                })
                .find(|&(at, _)| at >= utf16_offset)
                .map_or(query.len(), |(_, i)| i)
        };
        for (d, (start, message)) in unknown_diagnostics.iter().zip(&unknown) {
            kusto_total += 1;
            let hit = ours.iter().any(|(s, _)| s == start);
            let name = message.split('\'').nth(1).unwrap_or_default().to_owned();
            if hit {
                found += 1;
            } else {
                *missed.entry(name.clone()).or_default() += 1;
            }
            // The CI's schemas have `imDns` and others both as a table and as a function;
            // the oracle can declare only the table, so it finds the call unknown.
            let both = d["code"] == "KS211" && Tables::default().table(&name).is_some();
            let judged =
                !both && (d["code"] != "KS142" || analysis.is_closed_at(byte_offset(*start)));
            if judged {
                closed_total += 1;
                if !hit {
                    closed_missed.push(format!("{}: {} `{name}` at {start}", q.path, d["code"]));
                }
            }
        }
        // Where Kusto finds no error at all (a name both a table and a function, as
        // `imDns` is in the CI's schemas, cannot be declared to it).
        let kusto_errors = verdict["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "Error");
        if let (Schema::Closed(columns), Some(theirs)) =
            (&analysis.result, verdict["columns"].as_array())
            && !kusto_errors
        {
            closed += 1;
            // The set of columns is what mappings need (the order is not modelled: `project-
            // reorder` and `extend` of an existing column move columns).
            let mut ours: Vec<&str> = columns.iter().map(|c| c.name.as_ref()).collect();
            let mut theirs: Vec<&str> = theirs.iter().filter_map(|c| c.as_str()).collect();
            ours.sort_unstable();
            theirs.sort_unstable();
            if ours == theirs {
                same_columns += 1;
            } else {
                other_columns.push(format!(
                    "{}\n    ours:  {ours:?}\n    Kusto: {theirs:?}",
                    q.path
                ));
            }
        }
    }
    let mut missed: Vec<(usize, String)> = missed.into_iter().map(|(n, c)| (c, n)).collect();
    missed.sort_by(|a, b| b.cmp(a));
    println!("{} queries", queries.len());
    println!(
        "unknown names: we report {ours_total}, Kusto agrees on {}; Kusto reports {kusto_total}, we report {found} of them",
        ours_total - false_positives.len()
    );
    println!("most missed: {:?}", &missed[..missed.len().min(25)]);
    let closed_found = closed_total - closed_missed.len();
    println!(
        "where our columns were known (or a table or function name): Kusto reports {closed_total}, we report {closed_found} ({:.1}%); missed:",
        100.0 * closed_found as f64 / closed_total.max(1) as f64
    );
    for m in &closed_missed {
        println!("    {m}");
    }
    println!(
        "result columns known in {closed} queries: the same as Kusto's in {same_columns}, different in {}",
        other_columns.len()
    );
    for o in other_columns.iter().take(15) {
        println!("{o}");
    }
    assert!(false_positives.is_empty(), "{false_positives:#?}");
    assert!(other_columns.is_empty(), "{other_columns:#?}");
    assert!(
        closed_found * 100 >= closed_total * 95,
        "recall on known columns under 95%: {closed_missed:#?}"
    );
}
