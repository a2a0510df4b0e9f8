//! `required-property`: a create request (POST to a collection) that omits a
//! property the property table marks required. "Required when …" is a
//! condition, not a requirement (see `Page::is_required`); a property name
//! that a translation changed is never blamed on the request.

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
    let names: Vec<&crate::page::Property> = page
        .properties
        .iter()
        .filter(|p| is_identifier(&p.name))
        .collect();
    // The body's keys, gathered once: `sends` for every name of the table
    // is a look through them, not a walk of the body each.
    let keys = keys(root);
    let sends = |name: &str| keys.iter().any(|k| k.eq_ignore_ascii_case(name));
    // A table that shares no name with the body describes another object,
    // or was translated whole (`Anzeigename`, `nombre`): it blames nothing.
    if !names.iter().any(|p| sends(&p.name)) {
        return;
    }
    // Whether the table marks a property required is read from its
    // description: only for the names the body omits.
    for property in names.into_iter() {
        if sends(&property.name)
            || !same_style(&property.name, &keys)
            || !page.is_required(property)
        {
            continue;
        }
        let open = body.to_page(&(root.span.start..root.span.start + 1));
        ctx.report(
            &REQUIRED_PROPERTY,
            open,
            format!(
                "the create request omits `{}`, which the property table marks required",
                property.name
            ),
        )
        .relate(&page.path, property.span.clone(), "the property table row")
        .help = Some(format!(
            "add `{}` to the request body, or correct the property table",
            property.name
        ));
    }
}

/// Every key of the body, at any depth. A property the body sends is one
/// of them, in any case (table and body may differ in case: tables are
/// prose), at any depth (the table may describe an object the request
/// nests, a message's extended property).
fn keys(root: &crate::json::Node) -> Vec<&str> {
    use crate::json::Value;
    // A plain walk: the keys' order does not matter, and `json::walk` would
    // build a pointer for every node.
    let mut keys = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                for m in members {
                    keys.push(m.key.as_str());
                    stack.push(&m.value);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    keys
}

/// Is `name` written as the body writes its keys? When every key starts
/// with a lower-case letter (`displayName`), a capitalised name
/// (`Anzeigename`) is a translated word, not a property.
fn same_style(name: &str, keys: &[&str]) -> bool {
    let lower = |s: &str| s.starts_with(|c: char| c.is_ascii_lowercase());
    let upper = |s: &str| s.starts_with(|c: char| c.is_ascii_uppercase());
    !(upper(name) && keys.iter().all(|k| !upper(k)) && keys.iter().any(|k| lower(k)))
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
