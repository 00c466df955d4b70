//! A recursive-descent parser for KQL, with precedence climbing for expressions.
//!
//! Structure and precedence follow Microsoft's grammar (`Kql.g4`): `or` < `and` < equality
//! (`==`, `!=`, `in`, `between`, `has_any`, ...) < relational (`<`, `>=`, ...) < additive <
//! multiplicative < string operators (`has`, `contains`, `=~`, `matches regex`, ...) <
//! unary sign < postfix (call, `.member`, `[index]`).
//!
//! Errors do not stop the parser: an operator that cannot be read is skipped up to the next
//! `|`, a statement up to the next `;`. Nesting is limited, so that no input can overflow
//! the stack.

use super::ast::*;
use super::lexer::{self, Token, TokenKind as T};
use crate::text::suggest::did_you_mean;

/// Deeper nesting than this is refused (real queries nest a few levels).
pub const MAX_DEPTH: u32 = 100;
/// A syntax tree deeper than this is refused. A chain of one operator (`a + b + c`,
/// `a.b.c`) is read in a loop but makes a tree as deep as it is long, and every walk of the
/// tree (printing, converting, dropping) recurses along it; this bounds them all. Real
/// queries reach a few dozen levels.
pub const MAX_TREE_DEPTH: u32 = 1_000;
/// A query of more tokens than this is not parsed (a rule's query is at most 10,000
/// characters, so at most about 10,000 tokens).
pub const MAX_TOKENS: usize = 50_000;

/// A syntax error, with its span in the query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KqlError {
    pub span: Span,
    pub message: String,
    /// The query is beyond what the parser analyses (nesting, depth, size), not wrong.
    pub limit: bool,
}

/// The result of parsing: a tree (possibly partial) and every error found.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub query: Query,
    pub errors: Vec<KqlError>,
    pub tokens: Vec<Token>,
}

/// Parse a query.
pub fn parse(text: &str) -> Parsed {
    let lexed = lexer::lex(text);
    if let Some(last) = lexed.tokens.get(MAX_TOKENS) {
        // Bounds the tree: it grows with the tokens, about 300 bytes each in the worst case.
        return Parsed {
            query: Query {
                statements: Vec::new(),
                span: Span::new(0, text.len()),
            },
            errors: vec![KqlError {
                span: Span::new(last.start as usize, last.end as usize),
                message: format!(
                    "the query has more than {MAX_TOKENS} tokens and was not analysed (a query is at most 10,000 characters)"
                ),
                limit: true,
            }],
            tokens: Vec::new(),
        };
    }
    // Bracket depth before each token, for recovery.
    let mut depth = 0u32;
    let nesting = lexed
        .tokens
        .iter()
        .map(|t| {
            let before = depth;
            match t.kind {
                T::LParen | T::LBracket | T::LBrace => depth += 1,
                T::RParen | T::RBracket | T::RBrace => depth = depth.saturating_sub(1),
                _ => {}
            }
            before
        })
        .collect();
    let mut parser = Parser {
        text,
        tokens: lexed.tokens,
        nesting,
        pos: 0,
        prev_end: 0,
        errors: lexed
            .errors
            .into_iter()
            .map(|e| KqlError {
                span: Span::new(e.start, e.end),
                message: e.message,
                limit: false,
            })
            .collect(),
        depth: 0,
        chained: 0,
        colon_has: false,
    };
    let query = parser.query();
    let mut errors = parser.errors;
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    errors.dedup_by(|a, b| a.span.start == b.span.start);
    Parsed {
        query,
        errors,
        tokens: parser.tokens,
    }
}

/// An error was recorded; the caller recovers.
#[derive(Debug)]
struct Stop;

type PResult<T> = Result<T, Stop>;

/// The names of the tabular operators (for suggestions).
const OPERATORS: [&str; 47] = [
    "where",
    "filter",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "project-smart",
    "extend",
    "summarize",
    "join",
    "lookup",
    "union",
    "parse",
    "parse-where",
    "parse-kv",
    "mv-expand",
    "mvexpand",
    "mv-apply",
    "mvapply",
    "make-series",
    "top",
    "top-nested",
    "top-hitters",
    "sort",
    "order",
    "take",
    "limit",
    "distinct",
    "count",
    "evaluate",
    "invoke",
    "render",
    "as",
    "serialize",
    "sample",
    "sample-distinct",
    "getschema",
    "search",
    "find",
    "fork",
    "facet",
    "partition",
    "reduce",
    "scan",
    "consume",
    "make-graph",
];

/// Operators kept as tokens.
const OTHER_OPERATORS: [&str; 9] = [
    "scan",
    "consume",
    "make-graph",
    "graph-match",
    "graph-merge",
    "graph-to-table",
    "graph-shortest-paths",
    "graph-mark-components",
    "execute-and-cache",
];

/// Words that are typed literals when followed by `(`.
const TYPED_LITERALS: [&str; 17] = [
    "datetime", "date", "time", "timespan", "guid", "uuid", "uniqueid", "int", "int32", "long",
    "int64", "real", "double", "decimal", "bool", "boolean", "typeof",
];

#[derive(Debug, Clone, Copy)]
enum Infix {
    Binary(BinaryOp, usize),
    List(ListOp),
    Between(bool),
}

impl Infix {
    fn precedence(self) -> u8 {
        match self {
            Infix::Binary(op, _) => match op {
                BinaryOp::Or => 1,
                BinaryOp::And => 2,
                BinaryOp::Equal | BinaryOp::NotEqual => 3,
                BinaryOp::Less
                | BinaryOp::LessOrEqual
                | BinaryOp::Greater
                | BinaryOp::GreaterOrEqual => 4,
                BinaryOp::Add | BinaryOp::Subtract => 5,
                BinaryOp::Multiply | BinaryOp::Divide | BinaryOp::Modulo => 6,
                BinaryOp::String(_) => 7,
            },
            Infix::List(_) | Infix::Between(_) => 3,
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    /// Bracket depth before each token.
    nesting: Vec<u32>,
    pos: usize,
    /// End of the last token consumed.
    prev_end: usize,
    errors: Vec<KqlError>,
    depth: u32,
    /// Operators of the chains being read (each makes the tree one level deeper).
    chained: u32,
    /// `:` is the `has` operator (inside `search` and `find`).
    colon_has: bool,
}

impl<'t> Parser<'t> {
    // ---- tokens -------------------------------------------------------------------------

    fn tok(&self, ahead: usize) -> Token {
        let last = self.tokens.len() - 1;
        self.tokens[(self.pos + ahead).min(last)]
    }

    fn kind(&self) -> T {
        self.tok(0).kind
    }

    fn kind_at(&self, ahead: usize) -> T {
        self.tok(ahead).kind
    }

    fn text_of(&self, token: Token) -> &'t str {
        &self.text[token.range()]
    }

    fn word_at(&self, ahead: usize) -> Option<&'t str> {
        let t = self.tok(ahead);
        (t.kind == T::Word).then(|| self.text_of(t))
    }

    fn at_word(&self, word: &str) -> bool {
        self.word_at(0) == Some(word)
    }

    fn at(&self, kind: T) -> bool {
        self.kind() == kind
    }

    fn bump(&mut self) -> Token {
        let t = self.tok(0);
        if t.kind != T::Eof {
            self.pos += 1;
            self.prev_end = t.end as usize;
        }
        t
    }

