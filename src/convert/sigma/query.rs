//! A rule's KQL query -> the parts of a Sigma rule: the table (-> log source), the filter
//! (-> detection) and a threshold (-> correlation).
//!
//! What Sigma can say is a filter over the events of one log source, and counting them. So:
//! `let` literals and lists are inlined; `where` predicates become conditions on fields;
//! time windows (`Timestamp > ago(1d)`) and output shaping (`project`, `extend`, `sort`,
//! `summarize` without a threshold, ...) are dropped and listed; `summarize count()` or
//! `dcount()` followed by a threshold becomes a correlation; everything else (`join`,
//! `union`, `parse`, computed columns, ...) makes the rule unsupported, with the construct
//! and its place.

use std::collections::HashMap;

use super::detection::{Cond, Item};
use super::fields::{FieldMap, Mapped};
use super::model::{Scalar, escape};
use crate::convert::Note;
use crate::kql::ast::{
    Argument, BinaryOp, Dynamic, Expr, ExprKind, LetValue, ListOp, Literal, NamedExpr, Operator,
    OperatorKind, ParsePart, Query, StatementKind, UnaryOp,
};
use crate::kql::columns::{Catalog, Column, Table};
use crate::model::tables::Tables;
use crate::text::Span;

/// What the query says, in Sigma terms.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub table: String,
    pub table_span: Span,
    pub fields: FieldMap,
    /// `None`: every event of the table.
    pub filter: Option<Cond>,
    pub threshold: Option<Threshold>,
    /// The time window of the query's own time filter (`ago(5d)` -> `5d`), if it has one.
    pub time_window: Option<String>,
    /// `| join kind=inner (other table) on keys`.
    pub join: Option<Box<Join>>,
    /// The table's own log source and columns were chosen over its SigmaHQ category's
    /// (which has no field for some column); a note says so.
    pub own_columns: bool,
    /// Columns the conditions read that the table does not have (by its schema, when
    /// known for certain).
    pub missing_columns: Vec<String>,
    /// Columns read that the log source's field map (pySigma-backend-kusto's, inverted)
    /// has no field for: written as they are, which the backend's pipeline would refuse.
    pub unmapped_columns: Vec<String>,
    pub notes: Vec<Note>,
}

impl Analysis {
    /// What the log source cannot name: fields outside SigmaHQ's taxonomy of it, and
    /// columns without a field in its map (either table of a join).
    pub fn without_field(&self) -> Option<Vec<String>> {
        let mut all = self.outside_taxonomy().unwrap_or_default();
        let right = self.join.iter().flat_map(|j| &j.right.unmapped_columns);
        for column in self.unmapped_columns.iter().chain(right) {
            if !all.contains(column) {
                all.push(column.clone());
            }
        }
        all.sort();
        (!all.is_empty()).then_some(all)
    }

    /// The fields the rules would read that the SigmaHQ taxonomy of their log source does
    /// not have (none when the taxonomy lists no fields); a join's two tables each against
    /// their own.
    pub fn outside_taxonomy(&self) -> Option<Vec<String>> {
        let mut outside: Vec<String> = Vec::new();
        let keys = |right: bool| -> Vec<&str> {
            self.join
                .iter()
                .flat_map(|j| j.keys.iter())
                .map(|(l, r)| if right { r.as_str() } else { l.as_str() })
                .collect()
        };
        let mut sides: Vec<(&Analysis, Vec<&str>)> = vec![(self, keys(false))];
        if let Some(join) = &self.join {
            sides.push((&join.right, keys(true)));
        }
        for (side, keys) in sides {
            let Some(taxonomy) = side.fields.taxonomy() else {
                continue;
            };
            let mut used: Vec<&str> = side.filter.as_ref().map(Cond::fields).unwrap_or_default();
            if let Some(threshold) = &side.threshold {
                used.extend(threshold.group_by.iter().map(String::as_str));
                used.extend(threshold.field.as_deref());
            }
            used.extend(keys);
            for field in used {
                if !taxonomy.contains(&field) && !outside.iter().any(|f| f == field) {
                    outside.push(field.to_owned());
                }
            }
        }
        outside.sort();
        (!outside.is_empty()).then_some(outside)
    }
}

/// An inner join of the events of two tables on keys: both kinds of events for the same
/// keys (a Sigma `temporal` correlation).
#[derive(Debug, Clone)]
pub struct Join {
    pub right: Analysis,
    /// The Sigma fields of each key: (left, right).
    pub keys: Vec<(String, String)>,
    pub span: Span,
}

/// `summarize count() by K | where count_ > N` and its kin.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The Sigma correlation type: `event_count` (`count()`), `value_count` (`dcount()`),
    /// `value_sum` (`sum()`), `value_avg` (`avg()`).
    pub kind: &'static str,
    /// The field counted, summed or averaged (none for `event_count`).
    pub field: Option<String>,
    pub group_by: Vec<String>,
    /// From `bin(TimeGenerated, 1h)` in the `by` clause.
    pub timespan: Option<String>,
    /// `gt`, `gte`, `lt`, `lte`, `eq`, `neq` with their numbers.
    pub condition: Vec<(&'static str, i64)>,
    pub span: Span,
}

/// Nesting of `let` names referring to `let` names followed before giving up.
const MAX_LET_DEPTH: usize = 16;

/// Analyze a parsed query that reads one table. `Err` lists what Sigma cannot express,
/// each with its place (a `union` or a `join` among them).
pub fn analyze(query: &Query) -> Result<Analysis, Vec<Note>> {
    let mut tables = analyze_tables(query)?;
    match tables.pop() {
        Some(one) if tables.is_empty() && one.join.is_none() => Ok(one),
        _ => Err(vec![unsupported(
            "the query reads several tables",
            query.span,
        )]),
    }
}

/// Analyze a parsed query: one analysis per table of a `union` (one without), each
/// possibly joined with another table. `Err` lists what Sigma cannot express, each with
/// its place.
pub fn analyze_tables(query: &Query) -> Result<Vec<Analysis>, Vec<Note>> {
    let mut converter = Converter::default();
    let mut result: Option<&Expr> = None;
    for statement in &query.statements {
        match &statement.kind {
            StatementKind::Let { name, value } => {
                let binding = converter.binding(value);
                converter.lets.insert(name.text.clone(), binding);
            }
            StatementKind::Expr(expr) => result = Some(expr),
            StatementKind::Set { .. } => {}
            StatementKind::DeclareQueryParameters { .. } | StatementKind::Other { .. } => {
                return Err(vec![Note::in_query(
                    "query parameters and other declarations have no Sigma form",
                    query.span,
                    true,
                )]);
            }
        }
    }
    let Some(result) = result else {
        return Err(vec![Note::in_query(
            "the query has no tabular expression",
            query.span,
            true,
        )]);
    };
    let legs = converter.sources(result)?;
    let several = legs.len() > 1;
    let mut analyses = Vec::with_capacity(legs.len());
    let mut errors = Vec::new();
    for (table, table_span, operators) in legs {
        let mut leg = Converter {
            lets: converter.lets.clone(),
            ..Converter::default()
        };
        let mut run = leg.run(table.clone(), table_span, &operators);
        if let Ok(analysis) = &run
            && let Some(outside) = analysis.without_field()
        {
            // The category's fields cannot say it: the table's own log source and columns,
            // which the backend's pipeline for the table reads back as they are.
            let mut own = Converter {
                lets: converter.lets.clone(),
                own_columns: true,
                ..Converter::default()
            };
            let chosen = analysis.fields.logsource(&table);
            let category = chosen.category.or(chosen.service);
            if let Ok(mut analysis) = own.run(table, table_span, &operators) {
                let logsource = analysis.fields.logsource(&analysis.table);
                let outside: Vec<&str> = outside.iter().map(String::as_str).collect();
                analysis.notes.push(Note::in_query(
                    format!(
                        "the {} log source has no field for {} (in SigmaHQ's taxonomy or pySigma-backend-kusto's mapping): the rule reads the log source product: {}, service: {} with the table's own column names",
                        category.as_deref().unwrap_or_default(),
                        crate::text::code_list(&outside, 4),
                        logsource.product.as_deref().unwrap_or_default(),
                        logsource.service.as_deref().unwrap_or_default(),
                    ),
                    analysis.table_span,
                    false,
                ));
                analysis.own_columns = true;
                run = Ok(analysis);
            }
        }
        match run {
            // In a `union`, a column one table lacks is empty in its rows.
            Ok(analysis) if several && !analysis.missing_columns.is_empty() => {
                errors.push(unsupported(
                    format!(
                        "`{}` has no column {}: in the `union`, its rows have no value there, which a Sigma rule of its own cannot say",
                        analysis.table,
                        crate::text::code_list(
                            &analysis.missing_columns.iter().map(String::as_str).collect::<Vec<_>>(),
                            4
                        )
                    ),
                    analysis.table_span,
                ))
            }
            Ok(analysis) if several && analysis.join.is_some() => errors.push(unsupported(
                "a `join` in one of the tables of a `union` has no Sigma form",
                analysis.join.map(|j| j.span).unwrap_or(table_span),
            )),
            Ok(analysis) => analyses.push(analysis),
            Err(notes) => errors.extend(notes),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    merge_same_tables(analyses)
}

/// `union (T | where a), (T | where b)`: the events of `T` that match `a` or `b`.
fn merge_same_tables(analyses: Vec<Analysis>) -> Result<Vec<Analysis>, Vec<Note>> {
    let mut merged: Vec<Analysis> = Vec::with_capacity(analyses.len());
    for analysis in analyses {
        let Some(earlier) = merged.iter_mut().find(|a| a.table == analysis.table) else {
            merged.push(analysis);
            continue;
        };
        // The operators after the `union` count both alike: so does one rule of either.
        let same_count = match (&earlier.threshold, &analysis.threshold) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                (a.kind, &a.field, &a.group_by, &a.condition, &a.timespan)
                    == (b.kind, &b.field, &b.group_by, &b.condition, &b.timespan)
            }
            _ => false,
        };
        if !same_count
            || earlier.join.is_some()
            || analysis.join.is_some()
            || earlier.own_columns != analysis.own_columns
        {
            return Err(vec![unsupported(
                format!(
                    "the `union` reads `{}` twice and counts or joins it; Sigma needs one rule per table",
                    analysis.table
                ),
                analysis.table_span,
            )]);
        }
        earlier.filter = match (earlier.filter.take(), analysis.filter) {
            (Some(a), Some(b)) => Some(Cond::or(vec![a, b])),
            // One of them keeps every event: so does the union.
            _ => None,
        };
        earlier.notes.extend(analysis.notes);
        earlier.missing_columns.extend(analysis.missing_columns);
        earlier.time_window = earlier.time_window.take().or(analysis.time_window);
    }
    Ok(merged)
}

