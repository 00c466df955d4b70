//! The composite action (`action.yml`), run as GitHub runs it: each `run` step in
//! `bash --noprofile --norc -eo pipefail`, its `env` with the expressions filled in (inputs,
//! `github.*`, `runner.*`, the outputs of earlier steps), `GITHUB_OUTPUT` and `GITHUB_PATH`
//! honoured. `uses:` steps (the cache) are skipped: the tool cache folder itself is kept
//! between runs of a test. Releases come from a folder of fake release assets (`file://`),
//! and a build from source from a stand-in `cargo`.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sentinel-lint"))
}

fn action() -> Value {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

const TARGET: &str = "x86_64-unknown-linux-musl";

/// A runner: its folders, and what the expressions of the action evaluate to.
struct Runner {
    temp: tempfile::TempDir,
    /// `runner.tool_cache`, kept between runs (what actions/cache restores).
    tool_cache: PathBuf,
    contexts: BTreeMap<String, String>,
    /// Folders put before the system's PATH (a stand-in `cargo`).
    path_before: Vec<PathBuf>,
    /// `SENTINEL_LINT_RELEASES`.
    releases: Option<String>,
}

impl Runner {
    fn new() -> Self {
        // A space in the runner's folders (the tool cache, the temp folder) as well as in
        // the workspace's: every path is quoted.
        let temp = tempfile::Builder::new()
            .prefix("runner temp ")
            .tempdir()
            .unwrap();
        let tool_cache = temp.path().join("toolcache");
        std::fs::create_dir_all(&tool_cache).unwrap();
        let contexts = [
            ("github.action_ref", "v0.2.0"),
            ("github.action_repository", "owner/sentinel-lint"),
            ("runner.os", "Linux"),
            ("runner.arch", "X64"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let mut runner = Runner {
            temp,
            tool_cache,
            contexts,
            path_before: Vec::new(),
            releases: None,
        };
        // No test builds for real: a `cargo` that says it was not expected.
        runner
            .put_cargo("echo 'cargo was run, and the test did not expect a build' >&2\nexit 101\n");
        runner
    }

    /// A `cargo` first on the PATH, running `body`.
    fn put_cargo(&mut self, body: &str) {
        let bin = self.temp.path().join("fake-cargo");
        std::fs::create_dir_all(&bin).unwrap();
        let cargo = bin.join("cargo");
        std::fs::write(&cargo, format!("#!/usr/bin/env bash\nset -eu\n{body}")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !self.path_before.contains(&bin) {
            self.path_before.push(bin);
        }
    }

    /// A folder of release assets, as `releases/download` serves them: version `version`
    /// holds this binary, with a checksum (`tamper`: one that does not match).
    fn publish(&mut self, version: &str, tamper: bool) {
        let releases = self.temp.path().join("releases");
        let name = format!("sentinel-lint-v{version}-{TARGET}");
        let staging = self.temp.path().join("staging").join(&name);
        std::fs::create_dir_all(&staging).unwrap();
        // The released "binary": a stand-in that runs the one built for the tests (a large
        // debug build, slow to pack for every test).
        std::fs::write(
            staging.join("sentinel-lint"),
            format!("#!/bin/sh\nexec '{}' \"$@\"\n", binary().display()),
        )
        .unwrap();
        let folder = releases.join(format!("v{version}"));
        std::fs::create_dir_all(&folder).unwrap();
        let archive = folder.join(format!("{name}.tar.gz"));
        let tar = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(staging.parent().unwrap())
            .arg(&name)
            .status()
            .unwrap();
        assert!(tar.success());
        let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
        let mut digest = String::from_utf8_lossy(&sum.stdout)
            .split(' ')
            .next()
            .unwrap()
            .to_owned();
        if tamper {
            digest = digest.replace(|c: char| c.is_ascii_digit(), "0");
        }
        std::fs::write(
            folder.join(format!("{name}.tar.gz.sha256")),
            format!("{digest}  {name}.tar.gz\n"),
        )
        .unwrap();
        // A URL: the space of the folder's name is written %20.
        self.releases = Some(format!(
            "file://{}",
            releases.display().to_string().replace(' ', "%20")
        ));
    }

    /// A `cargo` that "builds" by writing a stand-in for this binary to `--root`/bin, and
    /// says so.
    fn stand_in_cargo(&mut self) {
        self.put_cargo(&format!(
            "root=\nwhile [ $# -gt 0 ]; do case $1 in --root) root=$2; shift;; esac; shift; done\nmkdir -p \"$root/bin\"\nprintf '#!/bin/sh\\nexec %s \"$@\"\\n' \"'{}'\" > \"$root/bin/sentinel-lint\"\nchmod +x \"$root/bin/sentinel-lint\"\necho 'stand-in cargo: built' >&2\n",
            binary().display()
        ));
    }

    /// Run the action's steps in `workspace`: the name and output of each step that ran.
    fn run(&self, workspace: &Path, inputs: &[(&str, &str)]) -> Vec<(String, Output)> {
        let action = action();
        let mut outputs: BTreeMap<String, String> = BTreeMap::new();
        let mut added_paths: Vec<String> = Vec::new();
        let mut ran = Vec::new();
        for (i, step) in action["runs"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let name = step["name"].as_str().unwrap().to_owned();
            let evaluate = |text: &str| fill(text, inputs, &action, &self.contexts, &outputs, self);
            if step.get("uses").is_some() {
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
            let script = self.temp.path().join(format!("step{i}.sh"));
            std::fs::write(&script, evaluate(step["run"].as_str().unwrap())).unwrap();
            let github_output = self.temp.path().join(format!("output{i}"));
            let github_path = self.temp.path().join(format!("path{i}"));
            std::fs::write(&github_output, "").unwrap();
            std::fs::write(&github_path, "").unwrap();
            // As the runner does: what steps added to GITHUB_PATH comes first, then the rest.
            let mut path: Vec<String> = added_paths.iter().rev().cloned().collect();
            path.extend(self.path_before.iter().map(|p| p.display().to_string()));
            path.push(std::env::var("PATH").unwrap_or_default());
            let mut command = Command::new("bash");
            command
                .args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script)
                .current_dir(workspace)
                .env("PATH", path.join(":"))
                .env("GITHUB_ACTION_PATH", root())
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_OUTPUT", &github_output)
                .env("GITHUB_PATH", &github_path)
                .env("RUNNER_OS", &self.contexts["runner.os"])
                .env("RUNNER_ARCH", &self.contexts["runner.arch"])
                .env("RUNNER_TEMP", self.temp.path())
                .env("RUNNER_TOOL_CACHE", &self.tool_cache)
                .env_remove("SENTINEL_LINT_RELEASES");
            if let Some(releases) = &self.releases {
                command.env("SENTINEL_LINT_RELEASES", releases);
            }
            if let Some(env) = step["env"].as_object() {
                for (key, value) in env {
                    command.env(key, evaluate(value.as_str().unwrap()));
                }
            }
            let output = command.output().unwrap();
            if let Some(id) = step["id"].as_str() {
                for line in std::fs::read_to_string(&github_output).unwrap().lines() {
                    if let Some((key, value)) = line.split_once('=') {
                        outputs.insert(format!("steps.{id}.outputs.{key}"), value.to_owned());
                    }
                }
            }
            added_paths.extend(
                std::fs::read_to_string(&github_path)
                    .unwrap()
                    .lines()
                    .map(str::to_owned),
            );
            let failed = !output.status.success();
            ran.push((name, output));
            if failed {
                break;
            }
        }
        ran
    }
}

/// The expressions of a value filled in: `${{ inputs.x }}`, `${{ github.x }}`,
/// `${{ runner.x }}`, `${{ steps.id.outputs.x }}`.
fn fill(
    text: &str,
    inputs: &[(&str, &str)],
    action: &Value,
    contexts: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, String>,
    runner: &Runner,
) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find("${{") {
        let end = start + out[start..].find("}}").expect("closed expression") + 2;
        let expression = out[start + 3..end - 2].trim().to_owned();
        let value = if let Some(name) = expression.strip_prefix("inputs.") {
            input(name, inputs, action)
        } else if expression == "runner.tool_cache" {
            runner.tool_cache.display().to_string()
        } else if let Some(value) = contexts
            .get(&expression)
            .or_else(|| outputs.get(&expression))
        {
            value.clone()
        } else {
            panic!("the test does not know `{expression}`")
        };
        out.replace_range(start..end, &value);
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

const INVALID: &str = "rules/lints/SL102-misindented-key/invalid.yaml";

/// A repository with a valid rule under `Detections/` and an invalid one under
/// `Hunting Queries/`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("work space ")
        .tempdir()
        .unwrap();
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

/// A runner with release v0.2.0 published, the action used at that tag.
fn released() -> Runner {
    let mut runner = Runner::new();
    runner.publish("0.2.0", false);
    runner
}

fn step<'a>(steps: &'a [(String, Output)], name: &str) -> &'a Output {
    &steps
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no step {name} ran"))
        .1
}

#[test]
fn the_release_binary_is_downloaded_verified_and_then_taken_from_the_cache() {
    let runner = released();
    let dir = workspace();
    let first = runner.run(dir.path(), &[]);
    let install = step(&first, "Install sentinel-lint");
    assert!(install.status.success(), "{}", text(&install.stderr));
    assert!(
        text(&install.stdout).contains(
            "sentinel-lint 0.2.0 (x86_64-unknown-linux-musl): downloaded, SHA-256 verified"
        ),
        "{}",
        text(&install.stdout)
    );
    let installed = runner
        .tool_cache
        .join("sentinel-lint/release-0.2.0-x86_64-unknown-linux-musl/bin/sentinel-lint");
    assert!(installed.is_file());
    assert_eq!(
        step(&first, "Check").status.code(),
        Some(1),
        "the invalid rule fails"
    );
    // The release is gone: the binary comes from the cache.
    std::fs::remove_dir_all(runner.temp.path().join("releases")).unwrap();
    let second = runner.run(dir.path(), &[]);
    let install = step(&second, "Install sentinel-lint");
    assert!(install.status.success(), "{}", text(&install.stderr));
    assert!(
        text(&install.stdout).contains("from the cache"),
        "{}",
        text(&install.stdout)
    );
    assert_eq!(step(&second, "Check").status.code(), Some(1));
}

#[test]
fn a_checksum_that_does_not_match_installs_nothing() {
    let mut runner = Runner::new();
    runner.publish("0.2.0", true);
    let dir = workspace();
    let steps = runner.run(dir.path(), &[]);
    let install = step(&steps, "Install sentinel-lint");
    assert_eq!(install.status.code(), Some(2));
    assert!(
        text(&install.stderr).contains("does not match the published"),
        "{}",
        text(&install.stderr)
    );
    assert!(
        !runner
            .tool_cache
            .join("sentinel-lint/release-0.2.0-x86_64-unknown-linux-musl/bin/sentinel-lint")
            .exists()
    );
    assert!(
        steps.iter().all(|(n, _)| n != "Check"),
        "no check without a binary"
    );
}

#[test]
fn without_a_release_it_is_built_from_source() {
    // Used at a branch: no release to download.
    let mut runner = Runner::new();
    runner
        .contexts
        .insert("github.action_ref".into(), "main".into());
    runner.stand_in_cargo();
    let dir = workspace();
    let steps = runner.run(dir.path(), &[]);
    let install = step(&steps, "Install sentinel-lint");
    assert!(install.status.success(), "{}", text(&install.stderr));
    assert!(text(&install.stdout).contains("is not a release; building it from source"));
    assert!(text(&install.stderr).contains("stand-in cargo: built"));
    assert_eq!(step(&steps, "Check").status.code(), Some(1));
    // A version whose release has no asset for the runner: built too.
    let mut runner = released();
    runner.stand_in_cargo();
    let steps = runner.run(dir.path(), &[("version", "0.3.0")]);
    let install = step(&steps, "Install sentinel-lint");
    assert!(install.status.success(), "{}", text(&install.stderr));
    assert!(
        text(&install.stdout).contains("no release asset of v0.3.0"),
        "{}",
        text(&install.stdout)
    );
}

#[test]
fn quoted_paths_with_spaces_are_checked_and_sarif_written() {
    let runner = released();
    let dir = workspace();
    let steps = runner.run(
        dir.path(),
        &[
            ("paths", r#"Detections "Hunting Queries""#),
            ("sarif", "out dir.sarif"),
        ],
    );
    let sarif = step(&steps, "Write SARIF");
    assert!(sarif.status.success(), "{}", text(&sarif.stderr));
    let written = std::fs::read_to_string(dir.path().join("out dir.sarif")).unwrap();
    assert!(written.contains("Hunting%20Queries/bad.yaml"), "{written}");
    let check = step(&steps, "Check");
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
    let runner = released();
    let dir = workspace();
    let steps = runner.run(
        dir.path(),
        &[
            ("paths", "Detections\n  Hunting Queries\n\n"),
            ("args", "--select 'SL1' --exit-zero"),
        ],
    );
    assert!(
        steps.iter().all(|(n, _)| n != "Write SARIF"),
        "no SARIF step without the input"
    );
    let check = step(&steps, "Check");
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let annotations = text(&check.stdout);
    assert!(
        annotations.contains("::error file=Hunting Queries/bad.yaml,")
            && annotations.contains("2 files"),
        "{annotations}"
    );
}

#[test]
fn changed_since_reports_only_changed_files() {
    let runner = released();
    let dir = workspace();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap();
        assert!(status.success());
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    std::fs::write(
        dir.path().join("Detections/ok.yaml"),
        std::fs::read_to_string(root().join("rules/examples/NRT_PrivilegedRoleAssigned.yaml"))
            .unwrap()
            + "# edited\n",
    )
    .unwrap();
    let steps = runner.run(dir.path(), &[("changed-since", "HEAD")]);
    let check = step(&steps, "Check");
    assert_eq!(
        check.status.code(),
        Some(0),
        "the invalid rule did not change: {}",
        text(&check.stdout)
    );
    assert!(
        text(&check.stdout).contains("1 file"),
        "{}",
        text(&check.stdout)
    );
}

#[test]
fn an_unmatched_quote_is_a_clear_error() {
    let runner = released();
    let dir = workspace();
    let steps = runner.run(dir.path(), &[("paths", r#"Detections "Hunting Queries"#)]);
    let check = step(&steps, "Check");
    assert_eq!(check.status.code(), Some(2));
    assert!(
        text(&check.stderr).contains("an unmatched quote"),
        "{}",
        text(&check.stderr)
    );
}

#[test]
fn the_default_checks_the_whole_workspace() {
    let runner = released();
    let dir = workspace();
    let steps = runner.run(dir.path(), &[]);
    let check = step(&steps, "Check");
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("2 files"));
}
