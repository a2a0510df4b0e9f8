//! `duplicate-example-name`: two examples of a page share an annotation name.
//! (Names are per page; a translation is another page, so this is per locale.)

use rustc_hash::FxHashMap;

use super::Ctx;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) DUPLICATE_EXAMPLE_NAME = "duplicate-example-name", Warning, Check,
    "two examples share an annotation name within one locale";
}

pub(super) fn check(ctx: &mut Ctx) {
    let page = ctx.page;
    // Fx: the names are the page's own, no attacker chooses them.
    let mut first: FxHashMap<&str, std::ops::Range<usize>> = FxHashMap::default();
    for a in page
        .annotations
        .iter()
        .filter(|a| a.block_type.as_deref() == Some("request"))
    {
        let Some(name) = a.names.first() else {
            continue;
        };
        let span = name_span(page, a).unwrap_or(a.span.clone());
        match first.get(name.as_str()) {
            Some(earlier) => {
                let earlier = earlier.clone();
                let f = ctx.report(
                    &DUPLICATE_EXAMPLE_NAME,
                    span,
                    format!("another example is already named \"{name}\""),
                );
                f.help = Some(
                    "give each example a unique name; tests and translations find examples by name"
                        .into(),
                );
                f.relate(&page.path, earlier, "the first example of that name");
            }
            None => {
                first.insert(name, span);
            }
        }
    }
}

fn name_span(
    page: &crate::page::Page,
    a: &crate::page::Annotation,
) -> Option<std::ops::Range<usize>> {
    let _ = page;
    let node = a.json.root.as_ref()?.value.get("name")?;
    Some(a.json_start + node.span.start..a.json_start + node.span.end)
}
