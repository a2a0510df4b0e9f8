//! Every example body checked against its resource type, both directions:
//! a response against the type its annotation names (`"@odata.type":
//! "microsoft.graph.user"`, `isCollection`) or its own `@odata.type`; a
//! create or update request against the type the page says it sends (the
//! Request body prose's link, the created type of a `201` response, the
//! `X-update` page's X) or its own `@odata.type`.
//!
//! Rules: `unknown-type`, `unknown-property`, `property-type` (enum members
//! included: an enum member outside the type's enum is a `property-type`
//! finding) and `read-only-property`.

use std::collections::hash_map::Entry;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use foldhash::HashMap;

use super::model::{file_stem, near, Model, Property, Resolved};
use super::primitive::Prim;
use crate::example::Example;
use crate::finding::Finding;
use crate::http::{Body, Message};
use crate::json::{self, Node, Value};
use crate::page::Page;
use crate::rule::{declare_rule, Rule};

declare_rule! {
    pub(crate) UNKNOWN_TYPE = "unknown-type", Error, Check,
    "an @odata.type that no resource page of the docs set defines";
}

declare_rule! {
    pub(crate) UNKNOWN_PROPERTY = "unknown-property", Error, Check,
    "a body property that its resource type does not define (open types exempt)";
}

declare_rule! {
    pub(crate) PROPERTY_TYPE = "property-type", Error, Check,
    "a body value of the wrong JSON type, format or enum member for its property";
}

declare_rule! {
    pub(crate) READ_ONLY_PROPERTY = "read-only-property", Warning, Check,
    "a create/update request sends a property its resource page documents as read-only";
}
use crate::rules::Ctx;

/// The checks of one example.
pub(super) fn example<'p>(
    ctx: &mut Ctx<'p>,
    model: &Model,
    suggestions: &Suggestions,
    shared: &mut Shared<'p>,
    example: &'p Example,
) {
    if let Some(response) = &example.response {
        check_response(
            ctx,
            model,
            suggestions,
            shared,
            &response.message,
            response.annotation,
        );
    }
    if let Some(request) = &example.request {
        if !request.ignored {
            check_request(ctx, model, suggestions, shared, example, &request.message);
        }
    }
}

/// A 2xx response's JSON body.
fn response_body(message: &Message) -> Option<&Body> {
    let status = message.status()?;
    if !(200..300).contains(&status) {
        return None;
    }
    message.body.as_ref().filter(|b| b.is_json())
}

/// A create or update request's JSON body, with its method and the URL
/// path's last segment (`$ref` bodies are references, `$batch` bodies are
/// envelopes: none).
fn written_body(message: &Message) -> Option<(&str, &Body, &str)> {
    let method = message.method()?;
    let body = message.body.as_ref().filter(|b| b.is_json())?;
    let url = message.url().unwrap_or("");
    // By bytes (the cut points are ASCII): char searchers cost more than
    // the rest here, asked for every request half on the reading thread.
    let path = &url[..memchr::memchr2(b'?', b'#', url.as_bytes()).unwrap_or(url.len())];
    let path = path.trim_end_matches('/');
    let last = &path[memchr::memrchr(b'/', path.as_bytes()).map_or(0, |at| at + 1)..];
    let writes = matches!(method, "POST" | "PATCH" | "PUT");
    (writes && !last.starts_with('$')).then_some((method, body, last))
}

fn has_odata_type(body: &Body) -> bool {
    memchr::memmem::find(body.text().as_bytes(), b"@odata.type").is_some()
}

/// The documented response's status (0 without one).
fn response_status(example: &Example) -> u16 {
    example
        .response
        .as_ref()
        .and_then(|r| r.message.status())
        .unwrap_or(0)
}

