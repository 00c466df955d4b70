//! The composite action's steps (`action.yml`), run as GitHub runs them: each step's `run`
//! in `bash --noprofile --norc -eo pipefail`, its `env` with the inputs filled in, and
//! `GITHUB_ACTION_PATH` set to this repository. The install step is replaced by putting the
//! binary built for the tests on `PATH`.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Value {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// `${{ inputs.name }}` replaced by the input's value (its default when not given).
fn fill(text: &str, inputs: &[(&str, &str)], action: &Value) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find("${{") {
        let end = start + out[start..].find("}}").expect("closed expression") + 2;
        let expression = out[start + 3..end - 2].trim();
        let name = expression
            .strip_prefix("inputs.")
            .unwrap_or_else(|| panic!("the test knows only inputs: {expression}"));
        out.replace_range(start..end, &input(name, inputs, action));
    }
    out
}

fn input(name: &str, inputs: &[(&str, &str)], action: &Value) -> String {
    inputs
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .or_else(|| {
            action["inputs"][name]["default"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| panic!("no input {name}"))
}

/// Run the action's steps in `workspace`; the outputs of the steps that ran.
fn run_action(workspace: &Path, inputs: &[(&str, &str)]) -> Vec<(String, Output)> {
    let action = action();
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_sentinel-lint"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let temp = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for step in action["runs"]["steps"].as_array().unwrap() {
        let name = step["name"].as_str().unwrap().to_owned();
        let run = step["run"].as_str().unwrap();
        if run.contains("cargo install") {
            continue;
        }
        if let Some(condition) = step["if"].as_str() {
            let wanted = condition
                .strip_prefix("inputs.")
                .and_then(|c| c.strip_suffix(" != ''"))
                .unwrap_or_else(|| panic!("the test knows only `inputs.x != ''`: {condition}"));
            if input(wanted, inputs, &action).is_empty() {
                continue;
            }
        }
        assert_eq!(step["shell"], "bash", "{name}");
        let script = temp.path().join(format!("step{}.sh", outputs.len()));
        std::fs::write(&script, run).unwrap();
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(workspace)
            .env("PATH", &path)
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_ACTIONS", "true")
            .env("RUNNER_TEMP", temp.path());
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                command.env(key, fill(value.as_str().unwrap(), inputs, &action));
            }
        }
        let output = command.output().unwrap();
        let failed = !output.status.success();
        outputs.push((name, output));
        if failed {
            break;
        }
    }
    outputs
}

const INVALID: &str = "rules/lints/SL102-misindented-key/invalid.yaml";

/// A repository with a valid rule under `Detections/` and an invalid one under
/// `Hunting Queries/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["Detections", "Hunting Queries"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    std::fs::copy(
        root().join("rules/examples/NRT_PrivilegedRoleAssigned.yaml"),
        dir.path().join("Detections/ok.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root().join(INVALID),
        dir.path().join("Hunting Queries/bad.yaml"),
    )
    .unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn quoted_paths_with_spaces_are_checked_and_sarif_written() {
    let dir = workspace();
    let steps = run_action(
        dir.path(),
        &[
            ("paths", r#"Detections "Hunting Queries""#),
            ("sarif", "out dir.sarif"),
        ],
    );
    let names: Vec<&str> = steps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Write SARIF", "Check"]);
    let (_, sarif) = &steps[0];
    assert!(sarif.status.success(), "{}", text(&sarif.stderr));
    let written = std::fs::read_to_string(dir.path().join("out dir.sarif")).unwrap();
    assert!(written.contains("Hunting%20Queries/bad.yaml"), "{written}");
    let (_, check) = &steps[1];
    // The invalid rule fails the step, with an annotation on it.
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    let annotations = text(&check.stdout);
    assert!(
        annotations.contains("::error file=Hunting Queries/bad.yaml,"),
        "{annotations}"
    );
    assert!(annotations.contains("2 files"), "{annotations}");
}

#[test]
fn one_path_per_line_and_arguments() {
    let dir = workspace();
    let steps = run_action(
        dir.path(),
        &[
            ("paths", "Detections\n  Hunting Queries\n\n"),
            ("args", "--select 'SL1' --exit-zero"),
        ],
    );
    assert_eq!(steps.len(), 1, "no SARIF step without the input");
    let (_, check) = &steps[0];
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let annotations = text(&check.stdout);
    assert!(
        annotations.contains("::error file=Hunting Queries/bad.yaml,")
            && annotations.contains("2 files"),
        "{annotations}"
    );
}

#[test]
fn an_unmatched_quote_is_a_clear_error() {
    let dir = workspace();
    let steps = run_action(dir.path(), &[("paths", r#"Detections "Hunting Queries"#)]);
    let (_, check) = &steps[0];
    assert_eq!(check.status.code(), Some(2));
    assert!(
        text(&check.stderr).contains("an unmatched quote"),
        "{}",
        text(&check.stderr)
    );
}

#[test]
fn the_default_checks_the_whole_workspace() {
    let dir = workspace();
    let steps = run_action(dir.path(), &[]);
    let (_, check) = &steps[0];
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("2 files"));
}
