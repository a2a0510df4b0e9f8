//! `unpaired-example`: a request with no response, or a response with no request.

use super::registry::UNPAIRED_EXAMPLE;
use super::Ctx;
use crate::example::Example;

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    match (&example.request, &example.response) {
        (Some(request), None) => {
            ctx.report(UNPAIRED_EXAMPLE, request.message.line_span.clone(), "this request has no documented response").help =
                Some("add the response the service gives, announced by a `\"blockType\": \"response\"` annotation".into());
        }
        (None, Some(response)) => {
            ctx.report(UNPAIRED_EXAMPLE, response.message.line_span.clone(), "this response has no documented request").help =
                Some("add the request before it, or name the request in the response annotation's \"name\"".into());
        }
        _ => {}
    }
}
