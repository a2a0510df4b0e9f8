//! What the mock knows of a resource type: whether a create or update body
//! is a valid instance, and what the service sets on a create (the key,
//! read-only date-times). The mock asks through [`Schema`]: [`Typed`] holds
//! bodies to the type model built from the docs' resource pages
//! (`crate::types::Model`), and falls back to [`Learned`], the schema
//! learned from the documented examples themselves, for a type no resource
//! page defines.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Why a body is refused: the property and the reason, as the OData error
/// the mock answers (`400`, code `code`) says them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyError {
    /// The property's name (`accountEnabled`); a nested one as a path
    /// (`passwordProfile/forceChangePasswordNextSignIn`).
    pub(crate) property: String,
    /// Why, in words ("a string where Boolean takes true or false").
    pub(crate) reason: String,
    /// The OData error code: Graph answers `Request_BadRequest` for a
    /// malformed property value and an unknown or read-only property alike.
    pub(crate) code: &'static str,
    /// What is wrong with the property, which decides the message's words.
    pub(crate) kind: Problem,
    /// The type (or action) the property belongs to, for the message.
    pub(crate) on: String,
}

/// The kinds of a body's fault, each with the service's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A value of the wrong JSON type, format or enum member.
    Value,
    /// A property (or parameter) the type (or action) does not define.
    Unknown,
    /// A property the service sets.
    ReadOnly,
    /// A property a create must send.
    Missing,
    /// A parameter the action's page does not list.
    UnknownParameter,
    /// A parameter's value of the wrong type.
    Parameter,
}

impl BodyError {
    pub(crate) fn new(kind: Problem, on: &str, property: &str, reason: String) -> BodyError {
        BodyError {
            property: property.to_owned(),
            reason,
            code: "Request_BadRequest",
            kind,
            on: on.trim().trim_start_matches('#').to_owned(),
        }
    }

    fn value(property: &str, reason: String) -> BodyError {
        BodyError::new(Problem::Value, "", property, reason)
    }

    /// The OData error message, naming the property in quotes as Graph does
    /// (`Property 'x' does not exist on type 'microsoft.graph.user'. ...`).
    pub(crate) fn message(&self) -> String {
        let (p, why, t) = (&self.property, &self.reason, &self.on);
        match self.kind {
            Problem::Value => format!("Invalid value for property '{p}' of {t}: {why}."),
            Problem::Unknown => format!("Property '{p}' does not exist on type '{t}'. {why}"),
            Problem::ReadOnly => {
                format!("Property '{p}' of {t} is read-only: the service sets it. {why}")
            }
            Problem::Missing => format!("Property '{p}' of {t} is required on create. {why}"),
            Problem::UnknownParameter => {
                format!("Parameter '{p}' is not a parameter of '{t}'. {why}")
            }
            Problem::Parameter => format!("Invalid value for parameter '{p}' of '{t}': {why}."),
        }
    }
}

/// A value the service generates on a create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Generated {
    /// A GUID (version 4).
    Guid,
    /// The same shape of characters as this documented value (digits for
    /// digits, letters for letters, other characters kept).
    Like(String),
    /// A whole number.
    Number,
    /// The current time, RFC 3339 in UTC.
    Now,
    /// A weak entity tag (`W/"..."`, RFC 9110 §8.8.3), new at each change.
    Etag,
}

/// A resource type as the mock needs it. `type_name` is the name an
/// example announces (`microsoft.graph.user`, with or without `#`).
pub(crate) trait Schema: Send + Sync {
    /// `Err` names the first property that makes `body` no valid
    /// instance: unknown (on a closed type), of the wrong JSON type or
    /// format, read-only but sent, or (`create`) required but missing.
    fn validate(
        &self,
        type_name: &str,
        body: &Map<String, Value>,
        create: bool,
    ) -> Result<(), BodyError>;

    /// The properties the service sets on a create and how: the key
    /// (`id`) first, then read-only properties such as `createdDateTime`.
    fn generated(&self, type_name: &str) -> Vec<(String, Generated)>;
}

