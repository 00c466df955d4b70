//! `sentinel-lint.toml`: which lints run, at which level, for which files.
//!
//! ```toml
//! select = ["SL"]                 # lint codes, names or code prefixes (all when absent)
//! ignore = ["SL108"]
//! exclude = ["Sample Data/**"]    # globs, relative to this file
//!
//! [lints]                         # per lint: "off", "info", "warning" or "error"
//! non-ascii = "off"
//! SL212 = "error"
//!
//! [[overrides]]                   # for some files
//! files = ["Hunting Queries/**"]
//! ignore = ["SL306"]
//! lints = { SL204 = "warning" }
//! ```
//!
//! The file is found in the working folder or above it, or given with `--config`. Unknown
//! keys, unknown lints and bad globs are errors with their line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::diagnostics::Severity;
use crate::lints;

use crate::model::declared::{Declared, LineEnding};
use crate::model::tables::Tables;
use crate::text::LineIndex;

/// The names the configuration file may have, in the order they are looked for.
pub const FILE_NAMES: [&str; 2] = ["sentinel-lint.toml", ".sentinel-lint.toml"];

/// The configuration file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "sentinel-lint configuration (sentinel-lint.toml)")]
pub struct ConfigFile {
    /// Only these lints: codes (`SL102`), names (`misindented-key`) or code prefixes (`SL1`).
    /// All lints when absent.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<toml::Spanned<String>>>,
    /// Never these lints: codes, names or code prefixes.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore: Vec<toml::Spanned<String>>,
    /// Files and folders not checked: globs relative to the configuration file
    /// (`Sample Data/**`). Files named on the command line are checked anyway, unless
    /// `--force-exclude`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<toml::Spanned<String>>,
    /// The level of lints, by code, name or code prefix.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Level>")]
    pub lints: IndexMap<toml::Spanned<String>, Level>,
    /// Settings for some files.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Tables of your workspace that the embedded schemas do not have (custom tables), so
    /// that queries over them are checked too.
    #[serde(default)]
    pub schema: SchemaConfig,
    /// Data connector ids that are valid besides the embedded list of the Azure-Sentinel
    /// repository: those your own solutions define (`["ContosoAuditPoller"]`).
    #[serde(default, rename = "connector-ids")]
    #[schemars(rename = "connector-ids", with = "Vec<String>")]
    pub connector_ids: Vec<toml::Spanned<String>>,
    /// A baseline file (relative to this file): findings it holds are not reported
    /// (`check --write-baseline FILE` writes one).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub baseline: Option<toml::Spanned<String>>,
    /// The line ending every rule file must use, `"lf"` or `"crlf"` (`line-endings`
    /// reports and fixes the others). Without it, a file may use either, but not both.
    #[serde(default, rename = "line-endings")]
    #[schemars(rename = "line-endings")]
    pub line_endings: Option<LineEnding>,
    /// Settings of `convert --to sigma`.
    #[serde(default)]
    pub sigma: SigmaConfig,
}

/// `[sigma]`: settings of `convert --to sigma`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SigmaConfig {
    /// The author of the Sigma rules when a rule's `metadata.author.name` does not name one
    /// (`--author` overrides both).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub author: Option<toml::Spanned<String>>,
}

/// `[schema]`: tables declared by the user.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    /// Table schema files (globs relative to this file), in the Azure-Sentinel CustomTables
    /// shape (`{"Name": ..., "Properties": [{"Name": ..., "Type": ...}]}`) or the Log Analytics
    /// one (`{"name": ..., "columns": [{"name": ..., "type": ...}]}`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<toml::Spanned<String>>,
    /// Tables by name: their columns and Kusto types (`[schema.tables.MyApp_CL]`,
    /// `User_s = "string"`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, IndexMap<String, String>>")]
    pub tables: IndexMap<toml::Spanned<String>, IndexMap<String, toml::Spanned<String>>>,
    /// Functions of your workspace (parsers, saved functions) by name
    /// (`[schema.functions.MyParser]`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FunctionConfig>")]
    pub functions: IndexMap<toml::Spanned<String>, FunctionConfig>,
    /// Watchlists by alias: their columns and Kusto types (`[schema.watchlists.VIPUsers]`,
    /// `UserPrincipalName = "string"`). `_GetWatchlist('VIPUsers')` returns them and
    /// `_DTItemId`, `LastUpdatedTimeUTC`, `SearchKey`, `WatchlistItem`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, IndexMap<String, String>>")]
    pub watchlists: IndexMap<toml::Spanned<String>, IndexMap<String, toml::Spanned<String>>>,
}

