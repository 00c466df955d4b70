//! Writing a file atomically: through a temporary file in the same folder and a rename, so
//! that a reader never sees half a file and an interrupted run leaves the old file whole.
//! Used by `check --fix` (rewriting rule files) and `convert` (writing outputs).

use std::io::Write;
use std::path::Path;

/// What to do when the file exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it, keeping its permissions; the new content is synced to disk before the
    /// rename, as the old content is gone after it.
    Replace,
    /// Fail with `AlreadyExists` rather than replace it.
    Keep,
}

/// Write `text` to `path` atomically, creating the folder if needed.
pub fn write_file(path: &Path, text: &str, existing: Existing) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(text.as_bytes())?;
    let persisted = match existing {
        Existing::Replace => {
            if let Some(permissions) = permissions {
                file.as_file().sync_all()?;
                std::fs::set_permissions(file.path(), permissions)?;
            }
            file.persist(path)
        }
        Existing::Keep => file.persist_noclobber(path),
    };
    persisted.map(drop).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_keeping_permissions_or_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/rule.yaml");
        write_file(&path, "one\n", Existing::Keep).unwrap();
        let error = write_file(&path, "two\n", Existing::Keep).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_file(&path, "three\n", Existing::Replace).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        #[cfg(not(unix))]
        write_file(&path, "three\n", Existing::Replace).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three\n");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
