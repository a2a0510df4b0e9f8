//! The fast path of [`super::parse`]: a strict reader for well-formed JSON
//! that builds the very tree the tolerant parser builds (the same spans, the
//! same values, every list of its exact size) and gives up, with nothing
//! reported, at the first byte the tolerant parser could have reported a
//! fault at; the tolerant parser then reads the text from its start.
//!
//! Faults are rare (a few hundred in 35,000 texts of a corpus), and the
//! tolerant parser pays for them on every item: the bookkeeping of where it
//! is in step again, the stack of closing brackets, the look-aheads behind
//! its messages. This reader keeps none of that.
//!
//! Why the trees are the same: it accepts a subset of RFC 8259 (only
//! `"`-strings of no control character with the standard escapes, `\u`
//! with four hexadecimal digits; numbers of JSON's grammar; `true`,
//! `false`, `null`; objects without a duplicate key; white space of space,
//! tab, line feed and carriage return; nesting below [`MAX_DEPTH`]), and on
//! such a text every step of the tolerant parser takes its fault-free
//! branch: a string's closing quote is followed, past spaces and tabs, by a
//! delimiter, a line end or the end, so the look-ahead for an unescaped quote
//! finds none; a literal ends at white space or a delimiter, where the
//! tolerant word reader stops (it trims the spaces and tabs it takes); a
//! number is taken over the same bytes and judged by the same two parsers.
//! `json::tests::the_fast_path_builds_what_the_tolerant_parser_builds` holds
//! the two to each other on the corpus and on generated edge cases.

use super::{is_duplicate_key, KeyIndex, Scratch, ONES};
use crate::json::{Member, Node, Text, Value, MAX_DEPTH};
use crate::work;

/// The text is not one the fast path reads: the tolerant parser must.
#[derive(Debug)]
pub(super) struct Irregular;

/// The root of `text` (`None` when it is only white space), or
/// [`Irregular`]. Leaves members and items in `scratch` when it gives up.
pub(super) fn parse(text: &str, scratch: &mut Scratch) -> Result<Option<Node>, Irregular> {
    let mut p = Strict {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        irregular: false,
        scratch,
    };
    p.skip_space();
    if p.pos >= p.bytes.len() {
        return Ok(None);
    }
    let root = p.value(0)?;
    p.skip_space();
    if p.pos < p.bytes.len() || p.irregular {
        return Err(Irregular);
    }
    Ok(Some(root))
}

struct Strict<'t, 's> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// A string was irregular: the parse gives up. (Strings are no
    /// `Result`: its checks and moves cost more than the reading of most
    /// strings. An irregular string moves `pos` to the end of the text, so
    /// that the next step fails, and this is asked at the end.)
    irregular: bool,
    /// The lists objects and arrays are built on, as the tolerant parser's.
    scratch: &'s mut Scratch,
}

