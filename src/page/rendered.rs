//! Rendered plain-text pages: the text a reader copies from the published
//! site, with no annotations and no fences. Headings are lines on their own
//! that the language tables know; an example is a request line after a
//! "Request" heading or a status line after a "Response" heading, and runs to
//! the next heading or prose line (a JSON body runs until its brackets close).

use std::ops::Range;

use super::sections::{classify, SectionKind, Sections};
use super::Page;
use crate::example::{self, Half, Layout};
use crate::excerpt::Excerpt;
use crate::http;

/// No front matter, no fences, no comments, but a request or status line.
pub(super) fn is_rendered(text: &str) -> bool {
    let b = text.as_bytes();
    if text.starts_with("---")
        || memchr::memmem::find(b, b"```").is_some()
        || memchr::memmem::find(b, b"~~~").is_some()
        || memchr::memmem::find(b, b"<!--").is_some()
    {
        return false;
    }
    text.lines().any(|l| {
        http::looks_like_request_line(l)
            || (http::looks_like_status_line(l)
                && l.trim_start()
                    .split(' ')
                    .nth(1)
                    .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit())))
    })
}

struct Line {
    range: Range<usize>,
    blank: bool,
}

pub(super) fn read(page: &mut Page) -> Sections {
    let text = page.text.as_str();
    let words: Vec<_> = crate::lang::words::candidates(page.locale.as_deref()).collect();
    let mut lines = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let content = raw.trim_end_matches(['\n', '\r']);
        lines.push(Line {
            range: at..at + content.len(),
            blank: content.trim().is_empty(),
        });
        at += raw.len();
    }

    // Headings: a known heading on a line of its own after a blank line.
    let mut headings: Vec<(u8, SectionKind, Range<usize>)> = Vec::new();
    let mut heading_lines = vec![false; lines.len()];
    let mut in_examples = false;
    for (i, line) in lines.iter().enumerate() {
        if line.blank || (i > 0 && !lines[i - 1].blank) {
            continue;
        }
        let content = &text[line.range.clone()];
        if content.chars().count() > 80 {
            continue;
        }
        let kind = classify(content, None, &words);
        let level = match kind {
            SectionKind::Other => continue,
            SectionKind::Examples => {
                in_examples = true;
                2
            }
            SectionKind::Example => 3,
            SectionKind::ExampleRequest | SectionKind::Response if in_examples => 4,
            // "Request" before Examples is no heading of this page shape.
            SectionKind::ExampleRequest => continue,
            _ => 2,
        };
        heading_lines[i] = true;
        headings.push((level, kind, line.range.clone()));
    }
    let sections = Sections::from_headings(headings, text.len());

    let mut halves = Vec::new();
    let mut templates = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let content = &text[line.range.clone()];
        let is_request = http::looks_like_request_line(content);
        let is_status = http::looks_like_status_line(content);
        if !(is_request || is_status) || line.blank {
            i += 1;
            continue;
        }
        if sections.contains(SectionKind::HttpRequest, line.range.start) {
            if is_request {
                let excerpt = Excerpt::contiguous(content.to_owned(), line.range.start);
                templates.extend(super::markdown::template_lines(&excerpt));
            }
            i += 1;
            continue;
        }
        let in_example = sections.contains(SectionKind::ExampleRequest, line.range.start)
            || sections.contains(SectionKind::ExampleResponse, line.range.start)
            || sections.contains(SectionKind::Examples, line.range.start);
        if !in_example {
            i += 1;
            continue;
        }
        let end = message_end(text, &lines, &heading_lines, i);
        let range = line.range.start..lines[end - 1].range.end;
        let excerpt = Excerpt::contiguous(text[range.clone()].to_owned(), range.start);
        if let Some(message) = http::parse(&excerpt) {
            halves.push(Half {
                message,
                annotation: None,
                names: Vec::new(),
                truncated: false,
                ignored: false,
                layout: Layout::default(),
            });
        }
        i = end;
    }
    page.examples = example::pair(&page.path, &page.text, halves);
    page.templates = templates;
    sections
}

/// The line after the last line of the message starting at line `start`:
/// header lines, one blank line, then a body. A JSON body runs until its
/// brackets balance; any other body runs to the next blank line.
fn message_end(text: &str, lines: &[Line], heading: &[bool], start: usize) -> usize {
    let mut i = start + 1;
    while i < lines.len() && !lines[i].blank && !heading[i] {
        let content = text[lines[i].range.clone()].trim_start();
        if content.starts_with(['{', '[']) {
            break;
        }
        i += 1;
    }
    // Blank lines before the body.
    let mut j = i;
    while j < lines.len() && lines[j].blank {
        j += 1;
    }
    if j >= lines.len() || heading[j] {
        return i;
    }
    let first = text[lines[j].range.clone()].trim_start();
    if first.starts_with(['{', '[']) {
        let mut depth: i64 = 0;
        let mut in_string = false;
        let mut k = j;
        while k < lines.len() {
            if heading[k] {
                return k;
            }
            let mut escaped = false;
            for b in text[lines[k].range.clone()].bytes() {
                match (in_string, b) {
                    (true, b'\\') if !escaped => {
                        escaped = true;
                        continue;
                    }
                    (true, b'"') if !escaped => in_string = false,
                    (false, b'"') => in_string = true,
                    (false, b'{' | b'[') => depth += 1,
                    (false, b'}' | b']') => depth -= 1,
                    _ => {}
                }
                escaped = false;
            }
            // A string never runs across lines in JSON.
            in_string = false;
            k += 1;
            if depth <= 0 {
                return k;
            }
        }
        return k;
    }
    // A non-JSON body, or prose: a prose line ends the message.
    if looks_like_prose(&text[lines[j].range.clone()]) {
        return i;
    }
    let mut k = j;
    while k < lines.len() && !lines[k].blank && !heading[k] {
        k += 1;
    }
    k
}

fn looks_like_prose(line: &str) -> bool {
    let line = line.trim();
    line.split_whitespace().count() > 4
        && (line.ends_with('.') || line.ends_with('。') || line.ends_with(':'))
}
