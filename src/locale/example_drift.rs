//! locale-example-drift: an example of a translation that differs from the
//! same example of its source page. Examples are not translated, so the
//! method, URL, status, headers and body values must be the same; bodies are
//! compared as JSON values (key order, spacing and comments do not count,
//! string values count exactly) and as whitespace-folded lines otherwise.
//! Each finding points at the differing value in the localized page and
//! names the source page's line.

use std::borrow::Cow;
use std::ops::Range;

use super::matching::Matched;
use super::Ctx;
use crate::example::{Example, Half};
use crate::finding::Fix;
use crate::http::{Body, Message, StartLine};
use crate::json::{self, Node, Value};
use crate::page::Format;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) LOCALE_EXAMPLE_DRIFT = "locale-example-drift", Warning, Locale,
    "a localized page's example differs from the source-language example";
}

declare_rule! {
    pub(crate) LOCALE_EXAMPLE_WHITESPACE = "locale-example-whitespace", Note, Locale,
    "a localized page's example differs from the source-language example only in whitespace";
}

pub(super) fn check(ctx: &mut Ctx, matched: &Matched) {
    for pair in matched {
        if let (Some(i), Some(j)) = *pair {
            let (source, localized) = (&ctx.source.examples[i], &ctx.localized.examples[j]);
            compare(ctx, source, localized);
        }
    }
}

/// `locale-example-whitespace`: a half that locale-example-drift found no
/// difference in (it folds whitespace on purpose: a translation tool's
/// re-spacing changes nothing a reader copies) but whose text is not the
/// source's once each page's block indentation and line ends are set
/// aside. A note, with an unsafe fix that copies the source's text: the
/// whitespace may sit inside a JSON string, where it is a value.
/// Runs after the drift check, whose findings on an example it defers to.
pub(super) fn check_whitespace(ctx: &mut Ctx, matched: &Matched) {
    if ctx.source.format != Format::Markdown || ctx.localized.format != Format::Markdown {
        return;
    }
    for pair in matched {
        let (Some(i), Some(j)) = *pair else { continue };
        let (source, localized) = (&ctx.source.examples[i], &ctx.localized.examples[j]);
        let drifted = ctx.findings.iter().any(|f| {
            f.rule == &LOCALE_EXAMPLE_DRIFT && f.example.as_deref() == Some(&localized.id)
        });
        if drifted {
            continue;
        }
        let halves = [
            ("request", &source.request, &localized.request),
            ("response", &source.response, &localized.response),
        ];
        for (what, s, l) in halves {
            let (Some(s), Some(l)) = (s, l) else { continue };
            whitespace(ctx, what, &localized.id, s, l);
        }
    }
}

fn whitespace(ctx: &mut Ctx, what: &str, id: &str, s: &Half, l: &Half) {
    // Most copies are the source's byte for byte: the same text after the
    // same prefix has the same lines, and there is nothing to compare (told
    // from what the pages keep of the texts, without putting them together).
    if s.layout.surely_same(&s.message, &l.layout, &l.message) {
        return;
    }
    let (Some(sb), Some(lb)) = (Block::of(s), Block::of(l)) else {
        return;
    };
    let (sl, ll) = (sb.lines(), lb.lines());
    if sl == ll {
        return;
    }
    // Only whitespace differs: the same words in the same order.
    if !words_equal(&sl, &ll) {
        return;
    }
    // The first differing line, and the first differing byte in it.
    let k = sl
        .iter()
        .zip(&ll)
        .position(|(a, b)| a != b)
        .unwrap_or(sl.len().min(ll.len()));
    let (at, source_at) = match (ll.get(k), sl.get(k)) {
        (Some(lline), Some(sline)) => {
            let (col, scol) = lline
                .0
                .char_indices()
                .zip(sline.0.char_indices())
                .find(|((_, a), (_, b))| a != b)
                // One line is the other plus some: they part where the shorter ends.
                .map_or_else(
                    || {
                        let common = lline.0.len().min(sline.0.len());
                        (common, common)
                    },
                    |((n, _), (m, _))| (n, m),
                );
            (lb.line_start(k) + col, sb.line_start(k) + scol)
        }
        _ => (
            lb.line_start(k.min(ll.len().saturating_sub(1))),
            sb.line_start(k.min(sl.len().saturating_sub(1))),
        ),
    };
    // A source holding a no-break space or the like (not JSON whitespace,
    // RFC 8259 §2) is the page to mend: copying it would spread it.
    let source_odd = sb.text.chars().any(|c| c.is_whitespace() && !c.is_ascii());
    ctx.relate_next(source_at);
    let f = ctx.report(
        &LOCALE_EXAMPLE_WHITESPACE,
        at..at,
        Some(id),
        format!("this {what} differs from the source page's only in whitespace"),
    );
    if source_odd {
        f.help = Some(
            "the source page's example holds a no-break or other non-ASCII space, which \
             is not JSON whitespace: mend the source page, then copy its example here"
                .into(),
        );
        return;
    }
    f.help = Some(
        "copy the source page's example (`exemplar check --fix --unsafe-fixes` does); \
         whitespace inside a JSON string is part of its value"
            .into(),
    );
    f.fix = Some(Fix::unsafe_edit(lb.span.clone(), lb.rewrite(&sl)));
}

