//! Hostile and careless use: no crash, no lost byte, bounded time and memory. Each test
//! reproduces a case that crashed, blocked or wrote over a file before it was fixed.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sentinel-lint"));
    command.env("NO_COLOR", "1").env_remove("GITHUB_ACTIONS");
    command
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A valid hunting query with this id and query.
/// A hunting query (that bounds its time, as hunting queries should).
fn rule(id: &str, query: &str) -> String {
    format!(
        "id: {id}\nname: Rule {id}\ndescription: A rule.\nrequiredDataConnectors: []\ntactics:\n  - Execution\nrelevantTechniques:\n  - T1059\nquery: |\n  let since = ago(1d);\n  {query}\n"
    )
}

const ID_A: &str = "3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a";
const ID_B: &str = "4f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a";
/// A rule with an error that `--fix` repairs safely (`kind: scheduled`).
const FIXABLE: &str = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\ndescription: d\nseverity: Low\nrequiredDataConnectors: []\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\ntactics:\n  - Execution\nrelevantTechniques:\n  - T1059\nquery: SecurityEvent\nkind: scheduled\n";

#[test]
fn long_chains_of_one_operator_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let members = format!("SigninLogs | where a{}", ".a".repeat(22_000));
    let sum = format!("SigninLogs | extend x = 1{}", "+1".repeat(40_000));
    // Two files each, so that the work runs on worker threads.
    for (name, id, query) in [
        ("members1.yaml", ID_A, &members),
        ("members2.yaml", ID_B, &members),
        ("sum1.yaml", "5f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a", &sum),
        ("sum2.yaml", "6f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a", &sum),
    ] {
        std::fs::write(dir.path().join(name), rule(id, query)).unwrap();
    }
    let output = run_in(dir.path(), &["check", "--format", "concise", "."]);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?} {}",
        output.status,
        stderr(&output)
    );
    assert!(stdout(&output).contains("members1.yaml"));
    for format in ["tree", "json", "kql", "tokens"] {
        let output = run_in(dir.path(), &["kql", "sum1.yaml", "--format", format]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&output)
        );
    }
    for to in ["arm", "sigma"] {
        let out = format!("out-{to}");
        let mut args = vec!["convert", "--to", to, ".", "-o", &out];
        if to == "arm" {
            args.push("--force");
        }
        let output = run_in(dir.path(), &args);
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{to}: {:?} {}",
            output.status,
            stderr(&output)
        );
    }
}

#[test]
fn a_chain_beyond_the_limit_is_a_warning_that_says_so() {
    // 1,500 terms: under the 10,000-character limit, over the tree depth limit.
    let query = format!("SecurityEvent | extend x = 1{}", "+1".repeat(1_500));
    let checked = sentinel_lint::pipeline::check_source("x.yaml", rule(ID_A, &query).as_bytes());
    let found: Vec<_> = checked
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "SL601")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].severity,
        sentinel_lint::diagnostics::Severity::Warning
    );
    assert!(found[0].message.contains("more than 1000 operators"));
    // Under the limit: no finding at all.
    let query = format!("SecurityEvent | extend x = 1{}", "+1".repeat(900));
    let checked = sentinel_lint::pipeline::check_source("x.yaml", rule(ID_A, &query).as_bytes());
    assert!(
        checked.report.diagnostics.is_empty(),
        "{:?}",
        checked.report.diagnostics
    );
}

#[test]
fn a_huge_query_is_not_parsed_into_a_huge_tree() {
    let query = format!("union {}", vec!["(T|where a==1)"; 60_000].join(","));
    let checked = sentinel_lint::pipeline::check_source("x.yaml", rule(ID_A, &query).as_bytes());
    // The length is reported (SL207); the parser refused to build the tree.
    assert!(
        checked.report.diagnostics.iter().any(|d| d.code == "SL207"),
        "{:?}",
        checked.report.diagnostics
    );
    let parsed = sentinel_lint::kql::parse(&query);
    assert!(parsed.query.statements.is_empty());
    assert!(parsed.errors[0].limit && parsed.errors[0].message.contains("tokens"));
}

