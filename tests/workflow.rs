//! The user's workflow over ../shared and with peer tools: SARIF against the official schema,
//! `--fix` over the whole corpus, and the pre-commit hook. Ignored by default; CI runs them.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use sentinel_lint::diagnostics::Applicability;
use sentinel_lint::model::read::read_rule;
use sentinel_lint::pipeline::{self, Settings};
use sentinel_lint::render::{Format, HumanOptions, render};

use common::walk;

fn shared() -> PathBuf {
    std::env::var_os("SENTINEL_LINT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sentinel-lint"));
    command.env("NO_COLOR", "1").env_remove("GITHUB_ACTIONS");
    command
}

#[test]
#[ignore = "needs ../shared"]
fn sarif_of_the_corpus_validates_against_the_sarif_schema() {
    let files = pipeline::discover::collect_files(&[shared().join("corpus")]).unwrap();
    let report = pipeline::check_files(&files, &Settings::default());
    let mut out = Vec::new();
    render(
        &report,
        Format::Sarif,
        &HumanOptions::default(),
        1,
        &mut out,
    )
    .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared().join("reference/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .len();
    println!(
        "SARIF of {} files: {results} results, {rules} lint descriptors, {} bytes: valid against sarif-schema-2.1.0.json",
        files.len(),
        out.len()
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walk(from) {
        let target = to.join(entry.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
        let mut permissions = std::fs::metadata(&target).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(&target, permissions).unwrap();
    }
}

/// The rule model of a file (the typed model the converters read), as JSON by top-level key.
fn model(path: &Path) -> Option<BTreeMap<String, serde_json::Value>> {
    let bytes = std::fs::read(path).ok()?;
    let source = pipeline::SourceFile::read(&path.display().to_string(), &bytes).ok()?;
    let (rule_type, root) = source.rule()?;
    let read = read_rule(rule_type, root).ok()?;
    let json = match &read.rule {
        sentinel_lint::model::RuleFile::Scheduled(r) => serde_json::to_value(r),
        sentinel_lint::model::RuleFile::Nrt(r) => serde_json::to_value(r),
        sentinel_lint::model::RuleFile::Hunting(r) => serde_json::to_value(r),
    }
    .ok()?;
    Some(json.as_object()?.clone().into_iter().collect())
}

#[test]
#[ignore = "needs ../shared"]
fn fix_over_the_whole_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("corpus");
    copy_tree(&shared().join("corpus"), &copy);
    let files = pipeline::discover::collect_files(std::slice::from_ref(&copy)).unwrap();
    // Before: the models, and the top-level keys of the safe fixes of each file.
    let before_report = pipeline::check_files(&files, &Settings::default());
    let mut fixed_keys: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut safe_before = 0;
    for file in &before_report.files {
        for d in &file.diagnostics {
            if d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
            {
                safe_before += 1;
                let key = d
                    .pointer
                    .as_deref()
                    .and_then(|p| p.split('/').nth(1))
                    .unwrap_or("*")
                    .to_owned();
                fixed_keys.entry(file.path.clone()).or_default().insert(key);
            }
        }
    }
    let models_before: HashMap<PathBuf, Option<BTreeMap<String, serde_json::Value>>> =
        files.iter().map(|f| (f.clone(), model(f))).collect();

    let fix_copy = || {
        binary()
            .args(["check", "--fix", "--exit-zero", "--format", "concise"])
            .arg(&copy)
            .output()
            .unwrap()
    };
    let first = fix_copy();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let note = String::from_utf8_lossy(&first.stderr).trim().to_owned();

    // Every safe fix applied: a second check finds no safe-fixable finding.
    let after = pipeline::check_files(&files, &Settings::default());
    let left: Vec<String> = after
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
        .filter(|(_, d)| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .map(|(f, d)| format!("{} {} {}", f.path, d.code, d.message))
        .collect();
    assert!(left.is_empty(), "safe fixes left after --fix: {left:#?}");
    // A second --fix changes nothing.
    let second = fix_copy();
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("Fixed 0 findings in 0 files."),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    // Files that read as rules still do, with the same model apart from what was fixed.
    let (mut same, mut changed_as_fixed, mut rules) = (0, 0, 0);
    for file in &files {
        let Some(before) = models_before[file].as_ref() else {
            continue;
        };
        rules += 1;
        let after =
            model(file).unwrap_or_else(|| panic!("{} no longer reads as a rule", file.display()));
        let differing: BTreeSet<&String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        if differing.is_empty() {
            same += 1;
            continue;
        }
        let allowed = fixed_keys
            .get(&file.display().to_string())
            .cloned()
            .unwrap_or_default();
        let unexplained: Vec<&&String> = differing
            .iter()
            .filter(|k| !allowed.contains(k.as_str()) && !allowed.contains("*"))
            .collect();
        assert!(
            unexplained.is_empty(),
            "{}: {unexplained:?} changed, fixed were {allowed:?}",
            file.display()
        );
        changed_as_fixed += 1;
    }
    println!(
        "--fix over {} corpus files: {safe_before} safe-fixable findings before, 0 after ({note}); second --fix: nothing; {rules} files read as rules before and after: {same} with the same model, {changed_as_fixed} changed only in fixed fields",
        files.len()
    );
}

fn pre_commit() -> PathBuf {
    std::env::var_os("PRE_COMMIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-venv/bin/pre-commit")
        })
}

#[test]
#[ignore = "needs ../shared and pre-commit"]
fn the_pre_commit_hook_fails_on_a_bad_file_and_passes_on_a_good_one() {
    let pre_commit = pre_commit();
    assert!(
        pre_commit.exists(),
        "{} missing: run .ci/run or set PRE_COMMIT",
        pre_commit.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| common::git(dir.path(), args);
    git(&["init", "-q"]);
    let bad = shared().join("corpus/jischell-msft__RemoteManagementMonitoringTools/RMM/Panorama9/rmm_Panorama9_netconn.yaml");
    std::fs::copy(&bad, dir.path().join("bad.yaml")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples/rmm_Panorama9_netconn.yaml"),
        dir.path().join("good.yaml"),
    )
    .unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    let home = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit-home");
    let try_repo = |file: &str| {
        Command::new(&pre_commit)
            .args([
                "try-repo",
                env!("CARGO_MANIFEST_DIR"),
                "sentinel-lint",
                "--files",
                file,
            ])
            .current_dir(dir.path())
            .env("PRE_COMMIT_HOME", &home)
            // The hook builds the crate with maturin; a target folder kept between runs
            // makes that incremental.
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit-build"),
            )
            .output()
            .unwrap()
    };
    let good = try_repo("good.yaml");
    assert!(
        good.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&good.stdout),
        String::from_utf8_lossy(&good.stderr)
    );
    let failing = try_repo("bad.yaml");
    let text = String::from_utf8_lossy(&failing.stdout);
    assert!(!failing.status.success(), "{text}");
    assert!(
        text.contains("SL102"),
        "the misindented key is reported: {text}"
    );
    println!("pre-commit try-repo: good.yaml passes, bad.yaml fails with SL102");
}

