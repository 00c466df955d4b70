//! When files were first and last committed, read from one `git log` per repository: the
//! `date` and `modified` of the Sigma rules made from them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// When a file was first and last committed (`YYYY-MM-DD`, the author dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commits {
    pub first: String,
    pub last: String,
}

/// More paths than this are not passed to git one by one: the whole history is read.
const MAX_PATHSPECS: usize = 2000;

/// The dates of the files (keyed by the paths as given) that a git repository's history
/// holds. Files outside a repository or never committed are absent, and so is everything
/// when git is missing or fails: the caller's default date applies to them.
pub fn commit_dates(paths: &[&str]) -> BTreeMap<String, Commits> {
    let mut by_repository: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    for given in paths {
        let Ok(real) = std::fs::canonicalize(given) else {
            continue;
        };
        let Some(top) = super::paths::repository_top(&real) else {
            continue;
        };
        let Ok(inside) = real.strip_prefix(top) else {
            continue;
        };
        let inside: Vec<String> = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        by_repository
            .entry(top.to_path_buf())
            .or_default()
            .push(((*given).to_owned(), inside.join("/")));
    }
    let mut dates = BTreeMap::new();
    for (top, files) in by_repository {
        let Some(history) = log(&top, &files) else {
            continue;
        };
        for (given, inside) in files {
            if let Some(found) = history.get(&inside) {
                dates.insert(given, found.clone());
            }
        }
    }
    dates
}

/// `git log` of the files: per path (relative to the top), its oldest and newest commit.
fn log(top: &Path, files: &[(String, String)]) -> Option<BTreeMap<String, Commits>> {
    let mut command = Command::new("git");
    command.arg("-C").arg(top).args([
        "-c",
        "core.quotePath=false",
        "log",
        "-z",
        "--format=%x01%as",
        "--name-only",
        "--no-renames",
        "--",
    ]);
    if files.len() <= MAX_PATHSPECS {
        command.args(
            files
                .iter()
                .map(|(_, inside)| format!(":(literal){inside}")),
        );
    }
    let output = command.output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(parse_log(&String::from_utf8_lossy(&output.stdout)))
}

/// `\x01DATE\n` then the names of its files, each ended by NUL, newest commit first.
fn parse_log(text: &str) -> BTreeMap<String, Commits> {
    let mut dates: BTreeMap<String, Commits> = BTreeMap::new();
    let mut date = "";
    for field in text.split('\0') {
        let mut name = field.trim_start_matches('\n');
        if let Some(rest) = name.strip_prefix('\x01') {
            // A commit: its date, and (when git ends the line there) its first file.
            let (d, first) = rest.split_once('\n').unwrap_or((rest, ""));
            date = d.trim();
            name = first.trim_start_matches('\n');
        }
        if name.is_empty() || date.is_empty() {
            continue;
        }
        dates
            .entry(name.to_owned())
            .and_modify(|d| d.first = date.to_owned())
            .or_insert_with(|| Commits {
                first: date.to_owned(),
                last: date.to_owned(),
            });
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_is_modified_and_the_oldest_created() {
        let text = "\x012026-03-02\n\na.yaml\0b c.yaml\0\x012025-01-05\n\na.yaml\0\x012024-07-01\n\nc.yaml\0";
        let dates = parse_log(text);
        assert_eq!(
            dates["a.yaml"],
            Commits {
                first: "2025-01-05".into(),
                last: "2026-03-02".into()
            }
        );
        assert_eq!(dates["b c.yaml"].first, "2026-03-02");
        assert_eq!(dates["c.yaml"].last, "2024-07-01");
    }

    #[test]
    fn files_outside_a_repository_have_no_dates() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("x.yaml");
        std::fs::write(&file, "x").unwrap();
        let dates = commit_dates(&[file.to_str().unwrap()]);
        assert!(dates.is_empty());
    }
}