/// What a page shares with its translations, by text: a translation's
/// bodies are most often its source's, byte for byte, and are then parsed
/// once for all of them, and walked once for all of those the page holds
/// to the same type (the type checks run a page's translations one after
/// the other, see `types::check`). What the page just checked did not use
/// is dropped ([`Shared::next_page`]): kept, the trees of a group's every
/// body raised the peak resident set.
/// (foldhash, seeded: the keys are texts a page writes.)
#[derive(Default)]
pub(super) struct Shared<'p> {
    trees: HashMap<Text<'p>, (json::Parsed, bool)>,
    /// Each walk's findings, their spans in the body (see [`Walker`]), by
    /// the text walked and how ([`Walk`]).
    walks: HashMap<(Text<'p>, Walk<'p>), (Vec<Finding>, bool)>,
    /// What the drift check of each resource block found (a page holds a
    /// few: looked for in order).
    pub(super) compared: Vec<super::drift::Compared<'p>>,
}

impl<'p> Shared<'p> {
    /// The tree of `text`, parsed on first use, and what the drift checks
    /// found so far.
    pub(super) fn tree_and_compared(
        &mut self,
        model: &Model,
        text: &'p str,
    ) -> (&json::Parsed, &mut Vec<super::drift::Compared<'p>>) {
        let (tree, used) = self.trees.entry(Text(text)).or_insert_with(|| {
            // A representation the model's build parsed, else parsed here.
            let parsed = model
                .take_representation(text)
                .unwrap_or_else(|| json::parse(text));
            (parsed, false)
        });
        *used = true;
        (tree, &mut self.compared)
    }

    /// Drops what the page just checked did not use: the next page (a
    /// translation of it) shows the same bodies if any.
    pub(super) fn next_page(&mut self) {
        // Most pages leave nothing: a retain walks every bucket of a map
        // that held something once.
        if !self.trees.is_empty() {
            self.trees.retain(|_, (_, used)| std::mem::take(used));
        }
        if !self.walks.is_empty() {
            self.walks.retain(|_, (_, used)| std::mem::take(used));
        }
        self.compared.retain_mut(|c| std::mem::take(&mut c.used));
    }

    /// Reports what walking `body` as `walk` finds: walked here, or found
    /// by an earlier page of the group walking the same text the same way.
    fn walk(
        &mut self,
        ctx: &mut Ctx<'p>,
        model: &Model,
        suggestions: &Suggestions,
        body: &'p Body,
        walk: Walk<'p>,
    ) {
        let Shared { trees, walks, .. } = self;
        let (found, used) = match walks.entry((Text(body.text()), walk)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => {
                // The body's own tree, kept from the page rules (and shared
                // with its translations'); a body not meant to be JSON is
                // parsed here all the same, when it names a type.
                let parsed = match body.json() {
                    Some(parsed) => parsed,
                    None => tree(trees, body.text()),
                };
                let found = walked(model, suggestions, &ctx.page.path, parsed, &new.key().1);
                new.insert((found, false))
            }
        };
        *used = true;
        for finding in found.iter() {
            replay(ctx, body, finding);
        }
    }
}

fn tree<'t, 'p>(
    trees: &'t mut HashMap<Text<'p>, (json::Parsed, bool)>,
    text: &'p str,
) -> &'t json::Parsed {
    let (tree, used) = trees
        .entry(Text(text))
        .or_insert_with(|| (json::parse(text), false));
    *used = true;
    tree
}

/// A body's text as a key of [`Shared`]'s maps, hashed and compared whole.
/// (A hash of its length and ends alone, tried for speed, gave every body
/// that agrees there one hash: a page of such bodies made each look-up
/// compare it with all the ones before, quadratic; review10's crafted page
/// took 12.7 s against 0.6 s.)
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Text<'p>(&'p str);

