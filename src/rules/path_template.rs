//! `path-template`: an example's method and path match none of the page's
//! documented request templates (the blocks under "HTTP request").
//!
//! Both sides are compared after removing what is not the resource path:
//! the scheme and host, the service root of any API (`/v1.0`, `/beta`,
//! `/v1`, `/api/v2`, a date version such as `/2023-01-01`) and the query.
//! A template segment that is a placeholder (`{id}`, `{id | userPrincipalName}`,
//! `(team-id)`, `<address>`, `:id`) or a literal id (a GUID, a number) fits
//! any segment; so does a placeholder the example itself still holds. What
//! OData writes in several ways is one shape: `/me` and `/users/{id}`,
//! `/drive` and `/me/drive`, key syntax `events('AAMk…')` and `events/AAMk…`,
//! a drive item by path (`root:/a/b.txt:`) and by id (`items/{id}`), a
//! function with its parameters and without (`range(address='A1:B2')`,
//! `range`), an optional `microsoft.graph.` namespace, a type cast or a
//! `$count` after a collection. A relative template (`/workbook/tables/{id}`)
//! fits the end of a path that continues an item (`/me/drive/items/{id}`).

use std::borrow::Cow;
use std::cell::OnceCell;

use super::Ctx;
use crate::example::Example;
use crate::http::StartLine;
use crate::page::Template;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) PATH_TEMPLATE = "path-template", Warning, Check,
    "an example's method and path match none of the page's documented request templates";
}

pub(super) fn check(ctx: &mut Ctx) {
    // Only an example after a template is compared: without one, the
    // templates need no normalising.
    let Some(first) = ctx.page.templates.iter().map(|t| t.span.start).min() else {
        return;
    };
    let compared = ctx.page.examples.iter().any(|e| {
        e.request
            .as_ref()
            .is_some_and(|r| r.message.is_request() && r.message.line_span.start > first)
    });
    if !compared {
        return;
    }
    // Each template normalised once for the page, not once per example,
    // and only when an example is compared with it: most examples fit one
    // of the first templates of their method.
    let normalised: Vec<OnceCell<Vec<Cow<'_, str>>>> =
        ctx.page.templates.iter().map(|_| OnceCell::new()).collect();
    ctx.for_each_example(|ctx, example| check_example(ctx, example, &normalised));
}

