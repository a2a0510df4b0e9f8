//! A page's body read in one pass by the block scanner (`blocks.rs`),
//! line by line, with pulldown-cmark only over the stretches the scanner
//! declines (list items, nested block quotes, tabs in the indentation).
//!
//! Declining is local. Where the scanner has no block open at the start
//! of a line (it mirrors pulldown-cmark's top level exactly, so neither
//! has), every event before is final and a parse can start afresh there:
//! that line is the scanner's last *fresh* point. When a line declines,
//! pulldown-cmark reads from the last fresh point to a *cut point* past
//! the declined line: the start of a line that follows a blank line (or an
//! ATX heading's line) and begins in column 0 with no list marker or block
//! quote marker. At such a point CommonMark closes every container (a list
//! item needs its content's indentation, a block quote its `>`, and a
//! blank line ends a paragraph, so there is no lazy continuation), unless
//! a fenced code block or an HTML block of types 1 to 5 (§4.6), which run
//! on past blank lines, is still open. That is not guessed: the stretch is
//! parsed together with the line at the cut, and that line must come out
//! as a top-level block of its own (else it was swallowed, and the
//! stretch grows to the next cut). Then the scanner goes on from the cut.
//!
//! A declined stretch of plain lines (no fence, HTML, heading, indented
//! code or setext underline can start in it: list items of prose, mostly)
//! is not parsed at all when no annotation waits for its block: nothing in
//! it changes what the reader keeps.
//!
//! What could make a stretch parse differently from the whole page is
//! kept out: link reference definitions are document-wide (a `[x]` in a
//! heading is a link or text depending on a definition anywhere), so on a
//! page with a `]:` a declined stretch holding a `[` sends the whole body
//! to pulldown-cmark (the reader starts over); so does a carriage return,
//! vertical tab or form feed anywhere in the body (lines here are cut at
//! `\n`, and the scanner reads none of them).
//! `tests` compares the two readings over the corpus and generated pages.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

use super::blocks::{Defs, Events, ProseLines, Scanned, Scanner};
use super::markdown::{whole, Reader};
use crate::line_index::Newline;

/// A stretch that failed to end fresh this many times is parsed to the
/// end of the page instead: an unclosed fence stays linear.
const RETRIES: usize = 4;

/// Feeds `reader` the events of the page's body (from `body_start`),
/// exactly as pulldown-cmark over the whole body gives them (those the
/// reader acts on). Never inlined: one call a page, and the line walk
/// is the function the scanner's line path is inlined into (where the
/// compiler inlined this into its caller instead, it kept that path out of
/// line, a call a line).
#[inline(never)]
pub(super) fn read<'t>(text: &'t str, body_start: usize, reader: &mut Reader<'t>) {
    let bytes = text.as_bytes();
    let body = &bytes[body_start..];
    if memchr::memchr3(b'\r', 0x0b, 0x0c, body).is_some() {
        #[cfg(test)]
        tests::DECLINED.with(|s| s.set(s.get() + body.len()));
        whole(text, body_start..text.len(), reader);
        return;
    }
    let defs = Defs::new(body);
    // Handed on at a line where no block is open, once it holds `BATCH`
    // (each hand-over cost a loop's setup and a clear: most held one event).
    let mut events = Events::with_capacity(BATCH + 8);
    let mut scanner = Scanner::new(&defs);
    let newline = Newline::new();
    let prose_lines = ProseLines::new();
    // The last line start where no block was open, and how many events
    // came before it (final: a declined stretch starts there).
    let mut fresh = body_start;
    let mut kept = 0;
    let mut at = body_start;
    loop {
        if scanner.idle() {
            fresh = at;
            kept = events.len();
            if kept >= BATCH {
                hand_on(&mut events, reader);
                kept = 0;
            }
        }
        if scanner.skips() {
            at = scanner.skip(text, at, &mut events);
        }
        at = scanner.prose(
            bytes,
            at,
            &prose_lines,
            &mut fresh,
            &mut kept,
            &mut events,
            BATCH,
        );
        // An empty line (a third of the lines the walk reads) ends where
        // it starts: no search (a call and ~30 instructions a line).
        let end = if bytes.get(at) == Some(&b'\n') {
            at + 1
        } else {
            newline.line_end(bytes, at)
        };
        let done = at >= text.len();
        let read = if done {
            scanner.finish(text, &mut events)
        } else {
            scanner.line(text, at..end, &mut events)
        };
        if read.is_err() {
            events.truncate(kept);
            hand_on(&mut events, reader);
            kept = 0;
            let page = Declined {
                body_start,
                defs: &defs,
                fresh,
                line: at,
            };
            match declined(text, &page, reader) {
                Some(cut) => {
                    scanner = Scanner::new(&defs);
                    at = cut;
                    continue;
                }
                None => return,
            }
        }
        if done {
            break;
        }
        at = end;
    }
    hand_on(&mut events, reader);
}

/// How many events the walk holds before it hands them on (with room for
/// a few more, made before the next line with no block open: a larger
/// list, 6 KB, took mimalloc's slower path, ~450 instructions a page).
const BATCH: usize = 16;