/// The same words in the same order, whatever the spacing between them.
fn words_equal(a: &[(&str, bool)], b: &[(&str, bool)]) -> bool {
    a.iter()
        .flat_map(|(l, _)| l.split_whitespace())
        .eq(b.iter().flat_map(|(l, _)| l.split_whitespace()))
}

/// An HTTP message's text in its page, from the request or status line to
/// the end of the body (or of the last header): what a copy replaces. Put
/// together from what the page keeps of it ([`crate::example::Layout`]):
/// `check` has dropped the page's text by the time the locale rules run.
struct Block<'p> {
    text: String,
    span: Range<usize>,
    /// What stands before the first line on its line (a list item's or a
    /// quote's indentation), which every further line repeats.
    prefix: &'p str,
    crlf: bool,
}

impl<'p> Block<'p> {
    fn of(half: &'p Half) -> Option<Block<'p>> {
        let (text, span, prefix) = half.layout.text(&half.message)?;
        // A prefix with text in it is not a block's indentation.
        if prefix.chars().any(|c| !(c.is_whitespace() || c == '>')) {
            return None;
        }
        let crlf = text.contains("\r\n");
        let block = Block {
            text,
            span,
            prefix,
            crlf,
        };
        // Every further line repeats the prefix (or is blank): else the
        // block is laid out in a way a copy could not keep.
        let laid_out = block
            .raw_lines()
            .skip(1)
            .all(|(line, _)| line.starts_with(prefix) || line.trim().is_empty());
        laid_out.then_some(block)
    }

    /// Each line with its end, as the page holds it.
    fn raw_lines(&self) -> impl Iterator<Item = (&str, bool)> {
        self.text
            .split_inclusive('\n')
            .map(|line| match line.strip_suffix('\n') {
                Some(l) => (l.strip_suffix('\r').unwrap_or(l), true),
                None => (line, false),
            })
    }

    /// Each line without the block's prefix or its line end, and whether a
    /// line end follows: what two pages' copies of one example share.
    fn lines(&self) -> Vec<(&str, bool)> {
        self.raw_lines()
            .enumerate()
            .map(|(k, (line, eol))| {
                // A line without the prefix is a blank one, shorter than it.
                let line = if k == 0 {
                    line
                } else {
                    line.strip_prefix(self.prefix).unwrap_or_default()
                };
                (line, eol)
            })
            .collect()
    }

    /// Page offset of line `k`'s text after the prefix.
    fn line_start(&self, k: usize) -> usize {
        let mut at = self.span.start;
        for (n, line) in self.text.split_inclusive('\n').enumerate() {
            if n == k {
                let skip = if n == 0 || !line.starts_with(self.prefix) {
                    0
                } else {
                    self.prefix.len()
                };
                return at + skip;
            }
            at += line.len();
        }
        at
    }

    /// `lines` (another page's) written as this block's lines: its prefix
    /// and its line ends.
    fn rewrite(&self, lines: &[(&str, bool)]) -> String {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut out = String::with_capacity(self.text.len());
        for (k, (line, end)) in lines.iter().enumerate() {
            if k > 0 && !line.is_empty() {
                out.push_str(self.prefix);
            }
            out.push_str(line);
            if *end {
                out.push_str(eol);
            }
        }
        out
    }
}

fn compare(ctx: &mut Ctx, source: &Example, localized: &Example) {
    let id = localized.id.as_str();
    let halves = [
        ("request", &source.request, &localized.request),
        ("response", &source.response, &localized.response),
    ];
    for (what, s, l) in halves {
        match (s, l) {
            (Some(s), Some(l)) => messages(ctx, id, &s.message, &l.message),
            (Some(s), None) => {
                let at = localized.start();
                ctx.relate_next(s.message.line_span.start);
                let message = format!("this example has no {what}, but the source page's has one",);
                report(ctx, at..at, id, message, None);
            }
            (None, Some(l)) => {
                ctx.relate_next(source.start());
                let message =
                    format!("this example has a {what} that the source page's example lacks",);
                report(ctx, l.message.line_span.clone(), id, message, None);
            }
            (None, None) => {}
        }
    }
}

fn report(
    ctx: &mut Ctx,
    span: Range<usize>,
    id: &str,
    message: String,
    expected_actual: Option<(String, String)>,
) {
    let f = ctx.report(&LOCALE_EXAMPLE_DRIFT, span, Some(id), message);
    f.help = Some(
        "examples are not translated: make this one the same as the source page's \
         (only comments may differ)"
            .into(),
    );
    if let Some((expected, actual)) = expected_actual {
        f.expected = Some(expected);
        f.actual = Some(actual);
    }
}

fn messages(ctx: &mut Ctx, id: &str, s: &Message, l: &Message) {
    match (&s.start, &l.start) {
        (
            StartLine::Request {
                method: sm,
                method_span: sms,
                url: su,
                url_span: sus,
            },
            StartLine::Request {
                method: lm,
                method_span: lms,
                url: lu,
                url_span: lus,
            },
        ) => {
            if !sm.eq_ignore_ascii_case(lm) {
                ctx.relate_next(sms.start);
                let message = format!("the method is {lm} here but {sm} in the source page",);
                report(
                    ctx,
                    lms.clone(),
                    id,
                    message,
                    Some((sm.clone(), lm.clone())),
                );
            }
            if su.trim() != lu.trim() {
                ctx.relate_next(sus.start);
                let message = format!("the URL differs from the source page's `{}`", su.trim(),);
                report(
                    ctx,
                    lus.clone(),
                    id,
                    message,
                    Some((su.clone(), lu.clone())),
                );
            }
        }
        (
            StartLine::Status {
                status: ss,
                status_span: sss,
                ..
            },
            StartLine::Status {
                status: ls,
                status_span: lss,
                ..
            },
        ) if ss != ls => {
            ctx.relate_next(sss.start);
            let message = format!("the status is {ls} here but {ss} in the source page",);
            report(
                ctx,
                lss.clone(),
                id,
                message,
                Some((ss.to_string(), ls.to_string())),
            );
        }
        // Same status; or one side announces a request and the other a
        // response, which http-syntax reports. The rest still compares.
        _ => {}
    }
    headers(ctx, id, s, l);
    bodies(ctx, id, s, l);
}

fn headers(ctx: &mut Ctx, id: &str, s: &Message, l: &Message) {
    let mut used = vec![false; l.headers.len()];
    for sh in &s.headers {
        let found = l
            .headers
            .iter()
            .enumerate()
            .find(|(k, lh)| !used[*k] && lh.name.eq_ignore_ascii_case(&sh.name));
        match found {
            Some((k, lh)) => {
                used[k] = true;
                if sh.value.trim() != lh.value.trim() {
                    ctx.relate_next(sh.value_span.start);
                    let message = format!(
                        "header `{}` is `{}` here but `{}` in the source page",
                        sh.name,
                        lh.value.trim(),
                        sh.value.trim(),
                    );
                    report(
                        ctx,
                        lh.value_span.clone(),
                        id,
                        message,
                        Some((sh.value.clone(), lh.value.clone())),
                    );
                }
            }
            None => {
                let at = l.headers.last().map_or(l.line_span.end, |h| h.span.end);
                ctx.relate_next(sh.span.start);
                let message = format!(
                    "header `{}: {}` of the source page is missing here",
                    sh.name,
                    sh.value.trim(),
                );
                report(ctx, at..at, id, message, None);
            }
        }
    }
    for (k, lh) in l.headers.iter().enumerate() {
        if !used[k] {
            ctx.relate_next(s.line_span.start);
            let message = format!(
                "header `{}` is not in the source page's {}",
                lh.name,
                if s.is_request() {
                    "request"
                } else {
                    "response"
                },
            );
            report(ctx, lh.span.clone(), id, message, None);
        }
    }
}

fn bodies(ctx: &mut Ctx, id: &str, s: &Message, l: &Message) {
    match (&s.body, &l.body) {
        (None, None) => {}
        (Some(sb), None) => {
            let at = l.headers.last().map_or(l.line_span.end, |h| h.span.end);
            ctx.relate_next(sb.to_page(&(0..0)).start);
            let message = "the body of the source page is missing here".to_owned();
            report(ctx, at..at, id, message, None);
        }
        (None, Some(lb)) => {
            let span = lb.to_page(&(0..lb.text().len()));
            ctx.relate_next(s.line_span.start);
            let message = format!(
                "this body is not in the source page's {}",
                if s.is_request() {
                    "request"
                } else {
                    "response"
                },
            );
            report(ctx, span.start..span.start, id, message, None);
        }
        (Some(sb), Some(lb)) => {
            if same_words(sb.text(), lb.text()) {
                return;
            }
            let (sj, lj) = (spaced_json(sb), spaced_json(lb));
            match (
                sj.as_ref().and_then(|p| p.root.as_ref()),
                lj.as_ref().and_then(|p| p.root.as_ref()),
            ) {
                (Some(sr), Some(lr)) => json_values(ctx, id, sb, sr, lb, lr),
                _ => text(ctx, id, sb, lb),
            }
        }
    }
}

/// Equal once every run of whitespace is folded to one space: the same
/// example laid out differently (or with a no-break space where the source
/// has a space) is the same example. (Word by word, so nothing is copied:
/// most translated bodies are byte for byte their source's.)
fn same_words(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
}

/// The body's JSON, parsed again when it holds non-ASCII whitespace
/// (U+00A0, U+3000, ...), which RFC 8259 does not allow but pages carry
/// from word processors. Each such character becomes as many ASCII spaces as
/// it has bytes, so spans still point into the page.
fn spaced_json(body: &Body) -> Option<Cow<'_, json::Parsed>> {
    let parsed = body.json()?;
    let text = body.text();
    if text.is_ascii() || !text.chars().any(|c| c.is_whitespace() && !c.is_ascii()) {
        return Some(Cow::Borrowed(parsed));
    }
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() && !c.is_ascii() {
            spaced.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            spaced.push(c);
        }
    }
    Some(Cow::Owned(json::parse(&spaced)))
}

