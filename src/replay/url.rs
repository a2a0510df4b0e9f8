//! Example URLs as the runner and the mock see them: the path and query
//! without scheme and host, `{placeholders}`, and path segments normalised
//! so that the page's spelling and a client's encoding compare equal.

/// The part of a URL after scheme and host (`/v1.0/me?$select=id`).
/// A URL without scheme is returned as it is.
pub(crate) fn path_and_query(url: &str) -> &str {
    let url = url.trim();
    for scheme in ["https://", "http://"] {
        // `get`, not an index: the page's URL may hold a multi-byte
        // character where the scheme would end (`https:é//…`).
        if let Some(rest) = crate::http::strip_prefix_ignore_ascii_case(url, scheme) {
            return rest.find(['/', '?']).map_or("", |i| &rest[i..]);
        }
    }
    url
}

/// Splits `path?query` (a fragment, which a client never sends, is dropped).
pub(crate) fn split_query(path_and_query: &str) -> (&str, &str) {
    let without_fragment = path_and_query.split('#').next().unwrap_or("");
    without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""))
}

/// `{name}` placeholders in a URL, in order (braces around a GUID are a
/// real value, not a placeholder: see [`crate::http::is_template_name`]).
pub(crate) fn placeholders(url: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                if crate::http::is_template_name(&after[..close]) {
                    found.push(&after[..close]);
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    found
}

/// Replaces each `{NAME}` that `vars` names with its value.
pub(crate) fn fill(url: &str, vars: &[(String, String)]) -> String {
    let mut out = url.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Percent-decodes (RFC 3986 §2.1); invalid escapes stay as written.
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The API version segment a Graph URL starts with, if any.
pub(crate) fn is_version(segment: &str) -> bool {
    segment.eq_ignore_ascii_case("v1.0") || segment.eq_ignore_ascii_case("beta")
}

/// Normalised path segments: decoded, the version prefix dropped, lower
/// case (Graph paths are case-insensitive), the optional `microsoft.graph.`
/// namespace and an empty `()` removed, so that `microsoft.graph.delta()`
/// and `delta` are one segment.
pub(crate) fn segments(path: &str) -> Vec<String> {
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| normalise_segment(&percent_decode(s)))
        .collect();
    if segments.first().is_some_and(|s| is_version(s)) {
        segments.remove(0);
    }
    segments
}

pub(crate) fn normalise_segment(segment: &str) -> String {
    let lower = segment.trim().to_lowercase();
    let lower = lower.strip_prefix("microsoft.graph.").unwrap_or(&lower);
    lower.strip_suffix("()").unwrap_or(lower).to_owned()
}

/// A query string as sorted, decoded pairs, so that order and encoding do
/// not matter when the mock tells two examples apart.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(k).to_lowercase(), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_and_query_drops_scheme_and_host() {
        assert_eq!(
            path_and_query("https://graph.microsoft.com/v1.0/me?$select=id"),
            "/v1.0/me?$select=id"
        );
        assert_eq!(path_and_query("/me"), "/me");
        assert_eq!(path_and_query("https://graph.microsoft.com"), "");
        assert_eq!(path_and_query("HTTPS://host/x"), "/x");
    }

    #[test]
    fn a_multibyte_character_where_the_scheme_ends_is_no_panic() {
        // Once "end byte index 7 is not a char boundary" (issue 13).
        let url = "https:\u{e9}//graph.microsoft.com/v1.0/me";
        assert_eq!(path_and_query(url), url);
        assert_eq!(path_and_query("http\u{e9}"), "http\u{e9}");
        assert_eq!(path_and_query("\u{1F600}\u{1F600}"), "\u{1F600}\u{1F600}");
        assert_eq!(
            crate::http::strip_prefix_ignore_ascii_case("ab\u{e9}", "abc"),
            None
        );
    }

    #[test]
    fn segments_are_normalised() {
        assert_eq!(
            segments("/v1.0/reports/microsoft.graph.getEmailActivityCounts(period='D7')"),
            vec!["reports", "getemailactivitycounts(period='d7')"]
        );
        assert_eq!(
            segments("/beta/users/delta()"),
            vec!["users".to_owned(), "delta".to_owned()]
        );
        assert_eq!(
            segments("/me/drive/root:%2Ffile%20a"),
            vec!["me", "drive", "root:/file a"]
        );
    }

    #[test]
    fn placeholders_and_fill() {
        let url = "/users/{user-id}/messages/{id}";
        assert_eq!(placeholders(url), vec!["user-id", "id"]);
        let mapi = "/me/messages?$expand=singleValueExtendedProperties($filter=id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color')";
        assert!(placeholders(mapi).is_empty());
        let filled = fill(url, &[("id".into(), "42".into())]);
        assert_eq!(filled, "/users/{user-id}/messages/42");
    }

    #[test]
    fn percent_decode_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn query_pairs_ignore_order() {
        assert_eq!(query_pairs("b=2&a=1"), query_pairs("a=1&b=2"));
        assert_eq!(query_pairs("$filter=a%20eq%201")[0].1, "a eq 1");
    }
}
