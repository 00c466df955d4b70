//! Inline suppressions in YAML comments.
//!
//! ```yaml
//! # sentinel-lint: ignore[SL108] the em dash is in the vendor's product name
//! description: Detects …
//! tactics: Persistence  # sentinel-lint: ignore[scalar-list, SL302]
//! # sentinel-lint: ignore-file[SL212] descriptions of this pack are long on purpose
//! ```
//!
//! `ignore[...]` on a line of its own silences findings of those lints on the next key (the
//! key and its whole value); at the end of a line, on that line's key; `ignore-file[...]`, in
//! the whole file. Lints are named by code, name or code prefix; text after the `]` is the
//! reason. Suppressions that name no lint ([`SL801`](crate::lints::sl801_invalid_suppression))
//! and those that silence nothing ([`SL802`](crate::lints::sl802_unused_suppression)) are
//! reported.

use crate::diagnostics::{Diagnostic, Fix};

use crate::lints::{self, sl801_invalid_suppression, sl802_unused_suppression};
use crate::text::LineIndex;
use crate::text::{Edit, Span};
use crate::yaml::{Node, Value};

const MARKER: &str = "sentinel-lint:";

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment, from `#` to the end of the line.
    pub comment: Span,
    /// The whole line, when the comment is alone on it (what a fix deletes).
    pub own_line: Option<Span>,
    /// The lints named, with their spans.
    pub selectors: Vec<(String, Span)>,
    /// The text it applies to; `None` for the whole file.
    pub scope: Option<Span>,
}

/// Read the suppression comments of a file. Malformed ones come back as diagnostics.
pub fn parse(
    text: &str,
    lines: &LineIndex,
    documents: &[Node],
) -> (Vec<Suppression>, Vec<Diagnostic>) {
    if !text.contains(MARKER) {
        return (Vec::new(), Vec::new());
    }
    let mut scalars = Vec::new();
    for doc in documents {
        collect_scalars(doc, &mut scalars);
    }
    let inside_scalar = |offset: usize| {
        scalars
            .iter()
            .any(|s: &Span| s.start <= offset && offset < s.end)
    };
    let mut suppressions = Vec::new();
    let mut problems = Vec::new();
    for line in 0..lines.line_count() {
        let mut start = lines.line_start(line);
        let mut line_text = lines.line_text(text, line);
        if let Some(rest) = line_text.strip_prefix('\u{feff}') {
            start += '\u{feff}'.len_utf8();
            line_text = rest;
        }
        let Some(hash) = comment_start(line_text) else {
            continue;
        };
        let at = start + hash;
        let comment = &line_text[hash..];
        let body = comment.trim_start_matches('#').trim_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        if inside_scalar(at) {
            continue;
        }
        let rest_offset = at + (comment.len() - rest.len());
        let comment_span = Span::new(at, start + line_text.trim_end().len());
        let own_line = line_text[..hash].trim().is_empty();
        let trimmed = rest.trim_start();
        let lead = rest.len() - trimmed.len();
        let (file_level, after) = if let Some(a) = trimmed.strip_prefix("ignore-file[") {
            (true, a)
        } else if let Some(a) = trimmed.strip_prefix("ignore[") {
            (false, a)
        } else {
            problems.push(sl801_invalid_suppression::LINT.diagnostic(
                comment_span,
                "a suppression is `# sentinel-lint: ignore[CODE] reason` or `# sentinel-lint: ignore-file[CODE] reason`",
            ));
            continue;
        };
        let list_start = rest_offset + lead + (trimmed.len() - after.len());
        let Some(close) = after.find(']') else {
            problems.push(
                sl801_invalid_suppression::LINT
                    .diagnostic(comment_span, "the list of lints has no closing `]`"),
            );
            continue;
        };
        let mut selectors = Vec::new();
        let mut offset = 0;
        for part in after[..close].split(',') {
            let name = part.trim();
            let part_start = list_start + offset + (part.len() - part.trim_start().len());
            offset += part.len() + 1;
            let span = Span::new(part_start, part_start + name.len());
            if name.is_empty() {
                continue;
            }
            if lints::is_known_selector(name) && !name.eq_ignore_ascii_case("ALL") {
                selectors.push((name.to_owned(), span));
            } else {
                problems.push(
                    sl801_invalid_suppression::LINT
                        .diagnostic(
                            span,
                            format!("`{name}` is not a lint code, name or code prefix"),
                        )
                        .with_help("see `sentinel-lint explain` for the lints"),
                );
            }
        }
        if selectors.is_empty() {
            if !after[..close].trim().is_empty() {
                continue; // every name was reported above
            }
            problems.push(sl801_invalid_suppression::LINT.diagnostic(
                comment_span,
                "the suppression names no lint: write the codes to silence, `ignore[SL108]`",
            ));
            continue;
        }
        let scope = if file_level {
            None
        } else {
            let target_line = if own_line {
                next_content_line(text, lines, line)
            } else {
                Some(line)
            };
            match target_line {
                Some(l) => Some(extent(text, lines, documents, l)),
                None => {
                    problems.push(sl801_invalid_suppression::LINT.diagnostic(
                        comment_span,
                        "nothing follows this suppression; use `ignore-file[...]` for the whole file",
                    ));
                    continue;
                }
            }
        };
        suppressions.push(Suppression {
            comment: comment_span,
            own_line: own_line
                .then(|| Span::new(lines.line_start(line), lines.line_start(line + 1))),
            selectors,
            scope,
        });
    }
    (suppressions, problems)
}