#[derive(Debug, Clone)]
enum Binding<'q> {
    Value(Value),
    List(Vec<Value>),
    /// A point or span of time (`now(-5d)`, `ago(1h)`, `1d`, `datetime(...)`).
    Time(Option<String>),
    Tabular(&'q Expr),
    /// `(name: string) { table(name) | operators }`: the same operators over a table named
    /// by the caller (as Azure-Sentinel's sign-in rules read `SigninLogs` and
    /// `AADNonInteractiveUserSignInLogs` alike).
    TableFunction(&'q Expr),
    /// A call of a table function: the table it names, and the function's body.
    CalledTable(String, Span, &'q Expr),
    /// Something else (a function, a sub-query, a computed scalar).
    Other,
}

/// A literal value of the query.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Real(String),
    Bool(bool),
}

/// A column the query refers to, after `extend` and `project-rename` aliases.
#[derive(Debug, Clone)]
enum Alias {
    Column(String),
    /// Text made of a column: `strcat("x", col, "y")`, `trim(" ", col)`.
    Text(TextOf),
    /// A capture of `parse col with ... "a" X "b" ...`: text of the column between literals.
    Parsed(ParsedFrom),
    /// Computed by an operator; Sigma has no such field.
    Computed(Span, &'static str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Filtering events.
    Events,
    /// After a `summarize`: its aggregates, and whether a threshold was found.
    Aggregated,
    /// After a `join`: rows made of two events.
    Joined,
    /// After a `join kind=leftouter`: the events, with columns of another table added.
    Enriched,
}

#[derive(Debug, Default)]
struct Converter<'q> {
    lets: HashMap<String, Binding<'q>>,
    aliases: HashMap<String, Alias>,
    fields: FieldMap,
    conditions: Vec<Cond>,
    notes: Vec<Note>,
    errors: Vec<Note>,
    phase: Option<Phase>,
    summarize: Option<Summarize>,
    threshold: Option<Threshold>,
    time_window: Option<String>,
    join: Option<Box<Join>>,
    /// The table's columns, when its schema is known for certain.
    columns: Vec<Column>,
    /// Fields are the table's own columns (its SigmaHQ category's fields cannot say all).
    own_columns: bool,
    /// Columns read that the table's known schema does not have.
    missing_columns: Vec<String>,
    /// Columns read that the field map has no field for.
    unmapped_columns: Vec<String>,
}

#[derive(Debug, Clone)]
struct Summarize {
    span: Span,
    /// Aggregate name -> the Sigma correlation type and the column it reads (none for
    /// `count()`); aggregates Sigma has no correlation for are not listed.
    counts: HashMap<String, (&'static str, Option<String>)>,
    group_by: Vec<String>,
    /// `by` expressions that are neither columns nor `bin()` of the time.
    computed_by: Option<Span>,
    timespan: Option<String>,
}

fn unsupported(message: impl Into<String>, span: Span) -> Note {
    Note::in_query(message, span, true)
}

/// A table with the operators applied to it.
type Leg<'q> = (String, Span, Vec<&'q Operator>);

impl<'q> Converter<'q> {
    /// The operators over one table.
    fn run(
        &mut self,
        table: String,
        table_span: Span,
        operators: &[&'q Operator],
    ) -> Result<Analysis, Vec<Note>> {
        self.start(&table);
        self.apply(operators);
        if !self.errors.is_empty() {
            return Err(std::mem::take(&mut self.errors));
        }
        let filter = self.filter();
        Ok(Analysis {
            table,
            table_span,
            fields: std::mem::take(&mut self.fields),
            filter,
            threshold: self.threshold.take(),
            time_window: self.time_window.take(),
            join: self.join.take(),
            own_columns: false,
            missing_columns: std::mem::take(&mut self.missing_columns),
            unmapped_columns: std::mem::take(&mut self.unmapped_columns),
            notes: std::mem::take(&mut self.notes),
        })
    }

    /// Read the events of this table.
    fn start(&mut self, table: &str) {
        self.fields = if self.own_columns {
            FieldMap::own_columns()
        } else {
            FieldMap::for_table(table)
        };
        self.columns = match Tables::default().table(table) {
            Some(Table::Columns(columns)) => columns,
            _ => Vec::new(),
        };
    }

    /// Is the column dynamic (by the table's schema)?
    fn is_dynamic(&self, column: &str) -> bool {
        self.columns
            .iter()
            .any(|c| c.name == column && c.kind == "dynamic")
    }

    /// Is the column a number (by the table's schema)?
    fn is_numeric(&self, column: &str) -> bool {
        self.columns.iter().any(|c| {
            c.name == column && matches!(c.kind.as_ref(), "int" | "long" | "real" | "decimal")
        })
    }

    /// The operators in order, up to the first that Sigma cannot follow.
    fn apply(&mut self, operators: &[&'q Operator]) {
        for op in operators {
            let before = self.errors.len();
            self.operator(op);
            if self.errors.len() > before && !matches!(op.kind, OperatorKind::Where { .. }) {
                // What follows works on rows Sigma cannot describe.
                break;
            }
        }
        self.finish();
    }

    /// The table a table function's call names, with the operators of its body.
    fn called_source(
        &self,
        table: String,
        span: Span,
        body: &'q Expr,
    ) -> Result<Leg<'q>, Vec<Note>> {
        let operators = match &body.kind {
            ExprKind::Pipeline { operators, .. } => operators.iter().collect(),
            _ => Vec::new(),
        };
        Ok((table, span, operators))
    }

    /// The tables the query reads, each with its operators: one, or those of a `union`
    /// (`union A, B | where ...`, `A | union B`), the operators after it applying to each.
    fn sources(&self, expr: &'q Expr) -> Result<Vec<Leg<'q>>, Vec<Note>> {
        self.union_legs(expr, 0)
    }

    /// The legs of a union, through parentheses and `let` names (`(union A, B) | ...`,
    /// `let events = union A, B; events | ...`).
    fn union_legs(&self, expr: &'q Expr, depth: usize) -> Result<Vec<Leg<'q>>, Vec<Note>> {
        if depth > MAX_LET_DEPTH {
            return Ok(vec![self.source(expr, 0)?]);
        }
        let (source, trailing): (&'q Expr, &'q [Operator]) = match &expr.kind {
            ExprKind::Pipeline { source, operators } => (source, operators),
            _ => (expr, &[]),
        };
        let union_at = trailing
            .iter()
            .rposition(|op| matches!(op.kind, OperatorKind::Union { .. }));
        let (mut legs, after): (Vec<Leg<'q>>, &'q [Operator]) = match (&source.kind, union_at) {
            (_, Some(i)) => {
                let OperatorKind::Union {
                    parameters,
                    sources,
                } = &trailing[i].kind
                else {
                    unreachable!("rposition found a union");
                };
                self.union_parameters(parameters)?;
                // `A | where x | union B`: the operators before the union are A's.
                let (table, span, mut ops) = self.source(source, 0)?;
                ops.extend(trailing[..i].iter());
                let mut legs = vec![(table, span, ops)];
                for leg in sources {
                    legs.push(self.source(leg, 0)?);
                }
                (legs, &trailing[i + 1..])
            }
            (ExprKind::Source(op), None) => match &op.kind {
                OperatorKind::Union {
                    parameters,
                    sources,
                } => {
                    self.union_parameters(parameters)?;
                    let legs = sources
                        .iter()
                        .map(|leg| self.source(leg, 0))
                        .collect::<Result<Vec<_>, _>>()?;
                    (legs, trailing)
                }
                _ => return Ok(vec![self.source(expr, 0)?]),
            },
            (ExprKind::Paren(inner), None) => (self.union_legs(inner, depth + 1)?, trailing),
            (ExprKind::Name(name), None) => match self.lets.get(&name.text) {
                Some(Binding::Tabular(inner)) => (self.union_legs(inner, depth + 1)?, trailing),
                _ => return Ok(vec![self.source(expr, 0)?]),
            },
            _ => return Ok(vec![self.source(expr, 0)?]),
        };
        for leg in &mut legs {
            if leg.0.contains('*') {
                return Err(vec![unsupported(
                    format!(
                        "`union {}` reads tables by a pattern; Sigma rules name their log source",
                        leg.0
                    ),
                    leg.1,
                )]);
            }
            leg.2.extend(after.iter());
        }
        Ok(legs)
    }

    /// `union` parameters that change which events there are have no Sigma form.
    fn union_parameters(
        &self,
        parameters: &[crate::kql::ast::OperatorParameter],
    ) -> Result<(), Vec<Note>> {
        for p in parameters {
            match p.name.to_ascii_lowercase().as_str() {
                // Skipping a missing table, naming the source column, and the row order
                // do not change the events.
                "isfuzzy" | "withsource" | "kind" | "hint.concurrency" | "hint.spread" => {}
                _ => {
                    return Err(vec![unsupported(
                        format!("`union {}=...` has no Sigma form", p.name),
                        p.span,
                    )]);
                }
            }
        }
        Ok(())
    }

    /// `| join kind=inner (right) on keys`.
    fn join(
        &mut self,
        op: &'q Operator,
        parameters: &'q [crate::kql::ast::OperatorParameter],
        right: &'q Expr,
        on: &'q [Expr],
        predicate: Option<&'q Expr>,
    ) {
        let kind = parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("kind"))
            .map(|p| match &p.value.kind {
                ExprKind::Name(n) => n.text.to_ascii_lowercase(),
                _ => String::new(),
            })
            .unwrap_or_else(|| "innerunique".into());
        if kind == "leftouter" {
            // Every event of the left side, with the columns of its matches: which events
            // there are does not change, as long as nothing after reads the added columns.
            self.notes.push(Note::in_query(
                "`join kind=leftouter` adds the columns of matching events of another table: left out",
                op.span,
                false,
            ));
            self.phase = Some(Phase::Enriched);
            return;
        }
        if !matches!(
            kind.as_str(),
            "inner" | "innerunique" | "leftsemi" | "rightsemi"
        ) {
            let why = match kind.as_str() {
                "leftanti" | "rightanti" | "anti" | "leftantisemi" | "rightantisemi" => {
                    "keeps events that have no match; Sigma correlations cannot express absence"
                }
                "leftouter" | "rightouter" | "fullouter" | "outer" => {
                    "keeps events with or without a match; Sigma correlations match both rules"
                }
                _ => "has no Sigma form",
            };
            self.errors
                .push(unsupported(format!("`join kind={kind}` {why}"), op.span));
            return;
        }
        if let Some(predicate) = predicate {
            self.errors.push(unsupported(
                "a `join` condition other than equal keys has no Sigma form",
                predicate.span,
            ));
            return;
        }
        if self.join.is_some() {
            self.errors.push(unsupported(
                "a second `join`: Sigma temporal correlations here join two rules",
                op.span,
            ));
            return;
        }
        let (table, table_span, operators) = match self.source(right, 0) {
            Ok(leg) => leg,
            Err(notes) => {
                self.errors.extend(notes);
                return;
            }
        };
        let mut other = Converter {
            lets: self.lets.clone(),
            own_columns: self.own_columns,
            ..Converter::default()
        };
        other.start(&table);
        other.apply(&operators);
        if other.summarize.is_some() || other.join.is_some() {
            self.errors.push(unsupported(
                "the joined table is aggregated or joined itself; Sigma correlations join events",
                right.span,
            ));
            return;
        }
        let mut keys = Vec::new();
        for key in on {
            let (left, right_column) = match &key.kind {
                ExprKind::Binary {
                    op: BinaryOp::Equal,
                    left,
                    right,
                } => match (side(left), side(right)) {
                    (Some(("$left", a)), Some(("$right", b))) => (a, b),
                    (Some(("$right", b)), Some(("$left", a))) => (a, b),
                    _ => {
                        self.errors.push(unsupported(
                            "a join key that is not `$left.Column == $right.Column`",
                            key.span,
                        ));
                        return;
                    }
                },
                ExprKind::Name(name) => (name, name),
                _ => {
                    self.errors
                        .push(unsupported("a join key that is not a column", key.span));
                    return;
                }
            };
            let sides = [self.key_field(left), other.key_field(right_column)];
            let mut fields = Vec::new();
            for field in sides {
                match field {
                    Ok(field) => fields.push(field),
                    Err(why) => {
                        self.errors.push(unsupported(why, key.span));
                        return;
                    }
                }
            }
            keys.push((fields[0].clone(), fields[1].clone()));
        }
        if keys.is_empty() {
            self.errors
                .push(unsupported("a `join` without keys", op.span));
            return;
        }
        self.errors.append(&mut other.errors);
        if !self.errors.is_empty() {
            return;
        }
        let filter = other.filter();
        self.join = Some(Box::new(Join {
            right: Analysis {
                table,
                table_span,
                fields: other.fields,
                filter,
                threshold: None,
                time_window: other.time_window,
                join: None,
                own_columns: false,
                missing_columns: Vec::new(),
                unmapped_columns: std::mem::take(&mut other.unmapped_columns),
                notes: Vec::new(),
            },
            keys,
            span: op.span,
        }));
        self.notes.append(&mut other.notes);
        self.phase = Some(Phase::Joined);
    }

    /// The Sigma field of a join key column (a plain column, through aliases), or why there
    /// is none.
    fn key_field(&mut self, name: &crate::kql::ast::Name) -> Result<String, String> {
        let column = match self.aliases.get(&name.text) {
            Some(Alias::Column(c)) => c.clone(),
            Some(Alias::Computed(..) | Alias::Text(_) | Alias::Parsed(_)) => {
                return Err(format!(
                    "the join key `{}` is computed by the query; Sigma correlations group by fields of the events",
                    name.text
                ));
            }
            None => name.text.clone(),
        };
        match self.mapped_name(column, name.span) {
            Mapped::Field(f) => Ok(f),
            // A file name is not its path: keys would not be equal.
            Mapped::Basename(f) => Err(format!(
                "the join key `{}` is a file name, and Sigma's `{f}` holds the whole path",
                name.text
            )),
        }
    }

    fn binding(&self, value: &'q LetValue) -> Binding<'q> {
        match value {
            LetValue::Expr(expr) => self.binding_of(expr, 0),
            LetValue::Function {
                parameters, body, ..
            } => {
                // One string parameter, which only names the table.
                let ([parameter], [statement]) =
                    (parameters.as_slice(), body.statements.as_slice())
                else {
                    return Binding::Other;
                };
                let StatementKind::Expr(expr) = &statement.kind else {
                    return Binding::Other;
                };
                let source = match &expr.kind {
                    ExprKind::Pipeline { source, .. } => source.as_ref(),
                    _ => expr,
                };
                let reads_parameter = matches!(
                    &source.kind,
                    ExprKind::Call { callee, arguments }
                        if call_name(callee).as_deref() == Some("table")
                            && matches!(arguments.as_slice(), [a] if matches!(&a.value.kind, ExprKind::Name(n) if n.text == parameter.name.text))
                );
                // Used anywhere else, the parameter would be read as a column.
                if reads_parameter && uses_of(expr, &parameter.name.text) == 1 {
                    Binding::TableFunction(expr)
                } else {
                    Binding::Other
                }
            }
            LetValue::View { .. } => Binding::Other,
        }
    }

    /// `f("SigninLogs")` of a table function `f`: the table and the function's body.
    fn called_table(&self, expr: &Expr) -> Option<Binding<'q>> {
        let ExprKind::Call { callee, arguments } = &expr.kind else {
            return None;
        };
        let Some(Binding::TableFunction(body)) = self.lets.get(&call_name(callee)?) else {
            return None;
        };
        match arguments.as_slice() {
            [argument] => match (&argument.value.kind, self.literal(&argument.value)) {
                (_, Some(Value::Str(table))) => {
                    Some(Binding::CalledTable(table, argument.value.span, body))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn binding_of(&self, expr: &'q Expr, depth: usize) -> Binding<'q> {
        if depth > MAX_LET_DEPTH {
            return Binding::Other;
        }
        if let Some(v) = self.literal(expr) {
            return Binding::Value(v);
        }
        if let Some(list) = self.dynamic_list(expr) {
            return Binding::List(list);
        }
        if self.is_time(expr) {
            return Binding::Time(window_of(expr));
        }
        if let Some(called) = self.called_table(expr) {
            return called;
        }
        match &expr.kind {
            ExprKind::Paren(inner) => self.binding_of(inner, depth + 1),
            ExprKind::Pipeline { .. } => Binding::Tabular(expr),
            ExprKind::Name(name) => match self.lets.get(&name.text) {
                Some(binding) => binding.clone(),
                None => Binding::Tabular(expr),
            },
            _ => Binding::Other,
        }
    }

    /// The table and the operators applied to it, through `let` names.
    fn source(
        &self,
        expr: &'q Expr,
        depth: usize,
    ) -> Result<(String, Span, Vec<&'q Operator>), Vec<Note>> {
        if depth > MAX_LET_DEPTH {
            return Err(vec![unsupported(
                "`let` names refer to each other too deeply",
                expr.span,
            )]);
        }
        match &expr.kind {
            ExprKind::Pipeline { source, operators } => {
                let (table, span, mut ops) = self.source(source, depth + 1)?;
                ops.extend(operators.iter());
                Ok((table, span, ops))
            }
            ExprKind::Paren(inner) => self.source(inner, depth + 1),
            ExprKind::Name(name) => match self.lets.get(&name.text) {
                Some(Binding::Tabular(inner)) => self.source(inner, depth + 1),
                Some(Binding::CalledTable(table, span, body)) => {
                    self.called_source(table.clone(), *span, body)
                }
                Some(Binding::Other) => Err(vec![unsupported(
                    format!(
                        "`{}` is set by a `let` that Sigma cannot read (a function, its result, or a computed value)",
                        name.text
                    ),
                    expr.span,
                )]),
                Some(_) => Err(vec![unsupported(
                    format!("`{}` is a `let` value, not a table", name.text),
                    expr.span,
                )]),
                None => Ok((name.text.clone(), name.span, Vec::new())),
            },
            ExprKind::Source(op) => Err(vec![unsupported(
                format!(
                    "a query that starts with `{}` has no Sigma form (Sigma rules read one log source)",
                    operator_name(op)
                ),
                expr.span,
            )]),
            ExprKind::Call { .. } => match self.called_table(expr) {
                Some(Binding::CalledTable(table, span, body)) => {
                    self.called_source(table, span, body)
                }
                _ => Err(vec![unsupported(
                    "the query reads a function (a parser or a watchlist); Sigma rules read one log source",
                    expr.span,
                )]),
            },
            _ => Err(vec![unsupported(
                "the query does not read a table",
                expr.span,
            )]),
        }
    }

    fn operator(&mut self, op: &'q Operator) {
        let phase = self.phase.unwrap_or(Phase::Events);
        match (&op.kind, phase) {
            (OperatorKind::Where { predicate, .. }, Phase::Events) => {
                match self.predicate(predicate) {
                    Pred::Cond(cond) => self.conditions.push(cond),
                    Pred::True | Pred::Fail => {}
                }
            }
            (OperatorKind::Where { predicate, .. }, Phase::Aggregated) => {
                self.threshold_where(predicate, op.span)
            }
            (OperatorKind::Where { .. }, Phase::Enriched) => {
                self.errors.push(unsupported(
                    "a filter after a `join kind=leftouter` may read the other table's columns, which Sigma rules of this table do not have",
                    op.span,
                ));
            }
            (OperatorKind::Where { predicate, .. }, Phase::Joined) => {
                // Comparisons of the two events' columns are left out (and noted); a filter
                // on the joined rows belongs to neither rule.
                if let Pred::Cond(_) = self.predicate(predicate) {
                    self.errors.push(unsupported(
                        "a filter after the `join` reads the joined rows; filter each table before the `join`",
                        predicate.span,
                    ));
                }
            }
            (
                OperatorKind::Join {
                    parameters,
                    right,
                    on,
                    predicate,
                },
                Phase::Events,
            ) => self.join(op, parameters, right, on, predicate.as_ref()),
            (OperatorKind::Extend { columns }, _) => {
                self.alias_columns(columns);
                self.dropped(op, "extend", "adds output columns", false);
            }
            (OperatorKind::ProjectRename { columns }, _) => {
                self.alias_columns(columns);
                self.dropped(op, "project-rename", "renames output columns", false);
            }
            (OperatorKind::Project { columns }, _) => {
                self.alias_columns(columns);
                self.dropped(op, "project", "chooses output columns", false);
            }
            (OperatorKind::ProjectAway { .. }, _) => {
                self.dropped(op, "project-away", "chooses output columns", false)
            }
            (OperatorKind::ProjectKeep { .. }, _) => {
                self.dropped(op, "project-keep", "chooses output columns", false)
            }
            (OperatorKind::ProjectReorder { .. }, _) => {
                self.dropped(op, "project-reorder", "orders output columns", false)
            }
            (OperatorKind::Sort { .. }, _) => self.dropped(op, "sort", "orders the output", false),
            (OperatorKind::Render { .. }, _) => self.dropped(op, "render", "draws a chart", false),
            (OperatorKind::Serialize { .. }, _) => {
                self.dropped(op, "serialize", "orders the output", false)
            }
            (OperatorKind::Distinct { .. }, _) => {
                self.dropped(op, "distinct", "removes duplicate output rows", false)
            }
            (OperatorKind::Top { .. } | OperatorKind::Take { .. }, Phase::Aggregated)
                if self.threshold.is_none() =>
            {
                // `summarize count() by X | top 10 by count_ asc`: the rarest values. Sigma
                // would match every event of every group, the opposite of the intent.
                self.errors.push(unsupported(
                    format!(
                        "`{}` after `summarize` keeps the top or rarest groups; a Sigma rule matches events one by one and cannot rank groups",
                        operator_name(op)
                    ),
                    op.span,
                ));
            }
            (OperatorKind::Top { .. }, _) => self.dropped(
                op,
                "top",
                "keeps the first rows only; Sigma matches every event",
                true,
            ),
            (OperatorKind::Take { .. }, _) => self.dropped(
                op,
                "take",
                "keeps some rows only; Sigma matches every event",
                true,
            ),
            (OperatorKind::MvExpand { items, .. }, Phase::Events) => {
                for item in items {
                    for name in &item.value.names {
                        self.aliases.insert(
                            name.text.clone(),
                            Alias::Computed(op.span, "made by `mv-expand`"),
                        );
                    }
                    if let ExprKind::Name(name) = &item.value.value.kind
                        && item.value.names.is_empty()
                    {
                        self.aliases.insert(
                            name.text.clone(),
                            Alias::Computed(op.span, "made by `mv-expand`"),
                        );
                    }
                }
                self.dropped(
                    op,
                    "mv-expand",
                    "splits arrays into rows for the output",
                    false,
                );
            }
            (
                OperatorKind::Parse {
                    pattern,
                    where_: false,
                    parameters,
                    source,
                },
                Phase::Events,
            ) => {
                // Simple mode over a column: a capture between literals is text of the column.
                let column = (parameters.is_empty())
                    .then(|| self.column(source).ok())
                    .flatten();
                for (i, part) in pattern.iter().enumerate() {
                    if let ParsePart::Column { name, type_name } = part {
                        let parsed = match (&column, type_name) {
                            (Some(column), None) => parsed_from(column, pattern, i),
                            _ => None,
                        };
                        let alias = match parsed {
                            Some(parsed) => Alias::Parsed(parsed),
                            None => Alias::Computed(op.span, "made by `parse`"),
                        };
                        self.aliases.insert(name.text.clone(), alias);
                    }
                }
                self.dropped(op, "parse", "extracts output columns", false);
            }
            (OperatorKind::Summarize { aggregates, by, .. }, Phase::Events) => {
                self.summarize(aggregates, by, op.span)
            }
            (OperatorKind::Count { .. }, Phase::Events) => {
                let mut counts = HashMap::new();
                counts.insert("Count".to_owned(), ("event_count", None));
                self.summarize = Some(Summarize {
                    span: op.span,
                    counts,
                    group_by: Vec::new(),
                    computed_by: None,
                    timespan: None,
                });
                self.phase = Some(Phase::Aggregated);
            }
            (
                OperatorKind::Summarize { .. }
                | OperatorKind::Count { .. }
                | OperatorKind::Join { .. }
                | OperatorKind::Lookup { .. }
                | OperatorKind::Union { .. }
                | OperatorKind::MvExpand { .. }
                | OperatorKind::Parse { .. },
                Phase::Joined | Phase::Enriched,
            ) => {
                self.errors.push(unsupported(
                    format!(
                        "`{}` after a `join` works on joined rows; a Sigma temporal correlation only joins the events",
                        operator_name(op)
                    ),
                    op.span,
                ));
            }
            (kind, _) => {
                let name = operator_name(op);
                let why = match kind {
                    OperatorKind::Join { .. } if phase == Phase::Aggregated => {
                        "joins aggregated rows; Sigma correlations join events"
                    }
                    OperatorKind::Join { .. } => {
                        "combines two tables; Sigma correlation rules can only count or order matches of separate rules"
                    }
                    OperatorKind::Lookup { .. } => {
                        "adds columns of another table to each event; a Sigma rule reads one log source"
                    }
                    OperatorKind::Union { .. } => {
                        "reads several tables; a Sigma rule reads one log source"
                    }
                    OperatorKind::Parse { .. } => "filters on text extracted from a column",
                    OperatorKind::Summarize { .. } | OperatorKind::Count { .. } => {
                        "aggregates twice; Sigma counts once"
                    }
                    _ => "has no Sigma form",
                };
                self.errors
                    .push(unsupported(format!("`{name}` {why}"), op.span));
            }
        }
    }

    fn dropped(&mut self, op: &Operator, name: &str, what: &str, approximate: bool) {
        self.notes.push(Note::in_query(
            format!("`{name}` {what}: left out"),
            op.span,
            approximate,
        ));
    }

    /// `Name = expression` columns: later filters on `Name` read the expression's column.
    fn alias_columns(&mut self, columns: &[NamedExpr]) {
        for column in columns {
            let alias = self.alias_of(&column.value);
            for name in &column.names {
                self.aliases.insert(name.text.clone(), alias.clone());
            }
        }
    }

    fn alias_of(&self, value: &Expr) -> Alias {
        match (self.column(value), self.text_of(value, 0)) {
            (Ok(column), _) => Alias::Column(column),
            (Err(_), Some(text)) => Alias::Text(text),
            (Err(_), None) => Alias::Computed(value.span, "computed by the query"),
        }
    }

    /// The text an expression makes of one column: the column itself, `strcat` of it with
    /// literals, `trim` of whitespace around it, through case and type conversions and
    /// aliases.
    fn text_of(&self, e: &Expr, depth: usize) -> Option<TextOf> {
        if depth > MAX_LET_DEPTH {
            return None;
        }
        if let ExprKind::Name(name) = &e.kind
            && let Some(Alias::Text(text)) = self.aliases.get(&name.text)
        {
            return Some(text.clone());
        }
        if let Ok(column) = self.column(e) {
            return Some(TextOf {
                column,
                prefix: String::new(),
                suffix: String::new(),
                trimmed: false,
            });
        }
        let ExprKind::Call { callee, arguments } = &e.kind else {
            return match &e.kind {
                ExprKind::Paren(inner) => self.text_of(inner, depth + 1),
                _ => None,
            };
        };
        let args: Vec<&Expr> = arguments.iter().map(|a| &a.value).collect();
        match (call_name(callee)?.as_str(), args.as_slice()) {
            ("tolower" | "toupper" | "tostring", [inner]) => self.text_of(inner, depth + 1),
            ("trim" | "trim_start" | "trim_end", [pattern, inner]) => {
                // Only whitespace: other trimmed text would change what the value is.
                let Some(Value::Str(pattern)) = self.literal(pattern) else {
                    return None;
                };
                if !matches!(pattern.as_str(), " " | "\\s" | "\\s+" | "\\s*" | " +") {
                    return None;
                }
                let mut text = self.text_of(inner, depth + 1)?;
                text.trimmed = true;
                Some(text)
            }
            ("strcat", parts) => {
                let mut found: Option<TextOf> = None;
                let (mut prefix, mut suffix) = (String::new(), String::new());
                for part in parts {
                    match self.literal(part) {
                        Some(Value::Str(lit)) if found.is_none() => prefix.push_str(&lit),
                        Some(Value::Str(lit)) => suffix.push_str(&lit),
                        Some(_) => return None,
                        None if found.is_none() => found = Some(self.text_of(part, depth + 1)?),
                        // Two columns in one text: no one field holds it.
                        None => return None,
                    }
                }
                let mut text = found?;
                text.prefix = format!("{prefix}{}", text.prefix);
                text.suffix.push_str(&suffix);
                Some(text)
            }
            _ => None,
        }
    }

    /// A comparison of a `parse` capture: the column holding the literals around the value.
    fn parsed_atom(
        &mut self,
        op: &str,
        capture: &str,
        parsed: ParsedFrom,
        values: Vec<Value>,
        span: Span,
    ) -> Pred {
        let Some(spec) = OpSpec::of(op) else {
            return self.fail(&format!("the operator `{op}`"), span);
        };
        if !spec.modifier.is_empty() || spec.numeric {
            return self.fail(
                &format!("`{op}` on a capture of `parse` (only `==` and `in` and their negations are turned into a condition on the column)"),
                span,
            );
        }
        let mut texts = Vec::with_capacity(values.len());
        for value in values {
            let v = match value {
                Value::Str(v) => v,
                Value::Int(n) => n.to_string(),
                _ => {
                    return self.fail(
                        "a value that is not text, compared with a capture of `parse`",
                        span,
                    );
                }
            };
            texts.push(Scalar::Str(escape(&format!(
                "{}{v}{}",
                parsed.before, parsed.after
            ))));
        }
        let modifier = match (parsed.at_start, parsed.at_end) {
            (true, true) => "",
            (true, false) => "startswith",
            (false, true) => "endswith",
            (false, false) => "contains",
        };
        if !modifier.is_empty() {
            self.notes.push(Note::in_query(
                format!(
                    "`{capture}` is parsed out of `{}`: compared as `{}` {} the literals around it; another place in the text may match too",
                    parsed.column,
                    parsed.column,
                    match modifier {
                        "startswith" => "starting with",
                        "endswith" => "ending with",
                        _ => "containing",
                    }
                ),
                span,
                true,
            ));
        }
        if spec.case_sensitive {
            self.notes.push(Note::in_query(
                format!("`{op}` is case-sensitive; the Sigma rule matches in any case (Sigma backends for KQL cannot write `|cased`)"),
                span,
                true,
            ));
        }
        let field = match self.mapped_name(parsed.column.clone(), span) {
            Mapped::Field(field) => field,
            Mapped::Basename(_) => {
                return self.fail("a capture of `parse` from a file name", span);
            }
        };
        let modifiers: Vec<&'static str> = if modifier.is_empty() {
            Vec::new()
        } else {
            vec![modifier]
        };
        let item = Cond::Item(Item::new(&field, &modifiers, texts));
        Pred::Cond(if spec.negated {
            Cond::Not(Box::new(item))
        } else {
            item
        })
    }

    /// `extract("literal pattern", n, column)` -> the pattern and the column.
    fn extracted<'e>(&self, e: &'e Expr) -> Option<(String, &'e Expr)> {
        let ExprKind::Call { callee, arguments } = &e.kind else {
            return None;
        };
        match (call_name(callee).as_deref(), arguments.as_slice()) {
            (Some("extract"), [pattern, _, source]) => match self.literal(&pattern.value) {
                Some(Value::Str(p)) => Some((p, &source.value)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A condition on text built of a column (`strcat`, `trim`): on the column itself, with
    /// the literals taken off the values.
    fn text_atom(&mut self, op: &str, text: TextOf, values: Vec<Value>, span: Span) -> Pred {
        let Some(spec) = OpSpec::of(op) else {
            return self.fail(&format!("the operator `{op}`"), span);
        };
        let affixed = !text.prefix.is_empty() || !text.suffix.is_empty();
        if affixed && (!spec.modifier.is_empty() || spec.numeric) {
            return self.fail(
                &format!("`{op}` on text built with `strcat` (only `==` and `in` are turned into a condition on the column)"),
                span,
            );
        }
        let cased = spec.case_sensitive;
        let fold = |s: &str| {
            if cased {
                s.to_owned()
            } else {
                s.to_lowercase()
            }
        };
        let (prefix, suffix) = (fold(&text.prefix), fold(&text.suffix));
        let mut kept = Vec::new();
        for value in values {
            let Value::Str(v) = value else {
                return self.fail("a value that is not text, compared with text", span);
            };
            let folded = fold(&v);
            // Case folding that changes lengths (`İ`) would cut the value in the wrong place.
            if folded.len() != v.len()
                || text.prefix.len() != prefix.len()
                || text.suffix.len() != suffix.len()
            {
                return self.fail(
                    "a comparison with text built by `strcat` whose case folding changes its length",
                    span,
                );
            }
            if folded.len() >= prefix.len() + suffix.len()
                && folded.starts_with(&prefix)
                && folded.ends_with(&suffix)
                && v.is_char_boundary(prefix.len())
                && v.is_char_boundary(v.len() - suffix.len())
            {
                kept.push(Value::Str(
                    v[prefix.len()..v.len() - suffix.len()].to_owned(),
                ));
            }
        }
        if kept.is_empty() {
            return self.fail(
                "a comparison that no value of the column can satisfy (the values do not have the text `strcat` adds)",
                span,
            );
        }
        if affixed {
            self.notes.push(Note::in_query(
                format!(
                    "the text `strcat` builds is compared as `{}` without the literals around it",
                    text.column
                ),
                span,
                false,
            ));
        }
        if text.trimmed {
            self.notes.push(Note::in_query(
                format!("`trim` takes spaces off `{}`; the Sigma rule misses values with spaces around them", text.column),
                span,
                true,
            ));
        }
        let mapped = self.mapped_name(text.column, span);
        self.atom_on(op, mapped, false, kept, span)
    }

    fn summarize(&mut self, aggregates: &[NamedExpr], by: &[NamedExpr], span: Span) {
        let mut counts = HashMap::new();
        for aggregate in aggregates {
            let ExprKind::Call { callee, arguments } = &aggregate.value.kind else {
                continue;
            };
            let Some(function) = call_name(callee) else {
                continue;
            };
            let explicit = aggregate.names.first().map(|n| n.text.clone());
            match (function.as_str(), arguments.as_slice()) {
                ("count", []) => {
                    counts.insert(
                        explicit.unwrap_or_else(|| "count_".into()),
                        ("event_count", None),
                    );
                }
                // `dcount(x, accuracy)` estimates; Sigma counts exactly (as close as it gets).
                ("dcount" | "count_distinct", [argument, ..]) | ("sum" | "avg", [argument]) => {
                    if let Ok(column) = self.column(&argument.value) {
                        let kind = match function.as_str() {
                            "sum" => "value_sum",
                            "avg" => "value_avg",
                            _ => "value_count",
                        };
                        let name = explicit.unwrap_or_else(|| format!("{function}_{column}"));
                        counts.insert(name, (kind, Some(column)));
                    }
                }
                _ => {}
            }
        }
        let mut group_by = Vec::new();
        let mut computed_by = None;
        let mut timespan = None;
        for key in by {
            if let ExprKind::Call { callee, arguments } = &key.value.kind
                && call_name(callee).as_deref() == Some("bin")
                && let [column, size] = arguments.as_slice()
                && self.is_time_column(&column.value)
            {
                timespan = sigma_timespan(&size.value);
                if timespan.is_none() {
                    computed_by = Some(key.value.span);
                }
                continue;
            }
            match self.column(&key.value) {
                Ok(column) => {
                    for name in &key.names {
                        self.aliases
                            .insert(name.text.clone(), Alias::Column(column.clone()));
                    }
                    group_by.push(column);
                }
                Err(_) => computed_by = Some(key.value.span),
            }
        }
        self.summarize = Some(Summarize {
            span,
            counts,
            group_by,
            computed_by,
            timespan,
        });
        self.phase = Some(Phase::Aggregated);
    }

    /// `where count_ > 5` after a `summarize`.
    fn threshold_where(&mut self, predicate: &Expr, span: Span) {
        let Some(summarize) = self.summarize.clone() else {
            return;
        };
        if self.threshold.is_some() {
            self.errors.push(unsupported(
                "a second condition on the aggregates has no Sigma form",
                span,
            ));
            return;
        }
        let mut comparisons = Vec::new();
        if !self.comparisons(predicate, &mut comparisons) {
            self.errors.push(unsupported(
                "this condition on the aggregates has no Sigma form (only `count`, `dcount`, `sum` or `avg` compared with a number)",
                predicate.span,
            ));
            return;
        }
        let names: Vec<&String> = comparisons.iter().map(|(name, _, _)| name).collect();
        if names.windows(2).any(|w| w[0] != w[1]) {
            self.errors.push(unsupported(
                "conditions on several aggregates have no Sigma form",
                predicate.span,
            ));
            return;
        }
        let Some((kind, counted)) = summarize.counts.get(names[0]).cloned() else {
            self.errors.push(unsupported(
                format!(
                    "`{}` is not a `count()`, `dcount()`, `sum()` or `avg()` of the `summarize`",
                    names[0]
                ),
                predicate.span,
            ));
            return;
        };
        if let Some(by) = summarize.computed_by {
            self.errors.push(unsupported(
                "Sigma correlations group by fields, not by computed values",
                by,
            ));
            return;
        }
        if summarize.group_by.is_empty() {
            self.errors.push(unsupported(
                "a threshold on all events together (no `by`) has no Sigma form: correlations count per group",
                summarize.span,
            ));
            return;
        }
        let mut group_by = Vec::new();
        for column in &summarize.group_by {
            match self.fields.field(column) {
                Some(Mapped::Field(field)) => group_by.push(field),
                Some(Mapped::Basename(field)) => {
                    self.notes.push(Note::in_query(
                        format!(
                            "`{column}` (a file name) is grouped as `{field}` (its whole path)"
                        ),
                        summarize.span,
                        true,
                    ));
                    group_by.push(field);
                }
                None => {
                    self.errors.push(unsupported(
                        format!("`{column}` has no Sigma field to group by"),
                        summarize.span,
                    ));
                    return;
                }
            }
        }
        let field = match counted {
            None => None,
            Some(column) => match self.fields.field(&column) {
                Some(Mapped::Field(field)) => Some(field),
                // Distinct file names are not distinct paths.
                Some(Mapped::Basename(field)) if kind == "value_count" => {
                    self.notes.push(Note::in_query(
                        format!("distinct `{column}` (file names) are counted as distinct `{field}` (whole paths)"),
                        summarize.span,
                        true,
                    ));
                    Some(field)
                }
                _ => {
                    self.errors.push(unsupported(
                        format!("`{column}` has no Sigma field to count"),
                        summarize.span,
                    ));
                    return;
                }
            },
        };
        let mut unique: Vec<String> = Vec::new();
        for field in group_by {
            if !unique.contains(&field) {
                unique.push(field);
            }
        }
        let group_by = unique;
        self.threshold = Some(Threshold {
            kind,
            field,
            group_by,
            timespan: summarize.timespan.clone(),
            condition: comparisons.into_iter().map(|(_, op, n)| (op, n)).collect(),
            span,
        });
    }

    /// `name op number` comparisons joined by `and`.
    fn comparisons(&self, predicate: &Expr, out: &mut Vec<(String, &'static str, i64)>) -> bool {
        match &predicate.kind {
            ExprKind::Paren(inner) => self.comparisons(inner, out),
            ExprKind::Binary {
                op: BinaryOp::And,
                left,
                right,
            } => self.comparisons(left, out) && self.comparisons(right, out),
            ExprKind::Binary { op, left, right } => {
                let (name, number, op) = match (
                    &left.kind,
                    self.literal(right),
                    &right.kind,
                    self.literal(left),
                ) {
                    (ExprKind::Name(n), Some(Value::Int(v)), _, _) => (n.text.clone(), v, *op),
                    (_, _, ExprKind::Name(n), Some(Value::Int(v))) => {
                        (n.text.clone(), v, mirror(*op))
                    }
                    _ => return false,
                };
                let sigma = match op {
                    BinaryOp::Greater => "gt",
                    BinaryOp::GreaterOrEqual => "gte",
                    BinaryOp::Less => "lt",
                    BinaryOp::LessOrEqual => "lte",
                    BinaryOp::Equal => "eq",
                    BinaryOp::NotEqual => "neq",
                    _ => return false,
                };
                out.push((name, sigma, number));
                true
            }
            _ => false,
        }
    }

    fn finish(&mut self) {
        if let Some(summarize) = &self.summarize
            && self.threshold.is_none()
        {
            self.notes.push(Note::in_query(
                "`summarize` without a threshold shapes the output: left out",
                summarize.span,
                false,
            ));
        }
    }

    fn filter(&mut self) -> Option<Cond> {
        match self.conditions.len() {
            0 => None,
            1 => self.conditions.pop(),
            _ => Some(Cond::And(std::mem::take(&mut self.conditions))),
        }
    }

    // ---- predicates ------------------------------------------------------------------

    fn predicate(&mut self, e: &Expr) -> Pred {
        match &e.kind {
            ExprKind::Paren(inner) => self.predicate(inner),
            ExprKind::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                left,
                right,
            } => {
                let parts = [self.predicate(left), self.predicate(right)];
                if parts.iter().any(|p| matches!(p, Pred::Fail)) {
                    return Pred::Fail;
                }
                if *op == BinaryOp::Or && parts.iter().any(|p| matches!(p, Pred::True)) {
                    self.errors.push(unsupported(
                        "a condition Sigma leaves out (a time window, a comparison of two columns, one always true) inside `or` has no Sigma form",
                        e.span,
                    ));
                    return Pred::Fail;
                }
                let conds: Vec<Cond> = parts
                    .into_iter()
                    .filter_map(|p| match p {
                        Pred::Cond(c) => Some(c),
                        _ => None,
                    })
                    .collect();
                match (conds.len(), op) {
                    (0, _) => Pred::True,
                    (1, _) => Pred::Cond(conds.into_iter().next().unwrap_or(Cond::And(Vec::new()))),
                    (_, BinaryOp::And) => Pred::Cond(Cond::and(conds)),
                    _ => Pred::Cond(Cond::or(conds)),
                }
            }
            ExprKind::Literal(Literal::Bool(true)) => Pred::True,
            ExprKind::Call { callee, arguments } => self.call(e, callee, arguments),
            ExprKind::Binary { op, left, right } => self.compare(op.as_str(), left, right, e.span),
            ExprKind::InList { op, left, list } => self.in_list(*op, left, list, e.span),
            ExprKind::Between {
                negated,
                left,
                low,
                high,
            } => {
                if self.is_time(low) || self.is_time(high) || self.is_time_column(left) {
                    self.time_filter(e, high);
                    return if *negated {
                        self.fail("a negated time window", e.span)
                    } else {
                        Pred::True
                    };
                }
                let (Some(Value::Int(lo)), Some(Value::Int(hi))) =
                    (self.literal(low), self.literal(high))
                else {
                    return self.fail("`between` of values that are not numbers", e.span);
                };
                let Some(mapped) = self.mapped_column(left) else {
                    return Pred::Fail;
                };
                let field = match mapped {
                    Mapped::Field(f) => f,
                    Mapped::Basename(_) => return self.fail("`between` on a file name", e.span),
                };
                let cond = Cond::and(vec![
                    Cond::Item(Item::new(&field, &["gte"], vec![Scalar::Int(lo)])),
                    Cond::Item(Item::new(&field, &["lte"], vec![Scalar::Int(hi)])),
                ]);
                Pred::Cond(if *negated {
                    Cond::Not(Box::new(cond))
                } else {
                    cond
                })
            }
            _ => self.fail("this condition has no Sigma form", e.span),
        }
    }

    fn fail(&mut self, what: &str, span: Span) -> Pred {
        self.errors.push(unsupported(
            format!("{what}: Sigma compares fields of the event with values"),
            span,
        ));
        Pred::Fail
    }

    fn call(&mut self, e: &Expr, callee: &Expr, arguments: &[Argument]) -> Pred {
        let Some(name) = call_name(callee) else {
            return self.fail("a call", e.span);
        };
        let args: Vec<&Expr> = arguments.iter().map(|a| &a.value).collect();
        match (name.as_str(), args.as_slice()) {
            ("not", [inner]) => match self.predicate(inner) {
                Pred::Cond(c) => Pred::Cond(Cond::Not(Box::new(c))),
                Pred::True => self.fail("`not` of a time window", e.span),
                Pred::Fail => Pred::Fail,
            },
            ("isnotempty", [column]) | ("isempty", [column])
                if let Some((pattern, source)) = self.extracted(column) =>
            {
                // `isnotempty(extract(re, n, col))`: the column matches the expression (and
                // group `n` is not empty: RE2 groups that match nothing are rare).
                let matched = self.atom("matches regex", source, vec![Value::Str(pattern)], e.span);
                match matched {
                    Pred::Cond(c) if name == "isempty" => Pred::Cond(Cond::Not(Box::new(c))),
                    other => other,
                }
            }
            ("isnotempty", [column]) | ("isempty", [column]) => {
                let Some(mapped) = self.mapped_column(column) else {
                    return Pred::Fail;
                };
                let field = mapped.field().to_owned();
                // KQL backends write `exists` as `isnotempty()`; for others a field that is
                // there with an empty value exists.
                self.notes.push(Note::in_query(
                    format!(
                        "`{name}()` is `{field}|exists: {}`: the same for KQL backends, but other backends count a field with an empty value as existing",
                        name == "isnotempty"
                    ),
                    e.span,
                    true,
                ));
                Pred::Cond(Cond::Item(Item::new(
                    &field,
                    &["exists"],
                    vec![Scalar::Bool(name == "isnotempty")],
                )))
            }
            ("isnull", [column]) | ("isnotnull", [column]) => {
                let Some(mapped) = self.mapped_column(column) else {
                    return Pred::Fail;
                };
                let item = Cond::Item(Item::new(mapped.field(), &[], vec![Scalar::Null]));
                Pred::Cond(if name == "isnull" {
                    item
                } else {
                    Cond::Not(Box::new(item))
                })
            }
            ("ipv4_is_in_range" | "ipv6_is_in_range", [column, range]) => {
                let Some(Value::Str(cidr)) = self.literal(range) else {
                    return self.fail("an address range that is not a literal", range.span);
                };
                let Some(mapped) = self.mapped_column(column) else {
                    return Pred::Fail;
                };
                Pred::Cond(Cond::Item(Item::new(
                    mapped.field(),
                    &["cidr"],
                    vec![Scalar::Str(cidr)],
                )))
            }
            ("ipv4_is_in_any_range", [column, ranges @ ..]) if !ranges.is_empty() => {
                let Some(values) = self.values(ranges) else {
                    return self.fail("address ranges that are not literals", e.span);
                };
                let cidrs: Vec<Scalar> = values
                    .into_iter()
                    .filter_map(|v| match v {
                        Value::Str(s) => Some(Scalar::Str(s)),
                        _ => None,
                    })
                    .collect();
                let Some(mapped) = self.mapped_column(column) else {
                    return Pred::Fail;
                };
                Pred::Cond(Cond::Item(Item::new(mapped.field(), &["cidr"], cidrs)))
            }
            ("ipv4_is_private", [column]) => {
                let Some(mapped) = self.mapped_column(column) else {
                    return Pred::Fail;
                };
                let private = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
                    .map(|c| Scalar::Str(c.to_owned()))
                    .to_vec();
                Pred::Cond(Cond::Item(Item::new(mapped.field(), &["cidr"], private)))
            }
            _ => self.fail(&format!("`{name}()`"), e.span),
        }
    }

    fn in_list(&mut self, op: ListOp, left: &Expr, list: &[Expr], span: Span) -> Pred {
        let Some(values) = self.values(list) else {
            return self.fail(
                "a list that is not made of literals (or `let` lists of literals)",
                span,
            );
        };
        if values.is_empty() {
            return self.fail("an empty list", span);
        }
        let kql = op.as_str();
        self.atom(kql, left, values, span)
    }

    fn compare(&mut self, op: &str, left: &Expr, right: &Expr, span: Span) -> Pred {
        let plain_columns = self.column(left).is_ok() && self.column(right).is_ok();
        if self.reads_column(left)
            && self.reads_column(right)
            && !(plain_columns && matches!(op, "==" | "=~"))
        {
            // `where A <= B + 60m`: not a time window, and nothing Sigma can say.
            self.notes.push(Note::in_query(
                format!(
                    "a comparison between two columns (`{op}`): left out (Sigma compares a field with values), so the rule matches more events"
                ),
                span,
                true,
            ));
            return Pred::True;
        }
        if self.is_time(left) || self.is_time(right) {
            let window = if self.is_time(right) { right } else { left };
            self.time_filter_at(span, window);
            return Pred::True;
        }
        let left_value = self.literal(left).is_some();
        let right_value = self.literal(right).is_some();
        match (left_value, right_value) {
            (false, true) => {
                let value = self.literal(right).into_iter().collect();
                self.atom(op, left, value, span)
            }
            (true, false) => {
                let Some(mirrored) = mirror_op(op) else {
                    return self.fail(&format!("a value on the left of `{op}`"), span);
                };
                let value = self.literal(left).into_iter().collect();
                self.atom(mirrored, right, value, span)
            }
            (false, false) if matches!(op, "==" | "=~") => {
                // Two fields compared with each other.
                let (Some(a), Some(b)) = (self.mapped_column(left), self.mapped_column(right))
                else {
                    return Pred::Fail;
                };
                if op == "==" {
                    self.notes.push(Note::in_query(
                        "`==` is case-sensitive; Sigma `fieldref` compares in any case",
                        span,
                        true,
                    ));
                }
                Pred::Cond(Cond::Item(Item::new(
                    a.field(),
                    &["fieldref"],
                    vec![Scalar::Str(b.field().to_owned())],
                )))
            }
            _ => self.fail(&format!("`{op}` between these operands"), span),
        }
    }

    fn time_filter(&mut self, e: &Expr, window: &Expr) {
        self.time_filter_at(e.span, window);
    }

    fn time_filter_at(&mut self, span: Span, window: &Expr) {
        if self.time_window.is_none() {
            self.time_window = self.window(window);
        }
        self.notes.push(Note::in_query(
            "a time window: left out (Sigma rules have none; the backend or the schedule sets it)",
            span,
            false,
        ));
    }

    /// `ago(5d)` -> `5d`, through `let` names.
    fn window(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Name(name) => match self.lets.get(&name.text) {
                Some(Binding::Time(w)) => w.clone(),
                _ => None,
            },
            _ => window_of(e),
        }
    }

    /// A condition on one field.
    fn atom(&mut self, op: &str, column: &Expr, values: Vec<Value>, span: Span) -> Pred {
        if let ExprKind::Name(name) = &column.kind
            && let Some(Alias::Parsed(parsed)) = self.aliases.get(&name.text)
        {
            let parsed = parsed.clone();
            return self.parsed_atom(op, &name.text, parsed, values, span);
        }
        if self.column(column).is_err()
            && let Some(text) = self.text_of(column, 0)
        {
            return self.text_atom(op, text, values, span);
        }
        let Some(mapped) = self.mapped_column(column) else {
            return Pred::Fail;
        };
        let numeric = self.column(column).is_ok_and(|c| self.is_numeric(&c));
        self.atom_on(op, mapped, numeric, values, span)
    }

    /// A condition on one field; `numeric`: the column is a number.
    fn atom_on(
        &mut self,
        op: &str,
        mapped: Mapped,
        numeric: bool,
        values: Vec<Value>,
        span: Span,
    ) -> Pred {
        // `RemotePort == "3389"`: KQL compares the number; Sigma wants it written as one.
        let numeric = numeric
            && matches!(
                op,
                "==" | "=~" | "!=" | "!~" | "in" | "in~" | "!in" | "!in~"
            );
        let values: Vec<Value> = values
            .into_iter()
            .map(|v| match v {
                Value::Str(s) if numeric && is_plain_integer(&s) => {
                    s.parse().map(Value::Int).unwrap_or(Value::Str(s))
                }
                other => other,
            })
            .collect();
        // Case matters only for values with letters.
        let cased_text = values
            .iter()
            .any(|v| matches!(v, Value::Str(s) if s.chars().any(|c| c.to_lowercase().ne(c.to_uppercase()))));
        let Some(spec) = OpSpec::of(op) else {
            return self.fail(&format!("the operator `{op}`"), span);
        };
        if spec.numeric {
            let numbers: Option<Vec<Scalar>> = values
                .iter()
                .map(|v| match v {
                    Value::Int(n) => Some(Scalar::Int(*n)),
                    _ => None,
                })
                .collect();
            let Some(numbers) = numbers else {
                return self.fail(
                    &format!("`{op}` with a value that is not a whole number"),
                    span,
                );
            };
            let Mapped::Field(field) = mapped else {
                return self.fail(&format!("`{op}` on a file name"), span);
            };
            return Pred::Cond(Cond::Item(Item::new(&field, &[spec.modifier], numbers)));
        }
        if spec.case_sensitive && cased_text {
            self.notes.push(Note::in_query(
                format!("`{op}` is case-sensitive; the Sigma rule matches in any case (Sigma backends for KQL cannot write `|cased`)"),
                span,
                true,
            ));
        }
        if let Some(why) = spec.approximation {
            self.notes
                .push(Note::in_query(format!("`{op}` {why}"), span, true));
        }
        let mut modifiers: Vec<&'static str> = Vec::new();
        let mut scalars: Vec<Scalar> = Vec::new();
        let (field, prefix) = match &mapped {
            Mapped::Field(f) => (f.clone(), ""),
            Mapped::Basename(f) => (f.clone(), "\\"),
        };
        let base = match (&mapped, spec.modifier) {
            // A file name equal to `x` is a path ending in `\x`.
            (Mapped::Basename(_), "") => "endswith",
            (Mapped::Basename(_), "startswith") => {
                self.notes.push(Note::in_query(
                    format!("a file name that starts with a value is written as a path containing `\\` and the value (`{field}` holds the whole path)"),
                    span,
                    true,
                ));
                "contains"
            }
            (Mapped::Basename(_), "contains") => {
                self.notes.push(Note::in_query(
                    format!("`{field}` holds the whole path: a value contained in the file name may also match a folder"),
                    span,
                    true,
                ));
                "contains"
            }
            (Mapped::Basename(_), "re") => {
                return self.fail("a regular expression on a file name", span);
            }
            (_, m) => m,
        };
        let add_prefix =
            matches!(&mapped, Mapped::Basename(_)) && matches!(spec.modifier, "" | "startswith");
        if !base.is_empty() {
            modifiers.push(base);
        }
        if spec.modifier == "re" {
            for v in &values {
                if let Value::Str(s) = v {
                    // Sigma has no inline flags: `(?i)` becomes the `i` modifier, for the whole
                    // expression even where KQL (RE2) scoped it to a group.
                    let insensitive = s.contains("(?i)");
                    if insensitive && !s.starts_with("(?i)") {
                        self.notes.push(Note::in_query(
                            "`(?i)` inside the regular expression applies to all of it in Sigma (`|re|i`)",
                            span,
                            true,
                        ));
                    }
                    let pattern = s.replace("(?i)", "");
                    if insensitive && !modifiers.contains(&"i") {
                        modifiers.push("i");
                    }
                    if uses_regex_beyond_sigma(&pattern) {
                        self.notes.push(Note::in_query(
                            "the regular expression uses constructs beyond the Sigma regex subset (KQL uses RE2); backends may read it differently",
                            span,
                            true,
                        ));
                    }
                    scalars.push(Scalar::Str(pattern));
                } else {
                    return self.fail("a regular expression that is not a string", span);
                }
            }
        } else {
            for v in values {
                scalars.push(match v {
                    Value::Str(s) => {
                        let literal = if add_prefix {
                            format!("{prefix}{s}")
                        } else {
                            s
                        };
                        Scalar::Str(escape(&literal))
                    }
                    Value::Int(n) => Scalar::Int(n),
                    Value::Bool(b) => Scalar::Bool(b),
                    Value::Real(r) => Scalar::Str(r),
                });
            }
        }
        if spec.all && scalars.len() > 1 {
            modifiers.push("all");
        }
        let item = Cond::Item(Item::new(&field, &modifiers, scalars));
        Pred::Cond(if spec.negated {
            Cond::Not(Box::new(item))
        } else {
            item
        })
    }

    /// The Sigma field of a column expression, or `None` (with the reason recorded).
    fn mapped_column(&mut self, e: &Expr) -> Option<Mapped> {
        match self.column(e) {
            Ok(column) => Some(self.mapped_name(column, e.span)),
            Err(note) => {
                self.errors.push(note);
                None
            }
        }
    }

    /// The Sigma field of a column; the column's own name (noted) when the log source has
    /// none for it.
    fn mapped_name(&mut self, column: String, span: Span) -> Mapped {
        let top = column.split('.').next().unwrap_or_default();
        if !self.columns.is_empty()
            && !self.columns.iter().any(|c| c.name == top)
            && !self.missing_columns.iter().any(|c| c == top)
        {
            self.missing_columns.push(top.to_owned());
        }
        match self.fields.field(&column) {
            Some(mapped) => mapped,
            None => {
                if !self.unmapped_columns.contains(&column) {
                    self.unmapped_columns.push(column.clone());
                }
                self.notes.push(Note::in_query(
                    format!(
                        "`{column}` has no Sigma field in the taxonomy of this log source; written as it is (backends need a field mapping for it)"
                    ),
                    span,
                    false,
                ));
                Mapped::Field(column)
            }
        }
    }

    /// The column an expression reads: a name (through aliases), `tolower(name)`, or a
    /// property of a dynamic column (`AdditionalFields.x`).
    fn column(&self, e: &Expr) -> Result<String, Note> {
        match &e.kind {
            ExprKind::Name(name) => match self.aliases.get(&name.text) {
                Some(Alias::Column(c)) => Ok(c.clone()),
                Some(Alias::Parsed(parsed)) => Err(unsupported(
                    format!(
                        "`{}` is parsed out of `{}`; only `==` and `in` on it are turned into a condition on that column",
                        name.text, parsed.column
                    ),
                    e.span,
                )),
                Some(Alias::Text(_)) => Err(unsupported(
                    format!(
                        "`{}` is text built from a column; Sigma rules match fields of the event",
                        name.text
                    ),
                    e.span,
                )),
                Some(Alias::Computed(span, how)) => Err(unsupported(
                    format!(
                        "`{}` is {how}; Sigma rules match fields of the event",
                        name.text
                    ),
                    if span.is_empty() { e.span } else { *span },
                )),
                None => match self.lets.get(&name.text) {
                    Some(_) => Err(unsupported(
                        format!("`{}` is a `let` value, not a column", name.text),
                        e.span,
                    )),
                    None => Ok(name.text.clone()),
                },
            },
            ExprKind::Paren(inner) => self.column(inner),
            ExprKind::Call { callee, arguments } => {
                match (call_name(callee).as_deref(), arguments.as_slice()) {
                    // Sigma compares in any case, text as text, and numbers as numbers.
                    (Some("tolower" | "toupper" | "tostring" | "toint" | "tolong"), [argument]) => {
                        self.column(&argument.value)
                    }
                    // Of a column that is dynamic already: the column.
                    (Some("todynamic" | "parse_json"), [argument])
                        if self
                            .column(&argument.value)
                            .is_ok_and(|c| self.is_dynamic(&c)) =>
                    {
                        self.column(&argument.value)
                    }
                    _ => Err(unsupported(
                        "a computed value: Sigma rules match fields of the event as they are",
                        e.span,
                    )),
                }
            }
            ExprKind::Path { target, member } => {
                let base = self.column(target)?;
                Ok(format!("{base}.{}", member.text))
            }
            _ => Err(unsupported(
                "not a column: Sigma rules match fields of the event",
                e.span,
            )),
        }
    }

    /// Does the expression read a column of the event (not only literals, `let` values
    /// and the clock)?
    fn reads_column(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(name) => {
                self.aliases.contains_key(&name.text) || !self.lets.contains_key(&name.text)
            }
            ExprKind::Path { .. } => true,
            ExprKind::Paren(inner) => self.reads_column(inner),
            ExprKind::Unary { operand, .. } => self.reads_column(operand),
            ExprKind::Binary { left, right, .. } => {
                self.reads_column(left) || self.reads_column(right)
            }
            ExprKind::Call { arguments, .. } => {
                arguments.iter().any(|a| self.reads_column(&a.value))
            }
            _ => false,
        }
    }

    fn is_time_column(&self, e: &Expr) -> bool {
        matches!(&e.kind, ExprKind::Name(n) if matches!(n.text.as_str(), "TimeGenerated" | "Timestamp"))
    }

    /// A point or span of time: `ago()`, `now()`, `datetime()`, timespans, `let` names
    /// bound to them, and arithmetic on them.
    fn is_time(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Literal(Literal::Timespan(_)) => true,
            ExprKind::Literal(Literal::Typed { type_name, .. }) => {
                matches!(type_name.as_str(), "datetime" | "timespan" | "time")
            }
            ExprKind::Call { callee, .. } => matches!(
                call_name(callee).as_deref(),
                Some(
                    "ago"
                        | "now"
                        | "datetime"
                        | "todatetime"
                        | "startofday"
                        | "startofweek"
                        | "startofmonth"
                        | "startofyear"
                        | "endofday"
                        | "endofweek"
                        | "endofmonth"
                        | "datetime_add"
                        | "totimespan"
                )
            ),
            ExprKind::Name(name) => matches!(self.lets.get(&name.text), Some(Binding::Time(_))),
            ExprKind::Paren(inner) => self.is_time(inner),
            ExprKind::Binary { op, left, right } => {
                matches!(
                    op,
                    BinaryOp::Add | BinaryOp::Subtract | BinaryOp::Multiply | BinaryOp::Divide
                ) && (self.is_time(left) || self.is_time(right))
            }
            _ => false,
        }
    }

    /// A literal, through `let` names.
    fn literal(&self, e: &Expr) -> Option<Value> {
        match &e.kind {
            ExprKind::Literal(Literal::String { value, .. }) => Some(Value::Str(value.clone())),
            ExprKind::Literal(Literal::Int(text)) => parse_int(text).map(Value::Int),
            ExprKind::Literal(Literal::Real(text)) => Some(Value::Real(text.clone())),
            ExprKind::Literal(Literal::Bool(b)) => Some(Value::Bool(*b)),
            ExprKind::Literal(Literal::Typed { type_name, text })
                if matches!(type_name.as_str(), "int" | "long") =>
            {
                parse_int(text).map(Value::Int)
            }
            ExprKind::Unary {
                op: UnaryOp::Minus,
                operand,
            } => match self.literal(operand) {
                Some(Value::Int(n)) => Some(Value::Int(-n)),
                _ => None,
            },
            ExprKind::Paren(inner) => self.literal(inner),
            ExprKind::Name(name) if !self.aliases.contains_key(&name.text) => {
                match self.lets.get(&name.text) {
                    Some(Binding::Value(v)) => Some(v.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `dynamic([...])` of literals, directly or through a `let` name.
    fn dynamic_list(&self, e: &Expr) -> Option<Vec<Value>> {
        match &e.kind {
            ExprKind::Literal(Literal::Dynamic(Dynamic::Array(items))) => items
                .iter()
                .map(|d| match d {
                    Dynamic::String(s) => Some(Value::Str(s.clone())),
                    Dynamic::Number(n) => parse_int(n).map(Value::Int),
                    Dynamic::Bool(b) => Some(Value::Bool(*b)),
                    _ => None,
                })
                .collect(),
            ExprKind::Name(name) => match self.lets.get(&name.text) {
                Some(Binding::List(list)) => Some(list.clone()),
                _ => None,
            },
            ExprKind::Paren(inner) => self.dynamic_list(inner),
            _ => None,
        }
    }

    /// The values of an `in (...)` list: literals, and lists inlined.
    fn values<E: std::borrow::Borrow<Expr>>(&self, list: &[E]) -> Option<Vec<Value>> {
        let mut out = Vec::new();
        for item in list {
            let item = item.borrow();
            if let Some(v) = self.literal(item) {
                out.push(v);
            } else {
                out.extend(self.dynamic_list(item)?);
            }
        }
        Some(out)
    }
}

/// A column's text with literals around it, maybe trimmed of spaces: what `strcat` and
/// `trim` make of a column.
#[derive(Debug, Clone, PartialEq)]
struct TextOf {
    column: String,
    prefix: String,
    suffix: String,
    trimmed: bool,
}

/// Where `parse` (simple mode) takes a capture from: the column, the literal text right
/// before and after it, and whether it starts the column (only literals before it) or ends
/// it (last in the pattern).
#[derive(Debug, Clone, PartialEq)]
struct ParsedFrom {
    column: String,
    before: String,
    after: String,
    at_start: bool,
    at_end: bool,
}

/// The capture at `i` of a `parse` pattern, when literals bound it on both sides (or the
/// start or end of the column does).
fn parsed_from(column: &str, pattern: &[ParsePart], i: usize) -> Option<ParsedFrom> {
    let at_start = pattern[..i].iter().all(|p| matches!(p, ParsePart::Text(_)));
    let before = match (i.checked_sub(1).map(|j| &pattern[j]), at_start) {
        (_, true) => pattern[..i]
            .iter()
            .map(|p| match p {
                ParsePart::Text(t) => t.as_str(),
                _ => "",
            })
            .collect(),
        (Some(ParsePart::Text(t)), false) if !t.is_empty() => t.clone(),
        // Two captures or `*` next to each other: where one ends is not known.
        _ => return None,
    };
    let at_end = i + 1 == pattern.len();
    let after = match pattern.get(i + 1) {
        None => String::new(),
        Some(ParsePart::Text(t)) if !t.is_empty() => t.clone(),
        _ => return None,
    };
    Some(ParsedFrom {
        column: column.to_owned(),
        before,
        after,
        at_start,
        at_end,
    })
}

/// What a predicate turned into.
enum Pred {
    Cond(Cond),
    /// Always true for Sigma (a time window).
    True,
    /// Not expressible (the reason is recorded).
    Fail,
}

/// How a KQL operator becomes a Sigma modifier.
struct OpSpec {
    modifier: &'static str,
    negated: bool,
    case_sensitive: bool,
    numeric: bool,
    all: bool,
    approximation: Option<&'static str>,
}

const HAS: &str =
    "matches whole terms; Sigma `contains` matches any substring, so the rule matches more";
const NOT_HAS: &str =
    "excludes whole terms; Sigma `contains` excludes any substring, so the rule may miss events";
const HAS_PREFIX: &str =
    "matches the start of a term; Sigma `contains` matches any substring, so the rule matches more";
const HAS_SUFFIX: &str =
    "matches the end of a term; Sigma `contains` matches any substring, so the rule matches more";

impl OpSpec {
    fn of(op: &str) -> Option<OpSpec> {
        let spec = |modifier, negated, case_sensitive, approximation| OpSpec {
            modifier,
            negated,
            case_sensitive,
            numeric: false,
            all: false,
            approximation,
        };
        let numeric = |modifier| OpSpec {
            modifier,
            negated: false,
            case_sensitive: false,
            numeric: true,
            all: false,
            approximation: None,
        };
        Some(match op {
            "==" | "in" => spec("", false, true, None),
            "=~" | "in~" => spec("", false, false, None),
            "!=" | "!in" => spec("", true, true, None),
            "!~" | "!in~" => spec("", true, false, None),
            "has" => spec("contains", false, false, Some(HAS)),
            "has_cs" => spec("contains", false, true, Some(HAS)),
            "!has" => spec("contains", true, false, Some(NOT_HAS)),
            "!has_cs" => spec("contains", true, true, Some(NOT_HAS)),
            "hasprefix" => spec("contains", false, false, Some(HAS_PREFIX)),
            "hasprefix_cs" => spec("contains", false, true, Some(HAS_PREFIX)),
            "!hasprefix" => spec("contains", true, false, Some(NOT_HAS)),
            "!hasprefix_cs" => spec("contains", true, true, Some(NOT_HAS)),
            "hassuffix" => spec("contains", false, false, Some(HAS_SUFFIX)),
            "hassuffix_cs" => spec("contains", false, true, Some(HAS_SUFFIX)),
            "!hassuffix" => spec("contains", true, false, Some(NOT_HAS)),
            "!hassuffix_cs" => spec("contains", true, true, Some(NOT_HAS)),
            "contains" => spec("contains", false, false, None),
            "contains_cs" | "containscs" => spec("contains", false, true, None),
            "!contains" | "notcontains" => spec("contains", true, false, None),
            "!contains_cs" | "notcontainscs" => spec("contains", true, true, None),
            "startswith" => spec("startswith", false, false, None),
            "startswith_cs" => spec("startswith", false, true, None),
            "!startswith" => spec("startswith", true, false, None),
            "!startswith_cs" => spec("startswith", true, true, None),
            "endswith" => spec("endswith", false, false, None),
            "endswith_cs" => spec("endswith", false, true, None),
            "!endswith" => spec("endswith", true, false, None),
            "!endswith_cs" => spec("endswith", true, true, None),
            "matches regex" => spec("re", false, false, None),
            "has_any" => spec("contains", false, false, Some(HAS)),
            "has_all" => OpSpec {
                all: true,
                ..spec("contains", false, false, Some(HAS))
            },
            ">" => numeric("gt"),
            ">=" => numeric("gte"),
            "<" => numeric("lt"),
            "<=" => numeric("lte"),
            _ => return None,
        })
    }
}

/// `a > b` is `b < a`.
fn mirror(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Greater => BinaryOp::Less,
        BinaryOp::GreaterOrEqual => BinaryOp::LessOrEqual,
        BinaryOp::Less => BinaryOp::Greater,
        BinaryOp::LessOrEqual => BinaryOp::GreaterOrEqual,
        other => other,
    }
}

/// The operator with its operands swapped, for those where that is meaningful.
fn mirror_op(op: &str) -> Option<&'static str> {
    Some(match op {
        "==" => "==",
        "=~" => "=~",
        "!=" => "!=",
        "!~" => "!~",
        ">" => "<",
        ">=" => "<=",
        "<" => ">",
        "<=" => ">=",
        _ => return None,
    })
}

/// `3389`, `-1`: digits Sigma reads back as the same number (no sign `+`, no leading zero).
fn is_plain_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && digits.len() < 19
}

fn parse_int(text: &str) -> Option<i64> {
    let text = text.trim();
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// How often a name occurs in an expression.
fn uses_of(expr: &Expr, name: &str) -> usize {
    struct Count<'n> {
        name: &'n str,
        count: usize,
    }
    impl<'a> crate::kql::visit::Visitor<'a> for Count<'_> {
        fn name(&mut self, name: &'a crate::kql::ast::Name) {
            if name.text == self.name {
                self.count += 1;
            }
        }
    }
    let mut count = Count { name, count: 0 };
    crate::kql::visit::Visitor::expr(&mut count, expr);
    count.count
}

/// `$left.Column` -> (`$left`, Column).
fn side(e: &Expr) -> Option<(&str, &crate::kql::ast::Name)> {
    match &e.kind {
        ExprKind::Path { target, member } => match &target.kind {
            ExprKind::Name(n) if matches!(n.text.as_str(), "$left" | "$right") => {
                Some((n.text.as_str(), member))
            }
            _ => None,
        },
        ExprKind::Paren(inner) => side(inner),
        _ => None,
    }
}

fn call_name(callee: &Expr) -> Option<String> {
    match &callee.kind {
        ExprKind::Name(name) => Some(name.text.clone()),
        _ => None,
    }
}

/// The operator's keyword, for messages.
fn operator_name(op: &Operator) -> String {
    op.kind.keyword().to_owned()
}

/// `ago(5d)` / `now(-5d)` -> `5d` (a Sigma timespan: a whole number of s, m, h or d).
fn window_of(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Call { callee, arguments } => {
            match (call_name(callee).as_deref(), arguments.as_slice()) {
                (Some("ago"), [a]) => sigma_timespan(&a.value),
                (Some("now"), [a]) => match &a.value.kind {
                    ExprKind::Unary {
                        op: UnaryOp::Minus,
                        operand,
                    } => sigma_timespan(operand),
                    _ => None,
                },
                _ => None,
            }
        }
        ExprKind::Paren(inner) => window_of(inner),
        _ => None,
    }
}

/// A KQL timespan literal as a Sigma timespan (`1h`, `30m`, `7d`, `90s`).
fn sigma_timespan(e: &Expr) -> Option<String> {
    let ExprKind::Literal(Literal::Timespan(text)) = &e.kind else {
        return None;
    };
    let text = text.trim();
    let unit_start = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(unit_start);
    let n: u64 = number.parse().ok()?;
    let unit = match unit {
        "d" | "day" | "days" => "d",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "m" | "min" | "minute" | "minutes" => "m",
        "s" | "sec" | "second" | "seconds" => "s",
        _ => return None,
    };
    Some(format!("{n}{unit}"))
}

/// Regex constructs outside the Sigma subset (`. ^ $ * + ? {n,m} [..] | ()`).
fn uses_regex_beyond_sigma(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e) if e.is_ascii_alphabetic() => return true,
                _ => {}
            }
        } else if c == '(' && pattern.contains("(?") {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(query: &str) -> Result<Vec<Analysis>, Vec<Note>> {
        let parsed = crate::kql::parse(query);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        analyze_tables(&parsed.query)
    }

    fn refusal(query: &str) -> String {
        match tables(query) {
            Ok(a) => panic!(
                "converted: {:?}",
                a.iter().map(|a| &a.filter).collect::<Vec<_>>()
            ),
            Err(notes) => notes[0].message.clone(),
        }
    }

    #[test]
    fn text_built_with_strcat_is_the_column_without_the_literals() {
        let a = tables(
            r#"SecurityEvent | extend Q = strcat("svc:", ServiceName) | where Q in~ ("SVC:a", "svc:b", "x")"#,
        )
        .unwrap();
        let Some(Cond::Item(item)) = &a[0].filter else {
            panic!("{:?}", a[0].filter)
        };
        assert_eq!(item.field, "ServiceName");
        assert_eq!(
            item.values,
            [Scalar::Str("a".into()), Scalar::Str("b".into())]
        );
        assert!(
            refusal(r#"SecurityEvent | where strcat("svc:", ServiceName) == "other""#)
                .contains("no value of the column can satisfy")
        );
        assert!(
            refusal(r#"SecurityEvent | where strcat("İ", ServiceName) =~ "İx""#)
                .contains("case folding")
        );
    }

    #[test]
    fn a_table_a_union_reads_twice_is_one_rule_of_either_filter() {
        let a = tables(
            r#"union (SigninLogs | where ResultType == "1"), (SigninLogs | where ResultType == "2"), AuditLogs | where OperationName == "x""#,
        );
        let a = a.unwrap();
        assert_eq!(
            a.iter().map(|a| a.table.as_str()).collect::<Vec<_>>(),
            ["SigninLogs", "AuditLogs"]
        );
        assert!(matches!(a[0].filter, Some(Cond::Or(ref parts)) if parts.len() == 2));
    }

    #[test]
    fn rankings_anti_joins_and_missing_columns_are_refused() {
        assert!(
            refusal("DeviceProcessEvents | summarize count() by FileName | top 10 by count_ asc")
                .contains("rarest")
        );
        assert!(
            refusal("SigninLogs | where ResultType == \"0\" | join kind=leftanti (AuditLogs | where OperationName == \"x\") on $left.UserPrincipalName == $right.Identity")
                .contains("absence")
        );
        assert!(
            refusal(r#"union DeviceProcessEvents, SecurityEvent | where CommandLine has "x""#)
                .contains("has no column `CommandLine`")
        );
    }

    #[test]
    fn table_functions_are_the_table_they_name() {
        let a = tables(
            r#"let f = (t:string) { table(t) | where AppId == "x" }; let a = f("SigninLogs"); let b = f("AADNonInteractiveUserSignInLogs"); union a, b"#,
        )
        .unwrap();
        assert_eq!(
            a.iter().map(|a| a.table.as_str()).collect::<Vec<_>>(),
            ["SigninLogs", "AADNonInteractiveUserSignInLogs"]
        );
        // A parameter read elsewhere in the body is not a column.
        assert!(
            refusal(r#"let f = (t:string) { table(t) | where Type == t }; f("SigninLogs")"#)
                .contains("function")
        );
    }

    #[test]
    fn a_comparison_of_two_columns_is_left_out_and_said_so() {
        let a = tables(
            "SecurityEvent | where EventID == 4720 | where TimeGenerated <= TimeCreated + 60m",
        )
        .unwrap();
        assert!(matches!(a[0].filter, Some(Cond::Item(_))));
        assert!(
            a[0].notes
                .iter()
                .any(|n| n.approximate && n.message.starts_with("a comparison between two columns"))
        );
    }
}
