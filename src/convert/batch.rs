//! Converting many files at once: what to write under which name, and a report per rule.
//! Nothing here touches the file system; the command line reads the inputs and writes the
//! outputs, so that tests see exactly what a run would write.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::arm::{self, ArmOptions, ArmRule};
use super::from_arm::{self, FoundRule};
use super::sigma::{self, SigmaOptions};
use super::{Note, Status, status_of};
use crate::diagnostics::Severity;
use crate::model::RuleType;
use crate::model::read::read_rule;
use crate::model::shape::{ForeignFormat, Shape};
use crate::pipeline::{self, Settings, SourceFile};
use crate::text::{SourceText, Span};
use crate::yaml::{Node, ScalarMap};

/// ARM templates larger than this are not read (the largest Solution templates are a few
/// megabytes).
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024 * 1024;

/// A file to convert.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as the user gave or found it (for messages).
    pub path: String,
    /// Where the file sits under the folder it was found in (its name, for a file named
    /// explicitly); outputs mirror it.
    pub relative: PathBuf,
    pub bytes: Vec<u8>,
    /// Why the file could not be read (its `bytes` are then empty).
    pub unreadable: Option<String>,
    /// Named on the command line (not found by walking a folder): a file that is not a rule
    /// is then reported rather than skipped.
    pub explicit: bool,
}

/// A template read for `to_yaml`.
struct ReadFile {
    /// The rules found, with their YAML text (or why it could not be written).
    rules: Vec<(FoundRule, Result<String, String>)>,
    source: SourceText,
    root: Option<Node>,
    /// Why nothing could be read.
    problem: Option<String>,
    other_resources: indexmap::IndexMap<String, usize>,
}

impl ReadFile {
    fn problem(source: SourceText, message: String) -> Self {
        ReadFile {
            rules: Vec::new(),
            source,
            root: None,
            problem: Some(message),
            other_resources: Default::default(),
        }
    }
}

/// What happened to one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleReport {
    pub file: String,
    /// The rule's name, when the file holds several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub status: Status,
    /// Paths written (filled in by whoever writes them).
    pub outputs: Vec<String>,
    pub notes: Vec<ReportNote>,
}

/// A note with its place in the input file.
#[derive(Debug, Clone, Serialize)]
pub struct ReportNote {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The output lacks this or means something else.
    pub approximate: bool,
}

/// One file to write.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative to the output folder; empty for the templates of a bundle.
    pub relative: PathBuf,
    pub text: String,
    /// The reports of the rules in this output.
    pub rules: Vec<usize>,
}

/// The outcome of converting a set of files.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub reports: Vec<RuleReport>,
    pub outputs: Vec<Output>,
    /// Files found by walking a folder that are not rules (or templates), with what they are.
    pub skipped: Vec<(String, String)>,
    /// Outputs written under another name than their input gives them.
    pub renamed: Vec<Renamed>,
    /// What the summary should say about the batch as a whole.
    pub warnings: Vec<String>,
}

impl Batch {
    pub fn count(&self, status: Status) -> usize {
        self.reports.iter().filter(|r| r.status == status).count()
    }
}

/// How to convert to ARM.
#[derive(Debug, Clone, Copy)]
pub struct ArmBatchOptions {
    pub arm: ArmOptions,
    /// One template for all rules.
    pub bundle: bool,
    /// Convert rules that `check` finds errors in.
    pub force: bool,
}

enum Converted<T> {
    Rule(Box<T>, RuleReport),
    Failed(RuleReport),
    Skipped(String, String),
}

/// A rule file ready to convert: `check` found no errors in it (or `--force`).
struct RuleInput<'a> {
    rule_type: RuleType,
    root: &'a Node,
    query: Option<&'a crate::kql::Parsed>,
}

/// How much of `check` a conversion needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checking {
    /// Check every file, with the pack-level lints (two rules with one id would be one
    /// resource); with `require_clean`, convert only the rules without errors.
    All { require_clean: bool },
    /// Check only the files that are not rules, to say why they are not converted (the
    /// conversion itself reports what it cannot read).
    NonRules,
}