/// Reports on the page a finding a walk of `body`'s text found (its
/// spans in the body).
fn replay(ctx: &mut Ctx, body: &Body, found: &Finding) {
    // Every field named: a field added to `Finding` must be thought about here.
    let Finding {
        rule,
        severity,
        path: _,
        span,
        message,
        help,
        example: _,
        pointer,
        expected,
        actual,
        known,
        related,
        fix,
    } = found;
    let finding = ctx.report(rule, body.to_page(span), message.clone());
    finding.severity = *severity;
    finding.help = help.clone();
    finding.pointer = pointer.clone();
    finding.expected = expected.clone();
    finding.actual = actual.clone();
    finding.known = *known;
    finding.related = related.clone();
    // A fix's edits are in the body; the walks make none.
    debug_assert!(fix.is_none(), "a walk's finding has no fix");
}

/// [`Model::suggest_type`] of each unknown type name, asked once a run: it
/// measures the name against every type of the docs set, and a docs set
/// repeats its unknown names page after page (one name 30 times in the corpus).
#[derive(Default)]
pub(super) struct Suggestions(Mutex<HashMap<String, Option<String>>>);

impl Suggestions {
    fn get(&self, model: &Model, name: &str) -> Option<String> {
        let known = self.0.lock().ok().and_then(|m| m.get(name).cloned());
        if let Some(known) = known {
            return known;
        }
        // Asked outside the lock: two threads may both measure a new name.
        let suggested = model.suggest_type(name).map(str::to_owned);
        if let Ok(mut m) = self.0.lock() {
            m.insert(name.to_owned(), suggested.clone());
        }
        suggested
    }
}

/// The type a response annotation names, and whether it announces a collection.
struct Announced<'p> {
    name: &'p str,
    span: Range<usize>,
    collection: bool,
}

fn announced(page: &Page, annotation: Option<usize>) -> Option<Announced<'_>> {
    let a = page.annotations.get(annotation?)?;
    let root = a.json.root.as_ref()?;
    // `@type` is the older spelling some pages keep.
    let node = root
        .value
        .get("@odata.type")
        .or_else(|| root.value.get("@type"))?;
    let raw = node.value.as_str()?.trim();
    let collection = matches!(
        root.value.get("isCollection").map(|n| &n.value),
        Some(Value::Bool(true))
    );
    // `Collection(microsoft.graph.user)` announces a collection too.
    let (name, wrapped) = match strip_collection(raw) {
        Some(inner) => (inner, true),
        None => (raw, false),
    };
    Some(Announced {
        name: name.trim_start_matches('#'),
        span: a.json_start + node.span.start..a.json_start + node.span.end,
        collection: collection || wrapped,
    })
}

/// `Collection(microsoft.graph.user)` (any case) → `microsoft.graph.user`.
pub(super) fn strip_collection(name: &str) -> Option<&str> {
    let head = name.get(..11)?;
    head.eq_ignore_ascii_case("collection(")
        .then(|| name[11..].strip_suffix(')'))
        .flatten()
        .map(str::trim)
}

/// Could this `@odata.type` value name a structured type (not `Edm.String`,
/// `#Int64`, `Collection(...)`, a bare word)?
fn names_structured_type(name: &str) -> bool {
    let name = name.trim_start_matches('#');
    name.contains('.') && !name.starts_with("Edm.") && !name.contains('(') && !name.contains(' ')
}

fn check_response<'p>(
    ctx: &mut Ctx<'p>,
    model: &Model,
    suggestions: &Suggestions,
    shared: &mut Shared<'p>,
    message: &'p Message,
    annotation: Option<usize>,
) {
    let page = ctx.page;
    let announced = announced(page, annotation);
    let mut expected = None;
    let mut reported = None;
    if let Some(a) = &announced {
        match model.type_named(a.name) {
            Some(t) => expected = Some(t),
            None if names_structured_type(a.name) && model.knows_namespace(a.name) => {
                let (message, help) = unknown_type(
                    suggestions.get(model, a.name),
                    a.name,
                    "the response annotation",
                );
                ctx.report(&UNKNOWN_TYPE, a.span.clone(), message).help = Some(help);
                reported = Some(a.name.to_ascii_lowercase());
            }
            None => {}
        }
    }
    let Some(body) = response_body(message) else {
        return;
    };
    // Most bodies neither announce a type nor carry one: nothing to check.
    if expected.is_none() && !has_odata_type(body) {
        return;
    }
    let collection = announced.as_ref().is_some_and(|a| a.collection);
    let walk = Walk::Response {
        expected,
        collection,
        reported,
    };
    shared.walk(ctx, model, suggestions, body, walk);
}

