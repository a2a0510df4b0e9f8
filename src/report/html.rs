//! `--format html`: one self-contained page (inline CSS and JS, nothing
//! remote) that a CI job publishes as an artifact.
//!
//! Everything is rendered server-side as plain HTML, so the report reads
//! without JavaScript; the script only filters and searches. All text comes
//! from pages that may hold `<script>`, so it goes through askama, which
//! escapes every `{{ }}` of an `.html` template by default: nothing here
//! builds markup by hand.
//!
//! Corpus scale (10,000+ findings): findings are grouped by page in blocks
//! with `content-visibility: auto`, so the browser lays out only what is on
//! screen; the pages table of a large report starts folded; filtering
//! toggles `hidden` on rows in chunks so the page never freezes.

mod diff;
mod snippet;

use snippet::{snippet, Snippet};

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use askama::Template;

use super::{Options, Outcome, Report};
use crate::finding::Severity;

/// Above this many pages, the pages table starts folded.
const OPEN_PAGES: usize = 500;

/// Writes the report as one self-contained HTML page.
pub fn render(report: &Report, options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let view = view(report, options);
    view.write_into(out)?;
    writeln!(out)
}

#[derive(Template)]
#[template(path = "report.html")]
struct View {
    title: String,
    command: &'static str,
    version: &'static str,
    /// Common folder of the page paths, shown once; paths below it.
    root: String,
    totals: Vec<Total>,
    locales: Vec<LocaleBar>,
    rules: Vec<RuleBar>,
    pages: Vec<PageRow>,
    pages_open: bool,
    failing_pages: usize,
    groups: Vec<Group>,
    findings: usize,
    diffs: Vec<Diff>,
    results: Vec<ResultRow>,
    docs_base: String,
}

struct Total {
    label: &'static str,
    value: usize,
    class: &'static str,
}

struct LocaleBar {
    locale: String,
    pages: usize,
    failing: usize,
    errors: usize,
    warnings: usize,
    /// Bar widths, in percent of the largest locale's findings.
    error_pct: String,
    warning_pct: String,
}

struct RuleBar {
    rule: &'static str,
    severity: &'static str,
    /// Bar colour class: `e`, `w` or `n`.
    bar: &'static str,
    count: usize,
    pct: String,
    /// The help most of its findings carry.
    help: String,
}

struct PageRow {
    path: String,
    anchor: Option<usize>,
    locale: String,
    examples: usize,
    errors: usize,
    warnings: usize,
    /// `pass`, `warn` or `fail`.
    state: &'static str,
    /// `run` only: `passed/failed/skipped` of its examples.
    replay: Option<String>,
}

struct Group {
    id: usize,
    path: String,
    locale: String,
    rows: Vec<Row>,
}

struct Row {
    severity: &'static str,
    rule: &'static str,
    line: usize,
    column: usize,
    message: String,
    /// Help, unless it is the rule's usual help (shown in the rules table).
    help: Option<String>,
    example: Option<String>,
    known: bool,
    /// The other places the finding involves, linked when they have findings too.
    related: Vec<RelatedRow>,
    snippet: Option<Snippet>,
    expected: Option<String>,
    actual: Option<String>,
    diff: Option<usize>,
}

struct RelatedRow {
    /// `path:line:col: what is there`.
    text: String,
    /// The anchor of that page's findings, when it has any.
    href: Option<String>,
}

struct Diff {
    id: usize,
    example: String,
    rows: Vec<DiffRow>,
}

struct DiffRow {
    class: &'static str,
    left_no: String,
    left: String,
    right_no: String,
    right: String,
}

struct ResultRow {
    id: String,
    outcome: &'static str,
    reason: String,
}

