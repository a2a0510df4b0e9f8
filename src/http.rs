//! One HTTP message as a documentation page shows it: a request line or a
//! status line (RFC 9112 §3 and §4), header lines, a blank line and a body,
//! each piece with its span in the page. The body is kept byte for byte.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::bytes::is_space;
use crate::excerpt::Excerpt;
use crate::json;
use crate::memo::Memo;

/// Methods a request line may name (RFC 9110 §9 plus PATCH, RFC 5789).
pub const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];

#[derive(Debug, Clone, PartialEq)]
pub enum StartLine {
    Request {
        method: String,
        method_span: Range<usize>,
        url: String,
        url_span: Range<usize>,
    },
    Status {
        status: u16,
        status_span: Range<usize>,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: String,
    /// The whole header line in the page.
    pub span: Range<usize>,
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub excerpt: Excerpt,
    /// Is the body meant to be JSON (by Content-Type, or by its first
    /// character when no Content-Type is given)?
    is_json: bool,
    /// Parsed on first use: `extract` never needs the tree, and the corpus
    /// has 3,000+ bodies. Shared with the bodies of the same text that the
    /// thread read last ([`KNOWN_BODIES`]).
    parsed: OnceLock<Arc<json::Parsed>>,
}

thread_local! {
    /// The trees of the bodies a thread parsed last, by their text
    /// (`crate::memo`): a page's translations, read right after it, show
    /// its bodies byte for byte (two bodies in three of a whole-corpus
    /// `check`).
    static KNOWN_BODIES: RefCell<Memo<json::Parsed>> = RefCell::new(Memo::new(KEPT_BODY_LEN));
}

/// A thread's bound on the bodies it keeps: room for the bodies of a page
/// and its translations (the corpus's largest page shows 60 KB of them),
/// while a tree outlives its page by no more than a few pages.
const KEPT_BODIES: usize = 256 * 1024;
/// A body longer than this is not kept: such a body is seldom a repeat,
/// and its tree would crowd out the rest.
const KEPT_BODY_LEN: usize = 64 * 1024;

/// Two bodies are equal by their text, whether or not either tree was parsed yet.
impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.excerpt == other.excerpt && self.is_json == other.is_json
    }
}

impl Body {
    pub fn new(excerpt: Excerpt, is_json: bool) -> Body {
        Body {
            excerpt,
            is_json,
            parsed: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.excerpt.text
    }

    /// Is the body meant to be JSON? (Without parsing it.)
    pub fn is_json(&self) -> bool {
        self.is_json
    }

    /// Drops the parsed tree (it is parsed again if asked for): `check` is
    /// done with most trees once a page's rules have run, and the memory is
    /// better reused for the next page than kept for the whole corpus.
    pub fn forget_json(&mut self) {
        self.parsed.take();
    }

    /// The body's JSON, tolerantly parsed; `None` when it is not meant to be JSON.
    pub fn json(&self) -> Option<&json::Parsed> {
        self.is_json
            .then(|| &**self.parsed.get_or_init(|| parse_kept(&self.excerpt.text)))
    }

    /// Page span of a span inside the body.
    pub fn to_page(&self, span: &Range<usize>) -> Range<usize> {
        self.excerpt.span_to_page(span)
    }

    pub fn root(&self) -> Option<&json::Node> {
        self.json().and_then(|p| p.root.as_ref())
    }
}

/// The tree of a body's `text`, parsed or kept from the last time the
/// thread met the text.
fn parse_kept(text: &str) -> Arc<json::Parsed> {
    KNOWN_BODIES.with(|known| match known.try_borrow_mut() {
        Ok(mut known) => known.get(text, KEPT_BODIES, json::parse),
        // Not reached (a parse reads no other body), but a parse is right.
        Err(_) => Arc::new(json::parse(text)),
    })
}

/// Forgets the bodies this thread keeps: the tests that count the work of
/// reading a page read the same texts again.
#[cfg(test)]
pub(crate) fn forget_known_bodies() {
    KNOWN_BODIES.with_borrow_mut(|known| *known = Memo::new(KEPT_BODY_LEN));
}

/// A fault in the message's framing, found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
    pub help: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub start: StartLine,
    /// The request line or status line in the page.
    pub line_span: Range<usize>,
    pub headers: Vec<Header>,
    pub body: Option<Body>,
    pub errors: Vec<SyntaxError>,
}

