//! Properties over generated pages (proptest), through the commands as a
//! user runs them (in-process, `--format json`):
//!
//! - extraction finds exactly the examples generated, at their lines;
//! - a generated JSON fault is reported at its exact line and column, the
//!   character there is the fault's, and every finding lies inside the file;
//! - a page's findings do not depend on which other pages are checked with it;
//! - `run` counts add up under injected faults.
//!
//! Case counts are small (32-48): the suite runs on two shared cores.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;

/// Words from several scripts, so that columns (counted in characters)
/// and byte offsets differ; none opens a fence, a comment or a table.
const WORDS: &[&str] = &[
    "the",
    "user",
    "returns",
    "property",
    "Benutzer",
    "utilisateur",
    "données",
    "ユーザー",
    "を返します",
    "用户",
    "属性",
    "пользователь",
    "свойство",
    "é",
    "ß",
    "naïve",
    "emoji😀",
];

fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..10).prop_map(|w| w.join(" ") + ".")
}

#[derive(Debug, Clone)]
enum Filler {
    Prose(String),
    Heading(usize, String),
    List(Vec<String>),
    Table(Vec<(String, String)>),
}

fn filler() -> impl Strategy<Value = Filler> {
    prop_oneof![
        prose().prop_map(Filler::Prose),
        (2usize..5, prose()).prop_map(|(l, t)| Filler::Heading(l, t)),
        prop::collection::vec(prose(), 1..4).prop_map(Filler::List),
        prop::collection::vec((prose(), prose()), 1..4).prop_map(Filler::Table),
    ]
}

impl Filler {
    fn render(&self, out: &mut String) {
        match self {
            Filler::Prose(p) => writeln!(out, "{p}\n"),
            Filler::Heading(level, t) => writeln!(out, "{} {t}\n", "#".repeat(*level)),
            Filler::List(items) => {
                for i in items {
                    let _ = writeln!(out, "- {i}");
                }
                writeln!(out)
            }
            Filler::Table(rows) => {
                let _ = writeln!(out, "| Name | Description |\n|:---|:---|");
                for (a, b) in rows {
                    let _ = writeln!(out, "| {a} | {b} |");
                }
                writeln!(out)
            }
        }
        .expect("writing to a String");
    }
}

/// A JSON property value, rendered on one line.
fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(|w| format!("\"{w}\"")),
        (-1000i64..1000).prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("null".to_owned()),
        prop::collection::vec(0u32..100, 0..4).prop_map(|v| format!("{v:?}")),
    ]
}

/// A JSON fault the generator places at a known offset, the message
/// json-syntax gives it, and the character the finding points at.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    TrailingComma,
    Comment,
    SingleQuoted,
    NoBreakSpace,
}

impl Fault {
    fn message_start(self) -> &'static str {
        match self {
            Fault::TrailingComma => "trailing comma after the last property",
            Fault::Comment => "comment in JSON",
            Fault::SingleQuoted => "single-quoted string",
            Fault::NoBreakSpace => "a no-break space (U+00A0)",
        }
    }

    fn char(self) -> char {
        match self {
            Fault::TrailingComma => ',',
            Fault::Comment => '/',
            Fault::SingleQuoted => '\'',
            Fault::NoBreakSpace => '\u{a0}',
        }
    }
}

/// A JSON object body: properties, one per line, indented by `indent`.
/// With a fault, also the fault's byte offset in the body.
fn body(
    props: &[(String, String)],
    indent: usize,
    fault: Option<(Fault, usize)>,
) -> (String, Option<usize>) {
    let pad = " ".repeat(indent);
    let mut out = String::from("{\n");
    let mut at = None;
    let n = props.len();
    for (i, (key, value)) in props.iter().enumerate() {
        // A trailing comma can only follow the last property.
        let faulty = fault
            .filter(|&(f, which)| match f {
                Fault::TrailingComma => i + 1 == n,
                _ => which % n == i,
            })
            .map(|(f, _)| f);
        out.push_str(&pad);
        match faulty {
            Some(Fault::SingleQuoted) => {
                // The value written in single quotes.
                let _ = write!(out, "\"{key}\": ");
                at = Some(out.len());
                let _ = write!(out, "'{}'", value.trim_matches('"'));
            }
            Some(Fault::NoBreakSpace) => {
                let _ = write!(out, "\"{key}\":");
                at = Some(out.len());
                let _ = write!(out, "\u{a0}{value}");
            }
            _ => {
                let _ = write!(out, "\"{key}\": {value}");
            }
        }
        if i + 1 < n {
            out.push(',');
        } else if faulty == Some(Fault::TrailingComma) {
            at = Some(out.len());
            out.push(',');
        }
        if faulty == Some(Fault::Comment) {
            out.push(' ');
            at = Some(out.len());
            out.push_str("// a note");
        }
        out.push('\n');
    }
    out.push('}');
    (out, at)
}

