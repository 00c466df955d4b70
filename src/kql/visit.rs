//! Walking a syntax tree. The `walk_*` functions are the one place that knows which node
//! holds which; a consumer implements [`Visitor`] for the nodes it cares about and calls the
//! matching `walk_*` to go on into the children (the default methods do).
//!
//! Every walk announces its node's span to [`Visitor::node`] first, so that a consumer that
//! only needs places (which node covers an offset, whether spans nest) implements one method.

use super::ast::*;
use crate::text::Span;

/// What to do at each kind of node. Every method defaults to walking the node's children.
pub trait Visitor<'a> {
    /// Called with the span of every node the walk enters, before its own method runs.
    fn node(&mut self, _span: Span) {}

    fn statement(&mut self, statement: &'a Statement) {
        walk_statement(self, statement);
    }

    fn expr(&mut self, expr: &'a Expr) {
        walk_expr(self, expr);
    }

    fn operator(&mut self, operator: &'a Operator) {
        walk_operator(self, operator);
    }

    fn name(&mut self, name: &'a Name) {
        self.node(name.span);
    }

    fn tokens(&mut self, tokens: &'a Tokens) {
        self.node(tokens.span);
    }

    fn column_decl(&mut self, column: &'a ColumnDecl) {
        self.node(column.span);
        self.name(&column.name);
    }

    fn named_expr(&mut self, named: &'a NamedExpr) {
        self.node(named.span);
        named.names.iter().for_each(|n| self.name(n));
        self.expr(&named.value);
    }

    fn operator_parameter(&mut self, parameter: &'a OperatorParameter) {
        self.node(parameter.span);
        self.expr(&parameter.value);
    }
}

/// Every statement of a query, in order.
pub fn walk_query<'a, V: Visitor<'a> + ?Sized>(v: &mut V, query: &'a Query) {
    v.node(query.span);
    query.statements.iter().for_each(|s| v.statement(s));
}

pub fn walk_statement<'a, V: Visitor<'a> + ?Sized>(v: &mut V, statement: &'a Statement) {
    v.node(statement.span);
    match &statement.kind {
        StatementKind::Let { name, value } => {
            v.name(name);
            match value {
                LetValue::Expr(e) => v.expr(e),
                LetValue::Function {
                    parameters,
                    body,
                    span,
                }
                | LetValue::View {
                    parameters,
                    body,
                    span,
                } => {
                    v.node(*span);
                    walk_parameters(v, parameters);
                    walk_body(v, body);
                }
            }
        }
        StatementKind::Set { name, value } => {
            v.name(name);
            value.iter().for_each(|e| v.expr(e));
        }
        StatementKind::DeclareQueryParameters { parameters } => walk_parameters(v, parameters),
        StatementKind::Other { tokens, .. } => v.tokens(tokens),
        StatementKind::Expr(e) => v.expr(e),
    }
}

fn walk_parameters<'a, V: Visitor<'a> + ?Sized>(v: &mut V, parameters: &'a [Parameter]) {
    for parameter in parameters {
        v.node(parameter.span);
        v.name(&parameter.name);
        match &parameter.kind {
            ParameterKind::Scalar { default, .. } => default.iter().for_each(|e| v.expr(e)),
            ParameterKind::Tabular { columns } => {
                columns.iter().flatten().for_each(|c| v.column_decl(c))
            }
        }
    }
}

fn walk_body<'a, V: Visitor<'a> + ?Sized>(v: &mut V, body: &'a Body) {
    v.node(body.span);
    body.statements.iter().for_each(|s| v.statement(s));
}

pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, expr: &'a Expr) {
    v.node(expr.span);
    match &expr.kind {
        ExprKind::Literal(_) | ExprKind::Wildcard(_) => {}
        ExprKind::Name(name) => v.name(name),
        ExprKind::Path { target, member } => {
            v.expr(target);
            v.name(member);
        }
        ExprKind::Index { target, index } => {
            v.expr(target);
            v.expr(index);
        }
        ExprKind::Call { callee, arguments } => {
            v.expr(callee);
            for argument in arguments {
                v.node(argument.span);
                argument.name.iter().for_each(|n| v.name(n));
                v.expr(&argument.value);
            }
        }
        ExprKind::Unary { operand, .. } => v.expr(operand),
        ExprKind::Binary { left, right, .. } => {
            v.expr(left);
            v.expr(right);
        }
        ExprKind::InList { left, list, .. } => {
            v.expr(left);
            list.iter().for_each(|e| v.expr(e));
        }
        ExprKind::Between {
            left, low, high, ..
        } => {
            v.expr(left);
            v.expr(low);
            v.expr(high);
        }
        ExprKind::Paren(inner) => v.expr(inner),
        ExprKind::Pipeline { source, operators } => {
            v.expr(source);
            operators.iter().for_each(|op| v.operator(op));
        }
        ExprKind::Datatable { columns, values } => {
            columns.iter().for_each(|c| v.column_decl(c));
            values.iter().for_each(|e| v.expr(e));
        }
        ExprKind::ExternalData {
            columns,
            urls,
            properties,
        } => {
            columns.iter().for_each(|c| v.column_decl(c));
            urls.iter().for_each(|e| v.expr(e));
            v.tokens(properties);
        }
        ExprKind::Range {
            name,
            from,
            to,
            step,
        } => {
            v.name(name);
            v.expr(from);
            v.expr(to);
            v.expr(step);
        }
        ExprKind::Print { columns } => columns.iter().for_each(|c| v.named_expr(c)),
        ExprKind::Source(op) => v.operator(op),
    }
}

fn walk_ordered<'a, V: Visitor<'a> + ?Sized>(v: &mut V, ordered: &'a [OrderedExpr]) {
    for o in ordered {
        v.node(o.span);
        v.expr(&o.value);
    }
}

fn walk_operator_parameters<'a, V: Visitor<'a> + ?Sized>(
    v: &mut V,
    parameters: &'a [OperatorParameter],
) {
    parameters.iter().for_each(|p| v.operator_parameter(p));
}

fn walk_mv_items<'a, V: Visitor<'a> + ?Sized>(v: &mut V, items: &'a [MvItem]) {
    for item in items {
        v.node(item.span);
        v.named_expr(&item.value);
    }
}