/// A function of the workspace: what it returns, as columns or as the KQL of its body.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfig {
    /// Its parameters and their Kusto types, in order (`starttime = "datetime"`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub parameters: IndexMap<String, toml::Spanned<String>>,
    /// Its result columns and their Kusto types.
    #[serde(default)]
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub columns: Option<IndexMap<String, toml::Spanned<String>>>,
    /// Its body in KQL: when `columns` is not given, the result columns are worked out
    /// from it (against the tables known, and the functions declared before it).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub body: Option<toml::Spanned<String>>,
}

/// Settings for the files matching `files`, on top of the others.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs relative to the configuration file.
    #[schemars(with = "Vec<String>")]
    pub files: Vec<toml::Spanned<String>>,
    /// More lints never run for these files.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore: Vec<toml::Spanned<String>>,
    /// Lint levels for these files.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Level>")]
    pub lints: IndexMap<toml::Spanned<String>, Level>,
}

/// What a lint reports as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not at all.
    Off,
    Info,
    #[serde(alias = "warn")]
    Warning,
    Error,
}

/// A problem in the configuration file, with its place.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Which lints report, and at which level, for one file.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these (codes, names or code prefixes); all when empty.
    pub select: Vec<String>,
    /// Never these.
    pub ignore: Vec<String>,
    /// Levels by code, name or prefix; a later entry wins.
    pub levels: Vec<(String, Level)>,
}

impl Selection {
    /// The severity a finding of this lint is reported with, or `None` when it is not.
    pub fn decide(&self, code: &str, severity: Severity) -> Option<Severity> {
        match lints::find(code) {
            Some(lint) => self.decide_lint(lint, severity),
            None => Some(severity),
        }
    }

    /// [`Self::decide`] for a lint at hand (no search of the registry by code).
    pub fn decide_lint(&self, lint: &lints::Lint, severity: Severity) -> Option<Severity> {
        if !(self.select.is_empty() || self.select.iter().any(|s| lint.matches(s)))
            || self.ignore.iter().any(|s| lint.matches(s))
        {
            return None;
        }
        match self
            .levels
            .iter()
            .rev()
            .find(|(s, _)| lint.matches(s))
            .map(|(_, l)| *l)
        {
            None => Some(severity),
            Some(Level::Off) => None,
            Some(Level::Info) => Some(Severity::Info),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
        }
    }
}

/// The settings of a run: the configuration file (if any) with the command line on top.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub base: Selection,
    /// The folder of the configuration file: globs are relative to it.
    pub root: PathBuf,
    exclude: Option<GlobSet>,
    overrides: Vec<(GlobSet, Selection)>,
    /// What the file declares: tables (the embedded schemas and `[schema]`), connector ids,
    /// line endings.
    pub declared: Declared,
    /// The baseline file the configuration names (`baseline`), resolved against its folder.
    pub baseline: Option<PathBuf>,
    /// `[sigma] author`.
    pub sigma_author: Option<String>,
}

impl Settings {
    /// The selection for one file.
    pub fn selection_for(&self, path: &Path) -> std::borrow::Cow<'_, Selection> {
        if self.overrides.is_empty() {
            return std::borrow::Cow::Borrowed(&self.base);
        }
        let relative = self.relative(path);
        let mut matching = self
            .overrides
            .iter()
            .filter(|(globs, _)| globs.is_match(&relative))
            .peekable();
        if matching.peek().is_none() {
            return std::borrow::Cow::Borrowed(&self.base);
        }
        let mut selection = self.base.clone();
        for (_, extra) in matching {
            selection.ignore.extend(extra.ignore.iter().cloned());
            selection.levels.extend(extra.levels.iter().cloned());
        }
        std::borrow::Cow::Owned(selection)
    }

    /// Is the file excluded by the configuration?
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|globs| {
            let relative = self.relative(path);
            globs.is_match(&relative)
                || relative
                    .ancestors()
                    .skip(1)
                    .any(|a| !a.as_os_str().is_empty() && globs.is_match(a))
        })
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let absolute = crate::files::input::normalize(&absolute);
        absolute
            .strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or(absolute)
    }
}

