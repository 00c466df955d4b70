//! The module map of `src/lib.rs` holds: each module uses only the modules below it, lints
//! never use other lints, and converters use only the model, the KQL tree, the YAML tree and
//! reference data.

use std::path::{Path, PathBuf};

/// The modules from the bottom up; a module may use those of a lower layer only.
const LAYERS: [&[&str]; 8] = [
    &["text"],
    &["yaml", "kql", "reference"],
    &["model"],
    &["diagnostics"],
    &["lints", "files"],
    &["pipeline"],
    &["convert", "coverage", "render"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The `crate::module` paths a file uses in code (not in comments).
fn uses(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for (i, _) in line.match_indices("crate::") {
            let module: String = line[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push((n + 1, module));
        }
    }
    out
}

#[test]
fn modules_use_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(own) = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .filter(|c| !c.ends_with(".rs"))
        else {
            continue; // lib.rs, main.rs
        };
        let own_layer = layer(own).unwrap_or_else(|| panic!("{own} is not in LAYERS"));
        for (line, module) in uses(&file) {
            if module == own {
                continue;
            }
            match layer(&module) {
                Some(l) if l < own_layer => {}
                _ => problems.push(format!("{}:{line}: uses crate::{module}", file.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn lints_do_not_use_lints_and_converters_do_not_use_the_linter() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for file in rust_files(&src.join("lints")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("sl") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let lint_path = ["super::sl", "lints::sl"].iter().any(|p| line.contains(p));
            if lint_path && !line.trim_start().starts_with("//") {
                problems.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    for file in rust_files(&src.join("convert")) {
        // The batch runs converters over files through the pipeline; converters do not.
        if file.ends_with("batch.rs") {
            continue;
        }
        for (line, module) in uses(&file) {
            if !["model", "kql", "yaml", "text", "reference", "convert"].contains(&module.as_str())
            {
                problems.push(format!("{}:{line}: uses crate::{module}", file.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
