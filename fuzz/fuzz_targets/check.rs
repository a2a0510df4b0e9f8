//! The whole `check` of one page: read, page rules, suppressions, and the
//! report in one of the six formats. Every finding lies inside the page and
//! the JSON report's line and column name a place that exists.
#![no_main]

use exemplar::cli::Format;
use exemplar::harness::{check_page, render_check, span_problem};
use libfuzzer_sys::fuzz_target;

const FORMATS: [Format; 6] = [
    Format::Json,
    Format::Human,
    Format::Sarif,
    Format::Junit,
    Format::Github,
    Format::Html,
];

fuzz_target!(|data: &[u8]| {
    let (page, findings) = check_page("fuzz.md", data);
    for f in &findings {
        assert_eq!(span_problem(&page.text, &f.span), None, "{f:?}");
    }
    // The input's length picks the format: one render per input keeps the
    // target fast, and every format meets every kind of page.
    let format = FORMATS[data.len() % FORMATS.len()];
    let count = findings.len();
    let out = render_check(&page, findings, format);
    if format == Format::Json {
        let report: serde_json::Value =
            serde_json::from_slice(&out).expect("the JSON report parses");
        let lines: Vec<&str> = page.text.split('\n').collect();
        let shown = report["findings"].as_array().expect("findings").len();
        assert!(shown <= count, "{shown} findings shown, {count} found");
        for f in report["findings"].as_array().into_iter().flatten() {
            for (l, c) in [("line", "column"), ("end_line", "end_column")] {
                let line = f[l].as_u64().expect("a line") as usize;
                let column = f[c].as_u64().expect("a column") as usize;
                assert!(line >= 1 && line <= lines.len(), "{f}");
                let chars = lines[line - 1].chars().count();
                assert!(column >= 1 && column <= chars + 1, "{f}");
            }
        }
    }
});
