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

/// Drops a page's parsed example bodies once the page rules have read
/// them, as `check` does on the thread that read the page, but for the
/// trees [`check`] walks again: those are kept rather than parsed twice.
pub fn forget_unwalked_bodies(page: &mut Page) {
    page.forget_json_bodies_but(check::keeps_tree);
}

/// Every type finding of the pages against the model, in page order.
/// An empty model (a docs set without resource pages) finds nothing: there
/// is no definition to hold the examples to.
pub fn check(pages: &[Page], model: &Model) -> Vec<Finding> {
    if model.is_empty() {
        return Vec::new();
    }
    let suggestions = check::Suggestions::default();
    pages
        .par_iter()
        .flat_map_iter(|page| check_page(page, model, &suggestions))
        .collect()
}

/// [`check`] one page at a time, as pages are read, with the suggestions
/// of one run shared (each page's findings as `check` gives them).
pub struct Checker {
    model: std::sync::Arc<Model>,
    suggestions: check::Suggestions,
}

impl Checker {
    pub fn new(model: std::sync::Arc<Model>) -> Self {
        Checker {
            model,
            suggestions: check::Suggestions::default(),
        }
    }

    /// The type findings of one page.
    pub fn page(&self, page: &Page) -> Vec<Finding> {
        if self.model.is_empty() {
            return Vec::new();
        }
        check_page(page, &self.model, &self.suggestions)
    }

    /// The model the pages are held to.
    pub fn into_model(self) -> std::sync::Arc<Model> {
        self.model
    }
}

fn check_page(page: &Page, model: &Model, suggestions: &check::Suggestions) -> Vec<Finding> {
    let mut ctx = Ctx::new(page);
    drift::check(&mut ctx, model);
    ctx.for_each_example(|ctx, example| check::example(ctx, model, suggestions, example));
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