/// Walks both JSON values side by side (iteratively: bodies nest up to
/// `json::MAX_DEPTH`); reports each differing scalar, each property on one
/// side only, and each array whose length differs, without descending into
/// a value whose type already differs.
fn json_values(ctx: &mut Ctx, id: &str, sb: &Body, sr: &Node, lb: &Body, lr: &Node) {
    let mut stack: Vec<(String, &Node, &Node)> = vec![(String::new(), sr, lr)];
    while let Some((pointer, s, l)) = stack.pop() {
        let shown = if pointer.is_empty() { "/" } else { &pointer };
        match (&s.value, &l.value) {
            (Value::Object(sm), Value::Object(lm)) => {
                let mut used = vec![false; lm.len()];
                let mut children = Vec::new();
                for m in sm {
                    let found = lm
                        .iter()
                        .enumerate()
                        .find(|(k, x)| !used[*k] && x.key == m.key);
                    let child = format!("{pointer}/{}", json::pointer_token(&m.key));
                    match found {
                        Some((k, x)) => {
                            used[k] = true;
                            children.push((child, &m.value, &x.value));
                        }
                        None => {
                            let at = lb.to_page(&l.span).start;
                            ctx.relate_next(sb.to_page(&m.key_span).start);
                            let message = format!(
                                "property `{}` of the source page's body is missing from `{shown}` here",
                                m.key,
                            );
                            let f = json_report(ctx, at..at + 1, id, message, &child);
                            f.expected = Some(m.value.value.display());
                        }
                    }
                }
                for (k, x) in lm.iter().enumerate() {
                    if !used[k] {
                        let child = format!("{pointer}/{}", json::pointer_token(&x.key));
                        let span = lb.to_page(&(x.key_span.start..x.value.span.end));
                        ctx.relate_next(sb.to_page(&s.span).start);
                        let message =
                            format!("property `{}` is not in the source page's `{shown}`", x.key,);
                        let f = json_report(ctx, span, id, message, &child);
                        f.actual = Some(x.value.value.display());
                    }
                }
                stack.extend(children.into_iter().rev());
            }
            (Value::Array(si), Value::Array(li)) => {
                if si.len() != li.len() {
                    let span = lb.to_page(&l.span);
                    ctx.relate_next(sb.to_page(&s.span).start);
                    let message = format!(
                        "`{shown}` has {} here but {} in the source page",
                        items(li.len()),
                        si.len(),
                    );
                    let f = json_report(ctx, span.start..span.start + 1, id, message, &pointer);
                    f.expected = Some(items(si.len()));
                    f.actual = Some(items(li.len()));
                }
                let children: Vec<_> = si
                    .iter()
                    .zip(li)
                    .enumerate()
                    .map(|(k, (a, b))| (format!("{pointer}/{k}"), a, b))
                    .collect();
                stack.extend(children.into_iter().rev());
            }
            (a, b) if same_scalar(a, b) => {}
            (a, b) => {
                let span = lb.to_page(&l.span);
                ctx.relate_next(sb.to_page(&s.span).start);
                let message = format!(
                    "`{shown}` is {} here but {} in the source page",
                    b.display(),
                    a.display(),
                );
                let f = json_report(ctx, span, id, message, &pointer);
                f.expected = Some(a.display());
                f.actual = Some(b.display());
            }
        }
    }
}

