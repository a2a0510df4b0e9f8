//! `todo-marker`: a TODO left in the page.

use super::registry::TODO_MARKER;
use super::Ctx;

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
            TODO_MARKER,
            span.clone(),
            format!("the page still holds a TODO marker: \"{rest}\""),
        )
        .help = Some("do what the TODO asks, then remove the marker".into());
    }
}
