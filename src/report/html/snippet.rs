//! The source line of a finding for the HTML report: cut to a width around
//! the column, the span marked, and a caret line that stays aligned.

use crate::report::Located;

/// One source line around a finding, with its span marked and a caret line.
/// No line-number gutter: the row shows `line:column` right before it.
pub(crate) struct Snippet {
    pub before: String,
    pub hit: String,
    pub after: String,
    /// Spaces under `before`, or `before` itself (drawn invisible) when it
    /// holds tabs or wide characters that spaces would not line up with.
    pub pad: String,
    pub pad_hidden: bool,
    pub carets: String,
}

/// The start line of a finding cut to `width` characters around its column,
/// the span marked, and a caret line under it.
pub(crate) fn snippet(at: &Located, width: usize) -> Option<Snippet> {
    let line: Vec<char> = at.line_text.chars().collect();
    if line.is_empty() {
        return None;
    }
    let start = (at.start.column - 1).min(line.len());
    let end = if at.end.line == at.start.line {
        (at.end.column - 1).clamp(start, line.len())
    } else {
        line.len()
    };
    // Indentation says nothing on a one-line snippet: it starts at the
    // first non-blank character (unless the finding points into the blank).
    let indent = line.iter().take_while(|c| c.is_whitespace()).count();
    let indent = if start >= indent { indent } else { 0 };
    // Keep the start in view: a little context before, the rest after.
    let from = if line.len() - indent <= width {
        indent
    } else {
        start
            .saturating_sub(width / 4)
            .clamp(indent, line.len() - width)
    };
    let to = (from + width).min(line.len());
    let end = end.min(to);
    let take = |a: usize, b: usize| line[a..b].iter().collect::<String>();
    let mut before = take(from, start.min(to));
    if from > indent {
        before.insert(0, '…');
    }
    let hit = take(start.min(to), end);
    let mut after = take(end, to);
    if to < line.len() {
        after.push('…');
    }
    // The leading ellipsis is one column wide in monospace fonts.
    let plain = before
        .trim_start_matches('…')
        .chars()
        .all(|c| c.is_ascii() && c != '\t');
    let pad = if plain {
        " ".repeat(before.chars().count())
    } else {
        before.clone()
    };
    Some(Snippet {
        carets: "^".repeat(hit.chars().count().max(1)),
        before,
        hit,
        after,
        pad,
        pad_hidden: !plain,
    })
}
