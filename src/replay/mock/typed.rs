//! The mock's validation by type with the docs' own type model
//! (`crate::types::Model`, built from the resource pages): a create or
//! update body is refused (`400`) for a property its type does not define
//! (open types accept any), a value of the wrong JSON type, format or enum
//! member, or a read-only property sent. What the model does not know (a
//! type no resource page defines) falls back to [`Learned`].
//!
//! Where the docs contradict themselves the examples win, so that no
//! documented request is refused for the model's sake: a property the table
//! calls read-only but a documented create or update of the type sends is
//! accepted (the types stage's reading found a third of "Read-only" marks
//! on properties a create must send); enum members are compared ignoring
//! case (Graph reads them so on input; the static check is stricter).
//! Control information and annotations (`@odata.type`, `x@odata.bind`),
//! dotted instance annotations and navigation properties are never refused.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::schema::{BodyError, Generated, Learned, Problem, Schema};
use crate::json;
use crate::types::model::{near, Model, Property, Resolved};
use crate::types::primitive::Prim;

pub(crate) struct Typed {
    model: Arc<Model>,
    learned: Learned,
    /// (type, property): a documented create or update of the type sends
    /// the property although its table says read-only.
    sent_read_only: HashSet<(usize, String)>,
}

/// How deep a body is followed into complex values (a client's JSON may
/// nest without end; the service's types do not).
const MAX_DEPTH: usize = 16;

impl Typed {
    pub(crate) fn new(model: Arc<Model>, learned: Learned) -> Typed {
        Typed {
            model,
            learned,
            sent_read_only: HashSet::new(),
        }
    }

    /// A documented create or update request of `type_name` sends `body`:
    /// its read-only properties are the table's mistake, not the example's.
    pub(crate) fn documented_request(&mut self, type_name: &str, body: &Map<String, Value>) {
        let own = body
            .get("@odata.type")
            .and_then(Value::as_str)
            .and_then(|n| self.model.type_named(n));
        let Some(t) = own.or_else(|| self.model.type_named(type_name)) else {
            return;
        };
        for k in body.keys() {
            if let Some((owner, p)) = self.model.property(t, k) {
                if p.read_only {
                    self.sent_read_only.insert((owner, k.clone()));
                }
            }
        }
    }

