//! The command line contract: exit codes, output formats, the other commands.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sentinel-lint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

const INVALID: &str = "rules/lints/SL102-misindented-key/invalid.yaml";

#[test]
fn examples_pass_with_exit_code_0() {
    let output = run(&["check", "rules/examples"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("All checks passed (4 files checked)."));
}

#[test]
fn errors_give_exit_code_1_unless_exit_zero() {
    assert_eq!(run(&["check", INVALID]).status.code(), Some(1));
    assert_eq!(
        run(&["check", "--exit-zero", INVALID]).status.code(),
        Some(0)
    );
}

#[test]
fn warnings_alone_give_exit_code_0() {
    let output = run(&[
        "check",
        "rules/lints/SL407-arm-trigger-operator/invalid.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("SL407"));
}

#[test]
fn usage_errors_give_exit_code_2() {
    let missing = run(&["check", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file or folder"));
    let selector = run(&["check", "--select", "SL999", "rules/examples"]);
    assert_eq!(selector.status.code(), Some(2));
    assert_eq!(
        run(&["check", "--format", "xml", "rules/examples"])
            .status
            .code(),
        Some(2)
    );
    let explain = run(&["explain", "misindented-keys"]);
    assert_eq!(explain.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&explain.stderr).contains("did you mean `misindented-key`?"));
}

#[test]
fn concise_format() {
    let output = run(&["check", "--format", "concise", INVALID]);
    insta::assert_snapshot!(stdout(&output), @r"
    rules/lints/SL102-misindented-key/invalid.yaml:6:5: error SL102 `dataTypes` is indented like the list item above; indent it 2 more spaces so it belongs to that item
    Found 1 error in 1 of 1 file. 1 fixable with --fix.
    ");
}

#[test]
fn json_format_has_the_documented_shape() {
    let output = run(&["check", "--format", "json", INVALID]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let d = &json["diagnostics"][0];
    for key in [
        "file",
        "code",
        "name",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
    ] {
        assert!(d.get(key).is_some(), "diagnostic lacks {key}: {d}");
    }
    assert_eq!(d["file"], INVALID);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(5))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(6), Some(14))
    );
    assert_eq!(d["fix"]["applicability"], "safe");
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 1, "files_with_findings": 1, "errors": 1, "warnings": 0, "infos": 0, "fixable": 1, "fixable_unsafe": 0})
    );
}