fn items(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

fn json_report<'c>(
    ctx: &'c mut Ctx,
    span: Range<usize>,
    id: &str,
    message: String,
    pointer: &str,
) -> &'c mut crate::finding::Finding {
    report(ctx, span, id, message, None);
    let last = ctx.findings.len() - 1;
    let f = &mut ctx.findings[last];
    f.pointer = Some(pointer.to_owned());
    f
}

/// Equal scalars: strings exactly, numbers by value (`1.0` is `1`), and the
/// non-JSON pieces (`...`) by their text.
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(xr, x), Value::Number(yr, y)) => xr == yr || x == y,
        (Value::Invalid(x), Value::Invalid(y)) => x.trim() == y.trim(),
        _ => false,
    }
}

/// A body that is not JSON (or JSON on one side only): its lines compared
/// with the spacing folded; the first differing line is reported.
fn text(ctx: &mut Ctx, id: &str, sb: &Body, lb: &Body) {
    let lines = |b: &Body| -> Vec<(String, Range<usize>)> {
        let mut at = 0;
        let mut out = Vec::new();
        for line in b.text().split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let folded = content.split_whitespace().collect::<Vec<_>>().join(" ");
            if !folded.is_empty() {
                let lead = content.len() - content.trim_start().len();
                out.push((folded, at + lead..at + content.trim_end().len()));
            }
            at += line.len();
        }
        out
    };
    let (sl, ll) = (lines(sb), lines(lb));
    let k = sl.iter().zip(&ll).position(|(a, b)| a.0 != b.0);
    let k = match k {
        Some(k) => k,
        None if sl.len() == ll.len() => return,
        None => sl.len().min(ll.len()),
    };
    let (span, actual) = match ll.get(k) {
        Some((text, span)) => (lb.to_page(span), text.clone()),
        None => {
            let end = lb.to_page(&(0..lb.text().len())).end;
            (end..end, String::new())
        }
    };
    let (source_at, expected) = match sl.get(k) {
        Some((text, span)) => (sb.to_page(span).start, text.clone()),
        None => (sb.to_page(&(0..0)).start, String::new()),
    };
    ctx.relate_next(source_at);
    let message = if expected.is_empty() {
        "the body goes on past the end of the source page's body".to_owned()
    } else {
        format!("the body differs from the source page's line `{expected}`")
    };
    report(ctx, span, id, message, Some((expected, actual)));
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::page::Page;

    fn page(path: &str, body: &str) -> Page {
        let text = format!(
            "# T\n\n## Examples\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"a\" }} -->\n```http\nPOST https://x/y\nContent-Type: application/json\n\n{body}\n```\n\n<!-- {{ \"blockType\": \"response\", \"name\": \"a\" }} -->\n```http\nHTTP/1.1 204 No Content\n```\n"
        );
        Page::from_text(Arc::from(path), text, None)
    }

    /// `(line, column, message)` of each finding on the translation.
    fn drift(source: &str, localized: &str) -> Vec<(usize, usize, String)> {
        let (s, l) = (page("en.md", source), page("zh.md", localized));
        super::super::shown(&s, &l)
    }

    #[test]
    fn layout_comments_order_and_no_break_spaces_do_not_count() {
        let source = "{\n\u{a0}\u{a0}\"a\": 1,\n\u{a0}\u{a0}\"b\": [\"x\", \"y\"]\n}";
        let localized = "{ \"b\": [ \"x\",\n \"y\" ],\n  // 注释\n  \"a\": 1.0 }";
        assert_eq!(drift(source, localized), []);
    }

    #[test]
    fn properties_on_one_side_and_array_lengths_are_reported() {
        let source = "{\n  \"a\": 1,\n  \"b\": [\"x\", \"y\"]\n}";
        let localized = "{\n  \"b\": [\"x\"],\n  \"c\": true\n}";
        assert_eq!(
            drift(source, localized),
            [
                (
                    10,
                    1,
                    "property `a` of the source page's body is missing from `/` here @ en.md:11"
                        .to_owned()
                ),
                (
                    12,
                    3,
                    "property `c` is not in the source page's `/` @ en.md:10".to_owned()
                ),
                (
                    11,
                    8,
                    "`/b` has 1 item here but 2 in the source page @ en.md:12".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_value_of_another_type_is_one_finding() {
        let source = "{\"a\": {\"b\": 1, \"c\": 2}}";
        let localized = "{\"a\": \"b, c\"}";
        assert_eq!(
            drift(source, localized),
            [(
                10,
                7,
                "`/a` is \"b, c\" here but {…2 properties} in the source page @ en.md:10"
                    .to_owned()
            )]
        );
    }

    /// Tabs for spaces: no drift, one whitespace note at the first place
    /// the texts part, naming the source's line, with an unsafe fix that
    /// writes the source's text.
    #[test]
    fn a_re_spaced_body_is_a_whitespace_note_with_a_copy_fix() {
        let source = "{\n\t\"a\": 1\n}";
        let localized = "{\n    \"a\": 1\n}";
        assert_eq!(
            drift(source, localized),
            [(
                11,
                1,
                "this request differs from the source page's only in whitespace @ en.md:11"
                    .to_owned()
            )]
        );
        let (s, l) = (page("en.md", source), page("zh.md", localized));
        let findings = super::super::check_pair(&s, &l);
        let fix = findings[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, crate::finding::Applicability::Unsafe);
        let mut fixed = l.text.clone();
        let edit = &fix.edits[0];
        fixed.replace_range(edit.span.clone(), &edit.replacement);
        assert_eq!(fixed, s.text);
        let again = Page::from_text(Arc::from("zh.md"), fixed, None);
        assert_eq!(super::super::shown(&s, &again), []);
    }

    /// A difference the drift rule reports is not also a whitespace note,
    /// and equal texts are neither.
    #[test]
    fn drift_comes_first_and_equal_texts_are_quiet() {
        let source = "{\n\t\"a\": 1\n}";
        assert_eq!(
            drift(source, "{\n    \"a\": 2\n}"),
            [(
                11,
                10,
                "`/a` is 2 here but 1 in the source page @ en.md:11".to_owned()
            )]
        );
        assert_eq!(drift(source, source), []);
    }

    #[test]
    fn bodies_compare_word_by_word() {
        assert!(super::same_words("a  b\n c", " a b c "));
        assert!(super::same_words("a\u{a0}b", "a b"));
        assert!(!super::same_words("a b", "ab"));
        assert!(!super::same_words("a b", "a b c"));
    }
}
