//! `echo-mismatch`: in a create, update or action example, a property sent in
//! the request comes back in the documented response with a different value.
//! Only properties that were sent count: a server-set id or timestamp that
//! the request did not carry is no echo. Values compare as the service sees
//! them (see [`same`]), and what a service transforms by design is skipped.
//! Arrays compare item by item: objects by their `id` or `name` where every
//! item has one, otherwise by position when both arrays are as long. A value
//! the service visibly transforms (adds a prefix or a suffix, changes the
//! case, trims white space) is a note that says so, not an error.

use rustc_hash::FxHashMap;

use super::Ctx;
use crate::example::Example;
use crate::finding::Severity;
use crate::json::{pointer_token, Member, Node, Value};
use crate::work;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) ECHO_MISMATCH = "echo-mismatch", Error, Check,
    "a property sent in a create/update/action request comes back with a different value";
}

/// Properties a service never returns as sent: secrets and uploaded content
/// (write-only), and values the service computes from what was sent
/// (planner's `orderHint` is a hint, not a value).
const NOT_ECHOED: &[&str] = &[
    "password",
    "newPassword",
    "currentPassword",
    "secretText",
    "clientSecret",
    "contentData",
    "orderHint",
    "createdDateTime",
    "lastModifiedDateTime",
];

/// Keys that identify an object in an array, tried in this order.
const ITEM_KEYS: &[&str] = &["id", "name"];

/// Below this many comparisons a linear look-up beats building an index.
const SCAN: usize = 64;

/// One step from a pair of values to a pair inside them.
#[derive(Clone, Copy)]
enum Step<'a> {
    /// A member of both objects.
    Key(&'a str),
    /// An item of both arrays (the sent array's index).
    Index(usize),
}

/// One pair of values to compare, where it stands: below the first `depth`
/// steps of the walk's path, one step further. The JSON pointer and the
/// name a message shows are made from the path only for a finding (see
/// [`pointer`] and [`name`]), not for every pair compared.
struct Pending<'a> {
    depth: usize,
    step: Option<Step<'a>>,
    /// Does a key on the way name an `orderHint` (see [`NOT_ECHOED`])?
    in_hint: bool,
    sent: &'a Node,
    back: &'a Node,
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let (Some(request), Some(response)) = (&example.request, &example.response) else {
        return;
    };
    if !matches!(request.message.method(), Some("POST" | "PATCH" | "PUT")) {
        return;
    }
    let (Some(sent_body), Some(back_body)) = (&request.message.body, &response.message.body) else {
        return;
    };
    let (Some(sent), Some(back)) = (sent_body.root(), back_body.root()) else {
        return;
    };
    let mut stack = vec![Pending {
        depth: 0,
        step: None,
        in_hint: false,
        sent,
        back,
    }];
    // The steps to the pair being compared (a depth-first walk: a pair's
    // steps are its parent's, cut back to its depth, and its own).
    let mut steps: Vec<Step> = Vec::new();
    while let Some(p) = stack.pop() {
        steps.truncate(p.depth);
        steps.extend(p.step);
        match (&p.sent.value, &p.back.value) {
            (Value::Object(sent_members), Value::Object(back_members)) => {
                objects(&p, steps.len(), sent_members, back_members, &mut stack);
            }
            (Value::Array(sent_items), Value::Array(back_items)) => {
                arrays(&p, steps.len(), sent_items, back_items, &mut stack);
            }
            // A JSON document held in a string (an adaptive card's content)
            // is stored and serialised again by the service, in its own way.
            (Value::String(a), Value::String(b)) if holds_json(a) && holds_json(b) => {}
            (a, b) if is_scalar(a) && is_scalar(b) && !same(a, b) => {
                let sent_at = sent_body.to_page(&p.sent.span);
                let span = back_body.to_page(&p.back.span);
                let transform = match (a, b) {
                    (Value::String(x), Value::String(y)) => transformation(x, y),
                    _ => None,
                };
                let name = name(&steps);
                let message = match &transform {
                    Some(how) => format!(
                        "`{name}` is sent as {} and the documented response returns {}: the service {how}",
                        a.display(),
                        b.display()
                    ),
                    None => format!(
                        "`{name}` is sent as {} but the documented response returns {}",
                        a.display(),
                        b.display()
                    ),
                };
                let path = std::sync::Arc::clone(&ctx.page.path);
                let finding = ctx.report(&ECHO_MISMATCH, span, message);
                finding.relate(&path, sent_at, "sent here");
                finding.help = Some(match transform {
                    Some(_) => "nothing to fix if the service does this by design; otherwise make the response echo the value the request sends".into(),
                    None => "make the response echo the value the request sends (or change the request)".into(),
                });
                if transform.is_some() {
                    // A rule has one default severity today; a visible
                    // transformation is information, not a defect.
                    finding.severity = Severity::Note;
                }
                finding.pointer = Some(pointer(&steps));
                finding.expected = Some(a.display());
                finding.actual = Some(b.display());
            }
            _ => {}
        }
    }
}

