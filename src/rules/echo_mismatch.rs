//! `echo-mismatch`: in a create, update or action example, a property sent in
//! the request comes back in the documented response with a different value.
//! Only properties that were sent count: a server-set id or timestamp that
//! the request did not carry is no echo. Values compare as the service sees
//! them (see [`same`]), and what a service transforms by design is skipped.

use super::Ctx;
use crate::example::Example;
use crate::json::{pointer_token, Node, Value};

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
    let mut stack = vec![(String::new(), sent, back)];
    while let Some((pointer, sent, back)) = stack.pop() {
        let (Value::Object(sent_members), Value::Object(_)) = (&sent.value, &back.value) else {
            continue;
        };
        // A dateTimeTimeZone sent in one zone comes back converted to another.
        if zone(sent).is_some() && zone(sent) != zone(back) {
            continue;
        }
        for member in sent_members {
            // `@odata.type` is written in several equivalent forms.
            if NOT_ECHOED.contains(&member.key.as_str())
                || member.key.starts_with("@odata.")
                || pointer.to_ascii_lowercase().contains("orderhint")
            {
                continue;
            }
            let Some(returned) = back.value.get(&member.key) else {
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
            let path = format!("{pointer}/{}", pointer_token(&member.key));
            match (&member.value.value, &returned.value) {
                (Value::Object(_), Value::Object(_)) => stack.push((path, &member.value, returned)),
                (a, b) if is_scalar(a) && is_scalar(b) && !same(a, b) => {
                    let sent_line = ctx.page.line(sent_body.to_page(&member.value.span).start);
                    let span = back_body.to_page(&returned.span);
                    let finding = ctx.report(&ECHO_MISMATCH,
                        span,
                        format!("`{}` is sent as {} (line {sent_line}) but the documented response returns {}", member.key, a.display(), b.display()),
                    );
                    finding.help = Some("make the response echo the value the request sends (or change the request)".into());
                    finding.pointer = Some(path);
                    finding.expected = Some(a.display());
                    finding.actual = Some(b.display());
                }
                _ => {}
            }
        }
    }
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
}
