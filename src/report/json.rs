//! `--format json`: the document of CONTRACT.md (`version`, `summary`,
//! `findings`, and for `run` the per-example `results`), described by
//! `docs/report.schema.json`. [`Document`] is its one definition; it is
//! serialised straight from the report (no intermediate value tree).

use std::io::{self, Write};

use serde::Serialize;

use super::{ExampleResult, Report, Summary};
use crate::finding::{Finding, Severity};

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
    }
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

#[derive(Serialize)]
pub struct Document<'r> {
    version: u32,
    command: &'r str,
    summary: &'r Summary,
    findings: Vec<FindingEntry<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<&'r Vec<ExampleResult>>,
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
}
