//! The mock's route table, built once from the pages: every example's
//! method and URL, and every documented request template
//! (`POST /external/connections/{connectionsId}/groups`). Literal URLs sit
//! in a hash map; URLs with `{parameters}` are matched segment by segment,
//! grouped by method and segment count so a lookup scans few candidates.

use std::collections::HashMap;

use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::StatusCode;
use serde_json::{Map, Value};

use crate::page::Page;
use crate::replay::url;
use crate::types::model::{self, Model, Resolved};

/// One example as the mock answers it.
#[derive(Debug)]
pub(crate) struct Documented {
    /// The page's position among the pages the mock was built from.
    pub(crate) page: usize,
    /// The example's query, for telling examples on one path apart.
    pub(crate) query: Vec<(String, String)>,
    /// The example's request body (its tolerant parse), for the same purpose.
    pub(crate) request_body: Option<serde_json::Value>,
    /// The example's request headers that may tell it apart (`Prefer`,
    /// `Accept-Language`, `Content-Range`): lower-case name, value.
    pub(crate) request_headers: Vec<(String, String)>,
    pub(crate) status: StatusCode,
    /// Documented headers the mock repeats (no framing headers).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The documented body as sent: JSON re-serialised (so a trailing comma
    /// in the page does not reach clients), other bodies byte for byte.
    pub(crate) body: Bytes,
    pub(crate) json: Option<serde_json::Value>,
    /// The type the response announces (`microsoft.graph.user`), else
    /// (a create or update) the type the page says the request sends.
    pub(crate) type_name: Option<String>,
    /// A create (`POST` answered `201`) or an update (`PATCH`, `PUT`).
    pub(crate) writes: bool,
    /// The type a create or update body is validated against: the type
    /// above, unless the example's own body shows it is not that type's.
    pub(crate) body_type: Option<String>,
    /// A create's properties the page's table marks required and the
    /// example sends (an example that omits one says it is not required).
    pub(crate) required: Vec<String>,
    /// An action's parameters, from the page's Request body table.
    pub(crate) params: Option<Params>,
}

/// One parameter of an action's table.
#[derive(Debug)]
pub(crate) struct Param {
    pub(crate) name: String,
    /// Its type (`Unknown`: not checked) and whether it is a collection.
    pub(crate) resolved: Resolved,
    pub(crate) collection: bool,
    /// The value the page's own example sends when that value is not of
    /// the table's type: the page's word too, so it is accepted (any other
    /// value is checked).
    pub(crate) documented: Option<Value>,
}

/// An action's parameters as its page's table lists them.
#[derive(Debug)]
pub(crate) struct Params {
    /// The action's segment (`assignLicense`), for messages.
    pub(crate) action: String,
    pub(crate) list: Vec<Param>,
    /// The table lists every parameter the example sends, so a name it
    /// does not list is refused; else the table is partial (or describes
    /// an object inside the body) and only the types are checked.
    pub(crate) closed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Lit(String),
    /// `{id}`: any one segment.
    Any,
    /// `getCounts(period='{p}')`: a segment starting with this text.
    Prefix(String),
}

#[derive(Debug)]
struct Pattern {
    segs: Vec<Seg>,
    examples: Vec<usize>,
    /// A page's request template rather than an example's URL.
    template: bool,
}

impl Pattern {
    fn matches(&self, segs: &[String]) -> bool {
        self.segs.iter().zip(segs).all(|(p, s)| match p {
            Seg::Lit(l) => l == s,
            Seg::Any => !s.is_empty(),
            Seg::Prefix(prefix) => s.starts_with(prefix.as_str()),
        })
    }

