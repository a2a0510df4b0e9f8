//! What the locale rules read of an example half's text in its page,
//! captured while the page holds its text: `check` drops each page's text
//! once its page rules have run (issue 17), and the locale rules run after
//! every page is read.
//!
//! locale-missing-example reads where an example's first line ends;
//! locale-example-whitespace reads a message's text as the page holds it,
//! from its start line to the end of its body, and what stands before that
//! line on its line (see `locale::example_drift::Block`). Most of that text
//! is already in the message as owned strings (method, URL, header names
//! and values, the body): the capture keeps only the bytes between them
//! (spaces, colons, line ends, a response's status line), and the text is
//! put together again when it is asked for.

use std::ops::Range;

use crate::http::{Message, StartLine};

/// A half's text in its page, as far as the locale rules read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Layout {
    /// Where the line of the start line ends: its `\n`, or the page's end.
    pub line_end: usize,
    /// The message's text in the page ([`Layout::text`]); `None` on a
    /// rendered page (whose pairs the whitespace rule does not compare),
    /// before the capture, and when the message's spans do not slice the page.
    extent: Option<Extent>,
}

#[derive(Debug, Clone, PartialEq)]
struct Extent {
    /// What stands before the start line on its line.
    prefix: Box<str>,
    /// The text with every piece of [`pieces`] left out, when each of them
    /// is the page's text at its span (else the whole text).
    gaps: Box<str>,
    /// Were the pieces left out of `gaps`?
    elided: bool,
}

impl Layout {
    /// Captures `m`'s layout in `text`, the page its spans point into; the
    /// message's text only when `whole` (a Markdown page).
    pub(crate) fn capture(text: &str, m: &Message, whole: bool) -> Layout {
        let start = m.line_span.start;
        let line_end = text
            .get(start..)
            .and_then(|rest| memchr::memchr(b'\n', rest.as_bytes()))
            .map_or(text.len(), |n| start + n);
        let extent = whole.then(|| extent(text, m)).flatten();
        Layout { line_end, extent }
    }

    /// The message's text in the page (from its start line to the end of
    /// its body, else of its last header), its span, and what stands
    /// before the start line on its line.
    pub(crate) fn text(&self, m: &Message) -> Option<(String, Range<usize>, &str)> {
        let extent = self.extent.as_ref()?;
        let span = span(m);
        let mut out = String::with_capacity(span.len());
        for chunk in chunks(extent, m, span.clone()) {
            out.push_str(chunk);
        }
        Some((out, span, &extent.prefix))
    }

    /// Do the two messages stand in their pages as the same text after the
    /// same prefix? `false` may still be the same text cut otherwise: what
    /// [`Layout::text`] then tells.
    pub(crate) fn surely_same(&self, m: &Message, other: &Layout, om: &Message) -> bool {
        let (Some(a), Some(b)) = (&self.extent, &other.extent) else {
            return false;
        };
        a.prefix == b.prefix && chunks(a, m, span(m)).eq(chunks(b, om, span(om)))
    }
}

/// The message's span in the page: its start line to the end of its body,
/// else of its last header, else of its start line.
fn span(m: &Message) -> Range<usize> {
    let start = m.line_span.start;
    let end = match (&m.body, m.headers.last()) {
        (Some(b), _) => b.to_page(&(0..b.text().len())).end,
        (None, Some(h)) => h.span.end,
        (None, None) => m.line_span.end,
    };
    start..end.max(start)
}

fn extent(text: &str, m: &Message) -> Option<Extent> {
    let span = span(m);
    let whole = text.get(span.clone())?;
    let line_start =
        memchr::memrchr(b'\n', text.get(..span.start)?.as_bytes()).map_or(0, |n| n + 1);
    let prefix = text.get(line_start..span.start)?.into();
    // The pieces are checked and the gaps measured first, so that the
    // gaps are copied once into a string of their exact size (grown by
    // `push_str` and then boxed, they cost a reallocation and a copy or
    // two a message).
    let mut at = span.start;
    let mut len = 0;
    for (piece, s) in pieces(m) {
        let here = at <= piece.start && piece.end <= span.end;
        if !here || text.get(piece.clone()) != Some(s) {
            return Some(Extent {
                prefix,
                gaps: whole.into(),
                elided: false,
            });
        }
        len += piece.start - at;
        at = piece.end;
    }
    len += span.end - at;
    let mut gaps = String::with_capacity(len);
    at = span.start;
    for (piece, _) in pieces(m) {
        gaps.push_str(&text[at..piece.start]);
        at = piece.end;
    }
    gaps.push_str(&text[at..span.end]);
    Some(Extent {
        prefix,
        gaps: gaps.into(),
        elided: true,
    })
}

