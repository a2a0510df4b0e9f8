//! The recursive-descent parser behind [`super::parse`].

use super::{JsonError, Member, Node, Parsed, Value, MAX_DEPTH};

/// Parses `text` tolerantly; see the module documentation.
pub fn parse(text: &str) -> Parsed {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
    };
    p.skip_trivia();
    if p.pos >= p.bytes.len() {
        return Parsed::default();
    }
    let root = p.value(0);
    p.skip_trivia();
    if p.pos < p.bytes.len() {
        let start = p.pos;
        p.error(
            start..start + p.char_len(start),
            "unexpected text after the end of the JSON value",
            "a body holds exactly one JSON value; remove what follows it or wrap both in an array",
        );
    }
    Parsed {
        root: Some(root),
        errors: p.errors,
    }
}

/// What differs between an object's punctuation and an array's.
struct Brackets {
    close: u8,
    wrong_close: u8,
    unclosed: &'static str,
    add_close: &'static str,
    trailing_comma: &'static str,
    wrong_close_message: &'static str,
    wrong_close_help: &'static str,
    missing_comma: &'static str,
    missing_comma_help: &'static str,
}

const OBJECT: Brackets = Brackets {
    close: b'}',
    wrong_close: b']',
    unclosed: "this `{` is never closed",
    add_close: "add the missing `}`",
    trailing_comma: "trailing comma after the last property",
    wrong_close_message: "`]` closes a `{`",
    wrong_close_help: "close the object with `}`",
    missing_comma: "missing comma between properties",
    missing_comma_help: "add a comma after the previous property",
};

const ARRAY: Brackets = Brackets {
    close: b']',
    wrong_close: b'}',
    unclosed: "this `[` is never closed",
    add_close: "add the missing `]`",
    trailing_comma: "trailing comma after the last element",
    wrong_close_message: "`}` closes a `[`",
    wrong_close_help: "close the array with `]`",
    missing_comma: "missing comma between elements",
    missing_comma_help: "add a comma after the previous element",
};

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    errors: Vec<JsonError>,
}

