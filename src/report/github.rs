//! `--format github`: one workflow command a finding, which GitHub Actions
//! turns into an annotation on the line of the page:
//! `::error file=P,line=L,col=C,endLine=L,endColumn=C,title=RULE::MESSAGE`.
//!
//! Escaping follows the runner's `CommandExtensions` (actions/toolkit
//! `command.ts`): the message escapes `%`, `\r` and `\n`; property values
//! also escape `:` and `,`, which would otherwise end the value.

use std::io::{self, Write};

use super::{Options, Report};
use crate::finding::Severity;

/// Writes one workflow command a finding; with `--changed-since`, only for
/// findings on lines the change touched (the lines a pull request shows).
pub fn render(report: &Report, options: &Options, out: &mut dyn Write) -> io::Result<()> {
    for finding in &report.findings {
        let at = report.locate(finding);
        if !options.touched(&finding.path, at.start.line) {
            continue;
        }
        // A finding a baseline already records must not look like a new
        // failure on the pull request: it becomes a notice.
        let command = match finding.severity {
            _ if finding.known => "notice",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let title = if finding.known {
            format!("{} (known)", finding.rule.name)
        } else {
            finding.rule.name.to_owned()
        };
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&finding.path),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            escape_property(&title),
            escape_data(&message),
        )?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "exemplar {}: {} pages, {} examples, {} errors, {} warnings, {} notes",
        report.command, s.pages, s.examples, s.errors, s.warnings, s.notes
    )
}

/// The message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// A `key=value` property of a workflow command: `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

/// GitHub's workflow-command escaping: `%`, CR and LF (and in properties
/// `:` and `,`) as percent escapes, every other character as it is. Written
/// by hand because the percent-encoding crate escapes all non-ASCII text,
/// which GitHub shows as written (a Chinese message must stay readable).
fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_ends_only() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\x,y%\n"), "C%3A\\x%2Cy%25%0A");
    }
}
