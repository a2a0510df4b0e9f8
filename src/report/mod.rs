//! Renderers, one file per format; each is a pure function of a [`Report`].
//! Byte spans become 1-based lines and columns here, once, through each
//! page's line index ([`Report::locate`]).

pub mod examples;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
mod pretty;
pub mod sarif;

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::line_index::{LineIndex, Position};
use crate::page::Page;
pub use crate::replay::{ExampleResult, Outcome, SkipReason};

/// The output formats of `check` and `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with carets under the source, for a terminal.
    Human,
    /// One JSON document (`docs/report.schema.json`).
    Json,
    /// JUnit XML, a test case per example.
    Junit,
    /// SARIF 2.1.0 for code-scanning services.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// One self-contained HTML page.
    Html,
    /// A Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

/// Which command made a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `exemplar check`: static findings.
    Check,
    /// `exemplar run`: static findings and the replay's.
    Run,
}

impl Command {
    /// `check` or `run`.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Check => "check",
            Command::Run => "run",
        }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a `check` or `run` produced, ready to render.
pub struct Report<'a> {
    /// `check` or `run`.
    pub command: Command,
    /// The pages read.
    pub pages: &'a [Page],
    /// Texts that are not pages but carry findings (the configuration file).
    pub extra_sources: Vec<(Arc<str>, String)>,
    /// Sorted by path, then position, then rule.
    pub findings: Vec<Finding>,
    /// The counts.
    pub summary: Summary,
    /// One entry per example replayed or skipped (`run` only).
    pub results: Vec<ExampleResult>,
    /// With a baseline: its entries no longer seen.
    pub fixed: Vec<crate::baseline::Entry>,
    by_path: FxHashMap<Arc<str>, Source<'a>>,
}

#[derive(Clone, Copy)]
enum Source<'a> {
    Page(&'a Page),
    Extra(usize),
}

/// The counts of a report.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Summary {
    /// Pages read.
    pub pages: usize,
    /// Examples found in them.
    pub examples: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity note.
    pub notes: usize,
    /// `run`: examples sent to the endpoint (= passed + failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replayed: Option<usize>,
    /// `run`: replayed examples whose answer matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed: Option<usize>,
    /// `run`: replayed examples whose answer did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<usize>,
    /// `run`: examples not sent (examples = replayed + skipped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<usize>,
    /// Localized pages that found their source-language page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paired_pages: Option<usize>,
    /// With a baseline: findings it records (they do not fail the gate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<usize>,
    /// With a baseline: findings it does not record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
    /// With a baseline: its entries no longer seen (fixed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}

/// A related place with its positions resolved.
pub struct RelatedAt<'r> {
    /// The page's path.
    pub path: &'r str,
    /// Where the place starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// What is there.
    pub message: &'r str,
    /// The text of its start line.
    pub line_text: &'r str,
}

/// A finding with its positions resolved.
pub struct Located<'r> {
    /// The finding.
    pub finding: &'r Finding,
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// The text of the start line, without its ending.
    pub line_text: &'r str,
    /// The locale of its page.
    pub locale: Option<&'r str>,
}

/// `findings` in report order (path, start, rule, message; the order they
/// came in among equals), each finding said once. Small keys are sorted,
/// not the findings (a finding is some 250 bytes, and moving them through
/// a sort was most of the report's serial time on a large docs set): each
/// finding's path by its rank among the paths (the pages' order when the
/// pages are in path order, as a checked docs set's are), so that long
/// paths sharing their docs root are not compared at every step.
fn sorted(mut findings: Vec<Finding>, pages: &[Page]) -> Vec<Finding> {
    fn same(a: &Finding, b: &Finding) -> bool {
        a.path == b.path && a.span == b.span && a.rule == b.rule && a.message == b.message
    }
    let ranks = path_ranks(&findings, pages);
    let mut keys: Vec<(u32, usize, usize)> = findings
        .iter()
        .zip(ranks)
        .enumerate()
        .map(|(i, (f, rank))| (rank, f.span.start, i))
        .collect();
    // The index last: equal paths and starts keep the order they came in.
    // (The stable sort, which merges runs, measured slower here.)
    keys.sort_unstable();
    // Findings at one place (rare, and few) are ordered by rule and message,
    // stably.
    let mut i = 0;
    while i < keys.len() {
        let place = (keys[i].0, keys[i].1);
        // A step at a time: most places hold one finding.
        let mut j = i + 1;
        while keys.get(j).is_some_and(|k| (k.0, k.1) == place) {
            j += 1;
        }
        if j - i > 1 {
            keys[i..j].sort_by(|a, b| {
                let (x, y) = (&findings[a.2], &findings[b.2]);
                x.rule.name.cmp(y.rule.name).then(x.message.cmp(&y.message))
            });
        }
        i = j;
    }
    // Moved into that order in place (cycle by cycle: no second list of
    // findings is held), then the first of each run of equals kept.
    let mut order: Vec<usize> = keys.into_iter().map(|(_, _, i)| i).collect();
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != usize::MAX {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == start {
                break;
            }
            findings.swap(at, from);
            at = from;
        }
    }
    findings.dedup_by(|a, b| same(a, b));
    findings
}

