//! One page, read once into the model every rule reads: its text and line
//! index, annotations, examples, request templates, property and permission
//! tables, the status its prose promises, TODO markers and suppressions.

mod blocks;
mod markdown;
mod regions;
mod rendered;
pub(crate) mod resource;
mod sections;
pub(crate) mod tables;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, LazyLock, OnceLock};

use crate::example::{Example, Layout};
use crate::excerpt::Excerpt;
use crate::json;
use crate::line_index::{KeptLines, LineIndex};

pub(crate) use sections::{Section, SectionKind};

/// How much of a page to read: `extract` needs the examples only; `check`
/// and `run` also read the tables, the Response prose and the TODOs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Depth {
    /// The examples only (`extract`): no tables, sections or suppressions.
    Examples,
    /// Everything the rules read (`check`, `run`).
    #[default]
    Full,
    /// The type documentation only, of the pages that can hold any (a
    /// sliced run reads every page of the source locale for its types).
    Types,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    Markdown,
    Rendered,
}

/// One page, read once: its text and the model the rules read.
#[derive(Debug, Clone)]
pub struct Page {
    /// The path as given on the command line joined with the path below it.
    pub path: Arc<str>,
    /// The page's text (decoded; a BOM removed).
    pub text: String,
    pub(crate) format: Format,
    /// Lower-case locale tag, from the path or the front matter.
    pub locale: Option<String>,
    /// The path below the locale root, which pairs a page with its translations.
    pub locale_key: Option<String>,
    /// Built on first use: most pages never need a position.
    lines: OnceLock<LineIndex>,
    /// Why the page could not be read as it is (binary, not UTF-8), and where.
    pub(crate) unreadable: Option<(Range<usize>, Unreadable)>,
    pub(crate) annotations: Vec<Annotation>,
    pub(crate) examples: Vec<Example>,
    pub(crate) templates: Vec<Template>,
    pub(crate) properties: Vec<Property>,
    pub(crate) permissions: Vec<Permission>,
    /// The page's sections in page order (`check` only), for comparing a
    /// translation's structure with its source's.
    pub(crate) sections: Vec<Section>,
    pub(crate) status_prose: Option<StatusProse>,
    pub(crate) todos: Vec<Range<usize>>,
    pub(crate) suppressions: Vec<Suppression>,
    /// What a resource or enum page documents about its types (`None` on other pages).
    pub(crate) types: Option<Box<resource::TypeDoc>>,
    /// The resource pages the Request body prose links to (file stem, link span).
    pub(crate) request_body_links: Vec<(String, Range<usize>)>,
    /// The front matter's `ms.date` (`check` only), which the locale rules
    /// compare after the text is dropped.
    pub(crate) ms_date: Option<Box<str>>,
    /// Set once the text is dropped ([`Page::forget_text`]): what was kept
    /// of it for the report.
    forgotten: Option<Box<Forgotten>>,
}

/// What the report reads of a page whose text was dropped: the lines its
/// page rules' findings point at, the lines of the later findings (taken
/// from the page's code where they lie in it, else read again from disk:
/// [`Page::keep_more`]), and the whole text read again for a place
/// neither holds.
#[derive(Debug, Clone)]
struct Forgotten {
    kept: KeptLines,
    /// Where each of [`Page::code_excerpts`] stands among the text's
    /// lines, found while the text was there: `None` for one that is not a
    /// run of whole lines of the text as they stand (a block in a list or
    /// a quote, whose prefixes it lost).
    code_lines: Box<[Option<CodeLines>]>,
    /// The lines the report named beyond `kept`.
    more: OnceLock<KeptLines>,
    /// `None` inside when the file could not be read again as it was.
    again: OnceLock<Option<String>>,
}

/// Where an excerpt of code stands among its page's lines, for the report
/// once the text is dropped ([`Page::lines_in_code`]).
#[derive(Debug, Clone)]
struct CodeLines {
    /// The 0-based line the excerpt starts on.
    first: usize,
    /// A `\n` follows the excerpt's last line in the text (its body was
    /// cut at its end, not in a line).
    ends_line: bool,
    /// Where the excerpt stood in the text and how long it was, which the
    /// report checks again before it trusts `first`: an excerpt changed
    /// since (none is, today) falls back to reading the page again rather
    /// than giving wrong lines.
    span: Range<usize>,
}

/// Where each of `excerpts` of `text` starts, when it is a run of whole
/// lines of the text as they stand, and whether a `\n` follows it.
fn whole_lines<'e>(
    text: &str,
    excerpts: impl Iterator<Item = &'e Excerpt>,
) -> Vec<Option<(Range<usize>, bool)>> {
    let bytes = text.as_bytes();
    excerpts
        .map(|e| {
            let start = e.contiguous_start()?;
            let end = start + e.text.len();
            let at_line_start = start == 0 || bytes.get(start - 1) == Some(&b'\n');
            (at_line_start && bytes.get(start..end) == Some(e.text.as_bytes()))
                .then(|| (start..end, bytes.get(end) == Some(&b'\n')))
        })
        .collect()
}

/// An HTML comment holding a JSON object: `<!-- { "blockType": "request" } -->`.
/// What its JSON text says ([`AnnotationJson`], read through `Deref`:
/// `a.json`, `a.block_type`, `a.names`) is shared by every comment of the
/// same text the thread read (`markdown::annotation`); where it stands is
/// the page's own.
#[derive(Debug, Clone)]
pub(crate) struct Annotation {
    /// The whole comment.
    pub span: Range<usize>,
    /// Page offset where the JSON text starts; `json` spans are relative to it.
    pub json_start: usize,
    /// The `blockType` value's span in the page.
    pub block_type_span: Option<Range<usize>>,
    /// Is a fenced code block right after it?
    pub attached: bool,
    /// What its JSON text says, shared with the thread's other comments of
    /// the same text.
    pub read: Arc<AnnotationJson>,
}

