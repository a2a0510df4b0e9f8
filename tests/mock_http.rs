//! The built-in mock of the shared corpus, driven over HTTP by reqwest (a
//! client the project did not write) as a program under test would drive
//! Microsoft Graph: a user's life (create, read, update, filtered list,
//! delete, 404), paging by `@odata.nextLink`, `$select`, `$count`, an
//! unsupported option, bodies the docs' type model refuses (unknown,
//! read-only, wrong type or format), an open type, an action's parameters,
//! and `$expand`. The mock is started in-process on 127.0.0.1:0.
//!
//! Needs the corpus at ../shared/corpus; without it the test says so and
//! passes (the other suites cover the mock on fixtures).

use std::path::PathBuf;

use exemplar::discover::{self, DiscoverOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn corpus() -> Option<PathBuf> {
    let path = PathBuf::from("../shared/corpus/en-us");
    path.is_dir().then_some(path)
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let mut req = self
            .http
            .request(method, url)
            .header("ConsistencyLevel", "eventual");
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("an answer");
        let status = resp.status();
        let text = resp.text().await.expect("a body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }
}

fn user(name: &str, extra: Value) -> Value {
    let mut u = json!({
        "accountEnabled": true,
        "displayName": name,
        "mailNickname": name.replace(' ', ""),
        "userPrincipalName": format!("{}@contoso.com", name.replace(' ', "")),
        "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}
    });
    if let (Some(u), Some(extra)) = (u.as_object_mut(), extra.as_object()) {
        u.extend(extra.clone());
    }
    u
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_lives_against_the_mock_of_the_corpus() {
    let Some(corpus) = corpus() else {
        eprintln!("no corpus at ../shared/corpus: skipped");
        return;
    };
    let loaded = discover::load(&[corpus], &DiscoverOptions::default()).expect("the corpus");
    let mock = exemplar::replay::mock::start(&loaded.pages, "127.0.0.1:0").expect("the mock");
    let c = Client {
        http: reqwest::Client::new(),
        base: format!("http://{}/v1.0", mock.addr),
    };

    // Create: what was sent, plus what the service sets; nothing of the
    // documented example (its givenName, surname, jobTitle...).
    let sent = user("Ada Lovelace", json!({"otherMails": ["ada@example.org"]}));
    let (status, created) = c.send("POST", "/users", Some(sent.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("an id").to_owned();
    assert!(is_guid(&id), "{id}");
    for (k, v) in created.as_object().expect("an object") {
        let unset = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
        match k.as_str() {
            "id" | "@odata.context" | "@odata.type" | "createdDateTime" | "@odata.etag" => {}
            // What the service shows unset (`"businessPhones": []`).
            _ if unset && !sent.as_object().is_some_and(|s| s.contains_key(k)) => {}
            _ => assert_eq!(Some(v), sent.get(k), "`{k}` was not sent"),
        }
    }
    assert!(created["@odata.context"]
        .as_str()
        .is_some_and(|c| c.ends_with("$metadata#users/$entity")));
    assert_eq!(created.get("givenName"), None);

    // Read, update, read.
    let item = format!("/users/{id}");
    let (status, read) = c.send("GET", &item, None).await;
    assert_eq!((status, &read), (StatusCode::OK, &created));
    let (status, _) = c
        .send("PATCH", &item, Some(json!({"jobTitle": "Analyst"})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, read) = c.send("GET", &item, None).await;
    assert_eq!(read["jobTitle"], "Analyst");
    assert_eq!(read["displayName"], "Ada Lovelace");

    // Filtered lists find it, and only it.
    for filter in [
        "jobTitle eq 'Analyst'",
        "startswith(displayName,'Ada Love') and accountEnabled eq true",
        "otherMails/any(m: m eq 'ada@example.org')",
        "userPrincipalName in ('AdaLovelace@contoso.com', 'nobody@contoso.com')",
        "not (jobTitle ne 'Analyst')",
    ] {
        let (status, list) = c
            .send("GET", &format!("/users?$filter={filter}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{filter}: {list}");
        let ids: Vec<&str> = list["value"]
            .as_array()
            .expect("value")
            .iter()
            .filter_map(|u| u["id"].as_str())
            .collect();
        assert_eq!(ids, [id.as_str()], "{filter}");
    }

    // Removed: gone from reads and lists, 404 with an OData error.
    let (status, _) = c.send("DELETE", &item, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, error) = c.send("GET", &item, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["error"]["code"], "Request_ResourceNotFound");
    assert_eq!(
        error["error"]["message"],
        format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present.")
    );
    let (_, list) = c
        .send("GET", "/users?$filter=jobTitle eq 'Analyst'", None)
        .await;
    assert_eq!(list["value"], json!([]));
    assert_eq!(
        c.send("PATCH", &item, Some(json!({"jobTitle": "x"})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Paging: five users, two a page, followed by nextLink.
    let mut made = Vec::new();
    for i in 0..5 {
        let (status, u) = c
            .send(
                "POST",
                "/users",
                Some(user(&format!("Pager {i}"), json!({}))),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        made.push(u["id"].as_str().unwrap_or_default().to_owned());
    }
    let mut seen = Vec::new();
    let mut next = Some(
        "/users?$filter=startswith(displayName,'Pager')&$top=2&$orderby=displayName".to_owned(),
    );
    let mut pages = 0;
    while let Some(url) = next.take() {
        let (status, page) = c.send("GET", &url, None).await;
        assert_eq!(status, StatusCode::OK, "{url}: {page}");
        let items = page["value"].as_array().expect("value");
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .filter_map(|u| u["id"].as_str().map(str::to_owned)),
        );
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages < 10, "the next links do not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, made, "every user once, in $orderby order");
    // $skip.
    let (_, page) = c
        .send(
            "GET",
            "/users?$filter=startswith(displayName,'Pager')&$orderby=displayName desc&$skip=3",
            None,
        )
        .await;
    assert_eq!(page["value"][0]["displayName"], "Pager 1");

    // $select keeps only what is named.
    let (_, page) = c
        .send(
            "GET",
            "/users?$filter=startswith(displayName,'Pager')&$select=displayName,id",
            None,
        )
        .await;
    for u in page["value"].as_array().expect("value") {
        let mut keys: Vec<&String> = u.as_object().expect("an object").keys().collect();
        keys.sort();
        assert_eq!(keys, ["displayName", "id"]);
    }
    let (_, one) = c
        .send(
            "GET",
            &format!("/users/{}?$select=displayName", made[0]),
            None,
        )
        .await;
    assert_eq!(one["displayName"], "Pager 0");
    assert_eq!(
        one.as_object().map(|o| o.len()),
        Some(2),
        "{one}: the name and @odata.context"
    );

    // $count counts what the filter keeps, not the page.
    let (_, page) = c
        .send(
            "GET",
            "/users?$filter=startswith(displayName,'Pager')&$count=true&$top=1",
            None,
        )
        .await;
    assert_eq!(page["@odata.count"], 5);
    assert_eq!(page["value"].as_array().map(Vec::len), Some(1));

    // An option the mock does not support is refused by name.
    let (status, error) = c.send("GET", "/users?$apply=groupby((city))", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("$apply")),
        "{error}"
    );
    let (status, error) = c.send("GET", "/users?$filter=displayName eq", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("$filter")),
        "{error}"
    );

    // A body of the wrong type: 400 naming the property.
    let (status, error) = c
        .send(
            "POST",
            "/users",
            Some(user("Wrong Type", json!({"accountEnabled": "yes-please"}))),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("'accountEnabled'"), "{message}");
    let (_, list) = c
        .send("GET", "/users?$filter=displayName eq 'Wrong Type'", None)
        .await;
    assert_eq!(list["value"], json!([]), "a refused create stores nothing");

    // Validation by the docs' type model (user.md and its base types).
    let refused = |error: &Value| error["error"]["message"].as_str().unwrap_or("").to_owned();
    // An unknown property, with the near name.
    let (status, error) = c
        .send(
            "POST",
            "/users",
            Some(user("Typo", json!({"jobTitel": "x"}))),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert_eq!(error["error"]["code"], "Request_BadRequest");
    assert_eq!(
        refused(&error),
        "Property 'jobTitel' does not exist on type 'microsoft.graph.user'. Did you mean 'jobTitle'?"
    );
    // A read-only property.
    let (status, error) = c
        .send(
            "POST",
            "/users",
            Some(user(
                "Stamped",
                json!({"createdDateTime": "2020-01-01T00:00:00Z"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert_eq!(
        refused(&error),
        "Property 'createdDateTime' of microsoft.graph.user is read-only: the service sets it. Remove it from the request body."
    );
    // A value of the wrong format, also inside a complex value, and on update.
    let (status, error) = c
        .send(
            "POST",
            "/users",
            Some(user("Hired", json!({"employeeHireDate": "yesterday"}))),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(
        refused(&error).starts_with("Invalid value for property 'employeeHireDate' of microsoft.graph.user: \"yesterday\" is not a valid DateTimeOffset"),
        "{error}"
    );
    let (status, error) = c
        .send(
            "POST",
            "/users",
            Some(user(
                "Nested",
                json!({"passwordProfile": {"password": "x", "forceChangePasswordNextSignIn": "yes"}}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(
        refused(&error).contains("'passwordProfile/forceChangePasswordNextSignIn'"),
        "{error}"
    );
    let (status, error) = c
        .send(
            "PATCH",
            &format!("/users/{}", made[0]),
            Some(json!({"usageLocation": 42})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(refused(&error).contains("'usageLocation'"), "{error}");
    // Annotations and bindings are no properties; nothing was refused above
    // for them, and a create with them stores.
    let (status, created) = c
        .send(
            "POST",
            "/users",
            Some(user(
                "Bound",
                json!({"@odata.type": "#microsoft.graph.user",
                       "manager@odata.bind": "https://graph.microsoft.com/v1.0/users/x"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    // An open type (group.md: `"openType": true`) takes properties it does
    // not define, and still checks those it does.
    let group = json!({"displayName": "Open", "mailEnabled": false, "mailNickname": "open",
                       "securityEnabled": true, "contosoTeamColour": "blue"});
    let (status, created) = c.send("POST", "/groups", Some(group)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["contosoTeamColour"], "blue");
    // The read-only date-time the service stamps (group.md: createdDateTime,
    // "Read-only."; the create's example shows it), now, in RFC 3339.
    let stamped = created["createdDateTime"].as_str().unwrap_or_default();
    assert!(stamped.len() == 20 && stamped.ends_with('Z'), "{created}");
    let (status, error) = c
        .send(
            "POST",
            "/groups",
            Some(json!({"displayName": "G", "mailEnabled": "no"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(refused(&error).contains("'mailEnabled'"), "{error}");

    // An action's parameters (user-sendmail.md's table): a misspelled or
    // mistyped one is refused, the documented bodies are answered.
    let mail = json!({"message": {"subject": "Hi"}, "saveToSentItem": false});
    let (status, error) = c.send("POST", "/me/sendMail", Some(mail)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert_eq!(
        refused(&error),
        "Parameter 'saveToSentItem' is not a parameter of 'sendMail'. Did you mean 'saveToSentItems'?"
    );
    let mail = json!({"message": "Hi"});
    let (status, error) = c.send("POST", "/me/sendMail", Some(mail)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert_eq!(
        refused(&error),
        "Invalid value for parameter 'message' of 'sendMail': a JSON string where an object is expected."
    );
    let mail = json!({"message": {"subject": "Hi"}, "saveToSentItems": false});
    let (status, _) = c.send("POST", "/me/sendMail", Some(mail)).await;
    assert_eq!(status, StatusCode::ACCEPTED);

    // $expand: the navigation from the store, or unset as the model types
    // it; a name the type lacks is refused as the service does.
    let (status, one) = c
        .send(
            "GET",
            &format!("/users/{}?$expand=manager,memberOf&$select=id", made[0]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["manager"], Value::Null);
    assert_eq!(one["memberOf"], json!([]));
    assert_eq!(one["id"], made[0].as_str());
    let (status, error) = c
        .send("GET", &format!("/users/{}?$expand=bogus", made[0]), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert_eq!(
        refused(&error),
        "Could not find a property named 'bogus' on type 'microsoft.graph.user'."
    );
    // A documented list's items keep the expansion their page shows.
    let (status, apps) = c
        .send(
            "GET",
            "/appCatalogs/teamsApps?$filter=id eq '876df28f-2e78-423b-94a5-44181bd0e225'&$expand=appDefinitions",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{apps}");
    assert_eq!(apps["value"].as_array().map(Vec::len), Some(1), "{apps}");
    assert!(
        apps["value"][0]["appDefinitions"][0]["displayName"].is_string(),
        "{apps}"
    );

    // A documented item is there under its documented id until removed.
    let documented = "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    let (status, u) = c.send("GET", documented, None).await;
    assert_eq!(status, StatusCode::OK, "{u}");
    assert_eq!(u["id"], "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
    assert_eq!(
        c.send("DELETE", documented, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        c.send("GET", documented, None).await.0,
        StatusCode::NOT_FOUND
    );
    drop(mock);
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}
