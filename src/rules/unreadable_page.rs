//! `unreadable-page`: binary content, invalid UTF-8 (at the first bad byte).

use super::Ctx;
use crate::discover::UNREADABLE_PAGE;
use crate::page::Unreadable;

pub(super) fn check(ctx: &mut Ctx) {
    if let Some((span, why)) = &ctx.page.unreadable {
        let help = match why {
            Unreadable::Binary { .. } => {
                "exemplar reads text pages; exclude this file in exemplar.toml"
            }
            Unreadable::InvalidUtf8 { .. } => "save the page as UTF-8",
        };
        ctx.report(&UNREADABLE_PAGE, span.clone(), why.to_string())
            .help = Some(help.into());
    }
}
