//! `exemplar extract` output: one line an example (human) or the JSON
//! document of CONTRACT.md.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

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
        let mut failed = None;
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
                    if let Err(e) = pretty::element(&entry, 2, &mut text) {
                        failed.get_or_insert(e);
                    }
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
