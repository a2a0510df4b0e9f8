//! A block scanner of our own, run by `regions.rs` over every line of a
//! page's body once: it finds the top-level blocks CommonMark would find (fenced
//! and indented code, HTML blocks, ATX and setext headings, thematic
//! breaks, paragraphs) and gives the reader the events pulldown-cmark
//! would give for them, with the same byte ranges. It mirrors
//! pulldown-cmark 0.13's block rules (its quirks included: a closing fence
//! may be followed by spaces but not tabs; an HTML block's end tag is
//! searched case-sensitively on the whole line).
//!
//! Only the events the reader acts on are made: a code block's start, text
//! and end, an HTML block's start (its range is the whole block), a
//! heading's start, text and end, a paragraph's start, a rule. Inline
//! content is read only where the reader reads it: a heading's words, and a
//! paragraph's HTML comments. A heading with markup other than plain tags,
//! and a paragraph holding a `<!--`, are handed to pulldown-cmark alone
//! (their block is known, so parsing it by itself gives the events it has
//! in the page).
//!
//! Whatever this scanner does not model it declines, and the stretch from
//! its last line with no block open goes to pulldown-cmark: containers (a block quote, a list item), a tab
//! in the indentation outside a fence, carriage returns and form feeds, and
//! on a page with link reference definitions (`]:`) a paragraph that
//! starts with `[` or a heading or comment paragraph with a `[`.
//! `regions::tests` holds the events equal to pulldown-cmark's over the
//! corpus, generated pages and the CommonMark specification's examples.

use std::cell::Cell;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::bytes::{byte_table, equal_in_word};

/// What the scanner hands the reader, each with its byte range: only what
/// the reader acts on, in a form it needs no second look at (pulldown-cmark
/// gives a heading led by an anchor as five events, and the reader then
/// searched the anchor's tag for its name).
#[cfg_attr(test, derive(Debug))]
pub(super) enum Scanned<'t> {
    /// A code block's start (its range the whole block).
    CodeStart { fenced: bool },
    /// A piece of a code block's content.
    Code(&'t str),
    /// A code block's end.
    CodeEnd,
    /// An HTML block (its range the whole block).
    Html,
    /// A whole heading of plain words (maybe none), maybe led by an
    /// anchor tag: the name the reader reads from it.
    Heading {
        level: u8,
        words: &'t str,
        anchor: Option<&'t str>,
    },
    /// A paragraph, a thematic break or a code tab heading: what ends an
    /// annotation's wait for its block and is kept nowhere.
    Prose,
    /// pulldown-cmark's event, for a block it read alone: its place in
    /// [`Events::parsed`]. (Held there, the events of this list own
    /// nothing: it is 56 bytes an event where it was 112, and clearing it
    /// drops nothing, where each event's kind was read to see.)
    Parsed(usize),
}

/// The scanner's events in order, with pulldown-cmark's events of the
/// blocks it read alone beside them. The list is the `Vec` it derefs to
/// (events may be dropped from its end; their parsed events stay, unread,
/// until [`Events::clear`]).
#[derive(Default)]
pub(super) struct Events<'t> {
    list: Vec<(Scanned<'t>, Range<usize>)>,
    parsed: Vec<Event<'t>>,
}

impl<'t> Events<'t> {
    pub(super) fn with_capacity(n: usize) -> Self {
        Events {
            list: Vec::with_capacity(n),
            parsed: Vec::new(),
        }
    }

    /// pulldown-cmark's `event` at `range`, in order.
    fn push_parsed(&mut self, event: Event<'t>, range: Range<usize>) {
        self.list.push((Scanned::Parsed(self.parsed.len()), range));
        self.parsed.push(event);
    }

    /// The event a [`Scanned::Parsed`] stands for.
    pub(super) fn parsed(&self, at: usize) -> &Event<'t> {
        &self.parsed[at]
    }

    /// No event, parsed or not.
    pub(super) fn clear(&mut self) {
        self.list.clear();
        self.parsed.clear();
    }
}

impl<'t> std::ops::Deref for Events<'t> {
    type Target = Vec<(Scanned<'t>, Range<usize>)>;
    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl std::ops::DerefMut for Events<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.list
    }
}

enum State {
    Idle,
    /// A paragraph from `start` to `end` (the end of its last line).
    /// `def`: it starts with `[`, so on a page with definitions it may
    /// be (or start with) one. `comment`: whether a line of it holds a
    /// `<!--`, while every line was taken by [`Scanner::prose`], whose
    /// line search finds the `<`s too; `None` once a line was not, and
    /// the paragraph's whole span is searched when it ends (its lines are
    /// contiguous, and a `<!--` cannot span a line). Whether it holds a
    /// `[` is asked of its whole span too.
    Paragraph {
        def: bool,
        start: usize,
        end: usize,
        lines: usize,
        comment: Option<bool>,
    },
    /// A fenced code block whose start event is `events[event]`.
    Fence {
        ch: u8,
        len: usize,
        indent: usize,
        event: usize,
    },
    /// An HTML block; `end_tag` for types 1 to 5, none for 6 and 7 (which
    /// end at a blank line).
    Html {
        start: usize,
        end_tag: Option<&'static [u8]>,
    },
    /// A block quote from `start` holding plain paragraphs only (`text`:
    /// some line has words; `open`: its last line has, so a paragraph is
    /// open and may continue lazily).
    Quote {
        start: usize,
        text: bool,
        open: bool,
    },
    /// An indented code block whose start event is `events[event]`; `keep`
    /// events (and the block's end) stand when trailing blank lines go.
    Indented {
        event: usize,
        keep: usize,
        end: usize,
    },
}

/// A searcher for `<`, made once: a paragraph's end asks whether it holds
/// a comment (two calls a paragraph on average, one a `<`), and
/// `memchr::memchr` chooses its implementation anew on every call (a
/// function pointer, then the searcher's vectors), as `Newline` has it.
#[cfg(target_arch = "x86_64")]
static LESS_THAN: LazyLock<Option<memchr::arch::x86_64::avx2::memchr::One>> =
    LazyLock::new(|| memchr::arch::x86_64::avx2::memchr::One::new(b'<'));

/// Does `hay` (a paragraph) hold a `<!--`?
fn holds_comment(hay: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(lt) = LESS_THAN.as_ref() {
        return lt.iter(hay).any(|i| hay[i..].starts_with(b"<!--"));
    }
    has(hay, b"<!--")
}

/// The search for the end of a prose line ([`Scanner::prose`]), which
/// finds the `<`s on its way: whether the line holds a `<!--` is known
/// with its end, where a paragraph's span was searched again for one when
/// it ended (a call and ~60 instructions a paragraph). Made once a page:
/// `memchr::memchr2` chooses its implementation anew on every call, as
/// `Newline` has it.
pub(super) struct ProseLines {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::Two>,
}

impl ProseLines {
    pub(super) fn new() -> Self {
        ProseLines {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::Two::new(b'\n', b'<'),
        }
    }