/// Every event held to the reader, in order; none held after.
fn hand_on<'t>(events: &mut Events<'t>, reader: &mut Reader<'t>) {
    for (found, range) in events.iter() {
        // A paragraph's or rule's event (two in five) only ends an
        // annotation's wait: done here, not in a call.
        match found {
            Scanned::Prose => reader.prose(),
            Scanned::Parsed(at) => reader.event(events.parsed(*at), range.clone()),
            _ => reader.scanned(found, range.clone()),
        }
    }
    events.clear();
}

/// Where a line declined, on what page.
struct Declined<'d> {
    body_start: usize,
    /// Does the page have link reference definitions?
    defs: &'d Defs<'d>,
    /// The last line start where no block was open.
    fresh: usize,
    /// The declined line's start.
    line: usize,
}

/// pulldown-cmark from `fresh` (a line start where no block is open) over
/// the declined line and on to the first cut point past it where its parse
/// is fresh again; every event to the reader. That cut point, or `None`
/// when the rest of the page went to pulldown-cmark.
///
/// On a page with definitions, a stretch holding a `[` may hold a link
/// whose definition lies outside it, or a definition: the reader starts
/// over, and pulldown-cmark reads the whole body. Without a `[` the
/// stretch parses alone as in the whole page.
fn declined(text: &str, page: &Declined, reader: &mut Reader<'_>) -> Option<usize> {
    let bytes = text.as_bytes();
    let fresh = page.fresh;
    // A stretch of plain lines (list items of prose, mostly) opens nothing
    // the reader keeps: no code, heading or comment. Its paragraphs (which
    // a list's looseness decides) would only detach an annotation waiting
    // for its block, so with none waiting it is left unparsed; and since it
    // opens no fence or HTML block, the state at the cut after it is fresh.
    // (A definition in it changes no block: it cannot run past a blank line.)
    if reader.idle() {
        if let Some(cut) = next_cut(bytes, page.line) {
            let stretch = &bytes[fresh..cut];
            if !hot(stretch) && plain_lines(stretch) {
                #[cfg(test)]
                tests::SKIPPED.with(|s| s.set(s.get() + cut - fresh));
                return Some(cut);
            }
        }
    }
    let mut events = Vec::new();
    let mut from = page.line;
    for _ in 0..RETRIES {
        let Some(cut) = next_cut(bytes, from) else {
            break;
        };
        let line_end = memchr::memchr(b'\n', &bytes[cut..]).map_or(text.len(), |i| cut + i + 1);
        if bytes[fresh..line_end].contains(&b'[') && page.defs.any() {
            return whole_body(text, page, reader);
        }
        if region_before(text, fresh..cut, &mut events) {
            #[cfg(test)]
            tests::DECLINED.with(|s| s.set(s.get() + cut - fresh));
            for (event, range) in events.drain(..) {
                reader.event(&event, range);
            }
            return Some(cut);
        }
        events.clear();
        from = cut;
    }
    if bytes[fresh..].contains(&b'[') && page.defs.any() {
        return whole_body(text, page, reader);
    }
    #[cfg(test)]
    tests::DECLINED.with(|s| s.set(s.get() + text.len() - fresh));
    whole(text, fresh..text.len(), reader);
    None
}

/// The reader starts over, and pulldown-cmark reads the whole body.
fn whole_body(text: &str, page: &Declined, reader: &mut Reader<'_>) -> Option<usize> {
    #[cfg(test)]
    tests::DECLINED.with(|s| s.set(s.get() + text.len() - page.body_start));
    reader.reset();
    whole(text, page.body_start..text.len(), reader);
    None
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

/// The first cut point after the line at `from`: a line start after a
/// blank line or a `#` line, where [`is_cut`] holds. Only declined
/// stretches are searched, line by line.
fn next_cut(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    // Was the line before blank, or a heading at the top level?
    let mut after_block = false;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let line = &bytes[at..end];
        if at > from && after_block && is_cut(line) {
            return Some(at);
        }
        after_block = is_blank(line) || line.first() == Some(&b'#');
        at = end;
    }
    None
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

/// Can anything in `bytes` open a fence (```` ``` ````, `~~~`) or an HTML
/// comment, declaration or block of types 1 to 5 (`<` before `!`, `?`,
/// `s`, `p` or `t`, in either case)?
fn hot(bytes: &[u8]) -> bool {
    let mut at = 0;
    while let Some(i) = memchr::memchr3(b'`', b'~', b'<', &bytes[at..]) {
        let i = at + i;
        let hot = match bytes[i] {
            b'<' => bytes.get(i + 1).is_some_and(|b| {
                matches!(b.to_ascii_lowercase(), b'!' | b'?' | b's' | b'p' | b't')
            }),
            c => bytes.get(i + 1) == Some(&c) && bytes.get(i + 2) == Some(&c),
        };
        if hot {
            return true;
        }
        at = i + 1;
    }
    false
}

/// Is every line of `stretch` (the last may lack its `\n`) [`is_plain`]?
/// Cut at each `\n` found by memchr (a byte-by-byte split cost ~5
/// instructions a byte).
fn plain_lines(stretch: &[u8]) -> bool {
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', stretch) {
        if !is_plain(&stretch[start..=end]) {
            return false;
        }
        start = end + 1;
    }
    start == stretch.len() || is_plain(&stretch[start..])
}

/// A line that can neither start a heading or an indented code block nor
/// underline a paragraph; fences and HTML are found by [`hot`]. Only
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
