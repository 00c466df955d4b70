//! The syntax tree of a KQL query. Every node (each struct, and each struct variant of
//! `LetValue` and `SeriesRange`) has the byte span of its source text within the query
//! string; the enums are the alternatives of the node that holds them (`ExprKind` of
//! `Expr`), and values inside a literal (`Dynamic`) or a `parse` pattern share their node's
//! span. Spans are left out when a tree is serialized, so that two trees can be compared
//! by their JSON form. [`super::visit`] walks the tree.

use serde::Serialize;

/// A byte range in the query text.
pub type Span = crate::text::Span;

/// A whole query: statements separated by `;`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    pub statements: Vec<Statement>,
    #[serde(skip)]
    pub span: Span,
}

/// A statement of a query or function body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    #[serde(flatten)]
    pub kind: StatementKind,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum StatementKind {
    /// `let name = value`
    Let { name: Name, value: LetValue },
    /// `set name [= value]`
    Set { name: Name, value: Option<Expr> },
    /// `declare query_parameters (name: type [= default], ...)`
    DeclareQueryParameters { parameters: Vec<Parameter> },
    /// `alias database name = expression`, `restrict access to (...)`, `declare pattern`:
    /// kept as tokens.
    Other { keyword: String, tokens: Tokens },
    /// A tabular or scalar expression: the query's result.
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LetValue {
    Expr(Expr),
    /// `(parameters) { body }`
    Function {
        parameters: Vec<Parameter>,
        body: Body,
        #[serde(skip)]
        span: Span,
    },
    /// `view (parameters) { body }`
    View {
        parameters: Vec<Parameter>,
        body: Body,
        #[serde(skip)]
        span: Span,
    },
}

/// A function body: `{ let ...; expression }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    pub statements: Vec<Statement>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub name: Name,
    pub kind: ParameterKind,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ParameterKind {
    /// `name: type [= default]`
    Scalar {
        type_name: String,
        default: Option<Expr>,
    },
    /// `name: (column: type, ...)` or `name: (*)`
    Tabular { columns: Option<Vec<ColumnDecl>> },
}

/// `name: type` in a schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDecl {
    pub name: Name,
    pub type_name: String,
    #[serde(skip)]
    pub span: Span,
}

