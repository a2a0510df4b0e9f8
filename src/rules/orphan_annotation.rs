//! `orphan-annotation`: a request/response annotation with no code block
//! right after it.

use super::Ctx;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) ORPHAN_ANNOTATION = "orphan-annotation", Warning, Check,
    "a request/response annotation is not followed by a code block";
}

pub(super) fn check(ctx: &mut Ctx) {
    let page = ctx.page;
    for a in page
        .annotations
        .iter()
        .filter(|a| a.is_example_half() && !a.attached)
    {
        let kind = a.block_type.as_deref().unwrap_or("");
        let span = a
            .block_type_span
            .clone()
            .unwrap_or(a.span.start..a.span.start + 4);
        ctx.report(
            &ORPHAN_ANNOTATION,
            span,
            format!(
                "this {kind} annotation is not followed by a code block, so its example is lost"
            ),
        )
        .help = Some(
            "put the fenced ```http block right after the annotation (blank lines only in between)"
                .into(),
        );
    }
}