fn view(report: &Report, options: &Options) -> View {
    let root = common_root(report.pages.iter().map(|p| &*p.path));
    let short = |p: &str| p.strip_prefix(root.as_str()).unwrap_or(p).to_owned();
    let locale_of: HashMap<&str, &str> = report
        .pages
        .iter()
        .map(|p| (&*p.path, p.locale.as_deref().unwrap_or("unknown")))
        .collect();

    // Body diffs of `run`, by example id, so findings can link to them.
    let mut diffs = Vec::new();
    let mut diff_of: HashMap<&str, usize> = HashMap::new();
    for r in &report.results {
        if let (Some(documented), Some(actual)) = (&r.documented, &r.actual) {
            let rows = diff::side_by_side(documented, actual);
            if rows.is_empty() {
                continue;
            }
            let id = diffs.len();
            diff_of.insert(r.id.as_str(), id);
            diffs.push(Diff {
                id,
                example: r.id.clone(),
                rows: rows.into_iter().map(diff_row).collect(),
            });
        }
    }

    let usual_help = usual_help(report);

    // Findings grouped by page, in the report's (path) order.
    let mut groups: Vec<Group> = Vec::new();
    let mut per_page: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    let mut per_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    // Findings are sorted by path, so each page's group id is its rank.
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for f in &report.findings {
        let next = group_of.len();
        group_of.entry(&f.path).or_insert(next);
    }
    for f in &report.findings {
        let at = report.locate(f);
        if groups.last().is_none_or(|g| g.path != short(&f.path)) {
            groups.push(Group {
                id: groups.len(),
                path: short(&f.path),
                locale: locale_of.get(&*f.path).unwrap_or(&"unknown").to_string(),
                rows: Vec::new(),
            });
        }
        let group_id = groups.len() - 1;
        let counts = per_page.entry(&f.path).or_insert((group_id, 0, 0));
        if !f.known {
            match f.severity {
                Severity::Error => counts.1 += 1,
                Severity::Warning | Severity::Note => counts.2 += 1,
            }
        }
        *per_rule.entry(f.rule.name).or_default() += 1;
        let diff = f
            .example
            .as_deref()
            .and_then(|e| diff_of.get(e).copied())
            .filter(|_| f.rule == &crate::replay::compare::BODY_MISMATCH);
        // A rule's usual help is shown once, in the rules table; a row
        // repeats only help that differs from it (at corpus scale the
        // repetition alone is a megabyte).
        let help = f
            .help
            .clone()
            .filter(|h| usual_help.get(f.rule.name).is_none_or(|u| u != h));
        let row = Row {
            severity: f.severity.as_str(),
            rule: f.rule.name,
            line: at.start.line,
            column: at.start.column,
            message: f.message.clone(),
            help,
            // The group names the page; the example's own part is enough.
            example: f.example.as_deref().map(|e| {
                e.strip_prefix(&*f.path)
                    .filter(|rest| rest.starts_with('#'))
                    .unwrap_or(e)
                    .to_owned()
            }),
            known: f.known,
            related: report
                .related(f)
                .into_iter()
                .map(|r| RelatedRow {
                    text: format!(
                        "{}:{}:{}: {}",
                        short(r.path),
                        r.start.line,
                        r.start.column,
                        r.message
                    ),
                    href: group_of.get(r.path).map(|id| format!("#p{id}")),
                })
                .collect(),
            snippet: snippet(&at, options.snippet_chars),
            expected: f.expected.clone(),
            actual: f.actual.clone(),
            diff,
        };
        if let Some(g) = groups.last_mut() {
            g.rows.push(row);
        }
    }

    // Pages, with their state and the per-locale breakdown.
    let mut replay: HashMap<&str, [usize; 3]> = HashMap::new();
    for r in &report.results {
        let slot = match r.outcome {
            Outcome::Passed => 0,
            Outcome::Failed => 1,
            Outcome::Skipped => 2,
        };
        replay.entry(&r.path).or_default()[slot] += 1;
    }
    let mut locales: BTreeMap<String, LocaleBar> = BTreeMap::new();
    let mut pages = Vec::with_capacity(report.pages.len());
    for page in report.pages {
        let (anchor, errors, warnings) = per_page
            .get(&*page.path)
            .map_or((None, 0, 0), |(g, e, w)| (Some(*g), *e, *w));
        let counts = replay.get(&*page.path);
        let failed_replay = counts.is_some_and(|c| c[1] > 0);
        let state = if errors > 0 || failed_replay {
            "fail"
        } else if warnings > 0 {
            "warn"
        } else {
            "pass"
        };
        let locale = page.locale.clone().unwrap_or_else(|| "unknown".to_owned());
        let bar = locales.entry(locale.clone()).or_insert_with(|| LocaleBar {
            locale: locale.clone(),
            pages: 0,
            failing: 0,
            errors: 0,
            warnings: 0,
            error_pct: String::new(),
            warning_pct: String::new(),
        });
        bar.pages += 1;
        bar.failing += usize::from(state == "fail");
        bar.errors += errors;
        bar.warnings += warnings;
        pages.push(PageRow {
            path: short(&page.path),
            anchor,
            locale,
            examples: page.examples.len(),
            errors,
            warnings,
            state,
            replay: counts.map(|c| format!("{}/{}/{}", c[0], c[1], c[2])),
        });
    }
    let widest = locales
        .values()
        .map(|l| l.errors + l.warnings)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut locales: Vec<LocaleBar> = locales.into_values().collect();
    for l in &mut locales {
        l.error_pct = pct(l.errors, widest);
        l.warning_pct = pct(l.warnings, widest);
    }
    let most = per_rule.values().copied().max().unwrap_or(0).max(1);
    let mut rules: Vec<RuleBar> = per_rule
        .into_iter()
        .map(|(rule, count)| {
            let severity = crate::registry::lookup(rule).map_or(Severity::Error, |r| r.severity);
            RuleBar {
                rule,
                severity: severity.as_str(),
                bar: match severity {
                    Severity::Error => "e",
                    Severity::Warning => "w",
                    Severity::Note => "n",
                },
                count,
                pct: pct(count, most),
                help: usual_help.get(rule).cloned().unwrap_or_default(),
            }
        })
        .collect();
    rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));

    let s = &report.summary;
    let mut totals = vec![
        Total {
            label: "pages",
            value: s.pages,
            class: "",
        },
        Total {
            label: "examples",
            value: s.examples,
            class: "",
        },
        Total {
            label: "errors",
            value: s.errors,
            class: "error",
        },
        Total {
            label: "warnings",
            value: s.warnings,
            class: "warning",
        },
        Total {
            label: "notes",
            value: s.notes,
            class: "note",
        },
    ];
    for (label, value, class) in [
        ("replayed", s.replayed, ""),
        ("passed", s.passed, "pass"),
        ("failed", s.failed, "error"),
        ("skipped", s.skipped, ""),
        ("paired pages", s.paired_pages, ""),
    ] {
        if let Some(value) = value {
            totals.push(Total {
                label,
                value,
                class,
            });
        }
    }
    let results = report
        .results
        .iter()
        .map(|r| ResultRow {
            id: r.id.clone(),
            outcome: match r.outcome {
                Outcome::Passed => "passed",
                Outcome::Failed => "failed",
                Outcome::Skipped => "skipped",
            },
            reason: r.reason.clone().unwrap_or_default(),
        })
        .collect();
    let failing_pages = pages.iter().filter(|p| p.state == "fail").count();
    View {
        title: format!(
            "exemplar {}: {} findings in {} pages",
            report.command,
            report.findings.len(),
            s.pages
        ),
        command: report.command.as_str(),
        version: env!("CARGO_PKG_VERSION"),
        root,
        totals,
        locales,
        rules,
        pages_open: pages.len() <= OPEN_PAGES,
        pages,
        failing_pages,
        groups,
        findings: report.findings.len(),
        diffs,
        results,
        docs_base: options
            .docs_base
            .clone()
            .unwrap_or_else(|| "docs/rules".to_owned())
            .trim_end_matches('/')
            .to_owned(),
    }
}