/// Which lints a pass of [`apply`] judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The lints of one file (run while the file is checked).
    File,
    /// The lints across files (duplicate ids, ...), run after all files are checked.
    Pack,
}

/// Whether a selector is for this pass: pack-level lints are judged in the pack pass only.
fn in_pass(selector: &str, pass: Pass) -> bool {
    let pack_only = lints::ALL
        .iter()
        .filter(|l| l.matches(selector))
        .all(|l| matches!(l.check, lints::Check::Pack(_)));
    pack_only == (pass == Pass::Pack)
}

/// Remove the findings the suppressions silence; report the suppressions of this pass's
/// lints that silence nothing.
pub fn apply(
    suppressions: &[Suppression],
    diagnostics: &mut Vec<Diagnostic>,
    pass: Pass,
) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return Vec::new();
    }
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.selectors.len()])
        .collect();
    diagnostics.retain(|d| {
        // The suppression lints themselves cannot be silenced this way.
        if d.code == sl801_invalid_suppression::LINT.code
            || d.code == sl802_unused_suppression::LINT.code
        {
            return true;
        }
        let lint = lints::find(d.code);
        let mut silenced = false;
        for (i, s) in suppressions.iter().enumerate() {
            let in_scope = s.scope.is_none_or(|scope| {
                scope.start <= d.span.start && d.span.start < scope.end.max(scope.start + 1)
            });
            if !in_scope {
                continue;
            }
            for (j, (selector, _)) in s.selectors.iter().enumerate() {
                if lint.is_some_and(|l| l.matches(selector)) {
                    used[i][j] = true;
                    silenced = true;
                }
            }
        }
        !silenced
    });
    let mut unused = Vec::new();
    for (s, used) in suppressions.iter().zip(used) {
        let idle: Vec<&(String, Span)> = s
            .selectors
            .iter()
            .zip(&used)
            .filter(|(sel, u)| !**u && in_pass(&sel.0, pass))
            .map(|(sel, _)| sel)
            .collect();
        if idle.is_empty() {
            continue;
        }
        let names: Vec<&str> = idle.iter().map(|(n, _)| n.as_str()).collect();
        let all_idle = idle.len() == s.selectors.len()
            && s.selectors.iter().all(|(sel, _)| in_pass(sel, pass));
        let span = if all_idle { s.comment } else { idle[0].1 };
        let mut d = sl802_unused_suppression::LINT.diagnostic(
            span,
            format!(
                "this suppression of {} silences no finding",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        if all_idle {
            let edit = match s.own_line {
                Some(line) => Edit::delete(line),
                None => Edit::delete(s.comment),
            };
            d = d.with_fix(Fix::safe("Remove the suppression", vec![edit]));
        }
        unused.push(d);
    }
    unused
}

/// Where a comment starts on a line (a `#` at the start or after white space, outside
/// quotes), if the line has one.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '\'' || c == '"') && (previous == ' ' || previous == ':' || i == 0) => {
                quote = Some(c)
            }
            None if c == '#' && (i == 0 || previous == ' ' || previous == '\t') => return Some(i),
            None => {}
        }
        previous = c;
    }
    None
}