pub fn walk_operator<'a, V: Visitor<'a> + ?Sized>(v: &mut V, operator: &'a Operator) {
    use OperatorKind as O;
    v.node(operator.span);
    let named = |v: &mut V, list: &'a [NamedExpr]| list.iter().for_each(|n| v.named_expr(n));
    let exprs = |v: &mut V, list: &'a [Expr]| list.iter().for_each(|e| v.expr(e));
    match &operator.kind {
        O::Where {
            parameters,
            predicate,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(predicate);
        }
        O::Project { columns }
        | O::ProjectRename { columns }
        | O::Extend { columns }
        | O::Serialize { columns } => named(v, columns),
        O::ProjectAway { columns } | O::ProjectKeep { columns } => exprs(v, columns),
        O::ProjectReorder { columns } => walk_ordered(v, columns),
        O::ProjectSmart | O::GetSchema => {}
        O::Summarize {
            parameters,
            aggregates,
            by,
        } => {
            walk_operator_parameters(v, parameters);
            named(v, aggregates);
            named(v, by);
        }
        O::Join {
            parameters,
            right,
            on,
            predicate,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(right);
            exprs(v, on);
            predicate.iter().for_each(|e| v.expr(e));
        }
        O::Lookup {
            parameters,
            right,
            on,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(right);
            exprs(v, on);
        }
        O::Union {
            parameters,
            sources,
        } => {
            walk_operator_parameters(v, parameters);
            exprs(v, sources);
        }
        O::Parse {
            parameters,
            source,
            pattern,
            ..
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(source);
            for part in pattern {
                if let ParsePart::Column { name, .. } = part {
                    v.name(name);
                }
            }
        }
        O::ParseKv {
            source,
            columns,
            properties,
        } => {
            v.expr(source);
            columns.iter().for_each(|c| v.column_decl(c));
            walk_operator_parameters(v, properties);
        }
        O::MvExpand {
            parameters,
            items,
            limit,
        } => {
            walk_operator_parameters(v, parameters);
            walk_mv_items(v, items);
            limit.iter().for_each(|e| v.expr(e));
        }
        O::MvApply {
            parameters,
            items,
            limit,
            id,
            body,
        } => {
            walk_operator_parameters(v, parameters);
            walk_mv_items(v, items);
            limit.iter().chain(id).for_each(|e| v.expr(e));
            body.iter().for_each(|op| v.operator(op));
        }
        O::MakeSeries {
            parameters,
            aggregates,
            on,
            range,
            by,
        } => {
            walk_operator_parameters(v, parameters);
            for aggregate in aggregates {
                v.node(aggregate.span);
                v.named_expr(&aggregate.value);
                aggregate.default.iter().for_each(|e| v.expr(e));
            }
            v.named_expr(on);
            match range.as_ref() {
                SeriesRange::InRange {
                    from,
                    to,
                    step,
                    span,
                } => {
                    v.node(*span);
                    v.expr(from);
                    v.expr(to);
                    v.expr(step);
                }
                SeriesRange::FromTo {
                    from,
                    to,
                    step,
                    span,
                } => {
                    v.node(*span);
                    from.iter().chain(to).for_each(|e| v.expr(e));
                    v.expr(step);
                }
            }
            named(v, by);
        }
        O::Top {
            parameters,
            count,
            by,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(count);
            walk_ordered(v, by);
        }
        O::TopNested { levels } => {
            for level in levels {
                v.node(level.span);
                level.count.iter().for_each(|e| v.expr(e));
                v.named_expr(&level.of);
                level.others.iter().for_each(|n| v.named_expr(n));
                walk_ordered(v, std::slice::from_ref(&level.by));
            }
        }
        O::TopHitters { count, of, by } => {
            v.expr(count);
            v.expr(of);
            by.iter().for_each(|e| v.expr(e));
        }
        O::Sort { parameters, by } => {
            walk_operator_parameters(v, parameters);
            walk_ordered(v, by);
        }
        O::Take { parameters, count } => {
            walk_operator_parameters(v, parameters);
            v.expr(count);
        }
        O::Distinct {
            parameters,
            columns,
        } => {
            walk_operator_parameters(v, parameters);
            named(v, columns);
        }
        O::Count { as_name } => as_name.iter().for_each(|n| v.name(n)),
        O::Evaluate {
            parameters,
            call,
            schema,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(call);
            schema.iter().flatten().for_each(|c| v.column_decl(c));
        }
        O::Invoke { call } => v.expr(call),
        O::Render { properties, .. } => v.tokens(properties),
        O::As { parameters, name } => {
            walk_operator_parameters(v, parameters);
            v.name(name);
        }
        O::Sample { count } => v.expr(count),
        O::SampleDistinct { count, of } => {
            v.expr(count);
            v.expr(of);
        }
        O::Search {
            parameters,
            tables,
            predicate,
        } => {
            walk_operator_parameters(v, parameters);
            exprs(v, tables);
            v.expr(predicate);
        }
        O::Find {
            parameters,
            tables,
            predicate,
            project,
        } => {
            walk_operator_parameters(v, parameters);
            exprs(v, tables);
            v.expr(predicate);
            v.tokens(project);
        }
        O::Fork { branches } => {
            for branch in branches {
                v.node(branch.span);
                branch.name.iter().for_each(|n| v.name(n));
                branch.operators.iter().for_each(|op| v.operator(op));
            }
        }
        O::Facet { columns, with } => {
            exprs(v, columns);
            with.iter().for_each(|op| v.operator(op));
        }
        O::Partition {
            parameters,
            by,
            body,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(by);
            match body {
                PartitionBody::Operators(operators) => {
                    operators.iter().for_each(|op| v.operator(op))
                }
                PartitionBody::Query(query) => v.expr(query),
            }
        }
        O::Reduce {
            parameters,
            by,
            with,
        } => {
            walk_operator_parameters(v, parameters);
            v.expr(by);
            named(v, with);
        }
        O::Other { tokens, .. } => v.tokens(tokens),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kql::parse;

    /// Spans of every node the walk enters.
    #[derive(Default)]
    struct Spans(Vec<Span>);

    impl Visitor<'_> for Spans {
        fn node(&mut self, span: Span) {
            self.0.push(span);
        }
    }

    #[test]
    fn every_node_has_a_span_within_the_query() {
        let query = "let t = (x: string) { T | where a == x };\n\
            T\n| where a has 'b' and c in (1, 2)\n| extend d = strlen(a), (e, f) = g(h = 1)\n\
            | summarize count() by bin(TimeGenerated, 1h)\n| top 3 by d desc nulls last\n\
            | make-series n = count() default = 0 on TimeGenerated in range(ago(1d), now(), 1h)\n\
            | mv-expand x to typeof(string)\n| parse a with * 'x' y:int\n| render timechart with (title='t')";
        let parsed = parse(query);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let mut spans = Spans::default();
        walk_query(&mut spans, &parsed.query);
        assert!(spans.0.len() > 60, "{}", spans.0.len());
        for span in &spans.0 {
            assert!(
                span.start <= span.end && span.end <= query.len(),
                "{span:?}"
            );
            assert!(
                !query[span.start..span.end].trim().is_empty(),
                "an empty node at {span:?}"
            );
        }
    }
}
