//! pulldown-cmark on only the regions of a page that can hold what
//! `markdown.rs` reads (an annotation or other HTML comment, a fence, a
//! heading), and never on the plain prose and tables between them, which
//! are most of a page's bytes and most of pulldown-cmark's work.
//!
//! A page is cut into chunks at *cut points*: the start of a line that
//! follows a blank line and begins in column 0 with no list marker or
//! block quote marker. At such a point CommonMark closes every container
//! (a list item needs its content's indentation, a block quote its `>`,
//! and a blank line ends a paragraph, so there is no lazy continuation):
//! parsing can start afresh there unless a fenced code block or an HTML
//! block of types 1 to 5 (§4.6), which run on past blank lines, is still
//! open at the top level. A line after a `#` line in column 0 is a cut
//! point too when the parse below confirms it (an ATX heading is one line,
//! and headings are mostly followed by their prose or table directly);
//! only a chunk after a blank line is ever skipped unconfirmed.
//!
//! A chunk is *plain* when no line of it can start or hold any of those:
//! no ```` ``` ```` or `~~~`, no `<` before `!`, `?`, `s`, `p` or `t` (a
//! comment, a declaration or an HTML block of types 1 to 5), no `#` after
//! nothing but indentation and container markers (an ATX heading), no line
//! of only `=` or `-` (a setext underline), no indentation of four columns
//! or a tab (an indented code block, which the reader keeps too). A plain
//! chunk opens nothing, so the state after it is fresh; it is skipped when
//! the reader is idle (no annotation waiting for its block, which a
//! paragraph would detach).
//!
//! Every other chunk is parsed, consecutive ones together as one region.
//! Whether the state is fresh at a region's end is not guessed: the region
//! is parsed together with the line at its end, and that line must come
//! out as a top-level block of its own (else it was swallowed by an open
//! fence or HTML block, and the region grows). Only then are the region's
//! events handed to the reader.
//!
//! What could make a region parse differently from the whole page is kept
//! out: link reference definitions are document-wide (a `[x]` in a heading
//! is a link or text depending on a definition anywhere), so a page with a
//! `]:` is parsed whole, as is a page with a carriage return that ends a
//! line on its own (lines here are cut at `\n`).
//! `tests` compares the two readings over the corpus and generated pages.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

use super::blocks::{self, Scan};
use super::markdown::{whole, Reader};

/// A region that failed to end fresh this many times is parsed to the
/// end of the page instead: an unclosed fence stays linear.
const RETRIES: usize = 4;

/// Feeds `reader` the events of the page's body (from `body_start`): those
/// of its non-plain regions, exactly as pulldown-cmark over the whole body
/// gives them.
pub(super) fn read(text: &str, body_start: usize, reader: &mut Reader<'_>) {
    let bytes = text.as_bytes();
    let body = &bytes[body_start..];
    let lone_cr = memchr::memchr_iter(b'\r', body).any(|i| body.get(i + 1) != Some(&b'\n'));
    let mut events = Vec::new();
    if lone_cr || memchr::memmem::find(body, b"]:").is_some() {
        // The scanner knows where a definition could change a block.
        to_end(text, body_start, true, reader, &mut events);
        return;
    }
    // The region being gathered, and how often it failed to end fresh.
    let mut region: Option<usize> = None;
    let mut failures = 0;
    for (chunk, plain) in Chunks::new(bytes, body_start) {
        if !plain {
            region.get_or_insert(chunk.start);
            continue;
        }
        if let Some(start) = region {
            if !region_before(text, start..chunk.start, &mut events) {
                failures += 1;
                if failures >= RETRIES {
                    to_end(text, start, false, reader, &mut events);
                    return;
                }
                continue;
            }
            for (event, range) in events.drain(..) {
                reader.event(event, range);
            }
            region = None;
            failures = 0;
        }
        if reader.idle() {
            #[cfg(test)]
            tests::SKIPPED.with(|s| s.set(s.get() + chunk.len()));
        } else {
            region = Some(chunk.start);
        }
    }
    if let Some(start) = region {
        to_end(text, start, false, reader, &mut events);
    }
}

/// The events from `start` to the end of the page: the block scanner's,
/// or pulldown-cmark's where the scanner declines.
fn to_end<'t>(
    text: &'t str,
    start: usize,
    defs: bool,
    reader: &mut Reader<'_>,
    events: &mut Vec<(Event<'t>, Range<usize>)>,
) {
    if blocks::scan(text, start..text.len(), defs, events) == Scan::Declined {
        #[cfg(test)]
        tests::DECLINED.with(|s| s.set(s.get() + text.len() - start));
        whole(text, start..text.len(), reader);
        return;
    }
    for (event, range) in events.drain(..) {
        reader.event(event, range);
    }
}