/// A name: an identifier, a keyword used as a name, or `['escaped name']`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    pub text: String,
    /// Written as `['...']` / `["..."]`.
    pub escaped: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    Literal(Literal),
    Name(Name),
    /// `*`, `Table*`, `*_s`: a name pattern.
    Wildcard(String),
    /// `target.member`
    Path {
        target: Box<Expr>,
        member: Name,
    },
    /// `target[index]`
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    /// `callee(arguments)`; `callee` is a name, or a path (`cluster('c').database('d')`).
    Call {
        callee: Box<Expr>,
        arguments: Vec<Argument>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `left in (a, b)`, `left !in~ (...)`, `left has_any (...)`
    InList {
        op: ListOp,
        left: Box<Expr>,
        list: Vec<Expr>,
    },
    /// `left between (low .. high)`
    Between {
        negated: bool,
        left: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
    },
    /// `(expression)`
    Paren(Box<Expr>),
    /// A source followed by `| operator`s.
    Pipeline {
        source: Box<Expr>,
        operators: Vec<Operator>,
    },
    /// `datatable (schema) [values]`
    Datatable {
        columns: Vec<ColumnDecl>,
        values: Vec<Expr>,
    },
    /// `externaldata (schema) [urls] with (properties)`
    ExternalData {
        columns: Vec<ColumnDecl>,
        urls: Vec<Expr>,
        properties: Tokens,
    },
    /// `range name from a to b step c`
    Range {
        name: Name,
        from: Box<Expr>,
        to: Box<Expr>,
        step: Box<Expr>,
    },
    /// `print name = value, ...`
    Print {
        columns: Vec<NamedExpr>,
    },
    /// An operator used as a source (`union`, `search`, `find`, `evaluate` without input).
    Source(Box<Operator>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    Plus,
    Minus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    /// A string operator: `=~`, `has`, `!contains`, `matches regex`, ... (its KQL spelling).
    String(StringOp),
}

/// The string operators, by their KQL spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StringOp(pub &'static str);

pub const STRING_OPS: [&str; 35] = [
    "=~",
    "!~",
    "has",
    "!has",
    "has_cs",
    "!has_cs",
    "hasprefix",
    "!hasprefix",
    "hasprefix_cs",
    "!hasprefix_cs",
    "hassuffix",
    "!hassuffix",
    "hassuffix_cs",
    "!hassuffix_cs",
    "contains",
    "!contains",
    "contains_cs",
    "!contains_cs",
    "containscs",
    "notcontains",
    "notcontainscs",
    "startswith",
    "!startswith",
    "startswith_cs",
    "!startswith_cs",
    "endswith",
    "!endswith",
    "endswith_cs",
    "!endswith_cs",
    "like",
    "notlike",
    "likecs",
    "notlikecs",
    "matches regex",
    // `Column:value` inside `search` and `find` (means `has`)
    ":",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ListOp {
    In,
    NotIn,
    InCi,
    NotInCi,
    HasAny,
    HasAll,
}

impl ListOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ListOp::In => "in",
            ListOp::NotIn => "!in",
            ListOp::InCi => "in~",
            ListOp::NotInCi => "!in~",
            ListOp::HasAny => "has_any",
            ListOp::HasAll => "has_all",
        }
    }
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessOrEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterOrEqual => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::String(op) => op.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    Bool(bool),
    /// The source text of the number (`42`, `0x1F`).
    Int(String),
    Real(String),
    /// `5m`, `1.5h`, `100ms`
    Timespan(String),
    String {
        value: String,
        obfuscated: bool,
    },
    /// `datetime(2024-01-01)`, `timespan(1d)`, `guid(...)`, `int(5)`, `typeof(string)`: the
    /// type and the text between the parentheses, trimmed.
    Typed {
        type_name: String,
        text: String,
    },
    Dynamic(Dynamic),
}

/// The value inside `dynamic(...)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Dynamic {
    Null,
    Bool(bool),
    /// A number, timespan or signed number, by its source text.
    Number(String),
    String(String),
    /// A typed literal inside a dynamic value (`datetime(...)`).
    Typed {
        type_name: String,
        text: String,
    },
    Array(Vec<Dynamic>),
    Object(Vec<(String, Dynamic)>),
}

/// A function argument: `value`, `name = value`, or `*`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Argument {
    pub name: Option<Name>,
    pub value: Expr,
    #[serde(skip)]
    pub span: Span,
}

/// `expression`, `name = expression`, or `(a, b) = expression`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedExpr {
    pub names: Vec<Name>,
    pub value: Expr,
    #[serde(skip)]
    pub span: Span,
}

/// `expression [asc|desc] [nulls first|last]`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderedExpr {
    pub value: Expr,
    pub descending: Option<bool>,
    pub nulls_first: Option<bool>,
    #[serde(skip)]
    pub span: Span,
}

/// `name = value` before an operator's arguments (`kind=inner`, `hint.strategy=shuffle`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatorParameter {
    pub name: String,
    pub value: Expr,
    #[serde(skip)]
    pub span: Span,
}

/// Tokens kept as text where the structure does not matter to sentinel-lint (render
/// properties, scan steps, rare operators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Tokens {
    pub texts: Vec<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operator {
    pub kind: OperatorKind,
    #[serde(skip)]
    pub span: Span,
}

