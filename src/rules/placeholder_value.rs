//! `placeholder-value`: an example carries a placeholder instead of a value:
//! an unfilled `{id}` or `<timestamp>` in a request URL, or a body value
//! that stands in for one: a type name (`"String"`, `"Guid"`, `"Int32"`), the
//! property's name plus `-value` (`"displayName-value"`), a `"<id>"` or a
//! `"{id}"`. A response value that merely echoes the request's placeholder
//! is the same defect, reported once. Real values that hold braces (a GUID
//! in braces, a MAPI property id `String {66f5a359-…} Name Color`) are not
//! placeholders.

use super::Ctx;
use crate::example::Example;
use crate::http::StartLine;
use crate::json::{self, Value};

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) PLACEHOLDER_VALUE = "placeholder-value", Warning, Check,
    "an example carries a placeholder instead of a value";
}

/// Type names and stand-ins that writers leave where a value belongs. A
/// `match` on the text (its length first), not a list searched: every
/// string of every body is asked.
fn is_type_name(s: &str) -> bool {
    matches!(
        s,
        "String"
            | "string"
            | "string-value"
            | "String (identifier)"
            | "String (timestamp)"
            | "Guid"
            | "guid"
            | "Int16"
            | "Int32"
            | "Int64"
            | "Boolean"
            | "DateTimeOffset"
            | "Double"
            | "Single"
            | "Decimal"
            | "Binary"
            | "Timestamp"
            | "value"
    )
}

/// HTML elements whose tag alone (`"<p>"`, `"<br>"`) is content, not a stand-in.
const HTML_TAGS: &[&str] = &[
    "a", "b", "i", "u", "p", "br", "hr", "em", "strong", "div", "span", "li", "ul", "ol", "td",
    "tr", "th", "table", "html", "body", "head", "title", "code", "pre", "h1", "h2", "h3", "h4",
    "h5", "h6", "img", "sup", "sub",
];

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    if let Some(request) = &example.request {
        if let StartLine::Request { url, url_span, .. } = &request.message.start {
            for (start, end) in url_placeholders(url) {
                let text = &url[start..end];
                let at = url_span.start + start;
                // Messages joined from their pieces (`concat`: one exact
                // allocation), not `format!`ted: thousands of findings.
                let help = if text.starts_with('{') {
                    // Only a `{NAME}` template can be filled by `run`.
                    let name = &text[1..text.len() - 1];
                    let quote = if needs_quotes(name) { "'" } else { "" };
                    [
                        "write a realistic value, as a reader would send it (`exemplar run` fills it with --var ",
                        quote,
                        name,
                        "=VALUE",
                        quote,
                        ")",
                    ]
                    .concat()
                } else {
                    "write a realistic value, as a reader would send it".to_owned()
                };
                ctx.report(
                    &PLACEHOLDER_VALUE,
                    at..at + text.len(),
                    [
                        "the URL holds the placeholder `",
                        text,
                        "` instead of a value",
                    ]
                    .concat(),
                )
                .help = Some(help);
            }
        }
    }
    let request_root = example
        .request
        .as_ref()
        .and_then(|h| h.message.body.as_ref())
        .and_then(|b| b.root());
    for (half, is_request) in [(&example.request, true), (&example.response, false)] {
        let Some(body) = half.as_ref().and_then(|h| h.message.body.as_ref()) else {
            continue;
        };
        let Some(root) = body.root() else { continue };
        // Most bodies hold no placeholder at all: looked for first with a
        // plain walk, without the path the walk below keeps.
        if !holds_placeholder(root) {
            continue;
        }
        let page = ctx.page;
        strings(root, |path, member, node, s| {
            // A member's value, or an item of an array (`"skuIds": ["skuId-value-1"]`).
            if !is_placeholder(s) || member.is_some_and(|m| names_a_type(page, &m.key, s)) {
                return;
            }
            if !is_request
                && request_root
                    .is_some_and(|r| at_path(r, path).is_some_and(|n| n.value == node.value))
            {
                return;
            }
            let finding = ctx.report(
                &PLACEHOLDER_VALUE,
                body.to_page(&node.span),
                ["\"", s, "\" is a placeholder, not a value"].concat(),
            );
            finding.help = Some("write a realistic value of the property's type".into());
            finding.pointer = Some(pointer(path));
        });
    }
}