/// What an annotation's JSON text alone decides: its tree and faults and
/// what the page reads from it. Every span in it is relative to the text.
#[derive(Debug, PartialEq)]
pub(crate) struct AnnotationJson {
    pub json: json::Parsed,
    pub block_type: Option<String>,
    /// The `blockType` value's span in the JSON text.
    pub block_type_at: Option<Range<usize>>,
    pub names: Vec<String>,
    pub truncated: bool,
}

impl std::ops::Deref for Annotation {
    type Target = AnnotationJson;

    fn deref(&self) -> &AnnotationJson {
        &self.read
    }
}

impl Annotation {
    pub(crate) fn is_example_half(&self) -> bool {
        matches!(self.block_type.as_deref(), Some("request" | "response"))
    }
}

/// A documented request template: `POST /external/connections/{connectionsId}/groups`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    pub method: String,
    pub path: String,
    pub span: Range<usize>,
}

/// A row of the request-body property table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Property {
    pub name: String,
    pub type_name: String,
    /// The description cell, read on demand by [`Page::is_required`] and
    /// [`Page::possible_values`] (few rows are ever asked about).
    pub description: Range<usize>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PermissionKind {
    DelegatedWork,
    DelegatedPersonal,
    Application,
}

/// One permissions cell of a permissions table: in the usual two-column
/// table one per row; in a table with one column per kind of access
/// (`| Supported resource | Delegated (work or school account) | … |`) one
/// per row and column. Translations keep the tables' shape, so a cell is
/// identified by its position, not by what its label says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Permission {
    /// Which table of the Permissions section, from 0.
    pub table: usize,
    /// Which body row of its table, from 0.
    pub row: usize,
    /// Which cell of its row (the label is cell 0).
    pub column: usize,
    /// What the row label (or the column header) says, read in every
    /// language the word tables know; `None` when none of them knows it.
    pub kind: Option<PermissionKind>,
    /// The label as a reader sees it, markup dropped: the row label, or
    /// "column header (`row label`)" in a table with one column per kind.
    pub label: String,
    /// The whole row.
    pub span: Range<usize>,
    /// The permissions cell.
    pub value_span: Range<usize>,
    /// The permissions cell's text, trimmed.
    pub value: String,
}

/// The status the Response section's prose promises ("returns a `201 Created` response code").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatusProse {
    /// The first status named, the one a success states.
    pub status: u16,
    pub span: Range<usize>,
    /// Every status the section names ("201 Created, or 202 Accepted when …").
    pub all: Vec<u16>,
}

/// `<!-- exemplar-disable RULE[, RULE] -->`, right before an example's annotation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suppression {
    pub span: Range<usize>,
    /// Each rule named, with its span.
    pub rules: Vec<(String, Range<usize>)>,
    /// The annotation it stands before, if any.
    pub annotation: Option<usize>,
}

impl Page {
    /// Reads a page from its bytes. Never fails: what cannot be read is
    /// recorded in [`Page::unreadable`] and the rest of the page still counts.
    pub fn from_bytes(
        path: Arc<str>,
        bytes: Vec<u8>,
        locale: Option<String>,
        locale_key: Option<String>,
        depth: Depth,
    ) -> Page {
        Page::from_bytes_in(path, bytes, locale, locale_key, depth, None)
    }

    /// [`Page::from_bytes`] of a docs set whose source locale is `source`,
    /// when known: a page of another locale keeps of its type documentation
    /// only what the drift check reads ([`resource::TypeDoc::for_model`]).
    pub fn from_bytes_in(
        path: Arc<str>,
        bytes: Vec<u8>,
        locale: Option<String>,
        locale_key: Option<String>,
        depth: Depth,
        source: Option<&str>,
    ) -> Page {
        let (text, unreadable) = decode(bytes);
        let mut page = Page::empty(path, text, locale, locale_key);
        page.unreadable = unreadable;
        if page
            .unreadable
            .as_ref()
            .is_some_and(|(_, why)| matches!(why, Unreadable::Binary { .. }))
        {
            return page;
        }
        page.analyse(depth, source);
        page
    }

    /// A page from text already decoded.
    pub fn from_text(path: Arc<str>, text: String, locale: Option<String>) -> Page {
        let mut page = Page::empty(path, text, locale, None);
        page.analyse(Depth::Full, None);
        page
    }

    /// The page read again from its text ([`Page::read_again`]) as far as
    /// its type documentation, all of it captured: for the type model of a
    /// docs set whose source locale has no page, which stands a translated
    /// locale's pages in, read without the model's parts
    /// ([`resource::TypeDoc::for_model`]). `None` when the text cannot be read again.
    pub(crate) fn read_types_again(&self) -> Option<Page> {
        let text = self.read_again()?.to_owned();
        let mut page = Page::empty(
            Arc::clone(&self.path),
            text,
            self.locale.clone(),
            self.locale_key.clone(),
        );
        page.analyse(Depth::Types, None);
        Some(page)
    }

    fn empty(
        path: Arc<str>,
        text: String,
        locale: Option<String>,
        locale_key: Option<String>,
    ) -> Page {
        Page {
            path,
            lines: OnceLock::new(),
            text,
            format: Format::Markdown,
            locale,
            locale_key,
            unreadable: None,
            annotations: Vec::new(),
            examples: Vec::new(),
            templates: Vec::new(),
            properties: Vec::new(),
            permissions: Vec::new(),
            sections: Vec::new(),
            status_prose: None,
            todos: Vec::new(),
            suppressions: Vec::new(),
            types: None,
            request_body_links: Vec::new(),
            ms_date: None,
            forgotten: None,
        }
    }

