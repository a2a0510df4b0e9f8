//! Markdown pages: every HTML comment, heading and fenced block comes with
//! its byte range (from the block scanner, `blocks.rs`, or from
//! pulldown-cmark's offset iterator where the scanner declines, and always
//! in the differential tests), so an annotation inside a fence (a page
//! documenting the syntax) or an indented block is never taken for an
//! example, and every position maps back to the source.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use memchr::memmem;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::blocks::Scanned;
use super::sections::{classify, SectionKind, Sections};
use super::{resource, Annotation, AnnotationJson, Depth, Page, Suppression, Template};
use crate::example::{self, Half, Layout};
use crate::excerpt::Excerpt;
use crate::memo::Memo;
use crate::{http, json};

/// A heading as the type documentation keeps it, its words and anchor
/// borrowed from the page where they can be: level, words, anchor, span.
type DocWords<'t> = (u8, Cow<'t, str>, Option<Cow<'t, str>>, Range<usize>);

/// The headings the type documentation keeps, in a list of their number.
fn doc_headings(words: Vec<DocWords<'_>>) -> Vec<resource::DocHeading> {
    let mut out = Vec::with_capacity(words.len());
    out.extend(
        words
            .into_iter()
            .map(|(level, text, anchor, span)| resource::DocHeading {
                level,
                text: text.into_owned(),
                anchor: anchor.map(Cow::into_owned),
                span,
            }),
    );
    out
}

#[cfg_attr(test, derive(Debug))]
struct Block {
    excerpt: Excerpt,
    span: Range<usize>,
    annotation: Option<usize>,
}

