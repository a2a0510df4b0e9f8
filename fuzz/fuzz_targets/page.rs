//! The page parser: Markdown pages (annotations, fences, tables, front
//! matter) and rendered plain-text pages, recognised by content as
//! `extract` and `check` recognise them, read at both depths.
#![no_main]

use exemplar::harness::{page_problems, read_page};
use exemplar::page::Depth;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for depth in [Depth::Examples, Depth::Full] {
        let page = read_page("fuzz.md", data, depth);
        let problems = page_problems(&page);
        assert!(problems.is_empty(), "{depth:?}: {problems:#?}");
        for example in &page.examples {
            // The line every report prints for the example must exist.
            assert!(page.line(example.start()) <= page.lines().line_count());
        }
    }
});
