//! `duplicate-example-name`: two examples of a page share an annotation name.
//! (Names are per page; a translation is another page, so this is per locale.)

use std::collections::HashMap;

use super::Ctx;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) DUPLICATE_EXAMPLE_NAME = "duplicate-example-name", Warning, Check,
    "two examples share an annotation name within one locale";
}

pub(super) fn check(ctx: &mut Ctx) {
    let page = ctx.page;
    let mut first: HashMap<&str, usize> = HashMap::new();
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
            Some(&at) => {
                // The line only now: most pages have no duplicate, and
                // need no line index.
                let line = page.line(at);
                ctx.report(
                    &DUPLICATE_EXAMPLE_NAME,
                    span,
                    format!("another example on line {line} is already named \"{name}\""),
                )
                .help = Some(
                    "give each example a unique name; tests and translations find examples by name"
                        .into(),
                );
            }
            None => {
                first.insert(name, a.span.start);
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
