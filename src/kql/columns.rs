//! The result columns of a query, stage by stage, from the schemas of the tables it reads.
//!
//! A schema is *closed* (exactly these columns) or *open* (unknown: an operator or a name
//! this module does not understand, a table no schema knows). Below an open schema no
//! column is reported: a finding here must be one Kusto would make too. The tables and
//! functions come from a [`Catalog`] (the crate's reference data and the user's
//! configuration), so that this module knows only KQL.

use std::borrow::Cow;
use std::collections::HashMap;

use super::ast::*;
use crate::text::Span;

/// A column of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Borrowed from the catalog's tables, owned when the query makes the column.
    pub name: Cow<'static, str>,
    /// Its Kusto type (`string`, `datetime`, ...), empty when not known.
    pub kind: Cow<'static, str>,
}

impl Column {
    pub fn new(name: impl Into<Cow<'static, str>>, kind: impl Into<Cow<'static, str>>) -> Self {
        Column {
            name: name.into(),
            kind: kind.into(),
        }
    }
}

/// The columns of a tabular value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    Closed(Vec<Column>),
    /// Not known from here on: why, and where it became so.
    Open {
        why: String,
        span: Span,
    },
}

impl Schema {
    fn open(why: impl Into<String>, span: Span) -> Schema {
        Schema::Open {
            why: why.into(),
            span,
        }
    }

    fn has(&self, name: &str) -> bool {
        match self {
            Schema::Closed(columns) => columns.iter().any(|c| c.name == name),
            Schema::Open { .. } => true,
        }
    }

    /// The column names, when the schema is closed.
    pub fn names(&self) -> Option<Vec<&str>> {
        match self {
            Schema::Closed(columns) => Some(columns.iter().map(|c| c.name.as_ref()).collect()),
            Schema::Open { .. } => None,
        }
    }
}

/// How Kusto names the unnamed result column of an aggregate (`count()` -> `count_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateName {
    /// `prefix_` + the first argument when it is a column, else `prefix_`.
    PrefixAndFirstArgument(&'static str),
    /// Another rule: the result column must be named to be known.
    Other,
}

/// A function as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Function {
    /// A function whose tabular result has these columns.
    Tabular(Vec<Column>),
    /// A function whose result is not known (a parser without a schema, a watchlist).
    Opaque,
    /// A built-in scalar function (its arguments are scalar expressions).
    Scalar,
    /// An aggregate of `summarize`.
    Aggregate(AggregateName),
}

/// A table as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Table {
    /// Exactly these columns.
    Columns(Vec<Column>),
    /// A table whose columns are not known for certain (a second-hand schema).
    Open,
}

/// Where table and function schemas come from.
pub trait Catalog {
    /// A table; `None` when no source knows it.
    fn table(&self, name: &str) -> Option<Table>;
    /// A function; `None` when no source knows it.
    fn function(&self, name: &str) -> Option<Function>;
    /// A function called with this string as its first argument (a watchlist's alias).
    fn function_call(&self, name: &str, _first_argument: &str) -> Option<Function> {
        self.function(name)
    }
    /// Table names, for suggestions.
    fn table_names(&self) -> Vec<&str>;
}

/// A name that no schema knows, where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub name: String,
    pub span: Span,
    /// What it could have meant: for a column, the columns of the schema it was looked up
    /// in (for a table, the catalog's tables).
    pub candidates: Vec<String>,
}

/// What the analysis of a query found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// The result of the query's last tabular statement.
    pub result: Schema,
    pub unknown_tables: Vec<Unknown>,
    pub unknown_columns: Vec<Unknown>,
    /// Calls of functions neither Kusto nor the catalog nor the query defines (seen where
    /// the columns are known, and as sources).
    pub unknown_functions: Vec<Unknown>,
    /// The tables and functions the query reads, in the order it names them.
    pub sources: Vec<Source>,
    /// Each operator of the query, and whether its input's columns were known: a name
    /// inside an operator whose input is closed is one this analysis can judge.
    pub stages: Vec<(Span, bool)>,
}

/// A table, function or pattern the query reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub span: Span,
    pub kind: SourceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A table of the catalog.
    Table,
    /// A function of the catalog or of Kusto (a parser, `table()`, ...): which tables it
    /// reads is not known here.
    Function,
    /// A name no schema knows.
    Unknown,
    /// Every table, or those a pattern matches (`union *`, `search`, `find`).
    Pattern,
}

impl Analysis {
    /// Whether every table the query reads is named (no function, pattern or unknown name
    /// stands between the query and its tables).
    pub fn reads_only_named_tables(&self) -> bool {
        self.sources.iter().all(|s| s.kind == SourceKind::Table)
    }

    /// Whether the columns were known at an offset of the query: in the innermost operator
    /// that contains it.
    pub fn is_closed_at(&self, offset: usize) -> bool {
        self.stages
            .iter()
            .filter(|(span, _)| span.start <= offset && offset < span.end)
            .min_by_key(|(span, _)| span.end - span.start)
            .is_some_and(|&(_, closed)| closed)
    }
}

/// Analyse a query against a catalog.
pub fn analyze(query: &Query, catalog: &dyn Catalog) -> Analysis {
    let mut analyzer = Analyzer {
        catalog,
        lets: HashMap::new(),
        scopes: Vec::new(),
        unknown_tables: Vec::new(),
        unknown_columns: Vec::new(),
        unknown_functions: Vec::new(),
        stages: Vec::new(),
        sources: Vec::new(),
    };
    let result = analyzer.statements(&query.statements, query.span);
    Analysis {
        result,
        unknown_tables: analyzer.unknown_tables,
        unknown_columns: analyzer.unknown_columns,
        unknown_functions: analyzer.unknown_functions,
        stages: analyzer.stages,
        sources: analyzer.sources,
    }
}

