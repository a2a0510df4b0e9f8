//! What a resource page or an enum page documents about its types, read
//! with the rest of the page: the `blockType: resource` annotations with the
//! JSON representation right after each, and the pipe tables with the
//! heading above each (properties, relationships, enum members). The type
//! model (`types/`) is built from these; it never reads the text again.
//!
//! Only pages that can define a type keep this: a page with a resource
//! annotation, or one with an enum heading (`### calendarRoleType values`,
//! `# runAsAccountType enum type`). API pages keep nothing here.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use super::tables::{is_delimiter, may_start_space, strip_markup, RowScanner};
use crate::bytes::is_space;
use crate::excerpt::Excerpt;

/// The type documentation of one page.
///
/// Everything the type stage reads of the page (the model and the drift
/// check, which run after every page is read) is in here, captured while
/// the page is read: `check` drops each page's text once its page rules
/// have run, so none of it may be read from the text later.
#[derive(Debug, Clone, Default)]
pub struct TypeDoc {
    pub(crate) resources: Vec<ResourceBlock>,
    pub headings: Vec<DocHeading>,
    pub tables: Vec<DocTable>,
    /// The 1-based line where each resource block's JSON representation
    /// starts (0 for a block without one), for the drift check's messages.
    body_lines: Vec<usize>,
    /// [`TypeDoc::bases`].
    bases: Vec<String>,
    /// Were the parts only the model reads captured ([`TypeDoc::for_model`])?
    for_model: bool,
}

/// A `blockType: resource` annotation and the fenced block it announces.
#[derive(Debug, Clone)]
pub(crate) struct ResourceBlock {
    /// Index into the page's annotations.
    pub annotation: usize,
    /// The JSON representation (`None` when no block follows the annotation).
    pub body: Option<Excerpt>,
}

/// A heading, its words (markup dropped) and its anchor
/// (`<a name="properties">`, which translations keep in English).
#[derive(Debug, Clone)]
pub struct DocHeading {
    pub level: u8,
    pub text: String,
    pub anchor: Option<String>,
    pub span: Range<usize>,
}

/// A pipe table: where its data rows are (the header row and the
/// delimiter row dropped: no reader of the type documentation asks what a
/// header says; the table's heading tells what it lists), and what the
/// type stage reads of them ([`DocTable::rows`], [`DocTable::members`]).
#[derive(Debug, Clone)]
pub struct DocTable {
    /// Index into [`TypeDoc::headings`] of the heading the table stands under.
    pub heading: Option<usize>,
    /// What it lists, by that heading ([`DocTable::kind`]).
    kind: TableKind,
    /// The data rows' lines: from the first one's start to where the line
    /// after the last starts (or the stretch ends). Empty for a table of a
    /// header and a delimiter row only. Every line of it is a row: a line
    /// that is none ends the table.
    lines: Range<usize>,
    /// What the type stage reads of the rows, taken while the page was read.
    read: TableRead,
}

/// What the type stage reads of a table: only the tables it reads, and
/// of those only the cells it reads (most tables of a type page are read
/// by nobody: Methods tables, prose tables; a row's description is read
/// only for whether it says read-only). The texts are kept in one string
/// per table, each row naming its parts by range (a `String` per cell was
/// an allocation per cell, on every locale's resource pages).
#[derive(Debug, Clone, Default)]
struct TableRead {
    /// The rows' names and type cells, and the enum members, one after
    /// the other.
    texts: String,
    /// A properties or relationships table's rows (on a page with a
    /// resource block): those with a name and a type cell and no link in
    /// the name, and of those whose name is no identifier only the ones
    /// the drift check names as translated (see [`TypeRow::identifier`]).
    rows: Vec<TypeRow>,
    /// An enum table's members: its rows' first cells as plain text that
    /// are identifiers, as ranges of `texts`.
    members: Vec<Range<u32>>,
}

/// A row of a properties or relationships table, as the type stage reads it.
#[derive(Debug, Clone)]
pub(crate) struct TypeRow {
    /// The whole row (where the model places the property).
    pub span: Range<usize>,
    /// The name cell (where the drift check reports the row).
    pub name_span: Range<usize>,
    /// The row's 1-based line.
    pub line: usize,
    /// The name cell's plain text ([`plain_name`]), then the type cell as
    /// written, in the table's texts.
    name: Range<u32>,
    type_cell: Range<u32>,
    /// Is the name an identifier ([`is_identifier`])? A row whose name is
    /// none is kept only when it has three cells or more, a name of one
    /// word, and stands in a properties table: a property name translated
    /// (`大小` where `size` belongs), which the drift check names. Its
    /// type cell is not kept.
    pub identifier: bool,
    /// Three cells or more (name, type, description): the drift check
    /// reads no other row.
    pub described: bool,
    /// The last cell, of a row of three or more, says the property is
    /// read-only ([`says_read_only`]).
    pub read_only: bool,
}

/// A captured row with its texts, as [`DocTable::rows`] gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowRead<'t> {
    pub row: &'t TypeRow,
    /// The name cell's plain text.
    pub name: &'t str,
    /// The type cell as written (empty when the name is no identifier).
    pub type_cell: &'t str,
}

impl TypeDoc {
    /// The heading a table stands under.
    pub fn heading_of(&self, table: &DocTable) -> Option<&DocHeading> {
        table.heading.and_then(|h| self.headings.get(h))
    }

    /// Resource pages the prose says this type inherits from ("Inherits
    /// from [entity](entity.md)"), as lower-case file stems, first first:
    /// many annotations leave `baseType` out. None on a page without a
    /// resource annotation.
    pub fn bases(&self) -> &[String] {
        &self.bases
    }

    /// Does this hold what the type model reads (the bases, the enum
    /// members, the rows' read-only marks and those rows that the drift
    /// check does not read)? A page read knowing the source locale keeps
    /// them only on that locale's pages: the model is built from those
    /// alone unless the docs set has none, and then it reads a stand-in
    /// locale's pages again ([`Page::read_types_again`](super::Page::read_types_again)).
    pub fn for_model(&self) -> bool {
        self.for_model
    }

    /// The 1-based line where the JSON representation of the `index`-th
    /// resource block starts (0 for a block without one).
    pub(crate) fn body_line(&self, index: usize) -> usize {
        self.body_lines.get(index).copied().unwrap_or(0)
    }

    /// The enum a table lists the members of, by its heading
    /// (`### accessType values`), or on a page of one enum and no resource
    /// block (`# runAsAccountType enum type`, then `## Members`) by the
    /// page's title.
    pub(crate) fn enum_of(&self, table: &DocTable) -> Option<&str> {
        let heading = self.heading_of(table);
        heading.and_then(enum_heading).or_else(|| {
            let under_title = heading.is_some_and(|h| h.level > 1);
            if !under_title || !self.resources.is_empty() {
                return None;
            }
            self.headings
                .iter()
                .find(|h| h.level == 1)
                .and_then(enum_heading)
        })
    }
}

impl DocTable {
    /// What the table lists, by the heading above it: read once, as the
    /// page is read (the capture, the model and the drift check ask it of
    /// every table; a heading in another script is lower-cased to answer).
    pub fn kind(&self) -> TableKind {
        self.kind
    }

    /// Where the table's first data row starts (`None` without one).
    pub fn first_row_start(&self) -> Option<usize> {
        (!self.lines.is_empty()).then_some(self.lines.start)
    }

    /// The rows the type stage reads of a properties or relationships
    /// table ([`TypeRow`]), in table order; none for other tables, and
    /// for every table of a page without a resource block.
    pub(crate) fn rows(&self) -> impl ExactSizeIterator<Item = RowRead<'_>> {
        let texts = self.read.texts.as_str();
        let cut = |r: &Range<u32>| &texts[r.start as usize..r.end as usize];
        self.read.rows.iter().map(move |row| RowRead {
            row,
            name: cut(&row.name),
            type_cell: cut(&row.type_cell),
        })
    }

    /// An enum table's members ([`TypeDoc::enum_of`]): the rows' first
    /// cells as plain text, those that are identifiers.
    pub(crate) fn members(&self) -> impl Iterator<Item = &str> {
        let texts = self.read.texts.as_str();
        self.read
            .members
            .iter()
            .map(move |r| &texts[r.start as usize..r.end as usize])
    }

    /// Every data row's span and cells, cut as the table reader cuts a
    /// row: what the capture reads, and what the tests compare.
    fn cut(&self, text: &str, mut each: impl FnMut(Range<usize>, &[Range<usize>])) {
        let scanner = RowScanner::get();
        let mut cells = Vec::with_capacity(16);
        let mut at = self.lines.start;
        while at < self.lines.end {
            cells.clear();
            let line = scanner.line(text, at, self.lines.end, &mut cells);
            each(line.span, &cells);
            at = line.next;
        }
    }

    /// [`DocTable::cut`] of each row's first `n` cells only
    /// ([`RowScanner::line_head`]), with whether more follow.
    fn cut_head(
        &self,
        text: &str,
        n: usize,
        mut each: impl FnMut(Range<usize>, &[Range<usize>], bool),
    ) {
        let scanner = RowScanner::get();
        let mut cells = Vec::with_capacity(n);
        let mut at = self.lines.start;
        while at < self.lines.end {
            cells.clear();
            let (line, more) = scanner.line_head(text, at, self.lines.end, n, &mut cells);
            each(line.span, &cells, more);
            at = line.next;
        }
    }
}