/// What the Markdown events of a page build up, event by event. The events
/// come from pulldown-cmark over the whole page, or from the block scanner
/// and pulldown-cmark over the stretches it declines (`regions.rs`); both
/// feed this.
pub(super) struct Reader<'t> {
    text: &'t str,
    // The page's word tables, which `Page::analyse` looked up once for
    // this and the tables after it.
    words: &'t [&'static crate::lang::words::Words],
    annotations: Vec<Annotation>,
    suppressions: Vec<Suppression>,
    blocks: Vec<Block>,
    headings: Vec<(u8, SectionKind, Range<usize>)>,
    // Every heading with its words, for the type documentation of resource
    // and enum pages (`resource::read`); not kept when only the examples
    // are wanted (`extract`), which read no type documentation. The words
    // are borrowed from the page where the scanner read them, and copied
    // into `DocHeading`s, in a list of the exact size, once the page is
    // read (`doc_headings`): growing that list heading by heading cost a
    // reallocation and a copy at 4, 8 and 16.
    doc_headings: Vec<DocWords<'t>>,
    type_docs: bool,
    // The bound on the annotations the thread keeps ([`KNOWN_ANNOTATIONS`]).
    kept_annotations: usize,
    // An annotation waits for the next fenced block; prose or a heading in
    // between leaves it unattached.
    pending: Option<usize>,
    pending_suppression: Option<usize>,
    code: Option<Block>,
    heading: Option<(u8, Range<usize>, String, Option<String>)>,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str, words: &'t [&'static crate::lang::words::Words]) -> Self {
        Reader {
            text,
            words,
            annotations: Vec::new(),
            suppressions: Vec::new(),
            // Room for most pages' blocks and headings (7.8 headings a page in
            // the corpus): each lives only while the page is read, and growing
            // from nothing cost a reallocation and a copy at 4, 8 and 16.
            blocks: Vec::with_capacity(8),
            headings: Vec::with_capacity(16),
            doc_headings: Vec::with_capacity(16),
            type_docs: true,
            kept_annotations: KEPT_BYTES,
            pending: None,
            pending_suppression: None,
            code: None,
            heading: None,
        }
    }

    /// Would prose here change nothing? True when no annotation waits for
    /// its block (a paragraph would detach it) and no block or heading is
    /// open: then a declined stretch of plain lines can be left unparsed.
    pub(super) fn idle(&self) -> bool {
        self.pending.is_none() && self.code.is_none() && self.heading.is_none()
    }

    /// Back to the page's start, nothing read (for a page read again
    /// whole after a part of it was read).
    pub(super) fn reset(&mut self) {
        self.annotations.clear();
        self.suppressions.clear();
        self.blocks.clear();
        self.headings.clear();
        self.doc_headings.clear();
        self.pending = None;
        self.pending_suppression = None;
        self.code = None;
        self.heading = None;
    }

    /// What the block scanner found, its range in page offsets: what the
    /// events pulldown-cmark gives for it do to the reader ([`Self::event`]).
    /// By reference: the scanner's events are read in place from its list,
    /// which is then cleared (they were moved out one by one, 96 bytes
    /// each, through a `Drain`).
    pub(super) fn scanned(&mut self, found: &Scanned<'t>, range: Range<usize>) {
        match found {
            Scanned::CodeStart { fenced } => self.code_start(*fenced, range),
            Scanned::Code(t) => self.text(t, range),
            Scanned::CodeEnd => self.code_end(),
            Scanned::Html => self.html(range),
            Scanned::Heading {
                level,
                words,
                anchor,
            } => {
                // A start with no anchor yet, the words, an end (never a
                // code tab's: the scanner gives those as `Prose`).
                debug_assert!(!tab_link(self.text[range.clone()].as_bytes()));
                self.pending = None;
                self.heading = None;
                self.heading_end(
                    *level,
                    range,
                    Cow::Borrowed(*words),
                    anchor.map(Cow::Borrowed),
                );
            }
            Scanned::Prose => self.prose(),
            // Read by the caller from the events' list
            // ([`super::blocks::Events::parsed`]).
            Scanned::Parsed(_) => unreachable!("a parsed event is read with `event`"),
        }
    }

    /// A paragraph, a thematic break or a code tab heading
    /// ([`Scanned::Prose`]): an annotation waiting for its block waits no
    /// more.
    #[inline]
    pub(super) fn prose(&mut self) {
        self.pending = None;
    }

    fn code_start(&mut self, fenced: bool, range: Range<usize>) {
        let annotation = if fenced { self.pending.take() } else { None };
        if let Some(a) = annotation {
            self.annotations[a].attached = true;
        }
        if !fenced {
            self.pending = None;
        }
        self.code = Some(Block {
            // The block's content is shorter than its whole range.
            excerpt: Excerpt::with_capacity(range.len()),
            span: range,
            annotation,
        });
    }

    /// Text: a code block's content, or a heading's words.
    fn text(&mut self, t: &str, range: Range<usize>) {
        if let Some(block) = self.code.as_mut() {
            block.excerpt.push(t, range.start);
        } else if let Some((_, _, words, _)) = self.heading.as_mut() {
            words.push_str(t);
        }
    }

    fn code_end(&mut self) {
        if let Some(block) = self.code.take() {
            self.blocks.push(block);
        }
    }

    // An HTML block is read whole, from its start event (whose range
    // is the whole block): a comment that runs over several lines is
    // one comment, and the `<!--` of each line inside it is text of
    // that comment, not a comment of its own (CommonMark §4.6, HTML
    // block type 2 ends at the line holding `-->`). Read line by
    // line, every `<!--` of a long unclosed comment was taken again
    // with everything up to the far `-->`: quadratic (issue 13).
    fn html(&mut self, range: Range<usize>) {
        for comment in comments(self.text, range) {
            self.comment(&comment);
        }
    }

    /// A heading's end: kept with its section kind (a code tab's heading
    /// never comes here).
    fn heading_end(
        &mut self,
        level: u8,
        span: Range<usize>,
        words: Cow<'t, str>,
        anchor: Option<Cow<'t, str>>,
    ) {
        let kind = classify(&words, anchor.as_deref(), self.words);
        self.headings.push((level, kind, span.clone()));
        if self.type_docs {
            self.doc_headings.push((level, words, anchor, span));
        }
    }

    /// One event of pulldown-cmark's offset iterator, its range in page offsets.
    pub(super) fn event(&mut self, event: &Event<'_>, range: Range<usize>) {
        let text = self.text;
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_start(matches!(kind, CodeBlockKind::Fenced(_)), range);
            }
            Event::Text(t) if self.code.is_some() => self.text(t, range),
            Event::End(TagEnd::CodeBlock) => self.code_end(),
            Event::InlineHtml(_) if self.heading.is_some() => {
                if let Some((_, _, _, anchor)) = self.heading.as_mut() {
                    if anchor.is_none() {
                        *anchor = anchor_name(&text[range.clone()]).map(str::to_owned);
                    }
                }
            }
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => self.html(range),
            Event::Start(Tag::Heading { level, .. }) => {
                self.pending = None;
                self.heading = Some((*level as u8, range, String::new(), None));
            }
            Event::Text(t) | Event::Code(t) if self.heading.is_some() => {
                if let Some((_, _, words, _)) = self.heading.as_mut() {
                    words.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, span, words, anchor)) = self.heading.take() {
                    // Tab headings (`# [HTTP](#tab/http)`) switch code tabs; they are no section.
                    if !tab_link(text[span.clone()].as_bytes()) {
                        self.heading_end(level, span, Cow::Owned(words), anchor.map(Cow::Owned));
                    }
                }
            }
            Event::Start(Tag::Paragraph | Tag::Table(_)) | Event::Rule => {
                self.pending = None;
            }
            _ => {}
        }
    }

    /// One `<!-- … -->` comment: an annotation, a suppression, or prose.
    fn comment(&mut self, comment: &Comment) {
        let text = self.text;
        let content = &text[comment.inner.clone()];
        let trimmed = content.trim_start();
        let lead = content.len() - trimmed.len();
        if trimmed.starts_with('{') || is_json_array(trimmed) {
            if let Some(previous) = self.pending.take() {
                self.annotations[previous].attached = false;
            }
            let index = self.annotations.len();
            let json_start = comment.inner.start + lead;
            let (a, closed) = annotation(comment, json_start, trimmed, self.kept_annotations);
            self.annotations.push(a);
            if let Some(s) = self.pending_suppression.take() {
                self.suppressions[s].annotation = Some(index);
            }
            // An annotation that is not closed swallowed what
            // followed it (the code block too, as a browser
            // would); the next block is not its own.
            if closed
                && (self.annotations[index].is_example_half()
                    || matches!(
                        self.annotations[index].block_type.as_deref(),
                        Some("ignored" | "resource")
                    ))
            {
                self.pending = Some(index);
            }
        } else if let Some(rest) = trimmed.strip_prefix("exemplar-disable") {
            let start = comment.inner.start + lead + "exemplar-disable".len();
            self.pending_suppression = Some(self.suppressions.len());
            self.suppressions.push(Suppression {
                span: comment.outer.clone(),
                rules: rule_names(rest, start),
                annotation: None,
            });
        }
    }
}

