//! The mock's starting state and its learned schema, from the examples:
//!
//! - a documented list (`GET` answered `{"value": [...]}`) seeds each item
//!   that has an `id` under the list's path, and marks the path a collection;
//! - a documented item read (`GET` answered an object), a create (`POST`
//!   answered `201` with an object that has an `id`), and an update (`PATCH`
//!   or `PUT` answered with an object) seed that item under its documented
//!   id;
//! - a `PATCH`, `PUT` or `DELETE` answered without a body says the item it
//!   names exists: it is seeded as `{"id": ...}` unless documented fully.
//!
//! Each item is seeded once per page (the first documentation on the page
//! wins); the store shows a scope its own page's documentation first.

use serde_json::{Map, Value};

use super::schema::Learned;
use super::store::Seeds;
use crate::page::Page;
use crate::replay::url;

/// Can this path segment be an item's id (not `$value`, `delta()`,
/// `root:/path:`, a function call)?
pub(crate) fn id_like(segment: &str) -> bool {
    !segment.is_empty() && !segment.starts_with('$') && !segment.contains(['(', ':', '='])
}

/// The type an example's response announces: its annotation's
/// `@odata.type`, else the body's; `Collection(x)` gives `x`.
fn announced(page: &Page, annotation: Option<usize>, body: Option<&Value>) -> Option<String> {
    let from_annotation = annotation
        .and_then(|i| page.annotations.get(i))
        .and_then(|a| a.json.root.as_ref())
        .and_then(|r| r.value.get("@odata.type"))
        .and_then(|n| n.value.as_str())
        .map(str::to_owned);
    let name = from_annotation.or_else(|| {
        body.and_then(|b| b.get("@odata.type"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    })?;
    let name = name.trim();
    let inner = name
        .strip_prefix("Collection(")
        .and_then(|n| n.strip_suffix(')'))
        .unwrap_or(name);
    Some(inner.trim_start_matches('#').to_owned())
}

/// The type name a page's example announces, for the route table.
pub(crate) fn type_of(page: &Page, example: &crate::example::Example) -> Option<String> {
    let response = example.response.as_ref()?;
    let body = response.message.json_value();
    announced(page, response.annotation, body.as_ref()).filter(|t| !t.starts_with("Edm."))
}

pub(crate) fn build(pages: &[Page], vars: &[(String, String)]) -> (Seeds, Learned) {
    let mut seeds = Seeds::default();
    let mut schema = Learned::default();
    for (number, page) in pages.iter().enumerate() {
        for example in &page.examples {
            seed_example(&mut seeds, &mut schema, number, page, example, vars);
        }
    }
    schema.finish();
    (seeds, schema)
}

fn seed_example(
    seeds: &mut Seeds,
    schema: &mut Learned,
    number: usize,
    page: &Page,
    example: &crate::example::Example,
    vars: &[(String, String)],
) {
    let (Some(request), Some(response)) = (&example.request, &example.response) else {
        return;
    };
    if request.ignored {
        return;
    }
    let Some(method) = request.message.method().map(str::to_ascii_uppercase) else {
        return;
    };
    let status = response.message.status().unwrap_or(200);
    if !(200..300).contains(&status) {
        return;
    }
    let filled = url::fill(request.message.url().unwrap_or(""), vars);
    let raw = filled.as_str();
    if !url::placeholders(raw).is_empty() {
        return;
    }
    let (path, _) = url::split_query(url::path_and_query(raw));
    let segs = url::segments(path);
    let Some((last, parent)) = segs.split_last() else {
        return;
    };
    let collection = parent.join("/");
    let body = response.message.json_value();
    let sent = request.message.json_value();
    let type_name = announced(page, response.annotation, body.as_ref());
    if let Some(t) = &type_name {
        if let (Some(Value::Object(s)), "POST" | "PATCH" | "PUT") = (&sent, method.as_str()) {
            // A create or update sends an instance; an action's body is
            // parameters (its response is no `201`, no entity of the type).
            if method != "POST" || status == 201 {
                schema.learn(t, s, true);
            }
        }
    }
    let here = segs.join("/");
    match (method.as_str(), &body) {
        ("GET", Some(Value::Object(list)))
            if matches!(list.get("value"), Some(Value::Array(_))) =>
        {
            if !id_like(last) {
                return;
            }
            let asked = url::query_pairs(url::split_query(url::path_and_query(raw)).1)
                .iter()
                .any(|(k, _)| k == "$count");
            seeds.listed(&here, !asked && list.contains_key("@odata.count"));
            let Some(Value::Array(items)) = list.get("value") else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                let Value::Object(item) = item else { continue };
                if let Some(t) = &type_name {
                    schema.learn(t, item, false);
                }
                // An item without an id is listed under a key no URL names.
                let key = id_text(item.get("id")).map_or_else(
                    || format!("\u{0}{number}.{}.{i}", example.index),
                    |id| url::normalise_segment(&id),
                );
                seeds.add(&here, &key, number, item.clone());
            }
        }
        ("GET" | "PATCH" | "PUT", Some(Value::Object(item))) if id_like(last) => {
            if let Some(t) = &type_name {
                schema.learn(t, item, false);
            }
            seeds.add(&collection, last, number, item.clone());
        }
        ("POST", Some(Value::Object(item))) if status == 201 && id_like(last) => {
            if let Some(t) = &type_name {
                schema.learn(t, item, false);
            }
            if let Some(id) = id_text(item.get("id")) {
                seeds.add(&here, &url::normalise_segment(&id), number, item.clone());
            }
        }
        ("PATCH" | "PUT" | "DELETE", None)
            if id_like(last) && names_item(page, &method, segs.len()) =>
        {
            // The id as the page writes it (segments are lower case).
            let written = path
                .rsplit('/')
                .find(|s| !s.is_empty())
                .map(url::percent_decode)
                .unwrap_or_default();
            let mut item = Map::new();
            item.insert("id".into(), Value::String(written));
            seeds.add(&collection, last, number, item);
        }
        _ => {}
    }
}

/// Does the page document `method` on an item (a template ending in `{id}`)
/// with this many segments? A `DELETE` of `.../bannerLogo` removes a
/// stream, not an item.
fn names_item(page: &Page, method: &str, len: usize) -> bool {
    page.templates.iter().any(|t| {
        let (path, _) = url::split_query(url::path_and_query(&t.path));
        let segs = url::segments(path);
        t.method.eq_ignore_ascii_case(method)
            && segs.len() == len
            && segs.last().is_some_and(|s| s.starts_with('{'))
    })
}

fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