    /// The first `\n` or `<` in `hay`.
    #[inline(always)]
    fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(two) = &self.avx2 {
            return two.find(hay);
        }
        memchr::memchr2(b'\n', b'<', hay)
    }

    /// The end of the line that starts at `at` (past its `\n`, or the end
    /// of `bytes`), and whether the line holds a `<!--`.
    #[inline(always)]
    fn line(&self, bytes: &[u8], at: usize) -> (usize, bool) {
        let mut from = at;
        let mut comment = false;
        loop {
            let Some(i) = self.find(&bytes[from..]) else {
                return (bytes.len(), comment);
            };
            let i = from + i;
            if bytes[i] == b'\n' {
                return (i + 1, comment);
            }
            comment |= bytes[i + 1..].starts_with(b"!--");
            from = i + 1;
        }
    }
}

/// The searcher for a definition's `]:`, built once.
static DEFINITION: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"]:"));

/// Whether the page has link reference definitions (a `]:` in its body):
/// searched for the first time a `[` makes it matter (a paragraph or
/// heading holding one, a declined stretch), then known. The search reads
/// the whole body, and most pages never ask.
pub(super) struct Defs<'t> {
    body: &'t [u8],
    known: Cell<Option<bool>>,
}

impl<'t> Defs<'t> {
    /// The definitions of the page whose body is `body`, not searched yet.
    pub(super) fn new(body: &'t [u8]) -> Self {
        Defs {
            body,
            known: Cell::new(None),
        }
    }

    /// Definitions already known to be there or not.
    #[cfg(test)]
    pub(super) fn known(any: bool) -> Self {
        Defs {
            body: b"",
            known: Cell::new(Some(any)),
        }
    }

    /// Does the body hold a `]:`? (Inline, the search not: the scanner's
    /// line function, which asks in several places, stays small enough to
    /// be inlined into the line walk.)
    #[inline]
    pub(super) fn any(&self) -> bool {
        match self.known.get() {
            Some(any) => any,
            None => self.search(),
        }
    }

    #[cold]
    #[inline(never)]
    fn search(&self) -> bool {
        let any = DEFINITION.find(self.body).is_some();
        self.known.set(Some(any));
        any
    }
}

/// The scanner between lines: the block open at the top level (if any),
/// and whether the page has link reference definitions.
pub(super) struct Scanner<'d> {
    state: State,
    defs: &'d Defs<'d>,
}

impl<'d> Scanner<'d> {
    /// A scanner at a line where no block is open.
    pub(super) fn new(defs: &'d Defs<'d>) -> Self {
        Scanner {
            state: State::Idle,
            defs,
        }
    }

    /// Is no block open? Then every event so far is final, and a parse may
    /// start afresh at the next line.
    pub(super) fn idle(&self) -> bool {
        matches!(self.state, State::Idle)
    }

    /// One line (`line`, with its `\n`; no `\r`, vertical tab or form feed
    /// in it): its events into `events`. `Err` when the line holds
    /// something this scanner does not model.
    ///
    /// Most lines are prose, taken before by [`Self::prose`]; what comes
    /// here is the rest.
    #[inline]
    pub(super) fn line<'t>(
        &mut self,
        text: &'t str,
        line: Range<usize>,
        events: &mut Events<'t>,
    ) -> Result<(), ()> {
        let first = text.as_bytes().get(line.start).copied().unwrap_or(b'\n');
        // An empty line (a third of the general path's lines) ends an open
        // paragraph and is nothing in no block, as `line` has it.
        if first == b'\n' {
            match self.state {
                State::Idle => return Ok(()),
                State::Paragraph { .. } => {
                    return finish(text, line.start, self.defs, &mut self.state, events);
                }
                _ => {}
            }
        }
        if matches!(self.state, State::Idle) && opens_block_at_zero(first) {
            if let Some(read) =
                block_at_zero(text, line.clone(), self.defs, &mut self.state, events)
            {
                return read;
            }
        }
        self::line(text, line, self.defs, &mut self.state, events)
    }

    /// The run of lines from `at` that only continue the open paragraph or
    /// start one (their first byte in [`PROSE`], which can neither start a
    /// block nor end one: nothing else of the line is read; tables are
    /// paragraphs too, not enabled in the parse this mirrors), and the empty lines with
    /// no block open, taken here in a loop of their own with nothing else
    /// to carry (two lines in three: in the walk's loop each cost ~50
    /// instructions besides its newline search). Each is taken as
    /// [`Self::line`] takes it, and `fresh` set to every line start where
    /// no block is open, as the walk sets it. Returns the first line it
    /// did not take (the page's end included). No event is made: the walk
    /// hands on the events at its next line with no block open, as before.
    ///
    /// An empty line that ends a paragraph holding no comment (all its
    /// lines searched) and no definition (not led by a `[`) is taken here
    /// too: the paragraph's event is made as [`finish`] makes it, where the
    /// walk's loop and `finish`'s call cost ~100 instructions a paragraph.
    /// So `kept` is set with `fresh`: how many events came before it. At
    /// such a line with `batch` events held, the walk takes over (it hands
    /// them on at its next line with no block open).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(super) fn prose<'t>(
        &mut self,
        bytes: &[u8],
        mut at: usize,
        prose_lines: &ProseLines,
        fresh: &mut usize,
        kept: &mut usize,
        events: &mut Events<'t>,
        batch: usize,
    ) -> usize {
        loop {
            let Some(&first) = bytes.get(at) else {
                return at;
            };
            match &mut self.state {
                State::Idle => {
                    *fresh = at;
                    *kept = events.len();
                    if *kept >= batch {
                        return at;
                    }
                    if first == b'\n' {
                        at += 1;
                        continue;
                    }
                    if !PROSE[usize::from(first)] {
                        return at;
                    }
                    let (end, comment) = prose_lines.line(bytes, at);
                    self.state = State::Paragraph {
                        def: first == b'[',
                        start: at,
                        end,
                        lines: 1,
                        comment: Some(comment),
                    };
                    at = end;
                }
                State::Paragraph {
                    def,
                    start,
                    end,
                    lines,
                    comment,
                } => {
                    if first == b'\n' && !*def && *comment == Some(false) {
                        events.push((Scanned::Prose, *start..*end));
                        self.state = State::Idle;
                        at += 1;
                        continue;
                    }
                    if !PROSE[usize::from(first)] {
                        return at;
                    }
                    let found;
                    (at, found) = prose_lines.line(bytes, at);
                    *end = at;
                    *lines += 1;
                    if let Some(seen) = comment {
                        *seen |= found;
                    }
                }
                _ => return at,
            }
        }
    }

    /// Does [`Self::skip`] skip anything here? (Asked before every line:
    /// inline, where `skip` is not.)
    #[inline]
    pub(super) fn skips(&self) -> bool {
        matches!(
            self.state,
            State::Fence { indent: 0, .. }
                | State::Html {
                    end_tag: Some(_),
                    ..
                }
        )
    }

    /// Inside a fenced code block with no indentation, or an HTML block of
    /// types 1 to 5 (a multi-line annotation), the lines up to the one that
    /// ends the block need no look each (half the corpus's lines are code):
    /// the fence's content up to its closing line is one text event, as
    /// the line-by-line path gives it (contiguous pieces join), and an HTML
    /// block ends at the first line holding its end tag (which cannot span
    /// lines). Returns where the line-by-line path takes over: the line that
    /// ends the block, or the page's end (`at` itself in any other state).
    pub(super) fn skip<'t>(&mut self, text: &'t str, at: usize, events: &mut Events<'t>) -> usize {
        let bytes = text.as_bytes();
        match self.state {
            State::Fence {
                ch, len, indent: 0, ..
            } => {
                let mut from = at;
                // The closing fence: a run of `ch` after at most three spaces
                // at a line's start (not a tab: see `line`). The spaces are
                // counted back from the run (no search back for the line's
                // start), and the run's line is read only as far as
                // `closing_fence` reads it (no search for its end but to go
                // on past a line that closes nothing).
                let close = loop {
                    let Some(i) = memchr::memchr(ch, &bytes[from..]) else {
                        break text.len();
                    };
                    let i = from + i;
                    let spaces = bytes[at.max(i.saturating_sub(4))..i]
                        .iter()
                        .rev()
                        .take_while(|&&b| b == b' ')
                        .count();
                    let start = i - spaces;
                    if spaces < 4
                        && (start == at || bytes[start - 1] == b'\n')
                        && closing_fence(&bytes[i..], ch, len)
                    {
                        break start;
                    }
                    from = memchr::memchr(b'\n', &bytes[i..]).map_or(text.len(), |j| i + j + 1);
                };
                if close > at {
                    code_text(text, at..close, events);
                }
                close
            }
            State::Html {
                end_tag: Some(tag), ..
            } => match find_tag(&bytes[at..], tag) {
                Some(i) => memchr::memrchr(b'\n', &bytes[at..at + i]).map_or(at, |j| at + j + 1),
                None => text.len(),
            },
            _ => at,
        }
    }

    /// The end of the page: every open block ends as at a document's end.
    pub(super) fn finish<'t>(&mut self, text: &'t str, events: &mut Events<'t>) -> Result<(), ()> {
        finish(text, text.len(), self.defs, &mut self.state, events)
    }
}

