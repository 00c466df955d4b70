//! A boolean condition over fields -> Sigma search identifiers and a `condition`.
//!
//! Conditions on different fields that must all hold share one selection (a map is an AND);
//! alternatives on one field share one list (a list is an OR); negated parts become
//! `filter_*` selections used as `not filter_*`, as SigmaHQ writes them.

use indexmap::IndexMap;

use super::model::{Detection, Scalar, Selection, Values};

#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Item(Item),
}

impl Cond {
    /// All of these (nested `and`s flattened).
    pub fn and(children: Vec<Cond>) -> Cond {
        let mut flat = Vec::new();
        for child in children {
            match child {
                Cond::And(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        Cond::And(flat)
    }

    /// One of these (nested `or`s flattened).
    pub fn or(children: Vec<Cond>) -> Cond {
        let mut flat = Vec::new();
        for child in children {
            match child {
                Cond::Or(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        Cond::Or(flat)
    }

    /// The fields the condition reads (those a `fieldref` names too).
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(cond) = stack.pop() {
            match cond {
                Cond::And(children) | Cond::Or(children) => stack.extend(children),
                Cond::Not(inner) => stack.push(inner),
                Cond::Item(item) => {
                    out.push(item.field.as_str());
                    if item.modifiers.contains(&"fieldref") {
                        out.extend(item.values.iter().filter_map(|v| match v {
                            Scalar::Str(s) => Some(s.as_str()),
                            _ => None,
                        }));
                    }
                }
            }
        }
        out
    }

    /// Does the condition only test whether fields exist (`X|exists: true`, `not
    /// Y|exists: false`, ...)? Such a detection matches nearly every event of its log
    /// source: the KQL filtered by something Sigma could not keep.
    pub fn tests_presence_only(&self) -> bool {
        match self {
            Cond::And(children) | Cond::Or(children) => {
                children.iter().all(Cond::tests_presence_only)
            }
            Cond::Not(inner) => inner.tests_presence_only(),
            Cond::Item(item) => item.modifiers.contains(&"exists"),
        }
    }
}

/// `field|modifiers: values` (one of the values, all with `|all`).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub field: String,
    pub modifiers: Vec<&'static str>,
    pub values: Vec<Scalar>,
}

impl Item {
    /// Values that differ only in case are one value: Sigma compares in any case (and
    /// SigmaHQ flags repeated values).
    pub fn new(field: &str, modifiers: &[&'static str], values: Vec<Scalar>) -> Item {
        let mut item = Item {
            field: field.to_owned(),
            modifiers: modifiers.to_vec(),
            values: Vec::with_capacity(values.len()),
        };
        for v in values {
            item.push(v);
        }
        item
    }

    fn push(&mut self, value: Scalar) {
        let same = |a: &Scalar, b: &Scalar| match (a, b) {
            (Scalar::Str(x), Scalar::Str(y)) => x.to_lowercase() == y.to_lowercase(),
            _ => a == b,
        };
        // Regular expressions are case-sensitive unless `|i`.
        let regex = self.modifiers.contains(&"re") && !self.modifiers.contains(&"i");
        if !self
            .values
            .iter()
            .any(|v| if regex { v == &value } else { same(v, &value) })
        {
            self.values.push(value);
        }
    }

    pub fn key(&self) -> String {
        let mut key = self.field.clone();
        for m in &self.modifiers {
            key.push('|');
            key.push_str(m);
        }
        key
    }

    /// Can its values be joined with another item's in one list (an OR)?
    fn joins_values(&self) -> bool {
        !self.modifiers.contains(&"all")
            && !self.modifiers.contains(&"exists")
            && !self.values.contains(&Scalar::Null)
            && !self
                .modifiers
                .iter()
                .any(|m| matches!(*m, "gt" | "gte" | "lt" | "lte"))
    }

    fn values(&self) -> Values {
        match self.values.as_slice() {
            [one] => Values::One(one.clone()),
            many => Values::Many(many.to_vec()),
        }
    }
}

/// The condition, over numbered selections.
#[derive(Debug, Clone)]
enum Logic {
    Ref(usize),
    And(Vec<Logic>),
    Or(Vec<Logic>),
    Not(Box<Logic>),
}

#[derive(Debug, Default)]
struct Builder {
    /// (negated, name hint, selection)
    selections: Vec<(bool, String, IndexMap<String, Values>)>,
}

/// The Sigma detection of a condition.
pub fn detection(cond: &Cond) -> Detection {
    let mut builder = Builder::default();
    let logic = builder.build(cond, false);
    let names = builder.names();
    let condition = render(&logic, &names, 0);
    let selections = builder
        .selections
        .into_iter()
        .zip(&names)
        .map(|((_, _, map), name)| (name.clone(), Selection(map)))
        .collect();
    Detection {
        selections,
        condition,
    }
}

impl Builder {
    fn selection(&mut self, negated: bool, items: Vec<Item>) -> Logic {
        let hint = items.first().map(|i| slug(&i.field)).unwrap_or_default();
        let map = items.into_iter().map(|i| (i.key(), i.values())).collect();
        self.selections.push((negated, hint, map));
        Logic::Ref(self.selections.len() - 1)
    }

    fn build(&mut self, cond: &Cond, negated: bool) -> Logic {
        match cond {
            Cond::Item(item) => self.selection(negated, vec![item.clone()]),
            Cond::Not(inner) => Logic::Not(Box::new(self.build(inner, !negated))),
            Cond::And(children) => {
                // Items on distinct keys share a map; a repeated key opens another map.
                let mut maps: Vec<Vec<Item>> = Vec::new();
                let mut others = Vec::new();
                for child in children {
                    match child {
                        Cond::Item(item) => {
                            let key = item.key();
                            match maps.iter_mut().find(|m| m.iter().all(|i| i.key() != key)) {
                                Some(map) => map.push(item.clone()),
                                None => maps.push(vec![item.clone()]),
                            }
                        }
                        other => others.push(other),
                    }
                }
                let mut parts: Vec<Logic> = maps
                    .into_iter()
                    .map(|m| self.selection(negated, m))
                    .collect();
                parts.extend(others.into_iter().map(|c| self.build(c, negated)));
                one_or(parts, Logic::And)
            }
            Cond::Or(children) => {
                // Alternatives on one key share a list.
                let mut lists: Vec<Item> = Vec::new();
                let mut others = Vec::new();
                for child in children {
                    match child {
                        Cond::Item(item) if item.joins_values() => {
                            match lists.iter_mut().find(|i| i.key() == item.key()) {
                                Some(list) => {
                                    for v in &item.values {
                                        list.push(v.clone());
                                    }
                                }
                                None => lists.push(item.clone()),
                            }
                        }
                        other => others.push(other),
                    }
                }
                let mut parts: Vec<Logic> = lists
                    .into_iter()
                    .map(|i| self.selection(negated, vec![i]))
                    .collect();
                parts.extend(others.into_iter().map(|c| self.build(c, negated)));
                one_or(parts, Logic::Or)
            }
        }
    }

    /// `selection` / `filter` when there is one of a kind, else `selection_<field>`,
    /// `filter_<field>`, numbered when they repeat.
    fn names(&self) -> Vec<String> {
        let count = |negated: bool| {
            self.selections
                .iter()
                .filter(|(n, _, _)| *n == negated)
                .count()
        };
        let mut names: Vec<String> = Vec::new();
        for (negated, hint, _) in &self.selections {
            let base = if *negated { "filter" } else { "selection" };
            let mut name = if count(*negated) == 1 || hint.is_empty() {
                base.to_owned()
            } else {
                format!("{base}_{hint}")
            };
            if names.contains(&name) {
                let mut n = 2;
                while names.contains(&format!("{name}_{n}")) {
                    n += 1;
                }
                name = format!("{name}_{n}");
            }
            names.push(name);
        }
        names
    }
}

fn one_or(mut parts: Vec<Logic>, many: fn(Vec<Logic>) -> Logic) -> Logic {
    if parts.len() == 1 {
        parts.pop().unwrap_or(Logic::And(Vec::new()))
    } else {
        many(parts)
    }
}

/// Lower-case letters, digits and `_`, at most 30 characters.
fn slug(field: &str) -> String {
    let mut out = identifier(field);
    out.truncate(30);
    out
}

/// A field name as a Sigma identifier (`Account.Name` -> `account_name`): lower-case
/// letters, digits and single `_`.
pub fn identifier(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Precedence: `or` (1) < `and` (2) < `not` (3).
fn render(logic: &Logic, names: &[String], outer: u8) -> String {
    let (text, own) = match logic {
        Logic::Ref(i) => (names[*i].clone(), 4),
        Logic::Not(inner) => (format!("not {}", render(inner, names, 3)), 3),
        Logic::And(parts) => (
            parts
                .iter()
                .map(|p| render(p, names, 2))
                .collect::<Vec<_>>()
                .join(" and "),
            2,
        ),
        Logic::Or(parts) => (
            parts
                .iter()
                .map(|p| render(p, names, 1))
                .collect::<Vec<_>>()
                .join(" or "),
            1,
        ),
    };
    if own < outer {
        format!("({text})")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Scalar {
        Scalar::Str(v.into())
    }

    #[test]
    fn fields_share_a_map_and_values_share_a_list() {
        let cond = Cond::and(vec![
            Cond::Item(Item::new("Image", &["endswith"], vec![s("\\a.exe")])),
            Cond::or(vec![
                Cond::Item(Item::new("CommandLine", &["contains"], vec![s("-enc")])),
                Cond::Item(Item::new("CommandLine", &["contains"], vec![s("-e ")])),
            ]),
            Cond::Not(Box::new(Cond::Item(Item::new(
                "User",
                &[],
                vec![s("SYSTEM")],
            )))),
        ]);
        let d = detection(&cond);
        let names: Vec<&String> = d.selections.keys().collect();
        assert_eq!(
            names,
            ["selection_image", "selection_commandline", "filter"]
        );
        assert_eq!(
            d.condition,
            "selection_image and selection_commandline and not filter"
        );
        assert_eq!(
            d.selections["selection_commandline"].0["CommandLine|contains"],
            Values::Many(vec![s("-enc"), s("-e ")])
        );
    }

    #[test]
    fn precedence_gets_parentheses() {
        let a = || Cond::Item(Item::new("A", &[], vec![s("1")]));
        let b = || Cond::Item(Item::new("B", &[], vec![s("2")]));
        let c = || Cond::Item(Item::new("C", &["contains"], vec![s("3")]));
        let d = detection(&Cond::and(vec![Cond::or(vec![a(), b()]), c()]));
        assert_eq!(d.condition, "selection_c and (selection_a or selection_b)");
        let d = detection(&Cond::Not(Box::new(Cond::or(vec![a(), b()]))));
        assert_eq!(d.condition, "not (filter_a or filter_b)");
        let d = detection(&a());
        assert_eq!(d.condition, "selection");
    }
}
