//! The structural comparer: the endpoint's answer against the documented
//! response. Status, Content-Type, then the body as JSON: a truncated
//! response (`"truncated": true`) is a subset of the real one, a complete
//! one must match property for property. Types matter (`"1"` is not `1`).
//! Volatile values (server-generated ids, `*DateTime`, `@odata.etag`, ...)
//! compare by type and format only. Every difference is one finding at the
//! documented value's position in the page, with its JSON pointer.

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value as J;

use crate::example::{Example, Half};
use crate::finding::Finding;
use crate::http::{Body, StartLine};
use crate::json::{is_date, is_date_bytes, pointer_token, Node, Value};
use crate::rule::Rule;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) STATUS_MISMATCH = "status-mismatch", Error, Run,
    "the endpoint answered with another status than documented";
}

declare_rule! {
    pub(crate) BODY_MISMATCH = "body-mismatch", Error, Run,
    "the endpoint's body differs structurally from the documented one";
}

declare_rule! {
    pub(crate) HEADER_MISMATCH = "header-mismatch", Warning, Run,
    "a documented response header (Content-Type) differs";
}

declare_rule! {
    pub(crate) TRANSPORT_ERROR = "transport-error", Error, Run,
    "no answer: connection refused, reset, timeout, TLS failure";
}

/// The rules the comparer raises.
pub(crate) static RUN_RULES: &[&Rule] = &[
    &STATUS_MISMATCH,
    &BODY_MISMATCH,
    &HEADER_MISMATCH,
    &TRANSPORT_ERROR,
];

/// What the endpoint answered.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
    /// The built-in mock's word on where the answer came from (its
    /// `x-exemplar-answer` header; see `mock::limits`).
    pub(crate) mock: Option<String>,
}

/// The comparison of one example: its findings, and both bodies
/// pretty-printed when they differ (for the report's diff).
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    pub(crate) findings: Vec<Finding>,
    pub(crate) documented: Option<String>,
    pub(crate) actual: Option<String>,
}

/// Property names whose values are the server's to choose.
const VOLATILE: [&str; 4] = [
    "@odata.etag",
    "@odata.nextLink",
    "@odata.context",
    "@odata.deltaLink",
];

/// What the comparer needs besides the two messages.
pub(crate) struct Context<'a> {
    pub(crate) path: &'a Arc<str>,
    pub(crate) example: &'a Example,
    /// The JSON body that was sent: an id it carries is not server-generated.
    pub(crate) sent: Option<&'a J>,
    /// `run.volatile` of exemplar.toml: names, or `*suffix` patterns.
    pub(crate) volatile: &'a [String],
}

fn finding(ctx: &Context, rule: &'static Rule, span: Range<usize>, message: String) -> Finding {
    Finding::new(rule, ctx.path, span, message).example(Some(&ctx.example.id))
}

/// `transport-error` at the request line.
pub(crate) fn transport_error(ctx: &Context, why: &str) -> Finding {
    let span = ctx
        .example
        .request
        .as_ref()
        .map_or(0..0, |h| h.message.line_span.clone());
    finding(ctx, &TRANSPORT_ERROR, span, format!("no answer: {why}")).help(
        "check that the endpoint is up and reachable; --timeout and --retries give it more room",
    )
}