impl State {
    /// The line ending at `line_end` continues the open paragraph (nothing
    /// when none is open).
    fn continue_paragraph(&mut self, line_end: usize) {
        if let State::Paragraph {
            end,
            lines,
            comment,
            ..
        } = self
        {
            *end = line_end;
            *lines += 1;
            // This line was not searched for a comment.
            *comment = None;
        }
    }
}

/// The first bytes of a line that start or end no block in [`line`]: not
/// white space or a line end, no list, quote, heading, fence, HTML, rule or
/// setext marker. A table, since every line is tested.
const PROSE: [bool; 256] = byte_table(b" \t\n\r\x0b\x0c-+*_0123456789>=<#`~", false);

/// How a scan of a whole page ended (for the tests, which compare the
/// scanner alone with pulldown-cmark).
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    /// Every block is closed at the page's end: the events are final.
    Fresh,
    /// The page holds something this scanner does not model.
    Declined,
}

/// Scans `text` from `start` to its end into `events`. `defs`: the page
/// has link reference definitions.
#[cfg(test)]
pub(super) fn scan<'t>(text: &'t str, start: usize, defs: bool, events: &mut Events<'t>) -> Scan {
    let defs = Defs::known(defs);
    events.clear();
    let bytes = text.as_bytes();
    if memchr::memchr3(b'\r', 0x0b, 0x0c, &bytes[start..]).is_some() {
        return Scan::Declined;
    }
    let mut scanner = Scanner::new(&defs);
    let prose_lines = ProseLines::new();
    let mut fresh = start;
    let mut kept = 0;
    let mut at = start;
    while at < text.len() {
        at = scanner.skip(text, at, events);
        at = scanner.prose(
            bytes,
            at,
            &prose_lines,
            &mut fresh,
            &mut kept,
            events,
            usize::MAX,
        );
        if at >= text.len() {
            break;
        }
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i + 1);
        if scanner.line(text, at..end, events).is_err() {
            return Scan::Declined;
        }
        at = end;
    }
    match scanner.finish(text, events) {
        Ok(()) => Scan::Fresh,
        Err(()) => Scan::Declined,
    }
}

/// Ends the open block at `end` (the start of the line that ends it, or
/// the end of the document).
fn finish<'t>(
    text: &'t str,
    end: usize,
    defs: &Defs<'_>,
    state: &mut State,
    events: &mut Events<'t>,
) -> Result<(), ()> {
    match std::mem::replace(state, State::Idle) {
        State::Idle => {}
        State::Paragraph {
            def,
            start,
            end,
            comment,
            ..
        } => {
            // A definition needs its label's `]` followed by `:` (searched
            // for with the held searcher: a paragraph led by a `[`, an
            // include mostly, holds several `]`, and `has` made a memchr
            // call for each); not looked for once the page is known to
            // have none.
            if def
                && defs.known.get() != Some(false)
                && DEFINITION.find(&text.as_bytes()[start..end]).is_some()
                && defs.any()
            {
                return Err(());
            }
            paragraph(text, start..end, comment, defs, events)?;
        }
        State::Fence { event, .. } => {
            // pulldown-cmark ends an unclosed fence at the document's end.
            let start = events[event].1.start;
            events[event].1 = start..end;
            events.push((Scanned::CodeEnd, start..end));
        }
        State::Html { start, .. } => {
            events.push((Scanned::Html, start..end));
        }
        State::Quote { start, text, .. } => {
            // The reader acts on a paragraph's start only (the quote's own
            // start is nothing to it); its words, and whether the quote held
            // one paragraph or several, are nothing to it either.
            if text {
                events.push((Scanned::Prose, start..end));
            }
        }
        State::Indented {
            event,
            keep,
            end: block_end,
        } => {
            events.truncate(keep);
            // Trailing blank lines are not the block's: cut them off the
            // last text event too, if they were joined to it.
            if let Some((Scanned::Code(t), r)) = events.last_mut() {
                if r.end > block_end {
                    r.end = block_end;
                    *t = &text[r.start..block_end];
                }
            }
            let start = events[event].1.start;
            events[event].1 = start..block_end;
            events.push((Scanned::CodeEnd, start..block_end));
        }
    }
    Ok(())
}

