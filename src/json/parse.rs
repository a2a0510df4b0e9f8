//! The recursive-descent parser behind [`super::parse`].
//!
//! One fault is one error, never one per character after it (issues 12 and
//! 13). A fault the parser steps over exactly (a trailing comma, a comment,
//! a single-quoted string, a no-break space) is reported and reading goes
//! on. A fault that leaves the parser guessing (junk where a key belongs, a
//! missing colon, a stray comma, a wrong closing bracket) is reported too,
//! and then nothing more is reported until the parser is back in step:
//! panic-mode recovery, as compilers do it, ended by the next line break or
//! the next member or element that reads cleanly. Junk is skipped as a run,
//! not a character at a time, and every look-ahead is bounded (a line, or a
//! few lines), so the work stays linear in the text.

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use std::ops::Range;

use super::{JsonError, Member, Node, Parsed, Text, Value, MAX_DEPTH};
use crate::work;

mod strict;

/// Parses `text` tolerantly; see the module documentation. A text larger
/// than [`crate::limits::body_bytes`] is not parsed (no value, no fault):
/// the caller says why, where the text came from.
pub fn parse(text: &str) -> Parsed {
    if text.len() > crate::limits::body_bytes() {
        return Parsed::default();
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let parsed = parse_with(text, &mut scratch);
            scratch.give_back_huge_room();
            parsed
        }
        // Not reached (a parse starts no other), but a fresh room is right.
        Err(_) => parse_with(text, &mut Scratch::default()),
    })
}

/// [`parse`] without its fast path: the reference the fast path is held to.
#[cfg(test)]
pub(super) fn parse_tolerant(text: &str) -> Parsed {
    if text.len() > crate::limits::body_bytes() {
        return Parsed::default();
    }
    tolerant(text, &mut Scratch::default())
}

/// Does the fast path read `text` (rather than leave it to the tolerant parser)?
#[cfg(test)]
pub(super) fn fast_path_reads(text: &str) -> bool {
    strict::parse(text, &mut Scratch::default()).is_ok()
}