impl Strict<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// JSON's white space. A token at once, or after the one space that
    /// follows a colon, is answered inline; a line break and its
    /// indentation goes to [`Self::skip_space_run`].
    #[inline(always)]
    fn skip_space(&mut self) {
        match self.bytes.get(self.pos) {
            Some(&b) if b > b' ' => {}
            Some(b' ') if self.bytes.get(self.pos + 1).is_some_and(|&b| b > b' ') => {
                self.pos += 1;
            }
            _ => self.skip_space_run(),
        }
    }

    #[inline(never)]
    fn skip_space_run(&mut self) {
        // On a local: the field is written back once, not at every byte.
        let bytes = self.bytes;
        let mut pos = self.pos;
        // Pretty-printed JSON: most runs are a line feed and the next
        // line's indentation.
        if bytes.get(pos) == Some(&b'\n') {
            pos += 1;
        }
        loop {
            // Indentation: a run of spaces eight bytes at a time (the first
            // byte that is no space is the lowest non-zero byte of the word
            // xor spaces; a word of spaces has 64 trailing zeros: 8 bytes).
            if let Some(word) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
                let x = u64::from_le_bytes(*word) ^ (ONES * 0x20);
                let spaces = (x.trailing_zeros() / 8) as usize;
                pos += spaces;
                if spaces == 8 {
                    continue;
                }
            }
            match bytes.get(pos) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => pos += 1,
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// An array's item at `depth`: a string, most of them, is read here
    /// (inlined into the loop, its node is built in place), anything else by
    /// [`Self::value`].
    #[inline(always)]
    fn item(&mut self, depth: usize) -> Result<Node, Irregular> {
        let start = self.pos;
        if self.peek() == Some(b'"') {
            let s = self.string();
            return Ok(Node {
                span: start..self.pos,
                value: Value::String(s),
            });
        }
        self.value(depth)
    }

    /// After an item: white space, then a comma (true) and the white space
    /// after it, or the container's `close` (false, stepped over).
    #[inline(always)]
    fn next_item(&mut self, close: u8) -> Result<bool, Irregular> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_space();
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(Irregular),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, Irregular> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'"') => Value::String(self.string()),
            Some(b'{') if depth < MAX_DEPTH => return self.object(depth),
            Some(b'[') if depth < MAX_DEPTH => return self.array(depth),
            Some(b'-' | b'0'..=b'9') => return self.number(),
            Some(b't') => self.literal(b"true", Value::Bool(true))?,
            Some(b'f') => self.literal(b"false", Value::Bool(false))?,
            Some(b'n') => self.literal(b"null", Value::Null)?,
            _ => return Err(Irregular),
        };
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    /// `true`, `false` or `null`; what follows it is judged by the caller,
    /// which takes only white space, a comma, a closing bracket or the end.
    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, Irregular> {
        if !self.bytes[self.pos..].starts_with(word) {
            return Err(Irregular);
        }
        self.pos += word.len();
        Ok(value)
    }

    fn object(&mut self, depth: usize) -> Result<Node, Irregular> {
        let open = self.pos;
        self.pos += 1;
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node {
                span: open..self.pos,
                value: Value::Object(Vec::new()),
            });
        }
        // This object's members are `self.scratch.members[base..]`.
        let base = self.scratch.members.len();
        let mut keys: Option<KeyIndex> = None;
        loop {
            let key_start = self.pos;
            if self.peek() != Some(b'"') {
                return Err(Irregular);
            }
            let key = self.string();
            let key_span = key_start..self.pos;
            // A duplicate key is a fault: the tolerant parser reports it.
            // (Asked before the value is read: the members of an object in
            // the value are moved out of the list before this one is added.)
            if is_duplicate_key(&mut keys, &self.scratch.members[base..], &key) {
                return Err(Irregular);
            }
            // `"key": value`, the usual spelling, at once.
            if self.peek() != Some(b':') {
                self.skip_space();
                if self.peek() != Some(b':') {
                    return Err(Irregular);
                }
            }
            self.pos += 1;
            self.skip_space();
            // A string value, most of them, is read here and its member
            // built in place; anything else by `value`.
            // (Pushed in each branch: joined, the node was copied twice more.)
            let start = self.pos;
            if self.peek() == Some(b'"') {
                let s = self.string();
                self.scratch.members.push(Member {
                    key,
                    key_span,
                    value: Node {
                        span: start..self.pos,
                        value: Value::String(s),
                    },
                });
            } else {
                let value = self.value(depth + 1)?;
                self.scratch.members.push(Member {
                    key,
                    key_span,
                    value,
                });
            }
            if !self.next_item(b'}')? {
                break;
            }
        }
        Ok(Node {
            span: open..self.pos,
            value: Value::Object(self.scratch.members.split_off(base)),
        })
    }

    fn array(&mut self, depth: usize) -> Result<Node, Irregular> {
        let open = self.pos;
        self.pos += 1;
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node {
                span: open..self.pos,
                value: Value::Array(Vec::new()),
            });
        }
        // This array's items are `self.scratch.items[base..]`.
        let base = self.scratch.items.len();
        loop {
            work::add(1);
            let item = self.item(depth + 1)?;
            self.scratch.items.push(item);
            if !self.next_item(b']')? {
                break;
            }
        }
        Ok(Node {
            span: open..self.pos,
            value: Value::Array(self.scratch.items.split_off(base)),
        })
    }

    /// A string from its opening quote: most hold no escape and are one
    /// exact copy; the others go to [`Self::string_rest`].
    #[inline(always)]
    fn string(&mut self) -> Text {
        let from = self.pos + 1;
        let close = from + quote_run(self.bytes.get(from..).unwrap_or_default());
        if self.bytes.get(close) == Some(&b'"') {
            // Both ends are at a quote: always a slice.
            if let Some(s) = self.text.get(from..close) {
                self.pos = close + 1;
                return Text::from(s);
            }
        }
        self.string_rest(from, close)
    }

    /// A string whose text from `from` stops at `at` at a backslash (read
    /// on with its escapes), or at a control character or the end of the
    /// text (irregular: an empty string, `pos` at the end of the text).
    #[inline(never)]
    fn string_rest(&mut self, from: usize, mut at: usize) -> Text {
        let mut out = Text::with_capacity(at - from + 16);
        let mut run = from;
        loop {
            out.push_str(self.text.get(run..at).unwrap_or_default());
            let escape = match self.bytes.get(at) {
                Some(b'"') => {
                    self.pos = at + 1;
                    return out;
                }
                Some(b'\\') => self.escape(at + 1),
                _ => None,
            };
            let Some((c, len)) = escape else {
                self.irregular = true;
                self.pos = self.bytes.len();
                return Text::default();
            };
            out.push(c);
            at += 1 + len;
            run = at;
            at += quote_run(self.bytes.get(at..).unwrap_or_default());
        }
    }

    /// The character of the escape whose letter is at `at`, and the escape's
    /// length past its backslash. A `\u` escape is one character as the
    /// tolerant parser reads it: a surrogate (half of a pair) is U+FFFD.
    fn escape(&self, at: usize) -> Option<(char, usize)> {
        let c = match self.bytes.get(at) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hex = self.bytes.get(at + 1..at + 5)?;
                let mut code = 0;
                for &h in hex {
                    code = code * 16 + char::from(h).to_digit(16)?;
                }
                return Some((char::from_u32(code).unwrap_or('\u{fffd}'), 5));
            }
            _ => return None,
        };
        Some((c, 1))
    }

    /// A number over the bytes the tolerant parser takes for one, when it is
    /// one the tolerant parser takes without a fault.
    fn number(&mut self) -> Result<Node, Irregular> {
        let start = self.pos;
        let len = self.bytes[start..]
            .iter()
            .position(|&b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
            .unwrap_or(self.bytes.len() - start);
        self.pos = start + len;
        let raw = &self.text[start..self.pos];
        let n = number_value(raw).ok_or(Irregular)?;
        Ok(Node {
            span: start..self.pos,
            value: Value::Number(Text::from(raw), n),
        })
    }
}