#[test]
fn no_output_is_written_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rule.yaml");
    std::fs::write(&path, FIXABLE).unwrap();
    for args in [
        &["check", "rule.yaml", "-o", "rule.yaml"][..],
        &["check", "--fix", "rule.yaml", "-o", "./rule.yaml"],
        &["check", ".", "-o", "rule.yaml"],
    ] {
        let output = run_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("is an input file"),
            "{}",
            stderr(&output)
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXABLE, "{args:?}");
    }
    // convert --report: not over an input, not over an output, not over a file that exists.
    let good = dir.path().join("good");
    std::fs::create_dir(&good).unwrap();
    std::fs::write(good.join("a.yaml"), rule(ID_A, "SecurityEvent")).unwrap();
    let report_over_input = run_in(
        dir.path(),
        &[
            "convert",
            "--to",
            "sigma",
            "good",
            "-o",
            "out",
            "--report",
            "good/a.yaml",
        ],
    );
    assert_eq!(report_over_input.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(good.join("a.yaml"))
            .unwrap()
            .starts_with("id:")
    );
    let report_over_output = run_in(
        dir.path(),
        &[
            "convert",
            "--to",
            "arm",
            "good",
            "-o",
            "out",
            "--report",
            "out/a.json",
        ],
    );
    assert_eq!(
        report_over_output.status.code(),
        Some(2),
        "{}",
        stderr(&report_over_output)
    );
    assert!(stderr(&report_over_output).contains("both the report and an output"));
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written when refused"
    );
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let existing = run_in(
        dir.path(),
        &[
            "convert",
            "--to",
            "arm",
            "good",
            "-o",
            "out",
            "--report",
            "notes.txt",
        ],
    );
    assert_eq!(existing.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
    let overwrite = run_in(
        dir.path(),
        &[
            "convert",
            "--to",
            "arm",
            "good",
            "-o",
            "out",
            "--report",
            "notes.txt",
            "--overwrite",
        ],
    );
    assert_eq!(overwrite.status.code(), Some(0), "{}", stderr(&overwrite));
    assert!(
        std::fs::read_to_string(dir.path().join("notes.txt"))
            .unwrap()
            .contains("rules")
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_links_permissions_and_read_only_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.yaml");
    std::fs::write(&target, FIXABLE).unwrap();
    std::fs::create_dir(dir.path().join("links")).unwrap();
    let link = dir.path().join("links/link.yaml");
    std::os::unix::fs::symlink("../target.yaml", &link).unwrap();
    let output = run_in(dir.path(), &["check", "--fix", "links/link.yaml"]);
    assert!(
        std::fs::symlink_metadata(&link).unwrap().is_symlink(),
        "the link stays a link"
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("kind: Scheduled"),
        "the target is fixed: {}",
        stderr(&output)
    );

    let locked = dir.path().join("locked.yaml");
    let other = dir.path().join("other.yaml");
    std::fs::write(&locked, FIXABLE).unwrap();
    std::fs::write(&other, FIXABLE.replace(ID_A, ID_B)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let output = run_in(dir.path(), &["check", "--fix", "locked.yaml", "other.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("locked.yaml: not fixed: not writable"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), FIXABLE);
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("kind: Scheduled")
    );
    // The findings of the file not written are still reported.
    assert!(
        stdout(&output).contains("locked.yaml"),
        "{}",
        stdout(&output)
    );

    let linked = dir.path().join("linked.yaml");
    let second = dir.path().join("second-name.yml");
    std::fs::write(&linked, FIXABLE).unwrap();
    std::fs::hard_link(&linked, &second).unwrap();
    let output = run_in(dir.path(), &["check", "--fix", "linked.yaml"]);
    assert!(
        stderr(&output).contains("hard links"),
        "{}",
        stderr(&output)
    );
    assert!(
        std::fs::read_to_string(&second)
            .unwrap()
            .contains("kind: Scheduled")
    );

    // A temporary file of a run killed before it renamed is removed by the next run.
    let stale = dir.path().join(".sentinel-lint-9999999-x1y2z3.tmp");
    std::fs::write(&stale, "half").unwrap();
    std::fs::write(dir.path().join("again.yaml"), FIXABLE).unwrap();
    run_in(dir.path(), &["check", "--fix", "again.yaml"]);
    assert!(!stale.exists());
}

#[test]
fn a_revision_is_never_read_as_an_option() {
    let dir = tempfile::tempdir().unwrap();
    common::git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("a.yaml"), rule(ID_A, "SecurityEvent")).unwrap();
    common::git(dir.path(), &["add", "."]);
    common::git(dir.path(), &["commit", "-q", "-m", "one"]);
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let output = run_in(
        dir.path(),
        &["check", ".", "--changed-since=--output=victim.txt"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not a git revision"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let fine = run_in(dir.path(), &["check", ".", "--changed-since", "HEAD"]);
    assert_eq!(fine.status.code(), Some(0), "{}", stderr(&fine));
}

/// Run with standard output a pipe whose reader is gone (as after `| head -c 10`), so
/// that the first write fails whatever the size of the output: returns the exit code.
#[cfg(unix)]
fn closed_early(dir: &Path, args: &[&str]) -> Option<i32> {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = bin()
        .args(args)
        .current_dir(dir)
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{args:?}: {stderr}"
    );
    output.status.code()
}

#[cfg(unix)]
#[test]
fn a_closed_or_full_standard_output_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    // Many findings, so that the output is larger than a pipe's buffer.
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("r{i:02}.yaml")),
            format!("id: x\n{}", "unknown_key: 1\n".repeat(50)),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("q.yaml"),
        rule(ID_A, &format!("T {}", "| where a == 1 ".repeat(400))),
    )
    .unwrap();
    for args in [
        &["kql", "q.yaml"][..],
        &["kql", "q.yaml", "--format", "tokens"],
        &["schema"],
        &["explain"],
        &["completions", "bash"],
        &["man"],
    ] {
        assert_eq!(closed_early(dir.path(), args), Some(0), "{args:?}");
    }
    // check keeps the exit code its findings call for.
    assert_eq!(
        closed_early(dir.path(), &["check", "--format", "concise", "."]),
        Some(1)
    );
    if Path::new("/dev/full").exists() {
        for args in [&["schema"][..], &["check", "."], &["explain"]] {
            let full = std::fs::File::create("/dev/full").unwrap();
            let output = bin()
                .args(args)
                .current_dir(dir.path())
                .stdout(full)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            assert!(
                stderr(&output).contains("No space left"),
                "{}",
                stderr(&output)
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn special_and_unreadable_files_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    std::fs::write(dir.path().join("good.yaml"), rule(ID_A, "SecurityEvent")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(rule(ID_B, "T").encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(dir.path().join("wide.yaml"), utf16).unwrap();
    let mut names = vec!["good.yaml", "wide.yaml"];
    if made.is_ok_and(|s| s.success()) {
        names.push("fifo.yaml");
        // Named, and found in a folder: reported, never opened (it would block).
        let output = run_in(dir.path(), &["check", "--format", "concise", "fifo.yaml"]);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            stdout(&output)
                .contains("fifo.yaml:1:1: error SL114 it is a FIFO (named pipe), not a file"),
            "{}",
            stdout(&output)
        );
        let output = run_in(dir.path(), &["kql", "fifo.yaml"]);
        assert_eq!(output.status.code(), Some(2));
    }
    let output = run_in(dir.path(), &["check", "--format", "concise", "."]);
    let out = stdout(&output);
    assert!(
        out.contains("wide.yaml:1:1: error SL114 the file is encoded as UTF-16 (little-endian)"),
        "{out}"
    );
    assert!(out.contains(&format!("{} files", names.len())), "{out}");
    let output = run_in(dir.path(), &["kql", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("a device"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_does_not_end_the_run() {
    // Tests may run as root, who reads every file: a dangling link is unreadable for all.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.yaml"), rule(ID_A, "SecurityEvent")).unwrap();
    std::os::unix::fs::symlink("missing.yaml", dir.path().join("dangling.yaml")).unwrap();
    let output = run_in(
        dir.path(),
        &["check", "--format", "concise", "dangling.yaml", "good.yaml"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("dangling.yaml:1:1: error SL114 No such file"),
        "{out}"
    );
    assert!(out.contains("2 files"), "{out}");
    assert_eq!(
        stderr(&output).matches("No such file").count(),
        0,
        "reported once, as a finding"
    );
}

#[test]
fn copies_of_one_rule_give_output_linear_in_the_copies() {
    let dir = tempfile::tempdir().unwrap();
    let text = rule(ID_A, "SecurityEvent");
    for i in 0..2_000 {
        std::fs::write(dir.path().join(format!("copy{i:04}.yaml")), &text).unwrap();
    }
    let output = run_in(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    // One finding per copy, each naming a few others: kilobytes, not the 62 MB of a list of
    // every other copy in every finding.
    assert!(out.len() < 1_000_000, "{} bytes", out.len());
    assert!(
        out.contains("copy0001.yaml, copy0002.yaml, copy0003.yaml and 1996 more files"),
        "{}",
        &out[..500]
    );
}

#[test]
fn findings_per_file_are_bounded_and_the_rest_counted() {
    let mut text = rule(ID_A, "SecurityEvent");
    for i in 0..20_000 {
        text.push_str(&format!("unknownKey{i}: 1\n"));
    }
    let checked = sentinel_lint::pipeline::check_source("x.yaml", text.as_bytes());
    let diagnostics = &checked.report.diagnostics;
    assert_eq!(
        diagnostics.len(),
        sentinel_lint::lints::MAX_FINDINGS_PER_FILE
    );
    assert!(diagnostics.iter().any(|d| {
        d.message
            .contains("19000 more findings in this file are not listed")
    }),);
}

#[test]
fn messages_and_output_names_do_not_depend_on_the_order_of_arguments() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, id) in [
        ("a", ID_A),
        ("b", ID_B),
        ("c", "5f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a"),
    ] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("same.yaml"), rule(id, "T")).unwrap();
    }
    let forward = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "a/same.yaml",
            "b/same.yaml",
            "c/same.yaml",
        ],
    );
    let backward = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "c/same.yaml",
            "b/same.yaml",
            "a/same.yaml",
        ],
    );
    let lines = |o: &Output| {
        let mut lines: Vec<String> = stdout(o).lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(lines(&forward), lines(&backward));
    for (order, out) in [(["a", "b", "c"], "one"), (["c", "b", "a"], "two")] {
        let files: Vec<String> = order.iter().map(|f| format!("{f}/same.yaml")).collect();
        let mut args = vec![
            "convert",
            "--to",
            "arm",
            "-o",
            out,
            "--report",
            "report.json",
            "--overwrite",
        ];
        args.extend(files.iter().map(String::as_str));
        run_in(dir.path(), &args);
        let report = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&report).unwrap();
        let written: Vec<(String, String)> = json["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["file"].as_str().unwrap().to_owned(),
                    r["outputs"].to_string(),
                )
            })
            .collect();
        assert!(
            written
                .iter()
                .any(|(file, outputs)| file == "a/same.yaml" && outputs.contains("same.json\"")),
            "{written:?}"
        );
    }
}