/// The JSON pointer of a pair at the end of `path`.
fn pointer(path: &[Step<'_>]) -> String {
    let mut pointer = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                pointer.push('/');
                pointer.push_str(&pointer_token(key));
            }
            Step::Index(i) => pointer.push_str(&format!("/{i}")),
        }
    }
    pointer
}

/// The name a message shows for the pair at the end of `path`: the last
/// member's key and the indices after it (`displayName`, `emails[1]`).
fn name(path: &[Step<'_>]) -> String {
    let last_key = path.iter().rposition(|s| matches!(s, Step::Key(_)));
    let mut name = match last_key {
        Some(k) => match path[k] {
            Step::Key(key) => key.to_owned(),
            Step::Index(_) => String::new(),
        },
        None => String::new(),
    };
    for step in &path[last_key.map_or(0, |k| k + 1)..] {
        if let Step::Index(i) = step {
            name.push_str(&format!("[{i}]"));
        }
    }
    name
}

/// `orderHint` in a key, in any case (as a JSON pointer lower-cased would hold it).
fn names_order_hint(key: &str) -> bool {
    const HINT: &[u8] = b"orderhint";
    key.len() >= HINT.len()
        && key
            .as_bytes()
            .windows(HINT.len())
            .any(|w| w.eq_ignore_ascii_case(HINT))
}

/// The members sent that come back, each pushed to compare (`depth`
/// steps below the root).
fn objects<'a>(
    p: &Pending<'a>,
    depth: usize,
    sent_members: &'a [Member],
    back_members: &'a [Member],
    stack: &mut Vec<Pending<'a>>,
) {
    // A dateTimeTimeZone sent in one zone comes back converted to another.
    if zone(p.sent).is_some() && zone(p.sent) != zone(p.back) {
        return;
    }
    // The last member of a name counts, as JSON parsers keep it. An index
    // for a large body: a scan per member was quadratic (issue 13).
    let index: Option<FxHashMap<&str, &Node>> =
        (sent_members.len().saturating_mul(back_members.len()) > SCAN).then(|| {
            work::add(back_members.len());
            back_members
                .iter()
                .map(|m| (m.key.as_str(), &m.value))
                .collect()
        });
    let in_hint = p.in_hint;
    for member in sent_members {
        // `@odata.type` is written in several equivalent forms.
        if NOT_ECHOED.contains(&member.key.as_str()) || member.key.starts_with("@odata.") || in_hint
        {
            continue;
        }
        let returned = match &index {
            Some(index) => {
                work::add(1);
                index.get(member.key.as_str()).copied()
            }
            None => {
                work::add(back_members.len());
                p.back.value.get(&member.key)
            }
        };
        let Some(returned) = returned else {
            continue;
        };
        // An itemBody's text comes back wrapped in an HTML document.
        if member.key == "content"
            && returned
                .value
                .as_str()
                .is_some_and(|c| c.trim_start().starts_with("<html"))
        {
            continue;
        }
        stack.push(Pending {
            depth,
            step: Some(Step::Key(&member.key)),
            in_hint: in_hint || names_order_hint(&member.key),
            sent: &member.value,
            back: returned,
        });
    }
}

/// The items of two arrays that stand for each other, each pair pushed to
/// compare: objects by an identifying key every item carries, else items
/// by position when both arrays are as long (a list of scalars that holds
/// the same values in another order is the same set).
fn arrays<'a>(
    p: &Pending<'a>,
    depth: usize,
    sent: &'a [Node],
    back: &'a [Node],
    stack: &mut Vec<Pending<'a>>,
) {
    let mut push = |i: usize, s: &'a Node, b: &'a Node| {
        stack.push(Pending {
            depth,
            step: Some(Step::Index(i)),
            in_hint: p.in_hint,
            sent: s,
            back: b,
        });
    };
    if let Some(key) = ITEM_KEYS
        .iter()
        .find(|k| !sent.is_empty() && sent.iter().chain(back).all(|n| identity(n, k).is_some()))
    {
        work::add(back.len());
        let by_key: FxHashMap<String, (usize, &Node)> = back
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((identity(n, key)?, (i, n))))
            .collect();
        for s in sent {
            work::add(1);
            if let Some(&(i, b)) = identity(s, key).and_then(|k| by_key.get(&k)) {
                push(i, s, b);
            }
        }
        return;
    }
    if sent.len() != back.len() {
        return;
    }
    if sent.iter().chain(back).all(|n| is_scalar(&n.value)) {
        let mut a: Vec<String> = sent.iter().map(|n| n.value.display()).collect();
        let mut b: Vec<String> = back.iter().map(|n| n.value.display()).collect();
        work::add(a.len());
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            return;
        }
    }
    for (i, (s, b)) in sent.iter().zip(back).enumerate() {
        work::add(1);
        push(i, s, b);
    }
}

/// The scalar value of an array item's identifying key, as text.
fn identity(node: &Node, key: &str) -> Option<String> {
    let Value::Object(members) = &node.value else {
        return None;
    };
    // Items are small objects: the scan is bounded by their size.
    let value = &members.iter().rev().find(|m| m.key == key)?.value.value;
    is_scalar(value).then(|| value.display())
}