    fn object(
        &self,
        t: usize,
        body: &Map<String, Value>,
        top: bool,
        path: &str,
        depth: usize,
    ) -> Result<(), BodyError> {
        let model = &self.model;
        // An instance of a derived type says so; a type the model does not
        // know cannot be judged against another.
        let t = match body.get("@odata.type").and_then(Value::as_str) {
            Some(name) => match model.type_named(name) {
                Some(own) => own,
                None => return Ok(()),
            },
            None => t,
        };
        let open = model.is_open(t);
        let name = &model.types[t].name;
        for (k, v) in body {
            // `@odata.type`, `members@odata.bind`, `@microsoft.graph.x`.
            if k.contains('@') || k.contains('.') {
                continue;
            }
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}/{k}")
            };
            // Outlook's pages write PascalCase (`Topic`, `Threads`) and the
            // service reads property names so: a name equal but for case is
            // that property.
            let property = model.property(t, k).or_else(|| {
                let named = model
                    .property_names(t)
                    .find(|n| n.eq_ignore_ascii_case(k))?;
                model.property(t, named)
            });
            match property {
                None if open => {}
                None => {
                    let why = match self.suggest(t, k) {
                        Some(n) => format!("Did you mean '{n}'?"),
                        None => {
                            "Make sure to only use property names that are defined by the type."
                                .to_owned()
                        }
                    };
                    return Err(BodyError::new(Problem::Unknown, name, &here, why));
                }
                // A relationship may be deep-inserted or bound; the
                // service's rules for it are not the page's tables'.
                Some((_, p)) if p.navigation => {}
                Some((owner, p)) => {
                    if top && p.read_only && !self.sent_read_only.contains(&(owner, k.clone())) {
                        return Err(BodyError::new(
                            Problem::ReadOnly,
                            name,
                            &here,
                            "Remove it from the request body.".into(),
                        ));
                    }
                    if depth < MAX_DEPTH {
                        self.value(p, v, name, &here, depth)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn suggest(&self, t: usize, key: &str) -> Option<&str> {
        self.model
            .property_names(t)
            .filter_map(|n| near(n, key, (n.len() / 3).max(1)).map(|d| (d, n)))
            .min()
            .map(|(_, n)| n)
    }

    fn value(
        &self,
        p: &Property,
        v: &Value,
        on: &str,
        path: &str,
        depth: usize,
    ) -> Result<(), BodyError> {
        if v.is_null() {
            return Ok(());
        }
        let bad = |why: String| {
            Err(BodyError::new(
                Problem::Value,
                on,
                path,
                format!(
                    "{} is not a valid {}: {why}",
                    display(v),
                    self.model.describe(p)
                ),
            ))
        };
        if p.collection {
            let Value::Array(items) = v else {
                return bad("expected an array".into());
            };
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}/{i}");
                if let Err(why) = self.single(p.resolved, item, &at, depth) {
                    return match why {
                        Single::Nested(e) => Err(e),
                        Single::Wrong(why) => Err(BodyError::new(
                            Problem::Value,
                            on,
                            path,
                            format!(
                                "{} (item {i}) is not a valid {}: {why}",
                                display(item),
                                self.model.describe(p)
                            ),
                        )),
                    };
                }
            }
            return Ok(());
        }
        match self.single(p.resolved, v, path, depth) {
            Ok(()) => Ok(()),
            Err(Single::Nested(e)) => Err(e),
            Err(Single::Wrong(why)) => bad(why),
        }
    }

    /// One value of a resolved type: `Wrong` for this value's fault,
    /// `Nested` for a fault inside a complex value.
    fn single(&self, r: Resolved, v: &Value, path: &str, depth: usize) -> Result<(), Single> {
        check_single(&self.model, r, v).map_err(Single::Wrong)?;
        if let (Resolved::Type(t), Value::Object(o)) = (r, v) {
            self.object(t, o, false, path, depth + 1)
                .map_err(Single::Nested)?;
        }
        Ok(())
    }
}

enum Single {
    Wrong(String),
    Nested(BodyError),
}

/// Is `v` a value of `r` (an object for a structured type, its members
/// unchecked here)? `Err` says why not.
pub(crate) fn check_single(model: &Model, r: Resolved, v: &Value) -> Result<(), String> {
    match (r, v) {
        (_, Value::Null) | (Resolved::Unknown, _) | (Resolved::Prim(Prim::Any), _) => Ok(()),
        (Resolved::Prim(_), Value::Array(_)) => Err("an array where one value is expected".into()),
        (Resolved::Prim(p), Value::Object(_)) => {
            Err(format!("an object where {} is expected", p.name()))
        }
        (Resolved::Prim(p), v) => match p.check(&tolerant(v)) {
            None => Ok(()),
            Some(why) => Err(why),
        },
        (Resolved::Type(_), Value::Object(_)) => Ok(()),
        (Resolved::Type(_), Value::Array(_)) => Err("an array where one object is expected".into()),
        (Resolved::Type(_), v) => Err(format!("{} where an object is expected", kind(v))),
        (Resolved::Enum(e), Value::String(s)) => {
            let members = &model.enums[e].members;
            // Flag enums are written "a,b"; Graph reads members ignoring case.
            match s
                .split(',')
                .map(str::trim)
                .find(|x| !members.iter().any(|m| m.eq_ignore_ascii_case(x)))
            {
                None => Ok(()),
                Some(x) => {
                    let listed: Vec<&str> = members.iter().take(12).map(String::as_str).collect();
                    let more = if members.len() > 12 { ", …" } else { "" };
                    Err(format!(
                        "`{x}` is not a member of {} ({}{more})",
                        model.enums[e].name,
                        listed.join(", ")
                    ))
                }
            }
        }
        (Resolved::Enum(_), v) => Err(format!(
            "{} where a member name (a string) is expected",
            kind(v)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a JSON boolean",
        Value::Number(_) => "a JSON number",
        Value::String(_) => "a JSON string",
        Value::Array(_) => "a JSON array",
        Value::Object(_) => "a JSON object",
    }
}

/// The value as the message quotes it (long values cut).
fn display(v: &Value) -> String {
    let mut s = v.to_string();
    if s.len() > 60 {
        let cut = (0..=57).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// A scalar as the tolerant parser's value, which `Prim::check` reads.
fn tolerant(v: &Value) -> json::Value {
    match v {
        Value::Null => json::Value::Null,
        Value::Bool(b) => json::Value::Bool(*b),
        Value::Number(n) => {
            json::Value::Number(json::Text::from(n.to_string()), n.as_f64().unwrap_or(0.0))
        }
        Value::String(s) => json::Value::String(json::Text::from(s.as_str())),
        // Arrays and objects are judged before a primitive is checked.
        Value::Array(_) | Value::Object(_) => json::Value::Invalid(json::Text::default()),
    }
}

impl Schema for Typed {
    fn validate(
        &self,
        type_name: &str,
        body: &Map<String, Value>,
        create: bool,
    ) -> Result<(), BodyError> {
        match self.model.type_named(type_name) {
            Some(t) => self.object(t, body, true, "", 0),
            None => self.learned.validate(type_name, body, create),
        }
    }

    fn generated(&self, type_name: &str) -> Vec<(String, Generated)> {
        let mut out = self.learned.generated_for(type_name);
        let Some(t) = self.model.type_named(type_name) else {
            return out;
        };
        let model = &self.model;
        // The key's format as the model types it (a GUID, a number);
        // `String` keys keep the shape the examples show.
        if let Some((_, id)) = model.property(t, "id") {
            let how = match id.resolved {
                Resolved::Prim(Prim::Guid) => Some(Generated::Guid),
                Resolved::Prim(Prim::Int(_)) => Some(Generated::Number),
                _ => None,
            };
            if let (Some(how), Some(slot)) = (how, out.iter_mut().find(|(k, _)| k == "id")) {
                slot.1 = how;
            }
        }
        // The read-only date-times the service stamps on a create.
        let mut seen: HashSet<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        let mut dates = Vec::new();
        for i in model.chain(t) {
            for p in &model.types[i].properties {
                let stamped = p.name.starts_with("created") || p.name.starts_with("lastModified");
                if stamped
                    && p.read_only
                    && !p.collection
                    && p.resolved == Resolved::Prim(Prim::DateTimeOffset)
                    && seen.insert(p.name.as_str())
                {
                    dates.push((p.name.clone(), Generated::Now));
                }
            }
        }
        out.extend(dates);
        out
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::page::Page;
    use serde_json::json;

    /// A resource page of `name` (`widget`) with these property rows
    /// (`| name | Type | Description |`) and this resource annotation.
    fn resource(name: &str, rows: &[&str], annotation: &str) -> Page {
        let mut text = format!(
            "# {name} resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n| Property | Type | Description |\n|:---|:---|:---|\n"
        );
        for row in rows {
            text.push_str(row);
            text.push('\n');
        }
        text.push_str(&format!(
            "\n## JSON representation\n\n<!-- {{\n  \"blockType\": \"resource\",\n  {annotation}\n  \"@odata.type\": \"microsoft.graph.{name}\"\n}} -->\n\n```json\n{{}}\n```\n"
        ));
        Page::from_text(Arc::from(format!("resources/{name}.md")), text, None)
    }

    /// widget (closed: a date-time, an enum, a complex owner, a read-only
    /// and a navigation property), identity (complex), bag (open).
    pub(crate) fn pages() -> Vec<Page> {
        let kinds = "# widgetKind enum type\n\nNamespace: microsoft.graph\n\n## Members\n\n| Member | Description |\n|:---|:---|\n| small | Small. |\n| large | Large. |\n";
        vec![
            resource(
                "widget",
                &[
                    "| id | String | The key. Read-only. |",
                    "| createdDateTime | DateTimeOffset | When made. Read-only. |",
                    "| displayName | String | The name. |",
                    "| isActive | Boolean | In use. |",
                    "| kind | [widgetKind](widgetkind.md) | The kind. |",
                    "| owner | [identity](identity.md) | Who owns it. |",
                    "| serial | Guid | The serial. |",
                    "| tags | String collection | Labels. |",
                ],
                "\"keyProperty\": \"id\",",
            ),
            resource(
                "identity",
                &[
                    "| displayName | String | The name. |",
                    "| id | String | The id. |",
                ],
                "",
            ),
            resource(
                "bag",
                &[
                    "| id | Guid | The key. Read-only. |",
                    "| size | Int32 | How big. |",
                ],
                "\"openType\": true,",
            ),
            Page::from_text(Arc::from("resources/widgetkind.md"), kinds.to_owned(), None),
        ]
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn typed() -> Typed {
        Typed::new(Arc::new(Model::build(&pages())), Learned::default())
    }

    fn refused(t: &Typed, body: Value) -> BodyError {
        t.validate("#microsoft.graph.widget", &obj(body), true)
            .expect_err("refused")
    }

    #[test]
    fn a_valid_instance_passes_with_annotations_and_nulls() {
        let t = typed();
        let body = json!({
            "@odata.type": "#microsoft.graph.widget", "displayName": "w", "isActive": true,
            "kind": "Large", "owner": {"displayName": "o", "id": "1"}, "serial": null,
            "tags": ["a"], "parts@odata.bind": ["https://x/parts/1"], "@microsoft.graph.x": 1
        });
        assert_eq!(
            t.validate("microsoft.graph.widget", &obj(body), true),
            Ok(())
        );
    }

    #[test]
    fn faults_name_the_property_and_the_reason() {
        let t = typed();
        let e = refused(&t, json!({"displayNme": "w"}));
        assert_eq!(
            (e.kind, e.property.as_str()),
            (Problem::Unknown, "displayNme")
        );
        assert_eq!(
            e.message(),
            "Property 'displayNme' does not exist on type 'microsoft.graph.widget'. Did you mean 'displayName'?"
        );
        let e = refused(&t, json!({"createdDateTime": "2021-01-01T00:00:00Z"}));
        assert_eq!(e.kind, Problem::ReadOnly);
        let e = refused(&t, json!({"isActive": "yes"}));
        assert_eq!(
            e.message(),
            "Invalid value for property 'isActive' of microsoft.graph.widget: \"yes\" is not a valid Boolean: a JSON string where Boolean takes true or false."
        );
        let e = refused(&t, json!({"serial": "42"}));
        assert!(e.reason.contains("not a GUID"), "{}", e.reason);
        let e = refused(&t, json!({"kind": "huge"}));
        assert!(
            e.reason
                .contains("`huge` is not a member of widgetKind (small, large)"),
            "{}",
            e.reason
        );
        let e = refused(&t, json!({"tags": "a"}));
        assert!(e.reason.ends_with("expected an array"), "{}", e.reason);
        let e = refused(&t, json!({"tags": ["a", 1]}));
        assert!(e.reason.contains("(item 1)"), "{}", e.reason);
        // Inside a complex value: the path and the complex type.
        let e = refused(&t, json!({"owner": {"displayName": 3}}));
        assert_eq!(e.property, "owner/displayName");
        assert_eq!(e.on, "microsoft.graph.identity");
        let e = refused(&t, json!({"owner": "me"}));
        assert!(
            e.reason.contains("where an object is expected"),
            "{}",
            e.reason
        );
    }

    #[test]
    fn open_types_take_any_property_and_case_is_forgiven() {
        let t = typed();
        let open = obj(json!({"anything": {"a": 1}, "size": 3}));
        assert_eq!(t.validate("microsoft.graph.bag", &open, true), Ok(()));
        let e = t
            .validate("microsoft.graph.bag", &obj(json!({"size": 1.5})), true)
            .expect_err("an Int32");
        assert_eq!(e.property, "size");
        // `DisplayName` is `displayName` (Outlook's pages write PascalCase).
        assert_eq!(
            t.validate(
                "microsoft.graph.widget",
                &obj(json!({"DisplayName": "w"})),
                true
            ),
            Ok(())
        );
        // A type the model does not know is the learned schema's.
        assert_eq!(
            t.validate("microsoft.graph.other", &obj(json!({"x": 1})), true),
            Ok(())
        );
    }

    #[test]
    fn a_documented_request_overrules_the_tables_read_only() {
        let mut t = typed();
        let sent = obj(json!({"createdDateTime": "2021-01-01T00:00:00Z"}));
        assert!(t.validate("microsoft.graph.widget", &sent, true).is_err());
        t.documented_request("microsoft.graph.widget", &sent);
        assert_eq!(t.validate("microsoft.graph.widget", &sent, true), Ok(()));
    }

    #[test]
    fn generated_values_follow_the_model() {
        let t = typed();
        assert_eq!(
            t.generated("microsoft.graph.widget"),
            vec![
                ("id".to_owned(), Generated::Guid),
                ("createdDateTime".to_owned(), Generated::Now)
            ]
        );
        assert_eq!(
            t.generated("microsoft.graph.bag"),
            vec![("id".to_owned(), Generated::Guid)]
        );
    }
}