#[test]
fn lone_carriage_returns_end_lines_in_every_format() {
    let text = rule(ID_A, "SecurityEvent").replace('\n', "\r") + "unknownKey: 1\r";
    let checked = sentinel_lint::pipeline::check_source("x.yaml", text.as_bytes());
    let unknown = checked
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == "SL210")
        .expect("the unknown key is found");
    assert_eq!(checked.report.source.line_col(unknown.span.start), (12, 1));
    let report = sentinel_lint::pipeline::finish(vec![checked], &Default::default());
    let mut human = Vec::new();
    sentinel_lint::render::render(
        &report,
        sentinel_lint::render::Format::Human,
        &Default::default(),
        0,
        &mut human,
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&human).contains("x.yaml:12:1"));
}

/// Holding only the lines findings point at (to keep memory flat over large packs) renders
/// every format exactly as holding the whole text does.
#[test]
fn excerpts_render_as_the_whole_text_does() {
    use sentinel_lint::pipeline::{self, Settings};
    use sentinel_lint::render::{Format, HumanOptions, render};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<_> = common::walk(&root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(files.len() > 100);
    let checked = |context: Option<usize>| {
        let all = files
            .iter()
            .map(|path| {
                let mut checked = pipeline::check_source(
                    &path.display().to_string(),
                    &std::fs::read(path).unwrap(),
                );
                if let Some(context) = context {
                    pipeline::keep_for_report(&mut checked, &Settings::default(), context);
                }
                checked
            })
            .collect();
        pipeline::finish(all, &Settings::default())
    };
    let whole = checked(None);
    let render_as = |report, format| {
        let mut out = Vec::new();
        render(report, format, &HumanOptions::default(), 0, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let lines_only = checked(Some(0));
    for format in [
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ] {
        assert_eq!(
            render_as(&lines_only, format),
            render_as(&whole, format),
            "{format:?}"
        );
    }
    let with_context = checked(Some(1));
    let (kept, all): (usize, usize) = with_context
        .files
        .iter()
        .zip(&whole.files)
        .map(|(a, b)| (a.source.held_bytes(), b.source.held_bytes()))
        .fold((0, 0), |(x, y), (a, b)| (x + a, y + b));
    assert!(kept < all, "{kept} of {all} bytes kept");
    assert_eq!(
        render_as(&with_context, Format::Human),
        render_as(&whole, Format::Human)
    );
}

#[test]
fn custom_tags_and_a_leading_empty_document_are_reported() {
    let tagged = rule(ID_A, "SecurityEvent").replace("name: ", "name: !custom ");
    let checked = sentinel_lint::pipeline::check_source("x.yaml", tagged.as_bytes());
    assert!(
        checked
            .report
            .diagnostics
            .iter()
            .any(|d| d.code == "SL101" && d.message.contains("`!custom`")),
        "{:?}",
        checked.report.diagnostics
    );
    let leading = format!("---\n# a comment\n---\n{}", rule(ID_A, "SecurityEvent"));
    let checked = sentinel_lint::pipeline::check_source("x.yaml", leading.as_bytes());
    let found: Vec<_> = checked.report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(found, ["SL110"]);
    // A single `---` at the start is fine, and so is a core tag.
    let fine = format!("---\n{}", rule(ID_A, "SecurityEvent")).replace("name: ", "name: !!str ");
    let checked = sentinel_lint::pipeline::check_source("x.yaml", fine.as_bytes());
    assert!(
        checked.report.diagnostics.is_empty(),
        "{:?}",
        checked.report.diagnostics
    );
}