thread_local! {
    /// The room for [`Scratch`]'s lists, kept from one parse to the next on
    /// a thread (made and grown afresh for every one of 33,000 texts, mostly
    /// annotations of a few members, it cost more allocations than it saved).
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// What a parse uses and leaves empty: the members of the objects being
/// read, innermost last (an object's are moved out into a list of their
/// exact size when it closes: a `Vec` of its own grown by `push` was
/// reallocated at 4, 8, 16 members, copying them, and kept up to half its
/// room unused), the items of the arrays being read, the same way, and the
/// closing brackets of the values being read.
#[derive(Default)]
struct Scratch {
    members: Vec<Member>,
    items: Vec<Node>,
    closers: Vec<u8>,
}

/// The most members or items the scratch lists keep room for between
/// parses (96 KB of members): a huge body's room is given back.
const MAX_SCRATCH: usize = 1024;

impl Scratch {
    fn give_back_huge_room(&mut self) {
        if self.members.capacity() > MAX_SCRATCH {
            self.members = Vec::new();
        }
        if self.items.capacity() > MAX_SCRATCH {
            self.items = Vec::new();
        }
        if self.closers.capacity() > MAX_SCRATCH {
            self.closers = Vec::new();
        }
    }
}

fn parse_with(text: &str, scratch: &mut Scratch) -> Parsed {
    // Left empty by every parse; cleared all the same.
    scratch.members.clear();
    scratch.items.clear();
    // Well-formed texts, nearly all of them, are read by the fast path;
    // the tolerant parser reads the others from their start.
    if let Ok(root) = strict::parse(text, scratch) {
        return Parsed {
            root,
            ..Parsed::default()
        };
    }
    scratch.members.clear();
    scratch.items.clear();
    tolerant(text, scratch)
}

/// The tolerant parser alone (the fast path's reference in the tests).
fn tolerant(text: &str, scratch: &mut Scratch) -> Parsed {
    scratch.closers.clear();
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
        dropped: 0,
        recovering: false,
        events: 0,
        no_close_before: [0, 0],
        comma_swallowed: false,
        scratch,
    };
    p.skip_trivia();
    if p.pos >= p.bytes.len() {
        return Parsed::default();
    }
    let root = p.value(0);
    p.skip_trivia();
    if p.pos < p.bytes.len() {
        let start = p.pos;
        p.fault(
            start..start + p.char_len(start),
            "unexpected text after the end of the JSON value",
            "a body holds exactly one JSON value; remove what follows it or wrap both in an array",
        );
    }
    Parsed {
        root: Some(root),
        errors: p.errors,
        dropped: p.dropped,
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

/// An object with more members than this finds duplicate keys by hashing
/// (a comparison with every earlier key was quadratic in a large body).
const SCAN_KEYS: usize = 16;

/// Faults kept per text; more are only counted. Real bodies have a handful;
/// the bound keeps a hostile body (a million faults in 4 MB) from costing
/// memory by the fault.
const MAX_ERRORS: usize = 10_000;

/// How far a string broken across lines is followed to its closing quote.
const WRAPPED_LINES: usize = 3;

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    errors: Vec<JsonError>,
    /// Faults past [`MAX_ERRORS`]: counted, not kept.
    dropped: usize,
    /// After a fault that leaves the parser guessing: report nothing until
    /// the next line break or the next clean member or element.
    recovering: bool,
    /// Faults met (reported or not): tells a clean item from one that was not.
    events: usize,
    /// A search for an unescaped quote's real closing quote (after a value,
    /// after a key) that failed looked as far as here; a later one of the
    /// same kind starting before it fails too.
    no_close_before: [usize; 2],
    /// The last string ran to its line's end holding the comma that should
    /// have followed it: the missing comma is that same fault.
    comma_swallowed: bool,
    /// The lists this parse builds its objects and arrays on.
    scratch: &'t mut Scratch,
}

impl Parser<'_> {
    /// A fault the parser steps over exactly: reported (unless a fault
    /// before it is still being recovered from) and reading goes on.
    fn local(&mut self, span: Range<usize>, message: impl Into<String>, help: &'static str) {
        self.events += 1;
        if self.recovering {
            return;
        }
        // One fault can be seen twice on the way out of nested values.
        if self.errors.last().is_some_and(|e| e.span == span) {
            return;
        }
        if self.errors.len() >= MAX_ERRORS {
            self.dropped += 1;
            return;
        }
        self.errors.push(JsonError {
            span,
            message: message.into(),
            help,
        });
    }

    /// A fault after which the parser guesses: reported like [`Self::local`],
    /// then what follows is not reported until the parser is back in step.
    fn fault(&mut self, span: Range<usize>, message: impl Into<String>, help: &'static str) {
        self.local(span, message, help);
        self.recovering = true;
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn char_len(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8)
    }

    /// `text[at..]` shown in a message: at most `max` characters.
    fn shown(&self, range: Range<usize>, max: usize) -> String {
        let text = self.text.get(range).unwrap_or("");
        let mut out: String = text.chars().take(max).collect();
        if out.len() < text.len() {
            out.push('…');
        }
        out
    }

    /// Skips white space and reports (then skips) comments and the Unicode
    /// spaces that JSON does not allow (RFC 8259 §2: only space, tab, line
    /// feed and carriage return).
    ///
    /// Most calls find a token at once, or after the one space that follows
    /// a colon: those are answered here, inlined, and only longer white
    /// space goes to [`Self::skip_trivia_run`] (a call into that larger
    /// function cost more in saving and restoring registers than the
    /// skipping itself: 20 M instructions of a corpus `check`).
    #[inline(always)]
    fn skip_trivia(&mut self) {
        // A byte that starts no white space, comment or Unicode space.
        let token = |b: u8| b > b' ' && b != b'/' && b < 0x80;
        match self.bytes.get(self.pos) {
            Some(&b) if token(b) => {}
            Some(b' ') if self.bytes.get(self.pos + 1).is_some_and(|&b| token(b)) => {
                self.pos += 1;
            }
            _ => self.skip_trivia_run(),
        }
    }

    #[inline(never)]
    fn skip_trivia_run(&mut self) {
        // Pretty-printed JSON: most runs are a line break and indentation.
        if self.peek() == Some(b'\n') {
            self.recovering = false;
            self.pos += 1;
        }
        loop {
            // Indentation, most of the white space of a body: a run of
            // spaces eight bytes at a time (the first byte that is no
            // space is the lowest non-zero byte of the word xor spaces).
            while let Some(word) = self.bytes.get(self.pos..self.pos + 8) {
                let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8])) ^ (ONES * 0x20);
                if x != 0 {
                    self.pos += (x.trailing_zeros() / 8) as usize;
                    break;
                }
                self.pos += 8;
            }
            match self.peek() {
                Some(b'\n' | b'\r') => {
                    // A new line is a new chance: a fault on it is its own.
                    self.recovering = false;
                    self.pos += 1;
                }
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    let start = self.pos;
                    let end = memchr::memchr(b'\n', &self.bytes[start..])
                        .map_or(self.bytes.len(), |i| start + i);
                    self.pos = end;
                    self.local(
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
                    self.local(
                        start..end,
                        "comment in JSON",
                        "JSON has no comments; move the remark into the page's prose",
                    );
                }
                Some(0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF) => {
                    if !self.unicode_spaces() {
                        return;
                    }
                }
                _ => return,
            }
        }
    }

    /// Reads a run of Unicode spaces (with any ASCII spaces and tabs among
    /// them) and reports it once, naming the character and whether it
    /// indents the line; then the run counts as white space, so nothing
    /// cascades from it. False when no such space is here.
    fn unicode_spaces(&mut self) -> bool {
        let start = self.pos;
        let Some(first) = self.text.get(start..).and_then(|r| r.chars().next()) else {
            return false;
        };
        let Some(name) = unicode_space_name(first) else {
            return false;
        };
        let mut end = start;
        let mut at = start;
        while let Some(c) = self.text.get(at..).and_then(|r| r.chars().next()) {
            if c == ' ' || c == '\t' {
                at += 1;
            } else if unicode_space_name(c).is_some() {
                at += c.len_utf8();
                end = at;
            } else {
                break;
            }
        }
        work::add(at - start);
        self.pos = end;
        // Indentation: only spaces and tabs between the line's start and here.
        let before = self.bytes[..start]
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let line_start = start - before;
        let indents = line_start == 0 || matches!(self.bytes[line_start - 1], b'\n' | b'\r');
        let code = first as u32;
        let message = if indents {
            format!("{name} (U+{code:04X}) is used as indentation; JSON allows only spaces, tabs and line ends")
        } else {
            format!("{name} (U+{code:04X}) stands between JSON tokens; JSON allows only spaces, tabs and line ends")
        };
        self.local(
            start..end,
            message,
            "replace it with an ordinary space (pages pasted from a word processor carry these)",
        );
        true
    }

    fn value(&mut self, depth: usize) -> Node {
        let start = self.pos;
        match self.peek() {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                self.skip_nested();
                self.fault(
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
                let s = self.string(b'"', false);
                Node {
                    span: start..self.pos,
                    value: Value::String(s),
                }
            }
            Some(b'\'') => {
                let s = self.string(b'\'', false);
                self.local(
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
                    self.string(b'"', false);
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
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
        // This object's members are `self.scratch.members[base..]`.
        let base = self.scratch.members.len();
        // Made only for an object of many keys (a map per object cost more
        // than the maps were used).
        let mut keys: Option<KeyIndex> = None;
        self.sequence(&OBJECT, |p| {
            let Some((key, key_span)) = p.key() else {
                return false;
            };
            p.skip_trivia();
            if p.peek() == Some(b':') {
                p.pos += 1;
            } else {
                let at = p.pos;
                let len = p.char_len(at);
                let found = match p.peek() {
                    None => "the end of the body".to_owned(),
                    Some(b'\n' | b'\r') => "the end of the line".to_owned(),
                    Some(_) => format!("`{}`", p.shown(at..at + len, 1)),
                };
                p.fault(
                    at..at + len,
                    format!("expected `:` after the key \"{key}\", found {found}"),
                    "separate a key from its value with a colon",
                );
            }
            p.skip_trivia();
            let value = if matches!(p.peek(), Some(b',' | b'}') | None) {
                let at = p.pos;
                p.local(
                    at..at,
                    format!("the key \"{key}\" has no value"),
                    "give the property a value",
                );
                Node {
                    span: at..at,
                    value: Value::Invalid(Text::default()),
                }
            } else {
                p.value(depth + 1)
            };
            if is_duplicate_key(&mut keys, &p.scratch.members[base..], &key) {
                p.local(
                    key_span.clone(),
                    format!("duplicate key \"{key}\""),
                    "each property appears once; remove one of them",
                );
            }
            p.scratch.members.push(Member {
                key,
                key_span,
                value,
            });
            true
        });
        Node {
            span: open..self.pos,
            value: Value::Object(self.scratch.members.split_off(base)),
        }
    }

    /// The comma-separated items between a pair of brackets, with every
    /// fault of the punctuation reported: a trailing, doubled or missing
    /// comma, the wrong closing bracket, no closing bracket at all. `item`
    /// reads one item and says whether there was one to read.
    ///
    /// Inlined into the object and array readers, as the compiler chose
    /// before they pushed onto the scratch lists (since then it makes it a
    /// function of its own; the parser's own instructions were 91.5 M of a
    /// corpus `check` either way, in two builds that differed otherwise too:
    /// kept for one shape of the profiles, not for speed).
    #[inline(always)]
    fn sequence(&mut self, kind: &Brackets, mut item: impl FnMut(&mut Self) -> bool) {
        let open = self.pos;
        self.pos += 1;
        self.scratch.closers.push(kind.close);
        let mut items = 0usize;
        let mut after_comma: Option<usize> = None;
        let mut item_end = usize::MAX;
        loop {
            work::add(1);
            self.skip_trivia();
            match self.peek() {
                None => {
                    self.local(open..open + 1, kind.unclosed, kind.add_close);
                    break;
                }
                Some(b) if b == kind.close => {
                    if let Some(comma) = after_comma {
                        self.local(comma..comma + 1, kind.trailing_comma, "remove the comma");
                    }
                    self.pos += 1;
                    break;
                }
                Some(b) if b == kind.wrong_close => {
                    let at = self.pos;
                    self.fault(at..at + 1, kind.wrong_close_message, kind.wrong_close_help);
                    // The bracket closes an enclosing value (this one lacks
                    // its own closer): leave it to that value.
                    let closers = &self.scratch.closers;
                    let enclosing = &closers[..closers.len() - 1];
                    if !enclosing.contains(&b) {
                        self.pos += 1;
                    }
                    break;
                }
                Some(b',') => {
                    let at = self.pos;
                    self.fault(at..at + 1, "unexpected comma", "remove the extra comma");
                    self.pos += 1;
                    after_comma = Some(at);
                    continue;
                }
                Some(_) => {}
            }
            // Junk where a key belongs is reported as that, not as a
            // missing comma before it (asked only when a comma is missing).
            let can_start = |p: &Self| {
                kind.close == b']'
                    || p.peek().is_some_and(|b| {
                        matches!(b, b'"' | b'\'' | b'_' | b'@' | b'$') || b.is_ascii_alphabetic()
                    })
            };
            if items > 0
                && after_comma.is_none()
                && can_start(self)
                && !std::mem::take(&mut self.comma_swallowed)
            {
                let at = self.pos;
                // Glued to the item before it (`'a''b'`, `"x""y"`), the next
                // item is more likely a stray character than an item.
                let glued = at == item_end;
                let (span, message) = (at..at + self.char_len(at), kind.missing_comma);
                if glued {
                    self.fault(span, message, kind.missing_comma_help);
                } else {
                    self.local(span, message, kind.missing_comma_help);
                }
            }
            self.comma_swallowed = false;
            let events = self.events;
            if !item(self) {
                after_comma = None;
                continue;
            }
            items += 1;
            item_end = self.pos;
            self.skip_trivia();
            after_comma = if self.peek() == Some(b',') {
                let at = self.pos;
                self.pos += 1;
                Some(at)
            } else {
                None
            };
            if self.events == events {
                // A clean item: the parser is back in step.
                self.recovering = false;
            }
        }
        self.scratch.closers.pop();
    }

    /// Inlined into the object reader: called once a member, its call (saving
    /// and restoring registers around the string it reads) cost 4 M
    /// instructions of a corpus `check`.
    #[inline(always)]
    fn key(&mut self) -> Option<(Text, Range<usize>)> {
        let start = self.pos;
        match self.peek()? {
            b'"' => {
                let s = self.string(b'"', true);
                Some((s, start..self.pos))
            }
            b'\'' => {
                let s = self.string(b'\'', true);
                self.local(
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
                let key = Text::from(&self.text[start..self.pos]);
                self.local(
                    start..self.pos,
                    format!("unquoted key {key}"),
                    "put the key in double quotes",
                );
                Some((key, start..self.pos))
            }
            _ => {
                // Junk where a key belongs: skipped as one run, up to where
                // a key, a comma or the end of the object can start (all
                // ASCII, so the run ends on a character boundary).
                let end = self.bytes[start..]
                    .iter()
                    .position(|b| matches!(b, b'"' | b'\'' | b',' | b'}' | b']' | b'\n' | b'\r'))
                    .map_or(self.bytes.len(), |i| start + i)
                    .max(start + self.char_len(start).max(1));
                work::add(end - start);
                let junk_end = start + self.text[start..end].trim_end().len().max(1);
                let junk_end = junk_end.max(start + self.char_len(start));
                let shown = self.shown(start..junk_end, 20);
                self.fault(
                    start..junk_end,
                    format!("expected a property name, found `{shown}`"),
                    "property names are double-quoted strings",
                );
                self.pos = end;
                None
            }
        }
    }

    fn array(&mut self, depth: usize) -> Node {
        let open = self.pos;
        // This array's items are `self.scratch.items[base..]`.
        let base = self.scratch.items.len();
        self.sequence(&ARRAY, |p| {
            let before = p.pos;
            let item = p.value(depth + 1);
            p.scratch.items.push(item);
            if p.pos == before {
                p.pos += p.char_len(before).max(1);
            }
            true
        });
        Node {
            span: open..self.pos,
            value: Value::Array(self.scratch.items.split_off(base)),
        }
    }

    /// Reads a string starting at the quote; an unterminated one ends at the
    /// line's end and is reported at its opening quote. Control characters
    /// and bad escapes are reported once a string.
    ///
    /// Most strings hold no escape and end in a delimiter: those are read
    /// here, inlined (a call into the full reader cost more in saving and
    /// restoring registers than reading the string). A string whose closing
    /// quote is followed by what may follow a string cannot hold an
    /// unescaped quote (see [`Self::unescaped_quote_close`]), so nothing is
    /// reported and the result is the one the full reader gives.
    #[inline(always)]
    fn string(&mut self, quote: u8, is_key: bool) -> Text {
        let from = self.pos + 1;
        if let Some(rest) = self.bytes.get(from..) {
            let close = from + plain_run(rest, quote);
            if self.bytes.get(close) == Some(&quote)
                && matches!(
                    self.bytes.get(close + 1),
                    None | Some(b',' | b'}' | b']' | b':' | b'\n' | b'\r')
                )
            {
                self.pos = close + 1;
                return Text::from(&self.text[from..close]);
            }
        }
        self.string_in_full(quote, is_key)
    }

    #[inline(never)]
    fn string_in_full(&mut self, quote: u8, is_key: bool) -> Text {
        let open = self.pos;
        self.pos += 1;
        let mut out = Text::default();
        let mut run = self.pos;
        let mut reported_control = false;
        let mut reported_escape = false;
        loop {
            // Ordinary bytes in a tight loop; only quotes, backslashes and
            // control characters need a decision.
            self.pos += plain_run(&self.bytes[self.pos..], quote);
            let Some(b) = self.peek() else {
                out.push_str(&self.text[run..self.pos]);
                self.local(
                    open..open + 1,
                    "this string is never closed",
                    "add the closing quote",
                );
                return out;
            };
            match b {
                b if b == quote => {
                    // Most strings hold no escape: one exact copy (inline
                    // when short), not a growth of an empty string.
                    if out.is_empty() {
                        out = Text::from(&self.text[run..self.pos]);
                    } else {
                        out.push_str(&self.text[run..self.pos]);
                    }
                    self.pos += 1;
                    // `"He said "hi" to me"`: the string visibly goes on to a
                    // later quote on its line; the one here is unescaped.
                    if quote == b'"' {
                        if let Some(close) = self.unescaped_quote_close(is_key) {
                            let at = self.pos - 1;
                            self.local(
                                at..at + 1,
                                "unescaped `\"` inside a string",
                                "escape a quote inside a string as \\\"",
                            );
                            out.push_str(&self.text[at..close]);
                            self.pos = close + 1;
                        }
                    }
                    return out;
                }
                b'\n' | b'\r' => {
                    out.push_str(&self.text[run..self.pos]);
                    // A string wrapped onto the next lines by hand: report the
                    // line break once and read on to its closing quote.
                    if let Some(close) = self.wrapped_string_end(quote) {
                        let at = self.pos;
                        self.local(
                            at..at + 1,
                            "line break inside a string",
                            "JSON strings stay on one line; join the lines (write \\n for a real line break)",
                        );
                        out.push_str(&self.text[self.pos..close]);
                        self.pos = close + 1;
                        return out;
                    }
                    self.unclosed_at_line_end(open, &out);
                    return out;
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out, &mut reported_escape);
                    run = self.pos;
                }
                _ => {
                    // A control character (below 0x20).
                    if !reported_control {
                        reported_control = true;
                        let at = self.pos;
                        self.local(
                            at..at + 1,
                            "control character in a string",
                            "write it as an escape such as \\t",
                        );
                    }
                    self.pos += 1;
                }
            }
        }
    }

    /// A string that runs to its line's end, reported by what it most
    /// likely is: closed by a typographic quote, its closing quote escaped,
    /// or really never closed.
    fn unclosed_at_line_end(&mut self, open: usize, content: &str) {
        self.comma_swallowed = content.trim_end().ends_with(',');
        let line = &self.text[open + 1..self.pos];
        let trimmed = line.trim_end();
        // `"value”,`: closed, but with a quote JSON does not know.
        if let Some((i, c)) = line.char_indices().find(|&(i, c)| {
            matches!(c, '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}')
                && is_delimited(&line[i + c.len_utf8()..])
        }) {
            let at = open + 1 + i;
            self.local(
                at..at + c.len_utf8(),
                format!("this string is closed by a typographic quote `{c}`"),
                "close it with a straight double quote \"",
            );
            return;
        }
        // `"C:\folder\",`: the closing quote is escaped by the backslash before it.
        let unescaped = trimmed.strip_suffix(',').unwrap_or(trimmed);
        if unescaped.ends_with("\\\"") && !unescaped.ends_with("\\\\\"") {
            let at = open + 1 + unescaped.len() - 2;
            self.local(
                at..at + 1,
                "the backslash before this string's closing quote escapes it, so the string never closes",
                "write a backslash inside a string as \\\\",
            );
            return;
        }
        self.local(
            open..open + 1,
            "this string is never closed",
            "add the closing quote before the line ends",
        );
    }

    /// After a string that closed at `self.pos - 1` and is followed on its
    /// line by neither a delimiter nor a new value: the quote that closes it
    /// as its writer meant (the first later quote on the line followed by
    /// what may follow a key or a value), if any.
    fn unescaped_quote_close(&mut self, is_key: bool) -> Option<usize> {
        let from = self.pos;
        // Up to the line's end, found as the scan goes (finding it first
        // cost a scan of the rest of the line after every string: quadratic
        // on a long one-line body).
        let rest = &self.bytes[from..];
        let line_end = |b: &u8| matches!(b, b'\n' | b'\r');
        let follows = |b: u8| {
            if is_key {
                b == b':'
            } else {
                matches!(b, b',' | b'}' | b']')
            }
        };
        let gap = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        match rest.get(gap) {
            // Line end, a delimiter, or a comment: the string ended here.
            None | Some(b'\n' | b'\r' | b'/') => return None,
            Some(&b) if follows(b) || matches!(b, b',' | b'}' | b']' | b':') => return None,
            // `"x" "y"` or `"x" {`: a comma is missing, no quote is unescaped.
            Some(b'"' | b'{' | b'[') if gap > 0 => return None,
            _ => {}
        }
        if from < self.no_close_before[usize::from(is_key)] {
            return None;
        }
        let mut i = gap;
        let mut failed_at = None;
        while i < rest.len() && !line_end(&rest[i]) {
            match rest[i] {
                b'\\' => i += 1,
                b'"' => {
                    let skip = rest[i + 1..]
                        .iter()
                        .take_while(|&&b| b == b' ' || b == b'\t')
                        .count();
                    match rest.get(i + 1 + skip) {
                        // A key-like quote (`"b": `) inside means structure, not a string.
                        Some(b':') if !is_key => {
                            failed_at = Some(from + i);
                            break;
                        }
                        Some(&b) if follows(b) => {
                            work::add(i);
                            return Some(from + i);
                        }
                        None | Some(b'\n' | b'\r') if !is_key => {
                            work::add(i);
                            return Some(from + i);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
            i += 1;
        }
        work::add(i);
        self.no_close_before[usize::from(is_key)] = failed_at.unwrap_or(from + i.min(rest.len()));
        None
    }

    /// Where a string broken across lines ends: the next quote within
    /// [`WRAPPED_LINES`] lines that is followed by a delimiter (`,` `}` `]`
    /// `:` or the end).
    fn wrapped_string_end(&self, quote: u8) -> Option<usize> {
        let mut lines = 0;
        let mut i = self.pos;
        while i < self.bytes.len() {
            work::add(1);
            match self.bytes[i] {
                b'\n' => {
                    lines += 1;
                    if lines > WRAPPED_LINES {
                        return None;
                    }
                }
                b'\\' => i += 1,
                b if b == quote => {
                    return is_delimited(&self.text[i + 1..]).then_some(i);
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn escape(&mut self, out: &mut Text, reported: &mut bool) {
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
                        if !std::mem::replace(reported, true) {
                            self.local(
                                start..self.pos,
                                "invalid \\u escape",
                                "write four hexadecimal digits after \\u",
                            );
                        }
                        '\u{fffd}'
                    }
                }
            }
            _ => {
                // Step back so a multi-byte character is not split.
                self.pos -= 1;
                let len = self.char_len(self.pos);
                self.pos += len;
                if !std::mem::replace(reported, true) {
                    self.local(
                        start..self.pos,
                        "invalid escape in a string",
                        "escape a backslash as \\\\",
                    );
                }
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
                    self.local(
                        start..self.pos,
                        format!("`{raw}` is not a JSON number"),
                        "write the number without leading zeros or a plus sign",
                    );
                }
                Node {
                    span: start..self.pos,
                    value: Value::Number(Text::from(raw), n),
                }
            }
            None => {
                let shown = self.shown(start..self.pos, 40);
                self.local(
                    start..self.pos,
                    format!("`{shown}` is not a JSON number"),
                    "write a number such as 12 or -3.5",
                );
                Node {
                    span: start..self.pos,
                    value: Value::Invalid(Text::from(raw)),
                }
            }
        }
    }

    /// `true`, `false`, `null`, or anything else up to a delimiter.
    fn word(&mut self) -> Node {
        let start = self.pos;
        let angled = self.peek() == Some(b'<');
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'}' | b']' | b'\n' | b'\r' | b':')
                || (b == b' ' && self.pos > start && !angled)
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
                self.local(
                    start..start + raw.len().max(1).min(self.bytes.len() - start),
                    format!("`{shown}` is not a JSON value"),
                    "use a real value: a quoted string, a number, true, false or null",
                );
                Value::Invalid(Text::from(raw))
            }
        };
        Node {
            span: start..start + raw.len(),
            value,
        }
    }
}

/// Is `key` the key of one of an object's `members` read so far? Scanned
/// below [`SCAN_KEYS`] members, looked up in `keys` (made at the first
/// need) from there; both parsers ask it before they add the member.
fn is_duplicate_key(keys: &mut Option<KeyIndex>, members: &[Member], key: &str) -> bool {
    if members.len() < SCAN_KEYS {
        work::add(members.len());
        members.iter().any(|m| m.key == key)
    } else {
        keys.get_or_insert_with(|| KeyIndex::of(members))
            .is_duplicate(members, key)
    }
}

/// The keys of an object of [`SCAN_KEYS`] members or more, by hash: each
/// hash to the first member whose key has it. The members are not copied
/// (a set of the keys cloned every one of them). foldhash, seeded per map:
/// the keys are the page's, and a page made to collide in an unseeded hash
/// would make this quadratic again (issue 13); two different keys of one
/// 64-bit hash are still told apart, by comparing all the members.
struct KeyIndex {
    state: foldhash::quality::RandomState,
    first: foldhash::HashMap<u64, usize>,
}

impl KeyIndex {
    fn of(members: &[Member]) -> Self {
        let mut index = KeyIndex {
            state: foldhash::quality::RandomState::default(),
            first: foldhash::HashMap::default(),
        };
        for (i, m) in members.iter().enumerate() {
            let hash = index.state.hash_one(m.key.as_str());
            index.first.entry(hash).or_insert(i);
        }
        index
    }

    /// Is `key` the key of one of `members` (those this index was made of,
    /// and those added since)? Adds it as the next member's key.
    fn is_duplicate(&mut self, members: &[Member], key: &str) -> bool {
        work::add(1);
        match self.first.entry(self.state.hash_one(key)) {
            Entry::Vacant(new) => {
                new.insert(members.len());
                false
            }
            Entry::Occupied(known) => {
                members[*known.get()].key == key || {
                    work::add(members.len());
                    members.iter().any(|m| m.key == key)
                }
            }
        }
    }
}

/// `0x01` in every byte of a word, for the word-at-a-time scans.
const ONES: u64 = 0x0101_0101_0101_0101;

/// How many bytes of `bytes` come before the first `quote`, backslash or
/// control character (below 0x20): the plain run of a string, which is all
/// of most strings. Eight bytes at a time, as SIMD-less JSON parsers do it
/// (memchr finds up to three given bytes, not a range, and strings are too
/// short for its setup to pay): a byte below n is one whose high bit
/// `(x - n...) & !x` sets, a byte equal to c a byte of `x ^ c...` below 1.
/// A borrow only carries out of a byte that matched, into the bytes after
/// it, so the lowest flagged byte is the first match, exactly.
fn plain_run(bytes: &[u8], quote: u8) -> usize {
    const HIGH: u64 = ONES * 0x80;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        let hits = below(x, 0x20)
            | below(x ^ (ONES * u64::from(quote)), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| b == quote || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len() - i)
}

/// Is `rest` (what follows a quote) empty or a delimiter after spaces?
fn is_delimited(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with([',', '}', ']', ':', '\n', '\r'])
}

/// The name of a Unicode space that pages carry (from word processors and
/// web pages) and JSON does not allow, for the message that names it.
fn unicode_space_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "a no-break space",
        '\u{1680}' => "an Ogham space mark",
        '\u{2002}' => "an en space",
        '\u{2003}' => "an em space",
        '\u{2007}' => "a figure space",
        '\u{2009}' => "a thin space",
        '\u{200A}' => "a hair space",
        '\u{2000}'..='\u{200A}' => "a typographic space",
        '\u{200B}' => "a zero-width space",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{202F}' => "a narrow no-break space",
        '\u{205F}' => "a medium mathematical space",
        '\u{3000}' => "an ideographic space",
        '\u{FEFF}' => "a zero-width no-break space",
        _ => return None,
    })
}

#[cfg(test)]
mod scan_tests {
    use super::plain_run;

    /// The word-at-a-time scan stops where a byte-at-a-time one does: every
    /// stop byte at every place of a word and past it, after plain ASCII,
    /// DEL and multi-byte characters (high bits set), for both quotes.
    #[test]
    fn plain_run_stops_at_the_first_special_byte() {
        let fillers: [&[u8]; 3] = [
            b"abcdefghijklmnopqrstu",
            "ü漢ü漢ü漢ü".as_bytes(),
            &[0x7F; 21],
        ];
        let stops = [b'"', b'\'', b'\\', 0x00, 0x01, b'\n', 0x1F];
        for quote in [b'"', b'\''] {
            for filler in fillers {
                for at in 0..filler.len() {
                    for &stop in &stops {
                        let mut text = filler.to_vec();
                        text[at] = stop;
                        // A second stop later must not move the first.
                        text.push(b'\\');
                        let naive = text
                            .iter()
                            .position(|&b| b == quote || b == b'\\' || b < 0x20)
                            .unwrap_or(text.len());
                        assert_eq!(plain_run(&text, quote), naive, "{text:?}");
                    }
                    assert_eq!(plain_run(&filler[..at], quote), at);
                }
            }
        }
    }
}
