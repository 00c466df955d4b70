//! Inputs that crashed a fuzz target (`fuzz/`), each run again through exactly what that
//! target runs (`fuzz/targets.rs`): `tests/fuzz/<target>/<input>`. Found by `fuzz/run.sh`; a
//! new crash goes here with its fix.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn check() {
    inputs("check").iter().for_each(|b| targets::check(b));
}

#[test]
fn kql() {
    // libFuzzer hands the kql target only valid UTF-8.
    inputs("kql")
        .iter()
        .filter_map(|b| std::str::from_utf8(b).ok())
        .for_each(targets::kql);
}

#[test]
fn fix() {
    inputs("fix").iter().for_each(|b| targets::fix(b));
}

#[test]
fn convert() {
    inputs("convert").iter().for_each(|b| targets::convert(b));
}