/// What a `let` name stands for.
#[derive(Debug, Clone)]
enum Binding {
    Tabular(Schema),
    /// A scalar value (or something used as one).
    Scalar,
    /// A function of the query: the columns of its tabular result, when it has one (its
    /// scalar parameters do not change them).
    Function(Option<Schema>),
}

struct Analyzer<'c> {
    catalog: &'c dyn Catalog,
    lets: HashMap<String, Binding>,
    /// For each function body being analysed, the names it bound and what they stood for
    /// before (restored when the body ends: no copy of every name per function).
    scopes: Vec<Vec<(String, Option<Binding>)>>,
    unknown_tables: Vec<Unknown>,
    unknown_columns: Vec<Unknown>,
    unknown_functions: Vec<Unknown>,
    stages: Vec<(Span, bool)>,
    sources: Vec<Source>,
}

/// Functions whose arguments name tables and other entities, not columns of the input.
const UNCHECKED_ARGUMENTS: [&str; 6] = [
    "table",
    "cluster",
    "database",
    "view",
    "external_table",
    "materialized_view",
];

impl Analyzer<'_> {
    /// The statements of a query or function body: the result of the last tabular one.
    fn statements(&mut self, statements: &[Statement], span: Span) -> Schema {
        let mut result = Schema::open("no tabular result", span);
        for statement in statements {
            match &statement.kind {
                StatementKind::Let { name, value } => {
                    let binding = self.binding(value);
                    self.bind(&name.text, binding);
                }
                // A bare name is a table, known or not (`SignInLogs` alone is a query).
                StatementKind::Expr(expr)
                    if self.is_tabular(expr) || matches!(expr.kind, ExprKind::Name(_)) =>
                {
                    result = self.tabular(expr)
                }
                StatementKind::Expr(expr) => {
                    self.subqueries(expr);
                    result = Schema::open("not a table", expr.span);
                }
                StatementKind::Set { .. } => {}
                StatementKind::DeclareQueryParameters { parameters } => {
                    self.parameters(parameters, "a tabular query parameter");
                }
                StatementKind::Other { .. } => {
                    result = Schema::open("declarations are not analysed", statement.span);
                }
            }
        }
        result
    }

    /// Bind a name in the current scope.
    fn bind(&mut self, name: &str, binding: Binding) {
        let before = self.lets.insert(name.to_owned(), binding);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.to_owned(), before));
        }
    }

    /// Bind parameters as the names of their scope.
    fn parameters(&mut self, parameters: &[Parameter], tabular: &str) {
        for parameter in parameters {
            let binding = match &parameter.kind {
                ParameterKind::Scalar { .. } => Binding::Scalar,
                // Its columns are at least those declared: the caller's table may have more.
                ParameterKind::Tabular { .. } => {
                    Binding::Tabular(Schema::open(tabular, parameter.span))
                }
            };
            self.bind(&parameter.name.text, binding);
        }
    }

    fn binding(&mut self, value: &LetValue) -> Binding {
        match value {
            LetValue::Expr(expr) if self.is_tabular(expr) => Binding::Tabular(self.tabular(expr)),
            LetValue::Expr(expr) => {
                self.subqueries(expr);
                Binding::Scalar
            }
            LetValue::Function {
                parameters, body, ..
            }
            | LetValue::View {
                parameters, body, ..
            } => {
                // The body sees the parameters and its own `let`s, then they go.
                self.scopes.push(Vec::new());
                self.parameters(parameters, "a tabular parameter of a function");
                let tabular = match body.statements.last().map(|s| &s.kind) {
                    Some(StatementKind::Expr(expr)) => self.is_tabular(expr),
                    _ => false,
                };
                let result = self.statements(&body.statements, body.span);
                for (name, before) in self.scopes.pop().unwrap_or_default().into_iter().rev() {
                    match before {
                        Some(binding) => self.lets.insert(name, binding),
                        None => self.lets.remove(&name),
                    };
                }
                Binding::Function(tabular.then_some(result))
            }
        }
    }

    /// Analyse the tables a scalar expression reads (`toscalar(T | ...)`, `x in (T | ...)`).
    fn subqueries(&mut self, expr: &Expr) {
        struct Finder<'q> {
            found: Vec<&'q Expr>,
        }
        impl<'q> super::visit::Visitor<'q> for Finder<'q> {
            fn expr(&mut self, expr: &'q Expr) {
                match &expr.kind {
                    ExprKind::Pipeline { .. } => self.found.push(expr),
                    ExprKind::Call { callee, arguments }
                        if callee.as_name().is_some_and(|n| {
                            matches!(n.text.as_str(), "toscalar" | "materialize")
                        }) =>
                    {
                        self.found.extend(arguments.first().map(|a| &a.value));
                    }
                    _ => super::visit::walk_expr(self, expr),
                }
            }
        }
        let mut finder = Finder { found: Vec::new() };
        super::visit::Visitor::expr(&mut finder, expr);
        for query in finder.found {
            self.tabular(query);
        }
    }

    /// Whether an expression is (most likely) tabular.
    fn is_tabular(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Pipeline { .. }
            | ExprKind::Datatable { .. }
            | ExprKind::ExternalData { .. }
            | ExprKind::Range { .. }
            | ExprKind::Print { .. }
            | ExprKind::Source(_) => true,
            ExprKind::Paren(inner) => self.is_tabular(inner),
            ExprKind::Name(name) => match self.lets.get(&name.text) {
                Some(binding) => {
                    matches!(binding, Binding::Tabular(_) | Binding::Function(Some(_)))
                }
                None => {
                    self.catalog.table(&name.text).is_some()
                        || matches!(
                            self.catalog.function(&name.text),
                            Some(Function::Tabular(_) | Function::Opaque)
                        )
                }
            },
            ExprKind::Call { callee, .. } => match callee.as_name() {
                Some(name) if name.text == "materialize" => true,
                Some(name) if self.lets.contains_key(&name.text) => {
                    matches!(self.lets.get(&name.text), Some(Binding::Function(Some(_))))
                }
                Some(name) => matches!(
                    self.catalog.function(&name.text),
                    Some(Function::Tabular(_) | Function::Opaque)
                ),
                None => false,
            },
            _ => false,
        }
    }

    /// The schema of a tabular expression.
    fn tabular(&mut self, expr: &Expr) -> Schema {
        match &expr.kind {
            ExprKind::Name(name) => self.named_source(name),
            ExprKind::Paren(inner) => self.tabular(inner),
            ExprKind::Call { callee, arguments } => {
                let Some(name) = callee.as_name() else {
                    // `cluster('c').database('d').T`
                    self.read("", expr.span, SourceKind::Pattern);
                    return Schema::open("a source that is not a plain name", expr.span);
                };
                if name.text == "materialize" {
                    return match arguments.first() {
                        Some(argument) => self.tabular(&argument.value),
                        None => Schema::open("`materialize()` without a query", expr.span),
                    };
                }
                if let Some(binding) = self.lets.get(&name.text) {
                    return match binding {
                        Binding::Function(Some(schema)) => schema.clone(),
                        _ => Schema::open(
                            format!("`{}()` is not a tabular function of the query", name.text),
                            expr.span,
                        ),
                    };
                }
                let function = match arguments.first().map(|a| &a.value.kind) {
                    Some(ExprKind::Literal(Literal::String { value, .. })) => {
                        self.catalog.function_call(&name.text, value)
                    }
                    _ => self.catalog.function(&name.text),
                };
                if function.is_none() {
                    self.unknown_function(name);
                }
                self.read(&name.text, name.span, SourceKind::Function);
                match function {
                    Some(Function::Tabular(columns)) => Schema::Closed(columns),
                    _ => Schema::open(
                        format!("the result of `{}()` is not known", name.text),
                        expr.span,
                    ),
                }
            }
            ExprKind::Pipeline { source, operators } => {
                let mut schema = self.tabular(source);
                for operator in operators {
                    schema = self.operator(operator, schema);
                }
                schema
            }
            ExprKind::Datatable { columns, .. } | ExprKind::ExternalData { columns, .. } => {
                Schema::Closed(declared(columns))
            }
            ExprKind::Range { name, .. } => {
                Schema::Closed(vec![Column::new(name.text.clone(), "long")])
            }
            ExprKind::Print { columns } => {
                let mut out = Vec::new();
                for column in columns {
                    match column.names.as_slice() {
                        [name] => out.push(Column::new(name.text.clone(), "")),
                        _ => return Schema::open("an unnamed `print` column", column.span),
                    }
                }
                Schema::Closed(out)
            }
            ExprKind::Source(operator) => match &operator.kind {
                OperatorKind::Union { .. } => self.operator(operator, Schema::Closed(Vec::new())),
                _ => {
                    if matches!(
                        operator.kind,
                        OperatorKind::Search { .. } | OperatorKind::Find { .. }
                    ) {
                        self.read("*", operator.span, SourceKind::Pattern);
                    }
                    Schema::open(
                        format!("`{}` as a source is not analysed", operator.kind.keyword()),
                        operator.span,
                    )
                }
            },
            _ => Schema::open("not a table", expr.span),
        }
    }

    /// A table, a `let` name or a function called without arguments.
    fn named_source(&mut self, name: &Name) -> Schema {
        match self.lets.get(&name.text) {
            Some(Binding::Tabular(schema) | Binding::Function(Some(schema))) => {
                return schema.clone();
            }
            Some(_) => {
                return Schema::open(
                    format!("`{}` is not a table of the query", name.text),
                    name.span,
                );
            }
            None => {}
        }
        let table = self.catalog.table(&name.text);
        if table.is_some() {
            self.read(&name.text, name.span, SourceKind::Table);
        }
        match table {
            Some(Table::Columns(columns)) => return Schema::Closed(columns),
            Some(Table::Open) => {
                return Schema::open(
                    format!("the columns of `{}` are not known for certain", name.text),
                    name.span,
                );
            }
            None => {}
        }
        let function = self.catalog.function(&name.text);
        if function.is_some() {
            self.read(&name.text, name.span, SourceKind::Function);
        }
        match function {
            Some(Function::Tabular(columns)) => return Schema::Closed(columns),
            Some(_) => {
                return Schema::open(
                    format!("the result of `{}` is not known", name.text),
                    name.span,
                );
            }
            None => {}
        }
        self.read(&name.text, name.span, SourceKind::Unknown);
        self.unknown_tables.push(Unknown {
            name: name.text.clone(),
            span: name.span,
            // The catalog's table names are the candidates: not copied here.
            candidates: Vec::new(),
        });
        Schema::open(format!("no schema knows `{}`", name.text), name.span)
    }

    fn read(&mut self, name: &str, span: Span, kind: SourceKind) {
        self.sources.push(Source {
            name: name.to_owned(),
            span,
            kind,
        });
    }

    /// A call of a function nothing defines (a table called like a function is not one).
    fn unknown_function(&mut self, name: &Name) {
        if self.catalog.table(&name.text).is_none() {
            self.unknown_functions.push(Unknown {
                name: name.text.clone(),
                span: name.span,
                candidates: Vec::new(),
            });
        }
    }

    /// Report the column references of a scalar expression that `schema` does not have.
    fn check(&mut self, expr: &Expr, schema: &Schema) {
        let Schema::Closed(columns) = schema else {
            return;
        };
        match &expr.kind {
            ExprKind::Name(name)
                if !schema.has(&name.text) && !self.lets.contains_key(&name.text) =>
            {
                self.unknown_columns.push(Unknown {
                    name: name.text.clone(),
                    span: name.span,
                    candidates: columns.iter().map(|c| c.name.to_string()).collect(),
                });
            }
            ExprKind::Path { target, .. } => self.check(target, schema),
            ExprKind::Index { target, index } => {
                self.check(target, schema);
                self.check(index, schema);
            }
            ExprKind::Call { callee, arguments } => {
                let Some(name) = callee.as_name() else {
                    return;
                };
                match name.text.as_str() {
                    // Sub-queries: their names are their own tables'.
                    "toscalar" | "materialize" => {
                        for argument in arguments {
                            self.tabular(&argument.value);
                        }
                        return;
                    }
                    // A column's name, then a default: an expression of the input.
                    "column_ifexists" | "columnifexists" => {
                        for argument in arguments.iter().skip(1) {
                            self.check(&argument.value, schema);
                        }
                        return;
                    }
                    _ => {}
                }
                let special = UNCHECKED_ARGUMENTS.contains(&name.text.as_str())
                    || self.lets.contains_key(&name.text);
                let function = self.catalog.function(&name.text);
                if !special && function.is_none() {
                    self.unknown_function(name);
                }
                let checked =
                    !special && matches!(function, Some(Function::Scalar | Function::Aggregate(_)));
                if checked {
                    for argument in arguments.iter().filter(|a| a.name.is_none()) {
                        self.check(&argument.value, schema);
                    }
                }
            }
            ExprKind::Unary { operand, .. } => self.check(operand, schema),
            ExprKind::Binary { left, right, .. } => {
                self.check(left, schema);
                self.check(right, schema);
            }
            ExprKind::InList { left, list, .. } => {
                self.check(left, schema);
                for item in list {
                    if self.is_tabular(item) {
                        self.tabular(item);
                    } else {
                        self.check(item, schema);
                    }
                }
            }
            ExprKind::Between {
                left, low, high, ..
            } => {
                self.check(left, schema);
                self.check(low, schema);
                self.check(high, schema);
            }
            ExprKind::Paren(inner) => self.check(inner, schema),
            // Literals, wildcards, and sub-queries (their names are their own tables').
            _ => {}
        }
    }

    fn operator(&mut self, operator: &Operator, input: Schema) -> Schema {
        use OperatorKind as O;
        let span = operator.span;
        self.stages.push((span, matches!(input, Schema::Closed(_))));
        match &operator.kind {
            O::Where { predicate, .. } => {
                self.check(predicate, &input);
                input
            }
            O::Take { .. } | O::Sample { .. } | O::Render { .. } | O::As { .. } => input,
            O::Sort { by, .. } | O::Top { by, .. } => {
                by.iter().for_each(|o| self.check(&o.value, &input));
                input
            }
            O::Extend { columns } | O::Serialize { columns } => self.extend(columns, input, span),
            O::Project { columns } => {
                let mut out = Vec::new();
                for column in columns {
                    self.check(&column.value, &input);
                    match output_name(column) {
                        Some(name) => push_column(&mut out, name, kind_of(&column.value, &input)),
                        None => return Schema::open("a `project` column without a name", span),
                    }
                }
                unique(out, span)
            }
            O::ProjectAway { columns } | O::ProjectKeep { columns } => {
                let keep = matches!(operator.kind, O::ProjectKeep { .. });
                let Schema::Closed(input_columns) = &input else {
                    return input;
                };
                let mut patterns = Vec::new();
                for column in columns {
                    match &column.kind {
                        ExprKind::Name(name) => {
                            self.check(column, &input);
                            patterns.push(name.text.clone());
                        }
                        ExprKind::Wildcard(pattern) => {
                            // Kusto reports a pattern that matches no column.
                            if !input_columns
                                .iter()
                                .any(|c| wildcard_match(pattern, &c.name))
                            {
                                self.unknown_columns.push(Unknown {
                                    name: pattern.clone(),
                                    span: column.span,
                                    candidates: Vec::new(),
                                });
                            }
                            patterns.push(pattern.clone());
                        }
                        _ => return Schema::open("a column expression in `project-away`", span),
                    }
                }
                let matches = |c: &Column| patterns.iter().any(|p| wildcard_match(p, &c.name));
                Schema::Closed(
                    input_columns
                        .iter()
                        .filter(|c| matches(c) == keep)
                        .cloned()
                        .collect(),
                )
            }
            O::ProjectRename { columns } => {
                let mut out = input;
                for column in columns {
                    self.check(&column.value, &out);
                    let (Some(old), [new]) = (column.value.as_name(), column.names.as_slice())
                    else {
                        return Schema::open("an unusual `project-rename`", span);
                    };
                    if let Schema::Closed(columns) = &mut out {
                        for c in columns.iter_mut().filter(|c| c.name == old.text) {
                            c.name = new.text.clone().into();
                        }
                    }
                }
                out
            }
            O::ProjectReorder { columns } => {
                for column in columns {
                    if matches!(column.value.kind, ExprKind::Name(_)) {
                        self.check(&column.value, &input);
                    }
                }
                input
            }
            O::Distinct { columns, .. } => {
                if columns.is_empty() {
                    return input;
                }
                let mut out = Vec::new();
                for column in columns {
                    self.check(&column.value, &input);
                    match output_name(column) {
                        Some(name) => push_column(&mut out, name, kind_of(&column.value, &input)),
                        None => return Schema::open("a `distinct` column without a name", span),
                    }
                }
                unique(out, span)
            }
            O::Count { as_name } => Schema::Closed(vec![Column::new(
                as_name
                    .as_ref()
                    .map_or(Cow::Borrowed("Count"), |n| Cow::Owned(n.text.clone())),
                "long",
            )]),
            O::Summarize { aggregates, by, .. } => self.summarize(aggregates, by, &input, span),
            O::Parse {
                source, pattern, ..
            } => {
                self.check(source, &input);
                let Schema::Closed(mut columns) = input else {
                    return input;
                };
                for part in pattern {
                    if let ParsePart::Column { name, type_name } = part {
                        let kind = type_name
                            .clone()
                            .map_or(Cow::Borrowed("string"), Cow::Owned);
                        set_column(&mut columns, &name.text, kind);
                    }
                }
                Schema::Closed(columns)
            }
            O::ParseKv {
                source, columns, ..
            } => {
                self.check(source, &input);
                let Schema::Closed(mut out) = input else {
                    return input;
                };
                for column in declared(columns) {
                    set_column(&mut out, &column.name, column.kind);
                }
                Schema::Closed(out)
            }
            O::MvExpand {
                parameters, items, ..
            } => {
                let mut out = input;
                for item in items {
                    self.check(&item.value.value, &out);
                    let Some(name) = output_name(&item.value) else {
                        return Schema::open("an unnamed `mv-expand` expression", span);
                    };
                    if let Schema::Closed(columns) = &mut out {
                        let kind = item
                            .to_type
                            .clone()
                            .map_or(Cow::Borrowed("dynamic"), Cow::Owned);
                        set_column(columns, name, kind);
                    }
                }
                for parameter in parameters {
                    if parameter.name == "with_itemindex"
                        && let (Schema::Closed(columns), Some(name)) =
                            (&mut out, parameter.value.as_name())
                    {
                        set_column(columns, &name.text, Cow::Borrowed("long"));
                    }
                }
                out
            }
            O::Join {
                parameters, right, ..
            } => {
                let right = self.tabular(right);
                let kind = parameter_word(parameters, "kind").unwrap_or("innerunique");
                match kind {
                    "leftsemi" | "leftanti" | "anti" | "leftantisemi" => input,
                    "rightsemi" | "rightanti" | "rightantisemi" => right,
                    "inner" | "innerunique" | "leftouter" | "rightouter" | "fullouter" => {
                        match (input, right) {
                            (Schema::Closed(left), Schema::Closed(right)) => {
                                match joined(left, right) {
                                    Some(columns) => Schema::Closed(columns),
                                    None => Schema::open(
                                        "a `join` that renames a column whose name ends in a digit",
                                        span,
                                    ),
                                }
                            }
                            (Schema::Open { why, span }, _) | (_, Schema::Open { why, span }) => {
                                Schema::Open { why, span }
                            }
                        }
                    }
                    other => Schema::open(format!("`join kind={other}` is not analysed"), span),
                }
            }
            O::Union {
                parameters,
                sources,
            } => {
                let mut schemas = vec![input];
                for source in sources {
                    if let ExprKind::Wildcard(pattern) = &source.kind {
                        self.read(pattern, source.span, SourceKind::Pattern);
                        schemas.push(Schema::open("`union` over a name pattern", source.span));
                    } else {
                        schemas.push(self.tabular(source));
                    }
                }
                let kind = parameter_word(parameters, "kind").unwrap_or("outer");
                if kind != "outer" {
                    return Schema::open(format!("`union kind={kind}` is not analysed"), span);
                }
                let mut out = Vec::new();
                for schema in schemas {
                    match schema {
                        Schema::Closed(columns) => {
                            for column in columns {
                                match out.iter().find(|c: &&Column| c.name == column.name) {
                                    None => out.push(column),
                                    // Kusto names them `Name_string`, `Name_long`, ...
                                    // (a type not known here may differ too).
                                    Some(c)
                                        if c.kind != column.kind
                                            || c.kind.is_empty()
                                            || column.kind.is_empty() =>
                                    {
                                        return Schema::open(
                                            format!("`union` of columns `{}` of two types", c.name),
                                            span,
                                        );
                                    }
                                    Some(_) => {}
                                }
                            }
                        }
                        open => return open,
                    }
                }
                for name in ["withsource", "with_source"] {
                    if let Some(column) = parameter_word(parameters, name) {
                        set_column(&mut out, column, Cow::Borrowed("string"));
                    }
                }
                Schema::Closed(out)
            }
            O::Lookup {
                parameters,
                right,
                on,
            } => {
                let right = self.tabular(right);
                let kind = parameter_word(parameters, "kind").unwrap_or("leftouter");
                if !matches!(kind, "leftouter" | "inner") {
                    return Schema::open(format!("`lookup kind={kind}` is not analysed"), span);
                }
                let (Schema::Closed(left), Schema::Closed(right_columns)) = (&input, &right) else {
                    return Schema::open("a `lookup` of a table whose columns are not known", span);
                };
                let mut keys = Vec::new();
                for key in on {
                    let Some(name) = key.as_name() else {
                        return Schema::open("a `lookup` on `$left` and `$right` keys", key.span);
                    };
                    self.check(key, &input);
                    self.check(key, &right);
                    keys.push(name.text.as_str());
                }
                // The right's key columns are the left's; its other columns are added.
                let mut out = left.clone();
                for column in right_columns {
                    if keys.contains(&column.name.as_ref()) {
                        continue;
                    }
                    if out.iter().any(|c| c.name == column.name) {
                        return Schema::open(
                            format!(
                                "a `lookup` where both sides have a column `{}`",
                                column.name
                            ),
                            span,
                        );
                    }
                    out.push(column.clone());
                }
                Schema::Closed(out)
            }
            O::MakeSeries {
                aggregates,
                on,
                range,
                by,
                ..
            } => {
                let mut out = Vec::new();
                for column in by {
                    self.check(&column.value, &input);
                    let Some(name) = group_name(column) else {
                        return Schema::open("a `by` expression without a name", column.span);
                    };
                    push_column(&mut out, &name, kind_of(&column.value, &input));
                }
                for aggregate in aggregates {
                    self.check(&aggregate.value.value, &input);
                    match self.aggregate_name(&aggregate.value) {
                        Ok(name) => push_column(&mut out, &name, Cow::Borrowed("dynamic")),
                        Err(open) => return open,
                    }
                }
                self.check(&on.value, &input);
                let bounds = match range.as_ref() {
                    SeriesRange::InRange { from, to, step, .. } => vec![from, to, step],
                    SeriesRange::FromTo { from, to, step, .. } => {
                        from.iter().chain(to).chain([step]).collect()
                    }
                };
                for bound in bounds {
                    self.check(bound, &input);
                }
                match output_name(on) {
                    Some(name) => push_column(&mut out, name, Cow::Borrowed("dynamic")),
                    None => return Schema::open("a `make-series` axis without a name", on.span),
                }
                unique(out, span)
            }
            other => Schema::open(format!("`{}` is not analysed", other.keyword()), span),
        }
    }

    fn extend(&mut self, columns: &[NamedExpr], input: Schema, span: Span) -> Schema {
        let mut out = input;
        for column in columns {
            // A column may use those the same `extend` made before it.
            self.check(&column.value, &out);
            let kind = kind_of(&column.value, &out);
            match (column.names.as_slice(), &column.value.kind) {
                ([name], _) => {
                    if let Schema::Closed(columns) = &mut out {
                        set_column(columns, &name.text, kind);
                    }
                }
                ([], ExprKind::Name(_)) => {}
                _ => return Schema::open("an `extend` column without a name", span),
            }
        }
        out
    }

    fn summarize(
        &mut self,
        aggregates: &[NamedExpr],
        by: &[NamedExpr],
        input: &Schema,
        span: Span,
    ) -> Schema {
        let mut out = Vec::new();
        for column in by {
            self.check(&column.value, input);
            let Some(name) = group_name(column) else {
                return Schema::open("a `by` expression without a name", column.span);
            };
            push_column(&mut out, &name, kind_of(&column.value, input));
        }
        for column in aggregates {
            self.check(&column.value, input);
            match self.aggregate_name(column) {
                Ok(name) => push_column(&mut out, &name, Cow::Borrowed("")),
                Err(open) => return open,
            }
        }
        unique(out, span)
    }
}