/// Fills the page's annotations, suppressions, templates and examples and
/// returns its sections; `for_model`: see [`resource::read`].
pub(super) fn read(
    page: &mut Page,
    depth: Depth,
    words: &[&'static crate::lang::words::Words],
    for_model: bool,
) -> Sections {
    let text = page.text.as_str();
    let mut reader = Reader::new(text, words);
    reader.type_docs = depth != Depth::Examples;
    // `extract` drops each page once it is shown: what the thread keeps of
    // its annotations would outlive them (+5 MB at the peak of a
    // whole-corpus run with the bound `check` has, whose pages live until
    // the report and hold the same trees).
    if depth == Depth::Examples {
        reader.kept_annotations = KEPT_BYTES_EXAMPLES;
    }
    // The front matter is cut off by hand: pulldown-cmark's metadata-block
    // option also takes any later `---` … `---` stretch for metadata, which
    // hides the examples between two horizontal rules.
    let body_start = super::front_matter_end(text);
    // locale-outdated-translation compares the front matter's `ms.date`
    // after `check` has dropped the text.
    if depth == Depth::Full {
        page.ms_date =
            super::front_matter_block_value(&text[..body_start], "ms.date").map(Into::into);
    }
    if whole_pages() {
        whole(text, body_start..text.len(), &mut reader);
    } else {
        super::regions::read(text, body_start, &mut reader);
    }
    if let Some(block) = reader.code.take() {
        reader.blocks.push(block);
    }
    let Reader {
        annotations,
        suppressions,
        blocks,
        headings,
        doc_headings,
        ..
    } = reader;

    let sections = Sections::from_headings(headings, text.len());
    let mut halves = Vec::new();
    let mut templates = Vec::new();
    let mut resources = Vec::new();
    for block in &blocks {
        let block_type = block
            .annotation
            .and_then(|a| annotations[a].block_type.as_deref());
        match block_type {
            Some("resource") => resources.push(resource::ResourceBlock {
                annotation: block.annotation.unwrap_or_default(),
                body: Some(block.excerpt.clone()),
            }),
            Some(kind @ ("request" | "response")) => {
                let a = block.annotation.unwrap_or_default();
                let message = http::parse_expecting(&block.excerpt, kind == "request")
                    .unwrap_or_else(|| http::empty_message(block.span.start, kind == "request"));
                halves.push(Half {
                    message,
                    annotation: Some(a),
                    names: annotations[a].names.clone(),
                    truncated: annotations[a].truncated,
                    ignored: false,
                    layout: Layout::default(),
                });
            }
            // Request templates: the blocks under "HTTP request", and ignored
            // blocks of request lines only, wherever a how-to page puts them
            // before its examples.
            None | Some("ignored")
                if sections.contains(SectionKind::HttpRequest, block.span.start)
                    || (block_type.is_some()
                        && !sections.contains(SectionKind::Examples, block.span.start)
                        && only_request_lines(&block.excerpt.text)) =>
            {
                // A template block, whether or not its lines are read:
                // `extract` shows examples only, and never reads them. (Not
                // a guard of this arm: the block would fall to the next.)
                let shown = depth != Depth::Examples;
                templates.extend(
                    shown
                        .then(|| template_lines(&block.excerpt))
                        .into_iter()
                        .flatten(),
                );
            }
            // An ignored request among the examples is still an example a
            // reader copies; its response (if any) pairs with it.
            Some("ignored")
                if first_line_is_request(&block.excerpt.text)
                    && !is_template_list(&block.excerpt.text) =>
            {
                let a = block.annotation.unwrap_or_default();
                if let Some(message) = http::parse(&block.excerpt) {
                    halves.push(Half {
                        message,
                        annotation: Some(a),
                        names: annotations[a].names.clone(),
                        truncated: false,
                        ignored: true,
                        layout: Layout::default(),
                    });
                }
            }
            _ => {}
        }
    }
    // A resource annotation with no block after it still names its type.
    for (i, a) in annotations.iter().enumerate() {
        if a.block_type.as_deref() == Some("resource") && !a.attached {
            resources.push(resource::ResourceBlock {
                annotation: i,
                body: None,
            });
        }
    }
    // Only a page with a resource block or an enum heading documents a
    // type: the others' headings are never copied out of the page (two
    // `String`s each, made and freed on two pages of three).
    let documents_types = !resources.is_empty()
        || doc_headings.iter().any(|(level, text, anchor, _)| {
            resource::enum_heading_of(*level, text, anchor.as_deref()).is_some()
        });
    if depth != Depth::Examples && documents_types {
        let code: Vec<Range<usize>> = blocks.iter().map(|b| b.span.clone()).collect();
        page.types = resource::read(
            text,
            body_start,
            resources,
            self::doc_headings(doc_headings),
            &code,
            for_model,
        );
    }
    page.examples = example::pair(&page.path, &page.text, halves);
    page.annotations = annotations;
    page.suppressions = suppressions;
    page.templates = templates;
    sections
}

/// What a reader builds from `events` over `text`, as text: every
/// annotation, suppression, block and heading (the differential tests
/// compare event streams by it).
#[cfg(test)]
pub(super) fn reader_model<'t>(
    text: &'t str,
    events: impl IntoIterator<Item = (Event<'t>, Range<usize>)>,
) -> String {
    let words: Vec<_> = crate::lang::words::candidates(None).collect();
    let mut reader = Reader::new(text, &words);
    for (event, range) in events {
        reader.event(&event, range);
    }
    model(reader)
}

/// [`reader_model`] for what the block scanner found.
#[cfg(test)]
pub(super) fn scanned_model<'t>(text: &'t str, found: super::blocks::Events<'t>) -> String {
    let words: Vec<_> = crate::lang::words::candidates(None).collect();
    let mut reader = Reader::new(text, &words);
    for (scanned, range) in found.iter() {
        match scanned {
            Scanned::Parsed(at) => reader.event(found.parsed(*at), range.clone()),
            _ => reader.scanned(scanned, range.clone()),
        }
    }
    model(reader)
}

