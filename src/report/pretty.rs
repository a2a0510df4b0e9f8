//! Pretty-printed JSON written in pieces: the elements of a document's
//! arrays are serialised separately (in parallel, or on the thread that read
//! their page) and joined here into exactly what
//! `serde_json::to_writer_pretty` prints for the whole document.

use std::io::{self, IoSlice, Write};

#[cfg(test)]
use rayon::prelude::*;
use serde::Serialize;

use crate::bytes::equal_in_word;

/// Two spaces a level, as `serde_json`'s pretty printer.
const INDENT: &str = "  ";

/// Appends `value` pretty-printed as an array element `depth` levels deep:
/// the first line indented too. Written straight into `out` by
/// `serde_json`'s serializer with [`Nested`] (its pretty layout, started
/// `depth` levels in), not printed alone and then re-indented line by line.
/// `out` is bytes (UTF-8, as serde_json writes): a page's entries are made
/// a `String` once, not re-validated whole after each entry (quadratic on a
/// page of thousands of examples). The reference that the hand-written
/// entries of `extract` are tested against.
#[cfg(test)]
pub(crate) fn element(
    value: &impl Serialize,
    depth: usize,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    let before = out.len();
    for _ in 0..depth {
        out.extend_from_slice(INDENT.as_bytes());
    }
    let result = nested(value, depth, out);
    if result.is_err() {
        // Nothing of a value that failed half-way, as `to_string_pretty`.
        out.truncate(before);
    }
    result
}

/// Appends `value` pretty-printed `depth` levels deep from the cursor (a
/// field's value: its first line continues the key's), in the layout of
/// [`element`]. On an error `out` may hold part of the value.
pub(crate) fn nested(
    value: &impl Serialize,
    depth: usize,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Nested::new(depth));
    value.serialize(&mut serializer)
}

/// Pretty-printed entries as text: serde_json writes only UTF-8 (its
/// strings come from `&str`, its escapes are ASCII); were that ever broken,
/// the text says so rather than holding invalid bytes.
#[cfg(test)]
pub(crate) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control
/// characters as `\n`-style escapes where JSON has one and `\u00xx`
/// (lower-case hex) otherwise, everything else (DEL and all non-ASCII
/// included) as it is. The one string writer of the JSON report's entries
/// and `extract`'s.
///
/// Why not serde_json's: it tests every byte through a table and hands
/// each plain run and each escape to its formatter (`format_escaped_str`,
/// no formatter hook replaces it): 90-100 M instructions for each of the
/// two documents on the corpus. Here a string is first tested sixteen
/// bytes a step for any byte to escape, and copied whole when it has none
/// (nineteen of twenty of the report's strings); otherwise it is written
/// by [`escaped`].
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if bytes.len() < BLOCK {
        // Most strings (keys, names, methods, header names and values):
        // tested and written as one padded block.
        let block = padded(bytes);
        if !any_escape(&block) {
            short_quoted(out, &block, bytes.len());
            return;
        }
    } else if !blocks_need_escape(bytes) {
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    out.push(b'"');
    escaped(out, bytes);
    out.push(b'"');
}

/// `bytes` (shorter than a block) padded with spaces (never escaped) into
/// one block by at most two overlapping copies of a fixed size: a copy of
/// the string's own length was a `memcpy` call, some 25 instructions for
/// each of the many short strings of `extract` and the report.
#[inline(always)]
fn padded(bytes: &[u8]) -> [u8; BLOCK] {
    let mut block = [b' '; BLOCK];
    let n = bytes.len().min(BLOCK);
    match n {
        8.. => {
            block[..8].copy_from_slice(&bytes[..8]);
            block[n - 8..n].copy_from_slice(&bytes[n - 8..n]);
        }
        4.. => {
            block[..4].copy_from_slice(&bytes[..4]);
            block[n - 4..n].copy_from_slice(&bytes[n - 4..n]);
        }
        1.. => {
            block[0] = bytes[0];
            block[n / 2] = bytes[n / 2];
            block[n - 1] = bytes[n - 1];
        }
        0 => {}
    }
    block
}

/// Appends the first `len` bytes of `block` (its string) in quotes: the
/// quotes and the whole block written as one fixed-size copy, then cut to
/// the string's length.
#[inline(always)]
fn short_quoted(out: &mut Vec<u8>, block: &[u8; BLOCK], len: usize) {
    let mut quoted = [b'"'; BLOCK + 2];
    quoted[1..=BLOCK].copy_from_slice(block);
    let end = len.min(BLOCK) + 2;
    quoted[end - 1] = b'"';
    let at = out.len();
    out.extend_from_slice(&quoted);
    out.truncate(at + end);
}

