//! SL508 legacy-custom-entity: an old `*CustomEntity` column without an entity mapping.

use crate::diagnostics::Severity;
use crate::kql::ast::{ExprKind, NamedExpr, Query};
use crate::kql::visit::{self, Visitor};
use crate::text::Span;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, nodes_at};

pub static LINT: Lint = Lint {
    code: "SL508",
    name: "legacy-custom-entity",
    severity: Severity::Error,
    hunting_severity: Some(Severity::Warning),
    summary: "The query sets a legacy `*CustomEntity` column that no entity mapping uses",
    docs: r#"## What it does
Finds the legacy entity columns `AccountCustomEntity`, `HostCustomEntity`,
`IPCustomEntity`, `URLCustomEntity`, `ProcessCustomEntity` and `FileHashCustomEntity` in
the query, and requires an `entityMappings` field mapping with that `columnName`. Like the
Azure-Sentinel CI (`NewEntityMappingsAttribute`), it looks for the names anywhere in the
query text.

## Why is this bad?
These columns mapped entities in the old alert schema; today only `entityMappings` does.
A rule that still produces them without a mapping has lost its entities. The CI fails
("An old mapping for entity '...' does not have a matching new mapping entry.").

Where the query copies another column into the legacy one
(`extend AccountCustomEntity = UserPrincipalName`) and an entity mapping already maps that
column, the help says to remove the legacy column rather than to map it a second time.

## Example
```yaml
query: |
  SigninLogs
  | extend AccountCustomEntity = UserPrincipalName
```
Add:
```yaml
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: AccountCustomEntity
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

pub const LEGACY_COLUMNS: [&str; 6] = [
    "AccountCustomEntity",
    "HostCustomEntity",
    "IPCustomEntity",
    "URLCustomEntity",
    "ProcessCustomEntity",
    "FileHashCustomEntity",
];

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(query) = ctx.get("query") else {
        return;
    };
    let Some(text) = query.as_str() else { return };
    let mapped: Vec<&str> = nodes_at(ctx.root, "/entityMappings/*/fieldMappings/*/columnName")
        .into_iter()
        .filter_map(|(_, n)| n.as_str())
        .collect();
    let source = ctx.slice(query.span);
    for column in LEGACY_COLUMNS {
        if !text.contains(column) || mapped.contains(&column) {
            continue;
        }
        let span = source.find(column).map_or(query.span, |i| {
            Span::new(query.span.start + i, query.span.start + i + column.len())
        });
        // What the query sets it to: a column an entity mapping already maps needs no
        // second mapping, only the legacy name gone.
        let source_column = ctx
            .query_tree()
            .and_then(|(_, tree)| assigned_column(tree, column));
        let help = match source_column {
            Some(source) if mapped.contains(&source.as_str()) => format!(
                "`{column}` is `{source}`, which an entity mapping already maps: remove `{column}` from the query"
            ),
            _ => format!(
                "add an `entityMappings` entry with `columnName: {column}`, or rename the column and map it"
            ),
        };
        sink.push(
            LINT.diagnostic(
                span,
                format!("the query sets `{column}`, but no entity mapping uses that column"),
            )
            .with_severity(ctx.severity_for(&LINT))
            .with_help(help),
        );
    }
}

/// The column a query copies into `name` (`extend AccountCustomEntity = UserPrincipalName`),
/// when it does so once.
fn assigned_column(tree: &Query, name: &str) -> Option<String> {
    struct Finder<'n> {
        name: &'n str,
        sources: Vec<String>,
    }
    impl<'q> Visitor<'q> for Finder<'_> {
        fn named_expr(&mut self, named: &'q NamedExpr) {
            if let ([target], ExprKind::Name(source)) = (named.names.as_slice(), &named.value.kind)
                && target.text == self.name
            {
                self.sources.push(source.text.clone());
            }
            visit::walk_expr(self, &named.value);
        }
    }
    let mut finder = Finder {
        name,
        sources: Vec::new(),
    };
    visit::walk_query(&mut finder, tree);
    match finder.sources.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}