/// The rank in path order of each finding's path: the pages' own order
/// when they are in path order and hold every finding's path, else the
/// distinct paths sorted.
///
/// A finding's path is nearly always its page's own `Arc` (cloned, not
/// rebuilt), and comes in runs of the same page: the page is found by the
/// `Arc`'s address (a word hashed, not a path of a hundred bytes), the
/// previous finding's answer reused first, and by text only for a path
/// that is another allocation of the same text.
fn path_ranks(findings: &[Finding], pages: &[Page]) -> Vec<u32> {
    if pages.windows(2).all(|w| w[0].path < w[1].path) {
        let by_address: FxHashMap<usize, u32> = (0..)
            .zip(pages)
            .map(|(i, p)| (address(&p.path), i))
            .collect();
        let mut by_text: Option<FxHashMap<&str, u32>> = None;
        let mut last: Option<(usize, u32)> = None;
        let ranks: Option<Vec<u32>> = findings
            .iter()
            .map(|f| {
                let at = address(&f.path);
                if let Some((previous, rank)) = last {
                    if previous == at {
                        return Some(rank);
                    }
                }
                let rank = match by_address.get(&at) {
                    Some(&rank) => rank,
                    None => *by_text
                        .get_or_insert_with(|| {
                            (0..).zip(pages).map(|(i, p)| (&*p.path, i)).collect()
                        })
                        .get(&*f.path)?,
                };
                last = Some((at, rank));
                Some(rank)
            })
            .collect();
        if let Some(ranks) = ranks {
            return ranks;
        }
    }
    let mut ranks: FxHashMap<&str, u32> = FxHashMap::default();
    for f in findings {
        ranks.entry(&f.path).or_insert(0);
    }
    let mut paths: Vec<&str> = ranks.keys().copied().collect();
    paths.sort_unstable();
    for (rank, path) in (0..).zip(paths) {
        ranks.insert(path, rank);
    }
    findings.iter().map(|f| ranks[&*f.path]).collect()
}

/// Where a path's text lives: the identity of its `Arc`.
fn address(path: &Arc<str>) -> usize {
    Arc::as_ptr(path).cast::<u8>() as usize
}

impl<'a> Report<'a> {
    /// The report of `findings` on `pages`: sorted, deduplicated, counted.
    pub fn new(
        command: Command,
        pages: &'a [Page],
        extra_sources: Vec<(Arc<str>, String)>,
        findings: Vec<Finding>,
    ) -> Self {
        // The page map beside the sort: both are serial, between the
        // stages that keep every core busy.
        let (findings, mut by_path) = rayon::join(
            || sorted(findings, pages),
            || -> FxHashMap<Arc<str>, Source<'a>> {
                pages
                    .iter()
                    .map(|p| (Arc::clone(&p.path), Source::Page(p)))
                    .collect()
            },
        );
        let mut summary = Summary {
            pages: pages.len(),
            examples: pages.iter().map(|p| p.examples.len()).sum(),
            ..Summary::default()
        };
        for f in &findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        for (i, (path, _)) in extra_sources.iter().enumerate() {
            by_path.insert(Arc::clone(path), Source::Extra(i));
        }
        Report {
            command,
            pages,
            extra_sources,
            findings,
            summary,
            results: Vec::new(),
            fixed: Vec::new(),
            by_path,
        }
    }

    /// The text and line index of a path, if it is a page or a known source.
    /// A source that is not a page (the configuration) is indexed here,
    /// when asked: it has few findings.
    fn text_of(&self, path: &str) -> Option<(&str, Cow<'_, LineIndex>, Option<&str>)> {
        match self.by_path.get(path)? {
            Source::Page(p) => Some((&p.text, Cow::Borrowed(p.lines()), p.locale.as_deref())),
            Source::Extra(i) => {
                let text = &self.extra_sources[*i].1;
                Some((text, Cow::Owned(LineIndex::new(text)), None))
            }
        }
    }

    /// Resolves a finding's span to 1-based positions and its line's text.
    pub fn locate<'r>(&'r self, finding: &'r Finding) -> Located<'r> {
        let unknown = Position { line: 1, column: 1 };
        let Some((text, index, locale)) = self.text_of(&finding.path) else {
            return Located {
                finding,
                start: unknown,
                end: unknown,
                line_text: "",
                locale: None,
            };
        };
        let (start, end) = span_positions(text, &index, &finding.span);
        let line_text = index.line_text(text, start.line - 1);
        Located {
            finding,
            start,
            end,
            line_text,
            locale,
        }
    }

    /// The 1-based start and end of `span` in the page (or source) at `path`.
    pub fn position(&self, path: &str, span: &std::ops::Range<usize>) -> (Position, Position) {
        let unknown = Position { line: 1, column: 1 };
        let Some((text, index, _)) = self.text_of(path) else {
            return (unknown, unknown);
        };
        span_positions(text, &index, span)
    }

    /// A finding's related places, located.
    pub fn related<'r>(&'r self, finding: &'r Finding) -> Vec<RelatedAt<'r>> {
        finding
            .related
            .iter()
            .map(|r| {
                // One look-up of the path for the positions and the line.
                let (start, end, line_text) = match self.text_of(&r.path) {
                    Some((text, index, _)) => {
                        let (start, end) = span_positions(text, &index, &r.span);
                        (start, end, index.line_text(text, start.line - 1))
                    }
                    None => {
                        let unknown = Position { line: 1, column: 1 };
                        (unknown, unknown, "")
                    }
                };
                RelatedAt {
                    path: &r.path,
                    start,
                    end,
                    message: &r.message,
                    line_text,
                }
            })
            .collect()
    }

    /// Exit code 1 when a finding of severity error is new (not in a baseline).
    pub fn exit_code(&self) -> u8 {
        u8::from(
            self.findings
                .iter()
                .any(|f| f.severity == Severity::Error && !f.known),
        )
    }
}

