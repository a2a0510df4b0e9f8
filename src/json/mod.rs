//! Tolerant JSON with spans.
//!
//! Documentation bodies are often *almost* JSON: a trailing comma, a comment,
//! an ellipsis standing for omitted properties. `serde_json` stops at the
//! first fault and keeps no positions, and jsonc-parser accepts the faults we
//! must report. So this small recursive-descent parser reports every fault at
//! its byte span (RFC 8259 is the reference grammar) and still produces a
//! value, so that the semantic rules, the comparer and `--repair` can go on.
//! Nesting is bounded: past [`MAX_DEPTH`] the parser reports the fault and
//! skips the rest of that value without recursing.

mod equivalence;
mod parse;

pub use equivalence::same_text;
pub use equivalence::{is_date, is_date_bytes};

use std::ops::Range;

pub use parse::parse;

/// A key, a string's value or a number's text: held inline when it is at
/// most 24 bytes (nearly all of them), so that a body's tree costs no
/// allocation for each. A whole-corpus `check` parsed some 200,000 such
/// strings of 16 bytes on average, each a `malloc`, a copy and a `free`.
pub type Text = compact_str::CompactString;

/// Nesting deeper than this is a finding, not a stack overflow.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte span in the parsed text.
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's text as written, and its value.
    Number(Text, f64),
    String(Text),
    Array(Vec<Node>),
    Object(Vec<Member>),
    /// Something that is no JSON value at all (`...`, `<id>`, an unknown word).
    Invalid(Text),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: Text,
    pub key_span: Range<usize>,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    pub span: Range<usize>,
    pub message: String,
    pub help: &'static str,
}

/// The result of a tolerant parse: a value (when anything was there) and
/// every fault found on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub root: Option<Node>,
    /// The faults, in text order (at most ten thousand are kept).
    pub errors: Vec<JsonError>,
    /// Faults found past those kept.
    pub dropped: usize,
}

impl Value {
    /// The JSON type's name, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(..) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Invalid(_) => "invalid",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member] {
        match self {
            Value::Object(m) => m,
            _ => &[],
        }
    }

    /// The member named `key` (the last one, as JSON parsers keep).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.members()
            .iter()
            .rev()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// Short display of a value for messages (strings quoted, containers elided).
    pub fn display(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(raw, _) => raw.to_string(),
            Value::String(s) => serde_json::Value::String(s.to_string()).to_string(),
            Value::Array(items) => format!("[…{} items]", items.len()),
            Value::Object(members) => format!("{{…{} properties}}", members.len()),
            Value::Invalid(raw) => raw.to_string(),
        }
    }

    /// The equivalent `serde_json` value; invalid pieces become strings so
    /// that a repaired body still carries them visibly.
    pub fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(raw, n) => serde_json::from_str::<serde_json::Number>(raw)
                .ok()
                .or_else(|| serde_json::Number::from_f64(*n))
                .map(J::Number)
                .unwrap_or(J::Null),
            Value::String(s) => J::String(s.to_string()),
            Value::Array(items) => J::Array(items.iter().map(|n| n.value.to_serde()).collect()),
            Value::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.to_string(), m.value.value.to_serde());
                }
                J::Object(map)
            }
            Value::Invalid(raw) => J::String(raw.to_string()),
        }
    }
}

/// Moves `v`'s items into an allocation of their exact size. Not
/// `Vec::shrink_to_fit`: that reallocates, and the allocator (mimalloc)
/// keeps a block shrunk by less than half where it is, whole, so a `Vec`
/// grown by doubling (always more than half full) gave nothing back.
/// (Also the page model's lists.)
pub(crate) fn exact<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() {
        let mut fresh = Vec::with_capacity(v.len());
        fresh.append(v);
        *v = fresh;
    }
}

/// Escape one JSON pointer token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_pointer_token(&mut out, token);
    out
}

/// Calls `f` for every node below (and including) `node` with its JSON
/// pointer, in document order. Iterative, so deep documents cannot overflow
/// the stack; one pointer buffer is grown and cut back as the walk goes,
/// rather than a string built for every node (rules walk every body).
pub fn walk<'a>(node: &'a Node, mut f: impl FnMut(&str, Option<&'a Member>, &'a Node)) {
    enum Step<'a> {
        Root,
        Key(&'a str),
        Index(usize),
    }
    let mut pointer = String::new();
    // (length of the parent's pointer, this node's step, member, node)
    let mut stack: Vec<(usize, Step<'a>, Option<&'a Member>, &'a Node)> =
        vec![(0, Step::Root, None, node)];
    while let Some((parent, step, member, node)) = stack.pop() {
        pointer.truncate(parent);
        match step {
            Step::Root => {}
            Step::Key(key) => {
                pointer.push('/');
                push_pointer_token(&mut pointer, key);
            }
            Step::Index(i) => {
                pointer.push('/');
                push_index(&mut pointer, i);
            }
        }
        f(&pointer, member, node);
        let here = pointer.len();
        match &node.value {
            Value::Object(members) => {
                for m in members.iter().rev() {
                    stack.push((here, Step::Key(&m.key), Some(m), &m.value));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((here, Step::Index(i), None, item));
                }
            }
            _ => {}
        }
    }
}

/// Appends an array index in decimal, without the formatting machinery
/// (`walk` writes one for every array item of every body).
fn push_index(pointer: &mut String, mut i: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        pointer.push(char::from(d));
    }
}

/// Appends one JSON pointer token, escaped (RFC 6901).
fn push_pointer_token(pointer: &mut String, token: &str) {
    // Most keys need no escape: copied whole.
    if memchr::memchr2(b'~', b'/', token.as_bytes()).is_none() {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod fast_path_tests;
#[cfg(test)]
mod tests;
