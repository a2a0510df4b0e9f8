//! `exemplar extract` output: one line an example (human) or the JSON
//! document of CONTRACT.md.

use std::io::{self, Write};

use serde_json::{json, Value};

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

pub fn json(pages: &[Page], out: &mut dyn Write) -> io::Result<()> {
    let page_list: Vec<Value> = pages
        .iter()
        .map(|p| {
            json!({
                "path": &*p.path,
                "format": p.format,
                "locale": p.locale,
                "examples": p.examples.len(),
            })
        })
        .collect();
    let mut examples = Vec::new();
    for page in pages {
        for example in &page.examples {
            examples.push(json!({
                "id": example.id,
                "path": &*page.path,
                "name": example.name,
                "index": example.index,
                "locale": page.locale,
                "request": example.request.as_ref().map(|h| half(page, h)),
                "response": example.response.as_ref().map(|h| half(page, h)),
            }));
        }
    }
    let doc = json!({"version": 1, "pages": page_list, "examples": examples});
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn half(page: &Page, half: &Half) -> Value {
    let m: &Message = &half.message;
    let headers: Vec<Value> = m.headers.iter().map(|h| json!([h.name, h.value])).collect();
    let body = m.body.as_ref().map(|b| b.text());
    let annotation = half.annotation.map(|a| page.annotations[a].value());
    let line = page.line(m.line_span.start);
    match &m.start {
        StartLine::Request { method, url, .. } => json!({
            "line": line, "method": method, "url": url,
            "headers": headers, "body": body, "annotation": annotation,
        }),
        StartLine::Status { status, reason, .. } => json!({
            "line": line, "status": status, "reason": reason,
            "headers": headers, "body": body, "annotation": annotation,
        }),
    }
}
