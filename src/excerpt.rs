//! Text cut out of a page (a code block's content, a message body) with a map
//! back to page offsets. A fenced block inside a list or a block quote loses
//! its indentation or `> ` prefixes when cut out, so one piece per run of
//! contiguous source keeps every position exact.

use std::ops::Range;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Excerpt {
    pub text: String,
    /// (offset in `text`, offset in the page), sorted; each piece runs to the next.
    pieces: Vec<(usize, usize)>,
}

impl Excerpt {
    /// An excerpt that is one contiguous run of the page starting at `page_offset`.
    pub fn contiguous(text: String, page_offset: usize) -> Self {
        Excerpt {
            text,
            pieces: vec![(0, page_offset)],
        }
    }

    /// An empty excerpt with room for `bytes` of text.
    pub fn with_capacity(bytes: usize) -> Self {
        Excerpt {
            text: String::with_capacity(bytes),
            pieces: Vec::new(),
        }
    }

    /// Appends `piece`, which stands at `page_offset` in the page.
    pub fn push(&mut self, piece: &str, page_offset: usize) {
        let at = self.text.len();
        let contiguous = self
            .pieces
            .last()
            .is_some_and(|&(t, p)| p + (at - t) == page_offset);
        if !contiguous {
            self.pieces.push((at, page_offset));
        }
        self.text.push_str(piece);
    }

    /// Where the excerpt starts in the page when it is one contiguous run
    /// of it (a block outside lists and quotes), else `None`.
    pub fn contiguous_start(&self) -> Option<usize> {
        match self.pieces[..] {
            [(0, start)] => Some(start),
            _ => None,
        }
    }

    /// The page offset of an offset in this excerpt.
    pub fn to_page(&self, offset: usize) -> usize {
        // One piece (a block outside lists and quotes: nearly all), an
        // addition; else the piece found by a binary search.
        if let [(t, p)] = self.pieces[..] {
            if offset >= t {
                return p + (offset - t);
            }
        }
        let i = match self.pieces.binary_search_by(|&(t, _)| t.cmp(&offset)) {
            Ok(i) => i,
            Err(0) => return self.pieces.first().map_or(offset, |&(_, p)| p),
            Err(i) => i - 1,
        };
        let (t, p) = self.pieces[i];
        p + (offset - t)
    }

    pub fn span_to_page(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.to_page(span.start);
        let end = if span.end > span.start {
            self.to_page(span.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }

    /// The sub-excerpt `range` of this one, with its own map.
    pub fn slice(&self, range: Range<usize>) -> Excerpt {
        let mut out = Excerpt {
            text: self.text[range.clone()].to_owned(),
            pieces: Vec::new(),
        };
        out.pieces.push((0, self.to_page(range.start)));
        for &(t, p) in &self.pieces {
            if t > range.start && t < range.end {
                out.pieces.push((t - range.start, p));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_pieces_back_to_the_page() {
        let mut e = Excerpt::default();
        e.push("ab\n", 10);
        e.push("cd\n", 15);
        assert_eq!(e.to_page(0), 10);
        assert_eq!(e.to_page(2), 12);
        assert_eq!(e.to_page(4), 16);
        let s = e.slice(1..5);
        assert_eq!(s.text, "b\ncd");
        assert_eq!(s.to_page(0), 11);
        assert_eq!(s.to_page(3), 16);
    }
}