/// How a body is walked: what the walk's findings depend on besides the
/// body's text and the model.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Walk<'p> {
    /// A response: the type announced (when the model knows it), whether
    /// a collection is, and the unknown type the annotation named (lower case).
    Response {
        expected: Option<usize>,
        collection: bool,
        reported: Option<String>,
    },
    /// A create or update request: its method, and the type the page says it sends.
    Request {
        method: &'p str,
        target: Option<Target>,
    },
}

/// The findings of walking `parsed` as `walk`, their spans in the body.
fn walked(
    model: &Model,
    suggestions: &Suggestions,
    path: &Arc<str>,
    parsed: &json::Parsed,
    walk: &Walk,
) -> Vec<Finding> {
    let Some(root) = parsed.root.as_ref() else {
        return Vec::new();
    };
    let mut walker = Walker {
        found: Vec::new(),
        path,
        model,
        request: None,
        suggestions,
        reported: None,
    };
    match walk {
        Walk::Response {
            expected,
            collection,
            reported,
        } => {
            walker.reported = reported.as_deref();
            walker.response(root, *expected, *collection);
        }
        Walk::Request { method, target } => walker.request(root, method, *target),
    }
    walker.found
}

/// What a create or update request sends: its type and where that came from.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Target {
    type_index: usize,
    /// From the page's prose or the response, not the body's own `@odata.type`.
    inferred: bool,
}

fn check_request<'p>(
    ctx: &mut Ctx<'p>,
    model: &Model,
    suggestions: &Suggestions,
    shared: &mut Shared<'p>,
    example: &Example,
    message: &'p Message,
) {
    let page = ctx.page;
    let Some((method, body, last)) = written_body(message) else {
        return;
    };
    let target = if matches!(method, "PATCH" | "PUT") || !is_action(last) {
        request_target(page, model, example, method)
    } else {
        None
    };
    if target.is_none() && !has_odata_type(body) {
        return;
    }
    shared.walk(
        ctx,
        model,
        suggestions,
        body,
        Walk::Request { method, target },
    );
}

/// An action or function segment (`assignLicense`, `microsoft.graph.delta`,
/// `getSchedule(...)`) rather than a collection: its body holds parameters.
fn is_action(segment: &str) -> bool {
    segment.contains(['.', '(']) || segment.is_empty()
}

/// The type a create or update request sends, from the page: the Request
/// body prose's link to a resource page, else the type of a `201 Created`
/// (create) or `200 OK` (update) response, else the `X-update` page's X.
fn request_target(page: &Page, model: &Model, example: &Example, method: &str) -> Option<Target> {
    let inferred = |t| {
        Some(Target {
            type_index: t,
            inferred: true,
        })
    };
    let status = response_status(example);
    // A create answers `201 Created`; a POST answered otherwise is an
    // action (`sendActivityNotification`), whose body holds parameters.
    if method == "POST" && status != 201 {
        return None;
    }
    if let Some(t) = page
        .request_body_links
        .iter()
        .find_map(|(stem, _)| model.type_of_file(stem))
    {
        return inferred(t);
    }
    let response = example.response.as_ref()?;
    if status == 201 || (method != "POST" && status == 200) {
        if let Some(t) = announced(page, response.annotation)
            .filter(|a| !a.collection)
            .and_then(|a| model.type_named(a.name))
        {
            return inferred(t);
        }
    }
    if method == "PATCH" {
        let stem = file_stem(&page.path);
        if let Some(t) = stem
            .strip_suffix("-update")
            .and_then(|x| model.type_of_file(x))
        {
            return inferred(t);
        }
    }
    None
}

