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
/// the first line indented too.
pub fn element(value: &impl Serialize, depth: usize, out: &mut String) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
    nested(value, depth, out);
}

/// Appends `value` pretty-printed as a member's value `depth` levels deep:
/// the first line follows the key, the following lines are indented.
pub fn nested(value: &impl Serialize, depth: usize, out: &mut String) {
    // Serialising borrowed data into memory cannot fail.
    let Ok(json) = serde_json::to_string_pretty(value) else {
        return;
    };
    out.reserve(json.len() + json.len() / 4);
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', json.as_bytes()) {
        out.push_str(&json[from..=at]);
        for _ in 0..depth {
            out.push_str(INDENT);
        }
        from = at + 1;
    }
    out.push_str(&json[from..]);
}

/// The elements of an array `depth` levels deep, each rendered on its own,
/// in parallel.
pub fn elements<'t, T: Sync, S: Serialize>(
    items: &'t [T],
    depth: usize,
    entry: impl Fn(&'t T) -> S + Sync,
) -> Vec<String> {
    items
        .par_iter()
        .map(|item| {
            let mut out = String::new();
            element(&entry(item), depth, &mut out);
            out
        })
        .collect()
}

/// Writes an array `depth` levels deep, from its `[` to its `]`, of parts
/// rendered by [`element`]: each part one element or several already
/// joined by `,\n`; empty parts are skipped.
pub fn write_array<'s>(
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
