//! `http-syntax`: a malformed request line, status line or header line.

use super::Ctx;
use crate::example::Example;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) HTTP_SYNTAX = "http-syntax", Error, Check,
    "a request line, status line or header line is malformed";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    for half in example.request.iter().chain(example.response.iter()) {
        // A response shared by several requests is reported once, with the first.
        if example.request.is_some()
            && half.message.status().is_some()
            && shared_elsewhere(ctx, example)
        {
            continue;
        }
        for e in &half.message.errors {
            ctx.report(&HTTP_SYNTAX, e.span.clone(), e.message.clone())
                .help = Some(e.help.into());
        }
    }
}

/// Is this example's response the same block as an earlier example's?
pub(super) fn shared_elsewhere(_ctx: &Ctx, example: &Example) -> bool {
    // Marked when the examples were paired: a look back over the page's
    // examples here made a page of many examples quadratic.
    example.shares_earlier_response
}
