//! Time in a query: timespan literals, and the filters on the time column that bound how
//! far back a query reads (`where TimeGenerated > ago(14d)`, `between (ago(7d) .. now())`).

use super::ast::*;
use super::visit::{self, Visitor};
use crate::text::Span;

/// The columns whose filters bound the time a query reads: Log Analytics' ingestion time
/// and the event time of Defender XDR tables.
pub const TIME_COLUMNS: [&str; 2] = ["TimeGenerated", "Timestamp"];

/// The seconds of a KQL timespan literal (`5m`, `1.5h`, `14d`, `2days`, `100ms`).
pub fn timespan_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => 86_400.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "m" | "min" | "minute" | "minutes" => 60.0,
        "s" | "sec" | "second" | "seconds" => 1.0,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1e-3,
        "microsecond" | "microseconds" => 1e-6,
        "tick" | "ticks" => 1e-7,
        // A bare number in `timespan(2)` is days.
        "" => 86_400.0,
        _ => return None,
    };
    Some(number * factor)
}

/// A filter on a time column.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeFilter {
    /// The comparison (or `between`).
    pub span: Span,
    /// Where the bound's reach is written (`ago(14d)`), when known.
    pub bound: Option<Span>,
    /// How far back the lower bound reaches, in seconds, when it is a literal reach from
    /// now (`ago(14d)`, `now(-1d)`, `startofday(ago(1d))`, a `let` of those).
    pub reach: Option<f64>,
    /// Whether it bounds the time from below (`>`, `>=`, `between`): only these limit how
    /// far back the query reads.
    pub lower: bool,
}

/// What a query says about time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeUse {
    /// Comparisons of a time column with a value.
    pub filters: Vec<TimeFilter>,
    /// Whether it calls `ago()` or `now()` anywhere (a parser's time parameter, a sub-query).
    pub calls_now: bool,
}

impl TimeUse {
    /// The lower bound that reaches furthest back, with its reach in seconds.
    pub fn furthest(&self) -> Option<(&TimeFilter, f64)> {
        self.filters
            .iter()
            .filter(|f| f.lower)
            .filter_map(|f| f.reach.map(|r| (f, r)))
            .fold(None, |best, (f, r)| match best {
                Some((_, b)) if b >= r => best,
                _ => Some((f, r)),
            })
    }
}

/// The time filters of a query.
pub fn time_use(query: &Query) -> TimeUse {
    let mut lets = Lets::default();
    visit::walk_query(&mut lets, query);
    let mut finder = Finder {
        lets: &lets.values,
        out: TimeUse::default(),
    };
    visit::walk_query(&mut finder, query);
    finder.out
}

/// The values of `let name = expression` statements, in order (a query has a few).
#[derive(Default)]
struct Lets<'q> {
    values: Vec<(&'q str, &'q Expr)>,
}

impl<'q> Lets<'q> {
    /// The value of a name: the last `let` of it.
    fn get(values: &[(&'q str, &'q Expr)], name: &str) -> Option<&'q Expr> {
        values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| *e)
    }
}

impl<'q> Visitor<'q> for Lets<'q> {
    fn statement(&mut self, statement: &'q Statement) {
        if let StatementKind::Let {
            name,
            value: LetValue::Expr(value),
        } = &statement.kind
        {
            self.values.push((&name.text, value));
        }
        visit::walk_statement(self, statement);
    }
}

struct Finder<'a, 'q> {
    lets: &'a [(&'q str, &'q Expr)],
    out: TimeUse,
}

impl<'q> Visitor<'q> for Finder<'_, 'q> {
    fn expr(&mut self, expr: &'q Expr) {
        match &expr.kind {
            ExprKind::Call { callee, .. }
                if callee
                    .as_name()
                    .is_some_and(|n| matches!(n.text.as_str(), "ago" | "now")) =>
            {
                self.out.calls_now = true;
            }
            ExprKind::Binary { op, left, right } => {
                use BinaryOp as B;
                let lower = match op {
                    B::Greater | B::GreaterOrEqual => Some(true),
                    B::Less | B::LessOrEqual => Some(false),
                    _ => None,
                };
                if let Some(lower) = lower {
                    // `TimeGenerated > x` bounds from below; `x < TimeGenerated` too.
                    let filter = if is_time_column(left) {
                        Some((right, lower))
                    } else if is_time_column(right) {
                        Some((left, !lower))
                    } else {
                        None
                    };
                    if let Some((value, lower)) = filter {
                        let reach = self.reach(value, 0);
                        self.out.filters.push(TimeFilter {
                            span: expr.span,
                            bound: reach.map(|(_, span)| span),
                            reach: reach.map(|(r, _)| r),
                            lower,
                        });
                    }
                }
            }
            ExprKind::Between {
                negated: false,
                left,
                low,
                ..
            } if is_time_column(left) => {
                let reach = self.reach(low, 0);
                self.out.filters.push(TimeFilter {
                    span: expr.span,
                    bound: reach.map(|(_, span)| span),
                    reach: reach.map(|(r, _)| r),
                    lower: true,
                });
            }
            _ => {}
        }
        visit::walk_expr(self, expr);
    }
}