impl Message {
    /// The body's JSON (its tolerant parse) as a `serde_json` value, for
    /// the mock and the comparer; `None` without a JSON body.
    pub fn json_value(&self) -> Option<serde_json::Value> {
        self.body
            .as_ref()
            .and_then(|b| b.root())
            .map(|n| n.value.to_serde())
    }

    pub fn header(&self, name: &str) -> Option<&Header> {
        // The lengths first, here: most names differ in length, and the
        // case-blind comparison is a call.
        self.headers
            .iter()
            .find(|h| h.name.len() == name.len() && h.name.eq_ignore_ascii_case(name))
    }

    pub fn method(&self) -> Option<&str> {
        match &self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Status { .. } => None,
        }
    }

    pub fn url(&self) -> Option<&str> {
        match &self.start {
            StartLine::Request { url, .. } => Some(url),
            StartLine::Status { .. } => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match &self.start {
            StartLine::Status { status, .. } => Some(*status),
            StartLine::Request { .. } => None,
        }
    }

    pub fn is_request(&self) -> bool {
        matches!(self.start, StartLine::Request { .. })
    }
}

/// Is `inner` (the text between `{` and `}` in a URL) the name of a
/// template parameter (`id`, `user-id`, `id | userPrincipalName`), which a
/// reader replaces and `exemplar run --var NAME=VALUE` fills? A GUID in
/// braces is a real value (a MAPI property id `String {66f5a359-…} Name`).
pub fn is_template_name(inner: &str) -> bool {
    inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && inner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.| ".contains(&b))
        && !is_guid(inner)
}

/// `8-4-4-4-12` hexadecimal digits (RFC 9562 text form).
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `text` without `prefix` (ASCII, compared case-insensitively), if it
/// starts with it; never slices inside a character (a page's URL may hold
/// a multi-byte character where a scheme would end: `https:é//…`).
pub fn strip_prefix_ignore_ascii_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A URL after `scheme://host` (`/v1.0/me?x=1`; empty for a bare host), or
/// the URL itself when it has no http(s) scheme.
pub fn after_host(url: &str) -> &str {
    // Most URLs of a page are relative or start with `https://`: one byte
    // tells the first kind apart before any prefix is compared.
    if !url
        .as_bytes()
        .first()
        .is_some_and(|b| b.eq_ignore_ascii_case(&b'h'))
    {
        return url;
    }
    let host_at = if scheme_is(url, *b"https://", 5) {
        8
    } else if scheme_is(url, *b"http://\0", 4) {
        7
    } else {
        return url;
    };
    let rest = &url[host_at..];
    memchr::memchr(b'/', rest.as_bytes()).map_or("", |i| &rest[i..])
}

/// Does `url` start with `scheme` (padded to eight bytes with NULs), its
/// first `letters` bytes in any case? One comparison of two words: a
/// letter's case bit set on both sides, every other byte compared as it
/// is (so no other byte passes for a letter or for `:` and `/`).
fn scheme_is(url: &str, scheme: [u8; 8], letters: usize) -> bool {
    let len = 8 - scheme.iter().rev().take_while(|&&b| b == 0).count();
    let Some(head) = url.as_bytes().get(..len) else {
        return false;
    };
    let mut word = [0u8; 8];
    word[..len].copy_from_slice(head);
    let case = (u64::MAX >> (8 * (8 - letters))) & 0x2020_2020_2020_2020;
    (u64::from_le_bytes(word) | case) == u64::from_le_bytes(scheme)
}

/// Does this line look like a request line (`METHOD target`)?
pub fn looks_like_request_line(line: &str) -> bool {
    let line = trim_start(line);
    // A method is at most seven letters (`OPTIONS`): the space after it is
    // among the first eight bytes, or the line is no request line (most
    // lines a page asks about are prose, answered here).
    let Some(space) = line.as_bytes().iter().take(8).position(|&b| b == b' ') else {
        return false;
    };
    let method = &line[..space];
    let target = trim_start(&line[space + 1..]);
    METHODS.iter().any(|m| m.eq_ignore_ascii_case(method))
        && (target.starts_with('/')
            || target.starts_with("http://")
            || target.starts_with("https://")
            || target.starts_with('{'))
}

