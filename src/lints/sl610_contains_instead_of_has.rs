//! SL610 contains-instead-of-has: `contains` a whole term, where `has` uses the term index.

use crate::diagnostics::{Fix, Severity};
use crate::kql::ast::{BinaryOp, Expr, ExprKind, Literal};
use crate::kql::visit::{self, Visitor};
use crate::text::{Edit, Span};

use super::{Applicability, Check, FixAvailability, Lint, RuleContext, Sink};

pub static LINT: Lint = Lint {
    code: "SL610",
    name: "contains-instead-of-has",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "`contains` a whole word scans every value where `has` would use the index",
    docs: r#"## What it does
Reports `contains` (and `!contains`, `contains_cs`, `!contains_cs`) with a literal of three
or more letters and digits only: a whole term, which `has` finds through the term index
instead of scanning every value.

## Why is this bad?
`contains` reads every value of the column; `has` looks the term up. On large tables the
difference is many times the cost, on every run of the rule.

The fix is unsafe: `has` finds the term only as a whole word, so `CommandLine has "enc"`
no longer matches `-EncodedCommand`. Keep `contains` where a part of a word is meant.

## Example
```yaml
query: |
  SecurityEvent
  | where CommandLine contains "mimikatz"
```
Use instead:
```yaml
query: |
  SecurityEvent
  | where CommandLine has "mimikatz"
```
"#,
    fix: FixAvailability::Always(Applicability::Unsafe),
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((query, tree)) = ctx.query_tree() else {
        return;
    };
    let Some(text) = query.node.as_str() else {
        return;
    };
    let mut finder = Finder {
        text,
        tokens: &query.parsed.tokens,
        found: Vec::new(),
    };
    visit::walk_query(&mut finder, tree);
    for (span, operator, replacement, term) in finder.found {
        let at = query.file_span(span);
        let mut d = LINT
            .diagnostic(
                at,
                format!(
                    "`{operator} \"{term}\"` scans every value: for the whole word, `{replacement}` uses the index"
                ),
            )
            .with_help(
                "`has` matches whole words only; keep `contains` where part of a word is meant",
            );
        // Only where the operator is written as it is in the file (one run of the value).
        if ctx.slice(at) == operator {
            d = d.with_fix(Fix::unsafe_(
                format!("Use `{replacement}`"),
                vec![Edit::replace(at, replacement)],
            ));
        }
        sink.push(d);
    }
}

struct Finder<'t> {
    text: &'t str,
    /// The query's tokens: the operator is the token between the operands (a comment
    /// there may name it too).
    tokens: &'t [crate::kql::lexer::Token],
    found: Vec<(Span, &'static str, &'static str, String)>,
}

impl<'q> Visitor<'q> for Finder<'_> {
    fn expr(&mut self, expr: &'q Expr) {
        if let ExprKind::Binary {
            op: BinaryOp::String(op),
            left,
            right,
        } = &expr.kind
            && let Some(replacement) = match op.0 {
                "contains" => Some("has"),
                "!contains" => Some("!has"),
                "contains_cs" => Some("has_cs"),
                "!contains_cs" => Some("!has_cs"),
                _ => None,
            }
            && let ExprKind::Literal(Literal::String { value, .. }) = &right.kind
            && value.len() >= 3
            && value.bytes().all(|b| b.is_ascii_alphanumeric())
            && let Some(token) = self.tokens.iter().find(|t| {
                let (start, end) = (t.start as usize, t.end as usize);
                start >= left.span.end
                    && end <= right.span.start
                    && self.text.get(start..end) == Some(op.0)
            })
        {
            let start = token.start as usize;
            self.found.push((
                Span::new(start, start + op.0.len()),
                op.0,
                replacement,
                value.clone(),
            ));
        }
        visit::walk_expr(self, expr);
    }
}
