//! Resource types from the docs: a model built once per docs set from its
//! resource and enum pages ([`Model`]), and every example body checked
//! against it, responses and requests alike ([`check`]). The model is
//! cross-page, so it runs after all pages are read, like the locale rules.
//!
//! Rules: `unknown-type`, `unknown-property`, `property-type` (enum members
//! included), `read-only-property`, `resource-representation-drift`.

pub mod cache;
mod check;
mod drift;
pub mod model;
pub mod primitive;

use std::collections::hash_map::Entry;

use rayon::prelude::*;

pub use model::Model;

/// The rules the type checks raise.
pub static TYPE_RULES: &[&crate::rule::Rule] = &[
    &check::UNKNOWN_TYPE,
    &check::UNKNOWN_PROPERTY,
    &check::PROPERTY_TYPE,
    &check::READ_ONLY_PROPERTY,
    &drift::RESOURCE_REPRESENTATION_DRIFT,
];

use crate::finding::Finding;
use crate::page::Page;
use crate::rules::Ctx;

/// Every type finding of the pages against the model, a page's findings
/// together and in its order (the report orders the pages). An empty
/// model (a docs set without resource pages) finds nothing: there is no
/// definition to hold the examples to.
///
/// A page and its translations are checked one after the other, on one
/// thread, sharing what their bodies find ([`check::Shared`]).
pub fn check(pages: &[Page], model: &Model) -> Vec<Finding> {
    if model.is_empty() {
        model.forget_representations();
        return Vec::new();
    }
    let suggestions = check::Suggestions::default();
    let (order, starts) = partners(pages);
    let groups: Vec<&[u32]> = starts.windows(2).map(|w| &order[w[0]..w[1]]).collect();
    let found = groups
        .par_iter()
        .flat_map_iter(|group| {
            let mut shared = check::Shared::default();
            group
                .iter()
                .flat_map(|&i| check_page(&pages[i as usize], model, &suggestions, &mut shared))
                .collect::<Vec<_>>()
        })
        .collect();
    model.forget_representations();
    found
}

fn check_page<'p>(
    page: &'p Page,
    model: &Model,
    suggestions: &check::Suggestions,
    shared: &mut check::Shared<'p>,
) -> Vec<Finding> {
    let mut ctx = Ctx::new(page);
    drift::check(&mut ctx, model, shared);
    ctx.for_each_example(|ctx, example| check::example(ctx, model, suggestions, shared, example));
    shared.next_page();
    ctx.findings
}

/// How many response annotations name a type, how many of those the model
/// resolves (the model's coverage of what the examples announce), and the
/// names it does not resolve.
pub fn coverage(pages: &[Page], model: &Model) -> (usize, usize, Vec<String>) {
    pages
        .par_iter()
        .map(|page| {
            let mut announced = 0;
            let mut resolved = 0;
            let mut missed = Vec::new();
            for a in &page.annotations {
                if a.block_type.as_deref() != Some("response") {
                    continue;
                }
                let Some(name) = a
                    .json
                    .root
                    .as_ref()
                    .and_then(|r| r.value.get("@odata.type").or_else(|| r.value.get("@type")))
                    .and_then(|n| n.value.as_str())
                else {
                    continue;
                };
                announced += 1;
                let name = name.trim();
                let inner = check::strip_collection(name).unwrap_or(name);
                // A primitive result (`Edm.String`, `stream`) resolves to its Edm type.
                if model.type_named(inner).is_some()
                    || primitive::Prim::parse(inner.trim_start_matches('#')).is_some()
                {
                    resolved += 1;
                } else {
                    missed.push(name.to_owned());
                }
            }
            (announced, resolved, missed)
        })
        .reduce(
            || (0, 0, Vec::new()),
            |mut a, b| {
                a.2.extend(b.2);
                (a.0 + b.0, a.1 + b.1, a.2)
            },
        )
}

