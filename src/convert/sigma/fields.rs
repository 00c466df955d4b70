//! Tables -> Sigma log sources, columns -> Sigma fields (tables in `reference::sigma_tables`,
//! the inverse of pySigma-backend-kusto's mappings).

use super::model::Logsource;
use crate::reference::{self, SigmaTable, SigmaTableFields};

/// How the columns of one table become Sigma fields.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    table: Option<&'static SigmaTable>,
}

/// The Sigma field of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    Field(String),
    /// The column holds a file name; the field holds the whole path (`FileName` ->
    /// `Image`), so `== 'x.exe'` is `|endswith: '\x.exe'`.
    Basename(String),
}

impl Mapped {
    pub fn field(&self) -> &str {
        match self {
            Mapped::Field(f) | Mapped::Basename(f) => f,
        }
    }
}

impl FieldMap {
    pub fn for_table(table: &str) -> FieldMap {
        FieldMap {
            table: reference::sigma_table(table),
        }
    }

    /// The table's own columns as fields, under a log source named after it.
    pub fn own_columns() -> FieldMap {
        FieldMap { table: None }
    }

    /// The fields of the log source in the SigmaHQ taxonomy; `None` when it lists none.
    pub fn taxonomy(&self) -> Option<&'static [&'static str]> {
        let table = self.table?;
        reference::sigma_taxonomy_fields(table.product, table.category, table.service)
    }

    /// Is the table one with a Sigma log source of its own?
    pub fn is_known(&self) -> bool {
        self.table.is_some()
    }

    /// The field of a column; `None` when the log source's taxonomy has none for it.
    pub fn field(&self, column: &str) -> Option<Mapped> {
        let Some(table) = self.table else {
            // A custom log source: the table's own column names.
            return Some(Mapped::Field(column.to_owned()));
        };
        if let Some((_, field)) = table.basename_fields.iter().find(|(c, _)| *c == column) {
            return Some(Mapped::Basename((*field).to_owned()));
        }
        match table.fields {
            SigmaTableFields::Native => Some(Mapped::Field(column.to_owned())),
            SigmaTableFields::Mapped(pairs) => pairs
                .binary_search_by(|(c, _)| (*c).cmp(column))
                .ok()
                .map(|i| Mapped::Field(pairs[i].1.to_owned())),
        }
    }

    /// The log source of a table: its Sigma one, or a custom one named after the table.
    pub fn logsource(&self, table: &str) -> Logsource {
        match self.table {
            Some(t) => Logsource {
                category: t.category.map(str::to_owned),
                product: t.product.map(str::to_owned),
                service: t.service.map(str::to_owned),
            },
            None => Logsource {
                category: None,
                product: Some(custom_product(table).to_owned()),
                service: Some(table.to_ascii_lowercase()),
            },
        }
    }
}

/// The product of a table without a Sigma log source: the Defender XDR advanced hunting
/// tables, or the Log Analytics tables of Microsoft Sentinel.
fn custom_product(table: &str) -> &'static str {
    const DEFENDER: [&str; 8] = [
        "Device",
        "Email",
        "Identity",
        "CloudAppEvents",
        "Alert",
        "UrlClickEvents",
        "BehaviorEntities",
        "BehaviorInfo",
    ];
    if DEFENDER.iter().any(|p| table.starts_with(p)) {
        "m365_defender"
    } else {
        "azure_monitor"
    }
}