/// The configuration file for a run: `explicit`, else the first of [`FILE_NAMES`] in the
/// working folder or a folder above it.
pub fn find(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
}

/// The settings of the configuration file `explicit`, else of the one found from the working
/// folder up; the defaults when there is none or with `isolated`.
pub fn settings(explicit: Option<&Path>, isolated: bool) -> Result<Settings, ConfigError> {
    match find(explicit).filter(|_| !isolated) {
        Some(path) => load(&path),
        None => Ok(Settings::default()),
    }
}

/// A configuration file larger than this is not read (real ones are a few hundred bytes).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Read a configuration file.
pub fn load(path: &Path) -> Result<Settings, ConfigError> {
    let display = path.display().to_string();
    let text = crate::files::input::read_text(path, MAX_CONFIG_BYTES).map_err(|e| ConfigError {
        path: display.clone(),
        line: 1,
        column: 1,
        message: format!("cannot read it: {e}"),
    })?;
    let root = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|p| std::fs::canonicalize(p).ok())
        .unwrap_or_default();
    parse(&text, &display, root)
}

/// Parse a configuration text (`path` for messages, `root` for globs).
pub fn parse(text: &str, path: &str, root: PathBuf) -> Result<Settings, ConfigError> {
    let lines = LineIndex::new(text);
    let error = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = lines.line_col(text, span.start.min(text.len()));
        ConfigError {
            path: path.to_owned(),
            line,
            column,
            message,
        }
    };
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        error(span, e.message().to_owned())
    })?;
    let selector = |s: &toml::Spanned<String>| -> Result<String, ConfigError> {
        if lints::is_known_selector(s.get_ref()) {
            Ok(s.get_ref().clone())
        } else {
            Err(error(
                s.span(),
                format!(
                    "`{}` is not a lint code, name or code prefix (see `sentinel-lint explain`)",
                    s.get_ref()
                ),
            ))
        }
    };
    let selectors = |list: &[toml::Spanned<String>]| -> Result<Vec<String>, ConfigError> {
        list.iter().map(selector).collect()
    };
    let levels = |map: &IndexMap<toml::Spanned<String>, Level>| {
        map.iter()
            .map(|(key, level)| selector(key).map(|s| (s, *level)))
            .collect::<Result<Vec<_>, ConfigError>>()
    };
    let globs = |list: &[toml::Spanned<String>]| -> Result<GlobSet, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in list {
            let glob = Glob::new(pattern.get_ref())
                .map_err(|e| error(pattern.span(), format!("bad glob: {e}")))?;
            builder.add(glob);
        }
        builder
            .build()
            .map_err(|e| error(0..0, format!("bad globs: {e}")))
    };
    let base = Selection {
        select: match &file.select {
            Some(list) => selectors(list)?,
            None => Vec::new(),
        },
        ignore: selectors(&file.ignore)?,
        levels: levels(&file.lints)?,
    };
    let mut overrides = Vec::new();
    for o in &file.overrides {
        overrides.push((
            globs(&o.files)?,
            Selection {
                select: Vec::new(),
                ignore: selectors(&o.ignore)?,
                levels: levels(&o.lints)?,
            },
        ));
    }
    let declared = Declared {
        tables: user_tables(&file.schema, &root, &error)?,
        connector_ids: file
            .connector_ids
            .iter()
            .map(|id| id.get_ref().trim().to_owned())
            .collect(),
        line_endings: file.line_endings,
        previous: Default::default(),
    };
    let baseline = file.baseline.as_ref().map(|b| root.join(b.get_ref()));
    let sigma_author = match &file.sigma.author {
        Some(author) if author.get_ref().trim().is_empty() => {
            return Err(error(author.span(), "`author` is empty".into()));
        }
        Some(author) => Some(author.get_ref().trim().to_owned()),
        None => None,
    };
    Ok(Settings {
        sigma_author,
        baseline,
        base,
        root,
        exclude: (!file.exclude.is_empty())
            .then(|| globs(&file.exclude))
            .transpose()?,
        overrides,
        declared,
    })
}