/// The message and help of an `unknown-type` finding.
fn unknown_type(suggested: Option<String>, name: &str, place: &str) -> (String, String) {
    (
        format!("{place} names the type `{name}`, which no resource page of the docs set defines"),
        match suggested {
            Some(s) => format!("did you mean `{s}`?"),
            None => "correct the type name, or add the type's resource page".into(),
        },
    )
}

/// Walks a body's tree against the model. Its findings' spans are in the
/// body: [`Shared::walk`] places them on each page that shows the body.
struct Walker<'w> {
    found: Vec<Finding>,
    /// The page's path, for the findings (replaced on each page).
    path: &'w Arc<str>,
    model: &'w Model,
    /// The method of a create/update request whose type is known (read-only checks).
    request: Option<&'w str>,
    suggestions: &'w Suggestions,
    /// The unknown type the response annotation named, reported there once
    /// (lower case): the body's `@odata.type` repeating it is not reported again.
    reported: Option<&'w str>,
}

impl<'w> Walker<'w> {
    fn report(&mut self, rule: &'static Rule, span: Range<usize>, message: String) -> &mut Finding {
        self.found
            .push(Finding::new(rule, self.path, span, message));
        self.found.last_mut().expect("just pushed")
    }

    /// A response body of the type `expected` (a collection of it when
    /// `collection`).
    fn response(&mut self, root: &Node, expected: Option<usize>, collection: bool) {
        let model = self.model;
        match &root.value {
            Value::Array(items) => {
                for item in items {
                    self.value_of_type(item, expected);
                }
            }
            Value::Object(_) => {
                let has_value = expected.is_none_or(|t| model.property(t, "value").is_none());
                match root.value.get("value").map(|n| &n.value) {
                    // `{"value": [...]}`: a collection, or an action's wrapped result.
                    Some(Value::Array(items)) if has_value => {
                        for item in items {
                            self.value_of_type(item, expected);
                        }
                        self.annotations_only(root);
                    }
                    // `{"value": "..."}`: a primitive result; not the announced type.
                    Some(_) if has_value => {}
                    _ if collection && expected.is_some() => self.annotations_only(root),
                    _ => self.object(root, expected, true),
                }
            }
            _ => {}
        }
    }

    /// A create or update request's body, sent by `method`, of the type
    /// `target` the page says (or of its own `@odata.type`).
    fn request(&mut self, root: &Node, method: &'w str, target: Option<Target>) {
        let model = self.model;
        if !matches!(root.value, Value::Object(_)) {
            return;
        }
        let own = root
            .value
            .get("@odata.type")
            .and_then(|n| n.value.as_str())
            .and_then(|t| model.type_named(t));
        let target = match (own, target) {
            (Some(t), _) => Some(Target {
                type_index: t,
                inferred: false,
            }),
            (None, t) => t,
        };
        // A type guessed from the page must fit the body: one property it
        // defines at least, or the guess is wrong (an action's parameters).
        let target = target.filter(|t| {
            !t.inferred
                || root
                    .value
                    .members()
                    .iter()
                    .any(|m| model.property(t.type_index, &m.key).is_some())
        });
        self.request = target.as_ref().map(|_| method);
        self.object(root, target.map(|t| t.type_index), true);
    }

