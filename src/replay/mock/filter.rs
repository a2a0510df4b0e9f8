//! `$filter`: a small recursive-descent parser and an evaluator over stored
//! entities. No crate fits: `odata-params` (the one OData filter crate) has
//! no lambda operators (`any`/`all`), which Graph clients send for
//! collection properties (`emails/any(e: e eq 'x')`).
//!
//! The grammar is the subset of the OData ABNF (OData Version 4.01 Part 2,
//! URL Conventions §5.1.1 and `odata-abnf-construction-rules.txt`,
//! `boolCommonExpr`) that Graph documents for `$filter`:
//!
//! ```text
//! orExpr      = andExpr *( RWS "or" RWS andExpr )
//! andExpr     = notExpr *( RWS "and" RWS notExpr )
//! notExpr     = "not" RWS notExpr / compareExpr
//! compareExpr = operand [ RWS ( "eq" / "ne" / "gt" / "ge" / "lt" / "le" ) RWS operand ]
//!             / operand RWS "in" RWS "(" operand *( "," operand ) ")"
//! operand     = "(" orExpr ")"
//!             / ( "startswith" / "endswith" / "contains" ) "(" operand "," operand ")"
//!             / literal
//!             / memberPath [ "/" ( "any" / "all" ) "(" [ name ":" orExpr ] ")" ]
//! memberPath  = name *( "/" name )
//! literal     = "'" *( "''" / other ) "'" / number / "true" / "false" / "null"
//!             / date, date-time, GUID written bare (compared as their text)
//! ```
//!
//! Operators are case-sensitive lower case, as the ABNF writes them.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Expr>),
    Call(Func, Box<Expr>, Box<Expr>),
    /// `emails/any(e: e eq 'x')`; `all` when the flag is set.
    Lambda {
        path: Vec<String>,
        all: bool,
        var: Option<String>,
        body: Option<Box<Expr>>,
    },
    /// A property path, or the lambda variable and a path below it.
    Member(Vec<String>),
    Literal(Value),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    StartsWith,
    EndsWith,
    Contains,
}

/// Parses a `$filter` value (already percent-decoded).
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser { s: text, at: 0 };
    let e = p.or()?;
    p.ws();
    if p.at < p.s.len() {
        return Err(format!(
            "unexpected `{}` at position {}",
            p.rest().chars().take(20).collect::<String>(),
            p.at + 1
        ));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a str,
    at: usize,
}

