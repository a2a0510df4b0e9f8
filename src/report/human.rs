//! `--format human`: `path:line:col: severity[rule]: message`, the source
//! line with a caret under the column (annotate-snippets), a help line, and a
//! closing summary. Colour only on a terminal; the styles are anstyle's.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use rayon::prelude::*;

use super::Report;
use crate::finding::{Finding, Severity};
use crate::line_index::Position;

/// Longest stretch of a line shown around a finding: a 5 MB line is cut.
const WINDOW: usize = 120;

/// Writes the report for a terminal (`color`: ANSI styles).
pub fn render(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let (bold, reset) = bold(color);
    // Each finding's block is rendered on its own, in parallel (the corpus
    // has thousands), and written in order.
    let blocks: Vec<String> = report
        .findings
        .par_iter()
        .map(|finding| block(report, finding, &renderer, color))
        .collect();
    for block in &blocks {
        out.write_all(block.as_bytes())?;
    }
    for result in report
        .results
        .iter()
        .filter(|r| r.documented.is_some() && r.actual.is_some())
    {
        if let (Some(documented), Some(actual)) = (&result.documented, &result.actual) {
            writeln!(out, "{bold}{}{reset}: documented vs actual body", result.id)?;
            let diff = similar::TextDiff::from_lines(documented.as_str(), actual.as_str());
            write!(
                out,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header("documented", "actual")
            )?;
            writeln!(out)?;
        }
    }
    skipped(report, out)?;
    summary(report, out, color)
}

/// One finding: its header line, the source line with a caret, its help.
fn block(report: &Report, finding: &Finding, renderer: &Renderer, color: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let (bold, reset) = bold(color);
    let at = report.locate(finding);
    let (sev_color, level) = match finding.severity {
        Severity::Error => (AnsiColor::Red, Level::ERROR),
        Severity::Warning => (AnsiColor::Yellow, Level::WARNING),
        Severity::Note => (AnsiColor::Cyan, Level::NOTE),
    };
    let sev_color = if color {
        Style::new().bold().fg_color(Some(sev_color.into()))
    } else {
        Style::new()
    };
    let _ = writeln!(
        out,
        "{bold}{}:{}:{}:{reset} {sev_color}{}[{}]{sev_color:#}: {bold}{}{reset}",
        finding.path,
        at.start.line,
        at.start.column,
        finding.severity.as_str(),
        finding.rule.name,
        finding.message
    );
    let related = report.related(finding);
    if !at.line_text.is_empty() {
        let (source, span) = window(at.line_text, at.start, at.end);
        let mut group = Group::with_level(level.clone()).element(
            Snippet::source(source)
                .line_start(at.start.line)
                .annotation(AnnotationKind::Primary.span(span)),
        );
        // Each related place is a second annotated snippet, labelled with
        // what is there (and its path when it is another page).
        for r in &related {
            if r.line_text.is_empty() {
                continue;
            }
            let (source, span) = window(r.line_text, r.start, r.end);
            let mut snippet = Snippet::source(source).line_start(r.start.line).annotation(
                AnnotationKind::Context.span(span).label(format!(
                    "{}:{}:{}: {}",
                    r.path, r.start.line, r.start.column, r.message
                )),
            );
            if r.path != &*finding.path {
                snippet = snippet.path(r.path);
            }
            group = group.element(snippet);
        }
        if let Some(help) = &finding.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let _ = writeln!(out, "{}", renderer.render(&[group]));
    } else {
        for r in &related {
            let _ = writeln!(
                out,
                "  = note: {}:{}:{}: {}",
                r.path, r.start.line, r.start.column, r.message
            );
        }
        if let Some(help) = &finding.help {
            let _ = writeln!(out, "  = help: {help}");
        }
    }
    if let (Some(expected), Some(actual)) = (&finding.expected, &finding.actual) {
        if finding.rule == &crate::replay::compare::BODY_MISMATCH {
            let _ = writeln!(out, "  = expected: {expected}\n  =   actual: {actual}");
        }
    }
    out.push('\n');
    out
}

/// Every skipped example says why: each one on a short run, the reasons
/// with their counts on a long one (`--format json` lists them all).
fn skipped(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let skipped: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.outcome == super::Outcome::Skipped)
        .collect();
    if skipped.is_empty() {
        return Ok(());
    }
    let why =
        |r: &super::ExampleResult| r.reason.clone().unwrap_or_else(|| "no reason given".into());
    if skipped.len() <= 20 {
        writeln!(out, "skipped:")?;
        for r in &skipped {
            writeln!(out, "  {}: {}", r.id, why(r))?;
        }
    } else {
        let mut reasons: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        for r in &skipped {
            // Group by the reason's kind, not its details (the placeholder's name).
            // (A result read back by `merge` has only the sentence; its
            // kind is the part before the first detail.)
            let kind = r.skip.as_ref().map_or_else(
                || {
                    let reason = why(r);
                    reason
                        .split(['`', '('])
                        .next()
                        .unwrap_or(&reason)
                        .trim()
                        .to_owned()
                },
                |s| s.kind().to_owned(),
            );
            *reasons.entry(kind).or_default() += 1;
        }
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        writeln!(
            out,
            "skipped, by reason (`--format json` lists each example):"
        )?;
        for (reason, count) in reasons {
            writeln!(out, "  {count:>6}  {reason}")?;
        }
    }
    writeln!(out)
}

/// The source shown and the span within it: the line, cut to a window
/// around the span when it is long.
fn window(line: &str, start: Position, end: Position) -> (&str, std::ops::Range<usize>) {
    let col_byte = line
        .char_indices()
        .nth(start.column - 1)
        .map_or(line.len(), |(i, _)| i);
    let end_byte = if end.line == start.line {
        line.char_indices()
            .nth(end.column - 1)
            .map_or(line.len(), |(i, _)| i)
            .max(col_byte)
    } else {
        line.len()
    };
    let end_byte = if end_byte == col_byte {
        (col_byte + line[col_byte..].chars().next().map_or(0, char::len_utf8)).min(line.len())
    } else {
        end_byte
    };
    if line.len() <= WINDOW {
        return (line, col_byte..end_byte);
    }
    let mut from = col_byte.saturating_sub(WINDOW / 2);
    while !line.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (from + WINDOW).min(line.len());
    while !line.is_char_boundary(to) {
        to -= 1;
    }
    (
        &line[from..to],
        col_byte - from..end_byte.min(to).max(col_byte) - from,
    )
}

fn summary(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let s = &report.summary;
    let (bold, reset) = bold(color);
    let mut line = format!(
        "{} page{}, {} example{}",
        s.pages,
        plural(s.pages),
        s.examples,
        plural(s.examples)
    );
    if let (Some(replayed), Some(passed), Some(failed), Some(skipped)) =
        (s.replayed, s.passed, s.failed, s.skipped)
    {
        line.push_str(&format!(
            ": {replayed} replayed ({passed} passed, {failed} failed), {skipped} skipped"
        ));
    }
    if let Some(paired) = s.paired_pages {
        line.push_str(&format!(
            "; {paired} localized page{} paired",
            plural(paired)
        ));
    }
    writeln!(
        out,
        "{bold}{line}. {} error{}, {} warning{}, {} note{}.{reset}",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.notes,
        plural(s.notes)
    )
}

/// What starts and ends bold text, or nothing without colour.
fn bold(color: bool) -> (String, String) {
    let style = if color {
        Style::new().bold()
    } else {
        Style::new()
    };
    (style.render().to_string(), style.render_reset().to_string())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
