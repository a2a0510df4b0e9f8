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

use crate::finding::Finding;
use crate::page::Page;
use crate::rule::Rule;
use matching::Matched;
pub use pair::PairSpec;

/// How a locale rule looks at a pair of pages.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// The two pages as wholes.
    Pages(fn(&mut Ctx)),
    /// The two pages with their examples matched.
    Examples(fn(&mut Ctx, &Matched)),
    /// After the others: may fold the example findings (those from the
    /// index given) into one.
    Folds(fn(&mut Ctx, &Matched, usize)),
}

/// Every locale rule with its check: the one list that says which run.
pub(crate) static LOCALE_RULES: &[(&Rule, Check)] = &[
    (
        &example_drift::LOCALE_EXAMPLE_DRIFT,
        Check::Examples(example_drift::check),
    ),
    (
        &permission_drift::LOCALE_PERMISSION_DRIFT,
        Check::Pages(permission_drift::check),
    ),
    (
        &example_drift::LOCALE_EXAMPLE_WHITESPACE,
        Check::Examples(example_drift::check_whitespace),
    ),
    (
        &missing_example::LOCALE_MISSING_EXAMPLE,
        Check::Examples(missing_example::check),
    ),
    (
        &outdated::LOCALE_OUTDATED_TRANSLATION,
        Check::Folds(outdated::check),
    ),
];

/// How pages pair across locales.
#[derive(Debug, Clone)]
pub(crate) struct LocaleOptions {
    /// The locale translations are compared against (`en-us`).
    pub source_locale: String,
    /// Pages paired by hand (`--pair SOURCE=LOCALIZED`).
    pub pairs: Vec<PairSpec>,
    /// The paths the pages were read from, for pages that have a locale
    /// but no locale root.
    pub roots: Vec<std::path::PathBuf>,
}

impl Default for LocaleOptions {
    fn default() -> Self {
        LocaleOptions {
            source_locale: "en-us".into(),
            pairs: Vec::new(),
            roots: Vec::new(),
        }
    }
}

/// Pairs localized pages with their source-language pages and runs the
/// locale rules. Returns the findings (on the localized pages) and how
/// many localized pages found their source.
pub(crate) fn check(
    pages: &[Page],
    options: &LocaleOptions,
) -> Result<(Vec<Finding>, usize), String> {
    let options = pair::Options::new(&options.source_locale, &options.pairs, &options.roots);
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
        related: None,
    };
    let matched = matching::match_examples(source, localized);
    for (_, check) in LOCALE_RULES {
        if let Check::Pages(check) = check {
            check(&mut ctx);
        }
    }
    // The folds read the example findings: those after this index.
    let examples_from = ctx.findings.len();
    for (_, check) in LOCALE_RULES {
        if let Check::Examples(check) = check {
            check(&mut ctx, &matched);
        }
    }
    for (_, check) in LOCALE_RULES {
        if let Check::Folds(check) = check {
            check(&mut ctx, &matched, examples_from);
        }
    }
    ctx.findings
}

/// A source page, its translation, and the findings reported on the translation.
pub(crate) struct Ctx<'p> {
    pub source: &'p Page,
    pub localized: &'p Page,
    pub findings: Vec<Finding>,
    /// The place in the source page the next finding compares against.
    related: Option<usize>,
}

impl Ctx<'_> {
    /// Reports `rule` at `span` of the localized page.
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        example: Option<&str>,
        message: String,
    ) -> &mut Finding {
        let mut finding = Finding::new(rule, &self.localized.path, span, message).example(example);
        if let Some(at) = self.related.take() {
            finding.relate(&self.source.path, at..at, "the source page");
        }
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// The next finding reported compares against this offset of the source
    /// page: it becomes the finding's related place.
    pub(crate) fn relate_next(&mut self, offset: usize) {
        self.related = Some(offset);
    }
}

