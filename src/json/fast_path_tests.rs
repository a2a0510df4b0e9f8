//! The fast path of [`super::parse`] against the tolerant parser alone: for
//! every text, the same [`Parsed`] (tree, spans, faults), and every list of
//! a tree read by the fast path of its exact size. On the texts of the
//! shared corpus (beside the repository, as in CI; skipped when it is
//! absent), on those texts broken a character at a time, on generated
//! well-formed JSON, and on edge cases of every fault the tolerant parser
//! reports.

use std::path::Path;

use super::parse::{fast_path_reads, parse_tolerant};
use super::{parse, walk, Parsed, Value, MAX_DEPTH};

/// Asserts that `text` parses the same with and without the fast path, and
/// says whether the fast path read it.
fn same(text: &str) -> bool {
    let fast = fast_path_reads(text);
    let parsed = parse(text);
    let reference = parse_tolerant(text);
    assert_eq!(parsed, reference, "{text:?}");
    if fast {
        assert!(parsed.errors.is_empty(), "{text:?}");
        exact(&parsed, text);
    }
    fast
}

/// Every object and array of the tree in an allocation of its exact size.
fn exact(parsed: &Parsed, text: &str) {
    let Some(root) = &parsed.root else { return };
    walk(root, |pointer, _, node| match &node.value {
        Value::Object(m) => assert_eq!(m.capacity(), m.len(), "{pointer} of {text:?}"),
        Value::Array(i) => assert_eq!(i.capacity(), i.len(), "{pointer} of {text:?}"),
        _ => {}
    });
}

/// The texts of the corpus the parser is given, or near them: every
/// comment's text (annotations), and every fenced block's text, whole and
/// from its first blank line or its first line opening a bracket on (HTTP
/// messages and their bodies).
fn corpus_texts() -> Option<Vec<String>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "no corpus at {}: its texts are not compared",
            corpus.display()
        );
        return None;
    }
    let mut pages = Vec::new();
    let mut stack = vec![corpus];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    let mut texts = Vec::new();
    for path in pages {
        let Ok(page) = std::fs::read_to_string(&path) else {
            continue;
        };
        comments(&page, &mut texts);
        fences(&page, &mut texts);
    }
    Some(texts)
}

fn comments(page: &str, texts: &mut Vec<String>) {
    let mut rest = page;
    while let Some(open) = rest.find("<!--") {
        rest = &rest[open + 4..];
        let end = rest.find("-->").unwrap_or(rest.len());
        texts.push(rest[..end].trim_end().to_owned());
        rest = &rest[end..];
    }
}

fn fences(page: &str, texts: &mut Vec<String>) {
    let mut inside: Option<Vec<&str>> = None;
    for line in page.lines() {
        let fence = line.trim_start().starts_with("```");
        match (&mut inside, fence) {
            (None, true) => inside = Some(Vec::new()),
            (Some(lines), true) => {
                let block = lines.join("\n");
                if let Some(blank) = lines.iter().position(|l| l.trim().is_empty()) {
                    texts.push(lines[blank + 1..].join("\n"));
                }
                if let Some(open) = lines
                    .iter()
                    .position(|l| l.trim_start().starts_with(['{', '[']))
                {
                    texts.push(lines[open..].join("\n"));
                    // As a CR LF page gives it.
                    texts.push(lines[open..].join("\r\n"));
                }
                texts.push(block);
                inside = None;
            }
            (Some(lines), false) => lines.push(line),
            (None, false) => {}
        }
    }
}

/// Every text of the corpus, and every fault-free one: the fast path reads
/// them all (a text it left to the tolerant parser would be correct, but
/// slow; the list names any).
#[test]
fn the_fast_path_builds_what_the_tolerant_parser_builds_on_the_corpus() {
    let Some(texts) = corpus_texts() else { return };
    assert!(texts.len() > 10_000, "{} texts", texts.len());
    let mut fast = 0;
    let mut clean_but_slow = Vec::new();
    for text in &texts {
        if same(text) {
            fast += 1;
        } else {
            let reference = parse_tolerant(text);
            if reference.root.is_some() && reference.errors.is_empty() {
                clean_but_slow.push(text);
            }
        }
    }
    eprintln!("{} texts, {fast} read by the fast path", texts.len());
    assert!(fast > 20_000, "{fast} of {} texts", texts.len());
    assert!(clean_but_slow.is_empty(), "{clean_but_slow:#?}");
}