    /// Checks `node`, an object of type `expected` (or of the type its own
    /// `@odata.type` names). `top`: the body's root, where a request's
    /// read-only properties are checked.
    fn object(&mut self, node: &Node, expected: Option<usize>, top: bool) {
        let model = self.model;
        let mut t = expected;
        if let Some(own) = node.value.get("@odata.type") {
            if let Some(name) = own.value.as_str() {
                match model.type_named(name) {
                    Some(i) => t = Some(i),
                    None => {
                        self.unknown_instance_type(&own.span, name);
                        // The instance says it is of a type the model does not
                        // know (`#Microsoft.OutlookServices.ItemAttachment`):
                        // its properties cannot be judged against another.
                        t = None;
                    }
                }
            }
        }
        let Some(t) = t else {
            self.annotations_only(node);
            return;
        };
        let open = model.is_open(t);
        for member in node.value.members() {
            // Control information and instance annotations (`@odata.etag`,
            // `members@odata.bind`, `@microsoft.graph.conflictBehavior`).
            if member.key.bytes().any(|b| matches!(b, b'@' | b'.')) {
                continue;
            }
            match model.property(t, &member.key) {
                Some((owner, property)) => {
                    // A relationship's "Read-only" says it is not set inline
                    // by PATCH; a create may still deep-insert it (a thread's posts).
                    if top && self.request.is_some() && property.read_only && !property.navigation {
                        self.read_only(member, owner, property);
                    }
                    self.value(&member.value, owner, property);
                }
                None if open => self.annotations_only(&member.value),
                None => {
                    self.unknown_property(member, t);
                    self.annotations_only(&member.value);
                }
            }
        }
    }

    /// No type to check against: only the `@odata.type` values inside.
    fn annotations_only(&mut self, node: &Node) {
        // Depth first, members in order, as `json::walk` visits them,
        // without the JSON pointers it builds (no use here). Each node
        // with whether it is an `@odata.type` member's value.
        let mut stack: Vec<(bool, &Node)> = vec![(false, node)];
        while let Some((annotation, at)) = stack.pop() {
            if annotation {
                if let Some(name) = at.value.as_str() {
                    if self.model.type_named(name).is_none() {
                        self.unknown_instance_type(&at.span, name);
                    }
                }
            }
            match &at.value {
                Value::Object(members) => stack.extend(
                    members
                        .iter()
                        .rev()
                        .map(|m| (m.key == "@odata.type", &m.value)),
                ),
                Value::Array(items) => stack.extend(items.iter().rev().map(|i| (false, i))),
                _ => {}
            }
        }
    }

    /// An instance's `@odata.type` that the model does not define: reported
    /// when its namespace is one the docs set defines types in, and the
    /// response annotation did not already name it.
    fn unknown_instance_type(&mut self, span: &Range<usize>, name: &str) {
        let bare = name.trim().trim_start_matches('#');
        if !names_structured_type(bare)
            || !self.model.knows_namespace(bare)
            || self.reported == Some(bare.to_ascii_lowercase().as_str())
        {
            return;
        }
        let suggested = self.suggestions.get(self.model, bare);
        let (message, help) = unknown_type(suggested, bare, "`@odata.type`");
        self.report(&UNKNOWN_TYPE, span.clone(), message).help = Some(help);
    }

    /// A value whose type is `expected` (an object, an array of them, or a primitive).
    fn value_of_type(&mut self, node: &Node, expected: Option<usize>) {
        match &node.value {
            Value::Object(_) => self.object(node, expected, false),
            _ => self.annotations_only(node),
        }
    }

    fn value(&mut self, node: &Node, owner: usize, property: &Property) {
        if matches!(node.value, Value::Null | Value::Invalid(_)) {
            return;
        }
        if property.collection {
            match &node.value {
                Value::Array(items) => {
                    for item in items {
                        self.single(item, owner, property);
                    }
                }
                _ if is_placeholder(&node.value, property) => {}
                _ => self.mismatch(node, owner, property, "expected an array".into()),
            }
        } else {
            self.single(node, owner, property);
        }
    }

