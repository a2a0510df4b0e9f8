use std::sync::Arc;

use serde_json::{json, Value};

use super::handle::{self, handle, Incoming};
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
    call_in(mock, None, method, path_query, body)
}

fn call_in(
    mock: &Mock,
    scope: Option<&str>,
    method: &str,
    path_query: &str,
    body: &str,
) -> (u16, Value) {
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let mut headers = HeaderMap::new();
    if let Some(scope) = scope {
        headers.insert(handle::SCOPE_HEADER, scope.parse().unwrap());
    }
    let reply = handle(
        mock,
        &Incoming {
            method,
            path,
            query,
            content_type: (!body.is_empty()).then_some("application/json"),
            headers: &headers,
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
    // What was sent, and a context of the mock's own (never the example's).
    assert_eq!(
        body,
        json!({"@odata.context": "http://localhost/v1.0/$metadata#external/connections/other/groups/g2/members/$entity", "id": "X1", "type": "group"})
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
    // No example documents the update: Graph's 204.
    assert_eq!((status, body), (204, Value::Null));
    let (status, body) = call(
        &mock,
        "GET",
        "/external/connections/other/groups/g2/members",
        "",
    );
    assert_eq!((status, body["value"][0]["id"].clone()), (200, json!("X1")));
    assert_eq!(body["value"][0]["type"], "externalGroup");
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
fn generated_ids_repeat_from_run_to_run() {
    let build = || Mock::build(&[page("POST /things", &[])], Injection::default(), false);
    let create = |mock: &Mock| call(mock, "POST", "/v1.0/things", r#"{"n": 1}"#).1["id"].clone();
    let first = build();
    let (a, b) = (create(&first), create(&first));
    assert_ne!(a, b, "a second create in one collection gets another id");
    assert!(crate::replay::compare::is_guid(
        a.as_str().unwrap_or_default()
    ));
    let second = build();
    assert_eq!((create(&second), create(&second)), (a, b));
}

#[test]
fn a_scope_names_the_page_whose_examples_answer_first() {
    let get = "GET https://graph.microsoft.com/v1.0/organization/branding";
    let en = page(
        "GET /organization/branding",
        &[(get, "HTTP/1.1 200 OK\n\n{\"text\": \"Welcome\"}")],
    );
    let de = page(
        "GET /organization/branding",
        &[(get, "HTTP/1.1 200 OK\n\n{\"text\": \"Willkommen\"}")],
    );
    let mock = Mock::build(&[en, de], Injection::default(), false);
    let path = "/v1.0/organization/branding";
    assert_eq!(call(&mock, "GET", path, "").1["text"], "Welcome");
    assert_eq!(
        call_in(&mock, Some("0"), "GET", path, "").1["text"],
        "Welcome"
    );
    assert_eq!(
        call_in(&mock, Some("1"), "GET", path, "").1["text"],
        "Willkommen"
    );
}

#[test]
fn scopes_keep_their_items_apart() {
    let mock = members_mock();
    let path = "/v1.0/external/connections/c/groups/g/members";
    let body = r#"{"id": "s1", "type": "user"}"#;
    assert_eq!(call_in(&mock, Some("1"), "POST", path, body).0, 201);
    let item = format!("{path}/s1");
    assert_eq!(call_in(&mock, Some("1"), "GET", &item, "").0, 200);
    assert_eq!(call_in(&mock, Some("2"), "GET", &item, "").0, 404);
    assert_eq!(call_in(&mock, None, "GET", &item, "").0, 404);
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
    // Two documented lists of one collection seed it; a list reads the
    // store, so `$top` counts its items (the examples' answers cannot both
    // hold: `run` reports that as a limitation of the mock).
    let ids = |q: &str| {
        call(&mock, "GET", &format!("/v1.0/users?{q}"), "").1["value"]
            .as_array()
            .map(|v| v.iter().map(|u| u["id"].clone()).collect::<Vec<_>>())
    };
    assert_eq!(ids("%24top=2"), Some(vec![json!("top1"), json!("top2")]));
    assert_eq!(ids("$top=1"), Some(vec![json!("top1")]));
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

/// Reads one HTTP/1.1 response (head and Content-Length body) from `stream`.
async fn read_response(stream: &mut tokio::net::TcpStream) -> (String, String) {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                return (head, body);
            }
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the connection closed early");
        buf.extend_from_slice(&chunk[..n]);
    }
}

#[tokio::test]
async fn serves_http_with_keep_alive_and_stops_when_told() {
    use tokio::io::AsyncWriteExt;
    let mock = Arc::new(members_mock());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, mock, async {
        let _ = stopped.await;
    }));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    // Two requests on one connection: keep-alive.
    let body = r#"{"id": "k1", "type": "user"}"#;
    let post = format!(
        "POST /v1.0/external/connections/c/groups/g/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(post.as_bytes()).await.unwrap();
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("http/1.1 201 created\r\n"), "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(
        body,
        r#"{"@odata.context":"http://x/v1.0/$metadata#external/connections/c/groups/g/members/$entity","id":"k1","type":"user"}"#
    );
    assert!(
        head.contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    stream
        .write_all(b"GET /v1.0/nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("http/1.1 404 not found\r\n"), "{head}");
    assert_eq!(
        body,
        r#"{"error":{"code":"ResourceNotFound","message":"No documented resource answers GET /v1.0/nowhere."}}"#
    );
    drop(stream);
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("the server stops")
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn injected_faults_answer_before_the_route() {
    use tokio::io::AsyncWriteExt;
    let p = page("GET /me", &[]);
    let faults = Injection::parse(&["503:1".to_owned()]).unwrap();
    let mock = Arc::new(Mock::build(&[p], faults, false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, mock, std::future::pending()));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /v1.0/me HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (head, body) = read_response(&mut stream).await;
    assert!(
        head.starts_with("http/1.1 503 service unavailable\r\n"),
        "{head}"
    );
    assert!(head.contains("retry-after: 1\r\n"), "{head}");
    assert_eq!(
        body,
        r#"{"error":{"code":"ServiceUnavailable","message":"Injected fault: try again later."}}"#
    );
}

#[test]
fn documented_items_are_read_updated_and_removed_then_404() {
    let p = page(
        "GET /users/{id}\nPATCH /users/{id}\nDELETE /users/{id}",
        &[
            (
                "GET https://graph.microsoft.com/v1.0/users/u1",
                "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"@odata.context\": \"ctx\", \"id\": \"u1\", \"givenName\": \"Adele\"}",
            ),
            (
                "DELETE https://graph.microsoft.com/v1.0/users/u2",
                "HTTP/1.1 204 No Content",
            ),
        ],
    );
    let mock = Mock::build(&[p], Injection::default(), false);
    assert_eq!(
        call(&mock, "GET", "/v1.0/users/u1", ""),
        (
            200,
            json!({"@odata.context": "ctx", "id": "u1", "givenName": "Adele"})
        )
    );
    assert_eq!(
        call(&mock, "PATCH", "/v1.0/users/u1", r#"{"givenName": "Ada"}"#).0,
        204
    );
    assert_eq!(
        call(&mock, "GET", "/v1.0/users/u1", "").1["givenName"],
        "Ada"
    );
    // A DELETE example says its item exists.
    assert_eq!(call(&mock, "DELETE", "/v1.0/users/u2", "").0, 204);
    assert_eq!(call(&mock, "DELETE", "/v1.0/users/u2", "").0, 404);
    assert_eq!(call(&mock, "DELETE", "/v1.0/users/u1", "").0, 204);
    let (status, body) = call(&mock, "GET", "/v1.0/users/u1", "");
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
    // An id no page documents: 404 too, never the example's answer.
    assert_eq!(call(&mock, "GET", "/v1.0/users/nobody", "").0, 404);
}

#[test]
fn a_201_without_an_entity_is_an_action() {
    let p = page(
        "POST /me/messages/{id}/attachments/createUploadSession",
        &[(
            "POST https://graph.microsoft.com/v1.0/me/messages/m1/attachments/createUploadSession\nContent-Type: application/json\n\n{\"AttachmentItem\": {\"name\": \"a\"}}",
            "HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"uploadUrl\": \"https://x\", \"nextExpectedRanges\": [\"0-\"]}",
        )],
    );
    let mock = Mock::build(&[p], Injection::default(), false);
    assert_eq!(
        call(
            &mock,
            "POST",
            "/v1.0/me/messages/m2/attachments/createUploadSession",
            r#"{"AttachmentItem": {}}"#
        ),
        (
            201,
            json!({"uploadUrl": "https://x", "nextExpectedRanges": ["0-"]})
        )
    );
}

#[test]
fn store_answers_say_so_for_run() {
    let mock = members_mock();
    let answer = |path: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(handle::SCOPE_HEADER, "0".parse().unwrap());
        let reply = handle(
            &mock,
            &Incoming {
                method: "GET",
                path,
                query: "$apply=x",
                content_type: None,
                headers: &headers,
                body: b"",
            },
        );
        reply
            .headers
            .iter()
            .find(|(n, _)| n.as_str() == handle::ANSWER_HEADER)
            .map(|(_, v)| v.to_str().unwrap_or("").to_owned())
    };
    assert_eq!(answer("/v1.0/users").as_deref(), Some("unsupported"));
    // A documented function's answer is the example's: no word.
    assert_eq!(
        answer("/v1.0/reports/getEmailActivityCounts(period='D7')"),
        None
    );
}

/// An API page: its template, a Request body table and one example.
fn api_page(name: &str, template: &str, table: &[&str], request: &str, response: &str) -> Page {
    let mut text = format!(
        "# {name}\n\n## HTTP request\n\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\n{template}\n```\n\n## Request body\n\n| Property | Type | Description |\n|:---|:---|:---|\n"
    );
    for row in table {
        text.push_str(row);
        text.push('\n');
    }
    text.push_str(&format!(
        "\n## Examples\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->\n```http\n{request}\n```\n\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" }} -->\n```http\n{response}\n```\n"
    ));
    Page::from_text(Arc::from(format!("api/{name}.md")), text, None)
}

fn typed_mock() -> Mock {
    let mut pages = super::typed::tests::pages();
    pages.push(api_page(
        "widget-post",
        "POST /widgets",
        &[
            "| displayName | String | The name. Required. |",
            "| isActive | Boolean | In use. Optional. |",
        ],
        "POST https://graph.microsoft.com/v1.0/widgets\nContent-Type: application/json\n\n{\"displayName\": \"w\"}",
        "HTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"id\": \"1\", \"displayName\": \"w\", \"createdDateTime\": \"2021-01-01T00:00:00Z\"}",
    ));
    pages.push(api_page(
        "widget-polish",
        "POST /widgets/{id}/polish",
        &[
            "| level | Int32 | How much. |",
            "| mode | [widgetKind](../resources/widgetkind.md) | How. |",
        ],
        "POST https://graph.microsoft.com/v1.0/widgets/1/polish\nContent-Type: application/json\n\n{\"level\": 2, \"mode\": \"small\"}",
        "HTTP/1.1 204 No Content",
    ));
    Mock::build(&pages, Injection::default(), false)
}

#[test]
fn a_create_checks_what_the_page_marks_required_and_stamps_dates() {
    let mock = typed_mock();
    let (status, body) = call(&mock, "POST", "/v1.0/widgets", "{\"isActive\": true}");
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "Property 'displayName' of microsoft.graph.widget is required on create. Send it in the request body."
    );
    let (status, body) = call(
        &mock,
        "POST",
        "/v1.0/widgets",
        "{\"displayName\": \"x\", \"size\": 1}",
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["message"],
        "Property 'size' does not exist on type 'microsoft.graph.widget'. Make sure to only use property names that are defined by the type."
    );
    let (status, body) = call(&mock, "POST", "/v1.0/widgets", "{\"displayName\": \"x\"}");
    assert_eq!(status, 201, "{body}");
    // The model's key is a String: the documented id's shape ("1": digits).
    assert!(
        body["id"].as_str().is_some_and(|id| id.len() == 1),
        "{body}"
    );
    assert!(
        body["createdDateTime"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z')),
        "{body}"
    );
}

#[test]
fn an_action_checks_its_parameters_against_its_table() {
    let mock = typed_mock();
    let polish = "/v1.0/widgets/1/polish";
    let (status, _) = call(&mock, "POST", polish, "{\"level\": 2, \"mode\": \"small\"}");
    assert_eq!(status, 204);
    let (status, body) = call(&mock, "POST", polish, "{\"levl\": 2}");
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "Parameter 'levl' is not a parameter of 'polish'. Did you mean 'level'?"
    );
    let (status, body) = call(&mock, "POST", polish, "{\"level\": \"high\"}");
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "Invalid value for parameter 'level' of 'polish': a JSON string where Int32 takes a number."
    );
    let (status, body) = call(&mock, "POST", polish, "{\"mode\": \"shiny\"}");
    assert_eq!(status, 400, "{body}");
}