/// Takes from `text` what the type stage reads of each table of `doc`
/// ([`TableRead`]), and the lines it names: without `doc.for_model`, only
/// what the drift check reads.
fn capture(text: &str, doc: &mut TypeDoc) {
    let for_model = doc.for_model;
    // Lines counted from one table to the next, once over the page.
    let mut counted = (0, 1);
    let mut line_of = |offset: usize| {
        // (The tables stand in page order.)
        let (at, line) = if offset >= counted.0 { counted } else { (0, 1) };
        let line = line + memchr::memchr_iter(b'\n', &text.as_bytes()[at..offset]).count();
        counted = (offset, line);
        line
    };
    let mut reads = Vec::with_capacity(doc.tables.len());
    for table in &doc.tables {
        let mut read = TableRead::default();
        let kind = table.kind;
        let rows = !doc.resources.is_empty()
            && matches!(kind, TableKind::Properties | TableKind::Relationships);
        let at = |texts: &String| texts.len() as u32;
        if rows && !table.lines.is_empty() {
            let first_line = line_of(table.lines.start);
            let mut index = 0;
            let mut row = |span: Range<usize>, cells: &[Range<usize>], more: bool| {
                let line = first_line + index;
                index += 1;
                if cells.len() < 2 || has_link(&text[cells[0].clone()]) {
                    return;
                }
                let described = cells.len() >= 3 || more;
                // The drift check reads only the rows with a description.
                if !described && !for_model {
                    return;
                }
                let (name, identifier) = plain_name(text, &cells[0]);
                let translated = described
                    && kind == TableKind::Properties
                    && !name.is_empty()
                    && !name.contains(' ');
                if !identifier && !translated {
                    return;
                }
                let start = at(&read.texts);
                read.texts.push_str(&name);
                let name = start..at(&read.texts);
                if identifier {
                    read.texts.push_str(&text[cells[1].clone()]);
                }
                let read_only = for_model
                    && identifier
                    && described
                    && cells
                        .last()
                        .is_some_and(|c| says_read_only(&text[c.clone()]));
                read.rows.push(TypeRow {
                    span,
                    name_span: cells[0].clone(),
                    line,
                    type_cell: name.end..at(&read.texts),
                    name,
                    identifier,
                    described,
                    read_only,
                });
            };
            if for_model {
                table.cut(text, |span, cells| row(span, cells, false));
            } else {
                // The drift check reads the name and type cells, and
                // whether a third follows: the rest of a row is not cut.
                table.cut_head(text, 2, row);
            }
        } else if for_model && doc.enum_of(table).is_some() {
            table.cut(text, |_, cells| {
                let Some(first) = cells.first() else { return };
                let member = plain_cow(text, first);
                if is_identifier(&member) {
                    let start = at(&read.texts);
                    read.texts.push_str(&member);
                    read.members.push(start..at(&read.texts));
                }
            });
        }
        // Kept until the type stage: without push's slack.
        read.texts.shrink_to_fit();
        read.rows.shrink_to_fit();
        read.members.shrink_to_fit();
        reads.push(read);
    }
    for (table, read) in doc.tables.iter_mut().zip(reads) {
        table.read = read;
    }
    let mut lines = (0, 1);
    doc.body_lines = doc
        .resources
        .iter()
        .map(|block| {
            let Some(body) = &block.body else { return 0 };
            let offset = body.to_page(0);
            // The blocks stand in page order.
            let (at, line) = if offset >= lines.0 { lines } else { (0, 1) };
            let line = line + memchr::memchr_iter(b'\n', &text.as_bytes()[at..offset]).count();
            lines = (offset, line);
            line
        })
        .collect();
}

/// Words after a type name in an enum heading (`accessType values`), per
/// language; the anchor (`#accesstype-values`) is tried first.
const VALUES_WORDS: &[&str] = &[
    "values",
    "value",
    "members",
    "值",
    "值。",
    "的值",
    "значения",
    "werte",
    "valeurs",
    "valores",
    "値",
    "값",
    "valori",
];

/// Words of an enum page's title (`runAsAccountType enum type`).
const ENUM_WORDS: &[&str] = &["enum", "枚举", "перечисл", "enumeration", "列举"];

/// Is this heading an enum's (`### accessType values`)? Returns the enum's name.
pub(crate) fn enum_heading(heading: &DocHeading) -> Option<&str> {
    enum_heading_of(heading.level, &heading.text, heading.anchor.as_deref())
}

/// [`enum_heading`] of a heading's parts, for a heading not (yet) copied
/// into a [`DocHeading`]: the reader asks it of the headings it borrowed,
/// and copies them only for a page that documents a type.
pub(super) fn enum_heading_of<'h>(
    level: u8,
    text: &'h str,
    anchor: Option<&str>,
) -> Option<&'h str> {
    if let Some(name) = anchor.and_then(|a| a.strip_suffix("-values")) {
        // The anchor is lower case; the name comes from the heading's words,
        // first or last as the language puts it (`значения ageGroup`).
        return text
            .split_whitespace()
            .find(|w| w.eq_ignore_ascii_case(name));
    }
    // Below the title, only a heading of two words, the second a values
    // word, names an enum: an ASCII last word is looked at first (most
    // headings fail there, before their first word is read).
    if level != 1 && !may_end_in_values_word(text) {
        return None;
    }
    // Every heading of every page comes here: no copy unless it may be one,
    // and the first word is read a byte at a time (most headings end their
    // first word at an ASCII byte that no identifier holds, or at a space).
    let text = match text.as_bytes().first() {
        Some(b) if b.is_ascii() && !is_space(*b) => text,
        // A letter of another script first (Chinese, Russian headings): no
        // identifier starts the heading.
        Some(&b) if !b.is_ascii() && !may_start_space(b) => return None,
        _ => text.trim_start(),
    };
    let ident = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(text.len());
    // The first word is an identifier only if it is all identifier bytes:
    // the run ends the text or at whitespace.
    let first = &text[..ident];
    let rest = &text[ident..];
    let (second, third) = match rest.as_bytes().first() {
        // A heading of one word (`Properties`) names no enum.
        None => return None,
        Some(&b) if b.is_ascii() && !is_space(b) => return None,
        Some(_) if rest.is_ascii() => ascii_words(rest),
        Some(_) => {
            if !rest.chars().next().is_some_and(char::is_whitespace) {
                return None;
            }
            let mut words = rest.split_whitespace();
            (words.next(), words.next())
        }
    };
    // An identifier (`is_identifier`) of identifier bytes: no digit first.
    if first.as_bytes().first().is_none_or(u8::is_ascii_digit) {
        return None;
    }
    if let (Some(word), None) = (second, third) {
        if is_values_word(word) {
            return Some(first);
        }
    }
    if level == 1 && second.is_some() {
        // The words after the name: `runAsAccountType enum type`. Of the
        // enum words only `enum` (and `enumeration`, which holds it) can
        // stand in ASCII words.
        let names_enum = if rest.is_ascii() {
            rest.as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"enum"))
        } else {
            let lower = rest.to_lowercase();
            ENUM_WORDS.iter().any(|w| lower.contains(w))
        };
        if names_enum {
            return Some(first);
        }
    }
    None
}

/// Can the last word of `text` (as `split_whitespace` cuts it) be a
/// values word? `false` only when it cannot: its last byte is ASCII and
/// the word is no ASCII values word. (A word with a non-ASCII byte and an
/// ASCII last byte is none either: the non-ASCII values words hold no
/// ASCII byte.) Reads at most the last eight bytes of the word.
fn may_end_in_values_word(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 && is_space(bytes[end - 1]) {
        end -= 1;
    }
    if end == 0 || !bytes[end - 1].is_ascii() {
        return true;
    }
    // Every ASCII values word ends in `s`, `e` or `i` (a test holds the
    // list to it): most headings end otherwise and need no more look.
    // (`| 0x20` lower-cases a letter and no other byte makes these three.)
    if !matches!(bytes[end - 1] | 0x20, b's' | b'e' | b'i') {
        return false;
    }
    let mut start = end;
    while start > 0 && end - start < 8 && bytes[start - 1].is_ascii() && !is_space(bytes[start - 1])
    {
        start -= 1;
    }
    if end - start == 8 {
        // Eight ASCII bytes or more end the word: longer than any ASCII
        // values word, and no non-ASCII one.
        return false;
    }
    if start > 0 && !bytes[start - 1].is_ascii() {
        // Whitespace (`x\u{a0}values`) or a letter: told by characters.
        return true;
    }
    ascii_values_word(&text[start..end])
}

/// Is an ASCII word one of the ASCII [`VALUES_WORDS`], in any case? Only
/// a word as long as one of them is compared.
fn ascii_values_word(word: &str) -> bool {
    (5..=7).contains(&word.len()) && VALUES_WORDS.iter().any(|v| v.eq_ignore_ascii_case(word))
}

/// Is `word` one of [`VALUES_WORDS`], in any case? An ASCII word is
/// matched by the ASCII comparison alone.
fn is_values_word(word: &str) -> bool {
    if word.is_ascii() {
        ascii_values_word(word)
    } else {
        VALUES_WORDS.contains(&word.to_lowercase().as_str())
    }
}

/// The first two words of an ASCII text, as `split_whitespace` gives them,
/// read a byte at a time.
fn ascii_words(rest: &str) -> (Option<&str>, Option<&str>) {
    let bytes = rest.as_bytes();
    let word_at = |from: usize| {
        let start = from + bytes[from..].iter().position(|&b| !is_space(b))?;
        let end = bytes[start..]
            .iter()
            .position(|&b| is_space(b))
            .map_or(bytes.len(), |n| start + n);
        Some(start..end)
    };
    let Some(second) = word_at(0) else {
        return (None, None);
    };
    let third = word_at(second.end).map(|w| &rest[w]);
    (Some(&rest[second]), third)
}