    /// Literal segments weigh most, then prefixes; an example's URL beats a
    /// template of the same shape.
    fn score(&self) -> usize {
        let exact: usize = self
            .segs
            .iter()
            .map(|s| match s {
                Seg::Lit(_) => 4,
                Seg::Prefix(_) => 2,
                Seg::Any => 0,
            })
            .sum();
        exact * 2 + usize::from(!self.template)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Routes {
    pub(crate) docs: Vec<Documented>,
    exact: HashMap<(String, String), Vec<usize>>,
    patterns: HashMap<(String, usize), Vec<Pattern>>,
}

/// What a lookup found: the examples that share the route (empty for a
/// template no example illustrates), and whether the last segment matched
/// a parameter (`{id}`: the request names an item) rather than a literal.
pub(crate) struct Found<'a> {
    pub(crate) examples: &'a [usize],
    pub(crate) item: bool,
}

/// One page's share of the table, built in parallel with the others'.
struct PageRoutes {
    /// (method, normalised segments, the example as the mock answers it).
    examples: Vec<(String, Vec<String>, Documented)>,
    /// (method, pattern, indices into `examples` that the template covers).
    templates: Vec<(String, Vec<Seg>, Vec<usize>)>,
}

fn page_routes(model: &Model, (number, page): (usize, &Page)) -> PageRoutes {
    let mut examples = Vec::new();
    for example in &page.examples {
        let (Some(request), Some(response)) = (&example.request, &example.response) else {
            continue;
        };
        let Some(method) = request.message.method().filter(|m| !m.is_empty()) else {
            continue;
        };
        let method = method.to_ascii_uppercase();
        let raw = request.message.url().unwrap_or("");
        let (path, query) = url::split_query(url::path_and_query(raw));
        let segs = url::segments(path);
        let mut doc = documented(number, query, &request.message, &response.message);
        doc.type_name = crate::replay::mock::seed::type_of(page, example);
        let last = segs.last().map_or("", String::as_str);
        let action_like = last.starts_with('$') || last.contains(['.', '(']);
        doc.writes = !request.ignored
            && !action_like
            && match method.as_str() {
                "PATCH" | "PUT" => true,
                "POST" => doc.status == StatusCode::CREATED,
                _ => false,
            };
        if doc.writes && doc.type_name.is_none() {
            doc.type_name = request_type(page, model, &method, doc.request_body.as_ref());
        }
        if doc.writes {
            doc.body_type = doc.type_name.clone();
            let t = doc.type_name.as_deref().and_then(|t| model.type_named(t));
            if let (Some(t), Some(Value::Object(sent))) = (t, doc.request_body.as_ref()) {
                // A type without a key is no entity: a `201` answering one
                // is an action's result (`createUploadSession`).
                if method == "POST" && model.property(t, "id").is_none() {
                    doc.writes = false;
                    doc.body_type = None;
                }
                // The response's type defines none of the properties the
                // example sends: it is not the type of the request's body
                // (a page's annotation naming another type), so it judges
                // no body sent to this example.
                let keys = || sent.keys().filter(|k| !k.contains('@'));
                if keys().next().is_some()
                    && !sent.contains_key("@odata.type")
                    && !keys().any(|k| model.property(t, k).is_some())
                {
                    doc.body_type = None;
                }
            }
        }
        if let Some(Value::Object(sent)) = doc.request_body.as_ref().filter(|_| !request.ignored) {
            if doc.writes && method == "POST" {
                doc.required = page
                    .properties
                    .iter()
                    .filter(|p| sent.contains_key(&p.name) && page.is_required(p))
                    .map(|p| p.name.clone())
                    .collect();
            } else if method == "POST" && !last.starts_with('$') {
                // The action's name as the page writes it (segments are lower case).
                let action = path
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(last);
                doc.params = params(page, model, action, sent);
            }
        }
        examples.push((method, segs, doc));
    }
    let templates = page
        .templates
        .iter()
        .map(|template| {
            let method = template.method.to_ascii_uppercase();
            let (path, _) = url::split_query(url::path_and_query(&template.path));
            let shape = Pattern {
                segs: url::segments(path).iter().map(|s| seg(s)).collect(),
                examples: Vec::new(),
                template: true,
            };
            let covered = examples
                .iter()
                .enumerate()
                .filter(|(_, (m, segs, _))| {
                    *m == method && segs.len() == shape.segs.len() && shape.matches(segs)
                })
                .map(|(i, _)| i)
                .collect();
            (method, shape.segs, covered)
        })
        .collect();
    PageRoutes {
        examples,
        templates,
    }
}

/// The type a create or update sends when its response names none (a
/// `204`): the resource page the Request body prose links to, else the
/// `X-update` page's X, if that type defines a property the body sends
/// (else the guess is wrong, as the types stage's request check says).
fn request_type(page: &Page, model: &Model, method: &str, sent: Option<&Value>) -> Option<String> {
    let Some(Value::Object(sent)) = sent else {
        return None;
    };
    let from_prose = page
        .request_body_links
        .iter()
        .find_map(|(stem, _)| type_of_stem(model, stem));
    let from_name = || {
        (method == "PATCH")
            .then(|| model::file_stem(&page.path))
            .and_then(|stem| {
                stem.strip_suffix("-update")
                    .and_then(|x| type_of_stem(model, x))
            })
    };
    let t = from_prose.or_else(from_name)?;
    sent.keys()
        .any(|k| model.property(t, k).is_some())
        .then(|| model.types[t].name.clone())
}

/// The type of a resource page's file stem (`user`): the type the page
/// defines, else the type of that simple name (a page whose type another
/// page defined first, `intune-devices-user.md` before `user.md`, is not
/// the model's page of the type).
fn type_of_stem(model: &Model, stem: &str) -> Option<usize> {
    model.type_of_file(stem).or_else(|| {
        let named = model::TypeRef::Named {
            name: stem.to_owned(),
            file: None,
        };
        match model.resolve(&named, "microsoft.graph") {
            Resolved::Type(t) => Some(t),
            _ => None,
        }
    })
}

/// An action's parameters from the page's Request body table, each type
/// checked only where the example's own value passes it (the page's
/// example is the page's word too: no documented request is refused).
fn params(page: &Page, model: &Model, action: &str, sent: &Map<String, Value>) -> Option<Params> {
    let mut list = Vec::new();
    for p in &page.properties {
        if !crate::page::resource::is_identifier(&p.name) {
            continue;
        }
        let (type_ref, collection) = model::parse_type_cell(&p.type_name);
        let resolved = model.resolve(&type_ref, "microsoft.graph");
        let documented = sent
            .get(&p.name)
            .filter(|own| super::handle::param_error(model, resolved, collection, own).is_some())
            .cloned();
        list.push(Param {
            name: p.name.clone(),
            resolved,
            collection,
            documented,
        });
    }
    let keys: Vec<&String> = sent.keys().filter(|k| !k.contains('@')).collect();
    let listed = |k: &String| list.iter().any(|p| p.name == *k);
    // A table that shares no name with the body describes something else.
    if !keys.iter().any(|k| listed(k)) {
        return None;
    }
    let closed = keys.iter().all(|k| listed(k));
    Some(Params {
        action: action.to_owned(),
        list,
        closed,
    })
}

impl Routes {
    pub(crate) fn build(pages: &[Page], model: &Model) -> Routes {
        use rayon::prelude::*;
        let parts: Vec<PageRoutes> = pages
            .par_iter()
            .enumerate()
            .map(|p| page_routes(model, p))
            .collect();
        let mut routes = Routes::default();
        // (method, pattern, template?) -> place in `patterns`, so that equal
        // patterns merge without a scan.
        let mut seen: HashMap<(String, Vec<Seg>, bool), usize> = HashMap::new();
        for part in parts {
            let base = routes.docs.len();
            for (method, segs, doc) in part.examples {
                let index = routes.docs.len();
                routes.docs.push(doc);
                let pattern: Vec<Seg> = segs.iter().map(|s| seg(s)).collect();
                if pattern.iter().all(|s| matches!(s, Seg::Lit(_))) {
                    routes
                        .exact
                        .entry((method, segs.join("/")))
                        .or_default()
                        .push(index);
                } else {
                    routes.add_pattern(&mut seen, method, pattern, vec![index], false);
                }
            }
            for (method, pattern, covered) in part.templates {
                let examples = covered.into_iter().map(|i| base + i).collect();
                routes.add_pattern(&mut seen, method, pattern, examples, true);
            }
        }
        routes
    }

