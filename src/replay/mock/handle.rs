//! What the mock answers, as CONTRACT.md's "The built-in mock" describes:
//! a body that is not JSON gets 400, an unknown route 404; items and lists
//! come from the store (seeded from the examples, then holding what clients
//! create), with OData query options; a create or update body is validated
//! against its type; actions and functions get the documented response of
//! the example they match.

use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue, HOST};
use hyper::StatusCode;
use serde_json::{Map, Value};

use super::routes::{Documented, Found};
use super::schema::{BodyError, Generated, Problem};
use super::seed::id_like;
use super::store::{Entity, Scope, Stored};
use super::{odata, query, Mock, Reply};
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

/// An answer header saying where the answer came from, for `run` (see
/// `super::limits`): `store` (the mock's state: a documented response that
/// shows other state is a limitation of the mock, not of the page) or
/// `unsupported` (a query option the mock does not implement). Documented
/// responses and refusals carry none.
pub(crate) const ANSWER_HEADER: &str = "x-exemplar-answer";

/// What one request is about, worked out once.
struct Ctx<'a> {
    mock: &'a Mock,
    req: &'a Incoming<'a>,
    scope: Scope<'a>,
    /// The normalised path, its parent (the collection) and last segment.
    here: String,
    collection: String,
    last: String,
    found: Option<Found<'a>>,
    doc: Option<&'a Documented>,
    sent: Option<Value>,
}

pub(crate) fn handle(mock: &Mock, req: &Incoming) -> Reply {
    let sent = match parse_body(req) {
        Ok(sent) => sent,
        Err(e) => return odata::bad_json(&e),
    };
    let segs = url::segments(req.path);
    let name = req
        .headers
        .get(SCOPE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let scope = Scope {
        name,
        page: name.parse().ok(),
    };
    let method = req.method;
    let found = mock.routes.lookup(method, &segs);
    let doc = found
        .as_ref()
        .and_then(|f| choose(mock, f.examples, req, sent.as_ref()));
    let (last, parent) = match segs.split_last() {
        Some((last, parent)) => (last.clone(), parent.join("/")),
        None => (String::new(), String::new()),
    };
    let ctx = Ctx {
        mock,
        req,
        scope,
        here: segs.join("/"),
        collection: parent,
        last,
        found,
        doc,
        sent,
    };
    match method {
        "GET" => get(&ctx),
        "PATCH" | "PUT" | "DELETE" => write(&ctx),
        "POST" => post(&ctx),
        _ => match doc {
            Some(d) => documented(d),
            None => odata::not_found(method, req.path),
        },
    }
}

impl Ctx<'_> {
    /// The request names an item of a collection the mock knows (or a
    /// route's `{id}`), so an absent item is a 404, never a fallback.
    fn names_item(&self) -> bool {
        id_like(&self.last)
            && (self.found.as_ref().is_some_and(|f| f.item)
                || self.mock.store.is_collection(self.scope, &self.collection))
    }

    /// A literal route (an example's own URL, `users/delta`) that is not a
    /// documented item: its documented answer stands.
    fn literal_doc(&self) -> Option<&Documented> {
        self.doc
            .filter(|_| self.found.as_ref().is_some_and(|f| !f.item))
    }

    /// Does a page read this path as a list (a `GET` route, or a list
    /// the store knows)?
    fn is_listable(&self) -> bool {
        let segs: Vec<String> = self.here.split('/').map(str::to_owned).collect();
        self.mock.routes.lookup("GET", &segs).is_some()
            || self.mock.store.is_collection(self.scope, &self.here)
    }

    fn type_name(&self) -> Option<&str> {
        if let Some(t) = self.doc.and_then(|d| d.type_name.as_deref()) {
            return Some(t);
        }
        let docs = &self.mock.routes.docs;
        self.found
            .as_ref()?
            .examples
            .iter()
            .find_map(|&i| docs[i].type_name.as_deref())
    }

    /// The type a create or update body is held to: the chosen example's
    /// (none for an action's, none for the very body an example sends that
    /// does not fit the route's type), else the first the route's examples
    /// give.
    fn body_type(&self) -> Option<&str> {
        if let Some(d) = self.doc {
            if !d.writes || d.body_type.is_some() || d.request_body == self.sent {
                return d.body_type.as_deref();
            }
        }
        let docs = &self.mock.routes.docs;
        self.found
            .as_ref()?
            .examples
            .iter()
            .find_map(|&i| docs[i].body_type.as_deref())
    }

    /// `http://host/v1.0` as the client reached the mock.
    fn base(&self) -> String {
        let host = self
            .req
            .headers
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        let version = self
            .req
            .path
            .split('/')
            .find(|s| !s.is_empty())
            .filter(|s| url::is_version(s))
            .unwrap_or("v1.0");
        format!("http://{host}/{version}")
    }

    fn not_found_item(&self) -> Reply {
        let id = self
            .req
            .path
            .rsplit('/')
            .find(|s| !s.is_empty())
            .map(url::percent_decode)
            .unwrap_or_default();
        from_store(odata::error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            &format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        ))
    }
}

