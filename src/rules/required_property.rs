//! `required-property`: a create request (POST to a collection) that omits a
//! property the property table marks required.

use super::Ctx;
use crate::example::Example;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) REQUIRED_PROPERTY = "required-property", Warning, Check,
    "a create request omits a property the property table marks required";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let page = ctx.page;
    let Some(request) = &example.request else {
        return;
    };
    if request.message.method() != Some("POST") || !is_create(request.message.url().unwrap_or("")) {
        return;
    }
    let Some(body) = &request.message.body else {
        return;
    };
    let Some(root) = body.root() else { return };
    if !matches!(root.value, crate::json::Value::Object(_)) {
        return;
    }
    // A name that is no identifier was translated with the prose around it
    // (`范围` for `scope`): no request could send it, so it is not checked.
    for property in page
        .properties
        .iter()
        .filter(|p| is_identifier(&p.name) && page.is_required(p))
    {
        if !sends(root, &property.name) {
            let line = page.line(property.span.start);
            let open = body.to_page(&(root.span.start..root.span.start + 1));
            ctx.report(&REQUIRED_PROPERTY, open, format!("the create request omits `{}`, which the property table marks required (line {line})", property.name)).help =
                Some(format!("add `{}` to the request body, or correct the property table", property.name));
        }
    }
}

/// A POST whose last path segment is a collection, not an action or a function.
fn is_create(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    !last.contains('.') && !last.contains('(') && !last.starts_with('$')
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@._-".contains(c))
}

/// Is `name` a property anywhere in the body (table and body may differ
/// in case: tables are prose)? The table may describe an
/// object the request nests (a message's extended property).
fn sends(root: &crate::json::Node, name: &str) -> bool {
    let mut found = false;
    crate::json::walk(root, |_, member, _| {
        found |= member.is_some_and(|m| m.key.eq_ignore_ascii_case(name))
    });
    found
}