/// Can this page define a type? A look at the raw text, before any parse,
/// for a sliced run that reads every page only for the type model
/// ([`super::Depth::Types`]): true on every page where [`read`] finds a
/// resource annotation or an enum heading, and on some more.
///
/// It errs only towards true: a resource annotation names both `blockType`
/// and `resource`; an enum heading (ATX, or setext with the paragraph above
/// its underline, in any container) holds an anchor ending `-values` or a
/// values or enum word on one of its lines. A heading that spells those
/// words with HTML character references is not seen.
pub(crate) fn may_define_types(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"blockType").is_some()
        && memchr::memmem::find(bytes, b"resource").is_some()
    {
        return true;
    }
    // The words are written in lower case (a test holds them to it).
    let names_enum = |line: &str| {
        let lower = line.to_lowercase();
        lower.contains("-values")
            || VALUES_WORDS
                .iter()
                .chain(ENUM_WORDS)
                .any(|w| lower.contains(w))
    };
    // The lines since the last blank one: a setext heading's paragraph.
    let mut paragraph: Vec<&str> = Vec::new();
    for line in text.lines() {
        // Past block quote markers, list markers and indentation.
        let inner = line.trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, '>' | '*' | '+' | '-' | '.' | ')')
                || c.is_ascii_digit()
        });
        if inner.starts_with('#') && names_enum(line) {
            return true;
        }
        let trimmed = line.trim();
        let underline = !trimmed.is_empty()
            && (trimmed.bytes().all(|b| b == b'=' || b == b'>' || b == b' ')
                || trimmed.bytes().all(|b| b == b'-' || b == b'>' || b == b' '));
        if underline && paragraph.iter().any(|l| names_enum(l)) {
            return true;
        }
        if trimmed.is_empty() || trimmed.bytes().all(|b| b == b'>') {
            paragraph.clear();
        } else {
            paragraph.push(line);
        }
    }
    false
}

/// An OData identifier: a letter or `_`, then letters, digits or `_`.
/// Every byte of one is ASCII, so it is read a byte at a time (names and
/// headings of every table come here; a non-ASCII byte fails as the
/// character it belongs to would).
pub(crate) fn is_identifier(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes
        .first()
        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        && bytes[1..].iter().all(|&b| IDENTIFIER_BYTES[usize::from(b)])
}

/// The bytes after an identifier's first: one lookup a byte, where the
/// range tests took eight instructions (every row's name, every JSON key
/// the type checks read).
const IDENTIFIER_BYTES: [bool; 256] = crate::bytes::byte_table(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
    true,
);

/// Builds the page's type documentation, when it has any: `resources` are
/// the resource annotations with their blocks, `headings` every heading in
/// page order, `code` the spans of every code block (no table inside one),
/// `body_start` where the front matter ends (the reader found it already),
/// `for_model` whether to capture what only the model reads too
/// ([`TypeDoc::for_model`]).
pub(super) fn read(
    text: &str,
    body_start: usize,
    resources: Vec<ResourceBlock>,
    headings: Vec<DocHeading>,
    code: &[Range<usize>],
    for_model: bool,
) -> Option<Box<TypeDoc>> {
    if resources.is_empty() && !headings.iter().any(|h| enum_heading(h).is_some()) {
        return None;
    }
    let mut tables = Vec::new();
    // The stretches between headings, each with the heading above it.
    let mut stretches: Vec<(Option<usize>, Range<usize>)> = Vec::with_capacity(headings.len() + 1);
    let mut at = body_start;
    for (i, h) in headings.iter().enumerate() {
        stretches.push((i.checked_sub(1), at..h.span.start.max(at)));
        at = h.span.end.max(at);
    }
    stretches.push((headings.len().checked_sub(1), at..text.len()));
    // A table inside an HTML comment (a section commented out) documents
    // nothing: the comments are searched for as the rows reach them.
    let mut hidden = Hidden::new(code.to_vec()).with_comments(text.as_bytes(), body_start);
    let mut reader = TableReader::new();
    for (heading, range) in stretches {
        reader.read(text, range, heading, &mut hidden, &mut tables);
    }
    for table in &mut tables {
        table.kind = table_kind(table.heading.and_then(|h| headings.get(h)));
    }
    // Read whole here, while the text is there.
    let bases = if resources.is_empty() || !for_model {
        Vec::new()
    } else {
        inherit_links(text, body_start)
    };
    let mut doc = TypeDoc {
        resources,
        headings,
        tables,
        body_lines: Vec::new(),
        bases,
        for_model,
    };
    capture(text, &mut doc);
    Some(Box::new(doc))
}

/// Words that introduce a base type, per language (compared ignoring ASCII
/// case; the Cyrillic ones are listed in both cases).
const INHERIT_WORDS: &[&str] = &[
    "inherits from",
    "inherited from",
    "derived from",
    "derives from",
    "subclass of",
    "subclass from",
    "继承自",
    "派生自",
    "наследуется от",
    "Наследуется от",
    "наследует",
    "Наследует",
    "производный от",
    "erbt von",
    "hérite de",
    "hereda de",
    "herda de",
    "から継承",
];

/// The resource-page links right after an inherit word ("Inherits from
/// [entity](entity.md)"), first first. Each link (`](`) looks back a few
/// words for an inherit word, rather than every line being searched for
/// every word: this runs while every resource page is read.
fn inherit_links(text: &str, from: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut words = InheritWords::default();
    for at in LINK.find_iter(&bytes[from..]).map(|i| from + i) {
        let Some(open) = memchr::memrchr(b'[', &bytes[at.saturating_sub(200)..at])
            .map(|i| at.saturating_sub(200) + i)
        else {
            continue;
        };
        // The words between the previous line break and the link's `[`.
        let line_start = memchr::memrchr(b'\n', &bytes[open.saturating_sub(60)..open])
            .map_or(open.saturating_sub(60), |i| open.saturating_sub(60) + i + 1);
        if !words.holds(bytes, line_start..open) {
            continue;
        }
        // The target's path, up to its `)`, `#` or `?`; its file name
        // after the last `/`. By bytes: the marks are ASCII, so each cut
        // falls between characters (a `split` of the path's characters
        // decoded each; ~4k links a run).
        let target = &bytes[at + 2..];
        let end = memchr::memchr(b')', target).unwrap_or(target.len());
        let path_end = memchr::memchr2(b'#', b'?', &target[..end]).unwrap_or(end);
        let path = &text[at + 2..at + 2 + path_end];
        if let Some(stem) = path.strip_suffix(".md") {
            let name = memchr::memrchr(b'/', stem.as_bytes()).map_or(stem, |i| &stem[i + 1..]);
            let stem = name.to_ascii_lowercase();
            if !out.contains(&stem) {
                out.push(stem);
            }
        }
    }
    out
}

/// An HTML comment's ends, searched for with searchers built once (a
/// one-shot `memmem::find` builds one on every call).
static COMMENT_OPEN: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"<!--"));
static COMMENT_CLOSE: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"-->"));

/// A link's `](`, searched for with one searcher built once (a one-shot
/// `memmem::find_iter` builds its searcher on every page).
static LINK: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"]("));

/// The length in bytes of the shortest of [`INHERIT_WORDS`].
const SHORTEST_INHERIT_WORD: usize = {
    let mut shortest = usize::MAX;
    let mut i = 0;
    while i < INHERIT_WORDS.len() {
        if INHERIT_WORDS[i].len() < shortest {
            shortest = INHERIT_WORDS[i].len();
        }
        i += 1;
    }
    shortest
};

/// Which inherit words (bit `i` for `INHERIT_WORDS[i]`) start with a byte,
/// in either ASCII case.
const INHERIT_FIRST: [u32; 256] = inherit_bytes(0);

/// Which inherit words have a byte second, in either ASCII case: with
/// [`INHERIT_FIRST`], a pair of bytes rules out nearly every offset (the
/// first byte alone matched every Cyrillic letter, whose first byte the
/// Russian words share, and a fifth of English letters).
const INHERIT_SECOND: [u32; 256] = inherit_bytes(1);

/// Which inherit words have a byte third, in either ASCII case.
const INHERIT_THIRD: [u32; 256] = inherit_bytes(2);

/// The words (bit `i` for `INHERIT_WORDS[i]`) whose byte at `at` is each
/// byte, in either ASCII case (every word has two bytes or more).
const fn inherit_bytes(at: usize) -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < INHERIT_WORDS.len() {
        let b = INHERIT_WORDS[i].as_bytes()[at];
        table[b.to_ascii_lowercase() as usize] |= 1 << i;
        table[b.to_ascii_uppercase() as usize] |= 1 << i;
        i += 1;
    }
    table
}

/// The inherit words of one page, looked for window after window (the
/// words before each link): the windows of a page move forwards (both
/// ends never decrease) and overlap when links share a line, so each
/// offset is looked at once, and the words found are kept until the
/// windows pass their start.
#[derive(Default)]
struct InheritWords {
    /// Every offset before this one that lies in some window was looked at.
    upto: usize,
    /// The words found, as spans, the shortest at each offset.
    found: Vec<Range<usize>>,
}

impl InheritWords {
    /// Does `window` hold an inherit word (ASCII case ignored)? Neither end
    /// of `window` is before that of the window asked about before.
    fn holds(&mut self, bytes: &[u8], window: Range<usize>) -> bool {
        let from = self.upto.max(window.start);
        // A word starting less than the shortest word's length before the
        // window's end cannot end in it: such offsets are left to a later
        // window (one on the same line reaches further) rather than looked
        // at now.
        let last = window.end.saturating_sub(SHORTEST_INHERIT_WORD - 1);
        // Each offset's byte is looked up as a first byte and then, at the
        // next offset, as a second one (the last byte of the text starts
        // no word).
        let stop = last.min(bytes.len().saturating_sub(1));
        let mut at = from;
        while at < stop {
            let Some(i) = pair_start(&bytes[at..=stop]) else {
                break;
            };
            let start = at + i;
            if let Some(len) = inherit_word_at(&bytes[start..]) {
                self.found.push(start..start + len);
            }
            at = start + 1;
        }
        self.upto = self.upto.max(last);
        if self.found.is_empty() {
            return false;
        }
        self.found.retain(|w| w.start >= window.start);
        self.found.iter().any(|w| w.end <= window.end)
    }
}

