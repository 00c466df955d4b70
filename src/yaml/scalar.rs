//! Where each byte of a scalar's value is written in the file.
//!
//! A query is usually a `|` block scalar: its value is the file's lines without their
//! indentation. Quoted scalars have escapes and folded line breaks; `>` blocks and plain
//! scalars fold lines into spaces. [`ScalarMap`] rebuilds the value from the source the way
//! YAML does, remembering for every piece where it came from, so that a position in the
//! value (a KQL error, a token) can be shown at its line and column in the file.

use crate::text::Span;

use super::Node;

/// A run of value bytes: `value_start..value_end` came from the source starting at
/// `source_start` (byte for byte when `exact`, else all from that one place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    value_start: usize,
    value_end: usize,
    source_start: usize,
    exact: bool,
}

/// Value offset -> file offset for one scalar.
#[derive(Debug, Clone)]
pub struct ScalarMap {
    runs: Vec<Run>,
    /// Where the scalar's text starts in the file (used when nothing better is known).
    fallback: usize,
    /// The value was rebuilt exactly; otherwise every offset maps to `fallback`.
    pub exact: bool,
}

impl ScalarMap {
    /// The map for a string scalar node of the file `text`.
    pub fn new(text: &str, node: &Node) -> Self {
        let value = node.as_str().unwrap_or_default();
        let span = node.span;
        let source = &text[span.start.min(text.len())..span.end.min(text.len())];
        let mut builder = Builder::default();
        let built = match source.as_bytes().first() {
            Some(b'\'') => single_quoted(source, span.start, &mut builder),
            Some(b'"') => double_quoted(source, span.start, &mut builder),
            _ => match block_header(text, span.start) {
                Some(header) => block(text, span, header, &mut builder),
                None => plain(source, span.start, &mut builder),
            },
        };
        // The rebuilt value must be the parsed one, up to trailing line breaks (chomping).
        let exact = built.is_some()
            && builder.value.starts_with(value)
            && builder.value[value.len()..].trim_matches('\n').is_empty();
        ScalarMap {
            runs: if exact { builder.runs } else { Vec::new() },
            fallback: span.start,
            exact,
        }
    }

    /// The file offset of a value offset.
    pub fn to_file(&self, offset: usize) -> usize {
        let i = self.runs.partition_point(|r| r.value_start <= offset);
        if i == 0 {
            return self.fallback;
        }
        let run = self.runs[i - 1];
        if offset >= run.value_end {
            // Past the end of the last run: just after it.
            return run.source_start
                + if run.exact {
                    run.value_end - run.value_start
                } else {
                    1
                };
        }
        if run.exact {
            run.source_start + (offset - run.value_start)
        } else {
            run.source_start
        }
    }

    /// The file span of a value span.
    pub fn span_to_file(&self, span: Span) -> Span {
        let start = self.to_file(span.start);
        if span.is_empty() {
            return Span::empty(start);
        }
        let end = self.to_file(span.end - 1) + 1;
        Span::new(start, end.max(start))
    }
}

#[derive(Default)]
struct Builder {
    value: String,
    runs: Vec<Run>,
}

impl Builder {
    /// Append source text copied byte for byte from `source_start`.
    fn copy(&mut self, text: &str, source_start: usize) {
        self.push(text, source_start, true);
    }

    /// Append text that stands for the source at `source_start` (an escape, a folded break).
    fn emit(&mut self, text: &str, source_start: usize) {
        self.push(text, source_start, false);
    }

    fn push(&mut self, text: &str, source_start: usize, exact: bool) {
        if text.is_empty() {
            return;
        }
        let value_start = self.value.len();
        self.value.push_str(text);
        self.runs.push(Run {
            value_start,
            value_end: self.value.len(),
            source_start,
            exact,
        });
    }
}

/// The header of a block scalar ending just before the line of `start`: `|`, `>-`, `|2+`.
#[derive(Debug, Clone, Copy)]
struct Header {
    folded: bool,
    /// Explicit indentation indicator.
    indent: Option<usize>,
    /// Indentation of the line holding the header.
    header_line_indent: usize,
    /// Where the line after the header starts: the block's first line, possibly empty.
    first_line: usize,
}

