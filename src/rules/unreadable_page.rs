//! `unreadable-page`: binary content, invalid UTF-8 (at the first bad byte).

use super::registry::UNREADABLE_PAGE;
use super::Ctx;

pub(super) fn check(ctx: &mut Ctx) {
    if let Some((span, why)) = &ctx.page.unreadable {
        let help = if why.starts_with("binary") {
            "exemplar reads text pages; exclude this file in exemplar.toml"
        } else {
            "save the page as UTF-8"
        };
        ctx.report(UNREADABLE_PAGE, span.clone(), why.clone()).help = Some(help.into());
    }
}
