//! `path-template`: an example's method and path match none of the page's
//! documented request templates (the blocks under "HTTP request").

use super::Ctx;
use crate::example::Example;
use crate::http::StartLine;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) PATH_TEMPLATE = "path-template", Warning, Check,
    "an example's method and path match none of the page's documented request templates";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let page = ctx.page;
    if page.templates.is_empty() {
        return;
    }
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
    // An absolute URL outside the API (an upload URL on a storage host) has no template.
    if is_absolute(url) && !has_version(url) {
        return;
    }
    let path = resource_path(url);
    if page
        .templates
        .iter()
        .any(|t| t.method == *method && matches(&resource_path(&t.path), &path))
    {
        return;
    }
    let first = &page.templates[0];
    let finding = ctx.report(
        &PATH_TEMPLATE,
        url_span.clone(),
        format!(
            "`{method} /{}` matches none of the page's {} request template{} (line {}: `{} {}`)",
            path.join("/"),
            page.templates.len(),
            if page.templates.len() == 1 { "" } else { "s" },
            page.line(first.span.start),
            first.method,
            first.path
        ),
    );
    finding.help =
        Some("correct the example's path, or add its template under \"HTTP request\"".into());
}

/// The path segments of a URL or template: no scheme, host, version, query.
pub(crate) fn resource_path(url: &str) -> Vec<String> {
    let mut rest = url.trim();
    for scheme in ["https://", "http://"] {
        if let Some(r) = rest.strip_prefix(scheme) {
            rest = r.find('/').map_or("", |i| &r[i..]);
        }
    }
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if segments.first().is_some_and(|s| is_version(s)) {
        segments.remove(0);
    }
    // `/me` is `/users/{id}` of the signed-in user: both forms are one path.
    if segments.first().is_some_and(|s| s == "me") {
        segments.splice(0..1, ["users".to_owned(), "{me}".to_owned()]);
    }
    segments
}

fn is_version(segment: &str) -> bool {
    segment.eq_ignore_ascii_case("v1.0") || segment.eq_ignore_ascii_case("beta")
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn has_version(url: &str) -> bool {
    url.split('/').nth(3).is_some_and(is_version)
}

/// Does the example path fit the template? `{x}` matches any segment; a
/// segment that holds `{x}` matches one that shares its literal prefix
/// (`getCounts(period='{p}')` fits `getCounts(period='D7')`); the
/// `microsoft.graph.` namespace is optional on both sides.
pub(crate) fn matches(template: &[String], path: &[String]) -> bool {
    // An OData type cast may follow any path (`/groups/{id}/members/microsoft.graph.user`).
    // and `$count` may follow a collection.
    let mut path = path;
    if let Some((last, rest)) = path.split_last() {
        if last == "$count"
            && rest.len() >= template.len()
            && template.last().is_none_or(|t| t != "$count")
        {
            path = rest;
        }
    }
    if let Some((last, rest)) = path.split_last() {
        if last.starts_with("microsoft.graph.") && rest.len() == template.len() {
            path = rest;
        }
    }
    template.len() == path.len()
        && template.iter().zip(path).all(|(t, p)| {
            let (t, p) = (without_namespace(t), without_namespace(p));
            match t.find('{') {
                Some(0) => !p.is_empty(),
                Some(i) => {
                    p.len() >= i && p.is_char_boundary(i) && t[..i].eq_ignore_ascii_case(&p[..i])
                }
                None => {
                    t.eq_ignore_ascii_case(p)
                        || without_parens(t).eq_ignore_ascii_case(without_parens(p))
                }
            }
        })
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

/// `delta()` → `delta`.
fn without_parens(mut segment: &str) -> &str {
    while let Some(rest) = segment.strip_suffix("()") {
        segment = rest;
    }
    segment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        resource_path(p)
    }

    #[test]
    fn namespaces_and_parentheses_are_optional_on_both_sides() {
        let template = path("/users/{id}/microsoft.graph.getMemberGroups");
        assert!(matches(&template, &path("/users/42/getMemberGroups")));
        assert!(matches(
            &path("/users/{id}/getMemberGroups"),
            &path("/users/42/microsoft.graph.microsoft.graph.getMemberGroups")
        ));
        assert!(matches(&path("/users/delta()"), &path("/users/delta")));
        assert!(matches(&path("/users/delta"), &path("/users/delta()()")));
        assert!(!matches(&path("/users/delta"), &path("/users/deltas")));
        // The prefix must stand at the start: a namespace inside is literal.
        assert!(!matches(
            &path("/users/getMemberGroups"),
            &path("/users/x.microsoft.graph.getMemberGroups")
        ));
    }
}