/// A template of the page with its resource path, normalised when first asked for.
type Normalised<'p, 'n> = (&'p Template, &'n OnceCell<Vec<Cow<'p, str>>>);

/// The template's resource path (see [`resource_path`]).
fn segments<'n>((t, cell): Normalised<'_, 'n>) -> &'n [Cow<'n, str>] {
    cell.get_or_init(|| resource_path(&t.path))
}

fn check_example<'p>(
    ctx: &mut Ctx<'p>,
    example: &Example,
    normalised: &[OnceCell<Vec<Cow<'p, str>>>],
) {
    let page = ctx.page;
    let Some(request) = &example.request else {
        return;
    };
    let StartLine::Request {
        method,
        url,
        url_span,
        ..
    } = &request.message.start
    else {
        return;
    };
    // Only the templates documented before the example: a request line shown
    // in a later "Remarks" section (how to follow a remote item) documents
    // another call, not this example's.
    let start = request.message.line_span.start;
    let templates = || {
        page.templates
            .iter()
            .zip(normalised)
            .filter(move |(t, _)| t.span.start < start)
    };
    let Some(first) = templates().next() else {
        return;
    };
    // An absolute URL outside the API (an upload URL on a storage host) has
    // no template: a URL without a service root version, on a host that is
    // not the one the page's versioned URLs call, or that an earlier response
    // handed out (`"uploadUrl": "https://sn3302.up.1drv.com/up/…"`, a
    // `Location` header). On an API without versions, its own URLs are checked.
    if is_absolute(url) && root_version(url).is_none() {
        let host = host(url);
        let api_hosts = api_hosts(page);
        if (!api_hosts.is_empty() && !api_hosts.contains(&host)) || handed_out(page, &host, start) {
            return;
        }
    }
    let path = resource_path(url);
    if path.is_empty() {
        return;
    }
    if templates().any(|t| same_method(&t.0.method, method) && matches(segments(t), &path)) {
        return;
    }
    // The template most like the example: the same method first, then the
    // longest run of segments that fit.
    let (closest, _) = templates()
        .max_by_key(|&t| {
            let template = segments(t);
            // Shared from the start, or from the end for a relative template.
            let leading = likeness(template.iter().zip(&path));
            let trailing = likeness(template.iter().rev().zip(path.iter().rev()));
            let shared = leading.max(trailing);
            (
                same_method(&t.0.method, method),
                shared,
                usize::MAX - t.0.span.start,
            )
        })
        .unwrap_or(first);
    let count = templates().count();
    let finding = ctx.report(
        &PATH_TEMPLATE,
        url_span.clone(),
        format!(
            "`{method} {}` matches none of the page's {count} request template{}; the closest is `{} {}`",
            shown_path(url),
            if count == 1 { "" } else { "s" },
            closest.method,
            closest.path,
        ),
    );
    finding.relate(
        &page.path,
        closest.span.clone(),
        "the closest request template",
    );
    finding.help =
        Some("correct the example's path, or add its template under \"HTTP request\"".into());
}

/// The hosts the page's versioned URLs (examples and templates) call, lower case.
fn api_hosts(page: &crate::page::Page) -> Vec<String> {
    let urls = page
        .examples
        .iter()
        .filter_map(|e| e.request.as_ref()?.message.url())
        .chain(page.templates.iter().map(|t| t.path.as_str()));
    let mut hosts: Vec<String> = urls
        .filter(|u| is_absolute(u) && root_version(u).is_some())
        .map(host)
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// Does a response before `offset` hold a URL on `host` (in a header or its body)?
fn handed_out(page: &crate::page::Page, host: &str, offset: usize) -> bool {
    page.examples
        .iter()
        .filter_map(|e| e.response.as_ref())
        .filter(|r| r.message.line_span.start < offset)
        .any(|r| {
            let contains = |text: &str| text.to_ascii_lowercase().contains(host);
            r.message.headers.iter().any(|h| contains(&h.value))
                || r.message.body.as_ref().is_some_and(|b| contains(b.text()))
        })
}

/// `graph.microsoft.com` of `https://graph.microsoft.com/v1.0/me`, lower case.
fn host(url: &str) -> String {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())].to_ascii_lowercase()
}

/// The template's method, or `GET` for a `HEAD` example: HEAD is GET
/// without the content (RFC 9110 §9.3.2), and pages document it so.
fn same_method(template: &str, example: &str) -> bool {
    template.eq_ignore_ascii_case(example)
        || (example.eq_ignore_ascii_case("HEAD") && template.eq_ignore_ascii_case("GET"))
}

/// How alike a run of (template, example) segments is until the first
/// that does not fit: a literal that fits counts more than a placeholder.
fn likeness<'a>(pairs: impl Iterator<Item = (&'a Cow<'a, str>, &'a Cow<'a, str>)>) -> usize {
    pairs
        .take_while(|(t, p)| segment_fits(t, p))
        .map(|(t, _)| if is_placeholder(t) { 1 } else { 2 })
        .sum()
}

/// The example's path as the page writes it, without scheme, host, service
/// root and query: text of the page, never a normalised form.
fn shown_path(url: &str) -> &str {
    let url = url.trim();
    // The query starts after the host: a `?` or `#` typed into the host
    // (`https://graph.micro?soft.com/v1.0/x`) cut before the path began.
    let host_end = url.len() - crate::http::after_host(url).len();
    let end = url[host_end..]
        .find(['?', '#'])
        .map_or(url.len(), |i| host_end + i);
    let start = match service_root_version(url) {
        Some(version) if version.end < end => version.end,
        _ => host_end,
    };
    &url[start..end]
}