/// The first line (0-based) after `line` that is neither blank nor a comment.
fn next_content_line(text: &str, lines: &LineIndex, line: usize) -> Option<usize> {
    (line + 1..lines.line_count()).find(|&l| {
        let t = lines.line_text(text, l).trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

/// The text of the key (or list item) that starts on `line`: the key and its whole value.
fn extent(text: &str, lines: &LineIndex, documents: &[Node], line: usize) -> Span {
    let start = lines.line_start(line);
    let end = lines.line_end(text, line);
    let mut best: Option<Span> = None;
    for doc in documents {
        find_extent(doc, start, end, &mut best);
    }
    best.unwrap_or(Span::new(start, end))
}

fn find_extent(node: &Node, start: usize, end: usize, best: &mut Option<Span>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if e.key_span.start >= start && e.key_span.start <= end {
                    let span = Span::new(start, e.value.span.end.max(e.key_span.end));
                    if best.is_none_or(|b| span.end > b.end) {
                        *best = Some(span);
                    }
                }
                find_extent(&e.value, start, end, best);
            }
        }
        Value::Seq(items) => {
            for item in items {
                if item.span.start >= start && item.span.start <= end && best.is_none() {
                    *best = Some(Span::new(start, item.span.end));
                }
                find_extent(item, start, end, best);
            }
        }
        _ => {}
    }
}

/// Spans of scalars that run over several lines (block scalars, long quoted strings): a `#`
/// inside them is text, not a comment.
fn collect_scalars(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        Value::Map(entries) => entries.iter().for_each(|e| collect_scalars(&e.value, out)),
        Value::Seq(items) => items.iter().for_each(|i| collect_scalars(i, out)),
        Value::Str(_) => out.push(node.span),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::check_source;

    fn codes(text: &str) -> Vec<&'static str> {
        check_source("x.yaml", text.as_bytes())
            .report
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    const RULE: &str = "id: 3f9a1c2b-7e6d-4c5b-8a9f-0b1c2d3e4f5a\nname: n\ndescription: d\nrequiredDataConnectors: []\n";

    #[test]
    fn a_suppression_silences_its_key_only() {
        let plain = format!("{RULE}tactics: Persistence\nrelevantTechniques: T1078\nquery: T\n");
        assert_eq!(codes(&plain).iter().filter(|c| **c == "SL301").count(), 2);
        let one = format!(
            "{RULE}# sentinel-lint: ignore[SL301] the pack writes them so\ntactics: Persistence\nrelevantTechniques: T1078\nquery: T\n"
        );
        assert_eq!(
            codes(&one).iter().filter(|c| **c == "SL301").count(),
            1,
            "{:?}",
            codes(&one)
        );
        let trailing = format!(
            "{RULE}tactics: Persistence  # sentinel-lint: ignore[scalar-list]\nrelevantTechniques: T1078\nquery: T\n"
        );
        assert_eq!(
            codes(&trailing).iter().filter(|c| **c == "SL301").count(),
            1
        );
        let file = format!(
            "# sentinel-lint: ignore-file[SL301]\n{RULE}tactics: Persistence\nrelevantTechniques: T1078\nquery: T\n"
        );
        assert!(!codes(&file).contains(&"SL301"));
    }

    #[test]
    fn unknown_and_unused_suppressions_are_reported() {
        let text = format!(
            "{RULE}# sentinel-lint: ignore[SL999]\ntactics: [Persistence]\n# sentinel-lint: ignore[SL108]\nquery: T\n# sentinel-lint: nothing\n"
        );
        let found = codes(&text);
        assert_eq!(
            found.iter().filter(|c| **c == "SL801").count(),
            2,
            "{found:?}"
        );
        assert_eq!(
            found.iter().filter(|c| **c == "SL802").count(),
            1,
            "{found:?}"
        );
    }

    #[test]
    fn markers_inside_text_are_not_comments() {
        let text = format!(
            "{RULE}tactics: [Persistence]\nquery: |\n  T\n  # sentinel-lint: ignore[SL999]\n"
        );
        assert!(!codes(&text).contains(&"SL801"), "{:?}", codes(&text));
    }
}
