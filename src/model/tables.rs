//! The tables and functions a rule's query may read: the schemas the Azure-Sentinel CI
//! validates against and newer Microsoft Learn tables (embedded reference data), the tables
//! a user declares (`[schema]` in `sentinel-lint.toml`), and Kusto's built-in functions, as
//! a [`Catalog`] for the KQL analysis.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::kql::columns::{AggregateName, Catalog, Column, Function, Table};
use crate::reference;

/// The embedded schemas, and the user's tables on top of them.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// Declared tables by name: their columns (a declared table replaces an embedded one).
    user: BTreeMap<String, Vec<Column>>,
    /// Declared functions by name: their result (columns, or not known).
    functions: BTreeMap<String, Function>,
    /// Declared watchlists by alias: what `_GetWatchlist('alias')` returns.
    watchlists: BTreeMap<String, Vec<Column>>,
}

/// The columns `_GetWatchlist` returns besides the watchlist's own.
const WATCHLIST_COLUMNS: [(&str, &str); 4] = [
    ("_DTItemId", "string"),
    ("LastUpdatedTimeUTC", "datetime"),
    ("SearchKey", "string"),
    ("WatchlistItem", "dynamic"),
];

impl Tables {
    /// The embedded schemas and these tables: name -> (column, type).
    pub fn with_user_tables(tables: BTreeMap<String, Vec<(String, String)>>) -> Self {
        let user = tables
            .into_iter()
            .map(|(name, columns)| {
                let mut columns: Vec<Column> = columns
                    .into_iter()
                    .map(|(c, t)| Column::new(c, t.to_ascii_lowercase()))
                    .collect();
                for (column, kind) in reference::standard_columns(&name) {
                    if !columns.iter().any(|c| c.name == column) {
                        columns.push(Column::new(column, kind));
                    }
                }
                (name, columns)
            })
            .collect();
        Tables {
            user,
            ..Tables::default()
        }
    }

    /// Declare a function of the workspace: its result columns when known (a declared
    /// function replaces an embedded one).
    pub fn add_function(&mut self, name: String, result: Option<Vec<(String, String)>>) {
        let function = match result {
            Some(columns) => Function::Tabular(
                columns
                    .into_iter()
                    .map(|(c, t)| Column::new(c, t.to_ascii_lowercase()))
                    .collect(),
            ),
            None => Function::Opaque,
        };
        self.functions.insert(name, function);
    }

    /// Declare a watchlist: its alias and columns.
    pub fn add_watchlist(&mut self, alias: String, columns: Vec<(String, String)>) {
        let mut all: Vec<Column> = WATCHLIST_COLUMNS
            .iter()
            .map(|&(c, t)| Column::new(c, t))
            .collect();
        for (column, kind) in columns {
            if !all.iter().any(|c| c.name == column) {
                all.push(Column::new(column, kind.to_ascii_lowercase()));
            }
        }
        self.watchlists.insert(alias, all);
    }
}

/// `name:type,name:type` -> columns (borrowing the embedded text: no copies).
fn columns(encoded: &'static str) -> Vec<Column> {
    encoded
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| {
            let (name, kind) = c.rsplit_once(':').unwrap_or((c, ""));
            Column::new(name, kind)
        })
        .collect()
}

impl Catalog for Tables {
    fn table(&self, name: &str) -> Option<Table> {
        if let Some(columns) = self.user.get(name) {
            return Some(Table::Columns(columns.clone()));
        }
        // Columns are trusted when the Azure-Sentinel CI knows the table (with the newer
        // columns other sources add); a table only Microsoft Learn describes is known, but
        // its columns are second-hand.
        // Each table's columns are read from the embedded text once per run.
        static READ: OnceLock<Vec<OnceLock<Vec<Column>>>> = OnceLock::new();
        let read = READ.get_or_init(|| {
            (0..reference::table_count())
                .map(|_| OnceLock::new())
                .collect()
        });
        reference::table_columns(name).map(|(i, ci, encoded)| match ci {
            // Every Azure resource adds its own columns to AzureDiagnostics.
            true if name != "AzureDiagnostics" => {
                Table::Columns(read[i].get_or_init(|| columns(encoded)).clone())
            }
            _ => Table::Open,
        })
    }

    fn function_call(&self, name: &str, first_argument: &str) -> Option<Function> {
        match self.watchlists.get(first_argument) {
            Some(columns) if name == "_GetWatchlist" => Some(Function::Tabular(columns.clone())),
            _ => self.function(name),
        }
    }

    fn function(&self, name: &str) -> Option<Function> {
        if let Some(function) = self.functions.get(name) {
            return Some(function.clone());
        }
        // A watchlist's columns are those of its file, beyond the function's own.
        if name == "_GetWatchlist" {
            return Some(Function::Opaque);
        }
        if let Some((_, result)) = reference::function_schema(name) {
            return Some(Function::Tabular(columns(result)));
        }
        if reference::is_asim_parser(name) {
            return Some(Function::Opaque);
        }
        if let Some((kind, prefix)) = reference::aggregate(name) {
            return Some(Function::Aggregate(match (kind, prefix) {
                ("PrefixAndFirstArgument", Some(prefix)) => {
                    AggregateName::PrefixAndFirstArgument(prefix)
                }
                _ => AggregateName::Other,
            }));
        }
        reference::is_builtin_function(name).then_some(Function::Scalar)
    }

    fn table_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.user.keys().map(String::as_str).collect();
        names.extend(reference::table_names().map(|n| -> &str { n }));
        names
    }
}
