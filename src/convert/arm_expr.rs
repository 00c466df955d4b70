//! The part of the ARM template expression language that rule templates use to name things:
//! `[variables('x')]`, `[parameters('x')]` (their default values), member access
//! (`variables('o').prop`), `concat(...)` and string literals. Anything else (`newGuid()`,
//! `resourceId(...)`, `uniqueString(...)`) depends on the deployment and stays unresolved.

use serde_json::Value;

use crate::yaml::Node;

/// Variables and parameters visible to an expression: a nested template's own first, then
/// those of the templates around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    pub variables: Option<&'a Node>,
    pub parameters: Option<&'a Node>,
    pub parent: Option<&'a Scope<'a>>,
}

/// Variables referring to variables deeper than this are not followed (cycles).
const MAX_DEPTH: usize = 16;

impl<'a> Scope<'a> {
    /// The scope of a template (its `variables` and `parameters`) inside `parent`.
    pub fn of_template(template: &'a Node, parent: Option<&'a Scope<'a>>) -> Self {
        Scope {
            variables: template.get("variables"),
            parameters: template.get("parameters"),
            parent,
        }
    }

    fn variable(&self, name: &str) -> Option<(&'a Node, &Scope<'a>)> {
        let found = self.variables.and_then(|v| lookup(v, name));
        match found {
            Some(node) => Some((node, self)),
            None => self.parent.and_then(|p| p.variable(name)),
        }
    }

    fn parameter_default(&self, name: &str) -> Option<(&'a Node, &Scope<'a>)> {
        let found = self
            .parameters
            .and_then(|p| lookup(p, name))
            .and_then(|p| p.get("defaultValue"));
        match found {
            Some(node) => Some((node, self)),
            None => self.parent.and_then(|p| p.parameter_default(name)),
        }
    }

    /// The value of a template string: an expression is evaluated (`None` when it cannot be),
    /// an escaped `[[...` loses its first bracket, anything else is itself.
    pub fn string(&self, text: &str) -> Option<String> {
        match self.evaluate_text(text, 0)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Like [`Scope::string`], but what cannot be evaluated becomes `?`: enough to find the
    /// GUID in `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/', variables('id'))]`.
    pub fn partial_text(&self, text: &str) -> String {
        match expression_of(text) {
            Some(source) => match Parser::new(source).parse() {
                Some(expr) => self.partial(&expr, 0),
                None => "?".into(),
            },
            None => unescape(text),
        }
    }

    fn evaluate_text(&self, text: &str, depth: usize) -> Option<Value> {
        match expression_of(text) {
            Some(source) => self.evaluate(&Parser::new(source).parse()?, depth),
            None => Some(Value::String(unescape(text))),
        }
    }

    /// A node's value with its strings evaluated (objects and arrays as they are).
    fn node_value(&self, node: &Node, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match node.as_str() {
            Some(text) => self.evaluate_text(text, depth + 1),
            None => Some(node.to_json()),
        }
    }

    fn evaluate(&self, expr: &Expr, depth: usize) -> Option<Value> {
        match expr {
            Expr::Str(s) => Some(Value::String(s.clone())),
            Expr::Int(i) => Some(Value::from(*i)),
            Expr::Member(base, name) => self.evaluate(base, depth)?.get(name).cloned(),
            Expr::Index(base, index) => {
                let base = self.evaluate(base, depth)?;
                match self.evaluate(index, depth)? {
                    Value::String(key) => base.get(&key).cloned(),
                    Value::Number(n) => base.get(n.as_u64()? as usize).cloned(),
                    _ => None,
                }
            }
            Expr::Call(name, args) => match (name.to_ascii_lowercase().as_str(), args.as_slice()) {
                ("variables", [arg]) => {
                    let Value::String(name) = self.evaluate(arg, depth)? else {
                        return None;
                    };
                    let (node, scope) = self.variable(&name)?;
                    scope.node_value(node, depth + 1)
                }
                ("parameters", [arg]) => {
                    let Value::String(name) = self.evaluate(arg, depth)? else {
                        return None;
                    };
                    let (node, scope) = self.parameter_default(&name)?;
                    scope.node_value(node, depth + 1)
                }
                ("concat", args) => {
                    let values: Vec<Value> = args
                        .iter()
                        .map(|a| self.evaluate(a, depth))
                        .collect::<Option<_>>()?;
                    if values.iter().all(Value::is_array) {
                        Some(Value::Array(
                            values
                                .into_iter()
                                .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                                .collect(),
                        ))
                    } else {
                        let mut text = String::new();
                        for v in values {
                            match v {
                                Value::String(s) => text.push_str(&s),
                                Value::Number(n) => text.push_str(&n.to_string()),
                                _ => return None,
                            }
                        }
                        Some(Value::String(text))
                    }
                }
                ("string", [arg]) => match self.evaluate(arg, depth)? {
                    Value::String(s) => Some(Value::String(s)),
                    other => Some(Value::String(other.to_string())),
                },
                ("tolower", [arg]) => Some(Value::String(
                    self.evaluate(arg, depth)?.as_str()?.to_lowercase(),
                )),
                ("toupper", [arg]) => Some(Value::String(
                    self.evaluate(arg, depth)?.as_str()?.to_uppercase(),
                )),
                _ => None,
            },
        }
    }

    fn partial(&self, expr: &Expr, depth: usize) -> String {
        match expr {
            Expr::Call(name, args) if name.eq_ignore_ascii_case("concat") => {
                args.iter().map(|a| self.partial(a, depth)).collect()
            }
            other => match self.evaluate(other, depth) {
                Some(Value::String(s)) => s,
                _ => "?".into(),
            },
        }
    }
}

fn lookup<'n>(map: &'n Node, name: &str) -> Option<&'n Node> {
    // ARM names are case-insensitive.
    map.as_map()?
        .iter()
        .find(|e| e.key.eq_ignore_ascii_case(name))
        .map(|e| &e.value)
}

