//! Byte offsets to 1-based line and column, the one place that does it
//! (after ruff's `LineIndex`). Columns count Unicode scalar values, which is
//! what editors show for the CJK text of translated pages; SARIF output
//! declares `columnKind: unicodeCodePoints` accordingly.

/// Line starts of one text, computed once per page.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Starts,
}

/// The line starts, as `u32` when the text is shorter than 4 GiB (every
/// page in practice): the index of each page with a finding lives until
/// the report, and half the width is half its memory.
#[derive(Debug, Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Starts {
    fn default() -> Self {
        Starts::Narrow(Vec::new())
    }
}

impl Starts {
    fn get(&self, line: usize) -> Option<usize> {
        match self {
            Starts::Narrow(v) => v.get(line).map(|&s| s as usize),
            Starts::Wide(v) => v.get(line).copied(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Starts::Narrow(v) => v.len(),
            Starts::Wide(v) => v.len(),
        }
    }

    /// `binary_search` of the starts for `offset`.
    fn search(&self, offset: usize) -> Result<usize, usize> {
        match self {
            // An offset past `u32::MAX` lies past every start of a narrow index.
            Starts::Narrow(v) => match u32::try_from(offset) {
                Ok(offset) => v.binary_search(&offset),
                Err(_) => Err(v.len()),
            },
            Starts::Wide(v) => v.binary_search(&offset),
        }
    }
}

/// A resolved position: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl LineIndex {
    /// The index of `text`: where each line starts.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counted first: the exact size, allocated once (no growth, no
        // slack kept until the report).
        let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
        let starts = match u32::try_from(text.len()) {
            Ok(_) => {
                let mut starts = Vec::with_capacity(lines);
                starts.push(0);
                // Every start is at most the text's length, which fits.
                let start = |i: usize| (i + 1) as u32;
                // One AVX2 searcher for all the lines: `memchr_iter` makes
                // (dispatches to, and fills the vectors of) a searcher per
                // line, most of the cost of the index on short lines.
                #[cfg(target_arch = "x86_64")]
                if let Some(one) = memchr::arch::x86_64::avx2::memchr::One::new(b'\n') {
                    starts.extend(one.iter(bytes).map(start));
                    return LineIndex {
                        starts: Starts::Narrow(starts),
                    };
                }
                starts.extend(memchr::memchr_iter(b'\n', bytes).map(start));
                Starts::Narrow(starts)
            }
            Err(_) => {
                let mut starts = Vec::with_capacity(lines);
                starts.push(0);
                starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
                Starts::Wide(starts)
            }
        };
        LineIndex { starts }
    }

    /// 0-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.search(offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).unwrap_or(usize::MAX)
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The text of the 0-based `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts.get(line).unwrap_or(text.len()).min(text.len());
        let end = self
            .starts
            .get(line + 1)
            .unwrap_or(text.len())
            .min(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// 1-based line and column of `offset` in `text`. An offset inside a
    /// multi-byte character resolves to that character.
    /// The byte offset of a 1-based position: the inverse of
    /// [`LineIndex::position`] (for findings read back from JSON).
    pub fn offset(&self, text: &str, at: Position) -> usize {
        let Some(start) = self.starts.get(at.line.saturating_sub(1)) else {
            return text.len();
        };
        text[start..]
            .char_indices()
            .nth(at.column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    }

    /// The 1-based position of byte `offset` (clamped to the text).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts.get(line).unwrap_or(0);
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }
}

/// A searcher for `\n`, made once and asked for every line of a text in
/// turn (the block scanner's walk). A line is short (42 bytes on average in
/// the corpus), and `memchr::memchr` chooses its implementation anew on
/// every call (a function pointer, then a length dispatch), the larger part
/// of a short search; the AVX2 searcher held here skips the choice
/// (callgrind, a walk over 3,000 pages: 73 instructions a line, 44 held).
#[derive(Clone, Copy)]
pub(crate) struct Newline {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::One>,
}

impl Newline {
    /// The searcher this CPU runs fastest (AVX2 where it has it).
    pub(crate) fn new() -> Self {
        Newline {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::One::new(b'\n'),
        }
    }

    /// The offset of the first `\n` in `hay`.
    #[inline]
    pub(crate) fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(one) = &self.avx2 {
            return one.find(hay);
        }
        memchr::memchr(b'\n', hay)
    }

    /// The end of the line that starts at `at`: past its `\n`, or the
    /// end of `bytes`. (Always inlined: a call a line, where the compiler
    /// kept it out of line in the scanner's walk, cost ~20 M instructions
    /// on the corpus.)
    #[inline(always)]
    pub(crate) fn line_end(&self, bytes: &[u8], at: usize) -> usize {
        self.find(&bytes[at..]).map_or(bytes.len(), |i| at + i + 1)
    }
}

/// 1-based lines of offsets asked in page order, counted from the previous
/// one: a few lines of a long text numbered without the whole [`LineIndex`]
/// (an example's two lines, on a page of thousands).
#[derive(Debug, Clone)]
pub struct LineCounter<'t> {
    text: &'t [u8],
    /// The last offset asked (clamped to the text) and its 0-based line.
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    /// A counter at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 0,
        }
    }

    /// The 1-based line of byte `offset`, as [`LineIndex::line_of`] + 1: the
    /// line breaks before it. Counted from the previous offset when this
    /// one is not before it, else from the start again.
    pub fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 0;
        }
        self.line += memchr::memchr_iter(b'\n', &self.text[self.offset..offset]).count();
        self.offset = offset;
        self.line + 1
    }
}

/// Some lines of a text, with their numbers, kept when the text itself is
/// dropped (`check` drops each page's text once its page rules have run):
/// the lines its findings point at, which is all that their positions and
/// the report's snippets read. Positions come out as [`LineIndex::position`]
/// and [`LineIndex::line_text`] give them on the whole text.
#[derive(Debug, Clone, Default)]
pub struct KeptLines {
    /// The text's length: offsets are clamped to it, as on the whole text.
    len: usize,
    /// Sorted by start; no two the same line.
    lines: Vec<KeptLine>,
}

#[derive(Debug, Clone)]
struct KeptLine {
    /// 0-based line number.
    number: usize,
    /// Byte offset of the line's start in the text.
    start: usize,
    /// The line with its ending (`\n`, `\r\n`), up to the next line's start.
    text: Box<str>,
    /// The text's last line, which also holds the offset of the text's end.
    last: bool,
}

impl KeptLines {
    /// The lines of `text` that hold `offsets`. Numbered by counting the
    /// line breaks up to each in turn, not through a [`LineIndex`]: the
    /// index of a page costs a store per line (39 M instructions over the
    /// corpus's pages with findings), a vectorised count a fraction of it.
    pub fn keep(text: &str, offsets: impl IntoIterator<Item = usize>) -> Self {
        Self::keep_numbering(text, offsets, &[]).0
    }

    /// [`KeptLines::keep`], and the 0-based line of each of `also` (whose
    /// lines are not kept), numbered in the same count of the line breaks.
    pub fn keep_numbering(
        text: &str,
        offsets: impl IntoIterator<Item = usize>,
        also: &[usize],
    ) -> (Self, Vec<usize>) {
        let bytes = text.as_bytes();
        // Each offset, and for one of `also` its index there.
        let mut offsets: Vec<(usize, Option<usize>)> = offsets
            .into_iter()
            .map(|o| (o.min(text.len()), None))
            .chain(
                also.iter()
                    .enumerate()
                    .map(|(i, &o)| (o.min(text.len()), Some(i))),
            )
            .collect();
        offsets.sort_unstable();
        let mut numbers = vec![0; also.len()];
        let mut lines: Vec<KeptLine> = Vec::new();
        // Line breaks counted before `counted`.
        let (mut counted, mut number) = (0, 0);
        for (offset, numbered) in offsets {
            if let Some(line) = lines.last() {
                if line.last || offset < line.start + line.text.len() {
                    if let Some(i) = numbered {
                        numbers[i] = line.number;
                    }
                    continue;
                }
            }
            // As [`LineIndex::line_of`]: the line starts past the last
            // break before the offset, and runs through the first break
            // at or after it.
            let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
            number += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
            counted = start;
            if let Some(i) = numbered {
                numbers[i] = number;
                continue;
            }
            let end = memchr::memchr(b'\n', &bytes[offset..]).map(|i| offset + i + 1);
            lines.push(KeptLine {
                number,
                start,
                text: text[start..end.unwrap_or(text.len())].into(),
                last: end.is_none(),
            });
        }
        let kept = KeptLines {
            len: text.len(),
            lines,
        };
        (kept, numbers)
    }

    /// Lines of a text of `len` bytes given whole: each `(number, start,
    /// text)` a 0-based line number, the line's start in the text, and the
    /// line with its ending, none the text's last line. What
    /// [`KeptLines::keep`] keeps of the text for offsets in those lines.
    pub fn from_lines(len: usize, mut given: Vec<(usize, usize, String)>) -> Self {
        given.sort_unstable_by_key(|&(_, start, _)| start);
        given.dedup_by_key(|&mut (_, start, _)| start);
        let lines = given
            .into_iter()
            .map(|(number, start, text)| KeptLine {
                number,
                start,
                text: text.into(),
                last: false,
            })
            .collect();
        KeptLines { len, lines }
    }

    /// The length of the text the lines were kept from.
    pub fn text_len(&self) -> usize {
        self.len
    }

    /// The kept line that holds `offset` (clamped to the text).
    fn line_of(&self, offset: usize) -> Option<&KeptLine> {
        let offset = offset.min(self.len);
        let after = self.lines.partition_point(|l| l.start <= offset);
        let line = self.lines.get(after.checked_sub(1)?)?;
        let within = offset - line.start;
        (within < line.text.len() || line.last && within == line.text.len()).then_some(line)
    }

    /// Whether the kept lines hold `offset`.
    pub fn holds(&self, offset: usize) -> bool {
        self.line_of(offset).is_some()
    }

    /// Whether the kept lines hold both ends of `span`.
    pub fn holds_span(&self, span: &std::ops::Range<usize>) -> bool {
        self.holds(span.start) && self.holds(span.end.max(span.start))
    }

    /// The 1-based position of byte `offset`, if its line is kept.
    pub fn position(&self, offset: usize) -> Option<Position> {
        let offset = offset.min(self.len);
        let line = self.line_of(offset)?;
        let mut end = offset - line.start;
        while end > 0 && !line.text.is_char_boundary(end) {
            end -= 1;
        }
        Some(Position {
            line: line.number + 1,
            column: line.text[..end].chars().count() + 1,
        })
    }

    /// The text of the 0-based `line`, without its line ending, if kept.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let at = self.lines.binary_search_by_key(&line, |l| l.number).ok()?;
        Some(self.lines[at].text.trim_end_matches(['\n', '\r']))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines numbered beside the kept ones are the index's, whatever
    /// the kept offsets (none, the same, every other, others) and the order
    /// asked in; the kept lines are those [`KeptLines::keep`] keeps.
    #[test]
    fn lines_numbered_beside_the_kept_ones_are_the_index_s() {
        for text in ["ab\n委派x\r\n\nz", "ab\n委派x\n", "", "\n\n", "one line"] {
            let index = LineIndex::new(text);
            let every: Vec<usize> = (0..=text.len() + 2).collect();
            let backwards: Vec<usize> = every.iter().rev().copied().collect();
            let odd: Vec<usize> = every.iter().copied().filter(|o| o % 2 == 1).collect();
            for kept_offsets in [&[][..], &every, &odd, &[text.len()][..]] {
                for also in [&every, &backwards] {
                    let (kept, numbers) =
                        KeptLines::keep_numbering(text, kept_offsets.iter().copied(), also);
                    let lines: Vec<usize> = also
                        .iter()
                        .map(|&o| index.line_of(o.min(text.len())))
                        .collect();
                    assert_eq!(numbers, lines, "{text:?} keeping {kept_offsets:?}");
                    let alone = KeptLines::keep(text, kept_offsets.iter().copied());
                    for &o in &every {
                        assert_eq!(kept.position(o), alone.position(o), "{text:?} at {o}");
                    }
                }
            }
        }
    }

    #[test]
    fn kept_lines_give_the_whole_text_s_positions_and_lines() {
        for text in ["ab\n委派x\r\n\nz", "ab\n委派x\n", "", "\n\n", "one line"] {
            let index = LineIndex::new(text);
            let every = 0..=text.len() + 2;
            let kept = KeptLines::keep(text, every.clone());
            for offset in every {
                assert_eq!(
                    kept.position(offset),
                    Some(index.position(text, offset)),
                    "{text:?} at {offset}"
                );
            }
            for line in 0..index.line_count() {
                assert_eq!(kept.line_text(line), Some(index.line_text(text, line)));
            }
        }
    }

    #[test]
    fn kept_lines_hold_only_the_lines_asked_for() {
        let text = "ab\n委派x\n\nz";
        // Offset 4 is inside `委`: its line, the second, is kept.
        let kept = KeptLines::keep(text, [4]);
        assert_eq!(kept.position(4), Some(Position { line: 2, column: 1 }));
        assert_eq!(kept.position(9), Some(Position { line: 2, column: 3 }));
        // The line's `\n` is its own; the next line's start is not.
        assert!(kept.holds(10));
        assert!(!kept.holds(11));
        assert!(!kept.holds(2));
        assert_eq!(kept.position(12), None);
        assert_eq!(kept.line_text(1), Some("委派x"));
        assert_eq!(kept.line_text(0), None);
        // The end of the text is on the last line only.
        let kept = KeptLines::keep(text, [text.len()]);
        assert_eq!(kept.position(99), Some(Position { line: 4, column: 2 }));
        assert_eq!(kept.text_len(), text.len());
    }

    #[test]
    fn offsets_invert_positions() {
        let text = "ab\n接口c\n\nd";
        let index = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let at = index.position(text, offset);
            assert_eq!(index.offset(text, at), offset, "{at:?}");
        }
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\n委派x\n\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 2), Position { line: 1, column: 3 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // "x" follows two three-byte characters.
        assert_eq!(index.position(text, 9), Position { line: 2, column: 3 });
        assert_eq!(index.position(text, 11), Position { line: 3, column: 1 });
        assert_eq!(index.line_text(text, 1), "委派x");
        assert_eq!(index.line_count(), 4);
    }

    /// The counter numbers every offset as the index does, asked in page
    /// order, backwards, or past the end.
    #[test]
    fn a_counter_numbers_lines_as_the_index() {
        let text = "ab\n接口c\n\nd\r\n\n";
        let index = LineIndex::new(text);
        let mut counter = LineCounter::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(counter.line(offset), index.line_of(offset) + 1, "{offset}");
        }
        for offset in (0..=text.len() + 2).rev() {
            assert_eq!(counter.line(offset), index.line_of(offset) + 1, "{offset}");
        }
        for offset in [5, 5, 0, 12, 3, 14] {
            assert_eq!(counter.line(offset), index.line_of(offset) + 1, "{offset}");
        }
        assert_eq!(LineCounter::new("").line(3), 1);
    }
}