/// Nesting deeper than this is refused: the parser recurses, and a request
/// must not be able to overflow the stack.
const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }

    fn ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.s.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.ws();
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected `{c}` at position {}", self.at + 1))
        }
    }

    /// A keyword followed by a space or `(`: `and`, `not`, `in`.
    fn keyword(&mut self, word: &str) -> bool {
        self.ws();
        let rest = self.rest();
        if rest.starts_with(word)
            && rest[word.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_whitespace() || c == '(')
        {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn depth_ok(&self, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            Err("the expression nests too deeply".into())
        } else {
            Ok(())
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.or_at(0)
    }

    fn or_at(&mut self, depth: usize) -> Result<Expr, String> {
        self.depth_ok(depth)?;
        let mut left = self.and(depth)?;
        while self.keyword("or") {
            let right = self.and(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, String> {
        let mut left = self.not(depth)?;
        while self.keyword("and") {
            let right = self.not(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self, depth: usize) -> Result<Expr, String> {
        self.depth_ok(depth)?;
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.not(depth + 1)?)));
        }
        self.compare(depth)
    }

    fn compare(&mut self, depth: usize) -> Result<Expr, String> {
        let left = self.operand(depth)?;
        for (word, op) in [
            ("eq", Cmp::Eq),
            ("ne", Cmp::Ne),
            ("gt", Cmp::Gt),
            ("ge", Cmp::Ge),
            ("lt", Cmp::Lt),
            ("le", Cmp::Le),
        ] {
            if self.keyword(word) {
                let right = self.operand(depth)?;
                return Ok(Expr::Compare(op, Box::new(left), Box::new(right)));
            }
        }
        if self.keyword("in") {
            self.expect('(')?;
            let mut items = vec![self.operand(depth)?];
            while self.eat(',') {
                items.push(self.operand(depth)?);
            }
            self.expect(')')?;
            return Ok(Expr::In(Box::new(left), items));
        }
        Ok(left)
    }

    fn operand(&mut self, depth: usize) -> Result<Expr, String> {
        self.depth_ok(depth)?;
        self.ws();
        if self.eat('(') {
            let inner = self.or_at(depth + 1)?;
            self.expect(')')?;
            return Ok(inner);
        }
        if self.rest().starts_with('\'') {
            return self.string();
        }
        let start = self.at;
        let word: String = self
            .rest()
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '+' | '@'))
            .collect();
        if word.is_empty() {
            return Err(format!(
                "expected a property, a literal or `(` at position {}",
                self.at + 1
            ));
        }
        self.at += word.len();
        match word.as_str() {
            "true" => return Ok(Expr::Literal(Value::Bool(true))),
            "false" => return Ok(Expr::Literal(Value::Bool(false))),
            "null" => return Ok(Expr::Literal(Value::Null)),
            _ => {}
        }
        // The ABNF spells functions in lower case; Graph also takes
        // `startsWith`, as its pages write it.
        let func = match word.to_ascii_lowercase().as_str() {
            "startswith" => Some(Func::StartsWith),
            "endswith" => Some(Func::EndsWith),
            "contains" => Some(Func::Contains),
            _ => None,
        };
        if let Some(func) = func {
            self.expect('(')?;
            let a = self.operand(depth + 1)?;
            self.expect(',')?;
            let b = self.operand(depth + 1)?;
            self.expect(')')?;
            return Ok(Expr::Call(func, Box::new(a), Box::new(b)));
        }
        if self.rest().starts_with('(') {
            return Err(format!(
                "the function `{word}` is not supported (startswith, endswith, contains are)"
            ));
        }
        let first = word.as_bytes()[0];
        if first.is_ascii_digit() || first == b'-' {
            // A number, or a bare date, date-time or GUID (compared as text).
            if let Ok(n) = word.parse::<i64>() {
                return Ok(Expr::Literal(Value::from(n)));
            }
            if let Some(n) = word
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                return Ok(Expr::Literal(Value::Number(n)));
            }
            return Ok(Expr::Literal(Value::String(word)));
        }
        if word.contains(':') {
            return Err(format!("unexpected `{word}` at position {}", start + 1));
        }
        let mut path = vec![word];
        while self.rest().starts_with('/') {
            self.at += 1;
            let seg: String = self
                .rest()
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '@'))
                .collect();
            if seg.is_empty() {
                return Err(format!(
                    "expected a name after `/` at position {}",
                    self.at + 1
                ));
            }
            self.at += seg.len();
            if (seg == "any" || seg == "all") && self.rest().starts_with('(') {
                return self.lambda(path, seg == "all", depth);
            }
            path.push(seg);
        }
        Ok(Expr::Member(path))
    }

    fn lambda(&mut self, path: Vec<String>, all: bool, depth: usize) -> Result<Expr, String> {
        self.expect('(')?;
        if self.eat(')') {
            return Ok(Expr::Lambda {
                path,
                all,
                var: None,
                body: None,
            });
        }
        self.ws();
        let var: String = self
            .rest()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if var.is_empty() {
            return Err(format!(
                "expected a lambda variable at position {}",
                self.at + 1
            ));
        }
        self.at += var.len();
        self.expect(':')?;
        let body = self.or_at(depth + 1)?;
        self.expect(')')?;
        Ok(Expr::Lambda {
            path,
            all,
            var: Some(var),
            body: Some(Box::new(body)),
        })
    }

    /// `'it''s'`: quotes doubled inside (ABNF `SQUOTE-in-string`).
    fn string(&mut self) -> Result<Expr, String> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return Err(format!(
                    "the string starting at position {} has no closing quote",
                    start + 1
                ));
            };
            self.at += c.len_utf8();
            if c == '\'' {
                if self.rest().starts_with('\'') {
                    self.at += 1;
                    out.push('\'');
                } else {
                    return Ok(Expr::Literal(Value::String(out)));
                }
            } else {
                out.push(c);
            }
        }
    }
}

