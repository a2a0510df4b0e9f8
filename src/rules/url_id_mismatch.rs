//! `url-id-mismatch`: a GET, PATCH or DELETE example of one item answers
//! with an `id` other than the one its own request URL names. A reader
//! copies both, and one of them is wrong.
//!
//! Precision first: the URL's last segment must clearly be the item's key
//! (`/messages/AAMk…`, `/users/48d31887-…`, key syntax `events('AAMk…')`),
//! right after a collection name. A navigation (`/members/{id}/$ref`,
//! `/manager`), an action or function (`/send`, `/delta()`), a placeholder
//! (`{id}`), a well-known name (`inbox`, `root`: no digit), an alternate key
//! (`john@contoso.com`, `contoso.sharepoint.com`, `(appId='…')`) and an item
//! addressed by path are not keys to compare. A GUID is compared only with a
//! GUID, an opaque id only with an opaque id: a user fetched by another key
//! answers with its GUID.

use super::Ctx;
use crate::example::Example;
use crate::json::Value;
use crate::rule::declare_rule;

declare_rule! {
    pub(crate) URL_ID_MISMATCH = "url-id-mismatch", Error, Check,
    "a GET/PATCH/DELETE example of one item answers with an id other than its request URL's";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let (Some(request), Some(response)) = (&example.request, &example.response) else {
        return;
    };
    if !request.message.method().is_some_and(|m| {
        ["GET", "PATCH", "DELETE"]
            .iter()
            .any(|wanted| m.eq_ignore_ascii_case(wanted))
    }) {
        return;
    }
    if response
        .message
        .status()
        .is_none_or(|s| !(200..300).contains(&s))
    {
        return;
    }
    let Some(url) = request.message.url() else {
        return;
    };
    let Some(body) = &response.message.body else {
        return;
    };
    let Some(root) = body.root() else { return };
    // One item answers: an object with its own `id` (a collection has `value`).
    let Value::Object(_) = &root.value else {
        return;
    };
    if root.value.get("value").is_some() {
        return;
    }
    let Some(id_node) = root.value.get("id") else {
        return;
    };
    let Some(id) = id_node.value.as_str() else {
        return;
    };
    // The URL's key last: most responses answer no single item with an id.
    let Some(key) = item_key(url) else {
        return;
    };
    if !comparable(&key, id) || same_id(&key, id) {
        return;
    }
    if request
        .message
        .method()
        .is_some_and(|m| m.eq_ignore_ascii_case("PATCH"))
        && id_carries_the_update(
            &key,
            id,
            request.message.body.as_ref().and_then(|b| b.root()),
        )
    {
        return;
    }
    let path = std::sync::Arc::clone(&ctx.page.path);
    let finding = ctx.report(
        &URL_ID_MISMATCH,
        body.to_page(&id_node.span),
        format!("the response's `id` is \"{id}\", but the request URL asks for the item `{key}`"),
    );
    finding.relate(&path, request.message.line_span.clone(), "the request URL");
    finding.help = Some(
        "use one id in the request URL and in the response, as the service would answer".into(),
    );
    finding.expected = Some(key);
    finding.actual = Some(id.to_owned());
}

/// Some services compose an id from the item's state (a Teams app
/// definition's id is base64 of `appId##version##Submitted`): a PATCH that
/// sends `"publishingState": "published"` gets the item back under a new
/// id that holds the value sent. Such an id changed by the update.
fn id_carries_the_update(key: &str, id: &str, body: Option<&crate::json::Node>) -> bool {
    let Some(body) = body else { return false };
    let readable = |s: &str| {
        base64_text(s)
            .unwrap_or_else(|| s.to_owned())
            .to_lowercase()
    };
    let (before, after) = (readable(key), readable(id));
    let mut carried = false;
    crate::json::walk(body, |_, _, node| {
        if let Some(sent) = node.value.as_str() {
            let sent = sent.to_lowercase();
            carried |= sent.len() >= 3 && after.contains(&sent) && !before.contains(&sent);
        }
    });
    carried
}

/// The text a base64 (standard or URL-safe) string encodes, when it is text.
fn base64_text(s: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for b in s.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    text.chars().all(|c| !c.is_control()).then_some(text)
}

