//! What the mock answers, as CONTRACT.md's "The built-in mock" describes:
//! a body that is not JSON gets 400, an unknown route 404, a create stores
//! what was sent, GET/PATCH/PUT/DELETE act on stored items, and everything
//! else gets the documented response of the example it matches.

use bytes::Bytes;
use hyper::header::{HeaderMap, CONTENT_TYPE};
use hyper::StatusCode;
use serde_json::{Map, Value};

use super::routes::Documented;
use super::store::Entity;
use super::{odata, Mock, Reply};
use crate::replay::url;

/// One request, already read.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// A request header that keeps a client's state apart from other clients'
/// (`run` sends the number of the page it replays, so that pages replayed
/// concurrently cannot read or overwrite each other's items, every run
/// gives one result, and each page is answered from its own examples).
pub(crate) const SCOPE_HEADER: &str = "x-exemplar-scope";

pub(crate) fn handle(mock: &Mock, req: &Incoming) -> Reply {
    let sent = match parse_body(req) {
        Ok(sent) => sent,
        Err(e) => return odata::bad_json(&e),
    };
    let segs = url::segments(req.path);
    // The scope leads the key, so one scope's items (and lists) are its own.
    let scope = req
        .headers
        .get(SCOPE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let key = format!("{scope}\u{1}{}", segs.join("/"));
    let method = req.method;
    let stored = matches!(method, "GET" | "PATCH" | "PUT" | "DELETE") && mock.store.contains(&key);
    let Some(found) = mock.routes.lookup(method, &segs) else {
        // Items created through the mock exist whether or not a page
        // documents reading them.
        if stored {
            return on_item(mock, req, &key, sent.as_ref(), None);
        }
        return match method {
            "GET" => list(mock, &key, req.path),
            _ => odata::not_found(method, req.path),
        };
    };
    let doc = choose(mock, found, req, sent.as_ref());
    if stored || (method == "PUT" && matches!(sent, Some(Value::Object(_)))) {
        return on_item(mock, req, &key, sent.as_ref(), doc);
    }
    match (method, &sent, doc) {
        ("POST", Some(Value::Object(object)), doc)
            if doc.is_none_or(|d| d.status == StatusCode::CREATED) =>
        {
            create(mock, &key, object, req.body, doc)
        }
        (_, _, Some(doc)) => documented(doc),
        ("GET", _, None) => list(mock, &key, req.path),
        // A documented action without an example: it happened, nothing to say.
        ("POST", _, None) => Reply {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: Bytes::new(),
        },
        _ => odata::not_found(method, req.path),
    }
}

/// A collection of created items: `{"value": [...]}`, or 404 when none.
fn list(mock: &Mock, key: &str, path: &str) -> Reply {
    let items = mock.store.list(key);
    if items.is_empty() {
        return odata::not_found("GET", path);
    }
    entity_reply(StatusCode::OK, None, serde_json::json!({ "value": items }))
}

/// The JSON a request carries, if it says (or looks like) it carries JSON.
fn parse_body(req: &Incoming) -> Result<Option<Value>, serde_json::Error> {
    let text_start = req.body.iter().position(|b| !b.is_ascii_whitespace());
    let Some(first) = text_start.map(|i| req.body[i]) else {
        return Ok(None);
    };
    let json = match req.content_type {
        Some(ct) => ct.to_ascii_lowercase().contains("json"),
        None => first == b'{' || first == b'[',
    };
    if !json {
        return Ok(None);
    }
    serde_json::from_slice(req.body).map(Some)
}

/// Of the examples sharing a route, the one whose body, query and
/// distinctive headers match the request best (page order breaks ties).
fn choose<'m>(
    mock: &'m Mock,
    found: &[usize],
    req: &Incoming,
    sent: Option<&Value>,
) -> Option<&'m Documented> {
    let docs = &mock.routes.docs;
    if found.len() <= 1 {
        return found.first().map(|&i| &docs[i]);
    }
    let query = url::query_pairs(req.query);
    let page = req
        .headers
        .get(SCOPE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    found
        .iter()
        .map(|&i| &docs[i])
        .enumerate()
        .max_by_key(|(order, d)| {
            // `run` names the page it replays: its own examples come first
            // (a translation may document other values than its source).
            let own = i64::from(page.is_some() && page == Some(d.page)) * 16;
            let body = i64::from(sent.is_some() && d.request_body.as_ref() == sent) * 8;
            let query = i64::from(d.query == query) * 4;
            let headers: i64 = d
                .request_headers
                .iter()
                .map(|(name, value)| {
                    match req.headers.get(name.as_str()).and_then(|v| v.to_str().ok()) {
                        Some(v) if v.trim().eq_ignore_ascii_case(value.trim()) => 1,
                        _ => -1,
                    }
                })
                .sum();
            (own + body + query + headers, std::cmp::Reverse(*order))
        })
        .map(|(_, d)| d)
}