/// The bytes [`escaped`] takes in one step: two of [`any_escape`]'s
/// blocks. Bodies have an escape every ten bytes or so: the step's fixed
/// cost (its room, its mask) was a third of their writing at sixteen bytes
/// a step (some 4 M of 22 M instructions on the corpus, callgrind).
const STEP: usize = 2 * BLOCK;

/// The most a step is written as (each byte a `\u00xx`), and the bytes a
/// step's last copy may write past its end.
const STEP_OUT: usize = STEP * 6 + STEP;

/// Appends `bytes` escaped, [`STEP`] bytes a step: a step without a byte
/// to escape is one fixed-size copy; in a step with some, the bytes from
/// the last escape on are copied as a whole step (a fixed-size copy that
/// the next escape or step overwrites in part), then the escape written
/// over what follows. Bodies are dense with quotes and line breaks
/// (`extract` writes every body): a variable-length copy (a `memcpy` call)
/// and a new search for each escape were most of the cost. Written into
/// zeroed room that is cut to what was written at the end.
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut w = out.len();
    // Room for a third more than the text at first (escapes are a few a
    // line); grown when a step might not fit.
    out.resize(w + bytes.len() + bytes.len() / 3 + STEP_OUT, 0);
    for chunk in bytes.chunks(STEP) {
        // The last step padded with spaces (written as they are, at the
        // end): the padding's bytes are cut off again. One place that
        // writes a step, inlined into this loop: a call of its own (called
        // twice) saved and restored six registers a step.
        let mut padded = [b' '; STEP];
        let step = match <&[u8; STEP]>::try_from(chunk) {
            Ok(step) => step,
            Err(_) => {
                padded[..chunk.len()].copy_from_slice(chunk);
                &padded
            }
        };
        w = escaped_step(out, w, step) - (STEP - chunk.len());
    }
    out.truncate(w);
}

/// Writes `step` escaped at `w` in `out` (grown when it might not fit);
/// returns where the next step goes.
#[inline(always)]
fn escaped_step(out: &mut Vec<u8>, w: usize, step: &[u8; STEP]) -> usize {
    if out.len() < w + STEP_OUT {
        let len = out.len();
        out.resize(len + len / 2 + STEP_OUT, 0);
    }
    let room: &mut [u8; STEP_OUT] = match out
        .get_mut(w..w + STEP_OUT)
        .and_then(|room| room.try_into().ok())
    {
        Some(room) => room,
        // Never: the room was made just above.
        None => return w,
    };
    if !any_escape(step) {
        room[..STEP].copy_from_slice(step);
        return w + STEP;
    }
    // The step and as many bytes after it, so that a copy from any offset
    // in the step is a step long.
    let mut wide = [0u8; 2 * STEP];
    wide[..STEP].copy_from_slice(step);
    let mut bits = marked_bits(step);
    // `o`: where the next byte goes in `room`; `from`: the step's first
    // byte not written yet. Before an escape at `at`, `o` is at most six
    // bytes for each of the `from` bytes before it (at most 186), after
    // the last at most 192: the `min`s below never change them, they let
    // the compiler drop the bounds checks.
    let (mut o, mut from) = (0, 0);
    while bits != 0 {
        let at = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        let (o_at, from_at) = (o.min(STEP * 6), from.min(STEP));
        room[o_at..o_at + STEP].copy_from_slice(&wide[from_at..from_at + STEP]);
        o = escape(room, (o_at + at - from_at).min(STEP * 6 - 6), step[at]);
        from = at + 1;
    }
    let (o_at, from_at) = (o.min(STEP * 6), from.min(STEP));
    room[o_at..o_at + STEP].copy_from_slice(&wide[from_at..from_at + STEP]);
    w + o_at + STEP - from_at
}

/// Bit `i` set for each byte `i` of `step` that needs an escape (a `"`,
/// a `\\` or a byte below 0x20). A 64-bit word at a time, each byte's
/// answer in its top bit (sums that never carry out of a byte), the top
/// bits gathered by one multiplication: the compiler made a sixteen-byte
/// comparison (as in [`any_escape`]) into a mask only by moving the bytes
/// out one by one, and safe code has no `movemask`.
fn marked_bits(step: &[u8; STEP]) -> u32 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let byte_bits = |x: u64| {
        // Top bit set where the byte is 0x20 or more: at most 0x7F + 0x60.
        let control = !(((x & LOW7) + ONES * 0x60) | x);
        let quote = equal_in_word(x, b'"');
        let backslash = equal_in_word(x, b'\\');
        let marked = ((control & HIGH) | quote | backslash) >> 7;
        (marked.wrapping_mul(GATHER) >> 56) as u32
    };
    step.chunks_exact(8).enumerate().fold(0, |bits, (i, word)| {
        let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        bits | byte_bits(word) << (8 * i)
    })
}

