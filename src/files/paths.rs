//! How paths are written in reports: as git writes them, without `./`, and for the formats
//! that a code host reads (GitHub annotations, SARIF) relative to the repository's top folder.

use std::path::{Component, Path, PathBuf};

/// The path without `.` components (`./Detections/./x.yaml` -> `Detections/x.yaml`); `.`
/// alone stays `.`. Lexical only: `..` is kept, since a link may sit before it.
pub fn without_dots(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// Where the working folder is in its git repository: the repository's top folder and the
/// working folder relative to it (empty at the top). `None` outside a repository. Found by
/// looking for `.git` (a folder, or a file in a worktree) upwards, without running git.
pub fn repository_of_working_folder() -> Option<(PathBuf, PathBuf)> {
    let cwd = std::env::current_dir().ok()?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let top = repository_top(&cwd)?;
    let prefix = cwd.strip_prefix(top).ok()?.to_path_buf();
    Some((top.to_path_buf(), prefix))
}

/// The top folder of the git repository a (canonical) path lies in: the nearest folder
/// holding `.git` (a folder, or a file in a worktree).
pub fn repository_top(path: &Path) -> Option<&Path> {
    path.ancestors().find(|a| a.join(".git").exists())
}

/// `path` (relative to the working folder, or absolute) relative to the repository's top
/// folder, with `/` separators, as `git diff --name-only` writes it; as it was when it lies
/// outside the repository.
pub fn repository_relative(path: &str, top: &Path, prefix: &Path) -> String {
    let given = Path::new(path);
    let joined = if given.is_absolute() {
        match given
            .strip_prefix(top)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let real = std::fs::canonicalize(given).ok()?;
                real.strip_prefix(top).ok().map(Path::to_path_buf)
            }) {
            Some(inside) => inside,
            None => return path.to_owned(),
        }
    } else {
        prefix.join(given)
    };
    // `..` here climbs out of the prefix, which is a real folder chain (canonical): lexical
    // resolution is exact for it.
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return path.to_owned();
                }
            }
            Component::Normal(part) => parts.push(part),
            Component::RootDir | Component::Prefix(_) => return path.to_owned(),
        }
    }
    let names: Vec<String> = parts
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    names.join("/")
}

/// Characters a relative URL path cannot hold as they are.
const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A file path as a relative URL (`/` separators, percent-encoded): SARIF's artifact
/// locations, the Navigator layer's links.
pub fn url_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(&path.replace('\\', "/"), URL_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_dropped() {
        assert_eq!(
            without_dots(Path::new("./a/./b.yaml")),
            Path::new("a/b.yaml")
        );
        assert_eq!(without_dots(Path::new(".")), Path::new("."));
        assert_eq!(without_dots(Path::new("../a")), Path::new("../a"));
    }

    #[test]
    fn paths_are_made_relative_to_the_top() {
        let top = Path::new("/repo");
        let sub = Path::new("Detections");
        assert_eq!(repository_relative("x.yaml", top, sub), "Detections/x.yaml");
        assert_eq!(
            repository_relative("./x.yaml", top, sub),
            "Detections/x.yaml"
        );
        assert_eq!(
            repository_relative("../Hunting Queries/y.yaml", top, sub),
            "Hunting Queries/y.yaml"
        );
        assert_eq!(repository_relative("/repo/a/b.yaml", top, sub), "a/b.yaml");
        assert_eq!(
            repository_relative("../../out.yaml", top, sub),
            "../../out.yaml"
        );
        assert_eq!(
            repository_relative("/elsewhere/b.yaml", top, sub),
            "/elsewhere/b.yaml"
        );
        assert_eq!(repository_relative("x.yaml", top, Path::new("")), "x.yaml");
    }
}