/// The first offset of `bytes` whose byte and the next can start an
/// inherit word. A loop of its own, one table lookup a byte: with the
/// words found pushed in the same loop, its state lived on the stack
/// (~1M bytes a run, 16 instructions each). Not inlined: inlined into
/// [`read`], the loop reloaded its two tables' addresses at every byte
/// (11 instructions a byte, ~0.8M bytes a run).
#[inline(never)]
fn pair_start(bytes: &[u8]) -> Option<usize> {
    let mut first = INHERIT_FIRST[usize::from(*bytes.first()?)];
    for (i, &b) in bytes[1..].iter().enumerate() {
        if first & INHERIT_SECOND[usize::from(b)] != 0 {
            return Some(i);
        }
        first = INHERIT_FIRST[usize::from(b)];
    }
    None
}

/// The length of the shortest inherit word `rest` starts with, ASCII case
/// ignored (`наследует` starts `наследуется от`).
fn inherit_word_at(rest: &[u8]) -> Option<usize> {
    // The third byte rules out most pairs before a word is compared (one
    // offset in thirteen of prose passes the pair: `in`, `de`, `er`, `he`).
    // Every word is longer than three bytes (`SHORTEST_INHERIT_WORD`).
    let &third = rest.get(2)?;
    let mut words = INHERIT_FIRST[usize::from(rest[0])]
        & INHERIT_SECOND[usize::from(rest[1])]
        & INHERIT_THIRD[usize::from(third)];
    let mut shortest = None;
    while words != 0 {
        let word = INHERIT_WORDS[words.trailing_zeros() as usize].as_bytes();
        words &= words - 1;
        if rest
            .get(..word.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(word))
        {
            shortest = Some(shortest.map_or(word.len(), |s: usize| s.min(word.len())));
        }
    }
    shortest
}

/// Spans that hide what they hold (code blocks, HTML comments), asked about
/// offsets in increasing order: the spans sorted by start, with the
/// furthest end among those started so far, answer in amortised constant
/// time where a scan of every span per line did not.
///
/// The HTML comments are found as the offsets asked reach them, one after
/// the other from where the last one ended, as a search of the whole page
/// finds them: a page's last table usually stands before its last comments
/// (the JSON representation's annotation, the page's own), and a page with
/// no pipe line asks nothing (each search costs ~400 instructions; 14k a
/// run when every page was searched whole).
struct Hidden<'t> {
    spans: Vec<Range<usize>>,
    next: usize,
    furthest_end: usize,
    /// The page searched for comments, and where the next search starts
    /// (`None` once a search found none).
    page: &'t [u8],
    search_from: Option<usize>,
    /// The comment found last, when it starts after the offsets asked so far.
    comment: Option<Range<usize>>,
}

impl<'t> Hidden<'t> {
    /// The spans given, and no comments.
    fn new(mut spans: Vec<Range<usize>>) -> Hidden<'t> {
        spans.sort_unstable_by_key(|s| s.start);
        Hidden {
            spans,
            next: 0,
            furthest_end: 0,
            page: &[],
            search_from: None,
            comment: None,
        }
    }

    /// With the HTML comments of `page` from `from` on: from each `<!--`
    /// to past the next `-->` (or the page's end).
    fn with_comments(self, page: &'t [u8], from: usize) -> Hidden<'t> {
        Hidden {
            page,
            search_from: Some(from),
            ..self
        }
    }

    /// The next comment of the page, `None` when there is none.
    fn next_comment(&mut self) -> Option<Range<usize>> {
        let at = self.search_from?;
        let Some(open) = COMMENT_OPEN.find(&self.page[at..]) else {
            self.search_from = None;
            return None;
        };
        let start = at + open;
        let end = COMMENT_CLOSE
            .find(&self.page[start + 4..])
            .map_or(self.page.len(), |i| start + 4 + i + 3);
        self.search_from = Some(end);
        Some(start..end)
    }

    /// Is `offset` inside a span? `offset` never decreases between calls.
    fn contains(&mut self, offset: usize) -> bool {
        while let Some(span) = self.spans.get(self.next) {
            if span.start > offset {
                break;
            }
            self.furthest_end = self.furthest_end.max(span.end);
            self.next += 1;
        }
        while let Some(comment) = self.comment.take().or_else(|| self.next_comment()) {
            if comment.start > offset {
                self.comment = Some(comment);
                break;
            }
            self.furthest_end = self.furthest_end.max(comment.end);
        }
        // Some span starts at or before `offset`, and it reaches past it.
        offset < self.furthest_end
    }
}

/// Reads the pipe tables of a page's stretches, with the buffer of one
/// stretch kept for the next.
///
/// Only a run's first two rows are cut into cells (the first must start
/// with a pipe, the second must be a delimiter row); of the rows after
/// them only the lines are found, and their cells are cut when a reader
/// asks for them ([`DocTable::rows`]).
struct TableReader {
    scanner: &'static RowScanner,
    /// How many rows the run being read holds so far.
    run: usize,
    /// Is the run's second row a delimiter row (a table)?
    delimited: bool,
    /// The lines of the run's rows after its second.
    lines: Range<usize>,
    /// The cells of the row being read.
    cells: Vec<Range<usize>>,
}

impl TableReader {
    fn new() -> TableReader {
        TableReader {
            scanner: RowScanner::get(),
            run: 0,
            delimited: false,
            lines: 0..0,
            cells: Vec::with_capacity(16),
        }
    }

    /// The pipe tables in `range`: runs of pipe rows whose second row is a
    /// delimiter row (`|:---|---|`), as GFM defines a table. Rows inside a
    /// `hidden` span (code blocks, HTML comments) are none.
    fn read(
        &mut self,
        text: &str,
        range: Range<usize>,
        heading: Option<usize>,
        hidden: &mut Hidden<'_>,
        out: &mut Vec<DocTable>,
    ) {
        // Only lines with a pipe can be rows: jump from pipe to pipe (most
        // of a page is prose and code without one) instead of visiting
        // every line. A line without a pipe ends the run of rows, as every
        // line that is no row does: a row that does not start where the
        // last one ended (the line after it) follows such lines.
        let bytes = text.as_bytes();
        let mut at = range.start;
        let mut after_row = None;
        while let Some(start) = self.scanner.next_pipe_line(bytes, at, range.end) {
            if after_row != Some(start) {
                self.flush(heading, out);
            }
            if hidden.contains(start) {
                at = memchr::memchr(b'\n', &bytes[start..range.end])
                    .map_or(range.end, |i| start + i + 1);
                self.flush(heading, out);
                after_row = None;
                continue;
            }
            if self.run >= 2 {
                // A later row of the run: its line is all it takes now.
                at = self.scanner.line_end(bytes, start, range.end);
                if self.run == 2 {
                    self.lines.start = start;
                }
                self.lines.end = at;
                self.run += 1;
                after_row = Some(at);
                continue;
            }
            at = self.scanner.line_end(bytes, start, range.end);
            // (The pipe is in the line: only the first line of a run must
            // start with it.)
            if self.run == 1 {
                self.delimited = self.is_delimiter_line(text, start, range.end);
            } else if !starts_with_pipe(&text[start..at]) {
                self.flush(heading, out);
                after_row = None;
                continue;
            }
            self.run += 1;
            after_row = Some(at);
        }
        self.flush(heading, out);
    }

    /// Is the line from `start` a delimiter row ([`is_delimiter`] of its
    /// cells)? A line of pipes, dashes, colons and spaces only (nearly
    /// every delimiter row) is read here without its cells: every pipe
    /// splits (none is escaped or in code), and each cell must hold a dash
    /// (trimmed, it holds only dashes, colons and spaces). A line with a
    /// byte that no delimiter cell holds nor trims is none; any other line
    /// (tabs, other whitespace) is cut into cells.
    fn is_delimiter_line(&mut self, text: &str, start: usize, end: usize) -> bool {
        let bytes = text.as_bytes();
        let next = self.scanner.line_end(bytes, start, end);
        let mut stop = if next > start && bytes[next - 1] == b'\n' {
            next - 1
        } else {
            next
        };
        while stop > start && bytes[stop - 1] == b'\r' {
            stop -= 1;
        }
        let line = &bytes[start..stop];
        if let Some(delimiter) = delimiter_line(line) {
            return delimiter;
        }
        if line.iter().any(|&b| {
            b.is_ascii()
                && !matches!(b, b'|' | b'-' | b':')
                && !b.is_ascii_whitespace()
                && b != 0x0B
        }) {
            return false;
        }
        self.cells.clear();
        self.scanner.line(text, start, end, &mut self.cells);
        is_delimiter(text, &self.cells)
    }

    /// Ends the run of rows: a table when its second row is a delimiter row.
    fn flush(&mut self, heading: Option<usize>, out: &mut Vec<DocTable>) {
        if self.run >= 2 && self.delimited {
            let lines = if self.run > 2 {
                self.lines.clone()
            } else {
                0..0
            };
            out.push(DocTable {
                heading,
                kind: TableKind::Other,
                lines,
                read: TableRead::default(),
            });
        }
        self.run = 0;
        self.delimited = false;
    }
}