/// A small deterministic generator (xorshift): the same texts every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SPACES: &[&str] = &["", "", "", " ", "\n  ", "\r\n    ", "\t", "  \n\t \r\n"];
const STRINGS: &[&str] = &[
    "\"\"",
    "\"id\"",
    "\"a b c d e f g h\"",
    "\"委派 über ü\"",
    "\"x\\\"y\"",
    "\"\\\\\"",
    "\"\\/\\b\\f\\n\\r\\t\"",
    "\"\\u0041\\u00e9\\u4E2D\"",
    "\"\\ud83d\\ude00\"",
    "\"\\uDFFF\\uD800x\"",
    "\"\\u0000\"",
    "\"tab\\tand a long run of plain text past a word\"",
    "\"\u{7f}\u{a0}\u{201d}\"",
    "\"#microsoft.graph.user\"",
];
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "7",
    "-12",
    "123456789012345",
    "-999999999999999",
    "1234567890123456",
    "9007199254740993",
    "18446744073709551616",
    "-9223372036854775809",
    "0.5",
    "-0.0",
    "1e5",
    "1E+5",
    "2.5e-3",
    "1e400",
    "-1e400",
    "1e-400",
    "1.7976931348623157e308",
    "1.7976931348623159e308",
    "4.9e-324",
];
const LITERALS: &[&str] = &["true", "false", "null"];

/// A well-formed JSON value of at most `depth` more levels, with random
/// white space between its tokens (and sometimes a duplicate key).
fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    let kind = if depth == 0 {
        rng.below(3)
    } else {
        rng.below(6)
    };
    match kind {
        0 => out.push_str(rng.pick(STRINGS)),
        1 => out.push_str(rng.pick(NUMBERS)),
        2 => out.push_str(rng.pick(LITERALS)),
        3 | 4 => {
            let n = [0, 1, 2, 3, 5, 17, 20][rng.below(7)];
            out.push('{');
            for i in 0..n {
                out.push_str(rng.pick(SPACES));
                // Now and then the key of an earlier member.
                let key = if i > 0 && rng.below(40) == 0 {
                    rng.below(i)
                } else {
                    i
                };
                out.push_str(&format!("\"k{key}\""));
                out.push_str(rng.pick(SPACES));
                out.push(':');
                out.push_str(rng.pick(SPACES));
                value(rng, depth - 1, out);
                out.push_str(rng.pick(SPACES));
                if i + 1 < n {
                    out.push(',');
                }
            }
            out.push('}');
        }
        _ => {
            let n = [0, 1, 2, 4][rng.below(4)];
            out.push('[');
            for i in 0..n {
                out.push_str(rng.pick(SPACES));
                value(rng, depth - 1, out);
                out.push_str(rng.pick(SPACES));
                if i + 1 < n {
                    out.push(',');
                }
            }
            out.push(']');
        }
    }
}

/// Generated well-formed texts, whole and broken: each is read the same.
#[test]
fn the_fast_path_builds_what_the_tolerant_parser_builds_on_generated_json() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut fast = 0;
    for round in 0..3000 {
        let mut text = rng.pick(SPACES).to_owned();
        value(&mut rng, 1 + round % 4, &mut text);
        text.push_str(rng.pick(SPACES));
        if same(&text) {
            fast += 1;
        }
        // The same text with one character left out or one put in.
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let (at, c) = chars[rng.below(chars.len())];
        let mut cut = text.clone();
        cut.replace_range(at..at + c.len_utf8(), "");
        same(&cut);
        let mut put = text.clone();
        put.insert_str(at, rng.pick(BREAKERS));
        same(&put);
    }
    assert!(fast > 1500, "{fast} of 3000 read by the fast path");
}

/// What a character put into a text may break it with.
const BREAKERS: &[&str] = &[
    ",", "\"", "'", "\\", "}", "]", "{", "[", ":", " ", "\n", "/", "//", "/*", "x", "0", "-", "+",
    ".", "e", "\u{a0}", "\u{feff}", "\u{201c}", "\t", "\r", "\u{1}", "…",
];

/// Corpus texts broken a character at a time, at every place: left out, or
/// another put before it (a few hundred short texts, each once).
#[test]
fn the_fast_path_gives_up_wherever_a_corpus_text_is_broken() {
    let Some(mut texts) = corpus_texts() else {
        return;
    };
    texts.retain(|t| t.len() <= 240 && t.trim_start().starts_with(['{', '[']));
    texts.sort();
    texts.dedup();
    let step = (texts.len() / 150).max(1);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut read = 0;
    for text in texts.iter().step_by(step) {
        for (at, c) in text.char_indices() {
            let mut cut = text.clone();
            cut.replace_range(at..at + c.len_utf8(), "");
            let mut put = text.clone();
            put.insert_str(at, rng.pick(BREAKERS));
            read += usize::from(same(&cut)) + usize::from(same(&put));
        }
    }
    assert!(read > 0);
}