#[test]
fn output_file_and_selection() {
    let dir = std::env::temp_dir().join(format!("sentinel-lint-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("report.json");
    let output = run(&[
        "check",
        "--format",
        "json",
        "--ignore",
        "misindented-key",
        "-o",
        out.to_str().unwrap(),
        INVALID,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["summary"]["errors"], 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn statistics_count_per_lint() {
    let output = run(&[
        "check",
        "--statistics",
        "rules/lints/SL205-enum-case/invalid.yaml",
    ]);
    assert!(
        stdout(&output).starts_with("     4  SL205  enum-case (warning)\n"),
        "{}",
        stdout(&output)
    );
    // A lint that reports an analytics rule and a hunting query at two levels: a line each.
    let output = run(&[
        "check",
        "--statistics",
        "--select",
        "SL304",
        "rules/lints/SL304-technique-without-tactic/invalid.yaml",
        "rules/lints/SL304-technique-without-tactic/invalid-hunting.yaml",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("  SL304  technique-without-tactic (error)\n")
            && text.contains("  SL304  technique-without-tactic (warning)\n"),
        "{text}"
    );
}

#[test]
fn schema_command_prints_both_drafts() {
    let latest: serde_json::Value = serde_json::from_slice(&run(&["schema"]).stdout).unwrap();
    assert_eq!(
        latest["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let draft07: serde_json::Value =
        serde_json::from_slice(&run(&["schema", "--draft", "07"]).stdout).unwrap();
    assert_eq!(
        draft07["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
    assert!(draft07["definitions"]["ScheduledRule"].is_object());
}

#[test]
fn explain_shows_the_docs_of_a_lint() {
    // A prefix lists the lints it selects, as `--select` takes it.
    let prefix = stdout(&run(&["explain", "SL1"]));
    assert!(
        prefix.starts_with("SL101  yaml-syntax") && prefix.lines().all(|l| l.starts_with("SL1")),
        "{prefix}"
    );
    assert!(prefix.contains("fix"), "{prefix}");
    let by_code = stdout(&run(&["explain", "SL102"]));
    assert!(by_code.starts_with("# SL102 misindented-key\n"));
    assert!(by_code.contains("## What it does"));
    assert_eq!(by_code, stdout(&run(&["explain", "misindented-key"])));
    let all = stdout(&run(&["explain"]));
    assert_eq!(all.lines().count(), sentinel_lint::lints::ALL.len());
    // The severity on hunting queries, where it is another.
    let missing = all.lines().find(|l| l.starts_with("SL206")).unwrap();
    assert!(missing.contains("error (hunting: warning)"), "{missing}");
    let unknown_key = all.lines().find(|l| l.starts_with("SL210")).unwrap();
    assert!(!unknown_key.contains("hunting"), "{unknown_key}");
}

#[test]
fn hostile_input_is_a_finding_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("sentinel-lint-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("deep.yaml", format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        (
            "bomb.yaml",
            b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n".to_vec(),
        ),
        ("binary.yaml", (0..=255u8).cycle().take(4096).collect()),
        ("truncated.yaml", b"id: 1\nquery: |\n  T\n  | where x == \"".to_vec()),
        ("huge.yaml", vec![b'a'; sentinel_lint::pipeline::MAX_FILE_BYTES + 1]),
        ("nul.yaml", b"id: \0\0\0\n".to_vec()),
        (
            "deep-query.yaml",
            format!("id: 1\nname: n\nquery: print x = {}1{}\n", "(".repeat(50_000), ")".repeat(50_000)).into_bytes(),
        ),
        (
            "garbage-query.yaml",
            format!("id: 1\nname: n\nquery: \"{}\"\n", "| ( [ { , = ; ".repeat(5_000)).into_bytes(),
        ),
    ];
    for (name, bytes) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let output = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["files"], cases.len());
    assert!(
        Path::new(&dir.join("deep.yaml")).exists(),
        "inputs are never touched"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn kql_command_prints_the_tree() {
    let output = run(&["kql", "rules/examples/rmm_Panorama9_filesig.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    snapshot_settings().bind(|| insta::assert_snapshot!("kql_tree", stdout(&output)));
    let reprinted = stdout(&run(&[
        "kql",
        "--format",
        "kql",
        "rules/examples/rmm_Panorama9_filesig.yaml",
    ]));
    assert!(
        reprinted.contains("| where Signer has \"Panorama9\""),
        "{reprinted}"
    );
}

#[test]
fn kql_columns_prints_the_result_columns_or_why_they_are_not_known() {
    let output = run(&[
        "kql",
        "--columns",
        "rules/examples/PasswordSprayThenSuccess.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("UserPrincipalName: string\nIPAddress: string\nFailedAccounts: ?\n"),
        "{text}"
    );
    let output = run(&[
        "kql",
        "--columns",
        "rules/lints/SL603-unknown-column/valid-unknown-schema.yaml",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text, "not known from 12:5: `evaluate` is not analysed\n");
}

#[test]
fn kql_command_reports_errors_at_their_place_in_the_file() {
    let output = run(&["kql", "rules/lints/SL601-kql-syntax/invalid.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("rules/lints/SL601-kql-syntax/invalid.yaml:14:5: KQL syntax error: `wher` is not a query operator; did you mean `where`?"),
        "{stderr}"
    );
    let missing = run(&["kql", "rules/lints/SL113-empty-file/invalid.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
}

// ---- convert -------------------------------------------------------------------------------

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Run `sentinel-lint COMMAND ARGS...` in `dir`, without colour or GitHub Actions detection.
fn command_in(dir: &Path, command: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sentinel-lint"))
        .arg(command)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the binary runs")
}

fn convert_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, "convert", args)
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .display()
        .to_string()
}

#[test]
fn convert_to_arm_writes_a_template_per_rule_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let examples = repo("rules/examples");
    let output = convert_in(
        dir.path(),
        &[
            "--to",
            "arm",
            &examples,
            "-o",
            "out",
            "--report",
            "report.json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("4 rules to ARM: 4 converted"),
        "{}",
        stderr(&output)
    );
    let written: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(written.len(), 4);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    for rule in report["rules"].as_array().unwrap() {
        assert!(rule["file"].is_string() && rule["notes"].is_array());
        assert_eq!(rule["status"], "converted");
        let out = rule["outputs"][0].as_str().unwrap();
        let template: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(out)).unwrap()).unwrap();
        assert_eq!(template["parameters"]["workspace"]["type"], "string");
    }
    // Outputs that exist are not replaced without --overwrite.
    let first = std::fs::read(dir.path().join("out/PasswordSprayThenSuccess.json")).unwrap();
    std::fs::write(dir.path().join("out/PasswordSprayThenSuccess.json"), "mine").unwrap();
    let again = convert_in(dir.path(), &["--to", "arm", &examples, "-o", "out"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--overwrite"), "{}", stderr(&again));
    assert_eq!(
        std::fs::read(dir.path().join("out/PasswordSprayThenSuccess.json")).unwrap(),
        b"mine"
    );
    let overwrite = convert_in(
        dir.path(),
        &["--to", "arm", &examples, "-o", "out", "--overwrite"],
    );
    assert_eq!(overwrite.status.code(), Some(0));
    assert_eq!(
        std::fs::read(dir.path().join("out/PasswordSprayThenSuccess.json")).unwrap(),
        first
    );
}

#[test]
fn convert_to_standard_output_and_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let one = convert_in(
        dir.path(),
        &[
            "--to",
            "arm",
            &repo("rules/examples/PasswordSprayThenSuccess.yaml"),
        ],
    );
    assert_eq!(one.status.code(), Some(0));
    let template: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(template["resources"][0]["kind"], "Scheduled");
    let many = convert_in(dir.path(), &["--to", "arm", &repo("rules/examples")]);
    assert_eq!(many.status.code(), Some(2));
    assert!(stderr(&many).contains("--bundle"));
    let bundle = convert_in(
        dir.path(),
        &[
            "--to",
            "arm",
            "--bundle",
            &repo("rules/examples"),
            "-o",
            "pack.json",
        ],
    );
    assert_eq!(bundle.status.code(), Some(0), "{}", stderr(&bundle));
    let pack: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("pack.json")).unwrap())
            .unwrap();
    assert_eq!(pack["resources"].as_array().unwrap().len(), 4);
    // Several rules as YAML go to standard output as one stream of documents.
    let yaml = convert_in(
        dir.path(),
        &[
            "--to",
            "yaml",
            &repo("rules/convert/arm/portal_export.json"),
        ],
    );
    assert_eq!(
        yaml.status.code(),
        Some(1),
        "the Fusion rule is not converted"
    );
    assert_eq!(
        String::from_utf8_lossy(&yaml.stdout)
            .matches("\n---\n")
            .count(),
        1
    );
}

#[test]
fn convert_refuses_rules_with_errors_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let rule = repo("rules/convert/with_errors.yaml");
    let refused = convert_in(dir.path(), &["--to", "arm", &rule]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stdout.is_empty());
    assert!(
        stderr(&refused).contains("1:5: SL206 invalid-id"),
        "{}",
        stderr(&refused)
    );
    let forced = convert_in(dir.path(), &["--to", "arm", "--force", &rule]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(
        stderr(&forced).contains("converted with errors (--force)")
            && stderr(&forced).contains("1:5: SL206 invalid-id")
            && stderr(&forced).contains("0 converted, 0 approximate, 1 with errors (--force)"),
        "{}",
        stderr(&forced)
    );
}

/// A rule whose query does not parse is written when forced, and never called "converted".
#[test]
fn forced_rules_with_broken_kql_are_not_called_converted() {
    let dir = tempfile::tempdir().unwrap();
    let rule = repo("rules/lints/SL601-kql-syntax/invalid.yaml");
    let report = dir.path().join("report.json");
    let forced = convert_in(
        dir.path(),
        &[
            "--to",
            "arm",
            "--force",
            &rule,
            "-o",
            "out",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["rules"][0]["status"], "forced", "{report}");
    assert!(
        report["rules"][0]["notes"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("SL601 kql-syntax"),
        "{report}"
    );
}

fn numbered_rule(i: usize) -> String {
    format!(
        "id: {i:08x}-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: Rule {i}\ndescription: A rule.\nrequiredDataConnectors: []\ntactics:\n  - Execution\nrelevantTechniques:\n  - T1059\nquery: |\n  SecurityEvent\n  | where TimeGenerated > ago(1d)\n"
    )
}

/// ARM takes at most 800 resources in a template: a larger bundle is split, and says so.
#[test]
fn a_bundle_of_more_than_800_rules_is_split() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for i in 0..801 {
        std::fs::write(rules.join(format!("r{i:04}.yaml")), numbered_rule(i)).unwrap();
    }
    let output = convert_in(
        dir.path(),
        &["--to", "arm", "--bundle", "rules", "-o", "bundle.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("split into 2 templates"),
        "{}",
        stderr(&output)
    );
    let resources = |name: &str| -> usize {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let template: serde_json::Value = serde_json::from_str(&text).unwrap();
        template["resources"].as_array().unwrap().len()
    };
    assert_eq!(resources("bundle-1.json"), 800);
    assert_eq!(resources("bundle-2.json"), 1);
    assert!(!dir.path().join("bundle.json").exists());
    let to_stdout = convert_in(dir.path(), &["--to", "arm", "--bundle", "rules"]);
    assert_eq!(to_stdout.status.code(), Some(2));
    assert!(stderr(&to_stdout).contains("801 rules make 2 templates"));
}

/// Several inputs keep their own trees under the output folder; a name two outputs would
/// share is reported.
#[test]
fn outputs_of_several_inputs_mirror_each_input_and_collisions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    for (i, folder) in ["Detections", "Hunting Queries"].iter().enumerate() {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("same.yaml"), numbered_rule(i)).unwrap();
    }
    let output = convert_in(
        dir.path(),
        &["--to", "arm", "Detections", "Hunting Queries", "-o", "out"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(dir.path().join("out/Detections/same.json").is_file());
    assert!(dir.path().join("out/Hunting Queries/same.json").is_file());
    assert!(
        !stderr(&output).contains("written as"),
        "{}",
        stderr(&output)
    );
    // Two names one case-insensitive file system holds as one.
    std::fs::write(dir.path().join("Detections/Same.yaml"), numbered_rule(7)).unwrap();
    let output = convert_in(dir.path(), &["--to", "arm", "Detections", "-o", "out2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "Detections/same.yaml: written as same_2.json: same.json is the output of Detections/Same.yaml"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn convert_honours_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let rule = std::fs::read_to_string(repo("rules/convert/scheduled_every_field.yaml"))
        .unwrap()
        .replace(
            "Mailbox forwarding rule",
            "Mailbox forwarding rule \u{2014}",
        );
    std::fs::create_dir_all(dir.path().join("rules/skip")).unwrap();
    std::fs::write(dir.path().join("rules/forward.yaml"), &rule).unwrap();
    std::fs::write(dir.path().join("rules/skip/forward.yaml"), &rule).unwrap();
    // Without a configuration, the non-ASCII dash is an error that stops the conversion.
    let refused = convert_in(dir.path(), &["--to", "arm", "rules", "-o", "out"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("SL108"), "{}", stderr(&refused));
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "exclude = [\"rules/skip/**\"]\n[lints]\nnon-ascii = \"warning\"\n",
    )
    .unwrap();
    let converted = convert_in(dir.path(), &["--to", "arm", "rules", "-o", "out2"]);
    assert_eq!(converted.status.code(), Some(0), "{}", stderr(&converted));
    assert!(
        stderr(&converted).contains("1 rule to ARM: 1 converted"),
        "{}",
        stderr(&converted)
    );
    assert!(dir.path().join("out2/forward.json").is_file());
    assert!(!dir.path().join("out2/skip").exists());
    // --isolated reads no configuration.
    let isolated = convert_in(
        dir.path(),
        &["--to", "arm", "--isolated", "rules", "-o", "out3"],
    );
    assert_eq!(isolated.status.code(), Some(1), "{}", stderr(&isolated));
}

#[test]
fn convert_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let rule = repo("rules/examples/PasswordSprayThenSuccess.yaml");
    let version = convert_in(
        dir.path(),
        &["--to", "arm", "--api-version", "2099-01-01", &rule],
    );
    assert_eq!(version.status.code(), Some(2));
    assert!(stderr(&version).contains("--api-version list"));
    let list = convert_in(dir.path(), &["--to", "arm", "--api-version", "list"]);
    assert_eq!(list.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("2025-07-01-preview   NRT, subTechniques")
    );
    let flag = convert_in(dir.path(), &["--to", "yaml", "--bundle", &rule]);
    assert_eq!(flag.status.code(), Some(2));
    let missing = convert_in(dir.path(), &["--to", "arm", "no/such/file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn convert_never_writes_over_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    // An ARM template in a file named like the YAML it converts to.
    let template =
        std::fs::read_to_string(repo("rules/convert/arm/az_powershell_export.json")).unwrap();
    std::fs::write(
        dir.path().join("PrivilegedGroupMembershipChanged.yaml"),
        &template,
    )
    .unwrap();
    let output = convert_in(
        dir.path(),
        &[
            "--to",
            "yaml",
            "PrivilegedGroupMembershipChanged.yaml",
            "-o",
            ".",
            "--overwrite",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("is an input file"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("PrivilegedGroupMembershipChanged.yaml")).unwrap(),
        template
    );
}

#[test]
fn convert_to_sigma() {
    let dir = tempfile::tempdir().unwrap();
    let seed = repo("rules/examples/rmm_Panorama9_netconn.yaml");
    let one = convert_in(
        dir.path(),
        &[
            "--to",
            "sigma",
            "--date",
            "2026-11-22",
            "--author",
            "Jane Doe",
            &seed,
        ],
    );
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(
        // `InitiatingProcessVersionInfoCompanyName` has no field in SigmaHQ's
        // network_connection taxonomy: the table's own log source and columns.
        text.contains("service: devicenetworkevents")
            && text.contains("RemoteUrl|contains: panorama9.com"),
        "{text}"
    );
    assert!(
        text.contains("author: Jane Doe") && text.contains("date: \"2026-11-22\""),
        "{text}"
    );
    // Two of the four examples use `join` and `mv-expand`: not convertible.
    let examples = repo("rules/examples");
    let all = convert_in(
        dir.path(),
        &[
            "--to", "sigma", &examples, "-o", "sigma", "--report", "r.json",
        ],
    );
    assert_eq!(all.status.code(), Some(1), "{}", stderr(&all));
    assert!(
        stderr(&all).contains("4 rules to Sigma: 0 converted, 2 approximate, 2 not converted"),
        "{}",
        stderr(&all)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let join = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["file"]
                .as_str()
                .unwrap()
                .ends_with("PasswordSprayThenSuccess.yaml")
        })
        .unwrap();
    assert_eq!(join["status"], "unsupported");
    assert_eq!(
        join["notes"][0]["line"], 31,
        "the place of the `join` in the file"
    );
    let skipped = convert_in(
        dir.path(),
        &[
            "--to",
            "sigma",
            &examples,
            "-o",
            "sigma2",
            "--skip-unsupported",
        ],
    );
    assert_eq!(skipped.status.code(), Some(0));
    let forced = convert_in(dir.path(), &["--to", "sigma", "--force", &seed]);
    assert_eq!(forced.status.code(), Some(2));
    let date = convert_in(
        dir.path(),
        &["--to", "sigma", "--date", "2026-02-30", &seed],
    );
    assert_eq!(date.status.code(), Some(2));
}

// ---- output formats, configuration, fixes, git -------------------------------------------

fn check_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, "check", args)
}

#[test]
fn github_format() {
    let output = run(&["check", "--format", "github", INVALID]);
    assert_eq!(output.status.code(), Some(1));
    snapshot_settings().bind(|| insta::assert_snapshot!("github_format", stdout(&output)));
}

#[test]
fn every_format_writes_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo(INVALID);
    for (format, check) in [
        (
            "sarif",
            (|t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap()["version"] == "2.1.0")
                as fn(&str) -> bool,
        ),
        ("json-lines", |t: &str| {
            t.lines()
                .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
                && t.lines().count() == 1
        }),
        ("junit", |t: &str| {
            t.starts_with("<?xml") && t.contains("<testsuites name=\"sentinel-lint\" tests=\"1\"")
        }),
        ("json", |t: &str| {
            serde_json::from_str::<serde_json::Value>(t).is_ok()
        }),
        ("concise", |t: &str| t.contains("error SL102")),
    ] {
        let out = dir.path().join(format!("out.{format}"));
        let output = check_in(
            dir.path(),
            &["--format", format, "--output", out.to_str().unwrap(), &file],
        );
        assert_eq!(output.status.code(), Some(1), "{format}");
        assert!(
            output.stdout.is_empty(),
            "{format}: the output goes to the file"
        );
        assert!(check(&std::fs::read_to_string(&out).unwrap()), "{format}");
    }
}

#[test]
fn configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::copy(repo(INVALID), dir.path().join("rules/bad.yaml")).unwrap();
    assert_eq!(check_in(dir.path(), &["rules"]).status.code(), Some(1));
    // Levels by name, found upward from a subfolder.
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "[lints]\nmisindented-key = \"warning\"\n",
    )
    .unwrap();
    let sub = dir.path().join("rules");
    let output = check_in(&sub, &["--format", "concise", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("warning SL102"));
    // Per-path overrides and excludes.
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "[[overrides]]\nfiles = [\"rules/**\"]\nlints = { SL102 = \"off\" }\n",
    )
    .unwrap();
    assert!(
        stdout(&check_in(dir.path(), &["--format", "concise", "rules"]))
            .contains("All checks passed")
    );
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "exclude = [\"rules\"]\n",
    )
    .unwrap();
    assert!(
        stdout(&check_in(dir.path(), &["--format", "concise", "."])).contains("(0 files checked)")
    );
    let named = check_in(dir.path(), &["--format", "concise", "rules/bad.yaml"]);
    assert_eq!(
        named.status.code(),
        Some(1),
        "files named explicitly are checked"
    );
    let forced = check_in(
        dir.path(),
        &["--format", "concise", "--force-exclude", "rules/bad.yaml"],
    );
    assert_eq!(forced.status.code(), Some(0));
    // Mistakes are errors with their place.
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "select = [\"SL1\"]\ncolour = \"red\"\n",
    )
    .unwrap();
    let bad = check_in(dir.path(), &["rules"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("sentinel-lint.toml:2:1: unknown field `colour`"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(
        check_in(dir.path(), &["--isolated", "rules"]).status.code(),
        Some(1)
    );
}

#[test]
fn declared_tables_are_checked_like_the_embedded_ones() {
    let dir = tempfile::tempdir().unwrap();
    // Hunting queries (column findings are warnings there), with ids of their own.
    let rule = |id: &str, query: &str| {
        format!(
            "id: {id}\nname: n{id}\ndescription: d\nrequiredDataConnectors: []\ntactics:\n  - Execution\nrelevantTechniques:\n  - T1059\nquery: |\n  {query}\n"
        )
    };
    std::fs::write(
        dir.path().join("app.yaml"),
        rule(
            "3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a",
            "MyApp_CL | where Usr_s == 'x'",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("vendor.yaml"),
        rule(
            "4a0b2d3c-8f7e-4d6c-9b0a-1c2d3e4f5a6b",
            "Vendor_CL | where Action_s == 'x' and Host == 1",
        ),
    )
    .unwrap();
    // Without a configuration, both tables are unknown: a warning each, no column finding.
    let before = check_in(
        dir.path(),
        &["--format", "concise", "app.yaml", "vendor.yaml"],
    );
    let text = String::from_utf8_lossy(&before.stdout).into_owned();
    assert_eq!(text.matches("SL602").count(), 2, "{text}");
    assert!(!text.contains("SL603"), "{text}");
    // In a hidden folder, as the Azure-Sentinel repository keeps them.
    std::fs::create_dir_all(dir.path().join(".script/tables")).unwrap();
    std::fs::write(
        dir.path().join(".script/tables/Vendor_CL.json"),
        r#"{"Name": "Vendor_CL", "Properties": [{"Name": "Action_s", "Type": "String"}, {"Name": "Host_s", "Type": "String"}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "[schema]\nfiles = [\".script/tables/*.json\"]\n[schema.tables.MyApp_CL]\nUser_s = \"string\"\n",
    )
    .unwrap();
    let after = check_in(
        dir.path(),
        &["--format", "concise", "app.yaml", "vendor.yaml"],
    );
    let text = String::from_utf8_lossy(&after.stdout).into_owned();
    assert!(!text.contains("SL602"), "{text}");
    assert!(
        text.contains("app.yaml:10:20: warning SL603 `Usr_s` is not a column here"),
        "{text}"
    );
    assert!(
        text.contains("vendor.yaml:10:41: warning SL603 `Host` is not a column here"),
        "{text}"
    );
    // A type Kusto does not have is an error with its place.
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "[schema.tables.MyApp_CL]\nUser_s = \"text\"\n",
    )
    .unwrap();
    let bad = check_in(dir.path(), &["app.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("sentinel-lint.toml:2:10: `text` is not a Kusto type"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn declared_functions_and_watchlists_have_columns() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |id: &str, query: &str| {
        format!(
            "id: {id}\nname: n{id}\ndescription: d\nrequiredDataConnectors: []\ntactics:\n  - Execution\nrelevantTechniques:\n  - T1059\nquery: |\n  {query}\n"
        )
    };
    let files = [
        (
            "parser.yaml",
            rule(
                "3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a",
                "MyParser(ago(1d)) | where Usr == 'x'",
            ),
        ),
        (
            "body.yaml",
            rule(
                "4a0b2d3c-8f7e-4d6c-9b0a-1c2d3e4f5a6b",
                "AppUsers | where User == 'x' and Host == 1",
            ),
        ),
        (
            "watchlist.yaml",
            rule(
                "5b1c3e4d-9a8f-4e7d-8c1b-2d3e4f5a6b7c",
                "_GetWatchlist('VIPs') | where SearchKey == 'x' and Owner == 'y' and Ownr == 'z'",
            ),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let names = [
        "--format",
        "concise",
        "parser.yaml",
        "body.yaml",
        "watchlist.yaml",
    ];
    // Unknown at first: the function called and the name read are reported, no column.
    let text = String::from_utf8_lossy(&check_in(dir.path(), &names).stdout).into_owned();
    assert_eq!(text.matches("SL602").count(), 1, "{text}");
    assert_eq!(text.matches("SL604").count(), 1, "{text}");
    assert!(!text.contains("SL603"), "{text}");
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        r#"[schema.tables.MyApp_CL]
User_s = "string"
Host_s = "string"

[schema.functions.MyParser]
parameters = { since = "datetime" }
columns = { TimeGenerated = "datetime", User = "string" }

[schema.functions.AppUsers]
body = "MyApp_CL | project TimeGenerated, User = User_s"

[schema.watchlists.VIPs]
Owner = "string"
"#,
    )
    .unwrap();
    let text = String::from_utf8_lossy(&check_in(dir.path(), &names).stdout).into_owned();
    assert!(!text.contains("SL602") && !text.contains("SL604"), "{text}");
    assert!(
        text.contains("parser.yaml:10:29: warning SL603 `Usr` is not a column here"),
        "{text}"
    );
    assert!(
        text.contains("body.yaml:10:36: warning SL603 `Host` is not a column here"),
        "{text}"
    );
    assert!(
        text.contains("watchlist.yaml:10:71: warning SL603 `Ownr` is not a column here"),
        "{text}"
    );
    assert_eq!(text.matches("SL603").count(), 3, "{text}");
    // A body that does not parse is an error of the configuration, at the body.
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "[schema.functions.AppUsers]\nbody = \"MyApp_CL | where\"\n",
    )
    .unwrap();
    let bad = check_in(dir.path(), &["body.yaml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("sentinel-lint.toml:2:8: the body does not parse"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn fix_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rule.yaml");
    let original = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n # a comment\ndescription: d\nseverity: low\nrequiredDataConnectors: []\nqueryFrequency: PT1H\nqueryPeriod: PT1H\ntriggerOperator: GreaterThan\ntriggerThreshold: 0\ntactics: Persistence\nquery: T\nkind: scheduled\n";
    std::fs::write(&path, original).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let diff = check_in(dir.path(), &["--diff", "rule.yaml"]);
    assert_eq!(diff.status.code(), Some(1), "there is something to fix");
    assert!(
        stdout(&diff).contains("+queryFrequency: 1h"),
        "{}",
        stdout(&diff)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        original,
        "--diff writes nothing"
    );
    let fixed = check_in(dir.path(), &["--fix", "--format", "concise", "rule.yaml"]);
    assert!(
        stderr(&fixed).contains("Fixed 6 findings in 1 file."),
        "{}",
        stderr(&fixed)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("name: n # a comment")
            && text.contains("kind: Scheduled")
            && text.contains("tactics:\n  - Persistence"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
    let again = check_in(dir.path(), &["--fix", "rule.yaml"]);
    assert!(stderr(&again).contains("Fixed 0 findings in 0 files."));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn changed_since_reports_changed_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    std::fs::copy(repo(INVALID), dir.path().join("old.yaml")).unwrap();
    std::fs::copy(repo(INVALID), dir.path().join("changed.yaml")).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    std::fs::write(
        dir.path().join("changed.yaml"),
        std::fs::read_to_string(repo(INVALID)).unwrap() + "# edited\n",
    )
    .unwrap();
    std::fs::copy(repo(INVALID), dir.path().join("new.yaml")).unwrap();
    let output = check_in(
        dir.path(),
        &["--format", "concise", "--changed-since", "HEAD", "."],
    );
    let text = stdout(&output);
    let reported: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    // Named as git names them: no `./`.
    assert!(
        reported.contains(&"changed.yaml") && reported.contains(&"new.yaml"),
        "{text}"
    );
    assert!(
        !reported.contains(&"old.yaml"),
        "unchanged files are not reported: {text}"
    );
    // The whole pack was read: the duplicate id in the unchanged file is named.
    assert!(
        text.contains("is also used by new.yaml, old.yaml"),
        "{text}"
    );
    let bad = check_in(dir.path(), &["--changed-since", "no-such-ref", "."]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Annotations and code-scanning alerts land on the pull request's diff only when the path is
/// the one git prints (from the repository's top, without `./`), wherever the check runs.
#[test]
fn paths_are_written_as_git_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    let hunting = dir.path().join("Hunting Queries");
    std::fs::create_dir_all(&hunting).unwrap();
    std::fs::create_dir_all(dir.path().join("Detections")).unwrap();
    std::fs::copy(repo(INVALID), dir.path().join("Detections/a.yaml")).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    std::fs::copy(repo(INVALID), hunting.join("b.yaml")).unwrap();
    let at_top = stdout(&check_in(dir.path(), &["--format", "concise", "."]));
    assert!(at_top.starts_with("Detections/a.yaml:"), "{at_top}");
    let github = stdout(&check_in(
        &hunting,
        &["--format", "github", "--changed-since", "HEAD", "."],
    ));
    assert!(
        github.contains("file=Hunting Queries/b.yaml,") && !github.contains("a.yaml"),
        "{github}"
    );
    let sarif = stdout(&check_in(
        &hunting,
        &["--format", "sarif", "../Detections/a.yaml"],
    ));
    assert!(sarif.contains("\"uri\": \"Detections/a.yaml\""), "{sarif}");
    // Other formats name files from where the check runs, as given, without `./`.
    let concise = stdout(&check_in(&hunting, &["--format", "concise", "./b.yaml"]));
    assert!(concise.starts_with("b.yaml:"), "{concise}");
}

/// What GitHub code scanning reads beyond the results: a fingerprint that stays when lines
/// move, the page of each lint, the places labels point at, and how the run ended.
#[test]
fn sarif_has_fingerprints_help_pages_related_locations_and_the_invocation() {
    let dir = tempfile::tempdir().unwrap();
    let rule =
        std::fs::read_to_string(repo("rules/lints/SL104-duplicate-key/invalid.yaml")).unwrap();
    std::fs::write(dir.path().join("r.yaml"), &rule).unwrap();
    let sarif = |dir: &Path| -> serde_json::Value {
        let output = check_in(dir, &["--format", "sarif", "r.yaml"]);
        assert_eq!(output.status.code(), Some(1));
        serde_json::from_str(&stdout(&output)).unwrap()
    };
    let before = sarif(dir.path());
    let run = &before["runs"][0];
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| {
        r["helpUri"].as_str().is_some_and(|u| {
            u.starts_with("https://")
                && u.ends_with(&format!("/docs/lints/{}.md", r["id"].as_str().unwrap()))
        })
    }));
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "SL104")
        .unwrap();
    let related = &result["relatedLocations"][0];
    assert!(related["message"]["text"].as_str().is_some(), "{result}");
    assert!(
        related["physicalLocation"]["region"]["startLine"]
            .as_i64()
            .unwrap()
            > 0
    );
    // Lines added above the finding move it, not its fingerprint.
    std::fs::write(dir.path().join("r.yaml"), format!("# one\n# two\n{rule}")).unwrap();
    let after = sarif(dir.path());
    let prints = |sarif: &serde_json::Value| -> Vec<(i64, String)> {
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_i64()
                        .unwrap(),
                    r["partialFingerprints"]["sentinelLint/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect()
    };
    let (before, after) = (prints(&before), prints(&after));
    assert_eq!(before.len(), after.len());
    for ((line_before, print_before), (line_after, print_after)) in before.iter().zip(&after) {
        assert_eq!(line_before + 2, *line_after);
        assert_eq!(print_before, print_after);
    }
}

/// A baseline holds the findings a pack has; only new ones are reported, whatever lines
/// move; fixed ones are counted; SARIF lists the held ones as suppressed.
#[test]
fn a_baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let invalid = std::fs::read_to_string(repo(INVALID)).unwrap();
    std::fs::write(rules.join("a.yaml"), &invalid).unwrap();
    std::fs::write(
        rules.join("b.yaml"),
        invalid.replace("3f9a1c2b", "4f9a1c2b"),
    )
    .unwrap();
    let write = check_in(
        dir.path(),
        &[
            "--format",
            "concise",
            "--write-baseline",
            "baseline.json",
            "rules",
        ],
    );
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(
        stderr(&write).contains("Wrote 2 findings to baseline.json."),
        "{}",
        stderr(&write)
    );
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(
        text.contains("\"file\": \"rules/a.yaml\"") && text.contains("\"code\": \"SL102\""),
        "{text}"
    );
    let again = |args: &[&str]| {
        let mut all = vec!["--baseline", "baseline.json"];
        if !args.contains(&"--format") {
            all.extend(["--format", "concise"]);
        }
        all.extend_from_slice(args);
        all.push("rules");
        check_in(dir.path(), &all)
    };
    let clean = again(&[]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stderr(&clean).contains("2 findings in the baseline baseline.json not reported."));
    // Lines added above a finding do not make it new.
    std::fs::write(rules.join("a.yaml"), format!("# one\n# two\n{invalid}")).unwrap();
    assert_eq!(again(&[]).status.code(), Some(0));
    // A new problem is reported, alone.
    std::fs::write(
        rules.join("a.yaml"),
        format!("# one\n# two\n{invalid}").replace("name: Rare", "severity: Severe\nname: Rare"),
    )
    .unwrap();
    let new = again(&[]);
    // (A hunting query: an invalid severity is a warning there.)
    assert_eq!(new.status.code(), Some(0));
    let out = stdout(&new);
    let reported: Vec<&str> = out.lines().filter(|l| l.contains(": ")).collect();
    assert!(out.contains("rules/a.yaml:4:11: warning SL209"), "{out}");
    assert!(!out.contains("SL102"), "{out}");
    assert_eq!(reported.len(), 1, "{out}");
    // The same problem a second time in a file is new: counts are per key.
    let sarif = again(&["--format", "sarif", "--exit-zero"]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&sarif)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "external")
        .collect();
    assert_eq!((results.len(), suppressed.len()), (3, 2), "{sarif}");
    // A fixed finding is counted, and --write-baseline drops it.
    std::fs::write(
        rules.join("b.yaml"),
        std::fs::read_to_string(repo("rules/lints/SL102-misindented-key/valid.yaml"))
            .unwrap()
            .replace("3f9a1c2b", "4f9a1c2b"),
    )
    .unwrap();
    let fixed = again(&["--exit-zero"]);
    assert!(
        stderr(&fixed).contains("1 finding of the baseline fixed since"),
        "{}",
        stderr(&fixed)
    );
    let rewrite = check_in(dir.path(), &["--write-baseline", "baseline.json", "rules"]);
    assert!(
        stderr(&rewrite).contains("Wrote 2 findings to baseline.json (1 finding of the old baseline fixed since, dropped)."),
        "{}",
        stderr(&rewrite)
    );
    // From the configuration, and from a subfolder: names are the baseline's own.
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "baseline = \"baseline.json\"\n",
    )
    .unwrap();
    let sub = check_in(&rules, &["--format", "concise", "."]);
    assert_eq!(
        sub.status.code(),
        Some(0),
        "{}{}",
        stdout(&sub),
        stderr(&sub)
    );
    // A baseline that cannot be read stops the run.
    std::fs::write(dir.path().join("baseline.json"), "{\"findings\": 1}").unwrap();
    let broken = check_in(dir.path(), &["rules"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(stderr(&broken).contains("baseline"), "{}", stderr(&broken));
}

/// With --changed-since, each changed rule is compared with its version at the revision,
/// read from git (renamed files followed).
#[test]
fn revision_lints_compare_changed_rules_with_their_earlier_version() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    let rule =
        std::fs::read_to_string(repo("rules/examples/PasswordSprayThenSuccess.yaml")).unwrap();
    let with_id = |n: u32| rule.replace("2b750284", &format!("{n:08x}"));
    std::fs::create_dir(dir.path().join("Detections")).unwrap();
    for (name, n) in [
        ("id.yaml", 1),
        ("query.yaml", 2),
        ("down.yaml", 3),
        ("same.yaml", 4),
        ("bumped.yaml", 5),
    ] {
        std::fs::write(dir.path().join("Detections").join(name), with_id(n)).unwrap();
    }
    // Larger than a rule file may be, at the revision and now: passed over, and the versions
    // of the files after it are still read right.
    let big = format!("# {}\n", "x".repeat(5 * 1024 * 1024));
    std::fs::write(dir.path().join("Detections/big.yaml"), &big).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    let d = dir.path().join("Detections");
    std::fs::write(d.join("id.yaml"), with_id(9)).unwrap();
    // Moved and changed, version not bumped: followed through the rename.
    git(&["mv", "Detections/query.yaml", "Detections/moved.yaml"]);
    let changed_query = with_id(2).replace(
        "| where ResultType == \"50126\"",
        "| where ResultType in (\"50126\", \"50053\")",
    );
    std::fs::write(d.join("moved.yaml"), &changed_query).unwrap();
    std::fs::write(
        d.join("down.yaml"),
        with_id(3).replace("version: 1.0.0", "version: 0.9.0"),
    )
    .unwrap();
    // A comment only: nothing that needs a version.
    std::fs::write(d.join("same.yaml"), format!("# reviewed\n{}", with_id(4))).unwrap();
    std::fs::write(
        d.join("bumped.yaml"),
        with_id(5)
            .replace(
                "| where ResultType == \"50126\"",
                "| where ResultType in (\"50126\", \"50053\")",
            )
            .replace("version: 1.0.0", "version: 1.0.1"),
    )
    .unwrap();
    // New since the revision: nothing to compare with.
    std::fs::write(d.join("new.yaml"), with_id(6)).unwrap();
    std::fs::write(d.join("big.yaml"), format!("{big}# more\n")).unwrap();
    let output = check_in(
        dir.path(),
        &["--format", "concise", "--changed-since", "HEAD", "."],
    );
    let text = stdout(&output);
    let findings: Vec<&str> = text.lines().filter(|l| l.contains(" SL71")).collect();
    assert_eq!(findings.len(), 3, "{text}");
    assert!(
        text.contains("Detections/big.yaml:1:1: error SL114"),
        "{text}"
    );
    assert!(
        findings
            .iter()
            .any(|l| l.starts_with("Detections/id.yaml:1:5: error SL711")),
        "{text}"
    );
    assert!(
        findings
            .iter()
            .any(|l| l.starts_with("Detections/moved.yaml:")
                && l.contains("error SL712 `query` changed")),
        "{text}"
    );
    assert!(
        findings
            .iter()
            .any(|l| l.starts_with("Detections/down.yaml:") && l.contains("error SL713")),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(1));
    // From a subfolder, the same.
    let sub = check_in(&d, &["--format", "concise", "--changed-since", "HEAD", "."]);
    assert_eq!(
        stdout(&sub).lines().filter(|l| l.contains(" SL71")).count(),
        3,
        "{}",
        stdout(&sub)
    );
    // Without --changed-since there is nothing to compare with.
    let plain = check_in(dir.path(), &["--format", "concise", "."]);
    assert!(!stdout(&plain).contains(" SL71"), "{}", stdout(&plain));
}

/// `coverage` in each format over the example pack: the numbers, the Navigator layer's
/// shape, the SVG, and retired techniques listed apart; the same bytes every run.
#[test]
fn coverage_in_every_format() {
    let markdown = run(&["coverage", "rules/examples"]);
    assert_eq!(markdown.status.code(), Some(0), "{}", stderr(&markdown));
    snapshot_settings().bind(|| insta::assert_snapshot!("coverage_markdown", stdout(&markdown)));
    assert_eq!(
        stdout(&markdown),
        stdout(&run(&["coverage", "rules/examples"]))
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(&[
        "coverage",
        "--format",
        "json",
        "rules/examples",
    ])))
    .unwrap();
    assert_eq!(json["rules"], 4);
    assert_eq!(json["attack_version"], "18.1");
    assert_eq!(json["tactics"].as_array().unwrap().len(), 14);
    assert_eq!(json["tactics"][0]["name"], "Reconnaissance");
    let layer: serde_json::Value = serde_json::from_str(&stdout(&run(&[
        "coverage",
        "--format",
        "navigator",
        "rules/examples",
    ])))
    .unwrap();
    assert_eq!(layer["versions"]["layer"], "4.5");
    assert_eq!(layer["domain"], "enterprise-attack");
    let techniques = layer["techniques"].as_array().unwrap();
    assert!(
        techniques
            .iter()
            .any(|t| t["techniqueID"] == "T1078.004" && t["score"] == 1),
        "{layer}"
    );
    // With the repository's URL, each technique links to its rules' files.
    let linked: serde_json::Value = serde_json::from_str(&stdout(&run(&[
        "coverage",
        "--format",
        "navigator",
        "--repository-url",
        "https://example.org/rules/blob/main/",
        "rules/examples",
    ])))
    .unwrap();
    let links: Vec<serde_json::Value> = linked["techniques"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["links"].as_array().unwrap().clone())
        .collect();
    assert!(
        links.iter().any(|l| l["url"]
            == "https://example.org/rules/blob/main/rules/examples/PasswordSprayThenSuccess.yaml"),
        "{linked}"
    );
    let svg = stdout(&run(&["coverage", "--format", "svg", "rules/examples"]));
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    assert!(
        svg.contains(">Command and Control<") && !svg.contains("<script"),
        "{svg}"
    );
    // A revoked technique is listed apart, with what replaced it.
    let dir = tempfile::tempdir().unwrap();
    let rule = std::fs::read_to_string(repo("rules/examples/PasswordSprayThenSuccess.yaml"))
        .unwrap()
        .replace("  - T1078.004", "  - T1078.004\n  - T1100");
    std::fs::write(dir.path().join("r.yaml"), rule).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&command_in(
        dir.path(),
        "coverage",
        &["--format", "json", "."],
    )))
    .unwrap();
    assert_eq!(json["revoked"][0]["id"], "T1100", "{json}");
    assert_eq!(json["revoked"][0]["replaced_by"], "T1505.003", "{json}");
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(stdout(&output).contains("sentinel-lint"), "{shell}");
    }
    let man = run(&["man"]);
    assert!(stdout(&man).contains(".TH sentinel-lint 1"));
}

#[test]
fn gitignored_files_are_skipped_unless_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("build")).unwrap();
    std::fs::copy(repo(INVALID), dir.path().join("build/generated.yaml")).unwrap();
    std::fs::copy(repo(INVALID), dir.path().join("rule.yaml")).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "build/\n").unwrap();
    let walked = stdout(&check_in(dir.path(), &["--format", "concise", "."]));
    assert!(walked.starts_with("rule.yaml:"), "{walked}");
    assert!(!walked.contains("generated.yaml"), "{walked}");
    let named = stdout(&check_in(
        dir.path(),
        &["--format", "concise", "build/generated.yaml"],
    ));
    assert!(named.contains("build/generated.yaml:"), "{named}");
}

#[test]
fn a_file_given_twice_is_checked_once() {
    let examples = repo("rules/examples");
    let one = format!("{examples}/NRT_PrivilegedRoleAssigned.yaml");
    let output = run(&["check", "--format", "concise", &examples, &one, &one]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("(4 files checked)"),
        "{}",
        stdout(&output)
    );
    let dir = tempfile::tempdir().unwrap();
    let converted = convert_in(dir.path(), &["--to", "arm", &examples, &one, "-o", "out"]);
    assert_eq!(converted.status.code(), Some(0), "{}", stderr(&converted));
    // Several inputs: each keeps its tree (the folder by its name, as it is not relative).
    let written = std::fs::read_dir(dir.path().join("out/examples"))
        .unwrap()
        .count();
    assert_eq!(written, 4, "a template per example rule");
    assert!(
        dir.path()
            .join("out/examples/NRT_PrivilegedRoleAssigned.json")
            .is_file()
    );
    assert!(
        !stderr(&converted).contains("SL701"),
        "no clash with itself: {}",
        stderr(&converted)
    );
}

#[test]
fn sigma_dates_come_from_git_and_the_author_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let rule = dir.path().join("rules/net ports.yaml");
    std::fs::copy(repo("rules/convert/sigma/network_ports.yaml"), &rule).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "one", "--date", "2024-01-05T10:00:00"]);
    let mut text = std::fs::read_to_string(&rule).unwrap();
    text.push_str("# reviewed\n");
    std::fs::write(&rule, text).unwrap();
    git(&[
        "commit",
        "-q",
        "-a",
        "-m",
        "two",
        "--date",
        "2025-03-07T10:00:00",
    ]);
    std::fs::write(
        dir.path().join("sentinel-lint.toml"),
        "[sigma]\nauthor = \"Contoso SOC\"\n",
    )
    .unwrap();

    let dated = convert_in(dir.path(), &["--to", "sigma", "rules"]);
    let yaml = stdout(&dated);
    assert!(
        yaml.contains("author: Contoso SOC")
            && yaml.contains("date: \"2024-01-05\"")
            && yaml.contains("modified: \"2025-03-07\""),
        "{yaml}"
    );
    assert!(!stderr(&dated).contains("no author"), "{}", stderr(&dated));

    // --date dates every rule; --author wins over the configuration.
    let given = convert_in(
        dir.path(),
        &[
            "--to",
            "sigma",
            "--date",
            "2026-01-02",
            "--author",
            "Jane",
            "rules",
        ],
    );
    let yaml = stdout(&given);
    assert!(
        yaml.contains("date: \"2026-01-02\"")
            && !yaml.contains("modified:")
            && yaml.contains("author: Jane"),
        "{yaml}"
    );

    // Without the configuration, one summary warning; the rule's own tactics only, unless
    // --technique-tactics.
    let bare = convert_in(dir.path(), &["--to", "sigma", "--isolated", "rules"]);
    assert!(
        stderr(&bare).contains("warning: 1 converted rule(s) have no author"),
        "{}",
        stderr(&bare)
    );
    assert!(!stdout(&bare).contains("author:"));
    let join = repo("rules/convert/sigma/join_temporal.yaml");
    let own = stdout(&convert_in(dir.path(), &["--to", "sigma", &join]));
    assert!(!own.contains("attack.persistence"), "{own}");
    let all = stdout(&convert_in(
        dir.path(),
        &["--to", "sigma", "--technique-tactics", &join],
    ));
    // T1078 is also Persistence, Privilege Escalation and Defense Evasion in ATT&CK.
    assert!(
        all.contains("attack.persistence") && all.contains("attack.initial-access"),
        "{all}"
    );
}