impl Parser<'_> {
    fn error(
        &mut self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        help: &'static str,
    ) {
        // One fault can be seen twice on the way out of nested values.
        if self.errors.last().is_some_and(|e| e.span == span) {
            return;
        }
        self.errors.push(JsonError {
            span,
            message: message.into(),
            help,
        });
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn char_len(&self, at: usize) -> usize {
        self.text[at..].chars().next().map_or(0, char::len_utf8)
    }

    /// Skips white space and reports (then skips) comments.
    fn skip_trivia(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                // U+00A0 NO-BREAK SPACE (C2 A0): pasted from a web page, it
                // looks like a space but JSON does not allow it. Reported,
                // then read as a space so that nothing cascades from it.
                Some(0xC2) if self.bytes.get(self.pos + 1) == Some(&0xA0) => {
                    let start = self.pos;
                    while self.bytes.get(self.pos) == Some(&0xC2)
                        && self.bytes.get(self.pos + 1) == Some(&0xA0)
                    {
                        self.pos += 2;
                    }
                    self.error(
                        start..self.pos,
                        "non-breaking space (U+00A0) in JSON",
                        "replace it with an ordinary space",
                    );
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    let start = self.pos;
                    let end = memchr::memchr(b'\n', &self.bytes[start..])
                        .map_or(self.bytes.len(), |i| start + i);
                    self.pos = end;
                    self.error(
                        start..end,
                        "comment in JSON",
                        "JSON has no comments; move the remark into the page's prose",
                    );
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    let end = memchr::memmem::find(&self.bytes[start + 2..], b"*/")
                        .map_or(self.bytes.len(), |i| start + 2 + i + 2);
                    self.pos = end;
                    self.error(
                        start..end,
                        "comment in JSON",
                        "JSON has no comments; move the remark into the page's prose",
                    );
                }
                _ => return,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Node {
        let start = self.pos;
        match self.peek() {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                self.skip_nested();
                self.error(
                    start..start + 1,
                    format!("JSON nested deeper than {MAX_DEPTH} levels"),
                    "no real API body nests this deep; flatten the example",
                );
                Node {
                    span: start..self.pos,
                    value: Value::Invalid("…".into()),
                }
            }
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string(b'"');
                Node {
                    span: start..self.pos,
                    value: Value::String(s),
                }
            }
            Some(b'\'') => {
                let s = self.string(b'\'');
                self.error(
                    start..self.pos,
                    "single-quoted string",
                    "JSON strings use double quotes",
                );
                Node {
                    span: start..self.pos,
                    value: Value::String(s),
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.word(),
        }
    }

    /// Skips a value nested too deep by counting brackets (strings respected).
    fn skip_nested(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string(b'"');
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn object(&mut self, depth: usize) -> Node {
        let open = self.pos;
        let mut members: Vec<Member> = Vec::new();
        self.sequence(&OBJECT, |p| {
            let before = p.pos;
            let Some((key, key_span)) = p.key() else {
                // Not a key at all: skip one character and try again.
                p.pos = before + p.char_len(before).max(1);
                return false;
            };
            p.skip_trivia();
            if p.peek() == Some(b':') {
                p.pos += 1;
            } else {
                let at = p.pos;
                p.error(
                    at..at + p.char_len(at).max(1).min(p.bytes.len() - at),
                    format!("expected `:` after the key \"{key}\""),
                    "separate a key from its value with a colon",
                );
            }
            p.skip_trivia();
            let value = if matches!(p.peek(), Some(b',' | b'}') | None) {
                let at = p.pos;
                p.error(
                    at..at,
                    format!("the key \"{key}\" has no value"),
                    "give the property a value",
                );
                Node {
                    span: at..at,
                    value: Value::Invalid(String::new()),
                }
            } else {
                p.value(depth + 1)
            };
            if members.iter().any(|m| m.key == key) {
                p.error(
                    key_span.clone(),
                    format!("duplicate key \"{key}\""),
                    "each property appears once; remove one of them",
                );
            }
            members.push(Member {
                key,
                key_span,
                value,
            });
            true
        });
        Node {
            span: open..self.pos,
            value: Value::Object(members),
        }
    }

    /// The comma-separated items between a pair of brackets, with every
    /// fault of the punctuation reported: a trailing, doubled or missing
    /// comma, the wrong closing bracket, no closing bracket at all. `item`
    /// reads one item and says whether there was one to read.
    fn sequence(&mut self, kind: &Brackets, mut item: impl FnMut(&mut Self) -> bool) {
        let open = self.pos;
        self.pos += 1;
        let mut items = 0usize;
        let mut after_comma: Option<usize> = None;
        loop {
            self.skip_trivia();
            match self.peek() {
                None => {
                    self.error(open..open + 1, kind.unclosed, kind.add_close);
                    break;
                }
                Some(b) if b == kind.close => {
                    if let Some(comma) = after_comma {
                        self.error(comma..comma + 1, kind.trailing_comma, "remove the comma");
                    }
                    self.pos += 1;
                    break;
                }
                Some(b) if b == kind.wrong_close => {
                    let at = self.pos;
                    self.error(at..at + 1, kind.wrong_close_message, kind.wrong_close_help);
                    self.pos += 1;
                    break;
                }
                Some(b',') => {
                    let at = self.pos;
                    self.error(at..at + 1, "unexpected comma", "remove the extra comma");
                    self.pos += 1;
                    after_comma = Some(at);
                    continue;
                }
                Some(_) => {}
            }
            if items > 0 && after_comma.is_none() {
                let at = self.pos;
                self.error(
                    at..at + self.char_len(at),
                    kind.missing_comma,
                    kind.missing_comma_help,
                );
            }
            if !item(self) {
                after_comma = None;
                continue;
            }
            items += 1;
            self.skip_trivia();
            after_comma = if self.peek() == Some(b',') {
                let at = self.pos;
                self.pos += 1;
                Some(at)
            } else {
                None
            };
        }
    }

    fn key(&mut self) -> Option<(String, std::ops::Range<usize>)> {
        let start = self.pos;
        match self.peek()? {
            b'"' => {
                let s = self.string(b'"');
                Some((s, start..self.pos))
            }
            b'\'' => {
                let s = self.string(b'\'');
                self.error(
                    start..self.pos,
                    "single-quoted key",
                    "JSON keys use double quotes",
                );
                Some((s, start..self.pos))
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b == b'@' || b == b'$' => {
                while self.peek().is_some_and(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'$' | b'.' | b'-')
                }) {
                    self.pos += 1;
                }
                let key = self.text[start..self.pos].to_owned();
                self.error(
                    start..self.pos,
                    format!("unquoted key {key}"),
                    "put the key in double quotes",
                );
                Some((key, start..self.pos))
            }
            _ => {
                let end = start + self.char_len(start);
                let word = self.text[start..end].to_owned();
                self.error(
                    start..end,
                    format!("expected a property name, found `{word}`"),
                    "property names are double-quoted strings",
                );
                None
            }
        }
    }

    fn array(&mut self, depth: usize) -> Node {
        let open = self.pos;
        let mut items = Vec::new();
        self.sequence(&ARRAY, |p| {
            let before = p.pos;
            items.push(p.value(depth + 1));
            if p.pos == before {
                p.pos += p.char_len(before).max(1);
            }
            true
        });
        Node {
            span: open..self.pos,
            value: Value::Array(items),
        }
    }

    /// Reads a string starting at the quote; an unterminated one ends at the
    /// line's end and is reported at its opening quote.
    fn string(&mut self, quote: u8) -> String {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            // Ordinary bytes in a tight loop; only quotes, backslashes and
            // control characters need a decision.
            let rest = &self.bytes[self.pos..];
            self.pos += rest
                .iter()
                .position(|&b| b == quote || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            let Some(b) = self.peek() else {
                out.push_str(&self.text[run..self.pos]);
                self.error(
                    open..open + 1,
                    "this string is never closed",
                    "add the closing quote",
                );
                return out;
            };
            match b {
                b if b == quote => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return out;
                }
                b'\n' | b'\r' => {
                    out.push_str(&self.text[run..self.pos]);
                    // A string wrapped onto the next lines by hand: report the
                    // line break once and read on to its closing quote.
                    if let Some(close) = self.wrapped_string_end(quote) {
                        let at = self.pos;
                        self.error(
                            at..at + 1,
                            "line break inside a string",
                            "JSON strings stay on one line; join the lines (write \\n for a real line break)",
                        );
                        out.push_str(&self.text[self.pos..close]);
                        self.pos = close + 1;
                        return out;
                    }
                    self.error(
                        open..open + 1,
                        "this string is never closed",
                        "add the closing quote before the line ends",
                    );
                    return out;
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out);
                    run = self.pos;
                }
                b if b < 0x20 => {
                    let at = self.pos;
                    self.error(
                        at..at + 1,
                        "control character in a string",
                        "write it as an escape such as \\t",
                    );
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Where a string broken across lines ends: the next quote within three
    /// lines that is followed by a delimiter (`,` `}` `]` `:` or the end).
    fn wrapped_string_end(&self, quote: u8) -> Option<usize> {
        let mut lines = 0;
        let mut i = self.pos;
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'\n' => {
                    lines += 1;
                    if lines > 3 {
                        return None;
                    }
                }
                b'\\' => i += 1,
                b if b == quote => {
                    let rest = self.text[i + 1..].trim_start_matches([' ', '\t']);
                    return (rest.is_empty() || rest.starts_with([',', '}', ']', ':', '\n', '\r']))
                        .then_some(i);
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn escape(&mut self, out: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let Some(b) = self.peek() else { return };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'\'' => '\'',
            b'u' => {
                let hex = self
                    .text
                    .get(self.pos..self.pos + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                match hex {
                    Some(code) => {
                        self.pos += 4;
                        char::from_u32(code).unwrap_or('\u{fffd}')
                    }
                    None => {
                        self.error(
                            start..self.pos,
                            "invalid \\u escape",
                            "write four hexadecimal digits after \\u",
                        );
                        '\u{fffd}'
                    }
                }
            }
            _ => {
                // Step back so a multi-byte character is not split.
                self.pos -= 1;
                let len = self.char_len(self.pos);
                self.pos += len;
                self.error(
                    start..self.pos,
                    "invalid escape in a string",
                    "escape a backslash as \\\\",
                );
                out.push_str(&self.text[start + 1..self.pos]);
                return;
            }
        };
        out.push(c);
    }

    fn number(&mut self) -> Node {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.pos += 1;
        }
        let raw = &self.text[start..self.pos];
        let strict = serde_json::from_str::<serde_json::Number>(raw).is_ok();
        let value = raw.parse::<f64>().ok();
        match value {
            Some(n) => {
                if !strict {
                    self.error(
                        start..self.pos,
                        format!("`{raw}` is not a JSON number"),
                        "write the number without leading zeros or a plus sign",
                    );
                }
                Node {
                    span: start..self.pos,
                    value: Value::Number(raw.to_owned(), n),
                }
            }
            None => {
                self.error(
                    start..self.pos,
                    format!("`{raw}` is not a JSON number"),
                    "write a number such as 12 or -3.5",
                );
                Node {
                    span: start..self.pos,
                    value: Value::Invalid(raw.to_owned()),
                }
            }
        }
    }

    /// `true`, `false`, `null`, or anything else up to a delimiter.
    fn word(&mut self) -> Node {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'}' | b']' | b'\n' | b'\r' | b':')
                || (b == b' ' && self.pos > start && !self.text[start..self.pos].starts_with('<'))
            {
                break;
            }
            self.pos += 1;
        }
        while self.pos < self.bytes.len() && !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        if self.pos == start {
            let len = self
                .char_len(start)
                .max(1)
                .min(self.bytes.len().saturating_sub(start));
            self.pos += len;
        }
        let raw = self.text[start..self.pos].trim_end();
        let value = match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ => {
                let shown: String = raw.chars().take(40).collect();
                self.error(
                    start..start + raw.len().max(1).min(self.bytes.len() - start),
                    format!("`{shown}` is not a JSON value"),
                    "use a real value: a quoted string, a number, true, false or null",
                );
                Value::Invalid(raw.to_owned())
            }
        };
        Node {
            span: start..start + raw.len(),
            value,
        }
    }
}
