//! The page rules. Each rule is a small file that declares the rule and
//! reads the page model; [`PAGE_RULES`] lists them with their checks, and
//! [`check_page`] runs them on one page.

mod annotation_missing_name;
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
mod todo_marker;
mod unpaired_example;
mod unreadable_page;
mod url_id_mismatch;
mod version_mismatch;

use std::ops::Range;

use crate::example::Example;
use crate::finding::Finding;
use crate::page::Page;
use crate::rule::Rule;

/// How a page rule looks at a page.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// Once per page.
    Page(fn(&mut Ctx)),
    /// Once per example of the page.
    Example(fn(&mut Ctx, &Example)),
}

/// Every page rule with its check: the one list that says which checks run
/// (and, with the other stages' lists, what the registry (`registry.rs`) holds, in
/// this order). Page-wide checks run before each example's; the order of
/// findings is the report's to decide (by position).
pub(crate) static PAGE_RULES: &[(&Rule, Check)] = &[
    (
        &crate::discover::UNREADABLE_PAGE,
        Check::Page(unreadable_page::check),
    ),
    (
        &json_syntax::JSON_SYNTAX,
        Check::Example(json_syntax::check),
    ),
    (
        &http_syntax::HTTP_SYNTAX,
        Check::Example(http_syntax::check),
    ),
    (
        &annotation_syntax::ANNOTATION_SYNTAX,
        Check::Page(annotation_syntax::check),
    ),
    (
        &orphan_annotation::ORPHAN_ANNOTATION,
        Check::Page(orphan_annotation::check),
    ),
    (
        &unpaired_example::UNPAIRED_EXAMPLE,
        Check::Example(unpaired_example::check),
    ),
    (
        &content_length::CONTENT_LENGTH,
        Check::Example(content_length::check),
    ),
    (
        &echo_mismatch::ECHO_MISMATCH,
        Check::Example(echo_mismatch::check),
    ),
    (&enum_value::ENUM_VALUE, Check::Example(enum_value::check)),
    (
        &required_property::REQUIRED_PROPERTY,
        Check::Example(required_property::check),
    ),
    (
        &path_template::PATH_TEMPLATE,
        Check::Page(path_template::check),
    ),
    (
        &status_prose::STATUS_PROSE,
        Check::Example(status_prose::check),
    ),
    (
        &placeholder_value::PLACEHOLDER_VALUE,
        Check::Example(placeholder_value::check),
    ),
    (
        &url_id_mismatch::URL_ID_MISMATCH,
        Check::Example(url_id_mismatch::check),
    ),
    (
        &version_mismatch::VERSION_MISMATCH,
        Check::Example(version_mismatch::check),
    ),
    (&todo_marker::TODO_MARKER, Check::Page(todo_marker::check)),
    (
        &duplicate_example_name::DUPLICATE_EXAMPLE_NAME,
        Check::Page(duplicate_example_name::check),
    ),
    (
        &annotation_missing_name::ANNOTATION_MISSING_NAME,
        Check::Page(annotation_missing_name::check),
    ),
];

/// Where a rule reports: the page, and the example being looked at.
pub(crate) struct Ctx<'p> {
    pub page: &'p Page,
    example: Option<&'p str>,
    pub findings: Vec<Finding>,
    /// The API version the docs set documents, when the configuration says.
    pub version: Option<&'p str>,
    /// [`Ctx::documented_version`], once read.
    documented: Option<Option<(&'p str, bool)>>,
}

impl<'p> Ctx<'p> {
    pub(crate) fn new(page: &'p Page) -> Self {
        Ctx {
            page,
            example: None,
            findings: Vec::new(),
            version: None,
            documented: None,
        }
    }

    /// The API version the page documents (the configuration's, else its
    /// folder's), and whether the configuration names it: read once per page.
    pub(crate) fn documented_version(&mut self) -> Option<(&'p str, bool)> {
        let (version, page) = (self.version, self.page);
        *self
            .documented
            .get_or_insert_with(|| version_mismatch::documented_version(version, &page.path))
    }

    /// Reports `rule` at `span` of the page, about the current example.
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let finding = Finding::new(rule, &self.page.path, span, message).example(self.example);
        self.findings.push(finding);
        self.findings.last_mut().expect("just pushed")
    }

    /// Runs `f` for each example with the example set as the findings' subject.
    pub(crate) fn for_each_example(&mut self, mut f: impl FnMut(&mut Ctx<'p>, &'p Example)) {
        let page = self.page;
        for example in &page.examples {
            self.example = Some(example.id.as_str());
            f(self, example);
        }
        self.example = None;
    }
}

/// Runs every page rule on one page, of a docs set whose API version the
/// configuration names (`version` in exemplar.toml; else the page's path
/// says): the page-wide checks, then each example's.
pub(crate) fn check_page(page: &Page, version: Option<&str>) -> Vec<Finding> {
    let mut ctx = Ctx::new(page);
    ctx.version = version;
    for (_, check) in PAGE_RULES {
        if let Check::Page(check) = check {
            check(&mut ctx);
        }
    }
    ctx.for_each_example(|ctx, example| {
        for (_, check) in PAGE_RULES {
            if let Check::Example(check) = check {
                check(ctx, example);
            }
        }
    });
    ctx.findings
}