/// One line (`line`, with its `\n`), in the state the lines before left.
/// Always inlined into its one caller, [`Scanner::line`] (itself inlined
/// into the line walk): out of line it cost a call on every line that is
/// not prose, more than the function's own work on most of them.
#[inline(always)]
fn line<'t>(
    text: &'t str,
    line: Range<usize>,
    defs: &Defs<'_>,
    state: &mut State,
    events: &mut Events<'t>,
) -> Result<(), ()> {
    let bytes = text.as_bytes();
    let l = &bytes[line.clone()];
    // Inside a fence or a type 1-5 HTML block, a line is content unless it
    // ends the block.
    match state {
        State::Fence {
            ch,
            len,
            indent,
            event,
        } => {
            let (ch, len, indent, event) = (*ch, *len, *indent, *event);
            let spaces = l.iter().take_while(|&&b| b == b' ').count();
            let tab = l.get(spaces) == Some(&b'\t');
            if spaces < 4 && !tab && closing_fence(&l[spaces..], ch, len) {
                let content_end = line.end - usize::from(l.last() == Some(&b'\n'));
                let start = events[event].1.start;
                events[event].1 = start..content_end;
                events.push((Scanned::CodeEnd, start..content_end));
                *state = State::Idle;
                return Ok(());
            }
            // The content loses up to the fence's own indentation.
            let strip = spaces.min(indent);
            if strip < indent && tab {
                return Err(());
            }
            let from = line.start + strip;
            if from < line.end {
                code_text(text, from..line.end, events);
            }
            return Ok(());
        }
        State::Html {
            start,
            end_tag: Some(tag),
        } => {
            if holds_end(l, tag) {
                let start = *start;
                events.push((Scanned::Html, start..line.end));
                *state = State::Idle;
            }
            return Ok(());
        }
        _ => {}
    }

    let spaces = l.iter().take_while(|&&b| b == b' ').count();
    let rest = &l[spaces..];
    let blank = rest
        .iter()
        .find(|&&b| !matches!(b, b' ' | b'\t'))
        .is_none_or(|&b| b == b'\n');
    if let State::Quote {
        text: words, open, ..
    } = state
    {
        if spaces < 4 && rest.first() == Some(&b'>') {
            let w = quoted(&rest[1..], defs)?;
            *words |= w;
            *open = w;
            return Ok(());
        }
        if !blank {
            let indented = spaces >= 4 || rest.first() == Some(&b'\t');
            let interrupts = !indented
                && (list_marker(rest)
                    || html_start(&bytes[line.start + spaces..], false).is_some()
                    || is_rule(rest)
                    || atx_level(rest).is_some()
                    || fence_open(rest).is_some());
            if *open && !interrupts {
                // A lazy continuation line of the quote's paragraph.
                if (!indented && setext(rest).is_some()) || has(l, b"<!--") {
                    return Err(());
                }
                return Ok(());
            }
            // The line starts a block of its own after the quote.
            finish(text, line.start, defs, state, events)?;
        }
    }
    if blank {
        match state {
            State::Paragraph { .. } | State::Html { .. } | State::Quote { .. } => {
                finish(text, line.start, defs, state, events)?;
            }
            State::Indented { .. } => {
                if rest.contains(&b'\t') {
                    return Err(());
                }
                let from = line.start + spaces.min(4);
                code_text(text, from..line.end, events);
            }
            _ => {}
        }
        return Ok(());
    }
    let tab = rest.first() == Some(&b'\t');
    let in_paragraph = matches!(state, State::Paragraph { .. });
    if spaces >= 4 || tab {
        match state {
            State::Paragraph { .. } => {
                state.continue_paragraph(line.end);
                return Ok(());
            }
            State::Html { .. } => return Ok(()),
            _ if tab => return Err(()),
            State::Indented { keep, end, .. } => {
                let from = line.start + 4;
                code_text(text, from..line.end, events);
                *keep = events.len();
                *end = line.end;
                return Ok(());
            }
            _ => {
                let from = line.start + 4;
                let event = events.len();
                events.push((Scanned::CodeStart { fenced: false }, from..line.end));
                events.push((Scanned::Code(&text[from..line.end]), from..line.end));
                *state = State::Indented {
                    event,
                    keep: events.len(),
                    end: line.end,
                };
                return Ok(());
            }
        }
    }
    if let State::Html { .. } = state {
        // Type 6 and 7 blocks run to a blank line.
        return Ok(());
    }
    if let State::Indented { .. } = state {
        finish(text, line.start, defs, state, events)?;
    }
    let p = line.start + spaces;
    let first = rest[0];

    // Each test below is asked only of the first bytes that can start
    // what it tests for (a heading's line, the most common here, starts
    // none of the others).
    // Containers: a block quote or a list item (a thematic break wins).
    let rule = matches!(first, b'*' | b'-' | b'_') && is_rule(rest);
    if !rule && matches!(first, b'-' | b'+' | b'*' | b'0'..=b'9') && list_marker(rest) {
        return Err(());
    }
    if first == b'>' {
        let words = quoted(&rest[1..], defs)?;
        if in_paragraph {
            finish(text, line.start, defs, state, events)?;
        }
        *state = State::Quote {
            start: p,
            text: words,
            open: words,
        };
        return Ok(());
    }
    if in_paragraph && matches!(first, b'=' | b'-') {
        if let Some(level) = setext(rest) {
            let State::Paragraph { start, lines, .. } = std::mem::replace(state, State::Idle)
            else {
                unreachable!()
            };
            // Only definitions make a `[` matter.
            if bytes[start..line.start].contains(&b'[') && defs.any() {
                return Err(());
            }
            let span = start..line.end;
            let words = text[start..line.start].trim_end_matches([' ', '\n']);
            if lines == 1 && !words.contains('\t') && !has_markup(words.as_bytes()) {
                heading(level, span, words, None, events);
            } else {
                alone(text, span, events);
            }
            return Ok(());
        }
    }
    let html = if first == b'<' {
        html_start(&bytes[p..], !in_paragraph)
    } else {
        None
    };
    let atx = if first == b'#' { atx_level(rest) } else { None };
    let fence = if matches!(first, b'`' | b'~') {
        fence_open(rest)
    } else {
        None
    };
    let interrupts = html.is_some() || rule || atx.is_some() || fence.is_some();
    if in_paragraph && !interrupts {
        state.continue_paragraph(line.end);
        return Ok(());
    }
    if in_paragraph {
        finish(text, line.start, defs, state, events)?;
    }
    if let Some(end_tag) = html {
        open_html(bytes, p, line.end, end_tag, state, events);
    } else if rule {
        events.push((Scanned::Prose, p..line.end));
    } else if let Some(level) = atx {
        atx_heading(text, p, level, line.end, defs, events)?;
    } else if let Some((ch, len)) = fence {
        open_fence(p, line.end, ch, len, spaces, state, events);
    } else {
        *state = State::Paragraph {
            def: first == b'[',
            start: p,
            end: line.end,
            lines: 1,
            comment: None,
        };
    }
    Ok(())
}

/// Can a line starting with this byte, in column 0, open a heading, an
/// HTML block or a fence? ([`block_at_zero`] reads those lines.)
#[inline(always)]
fn opens_block_at_zero(first: u8) -> bool {
    matches!(first, b'#' | b'<' | b'`' | b'~')
}

