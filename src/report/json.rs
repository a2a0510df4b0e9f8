//! `--format json`: the document of CONTRACT.md (`version`, `summary`,
//! `findings`, and for `run` the per-example `results`), described by
//! `docs/report.schema.json`. [`Document`] is its one definition; it is
//! serialised straight from the report (no intermediate value tree).

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{ExampleResult, Report, Summary};
use crate::baseline::Entry;
use crate::finding::{Applicability, Finding, Severity};

/// Writes [`document`], pretty-printed, straight to `out`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The JSON document, shared with the reports that embed it.
pub fn document<'r>(report: &'r Report) -> Document<'r> {
    Document {
        version: 1,
        command: report.command.as_str(),
        summary: &report.summary,
        findings: report.findings.iter().map(|f| entry(report, f)).collect(),
        results: (report.command == super::Command::Run).then_some(&report.results),
        fixed: report.summary.fixed.map(|_| report.fixed.as_slice()),
        pages: report
            .pages
            .iter()
            .map(|p| PageEntry {
                path: &p.path,
                locale: p.locale.as_deref(),
                key: p.locale_key.as_deref(),
                examples: p.examples.len(),
            })
            .collect(),
    }
}

fn entry<'r>(report: &'r Report, f: &'r Finding) -> FindingEntry<'r> {
    let at = report.locate(f);
    FindingEntry {
        rule: f.rule.name,
        severity: f.severity,
        path: &f.path,
        line: at.start.line,
        column: at.start.column,
        end_line: at.end.line,
        end_column: at.end.column,
        message: &f.message,
        example: f.example.as_deref(),
        help: f.help.as_deref(),
        pointer: f.pointer.as_deref(),
        expected: f.expected.as_deref(),
        actual: f.actual.as_deref(),
        known: f.known,
        related: report
            .related(f)
            .into_iter()
            .map(|r| RelatedEntry {
                path: r.path,
                line: r.start.line,
                column: r.start.column,
                end_line: r.end.line,
                end_column: r.end.column,
                message: r.message,
            })
            .collect(),
        fix: fix(report, f),
    }
}

/// The finding's fix with its edits located as the finding is (1-based,
/// the end exclusive): what `check --fix` would write, for an editor or a
/// bot that applies it itself. The message is the finding's help, which
/// says what the repair does; without one, the edits speak for themselves.
fn fix<'r>(report: &'r Report, f: &'r Finding) -> Option<FixEntry<'r>> {
    let fix = f.fix.as_ref()?;
    Some(FixEntry {
        safety: match fix.applicability {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        },
        message: f.help.as_deref().unwrap_or("apply the edits"),
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let (start, end) = report.position(&f.path, &e.span);
                EditEntry {
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    replacement: &e.replacement,
                }
            })
            .collect(),
    })
}

/// A fix in the JSON document (`docs/report.schema.json`, `fix`).
#[derive(Serialize)]
struct FixEntry<'r> {
    /// `safe` (`--fix`) or `unsafe` (`--fix --unsafe-fixes`).
    safety: &'static str,
    message: &'r str,
    edits: Vec<EditEntry<'r>>,
}

/// Replace the text from (line, column) to (end_line, end_column) with
/// `replacement`; an empty range inserts, an empty replacement deletes.
#[derive(Serialize)]
struct EditEntry<'r> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'r str,
}

#[derive(Serialize)]
struct RelatedEntry<'r> {
    path: &'r str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'r str,
}

/// The JSON document of `check` and `run` (`docs/report.schema.json`).
#[derive(Serialize)]
pub struct Document<'r> {
    version: u32,
    command: &'r str,
    summary: &'r Summary,
    findings: Vec<FindingEntry<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<&'r Vec<ExampleResult>>,
    /// With a baseline: its entries no longer seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<&'r [Entry]>,
    /// Every page read, so that `exemplar merge` can read them again.
    pages: Vec<PageEntry<'r>>,
}

#[derive(Serialize)]
struct PageEntry<'r> {
    path: &'r str,
    locale: Option<&'r str>,
    /// The path below the locale root, which pairs translations.
    key: Option<&'r str>,
    examples: usize,
}

/// A JSON document read back (`exemplar merge`).
#[derive(Debug, Deserialize)]
pub struct Input {
    /// The format's version (1).
    pub version: u32,
    /// `check` or `run`.
    pub command: String,
    /// Its summary.
    pub summary: Summary,
    /// Its findings.
    pub findings: Vec<InputFinding>,
    /// `run`'s results.
    #[serde(default)]
    pub results: Option<Vec<ExampleResult>>,
    /// With a baseline: its entries no longer seen.
    #[serde(default)]
    pub fixed: Option<Vec<Entry>>,
    /// Every page read.
    #[serde(default)]
    pub pages: Vec<InputPage>,
}

/// A page listed in a JSON document.
#[derive(Debug, Deserialize)]
pub struct InputPage {
    /// As the run showed it.
    pub path: String,
    /// Its locale.
    pub locale: Option<String>,
    /// Its path below the locale root.
    pub key: Option<String>,
}

/// A finding read back.
#[derive(Debug, Deserialize)]
pub struct InputFinding {
    /// The rule's name.
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// The page's path.
    pub path: String,
    /// 1-based start line.
    pub line: usize,
    /// 1-based start column (characters).
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column.
    pub end_column: usize,
    /// The message.
    pub message: String,
    /// `path#name` of the example.
    pub example: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// The JSON pointer.
    #[serde(default)]
    pub pointer: Option<String>,
    /// The expected value.
    #[serde(default)]
    pub expected: Option<String>,
    /// The value found.
    #[serde(default)]
    pub actual: Option<String>,
    /// Recorded in the baseline.
    #[serde(default)]
    pub known: bool,
    /// Related places.
    #[serde(default)]
    pub related: Vec<InputRelated>,
    /// The fix its rule declares.
    #[serde(default)]
    pub fix: Option<InputFix>,
}

/// A fix read back.
#[derive(Debug, Deserialize)]
pub struct InputFix {
    /// `safe` or `unsafe`.
    pub safety: String,
    /// Its edits.
    pub edits: Vec<InputEdit>,
}

/// An edit of a fix read back.
#[derive(Debug, Deserialize)]
pub struct InputEdit {
    /// 1-based start line.
    pub line: usize,
    /// 1-based start column.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column (exclusive).
    pub end_column: usize,
    /// What replaces the range.
    pub replacement: String,
}

/// A related place read back.
#[derive(Debug, Deserialize)]
pub struct InputRelated {
    /// The page's path.
    pub path: String,
    /// 1-based start line.
    pub line: usize,
    /// 1-based start column.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column.
    pub end_column: usize,
    /// What is there.
    pub message: String,
}

#[derive(Serialize)]
struct FindingEntry<'r> {
    rule: &'r str,
    severity: Severity,
    path: &'r str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'r str,
    example: Option<&'r str>,
    help: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<&'r str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    known: bool,
    related: Vec<RelatedEntry<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixEntry<'r>>,
}