/// The 1-based start and end of `span` in `text`, as
/// [`LineIndex::position`] gives each. An end on the start's line (nearly
/// every span) is the start's column plus the characters between them:
/// no second search of the line starts and no second count from the
/// line's beginning (a finding's line may be a long paragraph).
fn span_positions(
    text: &str,
    index: &LineIndex,
    span: &std::ops::Range<usize>,
) -> (Position, Position) {
    let start = index.position(text, span.start);
    let end = span.end.max(span.start).min(text.len());
    // The next line's start (`usize::MAX` past the last line): an end
    // before it is on the start's line (an end at it is on the next).
    if end >= index.line_start(start.line) {
        return (start, index.position(text, end));
    }
    // Both offsets rounded down to a character boundary, as `position`
    // rounds them; the start's rounding is at or before the end's.
    let floor = |mut at: usize| {
        while at > 0 && !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let from = floor(span.start.min(text.len()));
    let to = floor(end);
    let column = start.column + text[from..to].chars().count();
    (
        start,
        Position {
            line: start.line,
            column,
        },
    )
}

/// Renders `report` in `format`. `color` applies to the human format only.
pub fn render(
    report: &Report,
    format: Format,
    options: &Options,
    out: &mut dyn std::io::Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::render(report, out, color),
        Format::Json => json::render(report, out),
        Format::Junit => junit::render(report, out),
        Format::Sarif => sarif::render(report, options, out),
        Format::Github => github::render(report, options, out),
        Format::Html => html::render(report, options, out),
        Format::Markdown => markdown::render(report, options, out),
    }
}

/// Settings of the sarif and html renderers that are not in the findings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the rule pages are published: `BASE/NAME.md`. SARIF's
    /// `helpUri` needs an absolute URI (without a base it is left out); the
    /// HTML report's rule links take any URI (default `docs/rules/NAME.md`).
    pub docs_base: Option<String>,
    /// Longest stretch of a source line an HTML snippet shows (characters).
    pub snippet_chars: usize,
    /// `file://` URI (with a final `/`) of the folder relative paths start
    /// from: SARIF's `originalUriBaseIds`.
    pub source_root: Option<String>,
    /// With `--changed-since`: the lines each changed page's change touched
    /// (`None`: the whole page is new). `github` annotates only these, as a
    /// pull request shows only them.
    pub changed_lines: Option<HashMap<String, Option<Vec<std::ops::RangeInclusive<usize>>>>>,
}

impl Options {
    /// Did the change touch `line` of the page at `path`? Always, without
    /// `--changed-since`.
    pub fn touched(&self, path: &str, line: usize) -> bool {
        match &self.changed_lines {
            None => true,
            Some(pages) => match pages.get(path) {
                None => false,
                Some(None) => true,
                Some(Some(ranges)) => ranges.iter().any(|r| r.contains(&line)),
            },
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            docs_base: None,
            snippet_chars: 120,
            source_root: None,
            changed_lines: None,
        }
    }
}

impl Options {
    /// The `[report]` table of `exemplar.toml`, then the environment
    /// variables `EXEMPLAR_DOCS_BASE_URI` and `EXEMPLAR_HTML_SNIPPET_CHARS`,
    /// which override it (for a CI job that publishes elsewhere); the
    /// renderers themselves stay pure.
    pub fn new(docs_base: Option<&str>, snippet_chars: Option<usize>) -> Self {
        let mut options = Options {
            source_root: std::env::current_dir().ok().and_then(|dir| {
                let uri = sarif::file_uri(&dir.to_string_lossy())?;
                Some(format!("{}/", uri.trim_end_matches('/')))
            }),
            ..Options::default()
        };
        if let Some(base) = docs_base.filter(|b| !b.is_empty()) {
            options.docs_base = Some(base.to_owned());
        }
        if let Some(n) = snippet_chars {
            options.snippet_chars = n.max(16);
        }
        if let Ok(base) = std::env::var("EXEMPLAR_DOCS_BASE_URI") {
            if !base.is_empty() {
                options.docs_base = Some(base);
            }
        }
        if let Some(n) = std::env::var("EXEMPLAR_HTML_SNIPPET_CHARS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            options.snippet_chars = n.max(16);
        }
        options
    }
}