fn documented(doc: &Documented) -> Reply {
    Reply {
        status: doc.status,
        headers: doc.headers.clone(),
        body: if doc.status == StatusCode::NO_CONTENT {
            Bytes::new()
        } else {
            doc.body.clone()
        },
    }
}

/// A create: the properties sent, the documented response's other
/// properties, and an id when none was sent; stored under the new item's path.
fn create(
    mock: &Mock,
    collection: &str,
    sent: &Entity,
    raw: &[u8],
    doc: Option<&Documented>,
) -> Reply {
    let mut rng = id_source(mock, collection, raw);
    let mut entity = Map::new();
    if let Some(Value::Object(documented)) = doc.and_then(|d| d.json.as_ref()) {
        for (k, v) in documented {
            let value = match sent.get(k) {
                Some(sent) => merged(v, sent),
                None if k == "id" => generated_id(Some(v), &mut rng),
                None => v.clone(),
            };
            entity.insert(k.clone(), value);
        }
    }
    for (k, v) in sent {
        if !entity.contains_key(k) {
            entity.insert(k.clone(), v.clone());
        }
    }
    if !entity.contains_key("id") {
        entity.insert("id".into(), generated_id(None, &mut rng));
    }
    let id = match entity.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    if !mock.store.put(
        &format!("{collection}/{}", url::normalise_segment(&id)),
        entity.clone(),
    ) {
        return odata::full();
    }
    entity_reply(
        doc.map_or(StatusCode::CREATED, |d| d.status),
        doc,
        Value::Object(entity),
    )
}

