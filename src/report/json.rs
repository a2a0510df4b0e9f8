//! `--format json`: the document of CONTRACT.md (`version`, `summary`,
//! `findings`, and for `run` the per-example `results`), described by
//! `docs/report.schema.json`. [`Document`] is its one definition; it is
//! serialised straight from the report (no intermediate value tree).

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{ExampleResult, Report, Summary};
use crate::baseline::Entry;
use crate::finding::{Finding, Severity};

/// Writes [`document`], pretty-printed, to `out`: the bytes of
/// `serde_json::to_writer_pretty` (a test holds them equal), but with the
/// findings and pages, most of a large report, made into entries and
/// rendered on every core in runs, a batch at a time, each run into its own
/// buffer, and the buffers written in order: the whole list of entries is
/// never held.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_with(report, None, out)
}

/// The `pages` array's entries, rendered ahead of the report that lists
/// them ([`pages`]): they depend on the pages only, and are rendered
/// beside the serial making of the report.
pub struct Pages {
    runs: Vec<Vec<u8>>,
    count: usize,
}

/// The entries of `pages` for [`render_with`], on every core.
pub fn pages(pages: &[crate::page::Page]) -> Pages {
    let Ok(runs) = rendered(pages, PAGE_ROOM, &|buffer: &mut Vec<u8>, p| {
        write::page(buffer, &page_entry(p));
        Ok::<(), std::convert::Infallible>(())
    });
    Pages {
        runs,
        count: pages.len(),
    }
}

/// [`render`], with the entries of the report's pages rendered ahead by
/// [`pages`] when given (`pages` of `report.pages`).
pub fn render_with(report: &Report, pages: Option<Pages>, out: &mut dyn Write) -> io::Result<()> {
    let doc = head(report);
    // Small: the runs of entries (tens of KB each) are larger, and a
    // buffered writer hands what is larger than its buffer straight on
    // instead of copying all of the report through it.
    let mut out = io::BufWriter::with_capacity(1 << 13, out);
    out.write_all(b"{\n  \"version\": ")?;
    field(&mut out, &doc.version)?;
    out.write_all(b",\n  \"command\": ")?;
    field(&mut out, &doc.command)?;
    out.write_all(b",\n  \"summary\": ")?;
    field(&mut out, doc.summary)?;
    out.write_all(b",\n  \"findings\": ")?;
    items(&mut out, &report.findings, |buffer, f| {
        write::finding(buffer, &entry(report, f));
        Ok(())
    })?;
    if let Some(results) = doc.results {
        out.write_all(b",\n  \"results\": ")?;
        items(&mut out, results, serde_entry)?;
    }
    if let Some(fixed) = doc.fixed {
        out.write_all(b",\n  \"fixed\": ")?;
        items(&mut out, fixed, serde_entry)?;
    }
    out.write_all(b",\n  \"pages\": ")?;
    match pages {
        Some(pages) if !pages.runs.is_empty() => {
            debug_assert_eq!(pages.count, report.pages.len());
            out.write_all(b"[")?;
            written(&mut out, &pages.runs, &mut true)?;
            out.write_all(b"\n  ]")?;
        }
        _ => items(&mut out, report.pages, |buffer, p| {
            write::page(buffer, &page_entry(p));
            Ok(())
        })?,
    }
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// A value one level down the document, pretty-printed.
fn field<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(Indented { out, indent: b"  " }, value).map_err(io::Error::from)
}

/// An entry two levels down the document, pretty-printed by serde_json
/// (the rare lists: `run`'s results, a baseline's fixed entries).
fn serde_entry<T: Serialize>(buffer: &mut Vec<u8>, item: &T) -> io::Result<()> {
    let indented = Indented {
        out: buffer,
        indent: b"    ",
    };
    serde_json::to_writer_pretty(indented, item).map_err(io::Error::from)
}