impl Finder<'_, '_> {
    /// How far before now a time value lies, in seconds, and where that is written.
    fn reach(&self, expr: &Expr, depth: usize) -> Option<(f64, Span)> {
        // `let`s that name each other in a circle are not followed forever.
        if depth > 8 {
            return None;
        }
        match &expr.kind {
            ExprKind::Paren(inner) => self.reach(inner, depth + 1),
            ExprKind::Name(name) => {
                Lets::get(self.lets, &name.text).and_then(|value| self.reach(value, depth + 1))
            }
            ExprKind::Call { callee, arguments } => {
                let name = callee.as_name()?;
                let first = &arguments.first()?.value;
                match name.text.as_str() {
                    "ago" => Some((self.timespan(first, depth + 1)?, expr.span)),
                    "now" => Some((-self.timespan(first, depth + 1)?, expr.span)),
                    // Rounding down reaches at least as far back.
                    "startofday" | "startofweek" | "startofmonth" | "startofyear" | "bin"
                    | "floor" | "bin_at" => self.reach(first, depth + 1),
                    _ => None,
                }
            }
            // `now() - 1d`, `ago(1d) - 1h`
            ExprKind::Binary {
                op: BinaryOp::Subtract,
                left,
                right,
            } => {
                let base = match &left.kind {
                    ExprKind::Call { callee, arguments }
                        if arguments.is_empty()
                            && callee.as_name().is_some_and(|n| n.text == "now") =>
                    {
                        0.0
                    }
                    _ => self.reach(left, depth + 1)?.0,
                };
                Some((base + self.timespan(right, depth + 1)?, expr.span))
            }
            _ => None,
        }
    }

    /// The seconds of a timespan value: a literal, `timespan(..)`, or a `let` of one.
    fn timespan(&self, expr: &Expr, depth: usize) -> Option<f64> {
        if depth > 8 {
            return None;
        }
        match &expr.kind {
            ExprKind::Literal(Literal::Timespan(text)) => timespan_seconds(text),
            ExprKind::Literal(Literal::Typed { type_name, text }) if type_name == "timespan" => {
                timespan_seconds(text)
            }
            ExprKind::Unary {
                op: UnaryOp::Minus,
                operand,
            } => self.timespan(operand, depth + 1).map(|s| -s),
            ExprKind::Paren(inner) => self.timespan(inner, depth + 1),
            ExprKind::Name(name) => {
                Lets::get(self.lets, &name.text).and_then(|value| self.timespan(value, depth + 1))
            }
            _ => None,
        }
    }
}

fn is_time_column(expr: &Expr) -> bool {
    expr.as_name()
        .is_some_and(|n| TIME_COLUMNS.contains(&n.text.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kql::parse;

    fn reach(query: &str) -> Option<f64> {
        let parsed = parse(query);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        time_use(&parsed.query).furthest().map(|(_, r)| r)
    }

    #[test]
    fn timespans() {
        assert_eq!(timespan_seconds("14d"), Some(14.0 * 86_400.0));
        assert_eq!(timespan_seconds("1.5h"), Some(5_400.0));
        assert_eq!(timespan_seconds("2days"), Some(2.0 * 86_400.0));
        assert_eq!(timespan_seconds("100ms"), Some(0.1));
        assert_eq!(timespan_seconds("5x"), None);
    }

    #[test]
    fn the_furthest_lower_bound() {
        let day = 86_400.0;
        assert_eq!(
            reach("T | where TimeGenerated > ago(14d)"),
            Some(14.0 * day)
        );
        assert_eq!(
            reach(
                "let lookback = 7d; let start = ago(lookback); T | where TimeGenerated >= start | join (T | where TimeGenerated between (startofday(ago(30d)) .. now())) on x"
            ),
            Some(30.0 * day)
        );
        assert_eq!(reach("T | where ago(1d) < Timestamp"), Some(day));
        assert_eq!(reach("T | where TimeGenerated > now(-2d)"), Some(2.0 * day));
        assert_eq!(
            reach("T | where TimeGenerated > now() - 3d"),
            Some(3.0 * day)
        );
        // An upper bound, a bound of unknown reach, another column: no reach.
        assert_eq!(reach("T | where TimeGenerated < ago(1d)"), None);
        assert_eq!(reach("T | where TimeGenerated > starttime"), None);
        assert_eq!(reach("T | where Created > ago(30d)"), None);
        let parsed = parse("imDns(starttime = ago(1d)) | take 1");
        assert!(time_use(&parsed.query).calls_now);
    }
}