/// Does this line look like a status line (`HTTP/1.1 201 Created`)?
pub fn looks_like_status_line(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("HTTP/") || line.starts_with("HTTP ")
}

/// Reads a message from a block that an annotation announces as a request
/// (`expect_request`) or a response, reporting a start line of the other kind
/// and a response given as a bare body. `None` for an empty block.
pub fn parse_expecting(block: &Excerpt, expect_request: bool) -> Option<Message> {
    let (offset, first) = first_content_line(&block.text)?;
    let first_span = block.span_to_page(&(offset..offset + first.len()));
    if !expect_request && !looks_like_status_line(first) && !looks_like_request_line(first) {
        // A response documented as a bare body: keep the body, report the missing line.
        let lead = first.len() - first.trim_start().len();
        let excerpt = block.slice(offset..offset + block.text[offset..].trim_end().len());
        let is_json = first.trim_start().starts_with(['{', '[']);
        return Some(Message {
            start: StartLine::Status {
                status: 0,
                status_span: first_span.start + lead..first_span.start + lead,
                reason: String::new(),
            },
            line_span: first_span.clone(),
            headers: Vec::new(),
            body: Some(Body::new(excerpt, is_json)),
            errors: vec![SyntaxError {
                span: first_span.start + lead..first_span.start + lead + 1,
                message: "the response has no status line".into(),
                help: "start the response with its status line, e.g. `HTTP/1.1 200 OK`",
            }],
        });
    }
    let mut message = parse(block)?;
    if message.is_request() != expect_request {
        let (message_text, help) = if expect_request {
            (
                "a request annotation announces a response",
                "annotate the block as a response, or write the request line",
            )
        } else {
            (
                "a response annotation announces a request",
                "annotate the block as a request, or write the status line",
            )
        };
        message.errors.insert(
            0,
            SyntaxError {
                span: message.line_span.clone(),
                message: message_text.into(),
                help,
            },
        );
    }
    Some(message)
}

/// The first line that is not blank, with its offset. Its ending is cut as
/// `str::lines` cuts it: `\n` or `\r\n`; a bare `\r` at the very end stays.
fn first_content_line(text: &str) -> Option<(usize, &str)> {
    let mut at = 0;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map(|i| at + i);
        let content = match end {
            Some(end) => {
                let line = &text[at..end];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => &text[at..],
        };
        if !is_blank(content) {
            return Some((at, content));
        }
        match end {
            Some(end) => at = end + 1,
            None => break,
        }
    }
    None
}

/// A message for an announced block that holds nothing; its fault says so.
pub fn empty_message(at: usize, request: bool) -> Message {
    let start = if request {
        StartLine::Request {
            method: String::new(),
            method_span: at..at,
            url: String::new(),
            url_span: at..at,
        }
    } else {
        StartLine::Status {
            status: 0,
            status_span: at..at,
            reason: String::new(),
        }
    };
    Message {
        start,
        line_span: at..at,
        headers: Vec::new(),
        body: None,
        errors: vec![SyntaxError {
            span: at..at + 1,
            message: if request {
                "the request block is empty".into()
            } else {
                "the response block is empty".into()
            },
            help: "write the HTTP message in the block, or remove the annotation",
        }],
    }
}