/// The value of `raw` when it is a number the tolerant parser reads without
/// a fault (serde_json takes it as a JSON number, and Rust reads it as an
/// `f64`). An integer of at most 15 digits and no leading zero is one, and
/// exactly its `f64` (below 2^53): most numbers of documentation are.
fn number_value(raw: &str) -> Option<f64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw).as_bytes();
    if let [first, rest @ ..] = digits {
        if rest.len() < 15
            && first.is_ascii_digit()
            && (*first != b'0' || rest.is_empty())
            && rest.iter().all(u8::is_ascii_digit)
        {
            let n = digits
                .iter()
                .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')) as f64;
            return Some(if digits.len() < raw.len() { -n } else { n });
        }
    }
    serde_json::from_str::<serde_json::Number>(raw).ok()?;
    raw.parse::<f64>().ok()
}

/// How many bytes of `bytes` come before the first `"`, backslash or
/// control character (below 0x20): the tolerant parser's `plain_run` for a
/// double quote, eight bytes at a time in two tests where it takes three.
/// `x ^ 2` takes `"` (0x22) to 0x20 and the control characters to control
/// characters, and no other byte below 0x21: one "below 0x21" finds both.
/// A byte below n is one whose high bit `(y - n...) & !y` sets, a byte equal
/// to c a byte of `y ^ c...` below 1 (the high bit of `y` is `x`'s in both);
/// a borrow only carries out of a byte that matched, into the bytes after
/// it, so the lowest flagged byte is the first match, exactly.
#[inline(always)]
fn quote_run(bytes: &[u8]) -> usize {
    const HIGH: u64 = ONES * 0x80;
    // Split off word by word (one length test a word, where an index takes
    // two); the place is what was split off.
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        let x = u64::from_le_bytes(*word);
        let quote_or_control = (x ^ (ONES * 0x02)).wrapping_sub(ONES * 0x21);
        let backslash = (x ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
        let hits = (quote_or_control | backslash) & !x & HIGH;
        if hits != 0 {
            return bytes.len() - rest.len() + (hits.trailing_zeros() / 8) as usize;
        }
        rest = tail;
    }
    bytes.len() - rest.len()
        + rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::quote_run;

    /// The word-at-a-time scan stops where a byte-at-a-time one does: every
    /// byte value at every place of a word and past it, after plain ASCII,
    /// DEL and multi-byte characters (high bits set).
    #[test]
    fn quote_run_stops_at_the_first_quote_backslash_or_control_character() {
        let fillers: [&[u8]; 3] = [
            b"abcdefghijklmnopqrstu",
            "ü漢ü漢ü漢ü".as_bytes(),
            &[0x7F; 21],
        ];
        for filler in fillers {
            for at in 0..filler.len() {
                for byte in 0..=u8::MAX {
                    let mut text = filler.to_vec();
                    text[at] = byte;
                    // A later stop must not move the first.
                    text.push(b'\\');
                    let naive = text
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                        .unwrap_or(text.len());
                    assert_eq!(quote_run(&text), naive, "{text:?}");
                }
                assert_eq!(quote_run(&filler[..at]), at);
            }
        }
    }
}