/// Writes the escape of `b` (a byte [`marked_bits`] marks) at `o`; returns
/// where the next byte goes.
#[inline]
fn escape(room: &mut [u8; STEP_OUT], o: usize, b: u8) -> usize {
    match SHORT_ESCAPES[usize::from(b)] {
        0 => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]];
            room[o..o + 6].copy_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
            o + 6
        }
        short => {
            room[o..o + 2].copy_from_slice(&[b'\\', short]);
            o + 2
        }
    }
}

/// The letter after `\\` of each byte JSON writes so (`"`, `\\` and the
/// control characters with a short escape), 0 for the others: one load
/// where a `match` was a jump and a compare for every escape.
const SHORT_ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[0x08] = b'b';
    table[0x0C] = b'f';
    table
};

/// A count, as the JSON writers of the report and of `extract` write one.
pub(crate) fn number(out: &mut Vec<u8>, n: usize) {
    // Lines and columns, nearly all below a thousand: their digits written
    // as a fixed number of bytes (stores, not a `memcpy` of itoa's buffer).
    let digit = |d: usize| b'0' + (d % 10) as u8;
    match n {
        0..=9 => out.push(digit(n)),
        10..=99 => out.extend_from_slice(&[digit(n / 10), digit(n)]),
        100..=999 => out.extend_from_slice(&[digit(n / 100), digit(n / 10), digit(n)]),
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}

/// A string, or `null`.
pub(crate) fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// The bytes [`any_escape`] and [`marked_bits`] test in one step.
const BLOCK: usize = 16;

/// Does any byte of `bytes` (a block long at least) need an escape? Whole
/// blocks, then the last sixteen bytes (again in part: cheaper than a tail
/// byte by byte). A shorter string is tested as one [`padded`] block.
fn blocks_need_escape(bytes: &[u8]) -> bool {
    let Some(last) = bytes.last_chunk::<BLOCK>() else {
        return any_escape(&padded(bytes));
    };
    bytes
        .chunks_exact(BLOCK)
        .any(|block| <&[u8; BLOCK]>::try_from(block).is_ok_and(any_escape))
        || any_escape(last)
}

/// Does any byte of `block` need an escape? A fold without an early exit,
/// which the compiler makes three SSE2 comparisons and a mask of each sixteen bytes
/// where it is inlined; a call of its own (as `#[inline]` left the last
/// block's) was compiled to a byte loop, some 95 instructions a block.
#[inline(always)]
fn any_escape<const N: usize>(block: &[u8; N]) -> bool {
    block.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// `serde_json::ser::PrettyFormatter` (two spaces a level) begun `depth`
/// levels deep, which `PrettyFormatter` cannot be: its current level is
/// private. Only the layout is written here; strings, numbers and their
/// escapes stay serde_json's own (the trait's default methods). A test holds
/// the bytes equal to `to_string_pretty` re-indented.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn new(depth: usize) -> Nested {
        Nested {
            level: depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + io::Write>(&self, writer: &mut W) -> io::Result<()> {
        for _ in 0..self.level {
            writer.write_all(INDENT.as_bytes())?;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The elements of an array, each written on its own by `write` (for
/// instance [`element`] at the array's depth), in parallel. As bytes:
/// they are only written out (see [`write_array`]). The tests' joining of
/// parts: `extract` writes its page entries with their examples.
#[cfg(test)]
pub(crate) fn elements<'t, T: Sync>(
    items: &'t [T],
    write: impl Fn(&'t T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> serde_json::Result<Vec<Vec<u8>>> {
    items
        .par_iter()
        .map(|item| {
            let mut out = Vec::new();
            write(item, &mut out)?;
            Ok(out)
        })
        .collect()
}

/// Writes an array `depth` levels deep, from its `[` to its `]`, of parts
/// rendered by [`element`]: each part one element or several already
/// joined by `,\n`; empty parts are skipped. The parts are bytes, as
/// written (UTF-8: serde_json and [`string`] write only that), not
/// validated again as text.
pub(crate) fn write_array<'s>(
    out: &mut dyn Write,
    parts: impl IntoIterator<Item = &'s [u8]>,
    depth: usize,
) -> io::Result<()> {
    // The parts go out as they lie, in vectored writes of up to `SLICES`
    // pieces: copied into the writer's buffer, the 10 MB of `extract`'s
    // document were most of the single-threaded end of its run (some 5 ms
    // on the corpus, and the memory they passed through faulted in).
    const SLICES: usize = 1024;
    let mut slices: Vec<IoSlice<'s>> = Vec::with_capacity(SLICES);
    let mut empty = true;
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        slices.push(IoSlice::new(if empty { b"[\n" } else { b",\n" }));
        slices.push(IoSlice::new(part));
        empty = false;
        if slices.len() >= SLICES {
            write_all_vectored(out, &mut slices)?;
        }
    }
    write_all_vectored(out, &mut slices)?;
    if empty {
        return out.write_all(b"[]");
    }
    out.write_all(b"\n")?;
    for _ in 0..depth.saturating_sub(1) {
        out.write_all(INDENT.as_bytes())?;
    }
    out.write_all(b"]")
}

/// Writes every byte of `slices` (which it empties), as the standard
/// library's unstable `write_all_vectored` does.
fn write_all_vectored<'s>(out: &mut dyn Write, slices: &mut Vec<IoSlice<'s>>) -> io::Result<()> {
    let mut rest = &mut slices[..];
    // Empty slices first would read as a write of nothing (`WriteZero`).
    IoSlice::advance_slices(&mut rest, 0);
    while !rest.is_empty() {
        match out.write_vectored(rest) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => IoSlice::advance_slices(&mut rest, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    slices.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_are_written_as_itoa_writes_them() {
        for n in (0..2000).chain([9_999, 10_000, 123_456, usize::MAX]) {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes(), "{n}");
        }
    }

    /// The pieces joined by hand print what `to_string_pretty` prints for
    /// the whole document, empty arrays and nested containers included.
    #[test]
    fn pieces_join_into_the_pretty_document() {
        let items = vec![
            json!({ "id": "p#0", "body": "{\n  \"x\": 1\n}", "list": [[], [1]] }),
            json!({ "id": "p#1", "empty": {}, "none": null }),
        ];
        let whole = json!({ "version": 1, "items": items, "none": [] });
        let mut expected = serde_json::to_string_pretty(&whole).unwrap();
        expected.push('\n');

        let head = String::from("{\n  \"version\": 1,\n  \"items\": ");
        let mut out: Vec<u8> = head.into_bytes();
        let parts = elements(&items, |v, out| element(v, 2, out)).unwrap();
        write_array(&mut out, parts.iter().map(Vec::as_slice), 2).unwrap();
        out.extend_from_slice(b",\n  \"none\": ");
        write_array(&mut out, std::iter::empty(), 2).unwrap();
        out.extend_from_slice(b"\n}\n");

        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    /// Strings are escaped as serde_json escapes them: every byte that has
    /// an escape at every offset of two steps and a tail, beside ASCII, DEL
    /// and multi-byte text, runs of escapes, and the tails shorter than a block.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let specials = [
            "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1f}", "\u{1}",
        ];
        let others = ["a", "\u{7f}", "é", "接", " ", "!", "#", "[", "]", "~"];
        let mut texts = vec![String::new()];
        for special in specials {
            for len in 0..70 {
                for at in 0..=len {
                    let mut text = "x".repeat(at);
                    text.push_str(special);
                    text.push_str(&"y".repeat(len - at));
                    texts.push(text);
                }
            }
            for other in others {
                texts.push(format!("{other}{special}{other}{special}{special}{other}"));
                texts.push(other.repeat(9) + special + &other.repeat(3));
            }
        }
        texts.push("{\n  \"a\": \"b\",\n  \"c\": [1, \"\\u0001\"]\n}".into());
        texts.push((0u8..=0x7f).map(char::from).collect());
        // Long texts whose escapes outgrow the room made at first (each
        // byte six), and a body dense with escapes of every length.
        texts.push("\u{1}".repeat(1000));
        texts.push("\"\\\n".repeat(700) + "tail");
        texts.push(
            (0u8..=0x7f)
                .map(char::from)
                .chain("接é".chars())
                .cycle()
                .take(5000)
                .collect(),
        );
        for text in texts {
            let mut got = Vec::new();
            string(&mut got, &text);
            assert_eq!(
                text_of(got),
                serde_json::to_string(&text).unwrap(),
                "{text:?}"
            );
        }
    }

    fn text_of(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    /// A part may hold several elements already joined (one page's examples).
    #[test]
    fn a_part_of_several_elements_joins_like_single_ones() {
        let items = [json!({ "a": 1 }), json!({ "b": [2] }), json!(3)];
        let mut joined = Vec::new();
        element(&items[0], 1, &mut joined).unwrap();
        joined.extend_from_slice(b",\n");
        element(&items[1], 1, &mut joined).unwrap();
        let single = elements(&items[2..], |v, out| element(v, 1, out)).unwrap();
        let mut out = Vec::new();
        write_array(&mut out, [&joined[..], b"", &single[0][..]], 1).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&items).unwrap()
        );
    }
}