#[cfg(test)]
fn model(mut reader: Reader<'_>) -> String {
    if let Some(block) = reader.code.take() {
        reader.blocks.push(block);
    }
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\npending {:?}",
        reader.annotations,
        reader.suppressions,
        reader.blocks,
        reader.headings,
        doc_headings(reader.doc_headings),
        reader.pending
    )
}

/// pulldown-cmark over `range` of the page, every event to the reader.
pub(super) fn whole(text: &str, range: Range<usize>, reader: &mut Reader<'_>) {
    let offset = range.start;
    let parser = Parser::new_ext(&text[range], Options::empty()).into_offset_iter();
    for (event, r) in parser {
        reader.event(&event, r.start + offset..r.end + offset);
    }
}

/// The reference reading (pulldown-cmark over whole pages) instead of the
/// regions: what the differential tests compare the regions against.
#[cfg(test)]
pub(super) fn whole_pages() -> bool {
    WHOLE_PAGES.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn whole_pages() -> bool {
    false
}

#[cfg(test)]
thread_local! {
    pub(super) static WHOLE_PAGES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

struct Comment {
    outer: Range<usize>,
    inner: Range<usize>,
    /// Did a `-->` end it (inside the range it was found in)?
    closed: bool,
    /// Where the first `<!--` inside it starts (page offset): a comment
    /// not closed before the next one opens.
    nested: Option<usize>,
}

/// Searchers for a comment's ends, built once: every HTML event of every
/// page searches for them, and building a searcher costs more than most
/// searches.
pub(super) static COMMENT_OPEN: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"<!--"));
pub(super) static COMMENT_CLOSE: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"-->"));