    fn eat(&mut self, kind: T) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn start(&self) -> usize {
        self.tok(0).start as usize
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.prev_end.max(start))
    }

    fn describe(&self, token: Token) -> String {
        match token.kind {
            T::Eof => "the end of the query".to_owned(),
            _ => {
                let text = self.text_of(token);
                let short: String = text.chars().take(30).collect();
                format!("`{short}`")
            }
        }
    }

    fn error_at(&mut self, token: Token, message: impl Into<String>) -> Stop {
        self.report_at(token, message.into(), false)
    }

    /// The query goes beyond a limit of the parser at `token`.
    fn limit_at(&mut self, token: Token, message: String) -> Stop {
        self.report_at(token, message, true)
    }

    fn report_at(&mut self, token: Token, message: String, limit: bool) -> Stop {
        let span = if token.kind == T::Eof {
            // Point at the end of the last real token.
            let at = self.prev_end.min(self.text.len());
            Span::new(at, at)
        } else {
            Span::new(token.start as usize, token.end as usize)
        };
        self.errors.push(KqlError {
            span,
            message,
            limit,
        });
        Stop
    }

    fn expected(&mut self, what: &str) -> Stop {
        let token = self.tok(0);
        let found = self.describe(token);
        self.error_at(token, format!("expected {what}, found {found}"))
    }

    fn expect(&mut self, kind: T, what: &str) -> PResult<Token> {
        if self.at(kind) {
            Ok(self.bump())
        } else {
            Err(self.expected(what))
        }
    }

    fn expect_word(&mut self, word: &str) -> PResult<()> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{word}`")))
        }
    }

    /// Run `f` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested<R>(&mut self, f: impl FnOnce(&mut Self) -> PResult<R>) -> PResult<R> {
        if self.depth >= MAX_DEPTH {
            let token = self.tok(0);
            return Err(self.limit_at(
                token,
                format!(
                    "the query nests deeper than {MAX_DEPTH} levels and was not analysed further"
                ),
            ));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// One more operator in a chain: the tree gets one level deeper. Refused past
    /// [`MAX_TREE_DEPTH`]; the caller gives the levels back with [`Self::unchain`].
    fn chain(&mut self) -> PResult<()> {
        if self.depth + self.chained >= MAX_TREE_DEPTH {
            let token = self.tok(0);
            return Err(self.limit_at(
                token,
                format!(
                    "the expression chains more than {MAX_TREE_DEPTH} operators and was not analysed further"
                ),
            ));
        }
        self.chained += 1;
        Ok(())
    }

    fn unchain(&mut self, levels: u32) {
        self.chained -= levels;
    }

    fn nesting(&self) -> u32 {
        self.nesting.get(self.pos).copied().unwrap_or(0)
    }

    /// Skip to the next `|` (when `stop_at_pipe`) or `;` at bracket depth `base` (not
    /// consumed), or to a bracket that closes one opened before `base`.
    fn recover_to(&mut self, base: u32, stop_at_pipe: bool) {
        loop {
            let depth = self.nesting();
            match self.kind() {
                T::Eof => return,
                T::Pipe if stop_at_pipe && depth == base => return,
                T::Semicolon if depth == base => return,
                T::RParen | T::RBracket | T::RBrace if depth <= base && base > 0 => return,
                _ => {}
            }
            self.bump();
        }
    }

    // ---- statements ---------------------------------------------------------------------

    fn query(&mut self) -> Query {
        let mut statements = Vec::new();
        loop {
            while self.eat(T::Semicolon) {}
            if self.at(T::Eof) {
                break;
            }
            let before = self.pos;
            match self.statement() {
                Ok(statement) => statements.push(statement),
                Err(Stop) => self.recover_to(0, false),
            }
            if !self.at(T::Eof) && !self.at(T::Semicolon) {
                let token = self.tok(0);
                let found = self.describe(token);
                let message = if token.kind == T::Word
                    && statements
                        .last()
                        .is_some_and(|s| matches!(s.kind, StatementKind::Let { .. }))
                {
                    format!("expected `;` after the `let` statement, found {found}")
                } else {
                    format!("expected `|` or `;`, found {found}")
                };
                self.error_at(token, message);
                self.recover_to(0, false);
            }
            if self.pos == before {
                self.bump();
            }
        }
        Query {
            statements,
            span: Span::new(0, self.text.len()),
        }
    }

    fn statement(&mut self) -> PResult<Statement> {
        let start = self.start();
        let kind = self.statement_kind()?;
        Ok(Statement {
            kind,
            span: self.span_from(start),
        })
    }

    fn statement_kind(&mut self) -> PResult<StatementKind> {
        match self.word_at(0) {
            Some("let") => self.let_statement(),
            Some("set") if self.kind_at(1) == T::Word => self.set_statement(),
            Some("declare") if self.word_at(1) == Some("query_parameters") => {
                self.bump();
                self.bump();
                let parameters = self.parameter_list()?;
                Ok(StatementKind::DeclareQueryParameters { parameters })
            }
            Some(keyword @ ("alias" | "restrict" | "declare")) if self.kind_at(1) == T::Word => {
                self.bump();
                let tokens = self.tokens_until_end(false);
                Ok(StatementKind::Other {
                    keyword: keyword.to_owned(),
                    tokens,
                })
            }
            _ => Ok(StatementKind::Expr(self.pipe_expr()?)),
        }
    }

    fn let_statement(&mut self) -> PResult<StatementKind> {
        self.bump(); // let
        let name = self.name()?;
        self.expect(T::Eq, "`=` after the name of a `let`")?;
        let start = self.start();
        let value = if self.at(T::LParen) && self.function_ahead(0) {
            let parameters = self.parameter_list()?;
            let body = self.body()?;
            let span = self.span_from(start);
            LetValue::Function {
                parameters,
                body,
                span,
            }
        } else if self.at_word("view") && self.kind_at(1) == T::LParen {
            self.bump();
            let parameters = self.parameter_list()?;
            let body = self.body()?;
            let span = self.span_from(start);
            LetValue::View {
                parameters,
                body,
                span,
            }
        } else {
            LetValue::Expr(self.pipe_expr()?)
        };
        Ok(StatementKind::Let { name, value })
    }

    /// At `(`: is this a parameter list (`()` then `{`, or `(name:`)?
    fn function_ahead(&self, at: usize) -> bool {
        match (self.kind_at(at + 1), self.kind_at(at + 2)) {
            (T::RParen, T::LBrace) => true,
            (T::Word, T::Colon) => true,
            (T::LBracket, _) => {
                self.kind_at(at + 2) == T::String
                    && self.kind_at(at + 3) == T::RBracket
                    && self.kind_at(at + 4) == T::Colon
            }
            _ => false,
        }
    }

    fn set_statement(&mut self) -> PResult<StatementKind> {
        self.bump(); // set
        let name = self.dotted_name()?;
        let value = if self.eat(T::Eq) {
            Some(self.unary()?)
        } else {
            None
        };
        Ok(StatementKind::Set { name, value })
    }

    /// `(name: type [= default], tabular: (c: t, ...), all: (*))`
    fn parameter_list(&mut self) -> PResult<Vec<Parameter>> {
        self.expect(T::LParen, "`(`")?;
        let mut parameters = Vec::new();
        if !self.at(T::RParen) {
            loop {
                let start = self.start();
                let name = self.name()?;
                self.expect(T::Colon, "`:` and a type after the parameter name")?;
                let kind = if self.at(T::LParen) {
                    if self.kind_at(1) == T::Star {
                        self.bump();
                        self.bump();
                        self.expect(T::RParen, "`)`")?;
                        ParameterKind::Tabular { columns: None }
                    } else {
                        ParameterKind::Tabular {
                            columns: Some(self.schema()?),
                        }
                    }
                } else {
                    let type_name = self.type_name()?;
                    let default = if self.eat(T::Eq) {
                        Some(self.unary()?)
                    } else {
                        None
                    };
                    ParameterKind::Scalar { type_name, default }
                };
                parameters.push(Parameter {
                    name,
                    kind,
                    span: self.span_from(start),
                });
                if !self.eat(T::Comma) {
                    break;
                }
            }
        }
        self.expect(T::RParen, "`)` to close the parameter list")?;
        Ok(parameters)
    }

    /// `{ let ...; expression }`
    fn body(&mut self) -> PResult<Body> {
        let start = self.start();
        self.expect(T::LBrace, "`{` to start the function body")?;
        let mut statements = Vec::new();
        loop {
            while self.eat(T::Semicolon) {}
            if self.at(T::RBrace) || self.at(T::Eof) {
                break;
            }
            let before = self.pos;
            let base = self.nesting();
            match self.nested(|p| p.statement()) {
                Ok(s) => statements.push(s),
                Err(Stop) => self.recover_to(base, false),
            }
            if !matches!(self.kind(), T::Semicolon | T::RBrace) {
                let token = self.tok(0);
                let found = self.describe(token);
                self.error_at(
                    token,
                    format!("expected `;` or `}}` in the function body, found {found}"),
                );
                self.recover_to(base, false);
            }
            if self.pos == before {
                self.bump();
            }
        }
        self.expect(T::RBrace, "`}` to close the function body")?;
        Ok(Body {
            statements,
            span: self.span_from(start),
        })
    }

    fn type_name(&mut self) -> PResult<String> {
        let token = self.expect(
            T::Word,
            "a type (string, int, long, real, bool, datetime, timespan, dynamic, guid)",
        )?;
        Ok(self.text_of(token).to_owned())
    }

    /// `(name: type, ...)`
    fn schema(&mut self) -> PResult<Vec<ColumnDecl>> {
        self.expect(T::LParen, "`(` and the columns")?;
        let columns = self.comma_list(T::RParen, true, true, |p| {
            let start = p.start();
            let name = p.name()?;
            p.expect(T::Colon, "`:` and the column type")?;
            let type_name = p.type_name()?;
            Ok(ColumnDecl {
                name,
                type_name,
                span: p.span_from(start),
            })
        })?;
        self.expect(T::RParen, "`)` to close the columns")?;
        Ok(columns)
    }

    // ---- names --------------------------------------------------------------------------

    /// An identifier, a keyword used as a name, or `['escaped name']`.
    fn name(&mut self) -> PResult<Name> {
        let start = self.start();
        match self.kind() {
            T::Word => {
                let token = self.bump();
                Ok(Name {
                    text: self.text_of(token).to_owned(),
                    escaped: false,
                    span: self.span_from(start),
                })
            }
            T::LBracket if self.kind_at(1) == T::String && self.kind_at(2) == T::RBracket => {
                self.bump();
                let value = self.string_token()?;
                self.bump();
                Ok(Name {
                    text: value,
                    escaped: true,
                    span: self.span_from(start),
                })
            }
            _ => Err(self.expected("a name")),
        }
    }

    /// `name` or `hint.strategy`: words joined by dots.
    fn dotted_name(&mut self) -> PResult<Name> {
        let start = self.start();
        let mut text = self.name()?.text;
        while self.at(T::Dot)
            && self.kind_at(1) == T::Word
            && self.tok(0).start as usize == self.prev_end
        {
            self.bump();
            let part = self.bump();
            text.push('.');
            text.push_str(self.text_of(part));
        }
        Ok(Name {
            text,
            escaped: false,
            span: self.span_from(start),
        })
    }

    fn at_name(&self, ahead: usize) -> bool {
        match self.kind_at(ahead) {
            T::Word => true,
            T::LBracket => {
                self.kind_at(ahead + 1) == T::String && self.kind_at(ahead + 2) == T::RBracket
            }
            _ => false,
        }
    }

    /// How many tokens the name at `ahead` takes (1, or 3 for `['x']`).
    fn name_len(&self, ahead: usize) -> usize {
        if self.kind_at(ahead) == T::Word { 1 } else { 3 }
    }

    fn string_token(&mut self) -> PResult<String> {
        let token = self.expect(T::String, "a string")?;
        match lexer::string_value(self.text_of(token)) {
            Some(value) => Ok(value),
            None => Err(self.error_at(token, lexer::UNTERMINATED_STRING)),
        }
    }

    // ---- pipelines and operators --------------------------------------------------------

    /// A source expression followed by `| operator`s.
    fn pipe_expr(&mut self) -> PResult<Expr> {
        self.nested(|p| {
            let start = p.start();
            let source = p.source()?;
            if !p.at(T::Pipe) {
                return Ok(source);
            }
            let operators = p.piped_operators();
            Ok(Expr::new(
                ExprKind::Pipeline {
                    source: Box::new(source),
                    operators,
                },
                p.span_from(start),
            ))
        })
    }

    /// `| op | op ...`; an operator that cannot be read is skipped.
    fn piped_operators(&mut self) -> Vec<Operator> {
        let mut operators = Vec::new();
        while self.at(T::Pipe) {
            let base = self.nesting();
            self.bump();
            match self.operator() {
                Ok(op) => {
                    operators.push(op);
                    self.junk_after_operator();
                }
                Err(Stop) => self.recover_to(base, true),
            }
        }
        operators
    }

    /// An operator chain without a source: `where ... | summarize ...` (inside `mv-apply`,
    /// `partition`, `fork`, `facet`).
    fn operator_chain(&mut self) -> PResult<Vec<Operator>> {
        let mut operators = vec![self.operator()?];
        self.junk_after_operator();
        operators.extend(self.piped_operators());
        Ok(operators)
    }

    /// After an operator, the next token must end it.
    fn junk_after_operator(&mut self) {
        if !matches!(
            self.kind(),
            T::Pipe | T::Semicolon | T::RParen | T::RBracket | T::RBrace | T::Comma | T::Eof
        ) {
            let token = self.tok(0);
            let found = self.describe(token);
            self.error_at(
                token,
                format!("unexpected {found} after the operator; expected `|`"),
            );
            let base = self.nesting();
            self.recover_to(base, true);
        }
    }

    fn source(&mut self) -> PResult<Expr> {
        let start = self.start();
        let kind = match self.word_at(0) {
            Some("range") if self.kind_at(1) == T::Word && self.word_at(2) == Some("from") => {
                self.bump();
                let name = self.name()?;
                self.expect_word("from")?;
                let from = self.expr()?;
                self.expect_word("to")?;
                let to = self.expr()?;
                self.expect_word("step")?;
                let step = self.expr()?;
                ExprKind::Range {
                    name,
                    from: Box::new(from),
                    to: Box::new(to),
                    step: Box::new(step),
                }
            }
            Some("print") if !matches!(self.kind_at(1), T::Eq | T::LParen | T::Dot) => {
                self.bump();
                ExprKind::Print {
                    columns: self.named_exprs()?,
                }
            }
            Some("union" | "search" | "find" | "evaluate")
                if !matches!(
                    self.kind_at(1),
                    T::Pipe | T::Eq | T::Dot | T::Semicolon | T::Eof | T::RParen | T::Comma
                ) =>
            {
                ExprKind::Source(Box::new(self.operator()?))
            }
            _ => return self.expr(),
        };
        Ok(Expr::new(kind, self.span_from(start)))
    }

    fn operator(&mut self) -> PResult<Operator> {
        self.nested(|p| {
            let start = p.start();
            let token = p.tok(0);
            let Some(word) = p.word_at(0) else {
                let found = p.describe(token);
                return Err(p.error_at(
                    token,
                    format!("expected an operator after `|`, found {found}"),
                ));
            };
            let kind = p.operator_kind(word, token)?;
            Ok(Operator {
                kind,
                span: p.span_from(start),
            })
        })
    }

    fn operator_kind(&mut self, word: &'t str, token: Token) -> PResult<OperatorKind> {
        use OperatorKind as O;
        if OTHER_OPERATORS.contains(&word) {
            self.bump();
            return Ok(O::Other {
                keyword: word.to_owned(),
                tokens: self.tokens_until_end(true),
            });
        }
        self.bump();
        Ok(match word {
            "where" | "filter" => O::Where {
                parameters: self.parameters(&["hint"])?,
                predicate: self.expr()?,
            },
            "project" => O::Project {
                columns: self.optional_named_exprs()?,
            },
            "project-away" => O::ProjectAway {
                columns: self.column_patterns()?,
            },
            "project-keep" => O::ProjectKeep {
                columns: self.column_patterns()?,
            },
            "project-rename" => O::ProjectRename {
                columns: self.named_exprs()?,
            },
            "project-reorder" => {
                let mut columns = Vec::new();
                loop {
                    let start = self.start();
                    let value = self.column_pattern()?;
                    let descending = self.order_word();
                    columns.push(OrderedExpr {
                        value,
                        descending,
                        nulls_first: None,
                        span: self.span_from(start),
                    });
                    if !self.eat(T::Comma) {
                        break;
                    }
                }
                O::ProjectReorder { columns }
            }
            "project-smart" => O::ProjectSmart,
            "extend" => O::Extend {
                columns: self.named_exprs()?,
            },
            "summarize" => {
                let parameters = self.parameters(&["hint"])?;
                let aggregates = if self.at_word("by") || self.ends_operator() {
                    Vec::new()
                } else {
                    self.named_exprs()?
                };
                let by = if self.eat_word("by") {
                    self.named_exprs()?
                } else {
                    Vec::new()
                };
                O::Summarize {
                    parameters,
                    aggregates,
                    by,
                }
            }
            "join" => {
                let parameters = self.parameters(&["kind", "hint", "withsource"])?;
                let right = self.unary()?;
                let (on, predicate) = if self.eat_word("on") {
                    (self.expr_list()?, None)
                } else if self.eat_word("where") {
                    (Vec::new(), Some(self.expr()?))
                } else {
                    (Vec::new(), None)
                };
                O::Join {
                    parameters,
                    right,
                    on,
                    predicate,
                }
            }
            "lookup" => {
                let parameters = self.parameters(&["kind", "hint"])?;
                let right = self.unary()?;
                self.expect_word("on")?;
                O::Lookup {
                    parameters,
                    right,
                    on: self.expr_list()?,
                }
            }
            "union" => {
                let parameters =
                    self.parameters(&["kind", "isfuzzy", "withsource", "with_source", "hint"])?;
                let mut sources = Vec::new();
                loop {
                    sources.push(self.union_source()?);
                    if !self.eat(T::Comma) {
                        break;
                    }
                }
                O::Union {
                    parameters,
                    sources,
                }
            }
            "parse" | "parse-where" => {
                let parameters = self.parse_kind()?;
                let source = self.expr()?;
                self.expect_word("with")?;
                O::Parse {
                    where_: word == "parse-where",
                    parameters,
                    source,
                    pattern: self.parse_pattern()?,
                }
            }
            "parse-kv" => {
                let source = self.expr()?;
                self.expect_word("as")?;
                let columns = self.schema()?;
                let mut properties = Vec::new();
                if self.eat_word("with") {
                    self.expect(T::LParen, "`(`")?;
                    while !self.at(T::RParen) {
                        let start = self.start();
                        let name = self.name()?.text;
                        self.expect(T::Eq, "`=`")?;
                        let value = self.unary()?;
                        properties.push(OperatorParameter {
                            name,
                            value,
                            span: self.span_from(start),
                        });
                        if !self.eat(T::Comma) {
                            break;
                        }
                    }
                    self.expect(T::RParen, "`)`")?;
                }
                O::ParseKv {
                    source,
                    columns,
                    properties,
                }
            }
            "mv-expand" | "mvexpand" => {
                let parameters = self.parameters(&["bagexpansion", "with_itemindex", "kind"])?;
                let items = self.mv_items()?;
                let limit = if self.eat_word("limit") {
                    Some(self.expr()?)
                } else {
                    None
                };
                O::MvExpand {
                    parameters,
                    items,
                    limit,
                }
            }
            "mv-apply" | "mvapply" => {
                let parameters = self.parameters(&["with_itemindex", "hint"])?;
                let items = self.mv_items()?;
                let limit = if self.eat_word("limit") {
                    Some(self.expr()?)
                } else {
                    None
                };
                let id = if self.eat_word("id") {
                    Some(self.unary()?)
                } else {
                    None
                };
                self.expect_word("on")?;
                self.expect(T::LParen, "`(` and the operators to apply")?;
                let body = self.operator_chain()?;
                self.expect(T::RParen, "`)` to close `mv-apply`")?;
                O::MvApply {
                    parameters,
                    items,
                    limit,
                    id,
                    body,
                }
            }
            "make-series" => self.make_series()?,
            "top" => {
                let parameters = self.parameters(&["hint"])?;
                let count = self.expr()?;
                self.expect_word("by")?;
                O::Top {
                    parameters,
                    count,
                    by: self.ordered_list()?,
                }
            }
            "top-nested" => {
                let mut levels = Vec::new();
                loop {
                    let start = self.start();
                    let count = if self.at_word("of") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect_word("of")?;
                    let of = self.named_expr()?;
                    let others = if self.at_word("with") && self.word_at(1) == Some("others") {
                        self.bump();
                        self.bump();
                        self.expect(T::Eq, "`=`")?;
                        Some(self.named_expr()?)
                    } else {
                        None
                    };
                    self.expect_word("by")?;
                    let by = self.ordered()?;
                    levels.push(TopNestedLevel {
                        count,
                        of,
                        others,
                        by,
                        span: self.span_from(start),
                    });
                    if !(self.at(T::Comma) && self.word_at(1) == Some("top-nested")) {
                        break;
                    }
                    self.bump();
                    self.bump();
                }
                O::TopNested { levels }
            }
            "top-hitters" => {
                let count = self.expr()?;
                self.expect_word("of")?;
                let of = self.expr()?;
                let by = if self.eat_word("by") {
                    Some(self.expr()?)
                } else {
                    None
                };
                O::TopHitters { count, of, by }
            }
            "sort" | "order" => {
                let parameters = self.parameters(&["hint"])?;
                self.expect_word("by")?;
                O::Sort {
                    parameters,
                    by: self.ordered_list()?,
                }
            }
            "take" | "limit" => O::Take {
                parameters: self.parameters(&["hint"])?,
                count: self.expr()?,
            },
            "distinct" => {
                let parameters = self.parameters(&["hint"])?;
                let columns = if self.eat(T::Star) {
                    Vec::new()
                } else {
                    self.named_exprs()?
                };
                O::Distinct {
                    parameters,
                    columns,
                }
            }
            "count" => O::Count {
                as_name: if self.eat_word("as") {
                    Some(self.name()?)
                } else {
                    None
                },
            },
            "evaluate" => {
                let parameters = self.parameters(&["hint", "kind"])?;
                let call = self.unary()?;
                let schema = if self.eat(T::Colon) {
                    Some(self.schema()?)
                } else {
                    None
                };
                O::Evaluate {
                    parameters,
                    call,
                    schema,
                }
            }
            "invoke" => O::Invoke {
                call: self.unary()?,
            },
            "render" => {
                let chart = self.expect(T::Word, "a chart type (timechart, barchart, ...)")?;
                O::Render {
                    chart: self.text_of(chart).to_owned(),
                    properties: self.tokens_until_end(true),
                }
            }
            "as" => O::As {
                parameters: self.parameters(&["hint"])?,
                name: self.name()?,
            },
            "serialize" => O::Serialize {
                columns: self.optional_named_exprs()?,
            },
            "sample" => O::Sample {
                count: self.expr()?,
            },
            "sample-distinct" => {
                let count = self.expr()?;
                self.expect_word("of")?;
                O::SampleDistinct {
                    count,
                    of: self.expr()?,
                }
            }
            "getschema" => O::GetSchema,
            "search" | "find" => self.search_or_find(word)?,
            "fork" => {
                let mut branches = Vec::new();
                while !self.ends_operator() {
                    let start = self.start();
                    let name = if self.at_name(0) && self.kind_at(self.name_len(0)) == T::Eq {
                        let name = self.name()?;
                        self.bump();
                        Some(name)
                    } else {
                        None
                    };
                    self.expect(T::LParen, "`(` and the operators of a branch")?;
                    let operators = self.operator_chain()?;
                    self.expect(T::RParen, "`)` to close the branch")?;
                    branches.push(ForkBranch {
                        name,
                        operators,
                        span: self.span_from(start),
                    });
                }
                O::Fork { branches }
            }
            "facet" => {
                self.expect_word("by")?;
                let columns = self.expr_list()?;
                let with = if self.eat_word("with") {
                    if self.eat(T::LParen) {
                        let chain = self.operator_chain()?;
                        self.expect(T::RParen, "`)`")?;
                        chain
                    } else {
                        vec![self.operator()?]
                    }
                } else {
                    Vec::new()
                };
                O::Facet { columns, with }
            }
            "partition" => {
                let parameters = self.parameters(&["hint"])?;
                self.expect_word("by")?;
                // The partition column is a name: `by Computer (ops)` does not call it.
                let by = self.parameter_value()?;
                let body = if self.eat(T::LBrace) {
                    let query = self.pipe_expr()?;
                    self.expect(T::RBrace, "`}`")?;
                    PartitionBody::Query(Box::new(query))
                } else {
                    self.expect(
                        T::LParen,
                        "`(` and the operators to apply to each partition",
                    )?;
                    let operators = self.operator_chain()?;
                    self.expect(T::RParen, "`)`")?;
                    PartitionBody::Operators(operators)
                };
                O::Partition {
                    parameters,
                    by,
                    body,
                }
            }
            "reduce" => {
                let parameters = self.parameters(&["kind"])?;
                self.expect_word("by")?;
                let by = self.expr()?;
                let with = if self.eat_word("with") {
                    self.named_exprs()?
                } else {
                    Vec::new()
                };
                O::Reduce {
                    parameters,
                    by,
                    with,
                }
            }
            other => {
                let suggestion = did_you_mean(other, OPERATORS.iter().copied())
                    .map(|m| format!("; did you mean `{m}`?"))
                    .unwrap_or_default();
                return Err(self.error_at(
                    token,
                    format!("`{other}` is not a query operator{suggestion}"),
                ));
            }
        })
    }

    /// Whether the operator ends here (nothing more to read).
    fn ends_operator(&self) -> bool {
        matches!(
            self.kind(),
            T::Pipe | T::Semicolon | T::RParen | T::RBrace | T::RBracket | T::Eof
        )
    }

    /// The remaining tokens of an operator, as text.
    fn tokens_until_end(&mut self, stop_at_pipe: bool) -> Tokens {
        let start = self.start();
        let mut tokens = Vec::new();
        let mut depth = 0usize;
        loop {
            match self.kind() {
                T::Eof => break,
                T::Pipe if depth == 0 && stop_at_pipe => break,
                T::Semicolon if depth == 0 => break,
                T::LParen | T::LBracket | T::LBrace => depth += 1,
                T::RParen | T::RBracket | T::RBrace => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            let token = self.bump();
            tokens.push(self.text_of(token).to_owned());
        }
        Tokens {
            texts: tokens,
            span: self.span_from(start),
        }
    }

    /// `name=value ...` parameters the operator accepts (`hint` allows every `hint.*`).
    fn parameters(&mut self, allowed: &[&str]) -> PResult<Vec<OperatorParameter>> {
        let mut parameters = Vec::new();
        while let Some(first) = self.word_at(0) {
            // The name may be dotted: `hint.strategy`.
            let mut len = 1;
            while self.kind_at(len) == T::Dot && self.kind_at(len + 1) == T::Word {
                len += 2;
            }
            let is_allowed = allowed.contains(&first) && (len == 1 || first == "hint");
            if !is_allowed || self.kind_at(len) != T::Eq {
                break;
            }
            let start = self.start();
            let name = self.dotted_name()?.text;
            self.bump(); // =
            // A value is a word or a literal, never a call: `kind=inner (T)` joins `(T)`.
            let value = self.parameter_value()?;
            parameters.push(OperatorParameter {
                name,
                value,
                span: self.span_from(start),
            });
        }
        Ok(parameters)
    }

    fn parameter_value(&mut self) -> PResult<Expr> {
        let start = self.start();
        if matches!(self.kind(), T::Minus | T::Plus) {
            return self.unary();
        }
        let expr = self.primary()?;
        // `hint.remote=cluster.name` style values are dotted words.
        let mut expr = expr;
        while self.at(T::Dot)
            && self.kind_at(1) == T::Word
            && self.tok(0).start as usize == self.prev_end
        {
            self.bump();
            let member = self.name()?;
            expr = Expr::new(
                ExprKind::Path {
                    target: Box::new(expr),
                    member,
                },
                self.span_from(start),
            );
        }
        Ok(expr)
    }

    /// `kind=regex|simple|relaxed [flags=U]` of `parse`.
    fn parse_kind(&mut self) -> PResult<Vec<OperatorParameter>> {
        let mut parameters = Vec::new();
        while matches!(self.word_at(0), Some("kind" | "flags")) && self.kind_at(1) == T::Eq {
            let start = self.start();
            let name = self.name()?.text;
            self.bump();
            let value = self.parameter_value()?;
            parameters.push(OperatorParameter {
                name,
                value,
                span: self.span_from(start),
            });
        }
        Ok(parameters)
    }

    fn parse_pattern(&mut self) -> PResult<Vec<ParsePart>> {
        let mut pattern = Vec::new();
        loop {
            match self.kind() {
                T::Star => {
                    self.bump();
                    pattern.push(ParsePart::Star);
                }
                T::String => pattern.push(ParsePart::Text(self.string_literal_value()?)),
                T::Word | T::LBracket if self.at_name(0) => {
                    let name = self.name()?;
                    let type_name = if self.eat(T::Colon) {
                        Some(self.type_name()?)
                    } else {
                        None
                    };
                    pattern.push(ParsePart::Column { name, type_name });
                }
                _ if pattern.is_empty() => return Err(self.expected("a `parse` pattern")),
                _ => break,
            }
        }
        Ok(pattern)
    }

    fn mv_items(&mut self) -> PResult<Vec<MvItem>> {
        let mut items = Vec::new();
        loop {
            let start = self.start();
            let value = self.named_expr()?;
            let to_type = if self.at_word("to") && self.word_at(1) == Some("typeof") {
                self.bump();
                let literal = self.primary()?;
                match literal.kind {
                    ExprKind::Literal(Literal::Typed { text, .. }) => Some(text),
                    _ => return Err(self.expected("`typeof(type)`")),
                }
            } else {
                None
            };
            items.push(MvItem {
                value,
                to_type,
                span: self.span_from(start),
            });
            if !self.eat(T::Comma) {
                break;
            }
        }
        Ok(items)
    }

    fn make_series(&mut self) -> PResult<OperatorKind> {
        let parameters = self.parameters(&["kind", "hint"])?;
        let mut aggregates = Vec::new();
        loop {
            let start = self.start();
            let value = self.named_expr()?;
            let default = if self.at_word("default") && self.kind_at(1) == T::Eq {
                self.bump();
                self.bump();
                Some(self.expr()?)
            } else {
                None
            };
            aggregates.push(SeriesAggregate {
                value,
                default,
                span: self.span_from(start),
            });
            if !self.eat(T::Comma) {
                break;
            }
        }
        self.expect_word("on")?;
        let on = self.named_expr()?;
        let start = self.start();
        let range = if self.at_word("in") && self.word_at(1) == Some("range") {
            self.bump();
            self.bump();
            self.expect(T::LParen, "`(`")?;
            let from = self.expr()?;
            self.expect(T::Comma, "`,`")?;
            let to = self.expr()?;
            self.expect(T::Comma, "`,`")?;
            let step = self.expr()?;
            self.expect(T::RParen, "`)`")?;
            SeriesRange::InRange {
                from,
                to,
                step,
                span: self.span_from(start),
            }
        } else {
            let from = if self.eat_word("from") {
                Some(self.expr()?)
            } else {
                None
            };
            let to = if self.eat_word("to") {
                Some(self.expr()?)
            } else {
                None
            };
            self.expect_word("step")?;
            let step = self.expr()?;
            SeriesRange::FromTo {
                from,
                to,
                step,
                span: self.span_from(start),
            }
        };
        let by = if self.eat_word("by") {
            self.named_exprs()?
        } else {
            Vec::new()
        };
        Ok(OperatorKind::MakeSeries {
            parameters,
            aggregates,
            on,
            range: Box::new(range),
            by,
        })
    }

    fn search_or_find(&mut self, word: &str) -> PResult<OperatorKind> {
        let parameters =
            self.parameters(&["kind", "withsource", "with_source", "hint", "datascope"])?;
        let mut tables = Vec::new();
        if self.at_word("in") && self.kind_at(1) == T::LParen {
            self.bump();
            self.bump();
            loop {
                tables.push(self.union_source()?);
                if !self.eat(T::Comma) {
                    break;
                }
            }
            self.expect(T::RParen, "`)` to close the list of tables")?;
        }
        if word == "find" {
            self.eat_word("where");
        }
        let saved = self.colon_has;
        self.colon_has = true;
        let predicate = if self.at(T::Star)
            && matches!(self.kind_at(1), T::Pipe | T::Eof | T::Semicolon | T::RParen)
        {
            let start = self.start();
            self.bump();
            Ok(Expr::new(
                ExprKind::Wildcard("*".into()),
                self.span_from(start),
            ))
        } else {
            self.expr()
        };
        self.colon_has = saved;
        let predicate = predicate?;
        Ok(if word == "search" {
            OperatorKind::Search {
                parameters,
                tables,
                predicate,
            }
        } else {
            let project = if self.ends_operator() {
                Tokens {
                    texts: Vec::new(),
                    span: Span::empty(self.prev_end),
                }
            } else {
                self.tokens_until_end(true)
            };
            OperatorKind::Find {
                parameters,
                tables,
                predicate,
                project,
            }
        })
    }

    /// A source of `union` (and of `search in`/`find in`): a name or name pattern
    /// (`Security*`), a call, or a parenthesized query.
    fn union_source(&mut self) -> PResult<Expr> {
        if let Some(pattern) = self.wildcard() {
            return Ok(pattern);
        }
        self.unary()
    }

    /// `Table*`, `*`, `*_s`, `Prefix*Suffix`: a name pattern written without spaces.
    fn wildcard(&mut self) -> Option<Expr> {
        let start = self.start();
        let (mut len, mut end, mut has_star) = (0, start, false);
        loop {
            let token = self.tok(len);
            if len > 0 && token.start as usize != end {
                break;
            }
            match token.kind {
                T::Star => has_star = true,
                T::Word => {}
                T::Int if len > 0 => {}
                _ => break,
            }
            end = token.end as usize;
            len += 1;
        }
        if !has_star {
            return None;
        }
        for _ in 0..len {
            self.bump();
        }
        Some(Expr::new(
            ExprKind::Wildcard(self.text[start..end].to_owned()),
            Span::new(start, end),
        ))
    }

    /// A column of `project-away`, `project-keep`, `project-reorder`: a name or pattern.
    fn column_pattern(&mut self) -> PResult<Expr> {
        if let Some(pattern) = self.wildcard() {
            return Ok(pattern);
        }
        let name = self.name()?;
        let span = name.span;
        Ok(Expr::new(ExprKind::Name(name), span))
    }

    fn column_patterns(&mut self) -> PResult<Vec<Expr>> {
        let mut columns = Vec::new();
        if self.ends_operator() {
            return Ok(columns);
        }
        loop {
            columns.push(self.column_pattern()?);
            if !self.eat(T::Comma) {
                break;
            }
        }
        Ok(columns)
    }

    /// Items separated by commas up to `close` (not consumed): `trailing` allows a comma
    /// before `close` (datatable values, schemas), `empty` allows no item at all.
    fn comma_list<R>(
        &mut self,
        close: T,
        empty: bool,
        trailing: bool,
        mut item: impl FnMut(&mut Self) -> PResult<R>,
    ) -> PResult<Vec<R>> {
        let mut items = Vec::new();
        if self.at(close) {
            return if empty {
                Ok(items)
            } else {
                Err(self.expected("a value"))
            };
        }
        loop {
            items.push(item(self)?);
            if !self.eat(T::Comma) {
                break;
            }
            if self.at(close) {
                if trailing {
                    break;
                }
                let token = self.tok(0);
                return Err(self.error_at(
                    token,
                    "expected a value after `,` (a list cannot end with a comma)",
                ));
            }
        }
        Ok(items)
    }

    // ---- named and ordered expressions --------------------------------------------------

    /// Named expressions, or none when the operator ends here (`project`, `serialize`).
    fn optional_named_exprs(&mut self) -> PResult<Vec<NamedExpr>> {
        if self.ends_operator() {
            Ok(Vec::new())
        } else {
            self.named_exprs()
        }
    }

    fn named_exprs(&mut self) -> PResult<Vec<NamedExpr>> {
        let mut list = vec![self.named_expr()?];
        while self.eat(T::Comma) {
            list.push(self.named_expr()?);
        }
        Ok(list)
    }

    /// `expr`, `name = expr`, `(a, b) = expr`.
    fn named_expr(&mut self) -> PResult<NamedExpr> {
        let start = self.start();
        let (names, value) = self.names_and_value()?;
        Ok(NamedExpr {
            names,
            value,
            span: self.span_from(start),
        })
    }

    fn names_and_value(&mut self) -> PResult<(Vec<Name>, Expr)> {
        if self.at_name(0) && self.kind_at(self.name_len(0)) == T::Eq {
            let name = self.name()?;
            self.bump();
            return Ok((vec![name], self.expr()?));
        }
        if self.at(T::LParen) && self.name_list_ahead() {
            self.bump();
            let mut names = vec![self.name()?];
            while self.eat(T::Comma) {
                names.push(self.name()?);
            }
            self.expect(T::RParen, "`)`")?;
            self.expect(T::Eq, "`=`")?;
            return Ok((names, self.expr()?));
        }
        Ok((Vec::new(), self.expr()?))
    }

    /// At `(`: `(name, name, ...) =`?
    fn name_list_ahead(&self) -> bool {
        let mut at = 1;
        loop {
            if !self.at_name(at) {
                return false;
            }
            at += self.name_len(at);
            match self.kind_at(at) {
                T::Comma => at += 1,
                T::RParen => return self.kind_at(at + 1) == T::Eq,
                _ => return false,
            }
        }
    }

    fn expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut list = vec![self.expr()?];
        while self.eat(T::Comma) {
            list.push(self.expr()?);
        }
        Ok(list)
    }

    fn order_word(&mut self) -> Option<bool> {
        if self.eat_word("asc") || self.eat_word("granny-asc") {
            Some(false)
        } else if self.eat_word("desc") || self.eat_word("granny-desc") {
            Some(true)
        } else {
            None
        }
    }

    fn ordered(&mut self) -> PResult<OrderedExpr> {
        let start = self.start();
        let value = self.named_expr()?.value;
        let descending = self.order_word();
        let nulls_first = if self.eat_word("nulls") {
            if self.eat_word("first") {
                Some(true)
            } else {
                self.expect_word("last")?;
                Some(false)
            }
        } else {
            None
        };
        Ok(OrderedExpr {
            value,
            descending,
            nulls_first,
            span: self.span_from(start),
        })
    }

    fn ordered_list(&mut self) -> PResult<Vec<OrderedExpr>> {
        let mut list = vec![self.ordered()?];
        while self.eat(T::Comma) {
            list.push(self.ordered()?);
        }
        Ok(list)
    }

    // ---- expressions --------------------------------------------------------------------

    fn expr(&mut self) -> PResult<Expr> {
        self.binary(0)
    }

    fn peek_infix(&self) -> Option<Infix> {
        let token = self.tok(0);
        let text = self.text_of(token);
        let string_op = |spelling: &str| {
            STRING_OPS
                .iter()
                .find(|op| **op == spelling)
                .map(|op| Infix::Binary(BinaryOp::String(StringOp(op)), 1))
        };
        let list_follows = self.kind_at(1) == T::LParen;
        match token.kind {
            T::EqEq => Some(Infix::Binary(BinaryOp::Equal, 1)),
            T::NotEq | T::LtGt => Some(Infix::Binary(BinaryOp::NotEqual, 1)),
            T::Lt => Some(Infix::Binary(BinaryOp::Less, 1)),
            T::Le => Some(Infix::Binary(BinaryOp::LessOrEqual, 1)),
            T::Gt => Some(Infix::Binary(BinaryOp::Greater, 1)),
            T::Ge => Some(Infix::Binary(BinaryOp::GreaterOrEqual, 1)),
            T::Plus => Some(Infix::Binary(BinaryOp::Add, 1)),
            T::Minus => Some(Infix::Binary(BinaryOp::Subtract, 1)),
            T::Star => Some(Infix::Binary(BinaryOp::Multiply, 1)),
            T::Slash => Some(Infix::Binary(BinaryOp::Divide, 1)),
            T::Percent => Some(Infix::Binary(BinaryOp::Modulo, 1)),
            T::EqTilde => string_op("=~"),
            T::NotTilde => string_op("!~"),
            T::Colon if self.colon_has => string_op(":"),
            T::Word | T::NegatedWord => match text {
                "or" => Some(Infix::Binary(BinaryOp::Or, 1)),
                "and" => Some(Infix::Binary(BinaryOp::And, 1)),
                "in" if list_follows => Some(Infix::List(ListOp::In)),
                "!in" if list_follows => Some(Infix::List(ListOp::NotIn)),
                "in~" if list_follows => Some(Infix::List(ListOp::InCi)),
                "!in~" if list_follows => Some(Infix::List(ListOp::NotInCi)),
                "has_any" if list_follows => Some(Infix::List(ListOp::HasAny)),
                "has_all" if list_follows => Some(Infix::List(ListOp::HasAll)),
                "between" if list_follows => Some(Infix::Between(false)),
                "!between" if list_follows => Some(Infix::Between(true)),
                "matches" if self.word_at(1) == Some("regex") => STRING_OPS
                    .iter()
                    .find(|op| **op == "matches regex")
                    .map(|op| Infix::Binary(BinaryOp::String(StringOp(op)), 2)),
                _ => string_op(text),
            },
            _ => None,
        }
    }

    fn binary(&mut self, min_precedence: u8) -> PResult<Expr> {
        self.nested(|p| {
            let start = p.start();
            let mut left = p.unary()?;
            let mut levels = 0;
            let result = loop {
                let Some(infix) = p.peek_infix() else {
                    break Ok(left);
                };
                let precedence = infix.precedence();
                if precedence < min_precedence {
                    break Ok(left);
                }
                if let Err(stop) = p.chain() {
                    break Err(stop);
                }
                levels += 1;
                let operator = p.tok(0);
                let next = p.binary_step(left, infix, operator, precedence, start);
                match next {
                    Ok(expr) => left = expr,
                    Err(stop) => break Err(stop),
                }
            };
            p.unchain(levels);
            result
        })
    }

    /// One operator of a chain and its right side.
    fn binary_step(
        &mut self,
        left: Expr,
        infix: Infix,
        operator: Token,
        precedence: u8,
        start: usize,
    ) -> PResult<Expr> {
        let p = self;
        Ok(match infix {
            Infix::Binary(op, tokens) => {
                for _ in 0..tokens {
                    p.bump();
                }
                let right = p.operand_after(operator, precedence + 1)?;
                Expr::new(
                    ExprKind::Binary {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    p.span_from(start),
                )
            }
            Infix::List(op) => {
                p.bump();
                p.bump(); // (
                let list = p.comma_list(T::RParen, false, false, |p| p.pipe_expr())?;
                p.expect(T::RParen, "`)` to close the list")?;
                Expr::new(
                    ExprKind::InList {
                        op,
                        left: Box::new(left),
                        list,
                    },
                    p.span_from(start),
                )
            }
            Infix::Between(negated) => {
                p.bump();
                p.bump(); // (
                let low = p.expr()?;
                p.expect(T::DotDot, "`..` between the two ends of the range")?;
                let high = p.expr()?;
                p.expect(T::RParen, "`)` to close the range")?;
                Expr::new(
                    ExprKind::Between {
                        negated,
                        left: Box::new(left),
                        low: Box::new(low),
                        high: Box::new(high),
                    },
                    p.span_from(start),
                )
            }
        })
    }

    /// The right side of a binary operator, with an error that names the operator.
    fn operand_after(&mut self, operator: Token, precedence: u8) -> PResult<Expr> {
        if self.starts_operand() {
            return self.binary(precedence);
        }
        let found = self.describe(self.tok(0));
        let op = self.text_of(operator).to_owned();
        let token = self.tok(0);
        Err(self.error_at(
            token,
            format!("expected an expression after `{op}`, found {found}"),
        ))
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.kind(),
            T::Word
                | T::Int
                | T::Real
                | T::Timespan
                | T::String
                | T::LParen
                | T::LBracket
                | T::Minus
                | T::Plus
                | T::Star
        )
    }

    fn unary(&mut self) -> PResult<Expr> {
        let start = self.start();
        let op = match self.kind() {
            T::Minus => UnaryOp::Minus,
            T::Plus => UnaryOp::Plus,
            _ => {
                let primary = self.primary()?;
                return self.postfix(primary, start);
            }
        };
        self.bump();
        self.nested(|p| {
            let operand = p.unary()?;
            Ok(Expr::new(
                ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
                p.span_from(start),
            ))
        })
    }

    /// Calls, members and indexes after an expression (`a.b(c)[d]`), read in a loop.
    fn postfix(&mut self, expr: Expr, start: usize) -> PResult<Expr> {
        let mut levels = 0;
        let mut expr = Ok(expr);
        while let Ok(target) = expr {
            let continues = matches!(
                (self.kind(), &target.kind),
                (T::LParen, ExprKind::Name(_) | ExprKind::Path { .. }) | (T::LBracket, _)
            ) || self.kind() == T::Dot
                && matches!(self.kind_at(1), T::Word | T::LBracket);
            if !continues {
                expr = Ok(target);
                break;
            }
            if let Err(stop) = self.chain() {
                expr = Err(stop);
                break;
            }
            levels += 1;
            expr = self.postfix_step(target, start);
        }
        self.unchain(levels);
        expr
    }

    /// One call, member or index after an expression.
    fn postfix_step(&mut self, expr: Expr, start: usize) -> PResult<Expr> {
        let kind = match self.kind() {
            T::LParen => ExprKind::Call {
                callee: Box::new(expr),
                arguments: self.arguments()?,
            },
            T::Dot => {
                self.bump();
                if self.at_name(0) {
                    ExprKind::Path {
                        target: Box::new(expr),
                        member: self.name()?,
                    }
                } else {
                    // `.[expression]`: the legacy form of an index
                    self.bump();
                    let index = self.expr()?;
                    self.expect(T::RBracket, "`]`")?;
                    ExprKind::Index {
                        target: Box::new(expr),
                        index: Box::new(index),
                    }
                }
            }
            _ => {
                self.bump();
                let index = self.nested(|p| p.expr())?;
                self.expect(T::RBracket, "`]` to close the index")?;
                ExprKind::Index {
                    target: Box::new(expr),
                    index: Box::new(index),
                }
            }
        };
        Ok(Expr::new(kind, self.span_from(start)))
    }

    /// `(argument, name = argument, *)`
    fn arguments(&mut self) -> PResult<Vec<Argument>> {
        self.expect(T::LParen, "`(`")?;
        let arguments = self.comma_list(T::RParen, true, false, |p| {
            let start = p.start();
            Ok(if p.at_name(0) && p.kind_at(p.name_len(0)) == T::Eq {
                let name = p.name()?;
                p.bump();
                let value = p.pipe_expr()?;
                Argument {
                    name: Some(name),
                    value,
                    span: p.span_from(start),
                }
            } else if p.at(T::Star) && matches!(p.kind_at(1), T::Comma | T::RParen) {
                p.bump();
                Argument {
                    name: None,
                    value: Expr::new(ExprKind::Wildcard("*".into()), p.span_from(start)),
                    span: p.span_from(start),
                }
            } else {
                let value = p.pipe_expr()?;
                Argument {
                    name: None,
                    value,
                    span: p.span_from(start),
                }
            })
        })?;
        self.expect(T::RParen, "`)` to close the arguments")?;
        Ok(arguments)
    }

    /// Adjacent string literals, concatenated.
    fn string_literal_value(&mut self) -> PResult<String> {
        let mut value = self.string_token()?;
        while self.at(T::String) {
            value.push_str(&self.string_token()?);
        }
        Ok(value)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.start();
        let token = self.tok(0);
        let kind = match token.kind {
            T::Int => {
                self.bump();
                ExprKind::Literal(Literal::Int(self.text_of(token).to_owned()))
            }
            T::Real => {
                self.bump();
                ExprKind::Literal(Literal::Real(self.text_of(token).to_owned()))
            }
            T::Timespan => {
                self.bump();
                ExprKind::Literal(Literal::Timespan(self.text_of(token).to_owned()))
            }
            T::String => {
                let obfuscated = self.text_of(token).starts_with(['h', 'H']);
                ExprKind::Literal(Literal::String {
                    value: self.string_literal_value()?,
                    obfuscated,
                })
            }
            T::LParen => {
                self.bump();
                let inner = self.pipe_expr()?;
                self.expect(T::RParen, "`)`")?;
                ExprKind::Paren(Box::new(inner))
            }
            T::LBracket if self.at_name(0) => ExprKind::Name(self.name()?),
            T::Star => {
                self.bump();
                ExprKind::Wildcard("*".into())
            }
            T::Word => return self.word_primary(start),
            _ => {
                let found = self.describe(token);
                return Err(self.error_at(token, format!("expected an expression, found {found}")));
            }
        };
        Ok(Expr::new(kind, self.span_from(start)))
    }

    fn word_primary(&mut self, start: usize) -> PResult<Expr> {
        let word = self.word_at(0).unwrap_or_default();
        let next = self.kind_at(1);
        let kind = match word {
            "true" | "True" | "TRUE" if next != T::LParen => {
                self.bump();
                ExprKind::Literal(Literal::Bool(true))
            }
            "false" | "False" | "FALSE" if next != T::LParen => {
                self.bump();
                ExprKind::Literal(Literal::Bool(false))
            }
            "dynamic" if next == T::LParen => {
                self.bump();
                self.bump();
                let value = self.nested(|p| p.dynamic_value())?;
                self.expect(T::RParen, "`)` to close `dynamic(`")?;
                ExprKind::Literal(Literal::Dynamic(value))
            }
            w if TYPED_LITERALS.contains(&w) && next == T::LParen => {
                self.bump();
                let (type_name, text) = (w.to_owned(), self.raw_parenthesized()?);
                ExprKind::Literal(Literal::Typed { type_name, text })
            }
            "datatable" if matches!(next, T::LParen | T::Word) => {
                self.bump();
                let _ = self.parameters(&["hint"])?;
                let columns = self.schema()?;
                self.expect(T::LBracket, "`[` and the values of the table")?;
                let values = self.comma_list(T::RBracket, true, true, |p| p.unary())?;
                self.expect(T::RBracket, "`]` to close the values")?;
                ExprKind::Datatable { columns, values }
            }
            "externaldata" | "external_data" if matches!(next, T::LParen | T::Word) => {
                self.bump();
                let _ = self.parameters(&["kind"])?;
                let columns = self.schema()?;
                self.expect(T::LBracket, "`[` and the URLs")?;
                let urls = self.comma_list(T::RBracket, false, false, |p| p.unary())?;
                self.expect(T::RBracket, "`]` to close the URLs")?;
                let properties = if self.at_word("with") && self.kind_at(1) == T::LParen {
                    self.bump();
                    self.bump();
                    let tokens = self.tokens_until_end(false);
                    self.expect(T::RParen, "`)`")?;
                    tokens
                } else {
                    Tokens {
                        texts: Vec::new(),
                        span: Span::empty(self.prev_end),
                    }
                };
                ExprKind::ExternalData {
                    columns,
                    urls,
                    properties,
                }
            }
            _ => ExprKind::Name(self.name()?),
        };
        Ok(Expr::new(kind, self.span_from(start)))
    }

    /// The text between `(` and its `)` (consumed), trimmed: the content of a typed literal.
    fn raw_parenthesized(&mut self) -> PResult<String> {
        let open = self.expect(T::LParen, "`(`")?;
        let mut depth = 0usize;
        loop {
            match self.kind() {
                T::Eof => return Err(self.expected("`)`")),
                T::LParen => depth += 1,
                T::RParen if depth == 0 => break,
                T::RParen => depth -= 1,
                _ => {}
            }
            self.bump();
        }
        let close = self.bump();
        Ok(self.text[open.end as usize..close.start as usize]
            .trim()
            .to_owned())
    }

    fn dynamic_value(&mut self) -> PResult<Dynamic> {
        let token = self.tok(0);
        Ok(match token.kind {
            T::LBracket => {
                self.bump();
                let items = self.comma_list(T::RBracket, true, false, |p| {
                    p.nested(|p| p.dynamic_value())
                })?;
                self.expect(T::RBracket, "`]` to close the array")?;
                Dynamic::Array(items)
            }
            T::LBrace => {
                self.bump();
                let pairs = self.comma_list(T::RBrace, true, false, |p| {
                    let key = match p.kind() {
                        T::String => p.string_literal_value()?,
                        T::Word => {
                            let t = p.bump();
                            p.text_of(t).to_owned()
                        }
                        _ => return Err(p.expected("a property name")),
                    };
                    p.expect(T::Colon, "`:` after the property name")?;
                    let value = p.nested(|p| p.dynamic_value())?;
                    Ok((key, value))
                })?;
                self.expect(T::RBrace, "`}` to close the object")?;
                Dynamic::Object(pairs)
            }
            T::String => Dynamic::String(self.string_literal_value()?),
            T::Int | T::Real | T::Timespan => {
                self.bump();
                Dynamic::Number(self.text_of(token).to_owned())
            }
            T::Minus | T::Plus if matches!(self.kind_at(1), T::Int | T::Real | T::Timespan) => {
                self.bump();
                let number = self.bump();
                Dynamic::Number(format!("{}{}", self.text_of(token), self.text_of(number)))
            }
            T::Word => {
                let word = self.text_of(token);
                match word {
                    "null" => {
                        self.bump();
                        Dynamic::Null
                    }
                    "true" | "True" | "TRUE" => {
                        self.bump();
                        Dynamic::Bool(true)
                    }
                    "false" | "False" | "FALSE" => {
                        self.bump();
                        Dynamic::Bool(false)
                    }
                    "dynamic" if self.kind_at(1) == T::LParen => {
                        self.bump();
                        self.bump();
                        let inner = self.nested(|p| p.dynamic_value())?;
                        self.expect(T::RParen, "`)`")?;
                        inner
                    }
                    w if TYPED_LITERALS.contains(&w) && self.kind_at(1) == T::LParen => {
                        self.bump();
                        Dynamic::Typed {
                            type_name: w.to_owned(),
                            text: self.raw_parenthesized()?,
                        }
                    }
                    _ => {
                        return Err(self.expected(
                            "a value (string, number, true, false, null, [...] or {...})",
                        ));
                    }
                }
            }
            _ => {
                return Err(
                    self.expected("a value (string, number, true, false, null, [...] or {...})")
                );
            }
        })
    }
}