/// The version segment of the URL's service root (`v1.0`, `beta`, `v2`,
/// `2023-01-01`): the first segment of the path, or the second after a
/// plain word (`/api/v2`). A version deeper in
/// (`/{tenant}/oauth2/v2.0/token`) belongs to another service's path.
pub(crate) fn root_version(url: &str) -> Option<&str> {
    service_root_version(url).map(|r| &url[r])
}

/// Where [`root_version`] stands in `url`.
pub(crate) fn service_root_version(url: &str) -> Option<std::ops::Range<usize>> {
    let rest = crate::http::after_host(url);
    let base = url.len() - rest.len();
    // Byte scans: every byte looked for is ASCII, so each cut is at a
    // character boundary. Plain loops, not `memchr`: a segment is a few
    // bytes, shorter than its setup.
    let bytes = rest.as_bytes();
    let mut at = usize::from(bytes.first() == Some(&b'/'));
    for _ in 0..2 {
        // A segment ends at a slash, or where the query or fragment starts.
        let end = bytes[at..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .map_or(bytes.len(), |i| at + i);
        let segment = &rest[at..end];
        if segment.is_empty() {
            break;
        }
        if is_version(segment) {
            return Some(base + at..base + end);
        }
        if !segment.bytes().all(|b| b.is_ascii_alphabetic()) || bytes.get(end) != Some(&b'/') {
            break;
        }
        at = end + 1;
    }
    None
}

/// A segment that names an API version: `v1.0`, `v1`, `v2.1`, `beta`,
/// `alpha`, `preview`, or a date version (`2023-01-01`, `2023-01-01-preview`).
pub(crate) fn is_version(segment: &str) -> bool {
    let s = segment.as_bytes();
    let numbered = s.len() >= 2
        && (s[0] == b'v' || s[0] == b'V')
        && s[1].is_ascii_digit()
        && s[1..].iter().all(|b| b.is_ascii_digit() || *b == b'.');
    let dated = s.len() >= 10
        && s[..4].iter().all(u8::is_ascii_digit)
        && s[4] == b'-'
        && s[5..7].iter().all(u8::is_ascii_digit)
        && s[7] == b'-'
        && s[8..10].iter().all(u8::is_ascii_digit)
        && (s.len() == 10 || s[10] == b'-');
    numbered
        || dated
        || is_word(segment, "beta")
        || is_word(segment, "alpha")
        || is_word(segment, "preview")
}

fn is_absolute(url: &str) -> bool {
    let url = url.trim_start();
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        || url
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
}

/// Stands for a segment addressed by path (`root:/a/b.txt:`): any path fits.
const BY_PATH: &str = "{path}";

/// The resource path of a URL or template, normalised into segments (see
/// the module's comment for what is one shape). The segments are slices of
/// `url` where they are its text (most), so that a path costs one `Vec`
/// rather than a `String` per segment (every template and example of
/// every page comes here).
pub(crate) fn resource_path(url: &str) -> Vec<Cow<'_, str>> {
    let rest = crate::http::after_host(crate::http::trim(url));
    // `root:%2Ffolder%2Ffile.txt:` addresses by path as `root:/folder/file.txt:` does.
    // Room for the usual path (and the two segments `/me` becomes) without growing.
    let mut segments: Vec<Cow<'_, str>> = Vec::with_capacity(8);
    let bytes = rest.as_bytes();
    let by_encoded_path = memchr::memchr_iter(b':', bytes).any(|i| {
        bytes
            .get(i + 1..i + 4)
            .is_some_and(|s| s == b"%2F" || s == b"%2f")
    });
    if by_encoded_path {
        let decoded = rest.replace("%2F", "/").replace("%2f", "/");
        split_path(&decoded, |raw, call| {
            push_segment(&mut segments, raw, call, |s| Cow::Owned(s.to_owned()))
        });
    } else {
        split_path(rest, |raw, call| {
            push_segment(&mut segments, raw, call, Cow::Borrowed)
        });
    }
    // The service root: a version first, or second after a plain word (`/api/v2`).
    let plain = |s: &Cow<'_, str>| s.bytes().all(|b| b.is_ascii_alphabetic());
    // A template may hold the version as a placeholder (`/{version}/me`).
    let version_placeholder =
        |s: &Cow<'_, str>| is_placeholder(s) && s.to_ascii_lowercase().contains("version");
    if segments
        .first()
        .is_some_and(|s| is_version(s) || version_placeholder(s))
    {
        segments.drain(..1);
    } else if segments.first().is_some_and(plain) && segments.get(1).is_some_and(|s| is_version(s))
    {
        segments.drain(..2);
    }
    // `/me` is `/users/{id}` of the signed-in user (so is `/education/me`
    // below a root), and `/drive` its drive.
    if let Some(at) = segments.iter().take(2).position(|s| is_word(s, "me")) {
        segments[at] = Cow::Borrowed("users");
        segments.insert(at + 1, Cow::Borrowed("{me}"));
    } else if segments.first().is_some_and(|s| is_word(s, "drive")) {
        segments.splice(0..0, [Cow::Borrowed("users"), Cow::Borrowed("{me}")]);
    }
    // A drive's `root` (and an item addressed by its path) is an item.
    let mut i = 0;
    while i < segments.len() {
        let after_drive = |i: usize| {
            i > 0
                && (is_word(&segments[i - 1], "drive")
                    || (i > 1 && is_word(&segments[i - 2], "drives")))
        };
        if is_word(&segments[i], "root") && after_drive(i) {
            segments[i] = Cow::Borrowed("items");
            if segments.get(i + 1).is_some_and(|s| s == BY_PATH) {
                segments[i + 1] = Cow::Borrowed("{root}");
            } else {
                segments.insert(i + 1, Cow::Borrowed("{root}"));
            }
            i += 2;
            continue;
        }
        if segments[i] == BY_PATH && i >= 2 && is_word(&segments[i - 2], "items") {
            // `items/{id}:/sub/path:` is still an item.
            segments.remove(i);
            continue;
        }
        i += 1;
    }
    segments
}