    fn analyse(&mut self, depth: Depth, source: Option<&str>) {
        if self.locale.is_none() {
            self.locale =
                front_matter_value(&self.text, "ms.contentlocale").map(|v| v.to_ascii_lowercase());
        }
        // The type model reads the source locale's pages (and those of no
        // locale), as `types::Model::build_for` chooses them.
        let for_model = source.is_none_or(|source| {
            self.locale
                .as_deref()
                .is_none_or(|l| l.eq_ignore_ascii_case(source))
        });
        self.format = if rendered::is_rendered(&self.text) {
            Format::Rendered
        } else {
            Format::Markdown
        };
        // Only the examples wanted, and no annotation could announce one:
        // nothing to parse (a third of the corpus, its resource pages).
        if depth == Depth::Examples
            && self.format == Format::Markdown
            && !markdown::may_hold_examples(&self.text)
        {
            return;
        }
        // Only the types wanted: a page that cannot define one is not parsed.
        if depth == Depth::Types
            && (self.format == Format::Rendered || !resource::may_define_types(&self.text))
        {
            return;
        }
        // The word tables of the page's language: looked up once, for the
        // Markdown reader's headings and the tables below.
        let words = crate::lang::words::candidates(self.locale.as_deref()).collect::<Vec<_>>();
        let sections = match self.format {
            Format::Markdown => markdown::read(self, depth, &words, for_model),
            Format::Rendered => rendered::read(self),
        };
        // The page model lives until the report is written; a Vec grown by
        // `push` keeps room for four annotations where most pages have two
        // (6 MB of a whole-corpus `check`'s peak, heaptrack). Moved into an
        // exact allocation: `shrink_to_fit` left the block whole (mimalloc
        // keeps a block shrunk by less than half in place).
        // (The annotations' JSON trees, which the type model reads after
        // every page is read, are built exact by the parser.)
        json::exact(&mut self.annotations);
        if depth != Depth::Full {
            return;
        }
        // What the locale rules read of the examples' text in the page.
        let whole = self.format == Format::Markdown;
        for example in &mut self.examples {
            for half in example
                .request
                .iter_mut()
                .chain(example.response.iter_mut())
            {
                half.layout = Layout::capture(&self.text, &half.message, whole);
            }
        }
        tables::read(self, &sections, &words);
        self.request_body_links = resource::request_body_links(&self.text, &sections);
        self.status_prose = sections::status_prose(&self.text, &sections);
        self.todos = find_todos(&self.text);
        // Kept for the page's life: without push's slack.
        self.sections = sections.list;
        json::exact(&mut self.sections);
    }

    /// Does the property table mark this property required?
    pub(crate) fn is_required(&self, property: &Property) -> bool {
        let words: Vec<_> = crate::lang::words::candidates(self.locale.as_deref()).collect();
        tables::is_required(&self.text[property.description.clone()], &words)
    }

    /// The values the property table lists for this property ("Possible values are: …").
    pub(crate) fn possible_values(&self, property: &Property) -> Vec<String> {
        let words: Vec<_> = crate::lang::words::candidates(self.locale.as_deref()).collect();
        let description = &self.text[property.description.clone()];
        if !tables::may_name_possible_values(description, &words) {
            return Vec::new();
        }
        tables::possible_values(description, &description.to_lowercase(), &words)
    }

    /// Drops the examples' parsed JSON bodies once the page rules have
    /// read them, on the thread that read the page (`run`, whose replay
    /// and mock parse the bodies they need again). `check` keeps them for
    /// its type checks: a tree is shared by a page and its translations
    /// (`http::KNOWN_BODIES`), and kept, the trees of a whole-corpus run
    /// cost no more at the peak than parsing them again did (89-91 MB
    /// against 91-93), for 19 M fewer instructions.
    pub fn forget_json_bodies(&mut self) {
        for example in &mut self.examples {
            for half in [&mut example.request, &mut example.response] {
                if let Some(body) = half.as_mut().and_then(|h| h.message.body.as_mut()) {
                    body.forget_json();
                }
            }
        }
    }

    /// What `check` forgets of a page once its page rules have run, on the
    /// thread that read it: the parts of the model that only the page
    /// rules and `run`'s mock read: the request templates, the
    /// request-body property table, the Response prose's status and the
    /// TODO markers. No stage of `check` after the page rules (locale
    /// rules, type model and checks, suppressions, report, `--fix`, which
    /// reads each page it changes anew) reads them; `run`, whose mock is
    /// built from them, forgets the JSON bodies only
    /// ([`Page::forget_json_bodies`]).
    ///
    /// Freed here, their blocks are taken again by the next page the
    /// thread reads, rather than held until the report while every later
    /// page faults in fresh memory: 4.5 MB of a whole-corpus `check`
    /// (templates 2.5, properties 1.9), ~1,100 fewer page faults.
    pub fn forget_page_rule_inputs(&mut self) {
        self.templates = Vec::new();
        self.properties = Vec::new();
        self.status_prose = None;
        self.todos = Vec::new();
    }

    /// Drops the page's text (`check`, once the page rules have run):
    /// held to the report, the corpus's texts are 46 MB of fresh memory
    /// that every later page faults in. What the later stages read of a
    /// page (the locale rules, the type model, the report's positions) is
    /// captured while the text is there.
    pub fn forget_text(&mut self) {
        self.forget_text_keeping(std::iter::empty());
    }

    /// [`Page::forget_text`], keeping the lines that hold `offsets` (those
    /// of the page rules' findings), which most findings' positions need;
    /// for any other place the report reads the page again
    /// ([`Page::read_again`]).
    pub fn forget_text_keeping(&mut self, offsets: impl IntoIterator<Item = usize>) {
        // The code's first lines numbered in the count that numbers the
        // kept lines (counted apart, they cost 11 M instructions a corpus).
        let whole = whole_lines(&self.text, self.code_excerpts());
        let starts: Vec<usize> = whole.iter().flatten().map(|(span, _)| span.start).collect();
        let (kept, numbers) = KeptLines::keep_numbering(&self.text, offsets, &starts);
        let mut numbers = numbers.into_iter();
        let code_lines = whole
            .into_iter()
            .map(|w| {
                let (span, ends_line) = w?;
                Some(CodeLines {
                    first: numbers.next()?,
                    ends_line,
                    span,
                })
            })
            .collect();
        self.text = String::new();
        self.lines = OnceLock::new();
        self.forgotten = Some(Box::new(Forgotten {
            kept,
            code_lines,
            more: OnceLock::new(),
            again: OnceLock::new(),
        }));
    }