/// Each rule's help text that most of its findings carry, if one does
/// (a help that names the finding's own values has no usual form).
fn usual_help(report: &Report) -> HashMap<&'static str, String> {
    let mut counts: HashMap<&'static str, BTreeMap<&str, usize>> = HashMap::new();
    for f in &report.findings {
        if let Some(h) = &f.help {
            *counts
                .entry(f.rule.name)
                .or_default()
                .entry(h.as_str())
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(rule, helps)| {
            let total: usize = helps.values().sum();
            let mut best: Option<(&str, usize)> = None;
            for (h, n) in helps {
                if best.is_none_or(|(_, m)| n > m) {
                    best = Some((h, n));
                }
            }
            best.filter(|(_, n)| n * 2 > total)
                .map(|(h, _)| (rule, h.to_owned()))
        })
        .collect()
}

fn pct(n: usize, of: usize) -> String {
    // One decimal is plenty for a bar; `as f64` is exact below 2^53.
    format!("{:.1}", n as f64 * 100.0 / of as f64)
}

fn diff_row(r: diff::Row) -> DiffRow {
    let (left_no, left) = r
        .left
        .map_or((String::new(), String::new()), |(n, t)| (n.to_string(), t));
    let (right_no, right) = r
        .right
        .map_or((String::new(), String::new()), |(n, t)| (n.to_string(), t));
    DiffRow {
        class: r.class,
        left_no,
        left,
        right_no,
        right,
    }
}

/// The longest folder prefix (ending in `/`) all paths share.
fn common_root<'p>(mut paths: impl Iterator<Item = &'p str>) -> String {
    let Some(first) = paths.next() else {
        return String::new();
    };
    let mut root = first.rfind('/').map_or("", |i| &first[..=i]);
    for p in paths {
        while !p.starts_with(root) {
            root = root[..root.len() - 1]
                .rfind('/')
                .map_or("", |i| &root[..=i]);
        }
        if root.is_empty() {
            break;
        }
    }
    root.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_root_stops_at_a_folder() {
        let paths = ["a/b/c.md", "a/b/d/e.md", "a/bx.md"];
        assert_eq!(common_root(paths.into_iter()), "a/");
        assert_eq!(common_root(["a/b/c.md"].into_iter()), "a/b/");
        assert_eq!(common_root(["x.md", "a/y.md"].into_iter()), "");
    }
}