/// Reads one message from a code block's content. `None` when the block
/// holds no start line at all (empty, or only blank lines).
pub fn parse(block: &Excerpt) -> Option<Message> {
    let text = block.text.as_str();
    let mut lines = LineIter { text, pos: 0 };
    let (first, first_range) = loop {
        let (line, range) = lines.next()?;
        if !is_blank(line) {
            break (line, range);
        }
    };
    let mut errors = Vec::new();
    let page = |r: Range<usize>| block.span_to_page(&r);
    let start = parse_start_line(first, first_range.start, &mut errors, &page);
    let mut headers = Vec::new();
    let mut body_start = None;
    for (line, range) in lines.by_ref() {
        if is_blank(line) {
            body_start = Some(range.end);
            break;
        }
        let trimmed = trim_start(line);
        if trimmed.starts_with('{') || trimmed.starts_with('[') || trimmed.starts_with('<') {
            errors.push(SyntaxError {
                span: page(range.start..range.start + 1),
                message: "the body starts without a blank line after the headers".into(),
                help: "put an empty line between the last header and the body",
            });
            body_start = Some(range.start);
            break;
        }
        match memchr::memchr(b':', line.as_bytes()).map(|i| (&line[..i], &line[i + 1..])) {
            Some((name, value)) if is_token(name) => {
                let value_start = trim_start(value);
                let value_offset = range.start + name.len() + 1 + (value.len() - value_start.len());
                let value = trim_end(value_start);
                headers.push(Header {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    span: page(range.clone()),
                    value_span: page(value_offset..value_offset + value.len()),
                });
            }
            _ => {
                let indent = line.len() - trimmed.len();
                errors.push(SyntaxError {
                    span: page(range.start + indent..range.end),
                    message: format!("malformed header line `{}`", shorten(line.trim())),
                    help: "a header line is `Name: value`; a body follows one empty line",
                });
            }
        }
    }
    // Kept for the page's life: a list grown by `push` holds room for four
    // headers where most messages have one (1.7 MB of a whole-corpus
    // `check`'s peak, a third of it written: DHAT).
    json::exact(&mut headers);
    let body = body_start.and_then(|from| {
        let rest = &text[from..];
        let lead = rest
            .bytes()
            .position(|b| !matches!(b, b'\n' | b'\r' | b' ' | b'\t'))
            .unwrap_or(rest.len());
        // Keep leading spaces of the first body line: walk back to its line start.
        let lead = memchr::memrchr(b'\n', &rest.as_bytes()[..lead]).map_or(0, |i| i + 1);
        let trimmed = rest[lead..].trim_end();
        if is_blank(trimmed) {
            return None;
        }
        let range = from + lead..from + lead + trimmed.len();
        let excerpt = block.slice(range);
        let is_json = is_json(&headers, &excerpt.text);
        Some(Body::new(excerpt, is_json))
    });
    Some(Message {
        start,
        line_span: page(
            first_range.start + (first.len() - trim_start(first).len())
                ..first_range.start + trim_end(first).len(),
        ),
        headers,
        body,
        errors,
    })
}

fn is_json(headers: &[Header], body: &str) -> bool {
    match headers
        .iter()
        .find(|h| h.name.len() == 12 && h.name.eq_ignore_ascii_case("content-type"))
    {
        // `contains("json")` of the lower-cased value, without the copy;
        // only where a `j` stands is the rest compared.
        Some(h) => {
            let value = h.value.as_bytes();
            (0..value.len()).any(|i| {
                (value[i] | 0x20) == b'j'
                    && value
                        .get(i..i + 4)
                        .is_some_and(|w| w.eq_ignore_ascii_case(b"json"))
            })
        }
        None => body.trim_start().starts_with(['{', '[']),
    }
}

/// `str::trim`, as [`trim_start`] and [`trim_end`] trim.
pub(crate) fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

/// `str::trim_start`, the ASCII white space (nearly all a message holds)
/// skipped by bytes without decoding characters.
fn trim_start(s: &str) -> &str {
    let ascii = s.bytes().take_while(|&b| is_space(b)).count();
    let rest = &s[ascii..];
    match rest.as_bytes().first() {
        Some(0x80..) => rest.trim_start(),
        _ => rest,
    }
}

/// `str::trim_end`, as [`trim_start`] is `str::trim_start`.
fn trim_end(s: &str) -> &str {
    let ascii = s.bytes().rev().take_while(|&b| is_space(b)).count();
    let rest = &s[..s.len() - ascii];
    match rest.as_bytes().last() {
        Some(0x80..) => rest.trim_end(),
        _ => rest,
    }
}

/// `s.trim().is_empty()`, deciding ASCII text by its bytes (a message's
/// lines are nearly all ASCII; Unicode white space goes to `trim`).
fn is_blank(s: &str) -> bool {
    for &b in s.as_bytes() {
        match b {
            0x80.. => return s.trim().is_empty(),
            b if is_space(b) => {}
            _ => return false,
        }
    }
    true
}

