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
}

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
        Tables { user }
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

    fn function(&self, name: &str) -> Option<Function> {
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
