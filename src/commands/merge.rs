//! `exemplar merge FILE...`: the JSON results of several runs (the shards
//! of a CI matrix) joined into one report, rendered in any format. The
//! pages are read again from the same checkout, for positions and
//! snippets, so that the merged report is the one a single run over all
//! the pages gives.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::gate::{self, Gate};
use super::{emit, report_options, Fatal};
use crate::baseline::Entry;
use crate::cli::MergeArgs;
use crate::config::Config;
use crate::finding::Finding;
use crate::line_index::{LineIndex, Position};
use crate::page::{Depth, Page};
use crate::replay::ExampleResult;
use crate::report::json::{Input, InputFinding};
use crate::report::{Command, Report, Summary};

pub(super) fn run(args: &MergeArgs) -> Result<u8, Fatal> {
    let config = Config::load(args.config.as_deref()).map_err(Fatal)?;
    let inputs = args
        .files
        .iter()
        .map(|f| read(f))
        .collect::<Result<Vec<Input>, Fatal>>()?;
    let command = match inputs
        .iter()
        .map(|i| i.command.as_str())
        .collect::<Vec<_>>()[..]
    {
        ref all if all.iter().all(|c| *c == "check") => Command::Check,
        ref all if all.iter().all(|c| *c == "run") => Command::Run,
        _ => {
            return Err(Fatal(
                "merge joins the results of one command: all `check` or all `run`".into(),
            ))
        }
    };

    // Every page once, in the order a single run reads them.
    let mut listed: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for input in &inputs {
        for p in &input.pages {
            listed.push((p.path.clone(), p.locale.clone(), p.key.clone()));
        }
    }
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    listed.dedup_by(|a, b| a.0 == b.0);
    let pages: Vec<Page> = listed
        .into_par_iter()
        .map(|(path, locale, key)| {
            let bytes = std::fs::read(&path).map_err(|e| {
                Fatal(format!(
                    "merge reads the pages again from the checkout: cannot read {path}: {e}"
                ))
            })?;
            Ok(Page::from_bytes(
                Arc::from(path.as_str()),
                bytes,
                locale,
                key,
                Depth::default(),
            ))
        })
        .collect::<Result<_, Fatal>>()?;

    // Texts that are not pages (the configuration file) by path.
    let by_path: HashMap<&str, &Page> = pages.iter().map(|p| (&*p.path, p)).collect();
    let mut extra: Vec<(Arc<str>, String)> = Vec::new();
    for input in &inputs {
        for f in &input.findings {
            if !by_path.contains_key(f.path.as_str()) && !extra.iter().any(|(p, _)| **p == *f.path)
            {
                if let Ok(text) = std::fs::read_to_string(&f.path) {
                    extra.push((Arc::from(f.path.as_str()), text));
                }
            }
        }
    }
    let mut indexes: HashMap<String, (String, LineIndex)> = HashMap::new();
    let mut findings = Vec::new();
    let mut results: Vec<ExampleResult> = Vec::new();
    let mut fixed: Option<Vec<Entry>> = None;
    let mut totals = Summary::default();
    for input in inputs {
        add(&mut totals, &input.summary);
        for f in input.findings {
            findings.push(finding(f, &by_path, &extra, &mut indexes)?);
        }
        results.extend(input.results.unwrap_or_default());
        if let Some(entries) = input.fixed {
            fixed.get_or_insert_with(Vec::new).extend(entries);
        }
    }
    let mut report = Report::new(command, &pages, extra, findings);
    // A page's results keep their order; pages go in page order.
    let rank: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (&*p.path, i))
        .collect();
    results.sort_by_key(|r| rank.get(&*r.path).copied().unwrap_or(usize::MAX));
    report.results = results;
    let s = &mut report.summary;
    s.replayed = totals.replayed;
    s.passed = totals.passed;
    s.failed = totals.failed;
    s.skipped = totals.skipped;
    s.paired_pages = totals.paired_pages.filter(|&n| n > 0);
    // The shards' fixed entries, in the order one run lists them.
    if let Some(fixed) = &mut fixed {
        fixed.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    }
    gate::record(&mut report, fixed);
    let mut options = report_options(&config);
    if args.changed_since.is_some() {
        let gate_args = crate::cli::GateArgs {
            changed_since: args.changed_since.clone(),
            ..Default::default()
        };
        let (gate, _) = Gate::new(
            &gate_args,
            &[std::path::PathBuf::from(".")],
            args.format == crate::report::Format::Github,
            None,
        )?;
        gate.report_options(&pages, &mut options);
    }
    emit(&report, &options, args.format, args.output.as_deref())?;
    Ok(report.exit_code())
}

