//! The two tables the rules read: the request-body property table and the
//! permissions table. Markdown pipe tables (GFM) are split by their
//! unescaped pipes; rendered pages show the same rows as plain lines, read
//! by their known leading words.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use super::sections::{SectionKind, Sections};
use super::{Format, Page, Permission, PermissionKind, Property};
use crate::bytes::equal_in_word;
use crate::lang::words::{normalize, Words, LANGUAGES};

pub(super) fn read(page: &mut Page, sections: &Sections, words: &[&Words]) {
    let text = page.text.as_str();
    let mut properties = Vec::new();
    for section in sections
        .list
        .iter()
        .filter(|s| s.kind == SectionKind::RequestBody)
    {
        let found = match page.format {
            Format::Markdown => markdown_properties(text, section.body.clone(), words),
            Format::Rendered => rendered_properties(text, section.body.clone(), words),
        };
        // Most pages have one Request body section: its list is taken whole.
        if properties.is_empty() {
            properties = found;
        } else {
            properties.extend(found);
        }
    }
    let permissions = match sections.first(SectionKind::Permissions) {
        Some(section) => match page.format {
            Format::Markdown => markdown_permissions(text, section.body.clone()),
            Format::Rendered => rendered_permissions(text, section.body.clone()),
        },
        None => Vec::new(),
    };
    page.properties = properties;
    page.permissions = permissions;
    // Kept for the page's life: without the slack of the room reserved.
    crate::json::exact(&mut page.properties);
    crate::json::exact(&mut page.permissions);
}

/// The pipe-table rows of a section with their cells: one buffer holds the
/// cells of every row (a `Vec` per row was most of the cost of reading them).
struct PipeRows {
    /// Each row's span, its cells (a range of `cells`) and the run of
    /// adjacent pipe rows it belongs to (0, 1, … in page order).
    rows: Vec<PipeRow>,
    cells: Vec<Range<usize>>,
}

struct PipeRow {
    span: Range<usize>,
    cells: Range<usize>,
    run: usize,
}

impl PipeRows {
    fn read(text: &str, range: Range<usize>) -> PipeRows {
        let scanner = RowScanner::get();
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        let mut run = 0;
        let mut open = false;
        // Only lines with a pipe can be rows: jump from pipe to pipe (most
        // of a section is prose without one) instead of visiting every
        // line. A row that does not start where the last one ended follows
        // lines without a pipe, which close the run as any non-row does.
        let mut at = range.start;
        let mut after_row = None;
        while let Some(start) = scanner.next_pipe_line(text.as_bytes(), at, range.end) {
            if cells.capacity() == 0 {
                // Room for a small table's cells at once (most sections
                // with a pipe line hold one): growing from nothing cost a
                // copy at 4, 8, 16 and 32.
                cells.reserve(64);
                rows.reserve(16);
            }
            let first = cells.len();
            let line = scanner.line(text, start, range.end, &mut cells);
            at = line.next;
            // A GFM table row: it starts with a pipe, or holds at least two.
            if !(line.leading_pipe || line.pipes >= 2) {
                cells.truncate(first);
                if open {
                    run += 1;
                }
                open = false;
                continue;
            }
            if open && after_row != Some(start) {
                run += 1;
            }
            open = true;
            after_row = Some(line.next);
            rows.push(PipeRow {
                span: line.span,
                cells: first..cells.len(),
                run,
            });
        }
        PipeRows { rows, cells }
    }

    fn cells(&self, row: &PipeRow) -> &[Range<usize>] {
        &self.cells[row.cells.clone()]
    }
}

/// The lines of a range: each line's span (without its line end) and text.
fn lines(text: &str, range: Range<usize>) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut at = range.start;
    text[range].split_inclusive('\n').map(move |line| {
        let content = line.trim_end_matches(['\n', '\r']);
        let row = at..at + content.len();
        at += line.len();
        (row, content)
    })
}

/// A GFM table row: it starts with a pipe, or holds at least two.
#[cfg(test)]
fn is_pipe_row(content: &str) -> bool {
    content.trim_start().starts_with('|')
        || memchr::memchr_iter(b'|', content.as_bytes())
            .nth(1)
            .is_some()
}

/// The cells of one pipe-table row; pipes inside backticks or escaped (`\|`) do not split.
pub(crate) fn cells(text: &str, row: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(8);
    push_cells(text, row, &mut out);
    out
}

/// [`cells`], appended to `out`: the tables of a page share one buffer of
/// cells instead of a `Vec` per row (~87k rows in a whole-corpus run).
///
/// Each cell is trimmed as `str::trim` does; a leading pipe leaves an empty
/// first cell and a trailing one an empty last cell, both dropped.
pub(crate) fn push_cells(text: &str, row: Range<usize>, out: &mut Vec<Range<usize>>) {
    let bytes = &text.as_bytes()[row.clone()];
    // Only pipes and backticks matter: jump from one to the next.
    // (memchr2's vector scan: a hand-written eight-bytes-at-a-time scan of
    // the row was measured and cost more, ~+16 M instructions a corpus run,
    // since the rows are ~100 bytes and memchr2 reads 32 at a step.) One
    // AVX2 searcher for the row: `memchr2_iter` dispatches each search
    // through a function pointer (~5 searches a row, ~90k rows a run).
    #[cfg(target_arch = "x86_64")]
    if let Some(two) = memchr::arch::x86_64::avx2::memchr::Two::new(b'|', b'`') {
        return split_cells(text, row, two.iter(bytes), out);
    }
    split_cells(text, row, memchr::memchr2_iter(b'|', b'`', bytes), out);
}

/// [`push_cells`] given the offsets in the row of its pipes and backticks.
#[inline(always)]
fn split_cells(
    text: &str,
    row: Range<usize>,
    marks: impl Iterator<Item = usize>,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = &text.as_bytes()[row.clone()];
    let whole = trim_span(text, row.clone());
    let leading = whole.start < whole.end && text.as_bytes()[whole.start] == b'|';
    let trailing = whole.start < whole.end && text.as_bytes()[whole.end - 1] == b'|';
    let mut start = 0;
    let mut in_code = false;
    let mut first = true;
    for i in marks {
        match bytes[i] {
            b'`' => in_code = !in_code,
            _ if !in_code && (i == 0 || bytes[i - 1] != b'\\') => {
                let cell = trim_span(text, row.start + start..row.start + i);
                // The first cell is dropped after a leading pipe (where it
                // is only the spacing before that pipe).
                if !(first && leading && cell.is_empty()) {
                    out.push(cell);
                }
                first = false;
                start = i + 1;
            }
            _ => {}
        }
    }
    let cell = trim_span(text, row.start + start..row.end);
    if !(trailing && cell.is_empty()) {
        out.push(cell);
    }
}

/// Reads the lines of a page that hold a pipe, each with its cells: the
/// one reading of pipe rows both table readers share (the requests' body
/// and permissions tables, a type page's tables).
///
/// A row is read in one pass: its pipes, backticks and line end found by
/// one search (`memchr3`), where finding the line's end and then cutting
/// its cells searched the row twice. The searchers are built once per
/// reader: the `memchr` functions pick their implementation through a
/// function pointer on every call (~350k lines a run).
#[derive(Clone, Copy)]
pub(super) struct RowScanner {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<Avx2>,
}

#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Avx2 {
    marks: memchr::arch::x86_64::avx2::memchr::Three,
    pipe: memchr::arch::x86_64::avx2::memchr::One,
    feed: memchr::arch::x86_64::avx2::memchr::One,
}

#[cfg(target_arch = "x86_64")]
impl Avx2 {
    fn new() -> Option<Avx2> {
        use memchr::arch::x86_64::avx2::memchr::{One, Three};
        Some(Avx2 {
            marks: Three::new(b'|', b'`', b'\n')?,
            pipe: One::new(b'|')?,
            feed: One::new(b'\n')?,
        })
    }
}

/// A line [`RowScanner::line`] read.
pub(super) struct Line {
    /// The line without its line end (`\n`, and the `\r`s before it).
    pub span: Range<usize>,
    /// Where the next line starts (the end of the range after the last).
    pub next: usize,
    /// Does the line start with a pipe, after whitespace?
    pub leading_pipe: bool,
    /// How many pipes it holds, escaped and in code spans too.
    pub pipes: usize,
}

