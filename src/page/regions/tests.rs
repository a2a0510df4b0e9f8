//! The differential tests: the page model read through the regions must be
//! the one read with pulldown-cmark over the whole page, on every page of
//! the corpus and on pages built from CommonMark's edge cases.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::page::markdown::WHOLE_PAGES;
use crate::page::Page;

/// The whole page model, both ways, as text (every field of it).
fn both(path: &str, text: &str) -> (String, String) {
    let read = |whole: bool| {
        WHOLE_PAGES.with(|w| w.set(whole));
        let page = Page::from_text(Arc::from(path), text.to_owned(), None);
        WHOLE_PAGES.with(|w| w.set(false));
        format!("{page:#?}")
    };
    (read(false), read(true))
}

fn assert_same(path: &str, text: &str) {
    let (regions, whole) = both(path, text);
    if regions != whole {
        let diff = similar::TextDiff::from_lines(&whole, &regions);
        panic!(
            "{path}: the regions read the page differently from pulldown-cmark over the whole page\n--- page ---\n{text}\n--- whole → regions ---\n{}",
            diff.unified_diff().context_radius(4)
        );
    }
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every page of the shared corpus (beside the repository, as in CI).
#[test]
fn regions_read_every_corpus_page_as_the_whole_page_does() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut paths = Vec::new();
    files(&corpus, &mut paths);
    assert!(paths.len() > 1000, "the corpus is at {}", corpus.display());
    let (bytes, skipped, declined, alone, pages) = paths
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a UTF-8 corpus page");
            for counter in [&SKIPPED, &DECLINED, &ALONE] {
                counter.with(|s| s.set(0));
            }
            assert_same(&path.to_string_lossy(), &text);
            let declined = DECLINED.with(std::cell::Cell::get);
            (
                text.len(),
                SKIPPED.with(std::cell::Cell::get),
                declined,
                ALONE.with(std::cell::Cell::get),
                usize::from(declined > 0),
            )
        })
        .reduce(
            || (0, 0, 0, 0, 0),
            |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3, a.4 + b.4),
        );
    eprintln!("{skipped} bytes of plain declined stretches left unparsed");
    // The point of the block scanner: pulldown-cmark reads little.
    eprintln!(
        "pulldown-cmark: {declined} of {bytes} bytes in stretches the scanner declined \
         ({pages} pages), {alone} bytes of single blocks"
    );
    assert!(
        declined * 20 < bytes,
        "pulldown-cmark read {declined} of {bytes} bytes"
    );
}

