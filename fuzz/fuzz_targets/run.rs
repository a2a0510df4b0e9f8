//! `run` of one page against the built-in mock built from it, without
//! sockets: planning, the mock's handler, the comparer. The counts add up
//! and every finding lies inside the page.
#![no_main]

use exemplar::harness::{run_page, span_problem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let outcome = run_page("fuzz.md", data);
    assert_eq!(outcome.examples, outcome.replayed + outcome.skipped.len());
    for f in &outcome.findings {
        assert_eq!(span_problem(&outcome.page.text, &f.span), None, "{f:?}");
    }
});
