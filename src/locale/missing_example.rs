//! locale-missing-example: an example on one side of a pair only. Reported
//! on the localized page: where the missing example would stand (before the
//! next example both pages share), or at the translation's own example.

use super::matching::Matched;
use super::Ctx;
use crate::example::Example;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) LOCALE_MISSING_EXAMPLE = "locale-missing-example", Warning, Locale,
    "a localized page lacks an example the source has, or has one the source lacks";
}

pub(super) fn check(ctx: &mut Ctx, matched: &Matched) {
    for (k, pair) in matched.iter().enumerate() {
        match *pair {
            (Some(i), None) => {
                let source = &ctx.source.examples[i];
                let at = place(ctx, matched, k);
                ctx.relate_next(source.start());
                let message = format!(
                    "this page lacks the source page's example {}",
                    describe(source),
                );
                ctx.report(&LOCALE_MISSING_EXAMPLE,
                    at..at,
                    Some(&source.id),
                    message,
                )
                .help = Some("translate the source page's example into this page (examples themselves stay untranslated)".into());
            }
            (None, Some(j)) => {
                let localized = &ctx.localized.examples[j];
                let start = localized.start();
                let line_end = localized.start_line_end();
                let message = format!(
                    "the source page ({}) has no example {}",
                    ctx.source.path,
                    describe(localized)
                );
                ctx.report(
                    &LOCALE_MISSING_EXAMPLE,
                    start..line_end.max(start),
                    Some(&localized.id),
                    message,
                )
                .help = Some(
                    "remove the example, or re-translate the page from its current source".into(),
                );
            }
            _ => {}
        }
    }
}

/// `` `name` `` or "#3 (GET …)" for an unnamed one.
fn describe(example: &Example) -> String {
    let what = example
        .request
        .as_ref()
        .and_then(|h| Some(format!("{} {}", h.message.method()?, h.message.url()?)))
        .or_else(|| {
            let status = example.response.as_ref()?.message.status()?;
            Some(format!("response {status}"))
        })
        .unwrap_or_default();
    match &example.name {
        Some(name) => format!("`{name}`"),
        None => format!("#{} (`{what}`)", example.index + 1),
    }
}

/// The offset in the localized page where the missing example at `k` of
/// `matched` would stand: before the next example the translation has, else
/// after its last one, else at the page's start.
fn place(ctx: &Ctx, matched: &Matched, k: usize) -> usize {
    let examples = &ctx.localized.examples;
    if let Some(j) = matched[k + 1..].iter().find_map(|(_, l)| *l) {
        return examples[j].start();
    }
    matched[..k]
        .iter()
        .rev()
        .find_map(|(_, l)| *l)
        .map_or(0, |j| end_of(&examples[j]))
}

/// The end of an example's last line in the page.
fn end_of(example: &Example) -> usize {
    example
        .request
        .iter()
        .chain(example.response.iter())
        .map(|h| {
            let m = &h.message;
            let body = m.body.as_ref().map_or(0, |b| {
                b.to_page(&(b.text().len().saturating_sub(1)..b.text().len()))
                    .end
            });
            let headers = m.headers.iter().map(|h| h.span.end).max().unwrap_or(0);
            body.max(headers).max(m.line_span.end)
        })
        .max()
        .unwrap_or(0)
}