/// The item key a URL ends with, percent-decoded, when its last segment
/// clearly is one (see the module's comment).
fn item_key(url: &str) -> Option<String> {
    let path = crate::http::after_host(url.trim());
    let path = &path[..memchr::memchr2(b'?', b'#', path.as_bytes()).unwrap_or(path.len())];
    if path.contains(":/") {
        return None;
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (last, before) = segments.split_last()?;
    // Key syntax: `events('AAMk…')`, `users(48d31887-…)`.
    if let Some(open) = last.find('(') {
        let inside = last[open + 1..].strip_suffix(')')?;
        let collection = &last[..open];
        let key = inside.strip_prefix('\'').and_then(|k| k.strip_suffix('\''));
        let key = match key {
            Some(k) if !k.contains('\'') => k,
            None if !inside.contains(['=', '\'', ',']) => inside,
            _ => return None,
        };
        return (is_collection(collection) && looks_like_key(key)).then(|| decode(key));
    }
    let collection = before.last()?;
    (is_collection(collection) && looks_like_key(last)).then(|| decode(last))
}

/// A collection's name: a plain word (`messages`, `items`), not a key, a
/// version, a call or an OData segment.
fn is_collection(segment: &str) -> bool {
    segment.len() > 1
        && segment.starts_with(|c: char| c.is_ascii_alphabetic())
        && segment.bytes().all(|b| b.is_ascii_alphabetic())
        && !super::path_template::is_version(segment)
}

/// Does a last segment look like an item's key rather than a navigation,
/// an action, a well-known name or an item's name? A GUID (perhaps in
/// braces, as workbook ids are), a number, or an opaque id of at least
/// eight characters with a digit; no placeholder, OData segment, call or
/// alternate key. `Sheet1` and `Table1` are names that `{id|name}` accepts.
fn looks_like_key(segment: &str) -> bool {
    let decoded = decode(segment);
    let key = unbraced(&decoded);
    if crate::http::is_guid(key) {
        return true;
    }
    let digits = key.bytes().all(|b| b.is_ascii_digit());
    (digits && key.len() >= 2 || key.len() >= 8 && key.bytes().any(|b| b.is_ascii_digit()))
        && !key.starts_with('$')
        && !key.contains(['{', '}', '<', '>', '(', ')', '@', ' '])
        // A host name or a file name is an alternate key; a site id
        // (`contoso.sharepoint.com,guid,guid`) names its parts with commas.
        && (!key.contains('.') || key.contains(','))
        && !super::path_template::is_version(key)
}

/// `{00000000-0001-0000-0000-000000000000}` → the GUID inside.
fn unbraced(id: &str) -> &str {
    id.strip_prefix('{')
        .and_then(|i| i.strip_suffix('}'))
        .filter(|i| crate::http::is_guid(i))
        .unwrap_or(id)
}

/// A GUID is compared with a GUID, any other id with any other id.
fn comparable(key: &str, id: &str) -> bool {
    crate::http::is_guid(unbraced(key)) == crate::http::is_guid(unbraced(id))
}

/// The same id, without regard to case (GUIDs and `48X48` photo sizes are
/// written in either).
fn same_id(key: &str, id: &str) -> bool {
    unbraced(key).eq_ignore_ascii_case(unbraced(id))
}

/// Percent-decodes a URL segment (RFC 3986 §2.1); invalid escapes stay.
fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_only_where_the_last_segment_clearly_is_one() {
        let key = |u: &str| item_key(u);
        assert_eq!(
            key("https://graph.microsoft.com/v1.0/me/messages/AAMkAGI2THVSAAA=?$select=subject")
                .as_deref(),
            Some("AAMkAGI2THVSAAA=")
        );
        assert_eq!(
            key("https://graph.microsoft.com/v1.0/users/48d31887-5fad-4d73-a9f5-3c356e68a038")
                .as_deref(),
            Some("48d31887-5fad-4d73-a9f5-3c356e68a038")
        );
        assert_eq!(
            key("https://graph.microsoft.com/v1.0/me/events('AAMkAGE1M2_bs88AACbuFiiAAA=')")
                .as_deref(),
            Some("AAMkAGE1M2_bs88AACbuFiiAAA=")
        );
        assert_eq!(
            key("https://api.contoso.test/2023-01-01/widgets/wid%2D424242").as_deref(),
            Some("wid-424242")
        );
        for not_a_key in [
            "https://graph.microsoft.com/v1.0/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/members/48d31887-5fad-4d73-a9f5-3c356e68a038/$ref",
            "https://graph.microsoft.com/v1.0/users/48d31887-5fad-4d73-a9f5-3c356e68a038/manager",
            "https://graph.microsoft.com/v1.0/me/mailFolders/inbox",
            "https://graph.microsoft.com/v1.0/users/{id}",
            "https://graph.microsoft.com/v1.0/users/adele@contoso.com",
            "https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com",
            "https://graph.microsoft.com/v1.0/applications(appId='46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b')",
            "https://graph.microsoft.com/v1.0/me/drive/root:/Book1.xlsx",
            "https://graph.microsoft.com/v1.0/me/messages/AAMkAGI2/send",
            "https://graph.microsoft.com/v1.0/reports/getEmailActivityCounts(period='D7')",
            "https://graph.microsoft.com/v1.0/drives/b!x/items/01BY/workbook/worksheets/Sheet1",
        ] {
            assert_eq!(key(not_a_key), None, "{not_a_key}");
        }
    }

    #[test]
    fn an_id_that_holds_the_value_a_patch_sent_changed_with_it() {
        let body = crate::json::parse("{\"publishingState\": \"published\"}");
        let before = "YTc2MWFkMDctMjJlZi00YTUzLTlmZWItMjgzN2M4YWQ0YTg0IyMxLjEuOCMjU3VibWl0dGVk";
        let after = "YTc2MWFkMDctMjJlZi00YTUzLTlmZWItMjgzN2M4YWQ0YTg0IyMxLjEuOCMjUHVibGlzaGVk";
        assert_eq!(
            base64_text(after).as_deref(),
            Some("a761ad07-22ef-4a53-9feb-2837c8ad4a84##1.1.8##Published")
        );
        assert!(id_carries_the_update(before, after, body.root.as_ref()));
        assert!(!id_carries_the_update(
            "AAMkADA1M-CJKtzmnlcqVgqI=",
            "AAMkADA1MCJKtzmnlcqVgqI=",
            body.root.as_ref()
        ));
    }

    #[test]
    fn a_guid_is_compared_with_a_guid_only() {
        assert!(comparable(
            "48d31887-5fad-4d73-a9f5-3c356e68a038",
            "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
        ));
        assert!(!comparable(
            "AdeleV42",
            "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
        ));
        assert!(same_id("48X48", "48x48"));
        assert!(same_id(
            "{00000000-0001-0000-0000-000000000000}",
            "00000000-0001-0000-0000-000000000000"
        ));
    }
}