/// Does the line start with a pipe after whitespace (as `str::trim_start`
/// drops it)? Then the row's first pipe splits and leaves an empty first
/// cell (no backtick or backslash stands before it), which is how the
/// cell reader tells a leading pipe.
fn starts_with_pipe(line: &str) -> bool {
    line.as_bytes().first() == Some(&b'|') || line.trim_start().starts_with('|')
}

/// [`is_delimiter`] of the cells of a row of pipes, dashes, colons and
/// spaces only (`None` for a line with another byte): split at every
/// pipe, an empty first cell (a leading pipe) and an empty last one (a
/// trailing pipe) dropped, and every other cell holding a dash; one cell
/// at least. One pass over the bytes, each cell judged at its end (the
/// line split, counted and searched cell by cell cost ~900 instructions
/// a delimiter row).
fn delimiter_line(line: &[u8]) -> Option<bool> {
    let mut kept = false;
    // Before the first pipe; the cell being read holds a dash, or any
    // byte but spaces.
    let (mut first, mut dash, mut blank) = (true, false, true);
    for &b in line {
        match b {
            b'|' => {
                // Every cell a pipe ends is kept but a blank first one.
                if !(first && blank) {
                    if !dash {
                        // (Whatever follows: no later byte changes how
                        // the pipes before it split, so this cell, kept
                        // and dashless, is the row's cell.)
                        return Some(false);
                    }
                    kept = true;
                }
                (first, dash, blank) = (false, false, true);
            }
            b'-' => (dash, blank) = (true, false),
            b':' => blank = false,
            b' ' => {}
            _ => return None,
        }
    }
    // The last cell: dropped when blank after a pipe.
    if first || !blank {
        if !dash {
            return Some(false);
        }
        kept = true;
    }
    Some(kept)
}

/// The resource pages that the prose of the Request body sections links to
/// ("supply a JSON representation of the [identity](../resources/identity.md)
/// object"), as lower-case file stems with the link's span; links in table
/// rows (an action's parameters) do not count.
pub(super) fn request_body_links(
    text: &str,
    sections: &super::sections::Sections,
) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for section in sections
        .list
        .iter()
        .filter(|s| s.kind == super::SectionKind::RequestBody)
    {
        body_links(text, section.body.clone(), &mut out);
    }
    out
}

/// [`request_body_links`] of one section's body.
fn body_links(text: &str, body: Range<usize>, out: &mut Vec<(String, Range<usize>)>) {
    let bytes = text.as_bytes();
    // From link to link (`](`), not line by line: only a line with a
    // link is looked at. A link's target hides the links it holds.
    let mut skip_to = body.start;
    for at in LINK.find_iter(&bytes[body.clone()]).map(|i| body.start + i) {
        if at < skip_to {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[body.start..at])
            .map_or(body.start, |i| body.start + i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[at..body.end]).map_or(body.end, |i| at + i + 1);
        let trimmed = text[line_start..line_end].trim_start();
        if trimmed.starts_with('|') || trimmed.starts_with("```") {
            skip_to = line_end;
            continue;
        }
        let target_start = at + 2;
        let end = text[target_start..line_end]
            .find(')')
            .map_or(line_end, |e| target_start + e);
        let target = &text[target_start..end];
        let path = target.split(['#', '?']).next().unwrap_or("");
        if path.ends_with(".md") && path.contains("resources/") {
            let name = path.rsplit('/').next().unwrap_or(path);
            let stem = name.trim_end_matches(".md").to_ascii_lowercase();
            let open = text[line_start..at]
                .rfind('[')
                .map_or(at, |o| line_start + o);
            out.push((stem, open..end + 1));
        }
        skip_to = end;
    }
}

/// A name cell's [`plain_cow`] text, and whether that is an identifier
/// ([`is_identifier`]). A cell that is an identifier as written (most
/// names of a properties table) is its own plain text: it holds no markup
/// and no spacing, so it is not searched for markup (every row's name is
/// read, on every locale's resource pages).
pub(crate) fn plain_name<'t>(
    text: &'t str,
    cell: &Range<usize>,
) -> (std::borrow::Cow<'t, str>, bool) {
    let raw = &text[cell.clone()];
    if is_identifier(raw) {
        return (std::borrow::Cow::Borrowed(raw), true);
    }
    let name = plain_cow(text, cell);
    let identifier = is_identifier(&name);
    (name, identifier)
}

/// A cell's text without emphasis, code ticks or link targets.
pub(crate) fn plain(text: &str, cell: &Range<usize>) -> String {
    plain_cow(text, cell).into_owned()
}

/// [`plain`] without a copy when the cell has no markup (most cells).
pub(crate) fn plain_cow<'t>(text: &'t str, cell: &Range<usize>) -> std::borrow::Cow<'t, str> {
    match strip_markup(&text[cell.clone()]) {
        std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.trim()),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.trim().to_owned()),
    }
}

/// Which kind of table a resource page's table is, by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// The properties table (`## Properties`).
    Properties,
    /// The relationships table: navigation properties.
    Relationships,
    /// The methods table, which lists API pages.
    Methods,
    /// An enum's members (`### kind values`).
    Enum,
    /// Any other table.
    Other,
}

const PROPERTIES_WORDS: &[&str] = &[
    "properties",
    "property",
    "属性",
    "свойства",
    "eigenschaften",
    "propriétés",
    "propiedades",
    "propriedades",
    "プロパティ",
    "속성",
    "proprietà",
];
const RELATIONSHIPS_WORDS: &[&str] = &[
    "relationships",
    "relationship",
    "关系",
    "связи",
    "beziehungen",
    "relations",
    "relaciones",
    "relações",
    "リレーションシップ",
    "관계",
    "relazioni",
];
const METHODS_WORDS: &[&str] = &[
    "methods",
    "方法",
    "методы",
    "methoden",
    "méthodes",
    "métodos",
    "メソッド",
    "메서드",
    "metodi",
];

/// The kind of a table by the heading above it (its anchor first:
/// translations keep it), [`DocTable::kind`].
fn table_kind(heading: Option<&DocHeading>) -> TableKind {
    let Some(h) = heading else {
        return TableKind::Other;
    };
    if enum_heading(h).is_some() {
        return TableKind::Enum;
    }
    let anchor = h.anchor.as_deref().unwrap_or("");
    let text = h.text.trim();
    // An ASCII heading (most) is compared ASCII case ignored, without a
    // lower-cased copy: the words are lower case, so that is equality
    // with the copy.
    // Another script's heading is lower-cased once, and only when its
    // anchor did not answer (translations keep `properties`).
    // Lower-cased once, on the stack: no ASCII word of the lists is
    // longer than the buffer, so a longer ASCII heading is none of them
    // (and a comparison with each word cost more than the rest here).
    let ascii = text.is_ascii();
    let mut buf = [0u8; 16];
    let ascii_lower = match buf.get_mut(..text.len()) {
        Some(lower) if ascii => {
            lower.copy_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            Some(&lower[..])
        }
        _ => None,
    };
    let lower = std::cell::OnceCell::new();
    let is_word = |w: &&str| {
        if ascii {
            ascii_lower == Some(w.as_bytes())
        } else {
            lower.get_or_init(|| text.to_lowercase()).as_str() == *w
        }
    };
    let is = |anchor_name: &str, words: &[&str]| anchor == anchor_name || words.iter().any(is_word);
    if is("properties", PROPERTIES_WORDS) {
        TableKind::Properties
    } else if is("relationships", RELATIONSHIPS_WORDS) {
        TableKind::Relationships
    } else if is("methods", METHODS_WORDS) {
        TableKind::Methods
    } else {
        TableKind::Other
    }
}

/// Does the cell hold a Markdown link (`](`)?
pub fn has_link(cell: &str) -> bool {
    // A `]` then its next byte: cheaper than setting up a substring search
    // for every row of every table.
    let bytes = cell.as_bytes();
    memchr::memchr_iter(b']', bytes).any(|at| bytes.get(at + 1) == Some(&b'('))
}