    /// The lines kept of the text, once it is dropped.
    pub fn kept_lines(&self) -> Option<&KeptLines> {
        self.forgotten.as_ref().map(|f| &f.kept)
    }

    /// The lines [`Page::keep_more`] kept.
    pub fn more_lines(&self) -> Option<&KeptLines> {
        self.forgotten.as_ref().and_then(|f| f.more.get())
    }

    /// The lines kept of a dropped text (for the page rules, else by
    /// [`Page::keep_more`]) that hold both ends of `span`.
    pub fn lines_holding(&self, span: &Range<usize>) -> Option<&KeptLines> {
        [self.kept_lines(), self.more_lines()]
            .into_iter()
            .flatten()
            .find(|kept| kept.holds_span(span))
    }

    /// Keeps the lines of a dropped text that hold `offsets` (the report's
    /// places past the kept lines): taken from the page's code when every
    /// offset lies in it ([`Page::lines_in_code`]: 770 of the 1,107 pages
    /// the corpus's report read again), else read again from the page's
    /// file (once), dropping the text again: the pages that cross-page
    /// findings name are a fifth of the corpus, whose whole texts held to
    /// the end of the run were 7 MB of fresh memory. Nothing is kept when
    /// the file cannot be read again as it was (see [`Page::read_again`]).
    pub fn keep_more(&self, offsets: impl IntoIterator<Item = usize>) {
        let Some(f) = &self.forgotten else {
            return;
        };
        f.more.get_or_init(|| {
            let offsets: Vec<usize> = offsets.into_iter().collect();
            if f.again.get().is_none() {
                if let Some(lines) = self.lines_in_code(&f.code_lines, &offsets) {
                    return KeptLines::from_lines(f.kept.text_len(), lines);
                }
            }
            let read = match f.again.get() {
                Some(again) => again.as_deref().map(Cow::Borrowed),
                None => {
                    let text = self.read_file_again();
                    if text.is_none() {
                        // The warning is said once a page.
                        let _ = f.again.set(None);
                    }
                    text.map(Cow::Owned)
                }
            };
            read.map_or_else(KeptLines::default, |text| KeptLines::keep(&text, offsets))
        });
    }

    /// The code the stages after the page rules point into: each example's
    /// body and each resource block's JSON representation, whose texts
    /// the page keeps (the type checks and the drift check read them).
    fn code_excerpts(&self) -> impl Iterator<Item = &Excerpt> {
        let bodies = self
            .examples
            .iter()
            .flat_map(|e| [e.request.as_ref(), e.response.as_ref()])
            .flatten()
            .filter_map(|h| h.message.body.as_ref())
            .map(|b| &b.excerpt);
        let representations = self
            .types
            .iter()
            .flat_map(|t| t.resources.iter())
            .filter_map(|r| r.body.as_ref());
        bodies.chain(representations)
    }

    /// The lines of a dropped text that hold `offsets`, as
    /// [`KeptLines::keep`] would keep them, when every offset lies in code
    /// whose lines the page still has ([`CodeLines`]): the cross-page
    /// findings (the type checks', the drift check's) point into bodies
    /// and representations, and reading the page again cost the report
    /// ~10 µs a page (1,100 pages of the corpus, 5-8 ms of a run).
    fn lines_in_code(
        &self,
        code_lines: &[Option<CodeLines>],
        offsets: &[usize],
    ) -> Option<Vec<(usize, usize, String)>> {
        let code: Vec<(&str, usize, &CodeLines)> = self
            .code_excerpts()
            .zip(code_lines)
            .filter_map(|(e, lines)| Some((e, lines.as_ref()?)))
            .filter(|(e, lines)| {
                e.contiguous_start() == Some(lines.span.start) && e.text.len() == lines.span.len()
            })
            .map(|(e, lines)| (e.text.as_str(), lines.span.start, lines))
            .collect();
        if code.is_empty() {
            return None;
        }
        offsets
            .iter()
            .map(|&offset| {
                // The excerpt, and its line that holds the offset: one that
                // ends in it, or its last, which the page ends with a `\n`.
                let (text, start, lines) = code.iter().find(|(text, start, lines)| {
                    offset >= *start
                        && (offset < start + text.len()
                            || lines.ends_line && offset == start + text.len())
                })?;
                let bytes = text.as_bytes();
                let at = offset - start;
                let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
                let line = match memchr::memchr(b'\n', &bytes[at..]) {
                    Some(i) => text[line_start..=at + i].to_owned(),
                    None if lines.ends_line => format!("{}\n", &text[line_start..]),
                    None => return None,
                };
                let number = lines.first + memchr::memchr_iter(b'\n', &bytes[..line_start]).count();
                Some((number, start + line_start, line))
            })
            .collect()
    }

    /// The whole text: the page's own, or, once dropped, read again from
    /// its file ([`Page::read_again`]).
    pub fn whole_text(&self) -> Option<&str> {
        match &self.forgotten {
            None => Some(&self.text),
            Some(f) => f.again.get().and_then(|t| t.as_deref()),
        }
    }

    /// Reads a dropped text again from the page's file (once), decoded as
    /// it was read: `None` when it cannot be, or when its length is no
    /// longer the text's (the file changed during the run).
    pub fn read_again(&self) -> Option<&str> {
        let Some(f) = &self.forgotten else {
            return Some(&self.text);
        };
        f.again.get_or_init(|| self.read_file_again()).as_deref()
    }

