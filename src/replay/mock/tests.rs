use std::sync::Arc;

use serde_json::{json, Value};

use super::handle::{handle, Incoming};
use super::*;
use hyper::header::HeaderMap;

/// A Markdown page with a template and the given examples (request, response).
fn page(templates: &str, examples: &[(&str, &str)]) -> Page {
    let mut text = format!("# T\n\n## HTTP request\n\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\n{templates}\n```\n\n## Examples\n\n");
    for (i, (req, resp)) in examples.iter().enumerate() {
        text.push_str(&format!(
            "<!-- {{ \"blockType\": \"request\", \"name\": \"ex{i}\" }} -->\n```http\n{req}\n```\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\n{resp}\n```\n\n"
        ));
    }
    Page::from_text(Arc::from("t.md"), text, None)
}

fn call(mock: &Mock, method: &str, path_query: &str, body: &str) -> (u16, Value) {
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let reply = handle(
        mock,
        &Incoming {
            method,
            path,
            query,
            content_type: (!body.is_empty()).then_some("application/json"),
            headers: &HeaderMap::new(),
            body: body.as_bytes(),
        },
    );
    let value = if reply.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&reply.body).unwrap_or(Value::String(
            String::from_utf8_lossy(&reply.body).into_owned(),
        ))
    };
    (reply.status.as_u16(), value)
}

fn members_mock() -> Mock {
    let p = page(
        "POST /external/connections/{connectionsId}/groups/{externalGroupId}/members",
        &[
            (
                "POST https://graph.microsoft.com/v1.0/external/connections/c/groups/g/members\nContent-Type: application/json\n\n{\"id\": \"a\", \"type\": \"user\"}",
                "HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"@odata.context\": \"ctx\", \"id\": \"a\", \"type\": \"user\"}",
            ),
            (
                "GET https://graph.microsoft.com/v1.0/reports/getEmailActivityCounts(period='D7')",
                "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nReport Refresh Date,Send",
            ),
            (
                "GET https://graph.microsoft.com/v1.0/users/$count",
                "HTTP/1.1 200 OK\nContent-Type: text/plain\n\n42",
            ),
            (
                "GET https://graph.microsoft.com/v1.0/users?$top=1",
                "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"value\": [{\"id\": \"top1\"}]}",
            ),
            (
                "GET https://graph.microsoft.com/v1.0/users?$top=2",
                "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"value\": [{\"id\": \"top2\"}]}",
            ),
        ],
    );
    Mock::build(&[p], Injection::default(), false)
}

#[test]
fn create_stores_what_was_sent_and_answers_documented_status() {
    let mock = members_mock();
    let (status, body) = call(
        &mock,
        "POST",
        "/v1.0/external/connections/other/groups/g2/members",
        r#"{"id": "X1", "type": "group"}"#,
    );
    assert_eq!(status, 201);
    assert_eq!(
        body,
        json!({"@odata.context": "ctx", "id": "X1", "type": "group"})
    );
    let (status, body) = call(
        &mock,
        "GET",
        "/v1.0/external/connections/other/groups/g2/members/X1",
        "",
    );
    assert_eq!((status, body["type"].clone()), (200, json!("group")));
    let (status, body) = call(
        &mock,
        "PATCH",
        "/beta/external/connections/other/groups/g2/members/x1",
        r#"{"type": "externalGroup"}"#,
    );
    assert_eq!(
        (status, body["type"].clone()),
        (200, json!("externalGroup"))
    );
    let (status, body) = call(
        &mock,
        "GET",
        "/external/connections/other/groups/g2/members",
        "",
    );
    assert_eq!((status, body["value"][0]["id"].clone()), (200, json!("X1")));
    assert_eq!(
        call(
            &mock,
            "DELETE",
            "/v1.0/external/connections/other/groups/g2/members/X1",
            ""
        )
        .0,
        204
    );
    assert_eq!(
        call(
            &mock,
            "GET",
            "/v1.0/external/connections/other/groups/g2/members/X1",
            ""
        )
        .0,
        404
    );
}

#[test]
fn create_without_id_gets_one() {
    let mock = members_mock();
    let (status, body) = call(
        &mock,
        "POST",
        "/v1.0/external/connections/c/groups/g/members",
        r#"{"type": "user"}"#,
    );
    assert_eq!(status, 201);
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    // The documented id `a` is one lower-case letter: the generated one too.
    assert_eq!(id.len(), 1);
    assert!(id.chars().all(|c| c.is_ascii_lowercase()));
}

#[test]
fn malformed_json_is_400_with_line_and_column() {
    let mock = members_mock();
    let (status, body) = call(
        &mock,
        "POST",
        "/v1.0/external/connections/c/groups/g/members",
        "{\n  \"id\": \"a\",\n}",
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "The request body is not valid JSON: trailing comma at line 3, column 1."
    );
}

#[test]
fn unknown_route_is_404_odata_error() {
    let mock = members_mock();
    let (status, body) = call(&mock, "GET", "/v1.0/nothing/here", "");
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "ResourceNotFound");
    assert_eq!(
        body["error"]["message"],
        "No documented resource answers GET /v1.0/nothing/here."
    );
    // The right path with a method no example or template documents.
    assert_eq!(
        call(
            &mock,
            "DELETE",
            "/v1.0/reports/getEmailActivityCounts(period='D7')",
            ""
        )
        .0,
        404
    );
}

#[test]
fn odata_segments_and_queries_route() {
    let mock = members_mock();
    assert_eq!(
        call(
            &mock,
            "GET",
            "/v1.0/reports/microsoft.graph.getEmailActivityCounts(period='D7')",
            ""
        ),
        (200, json!("Report Refresh Date,Send"))
    );
    assert_eq!(
        call(&mock, "GET", "/v1.0/users/%24count", ""),
        (200, json!(42))
    );
    assert_eq!(
        call(&mock, "GET", "/v1.0/users?%24top=2", "").1["value"][0]["id"],
        "top2"
    );
    assert_eq!(
        call(&mock, "GET", "/v1.0/users?$top=1", "").1["value"][0]["id"],
        "top1"
    );
}

#[test]
fn examples_on_one_path_are_told_apart_by_body() {
    let p = page(
        "POST /things",
        &[
            (
                "POST /v1.0/things/doIt\nContent-Type: application/json\n\n{\"n\": 1}",
                "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"answer\": 1}",
            ),
            (
                "POST /v1.0/things/doIt\nContent-Type: application/json\n\n{\"n\": 2}",
                "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"answer\": 2}",
            ),
        ],
    );
    let mock = Mock::build(&[p], Injection::default(), false);
    assert_eq!(
        call(&mock, "POST", "/v1.0/things/doIt", r#"{"n": 2}"#),
        (200, json!({"answer": 2}))
    );
    assert_eq!(
        call(&mock, "POST", "/v1.0/things/doIt", r#"{"n": 1}"#),
        (200, json!({"answer": 1}))
    );
    // A template without an example for this path: a create.
    let (status, body) = call(&mock, "POST", "/v1.0/things", r#"{"name": "n"}"#);
    assert_eq!(status, 201);
    assert_eq!(body["name"], "n");
}
