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
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::line_index::{KeptLines, LineIndex, Position};
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
    /// Each page's index by the address of its path's text: a finding's
    /// path is nearly always its page's own `Arc` (cloned, not rebuilt),
    /// found by a word hashed rather than a path of a hundred bytes.
    by_address: FxHashMap<usize, u32>,
    /// Each extra source's index by its path (few: the configuration file,
    /// the pages read only for the type model).
    extra_by_path: FxHashMap<Arc<str>, usize>,
    /// Each page's index by its path's text, for a path that is another
    /// allocation of a page's path: made when first asked (rarely).
    by_text: OnceLock<FxHashMap<&'a str, u32>>,
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
fn sorted(mut findings: Vec<Finding>, ranks: &[u32]) -> Vec<Finding> {
    fn same(a: &Finding, b: &Finding) -> bool {
        a.path == b.path && a.span == b.span && a.rule == b.rule && a.message == b.message
    }
    // Each key one integer: the path's rank, the start, and the index
    // last (equal paths and starts keep the order they came in), so that
    // the sort compares one number, not a tuple field by field. (An index
    // fits in 32 bits: four billion findings of ~250 bytes would not fit
    // in memory. The stable sort, which merges runs, measured slower here.)
    let mut keys: Vec<u128> = findings
        .iter()
        .zip(ranks)
        .enumerate()
        .map(|(i, (f, &rank))| {
            (u128::from(rank) << 96) | ((f.span.start as u128) << 32) | (i as u128)
        })
        .collect();
    keys.sort_unstable();
    let place = |key: u128| key >> 32;
    let index = |key: u128| (key & u128::from(u32::MAX)) as usize;
    // Findings at one place (rare, and few) are ordered by rule and message,
    // stably.
    let mut i = 0;
    while i < keys.len() {
        let at = place(keys[i]);
        // A step at a time: most places hold one finding.
        let mut j = i + 1;
        while keys.get(j).is_some_and(|&k| place(k) == at) {
            j += 1;
        }
        if j - i > 1 {
            keys[i..j].sort_by(|&a, &b| {
                let (x, y) = (&findings[index(a)], &findings[index(b)]);
                x.rule.name.cmp(y.rule.name).then(x.message.cmp(&y.message))
            });
        }
        i = j;
    }
    // Moved into that order in place (cycle by cycle: no second list of
    // findings is held), then the first of each run of equals kept.
    let mut order: Vec<usize> = keys.into_iter().map(index).collect();
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
/// (each finding's page's index: `true` besides) when they are in path
/// order and hold every finding's path, else the distinct paths sorted.
///
/// A finding's path is nearly always its page's own `Arc` (cloned, not
/// rebuilt), and comes in runs of the same page: the page is found by the
/// `Arc`'s address in `by_address` (each page's index), the previous
/// finding's answer reused first, and by text only for a path that is
/// another allocation of the same text.
fn path_ranks(
    findings: &[Finding],
    pages: &[Page],
    by_address: &FxHashMap<usize, u32>,
) -> (Vec<u32>, bool) {
    if pages.windows(2).all(|w| w[0].path < w[1].path) {
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
            return (ranks, true);
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
    (findings.iter().map(|f| ranks[&*f.path]).collect(), false)
}

/// The pages whose lines the report will read, with the offsets it will
/// read on each: those of the findings (`ranks`: each finding's page) that
/// still hold their text (whose line index is made), and those whose text
/// was dropped where a finding, a related place or a fix points past the
/// lines kept (the cross-page rules' findings, mostly), which are read
/// again to keep those lines. Related places on pages with no finding of
/// their own are found by the address of their path.
fn to_index<'p>(
    findings: &[Finding],
    pages: &'p [Page],
    ranks: &[u32],
    by_address: &FxHashMap<usize, u32>,
) -> Vec<(&'p Page, Vec<usize>)> {
    let mut named: Vec<Option<Vec<usize>>> = vec![None; pages.len()];
    let mut name = |i: usize, span: &std::ops::Range<usize>| {
        let page = &pages[i];
        match page.kept_lines() {
            Some(_) if page.lines_holding(span).is_some() => {}
            Some(_) => named[i]
                .get_or_insert_with(Vec::new)
                .extend([span.start, span.end.max(span.start)]),
            None => {
                named[i].get_or_insert_with(Vec::new);
            }
        }
    };
    for (f, &rank) in findings.iter().zip(ranks) {
        for (path, span) in f.places() {
            // The finding's own page by its rank (its path may be another
            // allocation of the page's), any other by address.
            let page = if std::ptr::eq(path, &*f.path) {
                Some(rank as usize)
            } else {
                page_by_address(pages, by_address, path)
            };
            if let Some(i) = page {
                name(i, span);
            }
        }
    }
    pages
        .iter()
        .zip(named)
        .filter_map(|(p, offsets)| Some((p, offsets?)))
        .collect()
}

/// Makes the line index of each page `named` that holds its text, and
/// keeps the lines named of each whose text was dropped, reading it again
/// ([`Page::keep_more`]); on every core. (The reading threads index the
/// pages with page-rule findings that keep their text.)
fn index_lines(named: &[(&Page, Vec<usize>)]) {
    use rayon::prelude::*;
    named.par_iter().for_each(|(p, offsets)| {
        if p.kept_lines().is_some() {
            p.keep_more(offsets.iter().copied());
        } else {
            p.lines();
        }
    });
}

/// The index of the page whose path is `path`'s own allocation: the same
/// address and length, the same text.
fn page_by_address(
    pages: &[Page],
    by_address: &FxHashMap<usize, u32>,
    path: &str,
) -> Option<usize> {
    let i = *by_address.get(&address(path))? as usize;
    (pages[i].path.len() == path.len()).then_some(i)
}

/// Where a path's text lives: the identity of its `Arc` (the address of
/// the `str` it holds).
fn address(path: &str) -> usize {
    path.as_ptr() as usize
}

impl<'a> Report<'a> {
    /// The report of `findings` on `pages`: sorted, deduplicated, counted.
    pub fn new(
        command: Command,
        pages: &'a [Page],
        extra_sources: Vec<(Arc<str>, String)>,
        findings: Vec<Finding>,
    ) -> Self {
        // One map of the pages for the sort and the renderers: a word
        // each, no path hashed (the map of paths it replaces took longer
        // than the sort it was made beside).
        let by_address: FxHashMap<usize, u32> = (0..)
            .zip(pages)
            .map(|(i, p)| (address(&p.path), i))
            .collect();
        let (ranks, of_pages) = path_ranks(&findings, pages, &by_address);
        let named = if of_pages {
            to_index(&findings, pages, &ranks, &by_address)
        } else {
            Vec::new()
        };
        // The findings' pages indexed (and read again where their text was
        // dropped) beside the sort, which leaves the other cores idle:
        // every renderer resolves the findings' lines, and on the corpus a
        // third of the pages with findings had no index yet (4 M
        // instructions that the report's writing waited on).
        let (findings, ()) = rayon::join(|| sorted(findings, &ranks), || index_lines(&named));
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
        let extra_by_path = (0..)
            .zip(&extra_sources)
            .map(|(i, (path, _))| (Arc::clone(path), i))
            .collect();
        Report {
            command,
            pages,
            extra_sources,
            findings,
            summary,
            results: Vec::new(),
            fixed: Vec::new(),
            by_address,
            extra_by_path,
            by_text: OnceLock::new(),
        }
    }

    /// The page or extra source at `path`: a page by the address of its
    /// path's text (its own `Arc`), else an extra source by path, else a
    /// page by path. (An extra source never shares a page's path: the
    /// callers give as extra only texts that are not pages.)
    fn source(&self, path: &str) -> Option<Source<'a>> {
        let pages = self.pages;
        if let Some(i) = page_by_address(pages, &self.by_address, path) {
            return Some(Source::Page(&pages[i]));
        }
        if !self.extra_by_path.is_empty() {
            if let Some(&i) = self.extra_by_path.get(path) {
                return Some(Source::Extra(i));
            }
        }
        let by_text = self
            .by_text
            .get_or_init(|| (0..).zip(pages).map(|(i, p)| (&*p.path, i)).collect());
        by_text.get(path).map(|&i| Source::Page(&pages[i as usize]))
    }

    /// Where the positions of `span` in the page or known source at `path`
    /// are read, and the page's locale. A page whose text was dropped
    /// answers from the lines it kept when they hold the span, else from
    /// its text read again (already, on every core, when the report was
    /// made: [`index_lines`]). A source that is not a page (the configuration)
    /// is indexed here, when asked: it has few findings.
    fn lines_of(
        &self,
        path: &str,
        span: &std::ops::Range<usize>,
    ) -> Option<(Lines<'_>, Option<&str>)> {
        match self.source(path)? {
            Source::Page(p) => {
                let lines = match (p.kept_lines(), p.lines_holding(span)) {
                    (None, _) => Lines::Whole(&p.text, Cow::Borrowed(p.lines())),
                    (Some(_), Some(holding)) => Lines::Kept(holding),
                    (Some(kept), None) => match p.read_again() {
                        Some(text) => Lines::Whole(text, Cow::Borrowed(p.lines())),
                        // Changed during the run: the kept lines, or nothing.
                        None => Lines::Kept(kept),
                    },
                };
                Some((lines, p.locale.as_deref()))
            }
            Source::Extra(i) => {
                let text = &self.extra_sources[i].1;
                Some((Lines::Whole(text, Cow::Owned(LineIndex::new(text))), None))
            }
        }
    }

    /// Resolves a finding's span to 1-based positions and its line's text.
    pub fn locate<'r>(&'r self, finding: &'r Finding) -> Located<'r> {
        let unknown = Position { line: 1, column: 1 };
        let Some((lines, locale)) = self.lines_of(&finding.path, &finding.span) else {
            return Located {
                finding,
                start: unknown,
                end: unknown,
                line_text: "",
                locale: None,
            };
        };
        let (start, end) = lines.span_positions(&finding.span);
        let line_text = lines.line_text(start.line - 1);
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
        let Some((lines, _)) = self.lines_of(path, span) else {
            return (unknown, unknown);
        };
        lines.span_positions(span)
    }

    /// A finding's related places, located.
    pub fn related<'r>(&'r self, finding: &'r Finding) -> Vec<RelatedAt<'r>> {
        finding
            .related
            .iter()
            .map(|r| {
                // One look-up of the path for the positions and the line.
                let (start, end, line_text) = match self.lines_of(&r.path, &r.span) {
                    Some((lines, _)) => {
                        let (start, end) = lines.span_positions(&r.span);
                        (start, end, lines.line_text(start.line - 1))
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

/// Where positions on one source are read: its whole text and line
/// index, or the lines kept of a page whose text was dropped.
enum Lines<'r> {
    Whole(&'r str, Cow<'r, LineIndex>),
    Kept(&'r KeptLines),
}

impl<'r> Lines<'r> {
    /// The 1-based start and end of `span`, as [`span_positions`] gives
    /// them on the whole text.
    fn span_positions(&self, span: &std::ops::Range<usize>) -> (Position, Position) {
        match self {
            Lines::Whole(text, index) => span_positions(text, index, span),
            Lines::Kept(kept) => {
                // Only when the page changed during the run is a place
                // not held: the start, else the page's start.
                let start = kept
                    .position(span.start)
                    .unwrap_or(Position { line: 1, column: 1 });
                let end = kept.position(span.end.max(span.start)).unwrap_or(start);
                (start, end)
            }
        }
    }

    /// The text of the 0-based `line`, without its ending ("" when not kept).
    fn line_text(&self, line: usize) -> &'r str {
        match self {
            Lines::Whole(text, index) => index.line_text(text, line),
            Lines::Kept(kept) => kept.line_text(line).unwrap_or_default(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::UNREADABLE_PAGE;
    use crate::registry::UNUSED_SUPPRESSION;

    fn page(path: &str, text: &str) -> Page {
        Page::from_text(Arc::from(path), text.to_owned(), None)
    }

    /// Findings out of order, two of them said twice (one through another
    /// allocation of its page's path), three at one place.
    fn findings(a: &Page, b: &Page) -> Vec<Finding> {
        let at = |page: &Page, rule, span: std::ops::Range<usize>, message: &str| {
            Finding::new(rule, &page.path, span, message)
        };
        let mut rebuilt = at(a, &UNREADABLE_PAGE, 2..3, "z");
        rebuilt.path = Arc::from("a.md");
        vec![
            at(b, &UNUSED_SUPPRESSION, 5..6, "x"),
            at(a, &UNREADABLE_PAGE, 9..10, "m"),
            at(b, &UNREADABLE_PAGE, 5..6, "b"),
            at(a, &UNREADABLE_PAGE, 2..3, "z"),
            at(b, &UNUSED_SUPPRESSION, 5..6, "x"),
            rebuilt,
            at(b, &UNREADABLE_PAGE, 5..7, "a"),
        ]
    }

    fn order(report: &Report) -> Vec<(String, usize, &'static str, String)> {
        report
            .findings
            .iter()
            .map(|f| {
                (
                    f.path.to_string(),
                    f.span.start,
                    f.rule.name,
                    f.message.clone(),
                )
            })
            .collect()
    }

    /// Path, then start, then rule and message; equal findings said once;
    /// the same whether the pages are in path order or not.
    #[test]
    fn findings_are_sorted_by_path_start_rule_message_and_said_once() {
        let (a, b) = (page("a.md", "0123456789\n"), page("b.md", "0123456789\n"));
        let expected = [
            ("a.md", 2, "unreadable-page", "z"),
            ("a.md", 9, "unreadable-page", "m"),
            ("b.md", 5, "unreadable-page", "a"),
            ("b.md", 5, "unreadable-page", "b"),
            ("b.md", 5, "unused-suppression", "x"),
        ]
        .map(|(p, s, r, m)| (p.to_owned(), s, r, m.to_owned()));
        let in_order = [a.clone(), b.clone()];
        let found = findings(&in_order[0], &in_order[1]);
        let report = Report::new(Command::Check, &in_order, Vec::new(), found);
        assert_eq!(order(&report), expected);
        assert_eq!(report.summary.errors, 4);
        assert_eq!(report.summary.warnings, 1);
        let reversed = [b, a];
        let found = findings(&reversed[1], &reversed[0]);
        let report = Report::new(Command::Check, &reversed, Vec::new(), found);
        assert_eq!(order(&report), expected);
    }

    /// A path is found as a page's own `Arc`, as another allocation of a
    /// page's path, and as an extra source; an unknown path at 1:1.
    #[test]
    fn positions_resolve_through_every_kind_of_path() {
        let pages = [page("a.md", "ab\ncd\n"), page("b.md", "x\nyz\n")];
        let extra = (Arc::from("exemplar.toml"), "k = 1\nv = 2\n".to_owned());
        let report = Report::new(Command::Check, &pages, vec![extra], Vec::new());
        let at = |line, column| Position { line, column };
        assert_eq!(
            report.position(&pages[1].path, &(3..4)),
            (at(2, 2), at(2, 3))
        );
        assert_eq!(report.position("b.md", &(2..3)), (at(2, 1), at(2, 2)));
        assert_eq!(report.position("a.md", &(1..4)), (at(1, 2), at(2, 2)));
        assert_eq!(
            report.position("exemplar.toml", &(6..7)),
            (at(2, 1), at(2, 2))
        );
        assert_eq!(report.position("c.md", &(6..7)), (at(1, 1), at(1, 1)));
    }

    /// A report on pages whose texts were dropped reads what one on the
    /// whole texts reads: from the lines kept for the page rules' findings,
    /// from the file read again for a finding or a related place elsewhere
    /// (a cross-page rule's), and falls back to the kept lines, without a
    /// panic, when the file changed in between.
    #[test]
    fn dropped_texts_locate_as_the_whole_texts_do() {
        let dir = tempfile::tempdir().unwrap();
        let a_text = "# A\n\n委派 `x`, 2 \r\nend\nlast";
        let b_text = "# B\n\n| name | type |\n| x | String |\n";
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.to_str().unwrap().to_owned()
        };
        let (a_path, b_path) = (write("a.md", a_text), write("b.md", b_text));
        let whole = [page(&a_path, a_text), page(&b_path, b_text)];
        let found = |pages: &[Page]| {
            let (a, b) = (&pages[0], &pages[1]);
            // A page rule's finding (on line 3), and a cross-page one (line
            // 4) related to a row of the other page.
            let own = Finding::new(&UNREADABLE_PAGE, &a.path, 8..14, "own");
            let mut late = Finding::new(&UNUSED_SUPPRESSION, &a.path, 21..24, "late");
            late.related.push(crate::finding::Related {
                path: Arc::clone(&b.path),
                span: 27..34,
                message: "the row".to_owned(),
            });
            vec![own, late]
        };
        let shown = |report: &Report| -> Vec<String> {
            report
                .findings
                .iter()
                .map(|f| {
                    let at = report.locate(f);
                    let related: Vec<String> = report
                        .related(f)
                        .iter()
                        .map(|r| format!("{:?}-{:?} {:?}", r.start, r.end, r.line_text))
                        .collect();
                    format!("{:?}-{:?} {:?} {related:?}", at.start, at.end, at.line_text)
                })
                .collect()
        };
        let expected = shown(&Report::new(
            Command::Check,
            &whole,
            Vec::new(),
            found(&whole),
        ));
        assert_eq!(
            expected[0],
            "Position { line: 3, column: 2 }-Position { line: 3, column: 6 } \"委派 `x`, 2 \" []"
        );

        let mut dropped = whole.clone();
        let own = found(&whole).swap_remove(0);
        dropped[0].forget_text_keeping(own.offsets_on(&a_path).collect::<Vec<_>>());
        dropped[1].forget_text();
        let report = Report::new(Command::Check, &dropped, Vec::new(), found(&dropped));
        assert_eq!(shown(&report), expected);
        // Read again, and dropped again: page a for its late finding's
        // line, page b for the row's; their whole texts are not held.
        let more = |p: &Page, at: usize| p.more_lines().map(|m| m.holds(at));
        // Page a: its late finding's line 4, not the line 3 already kept.
        assert_eq!(more(&dropped[0], 21), Some(true));
        assert_eq!(more(&dropped[0], 5), Some(false));
        // Page b: the row's line 4 only.
        assert_eq!(more(&dropped[1], 27), Some(true));
        assert_eq!(more(&dropped[1], 5), Some(false));
        assert_eq!(dropped[0].whole_text(), None);
        assert_eq!(dropped[1].whole_text(), None);
        // A place no finding named is read from the whole text, read again.
        assert_eq!(
            report.position(&dropped[1].path, &(0..1)),
            (
                Position { line: 1, column: 1 },
                Position { line: 1, column: 2 }
            )
        );
        assert_eq!(dropped[1].whole_text(), Some(b_text));

        // Changed during the run: the kept line still places the page
        // rule's finding; the late one falls back to the page's start.
        let mut changed = whole.clone();
        changed[0].forget_text_keeping(own.offsets_on(&a_path).collect::<Vec<_>>());
        changed[1].forget_text();
        std::fs::write(&a_path, "shorter").unwrap();
        std::fs::remove_file(&b_path).unwrap();
        let report = Report::new(Command::Check, &changed, Vec::new(), found(&changed));
        let shown = shown(&report);
        assert_eq!(shown[0], expected[0]);
        assert_eq!(
            shown[1],
            "Position { line: 1, column: 1 }-Position { line: 1, column: 1 } \"\" \
             [\"Position { line: 1, column: 1 }-Position { line: 1, column: 1 } \\\"\\\"\"]"
        );
        assert_eq!(changed[0].whole_text(), None);
    }
}