    /// The dropped text read from the page's file, decoded as at first:
    /// `None`, with a warning, when it cannot be or when its length is no
    /// longer the text's (the file changed during the run).
    fn read_file_again(&self) -> Option<String> {
        let len = self.kept_lines().map(KeptLines::text_len);
        let text = std::fs::read(&*self.path).ok().map(|b| decode(b).0);
        let same = text.filter(|t| Some(t.len()) == len);
        if same.is_none() {
            // Said once a page (the callers' locks): its positions are the
            // kept lines' or the page's start, not a guess.
            eprintln!(
                "exemplar: {} changed or went away while it was checked; \
                 some positions on it are given as its first line",
                self.path
            );
        }
        same
    }

    /// The page's line starts.
    pub fn lines(&self) -> &LineIndex {
        // A dropped text's index is of the text read again (empty when it
        // cannot be, and then never read: see [`Page::read_again`]).
        self.lines
            .get_or_init(|| LineIndex::new(self.read_again().unwrap_or_default()))
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.lines().line_of(offset) + 1
    }

    /// The 1-based position of byte `offset` of the page.
    pub fn position(&self, offset: usize) -> crate::line_index::Position {
        if let Some(at) = self
            .lines_holding(&(offset..offset))
            .and_then(|kept| kept.position(offset))
        {
            return at;
        }
        self.lines()
            .position(self.read_again().unwrap_or_default(), offset)
    }
}

/// UTF-8 text, or why not: a NUL byte in the first 8 KiB means binary; an
/// invalid sequence is reported at its offset and replaced.
/// Why a page's bytes are not a text page as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// A NUL byte near the start: binary content, not read at all.
    Binary {
        /// The NUL byte's offset.
        nul_at: usize,
    },
    /// Not valid UTF-8: read with replacement characters from the bad byte on.
    InvalidUtf8 {
        /// The first invalid byte.
        byte: u8,
    },
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::Binary { nul_at } => write!(
                f,
                "binary content (a NUL byte at offset {nul_at}), not a text page"
            ),
            Unreadable::InvalidUtf8 { byte } => write!(
                f,
                "the page is not valid UTF-8 (invalid byte 0x{byte:02X}); the rest was read with replacement characters"
            ),
        }
    }
}

fn decode(mut bytes: Vec<u8>) -> (String, Option<(Range<usize>, Unreadable)>) {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = memchr::memchr(0, head) {
        return (
            String::new(),
            Some((0..0, Unreadable::Binary { nul_at: at })),
        );
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Moved, not copied: the corpus is 27 MB. simdutf8 validates it several
    // times faster than the standard library on the CJK text of translated
    // pages; only on a failure does the standard library look for where.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `bytes` was validated as UTF-8 just above.
        #[allow(unsafe_code)]
        return (unsafe { String::from_utf8_unchecked(bytes) }, None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let why = Unreadable::InvalidUtf8 { byte: bytes[at] };
            (text, Some((at..at + 1, why)))
        }
    }
}

/// Where the text after the YAML front matter starts (0 when there is none):
/// past the first line after the opening `---` that is `---` or `...`
/// followed by white space only.
///
/// The closing line is found by searching for `\n---` (one search over the
/// front matter, where a walk from line to line asked for every line's end
/// and trimmed it: 1,400 instructions a page); a `...` line before it is
/// searched for only up to there. `tests::front_matter_ends_where_its_lines_say`
/// holds it to the line-by-line definition.
pub(crate) fn front_matter_end(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("---") else {
        return 0;
    };
    let Some(first) = memchr::memchr(b'\n', rest.as_bytes()) else {
        return 0;
    };
    if !rest[..first].trim().is_empty() {
        return 0;
    }
    // The opening line's `\n`: a closing line starts right after a `\n`
    // from here on.
    let from = 3 + first;
    let dashes = closing_line(text, from, text.len(), &FRONT_MATTER_DASHES);
    let dots_to = dashes.map_or(text.len(), |(start, _)| start);
    match closing_line(text, from, dots_to, &FRONT_MATTER_DOTS) {
        Some((_, end)) => end,
        None => dashes.map_or(0, |(_, end)| end),
    }
}

/// Searchers for a front matter's closing line, built once.
static FRONT_MATTER_DASHES: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"\n---"));
static FRONT_MATTER_DOTS: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"\n..."));

/// The first line starting in `text[from + 1..to]` right after a `\n` that
/// is `finder`'s three marks followed by white space only: its start and
/// its end (past its `\n`).
fn closing_line(
    text: &str,
    from: usize,
    to: usize,
    finder: &memchr::memmem::Finder<'_>,
) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = finder.find(&bytes[at..to.max(at)]) {
        let start = at + i + 1;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |j| start + j + 1);
        if text[start + 3..end].chars().all(char::is_whitespace) {
            return Some((start, end));
        }
        at = start;
    }
    None
}

/// A flat `key: value` line of the YAML front matter.
pub(crate) fn front_matter_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    // The same block the Markdown reader skips: one definition of its end.
    front_matter_block_value(&text[..front_matter_end(text)], key)
}

/// A flat `key: value` line of `block`, a YAML front matter (its `---` lines included).
/// The first line (after the opening one) whose text before its first `:`
/// is `key` amid white space. Found by searching for `key`, not by
/// splitting every line: `check` asks every page for its `ms.date`, and the
/// line walk cost 5,000 instructions a page (51 M over the corpus).
pub(crate) fn front_matter_block_value<'t>(block: &'t str, key: &str) -> Option<&'t str> {
    let bytes = block.as_bytes();
    let first_line_end = memchr::memchr(b'\n', bytes)?;
    // The keys every page is asked for have their searchers built once
    // (a one-shot search built one a call: ~380 instructions a page).
    let built;
    let finder = match key {
        "ms.date" => &*MS_DATE,
        "ms.contentlocale" => &*MS_CONTENTLOCALE,
        _ => {
            built = memchr::memmem::Finder::new(key);
            &built
        }
    };
    finder.find_iter(bytes).find_map(|at| {
        if at <= first_line_end {
            return None;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let after = &block[at + key.len()..line_end];
        let colon = after.find(':')?;
        let keyed = block[line_start..at].trim().is_empty() && after[..colon].trim().is_empty();
        keyed.then(|| {
            after[colon + 1..]
                .trim()
                .trim_matches('"')
                .trim_matches('\'')
        })
    })
}