thread_local! {
    /// Bytes of declined stretches left unparsed (plain, the reader idle).
    pub(super) static SKIPPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes of stretches handed to pulldown-cmark because the block
    /// scanner declined them.
    pub(super) static DECLINED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes of single blocks (headings with markup, paragraphs with a
    /// comment) the block scanner handed to pulldown-cmark alone.
    pub(in crate::page) static ALONE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Shapes from the CommonMark specification that decide where blocks
/// start and end: fences of both kinds, longer and shorter closing fences,
/// indented and unclosed fences, fences in lists and block quotes, the
/// seven kinds of HTML block, indented code, setext and ATX headings,
/// tables, link reference definitions, line endings.
const SHAPES: &[&str] = &[
    "<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->",
    "<!-- {\n  \"blockType\": \"response\",\n  \"truncated\": true\n} -->",
    "<!-- { \"blockType\": \"ignored\" } -->",
    "<!-- exemplar-disable json-syntax -->",
    "```http\nGET https://graph.microsoft.com/v1.0/me\n```",
    "~~~http\nGET /me\n~~~",
    "```http\nGET /me\n`````",
    "````\nGET /x\n```\nplain\n````",
    "```http\nHTTP/1.1 200 OK\n\n{\n\nplain words\n\n}\n```",
    "```http\nGET /me\n\nplain text after an unclosed fence\n",
    "   ```\nGET /a\n   ```",
    "    ```\n    GET /a",
    "    GET /me/events\n\n    POST /users",
    "\tGET /me",
    "- item\n\n  ```http\n  GET /me\n  ```",
    "- a\n- b",
    "- a\n\n- b",
    "1. one\n\n2. two\n   <!-- { \"blockType\": \"ignored\" } -->",
    "> ```http\n> GET /me\n> ```",
    "> para\ncontinued lazily",
    "<!--\nnote\n\nplain\n\n-->",
    "<pre>\n\nplain\n\n</pre>",
    "<script>\n\nx = 1\n\n</script>",
    "<?php\n\nplain\n\n?>",
    "<!DOCTYPE html\n\nplain\n>",
    "<![CDATA[\n\nplain\n\n]]>",
    "<div>\n<!-- { \"blockType\": \"request\" } -->\n</div>",
    "<a name=\"x\"></a>",
    "Example\n=======",
    "HTTP request\n---",
    "## HTTP request",
    "### Request <a name=\"request\"></a>",
    "# [HTTP](#tab/http)",
    "- ## Response",
    "| a | b |\n|---|---|\n| `x` | <br> y |",
    "***",
    "___",
    "Plain words here.\nMore words.",
    "Text <!-- { \"blockType\": \"request\" } --> more",
    "Text `<!-- { \"blockType\": \"request\" } -->` more",
    "[x]: https://example.com\n\n## [x]",
    "Line one\r\n\r\nLine two\r\n",
    "a\rb",
    "GET /me/messages",
    "## Request &amp; response",
    "\u{feff}text",
    "## Properties\n| a | b |\n|---|---|\n| x | y |",
    "# Title\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET /me\n```",
    "```bash\n# comment\nplain text\n\nmore\n```",
    "#hashtag\nplain",
    "<div>\n# h\nplain\n\nmore",
    ">**Note:** shortened.\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\n```",
    "> [!NOTE]\n> `id` is a key.\nlazy line\n>\n> - item",
    "> quoted\n===\n> ***\n>     code",
    "[x]\n\n[y]: /u\n[z]",
    "```json\n{ \"a\": \"`x`\" }\n    ```\n  ``` x\n ~~~\n  ```",
    "<!--\n{ \"blockType\": \"request\" }\n-->\n```http\nGET /me\n```",
    "- [x] item\n- two\n\n[x]: /u",
    "- item one\n\n- item two\n\n## Heading",
];

/// Every ordered pair of shapes (with a blank line and with a line break
/// between them) and a third of the ordered triples (with blank lines;
/// every shape in every place), each page also with an annotation before it.
#[test]
fn regions_read_commonmark_edge_cases_as_the_whole_page_does() {
    let n = SHAPES.len();
    let mut pages = Vec::new();
    for a in SHAPES {
        for b in SHAPES {
            pages.push(format!("{a}\n\n{b}\n"));
            pages.push(format!("{a}\n{b}\n"));
        }
    }
    let triples: Vec<String> = (0..n * n * n)
        .into_par_iter()
        .filter(|i| (i / (n * n) + i / n % n + i % n) % 3 == 0)
        .map(|i| {
            let (a, b, c) = (SHAPES[i / (n * n)], SHAPES[i / n % n], SHAPES[i % n]);
            format!("{a}\n\n{b}\n\n{c}\n")
        })
        .collect();
    pages.extend(triples);
    pages.par_iter().for_each(|page| {
        assert_same("edge.md", page);
        assert_same(
            "edge.md",
            &format!("<!-- {{ \"blockType\": \"request\" }} -->\n\n{page}"),
        );
    });
}

/// The cut points themselves, on a page of each kind of line: after a
/// blank line or a heading, in column 0, no list or quote marker.
#[test]
fn cut_points_follow_blank_lines_and_headings_in_column_0() {
    let text = "# Title\nProse.\n\n- list\n\n> quote\n\n    code\n\nMore prose\nstill\n\n<!-- c -->\nEnd\n";
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some(cut) = super::next_cut(text.as_bytes(), from) {
        cuts.push(&text[cut..]);
        from = cut;
    }
    assert_eq!(
        cuts,
        vec![
            &text[8..],
            "More prose\nstill\n\n<!-- c -->\nEnd\n",
            "<!-- c -->\nEnd\n",
        ]
    );
}

/// Inside a fence the scanner looks only at lines holding the fence's
/// character: a backtick inside a line, a fence indented four spaces, and
/// a fence followed by words close nothing; the content is one text event.
#[test]
fn a_fence_is_read_to_its_closing_line_in_one_search() {
    let text = "```http\nGET /a `x`\n    ```\n ``` y\n  ```\nafter\n";
    let mut events = crate::page::blocks::Events::default();
    let scan = crate::page::blocks::scan(text, 0, false, &mut events);
    assert_eq!(scan, crate::page::blocks::Scan::Fresh);
    let got: Vec<String> = events.iter().map(|e| format!("{e:?}")).collect();
    assert_eq!(
        got,
        vec![
            "(CodeStart { fenced: true }, 0..39)",
            r#"(Code("GET /a `x`\n    ```\n ``` y\n"), 8..34)"#,
            "(CodeEnd, 0..39)",
            "(Prose, 40..46)",
        ]
    );
    let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::empty());
    assert_eq!(
        crate::page::markdown::reader_model(text, parser.into_offset_iter()),
        crate::page::markdown::scanned_model(text, events)
    );
}

/// Headings led by `<a name="x"></a>` (the scanner's fast path) are one
/// heading with the anchor's name, and the model pulldown-cmark's; near
/// misses (a space in the tag, markup or a third tag after it, a quote or
/// `>` in the value, no closing tag) take the other paths, same model. The
/// name is what the reader reads from pulldown-cmark's tag event: cut at a
/// quote, `>` or space, leading quotes dropped.
#[test]
fn a_heading_led_by_an_anchor_reads_as_tags_then_words() {
    let text = "## <a name=\"create-a-user\"></a>Create a user\n";
    let mut events = crate::page::blocks::Events::default();
    crate::page::blocks::scan(text, 0, false, &mut events);
    let got: Vec<String> = events.iter().map(|e| format!("{e:?}")).collect();
    assert_eq!(
        got,
        vec![
            r#"(Heading { level: 2, words: "Create a user", anchor: Some("create-a-user") }, 0..45)"#,
        ]
    );
    let headings = [
        "## <a name=\"create-a-user\"></a>Create a user",
        "# <a name=\"x\"></a>",
        "### <a name=\"x\"></a> spaced  ##",
        "## <a name=\"a>b\"></a>Words",
        "## <a name=\"a'b\"></a>Words",
        "## <a name=\"x\" ></a>Words",
        "## <a name=\"x\"></a>Use *this*",
        "## <a name=\"x\"></a>Words <b>bold</b>",
        "## <a name=\"x\"></a><a name=\"y\"></a>Words",
        "## <a name=\"x\">Words",
        "## <a name=\"x></a>Words",
        "## <a name='x'></a>Words",
        "## <a name=\"\"></a>",
        "## <a name=\"a b\"></a>Words",
        "## <a name=\"'x\"></a>Words",
        "## <a name=\"x'\"></a>Words",
        "###### <a name=\"Request-Body\"></a>Request body",
        "## <a name=\"](#tab/http)\"></a>Words",
        "## <a name=\"x\"></a>",
        "Words <a name=\"x\"></a>\n---",
        "<a name=\"x\"></a>Words\n===",
        "# Plain words #",
        "# [HTTP](#tab/http)",
    ];
    for heading in headings {
        let text = format!("{heading}\n\nAfter.\n");
        let mut events = crate::page::blocks::Events::default();
        crate::page::blocks::scan(&text, 0, false, &mut events);
        let parser = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::empty());
        assert_eq!(
            crate::page::markdown::reader_model(&text, parser.into_offset_iter()),
            crate::page::markdown::scanned_model(&text, events),
            "{heading}"
        );
        assert_same("anchor.md", &text);
    }
}

