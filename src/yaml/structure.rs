//! A line-based look at YAML indentation, to explain the breakages real rule files have.
//!
//! A YAML parser stops at the first error and reports where *it* got confused, which is
//! often not where the author went wrong. Two mistakes recur in real Sentinel files, and
//! both are visible from indentation alone:
//!
//! * a key indented like the `- ` of the list item above it, so that it does not belong to
//!   that item (`dataTypes:` under `- connectorId:` in all 171 files of the Remote
//!   Management and Monitoring pack);
//! * lines of a `query: |` block scalar indented less than the block's content, which ends
//!   the block early (KQL comments at column 1, or the whole query at column 0).
//!
//! The scan only reads lines; the results are checked by re-parsing with the repair applied.

use crate::text::{Edit, Span};

use crate::text::LineIndex;

/// A key line that sits at the column of the `- ` of the list item it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misindent {
    /// The key, e.g. `dataTypes`.
    pub key: String,
    /// Span of the key on its line.
    pub key_span: Span,
    /// Span of the `- ` item line's first key (e.g. `connectorId`).
    pub item_key_span: Span,
    /// The first key of that item.
    pub item_key: String,
    /// How many spaces the key and its block must move right.
    pub shift: usize,
    /// Insertions of `shift` spaces at the start of every line of the key's block.
    pub edits: Vec<Edit>,
    /// The list is indented under its parent key, so this is a YAML syntax error (rather
    /// than valid YAML that means something else).
    pub is_syntax_error: bool,
}

/// Lines of a block scalar (`key: |`) that are indented less than its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnderindentedBlock {
    /// The key that owns the block, e.g. `query`.
    pub key: String,
    pub key_span: Span,
    /// Span of the first line that is indented too little.
    pub first_bad_line: Span,
    /// 1-based line number of that line.
    pub first_bad_line_number: usize,
    /// The column (0-based) the content must be indented to.
    pub content_indent: usize,
    /// Insertions that indent every affected line to `content_indent`.
    pub edits: Vec<Edit>,
    /// How many lines the edits move.
    pub lines_moved: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Comment,
    /// `---` or `...` at column 0.
    DocumentMarker,
    /// `- ` at `indent`; the item's content starts at `content_col`.
    Dash {
        content_col: usize,
        content_is_key: bool,
    },
    Key,
    Other,
}

#[derive(Debug, Clone)]
struct Line<'t> {
    start: usize,
    indent: usize,
    content: &'t str,
    kind: Kind,
    /// The line opens a block scalar (`key: |`, `- >-`), owned by this column.
    block_owner: Option<usize>,
    /// The line is content of a block scalar (or a continuation of a multi-line scalar).
    in_scalar: bool,
}

/// The length of a plain or quoted mapping key at the start of `s`, if `s` starts with
/// `key:` followed by a space or the end of the line.
fn key_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let close = s[1..].find(first as char)? + 1;
        return after_colon(s, close + 1);
    }
    if b"#-[]{}>|*&!%@`?,".contains(&first) || first.is_ascii_whitespace() {
        return None;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t' => {
                return Some(i);
            }
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

fn after_colon(s: &str, at: usize) -> Option<usize> {
    let rest = &s[at..];
    let trimmed = rest.trim_start_matches(' ');
    let colon = at + (rest.len() - trimmed.len());
    let b = s.as_bytes();
    if b.get(colon) == Some(&b':') && matches!(b.get(colon + 1), None | Some(b' ') | Some(b'\t')) {
        Some(colon)
    } else {
        None
    }
}

