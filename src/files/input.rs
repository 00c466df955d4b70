//! Reading input files with bounds: the metadata is looked at before anything is opened (a
//! FIFO would block, a device never end), and no more than the limit is read even when the
//! file grows meanwhile.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: what it is instead ("a FIFO (named pipe)", "a device", ...).
    NotAFile(&'static str),
    /// Larger than the limit (bytes).
    TooLarge { len: u64, limit: u64 },
    /// What the operating system said.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAFile(what) => write!(f, "it is {what}, not a file"),
            ReadError::TooLarge { len, limit } => write!(
                f,
                "the file is {}, larger than the limit of {}",
                size(*len),
                size(*limit)
            ),
            ReadError::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// `1.5 MiB`, `12 KiB`, `300 bytes`.
pub fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{:.1} KiB", bytes as f64 / KIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file system entry is, when it is not a regular file.
pub fn not_a_file(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// Read a whole file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if let Some(what) = not_a_file(meta.file_type()) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            len: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            len: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Read a text file of at most `limit` bytes (configuration): invalid UTF-8 is an error.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// What a path names on disk: the same for two paths of one file (through links, `..`,
/// hard links on Unix). `None` when nothing is there yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(FileIdInner);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileIdInner {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(std::path::PathBuf),
}

impl FileId {
    pub fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(path).ok()?;
            Some(FileId(FileIdInner::Inode(meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path)
                .ok()
                .map(|p| FileId(FileIdInner::Path(p)))
        }
    }
}

/// Refuse to write `output` when it is one of `inputs` (a report over a rule would lose it).
pub fn refuse_input_as_output(
    output: &Path,
    what: &str,
    inputs: &std::collections::HashSet<FileId>,
) -> Result<(), String> {
    match FileId::of(output) {
        Some(id) if inputs.contains(&id) => Err(format!(
            "{} is an input file; the {what} is never written over an input",
            output.display()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "x: 1\n").unwrap();
        assert_eq!(read(&path, 5).unwrap(), b"x: 1\n");
        let error = read(&path, 4).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { len: 5, limit: 4 }));
        assert_eq!(
            error.to_string(),
            "the file is 5 bytes, larger than the limit of 4 bytes"
        );
        assert_eq!(
            read(dir.path(), 10).unwrap_err().to_string(),
            "it is a folder, not a file"
        );
        #[cfg(unix)]
        assert_eq!(
            read(Path::new("/dev/zero"), 10).unwrap_err().to_string(),
            "it is a device, not a file"
        );
    }
}