/// The pages' indices grouped by locale key (a page with its
/// translations), each group in page order, the groups in the order of
/// their first pages: the indices, and where each group starts (and the
/// last ends). A page without a key is a group of its own. In one pass,
/// each page linked to the next of its group (sorting the pages by group
/// cost more than the rest of the grouping).
fn partners(pages: &[Page]) -> (Vec<u32>, Vec<usize>) {
    // foldhash, seeded: the keys are paths the docs set chooses.
    let mut last: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let mut next = vec![u32::MAX; pages.len()];
    let mut heads = Vec::new();
    for (i, page) in (0u32..).zip(pages) {
        match page.locale_key.as_deref().map(|key| last.entry(key)) {
            Some(Entry::Occupied(mut group)) => {
                next[*group.get() as usize] = i;
                *group.get_mut() = i;
            }
            Some(Entry::Vacant(group)) => {
                group.insert(i);
                heads.push(i);
            }
            None => heads.push(i),
        }
    }
    let mut order = Vec::with_capacity(pages.len());
    let mut starts = Vec::with_capacity(heads.len() + 1);
    for head in heads {
        starts.push(order.len());
        let mut at = head;
        while at != u32::MAX {
            order.push(at);
            at = next[at as usize];
        }
    }
    starts.push(order.len());
    (order, starts)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::page::Depth;

    const GADGET: &str = "# gadget resource type\n\nNamespace: microsoft.graph\n\n\
        ## Properties\n\n| Property | Type | Description |\n|:---|:---|:---|\n\
        | label | String | The label. |\n| size | Int32 | The size. |\n\n\
        ## JSON representation\n\n\
        <!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.gadget\" } -->\n\n\
        ```json\n{\n  \"label\": \"String\",\n  \"size\": 1\n}\n```\n";

    /// A response body that finds one `property-type` and one
    /// `unknown-property`, after `lines` lines of prose.
    fn listing(lines: usize) -> String {
        format!(
            "# Get gadget\n\n{}## Response\n\n\
             <!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.gadget\" }} -->\n\
             ```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n\
             {{\n  \"label\": \"a\",\n  \"size\": \"big\",\n  \"colour\": \"red\"\n}}\n```\n",
            "Prose.\n\n".repeat(lines)
        )
    }

    fn page(path: &str, locale: &str, key: &str, text: &str) -> Page {
        Page::from_bytes(
            Arc::from(path),
            text.as_bytes().to_vec(),
            Some(locale.to_owned()),
            Some(key.to_owned()),
            Depth::Full,
        )
    }

    /// A translation showing its source's body byte for byte (walked once
    /// for both, see `check::Shared`) gets the same findings at its own
    /// places, and a page of another key showing the same body too.
    #[test]
    fn partners_share_walks_and_each_finds_at_its_own_place() {
        let mut pages = vec![
            page(
                "en-us/resources/gadget.md",
                "en-us",
                "resources/gadget.md",
                GADGET,
            ),
            page(
                "en-us/api/gadget-get.md",
                "en-us",
                "api/gadget-get.md",
                &listing(0),
            ),
            page("en-us/api/other.md", "en-us", "api/other.md", &listing(1)),
            page(
                "zh-cn/api/gadget-get.md",
                "zh-cn",
                "api/gadget-get.md",
                &listing(3),
            ),
        ];
        for page in &mut pages {
            page.forget_json_bodies();
        }
        let model = Model::build(&pages);
        let found: Vec<(&str, &str, usize, String)> = check(&pages, &model)
            .iter()
            .map(|f| {
                let page = pages.iter().find(|p| p.path == f.path).expect("a page");
                (
                    &*page.path,
                    f.rule.name,
                    page.line(f.span.start),
                    f.message.clone(),
                )
            })
            .collect();
        let size = "\"big\" is not a valid Int32 for `size`: a JSON string where Int32 \
            takes a number (`size` of microsoft.graph.gadget, en-us/resources/gadget.md)";
        let colour =
            "`colour` is not a property of microsoft.graph.gadget (en-us/resources/gadget.md)";
        let at = |path: &str, line| {
            let mut of_page: Vec<(usize, &str, String)> = found
                .iter()
                .filter(|f| f.0 == path)
                .map(|f| (f.2, f.1, f.3.clone()))
                .collect();
            of_page.sort();
            assert_eq!(
                of_page,
                vec![
                    (line, "property-type", size.to_owned()),
                    (line + 1, "unknown-property", colour.to_owned())
                ],
                "{path}: {found:#?}"
            );
        };
        at("en-us/api/gadget-get.md", 12);
        at("en-us/api/other.md", 14);
        at("zh-cn/api/gadget-get.md", 18);
    }
}