/// The events of `range` (which ends at a cut point) into `events`, when
/// the parse state is fresh at its end: pulldown-cmark runs over the range
/// and the line after it, and that line must open a top-level block (an
/// event at depth 0 starting at or after the cut). Its own events are not
/// kept. False when the line was swallowed by an open block.
fn region_before<'t>(
    text: &'t str,
    range: Range<usize>,
    events: &mut Vec<(Event<'t>, Range<usize>)>,
) -> bool {
    match blocks::scan(text, range.clone(), false, events) {
        Scan::Fresh => return true,
        Scan::Open => return false,
        Scan::Declined => {}
    }
    #[cfg(test)]
    tests::DECLINED.with(|s| s.set(s.get() + range.len()));
    events.clear();
    let cut = range.end;
    let line_end =
        memchr::memchr(b'\n', &text.as_bytes()[cut..]).map_or(text.len(), |i| cut + i + 1);
    let offset = range.start;
    let mut depth = 0usize;
    let parser = Parser::new_ext(&text[offset..line_end], Options::empty()).into_offset_iter();
    for (event, r) in parser {
        let r = r.start + offset..r.end + offset;
        if depth == 0 && r.start >= cut {
            return true;
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        events.push((event, r));
    }
    false
}

/// The chunks of a page's body, each with whether it is plain. One pass:
/// each line is looked at up to its first character of content, and the
/// bytes that can open a fence or an HTML block are found with `memchr3`.
struct Chunks<'b> {
    bytes: &'b [u8],
    at: usize,
    /// The next fence or HTML opener at or after `at` (`usize::MAX`: none).
    hot: usize,
}

impl<'b> Chunks<'b> {
    fn new(bytes: &'b [u8], from: usize) -> Self {
        Chunks {
            bytes,
            at: from,
            hot: next_hot(bytes, from),
        }
    }
}

impl Iterator for Chunks<'_> {
    type Item = (Range<usize>, bool);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.bytes;
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        let mut plain = true;
        let mut at = start;
        // Was the line before blank, or a heading at the top level?
        let mut after_block = false;
        while at < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
            let line = &bytes[at..end];
            if at > start && after_block && is_cut(line) {
                break;
            }
            let blank = is_blank(line);
            after_block = blank || line.first() == Some(&b'#');
            if plain && !blank {
                plain = is_plain(line);
            }
            at = end;
        }
        if self.hot < at {
            plain = false;
            self.hot = next_hot(bytes, at);
        }
        self.at = at;
        Some((start..at, plain))
    }
}

/// The first place at or after `from` that can open a fence (```` ``` ````,
/// `~~~`) or an HTML comment, declaration or block of types 1 to 5 (`<`
/// before `!`, `?`, `s`, `p` or `t`, in either case).
fn next_hot(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(i) = memchr::memchr3(b'`', b'~', b'<', &bytes[at..]) {
        let i = at + i;
        let hot = match bytes[i] {
            b'<' => bytes.get(i + 1).is_some_and(|b| {
                matches!(b.to_ascii_lowercase(), b'!' | b'?' | b's' | b'p' | b't')
            }),
            c => bytes.get(i + 1) == Some(&c) && bytes.get(i + 2) == Some(&c),
        };
        if hot {
            return i;
        }
        at = i + 1;
    }
    usize::MAX
}

fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .is_none_or(|&b| b == b'\n')
}

/// Can parsing start afresh at this line, the line before it being blank?
/// Column 0, and no list item or block quote that would continue one.
fn is_cut(line: &[u8]) -> bool {
    match line.first() {
        None => false,
        Some(b) => {
            !matches!(
                b,
                b' ' | b'\t' | b'\r' | b'\n' | b'-' | b'+' | b'*' | b'>' | b'0'..=b'9'
            ) && !line.starts_with("\u{feff}".as_bytes())
        }
    }
}

/// A line that can neither start a heading or an indented code block nor
/// underline a paragraph; fences and HTML are found by [`next_hot`]. Only
/// the indentation and container markers and what follows them are read.
fn is_plain(line: &[u8]) -> bool {
    let markers = line
        .iter()
        .position(|b| {
            !matches!(
                b,
                b' ' | b'\t' | b'>' | b'-' | b'+' | b'*' | b'.' | b')' | b'0'..=b'9'
            )
        })
        .unwrap_or(line.len());
    let prefix = &line[..markers];
    // An ATX heading, at the top or inside list items and block quotes.
    if line.get(markers) == Some(&b'#') {
        return false;
    }
    // An indented code block (a block the reader keeps, for templates):
    // four columns past the containers' markers, or a tab among them.
    if prefix.contains(&b'\t') || prefix.windows(4).any(|w| w == b"    ") {
        return false;
    }
    // A setext underline (or a thematic break: harmless, but alike).
    let content = prefix
        .iter()
        .position(|b| !matches!(b, b' ' | b'>'))
        .unwrap_or(prefix.len());
    match line.get(content) {
        Some(&c @ (b'=' | b'-')) => !line[content..].trim_ascii_end().iter().all(|&b| b == c),
        _ => true,
    }
}

#[cfg(test)]
pub(super) mod tests;
