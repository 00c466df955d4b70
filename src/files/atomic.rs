//! Writing a file without losing anything: through a temporary file in the same folder and a
//! rename, so that a reader never sees half a file and an interrupted run leaves the old file
//! whole. Used by `check --fix` (rewriting rule files) and `convert` (writing outputs).
//!
//! A file is replaced as the user would expect of an editor: a symbolic link stays a link
//! (its target is written), a read-only file is refused, permissions, owner and group are
//! kept (where the process may set them), and a file with several hard links is written in
//! place so that the links keep sharing it. Temporary files are named
//! `.sentinel-lint-<pid>-XXXXXX.tmp`; those that a killed run left behind are removed the next
//! time a file is written in their folder.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The start of the name of every temporary file this tool creates.
pub const TEMP_PREFIX: &str = ".sentinel-lint-";
/// The end of it.
pub const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file of a run that ended this long ago (or whose process is gone) is stale.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// What to do when the file exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it, keeping its permissions, owner and group; the new content is synced to
    /// disk before the rename, as the old content is gone after it.
    Replace,
    /// Fail with `AlreadyExists` rather than replace it.
    Keep,
}

/// How a file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Through a temporary file and a rename.
    Atomically,
    /// Over the old content in place, because the file has this many hard links, which a
    /// rename would split.
    InPlace { links: u64 },
}

/// Write `text` to `path`, creating the folder if needed. With [`Existing::Replace`] a
/// symbolic link is followed (the link stays, its target gets the text).
pub fn write_file(path: &Path, text: &str, existing: Existing) -> io::Result<Written> {
    let target = match existing {
        Existing::Replace if is_symlink(path) => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let old = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &old {
        if existing == Existing::Keep {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the file exists",
            ));
        }
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        if meta.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "not writable (the file is read-only)",
            ));
        }
        if let Some(links) = hard_links(meta).filter(|&n| n > 1) {
            write_in_place(&target, text)?;
            return Ok(Written::InPlace { links });
        }
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder)?;
    remove_stale_temporaries(&folder);
    let mut file = temporary_in(&folder)?;
    file.write_all(text.as_bytes())?;
    if let Some(meta) = &old {
        std::fs::set_permissions(file.path(), meta.permissions())?;
        keep_owner(file.as_file(), meta);
    }
    file.as_file().sync_all()?;
    let persisted = match existing {
        Existing::Replace => file.persist(&target),
        Existing::Keep => file.persist_noclobber(&target),
    };
    persisted.map(drop).map_err(|e| e.error)?;
    Ok(Written::Atomically)
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A new temporary file in `folder`, created with the permissions the umask allows for a new
/// file (as any other program's new files).
fn temporary_in(folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

fn write_in_place(path: &Path, text: &str) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(unix)]
fn hard_links(meta: &std::fs::Metadata) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    Some(meta.nlink())
}

#[cfg(not(unix))]
fn hard_links(_meta: &std::fs::Metadata) -> Option<u64> {
    None
}

/// Give the new file the old one's owner and group. Only root may give a file away, and a
/// user may only choose among their own groups: what cannot be kept is left as created.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    if std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(meta.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _meta: &std::fs::Metadata) {}

/// Remove the temporary files that runs which were killed left in `folder` (once per folder
/// and run: a folder of thousands of outputs is listed once).
fn remove_stale_temporaries(folder: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    {
        let mut cleaned = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
        if !cleaned
            .get_or_insert_with(HashSet::new)
            .insert(folder.to_path_buf())
        {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_stale(name, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Is this a temporary file of ours whose run is over?
fn is_stale(name: &str, entry: &std::fs::DirEntry) -> bool {
    let Some(pid) = name
        .strip_prefix(TEMP_PREFIX)
        .filter(|_| name.ends_with(TEMP_SUFFIX))
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    if pid == std::process::id() {
        return false;
    }
    let old = entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > STALE_AFTER);
    // On Linux a process that is gone has no /proc entry; elsewhere age alone tells.
    let gone = cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists();
    old || gone
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
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
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

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_its_target_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("rule.yaml");
        let link = dir.path().join("link.yaml");
        std::fs::write(&target, "old\n").unwrap();
        std::os::unix::fs::symlink("rule.yaml", &link).unwrap();
        write_file(&link, "new\n", Existing::Replace).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
    }

    #[cfg(unix)]
    #[test]
    fn read_only_files_are_refused_and_hard_links_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rule.yaml");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let error = write_file(&path, "new\n", Existing::Replace).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let other = dir.path().join("other.yaml");
        std::fs::hard_link(&path, &other).unwrap();
        let written = write_file(&path, "new\n", Existing::Replace).unwrap();
        assert_eq!(written, Written::InPlace { links: 2 });
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "new\n");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn temporaries_of_dead_runs_are_removed_and_new_files_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // No process has this pid (above the kernel's maximum of 2^22).
        let stale = dir
            .path()
            .join(format!("{TEMP_PREFIX}9999999-abcdef{TEMP_SUFFIX}"));
        let foreign = dir.path().join(".tmpabcdef");
        std::fs::write(&stale, "half").unwrap();
        std::fs::write(&foreign, "not ours").unwrap();
        let path = dir.path().join("out.json");
        write_file(&path, "{}\n", Existing::Keep).unwrap();
        assert!(!stale.exists(), "a dead run's temporary file is removed");
        assert!(foreign.exists(), "other programs' files are left alone");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
            .unwrap();
        assert_eq!(mode, 0o666 & !umask, "created with 0666 less the umask");
    }
}
