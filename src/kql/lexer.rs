//! Tokens of KQL, each with its byte span in the query text.
//!
//! Written after the token rules of Microsoft's grammar (`KqlTokens.g4` in
//! microsoft/Kusto-Query-Language) and the Kusto documentation. Keywords are contextual in
//! KQL (a column may be called `count` or `kind`), so words are one token kind and the parser
//! decides; the exceptions are the hyphenated operator names (`project-away`), which are
//! one word, and the negated string operators (`!has`, `!in~`), which are one token.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An identifier or keyword, including `$left`, `project-away`, `in~`.
    Word,
    /// A negated operator word: `!has`, `!contains`, `!in~`, `!between`, ...
    NegatedWord,
    Int,
    Real,
    /// A number with a time unit: `5m`, `1.5h`, `100ms`, `2days`.
    Timespan,
    /// Any string literal form; one token per literal (adjacent literals are concatenated
    /// by the parser).
    String,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semicolon,
    Colon,
    Dot,
    DotDot,
    Pipe,
    /// `=`
    Eq,
    /// `==`
    EqEq,
    /// `=~`
    EqTilde,
    /// `!=`
    NotEq,
    /// `!~`
    NotTilde,
    /// `<>`
    LtGt,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    /// `=>`
    FatArrow,
    At,
    Question,
    Bang,
    /// A character KQL has no use for.
    Unknown,
    Eof,
}

/// The error of a string literal its line does not close (lints recognise it by this text).
pub const UNTERMINATED_STRING: &str = "unterminated string literal";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A problem the lexer found, with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Operator names written with hyphens, longest first where one is a prefix of another.
const HYPHENATED: [&str; 25] = [
    "materialized-view-combine",
    "graph-mark-components",
    "graph-shortest-paths",
    "stored-query-results",
    "materialized-view",
    "sample-distinct",
    "project-reorder",
    "project-rename",
    "graph-to-table",
    "project-smart",
    "project-away",
    "project-keep",
    "macro-expand",
    "graph-match",
    "graph-merge",
    "make-series",
    "parse-where",
    "top-hitters",
    "granny-desc",
    "granny-asc",
    "make-graph",
    "top-nested",
    "mv-expand",
    "parse-kv",
    "mv-apply",
];

/// Operators that can be negated with `!` directly in front.
const NEGATABLE: [&str; 17] = [
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "in",
    "between",
    "has_all",
    "has_any",
    "in~",
];

/// Time units after a number, as the grammar lists them.
const TIME_UNITS: [&str; 33] = [
    "d",
    "day",
    "days",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "m",
    "min",
    "minute",
    "minutes",
    "s",
    "sec",
    "second",
    "seconds",
    "ms",
    "milli",
    "millis",
    "millisec",
    "millisecond",
    "milliseconds",
    "micro",
    "micros",
    "microsec",
    "microsecond",
    "microseconds",
    "nano",
    "nanos",
    "nanosecond",
    "nanoseconds",
    "tick",
    "ticks",
];

fn is_word_start(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphabetic()
}

fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Whitespace as KQL counts it (the grammar lists several Unicode spaces).
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{180e}' | '\u{200b}' | '\u{feff}')
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<LexError>,
}

/// Split a query into tokens (comments and whitespace are dropped). The last token is
/// always `Eof`. Never fails: what is not KQL becomes an `Unknown` token and an error.
pub fn lex(text: &str) -> Lexed {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 4 + 1),
        errors: Vec::new(),
    };
    lexer.run();
    Lexed {
        tokens: lexer.tokens,
        errors: lexer.errors,
    }
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    tokens: Vec<Token>,
    errors: Vec<LexError>,
}

