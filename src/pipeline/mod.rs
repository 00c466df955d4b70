//! The pipeline of `check`: bytes -> text -> spanned YAML -> shape -> lints -> diagnostics,
//! one file at a time and in parallel over files, then the pack-level lints.

pub mod baseline;
pub mod config;
pub mod discover;
pub mod fix;
pub mod source;
pub mod suppress;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, FileReport, Report, Severity};
use crate::lints::{
    self, Check, PackContext, PackEntry, RevisionContext, RuleContext, RuleQuery, Sink,
};
use crate::model::declared::Declared;
use crate::model::schema::{SchemaError, SchemaErrorKind};
use crate::text::SourceText;

pub use source::{MAX_FILE_BYTES, SourceFile};

pub use crate::pipeline::config::{Selection, Settings};

/// The result of checking one file.
#[derive(Debug, Clone)]
pub struct Checked {
    pub report: FileReport,
    pub pack: PackEntry,
    /// The file's suppression comments, for the findings of the pack-level lints.
    pub suppressions: Vec<crate::pipeline::suppress::Suppression>,
}

/// Check one file's bytes, against the embedded table schemas. Never panics on any input
/// and never touches the file system.
pub fn check_source(path: &str, bytes: &[u8]) -> Checked {
    check_source_with(path, bytes, &Declared::default())
}

/// [`check_source`] with what the configuration declares (tables, connector ids, ...).
pub fn check_source_with(path: &str, bytes: &[u8], declared: &Declared) -> Checked {
    match SourceFile::read(path, bytes) {
        Ok(source) => check(source, declared),
        Err(reason) => unreadable_file(path, reason),
    }
}

/// Run the lints of one file (all of them: the settings select findings afterwards, see
/// [`keep_for_report`] and [`finish`]), and apply its suppression comments.
pub fn check(source: SourceFile, declared: &Declared) -> Checked {
    let file = source.context(declared);
    let mut sink = Sink::default();
    for lint in lints::ALL {
        if let Check::File(check) = lint.check {
            check(&file, &mut sink);
        }
    }
    let mut pack = PackEntry {
        path: source.path.clone(),
        rule_type: None,
        id: None,
    };
    if let Some((rule_type, root)) = source.rule() {
        let query = source.query.as_ref().and_then(|query| {
            Some(RuleQuery {
                node: root.get("query")?,
                parsed: &query.parsed,
                map: &query.map,
                columns: &query.columns,
                tables: &declared.tables,
            })
        });
        let rule = RuleContext {
            file: &file,
            root,
            rule_type,
            query: query.as_ref(),
        };
        for lint in lints::ALL {
            if let Check::Rule(check) = lint.check {
                check(&rule, &mut sink);
            }
        }
        if let Some(previous) = declared.previous_of(&source.path) {
            check_revision(&rule, &source.path, previous, &mut sink);
        }
        let errors = crate::model::schema::validate(rule_type, &root.to_json());
        report_schema_errors(&rule, &errors, &mut sink);
        pack.rule_type = Some(rule_type);
        pack.id = root
            .get("id")
            .and_then(|id| id.as_str().map(|s| (s.trim().to_owned(), id.span)));
    }
    let mut diagnostics = sink.into_diagnostics();
    let (suppressions, problems) =
        suppress::parse(source.text(), &source.lines, &source.parsed.documents);
    diagnostics.extend(problems);
    let unused = suppress::apply(&suppressions, &mut diagnostics, suppress::Pass::File);
    diagnostics.extend(unused);
    if source.decoded.is_lossy() {
        // Offsets of a lossily decoded text are not the file's: no edits can be trusted.
        diagnostics.iter_mut().for_each(|d| d.fix = None);
    }
    sort_diagnostics(&mut diagnostics);
    Checked {
        report: FileReport {
            path: source.path,
            source: SourceText::with_lines(source.decoded.text, source.lines),
            diagnostics,
            baselined: Vec::new(),
        },
        pack,
        suppressions,
    }
}

/// Turn schema errors into findings of the lints that explain them, skipping values a lint
/// has already explained, and reporting each value once.
fn report_schema_errors(ctx: &RuleContext<'_>, errors: &[SchemaError], sink: &mut Sink) {
    let mut reported: HashSet<&str> = HashSet::new();
    // Unknown keys first: a misspelt key explains the missing key it was meant to be.
    let mut ordered: Vec<&SchemaError> = errors.iter().collect();
    ordered.sort_by_key(|e| e.kind != SchemaErrorKind::Unexpected);
    for error in ordered {
        if sink.covers(&error.pointer) || !reported.insert(&error.pointer) {
            continue;
        }
        // A value inside a value that is already reported as wrong adds nothing.
        if ancestors(&error.pointer).any(|p| sink.covers(p)) {
            continue;
        }
        // Past the limit of findings, working out where each one is costs a search each.
        if sink.is_full() && !(error.kind == SchemaErrorKind::Required && sink.wants_error()) {
            sink.count_dropped();
            continue;
        }
        let report = lints::ALL.iter().find_map(|lint| match lint.check {
            Check::Schema { explains, report } if explains(&error.kind) => Some(report),
            _ => None,
        });
        if let Some(d) = report.and_then(|report| report(ctx, error, sink)) {
            sink.push(d.with_pointer(error.pointer.clone()));
        }
    }
}

/// The pointers of the values that hold the value at `pointer`.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    pointer
        .match_indices('/')
        .map(move |(i, _)| &pointer[..i])
        .filter(|p| !p.is_empty())
}

