//! `echo-mismatch`: in a create, update or action example, a property sent in
//! the request comes back in the documented response with a different value.
//! Only properties that were sent count: a server-set id or timestamp that
//! the request did not carry is no echo.

use super::registry::ECHO_MISMATCH;
use super::Ctx;
use crate::example::Example;
use crate::json::{pointer_token, Value};

/// Properties a service never returns as sent (secrets).
const WRITE_ONLY: &[&str] = &[
    "password",
    "newPassword",
    "currentPassword",
    "secretText",
    "clientSecret",
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
        for member in sent_members {
            if WRITE_ONLY.contains(&member.key.as_str()) {
                continue;
            }
            let Some(returned) = back.value.get(&member.key) else {
                continue;
            };
            let path = format!("{pointer}/{}", pointer_token(&member.key));
            match (&member.value.value, &returned.value) {
                (Value::Object(_), Value::Object(_)) => stack.push((path, &member.value, returned)),
                (a, b) if is_scalar(a) && is_scalar(b) && !same(a, b) => {
                    let sent_line = ctx.page.line(sent_body.to_page(&member.value.span).start);
                    let span = back_body.to_page(&returned.span);
                    let finding = ctx.report(
                        ECHO_MISMATCH,
                        span,
                        format!(
                            "`{}` is sent as {} (line {sent_line}) but the documented response returns {}",
                            member.key,
                            a.display(),
                            b.display()
                        ),
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

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(..) | Value::Bool(_))
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_, x), Value::Number(_, y)) => x == y,
        // Date-times come back normalised ("2021-01-01T00:00:00Z" vs "…00.0000000Z").
        (Value::String(x), Value::String(y))
            if looks_like_datetime(x) && looks_like_datetime(y) =>
        {
            x.get(..19) == y.get(..19)
        }
        _ => a == b,
    }
}

fn looks_like_datetime(s: &str) -> bool {
    s.len() >= 19 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T'
}