/// A line in column 0 with no block open that opens an ATX heading, an
/// HTML block or a fence (a heading's, an annotation's or a code block's
/// line, most of what is not prose): read as [`line`] reads it, without
/// the tests that line makes first for indentation, blank lines, block
/// quotes, rules, list markers and setext underlines, none of which such
/// a first byte can start (~60 instructions a line). `None` when the line
/// opens none of the three: [`line`] reads it (a paragraph).
#[inline(always)]
fn block_at_zero<'t>(
    text: &'t str,
    line: Range<usize>,
    defs: &Defs<'_>,
    state: &mut State,
    events: &mut Events<'t>,
) -> Option<Result<(), ()>> {
    let bytes = text.as_bytes();
    let p = line.start;
    let rest = &bytes[p..line.end];
    match rest[0] {
        b'#' => {
            let level = atx_level(rest)?;
            Some(atx_heading(text, p, level, line.end, defs, events))
        }
        b'<' => {
            let end_tag = html_start(&bytes[p..], true)?;
            open_html(bytes, p, line.end, end_tag, state, events);
            Some(Ok(()))
        }
        _ => {
            let (ch, len) = fence_open(rest)?;
            open_fence(p, line.end, ch, len, 0, state, events);
            Some(Ok(()))
        }
    }
}

/// An HTML block opening at `p` on the line ending at `line_end`: the
/// whole block when the line holds its end tag, else the block left open.
#[inline(always)]
fn open_html<'t>(
    bytes: &[u8],
    p: usize,
    line_end: usize,
    end_tag: Option<&'static [u8]>,
    state: &mut State,
    events: &mut Events<'t>,
) {
    match end_tag {
        // The opening `<` starts no end tag, nor does a comment's `<!`.
        Some(tag) if holds_end(&bytes[p + 1 + usize::from(tag == b"-->")..line_end], tag) => {
            events.push((Scanned::Html, p..line_end));
        }
        _ => *state = State::Html { start: p, end_tag },
    }
}

/// A fence of `len` `ch`s opening at `p`, indented by `indent` spaces.
#[inline(always)]
fn open_fence(
    p: usize,
    line_end: usize,
    ch: u8,
    len: usize,
    indent: usize,
    state: &mut State,
    events: &mut Events<'_>,
) {
    let event = events.len();
    events.push((Scanned::CodeStart { fenced: true }, p..line_end));
    *state = State::Fence {
        ch,
        len,
        indent,
        event,
    };
}

/// Code text at `range`: one event, or the last one grown when this
/// piece continues it (the reader joins contiguous pieces anyway).
fn code_text<'t>(text: &'t str, range: Range<usize>, events: &mut Events<'t>) {
    if let Some((Scanned::Code(t), r)) = events.last_mut() {
        if r.end == range.start {
            r.end = range.end;
            *t = &text[r.start..range.end];
            return;
        }
    }
    events.push((Scanned::Code(&text[range.clone()]), range));
}

/// The first end tag of an HTML block in `hay`: most are a comment's
/// `-->`, whose searcher is built once.
fn find_tag(hay: &[u8], tag: &[u8]) -> Option<usize> {
    if tag == b"-->" {
        super::markdown::COMMENT_CLOSE.find(hay)
    } else {
        memchr::memmem::find(hay, tag)
    }
}

/// Does `hay` hold `needle`? (For short lines: no searcher to build.)
#[inline]
fn has(hay: &[u8], needle: &[u8]) -> bool {
    let Some(last) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    memchr::memchr_iter(needle[0], &hay[..=last]).any(|i| same(&hay[i..i + needle.len()], needle))
}

/// `a == b` for a few bytes, compared in place (the slice comparison
/// calls `memcmp`, which cost more than the bytes on every candidate).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Does the line hold an HTML block's end tag? A one-line annotation
/// ends with it (searching from its start for `-->` stopped at every `-`
/// in its names): its end is looked at first.
fn holds_end(line: &[u8], tag: &[u8]) -> bool {
    let trimmed = line.trim_ascii_end();
    if trimmed.len() >= tag.len() && same(&trimmed[trimmed.len() - tag.len()..], tag) {
        return true;
    }
    // The first line of a longer one (`<!-- {`, mostly) is short; a long
    // one is searched whole for `-->` (a `-` is common in it: a uuid, a
    // name), other tags a candidate byte at a time.
    if line.len() >= 32 && tag == b"-->" {
        return find_tag(line, tag).is_some();
    }
    holds(line, tag)
}

/// [`has`] for a short `hay` (a heading, a comment's first line) looked
/// at in place, where each candidate byte found cost a memchr call (~40
/// instructions).
fn holds(hay: &[u8], needle: &[u8]) -> bool {
    if hay.len() < 32 {
        return hay
            .windows(needle.len())
            .any(|w| w[0] == needle[0] && same(w, needle));
    }
    has(hay, needle)
}

/// A block quote's line after its `>`: does it hold words of a
/// paragraph? Declined unless it is blank or plain paragraph text: no
/// nested quote or list, heading, fence, HTML, break, setext underline,
/// indented code, tab or comment (and no definition on a page with any).
fn quoted(inner: &[u8], defs: &Defs<'_>) -> Result<bool, ()> {
    let inner = inner.strip_prefix(b" ").unwrap_or(inner);
    let spaces = inner.iter().take_while(|&&b| b == b' ').count();
    let Some(&c) = inner.get(spaces) else {
        return Ok(false);
    };
    if c == b'\n' {
        return Ok(false);
    }
    let rest = &inner[spaces..];
    let plain = spaces < 4
        && !matches!(c, b'>' | b'\t')
        && atx_level(rest).is_none()
        && fence_open(rest).is_none()
        && (c != b'<' || html_start(rest, true).is_none())
        && !list_marker(rest)
        && !is_rule(rest)
        && setext(rest).is_none()
        && !(c == b'[' && defs.any())
        && !tab_or_comment(inner);
    if plain {
        Ok(true)
    } else {
        Err(())
    }
}

/// Does a quoted line hold a tab or a `<!--`? One search for both (most
/// hold neither), where a tab's and a comment's took two.
fn tab_or_comment(line: &[u8]) -> bool {
    memchr::memchr2_iter(b'\t', b'<', line)
        .any(|i| line[i] == b'\t' || line[i..].starts_with(b"<!--"))
}

/// A paragraph: its start event, or (when it holds a comment) all its
/// events from pulldown-cmark over it alone. `comment`: whether it holds
/// one, when its lines' search knows (else its span is searched).
/// `defs`: the page has link reference definitions.
fn paragraph<'t>(
    text: &'t str,
    span: Range<usize>,
    comment: Option<bool>,
    defs: &Defs<'_>,
    events: &mut Events<'t>,
) -> Result<(), ()> {
    let bytes = &text.as_bytes()[span.clone()];
    if !comment.unwrap_or_else(|| holds_comment(bytes)) {
        events.push((Scanned::Prose, span));
        return Ok(());
    }
    // A reference link's label could swallow the comment.
    if bytes.contains(&b'[') && defs.any() {
        return Err(());
    }
    alone(text, span, events);
    Ok(())
}