/// Is the description's property read-only ("Read-only.", "Read-only,
/// nullable")? A qualified phrase ("Read-only for users synced from
/// on-premises") is not: the property can be set in other cases.
pub fn says_read_only(description: &str) -> bool {
    // The words are found in the text as written, ASCII case ignored,
    // rather than in a lower-cased copy (a `String` per description that
    // says "read"): no character outside ASCII lower-cases to one of their
    // letters, nor to `.`, `<`, `br` or whitespace, so the matches and the
    // characters around them are the same in both (`says_read_only_by_copy`
    // is the definition, tested against).
    // Every word ends in `y`, a rarer letter than the `r` it starts with:
    // the words are looked for back from each `y` (whether any place
    // qualifies does not depend on the order the places are tried in).
    let bytes = description.as_bytes();
    for last in memchr::memchr2_iter(b'y', b'Y', bytes) {
        for word in ["read-only", "read only", "readonly"] {
            let end = last + 1;
            let Some(at) = end.checked_sub(word.len()) else {
                continue;
            };
            if !bytes[at..end].eq_ignore_ascii_case(word.as_bytes()) {
                continue;
            }
            let before = description[..at].trim_end().as_bytes();
            let after = description[end..].trim_start().as_bytes();
            let ends_with = |tail: &[u8]| {
                before.len() >= tail.len()
                    && before[before.len() - tail.len()..].eq_ignore_ascii_case(tail)
            };
            let starts = before.is_empty()
                || matches!(before.last(), Some(b'.' | b'>' | b'*' | b'|' | b';'))
                || ends_with(b"<br>")
                || ends_with(b"<br/>");
            let ends = after.is_empty() || matches!(after[0], b'.' | b',' | b';' | b'<' | b'*');
            if starts && ends {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::page::tables::push_cells;

    /// A table's rows as spans and cells, for comparisons.
    type RowsRead = Vec<Vec<(Range<usize>, Vec<Range<usize>>)>>;

    /// [`TableReader::read`] as first written, line by line, each row's
    /// cells cut as it is read: the definition the pipe-to-pipe reading,
    /// and the rows the capture cuts from the lines it found, are held to.
    fn read_tables_by_lines(text: &str, range: Range<usize>, hidden: &mut Hidden<'_>) -> RowsRead {
        let mut out = Vec::new();
        let mut run: Vec<(Range<usize>, Vec<Range<usize>>)> = Vec::new();
        let mut at = range.start;
        let flush = |run: &mut Vec<(Range<usize>, Vec<Range<usize>>)>, out: &mut RowsRead| {
            if run.len() >= 2 && is_delimiter(text, &run[1].1) {
                let mut rows = std::mem::take(run);
                rows.drain(..2);
                out.push(rows);
            }
            run.clear();
        };
        for line in text[range.clone()].split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let row = at..at + content.len();
            at += line.len();
            let trimmed = content.trim_start();
            let in_code = hidden.contains(row.start);
            if !in_code && (trimmed.starts_with('|') || (!run.is_empty() && trimmed.contains('|')))
            {
                let mut cells = Vec::new();
                push_cells(text, row.clone(), &mut cells);
                run.push((row, cells));
            } else {
                flush(&mut run, &mut out);
            }
        }
        flush(&mut run, &mut out);
        out
    }

    /// The rows of tables read by [`TableReader`], cut as the capture cuts them.
    fn rows_read(text: &str, tables: &[DocTable]) -> RowsRead {
        tables
            .iter()
            .map(|t| {
                let mut rows = Vec::new();
                t.cut(text, |span, cells| rows.push((span, cells.to_vec())));
                assert_eq!(t.first_row_start(), rows.first().map(|r| r.0.start));
                // The rows cut no further than their first cells are those
                // rows' lines and first cells, and say whether more follow.
                for n in 1..=3 {
                    let mut heads = Vec::new();
                    t.cut_head(text, n, |span, cells, more| {
                        heads.push((span, cells.to_vec(), more));
                    });
                    let want: Vec<_> = rows
                        .iter()
                        .map(|(span, cells)| {
                            let head = cells[..cells.len().min(n)].to_vec();
                            (span.clone(), head, cells.len() > n)
                        })
                        .collect();
                    assert_eq!(heads, want, "{text:?}: {n} cells");
                }
                rows
            })
            .collect()
    }

    /// The identifier bytes' table is the definition's test of each byte.
    #[test]
    fn identifier_bytes_are_letters_digits_and_underscore() {
        for b in 0..=255u8 {
            let want = b.is_ascii_alphanumeric() || b == b'_';
            assert_eq!(IDENTIFIER_BYTES[usize::from(b)], want, "{b:#04x}");
        }
    }

    /// Tables read from pipe to pipe are the tables read line by line:
    /// runs broken by prose, blank lines, hidden spans (code, comments)
    /// that begin or end inside a run, rows that do not start with a pipe,
    /// CRLF and lone CR line ends, a last line without a line break, and
    /// ranges that begin or end inside a line.
    #[test]
    fn tables_read_from_pipe_to_pipe_as_line_by_line() {
        let texts = [
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "x\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\r\n3 | 4\nprose | pipe\n\n| c |\n|:-|\n| 5 |\n",
            "a | b\n|---|---|\n| a | b |\n|---|---|\n1 | 2\n\n| x | y |\n| - | - |\ntext\n| z |\n",
            "  | a |\n  |---|\n\u{3000}| 接 |\n| b |\n|--|\n",
            "| a |\n|---|\n<!-- | c |\n| d | -->\n| e |\n```\n| f |\n```\n| g |\n",
            "| h |\n<!--\n|---|\n-->\n| i |\n|---|\n| j |\n| k |\nno pipe\n| l |",
            // Escaped pipes, code spans holding pipes, a backtick before
            // the first pipe, tabs, empty cells, wide cells, more cells
            // than a row holds inline, lone CRs.
            "| a \\| b | `c|d` |\n|---|:-:|\n| `x | y` | \\| |\n|\t|\t\t|\n| | |\n",
            "`q` | a |\n| b | c |\n|---|---|\n| 名前 | 説明\u{3000}|\n|\u{a0}値\u{a0}|\u{3000}|\r\n",
            // Tables of a header and a delimiter row only, a last row
            // without a line break or with CRs only, rows after the
            // second broken by a comment or a non-pipe line, a third row
            // that starts without a pipe, a delimiter row that is none.
            "| a |\n|---|\n\n| b |\n|---|",
            "| a |\n|---|\n| b |\r\n| c |\r\r",
            "| a |\n|---|\n| b |\n<!-- x -->\n| c |\n|---|\n| d |\nprose\n| e |\n",
            "| a |\n|---|\n b | c\n d |\n| x |\n| y |\n| z |\n",
            "| a | b | c | d | e |\n|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 |\n| 1 |\n|\n",
            "| a | b |\r|---|---|\r| c | d |\n|---|---|\n\t| e\\|f | g |   \n",
            "||\n|-|\n|\n|",
            "",
            "no pipes at all\n\njust prose\n",
        ];
        for text in texts {
            let hidden_spans = [spans_of(text, "<!--", "-->", 0), fences(text)].concat();
            for range in crate::page::test_ranges(text) {
                let mut got = Vec::new();
                let mut hidden = Hidden::new(hidden_spans.clone());
                TableReader::new().read(text, range.clone(), None, &mut hidden, &mut got);
                let mut hidden = Hidden::new(hidden_spans.clone());
                let want = read_tables_by_lines(text, range.clone(), &mut hidden);
                assert_eq!(rows_read(text, &got), want, "{text:?} {range:?}");
                // The comments found as the rows reach them, as `read` does.
                let mut got = Vec::new();
                let mut hidden = Hidden::new(fences(text)).with_comments(text.as_bytes(), 0);
                TableReader::new().read(text, range.clone(), None, &mut hidden, &mut got);
                assert_eq!(rows_read(text, &got), want, "{text:?} {range:?}");
            }
        }
    }

    /// Every span from an `open` mark (searched for from `from`) to past
    /// the next `close` mark after it, or to the end: the eager reading.
    fn spans_of(text: &str, open: &str, close: &str, from: usize) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut at = from;
        while let Some(i) = text[at..].find(open) {
            let start = at + i;
            let end = text[start + open.len()..]
                .find(close)
                .map_or(text.len(), |e| start + open.len() + e + close.len());
            out.push(start..end);
            at = end;
        }
        out
    }

    fn fences(text: &str) -> Vec<Range<usize>> {
        spans_of(text, "```", "```\n", 0)
    }

    /// The comments found as the offsets asked reach them hide what every
    /// comment of the page, found first, hides: at every offset and every
    /// few, with code spans before, around and inside comments, comments
    /// inside code, unclosed comments, `-->` before any `<!--`, `<!-->`,
    /// and searches starting inside a comment or after all of them.
    #[test]
    fn comments_found_as_asked_hide_what_all_comments_hide() {
        let texts = [
            "a <!-- b --> c <!-- d\ne --> f",
            "--> <!-- x <!-- y --> z --> <!--> q <!-- ->",
            "```\n<!-- in code\n```\n| a |\n<!-- out -->\n```\n-->\n```\n",
            "<!---->x<!-- unclosed",
            "<!-- 接 -->\u{3000}| 値 |<!--\n-->",
            "no comment at all",
            "",
        ];
        for text in texts {
            for from in [0, 1, 5, text.len() / 2, text.len()] {
                if !text.is_char_boundary(from) || from > text.len() {
                    continue;
                }
                let code = fences(text);
                let all = [code.clone(), spans_of(text, "<!--", "-->", from)].concat();
                for step in [1, 2, 5, 11] {
                    let mut lazy = Hidden::new(code.clone()).with_comments(text.as_bytes(), from);
                    let mut eager = Hidden::new(all.clone());
                    for offset in (0..=text.len() + 1).step_by(step) {
                        assert_eq!(
                            lazy.contains(offset),
                            eager.contains(offset),
                            "{text:?} from {from} step {step} at {offset}"
                        );
                    }
                }
            }
        }
    }

    /// [`body_links`] as first written, line by line: the definition the
    /// link-to-link reading is held to.
    fn body_links_by_lines(text: &str, body: Range<usize>, out: &mut Vec<(String, Range<usize>)>) {
        let mut at = body.start;
        for line in text[body].split_inclusive('\n') {
            let start = at;
            at += line.len();
            let trimmed = line.trim_start();
            if trimmed.starts_with('|') || trimmed.starts_with("```") {
                continue;
            }
            let mut from = 0;
            while let Some(i) = memchr::memmem::find(&line.as_bytes()[from..], b"](") {
                let target_start = from + i + 2;
                let end = line[target_start..]
                    .find(')')
                    .map_or(line.len(), |e| target_start + e);
                let target = &line[target_start..end];
                let path = target.split(['#', '?']).next().unwrap_or("");
                if path.ends_with(".md") && path.contains("resources/") {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    let stem = name.trim_end_matches(".md").to_ascii_lowercase();
                    let open = line[..from + i].rfind('[').unwrap_or(from + i);
                    out.push((stem, start + open..start + end + 1));
                }
                from = end;
            }
        }
    }

    /// Request body links read from link to link as line by line: links in
    /// table rows and fence lines, several on a line, a link inside another's
    /// target, a target without its `)` (at a line end, at the range's
    /// end), CRLF, indentation, and ranges that begin or end inside a line.
    #[test]
    fn body_links_read_from_link_to_link_as_line_by_line() {
        let texts = [
            "Supply a JSON representation of the [identity](../resources/identity.md) object.\n",
            "Use [a](resources/a.md), [b](../resources/B.md#x) or [c](c.md?y).\n| [d](resources/d.md) | x |\n",
            "  | [t](resources/t.md)\n```\n[f](resources/f.md)\n```\n\u{a0}[g](resources/g.md)\r\n",
            "[x](resources/x](resources/y.md).md) [z](resources/z.md\n[w](resources/w.md)",
            "[[a](resources/a.md)](resources/b.md) ](resources/c.md) [d](resources/d.md",
            "no links here\n\nnone at all",
            "",
        ];
        for text in texts {
            for range in crate::page::test_ranges(text) {
                let (mut got, mut want) = (Vec::new(), Vec::new());
                body_links(text, range.clone(), &mut got);
                body_links_by_lines(text, range.clone(), &mut want);
                assert_eq!(got, want, "{text:?} {range:?}");
            }
        }
        let mut got = Vec::new();
        body_links(texts[1], 0..texts[1].len(), &mut got);
        let stems: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            stems,
            ["a", "b"],
            "not c (no resources/), not d (a table row)"
        );
    }

    fn heading(level: u8, text: &str, anchor: Option<&str>) -> DocHeading {
        DocHeading {
            level,
            text: text.into(),
            anchor: anchor.map(str::to_owned),
            span: 0..0,
        }
    }

    /// The sniff of a sliced run agrees with the parse on every shape an
    /// enum heading or a resource annotation can take, and passes over an
    /// API page whose prose lists values.
    #[test]
    fn the_sniffed_words_are_lower_case() {
        for w in VALUES_WORDS.iter().chain(ENUM_WORDS) {
            assert_eq!(*w, w.to_lowercase());
        }
    }

    #[test]
    fn the_sniff_sees_every_page_that_defines_types() {
        let table = "\n\n| Member | Description |\n|:--|:--|\n| one | The first. |\n";
        let defining = [
            format!("# t\n\n### accessType values{table}"),
            format!("# t\n\n### <a name=\"agegroup-values\"></a>ageGroup 值{table}"),
            format!("# t\n\naccessType values\n----------------{table}"),
            format!("runAsAccountType enum\ntype\n==========\n{table}"),
            format!("# t\n\n> ### accessType значения\n>{table}"),
            format!("# t\n\n- ### accessType Werte{table}"),
            format!("# runAsAccountType enum type\n{table}"),
            "# user\n\n<!-- {\"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.user\"} -->\n```json\n{\"id\": \"String\"}\n```\n".to_owned(),
        ];
        for text in defining {
            let page = crate::page::Page::from_text("p.md".into(), text.clone(), None);
            assert!(page.types.is_some(), "the parse finds no type in {text:?}");
            assert!(may_define_types(&text), "the sniff misses {text:?}");
        }
        let api = "# Get user\n\n## Request\n\nPossible values are: `one`, `two`.\n\n<!-- {\"blockType\": \"request\", \"name\": \"get_user\"} -->\n```http\nGET /users/1\n```\n";
        assert!(
            crate::page::Page::from_text("p.md".into(), api.into(), None)
                .types
                .is_none()
        );
        assert!(!may_define_types(api));
    }

    /// The definition of an inherit word in the words before a link: some
    /// word at some offset, ASCII case ignored.
    fn holds_inherit_word(text: &[u8]) -> bool {
        INHERIT_WORDS.iter().any(|w| {
            let w = w.as_bytes();
            text.len() >= w.len() && text.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w))
        })
    }

    /// [`inherit_links`] as first written, each link's words searched
    /// whole: the definition the forward scan is held to.
    fn inherit_links_by_windows(text: &str, from: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let bytes = text.as_bytes();
        for at in memchr::memmem::find_iter(&bytes[from..], b"](").map(|i| from + i) {
            let Some(open) = memchr::memrchr(b'[', &bytes[at.saturating_sub(200)..at])
                .map(|i| at.saturating_sub(200) + i)
            else {
                continue;
            };
            let line_start = memchr::memrchr(b'\n', &bytes[open.saturating_sub(60)..open])
                .map_or(open.saturating_sub(60), |i| open.saturating_sub(60) + i + 1);
            if !holds_inherit_word(&bytes[line_start..open]) {
                continue;
            }
            let target = &text[at + 2..];
            let end = target.find(')').unwrap_or(target.len());
            let path = target[..end].split(['#', '?']).next().unwrap_or("");
            if let Some(stem) = path.strip_suffix(".md") {
                let stem = stem.rsplit('/').next().unwrap_or(stem).to_ascii_lowercase();
                if !out.contains(&stem) {
                    out.push(stem);
                }
            }
        }
        out
    }

    #[test]
    fn inherit_words_are_found_in_any_ascii_case_and_nowhere_else() {
        assert!(INHERIT_WORDS.len() <= 32, "a bit each in the tables");
        let mut texts = vec![
            "The derived value, from the server.".to_owned(),
            "Наследуется от ".to_owned(),
            "наследует".to_owned(),
            String::new(),
        ];
        for word in INHERIT_WORDS {
            texts.push(word.to_string());
            texts.push(format!("Type. {word} "));
            texts.push(format!("x {}", word.to_ascii_uppercase()));
            // Cases mixed byte by byte (the third byte's too).
            let mixed: String = word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            texts.push(format!("{mixed}!"));
            // Cut short by one byte; its first two bytes before another third.
            texts.push(String::from_utf8_lossy(&word.as_bytes()[..word.len() - 1]).into_owned());
            let b = word.as_bytes();
            texts.push(String::from_utf8_lossy(&[&b[..2], b"x", &b[2..]].concat()).into_owned());
        }
        for text in &texts {
            let bytes = text.as_bytes();
            // Every window of the text, each asked of a fresh scan and, in
            // order, of one scan moving forwards.
            let mut forwards = InheritWords::default();
            for start in 0..=bytes.len() {
                for end in start..=bytes.len() {
                    let want = holds_inherit_word(&bytes[start..end]);
                    let mut fresh = InheritWords::default();
                    assert_eq!(
                        fresh.holds(bytes, start..end),
                        want,
                        "{text:?} {start}..{end}"
                    );
                }
                // Windows of twelve bytes, a byte further each time.
                let end = (start + 12).min(bytes.len());
                assert_eq!(
                    forwards.holds(bytes, start..end),
                    holds_inherit_word(&bytes[start..end]),
                    "{text:?} forwards {start}..{end}"
                );
            }
        }
        assert!(holds_inherit_word("Наследуется от ".as_bytes()));
        assert!(!holds_inherit_word(b"The derived value, from the server."));
    }

    /// Base types read from link to link as each link's words searched
    /// whole: links sharing a line (overlapping windows), a word cut by a
    /// window's end or start, a word beyond 60 bytes, line breaks, the
    /// Russian word that starts another, cases, and no link at all.
    #[test]
    fn inherit_links_read_forwards_as_by_windows() {
        let texts = [
            "Inherits from [entity](entity.md).\n",
            "# t\n\nInherits from [entity](entity.md) and [b](../b.md#x), see [c](c.md).\n",
            "Derived FROM [a](a.md) [b](b.md) [c](c.md) [d](d.md) [e](e.md) [f](f.md) [g](g.md)\n",
            "inherits fro\nm [a](a.md)\ninherits from\n[b](b.md)\n",
            "Наследуется от [entity](entity.md); наследует [b](b.md) и [c](c.md)\n",
            "继承自 [entity](entity.md)。派生自[x](../resources/x.md)\n",
            "Subclass of a very long sentence that goes on and on beyond sixty bytes [a](a.md)\n",
            "[x] inherits from ](a.md) [b](b.md)\n",
            "hereda de [a](a.md?x) [[b](b.md)](c.md) erbt von [d](d.md)",
            "no link here, inherits from nothing",
            "",
            // Words ending right at a link's `[`, one byte short of it, or
            // starting within a shortest word's length of an earlier
            // link's `[` on the same line; paths with `#`, `?` and
            // directories, a target without its `)`.
            "x inherits from[a](a.md) erbt von[b](b.md) erbt vo[c](c.md)",
            "[a](a.md)erbt von[b](b.md)herda d[c](c.md)e [d](d.md)",
            "继承自[a](a.md)继承[b](b.md)自[c](c.md)",
            "herda de [a](dir/sub/a.md#frag?q) [b](b.md?x#y) [c](../c.MD) [d](e/.md)",
            "Inherits from [a](x/y.md) and [b](b.md",
            "erbt von [a](/a.md#x)",
        ];
        for text in texts {
            for from in [0, text.len() / 3] {
                let from = (0..=from)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                assert_eq!(
                    inherit_links(text, from),
                    inherit_links_by_windows(text, from),
                    "{text:?} from {from}"
                );
            }
        }
        assert_eq!(
            inherit_links(texts[1], 0),
            ["entity", "b", "c"],
            "every link on the line"
        );
    }

    /// [`enum_heading`] without an anchor as first written, word by word:
    /// the definition the byte-wise reading is held to.
    fn enum_heading_by_words(heading: &DocHeading) -> Option<&str> {
        let mut words = heading.text.split_whitespace();
        let first = words.next()?;
        if !is_identifier(first) {
            return None;
        }
        let second = words.next();
        let third = words.next();
        if let (Some(word), None) = (second, third) {
            if VALUES_WORDS.contains(&word.to_lowercase().as_str()) {
                return Some(first);
            }
        }
        if heading.level == 1 && second.is_some() {
            let after = heading.text.trim_start()[first.len()..].to_lowercase();
            if ENUM_WORDS.iter().any(|w| after.contains(w)) {
                return Some(first);
            }
        }
        None
    }

    #[test]
    fn enum_headings_read_by_bytes_as_by_words() {
        // Only `enum` among the enum words is ASCII (the fast path relies on it).
        for w in ENUM_WORDS.iter().filter(|w| w.is_ascii()) {
            assert!(w.contains("enum"), "{w}");
        }
        // The ASCII values words end in `s`, `e` or `i` (the look at the
        // last byte relies on it); the others in a letter of another script.
        for w in VALUES_WORDS {
            let last = w.as_bytes()[w.len() - 1];
            assert!(
                !last.is_ascii() || matches!(last, b's' | b'e' | b'i'),
                "{w}"
            );
        }
        for text in [
            "",
            " ",
            "accessType values",
            "accessType VALUES",
            "\u{a0}accessType\u{3000}значения",
            "accessType Значения",
            "accessType values more",
            "access-type values",
            "1type values",
            "_type values",
            "type",
            "type, values",
            "typeé values",
            "runAsAccountType enum type",
            "runAsAccountType ENUMERATION type",
            "runAsAccountType Перечисление",
            "runAsAccountType 枚举类型",
            "runAsAccountType\tenum",
            "Properties",
            "JSON representation",
            "Пример 1: запрос",
            "示例 1",
            "accessType\tvalues ",
            "accessType  Values\u{a0}",
            "accessType \u{a0}values",
            "accessType\u{a0}",
            "accessType ",
            "accessType\u{3000}values x",
            "accessType. values",
            " \taccessType members",
            "accessType valuesx",
            "accessType Valeurs",
            "accessType\u{a0}enum",
            "JSON representation",
            "Request headers",
            "Example 1: Get a user",
            "значения accessType",
            "示例 1 values",
            "\u{a0}accessType values",
            "\u{3000}accessType values",
            "\u{2003}runAsAccountType enum",
            // The last word looked at first, below the title.
            "values",
            "Values ",
            "a b values",
            "accessType\u{2028}values\u{85}",
            "type valores\t\r",
            "typeValori",
            "x ЗНАЧЕНИЯ",
            "é values",
            "x\u{a0}values",
            "x\u{3000}values ",
            "x valuesé",
            "x values\u{a0}",
            "x Xvalues",
            "x valuesss",
            "x ÉVALUES",
            "a\tMembers\n",
            // Last bytes that end no values word, and every one that does.
            "accessType valuey",
            "x\u{a0}valuez",
            "x VALORI",
            "x\u{3000}Valori",
            "x WERTE ",
            "x valeurS",
            "Request body",
            "HTTP request",
        ] {
            // The look at the end never rules out a values word.
            if text.split_whitespace().last().is_some_and(is_values_word) {
                assert!(may_end_in_values_word(text), "{text:?}");
            }
            for level in [1, 3] {
                let h = heading(level, text, None);
                assert_eq!(enum_heading(&h), enum_heading_by_words(&h), "{text:?}");
            }
        }
    }

    #[test]
    fn enum_headings_in_several_languages() {
        assert_eq!(
            enum_heading(&heading(3, "accessType values", None)),
            Some("accessType")
        );
        assert_eq!(
            enum_heading(&heading(4, "ageGroup 值", Some("agegroup-values"))),
            Some("ageGroup")
        );
        assert_eq!(
            enum_heading(&heading(1, "runAsAccountType enum type", None)),
            Some("runAsAccountType")
        );
        assert_eq!(enum_heading(&heading(2, "Properties", None)), None);
        assert_eq!(enum_heading(&heading(2, "JSON representation", None)), None);
    }

    #[test]
    fn tables_under_their_headings() {
        let text = "# t\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. |\n\n### kind values\n\n| Member\n|:---\n| a\n| b\n";
        let h = |s: &str| {
            let start = text.find(s).unwrap_or(0);
            let level = s.bytes().take_while(|&b| b == b'#').count() as u8;
            DocHeading {
                level,
                text: s.trim_start_matches('#').trim().into(),
                anchor: None,
                span: start..start + s.len(),
            }
        };
        let headings = vec![h("# t"), h("## Properties"), h("### kind values")];
        let doc = read(
            text,
            super::super::front_matter_end(text),
            Vec::new(),
            headings,
            &[],
            true,
        )
        .expect("an enum heading");
        assert_eq!(doc.tables.len(), 2);
        assert_eq!(
            doc.heading_of(&doc.tables[0]).map(|h| h.text.as_str()),
            Some("Properties")
        );
        // A page without a resource block: no property is read.
        assert_eq!(doc.tables[0].rows().len(), 0);
        assert_eq!(doc.tables[0].members().count(), 0);
        let members: Vec<&str> = doc.tables[1].members().collect();
        assert_eq!(members, ["a", "b"]);
    }

    /// A run's second line is told a delimiter row as its cells tell it,
    /// on every line of up to five characters from pipes, dashes, colons,
    /// spaces, the other whitespace (ASCII and not), backslashes,
    /// backticks and a letter, before a line feed, CRLF, or none.
    #[test]
    fn delimiter_lines_are_the_lines_whose_cells_are_delimiters() {
        let alphabet = [
            "|", "-", ":", " ", "\t", "\u{b}", "\u{3000}", "\\", "`", "a",
        ];
        let lines = crate::page::every_text(&alphabet, 5);
        let mut reader = TableReader::new();
        let mut delimiters = 0;
        for line in &lines {
            for end in ["", "\n", "\r\n", "\n| x |"] {
                let text = format!("{line}{end}");
                let mut cells = Vec::new();
                RowScanner::get().line(&text, 0, text.len(), &mut cells);
                let want = is_delimiter(&text, &cells);
                assert_eq!(
                    reader.is_delimiter_line(&text, 0, text.len()),
                    want,
                    "{text:?}"
                );
                delimiters += usize::from(want);
            }
        }
        assert!(delimiters > 1000, "{delimiters}");
    }

    /// A run's first line starts with a pipe as its cells tell it.
    #[test]
    fn leading_pipes_are_told_as_the_cells_tell_them() {
        for line in [
            "|a",
            " |",
            "\t\u{3000}| a",
            "a |",
            "`|` |",
            "\\| a |",
            " \r|",
            "\u{a0}|x",
        ] {
            let mut cells = Vec::new();
            let read = RowScanner::get().line(line, 0, line.len(), &mut cells);
            assert_eq!(starts_with_pipe(line), read.leading_pipe, "{line:?}");
        }
    }

    /// A name cell read by [`plain_name`] is its plain text, and an
    /// identifier when that is one: cells with markup around or inside an
    /// identifier, spacing, links, other scripts, digits first.
    #[test]
    fn names_read_as_identifiers_are_their_plain_text() {
        let cells = [
            "id",
            "displayName",
            "_x1",
            "1x",
            "**id**",
            "`id`",
            "*id*",
            "[id](x.md)",
            " id ",
            "id\u{a0}",
            "大小",
            "размер",
            "a b",
            "a-b",
            "",
            "**",
            "id`",
            "[a]",
            "x**y**",
        ];
        for cell in cells {
            let text = format!("|{cell}|");
            let span = 1..1 + cell.len();
            let (name, identifier) = plain_name(&text, &span);
            let want = plain_cow(&text, &span);
            assert_eq!(name, want, "{cell:?}");
            assert_eq!(identifier, is_identifier(&want), "{cell:?}");
        }
    }

    /// Every corpus page, with its locale (the directory below the corpus).
    fn corpus_pages() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "md") {
                    out.push(path);
                }
            }
        }
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut pages = Vec::new();
        for locale in ["en-us", "zh-cn", "ru-ru"] {
            let mut paths = Vec::new();
            walk(&corpus.join(locale), &mut paths);
            assert!(paths.len() > 300, "{locale} pages at {}", corpus.display());
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).expect("a UTF-8 corpus page");
                pages.push((locale.to_owned(), text));
            }
        }
        pages
    }

    /// On every corpus page of the three locales, the tables whose rows
    /// are cut from the lines the reader found are the tables read line
    /// by line with every row cut as it is read (the whole page one
    /// stretch, its comments hidden), and the bases searched for link by
    /// link are the bases of every link's words: what the type model and
    /// the drift check read of a page is what they read when the page was
    /// read whole.
    #[test]
    fn corpus_tables_and_bases_read_by_lines_and_windows() {
        let (mut tables, mut rows, mut bases) = (0, 0, 0);
        for (locale, text) in corpus_pages() {
            let from = super::super::front_matter_end(&text);
            let comments = spans_of(&text, "<!--", "-->", from);
            let mut got = Vec::new();
            let mut hidden = Hidden::new(Vec::new()).with_comments(text.as_bytes(), from);
            TableReader::new().read(&text, from..text.len(), None, &mut hidden, &mut got);
            let mut hidden = Hidden::new(comments);
            let want = read_tables_by_lines(&text, from..text.len(), &mut hidden);
            assert_eq!(
                rows_read(&text, &got),
                want,
                "{locale}: {}",
                &text[..80.min(text.len())]
            );
            tables += want.len();
            rows += want.iter().map(Vec::len).sum::<usize>();
            let page = crate::page::Page::from_text("p.md".into(), text.clone(), Some(locale));
            if let Some(doc) = page.types.as_deref() {
                let want = if doc.resources.is_empty() {
                    Vec::new()
                } else {
                    inherit_links_by_windows(&text, from)
                };
                bases += want.len();
                assert_eq!(doc.bases(), want);
            }
        }
        // The corpus holds tables and bases in every locale.
        assert!(
            tables > 10_000 && rows > 50_000 && bases > 500,
            "{tables} {rows} {bases}"
        );
    }
}