pub(crate) fn compare(ctx: &Context, response: &Half, answer: &Answer) -> Comparison {
    let mut out = Comparison::default();
    let message = &response.message;
    if let StartLine::Status {
        status,
        status_span,
        ..
    } = &message.start
    {
        if *status != 0 && *status != answer.status {
            let said = odata_message(&answer.body)
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            out.findings.push(
                finding(
                    ctx,
                    &STATUS_MISMATCH,
                    status_span.clone(),
                    format!(
                        "the endpoint answered {} where {status} is documented{said}",
                        format!("{} {}", answer.status, answer.reason).trim_end()
                    ),
                )
                .expected_actual(status.to_string(), answer.status.to_string()),
            );
            // The body of another status (an error) says nothing about this one.
            return out;
        }
    }
    if let Some(header) = message.header("content-type") {
        let documented = essence(&header.value);
        let actual = answer.content_type.as_deref().map(essence);
        if actual.as_deref() != Some(documented.as_str()) && !answer.body.is_empty() {
            let shown = actual.unwrap_or_else(|| "none".into());
            out.findings.push(
                finding(
                    ctx,
                    &HEADER_MISMATCH,
                    header.value_span.clone(),
                    format!("Content-Type is documented as `{documented}` but the endpoint sent `{shown}`"),
                )
                .expected_actual(documented, shown),
            );
        }
    }
    // A 204 or 304 has no body (RFC 9110 §15.3.5, §15.4.5), whatever the page shows.
    let bodiless = matches!(message.status(), Some(204 | 304));
    if let Some(body) = message.body.as_ref().filter(|_| !bodiless) {
        compare_body(ctx, body, response.truncated, answer, &mut out);
    }
    out
}

/// `type/subtype` of a media type, lower case (RFC 9110 §8.3.1).
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The message of an OData error body, to say why a status differs.
fn odata_message(body: &[u8]) -> Option<String> {
    let v: J = serde_json::from_slice(body).ok()?;
    let m = v.pointer("/error/message")?.as_str()?;
    Some(shorten(m, 200))
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        format!("{}…", s.chars().take(max).collect::<String>())
    } else {
        s.to_owned()
    }
}

fn compare_body(
    ctx: &Context,
    body: &Body,
    truncated: bool,
    answer: &Answer,
    out: &mut Comparison,
) {
    let Some(root) = body.root() else {
        compare_text(ctx, body, answer, out);
        return;
    };
    let actual: J = match serde_json::from_slice(&answer.body) {
        Ok(v) => v,
        Err(e) => {
            let why = if answer.body.is_empty() {
                "the endpoint sent no body".to_owned()
            } else {
                format!("the endpoint's body is not JSON ({e})")
            };
            let at = body.to_page(&(root.span.start..root.span.start + 1));
            out.findings.push(
                finding(
                    ctx,
                    &BODY_MISMATCH,
                    at,
                    format!("{why} where a JSON body is documented"),
                )
                .pointer("")
                .expected_actual(
                    root.value.display(),
                    shorten(&String::from_utf8_lossy(&answer.body), 200),
                ),
            );
            return;
        }
    };
    let mut walk = Walk {
        ctx,
        body,
        truncated,
        findings: Vec::new(),
    };
    walk.node(root, &actual, "", None);
    // Findings in page order (missing properties were met last to first).
    walk.findings.sort_by_key(|f| f.span.start);
    if !walk.findings.is_empty() {
        out.findings.extend(walk.findings);
        out.documented = serde_json::to_string_pretty(&root.value.to_serde()).ok();
        out.actual = serde_json::to_string_pretty(&actual).ok();
    }
}

/// A body that is not JSON: compared line by line, whitespace at the ends ignored.
fn compare_text(ctx: &Context, body: &Body, answer: &Answer, out: &mut Comparison) {
    let documented = body.text();
    let actual = String::from_utf8_lossy(&answer.body);
    if documented.trim() == actual.trim() {
        return;
    }
    let mut offset = 0;
    let mut actual_lines = actual.trim().lines();
    for line in documented.split_inclusive('\n') {
        let shown = line.trim_end_matches(['\r', '\n']);
        let other = actual_lines.next();
        if other.map(str::trim_end) != Some(shown.trim_end()) {
            let at = body.to_page(&(offset..offset + shown.len()));
            out.findings.push(
                finding(
                    ctx,
                    &BODY_MISMATCH,
                    at,
                    "the endpoint's body differs from the documented text here".into(),
                )
                .expected_actual(shown, other.unwrap_or("(end of body)")),
            );
            break;
        }
        offset += line.len();
    }
    if out.findings.is_empty() {
        // The documented text is a prefix of a longer answer.
        let at = body.to_page(&(documented.len()..documented.len()));
        out.findings.push(
            finding(
                ctx,
                &BODY_MISMATCH,
                at,
                "the endpoint's body goes on after the documented text".into(),
            )
            .expected_actual(
                "(end of body)",
                shorten(actual_lines.next().unwrap_or(""), 200),
            ),
        );
    }
    out.documented = Some(documented.to_owned());
    out.actual = Some(actual.into_owned());
}

