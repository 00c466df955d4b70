//! SL215 markdown-fence: the query is wrapped in a Markdown code fence.

use crate::diagnostics::{Applicability, Fix, Severity};

use crate::text::{Edit, Span};

use super::{Check, FixAvailability, Lint, RuleContext, ScalarStyle, Sink, scalar_style};

pub static LINT: Lint = Lint {
    code: "SL215",
    name: "markdown-fence",
    severity: Severity::Error,
    hunting_severity: None,
    summary: "The query is wrapped in a Markdown code fence (```kusto ... ```)",
    docs: r#"## What it does
Finds a `query` whose first line is a Markdown code fence (three backticks, optionally
followed by a language such as `kusto` or `kql`) or whose last line is a closing fence.

## Why is this bad?
The backticks become part of the KQL: the query does not run, and the Azure-Sentinel KQL
validation (which covers hunting queries too) fails. It happens when a query is copied from documentation or a chat (the
stored copies of the Remote Management and Monitoring queries have it).

## Example
````yaml
query: |
  ```kusto
  DeviceNetworkEvents
  | where RemoteUrl has "example.com"
  ```
````
Use instead:
```yaml
query: |
  DeviceNetworkEvents
  | where RemoteUrl has "example.com"
```

## Fix
Deletes the fence lines (safe).
"#,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    check: Check::Rule(check),
};

/// Whether a line is a Markdown fence: three or more backticks, then at most a language.
fn is_fence(line: &str) -> bool {
    let line = line.trim();
    let ticks = line.len() - line.trim_start_matches('`').len();
    ticks >= 3
        && line[ticks..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn check(ctx: &RuleContext<'_>, sink: &mut Sink) {
    let Some(query) = ctx.get("query") else {
        return;
    };
    let Some(text) = query.as_str() else { return };
    let first = text.lines().find(|l| !l.trim().is_empty());
    let last = text.lines().rev().find(|l| !l.trim().is_empty());
    let opens = first.is_some_and(is_fence);
    let closes =
        last.is_some_and(is_fence) && text.lines().filter(|l| !l.trim().is_empty()).count() > 1;
    if !opens && !closes {
        return;
    }
    // In a block scalar the fence lines are whole lines of the file: find and delete them.
    let source = ctx.slice(query.span);
    let mut edits = Vec::new();
    let mut span = query.span;
    if scalar_style(source) == ScalarStyle::Block {
        let lines: Vec<(usize, &str)> = source
            .split_inclusive('\n')
            .scan(query.span.start, |at, line| {
                let start = *at;
                *at += line.len();
                Some((start, line))
            })
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        let mut fence_lines = Vec::new();
        if opens && let Some(&(at, line)) = lines.first() {
            fence_lines.push((at, line));
        }
        if closes && let Some(&(at, line)) = lines.last() {
            fence_lines.push((at, line));
        }
        for (i, &(at, line)) in fence_lines.iter().enumerate() {
            let whole = ctx.file.full_line_span(at);
            if i == 0 {
                let content = line.trim_end_matches(['\r', '\n']);
                let indent = content.len() - content.trim_start().len();
                span = Span::new(at + indent, at + content.len());
            }
            edits.push(Edit::delete(whole));
        }
    }
    let which = match (opens, closes) {
        (true, true) => "wrapped in a Markdown code fence",
        (true, false) => "starts with a Markdown code fence",
        _ => "ends with a Markdown code fence",
    };
    let mut d = LINT
        .diagnostic(
            span,
            format!("the query is {which}; the backticks become part of the KQL"),
        )
        .with_pointer("/query")
        .with_help("remove the ``` lines; the query starts with its first table or `let`");
    if !edits.is_empty() {
        d = d.with_fix(Fix::safe("Remove the fence lines", edits));
    }
    sink.push(d);
}

#[cfg(test)]
mod tests {
    #[test]
    fn fences() {
        assert!(super::is_fence("```kusto"));
        assert!(super::is_fence("  ```"));
        assert!(super::is_fence("````kql"));
        assert!(!super::is_fence("`` x"));
        assert!(!super::is_fence("| where x == '```'"));
    }
}