impl RowScanner {
    /// The scanner, built once: its searchers are a few hundred bytes,
    /// and a reader of a section with no table would copy them for nothing.
    pub(super) fn get() -> &'static RowScanner {
        static SCANNER: LazyLock<RowScanner> = LazyLock::new(|| RowScanner {
            #[cfg(target_arch = "x86_64")]
            avx2: Avx2::new(),
        });
        &SCANNER
    }

    /// The start of the first line that holds a pipe in `at..end` (`at`
    /// itself when that line starts before it).
    pub(super) fn next_pipe_line(&self, bytes: &[u8], at: usize, end: usize) -> Option<usize> {
        let rest = &bytes[at..end];
        // A table's next row starts right where the last one ended.
        if rest.first() == Some(&b'|') {
            return Some(at);
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2 {
            let pipe = avx2.pipe.find(rest)?;
            return Some(avx2.feed.rfind(&rest[..pipe]).map_or(at, |i| at + i + 1));
        }
        let pipe = memchr::memchr(b'|', rest)?;
        Some(memchr::memrchr(b'\n', &rest[..pipe]).map_or(at, |i| at + i + 1))
    }

    /// Where the line from `start` ends: past its line feed, or at `end`
    /// without one (as [`Line::next`]).
    pub(super) fn line_end(&self, bytes: &[u8], start: usize, end: usize) -> usize {
        let rest = &bytes[start..end];
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2 {
            return avx2.feed.find(rest).map_or(end, |i| start + i + 1);
        }
        memchr::memchr(b'\n', rest).map_or(end, |i| start + i + 1)
    }

    /// The line of `text` from `start` to its line feed (or `end`), its
    /// cells appended to `cells` as [`push_cells`] cuts them.
    pub(super) fn line(
        &self,
        text: &str,
        start: usize,
        end: usize,
        cells: &mut Vec<Range<usize>>,
    ) -> Line {
        self.scan(text, start, end, usize::MAX, cells).0
    }

    /// [`RowScanner::line`] cut no further than its first `n` cells (`n`
    /// at least one): the same line, and `cells` holds the first `n` of
    /// its cells (all of them when it has no more). Also says whether the
    /// line has more than `n` cells; of its rest only its end is searched
    /// for (the drift check reads a row's name and type cells and whether
    /// a description follows; the rows' descriptions are their longest
    /// cells, with many code spans: `$filter` (`eq`, `ne`)).
    ///
    /// The [`Line::pipes`] counted are those before the cut.
    pub(super) fn line_head(
        &self,
        text: &str,
        start: usize,
        end: usize,
        n: usize,
        cells: &mut Vec<Range<usize>>,
    ) -> (Line, bool) {
        let (mut line, cut) = self.scan(text, start, end, cells.len() + n, cells);
        let Some(rest) = cut else {
            return (line, false);
        };
        // Cut at a splitting pipe: a cell follows it unless the rest of
        // the line is blank (a trailing pipe's empty cell is dropped; any
        // other byte is a cell's, a splitting pipe's or a pipe's in one).
        let bytes = text.as_bytes();
        line.next = self.line_end(bytes, rest, end);
        let mut stop = if line.next > rest && bytes[line.next - 1] == b'\n' {
            line.next - 1
        } else {
            line.next
        };
        while stop > start && bytes[stop - 1] == b'\r' {
            stop -= 1;
        }
        line.span.end = stop;
        let more = !trim_span(text, rest..stop.max(rest)).is_empty();
        (line, more)
    }

    /// [`scan_line`] with this scanner's searcher.
    #[inline(always)]
    fn scan(
        &self,
        text: &str,
        start: usize,
        end: usize,
        limit: usize,
        cells: &mut Vec<Range<usize>>,
    ) -> (Line, Option<usize>) {
        let rest = &text.as_bytes()[start..end];
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2 {
            return scan_line(text, start, end, avx2.marks.iter(rest), limit, cells);
        }
        scan_line(
            text,
            start,
            end,
            memchr::memchr3_iter(b'|', b'`', b'\n', rest),
            limit,
            cells,
        )
    }
}

/// [`RowScanner::line`] given the offsets from `start` of the pipes,
/// backticks and line feeds up to `end`. Stops once a splitting pipe has
/// made `cells` `limit` long, and then also gives where the line's rest
/// starts (past that pipe); the [`Line`] is then whole only up to there.
///
/// The cells are [`split_cells`]'s, with its two tests of the whole row
/// read off the cells: the row starts with a pipe (after whitespace) when
/// the first split leaves an empty first cell (such a pipe is neither
/// escaped nor in code, so it splits, and only whitespace stands before
/// it), and it ends with one when a split leaves an empty last cell.
#[inline(always)]
fn scan_line(
    text: &str,
    start: usize,
    end: usize,
    marks: impl Iterator<Item = usize>,
    limit: usize,
    cells: &mut Vec<Range<usize>>,
) -> (Line, Option<usize>) {
    let bytes = text.as_bytes();
    let mut feed = end;
    let mut cell_start = start;
    let mut in_code = false;
    let mut split = false;
    let mut leading_pipe = false;
    let mut pipes = 0;
    for i in marks.map(|m| start + m) {
        match bytes[i] {
            b'\n' => {
                feed = i;
                break;
            }
            b'`' => in_code = !in_code,
            _ => {
                pipes += 1;
                if !in_code && (i == start || bytes[i - 1] != b'\\') {
                    let cell = trim_span(text, cell_start..i);
                    if !split && cell.is_empty() {
                        leading_pipe = true;
                    } else {
                        cells.push(cell);
                    }
                    split = true;
                    cell_start = i + 1;
                    if cells.len() == limit {
                        let line = Line {
                            span: start..i,
                            next: i + 1,
                            leading_pipe,
                            pipes,
                        };
                        return (line, Some(i + 1));
                    }
                }
            }
        }
    }
    let next = if feed < end { feed + 1 } else { end };
    let mut stop = feed;
    while stop > start && bytes[stop - 1] == b'\r' {
        stop -= 1;
    }
    let cell = trim_span(text, cell_start..stop);
    if !(split && cell.is_empty()) {
        cells.push(cell);
    }
    let line = Line {
        span: start..stop,
        next,
        leading_pipe,
        pipes,
    };
    (line, None)
}

/// `span` of `text` without the whitespace `str::trim` drops at either end:
/// ASCII bytes are tested as they are (most cells), and only a non-ASCII
/// end is decoded, so that the spans stay exactly `str::trim`'s.
#[inline(always)]
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (span.start, span.end);
    // `char::is_whitespace` of the ASCII characters: space and `\t`..=`\r`
    // (with vertical tab, which `u8::is_ascii_whitespace` leaves out).
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    // Cells padded to their column's width (`| id          |`) end in long
    // runs of spaces: eight at a time first. (Their start rarely is: one
    // space after the pipe; a word test there cost more than it saved.)
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while start < end && space(bytes[start]) {
        start += 1;
    }
    if start < end && may_start_space(bytes[start]) {
        start = end - text[start..end].trim_start().len();
    }
    // The spaces ending the last eight bytes counted at once: the zero
    // bytes that end (in little-endian order, lead) the word XOR spaces.
    while end - start >= 8 {
        let spaces = ((word(end - 8) ^ SPACES).leading_zeros() / 8) as usize;
        end -= spaces;
        if spaces < 8 {
            break;
        }
    }
    while end > start && space(bytes[end - 1]) {
        end -= 1;
    }
    if end > start && !bytes[end - 1].is_ascii() {
        // The first byte of the last character: at most three
        // continuation bytes (`0b10xx_xxxx`) stand after it.
        let mut lead = end - 1;
        while lead > start && end - lead < 4 && bytes[lead] & 0xC0 == 0x80 {
            lead -= 1;
        }
        if may_start_space(bytes[lead]) {
            end = start + text[start..end].trim_end().len();
        }
    }
    start..end
}