/// The wheels `maturin build` made (`.ci/run` builds them and sets `SENTINEL_LINT_WHEELS`).
fn wheels() -> PathBuf {
    std::env::var_os("SENTINEL_LINT_WHEELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/wheels"))
}

/// The hook the way users get it once wheels are on PyPI: a mirror repository whose package
/// depends on the `sentinel-lint` wheel (`contrib/pre-commit-mirror`), installed by
/// pre-commit with pip from a local folder of wheels (`PIP_FIND_LINKS`): no Rust toolchain,
/// no build. Prints the first run (the install) and the second.
#[test]
#[ignore = "needs pre-commit and the wheel (.ci/run builds it)"]
fn the_wheel_based_hook_installs_without_rust() {
    let pre_commit = pre_commit();
    let wheels = wheels();
    assert!(
        pre_commit.exists() && wheels.is_dir(),
        "{} or {} missing: run .ci/run",
        pre_commit.display(),
        wheels.display()
    );
    let mirror = tempfile::tempdir().unwrap();
    let contrib = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/pre-commit-mirror");
    for file in [".pre-commit-hooks.yaml", "pyproject.toml"] {
        std::fs::copy(contrib.join(file), mirror.path().join(file)).unwrap();
    }
    common::git(mirror.path(), &["init", "-q"]);
    common::git(mirror.path(), &["add", "."]);
    common::git(mirror.path(), &["commit", "-q", "-m", "mirror"]);
    let rev = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(mirror.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let rules = tempfile::tempdir().unwrap();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples")).unwrap()
    {
        let path = entry.unwrap().path();
        std::fs::copy(&path, rules.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        rules.path().join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: sentinel-lint\n",
            mirror.path().display(),
            rev.trim()
        ),
    )
    .unwrap();
    common::git(rules.path(), &["init", "-q"]);
    common::git(rules.path(), &["add", "."]);
    common::git(rules.path(), &["commit", "-q", "-m", "rules"]);
    let home = tempfile::tempdir().unwrap();
    let path_without_rust = std::env::join_paths(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .filter(|p| !p.join("cargo").exists() && !p.join("rustc").exists()),
    )
    .unwrap();
    let run = || {
        let start = std::time::Instant::now();
        let output = Command::new(&pre_commit)
            .args(["run", "--all-files"])
            .current_dir(rules.path())
            .env("PRE_COMMIT_HOME", home.path())
            .env("PIP_FIND_LINKS", &wheels)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            // No Rust on the PATH: a build could not run, so a pass proves the wheel was used.
            .env("PATH", &path_without_rust)
            .output()
            .unwrap();
        (start.elapsed(), output)
    };
    let (first, output) = run();
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let (second, output) = run();
    assert!(output.status.success());
    println!(
        "pre-commit run --all-files with the wheel-based hook: first run (installs the wheel) {:.1} s, second run {:.2} s",
        first.as_secs_f64(),
        second.as_secs_f64()
    );
}

/// Adopting the gate on a real pack: a baseline of the Detections of one fork, then only
/// what is new.
#[test]
#[ignore = "needs ../shared"]
fn a_baseline_of_a_real_pack_holds_until_something_new_comes() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("Detections");
    copy_tree(
        &shared().join("corpus/shikhin-metron__Azure-Sentinel/Detections"),
        &pack,
    );
    let check = |args: &[&str]| {
        binary()
            .args(["check", "--format", "concise"])
            .args(args)
            .arg("Detections")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let before = check(&[]);
    let findings = String::from_utf8_lossy(&before.stdout).lines().count() - 1;
    let write = check(&["--write-baseline", "baseline.json"]);
    assert_eq!(write.status.code(), Some(0));
    let held = check(&["--baseline", "baseline.json"]);
    assert_eq!(held.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&held.stdout).starts_with("All checks passed"));
    // A file with findings in the baseline, a line added at its top.
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let file = walk(&pack)
        .into_iter()
        .map(|f| {
            f.strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|f| baseline.contains(&format!("\"file\": \"{f}\"")))
        .find(|f| {
            std::fs::read_to_string(dir.path().join(f))
                .unwrap()
                .contains("\nseverity: Medium")
        })
        .expect("a file with findings and `severity: Medium`");
    let path = dir.path().join(&file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# moved down by a line\n{text}")).unwrap();
    let moved = check(&["--baseline", "baseline.json"]);
    assert_eq!(
        moved.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&moved.stdout)
    );
    std::fs::write(
        &path,
        format!("# moved down by a line\n{text}")
            .replace("\nseverity: Medium", "\nseverity: Severe"),
    )
    .unwrap();
    let changed = check(&["--baseline", "baseline.json"]);
    let out = String::from_utf8_lossy(&changed.stdout);
    let reported: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("Detections/"))
        .collect();
    assert_eq!(reported.len(), 1, "{out}");
    assert!(
        reported[0].starts_with(&format!("{file}:")) && reported[0].contains("SL209"),
        "{out}"
    );
    println!(
        "baseline of {file_count} files: {findings} findings held; a line added to {file}: 0 new; its severity set to `Severe`: 1 new ({})",
        reported[0],
        file_count = walk(&pack).len()
    );
}