/// The JSON kinds a property's documented values had.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// Bit per kind: null 1, bool 2, number 4, string 8, array 16, object 32.
    kinds: u8,
    /// Every documented string value was a date-time.
    all_date_times: bool,
    strings: usize,
}

/// A schema learned from the documented bodies: per type, the JSON kind of
/// each property its examples show. It refuses only what the docs plainly
/// contradict (a string where every documented value is a boolean); it
/// knows no read-only, required or unknown properties (an example shows
/// some of a type's properties, never all), which the type model will.
#[derive(Debug, Default)]
pub(crate) struct Learned {
    types: HashMap<String, LearnedType>,
}

#[derive(Debug, Default)]
struct LearnedType {
    properties: HashMap<String, Seen>,
    /// The first documented id that is no GUID, and how many ids were
    /// GUIDs and not: the key's format is the more common one.
    id: Option<Value>,
    guids: usize,
    others: usize,
    /// `createdDateTime` and friends: shown in responses, never sent.
    response_only_dates: Vec<String>,
    sent: std::collections::HashSet<String>,
    /// Documented entities carry `@odata.etag`.
    etag: bool,
}

fn bit(v: &Value) -> u8 {
    match v {
        Value::Null => 1,
        Value::Bool(_) => 2,
        Value::Number(_) => 4,
        Value::String(_) => 8,
        Value::Array(_) => 16,
        Value::Object(_) => 32,
    }
}

fn kind_name(bits: u8) -> &'static str {
    match bits {
        2 => "true or false",
        4 => "a number",
        8 => "a string",
        16 => "an array",
        32 => "an object",
        _ => "another type",
    }
}

fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `#microsoft.graph.user` and `microsoft.graph.user` are one type.
pub(crate) fn type_key(name: &str) -> String {
    name.trim().trim_start_matches('#').to_ascii_lowercase()
}

impl Learned {
    /// Learns from one documented body of `type_name`; `sent` for a request.
    pub(crate) fn learn(&mut self, type_name: &str, body: &Map<String, Value>, sent: bool) {
        let t = self.types.entry(type_key(type_name)).or_default();
        for (k, v) in body {
            if k == "@odata.etag" && !sent {
                t.etag = true;
            }
            if k.contains('@') {
                continue;
            }
            if sent {
                t.sent.insert(k.clone());
            } else if k == "id" && !v.is_null() {
                match v {
                    Value::String(s) if crate::replay::compare::is_guid(s) => t.guids += 1,
                    _ => {
                        t.others += 1;
                        t.id.get_or_insert_with(|| v.clone());
                    }
                }
            }
            let seen = t.properties.entry(k.clone()).or_insert(Seen {
                all_date_times: true,
                ..Seen::default()
            });
            seen.kinds |= bit(v);
            if let Value::String(s) = v {
                seen.strings += 1;
                seen.all_date_times &= is_date_time(s);
            }
        }
    }

    /// Closes learning: which date-times only responses show.
    pub(crate) fn finish(&mut self) {
        for t in self.types.values_mut() {
            let mut dates: Vec<String> = t
                .properties
                .iter()
                .filter(|(k, s)| {
                    k.ends_with("DateTime")
                        && s.strings > 0
                        && s.all_date_times
                        && !t.sent.contains(k.as_str())
                        && k.starts_with("created")
                })
                .map(|(k, _)| k.clone())
                .collect();
            dates.sort();
            t.response_only_dates = dates;
        }
    }
}

impl Schema for Learned {
    fn validate(
        &self,
        type_name: &str,
        body: &Map<String, Value>,
        _create: bool,
    ) -> Result<(), BodyError> {
        let Some(t) = self.types.get(&type_key(type_name)) else {
            return Ok(());
        };
        self.check(t, body).map_err(|mut e| {
            e.on = type_name.trim().trim_start_matches('#').to_owned();
            e
        })
    }

    fn generated(&self, type_name: &str) -> Vec<(String, Generated)> {
        self.generated_for(type_name)
    }
}