/// Can a character that starts with this byte be non-ASCII whitespace?
/// Unicode's (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000) start with
/// 0xC2 or 0xE1..=0xE3; Chinese and Cyrillic cells, whose ends are
/// letters, need no decoding then. A test holds the list to
/// `char::is_whitespace`.
pub(super) fn may_start_space(b: u8) -> bool {
    matches!(b, 0xC2 | 0xE1..=0xE3)
}

/// The permissions tables of a Markdown Permissions section, in page order.
/// A table is a run of pipe rows; its header is the row above its delimiter
/// row (or its first row, when a translation lost the delimiter row).
fn markdown_permissions(text: &str, range: Range<usize>) -> Vec<Permission> {
    let pipe_rows = PipeRows::read(text, range);
    let cells = |r: &PipeRow| pipe_rows.cells(r);
    // Room for every cell at once, more than the permissions (a cell each
    // but the labels): growing from nothing copied them at 4, 8 and 16.
    let mut out = Vec::with_capacity(pipe_rows.cells.len());
    // The runs of adjacent pipe rows are the tables.
    let tables = pipe_rows.rows.chunk_by(|a, b| a.run == b.run);
    for (table, rows) in tables.enumerate() {
        let delimiter = rows.iter().position(|r| is_delimiter(text, cells(r)));
        let (header, body) = match delimiter {
            Some(d) => (d.checked_sub(1).map(|h| cells(&rows[h])), &rows[d + 1..]),
            None => (rows.first().map(cells), rows.get(1..).unwrap_or_default()),
        };
        // Each column header read once for the table, not once per row, and
        // only for a table with one column per kind of access.
        let mut column_labels: Option<Vec<(String, Option<PermissionKind>)>> = None;
        let rows = body
            .iter()
            .map(|r| (&r.span, cells(r)))
            .filter(|(_, c)| c.len() >= 2 && c.iter().any(|c| !c.is_empty()));
        for (row, (span, cells)) in rows.enumerate() {
            let (row_label, row_kind) = read_label(&text[cells[0].clone()]);
            let per_kind_columns = cells.len() > 2;
            // The row label, moved into the last cell that names it (a
            // two-column table's only one) rather than copied.
            let mut row_label = Some(row_label);
            for (column, value) in cells.iter().enumerate().skip(1) {
                let head = if per_kind_columns {
                    column_labels
                        .get_or_insert_with(|| {
                            header
                                .map(|h| h.iter().map(|c| read_label(&text[c.clone()])).collect())
                                .unwrap_or_default()
                        })
                        .get(column)
                } else {
                    None
                };
                let label_text = row_label.as_deref().unwrap_or_default();
                let (kind, label) = match head {
                    Some((head, kind)) => (*kind, format!("{head} (`{label_text}`)")),
                    _ if column + 1 == cells.len() => {
                        (row_kind, row_label.take().unwrap_or_default())
                    }
                    _ => (row_kind, label_text.to_owned()),
                };
                out.push(Permission {
                    table,
                    row,
                    column,
                    kind,
                    label,
                    span: span.clone(),
                    value_span: value.clone(),
                    // A cell is trimmed as `str::trim` trims.
                    value: text[value.clone()].to_owned(),
                });
            }
        }
    }
    out
}

/// A permissions table's label cell as a reader sees it ([`plain`]) and the
/// kind of access it names ([`permission_kind`]).
///
/// Labels repeat from page to page: a whole-corpus run reads ~12k of them,
/// nearly all one of a few texts per language ("Delegated (work or school
/// account)", "Application", their translations), and reading one (markup,
/// spacing, lower case, the stems of every language) costs thousands of
/// instructions. So each thread keeps the last labels it read, by their
/// cell's text: the answer is a function of that text alone.
fn read_label(cell: &str) -> (String, Option<PermissionKind>) {
    /// How many labels a thread keeps: more than one page's tables and
    /// a locale's variants need, few enough to compare them all.
    const KEPT: usize = 32;
    type Kept = Vec<(Box<str>, String, Option<PermissionKind>)>;
    thread_local! {
        static KEPT_LABELS: std::cell::RefCell<Kept> = const { std::cell::RefCell::new(Vec::new()) };
    }
    KEPT_LABELS.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some((_, label, kind)) = kept.iter().find(|(text, ..)| **text == *cell) {
            return (label.clone(), *kind);
        }
        let label = plain(cell);
        let kind = permission_kind(&label);
        if kept.len() == KEPT {
            // The oldest goes.
            kept.remove(0);
        }
        kept.push((cell.into(), label.clone(), kind));
        (label, kind)
    })
}

/// The permissions tables of a rendered page's Permissions section: the
/// text a reader copies has one line per row (`Application Mail.Read`) and
/// a blank line around each table. A line is a row when it names a
/// permission or its label reads as one in some language; a run of two or
/// more such lines is a table, so a lone sentence such as "Application
/// permissions are not supported with /me" is not.
fn rendered_permissions(text: &str, range: Range<usize>) -> Vec<Permission> {
    type Row = (Range<usize>, Option<PermissionKind>);
    let mut blocks: Vec<Vec<Row>> = vec![Vec::new()];
    for (row, content) in lines(text, range) {
        if content.trim().is_empty() {
            blocks.push(Vec::new());
            continue;
        }
        let kind = permission_kind(&plain(content));
        if kind.is_some() || !scopes(content).is_empty() {
            if let Some(block) = blocks.last_mut() {
                block.push((row, kind));
            }
        }
    }
    let mut out = Vec::new();
    for (table, rows) in blocks.iter().filter(|b| b.len() >= 2).enumerate() {
        for (row, (span, kind)) in rows.iter().enumerate() {
            let line = &text[span.clone()];
            let label_end = rendered_label_end(line);
            let rest = &line[label_end..];
            let value_span =
                span.start + label_end + (rest.len() - rest.trim_start().len())..span.end;
            out.push(Permission {
                table,
                row,
                column: 1,
                kind: *kind,
                label: plain(&line[..label_end]),
                span: span.clone(),
                value: text[value_span.clone()].trim().to_owned(),
                value_span,
            });
        }
    }
    out
}