/// pulldown-cmark over one block by itself, its events in page offsets.
fn alone<'t>(text: &'t str, span: Range<usize>, events: &mut Events<'t>) {
    #[cfg(test)]
    super::regions::tests::ALONE.with(|s| s.set(s.get() + span.len()));
    let offset = span.start;
    let parser = Parser::new_ext(&text[span], Options::empty()).into_offset_iter();
    for (event, r) in parser {
        events.push_parsed(event, r.start + offset..r.end + offset);
    }
}

/// A heading of plain words (maybe none), maybe led by an anchor: one
/// event, where pulldown-cmark gives a start, a text, the anchor's two tags
/// and an end.
fn heading<'t>(
    level: usize,
    span: Range<usize>,
    words: &'t str,
    anchor: Option<&'t str>,
    events: &mut Events<'t>,
) {
    let level = HeadingLevel::try_from(level).unwrap_or(HeadingLevel::H6) as u8;
    events.push((
        Scanned::Heading {
            level,
            words,
            anchor,
        },
        span,
    ));
}

/// A heading's start event, as pulldown-cmark gives it (no id, class or
/// attribute: the reader reads none); its level, for the end event.
fn heading_start(level: usize, span: Range<usize>, events: &mut Events<'_>) -> HeadingLevel {
    let level = HeadingLevel::try_from(level).unwrap_or(HeadingLevel::H6);
    events.push_parsed(
        Event::Start(Tag::Heading {
            level,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        span,
    );
    level
}

/// An ATX heading at `p` (its `#`s) to `end` (its line's end).
#[inline]
fn atx_heading<'t>(
    text: &'t str,
    p: usize,
    level: usize,
    end: usize,
    defs: &Defs<'_>,
    events: &mut Events<'t>,
) -> Result<(), ()> {
    let bytes = text.as_bytes();
    let words_at = p
        + level
        + bytes[p + level..end]
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
    match plain_heading(text, words_at, end) {
        Some((words, anchor)) => {
            heading(level, p..end, words, anchor, events);
            Ok(())
        }
        None => marked_heading(text, p, level, end, defs, events),
    }
}

/// The usual heading (nine in ten in the corpus): plain words from
/// `words_at` (past the `#`s and spaces) to `end`, maybe led by
/// `<a name="x"></a>`, no other byte of [`HEADING`] anywhere: its words
/// and the anchor's name, or `None` for [`marked_heading`]. What that
/// path gives such a heading (no comment, tab link, `[`, tab or markup but
/// the anchor's own `<`s) is the same heading, its words and the same
/// anchor name. Kept apart from it, so that this path's few registers are
/// not spilled for the other's many (it cost ~480 instructions a heading
/// inside one function with the rare paths).
#[inline]
fn plain_heading(text: &str, words_at: usize, end: usize) -> Option<(&str, Option<&str>)> {
    let bytes = text.as_bytes();
    let b = &bytes[words_at..end];
    let mut after = 0;
    let mut anchor = None;
    if b.starts_with(ANCHOR) {
        // The value ends at its first `"` (the line holds no `\r`, and its
        // one `\n` ends it: a quote found is before it), which the tag's
        // `>` and the closing `</a>` must follow, as [`leading_anchor`] has it.
        let k = first_quote(&b[ANCHOR.len()..])?;
        let close = ANCHOR.len() + k;
        if !b[close..].starts_with(b"\"></a>") {
            return None;
        }
        let value = &text[words_at + ANCHOR.len()..words_at + close];
        let seen = fold_bits(value.as_bytes(), &ANCHOR_VALUE);
        if seen & !NAME_STOP != 0 {
            return None;
        }
        // A value with no quote, `>` or space is its name as it is.
        anchor = Some(if seen == 0 {
            value
        } else {
            anchor_value_name(value)
        });
        after = close + 6;
    }
    if fold_bits(&b[after..], &HEADING) != 0 {
        return None;
    }
    let line_end = end - usize::from(bytes[end - 1] == b'\n');
    // Most headings end in a word: no closing `#`s or spaces to cut.
    let words = if line_end > words_at && !matches!(bytes[line_end - 1], b' ' | b'#') {
        &text[words_at + after..line_end]
    } else {
        &atx_content(&text[words_at..line_end])[after..]
    };
    Some((words, anchor))
}

/// The offset of the first `"` in `b`, eight bytes a step (an anchor's
/// value is 13 bytes on average: a byte loop cost ~90 instructions).
fn first_quote(b: &[u8]) -> Option<usize> {
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let quotes = equal_in_word(u64::from_le_bytes(word), b'"');
        if quotes != 0 {
            return Some(at + quotes.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b'"')
        .map(|i| at + i)
}

/// A heading with something [`plain_heading`] does not take: a comment,
/// a tab link, a `[`, a tab, markup, an anchor of another shape. Out of
/// line: one heading in ten.
#[inline(never)]
fn marked_heading<'t>(
    text: &'t str,
    p: usize,
    level: usize,
    end: usize,
    defs: &Defs<'_>,
    events: &mut Events<'t>,
) -> Result<(), ()> {
    let bytes = text.as_bytes();
    let raw = &bytes[p..end];
    // One pass over the heading's bytes says which of the rarer things it
    // may hold; only those are searched for (most headings are plain words).
    let seen = fold_bits(raw, &HEADING);
    let has_comment = seen & LT != 0 && holds(raw, b"<!--");
    if !has_comment && seen & CLOSE != 0 && tab_link(raw) {
        // A tab heading: the reader keeps neither its words nor its anchor
        // (so a definition that would turn a `[x]` in it into a link
        // changes nothing).
        events.push((Scanned::Prose, p..end));
        return Ok(());
    }
    if seen & OPEN != 0 && defs.any() {
        return Err(());
    }
    let line = text[p + level..end].trim_end_matches('\n');
    if has_comment || seen & TAB != 0 {
        alone(text, p..end, events);
        return Ok(());
    }
    let content = atx_content(line.trim_start_matches(' '));
    // The words are within the line, and the bytes around them (`#`, space,
    // line end) are no markup.
    if seen & MARKUP_BYTE == 0 || !has_markup(content.as_bytes()) {
        heading(level, p..end, content, None, events);
        return Ok(());
    }
    let b = content.as_bytes();
    let base = content.as_ptr() as usize - text.as_ptr() as usize;
    // The usual tagged heading (two thirds of the corpus's headings):
    // `<a name="x"></a>` then plain words. Its two tags are known by their
    // shape, not read byte by byte, and nothing is searched for a `<` again;
    // the events are the loop's below (a test holds them equal).
    if let Some((open, close)) = leading_anchor(b) {
        if !has_markup(&b[close..]) {
            // Its `name=` ends at 8 (`<a name=` has no other `n`).
            let anchor = super::markdown::name_at(&content[..open], 8);
            heading(level, p..end, &content[close..], anchor, events);
            return Ok(());
        }
    }
    // Plain words and HTML tags (`<a name="x"></a>`): the tags are inline
    // HTML, the rest text. Anything else is read by pulldown-cmark.
    let mark = events.len();
    let level = heading_start(level, p..end, events);
    let mut at = 0;
    while at < b.len() {
        let next = memchr::memchr(b'<', &b[at..]).map_or(b.len(), |i| at + i);
        if has_markup(&b[at..next]) {
            events.truncate(mark);
            alone(text, p..end, events);
            return Ok(());
        }
        if next > at {
            events.push_parsed(
                Event::Text(CowStr::Borrowed(&content[at..next])),
                base + at..base + next,
            );
        }
        if next == b.len() {
            break;
        }
        match tag_end(&b[next..]) {
            Some(n) => {
                events.push_parsed(
                    Event::InlineHtml(CowStr::Borrowed(&content[next..next + n])),
                    base + next..base + next + n,
                );
                at = next + n;
            }
            None => {
                events.truncate(mark);
                alone(text, p..end, events);
                return Ok(());
            }
        }
    }
    events.push_parsed(Event::End(TagEnd::Heading(level)), p..end);
    Ok(())
}

/// Does a heading's line hold `](#tab/`? A tab heading (`# [HTTP](#tab/http)`,
/// one heading in five) has it at its first `]`, found in place; else
/// the rest is searched.
fn tab_link(raw: &[u8]) -> bool {
    const TAB_LINK: &[u8] = b"](#tab/";
    match raw.iter().position(|&c| c == b']') {
        Some(i) => {
            raw.get(i..i + TAB_LINK.len())
                .is_some_and(|w| same(w, TAB_LINK))
                || holds(&raw[i + 1..], TAB_LINK)
        }
        None => false,
    }
}

/// Where `<a name="VALUE">` and the `</a>` right after it end, when the
/// words begin with them: exactly what [`tag_end`] reads for each (a
/// double-quoted value holds any byte but its quote and a line end).
fn leading_anchor(b: &[u8]) -> Option<(usize, usize)> {
    let value = b.strip_prefix(ANCHOR)?;
    let k = value
        .iter()
        .position(|&c| matches!(c, b'"' | b'\n' | b'\r'))?;
    let open = ANCHOR.len() + k + 2;
    if value[k] != b'"' || b.get(open - 1) != Some(&b'>') {
        return None;
    }
    b[open..].starts_with(b"</a>").then_some((open, open + 4))
}

/// How an anchor tag begins (its `name=` ends one byte before the end).
const ANCHOR: &[u8] = b"<a name=\"";

/// The name `markdown::name_at` reads from `<a name="VALUE">` (a value
/// [`leading_anchor`] found: no `"` or line end in it): the value without
/// its leading `'`s, up to its first `'`, `>` or space.
pub(super) fn anchor_value_name(value: &str) -> &str {
    let value = value.trim_start_matches('\'');
    let end = value
        .bytes()
        .position(|b| matches!(b, b'\'' | b'>' | b' '))
        .unwrap_or(value.len());
    &value[..end]
}

/// The bits of `table` of every byte of `b`, or-ed (no byte of
/// [`HEADING`] in a heading's words: nothing but words). Folded with no
/// early exit: most headings are plain, so every byte is read anyway, and
/// the fold unrolls to a load and an `or` a byte where `any` tests and
/// branches on each.
#[inline]
fn fold_bits(b: &[u8], table: &[u8; 256]) -> u8 {
    let fold8 = |c: &[u8]| c.iter().fold(0, |seen, &c| seen | table[usize::from(c)]);
    if b.len() < 8 {
        return b.iter().fold(0, |seen, &c| seen | table[usize::from(c)]);
    }
    // Eight bytes a step: one bound check for eight lookups; the last
    // eight bytes are folded whole (an `or` again of a byte already seen
    // changes nothing), where a byte loop for the rest cost a branch a byte.
    let mut chunks = b.chunks_exact(8);
    let mut seen = 0;
    for c in &mut chunks {
        seen |= fold8(c);
    }
    seen | fold8(&b[b.len() - 8..])
}

/// An ATX heading's words: trailing spaces and a closing run of `#` (after
/// a space, or alone) removed, as pulldown-cmark does.
fn atx_content(line: &str) -> &str {
    let b = line.as_bytes();
    let mut limit = b.len() - b.iter().rev().take_while(|&&c| c == b' ').count();
    let closer = b[..limit]
        .iter()
        .rposition(|&c| c != b'#')
        .map_or(0, |i| i + 1);
    if closer == 0 {
        limit = 0;
    } else {
        let spaces = b[..closer].iter().rev().take_while(|&&c| c == b' ').count();
        if spaces > 0 {
            limit = closer - spaces;
        }
    }
    &line[..limit]
}

/// What a heading's bytes may hold, as bits of [`HEADING`]: `<`, `]`, `[`,
/// a tab, any byte of [`MARKUP`].
const LT: u8 = 1;
const CLOSE: u8 = 2;
const OPEN: u8 = 4;
const TAB: u8 = 8;
const MARKUP_BYTE: u8 = 16;

/// Each byte's bits (see [`LT`]): a table, since every heading's bytes are
/// folded through it.
const HEADING: [u8; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        if MARKUP[i] {
            table[i] |= MARKUP_BYTE;
        }
        i += 1;
    }
    table[b'<' as usize] |= LT;
    table[b']' as usize] |= CLOSE;
    table[b'[' as usize] |= OPEN;
    table[b'\t' as usize] |= TAB;
    table
};

