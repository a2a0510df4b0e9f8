//! `status-prose`: the documented response status differs from every status
//! the page's Response section states. Error responses (4xx, 5xx) shown on
//! purpose, and a `200` answering `Prefer: return=representation` where the
//! prose promises `204`, are no contradiction.

use super::Ctx;
use crate::example::Example;
use crate::http::StartLine;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) STATUS_PROSE = "status-prose", Warning, Check,
    "the documented response status differs from the one the Response section states";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let page = ctx.page;
    let Some(prose) = &page.status_prose else {
        return;
    };
    let Some(response) = &example.response else {
        return;
    };
    if super::http_syntax::shared_elsewhere(ctx, example) {
        return;
    }
    let StartLine::Status {
        status,
        status_span,
        ..
    } = &response.message.start
    else {
        return;
    };
    if *status == 0 || *status >= 400 || prose.all.contains(status) {
        return;
    }
    let wants_representation = example
        .request
        .as_ref()
        .and_then(|r| r.message.header("prefer"))
        .is_some_and(|h| {
            h.value
                .to_ascii_lowercase()
                .contains("return=representation")
        });
    if wants_representation && *status == 200 {
        return;
    }
    let finding = ctx.report(
        &STATUS_PROSE,
        status_span.clone(),
        format!(
            "the response is documented as {status}, but the Response section says {}",
            prose.status
        ),
    );
    finding.relate(&page.path, prose.span.clone(), "the Response section");
    finding.help = Some("make the example and the Response section agree".into());
    finding.expected = Some(prose.status.to_string());
    finding.actual = Some(status.to_string());
}