/// Whether the value part of a `key: value` or `- value` opens a block scalar.
fn opens_block_scalar(value: &str) -> bool {
    let value = value.trim();
    let value = match value.find(" #") {
        Some(i) => value[..i].trim_end(),
        None => value,
    };
    let mut chars = value.chars();
    matches!(chars.next(), Some('|') | Some('>'))
        && chars.all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

fn classify(content: &str, indent: usize) -> (Kind, Option<usize>) {
    if content.is_empty() {
        return (Kind::Blank, None);
    }
    if content.starts_with('#') {
        return (Kind::Comment, None);
    }
    if indent == 0 && (content.starts_with("---") || content.starts_with("...")) {
        let rest = &content[3..];
        if rest.is_empty() || rest.starts_with(' ') {
            return (Kind::DocumentMarker, None);
        }
    }
    if content == "-" || content.starts_with("- ") {
        let after = &content[1..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        let item = &after[spaces..];
        let content_col = indent + 1 + spaces;
        if let Some(k) = key_len(item) {
            let owner = opens_block_scalar(&item[k + 1..]).then_some(content_col);
            return (
                Kind::Dash {
                    content_col,
                    content_is_key: true,
                },
                owner,
            );
        }
        let owner = opens_block_scalar(item).then_some(indent);
        return (
            Kind::Dash {
                content_col,
                content_is_key: false,
            },
            owner,
        );
    }
    if let Some(k) = key_len(content) {
        let owner = opens_block_scalar(&content[k + 1..]).then_some(indent);
        return (Kind::Key, owner);
    }
    (Kind::Other, None)
}

fn scan_lines<'t>(text: &'t str, lines: &LineIndex) -> Vec<Line<'t>> {
    let mut out = Vec::with_capacity(lines.line_count());
    // (owner column, content indent once known) of the block scalar we are in
    let mut block: Option<(usize, Option<usize>)> = None;
    for n in 0..lines.line_count() {
        let raw = lines.line_text(text, n);
        let start = lines.line_start(n);
        let mut body = raw;
        if n == 0 {
            body = body.trim_start_matches('\u{feff}');
        }
        let indent = body.len() - body.trim_start_matches(' ').len();
        let content = body[indent..].trim_end();
        let start = start + (raw.len() - body.len());
        if let Some((owner, content_indent)) = block {
            let blank = content.is_empty();
            let inside = blank || indent > owner;
            if inside {
                if !blank && content_indent.is_none() {
                    block = Some((owner, Some(indent)));
                }
                out.push(Line {
                    start,
                    indent,
                    content,
                    kind: if blank { Kind::Blank } else { Kind::Other },
                    block_owner: None,
                    in_scalar: true,
                });
                continue;
            }
            block = None;
        }
        let (kind, owner) = classify(content, indent);
        if let Some(owner) = owner {
            block = Some((owner, None));
        }
        out.push(Line {
            start,
            indent,
            content,
            kind,
            block_owner: owner,
            in_scalar: false,
        });
    }
    out
}

/// Keys that belong inside a list item starting with another key: when such a key sits at
/// the column of the item's `- ` in a list that is not indented under its parent, the YAML
/// is valid but the key lands one level too high.
const ITEM_KEYS: &[(&str, &[&str])] = &[
    ("connectorId", &["dataTypes"]),
    ("dataTypes", &["connectorId"]),
    ("entityType", &["fieldMappings"]),
    ("fieldMappings", &["entityType"]),
    ("identifier", &["columnName"]),
    ("columnName", &["identifier"]),
    ("alertProperty", &["value"]),
    ("value", &["alertProperty"]),
];

fn belongs_to_item(item_key: &str, key: &str) -> bool {
    ITEM_KEYS
        .iter()
        .any(|(first, rest)| *first == item_key && rest.contains(&key))
}

/// Find keys indented like the `- ` of the list item above them.
pub fn find_misindented_keys(text: &str, lines: &LineIndex) -> Vec<Misindent> {
    let scanned = scan_lines(text, lines);
    let mut found = Vec::new();
    for (i, line) in scanned.iter().enumerate() {
        if line.kind != Kind::Key || line.in_scalar {
            continue;
        }
        let c = line.indent;
        // Walk back to the nearest significant line at column <= c.
        let Some(j) = (0..i).rev().find(|&j| {
            let l = &scanned[j];
            !l.in_scalar && !matches!(l.kind, Kind::Blank | Kind::Comment) && l.indent <= c
        }) else {
            continue;
        };
        let item = &scanned[j];
        let Kind::Dash {
            content_col,
            content_is_key: true,
        } = item.kind
        else {
            continue;
        };
        if item.indent != c || content_col <= c {
            continue;
        }
        // The parent of the list: walking back over its items and their content, the first
        // line in a column <= c that is not an item of it. A key in column c holds a list
        // written without indentation (valid YAML); a line further left holds an indented
        // list, in which a key at the dash's column is a syntax error.
        let item_of_this_list = |l: &Line<'_>| l.indent == c && matches!(l.kind, Kind::Dash { .. });
        let parent = (0..j).rev().map(|p| &scanned[p]).find(|l| {
            !l.in_scalar
                && !matches!(l.kind, Kind::Blank | Kind::Comment)
                && l.indent <= c
                && !item_of_this_list(l)
        });
        let is_syntax_error = parent.is_some_and(|l| l.indent < c);
        let key_len = key_len(line.content).unwrap_or(0);
        let key = line.content[..key_len].trim_matches(|c| c == '"' || c == '\'');
        let item_text = &item.content[content_col - item.indent..];
        let item_key_len = key_len_of(item_text);
        let item_key = item_text[..item_key_len].trim_matches(|c| c == '"' || c == '\'');
        if !is_syntax_error && !belongs_to_item(item_key, key) {
            continue;
        }
        let shift = content_col - c;
        // The key's block: following lines indented deeper and, when the key's value is a
        // list written without indentation, the `- ` lines at its own column (up to the
        // next item of the outer list, which starts with the same key as this one's).
        let mut edits = vec![Edit::insert(line.start, " ".repeat(shift))];
        let first_below = scanned[i + 1..]
            .iter()
            .find(|l| !matches!(l.kind, Kind::Blank | Kind::Comment) || l.in_scalar);
        let own_list = first_below
            .is_some_and(|l| !l.in_scalar && l.indent == c && matches!(l.kind, Kind::Dash { .. }));
        for l in &scanned[i + 1..] {
            if l.kind == Kind::Blank && !l.in_scalar {
                continue;
            }
            let deeper = l.indent > c || l.in_scalar;
            let list_item = own_list
                && l.indent == c
                && matches!(l.kind, Kind::Dash { .. })
                && !starts_with_key(l.content[1..].trim_start(), item_key);
            if !(deeper || list_item) {
                break;
            }
            edits.push(Edit::insert(l.start, " ".repeat(shift)));
        }
        found.push(Misindent {
            key: key.to_owned(),
            key_span: Span::new(line.start + c, line.start + c + key_len),
            item_key_span: {
                let s = item.start + content_col;
                Span::new(s, s + item_key_len)
            },
            item_key: item_key.to_owned(),
            shift,
            edits,
            is_syntax_error,
        });
    }
    found
}