/// Where the label of a rendered row ends: after its closing parenthesis
/// ("Delegated (work or school account)"), else before the first permission
/// name, else after its first word.
fn rendered_label_end(line: &str) -> usize {
    let first_scope = scopes(line).first().map_or(line.len(), |s| s.span.start);
    if let Some(close) = line[..first_scope].find([')', '）']) {
        if line[..close].contains(['(', '（']) {
            return close + line[close..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if first_scope < line.len() {
        return line[..first_scope].trim_end().len();
    }
    let lead = line.len() - line.trim_start().len();
    line[lead..]
        .find(char::is_whitespace)
        .map_or(line.len(), |i| lead + i)
}

/// A cell as a reader sees it: markup dropped, spacing folded, trimmed.
fn plain(cell: &str) -> String {
    let cell = strip_markup(cell);
    let mut out = String::with_capacity(cell.len());
    if cell.is_ascii() {
        // A byte at a time; the bytes `char::is_whitespace` takes in ASCII.
        let mut gap = false;
        for &b in cell.as_bytes() {
            if crate::bytes::is_space(b) {
                gap = !out.is_empty();
            } else {
                if std::mem::take(&mut gap) {
                    out.push(' ');
                }
                out.push(char::from(b));
            }
        }
        return out;
    }
    for word in cell.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What kind of access a row label (or column header) names, read through
/// the stems of every language (not only the page's: a page's locale may
/// be missing or wrong), so that every inflection counts: "Delegated",
/// "Delegada", "Delegadas", "Делегированные", "Делегированное". A delegated
/// label is the personal-account one when it names the brand (`Microsoft`,
/// which translations keep) or a language's word for "personal".
pub(crate) fn permission_kind(label: &str) -> Option<PermissionKind> {
    let label = normalize(label);
    let label = label.trim_start_matches(|c: char| !c.is_alphanumeric());
    // An ASCII label holds no stem of another script: those are skipped
    // without a search (most labels, most stems).
    let ascii = label.is_ascii();
    let any = |pick: fn(&Words) -> &'static [&'static str], contained: bool| {
        LANGUAGES.iter().any(|w| {
            pick(w).iter().any(|stem| {
                if ascii && !stem.is_ascii() {
                    false
                } else if contained {
                    label.contains(stem)
                } else {
                    label.starts_with(stem)
                }
            })
        })
    };
    if any(|w| w.delegated, false) {
        let personal = label.contains("microsoft") || any(|w| w.personal, true);
        return Some(if personal {
            PermissionKind::DelegatedPersonal
        } else {
            PermissionKind::DelegatedWork
        });
    }
    any(|w| w.application, true).then_some(PermissionKind::Application)
}

/// A permission name in a cell (`Directory.AccessAsUser.All`): where it
/// stands and its lower-cased text (names are compared without case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    pub span: Range<usize>,
    pub key: String,
}

/// The permission names a cell holds, in order: ASCII words joined by dots.
/// Link targets are skipped, since `(../concepts/x.md)` is no permission; a
/// trailing `*` is a footnote mark (resource-specific consent), which
/// translations drop or space out. What translation changes around the
/// names does not count: the words for "not supported", list separators
/// (`,` `、` `，`), conjunctions, the prose of per-resource cells. A name
/// that translation spaced out or translated (`Notes. Read`, `任务.读取`)
/// no longer reads as the name.
pub(crate) fn scopes(cell: &str) -> Vec<Scope> {
    scope_spans(cell)
        .map(|span| Scope {
            key: cell[span.clone()].to_ascii_lowercase(),
            span,
        })
        .collect()
}

/// Where the names [`scopes`] reads stand in the cell, in order, without
/// their lower-cased copies (a caller comparing two cells' names).
pub(crate) fn scope_spans(cell: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = cell.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            if b == b']' && bytes.get(i + 1) == Some(&b'(') {
                i = memchr::memchr(b')', &bytes[i..]).map_or(bytes.len(), |n| i + n + 1);
                continue;
            }
            if !is_name_byte(b) {
                i += 1;
                continue;
            }
            let start = i;
            let mut dot = false;
            while i < bytes.len() && is_name_byte(bytes[i]) {
                dot |= bytes[i] == b'.';
                i += 1;
            }
            // A word without a dot is one part: no name (most words of a cell).
            if !dot {
                continue;
            }
            // `.` and `-` may end a sentence or a list; they are no part of a
            // name. By bytes: a run is ASCII.
            let run = &bytes[start..i];
            let end_mark = |c: &&u8| matches!(**c, b'.' | b'-');
            let lead = run.iter().take_while(end_mark).count();
            let trail = run[lead..].iter().rev().take_while(end_mark).count();
            let word = &run[lead..run.len() - trail];
            // Trimmed so, a word that still holds a dot has two parts or more.
            if word.contains(&b'.') && word.first().is_some_and(u8::is_ascii_alphabetic) {
                return Some(start + lead..start + lead + word.len());
            }
        }
        None
    })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// Drops emphasis, code ticks and link targets: `**[x](y)**` → `x`.
///
/// A byte at a time, copying the runs between markup bytes whole: the marks
/// are ASCII, so every cut falls between characters (a char-by-char copy
/// was most of this function's cost, for every name and type cell).
pub(crate) fn strip_markup(s: &str) -> Cow<'_, str> {
    let is_mark = |b: &u8| matches!(b, b'*' | b'`' | b'[' | b']');
    let bytes = s.as_bytes();
    let Some(first) = bytes.iter().position(is_mark) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut i = first;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(is_mark)
            .map_or(bytes.len(), |n| i + n);
        out.push_str(&s[i..run]);
        if run == bytes.len() {
            break;
        }
        i = run + 1;
        // A link target, `](…)`, is dropped up to its `)` (or the end).
        if bytes[run] == b']' && bytes.get(i) == Some(&b'(') {
            i = memchr::memchr(b')', &bytes[i..]).map_or(bytes.len(), |n| i + n + 1);
        }
    }
    Cow::Owned(out)
}

/// [`strip_markup`] as it was first written, a char at a time: the
/// definition the byte-wise one is tested against.
#[cfg(test)]
fn strip_markup_by_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            _ => out.push(c),
        }
    }
    out
}

fn markdown_properties(text: &str, range: Range<usize>, words: &[&Words]) -> Vec<Property> {
    let mut in_table = false;
    let pipe_rows = PipeRows::read(text, range);
    // Room for a property a row at once (growing from nothing copied them
    // at 4, 8 and 16).
    let mut out = Vec::with_capacity(pipe_rows.rows.len());
    let rows = &pipe_rows.rows;
    let delimiter = |row: &PipeRow| is_delimiter(text, pipe_rows.cells(row));
    // Each row is asked once whether it is a delimiter row, as the next
    // row of the one above it.
    let mut this_delimiter = rows.first().map(delimiter);
    for (i, row) in rows.iter().enumerate() {
        let cells = pipe_rows.cells(row);
        let next_delimiter = rows.get(i + 1).map(delimiter);
        let is_delimiter = std::mem::replace(&mut this_delimiter, next_delimiter);
        // A GFM table's header is the row right above its delimiter row;
        // only there is the first cell compared with the header words.
        if next_delimiter == Some(true) {
            let first = cells
                .first()
                .map(|c| normalize(&strip_markup(&text[c.clone()])))
                .unwrap_or_default();
            in_table = words
                .iter()
                .any(|w| w.property_header.contains(&first.as_str()));
            continue;
        }
        if !in_table || cells.len() < 3 || is_delimiter == Some(true) {
            continue;
        }
        let name = strip_markup(&text[cells[0].clone()]).trim().to_owned();
        if name.is_empty() || name.contains(' ') {
            continue;
        }
        let description = cells[cells.len() - 1].clone();
        out.push(Property {
            name,
            type_name: strip_markup(&text[cells[1].clone()]).trim().to_owned(),
            description,
            span: row.span.clone(),
        });
    }
    out
}

/// `|:---|---:|`: every cell dashes with optional colons.
///
/// Every row of a table comes here, most of them no delimiter row: a cell
/// whose first byte can neither be trimmed nor start a delimiter cell
/// fails before it is trimmed, and a delimiter cell is read in one pass.
pub(super) fn is_delimiter(text: &str, cells: &[Range<usize>]) -> bool {
    let bytes = text.as_bytes();
    !cells.is_empty()
        && cells.iter().all(|c| {
            if let Some(&b) = bytes[c.clone()].first() {
                if b.is_ascii() && !matches!(b, b'-' | b':' | b' ' | b'\t'..=b'\r') {
                    return false;
                }
            }
            delimiter_cell(&bytes[trim_span(text, c.clone())])
        })
}

/// Are all bytes of a trimmed cell dashes, colons or spaces, and is one a dash?
/// Eight bytes at a time (a delimiter row is mostly dashes, ~40 bytes a
/// row): each byte's equality to each of the three is its high bit, exactly
/// (no borrow runs between bytes), and all eight must be one of them.
fn delimiter_cell(cell: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut dash = false;
    let mut words = cell.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        let dashes = equal_in_word(w, b'-');
        if dashes | equal_in_word(w, b':') | equal_in_word(w, b' ') != HIGH {
            return false;
        }
        dash |= dashes != 0;
    }
    words.remainder().iter().all(|&b| {
        dash |= b == b'-';
        matches!(b, b'-' | b':' | b' ')
    }) && dash
}

fn rendered_properties(text: &str, range: Range<usize>, words: &[&Words]) -> Vec<Property> {
    let mut out = Vec::new();
    let mut in_table = false;
    let mut at = range.start;
    for line in text[range].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let row = at..at + content.len();
        at += line.len();
        let mut parts = content.split_whitespace();
        let first = parts.next().unwrap_or("").to_lowercase();
        if words
            .iter()
            .any(|w| w.property_header.contains(&first.as_str()))
            && content.split_whitespace().count() <= 4
        {
            in_table = true;
            continue;
        }
        if content.trim().is_empty() {
            if !out.is_empty() {
                in_table = false;
            }
            continue;
        }
        if !in_table {
            continue;
        }
        let name = content.split_whitespace().next().unwrap_or("").to_owned();
        let type_name = parts.next().unwrap_or("").to_owned();
        out.push(Property {
            name,
            type_name,
            description: row.clone(),
            span: row,
        });
    }
    out
}