impl Lexer<'_> {
    fn peek_char(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            start: start as u32,
            end: end as u32,
        });
        self.pos = end;
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) {
        self.errors.push(LexError {
            start,
            end,
            message: message.into(),
        });
    }

    fn run(&mut self) {
        while self.pos < self.text.len() {
            let start = self.pos;
            let Some(c) = self.peek_char(start) else {
                break;
            };
            if is_space(c) {
                self.pos += c.len_utf8();
                continue;
            }
            if c == '/' && self.byte(start + 1) == b'/' {
                let end = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i);
                self.pos = end;
                continue;
            }
            self.token(c, start);
        }
        let end = self.text.len();
        self.push(TokenKind::Eof, end, end);
    }

    fn token(&mut self, c: char, start: usize) {
        use TokenKind as T;
        let next = self.byte(start + 1);
        match c {
            '\'' | '"' => self.quoted(start, start),
            '`' if self.text[start..].starts_with("```") => self.multi_line(start, start, "```"),
            '~' if self.text[start..].starts_with("~~~") => self.multi_line(start, start, "~~~"),
            '@' if next == b'\'' || next == b'"' => self.verbatim(start, start + 1),
            'h' | 'H' if next == b'\'' || next == b'"' => self.quoted(start, start + 1),
            'h' | 'H' if next == b'@' && matches!(self.byte(start + 2), b'\'' | b'"') => {
                self.verbatim(start, start + 2)
            }
            'h' | 'H' if self.text[start + 1..].starts_with("```") => {
                self.multi_line(start, start + 1, "```")
            }
            c if c.is_ascii_digit() => self.number(start),
            c if is_word_start(c) => self.word(start),
            '!' => self.bang(start),
            '(' => self.push(T::LParen, start, start + 1),
            ')' => self.push(T::RParen, start, start + 1),
            '[' => self.push(T::LBracket, start, start + 1),
            ']' => self.push(T::RBracket, start, start + 1),
            '{' => self.push(T::LBrace, start, start + 1),
            '}' => self.push(T::RBrace, start, start + 1),
            ',' => self.push(T::Comma, start, start + 1),
            ';' => self.push(T::Semicolon, start, start + 1),
            ':' => self.push(T::Colon, start, start + 1),
            '|' => self.push(T::Pipe, start, start + 1),
            '.' if next == b'.' => self.push(T::DotDot, start, start + 2),
            '.' if next.is_ascii_digit() => self.number(start),
            '.' => self.push(T::Dot, start, start + 1),
            '=' if next == b'=' => self.push(T::EqEq, start, start + 2),
            '=' if next == b'~' => self.push(T::EqTilde, start, start + 2),
            '=' if next == b'>' => self.push(T::FatArrow, start, start + 2),
            '=' => self.push(T::Eq, start, start + 1),
            '<' if next == b'=' => self.push(T::Le, start, start + 2),
            '<' if next == b'>' => self.push(T::LtGt, start, start + 2),
            '<' => self.push(T::Lt, start, start + 1),
            '>' if next == b'=' => self.push(T::Ge, start, start + 2),
            '>' => self.push(T::Gt, start, start + 1),
            '+' => self.push(T::Plus, start, start + 1),
            '-' => self.push(T::Minus, start, start + 1),
            '*' => self.push(T::Star, start, start + 1),
            '/' => self.push(T::Slash, start, start + 1),
            '%' => self.push(T::Percent, start, start + 1),
            '@' => self.push(T::At, start, start + 1),
            '?' => self.push(T::Question, start, start + 1),
            other => {
                let end = start + other.len_utf8();
                let what = if other.is_ascii() {
                    format!("`{other}`")
                } else {
                    format!("`{other}` (U+{:04X})", other as u32)
                };
                self.error(start, end, format!("unexpected character {what}"));
                self.push(T::Unknown, start, end);
            }
        }
    }

    /// `'...'` or `"..."` with backslash escapes, on one line; `quote_at` is the quote.
    fn quoted(&mut self, start: usize, quote_at: usize) {
        let quote = self.byte(quote_at);
        let mut i = quote_at + 1;
        loop {
            match self.byte(i) {
                b'\\' => i += 2,
                0 if i >= self.bytes.len() => return self.unterminated(start),
                b'\n' | b'\r' => return self.unterminated(start),
                b if b == quote => break,
                _ => i += 1,
            }
        }
        self.push(TokenKind::String, start, i + 1);
    }

    /// `@'...'` or `@"..."`: no escapes, a doubled quote stands for one.
    fn verbatim(&mut self, start: usize, quote_at: usize) {
        let quote = self.byte(quote_at);
        let mut i = quote_at + 1;
        loop {
            match self.byte(i) {
                0 if i >= self.bytes.len() => return self.unterminated(start),
                b'\n' | b'\r' => return self.unterminated(start),
                b if b == quote && self.byte(i + 1) == quote => i += 2,
                b if b == quote => break,
                _ => i += 1,
            }
        }
        self.push(TokenKind::String, start, i + 1);
    }

    /// ```` ```...``` ```` or `~~~...~~~`, over several lines.
    fn multi_line(&mut self, start: usize, fence_at: usize, fence: &str) {
        let body = fence_at + fence.len();
        match self.text[body..].find(fence) {
            Some(i) => self.push(TokenKind::String, start, body + i + fence.len()),
            None => self.unterminated(start),
        }
    }

    fn unterminated(&mut self, start: usize) {
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = end.max(start + 1).min(self.text.len());
        self.error(start, end, UNTERMINATED_STRING);
        self.push(TokenKind::String, start, end);
    }

    fn number(&mut self, start: usize) {
        let b = |i: usize| self.byte(i);
        let mut i = start;
        if b(i) == b'0' && (b(i + 1) == b'x' || b(i + 1) == b'X') && b(i + 2).is_ascii_hexdigit() {
            i += 2;
            while b(i).is_ascii_hexdigit() {
                i += 1;
            }
            return self.push(TokenKind::Int, start, i);
        }
        while b(i).is_ascii_digit() {
            i += 1;
        }
        let mut real = false;
        if b(i) == b'.' && b(i + 1).is_ascii_digit() {
            real = true;
            i += 1;
            while b(i).is_ascii_digit() {
                i += 1;
            }
        } else if b(i) == b'.'
            && b(i + 1) != b'.'
            && !is_word_start(self.peek_char(i + 1).unwrap_or(' '))
        {
            // `1.` is a real number
            real = true;
            i += 1;
        }
        if matches!(b(i), b'e' | b'E') {
            let mut j = i + 1;
            if matches!(b(j), b'+' | b'-') {
                j += 1;
            }
            if b(j).is_ascii_digit() {
                while b(j).is_ascii_digit() {
                    j += 1;
                }
                real = true;
                i = j;
            }
        }
        // A unit makes a timespan; other letters make an identifier (`3Dchart`, `1st`).
        let word_end = self.text[i..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(self.text.len(), |(k, _)| i + k);
        if word_end > i {
            let suffix = &self.text[i..word_end];
            if TIME_UNITS.contains(&suffix) {
                return self.push(TokenKind::Timespan, start, word_end);
            }
            if !real {
                return self.push(TokenKind::Word, start, word_end);
            }
        }
        self.push(
            if real {
                TokenKind::Real
            } else {
                TokenKind::Int
            },
            start,
            i,
        );
    }

    fn word_end(&self, from: usize) -> usize {
        self.text[from..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(self.text.len(), |(k, _)| from + k)
    }

    fn word(&mut self, start: usize) {
        let mut end = self.word_end(start + self.peek_char(start).map_or(1, char::len_utf8));
        // Hyphenated operator names are one word.
        if self.byte(end) == b'-' {
            let rest = &self.text[start..];
            if let Some(name) = HYPHENATED.iter().find(|name| {
                rest.starts_with(*name) && !rest[name.len()..].starts_with(is_word_char)
            }) {
                end = start + name.len();
            }
        }
        if &self.text[start..end] == "in" && self.byte(end) == b'~' {
            end += 1;
        }
        self.push(TokenKind::Word, start, end);
    }

    /// `!=`, `!~`, or a negated operator such as `!has` or `!in~`.
    fn bang(&mut self, start: usize) {
        match self.byte(start + 1) {
            b'=' => return self.push(TokenKind::NotEq, start, start + 2),
            b'~' => return self.push(TokenKind::NotTilde, start, start + 2),
            _ => {}
        }
        if self.peek_char(start + 1).is_some_and(is_word_start) {
            let mut end = self.word_end(start + 1);
            if &self.text[start + 1..end] == "in" && self.byte(end) == b'~' {
                end += 1;
            }
            if NEGATABLE.contains(&&self.text[start + 1..end]) {
                return self.push(TokenKind::NegatedWord, start, end);
            }
        }
        self.push(TokenKind::Bang, start, start + 1);
    }
}

/// The value of a string literal token: quotes removed, escapes decoded. `None` when the
/// literal is not terminated.
pub fn string_value(raw: &str) -> Option<String> {
    let raw = raw.strip_prefix(['h', 'H']).unwrap_or(raw);
    for fence in ["```", "~~~"] {
        if let Some(body) = raw.strip_prefix(fence) {
            return body.strip_suffix(fence).map(str::to_owned);
        }
    }
    if let Some(rest) = raw.strip_prefix('@') {
        let quote = rest.chars().next()?;
        let body = rest.strip_prefix(quote)?.strip_suffix(quote)?;
        let doubled = format!("{quote}{quote}");
        return Some(body.replace(&doubled, &quote.to_string()));
    }
    let quote = raw.chars().next()?;
    if raw.len() < 2 || !raw.ends_with(quote) {
        return None;
    }
    let body = &raw[1..raw.len() - 1];
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}'),
                );
            }
            Some('U') => {
                let hex: String = chars.by_ref().take(8).collect();
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}'),
                );
            }
            Some('x') => {
                let hex: String = chars
                    .clone()
                    .take(2)
                    .take_while(char::is_ascii_hexdigit)
                    .collect();
                for _ in 0..hex.len() {
                    chars.next();
                }
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}'),
                );
            }
            Some(d @ '0'..='7') => {
                let mut value = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.clone().next() {
                        Some(o @ '0'..='7') => {
                            value = value * 8 + o.to_digit(8).unwrap_or(0);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            // `\'`, `\"`, `\\`, and anything else: the character itself.
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        lex(text)
            .tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Eof)
            .map(|t| (t.kind, &text[t.range()]))
            .collect()
    }

    #[test]
    fn words_and_operators() {
        use TokenKind::*;
        assert_eq!(
            kinds("T | project-away x | where a !has 'b' and c !in~ (1) // note\n| mv-expand y"),
            vec![
                (Word, "T"),
                (Pipe, "|"),
                (Word, "project-away"),
                (Word, "x"),
                (Pipe, "|"),
                (Word, "where"),
                (Word, "a"),
                (NegatedWord, "!has"),
                (String, "'b'"),
                (Word, "and"),
                (Word, "c"),
                (NegatedWord, "!in~"),
                (LParen, "("),
                (Int, "1"),
                (RParen, ")"),
                (Pipe, "|"),
                (Word, "mv-expand"),
                (Word, "y"),
            ]
        );
        assert_eq!(kinds("a - b"), vec![(Word, "a"), (Minus, "-"), (Word, "b")]);
        assert_eq!(
            kinds("project -away"),
            vec![(Word, "project"), (Minus, "-"), (Word, "away")]
        );
        assert_eq!(kinds("x in~ (y)")[1], (Word, "in~"));
        assert_eq!(kinds("a=~b")[1], (EqTilde, "=~"));
        assert_eq!(kinds("a!=b")[1], (NotEq, "!="));
        assert_eq!(kinds("$left.A")[0], (Word, "$left"));
    }

    #[test]
    fn literals() {
        use TokenKind::*;
        assert_eq!(
            kinds("5m 1.5h 100ms 2days 10 0x1F 1.5 1e3 3Dchart 7d_ago"),
            vec![
                (Timespan, "5m"),
                (Timespan, "1.5h"),
                (Timespan, "100ms"),
                (Timespan, "2days"),
                (Int, "10"),
                (Int, "0x1F"),
                (Real, "1.5"),
                (Real, "1e3"),
                (Word, "3Dchart"),
                (Word, "7d_ago"),
            ]
        );
        assert_eq!(
            kinds(
                r#"'a\'b' "c\"d" @'e''f' @"g""h" h'secret' ```x
y``` ~~~z~~~"#
            )
            .len(),
            7
        );
        assert_eq!(kinds("range x from 1..5")[4], (DotDot, ".."));
    }

    #[test]
    fn string_values() {
        assert_eq!(string_value(r"'a\'b\n'").as_deref(), Some("a'b\n"));
        assert_eq!(
            string_value(r#""C:\\Windows""#).as_deref(),
            Some(r"C:\Windows")
        );
        assert_eq!(
            string_value(r"@'C:\Windows\'").as_deref(),
            Some(r"C:\Windows\")
        );
        assert_eq!(
            string_value(r"@'C:\Windows'").as_deref(),
            Some(r"C:\Windows")
        );
        assert_eq!(
            string_value(r#"@"say ""hi""""#).as_deref(),
            Some(r#"say "hi""#)
        );
        assert_eq!(string_value("h'x'").as_deref(), Some("x"));
        assert_eq!(string_value("```a\nb```").as_deref(), Some("a\nb"));
        assert_eq!(string_value(r"'\u00e9\x41\101'").as_deref(), Some("éAA"));
    }

    #[test]
    fn errors_do_not_stop_the_lexer() {
        let lexed = lex("T | where x == 'open\n| take 1 # 2");
        assert_eq!(lexed.errors.len(), 2);
        assert!(lexed.errors[0].message.contains("unterminated"));
        assert!(lexed.errors[1].message.contains("`#`"));
        assert_eq!(lexed.tokens.last().map(|t| t.kind), Some(TokenKind::Eof));
    }
}