/// The anchor's name read from its value alone is the name `name_at`
/// reads from the whole tag, for values with quotes, `>`, spaces, none
/// of them, or nothing (a value holds no `"` or line end: the tag's shape
/// ends it at its first `"`).
#[test]
fn an_anchor_value_names_what_its_tag_names() {
    let values = [
        "",
        "x",
        "http-request",
        "'",
        "''",
        "'x",
        "x'",
        "''x'y",
        "a b",
        " a",
        "a>b",
        ">",
        "a'b>c d",
        "'> ",
        "é-名",
        "x y'z",
        "Request-Body",
    ];
    for value in values {
        let tag = format!("<a name=\"{value}\">");
        assert_eq!(
            Some(crate::page::blocks::anchor_value_name(value)),
            crate::page::markdown::name_at(&tag, 8),
            "{tag}"
        );
        for heading in [
            format!("## <a name=\"{value}\"></a>Words\n\nAfter.\n"),
            format!("# <a name=\"{value}\"></a> # \n"),
            format!("###   <a name=\"{value}\"></a>Words  ###  \n"),
        ] {
            let mut events = crate::page::blocks::Events::default();
            crate::page::blocks::scan(&heading, 0, false, &mut events);
            let parser =
                pulldown_cmark::Parser::new_ext(&heading, pulldown_cmark::Options::empty());
            assert_eq!(
                crate::page::markdown::reader_model(&heading, parser.into_offset_iter()),
                crate::page::markdown::scanned_model(&heading, events),
                "{heading}"
            );
        }
    }
}

