//! Regression tests for the hostile input classes of issue 13. Each class
//! is generated here at size N and 2N; each test asserts the outcome (the
//! exact findings) and a linear bound on the work counted by
//! [`crate::work`] (the steps of the loops that once went quadratic), not
//! on wall time. Sizes stay small so that the debug suite stays fast; the
//! release timings are in `benches/doubling.sh`.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::page::Page;
use crate::rules::check_page;
use crate::work::{assert_linear, count};

/// Doubling the input may at most this-fold the work.
const LINEAR: f64 = 2.3;

/// json-syntax findings a body may have (`rules::json_syntax::MAX_PER_BODY`).
const MAX_PER_BODY: usize = 5;

fn page(text: String) -> Page {
    Page::from_text(Arc::from("api/hostile.md"), text, Some("en-us".into()))
}

/// (rule, line, column, message) of every finding, in page order.
fn findings(page: &Page) -> Vec<(String, usize, usize, String)> {
    let mut out: Vec<_> = check_page(page, None)
        .into_iter()
        .map(|f| {
            let at = page.position(f.span.start);
            (f.rule.name.to_owned(), at.line, at.column, f.message)
        })
        .collect();
    out.sort();
    out
}

/// The work of reading and checking `text` as a page.
fn work(text: String) -> u64 {
    // Counted afresh: not a tree kept from an earlier read of the text.
    crate::http::forget_known_bodies();
    count(|| {
        let page = page(text);
        check_page(&page, None).len()
    })
    .1
}

