//! `placeholder-value`: an example carries a placeholder instead of a value:
//! an unfilled `{id}` in a request URL, or a body value such as "String" that
//! names a type instead of giving an instance. A response value that merely
//! echoes the request's placeholder is the same defect, reported once.

use super::Ctx;
use crate::example::Example;
use crate::http::StartLine;
use crate::json::{self, Value};

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) PLACEHOLDER_VALUE = "placeholder-value", Warning, Check,
    "an example carries a placeholder instead of a value";
}

/// Type names and stand-ins that writers leave where a value belongs.
const PLACEHOLDERS: &[&str] = &[
    "String",
    "string",
    "string-value",
    "String (identifier)",
    "String (timestamp)",
    "Guid",
    "guid",
    "Int32",
    "Int64",
    "Boolean",
    "DateTimeOffset",
    "Double",
    "Binary",
    "Timestamp",
    "value",
];

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    if let Some(request) = &example.request {
        if let StartLine::Request { url, url_span, .. } = &request.message.start {
            for (start, end) in braces(url) {
                let name = &url[start..end];
                let at = url_span.start + start;
                ctx.report(&PLACEHOLDER_VALUE, at..at + name.len(), format!("the URL holds the placeholder `{name}` instead of a value")).help =
                    Some("write a realistic value, as a reader would send it (exemplar run fills it with --var NAME=VALUE)".into());
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
        let mut found = Vec::new();
        json::walk(root, |pointer, member, node| {
            let Value::String(s) = &node.value else {
                return;
            };
            let Some(member) = member else { return };
            if !is_placeholder(s) || names_a_type(ctx.page, &member.key, s) {
                return;
            }
            if !is_request
                && request_root
                    .is_some_and(|r| at_pointer(r, pointer).is_some_and(|n| n.value == node.value))
            {
                return;
            }
            found.push((node.span.clone(), s.clone(), pointer.to_owned()));
        });
        for (span, value, pointer) in found {
            let finding = ctx.report(
                &PLACEHOLDER_VALUE,
                body.to_page(&span),
                format!("\"{value}\" is a placeholder, not a value"),
            );
            finding.help = Some("write a realistic value of the property's type".into());
            finding.pointer = Some(pointer);
        }
    }
}

/// Under a key such as `type` or `dataType`, "String" is often the real
/// value (a schema property's type). It is a placeholder there only when the
/// property table lists the key's possible values and this is not one.
fn names_a_type(page: &crate::page::Page, key: &str, value: &str) -> bool {
    if !key.to_ascii_lowercase().ends_with("type") {
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

fn is_placeholder(s: &str) -> bool {
    PLACEHOLDERS.contains(&s)
        || (s.starts_with('{')
            && s.ends_with('}')
            && s.len() > 2
            && s[1..s.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// `{name}` placeholders in a URL, as byte ranges including the braces.
fn braces(url: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = url[at..].find('{') {
        let start = at + open;
        let Some(close) = url[start..].find('}') else {
            break;
        };
        let inner = &url[start + 1..start + close];
        if !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.| ".contains(&b))
        {
            out.push((start, start + close + 1));
        }
        at = start + close + 1;
    }
    out
}

fn at_pointer<'a>(root: &'a json::Node, pointer: &str) -> Option<&'a json::Node> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match &node.value {
            Value::Object(_) => node.value.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}
