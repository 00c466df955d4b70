//! Finding the files to check: paths given, folders walked (honouring `.gitignore`), the
//! configuration's excludes, each file once, named without `./` as git names files.

use std::path::{Path, PathBuf};

use super::config::Settings;
use crate::files::paths::without_dots;

/// A problem that stops a run before any file is checked (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("walking {path}: {error}")]
    Walk { path: String, error: ignore::Error },
}

/// The rule files under the given paths: files named explicitly are always taken; folders
/// are walked for `*.yaml` and `*.yml`, honouring `.gitignore` and skipping hidden entries.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RunError> {
    collect(paths, &Settings::default(), false)
}

/// The files to check under `paths`, without those the configuration excludes (files named
/// explicitly only with `force_exclude`, as pre-commit names every staged file).
pub fn collect(
    paths: &[PathBuf],
    settings: &Settings,
    force_exclude: bool,
) -> Result<Vec<PathBuf>, RunError> {
    let mut files = Vec::new();
    for path in paths {
        if is_file(path)? {
            if !(force_exclude && settings.is_excluded(path)) {
                files.push(without_dots(path));
            }
        } else {
            files.extend(
                walk_folder(path, is_yaml)?
                    .into_iter()
                    .filter(|f| !settings.is_excluded(f)),
            );
        }
    }
    Ok(first_mentions(paths.len(), files, |f| f))
}

/// Each file once, at its first mention: a file named twice, or named and also found in a
/// folder given too, would otherwise be checked twice and clash with itself as a duplicate.
/// With one path given nothing can repeat, and no path is resolved.
pub fn first_mentions<T>(paths_given: usize, items: Vec<T>, path: impl Fn(&T) -> &Path) -> Vec<T> {
    if paths_given < 2 {
        return items;
    }
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|item| {
            let path = path(item);
            seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
        })
        .collect()
}

/// Is this path a file (rather than a folder)? An error when it does not exist.
pub fn is_file(path: &Path) -> Result<bool, RunError> {
    match std::fs::metadata(path) {
        // Anything but a folder is read as a file: a FIFO or a device is then reported, not
        // silently skipped.
        Ok(meta) => Ok(!meta.is_dir()),
        // A link to nothing is there, and unreadable: a file to report.
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && std::fs::symlink_metadata(path).is_ok() =>
        {
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(RunError::NotFound {
            path: path.display().to_string(),
        }),
        Err(error) => Err(RunError::Io {
            path: path.display().to_string(),
            error,
        }),
    }
}

/// The files under a folder that `accept` takes, sorted by name, honouring `.gitignore` and
/// skipping hidden entries.
pub fn walk_folder(folder: &Path, accept: fn(&Path) -> bool) -> Result<Vec<PathBuf>, RunError> {
    let walker = ignore::WalkBuilder::new(folder)
        .sort_by_file_name(|a, b| a.cmp(b))
        .require_git(false)
        .build();
    let mut files = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|e| RunError::Walk {
            path: folder.display().to_string(),
            error: e,
        })?;
        // Special files with a rule file's name are taken, to be reported when read.
        if entry
            .file_type()
            .is_some_and(|t| !t.is_dir() && !t.is_symlink())
            && accept(entry.path())
        {
            files.push(without_dots(entry.path()));
        }
    }
    Ok(files)
}

/// Does the file name end in `.yaml` or `.yml`?
pub fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")
    )
}
