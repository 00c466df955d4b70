//! SL608 search-all-tables: `search` or `find` without `in`, or `union *`, reads every
//! table of the workspace.

use crate::diagnostics::Severity;
use crate::kql::ast::{Expr, ExprKind, Operator, OperatorKind};
use crate::kql::visit::{self, Visitor};
use crate::text::Span;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL608",
    name: "search-all-tables",
    severity: Severity::Warning,
    hunting_severity: None,
    summary: "The query searches every table of the workspace (`search`, `find` or `union *`)",
    docs: r#"## What it does
Reports `search` and `find` at the start of a query without `in (Table, ...)`, and `union *`:
each reads every table of the workspace.

## Why is this bad?
The query scans every table the workspace has, on every run: it is slow, costly, may time
out, and its result changes whenever a table is added. A rule knows which tables hold what
it looks for.

## Example
```yaml
query: |
  search "mimikatz"
```
Use instead:
```yaml
query: |
  search in (SecurityEvent, DeviceProcessEvents) "mimikatz"
```
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((query, tree)) = ctx.query_tree() else {
        return;
    };
    let mut finder = Finder {
        text: query.node.as_str().unwrap_or_default(),
        found: Vec::new(),
    };
    visit::walk_query(&mut finder, tree);
    for (span, what) in finder.found {
        sink.push(
            LINT.diagnostic(
                query.file_span(span),
                format!("{what} reads every table of the workspace"),
            )
            .with_help("name the tables: `search in (Table, ...)`, `union Table1, Table2`"),
        );
    }
}

struct Finder<'t> {
    /// The query's text, where the operators' keywords are.
    text: &'t str,
    found: Vec<(Span, &'static str)>,
}

impl<'q> Visitor<'q> for Finder<'_> {
    fn expr(&mut self, expr: &'q Expr) {
        if let ExprKind::Source(operator) = &expr.kind {
            let keyword = Operator::keyword_span(operator.span, self.text);
            match &operator.kind {
                OperatorKind::Search { tables, .. } if tables.is_empty() => {
                    self.found.push((keyword, "`search` without `in`"));
                }
                OperatorKind::Find { tables, .. } if tables.is_empty() => {
                    self.found.push((keyword, "`find` without `in`"));
                }
                _ => {}
            }
        }
        visit::walk_expr(self, expr);
    }

    fn operator(&mut self, operator: &'q Operator) {
        if let OperatorKind::Union { sources, .. } = &operator.kind {
            for source in sources {
                if matches!(&source.kind, ExprKind::Wildcard(p) if p == "*") {
                    self.found.push((source.span, "`union *`"));
                }
            }
        }
        visit::walk_operator(self, operator);
    }
}