/// Read the files through the check pipeline (with the settings of `sentinel-lint.toml`),
/// check them as `checking` says, and convert those that are rules. `convert` returns its
/// output and notes, or why it cannot.
///
/// Each rule is converted as soon as it is read, in parallel, and only its output, its
/// notes and what its report needs are kept (not its text and tree), so that memory grows
/// with the outputs, not with the inputs; the pack lints then decide which may be written.
fn convert_rules<T: Send>(
    inputs: &[Input],
    settings: &Settings,
    checking: Checking,
    convert: impl Fn(RuleInput<'_>) -> Result<(T, Vec<Note>), Vec<Note>> + Sync,
) -> Vec<Converted<T>> {
    type Outcome<T> = Result<(T, Vec<ReportNote>), Vec<ReportNote>>;
    let done: Vec<(Option<pipeline::Checked>, Shape, Option<Outcome<T>>)> = inputs
        .par_iter()
        .map(|input| {
            let read = match &input.unreadable {
                Some(reason) => Err(reason.clone()),
                None => SourceFile::read(&input.path, &input.bytes),
            };
            let source = match read {
                Ok(source) => source,
                Err(reason) => {
                    let checked = pipeline::unreadable_file(&input.path, reason);
                    return (Some(checked), Shape::Unreadable, None);
                }
            };
            let outcome = source.rule().map(|(rule_type, root)| {
                let locate = |notes: Vec<Note>| {
                    let map = source.query.as_ref().map(|q| &q.map);
                    locate_all(notes, root, map, &|offset| {
                        source.lines.line_col(source.text(), offset)
                    })
                };
                let input = RuleInput {
                    rule_type,
                    root,
                    query: source.query.as_ref().map(|q| &q.parsed),
                };
                match convert(input) {
                    Ok((output, notes)) => Ok((output, locate(notes))),
                    Err(notes) => Err(locate(notes)),
                }
            });
            let shape = source.shape.clone();
            let checked = (checking != Checking::NonRules || outcome.is_none()).then(|| {
                let mut checked = pipeline::check(source, &settings.declared);
                pipeline::keep_for_report(&mut checked, settings, 0);
                checked
            });
            (checked, shape, outcome)
        })
        .collect();
    // The pack lints, and the settings' levels, over the files checked.
    let mut checked = Vec::with_capacity(done.len());
    let mut rest = Vec::with_capacity(done.len());
    for (c, shape, outcome) in done {
        rest.push((c.is_some(), shape, outcome));
        checked.extend(c);
    }
    let mut files = pipeline::finish(checked, settings).files.into_iter();
    let require_clean = checking
        == Checking::All {
            require_clean: true,
        };
    inputs
        .iter()
        .zip(rest)
        .map(|(input, (was_checked, shape, outcome))| {
            let file = if was_checked { files.next() } else { None };
            let errors = file
                .map(|f| error_notes(&f.diagnostics, &f.source))
                .unwrap_or_default();
            let report = |status, notes| RuleReport {
                file: input.path.clone(),
                rule: None,
                status,
                outputs: Vec::new(),
                notes,
            };
            let Some(outcome) = outcome else {
                return match not_a_rule(&shape) {
                    Some(what) if !input.explicit => Converted::Skipped(input.path.clone(), what),
                    _ => {
                        let mut notes = errors;
                        if notes.is_empty() {
                            notes.push(plain_note(describe_shape(&shape)));
                        }
                        Converted::Failed(report(Status::Unsupported, notes))
                    }
                };
            };
            if !errors.is_empty() && require_clean {
                let mut notes = errors;
                notes.push(plain_note(
                    "`check` finds errors in this rule; fix them, or convert anyway with --force",
                ));
                return Converted::Failed(report(Status::Unsupported, notes));
            }
            match outcome {
                // Forced past errors: they are what a reader of the result must know first.
                Ok((output, notes)) if !errors.is_empty() => {
                    let mut all = errors;
                    all.extend(notes);
                    Converted::Rule(Box::new(output), report(Status::Forced, all))
                }
                Ok((output, notes)) => {
                    let status = status_of_located(&notes);
                    Converted::Rule(Box::new(output), report(status, notes))
                }
                Err(notes) => Converted::Failed(report(Status::Unsupported, notes)),
            }
        })
        .collect()
}

/// Rule files -> ARM templates.
pub fn to_arm(inputs: &[Input], options: &ArmBatchOptions, settings: &Settings) -> Batch {
    let checking = Checking::All {
        require_clean: !options.force,
    };
    let converted = convert_rules(inputs, settings, checking, |input| {
        let read = read_rule(input.rule_type, input.root)?;
        let mut rule = arm::resource(&read.rule, &options.arm)?;
        let mut notes = read.notes;
        notes.append(&mut rule.notes);
        rule.notes = Vec::new();
        Ok((rule, notes))
    });
    let mut batch = Batch::default();
    let mut rules: Vec<(ArmRule, usize)> = Vec::new();
    let mut names = OutputNames::default();
    let mut first_of_id: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for (input, converted) in inputs.iter().zip(converted) {
        match converted {
            Converted::Skipped(path, what) => batch.skipped.push((path, what)),
            Converted::Failed(report) => batch.reports.push(report),
            Converted::Rule(rule, mut report) => {
                if options.bundle
                    && let Some(first) = first_of_id.get(&rule.id)
                {
                    report.status = Status::Unsupported;
                    report.notes.push(plain_note(format!(
                        "{first} has the same id ({}); a template cannot hold two resources of one name",
                        rule.id
                    )));
                    batch.reports.push(report);
                    continue;
                }
                first_of_id.insert(rule.id.clone(), input.path.clone());
                let index = batch.reports.len();
                batch.reports.push(report);
                if options.bundle {
                    rules.push((*rule, index));
                } else {
                    let relative = names.claim(
                        safe_path(&input.relative).with_extension("json"),
                        &input.path,
                    );
                    batch.outputs.push(Output {
                        relative,
                        text: arm::to_json(&arm::template(vec![*rule])),
                        rules: vec![index],
                    });
                }
            }
        }
    }
    // ARM takes at most 800 resources per template: a larger bundle is split into templates
    // of at most that many, in the order of the inputs (the writer numbers their files).
    let mut rules = rules.into_iter().peekable();
    while rules.peek().is_some() {
        let part: Vec<(ArmRule, usize)> = rules.by_ref().take(arm::MAX_RESOURCES).collect();
        batch.outputs.push(Output {
            relative: PathBuf::new(),
            rules: part.iter().map(|(_, i)| *i).collect(),
            text: arm::to_json(&arm::template(part.into_iter().map(|(r, _)| r).collect())),
        });
    }
    batch.renamed = names.renamed;
    batch
}

/// Rule files -> Sigma rules (a `.yml` file per rule, mirroring the inputs; one per table
/// for a `union`). What `check` finds in a rule does not stop it (Sigma reads the query and
/// a few fields, and whatever of them cannot be read is reported); a query that does not
/// parse does. Over the batch, titles, ids and file names are made distinct (SigmaHQ's
/// tools check a whole collection at once).
pub fn to_sigma(inputs: &[Input], options: &SigmaOptions, settings: &Settings) -> Batch {
    let converted = convert_rules(inputs, settings, Checking::NonRules, |input| {
        let read = read_rule(input.rule_type, input.root)?;
        let Some(query) = input.query else {
            return Err(vec![Note::approximate("the rule has no query", "/query")]);
        };
        let conversion = sigma::convert(&read.rule, query, options)?;
        let mut notes = read.notes;
        notes.extend(conversion.notes.iter().cloned());
        Ok((conversion, notes))
    });
    let mut batch = Batch::default();
    // (input, report, conversion)
    let mut rules: Vec<(usize, usize, sigma::SigmaConversion)> = Vec::new();
    for (i, converted) in converted.into_iter().enumerate() {
        match converted {
            Converted::Skipped(path, what) => batch.skipped.push((path, what)),
            Converted::Failed(report) => batch.reports.push(report),
            Converted::Rule(conversion, report) => {
                rules.push((i, batch.reports.len(), *conversion));
                batch.reports.push(report);
            }
        }
    }
    // A Sentinel id that several files share: the later ones get ids of the id and their
    // path, so that no two Sigma rules share an id.
    let mut seeds: std::collections::HashMap<String, usize> = Default::default();
    for (input, report, conversion) in &mut rules {
        if let Some(first) = seeds.get(&conversion.seed) {
            let seed = format!("{}\n{}", conversion.seed, inputs[*input].path);
            for file in &mut conversion.files {
                file.set_ids(&seed);
            }
            sigma::link_related(&mut conversion.files);
            batch.reports[*report].notes.push(plain_note(format!(
                "{} has the same id; the Sigma ids are made of the id and this file's path",
                inputs[*first].path
            )));
        } else {
            seeds.insert(conversion.seed.clone(), *input);
        }
        if let Some(dates) = options.dates.get(&inputs[*input].path) {
            for file in &mut conversion.files {
                file.set_dates(&dates.created, Some(&dates.modified));
            }
        }
    }
    distinct_titles(&mut rules);
    let without_author = rules
        .iter()
        .filter(|(_, _, c)| {
            c.files
                .iter()
                .any(|f| f.rules.iter().any(|r| r.author.is_none()))
        })
        .count();
    if without_author > 0 {
        batch.warnings.push(format!(
            "{without_author} converted rule(s) have no author (SigmaHQ requires one): give --author, `metadata.author.name` in the rules, or `[sigma] author` in sentinel-lint.toml"
        ));
    }
    let mut names = OutputNames::default();
    let mut stems = DistinctStems::default();
    for (input, report, conversion) in rules {
        let input = &inputs[input];
        let several = conversion.files.len() > 1;
        // All the files of a rule, or none.
        let texts = match conversion
            .files
            .iter()
            .map(sigma::to_yaml)
            .collect::<Result<Vec<String>, String>>()
        {
            Ok(texts) => texts,
            Err(e) => {
                let report = &mut batch.reports[report];
                report.status = Status::Unsupported;
                report.notes.push(plain_note(e));
                continue;
            }
        };
        for (file, text) in conversion.files.iter().zip(texts) {
            let path = safe_path(&input.relative);
            let mut stem = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if several {
                stem = format!("{stem}_{}", file.table);
            }
            let stem = distinct_stem(sigma_stem(&stem, file), &mut stems);
            batch.outputs.push(Output {
                relative: names.claim(path.with_file_name(format!("{stem}.yml")), &input.path),
                text,
                rules: vec![report],
            });
        }
    }
    batch.renamed = names.renamed;
    batch
}

/// The file name of a Sigma file as SigmaHQ names them: `correlation_` for a correlation,
/// else the prefix of its log source (`net_connection_win_`), then the input's name.
fn sigma_stem(stem: &str, file: &sigma::SigmaFile) -> String {
    let prefix = match (&file.correlation, file.rules.first()) {
        (Some(_), _) => Some("correlation_"),
        (None, Some(rule)) => crate::reference::sigma_filename_prefix(
            rule.logsource.product.as_deref(),
            rule.logsource.category.as_deref(),
            rule.logsource.service.as_deref(),
        ),
        (None, None) => None,
    };
    let mut stem = sigma_file_stem(stem);
    if !stem.contains('_') && prefix.is_none() {
        // SigmaHQ names have words: the table's name is one.
        stem = sigma_file_stem(&format!("{}_{stem}", file.table));
    }
    match prefix {
        Some(prefix) if !stem.starts_with(prefix) => {
            let joiner = if prefix.ends_with('_') { "" } else { "_" };
            sigma_file_stem(&format!("{prefix}{joiner}{stem}"))
        }
        _ => stem,
    }
}

/// A file name no other Sigma file of the batch has (SigmaHQ's tools flag two files of one
/// name in different folders): `name_2`, `name_3`, ... after the first.
fn distinct_stem(stem: String, taken: &mut DistinctStems) -> String {
    if taken.taken.insert(stem.clone()) {
        return stem;
    }
    // Per name, the number to try next: many files of one name stay linear.
    let n = taken.next.entry(stem.clone()).or_insert(2);
    loop {
        let suffix = format!("_{n}");
        *n += 1;
        let mut base = stem.clone();
        base.truncate(70 - suffix.len());
        let candidate = format!("{}{suffix}", base.trim_end_matches('_'));
        if taken.taken.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// The Sigma file names of a run, and the number to try next for each.
#[derive(Default)]
struct DistinctStems {
    taken: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

/// Titles no two Sigma files of the batch share: where rules share a name, the kind of rule
/// (when they differ in kind) or the table (when they differ in table) is added, then a
/// number for what is still shared.
fn distinct_titles(rules: &mut [(usize, usize, sigma::SigmaConversion)]) {
    let mut groups: indexmap::IndexMap<String, Vec<(usize, usize)>> = Default::default();
    for (c, (_, _, conversion)) in rules.iter().enumerate() {
        for (f, file) in conversion.files.iter().enumerate() {
            groups
                .entry(file.title.to_lowercase())
                .or_default()
                .push((c, f));
        }
    }
    let mut retitled: Vec<((usize, usize), String)> = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        let kinds: std::collections::BTreeSet<&str> =
            members.iter().map(|(c, _)| rules[*c].2.kind).collect();
        let tables: std::collections::BTreeSet<&str> = members
            .iter()
            .map(|(c, f)| rules[*c].2.files[*f].table.as_str())
            .collect();
        for &(c, f) in members {
            let file = &rules[c].2.files[f];
            let qualifier = if kinds.len() > 1 {
                sigma::title_case(rules[c].2.kind)
            } else if tables.len() > 1 {
                file.table.clone()
            } else {
                continue;
            };
            retitled.push(((c, f), format!("{} - {qualifier}", file.title)));
        }
    }
    for ((c, f), title) in retitled {
        rules[c].2.files[f].set_title(&title);
    }
    let mut taken: std::collections::HashSet<String> = Default::default();
    // Per title, the number to try next: many rules of one name stay linear.
    let mut next: std::collections::HashMap<String, usize> = Default::default();
    for (_, _, conversion) in rules.iter_mut() {
        for file in &mut conversion.files {
            let lower = file.title.to_lowercase();
            if taken.insert(lower.clone()) {
                continue;
            }
            let n = next.entry(lower.clone()).or_insert(2);
            while !taken.insert(format!("{lower} ({n})")) {
                *n += 1;
            }
            let title = format!("{} ({n})", file.title);
            *n += 1;
            file.set_title(&title);
        }
    }
}

/// Sigma file names: lower-case letters, digits and `_`, 10 to 70 characters (the SigmaHQ
/// convention).
pub fn sigma_file_stem(stem: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            // `PasswordSpray` -> `password_spray`
            if c.is_ascii_uppercase() && previous_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    let mut out = out.trim_end_matches('_').to_owned();
    out.truncate(70);
    let mut out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        out.push_str("sentinel");
    }
    while out.len() < 10 {
        out.push_str("_rule");
    }
    out
}

/// ARM templates (and exports) -> rule YAML.
pub fn to_yaml(inputs: &[Input]) -> Batch {
    let read: Vec<ReadFile> = inputs
        .par_iter()
        .map(|input| {
            if let Some(reason) = &input.unreadable {
                return ReadFile::problem(SourceText::new(""), reason.clone());
            }
            if input.bytes.len() > MAX_TEMPLATE_BYTES {
                let message = format!(
                    "the file is {:.0} MiB; templates larger than {} MiB are not read",
                    input.bytes.len() as f64 / (1024.0 * 1024.0),
                    MAX_TEMPLATE_BYTES / (1024 * 1024)
                );
                return ReadFile::problem(SourceText::new(""), message);
            }
            let (source, parsed) = pipeline::source::read_data(&input.bytes);
            match parsed {
                Err(error) => {
                    let (line, column) = source.line_col(error.span.start);
                    let message = format!(
                        "not valid JSON: {} (line {line}, column {column})",
                        error.message
                    );
                    ReadFile::problem(source, message)
                }
                Ok(root) => {
                    let reading = from_arm::read_template(&root);
                    let rules = reading
                        .rules
                        .into_iter()
                        .map(|found| {
                            let text = match &found.result {
                                Ok(read) => super::yaml::to_yaml(&read.rule),
                                Err(_) => Err(String::new()),
                            };
                            (found, text)
                        })
                        .collect();
                    ReadFile {
                        rules,
                        source,
                        root: Some(root),
                        problem: reading.not_a_template,
                        other_resources: reading.other_resources,
                    }
                }
            }
        })
        .collect();
    let mut batch = Batch::default();
    let mut names = OutputNames::default();
    for (input, read_file) in inputs.iter().zip(read) {
        let ReadFile {
            rules,
            source,
            root,
            problem,
            other_resources,
        } = read_file;
        if rules.is_empty() {
            match problem {
                Some(message) if input.explicit || root.is_none() => {
                    batch.reports.push(RuleReport {
                        file: input.path.clone(),
                        rule: None,
                        status: Status::Unsupported,
                        outputs: Vec::new(),
                        notes: vec![plain_note(message)],
                    })
                }
                Some(message) => batch.skipped.push((input.path.clone(), message)),
                None => batch
                    .skipped
                    .push((input.path.clone(), "a template without rules".into())),
            }
            continue;
        }
        if !other_resources.is_empty() {
            let list: Vec<String> = other_resources
                .iter()
                .map(|(t, n)| format!("{n} {t}"))
                .collect();
            batch.skipped.push((
                input.path.clone(),
                format!("its other resources are not rules: {}", list.join(", ")),
            ));
        }
        let many = rules.len() > 1;
        let folder = safe_path(&input.relative);
        let folder = if many {
            folder.with_extension("")
        } else {
            folder.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        for (found, text) in rules {
            let locate = |notes: Vec<Note>| match &root {
                Some(root) => locate_all(notes, root, None, &|offset| source.line_col(offset)),
                None => notes.into_iter().map(|n| plain_located(&n)).collect(),
            };
            let mut report = RuleReport {
                file: input.path.clone(),
                rule: found.name.clone().filter(|_| many),
                status: Status::Unsupported,
                outputs: Vec::new(),
                notes: Vec::new(),
            };
            match (found.result, text) {
                (Ok(read), Ok(text)) => {
                    report.status = status_of(&read.notes);
                    report.notes = locate(read.notes);
                    let index = batch.reports.len();
                    batch.reports.push(report);
                    let stem = rule_file_stem(
                        found.name.as_deref().unwrap_or_default(),
                        &read.rule.core().id,
                    );
                    batch.outputs.push(Output {
                        relative: names.claim(folder.join(format!("{stem}.yaml")), &input.path),
                        text,
                        rules: vec![index],
                    });
                }
                (Ok(read), Err(message)) => {
                    report.notes = locate(read.notes);
                    report.notes.push(plain_note(message));
                    batch.reports.push(report);
                }
                (Err(notes), _) => {
                    report.notes = locate(notes);
                    batch.reports.push(report);
                }
            }
        }
    }
    batch.renamed = names.renamed;
    batch
}

/// What a file is, when it is plainly not a rule (skipped when found by walking a folder).
fn not_a_rule(shape: &Shape) -> Option<String> {
    match shape {
        Shape::Empty
        | Shape::NotAMapping
        | Shape::NotARule
        | Shape::MovedStub
        | Shape::Foreign(_) => Some(describe_shape(shape)),
        _ => None,
    }
}

fn describe_shape(shape: &Shape) -> String {
    match shape {
        Shape::Empty => "an empty file".into(),
        Shape::NotAMapping | Shape::NotARule => "not a rule file".into(),
        Shape::MovedStub => "a stub left where a rule moved, not a rule".into(),
        Shape::Foreign(ForeignFormat::Bundle) => {
            "several rules under `rules:`, not one rule file".into()
        }
        Shape::Foreign(_) => {
            "an ARM template or an export, not a rule file (convert it with --to yaml)".into()
        }
        Shape::OtherKind { written, .. } => format!(
            "rules of kind `{written}` are not converted (only Scheduled and NRT rules and hunting queries are)"
        ),
        Shape::Unreadable => "the file cannot be read as YAML".into(),
        Shape::Rule(_) => "a rule".into(),
    }
}

/// The errors `check` finds, as notes.
fn error_notes(
    diagnostics: &[crate::diagnostics::Diagnostic],
    source: &SourceText,
) -> Vec<ReportNote> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let (line, column) = source.line_col(d.span.start);
            ReportNote {
                message: format!("{} {}: {}", d.code, d.name, d.message),
                line: Some(line),
                column: Some(column),
                approximate: true,
            }
        })
        .collect()
}

