//! `json-syntax`: a body that should be JSON and is not. Every fault is
//! reported at its own place; the tolerant parse lets the other rules go on.

use super::Ctx;
use crate::example::Example;

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
        let Some(parsed) = body.json() else { continue };
        for e in &parsed.errors {
            let message = match e.message.as_str() {
                "trailing comma after the last property" => {
                    format!("trailing comma after the last property of the {which} body")
                }
                m => format!("{m} in the {which} body"),
            };
            let span = body.to_page(&e.span);
            // A trailing comma has one repair: delete it (only when the span is that comma).
            let fix = (e.message.starts_with("trailing comma")
                && ctx.page.text.get(span.clone()) == Some(","))
            .then(|| crate::finding::Fix::safe(span.clone(), ""));
            let finding = ctx.report(&JSON_SYNTAX, span, message);
            finding.help = Some(e.help.into());
            finding.fix = fix;
        }
    }
}