/// Whether `entity` satisfies `expr`. A property the entity lacks is null,
/// as OData treats an absent property.
pub(crate) fn matches(expr: &Expr, entity: &Value) -> bool {
    truth(&eval(expr, entity, &Env::default()))
}

/// The lambda variables in scope: (name, the element it stands for).
#[derive(Default)]
struct Env<'a> {
    vars: Vec<(&'a str, &'a Value)>,
}

fn truth(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

fn eval<'a>(expr: &'a Expr, entity: &'a Value, env: &Env<'a>) -> Value {
    match expr {
        Expr::Or(a, b) => Value::Bool(truth(&eval(a, entity, env)) || truth(&eval(b, entity, env))),
        Expr::And(a, b) => {
            Value::Bool(truth(&eval(a, entity, env)) && truth(&eval(b, entity, env)))
        }
        Expr::Not(a) => Value::Bool(!truth(&eval(a, entity, env))),
        Expr::Compare(op, a, b) => {
            let (a, b) = (eval(a, entity, env), eval(b, entity, env));
            Value::Bool(compare(*op, &a, &b))
        }
        Expr::In(a, items) => {
            let a = eval(a, entity, env);
            Value::Bool(
                items
                    .iter()
                    .any(|i| compare(Cmp::Eq, &a, &eval(i, entity, env))),
            )
        }
        Expr::Call(func, a, b) => {
            let (a, b) = (eval(a, entity, env), eval(b, entity, env));
            let (Value::String(a), Value::String(b)) = (&a, &b) else {
                return Value::Bool(false);
            };
            Value::Bool(match func {
                Func::StartsWith => a.starts_with(b.as_str()),
                Func::EndsWith => a.ends_with(b.as_str()),
                Func::Contains => a.contains(b.as_str()),
            })
        }
        Expr::Lambda {
            path,
            all,
            var,
            body,
        } => {
            let items = match lookup(path, entity, env) {
                Some(Value::Array(items)) => items,
                _ => return Value::Bool(*all),
            };
            let (Some(var), Some(body)) = (var, body) else {
                // `tags/any()`: is the collection non-empty.
                return Value::Bool(*all || !items.is_empty());
            };
            let test = |item: &Value| {
                let mut inner = Env {
                    vars: env.vars.clone(),
                };
                inner.vars.push((var.as_str(), item));
                truth(&eval(body, entity, &inner))
            };
            Value::Bool(if *all {
                items.iter().all(test)
            } else {
                items.iter().any(test)
            })
        }
        Expr::Member(path) => lookup(path, entity, env).cloned().unwrap_or(Value::Null),
        Expr::Literal(v) => v.clone(),
    }
}

/// A member path from the innermost lambda variable it starts with, or
/// from the entity.
fn lookup<'a>(path: &[String], entity: &'a Value, env: &Env<'a>) -> Option<&'a Value> {
    let (mut here, rest) = match env.vars.iter().rev().find(|(n, _)| *n == path[0]) {
        Some((_, v)) => (*v, &path[1..]),
        None => (entity, path),
    };
    for seg in rest {
        here = here.get(seg.as_str())?;
    }
    Some(here)
}