/// A property is required when a sentence of its description is the
/// marker alone ("Required.", "必需。", "Обязательный."), perhaps with a
/// character or two more ("必需项。"): "Required when …" and "仅当 … 时必需"
/// are conditions, "Not required." and "Indicates whether a PIN is
/// required." describe something else. Where the marker stands in its
/// sentence decides, in any language. Sentences compare lower-cased, with
/// emphasis and code marks dropped.
///
/// Only a sentence whose first letter starts a marker is lower-cased and
/// compared (a few per table): lower-casing every description whole and
/// copying each of its sentences was most of the `required-property`
/// rule's cost. A sentence lower-cases as it does within its description
/// (Greek final sigma aside, which starts no marker and ends none).
pub(super) fn is_required(description: &str, words: &[&Words]) -> bool {
    let markers = || {
        words
            .iter()
            .flat_map(|w| w.required.iter())
            .map(|r| r.trim_end_matches(['.', '。']))
    };
    let markup = |c: char| matches!(c, '*' | '`' | '_');
    let mut kept = String::new();
    for sentence in description.split(['.', '。', '!', '！', ';', '；', '|']) {
        let Some(first) = sentence
            .chars()
            .find(|&c| !c.is_whitespace() && !markup(c))
            .and_then(|c| c.to_lowercase().next())
        else {
            continue;
        };
        if !markers().any(|m| m.starts_with(first)) {
            continue;
        }
        kept.clear();
        kept.extend(sentence.to_lowercase().chars().filter(|&c| !markup(c)));
        let kept = kept.trim();
        if markers().any(|marker| {
            kept.strip_prefix(marker)
                .is_some_and(|rest| rest.trim().chars().count() <= 2)
        }) {
            return true;
        }
    }
    false
}

