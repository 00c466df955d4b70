//! Baselines: the findings a pack had when its gate was turned on, so that only new ones are
//! reported (`check --write-baseline FILE`, then `check --baseline FILE` or
//! `baseline = "FILE"` in `sentinel-lint.toml`).
//!
//! A finding is known by its file (relative to the baseline's folder), its lint, the YAML
//! value it is about and the text it points at, never by its line: lines added above it do
//! not make it new. Each such key has a count, as ESLint's bulk suppressions do: a second
//! identical problem in the same file is new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{FileReport, Report};

/// The format's version, written in every baseline.
const VERSION: u32 = 1;

/// A baseline as written: entries sorted by file, lint, pointer and text.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(rename = "sentinel-lint-baseline")]
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    code: String,
    /// The lint's name, for a reader of the file (not matched).
    #[serde(default)]
    name: String,
    #[serde(default)]
    pointer: String,
    #[serde(default)]
    text: String,
    count: usize,
}

type Key = (String, String, String, String);

/// The findings of a baseline, and the folder its file paths are relative to.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    folder: PathBuf,
    counts: BTreeMap<Key, usize>,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings of the run the baseline holds (no longer reported).
    pub hidden: usize,
    /// Findings the baseline holds, of files checked in the run, that are gone.
    pub fixed: usize,
}

impl Baseline {
    /// Read a baseline file; a file that does not exist is an error (a gate pointed at a
    /// missing baseline must not pass everything, nor fail everything, silently).
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("baseline {}: {e}", path.display()))?;
        let document: Document = serde_json::from_str(&text).map_err(|e| {
            format!(
                "baseline {}:{}:{}: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if document.version != VERSION {
            return Err(format!(
                "baseline {}: format version {} (this sentinel-lint reads {VERSION})",
                path.display(),
                document.version
            ));
        }
        let mut counts = BTreeMap::new();
        for e in document.findings {
            *counts
                .entry((e.file, e.code, e.pointer, e.text))
                .or_default() += e.count;
        }
        Ok(Baseline {
            folder: folder_of(path),
            counts,
        })
    }

    /// The baseline of a report, to be written at `path`.
    pub fn of_report(report: &Report, path: &Path) -> Baseline {
        let folder = folder_of(path);
        let mut counts = BTreeMap::new();
        for file in &report.files {
            let name = relative_to(&folder, &file.path);
            for d in &file.diagnostics {
                *counts.entry(key(&name, file, d)).or_default() += 1;
            }
        }
        Baseline { folder, counts }
    }

    /// Findings held.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The baseline as JSON: one entry per key, sorted (a stable, reviewable diff).
    pub fn to_json(&self) -> String {
        let findings = self
            .counts
            .iter()
            .map(|((file, code, pointer, text), count)| Entry {
                file: file.clone(),
                code: code.clone(),
                name: crate::lints::find(code)
                    .map(|l| l.name.to_owned())
                    .unwrap_or_default(),
                pointer: pointer.clone(),
                text: text.clone(),
                count: *count,
            })
            .collect();
        let document = Document {
            version: VERSION,
            findings,
        };
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Move the findings the baseline holds from `diagnostics` to `baselined`, file by file
    /// (each key's count at most), and count the entries of the files checked that matched
    /// nothing (fixed since).
    pub fn apply(&self, report: &mut Report) -> Applied {
        let mut left = self.counts.clone();
        let mut applied = Applied::default();
        let mut checked: Vec<String> = Vec::new();
        for file in &mut report.files {
            let name = relative_to(&self.folder, &file.path);
            let mut kept = Vec::new();
            let mut held = Vec::new();
            for d in std::mem::take(&mut file.diagnostics) {
                match left.get_mut(&key(&name, file, &d)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        held.push(d);
                    }
                    _ => kept.push(d),
                }
            }
            applied.hidden += held.len();
            file.diagnostics = kept;
            file.baselined = held;
            checked.push(name);
        }
        checked.sort();
        applied.fixed = left
            .iter()
            .filter(|((file, ..), _)| checked.binary_search(file).is_ok())
            .map(|(_, n)| n)
            .sum();
        applied
    }

    /// Findings this baseline holds, of the files `report` checked, that the report no
    /// longer has (fixed since).
    pub fn fixed_since(&self, report: &Report) -> usize {
        self.apply(&mut report.clone()).fixed
    }
}

fn key(name: &str, file: &FileReport, d: &crate::diagnostics::Diagnostic) -> Key {
    let (code, pointer, text) = file.identity(d);
    (
        name.to_owned(),
        code.to_owned(),
        pointer.to_owned(),
        text.to_owned(),
    )
}

/// The folder a baseline's file names are relative to: the baseline's own.
fn folder_of(path: &Path) -> PathBuf {
    let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let folder = if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder
    };
    std::fs::canonicalize(&folder).unwrap_or(folder)
}

/// A checked file's name relative to the baseline's folder, with `/`, wherever the check
/// runs from; as given when it is elsewhere.
fn relative_to(folder: &Path, path: &str) -> String {
    let name = std::fs::canonicalize(path)
        .ok()
        .and_then(|real| real.strip_prefix(folder).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from(path));
    name.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
