//! `exemplar extract` output: one line an example (human) or the JSON
//! document of CONTRACT.md.

use std::cell::RefCell;
use std::io::{self, Write};

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

use crate::example::Half;
use crate::http::{Message, StartLine};
use crate::line_index::LineCounter;
use crate::page::Page;

use super::pretty;

/// The two outputs of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `extract --format human`.
    Human,
    /// `extract --format json`.
    Json,
}

/// One page as `extract` prints it, rendered on the thread that read the
/// page so that the page itself is dropped there: its memory is reused for
/// the next page instead of growing with the corpus (27 MB), and no core
/// waits for a long serial printing pass at the end.
#[derive(Debug)]
pub struct Rendered {
    examples: usize,
    requests: usize,
    responses: usize,
    /// The page's example lines (human), or its entry of the `pages` array
    /// and then its entries of the `examples` array (JSON), already
    /// indented and separated. Bytes (UTF-8), as they are written out: not
    /// validated again as text.
    text: Vec<u8>,
    /// Where the example lines or entries start in `text`: after the page's
    /// entry (JSON), written with them into the one allocation that is kept.
    examples_at: usize,
    /// Why the page could not be read as it is, with its position.
    pub warning: Option<String>,
    /// A JSON entry that could not be serialised: the output fails with it.
    failed: Option<serde_json::Error>,
}

impl Rendered {
    /// Renders `page` in `style` (on the thread that read it) and drops it.
    pub fn new(page: Page, style: Style) -> Rendered {
        // The page's lines or entries are written into this thread's room,
        // which keeps its size from page to page, and copied out once into
        // an exact allocation: they are kept until every page is read, and
        // a list grown for each page (doubling, then copied into an exact
        // block to shed the slack of up to half) moved every byte twice
        // more (6.9 M instructions on the corpus, callgrind).
        thread_local! {
            static ROOM: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        let (text, examples_at, failed) = ROOM.with_borrow_mut(|room| {
            room.clear();
            if style == Style::Json {
                write::page(&page_entry(&page), room);
            }
            let examples_at = room.len();
            let failed = render(&page, style, room);
            let text = room.to_vec();
            // A huge page's room is not kept for the pages after it.
            if room.capacity() > ROOM_KEPT {
                *room = Vec::new();
            }
            (text, examples_at, failed)
        });
        let requests = page.examples.iter().filter(|e| e.request.is_some()).count();
        let responses = page
            .examples
            .iter()
            .filter(|e| e.response.is_some())
            .count();
        let warning = page.unreadable.as_ref().map(|(span, why)| {
            let at = page.position(span.start);
            format!("{}:{}:{}: {why}", page.path, at.line, at.column)
        });
        Rendered {
            examples: page.examples.len(),
            requests,
            responses,
            text,
            examples_at,
            warning,
            failed,
        }
    }
}

/// The room [`Rendered::new`] keeps for the next page: more than any page
/// of the corpus renders to (the largest, some 80 KB).
const ROOM_KEPT: usize = 1 << 20;

/// Appends `page`'s example lines (human) or its entries of the `examples`
/// array (JSON), already indented and separated, to `out`; the first entry
/// that could not be serialised, if one could not.
fn render(page: &Page, style: Style, out: &mut Vec<u8>) -> Option<serde_json::Error> {
    let mut failed = None;
    // Examples come in page order: their lines are counted on from the
    // previous one's, not looked up in an index of the whole page.
    let mut lines = LineCounter::new(&page.text);
    for (i, example) in page.examples.iter().enumerate() {
        match style {
            Style::Human => human_line(page, example, &mut lines, out),
            Style::Json => {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                let entry = example_entry(page, example, &mut lines);
                if let Err(e) = write::entry(&entry, out) {
                    failed.get_or_insert(e);
                }
            }
        }
    }
    failed
}

fn human_line(
    page: &Page,
    example: &crate::example::Example,
    lines: &mut LineCounter,
    out: &mut Vec<u8>,
) {
    // Writing into a `Vec` cannot fail.
    let line = lines.line(example.start());
    let name = example.name.as_deref().unwrap_or("-");
    let _ = write!(out, "{}:{line}  {name}  ", page.path);
    match &example.request {
        Some(h) => {
            let _ = write!(
                out,
                "{} {}",
                h.message.method().unwrap_or(""),
                h.message.url().unwrap_or("")
            );
        }
        None => out.extend_from_slice(b"(no request)"),
    }
    out.extend_from_slice(b" -> ");
    match &example.response {
        Some(h) => {
            if let Some(status) = h.message.status() {
                let _ = write!(out, "{status}");
            }
        }
        None => out.extend_from_slice(b"(no response)"),
    }
    out.push(b'\n');
}

/// Writes the rendered pages as `extract --format human` prints them.
pub fn human(pages: &[Rendered], out: &mut dyn Write) -> io::Result<()> {
    let (mut examples, mut requests, mut responses) = (0, 0, 0);
    for page in pages {
        out.write_all(page.examples_text())?;
        examples += page.examples;
        requests += page.requests;
        responses += page.responses;
    }
    writeln!(
        out,
        "{examples} example{} ({requests} request{}, {responses} response{}) in {} page{}",
        plural(examples),
        plural(requests),
        plural(responses),
        pages.len(),
        plural(pages.len())
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The document of CONTRACT.md, as `serde_json::to_writer_pretty` would
/// print it: `{ "version", "pages": [...], "examples": [...] }`. The example
/// entries were rendered page by page, in parallel ([`Rendered`]).
pub fn json(pages: &[Rendered], out: &mut dyn Write) -> io::Result<()> {
    if let Some(e) = pages.iter().find_map(|p| p.failed.as_ref()) {
        return Err(io::Error::other(e.to_string()));
    }
    out.write_all(b"{\n  \"version\": 1,\n  \"pages\": ")?;
    pretty::write_array(out, pages.iter().map(|p| &p.text[..p.examples_at]), 2)?;
    out.write_all(b",\n  \"examples\": ")?;
    pretty::write_array(out, pages.iter().map(Rendered::examples_text), 2)?;
    out.write_all(b"\n}\n")
}

impl Rendered {
    /// The page's example lines or entries, without its page entry.
    fn examples_text(&self) -> &[u8] {
        &self.text[self.examples_at..]
    }
}

/// A page's entry of the `pages` array.
fn page_entry(page: &Page) -> PageEntry<'_> {
    PageEntry {
        path: &page.path,
        format: page.format,
        locale: page.locale.as_deref(),
        examples: page.examples.len(),
    }
}

#[derive(Serialize)]
struct PageEntry<'a> {
    path: &'a str,
    format: crate::page::Format,
    locale: Option<&'a str>,
    examples: usize,
}

#[derive(Serialize)]
struct ExampleEntry<'a> {
    id: &'a str,
    path: &'a str,
    name: Option<&'a str>,
    index: usize,
    locale: Option<&'a str>,
    request: Option<HalfEntry<'a>>,
    response: Option<HalfEntry<'a>>,
}