impl Learned {
    fn check(&self, t: &LearnedType, body: &Map<String, Value>) -> Result<(), BodyError> {
        for (k, v) in body {
            let Some(seen) = t.properties.get(k) else {
                continue;
            };
            let documented = seen.kinds & !1;
            // One kind documented (besides null), and the value is another.
            if v.is_null() || documented.count_ones() != 1 || bit(v) & documented != 0 {
                if let (Value::String(s), true) = (v, seen.all_date_times && seen.strings > 0) {
                    if k.ends_with("DateTime") && !is_date_time(s) {
                        return Err(BodyError::value(
                            k,
                            format!(
                                "`{s}` is not an ISO 8601 date-time with a time zone (such as 2021-04-01T12:00:00Z)"
                            ),
                        ));
                    }
                }
                continue;
            }
            return Err(BodyError::value(
                k,
                format!(
                    "{} where the property takes {}",
                    value_kind(v),
                    kind_name(documented)
                ),
            ));
        }
        Ok(())
    }

    /// The key's format and the generated values the documented examples show.
    pub(crate) fn generated_for(&self, type_name: &str) -> Vec<(String, Generated)> {
        let t = self.types.get(&type_key(type_name));
        let key = match t.filter(|t| t.others > t.guids).and_then(|t| t.id.as_ref()) {
            Some(Value::String(s)) if !crate::replay::compare::is_guid(s) => {
                Generated::Like(s.clone())
            }
            Some(Value::Number(_)) => Generated::Number,
            _ => Generated::Guid,
        };
        let mut out = vec![("id".to_owned(), key)];
        if let Some(t) = t {
            if t.etag {
                out.push(("@odata.etag".to_owned(), Generated::Etag));
            }
            out.extend(
                t.response_only_dates
                    .iter()
                    .map(|k| (k.clone(), Generated::Now)),
            );
        }
        out
    }
}

/// `YYYY-MM-DDTHH:MM…` with a zone (RFC 3339).
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && crate::json::is_date_bytes(&b[..10])
        && matches!(b[10], b'T' | b't')
        && (s.ends_with('Z')
            || s.ends_with('z')
            || b[b.len() - 6] == b'+'
            || b[b.len() - 6] == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn learned() -> Learned {
        let mut s = Learned::default();
        s.learn(
            "microsoft.graph.user",
            &obj(json!({"accountEnabled": true, "displayName": "A", "mailNickname": "a"})),
            true,
        );
        s.learn(
            "#microsoft.graph.user",
            &obj(
                json!({"id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "accountEnabled": false,
                        "businessPhones": [], "createdDateTime": "2021-01-01T00:00:00Z",
                        "jobTitle": null, "@odata.context": "x"}),
            ),
            false,
        );
        s.finish();
        s
    }

    #[test]
    fn a_value_of_another_kind_than_documented_is_refused() {
        let s = learned();
        let err = s
            .validate(
                "microsoft.graph.user",
                &obj(json!({"displayName": "x", "accountEnabled": "yes-please"})),
                true,
            )
            .unwrap_err();
        assert_eq!(err.property, "accountEnabled");
        assert_eq!(
            err.reason,
            "a string where the property takes true or false"
        );
        // Null, undocumented properties and types without examples pass.
        assert!(s
            .validate(
                "microsoft.graph.user",
                &obj(json!({"accountEnabled": null, "x": 1, "jobTitle": 3})),
                false
            )
            .is_ok());
        assert!(s
            .validate("microsoft.graph.group", &obj(json!({"a": 1})), true)
            .is_ok());
        let err = s
            .validate(
                "microsoft.graph.user",
                &obj(json!({"createdDateTime": "yesterday"})),
                false,
            )
            .unwrap_err();
        assert_eq!(err.property, "createdDateTime");
    }

    #[test]
    fn generated_values_follow_the_documented_key_and_dates() {
        let s = learned();
        assert_eq!(
            s.generated("microsoft.graph.user"),
            vec![
                ("id".to_owned(), Generated::Guid),
                ("createdDateTime".to_owned(), Generated::Now)
            ]
        );
        assert_eq!(
            s.generated("nothing.known"),
            vec![("id".to_owned(), Generated::Guid)]
        );
    }
}