fn block_header(text: &str, start: usize) -> Option<Header> {
    // Go back over the (possibly empty) lines before the content to the header line.
    let before = &text[..start];
    let mut line_end = before.rfind('\n')?;
    loop {
        let line_start = before[..line_end].rfind('\n').map_or(0, |i| i + 1);
        let line = before[line_start..line_end].trim_end_matches('\r');
        let content = line.split(" #").next().unwrap_or("").trim_end();
        if content.trim().is_empty() && line_start > 0 {
            line_end = line_start - 1;
            continue;
        }
        let indicator = content.rsplit([' ', '\t']).next()?;
        let mut chars = indicator.chars();
        let folded = match chars.next()? {
            '|' => false,
            '>' => true,
            _ => return None,
        };
        let rest: String = chars.collect();
        if !rest
            .chars()
            .all(|c| c == '+' || c == '-' || c.is_ascii_digit())
        {
            return None;
        }
        let indent = rest
            .chars()
            .find(char::is_ascii_digit)
            .and_then(|d| d.to_digit(10))
            .map(|d| d as usize);
        let header_line_indent = line.len() - line.trim_start_matches(' ').len();
        // The key may sit after a `- ` of a list item: its indentation is the key's column.
        let key_column = line.trim_start_matches([' ', '-']).len();
        let key_indent = line.len() - key_column;
        return Some(Header {
            folded,
            indent,
            header_line_indent: if line.trim_start().starts_with('-') {
                key_indent
            } else {
                header_line_indent
            },
            first_line: line_end + 1,
        });
    }
}

/// The lines of a block scalar with their offsets, from the line after the header to `end`.
fn block_lines(text: &str, first_line_start: usize, span: Span) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut at = first_line_start;
    while at < span.end.max(first_line_start + 1) && at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        lines.push((at, text[at..end].trim_end_matches('\r')));
        at = end + 1;
    }
    lines
}

fn block(text: &str, span: Span, header: Header, b: &mut Builder) -> Option<()> {
    let lines = block_lines(text, header.first_line, span);
    let content_line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = match header.indent {
        Some(n) => header.header_line_indent + n,
        None => span.start - content_line_start,
    };
    // Literal: every line break is kept. Folded: a break between two normal lines becomes a
    // space, k empty lines between them become k breaks; breaks next to more-indented lines
    // are kept.
    let mut blanks = 0usize;
    let mut last_content: Option<(usize, bool)> = None; // (end offset, normal line)
    for &(start, line) in &lines {
        let blank = line.len() <= indent && line.trim().is_empty();
        if blank {
            match last_content {
                None => b.emit("\n", start + line.len()),
                Some(_) if !header.folded => b.emit("\n", start.saturating_sub(1)),
                Some(_) => blanks += 1,
            }
            continue;
        }
        // A line indented less than the content (in a block sentinel-lint repaired before
        // reading it) loses only the spaces it has.
        let leading = line.len() - line.trim_start_matches(' ').len();
        let cut = leading.min(indent);
        let content = &line[cut..];
        let normal = !content.starts_with([' ', '\t']);
        if let Some((end, last_normal)) = last_content {
            if !header.folded {
                b.emit("\n", end);
            } else if last_normal && normal {
                if blanks == 0 {
                    b.emit(" ", end);
                } else {
                    b.emit(&"\n".repeat(blanks), end);
                }
            } else {
                b.emit(&"\n".repeat(blanks + 1), end);
            }
        }
        blanks = 0;
        b.copy(content, start + cut);
        last_content = Some((start + line.len(), normal));
    }
    let end = last_content.map_or(span.start, |(end, _)| end);
    b.emit("\n", end);
    Some(())
}

/// Folding of quoted and plain scalars: a line break between text becomes a space, empty
/// lines become line breaks, and indentation is dropped.
fn fold_lines<'s>(
    source: &'s str,
    start: usize,
    b: &mut Builder,
    mut each: impl FnMut(&'s str, usize, &mut Builder) -> Option<()>,
) -> Option<()> {
    let lines: Vec<(usize, &str)> = {
        let mut out = Vec::new();
        let mut at = 0;
        for line in source.split('\n') {
            out.push((at, line.trim_end_matches('\r')));
            at += line.len() + 1;
        }
        out
    };
    let last = lines.len() - 1;
    let mut pending_breaks = 0;
    for (i, &(offset, line)) in lines.iter().enumerate() {
        let mut piece = line;
        let mut piece_start = offset;
        if i > 0 {
            let trimmed = piece.trim_start_matches([' ', '\t']);
            piece_start += piece.len() - trimmed.len();
            piece = trimmed;
        }
        if i < last {
            piece = piece.trim_end_matches([' ', '\t']);
        }
        if i > 0 && i < last && piece.is_empty() {
            pending_breaks += 1;
            continue;
        }
        if i > 0 {
            let break_at = start + offset - 1;
            if pending_breaks > 0 {
                b.emit(&"\n".repeat(pending_breaks), break_at);
            } else {
                b.emit(" ", break_at);
            }
            pending_breaks = 0;
        }
        each(piece, start + piece_start, b)?;
    }
    Some(())
}