    fn add_pattern(
        &mut self,
        seen: &mut HashMap<(String, Vec<Seg>, bool), usize>,
        method: String,
        segs: Vec<Seg>,
        examples: Vec<usize>,
        template: bool,
    ) {
        let list = self
            .patterns
            .entry((method.clone(), segs.len()))
            .or_default();
        // Two examples with one parameterised URL share a route.
        match seen.entry((method, segs, template)) {
            std::collections::hash_map::Entry::Occupied(at) => {
                list[*at.get()].examples.extend(examples);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                let segs = slot.key().1.clone();
                slot.insert(list.len());
                list.push(Pattern {
                    segs,
                    examples,
                    template,
                });
            }
        }
    }

    /// The number of distinct routes.
    pub(crate) fn len(&self) -> usize {
        self.exact.len() + self.patterns.values().map(Vec::len).sum::<usize>()
    }

    /// The route `method` and the normalised `segs` reach, if any.
    pub(crate) fn lookup(&self, method: &str, segs: &[String]) -> Option<Found<'_>> {
        if let Some(found) = self.exact.get(&(method.to_owned(), segs.join("/"))) {
            return Some(Found {
                examples: found,
                item: false,
            });
        }
        self.patterns
            .get(&(method.to_owned(), segs.len()))?
            .iter()
            .filter(|p| p.matches(segs))
            .max_by_key(|p| p.score())
            .map(|p| Found {
                examples: p.examples.as_slice(),
                item: matches!(p.segs.last(), Some(Seg::Any)),
            })
    }
}