#[derive(Debug, Clone)]
struct Gen {
    method: &'static str,
    segment: String,
    props: Vec<(String, String)>,
    indent: usize,
    status: (u16, &'static str),
    named_response: bool,
    /// Inside a numbered list item, indented.
    nested: bool,
    before: Vec<Filler>,
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-zA-Z]{0,7}"
}

fn gen_example() -> impl Strategy<Value = Gen> {
    (
        prop::sample::select(&["POST", "PATCH", "PUT"][..]),
        "[a-z][a-zA-Z]{0,9}",
        prop::collection::btree_map(key(), json_value(), 1..5),
        prop::sample::select(&[2usize, 4][..]),
        prop::sample::select(&[(200u16, "OK"), (201, "Created"), (202, "Accepted")][..]),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::collection::vec(filler(), 0..3),
    )
        .prop_map(
            |(method, segment, props, indent, status, named_response, nested, before)| Gen {
                method,
                segment,
                props: props.into_iter().collect(),
                indent,
                status,
                named_response,
                nested,
                before,
            },
        )
}

/// What the generator wrote, where.
#[derive(Debug, Default)]
struct Written {
    text: String,
    /// Per example: name, request line, response line (1-based), body text.
    examples: Vec<(String, usize, usize, String, String)>,
    /// The fault's byte offset in the page, if one was placed.
    fault_at: Option<usize>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn column_of(text: &str, offset: usize) -> usize {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset].chars().count() + 1
}

/// `block` with every non-blank line indented by `by` spaces (as the body
/// of a list item), and the new offsets of `offsets`.
fn indent(block: &str, by: usize, offsets: &mut [usize]) -> String {
    let mut out = String::new();
    let mut start = 0;
    let old: Vec<usize> = offsets.to_vec();
    for line in block.split_inclusive('\n') {
        if !line.trim().is_empty() {
            out.push_str(&" ".repeat(by));
            for (new, &at) in offsets.iter_mut().zip(&old) {
                if at >= start {
                    *new += by;
                }
            }
        }
        out.push_str(line);
        start += line.len();
    }
    out
}

/// A Markdown page of annotated examples between prose, headings, lists
/// and tables, some inside list items; `fault` puts a JSON fault into
/// example `.0`'s request body.
fn markdown(title: &str, examples: &[Gen], fault: Option<(usize, Fault, usize)>) -> Written {
    let mut w = Written::default();
    let _ = writeln!(w.text, "---\ntitle: \"{title}\"\n---\n\n# {title}\n");
    for (i, g) in examples.iter().enumerate() {
        for f in &g.before {
            f.render(&mut w.text);
        }
        let name = format!("example_{i}");
        let url = format!("https://graph.microsoft.com/v1.0/{}/{i}", g.segment);
        let mut block = String::new();
        let _ = writeln!(
            block,
            "<!-- {{\n  \"blockType\": \"request\",\n  \"name\": \"{name}\"\n}} -->\n```http"
        );
        let request_at = block.len();
        let _ = writeln!(
            block,
            "{} {url}\nContent-Type: application/json\n",
            g.method
        );
        let here = fault.filter(|&(e, _, _)| e == i).map(|(_, f, p)| (f, p));
        let (b, at) = body(&g.props, g.indent, here);
        let fault_at = at.map(|at| block.len() + at);
        let _ = writeln!(block, "{b}\n```\n");
        let response_name = if g.named_response {
            format!(",\n  \"name\": \"{name}\"")
        } else {
            String::new()
        };
        let _ = writeln!(
            block,
            "<!-- {{\n  \"blockType\": \"response\",\n  \"truncated\": true{response_name}\n}} -->\n```http"
        );
        let response_at = block.len();
        let (status, reason) = g.status;
        let (response_body, _) = body(&g.props, g.indent, None);
        let _ = writeln!(
            block,
            "HTTP/1.1 {status} {reason}\nContent-Type: application/json\n\n{response_body}\n```\n"
        );
        // A nested example is the content of a numbered list item: every
        // line indented by three, which the reader removes from the block
        // (and positions must add back).
        let mut at = [request_at, response_at, fault_at.unwrap_or(0)];
        let block = if g.nested {
            w.text.push_str("1. Send the request.\n\n");
            indent(&block, 3, &mut at)
        } else {
            block
        };
        let base = w.text.len();
        if fault_at.is_some() {
            w.fault_at = Some(base + at[2]);
        }
        w.text.push_str(&block);
        let request_line = line_of(&w.text, base + at[0]);
        let response_line = line_of(&w.text, base + at[1]);
        w.examples.push((name, request_line, response_line, url, b));
    }
    w
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writing a page");
    path.to_str().expect("a UTF-8 path").to_owned()
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).expect("the JSON report parses")
}