/// The expression inside `[...]`, if the text is one (`[[` escapes a literal bracket).
fn expression_of(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    if trimmed.starts_with("[[") {
        return None;
    }
    trimmed.strip_prefix('[')?.strip_suffix(']')
}

fn unescape(text: &str) -> String {
    match text.strip_prefix("[[") {
        Some(rest) => format!("[{rest}"),
        None => text.to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Str(String),
    Int(i64),
    Call(String, Vec<Expr>),
    Member(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
}

struct Parser<'s> {
    text: &'s str,
    pos: usize,
    depth: usize,
}

impl<'s> Parser<'s> {
    fn new(text: &'s str) -> Self {
        Parser {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// The whole text as one expression, or `None` if it is not one this module reads.
    fn parse(mut self) -> Option<Expr> {
        let expr = self.expr()?;
        self.skip_space();
        (self.pos == self.text.len()).then_some(expr)
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Option<Expr> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        self.skip_space();
        let mut expr = match self.peek()? {
            '\'' => Expr::Str(self.string()?),
            c if c.is_ascii_digit() || c == '-' => Expr::Int(self.integer()?),
            c if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.identifier();
                if !self.eat('(') {
                    return None;
                }
                let mut args = Vec::new();
                if !self.eat(')') {
                    loop {
                        args.push(self.expr()?);
                        if self.eat(')') {
                            break;
                        }
                        if !self.eat(',') {
                            return None;
                        }
                    }
                }
                Expr::Call(name, args)
            }
            _ => return None,
        };
        loop {
            if self.eat('.') {
                self.skip_space();
                let name = self.identifier();
                if name.is_empty() {
                    return None;
                }
                expr = Expr::Member(Box::new(expr), name);
            } else if self.eat('[') {
                let index = self.expr()?;
                if !self.eat(']') {
                    return None;
                }
                expr = Expr::Index(Box::new(expr), Box::new(index));
            } else {
                break;
            }
        }
        self.depth -= 1;
        Some(expr)
    }

    fn identifier(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        self.text[start..self.pos].to_owned()
    }

    fn integer(&mut self) -> Option<i64> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.text[start..self.pos].parse().ok()
    }

    /// `'...'` with `''` for a quote.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let c = self.peek()?;
            self.pos += c.len_utf8();
            if c == '\'' {
                if self.peek() == Some('\'') {
                    self.pos += 1;
                    out.push('\'');
                } else {
                    return Some(out);
                }
            } else {
                out.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;
    use crate::yaml::parse;

    fn template(text: &str) -> Node {
        parse(text, &LineIndex::new(text)).documents.remove(0)
    }

    #[test]
    fn variables_parameters_and_members() {
        let root = template(
            r#"{"parameters": {"workspace": {"type": "string"}, "analytic1-id": {"type": "string", "defaultValue": "[newGuid()]"}, "fixed": {"type": "string", "defaultValue": "abc"}},
                "variables": {"o": {"_id1": "5ea0f5b1-aee8-4f1c-9d0b-1b9f0b2c1f0a", "v": "1.0.2"}, "alias": "[variables('o')._id1]"}}"#,
        );
        let scope = Scope::of_template(&root, None);
        assert_eq!(
            scope.string("[variables('alias')]").as_deref(),
            Some("5ea0f5b1-aee8-4f1c-9d0b-1b9f0b2c1f0a")
        );
        assert_eq!(
            scope.string("[variables('o')['v']]").as_deref(),
            Some("1.0.2")
        );
        assert_eq!(
            scope.string("[parameters('fixed')]").as_deref(),
            Some("abc")
        );
        assert_eq!(scope.string("[parameters('analytic1-id')]"), None);
        assert_eq!(scope.string("[parameters('workspace')]"), None);
        assert_eq!(
            scope
                .string("[concat('a', 'it''s', variables('o').v)]")
                .as_deref(),
            Some("ait's1.0.2")
        );
        assert_eq!(
            scope.string("[[not an expression]").as_deref(),
            Some("[not an expression]")
        );
        assert_eq!(scope.string("plain").as_deref(), Some("plain"));
        assert_eq!(
            scope.partial_text("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/',variables('alias'))]"),
            "?/Microsoft.SecurityInsights/5ea0f5b1-aee8-4f1c-9d0b-1b9f0b2c1f0a"
        );
    }

    #[test]
    fn cycles_and_garbage_stop() {
        let root = template(r#"{"variables": {"a": "[variables('b')]", "b": "[variables('a')]"}}"#);
        let scope = Scope::of_template(&root, None);
        assert_eq!(scope.string("[variables('a')]"), None);
        for text in [
            "[]",
            "[concat(]",
            "[concat('a']",
            "[a.b]",
            "[f(1,)]",
            "['unterminated]",
        ] {
            assert_eq!(scope.string(text), None, "{text}");
        }
        // Without the closing bracket, a text is not an expression but itself.
        assert_eq!(scope.string("[concat('a'").as_deref(), Some("[concat('a'"));
    }

    #[test]
    fn nested_scopes_look_outward() {
        let outer = template(
            r#"{"variables": {"id": "x"}, "resources": [{"properties": {"mainTemplate": {"variables": {}}}}]}"#,
        );
        let outer_scope = Scope::of_template(&outer, None);
        let inner = outer
            .pointer("/resources/0/properties/mainTemplate")
            .unwrap();
        let inner_scope = Scope::of_template(inner, Some(&outer_scope));
        assert_eq!(
            inner_scope.string("[variables('id')]").as_deref(),
            Some("x")
        );
    }
}