impl Analyzer<'_> {
    /// The name of an aggregate's result column (`Failures = count()`, `count()` ->
    /// `count_`), or the open schema of an aggregate whose name is not known.
    fn aggregate_name(&self, column: &NamedExpr) -> Result<String, Schema> {
        // `arg_max(T, *)`, `percentiles(x, 50, 90)`: several columns, whatever the name.
        if self.has_other_aggregate(&column.value) {
            return Err(Schema::open(
                "an aggregate with several result columns",
                column.span,
            ));
        }
        match (column.names.as_slice(), &column.value.kind) {
            ([name], _) => Ok(name.text.clone()),
            ([], ExprKind::Call { callee, arguments }) => {
                let function = callee
                    .as_name()
                    .and_then(|c| self.catalog.function(&c.text));
                match function {
                    Some(Function::Aggregate(AggregateName::PrefixAndFirstArgument(prefix))) => {
                        match arguments.first().map(|a| &a.value.kind) {
                            Some(ExprKind::Name(name)) => Ok(format!("{prefix}_{}", name.text)),
                            None | Some(ExprKind::Literal(_)) => Ok(format!("{prefix}_")),
                            Some(_) => Err(Schema::open(
                                "an aggregate of an expression, without a name",
                                column.span,
                            )),
                        }
                    }
                    _ => Err(Schema::open(
                        "an aggregate whose result name is not known",
                        column.span,
                    )),
                }
            }
            _ => Err(Schema::open("an aggregate without a name", column.span)),
        }
    }

    /// Whether an expression calls an aggregate whose result columns are not one named as
    /// `prefix_column` (`arg_max`, `percentiles`, `take_any`, ...).
    fn has_other_aggregate(&self, expr: &Expr) -> bool {
        struct Finder<'a, 'c> {
            catalog: &'a dyn Catalog,
            found: bool,
            _c: std::marker::PhantomData<&'c ()>,
        }
        impl<'q> super::visit::Visitor<'q> for Finder<'_, '_> {
            fn expr(&mut self, expr: &'q Expr) {
                if let ExprKind::Call { callee, .. } = &expr.kind
                    && let Some(name) = callee.as_name()
                    && let Some(Function::Aggregate(AggregateName::Other)) =
                        self.catalog.function(&name.text)
                {
                    self.found = true;
                }
                super::visit::walk_expr(self, expr);
            }
        }
        let mut finder = Finder {
            catalog: self.catalog,
            found: false,
            _c: std::marker::PhantomData,
        };
        super::visit::Visitor::expr(&mut finder, expr);
        finder.found
    }
}