/// Does `--var NAME=VALUE` need quotes for the shell (`{id | userPrincipalName}`)?
fn needs_quotes(name: &str) -> bool {
    !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// Under a key such as `type` or `dataType`, "String" is often the real
/// value (a schema property's type). It is a placeholder there only when the
/// property table lists the key's possible values and this is not one.
fn names_a_type(page: &crate::page::Page, key: &str, value: &str) -> bool {
    if !is_type_name(value) || !key.to_ascii_lowercase().ends_with("type") {
        return false;
    }
    match page
        .properties
        .iter()
        .filter(|p| p.name == key)
        .map(|p| page.possible_values(p))
        .find(|possible| !possible.is_empty())
    {
        Some(possible) => possible.iter().any(|v| v == value),
        None => true,
    }
}

/// Does any string value of the tree read as a placeholder?
fn holds_placeholder(root: &json::Node) -> bool {
    // Room for a usual body's breadth at once (grown from one, the stack
    // was reallocated a few times a body).
    let mut stack = Vec::with_capacity(32);
    stack.push(root);
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(s) if is_placeholder(s) => return true,
            Value::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// One step down a JSON tree: a member's key or an item's index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Calls `f` for every string value below (and including) `root`, in
/// document order, with the steps from the root to it, the member it is the
/// value of, its node and its text. As `json::walk`, iterative (deep
/// documents cannot overflow the stack), but without a JSON pointer built
/// for every node: a pointer is made only for a finding ([`pointer`]).
fn strings<'a>(
    root: &'a json::Node,
    mut f: impl FnMut(&[Step<'a>], Option<&'a json::Member>, &'a json::Node, &'a str),
) {
    // Room for a usual body's depth and breadth without growing.
    let mut path: Vec<Step<'a>> = Vec::with_capacity(8);
    // (the parent's depth, this node's step, member, node)
    type Visit<'a> = (
        usize,
        Option<Step<'a>>,
        Option<&'a json::Member>,
        &'a json::Node,
    );
    let mut stack: Vec<Visit<'a>> = Vec::with_capacity(32);
    stack.push((0, None, None, root));
    while let Some((depth, step, member, node)) = stack.pop() {
        path.truncate(depth);
        path.extend(step);
        match &node.value {
            Value::String(s) => f(&path, member, node, s),
            Value::Object(members) => {
                let here = path.len();
                for m in members.iter().rev() {
                    stack.push((here, Some(Step::Key(&m.key)), Some(m), &m.value));
                }
            }
            Value::Array(items) => {
                let here = path.len();
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((here, Some(Step::Index(i)), None, item));
                }
            }
            _ => {}
        }
    }
}

/// The JSON pointer (RFC 6901) of a node `path` leads to. A key that
/// needs no escape (most) and an index are written without a string of
/// their own.
fn pointer(path: &[Step<'_>]) -> String {
    let mut pointer = String::with_capacity(16 * path.len());
    for step in path {
        pointer.push('/');
        match step {
            Step::Key(key) if !key.bytes().any(|b| b == b'~' || b == b'/') => {
                pointer.push_str(key);
            }
            Step::Key(key) => pointer.push_str(&json::pointer_token(key)),
            Step::Index(i) => pointer.push_str(itoa::Buffer::new().format(*i)),
        }
    }
    pointer
}

/// Is a whole string value a placeholder?
pub(crate) fn is_placeholder(s: &str) -> bool {
    // Each kind below starts with a letter, `@`, `{` or `<`: a value that
    // starts otherwise (a number, a date, a GUID, a `#` type) is answered
    // by its first byte, before any of the tests.
    if !s
        .as_bytes()
        .first()
        .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'@' | b'{' | b'<'))
    {
        return false;
    }
    is_type_name(s)
        || is_named_value(s)
        || is_choice_list(s)
        // `"feedback": "@odata.type: microsoft.graph.alertFeedback"` names the type.
        || s.starts_with("@odata.type:")
        || wrapped(s, '{', '}').is_some_and(crate::http::is_template_name)
        // `<id>`, `<Media Session Configuration>`; not a message id
        // (`<MWHPR220MB1120.namprd22.prod.outlook.com>`, RFC 5322 §3.6.4).
        || wrapped(s, '<', '>').is_some_and(|inner| {
            inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" -_".contains(&b))
                && !HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(inner))
        })
}

/// `displayName-value`, `datetime-value`, `skuId-value-1`, `groupId-value2`:
/// a name (no spaces) and `-value`, perhaps numbered.
fn is_named_value(s: &str) -> bool {
    // The digits of a numbered stand-in, then `-value` (any case) before
    // them. By bytes: all are ASCII, so every cut is at a character boundary
    // (six bytes equal to `-value` in any case are ASCII too).
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    let rest = &s[..s.len() - digits];
    let rest = rest.strip_suffix('-').unwrap_or(rest);
    let Some(at) = rest.len().checked_sub("-value".len()) else {
        return false;
    };
    if !rest.as_bytes()[at..].eq_ignore_ascii_case(b"-value") {
        return false;
    }
    let name = &rest[..at];
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b":._-".contains(&b))
}