/// An array one level down the document of each of `items` as `to` writes
/// it (an entry two levels down), rendered on every core in runs of
/// [`RUN`] items, [`BATCH`] items at a time, and written in order.
///
/// The batches are rendered by one job in the thread pool and handed to
/// this thread, which writes them while the pool renders the next: the
/// pool's threads split each batch among themselves (a join, where a
/// waiting thread takes work) instead of this thread starting every batch
/// and sleeping until it is done (two wake-ups a batch, most of the time
/// of a batch of small entries). At most three batches are held (one
/// written, one ready, one rendered), not the whole list.
fn items<'a, S: Sync>(
    out: &mut impl Write,
    items: &'a [S],
    to: impl Fn(&mut Vec<u8>, &'a S) -> io::Result<()> + Sync,
) -> io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let mut first = true;
    let mut write = |runs: Vec<Vec<u8>>| written(out, &runs, &mut first);
    let to = &to;
    if rayon::current_thread_index().is_some() || rayon::current_num_threads() < 2 {
        // Waiting here for a job of the pool could wait for ever on a
        // thread of the pool (or a pool of one thread): the batches are
        // rendered and written in turn instead.
        for batch in items.chunks(BATCH) {
            write(rendered(batch, ITEM_ROOM, to)?)?;
        }
    } else {
        rayon::in_place_scope(|scope| -> io::Result<()> {
            let (ready, batches) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move |_| {
                for batch in items.chunks(BATCH) {
                    // Stops when the writer stopped (an error drops `batches`).
                    if ready.send(rendered(batch, ITEM_ROOM, to)).is_err() {
                        return;
                    }
                }
            });
            for runs in batches {
                write(runs?)?;
            }
            Ok(())
        })?;
    }
    out.write_all(b"\n  ]")
}

/// Writes `runs` of [`rendered`], the first of an array (`first`) without
/// the comma before it.
fn written(out: &mut impl Write, runs: &[Vec<u8>], first: &mut bool) -> io::Result<()> {
    for run in runs {
        out.write_all(if *first { &run[1..] } else { run })?;
        *first = false;
    }
    Ok(())
}

/// Items a run renders into one buffer: a finding's entry is ~700 bytes
/// on the corpus, a run's some 45 KB.
const RUN: usize = 64;

/// Items rendered before they are written: sixteen runs.
const BATCH: usize = RUN * 16;

/// The room a run's buffer starts with for each of its items: a finding's
/// entry is ~700 bytes on the corpus, a page's ~250. A page's run given a
/// finding's room left two thirds of 7.6 MB unwritten, which a huge page
/// holding it is cleared and counted for all the same.
const ITEM_ROOM: usize = 768;
const PAGE_ROOM: usize = 320;