fn get(c: &Ctx) -> Reply {
    let store = &c.mock.store;
    if id_like(&c.last) {
        if let Some(item) = store.get(c.scope, &c.collection, &c.last) {
            return item_reply(c, StatusCode::OK, &item);
        }
        if store.documented(&c.collection, &c.last) {
            return c.not_found_item();
        }
    }
    if store.is_listed(c.scope, &c.here) {
        return list(c);
    }
    documented_or_not_found(c, "GET")
}

/// An item as stored, `$select` applied.
fn item_reply(c: &Ctx, status: StatusCode, item: &Stored) -> Reply {
    let options = match query::parse(c.req.query, true) {
        Ok(o) => o,
        Err(e) => return unsupported(&e),
    };
    // An item a list (or another page) documented has no context of its
    // own; a read of it gets the one the route's example shows (the
    // route's metadata URL), if it shows one.
    let context = item.context.as_ref().or_else(|| {
        c.doc
            .and_then(|d| d.json.as_ref())
            .and_then(|j| j.get("@odata.context"))
            .filter(|_| !item.bytes.is_empty())
    });
    let body = match (&options.select, item.context.is_some()) {
        (None, true) if options.expand.is_empty() => item.bytes.clone(),
        (select, _) => {
            let mut entity = match select {
                Some(select) => query::select(&item.entity, select),
                None => (*item.entity).clone(),
            };
            let t = route_type(c);
            if let Err(e) = expand(c, &mut entity, &item.entity, &c.here, &options.expand, t) {
                return e;
            }
            Bytes::from(
                serde_json::to_vec(&super::store::with_context(&entity, context))
                    .unwrap_or_default(),
            )
        }
    };
    from_store(Reply {
        status,
        headers: vec![odata::json_type()],
        body,
    })
}

fn unsupported(e: &query::QueryError) -> Reply {
    let mut reply = odata::error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!(
            "The query option {} is not supported by the mock: {}.",
            e.option, e.reason
        ),
    );
    reply.headers.push((
        HeaderName::from_static(ANSWER_HEADER),
        HeaderValue::from_static("unsupported"),
    ));
    reply
}

fn from_store(mut reply: Reply) -> Reply {
    reply.headers.push((
        HeaderName::from_static(ANSWER_HEADER),
        HeaderValue::from_static("store"),
    ));
    reply
}

/// A collection from the store: `$filter`, `$orderby`, `$skip`, `$top`,
/// `$count`, `$select`, and an `@odata.nextLink` when more items follow.
fn list(c: &Ctx) -> Reply {
    let options = match query::parse(c.req.query, false) {
        Ok(o) => o,
        Err(e) => return unsupported(&e),
    };
    let items = c.mock.store.list(c.scope, &c.here);
    let mut page = query::page(items, &options);
    if !options.expand.is_empty() {
        let t = route_type(c);
        for item in &mut page.value {
            if let Value::Object(entity) = item {
                let full = entity.clone();
                let path = item_path(&c.here, &full);
                if let Err(e) = expand(c, entity, &full, &path, &options.expand, t) {
                    return e;
                }
            }
        }
    }
    let base = c.base();
    let next = page.next.map(|skip| {
        format!(
            "{base}/{}?{}",
            c.req
                .path
                .trim_start_matches('/')
                .split_once('/')
                .map_or("", |(_, p)| p),
            query::next_query(&options, skip)
        )
    });
    let context = c
        .doc
        .and_then(|d| d.json.as_ref())
        .and_then(|j| j.get("@odata.context"))
        .cloned()
        .unwrap_or_else(|| Value::String(format!("{base}/$metadata#{}", c.here)));
    // A collection whose documented lists always carry `@odata.count`
    // (access reviews) counts without being asked.
    let count = options.count || c.mock.store.counts(&c.here);
    let body = query::body(Some(context), page, count, next);
    from_store(Reply {
        status: StatusCode::OK,
        headers: vec![odata::json_type()],
        body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    })
}

