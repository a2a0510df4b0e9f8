use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::page::Page;

/// A page with one example: a POST with `sent` and a documented response.
fn page(sent: &str, status: &str, truncated: bool, documented: &str) -> Page {
    let text = format!(
        "# T\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"e\" }} -->\n```http\nPOST https://graph.microsoft.com/v1.0/things\nContent-Type: application/json\n\n{sent}\n```\n\n<!-- {{ \"blockType\": \"response\", \"truncated\": {truncated} }} -->\n```http\nHTTP/1.1 {status}\nContent-Type: application/json\n\n{documented}\n```\n"
    );
    Page::from_text(Arc::from("p.md"), text, None)
}

fn run(page: &Page, status: u16, actual: serde_json::Value) -> Comparison {
    let example = &page.examples[0];
    let sent = crate::replay::plan::sent_json(example);
    let ctx = Context {
        path: &page.path,
        example,
        sent: sent.as_ref(),
        volatile: &["*Count".to_owned()],
    };
    let answer = Answer {
        status,
        reason: String::new(),
        content_type: Some("application/json; charset=utf-8".into()),
        body: serde_json::to_vec(&actual).unwrap(),
        mock: None,
    };
    compare(&ctx, example.response.as_ref().unwrap(), &answer)
}

/// (rule, line, column, pointer, expected, actual) of each finding.
fn shown(page: &Page, c: &Comparison) -> Vec<(String, usize, usize, String, String, String)> {
    c.findings
        .iter()
        .map(|f| {
            let at = page.position(f.span.start);
            (
                f.rule.name.to_owned(),
                at.line,
                at.column,
                f.pointer.clone().unwrap_or_default(),
                f.expected.clone().unwrap_or_default(),
                f.actual.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(
    rule: &str,
    line: usize,
    col: usize,
    ptr: &str,
    e: &str,
    a: &str,
) -> (String, usize, usize, String, String, String) {
    (rule.into(), line, col, ptr.into(), e.into(), a.into())
}

#[test]
fn equal_bodies_pass_whatever_the_order() {
    let p = page(
        "{\"a\": 1}",
        "201 Created",
        false,
        "{\"a\": 1, \"b\": [1, 2]}",
    );
    let c = run(&p, 201, json!({"b": [1, 2], "a": 1.0}));
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    assert!(c.documented.is_none());
}

#[test]
fn types_matter() {
    let p = page("{}", "201 Created", false, "{\n  \"n\": \"1\"\n}");
    let c = run(&p, 201, json!({"n": 1}));
    assert_eq!(
        shown(&p, &c),
        vec![row("body-mismatch", 17, 8, "/n", "\"1\"", "1")]
    );
    assert_eq!(
        c.findings[0].message,
        "`/n` is documented as a string \"1\" but the endpoint returned a number 1"
    );
    assert!(c.documented.is_some() && c.actual.is_some());
}

#[test]
fn a_null_reads_as_null_once() {
    let p = page("{}", "201 Created", false, "{\n  \"n\": null\n}");
    let c = run(&p, 201, json!({"n": "x"}));
    assert_eq!(
        c.findings[0].message,
        "`/n` is documented as null but the endpoint returned a string \"x\""
    );
}

#[test]
fn complete_bodies_must_have_the_same_properties() {
    let p = page(
        "{}",
        "201 Created",
        false,
        "{\n  \"a\": 1,\n  \"gone\": 2\n}",
    );
    let c = run(&p, 201, json!({"a": 1, "extra": true}));
    assert_eq!(
        shown(&p, &c),
        vec![
            row("body-mismatch", 16, 1, "/extra", "(absent)", "true"),
            row("body-mismatch", 18, 3, "/gone", "2", "(absent)"),
        ]
    );
}

#[test]
fn truncated_bodies_are_subsets_and_arrays_prefixes() {
    let p = page(
        "{}",
        "201 Created",
        true,
        "{\n  \"a\": [1, 2],\n  \"o\": {\"x\": 1}\n}",
    );
    let ok = run(
        &p,
        201,
        json!({"a": [1, 2, 3], "o": {"x": 1, "y": 2}, "more": 1}),
    );
    assert!(ok.findings.is_empty(), "{:?}", ok.findings);
    let c = run(&p, 201, json!({"a": [1], "o": {"x": 2}}));
    assert_eq!(
        shown(&p, &c),
        vec![
            row("body-mismatch", 17, 12, "/a/1", "2", "(absent)"),
            row("body-mismatch", 18, 14, "/o/x", "1", "2"),
        ]
    );
}

#[test]
fn volatile_values_compare_by_format() {
    let documented = "{\n  \"id\": \"e811976d-83df-4cbd-8b9b-5215b18aa874\",\n  \"createdDateTime\": \"2020-01-01T00:00:00Z\",\n  \"itemCount\": 3,\n  \"@odata.etag\": \"W/1\"\n}";
    let p = page("{\"name\": \"x\"}", "201 Created", false, documented);
    let ok = run(
        &p,
        201,
        json!({"id": "00000000-0000-4000-8000-000000000000", "createdDateTime": "2026-11-25T02:00:00.123Z", "itemCount": 9, "@odata.etag": "W/2"}),
    );
    assert!(ok.findings.is_empty(), "{:?}", ok.findings);
    let c = run(
        &p,
        201,
        json!({"id": "not-a-guid", "createdDateTime": "yesterday", "itemCount": "9", "@odata.etag": "W/2"}),
    );
    assert_eq!(
        shown(&p, &c)
            .iter()
            .map(|r| (r.3.as_str(), r.1))
            .collect::<Vec<_>>(),
        vec![("/id", 17), ("/createdDateTime", 18), ("/itemCount", 19)]
    );
    assert_eq!(
        c.findings[0].message,
        "`/id` is compared by format (its value is the server's): documented a GUID, the endpoint returned a string"
    );
}

#[test]
fn a_sent_id_compares_by_value() {
    let p = page(
        "{\"id\": \"abc\"}",
        "201 Created",
        false,
        "{\"id\": \"abd\"}",
    );
    let c = run(&p, 201, json!({"id": "abc"}));
    assert_eq!(
        shown(&p, &c),
        vec![row("body-mismatch", 16, 8, "/id", "\"abd\"", "\"abc\"")]
    );
}

#[test]
fn status_mismatch_stops_at_the_status() {
    let p = page("{}", "201 Created", false, "{\"a\": 1}");
    let c = run(
        &p,
        400,
        json!({"error": {"code": "BadRequest", "message": "no"}}),
    );
    assert_eq!(
        shown(&p, &c),
        vec![row("status-mismatch", 13, 10, "", "201", "400")]
    );
    assert_eq!(
        c.findings[0].message,
        "the endpoint answered 400 where 201 is documented: no"
    );
}

#[test]
fn content_type_is_compared_by_media_type() {
    let p = page("{}", "200 OK", false, "{\"a\": 1}");
    let example = &p.examples[0];
    let ctx = Context {
        path: &p.path,
        example,
        sent: None,
        volatile: &[],
    };
    let answer = Answer {
        status: 200,
        reason: "OK".into(),
        content_type: Some("text/json".into()),
        body: br#"{"a": 1}"#.to_vec(),
        mock: None,
    };
    let c = compare(&ctx, example.response.as_ref().unwrap(), &answer);
    assert_eq!(
        shown(&p, &c),
        vec![row(
            "header-mismatch",
            14,
            15,
            "",
            "application/json",
            "text/json"
        )]
    );
    assert_eq!(c.findings[0].severity, crate::finding::Severity::Warning);
}

#[test]
fn guid_and_dates() {
    assert!(is_guid("e811976d-83df-4cbd-8b9b-5215b18aa874"));
    assert!(!is_guid("e811976d-83df-4cbd-8b9b-5215b18aa87"));
    assert_eq!(format_of(&json!("2020-01-01")), "a date");
    assert_eq!(format_of(&json!("2020-01-01T10:00:00Z")), "a date-time");
    assert_eq!(format_of(&json!("2020-01-01Tééééé")), "a string");
}
