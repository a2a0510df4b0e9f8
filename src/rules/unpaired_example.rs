//! `unpaired-example`: a request with no response, or a response with no
//! request. A request annotated `ignored` may stand alone: the writer says
//! it is not meant to be tested, and a further response of a request (an
//! error case after the success) needs no request of its own.

use super::Ctx;
use crate::example::Example;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) UNPAIRED_EXAMPLE = "unpaired-example", Warning, Check,
    "a request has no response, or a response has no request";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    match (&example.request, &example.response) {
        (Some(request), None) if !request.ignored => {
            ctx.report(&UNPAIRED_EXAMPLE, request.message.line_span.clone(), "this request has no documented response").help =
                Some("add the response the service gives, announced by a `\"blockType\": \"response\"` annotation".into());
        }
        (None, Some(response)) if example.further_response_of.is_none() => {
            ctx.report(&UNPAIRED_EXAMPLE, response.message.line_span.clone(), "this response has no annotated request before it").help =
                Some("annotate the request block with `<!-- { \"blockType\": \"request\", \"name\": \"...\" } -->`, or name it in the response annotation".into());
        }
        _ => {}
    }
}