/// The markdown of the CommonMark specification's examples for tabs,
/// thematic breaks, headings, code blocks, HTML blocks, link reference
/// definitions, paragraphs, blank lines, block quotes and lists.
const SPEC: &str = include_str!("commonmark_spec.json");

fn spec_examples() -> Vec<(u64, String)> {
    let spec: serde_json::Value = serde_json::from_str(SPEC).expect("the spec examples");
    spec["examples"]
        .as_array()
        .expect("a list of examples")
        .iter()
        .map(|e| {
            let number = e["example"].as_u64().expect("a number");
            (number, e["markdown"].as_str().expect("markdown").to_owned())
        })
        .collect()
}

/// Each example (alone, after an annotation waiting for its block, and
/// with a fence after it): the block scanner's events build the reader's
/// model pulldown-cmark's do, unless the scanner declines; and the page
/// model read through the regions is the one read whole.
#[test]
fn block_scanner_reads_the_commonmark_spec_examples_as_pulldown_cmark() {
    let examples = spec_examples();
    assert!(examples.len() > 250);
    let mut scanned = 0;
    for (number, markdown) in &examples {
        let variants = [
            markdown.clone(),
            format!("<!-- {{ \"blockType\": \"request\" }} -->\n{markdown}"),
            format!("# Title\n\n{markdown}\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\nGET /x\n```\n"),
        ];
        for text in &variants {
            assert_same(&format!("spec-{number}.md"), text);
            let defs = text.contains("]:");
            let mut events = crate::page::blocks::Events::default();
            let scan = crate::page::blocks::scan(text, 0, defs, &mut events);
            if scan == crate::page::blocks::Scan::Declined {
                continue;
            }
            scanned += 1;
            let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::empty());
            let want = crate::page::markdown::reader_model(text, parser.into_offset_iter());
            let got = crate::page::markdown::scanned_model(text, events);
            if want != got {
                let diff = similar::TextDiff::from_lines(&want, &got);
                panic!(
                    "spec example {number}: the block scanner differs from pulldown-cmark\n--- text ---\n{text}\n--- pulldown → scanner ---\n{}",
                    diff.unified_diff().context_radius(4)
                );
            }
        }
    }
    // The scanner must not decline its way through: most examples without
    // containers or tabs are its own.
    eprintln!("{scanned} of {} spec pages scanned", examples.len() * 3);
    assert!(scanned > 450, "only {scanned} spec pages were scanned");
}