/// Searchers for the front matter keys every page is asked for, built once.
static MS_DATE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"ms.date"));
static MS_CONTENTLOCALE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"ms.contentlocale"));

/// Every `TODO` that stands as a word.
///
/// Found by its `O` after the `T`: a capital `O` is rare in any language's
/// prose (65k in the 46 MB corpus), and memchr's search for one byte reads
/// the whole text for a third of what the substring searcher's two-byte
/// filter cost (20 M instructions over the corpus). `TODO` cannot overlap
/// itself, so every one is found, once, in order, as the substring
/// searcher finds them (`tests::todos_are_the_substring_searchers`).
fn find_todos(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'O', bytes)
        .filter_map(|o| {
            let i = o.checked_sub(1)?;
            (bytes[i] == b'T' && bytes.get(o + 1..o + 3) == Some(b"DO")).then_some(i)
        })
        .filter(|&i| todo_stands_as_word(bytes, i))
        .map(|i| i..i + 4)
        .collect()
}

/// Whether the `TODO` at `i` has no word character on either side.
fn todo_stands_as_word(bytes: &[u8], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| bytes[j]);
    let after = bytes.get(i + 4).copied();
    !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Ranges of `text` for the tests that hold a reader of part of a page to
/// its line-by-line definition: from and to the start, the first bytes,
/// the middle and the end, every pair that is in order and on character
/// boundaries.
#[cfg(test)]
pub(crate) fn test_ranges(text: &str) -> Vec<Range<usize>> {
    let len = text.len();
    let bounds = [0, 1, 3, len / 2, len.saturating_sub(2), len];
    let mut out = Vec::new();
    for &from in &bounds {
        for &to in &bounds {
            if from <= to && text.is_char_boundary(from) && text.is_char_boundary(to) {
                out.push(from..to);
            }
        }
    }
    out
}

/// Every text of up to `most` of `pieces` one after another (repeats
/// allowed), the empty text first: what the tests of a byte-level shortcut
/// hold it to its plain definition on.
#[cfg(test)]
pub(crate) fn every_text(pieces: &[&str], most: usize) -> Vec<String> {
    let mut texts = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..most {
        last = last
            .iter()
            .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
            .collect();
        texts.extend(last.iter().cloned());
    }
    texts
}

#[cfg(test)]
mod todo_tests {
    use super::*;

    /// The search by the `O` finds what the substring searcher finds, on
    /// every text of a few pieces (overlaps, the ends, word characters).
    #[test]
    fn todos_are_the_substring_searchers() {
        let by_substring = |text: &str| -> Vec<Range<usize>> {
            let bytes = text.as_bytes();
            memchr::memmem::find_iter(bytes, b"TODO")
                .filter(|&i| todo_stands_as_word(bytes, i))
                .map(|i| i..i + 4)
                .collect()
        };
        let pieces = ["TODO", "T", "O", "D", "TOD", "ODO", " ", "_", "é"];
        for text in every_text(&pieces, 4) {
            assert_eq!(find_todos(&text), by_substring(&text), "{text:?}");
        }
        assert_eq!(find_todos("a TODO: x TODOs (TODO)"), [2..6, 17..21]);
    }
}

#[cfg(test)]
mod front_matter_tests {
    use super::*;