/// A request (`method`, `url`) or a response (`status`, `reason`).
#[derive(Serialize)]
struct HalfEntry<'a> {
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    headers: Headers<'a>,
    body: Option<&'a str>,
    annotation: Option<Tree<'a>>,
}

/// A message's headers, each `[name, value]`: the message's own list, not
/// a list of pairs made for each half (an allocation a half).
struct Headers<'a>(&'a [crate::http::Header]);

impl Serialize for Headers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|h| (h.name.as_str(), h.value.as_str())))
    }
}

/// One example's entry; its lines counted on by `lines`.
fn example_entry<'a>(
    page: &'a Page,
    example: &'a crate::example::Example,
    lines: &mut LineCounter,
) -> ExampleEntry<'a> {
    let request = example.request.as_ref().map(|h| half(page, h, lines));
    let response = example.response.as_ref().map(|h| half(page, h, lines));
    ExampleEntry {
        id: &example.id,
        path: &page.path,
        name: example.name.as_deref(),
        index: example.index,
        locale: page.locale.as_deref(),
        request,
        response,
    }
}

fn half<'a>(page: &'a Page, half: &'a Half, lines: &mut LineCounter) -> HalfEntry<'a> {
    let m: &Message = &half.message;
    let (method, url, status, reason) = match &m.start {
        StartLine::Request { method, url, .. } => {
            (Some(method.as_str()), Some(url.as_str()), None, None)
        }
        StartLine::Status { status, reason, .. } => {
            (None, None, Some(*status), Some(reason.as_str()))
        }
    };
    HalfEntry {
        line: lines.line(m.line_span.start),
        method,
        url,
        status,
        reason,
        headers: Headers(&m.headers),
        body: m.body.as_ref().map(|b| b.text()),
        annotation: half
            .annotation
            .map(|a| Tree(page.annotations[a].json.root.as_ref().map(|n| &n.value))),
    }
}

