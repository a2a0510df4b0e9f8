//! `exemplar extract` output: one line an example (human) or the JSON
//! document of CONTRACT.md.

use std::io::{self, Write};
use std::sync::Arc;

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

use crate::example::Half;
use crate::http::{Message, StartLine};
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
    path: Arc<str>,
    format: crate::page::Format,
    locale: Option<String>,
    examples: usize,
    requests: usize,
    responses: usize,
    /// The page's example lines (human), or its entries of the `examples`
    /// array (JSON), already indented and separated.
    text: String,
    /// Why the page could not be read as it is, with its position.
    pub warning: Option<String>,
    /// A JSON entry that could not be serialised: the output fails with it.
    failed: Option<serde_json::Error>,
}

impl Rendered {
    /// Renders `page` in `style` (on the thread that read it) and drops it.
    pub fn new(page: Page, style: Style) -> Rendered {
        let mut text = String::new();
        // The JSON entries, as bytes until the page is done.
        let mut json = Vec::new();
        let mut failed = None;
        let mut requests = 0;
        let mut responses = 0;
        for example in &page.examples {
            requests += usize::from(example.request.is_some());
            responses += usize::from(example.response.is_some());
            match style {
                Style::Human => human_line(&page, example, &mut text),
                Style::Json => {
                    if !json.is_empty() {
                        json.extend_from_slice(b",\n");
                    }
                    let entry = ExampleEntry {
                        id: &example.id,
                        path: &page.path,
                        name: example.name.as_deref(),
                        index: example.index,
                        locale: page.locale.as_deref(),
                        request: example.request.as_ref().map(|h| half(&page, h)),
                        response: example.response.as_ref().map(|h| half(&page, h)),
                    };
                    if let Err(e) = pretty::element(&entry, 2, &mut json) {
                        failed.get_or_insert(e);
                    }
                }
            }
        }
        if style == Style::Json {
            text = pretty::text(json);
        }
        // Kept until every page is read: without the slack the entries'
        // doubling growth left (up to half), as the corpus's 10 MB adds up.
        text.shrink_to_fit();
        let warning = page.unreadable.as_ref().map(|(span, why)| {
            let at = page.position(span.start);
            format!("{}:{}:{}: {why}", page.path, at.line, at.column)
        });
        Rendered {
            examples: page.examples.len(),
            path: page.path,
            format: page.format,
            locale: page.locale,
            requests,
            responses,
            text,
            warning,
            failed,
        }
    }
}

fn human_line(page: &Page, example: &crate::example::Example, out: &mut String) {
    use std::fmt::Write as _;
    let line = page.line(example.start());
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
        None => out.push_str("(no request)"),
    }
    out.push_str(" -> ");
    match &example.response {
        Some(h) => {
            if let Some(status) = h.message.status() {
                let _ = write!(out, "{status}");
            }
        }
        None => out.push_str("(no response)"),
    }
    out.push('\n');
}

/// Writes the rendered pages as `extract --format human` prints them.
pub fn human(pages: &[Rendered], out: &mut dyn Write) -> io::Result<()> {
    let (mut examples, mut requests, mut responses) = (0, 0, 0);
    for page in pages {
        out.write_all(page.text.as_bytes())?;
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
    let summaries = pretty::elements(pages, 2, |page| PageEntry {
        path: &page.path,
        format: page.format,
        locale: page.locale.as_deref(),
        examples: page.examples,
    })?;
    out.write_all(b"{\n  \"version\": 1,\n  \"pages\": ")?;
    pretty::write_array(out, summaries.iter().map(String::as_str), 2)?;
    out.write_all(b",\n  \"examples\": ")?;
    pretty::write_array(out, pages.iter().map(|p| p.text.as_str()), 2)?;
    out.write_all(b"\n}\n")
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
    headers: Vec<(&'a str, &'a str)>,
    body: Option<&'a str>,
    annotation: Option<Tree<'a>>,
}

fn half<'a>(page: &'a Page, half: &'a Half) -> HalfEntry<'a> {
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
        line: page.line(m.line_span.start),
        method,
        url,
        status,
        reason,
        headers: m
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect(),
        body: m.body.as_ref().map(|b| b.text()),
        annotation: half
            .annotation
            .map(|a| Tree(page.annotations[a].json.root.as_ref().map(|n| &n.value))),
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
    use super::*;

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