/// [`is_required`] as first written, on the lower-cased description: the
/// definition the sentence-at-a-time reading is held to.
#[cfg(test)]
fn is_required_by_sentences(lower: &str, words: &[&Words]) -> bool {
    let markers = words
        .iter()
        .flat_map(|w| w.required.iter())
        .map(|r| r.trim_end_matches(['.', '。']));
    let sentences: Vec<String> = lower
        .split(['.', '。', '!', '！', ';', '；', '|'])
        .map(|s| {
            s.chars()
                .filter(|c| !matches!(c, '*' | '`' | '_'))
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect();
    markers.into_iter().any(|marker| {
        sentences.iter().any(|s| {
            s.strip_prefix(marker)
                .is_some_and(|rest| rest.trim().chars().count() <= 2)
        })
    })
}

/// The values after "Possible values are": the code spans (or, without
/// them, the bold words) up to the end of the sentence; else the
/// comma-separated words. Empty, so that nothing is checked, when the list
/// cannot be trusted: a value that is no identifier (translated with the
/// prose, `зритель`), or a range (`TableStyleLight1 thru TableStyleLight21`).
/// Can `description`, lower-cased, hold one of `words`' possible-values
/// phrases? `false` only when it cannot: then [`possible_values`] finds no
/// phrase and lists nothing. Most descriptions name no possible values, and
/// this answers them by bytes before the description is lower-cased whole
/// (`to_lowercase` and a substring search per phrase were ~23 M instructions
/// a corpus run). A test holds it to the phrase search it guards.
pub(super) fn may_name_possible_values(description: &str, words: &[&Words]) -> bool {
    words
        .iter()
        .flat_map(|w| w.possible_values.iter())
        .any(|phrase| {
            let key = phrase_key(phrase);
            if key.is_ascii() {
                holds_ignoring_ascii_case(description.as_bytes(), key.as_bytes())
            } else {
                holds_folded(description, key)
            }
        })
}

/// The start of a phrase that a lower-cased description holds only where the
/// description itself holds it up to [`fold`]: ASCII, basic Cyrillic small
/// letters and caseless (CJK, kana, Hangul) characters, cut before the first
/// other one and
/// before a `k` (the Kelvin sign `K` lower-cases to `k`), without a final
/// `i` (`İ` lower-cases to `i` and U+0307, so it can end a match with its
/// `i`). An empty key holds everywhere. A test checks, over every character,
/// that no other character lower-cases into these.
fn phrase_key(phrase: &str) -> &str {
    let end = phrase
        .char_indices()
        .find(|&(_, c)| c == 'k' || !(c.is_ascii() || is_caseless(c) || ('а'..='я').contains(&c)))
        .map_or(phrase.len(), |(i, _)| i);
    phrase[..end].trim_end_matches('i')
}

/// The lower case of the capitals `phrase_key` admits (ASCII and basic
/// Cyrillic); any other character as it is.
fn fold(c: char) -> char {
    match c {
        'А'..='Я' => char::from_u32(u32::from(c) + 0x20).unwrap_or(c),
        _ => c.to_ascii_lowercase(),
    }
}

/// Does `hay` hold `key` (a non-ASCII [`phrase_key`]), compared by [`fold`]?
fn holds_folded(hay: &str, key: &str) -> bool {
    let Some(first) = key.chars().next() else {
        return true;
    };
    hay.char_indices().any(|(i, c)| {
        fold(c) == first && {
            let mut rest = hay[i..].chars().map(fold);
            key.chars().all(|k| rest.next() == Some(k))
        }
    })
}

/// The CJK, kana and Hangul blocks: characters without case, which only
/// themselves lower-case into.
fn is_caseless(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}')
}

/// Does `hay` hold `key`, ASCII letters compared without case (other bytes
/// exactly)? Jumps between the bytes that can start it.
fn holds_ignoring_ascii_case(hay: &[u8], key: &[u8]) -> bool {
    let Some(&first) = key.first() else {
        return true;
    };
    let fits = |i: usize| {
        hay.get(i..i + key.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(key))
    };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(fits)
}

pub(super) fn possible_values(description: &str, lower: &str, words: &[&Words]) -> Vec<String> {
    let Some(at) = words
        .iter()
        .flat_map(|w| w.possible_values.iter())
        .filter_map(|p| memchr::memmem::find(lower.as_bytes(), p.as_bytes()).map(|i| i + p.len()))
        .min()
    else {
        return Vec::new();
    };
    // `to_lowercase` keeps byte lengths for the scripts these tables hold; fall back safely.
    let Some(rest) = description.get(at..) else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches([' ', ':', '：', '是', '为', '—', '-']);
    let values = match marked_values(rest, "`").or_else(|| marked_values(rest, "**")) {
        Some(values) => values,
        None => match plain_values(rest) {
            Some(values) => values,
            None => return Vec::new(),
        },
    };
    if values.iter().any(|v| !is_value_identifier(v)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Values written between `mark`s (code spans, bold) up to the end of the
/// sentence; `None` when the list has none. A run of bare punctuation
/// between marked values (`A` `B` ：、、。 `C`, as machine translation
/// leaves a list) does not end it.
fn marked_values(rest: &str, mark: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut at = 0;
    while let Some(open) = rest[at..].find(mark).map(|i| at + i) {
        let between = &rest[at..open];
        if !values.is_empty() && ends_sentence(between) {
            break;
        }
        if values.is_empty() && ends_sentence(between) && !between.trim().is_empty() {
            return None;
        }
        let start = open + mark.len();
        let Some(close) = rest[start..].find(mark).map(|i| start + i) else {
            break;
        };
        let value = rest[start..close].trim().trim_matches(['"', '\'']);
        if !value.is_empty() {
            values.push(value.to_owned());
        }
        at = close + mark.len();
    }
    (!values.is_empty()).then_some(values)
}

/// Does the text between two marked values end the sentence? A full stop
/// followed by more words does; bare punctuation does not.
fn ends_sentence(between: &str) -> bool {
    between
        .find(['.', '。'])
        .is_some_and(|stop| between[stop..].chars().any(char::is_alphanumeric))
}

/// Comma-separated words up to the end of the sentence: `a, b, c`,
/// `a, b, and c`, `a, b или c`. `None` for a range (`X1 thru X21`).
fn plain_values(rest: &str) -> Option<Vec<String>> {
    let sentence = rest
        .split(['。'])
        .next()
        .unwrap_or("")
        .split(". ")
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let mut values = Vec::new();
    for item in sentence.split([',', '、', '，', ';']) {
        let item = strip_markup(item);
        let tokens: Vec<&str> = item
            .split_whitespace()
            .map(|t| t.trim_matches(['"', '\'', '(', ')']))
            .filter(|t| !t.is_empty())
            .collect();
        match tokens.as_slice() {
            [] => {}
            [one] => values.push((*one).to_owned()),
            // "and c", "или c": a connecting word, then the value.
            [_, last] => values.push((*last).to_owned()),
            // "b or c", "b 或 c"; but "X1 thru X21" names a range.
            [first, _, last] => {
                if is_range(first, last) {
                    return None;
                }
                values.push((*first).to_owned());
                values.push((*last).to_owned());
            }
            // Prose: the list ended.
            _ => break,
        }
    }
    Some(values)
}

/// `TableStyleLight1` … `TableStyleLight21`: one stem, two numbers.
fn is_range(first: &str, last: &str) -> bool {
    let stem = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned();
    let (a, b) = (stem(first), stem(last));
    !a.is_empty() && a == b && a.len() < first.len() && b.len() < last.len()
}

/// An enumeration member as a service spells it: ASCII letters, digits, `_`
/// (and `.`/`-` inside, as in `v1.0` or `en-US`).
fn is_value_identifier(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_alphanumeric())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The eight-at-a-time byte test is the byte-at-a-time one, for every
    /// byte at every offset of words of dashes, colons and spaces.
    #[test]
    fn delimiter_cells_are_read_as_one_byte_at_a_time() {
        let by_bytes = |cell: &[u8]| {
            cell.iter().all(|b| matches!(b, b'-' | b':' | b' ')) && cell.contains(&b'-')
        };
        for base in [
            &b"----------------"[..],
            b"::::::::  ::::::",
            b"        --------",
        ] {
            for len in 0..=base.len() {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut cell = base[..len].to_vec();
                        cell[at] = b;
                        assert_eq!(delimiter_cell(&cell), by_bytes(&cell), "{cell:?}");
                    }
                }
                assert_eq!(delimiter_cell(&base[..len]), by_bytes(&base[..len]));
            }
        }
    }

    /// Delimiter rows read byte by byte as the definition reads them (the
    /// trimmed cell: a dash, and only dashes, colons and spaces):
    /// runs of dashes of every length up to 20, with a colon, a space or
    /// another byte at every offset, padded with whitespace.
    #[test]
    fn delimiter_rows_are_read_as_the_definition_does() {
        let definition = |text: &str, cells: &[Range<usize>]| {
            !cells.is_empty()
                && cells.iter().all(|c| {
                    let cell = text[c.clone()].trim();
                    cell.contains('-') && cell.bytes().all(|b| matches!(b, b'-' | b':' | b' '))
                })
        };
        let mut cells = vec![
            String::new(),
            ":".into(),
            " ".into(),
            "\u{a0}-\u{3000}".into(),
        ];
        for len in 1..=20 {
            let dashes = "-".repeat(len);
            cells.push(dashes.clone());
            cells.push(format!(" {dashes}\t"));
            for at in 0..=len {
                for other in [":", " ", "x", "ー", "\t"] {
                    cells.push(format!("{}{other}{}", &dashes[..at], &dashes[at..]));
                }
            }
        }
        for cell in &cells {
            let text = format!("|{cell}|---|");
            let spans = [1..1 + cell.len(), 2 + cell.len()..5 + cell.len()];
            for cells in [&spans[..1], &spans[..]] {
                assert_eq!(
                    is_delimiter(&text, cells),
                    definition(&text, cells),
                    "{cell:?}"
                );
            }
        }
        assert!(is_delimiter(
            "|:-----------:|",
            std::slice::from_ref(&(1..14))
        ));
        assert!(!is_delimiter("|--------x|", std::slice::from_ref(&(1..10))));
    }

    /// [`PipeRows::read`] as first written, line by line: the definition
    /// the pipe-to-pipe reading is held to (rows, their cells and runs).
    fn pipe_rows_by_lines(
        text: &str,
        range: Range<usize>,
    ) -> Vec<(Range<usize>, Vec<Range<usize>>, usize)> {
        let mut out = Vec::new();
        let mut run = 0;
        let mut open = false;
        for (span, content) in lines(text, range) {
            if !is_pipe_row(content) {
                if open {
                    run += 1;
                }
                open = false;
                continue;
            }
            open = true;
            out.push((span.clone(), cells(text, span), run));
        }
        out
    }

    #[test]
    fn pipe_rows_read_from_pipe_to_pipe_as_line_by_line() {
        let texts = [
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "x\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\r\n3 | 4\nprose | pipe\n\n| c |\n|:-|\n| 5 |\n",
            "a | b\n|---|---|\none | pipe\n| a | b |\n|---|---|\n1 | 2\n\n| x | y |\n| - | - |\ntext\n| z |\n",
            "  | a |\n  |---|\n\u{3000}| 接 |\n| b |\n|--|\na|\n|b\n",
            "||\n|-|\n|\n|",
            "",
            "no pipes at all\n\njust prose\n",
            // Escaped pipes, code spans holding pipes (and a backtick
            // before the first pipe), tabs, empty cells, wide cells, CRLF.
            "| a \\| b | `c|d` |\r\n|---|:-:|\r\n| `x | y` | \\| |\n|\t|\t\t|\n| | |\n",
            "`q|` x\n`q` | a |\n| b | c |\n|---|---|\n| 名前 | 説明\u{3000}|\n|\u{a0}値\u{a0}|\u{3000}|\r\n",
            "a \\| b\n\\| c\n`|`|\n| a | b | c | d | e |\n| 1 |\n|\n\t| e\\|f | g |   \n |",
        ];
        for text in texts {
            for range in crate::page::test_ranges(text) {
                let read = PipeRows::read(text, range.clone());
                let got: Vec<_> = read
                    .rows
                    .iter()
                    .map(|r| (r.span.clone(), read.cells(r).to_vec(), r.run))
                    .collect();
                assert_eq!(
                    got,
                    pipe_rows_by_lines(text, range.clone()),
                    "{text:?} {range:?}"
                );
            }
        }
    }
    use crate::lang::words::{EN, ZH_CN};

    #[test]
    fn plain_folds_spacing_as_split_whitespace_does() {
        for cell in [
            "",
            "  ",
            "**Delegated**  (work or school account) ",
            "a\u{b}b\u{c}c\td\r\ne",
            "[Application](x.md)\tonly",
            "委派 （工作或学校帐户）\u{3000}x",
            "Делегированные\u{a0}(рабочая)",
        ] {
            let stripped = strip_markup(cell);
            let words: Vec<&str> = stripped.split_whitespace().collect();
            assert_eq!(plain(cell), words.join(" "), "{cell:?}");
        }
    }

    #[test]
    fn only_ascii_and_caseless_characters_lower_case_into_phrase_keys() {
        // What `phrase_key` relies on: a lower-cased ASCII or caseless
        // character comes from itself or its ASCII capital, but for `İ`
        // (whose `i` is followed by U+0307) and the Kelvin sign.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let lower: Vec<char> = c.to_lowercase().collect();
            for (n, &l) in lower.iter().enumerate() {
                if l.is_ascii() && !c.is_ascii() {
                    let known =
                        (c == '\u{130}' && l == 'i' && lower.get(n + 1) == Some(&'\u{307}'))
                            || (c == '\u{212A}' && l == 'k');
                    assert!(known, "{c:?} lower-cases to {l:?}");
                }
                if l.is_ascii() && c.is_ascii() {
                    assert_eq!(l, c.to_ascii_lowercase(), "{c:?}");
                }
                if is_caseless(l) {
                    assert_eq!(c, l, "{c:?} lower-cases to {l:?}");
                }
                if ('а'..='я').contains(&l) {
                    assert_eq!(fold(c), l, "{c:?} lower-cases to {l:?}");
                }
            }
        }
    }

    #[test]
    fn phrase_prefilter_passes_every_description_the_search_finds_a_phrase_in() {
        use crate::lang::words::LANGUAGES;
        let found = |d: &str, w: &[&Words]| {
            let lower = d.to_lowercase();
            w.iter()
                .flat_map(|w| w.possible_values.iter())
                .any(|p| lower.contains(p))
        };
        let mut descriptions: Vec<String> = [
            "",
            "The name.",
            "Possible values are: `a`, `b`.",
            "POSSIBLE VALUES: A, B",
            "pOsSiBlE vAlUeS include x",
            "I VALORI POSSIBİLİ sono",
            "VALORI POSSIBİLİ",
            "VALORI POSSIBILİ",
            "возможные ЗНАЧЕНИЯ",
            "Возможные значени",
            "возможные\u{a0}значения",
            "valori possibili",
            "Mögliche Werte",
            "MÖGLICHE WERTE",
            "\u{212A}ey. Possible values are",
            "可能的值是 `a`",
            "使用可能な値",
            "가능한 값",
            "Возможные значения — **a**",
            "ВОЗМОЖНЫЕ ЗНАЧЕНИЯ",
            "LES VALEURS POSSIBLES SONT",
            "Os valores possíveis são",
            "OS VALORES POSSÍVEIS SÃO",
            "possible value",
            "possible\u{a0}values are",
        ]
        .iter()
        .map(|d| d.to_string())
        .collect();
        // Every phrase as written, in capitals, and cut short by a character.
        for words in LANGUAGES {
            for p in words.possible_values {
                descriptions.push(format!("x {p} y"));
                descriptions.push(p.to_uppercase());
                let last = p.char_indices().last().map_or(0, |(i, _)| i);
                descriptions.push(p[..last].to_string());
            }
        }
        for d in &descriptions {
            for words in LANGUAGES {
                for set in [vec![*words], vec![*words, &EN]] {
                    if found(d, &set) {
                        assert!(may_name_possible_values(d, &set), "{d:?}");
                    }
                }
            }
        }
        // And it does turn away a description without a phrase.
        assert!(!may_name_possible_values("The name of the group.", &[&EN]));
        assert!(!may_name_possible_values("组的名称。", &[&ZH_CN, &EN]));
        use crate::lang::words::RU_RU;
        assert!(!may_name_possible_values("Имя группы.", &[&RU_RU, &EN]));
        assert!(may_name_possible_values(
            "ВОЗМОЖНЫЕ значения",
            &[&RU_RU, &EN]
        ));
    }

    #[test]
    fn possible_values_in_english_and_chinese() {
        let values = |d: &str, w: &[&Words]| possible_values(d, &d.to_lowercase(), w);
        assert_eq!(
            values(
                "The type. Possible values are: `user`, `group`, `unknownFutureValue`. Required.",
                &[&EN]
            ),
            ["user", "group", "unknownFutureValue"]
        );
        assert_eq!(
            values(
                "The type. Possible values are: user,group, externalGroup. Required.",
                &[&EN]
            ),
            ["user", "group", "externalGroup"]
        );
        assert_eq!(
            values(
                "类型。 可能的值是 `user` `group` `externalGroup` ：、、。 必需。",
                &[&ZH_CN, &EN]
            ),
            ["user", "group", "externalGroup"]
        );
    }

    #[test]
    fn possible_values_as_real_pages_write_them() {
        use crate::lang::words::RU_RU;
        let values = |d: &str, w: &[&Words]| possible_values(d, &d.to_lowercase(), w);
        // Machine translation splits the list with bare punctuation.
        assert_eq!(
            values(
                "水平对齐方式。 可能的值是 `General` `Left` ：、、、。 `Center` `Right`",
                &[&ZH_CN, &EN]
            ),
            ["General", "Left", "Center", "Right"]
        );
        assert_eq!(
            values(
                "Possible values are **All**, **Selected** or **None**.",
                &[&EN]
            ),
            ["All", "Selected", "None"]
        );
        assert_eq!(
            values(
                "Возможные значения — **All**, **Selected** и **None**.",
                &[&RU_RU, &EN]
            ),
            ["All", "Selected", "None"]
        );
        assert_eq!(
            values(
                "Possible values are everyone, organization, organizer, and unknownFutureValue.",
                &[&EN]
            ),
            [
                "everyone",
                "organization",
                "organizer",
                "unknownFutureValue"
            ]
        );
        assert_eq!(
            values("The possible values are: **Private**, **Public**, or empty (which is interpreted as **Public**).", &[&EN]),
            ["Private", "Public"]
        );
        assert_eq!(
            values("Possible values are: `a`, `b`. Default is `c`.", &[&EN]),
            ["a", "b"]
        );
        // A range, a translated value and a pointer elsewhere list nothing to check against.
        assert!(values("The possible values are: TableStyleLight1 thru TableStyleLight21, TableStyleMedium1 thru TableStyleMedium28.", &[&EN]).is_empty());
        assert!(values(
            "Возможные значения: \"зритель\", \"sharer\"",
            &[&RU_RU, &EN]
        )
        .is_empty());
        assert!(values("Possible values are listed in the following table.", &[&EN]).is_empty());
    }

    #[test]
    fn required_is_a_sentence_of_its_own() {
        use crate::lang::words::RU_RU;
        let required = |d: &str, w: &[&Words]| {
            let got = is_required(d, w);
            assert_eq!(got, is_required_by_sentences(&d.to_lowercase(), w), "{d}");
            got
        };
        assert!(required("The name. Required.", &[&EN]));
        assert!(required("The name. **Required**", &[&EN]));
        assert!(required("名称。 必需。", &[&ZH_CN, &EN]));
        assert!(required("名称。 必需项。", &[&ZH_CN, &EN]));
        assert!(required("Имя. Обязательный.", &[&RU_RU, &EN]));
        assert!(!required(
            "The name. Required when the type is `user`.",
            &[&EN]
        ));
        assert!(!required(
            "The name. Required only if **scope** is set.",
            &[&EN]
        ));
        assert!(!required("The name. Not required.", &[&EN]));
        assert!(!required(
            "Indicates whether an app-level pin is required.",
            &[&EN]
        ));
        assert!(!required("名称。 仅当类型为用户时必需。", &[&ZH_CN, &EN]));
        assert!(required("Имя. **ОБЯЗАТЕЛЬНЫЙ**", &[&RU_RU, &EN]));
        assert!(required("The name. _Required_ ", &[&EN]));
        assert!(required("The name.  `REQUIRED`  x.", &[&EN]));
        assert!(!required("The name. Required, and more", &[&EN]));
        assert!(!required("", &[&EN]));
        assert!(!required("İ. ΑΣ.Β required", &[&EN]));
    }

    #[test]
    fn markup_is_stripped_as_the_char_by_char_definition_does() {
        for cell in [
            "",
            "plain",
            "**[x](y)**",
            "[a](b) and [c](d",
            "x]( no close",
            "]",
            "](",
            "a ] b [ c",
            "`code` *em* **strong**",
            "[委派](../x.md)（工作）**必需**",
            "Делегированные]](x) y",
            "**a**](b)c)",
        ] {
            assert_eq!(strip_markup(cell), strip_markup_by_chars(cell), "{cell:?}");
        }
    }

    /// The cells of a row as `str::trim` and the first splitter cut them:
    /// the definition `push_cells` is held to.
    fn cells_by_definition(line: &str) -> Vec<&str> {
        let bytes = line.as_bytes();
        let mut out = Vec::new();
        let (mut start, mut in_code) = (0, false);
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'`' => in_code = !in_code,
                b'|' if !in_code && (i == 0 || bytes[i - 1] != b'\\') => {
                    out.push(&line[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(&line[start..]);
        if line.trim_start().starts_with('|') && out.first().is_some_and(|c| c.trim().is_empty()) {
            out.remove(0);
        }
        if line.trim_end().ends_with('|') && out.last().is_some_and(|c| c.trim().is_empty()) {
            out.pop();
        }
        out.into_iter().map(str::trim).collect()
    }

    #[test]
    fn cells_are_cut_and_trimmed_as_the_definition_does() {
        for line in [
            "",
            " ",
            "|",
            "||",
            "| |",
            "\u{a0}|\u{a0}",
            "| a | b |",
            "a | b",
            "| a \\| b |",
            "| `x|y` | c |",
            "| `x | y",
            "|\u{3000}委派\u{3000}| 必需\u{a0} |\u{b}",
            "\u{85}| x |\u{2028}",
            "| a | | c |",
            "  | a",
            "a |",
            "| Ünï | é\u{a0}|",
            "|        a                 |                |  b\t       \t|",
            "|\u{a0}          x          \u{a0}|",
            "|        |",
            "|                a         |       b|c        |",
            "                 |x        ",
            "|\u{a0}        \u{a0}|        \u{3000}        |",
            "|\t        x\t        |",
        ] {
            let got: Vec<&str> = cells(line, 0..line.len())
                .into_iter()
                .map(|c| &line[c])
                .collect();
            assert_eq!(got, cells_by_definition(line), "{line:?}");
        }
        // Within a longer text, the spans are the text's.
        let text = "x\n| a | b |\ny";
        let got: Vec<&str> = cells(text, 2..11).into_iter().map(|c| &text[c]).collect();
        assert_eq!(got, ["a", "b"]);
    }

    #[test]
    fn every_non_ascii_space_starts_with_a_listed_byte() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                let mut buf = [0; 4];
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(may_start_space(first), "{c:?}");
            }
        }
    }

    #[test]
    fn cells_respect_code_spans() {
        let text = "| a | `x|y` | c |";
        let cells = cells(text, 0..text.len());
        let got: Vec<&str> = cells.iter().map(|c| &text[c.clone()]).collect();
        assert_eq!(got, ["a", "`x|y`", "c"]);
    }

    #[test]
    fn row_labels_read_in_every_inflection_of_every_language() {
        use PermissionKind::{Application, DelegatedPersonal, DelegatedWork};
        for (label, kind) in [
            ("Delegated (work or school account)", DelegatedWork),
            ("Delegated (personal Microsoft account)", DelegatedPersonal),
            ("Application", Application),
            ("委派（工作或学校帐户）", DelegatedWork),
            ("委派（个人 Microsoft 帐户）", DelegatedPersonal),
            ("应用程序", Application),
            (
                "Делегированные (рабочая или учебная учетная запись)",
                DelegatedWork,
            ),
            (
                "Делегированное (личная учетная запись Майкрософт)",
                DelegatedPersonal,
            ),
            ("Делегированная (личная учетная запись)", DelegatedPersonal),
            ("Для приложений", Application),
            ("Приложение", Application),
            ("Сервер приложений", Application),
            (
                "Delegada (conta corporativa ou de estudante)",
                DelegatedWork,
            ),
            ("Delegadas (conta pessoal da Microsoft)", DelegatedPersonal),
            ("Delegado (conta pessoal)", DelegatedPersonal),
            ("Aplicativo", Application),
            ("Aplicação", Application),
            (
                "Delegiert (Geschäfts-, Schul- oder Unikonto)",
                DelegatedWork,
            ),
            (
                "Delegierte (persönliches Microsoft-Konto)",
                DelegatedPersonal,
            ),
            ("Anwendung", Application),
            (
                "Déléguées (compte professionnel ou scolaire)",
                DelegatedWork,
            ),
            ("Déléguée (compte Microsoft personnel)", DelegatedPersonal),
            ("Application", Application),
            ("Delegado (cuenta profesional o educativa)", DelegatedWork),
            (
                "Delegados (cuenta personal de Microsoft)",
                DelegatedPersonal,
            ),
            ("Aplicación", Application),
            ("委任 (職場または学校のアカウント)", DelegatedWork),
            ("委任 (個人用 Microsoft アカウント)", DelegatedPersonal),
            ("アプリケーション", Application),
            ("위임된 (회사 또는 학교 계정)", DelegatedWork),
            ("위임된(개인 Microsoft 계정)", DelegatedPersonal),
            ("애플리케이션", Application),
            (
                "Delegata (account aziendale o dell'istituto di istruzione)",
                DelegatedWork,
            ),
            ("Applicazioni", Application),
            ("**Delegated** (work or school account)", DelegatedWork),
        ] {
            assert_eq!(permission_kind(label), Some(kind), "{label}");
        }
        assert_eq!(permission_kind("Permission type"), None);
        assert_eq!(permission_kind("Тип разрешения"), None);
        assert_eq!(permission_kind("[event](../resources/event.md)"), None);
    }

    #[test]
    fn scopes_ignore_separators_conjunctions_and_prose() {
        let keys =
            |cell: &str| -> Vec<String> { scopes(cell).into_iter().map(|s| s.key).collect() };
        assert_eq!(
            keys("Policy.Read.All 和 Application.ReadWrite.All、Policy.ReadWrite.ApplicationConfiguration。"),
            ["policy.read.all", "application.readwrite.all", "policy.readwrite.applicationconfiguration"]
        );
        assert_eq!(
            keys("对于 **用户** 资源：不支持。<br/>对于 **频道** 资源：TeamMember.Read.Group *"),
            ["teammember.read.group"]
        );
        assert!(keys("不支持").is_empty());
        assert!(keys("Not supported.").is_empty());
        assert_eq!(
            keys("[User.Read](../concepts/permissions-reference.md)"),
            ["user.read"]
        );
        // Spaced out or translated names are no names.
        assert_eq!(
            keys("Notes. Read. ALL, 任务.读取，Calls.Initiate. Все"),
            ["calls.initiate"]
        );
        let cell = "x, Mail.Read.";
        let s = &scopes(cell)[0];
        assert_eq!(&cell[s.span.clone()], "Mail.Read");
    }

    #[test]
    fn permissions_tables_by_position_with_their_labels() {
        let text = "## Разрешения\n\n|Тип разрешения|Разрешения|\n|:--|:--|\n|Делегированное (рабочая или учебная учетная запись)|Mail.Read|\n|Сервер приложений|Не поддерживается.|\n\nТекст.\n\n| Ресурс | Delegated (work or school account) | Application |\n|--|--|--|\n| [событие](../resources/event.md) | Calendars.Read | — |\n";
        let page = Page::from_text(
            std::sync::Arc::from("p.md"),
            text.to_owned(),
            Some("ru-ru".into()),
        );
        let got: Vec<_> = page
            .permissions
            .iter()
            .map(|p| {
                (
                    p.table,
                    p.row,
                    p.column,
                    p.kind,
                    p.label.as_str(),
                    p.value.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    0,
                    0,
                    1,
                    Some(PermissionKind::DelegatedWork),
                    "Делегированное (рабочая или учебная учетная запись)",
                    "Mail.Read"
                ),
                (
                    0,
                    1,
                    1,
                    Some(PermissionKind::Application),
                    "Сервер приложений",
                    "Не поддерживается."
                ),
                (
                    1,
                    0,
                    1,
                    Some(PermissionKind::DelegatedWork),
                    "Delegated (work or school account) (`событие`)",
                    "Calendars.Read"
                ),
                (
                    1,
                    0,
                    2,
                    Some(PermissionKind::Application),
                    "Application (`событие`)",
                    "—"
                ),
            ]
        );
    }

    #[test]
    fn rendered_rows_split_after_their_label() {
        let text = "Title\n\nPermissions\n\nOne of the following permissions is required.\n\nPermission type Permissions (from least to most privileged)\nDelegated (work or school account) Mail.Read, Mail.ReadWrite\nDelegated (personal Microsoft account) Not supported\nApplication Mail.Read\n\nApplication permissions are not supported for /me.\n\nHTTP request\n\nGET /me/messages\n";
        let page = Page::from_text(std::sync::Arc::from("p.txt"), text.to_owned(), None);
        let got: Vec<_> = page
            .permissions
            .iter()
            .map(|p| (p.table, p.row, p.kind, p.label.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    0,
                    0,
                    Some(PermissionKind::DelegatedWork),
                    "Delegated (work or school account)",
                    "Mail.Read, Mail.ReadWrite"
                ),
                (
                    0,
                    1,
                    Some(PermissionKind::DelegatedPersonal),
                    "Delegated (personal Microsoft account)",
                    "Not supported"
                ),
                (
                    0,
                    2,
                    Some(PermissionKind::Application),
                    "Application",
                    "Mail.Read"
                ),
            ]
        );
    }
}
