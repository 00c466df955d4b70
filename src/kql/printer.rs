//! The tree written back as KQL, in one canonical layout: each operator of a pipeline on
//! its own line. Parsing the output gives the same tree (tested over the corpus).

use std::fmt::Write;

use super::ast::*;

pub fn print(query: &Query) -> String {
    let mut p = Printer { out: String::new() };
    p.statements(&query.statements, ";\n");
    p.out
}

struct Printer {
    out: String,
}

/// A name as KQL writes it: plain, or `["escaped"]`.
pub fn name_text(name: &Name) -> String {
    if name.escaped {
        format!("[{}]", quote(&name.text))
    } else {
        name.text.clone()
    }
}

/// A string literal with escapes, double-quoted.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Printer {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn statements(&mut self, statements: &[Statement], separator: &str) {
        for (i, s) in statements.iter().enumerate() {
            if i > 0 {
                self.w(separator);
            }
            self.statement(s);
        }
    }

    fn statement(&mut self, statement: &Statement) {
        match &statement.kind {
            StatementKind::Let { name, value } => {
                self.w("let ");
                self.w(&name_text(name));
                self.w(" = ");
                match value {
                    LetValue::Expr(e) => self.expr(e),
                    LetValue::Function {
                        parameters, body, ..
                    } => {
                        self.parameters(parameters);
                        self.body(body);
                    }
                    LetValue::View {
                        parameters, body, ..
                    } => {
                        self.w("view ");
                        self.parameters(parameters);
                        self.body(body);
                    }
                }
            }
            StatementKind::Set { name, value } => {
                self.w("set ");
                self.w(&name.text);
                if let Some(v) = value {
                    self.w(" = ");
                    self.expr(v);
                }
            }
            StatementKind::DeclareQueryParameters { parameters } => {
                self.w("declare query_parameters");
                self.parameters(parameters);
            }
            StatementKind::Other { keyword, tokens } => {
                self.w(keyword);
                self.w(" ");
                self.w(&tokens.texts.join(" "));
            }
            StatementKind::Expr(e) => self.expr(e),
        }
    }

    fn parameters(&mut self, parameters: &[Parameter]) {
        self.w("(");
        for (i, p) in parameters.iter().enumerate() {
            if i > 0 {
                self.w(", ");
            }
            self.w(&name_text(&p.name));
            self.w(": ");
            match &p.kind {
                ParameterKind::Scalar { type_name, default } => {
                    self.w(type_name);
                    if let Some(d) = default {
                        self.w(" = ");
                        self.expr(d);
                    }
                }
                ParameterKind::Tabular { columns: None } => self.w("(*)"),
                ParameterKind::Tabular { columns: Some(c) } => self.schema(c),
            }
        }
        self.w(")");
    }

    fn body(&mut self, body: &Body) {
        self.w(" {\n");
        self.statements(&body.statements, ";\n");
        self.w("\n}");
    }

    fn schema(&mut self, columns: &[ColumnDecl]) {
        self.w("(");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                self.w(", ");
            }
            self.w(&name_text(&c.name));
            self.w(": ");
            self.w(&c.type_name);
        }
        self.w(")");
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.w(", ");
            }
            each(self, item);
        }
    }

    fn exprs(&mut self, items: &[Expr]) {
        self.list(items, |p, e| p.expr(e));
    }

    fn named(&mut self, n: &NamedExpr) {
        match n.names.as_slice() {
            [] => {}
            [one] => {
                self.w(&name_text(one));
                self.w(" = ");
            }
            many => {
                self.w("(");
                self.list(many, |p, n| p.w(&name_text(n)));
                self.w(") = ");
            }
        }
        self.expr(&n.value);
    }

    fn named_list(&mut self, items: &[NamedExpr]) {
        self.list(items, |p, n| p.named(n));
    }

    fn ordered(&mut self, o: &OrderedExpr) {
        self.expr(&o.value);
        match o.descending {
            Some(true) => self.w(" desc"),
            Some(false) => self.w(" asc"),
            None => {}
        }
        match o.nulls_first {
            Some(true) => self.w(" nulls first"),
            Some(false) => self.w(" nulls last"),
            None => {}
        }
    }

    fn parameters_of(&mut self, parameters: &[OperatorParameter]) {
        for p in parameters {
            self.w(&p.name);
            self.w("=");
            self.expr(&p.value);
            self.w(" ");
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Literal(l) => self.literal(l),
            ExprKind::Name(n) => self.w(&name_text(n)),
            ExprKind::Wildcard(w) => self.w(w),
            ExprKind::Path { target, member } => {
                self.expr(target);
                self.w(".");
                self.w(&name_text(member));
            }
            ExprKind::Index { target, index } => {
                self.expr(target);
                self.w("[");
                self.expr(index);
                self.w("]");
            }
            ExprKind::Call { callee, arguments } => {
                self.expr(callee);
                self.w("(");
                self.list(arguments, |p, a| {
                    if let Some(n) = &a.name {
                        p.w(&name_text(n));
                        p.w(" = ");
                    }
                    p.expr(&a.value);
                });
                self.w(")");
            }
            ExprKind::Unary { op, operand } => {
                self.w(match op {
                    UnaryOp::Plus => "+",
                    UnaryOp::Minus => "-",
                });
                self.expr(operand);
            }
            ExprKind::Binary { op, left, right } => {
                self.expr(left);
                self.w(" ");
                self.w(op.as_str());
                self.w(" ");
                self.expr(right);
            }
            ExprKind::InList { op, left, list } => {
                self.expr(left);
                self.w(" ");
                self.w(op.as_str());
                self.w(" (");
                self.exprs(list);
                self.w(")");
            }
            ExprKind::Between {
                negated,
                left,
                low,
                high,
            } => {
                self.expr(left);
                self.w(if *negated {
                    " !between ("
                } else {
                    " between ("
                });
                self.expr(low);
                self.w(" .. ");
                self.expr(high);
                self.w(")");
            }
            ExprKind::Paren(inner) => {
                self.w("(");
                self.expr(inner);
                self.w(")");
            }
            ExprKind::Pipeline { source, operators } => {
                self.expr(source);
                for op in operators {
                    self.w("\n| ");
                    self.operator(op);
                }
            }
            ExprKind::Datatable { columns, values } => {
                self.w("datatable");
                self.schema(columns);
                self.w(" [");
                self.exprs(values);
                self.w("]");
            }
            ExprKind::ExternalData {
                columns,
                urls,
                properties,
            } => {
                self.w("externaldata");
                self.schema(columns);
                self.w(" [");
                self.exprs(urls);
                self.w("]");
                if !properties.texts.is_empty() {
                    self.w(" with (");
                    self.w(&properties.texts.join(" "));
                    self.w(")");
                }
            }
            ExprKind::Range {
                name,
                from,
                to,
                step,
            } => {
                self.w("range ");
                self.w(&name_text(name));
                self.w(" from ");
                self.expr(from);
                self.w(" to ");
                self.expr(to);
                self.w(" step ");
                self.expr(step);
            }
            ExprKind::Print { columns } => {
                self.w("print ");
                self.named_list(columns);
            }
            ExprKind::Source(op) => self.operator(op),
        }
    }

    fn literal(&mut self, l: &Literal) {
        match l {
            Literal::Bool(b) => self.w(if *b { "true" } else { "false" }),
            Literal::Int(t) | Literal::Real(t) | Literal::Timespan(t) => self.w(t),
            Literal::String { value, obfuscated } => {
                if *obfuscated {
                    self.w("h");
                }
                self.w(&quote(value));
            }
            Literal::Typed { type_name, text } => {
                self.w(type_name);
                self.w("(");
                self.w(text);
                self.w(")");
            }
            Literal::Dynamic(d) => {
                self.w("dynamic(");
                self.dynamic(d);
                self.w(")");
            }
        }
    }

    fn dynamic(&mut self, d: &Dynamic) {
        match d {
            Dynamic::Null => self.w("null"),
            Dynamic::Bool(b) => self.w(if *b { "true" } else { "false" }),
            Dynamic::Number(n) => self.w(n),
            Dynamic::String(s) => self.w(&quote(s)),
            Dynamic::Typed { type_name, text } => {
                self.w(type_name);
                self.w("(");
                self.w(text);
                self.w(")");
            }
            Dynamic::Array(items) => {
                self.w("[");
                self.list(items, |p, d| p.dynamic(d));
                self.w("]");
            }
            Dynamic::Object(pairs) => {
                self.w("{");
                self.list(pairs, |p, (k, v)| {
                    p.w(&quote(k));
                    p.w(": ");
                    p.dynamic(v);
                });
                self.w("}");
            }
        }
    }

    fn chain(&mut self, operators: &[Operator]) {
        for (i, op) in operators.iter().enumerate() {
            if i > 0 {
                self.w(" | ");
            }
            self.operator(op);
        }
    }

    fn mv_items(&mut self, items: &[MvItem]) {
        self.list(items, |p, item| {
            p.named(&item.value);
            if let Some(t) = &item.to_type {
                p.w(" to typeof(");
                p.w(t);
                p.w(")");
            }
        });
    }

    fn operator(&mut self, op: &Operator) {
        use OperatorKind as O;
        match &op.kind {
            O::Where {
                parameters,
                predicate,
            } => {
                self.w("where ");
                self.parameters_of(parameters);
                self.expr(predicate);
            }
            O::Project { columns } => {
                self.w("project ");
                self.named_list(columns);
            }
            O::ProjectAway { columns } => {
                self.w("project-away ");
                self.exprs(columns);
            }
            O::ProjectKeep { columns } => {
                self.w("project-keep ");
                self.exprs(columns);
            }
            O::ProjectRename { columns } => {
                self.w("project-rename ");
                self.named_list(columns);
            }
            O::ProjectReorder { columns } => {
                self.w("project-reorder ");
                self.list(columns, |p, o| p.ordered(o));
            }
            O::ProjectSmart => self.w("project-smart"),
            O::Extend { columns } => {
                self.w("extend ");
                self.named_list(columns);
            }
            O::Summarize {
                parameters,
                aggregates,
                by,
            } => {
                self.w("summarize ");
                self.parameters_of(parameters);
                self.named_list(aggregates);
                if !by.is_empty() {
                    self.w(" by ");
                    self.named_list(by);
                }
            }
            O::Join {
                parameters,
                right,
                on,
                predicate,
            } => {
                self.w("join ");
                self.parameters_of(parameters);
                self.expr(right);
                if !on.is_empty() {
                    self.w(" on ");
                    self.exprs(on);
                }
                if let Some(p) = predicate {
                    self.w(" where ");
                    self.expr(p);
                }
            }
            O::Lookup {
                parameters,
                right,
                on,
            } => {
                self.w("lookup ");
                self.parameters_of(parameters);
                self.expr(right);
                self.w(" on ");
                self.exprs(on);
            }
            O::Union {
                parameters,
                sources,
            } => {
                self.w("union ");
                self.parameters_of(parameters);
                self.exprs(sources);
            }
            O::Parse {
                where_,
                parameters,
                source,
                pattern,
            } => {
                self.w(if *where_ { "parse-where " } else { "parse " });
                self.parameters_of(parameters);
                self.expr(source);
                self.w(" with");
                for part in pattern {
                    self.w(" ");
                    match part {
                        ParsePart::Star => self.w("*"),
                        ParsePart::Text(t) => self.w(&quote(t)),
                        ParsePart::Column { name, type_name } => {
                            self.w(&name_text(name));
                            if let Some(t) = type_name {
                                self.w(": ");
                                self.w(t);
                            }
                        }
                    }
                }
            }
            O::ParseKv {
                source,
                columns,
                properties,
            } => {
                self.w("parse-kv ");
                self.expr(source);
                self.w(" as ");
                self.schema(columns);
                if !properties.is_empty() {
                    self.w(" with (");
                    self.list(properties, |p, prop| {
                        p.w(&prop.name);
                        p.w(" = ");
                        p.expr(&prop.value);
                    });
                    self.w(")");
                }
            }
            O::MvExpand {
                parameters,
                items,
                limit,
            } => {
                self.w("mv-expand ");
                self.parameters_of(parameters);
                self.mv_items(items);
                if let Some(l) = limit {
                    self.w(" limit ");
                    self.expr(l);
                }
            }
            O::MvApply {
                parameters,
                items,
                limit,
                id,
                body,
            } => {
                self.w("mv-apply ");
                self.parameters_of(parameters);
                self.mv_items(items);
                if let Some(l) = limit {
                    self.w(" limit ");
                    self.expr(l);
                }
                if let Some(i) = id {
                    self.w(" id ");
                    self.expr(i);
                }
                self.w(" on (");
                self.chain(body);
                self.w(")");
            }
            O::MakeSeries {
                parameters,
                aggregates,
                on,
                range,
                by,
            } => {
                self.w("make-series ");
                self.parameters_of(parameters);
                self.list(aggregates, |p, a| {
                    p.named(&a.value);
                    if let Some(d) = &a.default {
                        p.w(" default = ");
                        p.expr(d);
                    }
                });
                self.w(" on ");
                self.named(on);
                match range.as_ref() {
                    SeriesRange::InRange { from, to, step, .. } => {
                        self.w(" in range(");
                        self.expr(from);
                        self.w(", ");
                        self.expr(to);
                        self.w(", ");
                        self.expr(step);
                        self.w(")");
                    }
                    SeriesRange::FromTo { from, to, step, .. } => {
                        if let Some(f) = from {
                            self.w(" from ");
                            self.expr(f);
                        }
                        if let Some(t) = to {
                            self.w(" to ");
                            self.expr(t);
                        }
                        self.w(" step ");
                        self.expr(step);
                    }
                }
                if !by.is_empty() {
                    self.w(" by ");
                    self.named_list(by);
                }
            }
            O::Top {
                parameters,
                count,
                by,
            } => {
                self.w("top ");
                self.parameters_of(parameters);
                self.expr(count);
                self.w(" by ");
                self.list(by, |p, o| p.ordered(o));
            }
            O::TopNested { levels } => {
                self.list(levels, |p, level| {
                    p.w("top-nested ");
                    if let Some(c) = &level.count {
                        p.expr(c);
                        p.w(" ");
                    }
                    p.w("of ");
                    p.named(&level.of);
                    if let Some(o) = &level.others {
                        p.w(" with others = ");
                        p.named(o);
                    }
                    p.w(" by ");
                    p.ordered(&level.by);
                });
            }
            O::TopHitters { count, of, by } => {
                self.w("top-hitters ");
                self.expr(count);
                self.w(" of ");
                self.expr(of);
                if let Some(b) = by {
                    self.w(" by ");
                    self.expr(b);
                }
            }
            O::Sort { parameters, by } => {
                self.w("sort ");
                self.parameters_of(parameters);
                self.w("by ");
                self.list(by, |p, o| p.ordered(o));
            }
            O::Take { parameters, count } => {
                self.w("take ");
                self.parameters_of(parameters);
                self.expr(count);
            }
            O::Distinct {
                parameters,
                columns,
            } => {
                self.w("distinct ");
                self.parameters_of(parameters);
                if columns.is_empty() {
                    self.w("*");
                } else {
                    self.named_list(columns);
                }
            }
            O::Count { as_name } => {
                self.w("count");
                if let Some(n) = as_name {
                    self.w(" as ");
                    self.w(&name_text(n));
                }
            }
            O::Evaluate {
                parameters,
                call,
                schema,
            } => {
                self.w("evaluate ");
                self.parameters_of(parameters);
                self.expr(call);
                if let Some(s) = schema {
                    self.w(" : ");
                    self.schema(s);
                }
            }
            O::Invoke { call } => {
                self.w("invoke ");
                self.expr(call);
            }
            O::Render { chart, properties } => {
                self.w("render ");
                self.w(chart);
                if !properties.texts.is_empty() {
                    self.w(" ");
                    self.w(&properties.texts.join(" "));
                }
            }
            O::As { parameters, name } => {
                self.w("as ");
                self.parameters_of(parameters);
                self.w(&name_text(name));
            }
            O::Serialize { columns } => {
                self.w("serialize ");
                self.named_list(columns);
            }
            O::Sample { count } => {
                self.w("sample ");
                self.expr(count);
            }
            O::SampleDistinct { count, of } => {
                self.w("sample-distinct ");
                self.expr(count);
                self.w(" of ");
                self.expr(of);
            }
            O::GetSchema => self.w("getschema"),
            O::Search {
                parameters,
                tables,
                predicate,
            }
            | O::Find {
                parameters,
                tables,
                predicate,
                ..
            } => {
                let find = matches!(op.kind, O::Find { .. });
                self.w(if find { "find " } else { "search " });
                self.parameters_of(parameters);
                if !tables.is_empty() {
                    self.w("in (");
                    self.exprs(tables);
                    self.w(") ");
                }
                if find {
                    self.w("where ");
                }
                self.expr(predicate);
                if let O::Find { project, .. } = &op.kind
                    && !project.texts.is_empty()
                {
                    self.w(" ");
                    self.w(&project.texts.join(" "));
                }
            }
            O::Fork { branches } => {
                self.w("fork");
                for b in branches {
                    self.w(" ");
                    if let Some(n) = &b.name {
                        self.w(&name_text(n));
                        self.w(" = ");
                    }
                    self.w("(");
                    self.chain(&b.operators);
                    self.w(")");
                }
            }
            O::Facet { columns, with } => {
                self.w("facet by ");
                self.exprs(columns);
                if !with.is_empty() {
                    self.w(" with (");
                    self.chain(with);
                    self.w(")");
                }
            }
            O::Partition {
                parameters,
                by,
                body,
            } => {
                self.w("partition ");
                self.parameters_of(parameters);
                self.w("by ");
                self.expr(by);
                match body {
                    PartitionBody::Operators(operators) => {
                        self.w(" (");
                        self.chain(operators);
                        self.w(")");
                    }
                    PartitionBody::Query(query) => {
                        self.w(" {");
                        self.expr(query);
                        self.w("}");
                    }
                }
            }
            O::Reduce {
                parameters,
                by,
                with,
            } => {
                self.w("reduce ");
                self.parameters_of(parameters);
                self.w("by ");
                self.expr(by);
                if !with.is_empty() {
                    self.w(" with ");
                    self.named_list(with);
                }
            }
            O::Other { keyword, tokens } => {
                self.w(keyword);
                if !tokens.texts.is_empty() {
                    self.w(" ");
                    self.w(&tokens.texts.join(" "));
                }
            }
        }
    }
}