/// The text of the message that it holds as owned strings, with their
/// spans in the page, in page order: the method and URL, each header's name
/// and value, the body.
fn pieces(m: &Message) -> impl Iterator<Item = (Range<usize>, &str)> {
    // Two pieces or none, in place (a `Vec` of them cost an allocation
    // each time the pieces were walked).
    let line = match &m.start {
        StartLine::Request {
            method,
            method_span,
            url,
            url_span,
        } => [
            Some((method_span.clone(), method.as_str())),
            Some((url_span.clone(), url.as_str())),
        ],
        StartLine::Status { .. } => [None, None],
    };
    let headers = m.headers.iter().flat_map(|h| {
        let name = h.span.start..h.span.start + h.name.len();
        [
            (name, h.name.as_str()),
            (h.value_span.clone(), h.value.as_str()),
        ]
    });
    let body = m
        .body
        .iter()
        .map(|b| (b.to_page(&(0..b.text().len())), b.text()));
    line.into_iter().flatten().chain(headers).chain(body)
}

/// The extent's text in chunks: a gap, a piece, a gap, …; the whole text
/// when the pieces were not left out.
fn chunks<'a>(
    extent: &'a Extent,
    m: &'a Message,
    span: Range<usize>,
) -> impl Iterator<Item = &'a str> {
    let gaps: &'a str = &extent.gaps;
    let mut pieces = pieces(m).filter(|_| extent.elided);
    let (mut at, mut taken) = (span.start, 0);
    let mut piece: Option<&'a str> = None;
    let mut done = false;
    std::iter::from_fn(move || {
        if let Some(s) = piece.take() {
            return Some(s);
        }
        if done {
            return None;
        }
        match pieces.next() {
            Some((span, s)) => {
                let gap = &gaps[taken..taken + (span.start - at)];
                (taken, at) = (taken + gap.len(), span.end);
                piece = Some(s);
                Some(gap)
            }
            None => {
                done = true;
                Some(&gaps[taken..])
            }
        }
    })
    .filter(|chunk| !chunk.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::excerpt::Excerpt;

    /// A message read from `block` standing at `at` in `text`.
    fn message(text: &str, at: usize, len: usize) -> Message {
        let block = Excerpt::contiguous(text[at..at + len].to_owned(), at);
        crate::http::parse(&block).expect("a message")
    }

    /// The text put together again is the page's, and the bytes kept are
    /// those between the pieces the message holds.
    #[test]
    fn the_text_is_the_pages_from_the_pieces_between() {
        let block = "POST https://x/y\r\nContent-Type:  application/json\r\n\r\n{\n  \"a\": 1\n}";
        let text = format!("- item\n\n  ```http\n  {block}\n  ```\n");
        let at = text.find("POST").unwrap();
        let m = message(&text, at, block.len());
        let layout = Layout::capture(&text, &m, true);
        assert_eq!(layout.line_end, at + "POST https://x/y\r".len());
        let (whole, span, prefix) = layout.text(&m).expect("a text");
        assert_eq!(whole, block);
        assert_eq!(span, at..at + block.len());
        assert_eq!(prefix, "  ");
        let extent = layout.extent.as_ref().unwrap();
        assert!(extent.elided);
        assert_eq!(&*extent.gaps, " \r\n:  \r\n\r\n");
        assert!(layout.surely_same(&m, &layout, &m));
        assert_eq!(Layout::capture(&text, &m, false).text(&m), None);
    }

    /// A piece the page does not hold at its span keeps the whole text.
    #[test]
    fn a_piece_not_in_the_page_keeps_the_whole_text() {
        let text = "GET https://x/y\n";
        let mut m = message(text, 0, text.len());
        if let StartLine::Request { url, .. } = &mut m.start {
            *url = "https://x/z".into();
        }
        let layout = Layout::capture(text, &m, true);
        assert!(!layout.extent.as_ref().unwrap().elided);
        assert_eq!(layout.text(&m).unwrap().0, "GET https://x/y");
        assert_eq!(layout.line_end, 15);
    }
}