/// Each run of [`RUN`] of `batch` rendered by `to` into its own buffer
/// (`room` bytes an item to start with), on every core, each item preceded
/// by `,` and its line break.
fn rendered<'a, S: Sync, E: Send>(
    batch: &'a [S],
    room: usize,
    to: &(impl Fn(&mut Vec<u8>, &'a S) -> Result<(), E> + Sync),
) -> Result<Vec<Vec<u8>>, E> {
    use rayon::prelude::*;
    batch
        .par_chunks(RUN)
        .map(|run| {
            // Room for a run without growing (and copying) the buffer.
            let mut buffer = Vec::with_capacity(run.len() * room);
            for item in run {
                buffer.extend_from_slice(b",\n    ");
                to(&mut buffer, item)?;
            }
            Ok(buffer)
        })
        .collect()
}

/// The entries of findings and pages, written as serde_json's pretty
/// printer writes them two levels down the document, byte for byte (the
/// test `render_writes_serde_json_pretty_bytes` holds them equal).
///
/// Why by hand: they are most of a report (10.8 MB on the corpus), and
/// serde_json escapes a string a byte at a time through a table, with a
/// call per field through its formatter: 90+ M instructions for the corpus'
/// report. Its escaping cannot be swapped (`format_escaped_str` is not a
/// formatter hook), and the SIMD JSON crates bring a whole serialiser and
/// their own value types for what is a fixed shape of a dozen fields here.
/// So: the fields in their order, and strings escaped a word at a time.
mod write {
    use super::{FindingEntry, PageEntry};
    use crate::report::pretty::{number, optional, string};

    /// A field's line as one literal: `,` after the previous field (unless
    /// first), a line break, the indentation and the key. One copy of a
    /// constant instead of five small ones per field.
    macro_rules! key {
        (first, $indent:literal, $name:literal) => {
            concat!("\n", $indent, "\"", $name, "\": ").as_bytes()
        };
        ($indent:literal, $name:literal) => {
            concat!(",\n", $indent, "\"", $name, "\": ").as_bytes()
        };
    }

    /// A string that needs no escape, quoted: a rule's name (kebab case, a
    /// test holds every declared one to it) or a severity. Copied whole
    /// rather than scanned: two of every finding's strings.
    fn plain(buffer: &mut Vec<u8>, s: &str) {
        debug_assert!(s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'));
        buffer.push(b'"');
        buffer.extend_from_slice(s.as_bytes());
        buffer.push(b'"');
    }

    /// A position's four fields, each on its line, at the given keys
    /// (`key!` of `line`, `column`, `end_line`, `end_column`). Inlined
    /// into each caller, where the keys' lengths are constants: their
    /// copies become a few moves, not calls of `memcpy`.
    #[inline(always)]
    fn span(buffer: &mut Vec<u8>, keys: [&[u8]; 4], at: [usize; 4]) {
        for (key, n) in keys.into_iter().zip(at) {
            buffer.extend_from_slice(key);
            number(buffer, n);
        }
    }

    /// An array of `items`, each written by `item` (from its line break
    /// on), comma-separated, closed by `close` (a line break, the
    /// indentation and `]`); `[]` when empty, as serde_json's pretty
    /// printer writes it.
    fn array<T>(
        buffer: &mut Vec<u8>,
        items: &[T],
        close: &[u8],
        mut item: impl FnMut(&mut Vec<u8>, &T),
    ) {
        if items.is_empty() {
            buffer.extend_from_slice(b"[]");
            return;
        }
        buffer.push(b'[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                buffer.push(b',');
            }
            item(buffer, x);
        }
        buffer.extend_from_slice(close);
    }

    /// A finding's entry (`{` to `}`), the `{` at the cursor, its fields
    /// three levels down.
    pub(super) fn finding(buffer: &mut Vec<u8>, e: &FindingEntry) {
        buffer.push(b'{');
        buffer.extend_from_slice(key!(first, "      ", "rule"));
        plain(buffer, e.rule);
        buffer.extend_from_slice(key!("      ", "severity"));
        plain(buffer, e.severity.as_str());
        buffer.extend_from_slice(key!("      ", "path"));
        string(buffer, e.path);
        span(
            buffer,
            [
                key!("      ", "line"),
                key!("      ", "column"),
                key!("      ", "end_line"),
                key!("      ", "end_column"),
            ],
            [e.line, e.column, e.end_line, e.end_column],
        );
        buffer.extend_from_slice(key!("      ", "message"));
        string(buffer, e.message);
        buffer.extend_from_slice(key!("      ", "example"));
        optional(buffer, e.example);
        buffer.extend_from_slice(key!("      ", "help"));
        optional(buffer, e.help);
        for (key, value) in [
            (key!("      ", "pointer"), e.pointer),
            (key!("      ", "expected"), e.expected),
            (key!("      ", "actual"), e.actual),
        ] {
            if let Some(value) = value {
                buffer.extend_from_slice(key);
                string(buffer, value);
            }
        }
        if e.known {
            buffer.extend_from_slice(key!("      ", "known"));
            buffer.extend_from_slice(b"true");
        }
        buffer.extend_from_slice(key!("      ", "related"));
        array(buffer, &e.related, b"\n      ]", |buffer, r| {
            buffer.extend_from_slice(b"\n        {");
            buffer.extend_from_slice(key!(first, "          ", "path"));
            string(buffer, r.path);
            span(
                buffer,
                [
                    key!("          ", "line"),
                    key!("          ", "column"),
                    key!("          ", "end_line"),
                    key!("          ", "end_column"),
                ],
                [r.line, r.column, r.end_line, r.end_column],
            );
            buffer.extend_from_slice(key!("          ", "message"));
            string(buffer, r.message);
            buffer.extend_from_slice(b"\n        }");
        });
        if let Some(fix) = &e.fix {
            buffer.extend_from_slice(key!("      ", "fix"));
            buffer.push(b'{');
            buffer.extend_from_slice(key!(first, "        ", "safety"));
            string(buffer, fix.safety);
            buffer.extend_from_slice(key!("        ", "message"));
            string(buffer, fix.message);
            buffer.extend_from_slice(key!("        ", "edits"));
            array(buffer, &fix.edits, b"\n        ]", |buffer, edit| {
                buffer.extend_from_slice(b"\n          {");
                span(
                    buffer,
                    [
                        key!(first, "            ", "line"),
                        key!("            ", "column"),
                        key!("            ", "end_line"),
                        key!("            ", "end_column"),
                    ],
                    [edit.line, edit.column, edit.end_line, edit.end_column],
                );
                buffer.extend_from_slice(key!("            ", "replacement"));
                string(buffer, edit.replacement);
                buffer.extend_from_slice(b"\n          }");
            });
            buffer.extend_from_slice(b"\n      }");
        }
        buffer.extend_from_slice(b"\n    }");
    }

    /// A page's entry, as [`finding`] writes a finding's.
    pub(super) fn page(buffer: &mut Vec<u8>, e: &PageEntry) {
        buffer.push(b'{');
        buffer.extend_from_slice(key!(first, "      ", "path"));
        string(buffer, e.path);
        buffer.extend_from_slice(key!("      ", "locale"));
        optional(buffer, e.locale);
        buffer.extend_from_slice(key!("      ", "key"));
        optional(buffer, e.key);
        buffer.extend_from_slice(key!("      ", "examples"));
        number(buffer, e.examples);
        buffer.extend_from_slice(b"\n    }");
    }
}

/// Indents every line after the first: a pretty-printed value nested in
/// the document. serde_json writes each line break of its layout as a
/// piece of its own that ends the piece (`\n`, `,\n`), and no other piece
/// holds one (JSON strings escape theirs): the last byte tells.
struct Indented<'i, W: Write> {
    out: W,
    indent: &'i [u8],
}

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        debug_assert!(!buf[..buf.len().saturating_sub(1)].contains(&b'\n'));
        self.out.write_all(buf)?;
        if buf.last() == Some(&b'\n') {
            self.out.write_all(self.indent)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The JSON document, shared with the reports that embed it.
pub fn document<'r>(report: &'r Report) -> Document<'r> {
    use rayon::prelude::*;
    Document {
        // Each entry finds its lines and columns: on every core.
        findings: report
            .findings
            .par_iter()
            .map(|f| entry(report, f))
            .collect(),
        pages: report.pages.iter().map(page_entry).collect(),
        ..head(report)
    }
}

