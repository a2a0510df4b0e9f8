//! The mock's request handling: a mock built from the page before the
//! first `====` line, then asked each request after it (requests apart by
//! `----` lines; each is `METHOD TARGET`, header lines, a blank line and a
//! body), in order, so that creates, reads, updates and deletes meet.
//! No sockets: the handler the server calls is called directly.
#![no_main]

use exemplar::harness::{read_page, MockService};
use exemplar::page::Depth;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (page, requests) = text.split_once("\n====\n").unwrap_or(("", &text));
    let page = read_page("fuzz.md", page.as_bytes(), Depth::Full);
    let mock = MockService::build(std::slice::from_ref(&page));
    for request in requests.split("\n----\n") {
        let (head, body) = request.split_once("\n\n").unwrap_or((request, ""));
        let mut lines = head.lines();
        let Some((method, target)) = lines.next().and_then(|l| l.split_once(' ')) else {
            continue;
        };
        let headers: Vec<(&str, &str)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim(), v.trim()))
            .collect();
        if let Some(answer) = mock.answer(method, target.trim(), &headers, body.as_bytes()) {
            assert!((100..=599).contains(&answer.status), "{answer:?}");
            // Every answer with content says what it is.
            assert!(answer.body.is_empty() || answer.content_type.is_some() || answer.status < 300);
        }
    }
});