/// The findings on `localized` against `source` as `(line, column,
/// message)`, each related place appended as ` @ path:line`: what the
/// locale rules' unit tests compare.
#[cfg(test)]
pub(crate) fn shown(source: &Page, localized: &Page) -> Vec<(usize, usize, String)> {
    check_pair(source, localized)
        .into_iter()
        .map(|f| {
            let p = localized.position(f.span.start);
            let message = f.related.iter().fold(f.message, |m, r| {
                format!("{m} @ {}:{}", r.path, source.line(r.span.start))
            });
            (p.line, p.column, message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A page of a permissions table and three examples (`a` and `x` with
    /// a JSON body, `y` a GET), dated `date`.
    fn page(path: &str, date: &str, scope: &str, a: &str, y: &str, x: &str) -> Page {
        let text = format!(
            "---\ntitle: Create widget\nms.date: {date}\n---\n# Create widget\n\n\
             ## Permissions\n\n| a | b |\n|--|--|\n| Application | {scope} |\n\n## Examples\n\n\
             <!-- {{ \"blockType\": \"request\", \"name\": \"a\" }} -->\n```http\n\
             POST https://x/widgets\nContent-Type: application/json\n\n{{\n  \"a\": {a}\n}}\n```\n\n\
             <!-- {{ \"blockType\": \"request\", \"name\": \"{y}\" }} -->\n```http\n\
             GET https://x/widgets/{y}\n```\n\n\
             <!-- {{ \"blockType\": \"request\", \"name\": \"x\" }} -->\n```http\n\
             POST https://x/widgets\r\nContent-Type: application/json\r\n\r\n{{\r\n{x}\"x\": 1\r\n}}\n```\n"
        );
        Page::from_text(Arc::from(path), text, Some(path[..5].to_owned()))
    }

    /// Each finding's rule and span, and all of it as `Debug` shows it.
    fn findings(source: &Page, localized: &Page) -> (Vec<(&'static str, Range<usize>)>, String) {
        let found = check_pair(source, localized);
        let rules = found
            .iter()
            .map(|f| (f.rule.name, f.span.clone()))
            .collect();
        (rules, format!("{found:?}"))
    }

    /// The locale rules read what the page model captured, never the
    /// page's text: `check` drops each page's text once its page rules
    /// have run (issue 17), before the locale rules run. Every kind of
    /// locale finding, before and after the texts are dropped.
    #[test]
    fn the_findings_are_the_same_without_the_pages_texts() {
        let mut source = page(
            "en-us/w.md",
            "03/01/2021",
            "Widget.ReadWrite.All",
            "1",
            "y",
            "\t",
        );
        // A value and a permission changed, example `y` became `z`, and
        // example `x` re-spaced: the same structure, no older date.
        let mut drifted = page(
            "zh-cn/w.md",
            "2021-03-01",
            "Widget.Read.All",
            "2",
            "z",
            "    ",
        );
        // The same drift on a translation dated before its source: one note.
        let mut older = page(
            "ru-ru/w.md",
            "2020-01-15",
            "Widget.ReadWrite.All",
            "2",
            "y",
            "\t",
        );
        let (l, o) = (drifted.text.clone(), older.text.clone());
        let at = |text: &str, what: &str| text.find(what).expect(what);
        let value = at(&l, "\"a\": 2") + 5;
        let scope = at(&l, "Widget.Read.All");
        let z = at(&l, "GET https://x/widgets/z");
        let x = at(&l, "POST https://x/widgets\r\n");
        let spaced = at(&l, "    \"x\"");
        let expected_drifted = [
            ("locale-permission-drift", scope..scope + 15),
            ("locale-example-drift", value..value + 1),
            ("locale-example-whitespace", spaced..spaced),
            // The translation's own `z` (its request line), then where
            // the source's `y` would stand: before `x`.
            ("locale-missing-example", z..z + 23),
            ("locale-missing-example", x..x),
        ];
        let folded = at(&o, "\"a\": 2") + 5;
        let expected_older = [("locale-outdated-translation", folded..folded + 1)];

        let before = [findings(&source, &drifted), findings(&source, &older)];
        assert_eq!(before[0].0, expected_drifted);
        assert_eq!(before[1].0, expected_older);
        assert!(before[1]
            .1
            .contains("its `ms.date` is 2020-01-15, the source page's 03/01/2021"));
        for page in [&mut source, &mut drifted, &mut older] {
            page.forget_text();
        }
        let after = [findings(&source, &drifted), findings(&source, &older)];
        assert_eq!(after, before);
    }
}
