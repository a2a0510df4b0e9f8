//! `todo-marker`: a TODO left in the page.

use super::Ctx;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) TODO_MARKER = "todo-marker", Warning, Check,
    "the page still holds a TODO marker";
}

pub(super) fn check(ctx: &mut Ctx) {
    let page = ctx.page;
    for span in &page.todos {
        let lines = page.lines();
        let line = lines.line_text(&page.text, lines.line_of(span.start));
        let rest: String = line[line.find("TODO").unwrap_or(0)..]
            .trim_end_matches(['*', ' '])
            .chars()
            .take(70)
            .collect();
        ctx.report(
            &TODO_MARKER,
            span.clone(),
            format!("the page still holds a TODO marker: \"{rest}\""),
        )
        .help = Some("do what the TODO asks, then remove the marker".into());
    }
}