/// Edge cases of every kind of fault, and of well-formed texts near them.
#[test]
fn the_fast_path_builds_what_the_tolerant_parser_builds_on_edge_cases() {
    let deep =
        |n: usize, open: &str, close: &str| format!("{}1{}", open.repeat(n), close.repeat(n));
    let mut texts: Vec<String> = [
        "",
        " ",
        "\n\r\t ",
        "// only a comment",
        "/* c */",
        "\u{feff}{}",
        "{}\u{feff}",
        "\u{a0}1",
        "{}",
        "[]",
        "{ }",
        "[\n]",
        "{}{}",
        "[] x",
        "1 2",
        "\"a\" \"b\"",
        "true",
        "false",
        "null",
        "tru",
        "nul",
        "truex",
        "true\t",
        "true\tx",
        "[true\t,\tfalse\t]",
        "[true/]",
        "[true//c\n]",
        "[null\r\n]",
        "{\"a\":true\t}",
        "nulll",
        "<id>",
        "...",
        "[...]",
        "{\"a\": ...}",
        "-",
        "+1",
        "01",
        "-01",
        "1.",
        ".5",
        "1e",
        "1e+",
        "1.5e3.2",
        "1-2",
        "0x10",
        "1_000",
        "Infinity",
        "-Infinity",
        "NaN",
        "[1,]",
        "[,1]",
        "[1,,2]",
        "[1 2]",
        "{\"a\":1,}",
        "{,\"a\":1}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{\"a\"}",
        "{a: 1}",
        "{'a': 1}",
        "{\"a\": 'x'}",
        "{\"a\": 1 \"b\": 2}",
        "[1}",
        "{\"a\": 1]",
        "[",
        "{",
        "]",
        "}",
        "[[]",
        "{\"a\": [}",
        "\"",
        "\"abc",
        "\"a\nb\"",
        "\"a\\qb\"",
        "\"\\u12\"",
        "\"\\u+123\"",
        "\"\\u00g0\"",
        "\"\\'\"",
        "\"\\",
        "\"a\u{1}b\"",
        "\"a\tb\"",
        "\"x\" y\"",
        "{\"title\": \"27\" monitor\", \"b\": 1}",
        "{\"a\": \"x\u{201d},\n\"b\": 1}",
        "{\"p\": \"C:\\\\d\\\", \"b\": 1}",
        "{\"a\": 1, \"a\": 2}",
        "{\"a\": 1, \"b\": {\"a\": 2}}",
        "{\"\": 1, \"\": 2}",
        "{\"a\\u0062\": 1, \"ab\": 2}",
        "[1, 2 // two\n]",
        "[1, /* x */ 2]",
        "{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    2\r\n  ]\r\n}",
        "{\n\t\"a\":\t1\n}",
        "[\"\u{7f}\", \"ü\", \"漢字\"]",
        "[1e400]",
        "[-1e400]",
        "[1e-400]",
        "[123456789012345, 1234567890123456, -0, 0.0]",
        "\"\\ud83d\\ude00\"",
        "[\"\\uD800\"]",
        "{\"a\":1}  \n",
        "  {\"a\":1}",
        "{\"a\":\u{a0}1}",
        "{\u{3000}\"a\": 1}",
        "{\"a\":1,\n\"b\":2\n,\"c\":3}",
        "[\"a\",\n\"b\"\n,\n\"c\"]",
    ]
    .iter()
    .map(|t| (*t).to_owned())
    .collect();
    for n in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2] {
        texts.push(deep(n, "[", "]"));
        texts.push(deep(n, "{\"a\":", "}"));
        texts.push(deep(n, "[{\"a\":", "}]"));
    }
    // Duplicate keys on both sides of the switch to hashing.
    for n in [15, 16, 17, 40] {
        let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
        let object = format!("{{{}}}", keys.join(", "));
        texts.push(object.clone());
        for dup in [0, n / 2, n - 1] {
            texts.push(object.replace('}', &format!(", \"k{dup}\": 0}}")));
        }
    }
    let mut fast = 0;
    for text in &texts {
        fast += usize::from(same(text));
        // The same text inside an array and as a member's value.
        same(&format!("[{text}]"));
        same(&format!("{{\"v\": {text}}}"));
    }
    assert!(fast > 30, "{fast} of {} read by the fast path", texts.len());
    // The fast path reads the deepest nesting the tolerant parser allows,
    // and leaves the one level more to it.
    assert!(fast_path_reads(&deep(MAX_DEPTH, "[", "]")));
    assert!(!fast_path_reads(&deep(MAX_DEPTH + 1, "[", "]")));
}