fn zone(node: &Node) -> Option<&str> {
    node.value.get("timeZone").and_then(|z| z.value.as_str())
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(..) | Value::Bool(_))
}

/// Equal as the service sees it: numbers by value, strings by
/// [`crate::json::same_text`], anything else exactly (types matter).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_, x), Value::Number(_, y)) => x == y,
        (Value::String(x), Value::String(y)) => crate::json::same_text(x, y),
        _ => a == b,
    }
}

/// How the service visibly made `back` out of `sent`, if it did: trimmed
/// white space, changed the case, or added a prefix or a suffix that stands
/// apart from the value (`Contoso` → `Team Contoso`, `alex` →
/// `alex@contoso.com`; not `123` → `0123`).
fn transformation(sent: &str, back: &str) -> Option<String> {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if !sent.trim().is_empty() && words(sent) == words(back) {
        return Some("trims or collapses its white space".into());
    }
    if sent.to_lowercase() == back.to_lowercase() {
        // Normalised: all lower or all upper case; an e-mail address (case
        // does not matter in it) in the directory's own case. A sentence in
        // another mixed case is a typo in the page, not the service.
        return if back == back.to_lowercase() {
            Some("changes it to lower case".into())
        } else if back == back.to_uppercase() {
            Some("changes it to upper case".into())
        } else if back.contains('@') && !back.contains(char::is_whitespace) {
            Some("changes the case of the address".into())
        } else {
            None
        };
    }
    let core = sent.trim();
    if core.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return None;
    }
    let (lower_back, lower_core) = (back.to_lowercase(), core.to_lowercase());
    let at = lower_back.find(&lower_core)?;
    // Lower-casing can change lengths; only an exact byte match maps back.
    if lower_back.len() != back.len() || lower_core.len() != core.len() {
        return None;
    }
    let (before, after) = (&back[..at], &back[at + core.len()..]);
    let apart_before = before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() || !core.starts_with(char::is_alphanumeric));
    let apart_after = after
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric() || !core.ends_with(char::is_alphanumeric));
    if !(apart_before && apart_after) {
        return None;
    }
    let quoted = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    // Both at once ("completed" → "Task execution is completed.") is a
    // sentence written around the value, not something a service does.
    match (before.is_empty(), after.is_empty()) {
        (false, true) => Some(format!("adds the prefix {}", quoted(before))),
        (true, false) => Some(format!("adds the suffix {}", quoted(after))),
        _ => None,
    }
}

/// Does the string hold a JSON object or array (serialised into the body)?
fn holds_json(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_as_the_service_sees_it() {
        let s = |x: &str| Value::String(x.into());
        assert!(same(
            &s("2020-09-09T15:03:30.8566356-07:00"),
            &s("2020-09-09T22:03:30.8566356Z")
        ));
        assert!(!same(
            &s("2019-07-12T14:30:34.2444915-07:00"),
            &s("2019-07-11T02:17:17.6491364Z")
        ));
        assert!(same(&s("Low"), &s("low")));
        assert!(!same(&s("Day shift"), &s("Dayshift")));
        assert!(same(&s("2020-09-08T12:02:30.667Z"), &s("2020-09-08")));
        assert!(!same(&s("1431b9c38ee647f6a"), &s("14m1b9c38qe647f6a")));
        assert!(!same(&Value::Number("1".into(), 1.0), &s("1")));
        assert!(same(
            &s("2019-06-16T12:00:00"),
            &s("2019-06-16T12:00:00.0000000")
        ));
        assert!(!same(
            &s("2017-04-15T14:00:00"),
            &s("2017-04-15T12:00:00.0000000")
        ));
    }

    #[test]
    fn visible_transformations_are_named() {
        let t = |a: &str, b: &str| transformation(a, b);
        assert_eq!(
            t("Contoso", "Team Contoso").as_deref(),
            Some("adds the prefix \"Team \"")
        );
        assert_eq!(
            t("alex", "alex@contoso.com").as_deref(),
            Some("adds the suffix \"@contoso.com\"")
        );
        assert_eq!(
            t("Alex Wilber", "alex wilber").as_deref(),
            Some("changes it to lower case")
        );
        assert_eq!(
            t("  Sales  team ", "Sales team").as_deref(),
            Some("trims or collapses its white space")
        );
        assert_eq!(
            t(
                "adelev@contoso.onmicrosoft.com",
                "AdeleV@contoso.OnMicrosoft.com"
            )
            .as_deref(),
            Some("changes the case of the address")
        );
        // Not transformations: another value, a digit glued on, a word glued
        // on, a sentence around it, a mixed case that is a typo.
        assert_eq!(t("Lunch", "Brunch"), None);
        assert_eq!(t("completed", "Task execution is completed."), None);
        assert_eq!(t("Hello world", "Hello World"), None);
        assert_eq!(t("123", "0123"), None);
        assert_eq!(t("Cafe", "Café"), None);
        assert_eq!(t("shift", "Dayshift"), None);
        assert_eq!(t("", "x"), None);
        assert_eq!(t("a", "[a]"), None);
    }
}