fn read(path: &Path) -> Result<Input, Fatal> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
    let input: Input = serde_json::from_str(&text).map_err(|e| {
        Fatal(format!(
            "{} is not the JSON of `exemplar check` or `run` (--format json): {e}",
            path.display()
        ))
    })?;
    if input.version != 1 {
        return Err(Fatal(format!(
            "{} has version {}; this exemplar merges version 1",
            path.display(),
            input.version
        )));
    }
    Ok(input)
}

/// Sums the counts a report does not derive from its findings and pages.
fn add(total: &mut Summary, s: &Summary) {
    let sum = |a: Option<usize>, b: Option<usize>| match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    };
    total.replayed = sum(total.replayed, s.replayed);
    total.passed = sum(total.passed, s.passed);
    total.failed = sum(total.failed, s.failed);
    total.skipped = sum(total.skipped, s.skipped);
    total.paired_pages = sum(total.paired_pages, s.paired_pages);
}

/// A finding read back, its positions turned into a span of its page.
fn finding(
    f: InputFinding,
    pages: &HashMap<&str, &Page>,
    extra: &[(Arc<str>, String)],
    indexes: &mut HashMap<String, (String, LineIndex)>,
) -> Result<Finding, Fatal> {
    let rule = crate::registry::lookup(&f.rule).ok_or_else(|| {
        Fatal(format!(
            "merge: no rule named `{}` in this exemplar",
            f.rule
        ))
    })?;
    let mut span_of = |path: &str, start: Position, end: Position| -> std::ops::Range<usize> {
        if let Some(page) = pages.get(path) {
            let index = page.lines();
            return index.offset(&page.text, start)..index.offset(&page.text, end);
        }
        if let Some((_, text)) = extra.iter().find(|(p, _)| **p == *path) {
            let (text, index) = indexes
                .entry(path.to_owned())
                .or_insert_with(|| (text.clone(), LineIndex::new(text)));
            return index.offset(text, start)..index.offset(text, end);
        }
        0..0
    };
    let at = |line, column| Position { line, column };
    let span = span_of(&f.path, at(f.line, f.column), at(f.end_line, f.end_column));
    let path: Arc<str> = pages
        .get(f.path.as_str())
        .map_or_else(|| Arc::from(f.path.as_str()), |p| Arc::clone(&p.path));
    let mut finding = Finding::new(rule, &path, span, f.message);
    finding.severity = f.severity;
    finding.help = f.help;
    finding.example = f.example;
    finding.pointer = f.pointer;
    finding.expected = f.expected;
    finding.actual = f.actual;
    finding.known = f.known;
    for r in f.related {
        let span = span_of(&r.path, at(r.line, r.column), at(r.end_line, r.end_column));
        let related_path: Arc<str> = Arc::from(r.path.as_str());
        finding.relate(&related_path, span, r.message);
    }
    // The fix a shard printed, so that merged shards carry it as one run does.
    finding.fix = f.fix.map(|fix| crate::finding::Fix {
        applicability: if fix.safety == crate::finding::Applicability::Unsafe.name() {
            crate::finding::Applicability::Unsafe
        } else {
            crate::finding::Applicability::Safe
        },
        edits: fix
            .edits
            .into_iter()
            .map(|e| crate::finding::Edit {
                span: span_of(&f.path, at(e.line, e.column), at(e.end_line, e.end_column)),
                replacement: e.replacement,
            })
            .collect(),
    });
    Ok(finding)
}