/// An anchor value's bit for a byte that ends its name (`'`, `>`, space):
/// the name is then cut by [`anchor_value_name`].
const NAME_STOP: u8 = 32;

/// [`HEADING`] with [`NAME_STOP`], for an anchor's value.
const ANCHOR_VALUE: [u8; 256] = {
    let mut table = HEADING;
    table[b'\'' as usize] |= NAME_STOP;
    table[b'>' as usize] |= NAME_STOP;
    table[b' ' as usize] |= NAME_STOP;
    table
};

/// Could inline parsing make these words differ from their bytes?
fn has_markup(b: &[u8]) -> bool {
    b.iter().any(|&c| MARKUP[usize::from(c)])
}

/// The bytes that can start inline markup (escapes, code spans, emphasis,
/// links and images, HTML and autolinks, entities): a table, since every
/// heading's words are tested.
const MARKUP: [bool; 256] = byte_table(b"\\`*_[]!<&", true);

/// A line (after its indentation) that closes a fence of `len` `ch`s.
fn closing_fence(rest: &[u8], ch: u8, len: usize) -> bool {
    let n = rest.iter().take_while(|&&b| b == ch).count();
    if n < len {
        return false;
    }
    let spaces = rest[n..].iter().take_while(|&&b| b == b' ').count();
    matches!(rest.get(n + spaces), None | Some(b'\n'))
}