/// An example's entry written as serde_json's pretty printer writes
/// [`ExampleEntry`] (its `Serialize` is the definition; the test
/// `an_entry_is_written_as_serde_json_prints_it` holds the bytes equal).
///
/// Why by hand: serde_json escapes a string a byte at a time
/// (`format_escaped_str`, not a formatter hook), which was 107 M of
/// `extract`'s 1,017 M instructions on the corpus, for the bodies mostly.
/// The report's string writer ([`pretty::string`], a word at a time)
/// writes the strings, of the annotations' trees too ([`Tree`]'s
/// `Serialize` is theirs' definition).
mod write {
    use super::{has_duplicate_key, pretty, ExampleEntry, HalfEntry, PageEntry, Tree};
    use crate::json::Value;
    use crate::page::Format;
    use crate::report::pretty::{number, optional, string};

    /// `,` after the previous field (unless `first`), a line break, the
    /// indentation (`in 2`: two levels deep, `in 3`: three) and the key, as
    /// one literal: one fixed-size copy a key, where the pieces were four
    /// copies of their own, the key's a `memcpy` call.
    macro_rules! key {
        (first, in 2, $name:literal) => {
            concat!("\n      \"", $name, "\": ").as_bytes()
        };
        (in 2, $name:literal) => {
            concat!(",\n      \"", $name, "\": ").as_bytes()
        };
        (first, in 3, $name:literal) => {
            concat!("\n        \"", $name, "\": ").as_bytes()
        };
        (in 3, $name:literal) => {
            concat!(",\n        \"", $name, "\": ").as_bytes()
        };
    }

    /// Appends a page's summary as an element two levels deep, as
    /// `pretty::element(e, 2, out)`.
    pub(super) fn page(e: &PageEntry, out: &mut Vec<u8>) {
        // The keys, the layout and the longest format and locale: one
        // allocation, not one growth after another.
        out.reserve(e.path.len() + 128);
        out.extend_from_slice(b"    {");
        out.extend_from_slice(key!(first, in 2, "path"));
        string(out, e.path);
        out.extend_from_slice(key!(in 2, "format"));
        string(
            out,
            match e.format {
                Format::Markdown => "markdown",
                Format::Rendered => "rendered",
            },
        );
        out.extend_from_slice(key!(in 2, "locale"));
        optional(out, e.locale);
        out.extend_from_slice(key!(in 2, "examples"));
        number(out, e.examples);
        out.extend_from_slice(b"\n    }");
    }

    /// Appends `e` as an element two levels deep (`pretty::element(e, 2,
    /// out)`); on an error, nothing.
    pub(super) fn entry(e: &ExampleEntry, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let before = out.len();
        out.extend_from_slice(b"    {");
        out.extend_from_slice(key!(first, in 2, "id"));
        string(out, e.id);
        out.extend_from_slice(key!(in 2, "path"));
        string(out, e.path);
        out.extend_from_slice(key!(in 2, "name"));
        optional(out, e.name);
        out.extend_from_slice(key!(in 2, "index"));
        number(out, e.index);
        out.extend_from_slice(key!(in 2, "locale"));
        optional(out, e.locale);
        for (key, h) in [
            (key!(in 2, "request"), &e.request),
            (key!(in 2, "response"), &e.response),
        ] {
            out.extend_from_slice(key);
            match h {
                Some(h) => {
                    if let Err(error) = half(h, out) {
                        out.truncate(before);
                        return Err(error);
                    }
                }
                None => out.extend_from_slice(b"null"),
            }
        }
        out.extend_from_slice(b"\n    }");
        Ok(())
    }

    /// A request's or response's object, three levels deep, from its `{`.
    fn half(h: &HalfEntry, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        out.extend_from_slice(key!(first, in 3, "line"));
        number(out, h.line);
        if let Some(method) = h.method {
            out.extend_from_slice(key!(in 3, "method"));
            string(out, method);
        }
        if let Some(url) = h.url {
            out.extend_from_slice(key!(in 3, "url"));
            string(out, url);
        }
        if let Some(status) = h.status {
            out.extend_from_slice(key!(in 3, "status"));
            number(out, usize::from(status));
        }
        if let Some(reason) = h.reason {
            out.extend_from_slice(key!(in 3, "reason"));
            string(out, reason);
        }
        out.extend_from_slice(key!(in 3, "headers"));
        if h.headers.0.is_empty() {
            out.extend_from_slice(b"[]");
        } else {
            out.push(b'[');
            for (i, header) in h.headers.0.iter().enumerate() {
                let (name, value) = (&header.name, &header.value);
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                out.extend_from_slice(b"          [\n            ");
                string(out, name);
                out.extend_from_slice(b",\n            ");
                string(out, value);
                out.extend_from_slice(b"\n          ]");
            }
            out.extend_from_slice(b"\n        ]");
        }
        out.extend_from_slice(key!(in 3, "body"));
        optional(out, h.body);
        out.extend_from_slice(key!(in 3, "annotation"));
        match &h.annotation {
            Some(tree) => self::tree(tree.0, 4, out)?,
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b"\n      }");
        Ok(())
    }