/// The name of a `by` column of `summarize` or `make-series`: its own, the column it is, or
/// the column `bin(TimeGenerated, 1h)` rounds.
fn group_name(column: &NamedExpr) -> Option<String> {
    match (column.names.as_slice(), &column.value.kind) {
        ([name], _) => Some(name.text.clone()),
        ([], ExprKind::Name(name)) => Some(name.text.clone()),
        ([], ExprKind::Call { callee, arguments })
            if callee
                .as_name()
                .is_some_and(|c| matches!(c.text.as_str(), "bin" | "floor" | "bin_at")) =>
        {
            match arguments.first() {
                Some(a) if a.name.is_none() => a.value.as_name().map(|n| n.text.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The name a `project`, `distinct` or `mv-expand` column gets: its own, or the column it is.
fn output_name(column: &NamedExpr) -> Option<&str> {
    match (column.names.as_slice(), &column.value.kind) {
        ([name], _) => Some(&name.text),
        ([], ExprKind::Name(name)) => Some(&name.text),
        _ => None,
    }
}

/// The type of a column reference, when it is one.
fn kind_of(expr: &Expr, schema: &Schema) -> Cow<'static, str> {
    match (&expr.kind, schema) {
        (ExprKind::Name(name), Schema::Closed(columns)) => columns
            .iter()
            .find(|c| c.name == name.text)
            .map(|c| c.kind.clone())
            .unwrap_or_default(),
        _ => Cow::Borrowed(""),
    }
}

fn declared(columns: &[ColumnDecl]) -> Vec<Column> {
    columns
        .iter()
        .map(|c| Column::new(c.name.text.clone(), c.type_name.to_ascii_lowercase()))
        .collect()
}

fn push_column(out: &mut Vec<Column>, name: &str, kind: Cow<'static, str>) {
    out.push(Column::new(name.to_owned(), kind));
}

/// Replace a column of that name, or add it at the end.
fn set_column(columns: &mut Vec<Column>, name: &str, kind: Cow<'static, str>) {
    match columns.iter_mut().find(|c| c.name == name) {
        Some(column) => column.kind = kind,
        None => columns.push(Column::new(name.to_owned(), kind)),
    }
}

/// Two output columns of one name: Kusto renames them in ways not modelled here.
fn unique(columns: Vec<Column>, span: Span) -> Schema {
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].iter().any(|d| d.name == c.name) {
            return Schema::open(format!("two output columns named `{}`", c.name), span);
        }
    }
    Schema::Closed(columns)
}

/// The columns of a join: the left's, then the right's, a name both have getting a `1`
/// (then `2`, ...) on the right. `None` when a name that ends in a digit must be renamed:
/// Kusto then counts on from that digit, in a way not modelled here.
fn joined(left: Vec<Column>, right: Vec<Column>) -> Option<Vec<Column>> {
    let mut out = left;
    for column in right {
        let mut name = column.name.clone();
        let mut n = 0;
        while out.iter().any(|c| c.name == name) {
            if column.name.ends_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            n += 1;
            name = Cow::Owned(format!("{}{n}", column.name));
        }
        out.push(Column::new(name, column.kind));
    }
    Some(out)
}

/// The word value of an operator parameter (`kind=inner`).
fn parameter_word<'a>(parameters: &'a [OperatorParameter], name: &str) -> Option<&'a str> {
    parameters
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_name())
        .map(|n| n.text.as_str())
}