/// The edges of the scanner's short paths, each a page read both ways and
/// scanned alone against pulldown-cmark: ATX headings (a tab or no space
/// after the `#`s, closing `#` runs with and without a space before them,
/// trailing spaces, four spaces of indentation, words of 0 to 17 bytes
/// either side of the eight-byte folds, anchor values whose first `"` falls
/// on each side of an eight-byte step, with `'`, `>` or a space in them),
/// and the first lines of HTML blocks (a comment closed on its own line,
/// `<!-->`, `<!--->`, `<?>`, an end tag in a long or a short first line or
/// only on a later one).
#[test]
fn short_paths_read_their_edge_cases_as_pulldown_cmark() {
    let mut pages = Vec::new();
    let words = [
        "",
        "a",
        "Words",
        "Response",
        "Responses",
        "請求本文",
        "Request headers!",
    ];
    for w in words {
        for value in [
            "",
            "x",
            "request",
            "request1",
            "request-b",
            "create-a-resource",
            "a'b",
            "a>b",
            "a b",
            "'x",
        ] {
            for h in [
                format!("## {w}"),
                format!("##\t{w}"),
                format!("##{w}"),
                format!("## {w} ##"),
                format!("## {w}##"),
                format!("## {w} #  "),
                format!("## {w}   "),
                format!("    ## {w}"),
                format!("   ## {w} \\#"),
                format!("## <a name=\"{value}\"></a>{w}"),
                format!("# <a name=\"{value}\"></a>{w} #"),
                format!("###  <a name=\"{value}\"></a> {w}"),
                format!("## <a name=\"{value}\"></a>{w}\t"),
                format!("## <a name=\"{value}\"</a>{w}"),
                format!("## <a name=\"{value}></a>{w}"),
                format!("## <a name=\"{value}\"></a>*{w}*"),
                format!("####### {w}"),
            ] {
                pages.push(format!("{h}\n\nAfter.\n"));
                pages.push(format!("Before\n{h}"));
            }
        }
    }
    for html in [
        "<!-- {\n\"a\": 1\n}-->",
        "<!-- { \"blockType\": \"request\", \"name\": \"a-b-c\" } -->",
        "<!-- { \"blockType\": \"request\", \"name\": \"a-b-c\" } --> tail",
        "<!-->\nafter",
        "<!--->\nafter",
        "<!-- x --\nafter -->",
        "<!--x-->",
        "<!--",
        "<?>\nafter",
        "<? x ?>\nafter",
        "<?\nx ?> y",
        "<pre></pre>\nafter",
        "<pre>x\n</pre>",
        "<script x=\"a-b\">y</script>",
        "<!X>\nafter",
        "<![CDATA[x]]>\nafter",
        "<![CDATA[\nx]]> y",
        "<!-- a very long first line of a comment, with-many-dashes-in-it\nand-more -->",
        "<!-- short --\n-->",
        "<!-->x\nafter",
        "<!--->x\nafter",
        "<?>x\nafter",
        "<!--\n-->y\nafter",
        "<!--\nx-->y\nafter",
        "<pre>\n</pre>x\nafter",
        "<!-- a long first line, its end tag first --> then words\nafter",
    ] {
        // An annotation and its block after: swallowed if the HTML block
        // were read to end elsewhere.
        let request = "<!-- { \"blockType\": \"request\" } -->\n```http\nGET /x\n```\n";
        pages.push(format!("{html}\n\nAfter.\n"));
        pages.push(format!("{html}\n"));
        pages.push(format!("Para\n{html}\n"));
        pages.push(format!("{html}\n{request}"));
        pages.push(format!("{html}\n\n{request}"));
    }
    pages.par_iter().for_each(|text| {
        assert_same("short-paths.md", text);
        let mut events = crate::page::blocks::Events::default();
        if crate::page::blocks::scan(text, 0, false, &mut events)
            == crate::page::blocks::Scan::Declined
        {
            return;
        }
        let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::empty());
        assert_eq!(
            crate::page::markdown::reader_model(text, parser.into_offset_iter()),
            crate::page::markdown::scanned_model(text, events),
            "{text}"
        );
    });
}

/// A declined stretch's lines, cut at each `\n` found, are judged as
/// `split_inclusive` cuts them: with and without a final `\n`, empty, one
/// line, a heading or indented code on the first, a middle or the last line.
#[test]
fn plain_lines_cut_a_stretch_as_split_inclusive_does() {
    let lines = [
        "- item\n",
        "  more words\n",
        "\n",
        "## heading\n",
        "    code\n",
        "- ===\n",
        "1. one",
        "",
        "words",
        "\t- tab\n",
    ];
    let mut stretches = vec![String::new()];
    for a in lines {
        for b in lines {
            for c in lines {
                stretches.push(format!("{a}{b}{c}"));
            }
        }
    }
    for stretch in &stretches {
        let bytes = stretch.as_bytes();
        assert_eq!(
            super::plain_lines(bytes),
            bytes.split_inclusive(|&b| b == b'\n').all(super::is_plain),
            "{stretch:?}"
        );
    }
}