    fn single(&mut self, node: &Node, owner: usize, property: &Property) {
        if matches!(node.value, Value::Null | Value::Invalid(_)) {
            return;
        }
        // A stand-in is tested only where the value would be reported:
        // most strings are of their property's type, and the test cost
        // more than the check.
        let placeholder = || is_placeholder(&node.value, property);
        let model = self.model;
        match property.resolved {
            Resolved::Prim(p) => {
                if let Value::Array(_) = node.value {
                    if p != Prim::Any {
                        self.mismatch(
                            node,
                            owner,
                            property,
                            "an array where one value is expected".into(),
                        );
                    }
                } else if matches!(node.value, Value::Object(_)) && p != Prim::Any {
                    self.mismatch(
                        node,
                        owner,
                        property,
                        format!("an object where {} is expected", p.name()),
                    );
                } else if let Some(why) = p.check(&node.value) {
                    if !placeholder() {
                        self.mismatch(node, owner, property, why);
                    }
                }
            }
            Resolved::Type(t) => match &node.value {
                Value::Object(_) => self.object(node, Some(t), false),
                Value::Array(_) => self.mismatch(
                    node,
                    owner,
                    property,
                    "an array where one object is expected".into(),
                ),
                _ if placeholder() => {}
                v => self.mismatch(
                    node,
                    owner,
                    property,
                    format!("a JSON {} where an object is expected", v.kind()),
                ),
            },
            Resolved::Enum(e) => match &node.value {
                Value::String(s) => {
                    let members = &model.enums[e].members;
                    // Flag enums are written "a,b".
                    let unknown: Vec<&str> = s
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !members.iter().any(|m| m == v))
                        .collect();
                    if !unknown.is_empty() && !placeholder() {
                        self.not_a_member(node, owner, property, e, &unknown);
                    }
                }
                Value::Array(_) | Value::Object(_) | Value::Bool(_) => self.mismatch(
                    node,
                    owner,
                    property,
                    format!(
                        "a JSON {} where a member name (a string) is expected",
                        node.value.kind()
                    ),
                ),
                _ => {}
            },
            Resolved::Unknown => self.annotations_only(node),
        }
    }

    fn mismatch(&mut self, node: &Node, owner: usize, property: &Property, why: String) {
        let model = self.model;
        let owner_def = &model.types[owner];
        let span = node.span.clone();
        let finding = self.report(
            &PROPERTY_TYPE,
            span,
            format!(
                "{} is not a valid {} for `{}`: {why} (`{}` of {}, {})",
                node.value.display(),
                model.describe(property),
                property.name,
                property.name,
                owner_def.name,
                owner_def.page
            ),
        );
        finding.help = Some(format!(
            "write a value of type {}, or correct the resource page",
            model.describe(property)
        ));
        finding.expected = Some(model.describe(property));
        finding.actual = Some(node.value.display());
        finding.relate(
            &property.page,
            property.span.clone(),
            format!("`{}` is documented here", property.name),
        );
    }

    fn not_a_member(
        &mut self,
        node: &Node,
        owner: usize,
        property: &Property,
        e: usize,
        unknown: &[&str],
    ) {
        let model = self.model;
        let def = &model.enums[e];
        let listed = def
            .members
            .iter()
            .take(12)
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if def.members.len() > 12 { ", …" } else { "" };
        let near = unknown
            .first()
            .and_then(|u| def.members.iter().find(|m| m.eq_ignore_ascii_case(u)));
        let span = node.span.clone();
        let finding = self.report(
            &PROPERTY_TYPE,
            span,
            format!(
                "\"{}\" is not a member of the enum {} of `{}` ({listed}{more}; {}, {})",
                unknown.join(","),
                def.name,
                property.name,
                model.types[owner].name,
                def.page
            ),
        );
        finding.help = Some(match near {
            Some(m) => format!("did you mean \"{m}\"? enum members are case-sensitive"),
            None => "use one of the enum's members, or add the member to the enum's table".into(),
        });
        finding.expected = Some(listed);
        finding.actual = node.value.as_str().map(str::to_owned);
        finding.relate(
            &property.page,
            property.span.clone(),
            format!("`{}` is documented here", property.name),
        );
    }

    fn unknown_property(&mut self, member: &json::Member, t: usize) {
        let model = self.model;
        let def = &model.types[t];
        let near = model
            .property_names(t)
            .filter_map(|n| near(n, &member.key, (n.len() / 3).max(1)).map(|d| (d, n)))
            .min()
            .map(|(_, n)| n.to_owned());
        let span = member.key_span.clone();
        let finding = self.report(
            &UNKNOWN_PROPERTY,
            span,
            format!(
                "`{}` is not a property of {} ({})",
                member.key, def.name, def.page
            ),
        );
        finding.help = Some(match near {
            Some(n) if n.eq_ignore_ascii_case(&member.key) => {
                format!("did you mean `{n}`? property names are case-sensitive")
            }
            Some(n) => format!("did you mean `{n}`?"),
            None => "remove it, or add it to the resource page's properties table".into(),
        });
        finding.relate(
            &def.page,
            def.span.clone(),
            format!("{} is defined here", def.name),
        );
    }

    fn read_only(&mut self, member: &json::Member, owner: usize, property: &Property) {
        let model = self.model;
        let def = &model.types[owner];
        let method = self.request.unwrap_or("");
        let span = member.key_span.clone();
        let finding = self.report(
            &READ_ONLY_PROPERTY,
            span,
            format!(
                "the {method} request sends `{}`, which {} documents as read-only ({})",
                member.key, def.name, def.page
            ),
        );
        finding.help = Some("remove it from the request body; the service sets it".into());
        finding.relate(
            &property.page,
            property.span.clone(),
            format!("`{}` is documented read-only here", property.name),
        );
    }
}