/// Where an item of `collection` lives (`users/<id>`), by its id.
fn item_path(collection: &str, entity: &Entity) -> String {
    match entity.get("id") {
        Some(Value::String(id)) => format!("{collection}/{}", url::normalise_segment(id)),
        Some(Value::Number(n)) => format!("{collection}/{n}"),
        _ => collection.to_owned(),
    }
}

/// `$expand`: each navigation property shown inline, from what the item
/// holds (a documented item shows its expansion), else from the store
/// (`<item>/<property>` as a list or an item), else as the type model
/// says an unset one reads (`[]` for a collection, `null` for one
/// entity). A name the item's closed type does not define is a `400`, as
/// the service answers. `full` is the item before `$select`.
fn expand(
    c: &Ctx,
    entity: &mut Entity,
    full: &Entity,
    path: &str,
    expands: &[query::Expand],
    t: Option<usize>,
) -> Result<(), Reply> {
    let store = &c.mock.store;
    let model = c.mock.model.as_deref();
    // The item's own type when it names one (a derived type).
    let t = full
        .get("@odata.type")
        .and_then(Value::as_str)
        .and_then(|n| model?.type_named(n))
        .or(t);
    for e in expands {
        // The navigation's target type, for what is expanded below it.
        let target = model
            .zip(t)
            .and_then(|(m, t)| match m.property(t, &e.name)?.1.resolved {
                crate::types::model::Resolved::Type(i) => Some(i),
                _ => None,
            });
        let held = full
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(&e.name) && !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()));
        let below = format!("{path}/{}", url::normalise_segment(&e.name));
        let (key, value) = match held {
            Some(found) => found,
            None if store.is_listed(c.scope, &below) => (
                e.name.clone(),
                Value::Array(
                    store
                        .list(c.scope, &below)
                        .iter()
                        .map(|i| Value::Object((**i).clone()))
                        .collect(),
                ),
            ),
            None => match store.get(c.scope, path, &url::normalise_segment(&e.name)) {
                Some(item) if !item.entity.is_empty() => {
                    (e.name.clone(), Value::Object((*item.entity).clone()))
                }
                _ => match unset_navigation(c, t, &e.name)? {
                    Some(v) => (e.name.clone(), v),
                    None => continue,
                },
            },
        };
        let value = match value {
            Value::Array(items) => {
                let items = items
                    .into_iter()
                    .filter_map(|v| match v {
                        Value::Object(o) => Some(std::sync::Arc::new(o)),
                        _ => None,
                    })
                    .collect();
                let mut page = query::page(items, &e.options);
                for item in &mut page.value {
                    if let Value::Object(o) = item {
                        let inner_full = o.clone();
                        let inner = item_path(&below, &inner_full);
                        expand(c, o, &inner_full, &inner, &e.options.expand, target)?;
                    }
                }
                Value::Array(page.value)
            }
            Value::Object(o) => {
                let mut shown = match &e.options.select {
                    Some(s) => query::select(&o, s),
                    None => o.clone(),
                };
                expand(c, &mut shown, &o, &below, &e.options.expand, target)?;
                Value::Object(shown)
            }
            other => other,
        };
        entity.insert(key, value);
    }
    Ok(())
}

