//! `exemplar extract` output: one line an example (human) or the JSON
//! document of CONTRACT.md.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::example::Half;
use crate::http::{Message, StartLine};
use crate::page::Page;

/// The two outputs of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Human,
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
}

impl Rendered {
    pub fn new(page: Page, style: Style) -> Rendered {
        let mut text = String::new();
        let mut requests = 0;
        let mut responses = 0;
        for example in &page.examples {
            requests += usize::from(example.request.is_some());
            responses += usize::from(example.response.is_some());
            match style {
                Style::Human => human_line(&page, example, &mut text),
                Style::Json => {
                    if !text.is_empty() {
                        text.push_str(",\n");
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
                    pretty_at(&entry, &mut text);
                }
            }
        }
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
/// print it: `{ "version", "pages": [...], "examples": [...] }`. The entries
/// were rendered page by page, in parallel ([`Rendered`]); only the frame is
/// written here.
pub fn json(pages: &[Rendered], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"{\n  \"version\": 1,\n  \"pages\": [")?;
    let mut entry = String::new();
    for (i, page) in pages.iter().enumerate() {
        entry.clear();
        let summary = PageEntry {
            path: &page.path,
            format: page.format,
            locale: page.locale.as_deref(),
            examples: page.examples,
        };
        pretty_at(&summary, &mut entry);
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        out.write_all(entry.as_bytes())?;
    }
    out.write_all(if pages.is_empty() { b"]" } else { b"\n  ]" })?;
    out.write_all(b",\n  \"examples\": [")?;
    let mut first = true;
    for page in pages.iter().filter(|p| !p.text.is_empty()) {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        out.write_all(page.text.as_bytes())?;
        first = false;
    }
    out.write_all(if first { b"]" } else { b"\n  ]" })?;
    out.write_all(b"\n}\n")
}

/// Pretty-prints `value` as an element of a top-level array of the
/// document (four spaces in), appending to `out`.
fn pretty_at(value: &impl Serialize, out: &mut String) {
    const INDENT: &str = "    ";
    // Serialising borrowed strings into memory cannot fail.
    let Ok(json) = serde_json::to_string_pretty(value) else {
        return;
    };
    out.reserve(json.len() + json.len() / 8);
    out.push_str(INDENT);
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', json.as_bytes()) {
        out.push_str(&json[from..=at]);
        out.push_str(INDENT);
        from = at + 1;
    }
    out.push_str(&json[from..]);
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
    annotation: Option<Value>,
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
        annotation: half.annotation.map(|a| page.annotations[a].value()),
    }
}
