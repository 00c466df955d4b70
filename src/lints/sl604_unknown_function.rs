//! SL604 unknown-function: the query calls a function that neither Kusto nor a schema nor
//! the query itself defines.

use crate::diagnostics::Severity;
use crate::reference;

use super::{Check, FixAvailability, Lint, RuleContext, Sink, meant_name};

pub static LINT: Lint = Lint {
    code: "SL604",
    name: "unknown-function",
    severity: Severity::Info,
    hunting_severity: None,
    summary: "The query calls a function that neither Kusto nor a known schema defines",
    docs: r#"## What it does
Reports calls of functions that are not Kusto's built-in functions or aggregates, not
functions of the schemas sentinel-lint knows (ASIM parsers, `_GetWatchlist`, ...), and not
defined by a `let` of the query. It looks where the columns of the query are known, and at
the sources of pipelines.

## Why is this bad?
It is often a function of the workspace (a parser saved as a function), which is fine where
it exists; but the Azure-Sentinel CI rejects the rule unless it knows the function, and a
misspelt built-in (`tolowercase`, `isnotnull`) makes the query fail.

## Example
```yaml
query: |
  SigninLogs
  | extend User = tolowercase(UserPrincipalName)
```
Use instead: `tolower(UserPrincipalName)`.
"#,
    fix: FixAvailability::None,
    check: Check::Rule(check),
};

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some((query, analysis)) = ctx.query_columns() else {
        return;
    };
    for unknown in &analysis.unknown_functions {
        let meant = meant_name(&unknown.name, reference::function_names());
        let help = match meant {
            Some(m) => format!("did you mean `{m}`?"),
            None => "a function of the workspace is fine where it exists, but the Azure-Sentinel CI needs its definition".into(),
        };
        sink.push(
            LINT.diagnostic(
                query.file_span(unknown.span),
                format!("no schema knows a function `{}`", unknown.name),
            )
            .with_help(help),
        );
    }
}
