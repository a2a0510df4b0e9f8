//! The HTTP message parser on a code block's content, read as an
//! unannotated block, as a request and as a response.
#![no_main]

use exemplar::excerpt::Excerpt;
use exemplar::harness::span_problem;
use exemplar::http::{self, Message, StartLine};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, message: &Message) {
    let mut spans = vec![message.line_span.clone()];
    match &message.start {
        StartLine::Request {
            method_span,
            url_span,
            ..
        } => spans.extend([method_span.clone(), url_span.clone()]),
        StartLine::Status { status_span, .. } => spans.push(status_span.clone()),
    }
    for h in &message.headers {
        spans.extend([h.span.clone(), h.value_span.clone()]);
    }
    spans.extend(message.errors.iter().map(|e| e.span.clone()));
    for span in spans {
        assert_eq!(span_problem(text, &span), None, "{message:#?}");
    }
    if let Some(body) = &message.body {
        if let Some(json) = body.json() {
            for e in &json.errors {
                assert_eq!(span_problem(body.text(), &e.span), None, "{e:?}");
            }
        }
        // The body is the block's text from where it starts.
        let start = body.to_page(&(0..0)).start;
        assert!(text[start..].starts_with(body.text()) || body.text().is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let block = Excerpt::contiguous(text.to_owned(), 0);
    if let Some(m) = http::parse(&block) {
        check(text, &m);
    }
    for request in [true, false] {
        if let Some(m) = http::parse_expecting(&block, request) {
            check(text, &m);
        }
    }
});