/// The `<!-- … -->` comments in a range of HTML. A comment runs to the first
/// `-->` within the range (or to the range's end); a `<!--` inside it is
/// part of it. Each byte is searched once. An iterator: most HTML holds no
/// comment, and none is kept, so nothing is allocated.
fn comments(text: &str, range: Range<usize>) -> impl Iterator<Item = Comment> + '_ {
    let bytes = &text.as_bytes()[..range.end];
    let mut at = range.start;
    std::iter::from_fn(move || {
        if at >= range.end {
            return None;
        }
        // Most HTML blocks are one comment (an annotation): it starts the
        // range, and what is left after it is its line's end, too short
        // to hold another. Neither is searched (a search costs ~110
        // instructions before it reads a byte).
        let found = if bytes[at..].starts_with(b"<!--") {
            Some(0)
        } else if range.end - at < 4 {
            None
        } else {
            COMMENT_OPEN.find(&bytes[at..])
        };
        let Some(open) = found else {
            crate::work::add(range.end - at);
            at = range.end;
            return None;
        };
        let start = at + open;
        let inner_start = start + 4;
        let (close, nested) = comment_ends(&bytes[inner_start..]);
        let (inner_end, end, closed) = match close {
            Some(i) => (inner_start + i, inner_start + i + 3, true),
            None => (range.end, range.end, false),
        };
        crate::work::add(end - at);
        at = end.max(inner_start);
        Some(Comment {
            outer: start..end,
            inner: inner_start..inner_end.max(inner_start),
            closed,
            nested: nested.map(|i| inner_start + i),
        })
    })
}

/// Where the first `-->` in `hay` (a comment's text) starts, and the
/// first `<!--` that lies whole before it (or before the end, when none
/// does): one pass over its `<`s and `>`s, which are rare in a comment (an
/// annotation's JSON has none). Not the substring searcher: its set-up
/// (~110 instructions) cost more than the search over a text as short as
/// most comments, twice. Linear all the same: each `<` and `>` is looked
/// at once.
fn comment_ends(hay: &[u8]) -> (Option<usize>, Option<usize>) {
    let mut open = None;
    let mut close = None;
    for i in memchr::memchr2_iter(b'<', b'>', hay) {
        if hay[i] == b'>' {
            if i >= 2 && hay[i - 2..i] == *b"--" {
                close = Some(i - 2);
                break;
            }
        } else if open.is_none() && hay[i..].starts_with(b"<!--") {
            open = Some(i);
        }
    }
    let inside = close.unwrap_or(hay.len());
    (close, open.filter(|&o| o + 4 <= inside))
}

/// An annotation from a comment whose text (from `json_start`) is
/// `json_text`, and whether its comment is properly closed. A comment whose
/// `-->` is missing (it runs on into the next `<!--`, or to the end of the
/// block) is reported as that, once, instead of as the JSON faults of the
/// text it swallowed: only the JSON before the next `<!--` is read.
/// What a thread keeps of such reads is bounded by `kept` bytes
/// ([`KNOWN_ANNOTATIONS`]).
fn annotation(
    comment: &Comment,
    json_start: usize,
    json_text: &str,
    kept: usize,
) -> (Annotation, bool) {
    // The `<!--` lies past the white space the JSON text starts after.
    let nested = comment.nested.map(|at| at - json_start);
    let json_text = match nested {
        Some(at) => &json_text[..at],
        None => json_text,
    }
    .trim_end();
    let closed = comment.closed && nested.is_none();
    // A closed comment of a text within the bound reads as its text alone
    // says: the thread's earlier read of the same text is shared.
    let read = if closed && json_text.len() <= crate::limits::body_bytes() {
        KNOWN_ANNOTATIONS.with_borrow_mut(|known| {
            known.get(json_text, kept, |text| {
                AnnotationJson::read(json::parse(text))
            })
        })
    } else {
        Arc::new(unusual(json_text, nested.is_some(), closed))
    };
    let block_type_span = read
        .block_type_at
        .as_ref()
        .map(|at| json_start + at.start..json_start + at.end);
    let annotation = Annotation {
        span: comment.outer.clone(),
        json_start,
        block_type_span,
        attached: false,
        read,
    };
    (annotation, closed)
}

/// The JSON text of a comment that is not closed (`nested`: cut at the
/// next `<!--`), or too long to read: the faults of what it swallowed give
/// way to one saying so.
fn unusual(json_text: &str, nested: bool, closed: bool) -> AnnotationJson {
    let mut parsed = json::parse(json_text);
    if json_text.len() > crate::limits::body_bytes() {
        parsed.errors.push(json::JsonError {
            span: 0..0,
            message: format!(
                "this annotation is {}, more than the {} exemplar parses; it was not read",
                crate::limits::shown(json_text.len()),
                crate::limits::shown(crate::limits::body_bytes())
            ),
            help: "an annotation is a short JSON object; look for a missing `-->` that made the comment swallow the page",
        });
    }
    if !closed {
        // Where the `-->` belongs: after the JSON value when it is whole,
        // else at the end of the annotation's first line.
        let whole = parsed.root.as_ref().filter(|_| {
            !parsed
                .errors
                .iter()
                .any(|e| e.message.ends_with("is never closed"))
        });
        let at = match whole {
            Some(root) => root.span.end,
            None => json_text.find(['\n', '\r']).unwrap_or(json_text.len()),
        };
        let message = if nested {
            "this annotation is not closed: `-->` is missing before the next `<!--`".to_owned()
        } else {
            "this annotation is never closed: no `-->` follows it".to_owned()
        };
        // The faults of the swallowed text cascade from the missing `-->`.
        parsed.errors.retain(|e| {
            e.span.start < at
                && !e.message.ends_with("is never closed")
                && !e.message.starts_with("unexpected text after the end")
        });
        parsed.errors.insert(
            0,
            json::JsonError {
                span: at..at,
                message,
                help: "end the annotation with `-->` right after its closing `}`",
            },
        );
    }
    AnnotationJson::read(parsed)
}