/// Every finding of a JSON report names a line of the file and a column
/// on that line (the column after its last character at most).
fn assert_inside(findings: &[Value], text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    for f in findings {
        for (l, c) in [("line", "column"), ("end_line", "end_column")] {
            let line = f[l].as_u64().expect("a line") as usize;
            let column = f[c].as_u64().expect("a column") as usize;
            assert!((1..=lines.len()).contains(&line), "{f}");
            let chars = lines[line - 1].trim_end_matches('\r').chars().count();
            assert!((1..=chars + 1).contains(&column), "{f}");
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        // A failure shrinks, but not for minutes on two cores.
        max_shrink_iters: 256,
        // Failing seeds are kept beside this file (commit them with the fix).
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/properties.proptest-regressions"
            )),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// (a) `extract` finds exactly the examples generated: as many, with
    /// their names, request and status lines, URLs and bodies.
    #[test]
    fn extraction_finds_exactly_the_examples_generated(
        examples in prop::collection::vec(gen_example(), 0..6),
        tail in prop::collection::vec(filler(), 0..3),
    ) {
        let mut w = markdown("Generated", &examples, None);
        for f in &tail {
            f.render(&mut w.text);
        }
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = write(dir.path(), "page.md", &w.text);
        let (code, out) = common::exemplar(&["extract", "--format", "json", &path]);
        prop_assert_eq!(code, 0);
        let report = json(&out);
        let found = report["examples"].as_array().expect("examples");
        prop_assert_eq!(found.len(), w.examples.len(), "{}", w.text);
        for (e, (name, request_line, response_line, url, body)) in found.iter().zip(&w.examples) {
            prop_assert_eq!(e["name"].as_str(), Some(name.as_str()));
            prop_assert_eq!(e["request"]["line"].as_u64(), Some(*request_line as u64));
            prop_assert_eq!(e["request"]["url"].as_str(), Some(url.as_str()));
            prop_assert_eq!(e["request"]["body"].as_str().map(str::trim_end), Some(body.as_str()));
            prop_assert_eq!(e["response"]["line"].as_u64(), Some(*response_line as u64));
        }
        prop_assert_eq!(report["pages"][0]["examples"].as_u64(), Some(w.examples.len() as u64));
    }

    /// (b) A JSON fault placed at a known offset is reported there (line
    /// and column computed independently here), the character at that
    /// position is the fault's, and every finding lies inside the file.
    #[test]
    fn a_generated_fault_is_reported_at_its_position(
        examples in prop::collection::vec(gen_example(), 1..4),
        which in any::<prop::sample::Index>(),
        fault in prop::sample::select(&[
            Fault::TrailingComma, Fault::Comment, Fault::SingleQuoted, Fault::NoBreakSpace,
        ][..]),
        property in 0usize..8,
    ) {
        let e = which.index(examples.len());
        let w = markdown("Faulty", &examples, Some((e, fault, property)));
        let at = w.fault_at.expect("the generator placed the fault");
        prop_assert!(w.text[at..].starts_with(fault.char()));
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = write(dir.path(), "page.md", &w.text);
        let (_, out) = common::exemplar(&["check", "--format", "json", &path]);
        let report = json(&out);
        let findings = report["findings"].as_array().expect("findings");
        assert_inside(findings, &w.text);
        let (line, column) = (line_of(&w.text, at), column_of(&w.text, at));
        let hits: Vec<&Value> = findings
            .iter()
            .filter(|f| f["rule"] == "json-syntax")
            .filter(|f| f["message"].as_str().is_some_and(|m| m.starts_with(fault.message_start())))
            .collect();
        prop_assert_eq!(hits.len(), 1, "{:#?}\n{}", findings, w.text);
        prop_assert_eq!(hits[0]["line"].as_u64(), Some(line as u64), "{}", hits[0]);
        prop_assert_eq!(hits[0]["column"].as_u64(), Some(column as u64), "{}", hits[0]);
        prop_assert_eq!(hits[0]["example"].as_str().map(|s| s.ends_with(&format!("#example_{e}"))), Some(true));
        // The position names the fault's character, read back from the text.
        let line_text = w.text.split('\n').nth(line - 1).expect("the line exists");
        prop_assert_eq!(line_text.chars().nth(column - 1), Some(fault.char()));
    }

    /// (c) A page's findings are the same checked alone or with others.
    #[test]
    fn findings_do_not_depend_on_the_other_pages(
        pages in prop::collection::vec(
            (prop::collection::vec(gen_example(), 0..4), any::<prop::sample::Index>(), 0usize..8),
            3,
        ),
    ) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let paths: Vec<String> = pages
            .iter()
            .enumerate()
            .map(|(i, (examples, which, property))| {
                let fault = (!examples.is_empty())
                    .then(|| (which.index(examples.len()), Fault::TrailingComma, *property));
                // The same example names on every page, on purpose.
                let w = markdown("Shared names", examples, fault);
                write(dir.path(), &format!("page{i}.md"), &w.text)
            })
            .collect();
        let of_a = |out: &str| -> Vec<Value> {
            json(out)["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter(|f| f["path"].as_str() == Some(paths[0].as_str()))
                .cloned()
                .collect()
        };
        let (_, alone) = common::exemplar(&["check", "--format", "json", &paths[0]]);
        let (_, together) = common::exemplar(&["check", "--format", "json", &paths[2], &paths[0], &paths[1]]);
        let (_, folder) = common::exemplar(&["check", "--format", "json", dir.path().to_str().expect("UTF-8")]);
        prop_assert_eq!(of_a(&alone), of_a(&together));
        let in_folder: Vec<Value> = json(&folder)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with("page0.md")))
            .map(|f| {
                let mut f = f.clone();
                f["path"] = Value::from(paths[0].as_str());
                if let Some(e) = f["example"].as_str() {
                    let name = e.rsplit('#').next().unwrap_or("").to_owned();
                    f["example"] = Value::from(format!("{}#{name}", paths[0]));
                }
                f
            })
            .collect();
        prop_assert_eq!(of_a(&alone), in_folder);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..config() })]

    /// (d) `run` against the built-in mock with injected faults: the counts
    /// add up, every example has one result, and every skip and failure
    /// says why. At share 1.0 every replayed example fails.
    #[test]
    fn run_counts_add_up_under_injected_faults(
        examples in prop::collection::vec(gen_example(), 1..6),
        placeholders in prop::collection::vec(any::<bool>(), 6),
        share in prop::sample::select(&["", "503:0.3", "429:0.5", "500:1"][..]),
    ) {
        let mut w = markdown("Replayed", &examples, None);
        // Some URLs keep a placeholder: those examples are skipped, saying why.
        let mut skipped = 0;
        for (i, p) in placeholders.iter().enumerate().take(examples.len()) {
            if *p {
                let from = format!("/{}/{i}\n", examples[i].segment);
                let to = format!("/{}/{{id}}\n", examples[i].segment);
                w.text = w.text.replacen(&from, &to, 1);
                skipped += 1;
            }
        }
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = write(dir.path(), "page.md", &w.text);
        let mut args = vec!["run", "--format", "json", "--retries", "0", &path];
        if !share.is_empty() {
            args.extend(["--inject", share]);
        }
        let (_, out) = common::exemplar(&args);
        let report = json(&out);
        let s = &report["summary"];
        let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("summary.{k} in {s}"));
        prop_assert_eq!(n("examples"), examples.len() as u64);
        prop_assert_eq!(n("examples"), n("replayed") + n("skipped"));
        prop_assert_eq!(n("replayed"), n("passed") + n("failed"));
        prop_assert_eq!(n("skipped"), skipped);
        let results = report["results"].as_array().expect("results");
        prop_assert_eq!(results.len() as u64, n("examples"));
        for r in results {
            if r["outcome"] != "passed" {
                prop_assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()), "{}", r);
            }
        }
        if share == "500:1" {
            prop_assert_eq!(n("passed"), 0);
        }
        assert_inside(report["findings"].as_array().expect("findings"), &w.text);
    }
}