/// The document without its findings and pages.
fn head<'r>(report: &'r Report) -> Document<'r> {
    Document {
        version: 1,
        command: report.command.as_str(),
        summary: &report.summary,
        findings: Vec::new(),
        results: (report.command == super::Command::Run).then_some(&report.results),
        fixed: report.summary.fixed.map(|_| report.fixed.as_slice()),
        pages: Vec::new(),
    }
}

fn page_entry(p: &crate::page::Page) -> PageEntry<'_> {
    PageEntry {
        path: &p.path,
        locale: p.locale.as_deref(),
        key: p.locale_key.as_deref(),
        examples: p.examples.len(),
    }
}

fn entry<'r>(report: &'r Report, f: &'r Finding) -> FindingEntry<'r> {
    // Positions only: the JSON document shows no line's text (which
    // `Report::locate` and `Report::related` find besides).
    let (start, end) = report.position(&f.path, &f.span);
    FindingEntry {
        rule: f.rule.name,
        severity: f.severity,
        path: &f.path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        message: &f.message,
        example: f.example.as_deref(),
        help: f.help.as_deref(),
        pointer: f.pointer.as_deref(),
        expected: f.expected.as_deref(),
        actual: f.actual.as_deref(),
        known: f.known,
        related: f
            .related
            .iter()
            .map(|r| {
                let (start, end) = report.position(&r.path, &r.span);
                RelatedEntry {
                    path: &r.path,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    message: &r.message,
                }
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
        safety: fix.applicability.name(),
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::page::Page;
    use crate::report::Command;

    /// `render` writes what serde_json writes for the whole document,
    /// across several parallel runs of findings and pages, and empty.
    #[test]
    fn render_writes_serde_json_pretty_bytes() {
        let pages: Vec<Page> = (0..2100)
            .map(|i| {
                let text = format!("# Page {i}\n\nA line, ünïcode {i}.\n");
                Page::from_text(Arc::from(format!("p{i}.md").as_str()), text, None)
            })
            .collect();
        let findings = |n: usize| -> Vec<Finding> {
            pages
                .iter()
                .take(n)
                .enumerate()
                .map(|(i, p)| {
                    let mut f = Finding::new(
                        &crate::discover::UNREADABLE_PAGE,
                        &p.path,
                        2..9,
                        format!("message {i}\nwith \"quotes\" and a line break"),
                    );
                    if i % 3 == 0 {
                        f.relate(&p.path, 0..1, "here");
                    }
                    // Every optional field, and every kind of escape.
                    if i % 5 == 1 {
                        f.relate(&p.path, 3..5, "and \\ here\u{1}");
                        f.example = Some(format!("{}#ex{i}", p.path));
                        f.help = Some("tab\there, bell\u{7}, del\u{7f}, \u{8}\u{c}\r/".into());
                        f.pointer = Some("/a~1b/0".into());
                        f.expected = Some("\"x\"".into());
                        f.actual = Some("ünïcode 漢字".into());
                        f.known = i % 2 == 0;
                    }
                    if i % 7 == 2 {
                        f.fix = Some(crate::finding::Fix {
                            applicability: crate::finding::Applicability::Safe,
                            edits: (0..i % 3)
                                .map(|k| crate::finding::Edit {
                                    span: k..k + 2,
                                    replacement: format!("r{k}\n"),
                                })
                                .collect(),
                        });
                    }
                    f
                })
                .collect()
        };
        for (command, n) in [
            (Command::Check, 2100),
            (Command::Check, 0),
            (Command::Run, 70),
        ] {
            let report = Report::new(command, &pages, Vec::new(), findings(n));
            let mut ours = Vec::new();
            render(&report, &mut ours).expect("renders");
            let mut serde = serde_json::to_vec_pretty(&document(&report)).expect("serialises");
            serde.push(b'\n');
            assert_eq!(String::from_utf8(ours), String::from_utf8(serde));
        }
    }

    /// The page entries rendered ahead ([`pages`]) and a report rendered
    /// on a thread of the pool (in turn, not handed to the pool) give the
    /// bytes of [`render`] on its own.
    #[test]
    fn pages_ahead_and_renders_in_the_pool_write_the_same_bytes() {
        let pages: Vec<Page> = (0..1500)
            .map(|i| {
                let text = format!("# Page {i}\n\nText \"{i}\".\n");
                Page::from_text(Arc::from(format!("p\\{i}.md").as_str()), text, None)
            })
            .collect();
        let findings: Vec<Finding> = pages
            .iter()
            .step_by(2)
            .map(|p| Finding::new(&crate::discover::UNREADABLE_PAGE, &p.path, 12..16, "m"))
            .collect();
        let report = Report::new(Command::Check, &pages, Vec::new(), findings);
        let mut alone = Vec::new();
        render(&report, &mut alone).expect("renders");
        let mut ahead = Vec::new();
        render_with(&report, Some(super::pages(&pages)), &mut ahead).expect("renders");
        assert_eq!(
            String::from_utf8_lossy(&ahead),
            String::from_utf8_lossy(&alone)
        );
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool");
        let mut in_pool = Vec::new();
        pool.install(|| render(&report, &mut in_pool))
            .expect("renders");
        assert_eq!(
            String::from_utf8_lossy(&in_pool),
            String::from_utf8_lossy(&alone)
        );
        assert!(alone.starts_with(b"{\n  \"version\": 1,"));
        assert!(alone.ends_with(b"\"examples\": 0\n    }\n  ]\n}\n"));
    }

    /// The writer copies rule names and severities without escaping them:
    /// none may hold a byte JSON escapes.
    #[test]
    fn rule_names_and_severities_need_no_escape() {
        use crate::rule::Severity;
        let names = crate::registry::all().iter().map(|r| r.name);
        let severities = [Severity::Note, Severity::Warning, Severity::Error].map(Severity::as_str);
        for name in names.chain(severities) {
            assert_eq!(serde_json::to_string(name).unwrap(), format!("\"{name}\""));
        }
    }
}