/// An opening fence: its character and length.
fn fence_open(rest: &[u8]) -> Option<(u8, usize)> {
    let ch = *rest.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = rest.iter().take_while(|&&b| b == ch).count();
    if n < 3 || (ch == b'`' && rest[n..].contains(&b'`')) {
        return None;
    }
    Some((ch, n))
}

/// A thematic break: three or more of one of `*`, `-`, `_`, with spaces
/// and tabs, alone on the line.
fn is_rule(rest: &[u8]) -> bool {
    let Some(&c) = rest.first() else {
        return false;
    };
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for &b in rest {
        match b {
            b'\n' => break,
            b' ' | b'\t' => {}
            b if b == c => n += 1,
            _ => return false,
        }
    }
    n >= 3
}

/// A bullet or ordered list marker (as pulldown-cmark sees one: followed
/// by white space or the line's end).
fn list_marker(rest: &[u8]) -> bool {
    let after = match rest.first() {
        Some(b'-' | b'+' | b'*') => 1,
        Some(b'0'..=b'9') => {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(rest.get(digits), Some(b'.' | b')')) {
                return false;
            }
            digits + 1
        }
        _ => return false,
    };
    matches!(rest.get(after), None | Some(b' ' | b'\t' | b'\n'))
}

/// A setext underline: its heading level.
fn setext(rest: &[u8]) -> Option<usize> {
    let c = *rest.first()?;
    let level = match c {
        b'=' => 1,
        b'-' => 2,
        _ => return None,
    };
    let n = rest.iter().take_while(|&&b| b == c).count();
    rest[n..]
        .iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\n'))
        .then_some(level)
}

/// An ATX heading's level.
#[inline(always)]
fn atx_level(rest: &[u8]) -> Option<usize> {
    let n = rest.iter().take_while(|&&b| b == b'#').count();
    ((1..=6).contains(&n) && matches!(rest.get(n), None | Some(b' ' | b'\t' | b'\n'))).then_some(n)
}

/// An HTML block starting at `p` (its `<`): `Some(Some(end tag))` for
/// types 1 to 5, `Some(None)` for types 6 and 7 (7 only where it may
/// start: not inside a paragraph).
fn html_start(data: &[u8], type_7: bool) -> Option<Option<&'static [u8]>> {
    let after = &data[1..];
    if let Some(tag) = end_tag(after) {
        return Some(Some(tag));
    }
    if type_6(after) {
        return Some(None);
    }
    if type_7 {
        if let Some(n) = tag_end(data) {
            let rest = &data[n..];
            let blank = rest
                .iter()
                .find(|&&b| !matches!(b, b' ' | b'\t'))
                .is_none_or(|&b| b == b'\n');
            if blank {
                return Some(None);
            }
        }
    }
    None
}

/// The end tag of an HTML block of types 1 to 5 starting `<` + `after`.
fn end_tag(after: &[u8]) -> Option<&'static [u8]> {
    const RAW: [(&[u8], &[u8]); 4] = [
        (b"pre", b"</pre>"),
        (b"style", b"</style>"),
        (b"script", b"</script>"),
        (b"textarea", b"</textarea>"),
    ];
    for (begin, end) in RAW {
        if after.len() < begin.len() {
            break;
        }
        if !after[..begin.len()].eq_ignore_ascii_case(begin) {
            continue;
        }
        match after.get(begin.len()) {
            None => return Some(end),
            Some(&s) if s.is_ascii_whitespace() || s == 0x0b || s == b'>' => return Some(end),
            _ => {}
        }
    }
    if after.starts_with(b"!--") {
        return Some(b"-->");
    }
    if after.starts_with(b"?") {
        return Some(b"?>");
    }
    if after.starts_with(b"![CDATA[") {
        return Some(b"]]>");
    }
    if after.len() > 1 && after[0] == b'!' && after[1].is_ascii_alphabetic() {
        return Some(b">");
    }
    None
}

const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Does `<` + `after` start an HTML block of type 6?
fn type_6(after: &[u8]) -> bool {
    let after = after.strip_prefix(b"/").unwrap_or(after);
    let n = after
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &after[..n];
    if !BLOCK_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(name))
    {
        return false;
    }
    let tail = &after[n..];
    matches!(
        tail.first(),
        None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'>')
    ) || tail.starts_with(b"/>")
}

/// The length of a complete open or closing tag at the start of `data`
/// (which starts with `<`), on one line.
fn tag_end(data: &[u8]) -> Option<usize> {
    let ws = |b: u8| matches!(b, b' ' | b'\t' | 0x0b | 0x0c);
    let close = usize::from(data.get(1) == Some(&b'/'));
    let mut i = 1 + close;
    if !data.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    i += data[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    if close == 0 {
        loop {
            let before = i;
            i += data[i..].iter().take_while(|&&b| ws(b)).count();
            if matches!(data.get(i), None | Some(b'\n' | b'\r')) {
                return None;
            }
            if matches!(data.get(i), Some(b'/' | b'>')) {
                break;
            }
            if before == i {
                return None;
            }
            // An attribute: a name, then maybe `=` and a value.
            let c = *data.get(i)?;
            if !(c.is_ascii_alphabetic() || c == b'_' || c == b':') {
                return None;
            }
            i += 1 + data[i + 1..]
                .iter()
                .take_while(|&&b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-')
                })
                .count();
            let after_name = i;
            let mut j = skip_spaces(data, i)?;
            if data.get(j) != Some(&b'=') {
                i = after_name;
                continue;
            }
            j = skip_spaces(data, j + 1)?;
            match *data.get(j)? {
                q @ (b'"' | b'\'') => {
                    let k = data[j + 1..]
                        .iter()
                        .position(|&b| b == q || b == b'\n' || b == b'\r')?;
                    if data[j + 1 + k] != q {
                        return None;
                    }
                    i = j + 1 + k + 1;
                }
                b' ' | b'=' | b'>' | b'<' | b'`' | b'\n' | b'\r' => return None,
                _ => {
                    j += data[j..]
                        .iter()
                        .take_while(|&&b| {
                            !matches!(
                                b,
                                b'\'' | b'"' | b' ' | b'=' | b'>' | b'<' | b'`' | b'\n' | b'\r'
                            )
                        })
                        .count();
                    i = j;
                }
            }
        }
    }
    i += data[i..].iter().take_while(|&&b| ws(b)).count();
    if close == 0 && data.get(i) == Some(&b'/') {
        i += 1;
    }
    (data.get(i) == Some(&b'>')).then_some(i + 1)
}

/// The first byte at or after `j` that is not a space (the attribute's
/// whitespace, vertical tab included); `None` at the line's end.
fn skip_spaces(data: &[u8], mut j: usize) -> Option<usize> {
    while let Some(&b) = data.get(j) {
        if b == b'\n' || b == b'\r' {
            return None;
        }
        if !(b.is_ascii_whitespace() || b == 0x0b) {
            break;
        }
        j += 1;
    }
    Some(j)
}