/// An expanded navigation property nothing holds: `[]` or `null` as the
/// type model defines it; `Err` (400) when the type is closed and defines
/// no such property; `None` (left out) when the type is unknown.
fn unset_navigation(c: &Ctx, t: Option<usize>, name: &str) -> Result<Option<Value>, Reply> {
    let (Some(model), Some(t)) = (c.mock.model.as_deref(), t) else {
        return Ok(None);
    };
    match model.property(t, name) {
        Some((_, p)) if p.collection => Ok(Some(Value::Array(Vec::new()))),
        Some(_) => Ok(Some(Value::Null)),
        None if model.is_open(t) => Ok(None),
        None => Err(odata::error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!(
                "Could not find a property named '{name}' on type '{}'.",
                model.types[t].name
            ),
        )),
    }
}

/// The model's type of what the route answers (`None` without a model).
fn route_type(c: &Ctx) -> Option<usize> {
    c.mock.model.as_deref()?.type_named(c.type_name()?)
}

/// The status a store answer takes: the documented one when it is a
/// success, else `fallback`.
fn status(c: &Ctx, fallback: StatusCode) -> StatusCode {
    c.doc
        .map(|d| d.status)
        .filter(StatusCode::is_success)
        .unwrap_or(fallback)
}

fn validate(c: &Ctx, body: &Entity, create: bool) -> Option<Reply> {
    let t = c.body_type()?;
    let e = match c.mock.schema.validate(t, body, create) {
        Err(e) => e,
        // What the route's page marks required (and its example sends).
        Ok(()) if create => {
            let missing = c
                .doc?
                .required
                .iter()
                .find(|name| body.get(name.as_str()).is_none_or(Value::is_null))?;
            BodyError::new(
                Problem::Missing,
                t,
                missing,
                "Send it in the request body.".into(),
            )
        }
        Ok(()) => return None,
    };
    Some(refuse(&e))
}

fn refuse(e: &BodyError) -> Reply {
    odata::error(StatusCode::BAD_REQUEST, e.code, &e.message())
}

/// Why `v` is no value of an action's parameter typed `r` (a collection
/// when `collection`), or `None`.
pub(crate) fn param_error(
    model: &crate::types::Model,
    r: crate::types::model::Resolved,
    collection: bool,
    v: &Value,
) -> Option<String> {
    match (collection, v) {
        (true, Value::Array(items)) => items
            .iter()
            .find_map(|item| super::typed::check_single(model, r, item).err()),
        (true, Value::Null) => None,
        (true, _) => Some("expected an array".into()),
        (false, v) => super::typed::check_single(model, r, v).err(),
    }
}

/// An action's body against its page's parameters table.
fn validate_params(c: &Ctx, doc: &Documented) -> Option<Reply> {
    let params = doc.params.as_ref()?;
    let Some(Value::Object(body)) = &c.sent else {
        return None;
    };
    let model = c.mock.model.as_ref()?;
    for (k, v) in body {
        if k.contains('@') {
            continue;
        }
        match params.list.iter().find(|p| p.name == *k) {
            Some(p) if p.documented.as_ref() == Some(v) => {}
            Some(p) => {
                if let Some(why) = param_error(model, p.resolved, p.collection, v) {
                    return Some(refuse(&BodyError::new(
                        Problem::Parameter,
                        &params.action,
                        k,
                        why,
                    )));
                }
            }
            None if params.closed => {
                let near = params
                    .list
                    .iter()
                    .filter_map(|p| {
                        let n = &p.name;
                        crate::types::model::near(n, k, (n.len() / 3).max(1)).map(|d| (d, n))
                    })
                    .min()
                    .map(|(_, n)| n);
                let why = match near {
                    Some(n) => format!("Did you mean '{n}'?"),
                    None => {
                        let names: Vec<&str> =
                            params.list.iter().map(|p| p.name.as_str()).collect();
                        format!("Its parameters are: {}.", names.join(", "))
                    }
                };
                return Some(refuse(&BodyError::new(
                    Problem::UnknownParameter,
                    &params.action,
                    k,
                    why,
                )));
            }
            None => {}
        }
    }
    None
}