fn single_quoted(source: &str, start: usize, b: &mut Builder) -> Option<()> {
    let body = source.strip_prefix('\'')?.strip_suffix('\'')?;
    fold_lines(body, start + 1, b, |piece, at, b| {
        let mut rest = piece;
        let mut offset = at;
        while let Some(i) = rest.find("''") {
            b.copy(&rest[..i + 1], offset);
            offset += i + 2;
            rest = &rest[i + 2..];
        }
        b.copy(rest, offset);
        Some(())
    })
}

fn double_quoted(source: &str, start: usize, b: &mut Builder) -> Option<()> {
    let body = source.strip_prefix('"')?.strip_suffix('"')?;
    // An escaped line break (`\` at the end of a line) joins lines without a space.
    let mut escaped_break = false;
    fold_lines(body, start + 1, b, |piece, at, b| {
        if escaped_break {
            // Undo the space the fold added for this break.
            if b.value.ends_with(' ') {
                b.value.pop();
                b.runs.pop();
            }
        }
        escaped_break = false;
        let bytes = piece.as_bytes();
        let mut i = 0;
        let mut copy_from = 0;
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            b.copy(&piece[copy_from..i], at + copy_from);
            let Some(&code) = bytes.get(i + 1) else {
                escaped_break = true;
                return Some(());
            };
            let (text, len): (String, usize) = match code {
                b'n' => ("\n".into(), 2),
                b't' | b'\t' => ("\t".into(), 2),
                b'r' => ("\r".into(), 2),
                b'0' => ("\0".into(), 2),
                b'a' => ("\u{7}".into(), 2),
                b'b' => ("\u{8}".into(), 2),
                b'e' => ("\u{1b}".into(), 2),
                b'f' => ("\u{c}".into(), 2),
                b'v' => ("\u{b}".into(), 2),
                b' ' => (" ".into(), 2),
                b'/' => ("/".into(), 2),
                b'"' => ("\"".into(), 2),
                b'\\' => ("\\".into(), 2),
                b'N' => ("\u{85}".into(), 2),
                b'_' => ("\u{a0}".into(), 2),
                b'L' => ("\u{2028}".into(), 2),
                b'P' => ("\u{2029}".into(), 2),
                b'x' | b'u' | b'U' => {
                    let digits = match code {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let hex = piece.get(i + 2..i + 2 + digits)?;
                    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                    (c.to_string(), 2 + digits)
                }
                _ => return None,
            };
            b.emit(&text, at + i);
            i += len;
            copy_from = i;
        }
        b.copy(&piece[copy_from..], at + copy_from);
        Some(())
    })
}

fn plain(source: &str, start: usize, b: &mut Builder) -> Option<()> {
    fold_lines(source, start, b, |piece, at, b| {
        b.copy(piece, at);
        Some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;
    use crate::yaml::parse;

    /// For every byte of the value, the file byte it maps to is the same character.
    fn check(text: &str) -> ScalarMap {
        let parsed = parse(text, &LineIndex::new(text));
        let node = parsed.documents[0].get("q").unwrap();
        let value = node.as_str().unwrap();
        let map = ScalarMap::new(text, node);
        assert!(map.exact, "not rebuilt: {text:?}");
        for (i, c) in value.char_indices() {
            if c == '\n' || c == ' ' {
                continue; // folded breaks and spaces map to a break
            }
            let at = map.to_file(i);
            let found = text[at..].chars().next();
            // A character written as an escape maps to its backslash.
            assert!(
                found == Some(c) || found == Some('\\'),
                "value byte {i} of {value:?} in {text:?}"
            );
        }
        map
    }

    #[test]
    fn literal_blocks() {
        check("q: |\n  T\n  | where x == 'é'\n\n  | take 1\nn: 1\n");
        check("q: |-\n    let a = 1;\n      a\n");
        check("q: |2-\n    indented\n  first\n");
        check("q: |\r\n  T\r\n  | take 1\r\n");
        check("q: |\n\n  let a = 1;\n  T\n");
    }

    #[test]
    fn folded_blocks() {
        check("q: >\n  T\n  | where a\n\n  more\n    kept\n  done\n");
    }

    #[test]
    fn quoted_and_plain() {
        check("q: 'it''s\n  folded'\n");
        check("q: \"a\\tb \\\"c\\\" \\u00e9\n  d\"\n");
        check("q: plain text\n  continued\n");
        check("q: \"joined\\\n  here\"\n");
    }

    #[test]
    fn spans_map_to_the_file() {
        let text = "id: x\nq: |\n  SecurityEvent\n  | where EventID == 4625\n";
        let map = check(text);
        let value = "SecurityEvent\n| where EventID == 4625\n";
        let at = value.find("EventID").unwrap();
        let span = map.span_to_file(Span::new(at, at + 7));
        assert_eq!(&text[span.start..span.end], "EventID");
    }
}