/// [`status_of`] for notes already located.
fn status_of_located(notes: &[ReportNote]) -> Status {
    if notes.iter().any(|n| n.approximate) {
        Status::Approximate
    } else {
        Status::Converted
    }
}

fn plain_note(message: impl Into<String>) -> ReportNote {
    ReportNote {
        message: message.into(),
        line: None,
        column: None,
        approximate: true,
    }
}

fn plain_located(note: &Note) -> ReportNote {
    ReportNote {
        message: note.message.clone(),
        line: None,
        column: None,
        approximate: note.approximate,
    }
}

/// Notes with the line and column of the nearest value their pointer reaches.
/// Notes with their line and column (from `line_col` of a file offset): where their
/// pointer is in `root`, or for a part of the query, where `query_map` puts it.
fn locate_all(
    notes: Vec<Note>,
    root: &Node,
    query_map: Option<&ScalarMap>,
    line_col: &dyn Fn(usize) -> (usize, usize),
) -> Vec<ReportNote> {
    let mut located: Vec<ReportNote> = notes
        .into_iter()
        .map(|note| {
            let in_query = note
                .query_span
                .zip(query_map)
                .map(|(span, map)| map.span_to_file(span));
            let span = in_query.or_else(|| note.pointer.as_deref().and_then(|p| nearest(root, p)));
            let (line, column) = span.map(|s| line_col(s.start)).unzip();
            ReportNote {
                message: note.message,
                line,
                column,
                approximate: note.approximate,
            }
        })
        .collect();
    // In file order; notes without a place last.
    located.sort_by_key(|n| (n.line.is_none(), n.line, n.column));
    located
}