    /// The definition: the lines after the opening one, each trimmed at its end.
    fn by_lines(text: &str) -> usize {
        let Some(rest) = text.strip_prefix("---") else {
            return 0;
        };
        let Some(first) = memchr::memchr(b'\n', rest.as_bytes()) else {
            return 0;
        };
        if !rest[..first].trim().is_empty() {
            return 0;
        }
        let bytes = text.as_bytes();
        let mut at = 3 + first + 1;
        while at < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
            let trimmed = text[at..end].trim_end();
            if trimmed == "---" || trimmed == "..." {
                return end;
            }
            at = end;
        }
        0
    }

    /// The search for a key finds what splitting every line finds.
    #[test]
    fn front_matter_values_are_the_lines_keyed_so() {
        let by_lines = |block: &str, key: &str| -> Option<String> {
            block.lines().skip(1).find_map(|line| {
                let (k, v) = line.split_once(':')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').trim_matches('\'').to_owned())
            })
        };
        let blocks = [
            "---\nms.date: 2024-01-02\n---\n",
            "---\r\ntitle: x ms.date: no\r\n  ms.date :\t'03/04/2024' \r\n---",
            "---\nms.date ms.date: no\nms.dated: no\nxms.date: no\n ms.date: \"yes\"\n",
            "ms.date: the opening line\n---",
            "---\nms.date",
            "---\nms.date\nms.date:\n",
            "---\n\u{3000}ms.date\u{3000}: 全角\n",
            "---\nms.date: a: b\n",
        ];
        for block in blocks {
            assert_eq!(
                front_matter_block_value(block, "ms.date").map(str::to_owned),
                by_lines(block, "ms.date"),
                "{block:?}"
            );
        }
        assert_eq!(
            front_matter_block_value(blocks[1], "ms.date"),
            Some("03/04/2024")
        );
    }

    #[test]
    fn front_matter_ends_where_its_lines_say() {
        let heads = ["---\n", "--- \r\n", "---x\n", "---", "--\n", "", "\n---\n"];
        let lines = [
            "title: a\n",
            "---\n",
            "---",
            "--- \t\n",
            "---\r\n",
            "----\n",
            "---x\n",
            " ---\n",
            "...\n",
            "...",
            ".. .\n",
            "---\u{a0}\n",
            "---\u{3000}x\n",
            "\n",
            "a---\n",
            "-\n",
            "---\n---\n",
            "x\n...\n",
        ];
        let mut n = 0;
        for head in heads {
            for a in lines {
                for b in lines {
                    for c in ["", "body\n", "---\n"] {
                        let text = format!("{head}{a}{b}{c}");
                        assert_eq!(front_matter_end(&text), by_lines(&text), "{text:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 1000);
        // Every page of the corpus.
        let mut dirs =
            vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")];
        let mut pages = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    assert_eq!(front_matter_end(&text), by_lines(&text), "{path:?}");
                    pages += 1;
                }
            }
        }
        assert!(pages > 1000, "{pages} corpus pages");
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    /// An English page at `path` read from `text` as deep as `depth`.
    fn read(path: &str, text: &str, depth: Depth) -> Page {
        Page::from_bytes(
            Arc::from(path),
            text.as_bytes().to_vec(),
            Some("en-us".into()),
            None,
            depth,
        )
    }

    /// `extract` (`Depth::Examples`) reads a resource page's examples as
    /// `check` does, and not its type documentation, which it never shows.
    #[test]
    fn only_the_examples_leave_the_type_documentation_unread() {
        let text = "# widget resource type\n\n## Properties\n\n\
                    | Property | Type | Description |\n|:---|:---|:---|\n\
                    | name | String | Its name. |\n\n## JSON representation\n\n\
                    <!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.widget\" } -->\n\n\
                    ```json\n{\n  \"name\": \"String\"\n}\n```\n\n## Example\n\n\
                    <!-- { \"blockType\": \"request\", \"name\": \"get_widget\" } -->\n\n\
                    ```http\nGET https://graph.microsoft.com/v1.0/widgets/1\n```\n";
        let (full, examples) = (
            read("en-us/widget.md", text, Depth::Full),
            read("en-us/widget.md", text, Depth::Examples),
        );
        assert!(full.types.is_some());
        assert!(examples.types.is_none());
        let names = |p: &Page| {
            p.examples
                .iter()
                .map(|e| e.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&examples), [Some("get_widget".to_owned())]);
        assert_eq!(names(&full), names(&examples));
    }

    /// `extract` leaves the request templates unread (it never shows
    /// them), and an ignored template block still does not become an
    /// example: the examples are `check`'s, to the line.
    #[test]
    fn only_the_examples_leave_the_templates_unread() {
        let text = "# Get widget\n\n## HTTP request\n\n\
                    <!-- { \"blockType\": \"ignored\" } -->\n\n\
                    ```http\nGET /widgets/{id}\nGET /me/widgets/{id}\n```\n\n## Example\n\n\
                    <!-- { \"blockType\": \"request\", \"name\": \"get_widget\" } -->\n\n\
                    ```http\nGET https://graph.microsoft.com/v1.0/widgets/1\n```\n\n\
                    <!-- { \"blockType\": \"response\" } -->\n\n\
                    ```http\nHTTP/1.1 200 OK\n```\n";
        let (full, examples) = (
            read("en-us/get-widget.md", text, Depth::Full),
            read("en-us/get-widget.md", text, Depth::Examples),
        );
        let paths = |p: &Page| {
            p.templates
                .iter()
                .map(|t| t.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(&full), ["/widgets/{id}", "/me/widgets/{id}"]);
        assert!(examples.templates.is_empty());
        let shown = |p: &Page| {
            p.examples
                .iter()
                .map(|e| {
                    (
                        e.name.clone(),
                        e.request.as_ref().map(|h| h.message.line_span.clone()),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shown(&examples),
            [(Some("get_widget".to_owned()), Some(199..245))]
        );
        assert_eq!(shown(&full), shown(&examples));
    }

    /// `check` forgets, after the page rules, exactly what only they and
    /// `run`'s mock read: the templates, the property table, the status
    /// prose and the TODOs; what the later stages read stays as read.
    #[test]
    fn check_forgets_only_what_the_page_rules_alone_read() {
        let text = "# Create widget\n\n## Permissions\n\n\
                    | Permission type | Permissions |\n|:---|:---|\n\
                    | Application | Widget.ReadWrite.All |\n\n\
                    ## HTTP request\n\n<!-- { \"blockType\": \"ignored\" } -->\n\n\
                    ```http\nPOST /widgets\n```\n\n## Request body\n\n\
                    | Property | Type | Description |\n|:---|:---|:---|\n\
                    | name | String | Its name. Required. |\n\n\
                    ## Response\n\nIf successful, this method returns a `201 Created` \
                    response code. TODO: more.\n\n## Example\n\n\
                    <!-- { \"blockType\": \"request\", \"name\": \"create_widget\" } -->\n\n\
                    ```http\nPOST https://graph.microsoft.com/v1.0/widgets\n\
                    Content-Type: application/json\n\n{\n  \"name\": \"a\"\n}\n```\n";
        let mut page = read("en-us/widget-post.md", text, Depth::Full);
        // What the later stages read, as counts, before and after.
        let kept = |p: &Page| {
            let body = p.examples[0]
                .request
                .as_ref()
                .and_then(|h| h.message.body.as_ref());
            (
                p.text.len(),
                p.annotations.len(),
                p.examples.len(),
                p.permissions.len(),
                p.sections.len(),
                body.map(|b| b.excerpt.text.clone()),
            )
        };
        let before = kept(&page);
        assert_eq!(
            (
                page.templates.len(),
                page.properties.len(),
                page.status_prose.as_ref().map(|s| s.status),
                page.todos.len()
            ),
            (1, 1, Some(201), 1)
        );
        assert_eq!(
            (before.3, before.5.as_deref()),
            (1, Some("{\n  \"name\": \"a\"\n}"))
        );
        page.forget_page_rule_inputs();
        assert!(page.templates.is_empty() && page.properties.is_empty());
        assert!(page.status_prose.is_none() && page.todos.is_empty());
        assert_eq!(kept(&page), before);
    }

    /// A page documents types when it has a resource block or an enum
    /// heading, with no resource block needed for the enum: the reader
    /// copies headings out only for such pages, and must not miss one.
    #[test]
    fn an_enum_page_without_a_resource_block_keeps_its_type_documentation() {
        let headings_of = |text: &str| {
            read("en-us/page.md", text, Depth::Full).types.map(|t| {
                let headings = t.headings.iter();
                headings
                    .map(|h| (h.level, h.text.clone()))
                    .collect::<Vec<_>>()
            })
        };
        let values = "| Member | Description |\n|:---|:---|\n| small | Small. |\n";
        let enum_page = format!("# accessType enum type\n\nNamespace: microsoft.graph\n\n{values}");
        assert_eq!(
            headings_of(&enum_page),
            Some(vec![(1, "accessType enum type".to_owned())])
        );
        let values_heading = format!("# widget\n\n## Properties\n\n### kind values\n\n{values}");
        assert_eq!(
            headings_of(&values_heading),
            Some(vec![
                (1, "widget".to_owned()),
                (2, "Properties".to_owned()),
                (3, "kind values".to_owned())
            ])
        );
        let anchored =
            format!("# widget\n\n### <a name=\"kind-values\"></a>Значения kind\n\n{values}");
        assert!(headings_of(&anchored).is_some());
        assert_eq!(
            headings_of(&format!("# widget\n\n## Properties\n\n{values}")),
            None
        );
    }
}

#[cfg(test)]
mod code_lines_tests {
    use super::*;

    /// A request body, a response body (the page's last line, cut in a
    /// line: its `}` ends the text) and a body in a list item.
    const PAGE: &str = "# Create x\n\n\
        <!-- { \"blockType\": \"request\", \"name\": \"create_x\" } -->\n\
        ```http\nPOST https://graph.microsoft.com/v1.0/x\nContent-type: application/json\n\n\
        {\n  \"name\": \"委派\",\n  \"id\": 1\n}\n```\n\n\
        - item\n\n  \
        <!-- { \"blockType\": \"request\", \"name\": \"in_list\" } -->\n  \
        ```http\n  POST https://graph.microsoft.com/v1.0/y\n  Content-type: application/json\n\n  \
        {\n    \"a\": 1\n  }\n  ```\n\n\
        <!-- { \"blockType\": \"response\" } -->\n\
        ```http\nHTTP/1.1 201 Created\nContent-type: application/json\n\n{\n  \"id\": \"1\"\n}";

    fn body(page: &Page, example: usize, response: bool) -> Range<usize> {
        let example = &page.examples[example];
        let half = if response {
            &example.response
        } else {
            &example.request
        };
        let half = half.as_ref().expect("a half");
        let excerpt = &half.message.body.as_ref().expect("a body").excerpt;
        let start = excerpt.contiguous_start().unwrap_or(usize::MAX);
        start..start.saturating_add(excerpt.text.len())
    }

    /// Offsets in a body outside lists and quotes are placed from the
    /// body's own lines, as from the whole text, without reading the page
    /// again (its file does not exist); an offset in a body that lost its
    /// prefixes, or on a line the text ends without a `\n`, is not.
    #[test]
    fn places_in_whole_bodies_need_no_second_read() {
        let whole = Page::from_text(Arc::from("/no/such/page.md"), PAGE.to_owned(), None);
        // The response answers the list item's request.
        assert_eq!(whole.examples.len(), 2, "{:?}", whole.examples);
        let index = LineIndex::new(PAGE);
        let request = body(&whole, 0, false);
        assert_eq!(
            &PAGE[request.clone()],
            "{\n  \"name\": \"委派\",\n  \"id\": 1\n}"
        );
        // Every offset of the request's body and its end (a `\n` follows).
        let offsets: Vec<usize> = (request.start..=request.end)
            .filter(|&o| PAGE.is_char_boundary(o))
            .collect();
        let mut dropped = whole.clone();
        dropped.forget_text();
        dropped.keep_more(offsets.iter().copied());
        let more = dropped.more_lines().expect("lines kept");
        for &o in &offsets {
            let at = index.position(PAGE, o);
            assert_eq!(more.position(o), Some(at), "offset {o}");
            assert_eq!(
                more.line_text(at.line - 1),
                Some(index.line_text(PAGE, at.line - 1)),
                "offset {o}"
            );
        }
        assert_eq!(more.position(request.start + 2).map(|p| p.line), Some(9));
        assert_eq!(dropped.whole_text(), None);

        // In the list item's body: not whole lines of the page.
        let listed = body(&whole, 1, false);
        assert_eq!(
            listed.start,
            usize::MAX,
            "a body in a list is cut in pieces"
        );
        let in_list = PAGE.find("\"a\"").expect("the key");
        let mut dropped = whole.clone();
        dropped.forget_text();
        dropped.keep_more([in_list]);
        assert!(!dropped.more_lines().expect("tried").holds(in_list));

        // The response's last line ends the text without a `\n`.
        let response = body(&whole, 1, true);
        assert_eq!(response.end, PAGE.len());
        let mut dropped = whole.clone();
        dropped.forget_text();
        dropped.keep_more([response.end - 1]);
        assert!(!dropped.more_lines().expect("tried").holds(response.end - 1));
        // Its first line is served.
        let mut dropped = whole;
        dropped.forget_text();
        dropped.keep_more([response.start]);
        let more = dropped.more_lines().expect("lines kept");
        assert_eq!(
            more.position(response.start),
            Some(index.position(PAGE, response.start))
        );
    }
}