/// `*` matches any run of characters; the rest literally. Linear: the parts between stars
/// are found in order, each at its first place (a later one would only leave less room).
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let mut middle: Vec<&str> = parts.collect();
    let Some(last) = middle.pop() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kql::parse;

    struct Tables;

    impl Catalog for Tables {
        fn table(&self, name: &str) -> Option<Table> {
            let columns: &[&str] = match name {
                "SigninLogs" => &[
                    "TimeGenerated",
                    "IPAddress",
                    "UserPrincipalName",
                    "ResultType",
                ],
                "AuditLogs" => &["TimeGenerated", "OperationName", "InitiatedBy"],
                _ => return None,
            };
            Some(Table::Columns(
                columns.iter().map(|c| Column::new(*c, "string")).collect(),
            ))
        }

        fn function(&self, name: &str) -> Option<Function> {
            Some(match name {
                "count" => Function::Aggregate(AggregateName::PrefixAndFirstArgument("count")),
                "dcount" => Function::Aggregate(AggregateName::PrefixAndFirstArgument("dcount")),
                "arg_max" => Function::Aggregate(AggregateName::Other),
                "ago" | "bin" | "tostring" | "strlen" => Function::Scalar,
                "_GetWatchlist" => Function::Opaque,
                _ => return None,
            })
        }

        fn table_names(&self) -> Vec<&str> {
            vec!["SigninLogs", "AuditLogs"]
        }
    }

    fn analyze_query(query: &str) -> Analysis {
        let parsed = parse(query);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        analyze(&parsed.query, &Tables)
    }

    fn result(query: &str) -> Vec<String> {
        match analyze_query(query).result {
            Schema::Closed(columns) => columns.into_iter().map(|c| c.name.into_owned()).collect(),
            Schema::Open { why, .. } => vec![format!("open: {why}")],
        }
    }

    #[test]
    fn result_columns_through_the_common_operators() {
        assert_eq!(
            result(
                "SigninLogs | where ResultType == '0' | summarize count(), dcount(UserPrincipalName) by IPAddress, bin(TimeGenerated, 1h)"
            ),
            [
                "IPAddress",
                "TimeGenerated",
                "count_",
                "dcount_UserPrincipalName"
            ]
        );
        assert_eq!(
            result(
                "SigninLogs | extend Ip = IPAddress | project-away ResultType, Time* | project-rename User = UserPrincipalName"
            ),
            ["IPAddress", "User", "Ip"]
        );
        assert_eq!(
            result(
                "let s = SigninLogs | project IPAddress; s | join kind=inner (AuditLogs | project TimeGenerated, IPAddress = tostring(InitiatedBy)) on IPAddress"
            ),
            ["IPAddress", "TimeGenerated", "IPAddress1"]
        );
        assert_eq!(result("SigninLogs | count"), ["Count"]);
        assert_eq!(
            result(
                "SigninLogs | project IPAddress, ResultType | lookup (AuditLogs | project IPAddress = OperationName, InitiatedBy) on IPAddress"
            ),
            ["IPAddress", "ResultType", "InitiatedBy"]
        );
        assert_eq!(
            result(
                "SigninLogs | make-series Failures = count() default = 0 on TimeGenerated from ago(1d) to now() step 1h by IPAddress"
            ),
            ["IPAddress", "Failures", "TimeGenerated"]
        );
        assert_eq!(
            result("union withsource=T SigninLogs, AuditLogs | project T, OperationName"),
            ["T", "OperationName"]
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Time*", "TimeGenerated"));
        assert!(wildcard_match("*1", "IPAddress1"));
        assert!(wildcard_match("a*b*c", "aXbYbc"));
        assert!(!wildcard_match("a*b*c", "aXcYb"));
        assert!(!wildcard_match("ab*ba", "aba"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("x", "xy"));
        // Many stars against a long name that does not match: linear, not exponential.
        let name = "a".repeat(200);
        assert!(!wildcard_match(&format!("{}b", "a*".repeat(100)), &name));
    }

    #[test]
    fn what_is_not_understood_is_open() {
        for query in [
            "SigninLogs | summarize arg_max(TimeGenerated, *) by IPAddress",
            "SigninLogs | evaluate bag_unpack(x)",
            "SigninLogs | lookup SigninLogs on IPAddress",
            "SigninLogs | lookup (AuditLogs) on $left.IPAddress == $right.OperationName",
            "SigninLogs | extend tostring(IPAddress)",
            "SigninLogs | summarize count() by bin(Hour = TimeGenerated, 1h)",
            "_GetWatchlist('w') | where SearchKey == 1",
            "Unknown_CL | where x == 1",
        ] {
            assert!(result(query)[0].starts_with("open"), "{query}");
        }
        // An open input still gives a closed `project`.
        assert_eq!(result("Unknown_CL | project a, b = c"), ["a", "b"]);
    }

    #[test]
    fn unknown_names_are_found_only_against_closed_schemas() {
        let a = analyze_query(
            "let threshold = 5; SigninLogs | where IpAddress == '1' and strlen(UserPrincipalName) > threshold | extend x = 1, y = x + 1 | where y > 0",
        );
        let names: Vec<&str> = a.unknown_columns.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["IpAddress"]);
        // A function's parameters and `let`s end with its body; its tabular result is known.
        let a = analyze_query(
            "let s = AuditLogs; let f = (s: string) { let t = SigninLogs; t | where IPAddress == s }; f('x') | where Foo == 1 | union (s | where Bar == 1) | union (t)",
        );
        let names: Vec<&str> = a.unknown_columns.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["Foo", "Bar"]);
        let tables: Vec<&str> = a.unknown_tables.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(tables, ["t"]);
        // A query of a table alone.
        assert_eq!(analyze_query("SignInLogs").unknown_tables.len(), 1);
        let a = analyze_query(
            "declare query_parameters(lookback:timespan = 1d); SigninLogs | where TimeGenerated > ago(lookback)",
        );
        assert!(a.unknown_columns.is_empty(), "{:?}", a.unknown_columns);
        let a = analyze_query(
            "Unknown_CL | where Anything == 1 | join (SigninLogs | where Foo == 1) on x",
        );
        assert_eq!(a.unknown_tables.len(), 1);
        let names: Vec<&str> = a.unknown_columns.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["Foo"]);
    }
}
