//! `exemplar extract` output: one line an example (human) or the JSON
//! document of CONTRACT.md.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::example::Half;
use crate::http::{Message, StartLine};
use crate::page::Page;

pub fn human(pages: &[Page], out: &mut dyn Write) -> io::Result<()> {
    let mut examples = 0;
    let mut requests = 0;
    let mut responses = 0;
    for page in pages {
        for example in &page.examples {
            examples += 1;
            let line = page.line(example.start());
            let name = example.name.as_deref().unwrap_or("-");
            let request = example.request.as_ref().map(|h| {
                requests += 1;
                format!(
                    "{} {}",
                    h.message.method().unwrap_or(""),
                    h.message.url().unwrap_or("")
                )
            });
            let status = example.response.as_ref().map(|h| {
                responses += 1;
                h.message
                    .status()
                    .map_or_else(String::new, |s| s.to_string())
            });
            writeln!(
                out,
                "{}:{}  {}  {} -> {}",
                page.path,
                line,
                name,
                request.as_deref().unwrap_or("(no request)"),
                status.as_deref().unwrap_or("(no response)")
            )?;
        }
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

/// The document of CONTRACT.md, serialised straight from borrowed page data
/// (no intermediate `serde_json::Value` tree: the corpus has 3,000+ bodies).
pub fn json(pages: &[Page], out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        version: 1,
        pages: pages
            .iter()
            .map(|p| PageEntry {
                path: &p.path,
                format: p.format,
                locale: p.locale.as_deref(),
                examples: p.examples.len(),
            })
            .collect(),
        examples: pages
            .iter()
            .flat_map(|page| {
                page.examples.iter().map(move |example| ExampleEntry {
                    id: &example.id,
                    path: &page.path,
                    name: example.name.as_deref(),
                    index: example.index,
                    locale: page.locale.as_deref(),
                    request: example.request.as_ref().map(|h| half(page, h)),
                    response: example.response.as_ref().map(|h| half(page, h)),
                })
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    pages: Vec<PageEntry<'a>>,
    examples: Vec<ExampleEntry<'a>>,
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