impl AnnotationJson {
    /// What the page reads from an annotation's tree: its block type, the
    /// names it gives its example, whether it is truncated.
    fn read(json: json::Parsed) -> AnnotationJson {
        let root = json.root.as_ref();
        let block_type_node = root.and_then(|r| r.value.get("blockType"));
        let block_type = block_type_node
            .and_then(|n| n.value.as_str())
            .map(str::to_owned);
        let block_type_at = block_type_node.map(|n| n.span.clone());
        let names = match root.and_then(|r| r.value.get("name")).map(|n| &n.value) {
            Some(json::Value::String(s)) => vec![s.to_string()],
            Some(json::Value::Array(items)) => items
                .iter()
                .filter_map(|n| n.value.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let truncated = matches!(
            root.and_then(|r| r.value.get("truncated"))
                .map(|n| &n.value),
            Some(json::Value::Bool(true))
        );
        AnnotationJson {
            json,
            block_type,
            block_type_at,
            names,
            truncated,
        }
    }
}

thread_local! {
    /// The annotations a thread read, by their JSON text (`crate::memo`):
    /// 24,848 annotation comments of 4,593 texts in the whole corpus, and
    /// each locale's translation of a page repeats its source's. What a
    /// closed comment says is a function of its text alone.
    static KNOWN_ANNOTATIONS: RefCell<Memo<AnnotationJson>> =
        RefCell::new(Memo::new(KEPT_LEN));
}

/// A thread's bound on its kept annotations ([`crate::memo::Memo::get`]).
/// Room for the texts of a whole-corpus run (about 4,500, 860 KB so
/// counted).
const KEPT_BYTES: usize = 1024 * 1024;
/// The bound where each page is dropped once shown (`extract`): the texts
/// that repeat from page to page nearby (a response's, an ignored
/// block's) are kept; the trees the pages dropped are not held on to.
/// (Of 17,000 annotations a whole-corpus `extract` reads: 10,000 read
/// with this bound, 6,500 with [`KEPT_BYTES`].)
const KEPT_BYTES_EXAMPLES: usize = 16 * 1024;
/// Annotations are short: a longer text is not a repeat.
const KEPT_LEN: usize = 4096;

/// Does a heading's source hold a link to a code tab (`](#tab/`)? Found
/// from its `]`s: no substring searcher is built for every heading.
fn tab_link(raw: &[u8]) -> bool {
    memchr::memchr_iter(b']', raw).any(|i| raw[i..].starts_with(b"](#tab/"))
}

/// `<a name="http-request"></a>` → `http-request`. (The tag is short: its
/// `n`s are tried, no substring searcher is built.)
pub(super) fn anchor_name(html: &str) -> Option<&str> {
    let bytes = html.as_bytes();
    let at = memchr::memchr_iter(b'n', bytes).find(|&i| bytes[i..].starts_with(b"name="))?;
    name_at(html, at + 5)
}

/// The name whose `name=` ends at `at` in `html`: leading quotes dropped,
/// cut at a quote, `>` or space (all ASCII: byte by byte, no `char`
/// decoded). None when nothing ends it.
pub(super) fn name_at(html: &str, at: usize) -> Option<&str> {
    let bytes = html.as_bytes();
    let from = at
        + bytes[at..]
            .iter()
            .take_while(|&&b| matches!(b, b'"' | b'\''))
            .count();
    let end = bytes[from..]
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b'>' | b' '))?;
    Some(&html[from..from + end])
}