/// What was sent, with the documented value's other properties filled in
/// at every depth (a service completes nested objects too); scalars, and
/// arrays of another length than documented, are what was sent.
fn merged(documented: &Value, sent: &Value) -> Value {
    match (documented, sent) {
        (Value::Object(d), Value::Object(s)) => {
            let mut out = Map::new();
            for (k, v) in d {
                let value = match s.get(k) {
                    Some(sv) => merged(v, sv),
                    None => v.clone(),
                };
                out.insert(k.clone(), value);
            }
            for (k, v) in s {
                if !out.contains_key(k) {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Object(out)
        }
        // The same number of elements: element by element (the service
        // completes each attendee, each location).
        (Value::Array(d), Value::Array(s)) if d.len() == s.len() => {
            Value::Array(d.iter().zip(s).map(|(d, s)| merged(d, s)).collect())
        }
        _ => sent.clone(),
    }
}

/// GET, PATCH, PUT, DELETE on an item: read, merge, replace, remove.
fn on_item(
    mock: &Mock,
    req: &Incoming,
    key: &str,
    sent: Option<&Value>,
    doc: Option<&Documented>,
) -> Reply {
    let status = |fallback: StatusCode| {
        doc.map(|d| d.status)
            .filter(StatusCode::is_success)
            .unwrap_or(fallback)
    };
    let patch = match sent {
        Some(Value::Object(o)) => o.clone(),
        _ => Map::new(),
    };
    let method = req.method;
    match method {
        "GET" => match mock.store.get(key) {
            // The documented representation holds properties a create did
            // not send; what is stored wins.
            Some(item) => entity_reply(status(StatusCode::OK), doc, overlay(doc, item)),
            None => odata::not_found(method, req.path),
        },
        "PATCH" => match mock.store.merge(key, &patch) {
            Some(item) => entity_reply(status(StatusCode::OK), doc, overlay(doc, item)),
            None => odata::not_found(method, req.path),
        },
        "PUT" => {
            let mut item = patch;
            if let Some(id) = mock.store.get(key).and_then(|old| old.get("id").cloned()) {
                item.entry("id").or_insert(id);
            }
            if !mock.store.put(key, item.clone()) {
                return odata::full();
            }
            entity_reply(status(StatusCode::OK), doc, overlay(doc, item))
        }
        "DELETE" => {
            mock.store.remove(key);
            let status = status(StatusCode::NO_CONTENT);
            match doc {
                Some(d) if status != StatusCode::NO_CONTENT => documented(d),
                _ => Reply {
                    status,
                    headers: Vec::new(),
                    body: Bytes::new(),
                },
            }
        }
        _ => odata::not_found(method, req.path),
    }
}

/// The documented object body with the stored item laid over it.
fn overlay(doc: Option<&Documented>, item: Entity) -> Value {
    match doc.and_then(|d| d.json.as_ref()) {
        Some(Value::Object(documented)) => {
            let mut out = documented.clone();
            for (k, v) in item {
                out.insert(k, v);
            }
            Value::Object(out)
        }
        _ => Value::Object(item),
    }
}

/// An entity answer: empty for 204, else JSON with the documented headers.
fn entity_reply(status: StatusCode, doc: Option<&Documented>, body: Value) -> Reply {
    if status == StatusCode::NO_CONTENT {
        return Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        };
    }
    let mut headers = doc.map(|d| d.headers.clone()).unwrap_or_default();
    if !headers.iter().any(|(n, _)| n == CONTENT_TYPE) {
        headers.push(odata::json_type());
    }
    Reply {
        status,
        headers,
        body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    }
}

/// A server-generated id in the documented id's format: a GUID for a GUID
/// (or when nothing is documented), else the same shape of characters.
/// Generated ids are random-looking but repeatable: seeded by where the
/// item goes, what was sent, and how many items the collection holds, so
/// that one run of the same pages gives the same report as the last.
fn id_source(mock: &Mock, collection: &str, raw: &[u8]) -> fastrand::Rng {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    collection.hash(&mut h);
    raw.hash(&mut h);
    mock.store.next_serial(collection).hash(&mut h);
    fastrand::Rng::with_seed(h.finish())
}

fn generated_id(documented: Option<&Value>, rng: &mut fastrand::Rng) -> Value {
    match documented {
        Some(Value::String(s)) if !crate::replay::compare::is_guid(s) => Value::String(
            s.chars()
                .map(|c| match c {
                    '0'..='9' => rng.digit(10),
                    'a'..='z' => rng.lowercase(),
                    'A'..='Z' => rng.uppercase(),
                    other => other,
                })
                .collect(),
        ),
        Some(Value::Number(_)) => Value::from(rng.u32(1..u32::MAX)),
        _ => Value::String(guid(rng)),
    }
}

fn guid(rng: &mut fastrand::Rng) -> String {
    let n = rng.u128(..);
    // RFC 9562 version 4, variant 10.
    let n = (n & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_fills_nested_objects() {
        let documented =
            serde_json::json!({"body": {"contentType": "html", "content": "doc"}, "tags": [1, 2]});
        let sent = serde_json::json!({"body": {"content": "sent"}, "tags": [3], "extra": true});
        assert_eq!(
            merged(&documented, &sent),
            serde_json::json!({"body": {"contentType": "html", "content": "sent"}, "tags": [3], "extra": true})
        );
        let documented = serde_json::json!([{"a": 1, "b": 2}, {"a": 3}]);
        let sent = serde_json::json!([{"a": 9}, {"c": 4}]);
        assert_eq!(
            merged(&documented, &sent),
            serde_json::json!([{"a": 9, "b": 2}, {"a": 3, "c": 4}])
        );
    }

    #[test]
    fn guids_have_version_4_shape() {
        let g = guid(&mut fastrand::Rng::with_seed(7));
        assert!(crate::replay::compare::is_guid(&g), "{g}");
        assert_eq!(&g[14..15], "4");
    }

    #[test]
    fn generated_ids_keep_the_documented_shape() {
        let Value::String(id) = generated_id(
            Some(&Value::String("AAMk-12x".into())),
            &mut fastrand::Rng::with_seed(7),
        ) else {
            panic!("not a string");
        };
        assert_eq!(id.len(), 8);
        assert!(id.starts_with(|c: char| c.is_ascii_uppercase()));
        assert_eq!(&id[4..5], "-");
        assert!(id[5..7].chars().all(|c| c.is_ascii_digit()));
    }
}