fn nearest(root: &Node, pointer: &str) -> Option<Span> {
    let mut pointer = pointer;
    loop {
        if let Some(span) = root
            .key_span_at(pointer)
            .or_else(|| root.pointer(pointer).map(|n| n.span))
        {
            return Some(span);
        }
        if pointer.is_empty() {
            return None;
        }
        pointer = &pointer[..pointer.rfind('/').unwrap_or(0)];
    }
}

/// Output paths handed out so far, compared as case-insensitive file systems do, with the
/// input that claimed each; and the outputs that had to take another name.
#[derive(Debug, Default)]
struct OutputNames {
    taken: std::collections::HashMap<String, String>,
    renamed: Vec<Renamed>,
}

/// An output that could not have the name its input gives it: another output has it.
#[derive(Debug, Clone, Serialize)]
pub struct Renamed {
    pub file: String,
    /// Relative to the output folder.
    pub wanted: PathBuf,
    pub written: PathBuf,
    /// The input whose output has the name.
    pub taken_by: String,
}

impl OutputNames {
    /// This path, or `name_2`, `name_3`, ... when it is taken (recorded in `renamed`).
    fn claim(&mut self, path: PathBuf, by: &str) -> PathBuf {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let extension = path.extension().map(|e| e.to_string_lossy().into_owned());
        let mut candidate = path.clone();
        let mut n = 1;
        let mut taken_by = None;
        loop {
            match self.taken.entry(candidate.to_string_lossy().to_lowercase()) {
                std::collections::hash_map::Entry::Vacant(free) => {
                    free.insert(by.to_owned());
                    break;
                }
                std::collections::hash_map::Entry::Occupied(taken) => {
                    taken_by.get_or_insert_with(|| taken.get().clone());
                }
            }
            n += 1;
            let name = match &extension {
                Some(ext) => format!("{stem}_{n}.{ext}"),
                None => format!("{stem}_{n}"),
            };
            candidate = path.with_file_name(name);
        }
        if let Some(taken_by) = taken_by {
            self.renamed.push(Renamed {
                file: by.to_owned(),
                wanted: path,
                written: candidate.clone(),
                taken_by,
            });
        }
        candidate
    }
}