struct Walk<'a, 'c> {
    ctx: &'a Context<'c>,
    body: &'a Body,
    truncated: bool,
    findings: Vec<Finding>,
}

impl Walk<'_, '_> {
    fn report(
        &mut self,
        span: &Range<usize>,
        pointer: &str,
        message: String,
        expected: String,
        actual: String,
    ) {
        let at = self.body.to_page(span);
        let f = finding(self.ctx, &BODY_MISMATCH, at, message)
            .pointer(pointer)
            .expected_actual(expected, actual);
        self.findings.push(f);
    }

    /// Nesting is bounded by the parser's MAX_DEPTH, so recursion is too.
    fn node(&mut self, doc: &Node, actual: &J, pointer: &str, key: Option<&str>) {
        if matches!(doc.value, Value::Invalid(_)) {
            // `...` and friends stand for what the page leaves out.
            return;
        }
        let shown = if pointer.is_empty() {
            "the body"
        } else {
            pointer
        };
        let expected = doc.value.to_serde();
        if key.is_some_and(|k| self.is_volatile(k, pointer)) {
            let (want, got) = (format_of(&expected), format_of(actual));
            if want != got {
                self.report(
                    &doc.span,
                    pointer,
                    format!("`{shown}` is compared by format (its value is the server's): documented {want}, the endpoint returned {got}"),
                    compact(&expected),
                    compact(actual),
                );
            }
            return;
        }
        match (&doc.value, actual) {
            (Value::Object(members), J::Object(map)) => {
                // The last of duplicate keys counts, as JSON parsers keep it.
                let mut seen = std::collections::HashSet::new();
                for m in members.iter().rev() {
                    if !seen.insert(m.key.as_str()) {
                        continue;
                    }
                    let child = format!("{pointer}/{}", pointer_token(&m.key));
                    match map.get(m.key.as_str()) {
                        Some(a) => self.node(&m.value, a, &child, Some(&m.key)),
                        None if matches!(m.value.value, Value::Invalid(_)) => {}
                        None => self.report(
                            &m.key_span,
                            &child,
                            format!("`{child}` is documented but missing from the endpoint's body"),
                            compact(&m.value.value.to_serde()),
                            "(absent)".into(),
                        ),
                    }
                }
                if !self.truncated {
                    let open = doc.span.start..doc.span.start + 1;
                    for (k, v) in map {
                        if !seen.contains(k.as_str()) {
                            let child = format!("{pointer}/{}", pointer_token(k));
                            self.report(
                                &open,
                                &child,
                                format!("the endpoint returned `{child}`, which the documented body lacks (mark the response truncated if it shows only part)"),
                                "(absent)".into(),
                                compact(v),
                            );
                        }
                    }
                }
            }
            (Value::Array(items), J::Array(actual_items)) => {
                for (i, item) in items.iter().enumerate() {
                    let child = format!("{pointer}/{i}");
                    match actual_items.get(i) {
                        Some(a) => self.node(item, a, &child, None),
                        None if matches!(item.value, Value::Invalid(_)) => {}
                        None => self.report(
                            &item.span,
                            &child,
                            format!(
                                "`{child}` is documented but the endpoint's array has {} element{}",
                                actual_items.len(),
                                if actual_items.len() == 1 { "" } else { "s" }
                            ),
                            compact(&item.value.to_serde()),
                            "(absent)".into(),
                        ),
                    }
                }
                if !self.truncated && actual_items.len() > items.len() {
                    self.report(
                        &(doc.span.start..doc.span.start + 1),
                        pointer,
                        format!(
                            "`{shown}` has {} elements at the endpoint, {} documented (mark the response truncated if it shows only part)",
                            actual_items.len(),
                            items.len()
                        ),
                        format!("{} elements", items.len()),
                        format!("{} elements", actual_items.len()),
                    );
                }
            }
            _ => {
                if !same_scalar(&expected, actual) && !same_type_name(key, &expected, actual) {
                    let message = if kind(&expected) == kind(actual) {
                        format!(
                            "`{shown}` is documented as {} but the endpoint returned {}",
                            compact(&expected),
                            compact(actual)
                        )
                    } else {
                        format!(
                            "`{shown}` is documented as {} but the endpoint returned {}",
                            with_kind(&expected),
                            with_kind(actual)
                        )
                    };
                    self.report(
                        &doc.span,
                        pointer,
                        message,
                        compact(&expected),
                        compact(actual),
                    );
                }
            }
        }
    }