    /// An annotation's tree `depth` levels deep, from the cursor, as
    /// `pretty::nested(&Tree(value), depth, out)` writes it: numbers and
    /// objects with a repeated key (rare) through it, the rest here.
    pub(super) fn tree(
        value: Option<&Value>,
        depth: usize,
        out: &mut Vec<u8>,
    ) -> serde_json::Result<()> {
        match value {
            None | Some(Value::Null) => out.extend_from_slice(b"null"),
            Some(Value::Bool(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Some(Value::String(s) | Value::Invalid(s)) => string(out, s),
            Some(Value::Array(items)) if items.is_empty() => out.extend_from_slice(b"[]"),
            Some(Value::Array(items)) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    line(out, i == 0, depth + 1);
                    tree(Some(&item.value), depth + 1, out)?;
                }
                line(out, true, depth);
                out.push(b']');
            }
            Some(Value::Object(members)) if members.is_empty() => out.extend_from_slice(b"{}"),
            Some(Value::Object(members)) if !has_duplicate_key(members) => {
                out.push(b'{');
                for (i, m) in members.iter().enumerate() {
                    line(out, i == 0, depth + 1);
                    string(out, &m.key);
                    out.extend_from_slice(b": ");
                    tree(Some(&m.value.value), depth + 1, out)?;
                }
                line(out, true, depth);
                out.push(b'}');
            }
            Some(other) => pretty::nested(&Tree(Some(other)), depth, out)?,
        }
        Ok(())
    }

    /// A line break (after a `,` unless `first`) and `depth` indentations:
    /// up to [`DEEPEST`] levels one fixed-size copy cut to its length (an
    /// annotation's members are five and six levels deep), where a push of
    /// each indentation was some ten instructions a level.
    fn line(out: &mut Vec<u8>, first: bool, depth: usize) {
        const FIRST: [u8; BREAK] = spaces_after(b"\n");
        const NEXT: [u8; BREAK] = spaces_after(b",\n");
        let (piece, len) = if first { (&FIRST, 1) } else { (&NEXT, 2) };
        if depth <= DEEPEST {
            let at = out.len();
            out.extend_from_slice(piece);
            out.truncate(at + len + 2 * depth);
            return;
        }
        out.extend_from_slice(&piece[..len]);
        for _ in 0..depth {
            out.extend_from_slice(b"  ");
        }
    }

    /// The depth to which [`line`] writes a line break as one copy.
    const DEEPEST: usize = 8;

    /// The bytes of a line break and its indentation at [`DEEPEST`].
    const BREAK: usize = 2 + 2 * DEEPEST;

    /// `start` followed by spaces.
    const fn spaces_after(start: &[u8]) -> [u8; BREAK] {
        let mut piece = [b' '; BREAK];
        let mut i = 0;
        while i < start.len() {
            piece[i] = start[i];
            i += 1;
        }
        piece
    }
}

/// An annotation's JSON printed as the `serde_json::Value` of
/// [`crate::json::Value::to_serde`] prints (the old `Annotation::value`),
/// but straight from the parsed tree: no `Value`, no copied key or string
/// per annotation. `None` (nothing parsed) prints `null`, as `value()` does.
struct Tree<'a>(Option<&'a crate::json::Value>);

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::json::Value as V;
        let Some(value) = self.0 else {
            return serializer.serialize_unit();
        };
        match value {
            V::Null => serializer.serialize_unit(),
            V::Bool(b) => serializer.serialize_bool(*b),
            // The number `to_serde` makes: the text as serde_json reads it,
            // else the value, else (not finite) null.
            V::Number(raw, n) => match serde_json::from_str::<serde_json::Number>(raw)
                .ok()
                .or_else(|| serde_json::Number::from_f64(*n))
            {
                Some(number) => number.serialize(serializer),
                None => serializer.serialize_unit(),
            },
            V::String(s) | V::Invalid(s) => serializer.serialize_str(s),
            V::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Tree(Some(&item.value)))?;
                }
                seq.end()
            }
            // A key written twice is one entry of the map `to_serde` builds
            // (first place, last value): that rare object goes through it.
            V::Object(members) if has_duplicate_key(members) => {
                value.to_serde().serialize(serializer)
            }
            V::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for m in members {
                    map.serialize_entry(m.key.as_str(), &Tree(Some(&m.value.value)))?;
                }
                map.end()
            }
        }
    }
}