fn compare(op: Cmp, a: &Value, b: &Value) -> bool {
    use std::cmp::Ordering;
    let order = match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64().and_then(|x| x.partial_cmp(&y.as_f64()?))
        }
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, order) {
        (Cmp::Eq, o) => o == Some(Ordering::Equal),
        (Cmp::Ne, o) => o != Some(Ordering::Equal),
        (_, None) => false,
        (Cmp::Gt, Some(o)) => o == Ordering::Greater,
        (Cmp::Ge, Some(o)) => o != Ordering::Less,
        (Cmp::Lt, Some(o)) => o == Ordering::Less,
        (Cmp::Le, Some(o)) => o != Ordering::Greater,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keep(filter: &str, items: &[Value]) -> Vec<String> {
        let e = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
        items
            .iter()
            .filter(|i| matches(&e, i))
            .map(|i| i["id"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    fn people() -> Vec<Value> {
        vec![
            json!({"id": "1", "displayName": "Adele Vance", "age": 30, "enabled": true,
                   "emails": ["adele@contoso.com"], "address": {"city": "Oslo"},
                   "createdDateTime": "2021-01-05T00:00:00Z"}),
            json!({"id": "2", "displayName": "Alex Wilber", "age": 41, "enabled": false,
                   "emails": ["alex@contoso.com", "aw@fabrikam.com"], "address": {"city": "Lima"},
                   "createdDateTime": "2022-03-01T00:00:00Z"}),
            json!({"id": "3", "displayName": "O'Brien", "age": 25, "emails": []}),
        ]
    }

    #[test]
    fn comparisons_and_logic() {
        let p = people();
        assert_eq!(keep("displayName eq 'Adele Vance'", &p), ["1"]);
        assert_eq!(keep("displayName ne 'Adele Vance'", &p), ["2", "3"]);
        assert_eq!(keep("age gt 30", &p), ["2"]);
        assert_eq!(keep("age ge 30", &p), ["1", "2"]);
        assert_eq!(keep("age lt 30", &p), ["3"]);
        assert_eq!(keep("age le 30", &p), ["1", "3"]);
        assert_eq!(keep("age gt 20 and enabled eq true", &p), ["1"]);
        assert_eq!(keep("age eq 25 or enabled eq false", &p), ["2", "3"]);
        assert_eq!(keep("not (enabled eq true)", &p), ["2", "3"]);
        assert_eq!(keep("enabled eq null", &p), ["3"]);
        assert_eq!(keep("displayName eq 'O''Brien'", &p), ["3"]);
        assert_eq!(keep("address/city eq 'Lima'", &p), ["2"]);
        assert_eq!(keep("createdDateTime ge 2022-01-01T00:00:00Z", &p), ["2"]);
    }

    #[test]
    fn functions_in_and_lambdas() {
        let p = people();
        assert_eq!(keep("startswith(displayName,'A')", &p), ["1", "2"]);
        assert_eq!(keep("startsWith(displayName,'Al')", &p), ["2"]);
        assert_eq!(keep("endswith(displayName, 'Wilber')", &p), ["2"]);
        assert_eq!(keep("contains(displayName,'Bri')", &p), ["3"]);
        assert_eq!(keep("id in ('1', '3')", &p), ["1", "3"]);
        assert_eq!(keep("emails/any(e: e eq 'aw@fabrikam.com')", &p), ["2"]);
        assert_eq!(
            keep("emails/any(e:endswith(e,'contoso.com'))", &p),
            ["1", "2"]
        );
        assert_eq!(
            keep("emails/all(e:endswith(e,'contoso.com'))", &p),
            ["1", "3"]
        );
        assert_eq!(keep("emails/any()", &p), ["1", "2"]);
        assert_eq!(
            keep(
                "startswith(displayName,'A') and not emails/any(x: x eq 'aw@fabrikam.com')",
                &p
            ),
            ["1"]
        );
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse("displayName eq 'x").unwrap_err(),
            "the string starting at position 16 has no closing quote"
        );
        assert_eq!(
            parse("displayName eq 'x' extra").unwrap_err(),
            "unexpected `extra` at position 20"
        );
        assert_eq!(
            parse("tolower(displayName) eq 'x'").unwrap_err(),
            "the function `tolower` is not supported (startswith, endswith, contains are)"
        );
        assert_eq!(parse("(a eq 1").unwrap_err(), "expected `)` at position 8");
        let deep = format!("{}a eq 1{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(parse(&deep).unwrap_err(), "the expression nests too deeply");
        let nots = format!("{}a eq 1", "not ".repeat(200));
        assert_eq!(parse(&nots).unwrap_err(), "the expression nests too deeply");
    }
}