fn example_page(n: usize, named_responses: bool) -> String {
    let mut s = String::from("# Get items\n\n## Examples\n\n");
    for i in 0..n {
        let name = if named_responses {
            format!(", \"name\": \"get_item_{i}\"")
        } else {
            String::new()
        };
        let _ = write!(
            s,
            "### Example {i}\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"get_item_{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/items/{i}\n```\n\n<!-- {{ \"blockType\": \"response\"{name} }} -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{{\n  \"id\": \"{i}\"\n}}\n```\n\n"
        );
    }
    s
}

#[test]
fn many_examples_pair_in_linear_work() {
    for named in [false, true] {
        let p = page(example_page(1000, named));
        assert_eq!(p.examples.len(), 1000);
        assert!(p
            .examples
            .iter()
            .all(|e| e.request.is_some() && e.response.is_some() && !e.shares_earlier_response));
        assert_eq!(findings(&p), []);
        assert_linear("examples", 1000, LINEAR, |n| work(example_page(n, named)));
    }
}

#[test]
fn a_response_naming_two_requests_is_shared_and_reported_once() {
    let text = "<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n\n<!-- { \"blockType\": \"request\", \"name\": \"b\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n\n<!-- { \"blockType\": \"response\", \"name\": [\"a\", \"b\"] } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"1\",}\n```\n";
    let p = page(text.to_owned());
    let shared: Vec<bool> = p
        .examples
        .iter()
        .map(|e| e.shares_earlier_response)
        .collect();
    assert_eq!(shared, [false, true]);
    assert_eq!(
        findings(&p),
        [(
            "json-syntax".to_owned(),
            16,
            11,
            "trailing comma after the last property of the response body".to_owned()
        )]
    );
}

fn unclosed_page(n: usize, with_block_type: bool) -> String {
    let mut s = String::from("# Unclosed\n\n");
    for _ in 0..n {
        s.push_str("<!-- {\n");
        if with_block_type {
            s.push_str("  \"blockType\": \"request\",\n");
        }
    }
    s.push_str("-->\n");
    s
}

#[test]
fn unclosed_annotations_are_one_finding_in_linear_work() {
    let p = page(unclosed_page(2000, false));
    assert_eq!(p.annotations.len(), 1);
    assert_eq!(
        findings(&p),
        [(
            "annotation-syntax".to_owned(),
            3,
            7,
            "this annotation is not closed: `-->` is missing before the next `<!--`".to_owned()
        )]
    );
    assert_linear("unclosed annotations", 2000, LINEAR, |n| {
        work(unclosed_page(n, false))
    });

    let p = page(unclosed_page(2000, true));
    assert_eq!(
        findings(&p),
        [
            (
                "annotation-syntax".to_owned(),
                3,
                7,
                "this annotation is not closed: `-->` is missing before the next `<!--`".to_owned()
            ),
            (
                "orphan-annotation".to_owned(),
                4,
                16,
                "this request annotation is not followed by a code block, so its example is lost"
                    .to_owned()
            ),
        ]
    );
    assert_linear("unclosed request annotations", 2000, LINEAR, |n| {
        work(unclosed_page(n, true))
    });
}

#[test]
fn a_forgotten_close_does_not_hand_the_next_block_to_the_annotation() {
    // The request annotation lacks its `-->`: the comment (an HTML block)
    // runs on to the response annotation's `-->`, swallowing the request's
    // code block. The response's block must not become the request's.
    let text = "# Create\n\n<!-- { \"blockType\": \"request\", \"name\": \"create\" }\n```http\nPOST https://graph.microsoft.com/v1.0/items\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 201 Created\n```\n";
    let p = page(text.to_owned());
    assert_eq!(p.examples.len(), 0);
    assert_eq!(
        findings(&p),
        [
            (
                "annotation-syntax".to_owned(),
                3,
                50,
                "this annotation is not closed: `-->` is missing before the next `<!--`".to_owned()
            ),
            (
                "orphan-annotation".to_owned(),
                3,
                21,
                "this request annotation is not followed by a code block, so its example is lost"
                    .to_owned()
            ),
        ]
    );
    // Never closed at all: said so, once.
    let p = page("# Draft\n\n<!-- { \"blockType\": \"ignored\" }\n\nSome prose.\n".to_owned());
    assert_eq!(
        findings(&p),
        [(
            "annotation-syntax".to_owned(),
            3,
            32,
            "this annotation is never closed: no `-->` follows it".to_owned()
        )]
    );
}

/// A body of size N for one input class.
type Body = fn(usize) -> String;

fn body_page(body: &str) -> String {
    format!("# Create item\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"create_item\" }} -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n\n{body}\n```\n")
}

/// The json-syntax findings of a page whose one body is `body`.
fn json_findings(body: &str) -> Vec<(usize, usize, String)> {
    findings(&page(body_page(body)))
        .into_iter()
        .filter(|f| f.0 == "json-syntax")
        .map(|(_, line, column, message)| (line, column, message))
        .collect()
}

#[test]
fn runs_of_broken_characters_are_one_finding_in_linear_work() {
    let n = 4000;
    let cases: [(&str, Body, &str); 5] = [
        (
            "quotes",
            |n| format!("{{\"displayName\": \"x\", {}}}", "\"".repeat(n)),
            "expected `:` after the key \"\", found `\"` in the request body",
        ),
        (
            "apostrophes",
            |n| format!("{{\"displayName\": \"x\", {}}}", "'".repeat(n)),
            "single-quoted key in the request body",
        ),
        (
            "percents",
            |n| format!("{{\"displayName\": \"x\", {}}}", "%".repeat(n)),
            "expected a property name, found `%%%%%%%%%%%%%%%%%%%%…` in the request body",
        ),
        (
            "braces",
            |n| format!("{{\"displayName\": {}}}", "{".repeat(n)),
            "expected a property name, found `{{{{{{{{{{{{{{{{{{{{…` in the request body",
        ),
        (
            "quotes as a value",
            |n| format!("{{\"displayName\": {}}}", "\"".repeat(n)),
            "unescaped `\"` inside a string in the request body",
        ),
    ];
    for (class, body, first) in cases {
        let found = json_findings(&body(n));
        assert!(
            !found.is_empty() && found.len() <= MAX_PER_BODY,
            "{class}: {found:?}"
        );
        assert_eq!(found[0].2, first, "{class}: {found:?}");
        assert_linear(class, n, LINEAR, |n| work(body_page(&body(n))));
    }
}

fn nbsp_body(n: usize) -> String {
    let mut s = String::from("{\n");
    for i in 0..n {
        let comma = if i + 1 < n { "," } else { "" };
        let _ = writeln!(s, "\u{a0}\u{a0}\"p{i}\": {i}{comma}\u{a0}");
    }
    s.push('}');
    s
}

#[test]
fn a_pasted_no_break_space_is_one_finding_per_habit() {
    assert_eq!(
        json_findings(&nbsp_body(1000)),
        [
            (9, 1, "a no-break space (U+00A0) is used as indentation in the request body, and 999 more times after it; JSON allows only spaces, tabs and line ends".to_owned()),
            (9, 11, "a no-break space (U+00A0) stands between JSON tokens in the request body, and 999 more times after it; JSON allows only spaces, tabs and line ends".to_owned()),
        ]
    );
    assert_linear("no-break spaces", 1000, LINEAR, |n| {
        work(body_page(&nbsp_body(n)))
    });
}

#[test]
fn a_body_of_many_faults_says_how_many_more_past_the_cap() {
    // Eight trailing commas, each its own fault (nothing folds them).
    let items: Vec<String> = (0..8).map(|i| format!("{{\"a{i}\": [1,]}}")).collect();
    let found = json_findings(&format!("[{}]", items.join(",\n")));
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(
        found[4].2,
        "4 more JSON faults in the request body from here on"
    );
}

fn echo_page(n: usize) -> String {
    let members = (0..n)
        .map(|i| format!("  \"property{i}\": \"value {i}\""))
        .collect::<Vec<_>>()
        .join(",\n");
    format!("# Create item\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"create_item\" }} -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n\n{{\n{members}\n}}\n```\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{{\n  \"id\": \"1\",\n{members}\n}}\n```\n")
}

#[test]
fn many_echoed_properties_compare_in_linear_work() {
    assert_eq!(findings(&page(echo_page(3000))), []);
    assert_linear("echoed properties", 3000, LINEAR, |n| work(echo_page(n)));
}

fn one_line_body(n: usize) -> String {
    let members: Vec<String> = (0..n)
        .map(|i| format!("\"property{i}\": \"value {i}\""))
        .collect();
    format!("{{{}}}", members.join(", "))
}

#[test]
fn a_long_one_line_body_is_read_in_linear_work() {
    // Every string's look-ahead for an unescaped quote once ran to the end
    // of its line: quadratic on a body written on one line.
    assert_eq!(json_findings(&one_line_body(3000)), []);
    let broken = |n: usize| one_line_body(n).replace("value 7", "value \"7");
    assert_linear("one-line body", 3000, LINEAR, |n| {
        work(body_page(&one_line_body(n)))
    });
    assert_linear("one-line body with stray quotes", 3000, LINEAR, |n| {
        work(body_page(&broken(n)))
    });
    assert!(json_findings(&broken(3000)).len() <= MAX_PER_BODY);
}

fn suppressed_page(n: usize) -> String {
    let mut s = String::from("# Get items\n\n## Examples\n\n");
    for i in 0..n {
        let _ = write!(
            s,
            "<!-- exemplar-disable json-syntax -->\n<!-- {{ \"blockType\": \"request\", \"name\": \"get_item_{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/items/{i}\n```\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{{\"id\": \"{i}\",}}\n```\n\n"
        );
    }
    s
}

/// The findings left after the page's suppressions, with the work counted.
fn suppressed(text: String) -> (usize, u64) {
    count(|| {
        let page = page(text);
        let findings = check_page(&page, None);
        let config = crate::config::Config::default();
        crate::commands::check::settle(findings, std::slice::from_ref(&page), &config).len()
    })
}

#[test]
fn many_suppressed_examples_are_matched_in_linear_work() {
    // Each example's trailing comma is suppressed by its own comment; a
    // walk over every suppression and example per finding was cubic.
    assert_eq!(suppressed(suppressed_page(1000)).0, 0);
    assert_linear("suppressed examples", 1000, LINEAR, |n| {
        suppressed(suppressed_page(n)).1
    });
}