fn seg(s: &str) -> Seg {
    match s.find('{') {
        Some(0) => Seg::Any,
        Some(i) => Seg::Prefix(s[..i].to_owned()),
        None => Seg::Lit(s.to_owned()),
    }
}

/// Headers that describe the transfer, not the resource; hyper writes its own.
const FRAMING: [&str; 4] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// Request headers that say nothing about which example a request is.
const NOT_DISTINCTIVE: [&str; 6] = [
    "content-type",
    "content-length",
    "authorization",
    "host",
    "accept",
    "connection",
];

fn documented(
    page: usize,
    query: &str,
    request: &crate::http::Message,
    response: &crate::http::Message,
) -> Documented {
    let request_headers = request
        .headers
        .iter()
        .filter(|h| {
            !NOT_DISTINCTIVE
                .iter()
                .any(|n| h.name.eq_ignore_ascii_case(n))
        })
        .map(|h| (h.name.to_ascii_lowercase(), h.value.clone()))
        .collect();
    let status = response
        .status()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .filter(|s| s.as_u16() >= 200)
        .unwrap_or(StatusCode::OK);
    let mut headers = crate::replay::wire_headers(&response.headers, &FRAMING);
    let json = response.json_value();
    let body = match (&json, &response.body) {
        (Some(value), _) => Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        (None, Some(body)) => Bytes::from(body.text().to_owned()),
        (None, None) => Bytes::new(),
    };
    if !body.is_empty() && !headers.iter().any(|(n, _)| n == CONTENT_TYPE) {
        let kind = if json.is_some() {
            "application/json"
        } else {
            "text/plain"
        };
        headers.push((CONTENT_TYPE, HeaderValue::from_static(kind)));
    }
    Documented {
        page,
        query: url::query_pairs(query),
        request_body: request.json_value(),
        request_headers,
        status,
        headers,
        body,
        json,
        type_name: None,
        writes: false,
        body_type: None,
        required: Vec::new(),
        params: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &str) -> Vec<String> {
        url::segments(path)
    }

    #[test]
    fn patterns_match_parameters_and_prefixes() {
        let p = Pattern {
            segs: segs("/reports/getEmailActivityCounts(period='{period}')")
                .iter()
                .map(|s| seg(s))
                .collect(),
            examples: vec![],
            template: true,
        };
        assert!(p.matches(&segs("/v1.0/reports/getEmailActivityCounts(period='D7')")));
        assert!(!p.matches(&segs("/v1.0/reports/getMailboxUsage(period='D7')")));
        let q = Pattern {
            segs: segs("/users/{id}/messages")
                .iter()
                .map(|s| seg(s))
                .collect(),
            examples: vec![],
            template: false,
        };
        assert!(q.matches(&segs("/users/42/messages")));
        let template = Pattern {
            segs: q.segs.clone(),
            examples: vec![],
            template: true,
        };
        let literal = Pattern {
            segs: segs("/users/me/messages").iter().map(|s| seg(s)).collect(),
            examples: vec![],
            template: true,
        };
        assert!(q.score() > template.score());
        assert!(literal.score() > q.score());
    }
}