/// PATCH merges, PUT replaces, DELETE removes.
fn write(c: &Ctx) -> Reply {
    let store = &c.mock.store;
    let method = c.req.method;
    let body = match &c.sent {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    };
    if let Some(body) = body.filter(|_| method != "DELETE") {
        if let Some(refused) = validate(c, body, false) {
            return refused;
        }
    }
    if id_like(&c.last) {
        let empty = Map::new();
        let done = match method {
            "PATCH" => store.merge(
                c.scope,
                &c.collection,
                &c.last,
                body.unwrap_or(&empty),
                |e| {
                    if e.contains_key("@odata.etag") {
                        e.insert("@odata.etag".into(), Value::String(etag()));
                    }
                },
            ),
            "PUT" if body.is_some() && (c.doc.is_some() || c.names_item()) => {
                let mut item = body.cloned().unwrap_or_default();
                if let Some(id) = store
                    .get(c.scope, &c.collection, &c.last)
                    .and_then(|old| old.entity.get("id").cloned())
                {
                    item.entry("id").or_insert(id);
                }
                store.put(c.scope, &c.collection, &c.last, item).map(Some)
            }
            "DELETE" => store
                .remove(c.scope, &c.collection, &c.last)
                .map(|removed| removed.then(Stored::empty)),
            _ => Ok(None),
        };
        match done {
            Err(_) => return odata::full(),
            Ok(Some(item)) => {
                let status = status(
                    c,
                    if method == "DELETE" {
                        StatusCode::NO_CONTENT
                    } else if method == "PUT" {
                        StatusCode::OK
                    } else {
                        StatusCode::NO_CONTENT
                    },
                );
                if status == StatusCode::NO_CONTENT || method == "DELETE" {
                    return from_store(Reply {
                        status: if method == "DELETE" {
                            StatusCode::NO_CONTENT
                        } else {
                            status
                        },
                        headers: Vec::new(),
                        body: Bytes::new(),
                    });
                }
                return item_reply(c, status, &item);
            }
            Ok(None) => {}
        }
        if store.documented(&c.collection, &c.last) {
            return c.not_found_item();
        }
    }
    documented_or_not_found(c, method)
}

fn post(c: &Ctx) -> Reply {
    match (&c.sent, c.doc) {
        // A `201` is a create when its body is an entity (it has an id) or
        // the path is a collection (a page lists it); else it is an
        // action's answer (`createUploadSession`'s upload session).
        (Some(Value::Object(body)), doc)
            if id_like(&c.last)
                && doc.is_none_or(|d| {
                    d.status == StatusCode::CREATED
                        && (d.json.as_ref().is_none_or(|j| j.get("id").is_some())
                            || c.is_listable())
                }) =>
        {
            if c.found.is_none() && !c.mock.store.is_collection(c.scope, &c.here) {
                return odata::not_found("POST", c.req.path);
            }
            create(c, body)
        }
        (_, Some(doc)) => validate_params(c, doc).unwrap_or_else(|| documented(doc)),
        // A documented action without an example: it happened, nothing to say.
        (_, None) if c.found.is_some() => Reply {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: Bytes::new(),
        },
        _ => odata::not_found("POST", c.req.path),
    }
}