/// The revision lints over the corpus's history: each pair of consecutive versions of a
/// file (`_history/MANIFEST.tsv`, by commit date, then the file as the corpus has it) is
/// checked as `--changed-since` checks a changed file. Prints the counts.
#[test]
#[ignore = "needs ../shared"]
fn revision_lints_over_the_corpus_history() {
    let repo = shared().join("corpus/shikhin-metron__Azure-Sentinel");
    let manifest = std::fs::read_to_string(repo.join("_history/MANIFEST.tsv")).unwrap();
    let mut versions: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (date, path, stored) = (fields[2], fields[3], fields[4]);
        versions
            .entry(path.to_owned())
            .or_default()
            .push((date.to_owned(), repo.join(stored)));
    }
    let mut pairs = 0;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, mut list) in versions {
        list.sort();
        let mut chain: Vec<PathBuf> = list.into_iter().map(|(_, p)| p).collect();
        if repo.join(&path).is_file() {
            chain.push(repo.join(&path));
        }
        for pair in chain.windows(2) {
            let (earlier, later) = (&pair[0], &pair[1]);
            let name = later.display().to_string();
            let declared = sentinel_lint::model::declared::Declared {
                previous: std::sync::Arc::new(
                    [(name.clone(), std::fs::read(earlier).unwrap())].into(),
                ),
                ..Default::default()
            };
            let checked =
                pipeline::check_source_with(&name, &std::fs::read(later).unwrap(), &declared);
            pairs += 1;
            for d in &checked.report.diagnostics {
                if ["SL711", "SL712", "SL713"].contains(&d.code) {
                    *counts.entry(d.code).or_default() += 1;
                    println!(
                        "  {} {}: {}",
                        d.code,
                        later.strip_prefix(&repo).unwrap().display(),
                        d.message
                    );
                }
            }
        }
    }
    assert!(pairs > 0);
    println!("revision lints over {pairs} pairs of versions in the corpus history: {counts:?}");
}

/// The Navigator layers of `coverage` load in MITRE's own library (`mitreattack-python`'s
/// `Layer().from_file()`), for the example pack and the whole corpus.
#[test]
#[ignore = "needs ../shared and mitreattack-python (.ci/run installs it)"]
fn coverage_layers_load_in_mitreattack_python() {
    let python = std::env::var_os("MITREATTACK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-attack/bin/python")
        });
    assert!(python.exists(), "{} missing: run .ci/run", python.display());
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples");
    let mut layers = Vec::new();
    for (name, path) in [("examples", examples), ("corpus", shared().join("corpus"))] {
        let layer = dir.path().join(format!("{name}.json"));
        let output = binary()
            .args(["coverage", "--format", "navigator", "-o"])
            .arg(&layer)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        layers.push(layer);
    }
    let script = "import sys\nfrom mitreattack.navlayers import Layer\nfor path in sys.argv[1:]:\n    layer = Layer()\n    layer.from_file(path)\n    d = layer.to_dict()\n    print(path.rsplit('/', 1)[-1], d['versions'], len(d['techniques']), 'techniques')\n";
    let output = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(&layers)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    print!(
        "mitreattack-python loaded: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}