/// `segment` is `word` (ASCII, lower case) in any case. The lengths are
/// compared here, before the call: most segments differ in length.
#[inline]
fn is_word(segment: &str, word: &str) -> bool {
    segment.len() == word.len() && segment.eq_ignore_ascii_case(word)
}

/// One segment of [`split_path`] into `segments`, `keep` making it a
/// segment of the path: key syntax, `events('AAMk…')`, is `events/AAMk…`; a
/// call with named parameters (`range(address='A1')`) stays one segment.
/// Only a segment that `may_call` (see [`split_path`]) is looked into.
fn push_segment<'s, 'u>(
    segments: &mut Vec<Cow<'u, str>>,
    raw: &'s str,
    may_call: bool,
    keep: impl Fn(&'s str) -> Cow<'u, str>,
) {
    if !may_call {
        segments.push(keep(raw));
        return;
    }
    // A plain scan: segments are a few bytes, too short for `memchr`'s setup.
    match raw.bytes().position(|b| b == b'(') {
        Some(open) if open > 0 && raw.ends_with(')') && is_key(&raw[open + 1..raw.len() - 1]) => {
            let key = &raw[open + 1..raw.len() - 1];
            segments.push(keep(&raw[..open]));
            if !key.trim().is_empty() {
                segments.push(Cow::Owned(format!("{{{}}}", key.trim_matches('\''))));
            }
        }
        _ => segments.push(keep(raw)),
    }
}

/// The inside of `(…)` is a key (`'AAMk…='`, `{id}`, `42`), not named
/// parameters (`address='A1'`).
fn is_key(inside: &str) -> bool {
    let inside = inside.trim();
    let quoted = inside.len() >= 2
        && inside.starts_with('\'')
        && inside.ends_with('\'')
        && !inside[1..inside.len() - 1].contains('\'');
    quoted || !inside.contains('=')
}

/// Splits a path (query and fragment cut off) at the slashes that are not
/// inside parentheses or quotes; `:/a/b:` (addressing by path) becomes one
/// [`BY_PATH`] segment. Each segment goes to `out` as found (no list), with
/// whether it may hold a `(` (a plain segment, one before the first quote,
/// parenthesis or colon of the path, holds none).
fn split_path<'r>(rest: &'r str, mut out: impl FnMut(&'r str, bool)) {
    // Every byte that decides is ASCII, so a segment is a slice of `rest`
    // (no byte of a multi-byte character can equal one of them). Most
    // paths have no quote, parenthesis or colon: up to the first of them
    // (or to the query), only slashes cut; the walk that tracks quotes and
    // parentheses starts there ([`next_stop`]: paths are short, and
    // `memchr`'s setup cost more than it saved).
    let bytes = rest.as_bytes();
    let mut start = 0;
    let mut i = 0;
    loop {
        i = next_stop(bytes, i);
        match bytes.get(i) {
            Some(b'/') => {
                if start < i {
                    out(&rest[start..i], false);
                }
                start = i + 1;
                i += 1;
            }
            Some(b'\'' | b'(' | b':') => return split_from(rest, i, start, out),
            // The query or fragment, or the end.
            _ => {
                if start < i {
                    out(&rest[start..i], false);
                }
                return;
            }
        }
    }
}

/// The first byte at or after `i` that stops [`split_path`]'s scan (a `/`,
/// `?`, `#`, `'`, `(` or `:`), else the end. By a table, a byte at a time:
/// sixteen-byte blocks of comparisons measured 60% slower here, on
/// segments of a few bytes.
fn next_stop(bytes: &[u8], mut i: usize) -> usize {
    const STOP: [bool; 256] = crate::bytes::byte_table(b"/?#'(:", true);
    while i < bytes.len() && !STOP[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

/// The byte walk of [`split_path`] from `at` (outside quotes and
/// parentheses), the current segment begun at `start`.
fn split_from<'r>(
    rest: &'r str,
    mut i: usize,
    mut start: usize,
    mut out: impl FnMut(&'r str, bool),
) {
    let bytes = rest.as_bytes();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut end = bytes.len();
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth = depth.saturating_sub(1),
            b'?' | b'#' if depth == 0 && !quoted => {
                end = i;
                break;
            }
            b':' if depth == 0 && !quoted && bytes.get(i + 1) == Some(&b'/') => {
                // The path runs to the next `:` (or to the end).
                if start < i {
                    out(&rest[start..i], true);
                }
                let after = &rest[i + 2..];
                let stop =
                    memchr::memchr3(b':', b'?', b'#', after.as_bytes()).unwrap_or(after.len());
                out(BY_PATH, false);
                i += 2 + stop + usize::from(after[stop..].starts_with(':'));
                start = i;
                continue;
            }
            b'/' if depth == 0 && !quoted => {
                if start < i {
                    out(&rest[start..i], true);
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < end {
        out(&rest[start..end], true);
    }
}

/// Does the example path fit the template, whole or (for a relative
/// template) as the continuation of an item path?
pub(crate) fn matches(template: &[Cow<'_, str>], path: &[Cow<'_, str>]) -> bool {
    if can_fit(template, path) && fits(template, path) {
        return true;
    }
    // A relative template continues an item: `/workbook/tables/{id}` under
    // `/me/drive/items/{id}`. It starts with a literal that does not start
    // the example (else it is an absolute template of the same root), and
    // what comes before it in the example ends with an item's key.
    let Some(first) = template.first() else {
        return false;
    };
    if is_placeholder(first) || path.first().is_some_and(|p| p.eq_ignore_ascii_case(first)) {
        return false;
    }
    (1..path.len()).any(|k| {
        is_item_key(&path[k - 1]) && can_fit(template, &path[k..]) && fits(template, &path[k..])
    })
}

/// Can [`fits`] say yes, by the counts alone? Each template segment takes
/// one path segment, and the path may hold more only as type casts and
/// one final `$count`: a template of another length is answered without
/// comparing a segment (most of a page's templates, for most examples).
fn can_fit(template: &[Cow<'_, str>], path: &[Cow<'_, str>]) -> bool {
    let (t, p) = (template.len(), path.len());
    p >= t && (p <= t + 1 || p <= t + 1 + path.iter().filter(|s| is_cast(s)).count())
}

/// The whole path against the whole template. A type cast the template does
/// not show, and a trailing `$count`, may follow a collection.
fn fits(template: &[Cow<'_, str>], path: &[Cow<'_, str>]) -> bool {
    match (template.split_first(), path.split_first()) {
        (None, None) => true,
        (None, Some((p, rest))) => {
            (rest.is_empty() && p == "$count") || (is_cast(p) && fits(template, rest))
        }
        (Some(_), None) => false,
        (Some((t, t_rest)), Some((p, p_rest))) => {
            (segment_fits(t, p) && fits(t_rest, p_rest))
                || (is_cast(p) && !is_cast(t) && fits(template, p_rest))
        }
    }
}

/// `microsoft.graph.user`: an OData type cast (a namespace, then a name).
fn is_cast(segment: &str) -> bool {
    let name = without_namespace(segment);
    name.len() < segment.len()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.contains('(')
}

/// Does one example segment fit one template segment?
fn segment_fits(template: &str, path: &str) -> bool {
    if path.is_empty() {
        return false;
    }
    if is_placeholder(template) || looks_like_id(template) || is_placeholder(path) {
        return true;
    }
    if template == BY_PATH || path == BY_PATH {
        return template == path;
    }
    let (t, p) = (without_namespace(template), without_namespace(path));
    let (t_name, t_args) = call(t);
    let (p_name, p_args) = call(p);
    // Most names that fit are written alike: compared whole before case-blind.
    if t_name != p_name && !t_name.eq_ignore_ascii_case(p_name) {
        return false;
    }
    match (t_args, p_args) {
        // Parameters elided on either side (`range`, `delta()`).
        (None, _) | (_, None) => true,
        (Some(t), Some(p)) if t.trim().is_empty() || p.trim().is_empty() => true,
        // Named parameters: the same names, whatever the values.
        (Some(t), Some(p)) => {
            let names = |args: &str| {
                let mut names: Vec<String> = args
                    .split(',')
                    .filter_map(|a| {
                        a.split_once('=')
                            .map(|(k, _)| k.trim().to_ascii_lowercase())
                    })
                    .collect();
                names.sort();
                names
            };
            names(t) == names(p)
        }
    }
}

/// `getX(a=1)` → (`getX`, `Some("a=1")`); `users` → (`users`, `None`).
fn call(segment: &str) -> (&str, Option<&str>) {
    match segment.bytes().position(|b| b == b'(') {
        Some(open) if segment.ends_with(')') => (
            &segment[..open],
            Some(&segment[open + 1..segment.len() - 1]),
        ),
        _ => (segment, None),
    }
}

/// A placeholder segment: `{id}`, `{id | userPrincipalName}`, `(team-id)`,
/// `<address>`, `:id`.
fn is_placeholder(segment: &str) -> bool {
    let wrapped = |open: char, close: char| {
        segment.len() > 2 && segment.starts_with(open) && segment.ends_with(close)
    };
    (wrapped('{', '}') && segment != BY_PATH)
        || wrapped('(', ')')
        || wrapped('<', '>')
        || (segment.len() > 1
            && segment.starts_with(':')
            && segment[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// An example segment that addresses one item: a placeholder, or an
/// opaque id (digits among at least eight characters, as drive item ids).
fn is_item_key(segment: &str) -> bool {
    segment != BY_PATH
        && (is_placeholder(segment)
            || looks_like_id(segment)
            || (segment.len() >= 8
                && segment.bytes().any(|b| b.is_ascii_digit())
                && !segment.contains('(')))
}

/// A literal id a template shows where a placeholder belongs: a GUID, or
/// a number.
fn looks_like_id(segment: &str) -> bool {
    // `trim_matches('\'')` by bytes (a quote is ASCII).
    let b = segment.as_bytes();
    let start = b.iter().position(|&c| c != b'\'').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b'\'').map_or(start, |i| i + 1);
    let s = &segment[start..end];
    crate::http::is_guid(s) || (s.len() >= 3 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// `microsoft.graph.user` → `user`. (`strip_prefix` in a loop, as
/// `trim_start_matches` would, without building a substring searcher for
/// every segment compared.)
fn without_namespace(mut segment: &str) -> &str {
    while let Some(rest) = segment.strip_prefix("microsoft.graph.") {
        segment = rest;
    }
    segment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<Cow<'_, str>> {
        resource_path(p)
    }

    fn fit(template: &str, example: &str) -> bool {
        matches(&path(template), &path(example))
    }

    #[test]
    fn the_shown_path_ends_at_a_query_after_the_host_only() {
        assert_eq!(
            shown_path("https://graph.microsoft.com/v1.0/users/1?$select=id"),
            "/users/1"
        );
        // A `?` or `#` in the host once cut the path before it began (a panic).
        assert_eq!(
            shown_path("https://graph.micro?soft.com/v1.0/other/1"),
            "/other/1"
        );
        assert_eq!(shown_path("https://graph.micro#soft.com/v1.0/x#top"), "/x");
        assert_eq!(shown_path("https://graph.microsoft.com?x=1"), "");
        assert_eq!(shown_path("/me/events?$top=1"), "/me/events");
    }

    #[test]
    fn namespaces_and_parentheses_are_optional_on_both_sides() {
        assert!(fit(
            "/users/{id}/microsoft.graph.getMemberGroups",
            "/users/42/getMemberGroups"
        ));
        assert!(fit(
            "/users/{id}/getMemberGroups",
            "/users/42/microsoft.graph.microsoft.graph.getMemberGroups"
        ));
        assert!(fit("/users/delta()", "/users/delta"));
        assert!(fit("/users/delta", "/users/delta()"));
        assert!(!fit("/users/delta", "/users/deltas"));
        // The prefix must stand at the start: a namespace inside is literal.
        assert!(!fit(
            "/users/getMemberGroups",
            "/users/x.microsoft.graph.getMemberGroups"
        ));
    }

    #[test]
    fn any_service_root_is_removed() {
        assert!(fit(
            "/widgets/{id}",
            "https://api.contoso.test/v1/widgets/42"
        ));
        assert!(fit(
            "/widgets/{id}",
            "https://api.contoso.test/2023-01-01/widgets/42"
        ));
        assert!(fit(
            "/v2/widgets/{id}",
            "https://contoso.test/api/v2/widgets/42"
        ));
        assert!(fit(
            "https://graph.microsoft.com/beta/me/events",
            "https://graph.microsoft.com/v1.0/users/7/events"
        ));
        assert_eq!(
            root_version("https://api.contoso.test/2023-01-01/widgets"),
            Some("2023-01-01")
        );
        assert_eq!(root_version("https://storage.contoso.test/up/fe69"), None);
        assert_eq!(
            shown_path("https://graph.microsoft.com/v1.0/me/calendar?$top=1"),
            "/me/calendar"
        );
        assert_eq!(shown_path("/me/drive/recent"), "/me/drive/recent");
    }

    #[test]
    fn one_resource_written_several_ways() {
        assert!(fit("/me/calendars/{id}", "/users/42/calendars/7"));
        assert!(fit(
            "/me/drive/items/{id}/workbook/comments",
            "/drive/items/7/workbook/comments"
        ));
        assert!(fit(
            "/me/drive/items/{id}/children",
            "/me/drive/root/children"
        ));
        assert!(fit(
            "/drives/{drive-id}/items/{item-id}/children",
            "/drives/b!x/root:/a/b c.txt:/children"
        ));
        assert!(fit(
            "/me/drive/root:/{item-path}:/createUploadSession",
            "/me/drive/items/01BY/createUploadSession"
        ));
        assert!(fit(
            "/me/events/{id}",
            "/me/events('AAMkAGE1M2_bs88AACbuFiiAAA=')"
        ));
        assert!(fit(
            "/teams/(team-id)/channels/{channel-id}",
            "/teams/e123/channels/a765"
        ));
        assert!(fit(
            "/groups/{id}/members",
            "/groups/1/members/microsoft.graph.user/$count"
        ));
        assert!(fit(
            "/education/users/{id}/assignments",
            "/education/me/assignments"
        ));
        assert!(!fit("/me/calendars/{id}", "/me/calendar"));
        assert!(!fit(
            "/education/classes/{id}/members/{userId}/$ref",
            "/education/classes/1/members/2"
        ));
    }

    #[test]
    fn literal_ids_in_templates_are_placeholders() {
        assert!(fit(
            "/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments",
            "/education/classes/5edb6a5f-fc6b-441b-8952-bcbfc33ef0e5/assignments"
        ));
        assert!(fit(
            "/domains/contoso.com/serviceConfigurationRecords",
            "/domains/{domain-name}/serviceConfigurationRecords"
        ));
        assert!(!fit(
            "/domains/contoso.com/verify",
            "/domains/fabrikam.com/verify"
        ));
    }

    #[test]
    fn function_parameters_elided_or_renamed() {
        assert!(fit(
            "/reports/getX(period='{period_value}')",
            "/reports/getX(period='D7')"
        ));
        assert!(fit("/reports/getX", "/reports/getX(period='D7')"));
        assert!(fit(
            "/reports/getX(period='{period_value}')",
            "/reports/getX"
        ));
        assert!(fit(
            "/ranges/range(address='<address>')",
            "/ranges/range(address='A1:B2')"
        ));
        assert!(fit("/x/columnsAfter(count=n)", "/x/columnsAfter(count=2)"));
        assert!(!fit(
            "/reports/getX(period='{p}')",
            "/reports/getX(days='D7')"
        ));
        // A slash inside a parameter is no path separator.
        assert!(fit(
            "/drive/items/{id}/getByPath(path='{p}')",
            "/drive/items/1/getByPath(path='/a/b')"
        ));
    }

    #[test]
    fn relative_templates_continue_an_item() {
        assert!(fit(
            "/workbook/tables/{id|name}",
            "/me/drive/items/01CYZLFJB6K563VVUU2ZC2FJBAHLSZZQXL/workbook/tables/Table1"
        ));
        assert!(fit(
            "/workbook/tables/{id|name}",
            "/me/drive/root:/book.xlsx:/workbook/tables/Table1"
        ));
        assert!(!fit(
            "/workbook/tables/{id|name}",
            "/me/drive/items/01CYZLFJB6K563VVUU2ZC2FJBAHLSZZQXL/workbook/charts/Chart1"
        ));
        // An absolute template is no suffix of an unrelated path.
        assert!(!fit(
            "/schools/{id}/users",
            "/education/classes/1/schools/2/users/3"
        ));
    }
}