fn key_len_of(s: &str) -> usize {
    key_len(s).unwrap_or(0)
}

fn starts_with_key(s: &str, key: &str) -> bool {
    key_len(s).is_some_and(|k| s[..k].trim_matches(|c| c == '"' || c == '\'') == key)
}

/// Whether a line at the owner's column or less looks like the next real key, ending the
/// region a mis-indented block scalar was meant to cover.
fn is_region_end(line: &Line<'_>, owner: usize) -> bool {
    if line.indent > owner {
        return false;
    }
    match line.kind {
        Kind::DocumentMarker => true,
        Kind::Dash { .. } => line.indent < owner || owner > 0,
        Kind::Key => {
            // A real key is a single word: KQL lines such as `| where x:y` never are.
            let k = key_len(line.content).unwrap_or(0);
            let key = &line.content[..k];
            key.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''))
        }
        _ => false,
    }
}

/// Find block scalars whose content lines are indented less than the block needs.
pub fn find_underindented_blocks(text: &str, lines: &LineIndex) -> Vec<UnderindentedBlock> {
    let scanned = scan_lines(text, lines);
    let mut found = Vec::new();
    let mut i = 0;
    while i < scanned.len() {
        let header = &scanned[i];
        let Some(owner) = header.block_owner else {
            i += 1;
            continue;
        };
        // Content lines: in_scalar lines directly after the header.
        let mut end = i + 1;
        while end < scanned.len() && scanned[end].in_scalar {
            end += 1;
        }
        let content_indent = scanned[i + 1..end]
            .iter()
            .find(|l| l.kind != Kind::Blank)
            .map(|l| l.indent);
        // Lines of the block less indented than its first content line.
        let mut bad: Vec<usize> = (i + 1..end)
            .filter(|&k| {
                let l = &scanned[k];
                l.kind != Kind::Blank && content_indent.is_some_and(|m| l.indent < m)
            })
            .collect();
        // After the block: lines at the owner's column or less that are not YAML
        // structure are the block's text, written without indentation.
        let mut k = end;
        let next = (k..scanned.len()).find(|&n| scanned[n].kind != Kind::Blank);
        if let Some(n) = next
            && !is_region_end(&scanned[n], owner)
            && !matches!(scanned[n].kind, Kind::Comment)
        {
            k = n;
            while k < scanned.len() && !is_region_end(&scanned[k], owner) {
                if scanned[k].kind != Kind::Blank {
                    bad.push(k);
                }
                k += 1;
            }
        }
        if bad.is_empty() {
            i = end.max(i + 1);
            continue;
        }
        let target = content_indent.unwrap_or(owner + 2).max(owner + 1);
        let min_bad = bad.iter().map(|&b| scanned[b].indent).min().unwrap_or(0);
        let mut edits = Vec::new();
        for &b in &bad {
            let l = &scanned[b];
            // With no content line in the block, the whole text was written too far left
            // and moves as one piece; otherwise only the lines left of the content move.
            let shift = match content_indent {
                None => target.saturating_sub(min_bad),
                Some(_) => target.saturating_sub(l.indent),
            };
            if shift > 0 {
                edits.push(Edit::insert(l.start, " ".repeat(shift)));
            }
        }
        if edits.is_empty() {
            i = k.max(end).max(i + 1);
            continue;
        }
        let first = bad[0];
        let header_key_len = if let Kind::Dash { content_col, .. } = header.kind {
            let t = &header.content[content_col - header.indent..];
            (content_col - header.indent, key_len_of(t))
        } else {
            (0, key_len_of(header.content))
        };
        let key_start = header.start + header.indent + header_key_len.0;
        found.push(UnderindentedBlock {
            key: header.content[header_key_len.0..header_key_len.0 + header_key_len.1]
                .trim_matches(|c| c == '"' || c == '\'')
                .to_owned(),
            key_span: Span::new(key_start, key_start + header_key_len.1),
            first_bad_line: Span::new(
                scanned[first].start,
                scanned[first].start + scanned[first].indent + scanned[first].content.len(),
            ),
            first_bad_line_number: lines.line_of(scanned[first].start) + 1,
            content_indent: target,
            lines_moved: edits.len(),
            edits,
        });
        i = k.max(end).max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn misindents(text: &str) -> Vec<Misindent> {
        find_misindented_keys(text, &LineIndex::new(text))
    }

    #[test]
    fn rmm_data_types() {
        let text = "id: x\nrequiredDataConnectors:\n    - connectorId: MicrosoftThreatProtection\n    dataTypes:\n        - DeviceNetworkEvents\ntactics: CommandAndControl\n";
        let found = misindents(text);
        assert_eq!(found.len(), 1);
        let m = &found[0];
        assert_eq!(m.key, "dataTypes");
        assert_eq!(m.item_key, "connectorId");
        assert_eq!(m.shift, 2);
        assert!(m.is_syntax_error);
        assert_eq!(&text[m.key_span.start..m.key_span.end], "dataTypes");
        assert_eq!(
            &text[m.item_key_span.start..m.item_key_span.end],
            "connectorId"
        );
        let fixed = crate::text::apply_edits(text, &m.edits);
        assert!(fixed.contains("\n      dataTypes:\n          - DeviceNetworkEvents\ntactics"));
    }

    #[test]
    fn indentless_list_of_known_item_keys() {
        let text = "requiredDataConnectors:\n- connectorId: X\ndataTypes:\n- SecurityEvent\ntactics:\n- Impact\n";
        let found = misindents(text);
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_syntax_error);
        let fixed = crate::text::apply_edits(text, &found[0].edits);
        assert_eq!(
            fixed,
            "requiredDataConnectors:\n- connectorId: X\n  dataTypes:\n  - SecurityEvent\ntactics:\n- Impact\n"
        );
    }

    #[test]
    fn indentless_list_inside_an_item_is_not_misindented() {
        let text = "rules:\n- id: x\n  entityMappings:\n  - entityType: Account\n    fieldMappings:\n    - identifier: Name\n      columnName: A\n  kind: Scheduled\n";
        assert!(misindents(text).is_empty());
    }

    #[test]
    fn well_indented_files_have_none() {
        let text = "requiredDataConnectors:\n  - connectorId: X\n    dataTypes:\n      - A\nentityMappings:\n- entityType: Host\n  fieldMappings:\n  - identifier: HostName\n    columnName: Computer\ncustomDetails:\n  a: b\nquery: |\n  - x: y\n  z: w\n";
        assert!(misindents(text).is_empty());
    }

    #[test]
    fn block_scalar_at_column_zero() {
        let text = "id: x\nquery: |\nlet a = 1;\nSecurityEvent\n| where x == 1\n\t\t, y\nentityMappings:\n  - entityType: Host\n";
        let found = find_underindented_blocks(text, &LineIndex::new(text));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "query");
        assert_eq!(
            &text[found[0].key_span.start..found[0].key_span.end],
            "query"
        );
        assert_eq!(found[0].first_bad_line_number, 3);
        let fixed = crate::text::apply_edits(text, &found[0].edits);
        assert_eq!(
            fixed,
            "id: x\nquery: |\n  let a = 1;\n  SecurityEvent\n  | where x == 1\n  \t\t, y\nentityMappings:\n  - entityType: Host\n"
        );
    }

    #[test]
    fn block_scalar_with_one_line_too_far_left() {
        let text = "query: |\n  let a = 1;\n// note\n  T\n  | take 1\nname: n\n";
        let found = find_underindented_blocks(text, &LineIndex::new(text));
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].first_bad_line.start..found[0].first_bad_line.end],
            "// note"
        );
        let fixed = crate::text::apply_edits(text, &found[0].edits);
        assert_eq!(
            fixed,
            "query: |\n  let a = 1;\n  // note\n  T\n  | take 1\nname: n\n"
        );
    }

    #[test]
    fn comment_after_block_is_fine() {
        let text = "query: |\n  T\n# trailing comment\nname: n\n";
        assert!(find_underindented_blocks(text, &LineIndex::new(text)).is_empty());
    }
}