/// The revision lints, when the previous version of the rule was a rule too.
fn check_revision(rule: &RuleContext<'_>, path: &str, previous: &[u8], sink: &mut Sink) {
    let Ok(previous) = SourceFile::read(path, previous) else {
        return;
    };
    let Some((previous_type, previous_root)) = previous.rule() else {
        return;
    };
    let revision = RevisionContext {
        rule,
        previous: previous_root,
        previous_type,
    };
    for lint in lints::ALL {
        if let Check::Revision(check) = lint.check {
            check(&revision, sink);
        }
    }
}

/// A file that could not be read: one finding, and nothing the pack lints can use.
pub fn unreadable_file(path: &str, reason: impl Into<String>) -> Checked {
    Checked {
        report: FileReport {
            path: path.to_owned(),
            source: SourceText::new(""),
            diagnostics: vec![lints::sl114_unreadable_file::diagnostic(reason)],
            baselined: Vec::new(),
        },
        pack: PackEntry {
            path: path.to_owned(),
            rule_type: None,
            id: None,
        },
        suppressions: Vec::new(),
    }
}

/// Read and check one file; a file that cannot be read is a finding, not the end of the run.
pub fn check_path(path: &Path, declared: &Declared) -> Checked {
    let display = path.display().to_string();
    match crate::files::input::read(path, MAX_FILE_BYTES as u64) {
        Ok(bytes) => check_guarded(&display, &bytes, declared),
        Err(error) => unreadable_file(&display, error.to_string()),
    }
}

/// [`check_source`], with a bug of this tool reported as a finding of the file rather than
/// ending the whole run.
pub fn check_guarded(path: &str, bytes: &[u8], declared: &Declared) -> Checked {
    std::panic::catch_unwind(|| check_source_with(path, bytes, declared)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        unreadable_file(
            path,
            format!("sentinel-lint failed on this file (a bug; please report it): {what}"),
        )
    })
}

fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
}

/// Check files in parallel, then run the pack-level lints, then apply the settings.
pub fn check_files(files: &[PathBuf], settings: &Settings) -> Report {
    check_files_keeping(files, settings, 1)
}

/// [`check_files`], keeping `context` lines of text around each finding (the human format
/// shows one; the others need none).
pub fn check_files_keeping(files: &[PathBuf], settings: &Settings, context: usize) -> Report {
    let checked: Vec<Checked> = files
        .par_iter()
        .map(|path| {
            let mut checked = check_path(path, &settings.declared);
            keep_for_report(&mut checked, settings, context);
            checked
        })
        .collect();
    finish(checked, settings)
}

/// Keep of a checked file only what its report needs, so that memory does not grow with the
/// pack: the findings that the settings select, and the lines of text they and the findings
/// still to come (pack lints, unused suppressions) point at.
pub fn keep_for_report(checked: &mut Checked, settings: &Settings, context: usize) {
    let selection = settings.selection_for(Path::new(&checked.report.path));
    checked
        .report
        .diagnostics
        .retain(|d| selection.decide(d.code, d.severity).is_some());
    checked.report.diagnostics.shrink_to_fit();
    // Pack lints point at the id or the top of the file; unused suppressions at themselves.
    let pack_lints = lints::ALL.iter().any(|lint| {
        matches!(lint.check, Check::Pack(_)) && selection.decide_lint(lint, lint.severity).is_some()
    });
    let suppressions = checked.suppressions.iter().flat_map(|s| {
        std::iter::once(s.comment)
            .chain(s.own_line)
            .chain(s.selectors.iter().map(|(_, span)| *span))
    });
    let pack = checked
        .pack
        .id
        .as_ref()
        .map(|(_, span)| *span)
        .into_iter()
        .chain([crate::text::Span::empty(0)])
        .filter(|_| pack_lints);
    let later = suppressions.chain(pack);
    checked.report.keep_only_excerpts(later, context);
}

/// Run the pack-level lints over checked files and apply the settings: which lints report,
/// at which level, for each file.
pub fn finish(checked: Vec<Checked>, settings: &Settings) -> Report {
    let mut entries = Vec::with_capacity(checked.len());
    let mut files = Vec::with_capacity(checked.len());
    let mut suppressions = Vec::with_capacity(checked.len());
    for c in checked {
        entries.push(c.pack);
        files.push(c.report);
        suppressions.push(c.suppressions);
    }
    let selections: Vec<_> = files
        .iter()
        .map(|f| settings.selection_for(Path::new(&f.path)))
        .collect();
    let pack = PackContext { entries: &entries };
    let mut found = Vec::new();
    for lint in lints::ALL {
        // A pack lint that no file selects is not run: its findings (a list of other files
        // each) would be made for every file of a large pack only to be dropped.
        if let Check::Pack(check) = lint.check
            && selections
                .iter()
                .any(|s| s.decide_lint(lint, lint.severity).is_some())
        {
            check(&pack, &mut found);
        }
    }
    let mut pack_findings: Vec<Vec<Diagnostic>> = vec![Vec::new(); files.len()];
    for (index, diagnostic) in found {
        if let Some(list) = pack_findings.get_mut(index) {
            list.push(diagnostic);
        }
    }
    for ((file, mut findings), suppressions) in
        files.iter_mut().zip(pack_findings).zip(&suppressions)
    {
        let unused = suppress::apply(suppressions, &mut findings, suppress::Pass::Pack);
        if !findings.is_empty() || !unused.is_empty() {
            file.diagnostics.extend(findings);
            file.diagnostics.extend(unused);
            sort_diagnostics(&mut file.diagnostics);
        }
    }
    for (file, selection) in files.iter_mut().zip(&selections) {
        file.diagnostics
            .retain_mut(|d| match selection.decide(d.code, d.severity) {
                Some(severity) => {
                    d.severity = severity;
                    true
                }
                None => false,
            });
    }
    drop(selections);
    Report { files }
}

/// Count findings per severity (used by tests and the summary).
pub fn count(report: &Report, severity: Severity) -> usize {
    report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.severity == severity)
        .count()
}