/// Names Windows refuses for files, whatever the extension.
const RESERVED_NAMES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A relative path that is safe on every file system and stays inside the output folder:
/// only normal components, without the characters Windows forbids, without trailing dots
/// and spaces, not a reserved device name, at most 150 bytes each.
pub fn safe_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        if let Component::Normal(part) = component {
            out.push(safe_component(&part.to_string_lossy()));
        }
    }
    if out.as_os_str().is_empty() {
        out.push("rule");
    }
    out
}

fn safe_component(part: &str) -> String {
    let mut name: String = part
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut end = name.len().min(150);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name.truncate(end);
    let trimmed = name.trim_end_matches(['.', ' ']).trim_start();
    let mut name = if trimmed.is_empty() {
        "_".to_owned()
    } else {
        trimmed.to_owned()
    };
    let base = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if RESERVED_NAMES.contains(&base.as_str()) {
        name.insert(0, '_');
    }
    name
}

/// A rule file's name from the rule's display name, as the Azure-Sentinel repository names
/// them: the words run together, each capitalized (`Rare admin operations` ->
/// `RareAdminOperations`); ASCII letters and digits only, at most 100 of them; the id when
/// the name has none.
pub fn rule_file_stem(name: &str, id: &str) -> String {
    let mut stem = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            stem.push(first.to_ascii_uppercase());
            stem.push_str(chars.as_str());
        }
        if stem.len() >= 100 {
            stem.truncate(100);
            break;
        }
    }
    if stem.is_empty() {
        stem = safe_component(id);
    }
    if RESERVED_NAMES.contains(&stem.to_ascii_uppercase().as_str()) {
        stem.insert(0, '_');
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_never_leave_the_folder() {
        assert_eq!(
            safe_path(Path::new("../../etc/passwd.yaml")),
            PathBuf::from("etc/passwd.yaml")
        );
        assert_eq!(
            safe_path(Path::new("/abs/rule.yaml")),
            PathBuf::from("abs/rule.yaml")
        );
        assert_eq!(
            safe_path(Path::new("a:b?/CON.yaml")),
            PathBuf::from("a_b_/_CON.yaml")
        );
        assert_eq!(safe_path(Path::new("dots.../x. ")), PathBuf::from("dots/x"));
        assert_eq!(safe_path(Path::new("")), PathBuf::from("rule"));
    }

    #[test]
    fn file_stems_from_names() {
        assert_eq!(
            rule_file_stem("Monitor AWS Credential abuse or hijacking", "x"),
            "MonitorAWSCredentialAbuseOrHijacking"
        );
        assert_eq!(
            rule_file_stem("(Preview) SAP - Medium - Audit", "x"),
            "PreviewSAPMediumAudit"
        );
        assert_eq!(
            rule_file_stem("日本語", "3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a"),
            "3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a"
        );
        assert_eq!(rule_file_stem("nul", "x"), "_Nul");
    }

    #[test]
    fn sigma_file_names_of_a_run_are_distinct() {
        let mut stems = DistinctStems::default();
        stems.taken.insert("rule_name_3".into());
        let names: Vec<String> = (0..4)
            .map(|_| distinct_stem("rule_name".into(), &mut stems))
            .collect();
        assert_eq!(
            names,
            ["rule_name", "rule_name_2", "rule_name_4", "rule_name_5"]
        );
    }

    #[test]
    fn sigma_file_names() {
        assert_eq!(
            sigma_file_stem("rmm_Panorama9_netconn"),
            "rmm_panorama9_netconn"
        );
        assert_eq!(
            sigma_file_stem("PasswordSprayThenSuccess"),
            "password_spray_then_success"
        );
        assert_eq!(
            sigma_file_stem("NRT-AADHybrid Health"),
            "nrt_aadhybrid_health"
        );
        assert_eq!(sigma_file_stem("x"), "x_rule_rule");
        assert_eq!(sigma_file_stem("日本"), "sentinel_rule");
    }

    #[test]
    fn taken_names_get_a_number() {
        let mut names = OutputNames::default();
        assert_eq!(
            names.claim(PathBuf::from("a/Rule.yaml"), "x"),
            PathBuf::from("a/Rule.yaml")
        );
        assert_eq!(
            names.claim(PathBuf::from("a/rule.yaml"), "y"),
            PathBuf::from("a/rule_2.yaml")
        );
        assert_eq!(
            names.claim(PathBuf::from("a/Rule.yaml"), "z"),
            PathBuf::from("a/Rule_3.yaml")
        );
        let renamed: Vec<(&str, &Path, &str)> = names
            .renamed
            .iter()
            .map(|r| (r.file.as_str(), r.written.as_path(), r.taken_by.as_str()))
            .collect();
        assert_eq!(
            renamed,
            [
                ("y", Path::new("a/rule_2.yaml"), "x"),
                ("z", Path::new("a/Rule_3.yaml"), "x")
            ]
        );
    }
}