/// Rule names after `exemplar-disable`, each with its span.
fn rule_names(rest: &str, offset: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    // By character: a separator may be a multi-byte space (U+3000 in a
    // translated page), and a span must not land inside it.
    for (i, c) in rest.char_indices().chain([(rest.len(), ',')]) {
        let separator = c == ',' || c.is_whitespace();
        match (separator, start) {
            (true, Some(s)) => {
                out.push((rest[s..i].to_owned(), offset + s..offset + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// The request lines of a template block (`POST /users/{id}/events`).
pub(super) fn template_lines(excerpt: &Excerpt) -> Vec<Template> {
    let mut out = Vec::new();
    let text = excerpt.text.as_str();
    // Line by line as `split_inclusive('\n')` cuts them, each end found by
    // the held newline searcher (the standard library's search for a
    // `char` cost 146 instructions a line here).
    let newline = crate::line_index::Newline::new();
    let mut at = 0;
    while at < text.len() {
        let line = &text[at..newline.line_end(text.as_bytes(), at)];
        let content = line.trim_end();
        if http::looks_like_request_line(content) {
            let indent = content.len() - content.trim_start().len();
            let (method, path) = content.trim().split_once(' ').unwrap_or(("", ""));
            out.push(Template {
                method: method.to_ascii_uppercase(),
                path: path.trim().to_owned(),
                span: excerpt.span_to_page(&(at + indent..at + content.len())),
            });
        }
        at += line.len();
    }
    out
}

fn first_line_is_request(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(http::looks_like_request_line)
}

/// Every non-blank line is a request line (a list of templates).
fn only_request_lines(text: &str) -> bool {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .all(http::looks_like_request_line)
}

/// Several request lines and nothing else: templates, not an example.
fn is_template_list(text: &str) -> bool {
    only_request_lines(text)
        && text
            .lines()
            .filter(|l| http::looks_like_request_line(l))
            .count()
            > 1
}

/// A comment holding a well-formed JSON array is an annotation that is not
/// an object (a finding); other `[`-comments (`[!INCLUDE …]`) are prose.
fn is_json_array(text: &str) -> bool {
    text.starts_with('[') && serde_json::from_str::<serde_json::Value>(text.trim_end()).is_ok()
}

/// Could an annotation of this page announce an example? True when some
/// `blockType` key is followed (past quotes, a colon and white space) by
/// `request`, `response` or `ignored`: every example half needs one. A
/// cheap test on the raw text, so that `extract` skips pages that cannot
/// hold an example; it errs towards parsing.
pub(super) fn may_hold_examples(text: &str) -> bool {
    // The searcher built once (a one-shot `find_iter` builds one per page).
    static BLOCK_TYPE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"blockType"));
    let bytes = text.as_bytes();
    BLOCK_TYPE.find_iter(bytes).any(|at| {
        let rest = &bytes[at + "blockType".len()..];
        let skip = rest
            .iter()
            .take_while(|b| matches!(b, b'"' | b'\'' | b':' | b' ' | b'\t' | b'\r' | b'\n'))
            .count();
        let value = &rest[skip..];
        [&b"request"[..], b"response", b"ignored"]
            .iter()
            .any(|kind| value.starts_with(kind))
    })
}

#[cfg(test)]
mod tests {
    use super::super::Page;
    use super::*;

    /// The request lines of a template block, cut as `split_inclusive('\n')`
    /// cuts them: CR LF endings, blank lines, no final line end, indentation.
    #[test]
    fn template_lines_are_cut_as_split_inclusive_cuts_them() {
        let by_split = |excerpt: &Excerpt| {
            let mut out = Vec::new();
            let mut at = 0;
            for line in excerpt.text.split_inclusive('\n') {
                let content = line.trim_end();
                if http::looks_like_request_line(content) {
                    let indent = content.len() - content.trim_start().len();
                    out.push(at + indent..at + content.len());
                }
                at += line.len();
            }
            out
        };
        for text in [
            "GET /a\nPOST /b/{id}\n",
            "GET /a\r\n\r\n  POST /b\r\n",
            "\n\nGET /a",
            "",
            "\n",
            "words\n  DELETE /c  \nGET /d\n\n",
        ] {
            let mut excerpt = Excerpt::with_capacity(text.len());
            excerpt.push(text, 10);
            let got: Vec<_> = template_lines(&excerpt)
                .into_iter()
                .map(|t| t.span)
                .collect();
            let want: Vec<_> = by_split(&excerpt)
                .iter()
                .map(|r| excerpt.span_to_page(r))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// [`comment_ends`] finds what the substring searches find: the first
    /// `-->`, and the first `<!--` wholly before it (or before the end).
    #[test]
    fn comment_ends_are_the_first_close_and_the_first_open_before_it() {
        let by_search = |hay: &[u8]| {
            let close = memmem::find(hay, b"-->");
            let inside = &hay[..close.unwrap_or(hay.len())];
            (close, memmem::find(inside, b"<!--"))
        };
        let pieces = ["<", "!", "-", ">", "<!--", "-->", " ", "{", "a", "\n"];
        // Every text of up to five pieces, and some longer ones.
        let mut texts = crate::page::every_text(&pieces, 5);
        texts.extend([
            "<!-->".to_owned(),
            "<!--->".to_owned(),
            " { \"a\": 1 } <!-- b --> c -->".to_owned(),
            "a -- > b --> <!-- c".to_owned(),
            "<<!--!-->".to_owned(),
        ]);
        for text in &texts {
            assert_eq!(
                comment_ends(text.as_bytes()),
                by_search(text.as_bytes()),
                "{text:?}"
            );
        }
    }

    fn page(text: &str) -> Page {
        Page::from_text(Arc::from("en-us/page.md"), text.to_owned(), None)
    }

    const ANNOTATION: &str = r#"{ "blockType": "request", "name": "get_widget" }"#;

    /// Two pages of one thread that write the same annotation share one
    /// read of it; where it stands stays each page's own.
    #[test]
    fn a_repeated_annotation_is_read_once_and_shared() {
        let first = page(&format!(
            "# A

<!-- {ANNOTATION} -->

```http
GET /a
```
"
        ));
        let second = page(&format!(
            "# Another

Words.

<!--  {ANNOTATION}  -->

```http
GET /a
```
"
        ));
        let (a, b) = (&first.annotations[0], &second.annotations[0]);
        assert!(Arc::ptr_eq(&a.read, &b.read));
        assert_eq!(a.names, ["get_widget"]);
        assert!(a.json.errors.is_empty());
        let span_of = |p: &Page, a: &Annotation| {
            let span = a.block_type_span.clone().unwrap();
            (p.text[span.clone()].to_owned(), span.start - a.json_start)
        };
        assert_eq!(span_of(&first, a), ("\"request\"".to_owned(), 15));
        assert_eq!(span_of(&second, b), span_of(&first, a));
        assert_ne!(a.span, b.span);
        assert_eq!(first.examples.len(), 1);
        assert_eq!(second.examples.len(), 1);
    }

    /// A comment whose text alone does not decide its reading is read
    /// anew, never served from what the thread read of the same JSON text
    /// in a closed comment: not closed at all, closed only after another
    /// `<!--`, or longer than the bound on a JSON text.
    #[test]
    fn an_unclosed_nested_or_oversized_annotation_is_not_served_from_the_kept_ones() {
        let closed = page(&format!(
            "<!-- {ANNOTATION} -->
"
        ));
        let known = &closed.annotations[0];
        assert!(known.json.errors.is_empty());
        let unclosed = page(&format!(
            "<!-- {ANNOTATION}
"
        ));
        let nested = page(&format!(
            "<!-- {ANNOTATION}
<!-- {{}} -->
"
        ));
        for (page, message) in [
            (
                &unclosed,
                "this annotation is never closed: no `-->` follows it",
            ),
            (
                &nested,
                "this annotation is not closed: `-->` is missing before the next `<!--`",
            ),
        ] {
            let a = &page.annotations[0];
            assert!(!Arc::ptr_eq(&a.read, &known.read));
            let errors: Vec<_> = a.json.errors.iter().map(|e| e.message.as_str()).collect();
            assert_eq!(errors, [message]);
            // The same tree all the same: the JSON text is the same.
            assert_eq!(a.json.root, known.json.root);
        }
        // The oversized text, twice: read anew each time, never kept.
        let long = format!(
            "{{ \"blockType\": \"request\", \"name\": \"{}\" }}",
            "x".repeat(crate::limits::body_bytes())
        );
        let oversized = || {
            page(&format!(
                "<!-- {long} -->
"
            ))
        };
        let (one, two) = (oversized(), oversized());
        assert!(!Arc::ptr_eq(
            &one.annotations[0].read,
            &two.annotations[0].read
        ));
        let errors = &one.annotations[0].json.errors;
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .message
                .starts_with("this annotation is 4 MB, more than the 4 MB"),
            "{}",
            errors[0].message
        );
        assert!(one.annotations[0].json.root.is_none());
    }

    /// The kept annotations stay within their bound however many distinct
    /// texts a thread reads: past it the thread starts over. A text longer
    /// than [`KEPT_LEN`] is read but not kept.
    #[test]
    fn the_kept_annotations_stay_within_their_bound() {
        for kept in [KEPT_BYTES, KEPT_BYTES_EXAMPLES] {
            crate::memo::assert_stays_within(
                &mut Memo::new(KEPT_LEN),
                kept,
                |i| format!("{{ \"name\": \"n{i}\" }}"),
                |text| AnnotationJson::read(json::parse(text)),
                |i, read| assert_eq!(read.names, [format!("n{i}")]),
            );
        }
    }

    #[test]
    fn rule_names_keep_their_spans_past_wide_spaces() {
        let rest = " json-syntax,\u{3000}enum-value";
        assert_eq!(
            rule_names(rest, 100),
            vec![
                ("json-syntax".to_owned(), 101..112),
                ("enum-value".to_owned(), 116..126)
            ]
        );
        assert_eq!(&rest[16..26], "enum-value");
    }
}