/// `notRecording | recording | failed`: the choices (enumeration members,
/// lower camel case) instead of one of them. `Contoso | Marketing` may be a name.
fn is_choice_list(s: &str) -> bool {
    // The first part is a name that starts in lower case, up to its first
    // other byte, and a list goes on there with ` | `: a value that does not
    // (nearly every string of every body) is answered by its first byte or
    // by that one short scan, without the substring search `split(" | ")` sets up.
    if !s.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let first = s
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(s.len());
    if !s[first..].starts_with(" | ") {
        return false;
    }
    let mut parts = 0;
    for part in s.split(" | ") {
        parts += 1;
        if !part.starts_with(|c: char| c.is_ascii_lowercase())
            || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return false;
        }
    }
    parts > 1
}

/// The inside of `open … close` when `s` is wrapped in them (and holds more).
fn wrapped(s: &str, open: char, close: char) -> Option<&str> {
    (s.len() > 2 && s.starts_with(open) && s.ends_with(close)).then(|| &s[1..s.len() - 1])
}

/// Placeholders in a URL, as byte ranges with their delimiters: `{name}`
/// templates and `<name>` stand-ins (`startDateTime=<timestamp>`).
fn url_placeholders(url: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Byte searches: the delimiters are ASCII.
    for (open, close) in [(b'{', b'}'), (b'<', b'>')] {
        let mut at = 0;
        while let Some(found) = memchr::memchr(open, &url.as_bytes()[at..]) {
            let start = at + found;
            let Some(len) = memchr::memchr(close, &url.as_bytes()[start..]) else {
                break;
            };
            let inner = &url[start + 1..start + len];
            let wanted = match open {
                b'{' => crate::http::is_template_name(inner),
                _ => {
                    !inner.is_empty()
                        && inner
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_. ".contains(&b))
                }
            };
            if wanted {
                out.push((start, start + len + 1));
            }
            at = start + len + 1;
        }
    }
    out.sort_unstable();
    out
}

/// The node of another tree at the same `path`, if it has one: each step
/// read as a JSON pointer's token is (a member by its key, an item by its
/// index; `/0` names a member "0" of an object, `/7` the eighth item).
fn at_path<'a>(root: &'a json::Node, path: &[Step<'_>]) -> Option<&'a json::Node> {
    let mut node = root;
    for step in path {
        node = match (&node.value, step) {
            (Value::Object(_), Step::Key(key)) => node.value.get(key)?,
            (Value::Object(_), Step::Index(i)) => node.value.get(&i.to_string())?,
            (Value::Array(items), Step::Index(i)) => items.get(*i)?,
            (Value::Array(items), Step::Key(key)) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_style_of_the_graph_docs() {
        for s in [
            "displayName-value",
            "jobTitle-value",
            "datetime-value",
            "onenote:href-value",
            "skuId-value-1",
            "groupId-value2",
            "String",
            "Guid",
            "Int32",
            "Boolean",
            "DateTimeOffset",
            "<id>",
            "<Media Session Configuration>",
            "{id}",
            "{user-id}",
            "notRecording | recording | failed",
            "@odata.type: microsoft.graph.alertFeedback",
        ] {
            assert!(is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn real_values_with_braces_or_dashes_are_not() {
        for s in [
            "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color",
            "{97A21473-8339-4BF0-BCB6-F55E4909FFB8}",
            "{66f5a359-4659-4830-9070-00047ec6ac6e}",
            "<p>",
            "<p>Hello</p>",
            "<MWHPR220MB1120.namprd22.prod.outlook.com>",
            "High value",
            "value-added reseller",
            "-value",
            "Strings",
            "{}",
            "a|b",
            "Contoso | Marketing",
            "",
            "1-value",
            "_id-value",
            "2019-06-17T18:25:43Z",
            "#microsoft.graph.user",
            " String",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn url_placeholders_skip_guids_in_braces() {
        let url = "https://graph.microsoft.com/v1.0/me/messages/{id}?$expand=singleValueExtendedProperties($filter=id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color')";
        let found: Vec<&str> = url_placeholders(url)
            .into_iter()
            .map(|(s, e)| &url[s..e])
            .collect();
        assert_eq!(found, ["{id}"]);
        let url = "/reports/getUserArchivedPrintJobs(userId='{id}',startDateTime=<timestamp>)";
        let found: Vec<&str> = url_placeholders(url)
            .into_iter()
            .map(|(s, e)| &url[s..e])
            .collect();
        assert_eq!(found, ["{id}", "<timestamp>"]);
        assert!(needs_quotes("id | userPrincipalName"));
        assert!(!needs_quotes("user-id"));
    }
}
