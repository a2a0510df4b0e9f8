//! Locales: which localized page translates which source page (`pair`), and
//! the rules that compare a pair (`example_drift`, `permission_drift`,
//! `missing_example`, and `outdated`, which folds the example findings of a
//! translation made from an older source into one note). The language
//! knowledge lives in `lang::words`, one table per language.

mod example_drift;
mod matching;
mod missing_example;
mod outdated;
pub(crate) mod pair;
mod permission_drift;

use std::ops::Range;

use rayon::prelude::*;

use crate::cli::Common;
use crate::finding::Finding;
use crate::page::Page;
use crate::rules::Rule;

/// Pairs localized pages with their source-language pages and runs the
/// locale rules. Returns the findings (on the localized pages) and how
/// many localized pages found their source.
pub fn check(pages: &[Page], common: &Common) -> Result<(Vec<Finding>, usize), String> {
    let options = pair::Options::new(&common.source_locale, &common.pairs, &common.paths);
    let pairs = pair::pair(pages, &options)?;
    let findings = pairs
        .par_iter()
        .flat_map_iter(|p| check_pair(&pages[p.source], &pages[p.localized]))
        .collect();
    Ok((findings, pairs.len()))
}

/// Every locale finding of one localized page against its source.
pub(crate) fn check_pair(source: &Page, localized: &Page) -> Vec<Finding> {
    let mut ctx = Ctx {
        source,
        localized,
        findings: Vec::new(),
    };
    permission_drift::check(&mut ctx);
    let matched = matching::match_examples(source, localized);
    let examples_from = ctx.findings.len();
    missing_example::check(&mut ctx, &matched);
    example_drift::check(&mut ctx, &matched);
    outdated::check(&mut ctx, &matched, examples_from);
    ctx.findings
}

/// A source page, its translation, and the findings reported on the translation.
pub(crate) struct Ctx<'p> {
    pub source: &'p Page,
    pub localized: &'p Page,
    pub findings: Vec<Finding>,
}

impl Ctx<'_> {
    /// Reports `rule` at `span` of the localized page.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        example: Option<&str>,
        message: String,
    ) -> &mut Finding {
        let mut finding =
            Finding::new(rule.name, &self.localized.path, span, message).example(example);
        finding.severity = rule.severity;
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// `path:line` of an offset in the source page, for messages.
    pub fn source_at(&self, offset: usize) -> String {
        format!("{}:{}", self.source.path, self.source.line(offset))
    }
}
