//! `json-syntax`: a body that should be JSON and is not. Each fault is
//! reported at its own place (the parser recovers, so what cascades from a
//! fault is not reported again); the tolerant parse lets the other rules go
//! on. A body says at most [`MAX_PER_BODY`] things: a fault repeated as a
//! habit (no-break spaces, single quotes, unquoted keys, comments) is one
//! finding at its first place with the count of the others, and past the
//! cap one finding says how many more faults follow.

use super::Ctx;
use crate::discover::PAGE_TOO_LARGE;
use crate::example::Example;
use crate::json::JsonError;

/// Findings per body, the last of them the "and N more" one when needed.
pub(crate) const MAX_PER_BODY: usize = 5;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) JSON_SYNTAX = "json-syntax", Error, Check,
    "a request or response body that should be JSON is not";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let response_shared = super::http_syntax::shared_elsewhere(ctx, example);
    for (half, which) in [
        (&example.request, "request"),
        (&example.response, "response"),
    ] {
        let Some(half) = half else { continue };
        if which == "response" && response_shared {
            continue;
        }
        let Some(body) = &half.message.body else {
            continue;
        };
        let size = body.text().len();
        if size > crate::limits::body_bytes() && body.json().is_some() {
            let start = body.to_page(&(0..0));
            ctx.report(&PAGE_TOO_LARGE,
                start,
                format!(
                    "the {which} body is {}, more than the {} exemplar parses; it was not checked",
                    crate::limits::shown(size),
                    crate::limits::shown(crate::limits::body_bytes())
                ),
            )
            .help = Some("shorten the example body (show a few items and mark the response \"truncated\"), or raise EXEMPLAR_MAX_BODY_BYTES".into());
            continue;
        }
        let Some(parsed) = body.json() else { continue };
        let groups = group(&parsed.errors);
        // Past the cap (or past the faults the parser kept) one more
        // finding says how many follow.
        let capped = groups.len() > MAX_PER_BODY || parsed.dropped > 0;
        let shown = if capped {
            groups.len().min(MAX_PER_BODY - 1)
        } else {
            groups.len()
        };
        for g in &groups[..shown] {
            let e = g.first;
            let (head, tail) = match e.message.split_once("; ") {
                Some((head, tail)) => (head, format!("; {tail}")),
                None => (e.message.as_str(), String::new()),
            };
            let head = match head {
                "trailing comma after the last property" => {
                    format!("trailing comma after the last property of the {which} body")
                }
                m => format!("{m} in the {which} body"),
            };
            let more = match g.more {
                0 => String::new(),
                1 => ", and once more after it".to_owned(),
                n => format!(", and {n} more times after it"),
            };
            let span = body.to_page(&e.span);
            // A trailing comma has one repair: delete it (only when the span
            // is that comma, and it is the only one of its kind here).
            let fix = (e.message.starts_with("trailing comma")
                && g.more == 0
                && ctx.page.text.get(span.clone()) == Some(","))
            .then(|| crate::finding::Fix::safe(span.clone(), ""));
            let finding = ctx.report(&JSON_SYNTAX, span, format!("{head}{more}{tail}"));
            finding.help = Some(e.help.into());
            finding.fix = fix;
        }
        if capped {
            let rest: usize =
                groups[shown..].iter().map(|g| 1 + g.more).sum::<usize>() + parsed.dropped;
            let at = match groups.get(shown) {
                Some(next) => next.first.span.start,
                None => parsed.errors.last().map_or(0, |e| e.span.end),
            };
            ctx.report(
                &JSON_SYNTAX,
                body.to_page(&(at..at)),
                format!(
                    "{rest} more JSON fault{} in the {which} body from here on",
                    if rest == 1 { "" } else { "s" }
                ),
            )
            .help = Some(
                "fix the faults reported before it first; most of the rest often go with them"
                    .into(),
            );
        }
    }
}

/// Faults in body order, a repeated habit folded into its first occurrence.
struct Group<'e> {
    first: &'e JsonError,
    more: usize,
}

fn group(errors: &[JsonError]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    // (habit, index in `groups`); a handful of habits at most.
    let mut habits: Vec<(String, usize)> = Vec::new();
    for e in errors {
        match habit(&e.message) {
            Some(h) => match habits.iter().find(|(k, _)| *k == h) {
                Some(&(_, i)) => groups[i].more += 1,
                None => {
                    habits.push((h, groups.len()));
                    groups.push(Group { first: e, more: 0 });
                }
            },
            None => groups.push(Group { first: e, more: 0 }),
        }
    }
    groups
}

/// The habit a fault shows, when it is one a writer repeats all over a
/// body (one fix, one search-and-replace): the same Unicode space used the
/// same way, single quotes, unquoted keys, comments.
fn habit(message: &str) -> Option<String> {
    if message.contains(" (U+") && message.contains("JSON allows only spaces") {
        return Some(message.to_owned());
    }
    if message.starts_with("single-quoted") {
        return Some("single-quoted".to_owned());
    }
    if message.starts_with("unquoted key") {
        return Some("unquoted key".to_owned());
    }
    (message == "comment in JSON").then(|| message.to_owned())
}
