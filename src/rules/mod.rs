//! The static rules. Each rule is a small file reading the page model; the
//! registry declares them all; this module runs them over pages in parallel
//! and applies the configuration and the page's suppressions.

pub mod registry;

mod annotation_syntax;
mod content_length;
mod duplicate_example_name;
mod echo_mismatch;
mod enum_value;
mod http_syntax;
mod json_syntax;
mod orphan_annotation;
mod path_template;
mod placeholder_value;
mod required_property;
mod status_prose;
mod url_id_mismatch;
mod version_mismatch;

mod todo_marker;
mod unpaired_example;
mod unreadable_page;

use std::ops::Range;

use rayon::prelude::*;

pub use registry::{lookup, suggest, Rule, Scope, ALL};

use crate::config::Config;
use crate::example::Example;
use crate::finding::Finding;
use crate::page::Page;

/// Where a rule reports: the page, and the example being looked at.
pub struct Ctx<'p> {
    pub page: &'p Page,
    example: Option<&'p str>,
    pub findings: Vec<Finding>,
}

impl<'p> Ctx<'p> {
    pub fn new(page: &'p Page) -> Self {
        Ctx {
            page,
            example: None,
            findings: Vec::new(),
        }
    }

    /// Reports `rule` at `span` of the page, about the current example.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let mut finding =
            Finding::new(rule.name, &self.page.path, span, message).example(self.example);
        finding.severity = rule.severity;
        self.findings.push(finding);
        self.findings.last_mut().expect("just pushed")
    }

    /// Runs `f` for each example with the example set as the findings' subject.
    pub fn for_each_example(&mut self, mut f: impl FnMut(&mut Ctx<'p>, &'p Example)) {
        let page = self.page;
        for example in &page.examples {
            self.example = Some(example.id.as_str());
            f(self, example);
        }
        self.example = None;
    }
}

/// Runs every page rule on one page.
pub fn check_page(page: &Page) -> Vec<Finding> {
    check_page_in(page, None)
}

/// Runs every page rule on one page of a docs set whose API version the
/// configuration names (`version` in exemplar.toml; else the page's path says).
pub fn check_page_in(page: &Page, version: Option<&str>) -> Vec<Finding> {
    let mut ctx = Ctx::new(page);
    unreadable_page::check(&mut ctx);
    annotation_syntax::check(&mut ctx);
    orphan_annotation::check(&mut ctx);
    todo_marker::check(&mut ctx);
    duplicate_example_name::check(&mut ctx);
    path_template::check(&mut ctx);
    ctx.for_each_example(|ctx, example| {
        http_syntax::check(ctx, example);
        json_syntax::check(ctx, example);
        unpaired_example::check(ctx, example);
        content_length::check(ctx, example);
        echo_mismatch::check(ctx, example);
        enum_value::check(ctx, example);
        required_property::check(ctx, example);
        status_prose::check(ctx, example);
        placeholder_value::check(ctx, example);
        url_id_mismatch::check(ctx, example);
        version_mismatch::check(ctx, example, version);
    });
    ctx.findings
}

/// Runs the page rules on every page (in parallel) and returns the findings
/// in page order, before configuration and suppressions.
pub fn check_pages(pages: &[Page]) -> Vec<Finding> {
    pages.par_iter().flat_map_iter(check_page).collect()
}

/// Applies the configuration (rules off or re-levelled) and the pages'
/// suppressions; reports unknown rule names and unused suppressions.
pub fn apply(findings: Vec<Finding>, pages: &[Page], config: &Config) -> Vec<Finding> {
    let mut findings = crate::suppressions::apply(findings, pages);
    findings.extend(config.problems.iter().cloned());
    findings.retain_mut(|f| match config.level(f.rule) {
        Some(None) => false,
        Some(Some(level)) => {
            f.severity = level;
            true
        }
        None => true,
    });
    findings
}