/// A create: the body sent plus what the service sets (the key, the
/// type's generated read-only values, `@odata.context`), stored under the
/// collection. Never a value of another example.
fn create(c: &Ctx, sent: &Entity) -> Reply {
    if let Some(refused) = validate(c, sent, true) {
        return refused;
    }
    let mut rng = id_source(c.mock, &c.here, c.req.body);
    let mut entity = Map::new();
    // The service's context URL, unless the route's example shows the
    // service answering without one (as with createdDateTime and the etag,
    // what the documentation shows of the service decides).
    let documented = c.doc.and_then(|d| d.json.as_ref());
    if documented.is_none_or(|j| j.get("@odata.context").is_some()) {
        entity.insert(
            "@odata.context".into(),
            Value::String(format!("{}/$metadata#{}/$entity", c.base(), c.here)),
        );
    }
    for (k, v) in sent {
        entity.insert(k.clone(), v.clone());
    }
    // What the service shows unset: a property the route's example answers
    // as `null` or `[]` and the client did not send is `null` or `[]` here
    // too (an absence, never one of the example's values).
    if let Some(Value::Object(documented)) = c.doc.and_then(|d| d.json.as_ref()) {
        for (k, v) in documented {
            let unset = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
            if unset && !k.starts_with('@') && !entity.contains_key(k) {
                entity.insert(k.clone(), v.clone());
            }
        }
    }
    // The service names the instance's type when the example shows it does
    // (a type derived from the collection's): control information, the
    // route's type, not a value.
    let shows_type = c
        .doc
        .and_then(|d| d.json.as_ref())
        .is_some_and(|j| j.get("@odata.type").is_some());
    if let (true, Some(t)) = (shows_type, c.type_name()) {
        if !entity.contains_key("@odata.type") {
            entity.insert("@odata.type".into(), Value::String(format!("#{t}")));
        }
    }
    let mut generated = match c.type_name() {
        Some(t) => c.mock.schema.generated(t),
        None => vec![("id".to_owned(), Generated::Guid)],
    };
    // The key in the format of the id this route's example documents, when
    // it documents one (the format, never the value).
    let documented_id = c
        .doc
        .and_then(|d| d.json.as_ref())
        .and_then(|j| j.get("id"));
    if let (Some(id), Some(slot)) = (documented_id, generated.iter_mut().find(|(k, _)| k == "id")) {
        slot.1 = match id {
            Value::String(s) if crate::replay::compare::is_guid(s) => Generated::Guid,
            Value::String(s) => Generated::Like(s.clone()),
            Value::Number(_) => Generated::Number,
            _ => Generated::Guid,
        };
    }
    for (k, how) in generated {
        // A date-time the route's example does not show is one this
        // service does not stamp here (or the page leaves it out).
        let shown = documented.is_none_or(|j| j.get(&k).is_some());
        if how == Generated::Now && !shown {
            continue;
        }
        if !entity.contains_key(&k) {
            entity.insert(k, generate(&how, &mut rng));
        }
    }
    let id = match entity.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    match c
        .mock
        .store
        .put(c.scope, &c.here, &url::normalise_segment(&id), entity)
    {
        Ok(stored) => item_reply(c, status(c, StatusCode::CREATED), &stored),
        Err(_) => odata::full(),
    }
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

/// What the store cannot answer: the example documented for this very
/// URL, a 404 for an item it does not hold, else the route's documented
/// answer (or a 404 for the route).
fn documented_or_not_found(c: &Ctx, method: &str) -> Reply {
    if let Some(doc) = c.literal_doc() {
        return documented(doc);
    }
    if c.names_item() {
        return c.not_found_item();
    }
    match c.doc {
        Some(doc) => documented(doc),
        None => odata::not_found(method, c.req.path),
    }
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

fn generate(how: &Generated, rng: &mut fastrand::Rng) -> Value {
    match how {
        Generated::Guid => Value::String(guid(rng)),
        Generated::Like(s) => Value::String(
            s.chars()
                .map(|c| match c {
                    '0'..='9' => rng.digit(10),
                    'a'..='z' => rng.lowercase(),
                    'A'..='Z' => rng.uppercase(),
                    other => other,
                })
                .collect(),
        ),
        Generated::Number => Value::from(rng.u32(1..u32::MAX)),
        Generated::Now => Value::String(now()),
        Generated::Etag => Value::String(etag()),
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

/// A weak entity tag that changes with every write.
fn etag() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    format!("W/\"{:016x}\"", N.fetch_add(1, Ordering::Relaxed))
}

/// Now, RFC 3339 in UTC with seconds (`2026-11-30T10:04:01Z`).
pub(crate) fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since 1970 as a civil date and time (H. Hinnant's
/// `civil_from_days`, proleptic Gregorian).
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_have_version_4_shape() {
        let g = guid(&mut fastrand::Rng::with_seed(7));
        assert!(crate::replay::compare::is_guid(&g), "{g}");
        assert_eq!(&g[14..15], "4");
    }

    #[test]
    fn generated_ids_keep_the_documented_shape() {
        let Value::String(id) = generate(
            &Generated::Like("AAMk-12x".into()),
            &mut fastrand::Rng::with_seed(7),
        ) else {
            panic!("not a string");
        };
        assert_eq!(id.len(), 8);
        assert!(id.starts_with(|c: char| c.is_ascii_uppercase()));
        assert_eq!(&id[4..5], "-");
        assert!(id[5..7].chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_764_497_041), "2025-11-30T10:04:01Z");
    }
}
