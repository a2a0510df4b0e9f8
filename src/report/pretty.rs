//! Pretty-printed JSON written in pieces: the elements of a document's
//! arrays are serialised separately (in parallel, or on the thread that read
//! their page) and joined here into exactly what
//! `serde_json::to_writer_pretty` prints for the whole document.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

/// Two spaces a level, as `serde_json`'s pretty printer.
const INDENT: &str = "  ";

/// Appends `value` pretty-printed as an array element `depth` levels deep:
/// the first line indented too. Written straight into `out` by
/// `serde_json`'s serializer with [`Nested`] (its pretty layout, started
/// `depth` levels in), not printed alone and then re-indented line by line.
/// `out` is bytes (UTF-8, as serde_json writes): a page's entries are made
/// a `String` once, not re-validated whole after each entry (quadratic on a
/// page of thousands of examples).
pub(crate) fn element(
    value: &impl Serialize,
    depth: usize,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    let before = out.len();
    for _ in 0..depth {
        out.extend_from_slice(INDENT.as_bytes());
    }
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, Nested::new(depth));
    let result = value.serialize(&mut serializer);
    if result.is_err() {
        // Nothing of a value that failed half-way, as `to_string_pretty`.
        out.truncate(before);
    }
    result
}

/// Pretty-printed entries as text: serde_json writes only UTF-8 (its
/// strings come from `&str`, its escapes are ASCII); were that ever broken,
/// the text says so rather than holding invalid bytes.
pub(crate) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

/// The elements of an array `depth` levels deep, each rendered on its own,
/// in parallel.
pub(crate) fn elements<'t, T: Sync, S: Serialize>(
    items: &'t [T],
    depth: usize,
    entry: impl Fn(&'t T) -> S + Sync,
) -> serde_json::Result<Vec<String>> {
    items
        .par_iter()
        .map(|item| {
            let mut out = Vec::new();
            element(&entry(item), depth, &mut out)?;
            Ok(text(out))
        })
        .collect()
}

/// Writes an array `depth` levels deep, from its `[` to its `]`, of parts
/// rendered by [`element`]: each part one element or several already
/// joined by `,\n`; empty parts are skipped.
pub(crate) fn write_array<'s>(
    out: &mut dyn Write,
    parts: impl IntoIterator<Item = &'s str>,
    depth: usize,
) -> io::Result<()> {
    let mut empty = true;
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        out.write_all(if empty { b"[\n" } else { b",\n" })?;
        out.write_all(part.as_bytes())?;
        empty = false;
    }
    if empty {
        return out.write_all(b"[]");
    }
    out.write_all(b"\n")?;
    for _ in 0..depth.saturating_sub(1) {
        out.write_all(INDENT.as_bytes())?;
    }
    out.write_all(b"]")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

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
        let parts = elements(&items, 2, |v| v).unwrap();
        write_array(&mut out, parts.iter().map(String::as_str), 2).unwrap();
        out.extend_from_slice(b",\n  \"none\": ");
        write_array(&mut out, std::iter::empty(), 2).unwrap();
        out.extend_from_slice(b"\n}\n");

        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    /// A part may hold several elements already joined (one page's examples).
    #[test]
    fn a_part_of_several_elements_joins_like_single_ones() {
        let items = [json!({ "a": 1 }), json!({ "b": [2] }), json!(3)];
        let mut joined = Vec::new();
        element(&items[0], 1, &mut joined).unwrap();
        joined.extend_from_slice(b",\n");
        element(&items[1], 1, &mut joined).unwrap();
        let joined = text(joined);
        let single = elements(&items[2..], 1, |v| v).unwrap();
        let mut out = Vec::new();
        write_array(&mut out, [joined.as_str(), "", single[0].as_str()], 1).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&items).unwrap()
        );
    }
}
