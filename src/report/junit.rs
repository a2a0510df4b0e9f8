//! `--format junit`: JUnit XML (quick-junit), the shape GitLab, Jenkins,
//! Azure Pipelines and the GitHub test-report actions read.
//!
//! One `<testsuite>` a page; in it one `<testcase>` an example (classname =
//! page path, name = example id) and one `page` testcase for the findings
//! that belong to no example (TODO markers, annotations, locale drift of the
//! page). A testcase fails when it carries a new error finding, the same
//! thing that makes the exit code 1; warnings and baseline-known findings
//! are listed in its `system-out` without failing it. In `run`, an example
//! that was skipped is `<skipped>` and one that failed without a finding of
//! its own still fails with the runner's reason.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{ExampleResult, Outcome, Report};
use crate::finding::{Finding, Severity};

/// The name of the per-page testcase holding findings outside any example.
pub const PAGE_CASE: &str = "page";

/// Writes the report as JUnit XML: a test case per example.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = quick_junit::Report::new(format!("exemplar {}", report.command));
    for suite in suites(report) {
        junit.add_test_suite(suite);
    }
    junit.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}

fn suites(report: &Report) -> Vec<TestSuite> {
    // Findings of each example, and the page-level rest, by path.
    let example_ids: std::collections::HashSet<&str> = report
        .pages
        .iter()
        .flat_map(|p| p.examples.iter().map(|e| e.id.as_str()))
        .collect();
    let mut by_example: HashMap<&str, Vec<&Finding>> = HashMap::new();
    let mut by_page: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        match f.example.as_deref() {
            Some(id) if example_ids.contains(id) => by_example.entry(id).or_default().push(f),
            _ => by_page.entry(&f.path).or_default().push(f),
        }
    }
    let results: HashMap<&str, &ExampleResult> =
        report.results.iter().map(|r| (r.id.as_str(), r)).collect();

    let mut suites = Vec::with_capacity(report.pages.len() + 1);
    for page in report.pages {
        let mut suite = TestSuite::new(&*page.path);
        let page_findings = by_page.remove(&*page.path).unwrap_or_default();
        suite.add_test_case(case(report, &page.path, PAGE_CASE, &page_findings, None));
        for example in &page.examples {
            let findings = by_example.get(example.id.as_str()).map_or(&[][..], |v| v);
            let result = results.get(example.id.as_str()).copied();
            suite.add_test_case(case(report, &page.path, &example.id, findings, result));
        }
        suites.push(suite);
    }
    // Findings on files that are not pages (the configuration file).
    for (path, findings) in by_page {
        let mut suite = TestSuite::new(path);
        suite.add_test_case(case(report, path, PAGE_CASE, &findings, None));
        suites.push(suite);
    }
    suites
}

fn case(
    report: &Report,
    classname: &str,
    name: &str,
    findings: &[&Finding],
    result: Option<&ExampleResult>,
) -> TestCase {
    let failing: Vec<&&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !f.known)
        .collect();
    let listing: String = findings.iter().map(|f| line(report, f)).collect();
    let status = if let Some(first) = failing.first() {
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
        let message = if failing.len() == 1 {
            format!("{}: {}", first.rule.name, first.message)
        } else {
            format!(
                "{}: {} (and {} more errors)",
                first.rule.name,
                first.message,
                failing.len() - 1
            )
        };
        s.set_message(message)
            .set_type(first.rule.name)
            .set_description(listing.clone());
        s
    } else {
        match result {
            Some(r) if r.outcome == Outcome::Skipped => {
                let mut s = TestCaseStatus::skipped();
                if let Some(reason) = &r.reason {
                    s.set_message(reason.as_str());
                }
                s
            }
            Some(r) if r.outcome == Outcome::Failed => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(r.reason.as_deref().unwrap_or("the example failed"));
                s
            }
            _ => TestCaseStatus::success(),
        }
    };
    let failed = matches!(status, TestCaseStatus::NonSuccess { .. });
    let mut case = TestCase::new(name, status);
    case.set_classname(classname);
    // A passing case still shows its warnings; a failing one has them in
    // its failure text already.
    if !failed && !listing.is_empty() {
        case.set_system_out(listing);
    }
    case
}

/// `path:line:col: severity[rule]: message`, plus help, as in `human`.
fn line(report: &Report, f: &Finding) -> String {
    let at = report.locate(f);
    let known = if f.known { " (known)" } else { "" };
    let mut s = format!(
        "{}:{}:{}: {}[{}]{known}: {}\n",
        f.path,
        at.start.line,
        at.start.column,
        f.severity.as_str(),
        f.rule.name,
        f.message
    );
    if let Some(help) = &f.help {
        s.push_str("  help: ");
        s.push_str(help);
        s.push('\n');
    }
    s
}