/// RFC 9110 §5.6.2 token characters.
fn is_token(s: &str) -> bool {
    /// The token bytes as a table: one load per byte of every header name.
    const TOKEN: [bool; 256] = crate::bytes::byte_table(
        b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        true,
    );
    !s.is_empty() && s.bytes().all(|b| TOKEN[usize::from(b)])
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

fn parse_start_line(
    line: &str,
    offset: usize,
    errors: &mut Vec<SyntaxError>,
    page: &dyn Fn(Range<usize>) -> Range<usize>,
) -> StartLine {
    let started = trim_start(line);
    let indent = line.len() - started.len();
    let content = trim_end(started);
    let at = offset + indent;
    // `splitn(3, ' ')` and `split_once(' ')` with byte searches: a space is ASCII.
    fn split_space(s: &str) -> (&str, Option<&str>) {
        match memchr::memchr(b' ', s.as_bytes()) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        }
    }
    if looks_like_status_line(content) {
        let (version, rest) = split_space(content);
        let (code, reason) = rest.map_or(("", None), split_space);
        let reason = reason.unwrap_or("").trim().to_owned();
        // After the version and its space; a line that is only a version
        // has its (missing) code at its end, not one past it.
        let end = at + content.len();
        let code_at = (at + version.len() + 1).min(end);
        let status = match code.parse::<u16>() {
            Ok(s) if (100..=599).contains(&s) && code.len() == 3 => s,
            _ => {
                errors.push(SyntaxError {
                    span: page(code_at..(code_at + code.len()).min(end)),
                    message: format!("`{}` is not a status code", shorten(code)),
                    help: "a status line is `HTTP/1.1 200 OK`: the version, a three-digit code and a reason",
                });
                0
            }
        };
        return StartLine::Status {
            status,
            status_span: page(code_at..code_at + code.len()),
            reason,
        };
    }
    let (method, rest) = match split_space(content) {
        (method, Some(rest)) => (method, rest),
        (_, None) => (content, ""),
    };
    let target = trim_start(rest);
    // After the method, its space and any more blanks; a line that is only
    // a method has its (missing) URL at its end, not one past it.
    let url_at = (at + method.len() + 1 + (rest.len() - target.len())).min(at + content.len());
    // `HTTP/1.1` may close the request line; the target may contain spaces
    // (writers keep OData `$filter` expressions readable), so only a final
    // version word is cut off.
    let url = match memchr::memrchr(b' ', target.as_bytes()) {
        Some(i) if target[i + 1..].starts_with("HTTP/") => target[..i].trim_end(),
        _ => target,
    };
    if !METHODS.contains(&method) {
        let upper = method.to_ascii_uppercase();
        let (message, help) = if METHODS.contains(&upper.as_str()) {
            (
                format!("method `{method}` is not upper case"),
                "methods are case-sensitive: write it in capitals",
            )
        } else {
            (
                format!("`{}` is not an HTTP method", shorten(method)),
                "a request line is `METHOD URL`, e.g. `GET https://graph.microsoft.com/v1.0/me`",
            )
        };
        errors.push(SyntaxError {
            span: page(at..at + method.len()),
            message,
            help,
        });
    }
    if url.is_empty() {
        errors.push(SyntaxError {
            span: page(at..at + content.len()),
            message: "the request line has no URL".into(),
            help: "a request line is `METHOD URL`",
        });
    }
    StartLine::Request {
        method: method.to_ascii_uppercase(),
        method_span: page(at..at + method.len()),
        url: url.to_owned(),
        url_span: page(url_at..url_at + url.len()),
    }
}