/// Kusto's scalar types, as `[schema]` may name them.
const KUSTO_TYPES: [&str; 10] = [
    "string", "int", "long", "real", "decimal", "bool", "datetime", "timespan", "dynamic", "guid",
];

/// The tables of `[schema]`: inline ones, then those of the files (a later one of a name
/// replaces an earlier one).
fn user_tables(
    schema: &SchemaConfig,
    root: &Path,
    error: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
) -> Result<Tables, ConfigError> {
    let typed = |columns: &IndexMap<String, toml::Spanned<String>>| {
        let mut list = Vec::new();
        for (column, kind) in columns {
            let lower = kind.get_ref().to_ascii_lowercase();
            if !KUSTO_TYPES.contains(&lower.as_str()) {
                return Err(error(
                    kind.span(),
                    format!(
                        "`{}` is not a Kusto type ({})",
                        kind.get_ref(),
                        KUSTO_TYPES.join(", ")
                    ),
                ));
            }
            list.push((column.clone(), lower));
        }
        Ok(list)
    };
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (name, columns) in &schema.tables {
        tables.insert(name.get_ref().clone(), typed(columns)?);
    }
    for pattern in &schema.files {
        let glob = Glob::new(pattern.get_ref())
            .map_err(|e| error(pattern.span(), format!("bad glob: {e}")))?
            .compile_matcher();
        // From the folder the glob names before its first wildcard; hidden folders
        // (`.script/...`) and ignored files are walked too: the glob says what to read.
        let literal: PathBuf = Path::new(pattern.get_ref())
            .components()
            .take_while(|c| {
                !c.as_os_str()
                    .to_string_lossy()
                    .contains(['*', '?', '[', '{'])
            })
            .collect();
        let base = root.join(&literal);
        let base = if base.is_dir() {
            base
        } else {
            root.to_path_buf()
        };
        let walker = ignore::WalkBuilder::new(&base)
            .standard_filters(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        let mut matched = 0;
        for entry in walker {
            let entry = entry.map_err(|e| error(pattern.span(), e.to_string()))?;
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let file = entry.path();
            let relative = file.strip_prefix(root).unwrap_or(file);
            if !glob.is_match(relative) {
                continue;
            }
            matched += 1;
            let (name, columns) = table_file(file)
                .map_err(|e| error(pattern.span(), format!("{}: {e}", file.display())))?;
            tables.insert(name, columns);
        }
        if matched == 0 {
            return Err(error(pattern.span(), "no file matches this glob".into()));
        }
    }
    let mut tables = Tables::with_user_tables(tables);
    for (alias, columns) in &schema.watchlists {
        tables.add_watchlist(alias.get_ref().clone(), typed(columns)?);
    }
    for (name, function) in &schema.functions {
        let parameters = typed(&function.parameters)?;
        let result = match (&function.columns, &function.body) {
            (Some(columns), _) => Some(typed(columns)?),
            (None, Some(body)) => function_result(&parameters, body, &tables, &error)?,
            (None, None) => None,
        };
        tables.add_function(name.get_ref().clone(), result);
    }
    Ok(tables)
}

/// The result columns of a declared function's body, when they are known.
fn function_result(
    parameters: &[(String, String)],
    body: &toml::Spanned<String>,
    tables: &Tables,
    error: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
) -> Result<Option<Vec<(String, String)>>, ConfigError> {
    use crate::kql::columns::{Schema, analyze};
    // The parameters are the body's query parameters.
    let declared: Vec<String> = parameters.iter().map(|(n, t)| format!("{n}:{t}")).collect();
    let prefix = if declared.is_empty() {
        String::new()
    } else {
        format!("declare query_parameters({});\n", declared.join(", "))
    };
    let text = format!("{prefix}{}", body.get_ref());
    let parsed = crate::kql::parse(&text);
    if let Some(e) = parsed.errors.first() {
        let offset = e
            .span
            .start
            .saturating_sub(prefix.len())
            .min(body.get_ref().len());
        let lines = LineIndex::new(body.get_ref());
        let (line, column) = lines.line_col(body.get_ref(), offset);
        return Err(error(
            body.span(),
            format!(
                "the body does not parse: {} (line {line}, column {column} of the body)",
                e.message
            ),
        ));
    }
    Ok(match analyze(&parsed.query, tables).result {
        Schema::Closed(columns) => Some(
            columns
                .into_iter()
                .map(|c| (c.name.into_owned(), c.kind.into_owned()))
                .collect(),
        ),
        Schema::Open { .. } => None,
    })
}

/// A table schema file: its table's name and columns.
fn table_file(path: &Path) -> Result<(String, Vec<(String, String)>), String> {
    let text = crate::files::input::read_text(path, MAX_CONFIG_BYTES).map_err(|e| e.to_string())?;
    let json: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
    let field = |keys: [&str; 2]| keys.iter().find_map(|k| json.get(*k));
    let name = field(["Name", "name"])
        .and_then(|n| n.as_str())
        .ok_or("no `Name` (or `name`) of the table")?;
    let columns = field(["Properties", "columns"])
        .or_else(|| json.get("properties"))
        .and_then(|c| c.as_array())
        .ok_or("no `Properties` (or `columns`) list of columns")?;
    let mut out = Vec::new();
    for column in columns {
        let get = |a: &str, b: &str| {
            column
                .get(a)
                .or_else(|| column.get(b))
                .and_then(|v| v.as_str())
        };
        let column_name = get("Name", "name").ok_or("a column without a name")?;
        let kind = get("Type", "type")
            .unwrap_or("dynamic")
            .to_ascii_lowercase();
        out.push((column_name.to_owned(), kind));
    }
    Ok((name.to_owned(), out))
}

/// The JSON Schema of the configuration file (for editors: taplo, Even Better TOML).
pub fn json_schema() -> serde_json::Value {
    let generator =
        schemars::SchemaGenerator::new(schemars::generate::SchemaSettings::draft2020_12());
    generator.into_root_schema_for::<ConfigFile>().to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<Settings, ConfigError> {
        parse(text, "sentinel-lint.toml", PathBuf::from("/repo"))
    }

    #[test]
    fn levels_selection_and_overrides() {
        let s = settings(
            "ignore = [\"SL108\"]\n[lints]\nnon-ascii = \"error\"\nSL2 = \"warning\"\nSL204 = \"off\"\n[[overrides]]\nfiles = [\"Hunting Queries/**\"]\nlints = { SL306 = \"off\" }\n",
        )
        .unwrap();
        assert_eq!(
            s.base.decide("SL108", Severity::Warning),
            None,
            "ignore wins over a level"
        );
        assert_eq!(
            s.base.decide("SL212", Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(s.base.decide("SL204", Severity::Error), None);
        assert_eq!(
            s.base.decide("SL306", Severity::Warning),
            Some(Severity::Warning)
        );
        let hunting = s.selection_for(Path::new("/repo/Hunting Queries/x.yaml"));
        assert_eq!(hunting.decide("SL306", Severity::Warning), None);
    }

    #[test]
    fn mistakes_are_errors_with_a_place() {
        let e = settings("select = [\"SL1\"]\ncolour = \"red\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("unknown field `colour`"), "{e}");
        let e = settings("[lints]\nSL999 = \"off\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        let e = settings("[lints]\nSL102 = \"loud\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = settings("exclude = [\"a[\"]\n").unwrap_err();
        assert!(e.message.contains("bad glob"), "{e}");
    }

    #[test]
    fn excludes_match_files_and_folders() {
        let s = settings("exclude = [\"Sample Data\", \"**/*.draft.yaml\"]\n").unwrap();
        assert!(s.is_excluded(Path::new("/repo/Sample Data/x.yaml")));
        assert!(s.is_excluded(Path::new("/repo/a/b.draft.yaml")));
        assert!(!s.is_excluded(Path::new("/repo/Detections/x.yaml")));
    }
}