/// A stand-in rather than a value: the type's name (`"String"`, `"Int32"`,
/// `"String (timestamp)"`), `"displayName-value"`, `"{id}"`. Those are
/// `placeholder-value`'s business; reporting them as the wrong type too
/// would say the same thing twice.
fn is_placeholder(value: &Value, property: &Property) -> bool {
    let Value::String(s) = value else {
        return false;
    };
    let s = s.trim();
    // `Prim::parse` reads "String (timestamp)" as String.
    Prim::parse(s).is_some()
        || s.eq_ignore_ascii_case(&property.type_text)
        || s.eq_ignore_ascii_case(&property.name)
        || s.ends_with("-value")
        || s.ends_with("_value")
        || s.eq_ignore_ascii_case("value")
        || (s.starts_with('{') && s.ends_with('}'))
        || (s.starts_with('<') && s.ends_with('>'))
        || s.ends_with("(identifier)")
        || s.ends_with("(timestamp)")
        || holds_odata_type(s)
}

/// Does `s` hold `@odata.type`? For a short string a scan for `@` is
/// cheaper than setting up a substring search (every string value checked
/// against a property comes here).
fn holds_odata_type(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr_iter(b'@', bytes).any(|at| bytes[at + 1..].starts_with(b"odata.type"))
}

#[cfg(test)]
mod text_key_tests {
    use super::Text;
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

    /// Bodies that agree in length and in their first and last 64 bytes,
    /// as a page of similar examples writes them, still hash apart: a key
    /// hashed by its ends alone put them all in one bucket (quadratic).
    #[test]
    fn bodies_alike_at_both_ends_hash_apart() {
        let hasher = BuildHasherDefault::<DefaultHasher>::default();
        let body = |i: usize| {
            format!(
                "{{\"state\":\"{}{i:08}{}\"}}",
                "a".repeat(64),
                "z".repeat(64)
            )
        };
        let hashes: std::collections::HashSet<u64> =
            (0..100).map(|i| hasher.hash_one(Text(&body(i)))).collect();
        assert_eq!(hashes.len(), 100);
    }
}
