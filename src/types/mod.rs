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

    /// A finding as the tests compare it: rule, page, span, message, help
    /// and related places.
    type Seen = (
        &'static str,
        String,
        std::ops::Range<usize>,
        String,
        Option<String>,
        Vec<(String, std::ops::Range<usize>, String)>,
    );

    /// The type findings of `pages` against the model they build, as compared.
    fn type_findings(pages: &[Page]) -> Vec<Seen> {
        let model = Model::build(pages);
        check(pages, &model)
            .into_iter()
            .map(|f| {
                let related = f.related.iter();
                let related = related
                    .map(|r| (r.path.to_string(), r.span.clone(), r.message.clone()))
                    .collect();
                (
                    f.rule.name,
                    f.path.to_string(),
                    f.span,
                    f.message,
                    f.help,
                    related,
                )
            })
            .collect()
    }

    /// The findings of `pages`, and those once every page's text is gone
    /// (the model built again from the pages without it): `check` drops
    /// each page's text after its page rules, and the type stage must
    /// find the same without it.
    fn with_and_without_text(mut pages: Vec<Page>) -> (Vec<Seen>, Vec<Seen>) {
        for page in &mut pages {
            page.forget_page_rule_inputs();
        }
        let with = type_findings(&pages);
        for page in &mut pages {
            page.forget_text();
        }
        assert!(pages.iter().all(|p| p.text.is_empty()));
        (with, type_findings(&pages))
    }

    /// An enum page (its title names the enum, its Members table lists
    /// them), a resource page using it, the resource page's Russian
    /// translation with a property name translated, and a create request
    /// sending a member the enum does not list: each type rule's findings
    /// (drift with the translated name named in its help, the enum member
    /// outside the enum, the read-only property sent), the same without
    /// the pages' texts.
    #[test]
    fn the_type_stage_finds_the_same_without_the_pages_text() {
        let size_kind = "# sizeKind enum type\n\nNamespace: microsoft.graph\n\n## Members\n\n\
            | Member | Description |\n|:---|:---|\n| small | Small. |\n| `large` | Large. |\n\
            | 大 | Not a member. |\n";
        let gizmo = |size: &str| {
            format!(
                "# gizmo resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n\
                 | Property | Type | Description |\n|:---|:---|:---|\n\
                 | id | String | The id. Read-only. |\n| {size} | [sizeKind](sizekind.md) | The size. |\n\
                 | weight | Int32 | The weight. |\n| [link](x.md) | String | Not a name. |\n\n\
                 ## JSON representation\n\n\
                 <!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.gizmo\" }} -->\n\n\
                 ```json\n{{\n  \"id\": \"String\",\n  \"size\": \"string\",\n  \"weight\": true,\n  \"colour\": \"String\"\n}}\n```\n"
            )
        };
        let create = "# Create gizmo\n\n## Example\n\n\
            <!-- { \"blockType\": \"request\", \"name\": \"create_gizmo\" } -->\n\n\
            ```http\nPOST https://graph.microsoft.com/v1.0/gizmos\nContent-Type: application/json\n\n\
            {\n  \"@odata.type\": \"#microsoft.graph.gizmo\",\n  \"id\": \"1\",\n  \"size\": \"huge\",\n  \
            \"weight\": \"heavy\",\n  \"shape\": \"round\"\n}\n```\n\n\
            <!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.gadget\" } -->\n\n\
            ```http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{\n  \"id\": \"1\"\n}\n```\n";
        let pages = vec![
            page(
                "en-us/resources/sizekind.md",
                "en-us",
                "resources/sizekind.md",
                size_kind,
            ),
            page(
                "en-us/resources/gizmo.md",
                "en-us",
                "resources/gizmo.md",
                &gizmo("size"),
            ),
            page(
                "ru-ru/resources/gizmo.md",
                "ru-ru",
                "resources/gizmo.md",
                &gizmo("размер"),
            ),
            page(
                "en-us/api/gizmo-post.md",
                "en-us",
                "api/gizmo-post.md",
                create,
            ),
        ];
        let (with, without) = with_and_without_text(pages);
        assert_eq!(without, with);
        let of = |f: &Seen| (f.0, f.1.clone(), f.2.clone(), f.3.clone(), f.4.clone());
        let gizmo_page = "en-us/resources/gizmo.md";
        let got: Vec<_> = with.iter().map(of).collect();
        let drift = "resource-representation-drift";
        let seen = |rule, path: &str, span, message: &str, help: &str| {
            (
                rule,
                path.to_owned(),
                span,
                message.to_owned(),
                Some(help.to_owned()),
            )
        };
        let (ru_page, post) = ("ru-ru/resources/gizmo.md", "en-us/api/gizmo-post.md");
        let add_row = "add a row for it to the table, or remove it from the JSON representation";
        let agree = "make the table and the JSON representation agree";
        let weight = "`weight` is Int32 in the table (line 11) but the JSON representation shows a boolean (true)";
        let neither = |name: &str| {
            format!("`{name}` is in the JSON representation but in neither the properties nor the relationships table")
        };
        let translated = |name: &str| {
            format!("the table has rows named `размер`, which are no property names: was `{name}` translated?")
        };
        assert_eq!(
            got,
            [
                seen(drift, gizmo_page, 437..441, weight, agree),
                seen(drift, gizmo_page, 445..453, &neither("colour"), add_row),
                seen(drift, ru_page, 415..421, &neither("size"), &translated("size")),
                seen(drift, ru_page, 445..449, weight, agree),
                seen(drift, ru_page, 453..461, &neither("colour"), &translated("colour")),
                seen(
                    "unknown-type",
                    post,
                    344..368,
                    "the response annotation names the type `microsoft.graph.gadget`, which no resource page of the docs set defines",
                    "correct the type name, or add the type's resource page"
                ),
                seen(
                    "read-only-property",
                    post,
                    221..225,
                    "the POST request sends `id`, which microsoft.graph.gizmo documents as read-only (en-us/resources/gizmo.md)",
                    "remove it from the request body; the service sets it"
                ),
                seen(
                    "property-type",
                    post,
                    242..248,
                    "\"huge\" is not a member of the enum sizeKind of `size` (`small`, `large`; microsoft.graph.gizmo, en-us/resources/sizekind.md)",
                    "use one of the enum's members, or add the member to the enum's table"
                ),
                seen(
                    "property-type",
                    post,
                    262..269,
                    "\"heavy\" is not a valid Int32 for `weight`: a JSON string where Int32 takes a number (`weight` of microsoft.graph.gizmo, en-us/resources/gizmo.md)",
                    "write a value of type Int32, or correct the resource page"
                ),
                seen(
                    "unknown-property",
                    post,
                    273..280,
                    "`shape` is not a property of microsoft.graph.gizmo (en-us/resources/gizmo.md)",
                    "remove it, or add it to the resource page's properties table"
                ),
            ]
        );
    }

    /// The type fixtures' docsets (every type rule's findings, in two and
    /// three locales), read as `check` reads them: the same findings
    /// without the pages' texts.
    #[test]
    fn the_type_fixtures_find_the_same_without_the_pages_text() {
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/types");
        let mut rules: Vec<&str> = Vec::new();
        // (The identity docset's findings are the page rules' only.)
        for (set, some) in [
            ("basic.docset", true),
            ("identity.docset", false),
            ("shared-drift.docset", true),
        ] {
            let loaded = crate::discover::load(
                &[fixtures.join(set)],
                &crate::discover::DiscoverOptions::default(),
            )
            .expect("a fixture docset");
            let (with, without) = with_and_without_text(loaded.pages);
            assert_eq!(!with.is_empty(), some, "{set}");
            assert_eq!(without, with, "{set}");
            rules.extend(with.iter().map(|f| f.0));
        }
        rules.sort_unstable();
        rules.dedup();
        assert_eq!(
            rules,
            [
                "property-type",
                "read-only-property",
                "resource-representation-drift",
                "unknown-property",
                "unknown-type"
            ]
        );
    }
}