    fn is_volatile(&self, key: &str, pointer: &str) -> bool {
        if key == "id" {
            // An id that was sent must come back; one that was not is generated.
            return self.ctx.sent.and_then(|s| s.pointer(pointer)).is_none();
        }
        key.ends_with("DateTime")
            || VOLATILE.contains(&key)
            || self.ctx.volatile.iter().any(|v| match v.strip_prefix('*') {
                Some(suffix) => key.ends_with(suffix),
                None => v == key,
            })
    }
}

/// `@odata.type` names one type with or without its leading `#`
/// (OData JSON Format 4.01 §4.5.3 writes it; pages often leave it out).
fn same_type_name(key: Option<&str>, a: &J, b: &J) -> bool {
    match (key, a, b) {
        (Some("@odata.type"), J::String(x), J::String(y)) => {
            x.trim_start_matches('#') == y.trim_start_matches('#')
        }
        _ => false,
    }
}

fn same_scalar(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (J::String(x), J::String(y)) => crate::json::same_text(x, y),
        _ => a == b,
    }
}

fn kind(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "a boolean",
        J::Number(_) => "a number",
        J::String(_) => "a string",
        J::Array(_) => "an array",
        J::Object(_) => "an object",
    }
}

/// `a string "1"`, `a number 1`; `null` alone (never "null null").
fn with_kind(v: &J) -> String {
    match v {
        J::Null => "null".to_owned(),
        _ => format!("{} {}", kind(v), compact(v)),
    }
}

/// A value as one line of JSON text, cut when long.
fn compact(v: &J) -> String {
    match v {
        J::Array(items) if items.len() > 3 => format!("[…{} items]", items.len()),
        J::Object(m) if m.len() > 3 => format!("{{…{} properties}}", m.len()),
        _ => shorten(&v.to_string(), 200),
    }
}

/// The type and format of a volatile value.
pub(crate) fn format_of(v: &J) -> &'static str {
    match v {
        J::String(s) if is_guid(s) => "a GUID",
        J::String(s) if is_date_time(s) => "a date-time",
        J::String(s) if is_date(s) => "a date",
        J::String(s) if s.starts_with("https://") || s.starts_with("http://") => "a URL",
        other => kind(other),
    }
}

/// `8-4-4-4-12` hexadecimal digits (RFC 9562 §4).
pub(crate) fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `YYYY-MM-DDTHH:MM…` (RFC 3339 date-time, any precision and offset).
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16
        && is_date_bytes(&b[..10])
        && matches!(b[10], b'T' | b't' | b' ')
        && b[11].is_ascii_digit()
        && b[12].is_ascii_digit()
        && b[13] == b':'
}

#[cfg(test)]
mod tests;
