//! `--format markdown`: a summary for a pull-request comment or GitHub's
//! `$GITHUB_STEP_SUMMARY`: the verdict, the totals (new, known and fixed
//! with a baseline), and the first findings, each linked to its line when
//! the GitHub Actions environment says where the files are.

use std::io::{self, Write};

use super::{Options, Report};
use crate::finding::Severity;

/// How many findings the summary lists; the rest are counted.
const FIRST: usize = 20;

/// Writes the summary.
pub fn render(report: &Report, _options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let new_errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !f.known)
        .count();
    let verdict = if new_errors == 0 {
        "✅ passed".to_owned()
    } else {
        format!("❌ {new_errors} new error{}", plural(new_errors))
    };
    writeln!(out, "## exemplar {}: {verdict}\n", report.command)?;
    writeln!(out, "| pages | examples | errors | warnings | notes |")?;
    writeln!(out, "|---:|---:|---:|---:|---:|")?;
    writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n",
        s.pages, s.examples, s.errors, s.warnings, s.notes
    )?;
    if let (Some(known), Some(new), Some(fixed)) = (s.known, s.new, s.fixed) {
        writeln!(
            out,
            "Against the baseline: **{new} new**, {known} known, {fixed} fixed.\n"
        )?;
    }
    if let (Some(replayed), Some(passed), Some(failed), Some(skipped)) =
        (s.replayed, s.passed, s.failed, s.skipped)
    {
        writeln!(
            out,
            "Replayed {replayed} example{} ({passed} passed, {failed} failed), {skipped} skipped.\n",
            plural(replayed)
        )?;
    }
    // New findings first: they are what the pull request is about.
    let mut shown: Vec<_> = report.findings.iter().collect();
    shown.sort_by_key(|f| (f.known, std::cmp::Reverse(f.severity)));
    if !shown.is_empty() {
        writeln!(out, "| | where | rule | message |")?;
        writeln!(out, "|---|---|---|---|")?;
        for f in shown.iter().take(FIRST) {
            let at = report.locate(f);
            let icon = match (f.known, f.severity) {
                (true, _) => "➖",
                (false, Severity::Error) => "❌",
                (false, Severity::Warning) => "⚠️",
                (false, Severity::Note) => "ℹ️",
            };
            let place = format!("{}:{}:{}", f.path, at.start.line, at.start.column);
            let place = match blob_link(&f.path, at.start.line) {
                Some(url) => format!("[`{}`]({url})", cell(&place)),
                None => format!("`{}`", cell(&place)),
            };
            writeln!(
                out,
                "| {icon} | {place} | `{}` | {} |",
                f.rule.name,
                cell(&f.message)
            )?;
        }
        if shown.len() > FIRST {
            writeln!(
                out,
                "\n…and {} more (the HTML or JSON report lists them all).",
                shown.len() - FIRST
            )?;
        }
    }
    if !report.fixed.is_empty() {
        writeln!(
            out,
            "\n<details><summary>Fixed since the baseline ({})</summary>\n",
            report.fixed.len()
        )?;
        for e in &report.fixed {
            let f = &e.fingerprint;
            writeln!(
                out,
                "- `{}` on {}{} ({}×)",
                f.rule,
                cell(&f.page),
                f.example
                    .as_deref()
                    .map(|x| format!("#{}", cell(x)))
                    .unwrap_or_default(),
                e.count
            )?;
        }
        writeln!(out, "\n</details>")?;
    }
    Ok(())
}

/// A link to the line on GitHub, when `GITHUB_SERVER_URL`,
/// `GITHUB_REPOSITORY` and `GITHUB_SHA` say where the checkout came from.
fn blob_link(path: &str, line: usize) -> Option<String> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let (server, repository, sha) = (
        var("GITHUB_SERVER_URL")?,
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?,
    );
    let path = path.trim_start_matches("./");
    if path.starts_with('/') || path.starts_with("..") {
        return None;
    }
    let encoded = crate::report::sarif::uri(path);
    Some(format!(
        "{server}/{repository}/blob/{sha}/{encoded}#L{line}"
    ))
}

/// Text safe in a table cell: no pipes, no line breaks, no HTML.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