/// Lines with their ranges (the range excludes the line ending).
struct LineIter<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Iterator for LineIter<'t> {
    type Item = (&'t str, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let end = memchr::memchr(b'\n', &self.text.as_bytes()[start..])
            .map_or(self.text.len(), |i| start + i);
        self.pos = end + 1;
        let line = self.text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&self.text[start..end]);
        Some((line, start..start + line.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two bodies of one text (a page's and its translation's) share one
    /// tree, the tree its text parses to; a body forgotten and asked again
    /// gets the same tree back, and another text its own.
    #[test]
    fn bodies_of_one_text_share_their_tree() {
        forget_known_bodies();
        let text = "{\n  \"id\": \"1\",\n  \"name\": \"x\",\n}";
        let source = Body::new(Excerpt::contiguous(text.into(), 100), true);
        let mut translation = Body::new(Excerpt::contiguous(text.into(), 900), true);
        let tree = source.json().unwrap();
        assert_eq!(*tree, json::parse(text));
        assert_eq!(
            tree.errors.len(),
            1,
            "the trailing comma: {:?}",
            tree.errors
        );
        assert!(std::ptr::eq(tree, translation.json().unwrap()));
        translation.forget_json();
        assert!(std::ptr::eq(tree, translation.json().unwrap()));
        let other = Body::new(Excerpt::contiguous("{\"id\": \"2\"}".into(), 0), true);
        assert!(!std::ptr::eq(tree, other.json().unwrap()));
        // Not meant to be JSON: no tree at all.
        assert!(Body::new(Excerpt::contiguous(text.into(), 0), false)
            .json()
            .is_none());
    }

    /// The bodies a thread keeps stay within [`KEPT_BODIES`]; a body
    /// longer than [`KEPT_BODY_LEN`] is parsed but not kept.
    #[test]
    fn the_kept_bodies_stay_within_their_bound() {
        crate::memo::assert_stays_within(
            &mut Memo::new(KEPT_BODY_LEN),
            KEPT_BODIES,
            |i| format!("{{\"id\": \"{i}\"}}"),
            json::parse,
            |i, tree| assert_eq!(*tree, json::parse(&format!("{{\"id\": \"{i}\"}}"))),
        );
    }

    #[test]
    fn a_token_is_letters_digits_and_the_rfc_9110_marks() {
        for b in 0..=255u8 {
            let want = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            let one = [b];
            let text = std::str::from_utf8(&one).unwrap_or("\u{80}");
            assert_eq!(is_token(text), want && b < 0x80, "byte {b:#04x}");
        }
        assert!(!is_token(""));
    }

    #[test]
    fn the_byte_trims_trim_as_str_trims() {
        for s in [
            "",
            "  a b  ",
            "\t\r\n\u{b}\u{c}x\u{b}\u{c}\r\n",
            "\u{a0} x \u{2003}",
            " \u{3000}\u{85}x\u{85} \u{2028}",
            "\u{e9}",
            " \u{e9} ",
            "\u{1f600}\t",
        ] {
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn request_lines_are_told_from_prose() {
        for (line, want) in [
            ("GET /me", true),
            ("  get  https://x/v1.0/me HTTP/1.1", true),
            ("OPTIONS {url}", true),
            ("\u{3000}POST /a", true),
            ("GET \u{2003}/x", true),
            ("GET", false),
            ("GET me", false),
            ("GET\t/me", false),
            ("GETTING /me", false),
            ("Request GET /me", false),
            ("The GET /me call", false),
            ("", false),
        ] {
            assert_eq!(looks_like_request_line(line), want, "{line:?}");
        }
    }

    #[test]
    fn schemes_are_compared_in_any_case_and_nothing_else_passes() {
        for url in [
            "https://a/b",
            "HTTPS://a/b",
            "hTtPs://a/b",
            "http://a/b",
            "HTTP://a/b",
        ] {
            assert_eq!(after_host(url), "/b", "{url}");
        }
        for url in [
            "https:/a/b",
            "http:/a/b",
            "https:\u{f}/a/b",
            "http\u{1a}//a/b",
            "hxxps://a/b",
            "https",
            "http",
            "https\u{e9}//a/b",
        ] {
            assert_eq!(after_host(url), url, "{url:?}");
        }
        // Every byte in place of each scheme byte: only the letters' other case passes.
        for scheme in ["https://", "http://"] {
            for at in 0..scheme.len() {
                for b in 0..=0x7fu8 {
                    let mut url = scheme.as_bytes().to_vec();
                    url[at] = b;
                    url.extend_from_slice(b"host/p");
                    let url = String::from_utf8(url).unwrap_or_default();
                    let want = strip_prefix_ignore_ascii_case(&url, scheme).is_some()
                        && (at > 0 || b.eq_ignore_ascii_case(&b'h'));
                    let https_too = scheme == "http://"
                        && strip_prefix_ignore_ascii_case(&url, "https://").is_some();
                    assert_eq!(after_host(&url) == "/p", want || https_too, "{url:?}");
                }
            }
        }
    }

    #[test]
    fn after_host_keeps_the_path_and_never_slices_a_character() {
        assert_eq!(
            after_host("https://graph.microsoft.com/v1.0/me?x=1"),
            "/v1.0/me?x=1"
        );
        assert_eq!(after_host("HTTP://host"), "");
        assert_eq!(after_host("/me"), "/me");
        let url = "https:\u{e9}//graph.microsoft.com/v1.0/me";
        assert_eq!(after_host(url), url);
    }

    #[test]
    fn request_with_headers_and_body() {
        let text =
            "POST https://x/v1.0/a HTTP/1.1\nContent-Type: application/json\n\n{\n  \"a\": 1,\n}\n";
        let m = parse(&Excerpt::contiguous(text.into(), 100)).unwrap();
        assert_eq!(m.method(), Some("POST"));
        assert_eq!(m.url(), Some("https://x/v1.0/a"));
        assert_eq!(m.line_span, 100..130);
        assert_eq!(m.headers[0].value, "application/json");
        let body = m.body.unwrap();
        assert_eq!(body.text(), "{\n  \"a\": 1,\n}");
        let err = &body.json().unwrap().errors[0];
        assert_eq!(body.to_page(&err.span), 173..174);
        assert!(m.errors.is_empty());
    }

    #[test]
    fn status_line_and_faults() {
        let m = parse(&Excerpt::contiguous(
            "HTTP/1.1 2O1 Created\nbad header\n{}".into(),
            0,
        ))
        .unwrap();
        assert_eq!(m.status(), Some(0));
        let messages: Vec<_> = m.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`2O1` is not a status code",
                "malformed header line `bad header`",
                "the body starts without a blank line after the headers"
            ]
        );
        assert_eq!(m.errors[0].span, 9..12);
    }

    #[test]
    fn a_start_line_cut_short_points_at_its_end() {
        // Found by the `http` fuzz target: a block of only a version or
        // only a word placed the missing code or URL one byte past the block.
        let m = parse(&Excerpt::contiguous("HTTP/1.1".into(), 10)).unwrap();
        let StartLine::Status { status_span, .. } = &m.start else {
            panic!("a status line: {m:?}");
        };
        assert_eq!(*status_span, 18..18);
        assert_eq!(m.errors[0].message, "`` is not a status code");
        assert_eq!(m.errors[0].span, 18..18);
        let m = parse(&Excerpt::contiguous("HTTP".into(), 10)).unwrap();
        let StartLine::Request { url_span, .. } = &m.start else {
            panic!("a request line: {m:?}");
        };
        assert_eq!(*url_span, 14..14);
        let m = parse(&Excerpt::contiguous("  GET".into(), 0)).unwrap();
        let StartLine::Request { url_span, .. } = &m.start else {
            panic!("a request line: {m:?}");
        };
        assert_eq!(*url_span, 5..5);
        assert_eq!(m.errors[0].message, "the request line has no URL");
        let m = parse(&Excerpt::contiguous("GET   /me".into(), 0)).unwrap();
        let StartLine::Request { url_span, .. } = &m.start else {
            panic!("a request line: {m:?}");
        };
        assert_eq!(*url_span, 6..9);
    }

    #[test]
    fn lowercase_method_is_reported() {
        let m = parse(&Excerpt::contiguous("get /me\n".into(), 0)).unwrap();
        assert_eq!(m.errors[0].message, "method `get` is not upper case");
        assert_eq!(m.method(), Some("GET"));
    }

    #[test]
    fn the_first_content_line_is_cut_as_lines_cuts_it() {
        for text in [
            "\n\n  GET /x\r\nA: b",
            "GET /x\n",
            "\r\nGET /x\r",
            "GET /x\r\r\n",
            " \n\t\n",
        ] {
            let expected = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(|first| (text.find(first).unwrap_or(0), first));
            assert_eq!(super::first_content_line(text), expected, "{text:?}");
        }
    }
}