impl Operator {
    /// The span of its keyword as written in `query` (`mvexpand`, `mv-expand`, `order`).
    pub fn keyword_span(span: Span, query: &str) -> Span {
        let written = query.get(span.start..span.end).unwrap_or_default();
        let len = written
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(written.len());
        Span::new(span.start, span.start + len)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum OperatorKind {
    Where {
        parameters: Vec<OperatorParameter>,
        predicate: Expr,
    },
    Project {
        columns: Vec<NamedExpr>,
    },
    ProjectAway {
        columns: Vec<Expr>,
    },
    ProjectKeep {
        columns: Vec<Expr>,
    },
    ProjectRename {
        columns: Vec<NamedExpr>,
    },
    ProjectReorder {
        columns: Vec<OrderedExpr>,
    },
    ProjectSmart,
    Extend {
        columns: Vec<NamedExpr>,
    },
    Summarize {
        parameters: Vec<OperatorParameter>,
        aggregates: Vec<NamedExpr>,
        by: Vec<NamedExpr>,
    },
    Join {
        parameters: Vec<OperatorParameter>,
        right: Expr,
        on: Vec<Expr>,
        predicate: Option<Expr>,
    },
    Lookup {
        parameters: Vec<OperatorParameter>,
        right: Expr,
        on: Vec<Expr>,
    },
    Union {
        parameters: Vec<OperatorParameter>,
        sources: Vec<Expr>,
    },
    Parse {
        where_: bool,
        parameters: Vec<OperatorParameter>,
        source: Expr,
        pattern: Vec<ParsePart>,
    },
    ParseKv {
        source: Expr,
        columns: Vec<ColumnDecl>,
        properties: Vec<OperatorParameter>,
    },
    MvExpand {
        parameters: Vec<OperatorParameter>,
        items: Vec<MvItem>,
        limit: Option<Expr>,
    },
    MvApply {
        parameters: Vec<OperatorParameter>,
        items: Vec<MvItem>,
        limit: Option<Expr>,
        id: Option<Expr>,
        body: Vec<Operator>,
    },
    MakeSeries {
        parameters: Vec<OperatorParameter>,
        aggregates: Vec<SeriesAggregate>,
        on: NamedExpr,
        range: Box<SeriesRange>,
        by: Vec<NamedExpr>,
    },
    Top {
        parameters: Vec<OperatorParameter>,
        count: Expr,
        by: Vec<OrderedExpr>,
    },
    TopNested {
        levels: Vec<TopNestedLevel>,
    },
    TopHitters {
        count: Expr,
        of: Expr,
        by: Option<Expr>,
    },
    Sort {
        parameters: Vec<OperatorParameter>,
        by: Vec<OrderedExpr>,
    },
    Take {
        parameters: Vec<OperatorParameter>,
        count: Expr,
    },
    /// `distinct *` has no columns.
    Distinct {
        parameters: Vec<OperatorParameter>,
        columns: Vec<NamedExpr>,
    },
    Count {
        as_name: Option<Name>,
    },
    Evaluate {
        parameters: Vec<OperatorParameter>,
        call: Expr,
        schema: Option<Vec<ColumnDecl>>,
    },
    Invoke {
        call: Expr,
    },
    Render {
        chart: String,
        properties: Tokens,
    },
    As {
        parameters: Vec<OperatorParameter>,
        name: Name,
    },
    Serialize {
        columns: Vec<NamedExpr>,
    },
    Sample {
        count: Expr,
    },
    SampleDistinct {
        count: Expr,
        of: Expr,
    },
    GetSchema,
    Search {
        parameters: Vec<OperatorParameter>,
        tables: Vec<Expr>,
        predicate: Expr,
    },
    Find {
        parameters: Vec<OperatorParameter>,
        tables: Vec<Expr>,
        predicate: Expr,
        project: Tokens,
    },
    Fork {
        branches: Vec<ForkBranch>,
    },
    Facet {
        columns: Vec<Expr>,
        with: Vec<Operator>,
    },
    Partition {
        parameters: Vec<OperatorParameter>,
        by: Expr,
        body: PartitionBody,
    },
    /// `reduce by Column [with ...]`
    Reduce {
        parameters: Vec<OperatorParameter>,
        by: Expr,
        with: Vec<NamedExpr>,
    },
    /// Operators sentinel-lint keeps as tokens: `scan`, `consume`, graph operators, ...
    Other {
        keyword: String,
        tokens: Tokens,
    },
}

/// A part of a `parse` pattern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ParsePart {
    Star,
    Text(String),
    Column {
        name: Name,
        type_name: Option<String>,
    },
}

/// `expression [to typeof(type)]` of `mv-expand` and `mv-apply`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MvItem {
    pub value: NamedExpr,
    pub to_type: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesAggregate {
    pub value: NamedExpr,
    pub default: Option<Expr>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SeriesRange {
    /// `in range(from, to, step)`
    InRange {
        from: Expr,
        to: Expr,
        step: Expr,
        #[serde(skip)]
        span: Span,
    },
    /// `[from a] [to b] step c`
    FromTo {
        from: Option<Expr>,
        to: Option<Expr>,
        step: Expr,
        #[serde(skip)]
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopNestedLevel {
    pub count: Option<Expr>,
    pub of: NamedExpr,
    pub others: Option<NamedExpr>,
    pub by: OrderedExpr,
    #[serde(skip)]
    pub span: Span,
}

/// What `partition` applies to each partition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PartitionBody {
    /// `( operators )`
    Operators(Vec<Operator>),
    /// `{ query }`
    Query(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForkBranch {
    pub name: Option<Name>,
    pub operators: Vec<Operator>,
    #[serde(skip)]
    pub span: Span,
}

impl OperatorKind {
    /// The operator's keyword as the printer writes it (`sort` for `order`, `take` for
    /// `limit`).
    pub fn keyword(&self) -> &str {
        match self {
            OperatorKind::Where { .. } => "where",
            OperatorKind::Project { .. } => "project",
            OperatorKind::ProjectAway { .. } => "project-away",
            OperatorKind::ProjectKeep { .. } => "project-keep",
            OperatorKind::ProjectRename { .. } => "project-rename",
            OperatorKind::ProjectReorder { .. } => "project-reorder",
            OperatorKind::ProjectSmart => "project-smart",
            OperatorKind::Extend { .. } => "extend",
            OperatorKind::Summarize { .. } => "summarize",
            OperatorKind::Join { .. } => "join",
            OperatorKind::Lookup { .. } => "lookup",
            OperatorKind::Union { .. } => "union",
            OperatorKind::ParseKv { .. } => "parse-kv",
            OperatorKind::MvExpand { .. } => "mv-expand",
            OperatorKind::MvApply { .. } => "mv-apply",
            OperatorKind::MakeSeries { .. } => "make-series",
            OperatorKind::Top { .. } => "top",
            OperatorKind::TopNested { .. } => "top-nested",
            OperatorKind::TopHitters { .. } => "top-hitters",
            OperatorKind::Sort { .. } => "sort",
            OperatorKind::Take { .. } => "take",
            OperatorKind::Distinct { .. } => "distinct",
            OperatorKind::Count { .. } => "count",
            OperatorKind::Evaluate { .. } => "evaluate",
            OperatorKind::Invoke { .. } => "invoke",
            OperatorKind::Render { .. } => "render",
            OperatorKind::As { .. } => "as",
            OperatorKind::Serialize { .. } => "serialize",
            OperatorKind::Sample { .. } => "sample",
            OperatorKind::SampleDistinct { .. } => "sample-distinct",
            OperatorKind::GetSchema => "getschema",
            OperatorKind::Search { .. } => "search",
            OperatorKind::Find { .. } => "find",
            OperatorKind::Fork { .. } => "fork",
            OperatorKind::Facet { .. } => "facet",
            OperatorKind::Partition { .. } => "partition",
            OperatorKind::Reduce { .. } => "reduce",
            OperatorKind::Parse { where_: true, .. } => "parse-where",
            OperatorKind::Parse { .. } => "parse",
            OperatorKind::Other { keyword, .. } => keyword,
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The name, when the expression is a plain name.
    pub fn as_name(&self) -> Option<&Name> {
        match &self.kind {
            ExprKind::Name(name) => Some(name),
            _ => None,
        }
    }

    /// The expression without enclosing parentheses.
    pub fn unparen(&self) -> &Expr {
        match &self.kind {
            ExprKind::Paren(inner) => inner.unparen(),
            _ => self,
        }
    }
}