/// The lines in column 0 with no block open that `blocks::block_at_zero`
/// reads before the general path (their first byte `#`, `<`, a backtick or `~`),
/// those that open a heading, an HTML block or a fence and those that open
/// none (a paragraph, read by the general path), each at the page's start,
/// after a blank line, after a paragraph line, last with and without a
/// line end, and before an annotation and its block: scanned alone as
/// pulldown-cmark reads them, and the page read as the whole page is.
#[test]
fn lines_opening_a_block_in_column_0_read_as_pulldown_cmark() {
    let lines = [
        "# Title",
        "## <a name=\"x\"></a>Words",
        "####### seven",
        "#hashtag",
        "#",
        "#\tTab",
        "# [HTTP](#tab/http)",
        "<!-- { \"blockType\": \"request\" } -->",
        "<!-- {",
        "<!-- x --> words",
        "<div>",
        "<div class=\"a\">x</div>",
        "<b>bold</b> words",
        "<span>",
        "<a href=\"x\">",
        "<",
        "<pre>",
        "```http",
        "```",
        "``` a`b",
        "``x``",
        "~~~",
        "~~~ a`b",
        "~~x~~",
        "````",
    ];
    let request = "<!-- { \"blockType\": \"request\" } -->\n```http\nGET /x\n```\n";
    let mut pages = Vec::new();
    for line in lines {
        pages.push(format!("{line}\n\nAfter.\n"));
        pages.push(format!("{line}\nnext\n"));
        pages.push(format!("Before\n\n{line}\n"));
        pages.push(format!("Before\n{line}\n"));
        pages.push(format!("Before\n\n{line}"));
        pages.push(format!("{line}\n{request}"));
        pages.push(format!("{line}\n\n{request}"));
        pages.push(format!("{request}{line}\n"));
    }
    pages.par_iter().for_each(|text| {
        assert_same("column-0.md", text);
        let mut events = crate::page::blocks::Events::default();
        if crate::page::blocks::scan(text, 0, false, &mut events)
            == crate::page::blocks::Scan::Declined
        {
            return;
        }
        let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::empty());
        assert_eq!(
            crate::page::markdown::reader_model(text, parser.into_offset_iter()),
            crate::page::markdown::scanned_model(text, events),
            "{text}"
        );
    });
}

/// A paragraph's comment, found by the prose lines' own search where
/// every line of the paragraph was taken by it and by a search of the
/// whole paragraph where some line was not (a line led by a digit, a `*`
/// or spaces): on the first, a middle or the last line, at a line's start
/// or end, split over two lines, after other `<`s, or only a `<!-` or a
/// `<` at the page's end; scanned alone as pulldown-cmark reads it, and
/// the page read as the whole page is.
#[test]
fn a_paragraph_comment_is_found_on_any_of_its_lines() {
    let lines = [
        "Words <!-- c --> words",
        "Words <!-- { \"blockType\": \"request\" } -->",
        "a < b <br> <!--x-->",
        "| a | <br> | <!-- c --> |",
        "Words <!-",
        "-- not a comment",
        "Words <",
        "<!-- c --> words",
        "1 word <!-- c -->",
        "**bold** <!-- c -->",
        "  indented <!-- c -->",
        "plain words",
    ];
    let request = "```http\nGET /x\n```\n";
    let mut pages = Vec::new();
    for a in lines {
        for b in lines {
            pages.push(format!("Start\n{a}\n{b}\n\n{request}"));
            pages.push(format!("{a}\n{b}\n"));
            pages.push(format!("{a}\n{b}"));
            pages.push(format!(
                "<!-- {{ \"blockType\": \"request\" }} -->\n{a}\n{b}\n{request}"
            ));
        }
    }
    pages.par_iter().for_each(|text| {
        assert_same("comment.md", text);
        let mut events = crate::page::blocks::Events::default();
        if crate::page::blocks::scan(text, 0, false, &mut events)
            == crate::page::blocks::Scan::Declined
        {
            return;
        }
        let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::empty());
        assert_eq!(
            crate::page::markdown::reader_model(text, parser.into_offset_iter()),
            crate::page::markdown::scanned_model(text, events),
            "{text}"
        );
    });
}

/// Paragraphs ended by an empty line in the prose lines' own loop: more
/// of them than the walk holds before it hands its events on, with and
/// without a comment or a leading `[` (on a page with and without a
/// definition), then a list item that declines, an annotation waiting
/// across them, and the page read as the whole page is.
#[test]
fn paragraphs_ended_by_empty_lines_read_as_the_whole_page_does() {
    for n in [1, 15, 16, 17, 40] {
        for para in ["Words.", "[x] words.", "Words <!-- c -->."] {
            for tail in [
                "",
                "- item\n\n",
                "[x]: /u\n\n",
                "- item <!-- c -->\n\nWords.\n\n",
            ] {
                let body = format!("{para}\n\n").repeat(n);
                let text = format!(
                    "<!-- {{ \"blockType\": \"request\" }} -->\n{body}{tail}```http\nGET /x\n```\n"
                );
                assert_same("paragraphs.md", &text);
                assert_same("paragraphs.md", &format!("# T\n\n{body}{tail}"));
            }
        }
    }
}
