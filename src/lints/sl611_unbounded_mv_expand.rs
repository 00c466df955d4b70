//! SL611 unbounded-mv-expand: `mv-expand` without `limit` of an array the query built
//! without a size bound.

use crate::diagnostics::Severity;
use crate::kql::ast::{Expr, ExprKind, NamedExpr, Operator, OperatorKind};
use crate::kql::visit::{self, Visitor};
use crate::text::Span;

use super::{Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL611",
    name: "unbounded-mv-expand",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "`mv-expand` without `limit` of an array the query built without a size bound",
    docs: r#"## What it does
Reports `mv-expand` without a `limit` clause of an array the query itself built without a
bound: `make_list`, `make_set`, `make_bag` (and their `_if` forms) without their size
argument, `split`, `extract_all` — directly or through the column it named. Arrays of the
data (`TargetResources`, `modifiedProperties`) are small by the service's design and are
not reported.

## Why is this bad?
`mv-expand` makes a row of every element. An aggregate gathers as many values as the data
has (up to 1,048,576), so expanding it again multiplies the rows by the size of the data:
the query may time out or hit memory limits, on the busiest day first. A `limit` (or the
aggregate's size argument) bounds it.

## Example
```yaml
query: |
  SigninLogs
  | summarize IPs = make_set(IPAddress) by UserPrincipalName
  | mv-expand IPs
```
Use instead:
```yaml
query: |
  SigninLogs
  | summarize IPs = make_set(IPAddress, 100) by UserPrincipalName
  | mv-expand IPs limit 100
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
        built: Vec::new(),
        found: Vec::new(),
    };
    visit::walk_query(&mut finder, tree);
    for (span, what) in finder.found {
        sink.push(
            LINT.diagnostic(
                query.file_span(span),
                format!("`mv-expand` of {what} has no `limit`: the data decides how many rows each row becomes"),
            )
                .with_help("add `limit N` with the most elements one value should expand to"),
        );
    }
}

/// Whether a call builds an array whose size the data decides: an aggregate without its
/// size argument, `split`, `extract_all`.
fn unbounded(call: &Expr) -> bool {
    let ExprKind::Call { callee, arguments } = &call.kind else {
        return false;
    };
    let Some(name) = callee.as_name() else {
        return false;
    };
    let bounded_at = match name.text.as_str() {
        "make_list" | "make_set" | "make_bag" | "make_list_with_nulls" | "makelist" | "makeset" => {
            2
        }
        "make_list_if" | "make_set_if" | "make_bag_if" => 3,
        "split" | "extract_all" => usize::MAX,
        _ => return false,
    };
    arguments.len() < bounded_at
}

struct Finder<'t> {
    /// The query's text, where the operators' keywords are.
    text: &'t str,
    /// Columns the query made with an unbounded array builder.
    built: Vec<String>,
    /// Where, and what is expanded.
    found: Vec<(Span, String)>,
}

impl<'q> Visitor<'q> for Finder<'_> {
    fn named_expr(&mut self, named: &'q NamedExpr) {
        if let [name] = named.names.as_slice()
            && unbounded(&named.value)
        {
            self.built.push(name.text.clone());
        }
        visit::Visitor::expr(self, &named.value);
    }

    fn operator(&mut self, operator: &'q Operator) {
        if let OperatorKind::MvExpand {
            items, limit: None, ..
        } = &operator.kind
        {
            let built = items.iter().find_map(|item| match &item.value.value.kind {
                ExprKind::Name(name) if self.built.contains(&name.text) => {
                    Some(format!("`{}` (gathered without a size)", name.text))
                }
                ExprKind::Call { callee, .. } if unbounded(&item.value.value) => {
                    let name = callee.as_name().map_or("", |n| n.text.as_str());
                    Some(format!("`{name}()`"))
                }
                _ => None,
            });
            if let Some(what) = built {
                self.found
                    .push((Operator::keyword_span(operator.span, self.text), what));
            }
        }
        visit::walk_operator(self, operator);
    }
}