/// Whether two members share a key: pairwise for the usual few members, a
/// set beyond.
fn has_duplicate_key(members: &[crate::json::Member]) -> bool {
    if members.len() <= 16 {
        return members
            .iter()
            .enumerate()
            .any(|(i, m)| members[..i].iter().any(|o| o.key == m.key));
    }
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    !members.iter().all(|m| seen.insert(m.key.as_str()))
}

/// A page's examples, one line each: index, name, the request line and the
/// status with their lines (`#0 create | POST /x (line 12) -> 201 (line 20)`),
/// as the fixture tests pin extraction.
pub fn outline(page: &Page) -> String {
    let mut out = String::new();
    for e in &page.examples {
        let request = e.request.as_ref().map(|h| {
            format!(
                "{} {} (line {})",
                h.message.method().unwrap_or(""),
                h.message.url().unwrap_or(""),
                page.line(h.message.line_span.start)
            )
        });
        let response = e.response.as_ref().map(|h| {
            format!(
                "{} (line {})",
                h.message.status().unwrap_or(0),
                page.line(h.message.line_span.start)
            )
        });
        out.push_str(&format!(
            "#{} {} | {} -> {}\n",
            e.index,
            e.name.as_deref().unwrap_or("-"),
            request.as_deref().unwrap_or("(none)"),
            response.as_deref().unwrap_or("(none)")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// Every example of every fixture page (and a page of awkward ones:
    /// escapes, control characters, headers, no body, annotations of every
    /// shape) is written byte for byte as serde_json prints its
    /// `ExampleEntry`, with the line numbers of the page's index.
    #[test]
    fn an_entry_is_written_as_serde_json_prints_it() {
        let mut pages = Vec::new();
        let awkward = "# T\n\n<!-- {\"blockType\": \"request\", \"name\": \"a\\\"b\", \"n\": [1.50, {}, []]} -->\n\
            ```http\nPOST https://graph.microsoft.com/v1.0/me/x?a=\"b\"\\c\nContent-Type: application/json\nX-E: \u{1}\u{7f}é\n\n\
            {\"a\": \"\\u0001\\t\", \"b\": \"\u{8}\u{c}\"}\n```\n\n<!-- {\"blockType\": \"response\", \"k\": 1, \"k\": 2} -->\n\
            ```http\nHTTP/1.1 204 No Content\n```\n\n\
            <!-- {\"blockType\": \"response\"} -->\n```http\nHTTP/1.1 200 OK\n\n\"\\u0000\tx\r\"\n```\n";
        pages.push(Page::from_text(
            Arc::from("awk\"ward.md"),
            awkward.to_owned(),
            Some("en-us".into()),
        ));
        let mut dirs = vec![std::path::PathBuf::from("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let name = Arc::from(path.to_string_lossy().as_ref());
                    pages.push(Page::from_text(name, text, None));
                }
            }
        }
        let mut examples = 0;
        for page in &pages {
            let mut lines = LineCounter::new(&page.text);
            for example in &page.examples {
                let entry = |lines: &mut LineCounter| example_entry(page, example, lines);
                let mut got = Vec::new();
                write::entry(&entry(&mut lines), &mut got).unwrap();
                let expected = entry(&mut LineCounter::new(&page.text));
                for (h, e) in [
                    (&expected.request, &example.request),
                    (&expected.response, &example.response),
                ] {
                    if let (Some(h), Some(e)) = (h, e) {
                        assert_eq!(h.line, page.line(e.message.line_span.start));
                    }
                }
                let mut want = Vec::new();
                pretty::element(&expected, 2, &mut want).unwrap();
                assert_eq!(pretty::text(got), pretty::text(want), "{}", page.path);
                examples += 1;
            }
        }
        for page in pages.iter().take(40) {
            for (format, locale) in [
                (crate::page::Format::Markdown, page.locale.as_deref()),
                (crate::page::Format::Rendered, Some("zh-\"cn")),
            ] {
                let entry = PageEntry {
                    path: &page.path,
                    format,
                    locale,
                    examples: page.examples.len(),
                };
                let mut got = Vec::new();
                write::page(&entry, &mut got);
                let mut want = Vec::new();
                pretty::element(&entry, 2, &mut want).unwrap();
                assert_eq!(pretty::text(got), pretty::text(want));
            }
        }
        assert!(
            pages[0].examples.len() >= 2,
            "{:?}",
            pages[0].examples.len()
        );
        assert!(examples > 50, "{examples}");
    }

    /// A page rendered after others on the same thread (after one whose
    /// room outgrew what is kept, and before one with no example) is
    /// rendered as it is alone (in JSON its page entry first), into an
    /// exact allocation.
    #[test]
    fn pages_rendered_one_after_another_are_rendered_alone() {
        let small = "# S\n\n<!-- {\"blockType\": \"request\", \"name\": \"s\"} -->\n\
            ```http\nGET https://x/y\n```\n";
        let big: String = (0..3000)
            .map(|i| {
                format!(
                    "<!-- {{\"blockType\": \"request\", \"name\": \"n{i}\"}} -->\n\
                    ```http\nPOST https://x/{i}\n\n{{\"a\": \"{}\"}}\n```\n\n",
                    "v\"".repeat(150)
                )
            })
            .collect();
        for style in [Style::Json, Style::Human] {
            for text in [small, &big, small, "# None\n", small] {
                let page = Page::from_text(Arc::from("p.md"), text.to_owned(), None);
                let mut alone = Vec::new();
                if style == Style::Json {
                    write::page(&page_entry(&page), &mut alone);
                }
                let examples_at = alone.len();
                assert!(render(&page, style, &mut alone).is_none());
                let rendered = Rendered::new(page, style);
                assert_eq!(rendered.text, alone);
                assert_eq!(rendered.examples_at, examples_at);
                assert_eq!(rendered.text.capacity(), rendered.text.len());
            }
        }
        let page = Page::from_text(Arc::from("p.md"), big, None);
        let mut alone = Vec::new();
        render(&page, Style::Json, &mut alone);
        assert!(alone.len() > ROOM_KEPT, "{}", alone.len());
    }

    /// The tree prints the bytes of the `serde_json::Value` it replaces:
    /// numbers as serde_json reads their text (or null past `f64`), keys
    /// written twice (first place, last value), invalid pieces as strings,
    /// nesting and empty containers, in the nested layout of `extract`.
    #[test]
    fn an_annotation_tree_prints_as_its_serde_json_value() {
        let texts = [
            r#"{"blockType": "request", "name": "a\"b\n", "n": [1.50, -0, 1e3, 12345678901234567890, 1e400]}"#,
            r#"{"a": 1, "b": {"c": [], "d": {}}, "a": [true, false, null]}"#,
            r#"{"x": ..., "y": <id>, "z": "é\u0001"}"#,
            r#"[{"k": 1, "k": 2, "k": 3}, "s", 0.1]"#,
            r#"{"a": {"b": [1, {"c": "d\t"}], "e": []}, "f": [[], [true, {}]], "g": {"h": null}}"#,
            "",
        ];
        for text in texts {
            let parsed = crate::json::parse(text);
            let value = parsed
                .root
                .as_ref()
                .map_or(serde_json::Value::Null, |n| n.value.to_serde());
            let tree = Tree(parsed.root.as_ref().map(|n| &n.value));
            for depth in 0..3 {
                let mut expected = Vec::new();
                pretty::element(&value, depth, &mut expected).unwrap();
                let mut got = Vec::new();
                pretty::element(&tree, depth, &mut got).unwrap();
                let mut by_hand = Vec::new();
                write::tree(tree.0, depth, &mut by_hand).unwrap();
                let mut nested = Vec::new();
                pretty::nested(&tree, depth, &mut nested).unwrap();
                assert_eq!(pretty::text(by_hand), pretty::text(nested), "{text}");
                let (expected, got) = (pretty::text(expected), pretty::text(got));
                assert_eq!(got, expected, "{text}");
            }
            assert_eq!(
                serde_json::to_string_pretty(&tree).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
        let many: String = (0..40).map(|i| format!("\"k{}\": {i},", i % 39)).collect();
        let text = format!("{{{}\"end\": 0}}", many);
        let parsed = crate::json::parse(&text);
        let root = &parsed.root.as_ref().unwrap().value;
        assert_eq!(
            serde_json::to_string_pretty(&Tree(Some(root))).unwrap(),
            serde_json::to_string_pretty(&root.to_serde()).unwrap()
        );
    }
}
