//! From an example to the request the runner sends, or to the reason it is
//! skipped. Planning reads the page model and owns what it produces, so the
//! requests can go to tokio tasks while the pages stay where they are.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, Url};

use crate::example::Example;
use crate::replay::url;

/// What the runner does with one example.
#[derive(Debug)]
pub(crate) enum Step {
    Skip(SkipReason),
    Send(Request),
}

/// Why an example is not replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Only a response is documented.
    ResponseOnly,
    /// The request's annotation says `"ignored"`.
    Ignored,
    /// No response is documented to compare the answer with.
    NoResponse,
    /// The request line cannot be read (`http-syntax` reports it).
    UnreadableRequestLine,
    /// The URL holds a `{name}` placeholder no `--var` fills.
    Placeholder {
        /// The name between the braces.
        name: String,
    },
    /// Replayed against the built-in mock, whose state cannot give the
    /// documented response (it shows values no request of the page set,
    /// or another page's; or it needs a query option the mock lacks).
    MockLimitation {
        /// The first difference, as the comparison worded it.
        why: String,
    },
    /// The URL cannot be joined to the endpoint.
    UnsendableUrl {
        /// The URL as the page writes it.
        url: String,
        /// Why it cannot be sent.
        why: String,
    },
}

impl SkipReason {
    /// The reason without its details, to count skips by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::ResponseOnly => {
                "the example has only a response; there is no request to replay"
            }
            SkipReason::Ignored => {
                "the request's annotation says \"ignored\": its writer asks test tools not to send it"
            }
            SkipReason::NoResponse => "the example documents no response to compare the answer with",
            SkipReason::UnreadableRequestLine => "the request line cannot be read",
            SkipReason::Placeholder { .. } => "the URL holds the placeholder",
            SkipReason::UnsendableUrl { .. } => "the URL",
            SkipReason::MockLimitation { .. } => {
                "the built-in mock's state cannot give the documented response"
            }
        }
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::ResponseOnly => {
                f.write_str("the example has only a response; there is no request to replay")
            }
            SkipReason::Ignored => f.write_str(
                "the request's annotation says \"ignored\": its writer asks test tools not to send it",
            ),
            SkipReason::NoResponse => {
                f.write_str("the example documents no response to compare the answer with")
            }
            SkipReason::UnreadableRequestLine => {
                f.write_str("the request line cannot be read (see http-syntax)")
            }
            SkipReason::Placeholder { name } => {
                // `{id | userPrincipalName}` is a name too; the shell needs quotes.
                let plain = name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
                let var = if plain {
                    format!("{name}=VALUE")
                } else {
                    format!("'{name}=VALUE'")
                };
                write!(
                    f,
                    "the URL holds the placeholder `{{{name}}}`; give it a value with --var {var}"
                )
            }
            SkipReason::UnsendableUrl { url, why } => {
                write!(f, "the URL `{url}` cannot be sent: {why}")
            }
            SkipReason::MockLimitation { why } => write!(
                f,
                "the built-in mock's state cannot give the documented response ({why}); replay against the service with --endpoint"
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Bytes>,
}

pub(crate) struct Options<'a> {
    /// Scheme, host and port (and an optional path prefix) requests go to.
    pub(crate) endpoint: &'a Url,
    pub(crate) vars: &'a [(String, String)],
    pub(crate) repair: bool,
}

/// Headers the runner never copies from the page: the framing is the
/// client's, the host is the endpoint's, and the page's `Authorization` is a
/// placeholder (`Bearer {token}`) that --token-env replaces.
const NOT_COPIED: [&str; 6] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "authorization",
];

pub(crate) fn plan(example: &Example, options: &Options) -> Step {
    let Some(request) = &example.request else {
        return Step::Skip(SkipReason::ResponseOnly);
    };
    if request.ignored {
        return Step::Skip(SkipReason::Ignored);
    }
    if example.response.is_none() {
        return Step::Skip(SkipReason::NoResponse);
    }
    let message = &request.message;
    let Some(method) = message
        .method()
        .filter(|m| !m.is_empty())
        .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
    else {
        return Step::Skip(SkipReason::UnreadableRequestLine);
    };
    let raw = message.url().unwrap_or("");
    let filled = url::fill(raw, options.vars);
    if let Some(name) = url::placeholders(&filled).first() {
        return Step::Skip(SkipReason::Placeholder {
            name: name.to_string(),
        });
    }
    let target = match join(options.endpoint, url::path_and_query(&filled)) {
        Ok(u) => u,
        Err(why) => {
            return Step::Skip(SkipReason::UnsendableUrl {
                url: raw.to_owned(),
                why,
            })
        }
    };
    let mut headers = crate::replay::wire_headers(&message.headers, &NOT_COPIED);
    let body = message.body.as_ref().map(|body| {
        let repaired = body
            .json()
            .filter(|j| options.repair && !j.errors.is_empty())
            .and_then(|j| j.root.as_ref())
            .and_then(|root| serde_json::to_vec(&root.value.to_serde()).ok());
        Bytes::from(repaired.unwrap_or_else(|| body.text().as_bytes().to_vec()))
    });
    let is_json = message.body.as_ref().is_some_and(|b| b.json().is_some());
    if is_json && !headers.iter().any(|(n, _)| n == CONTENT_TYPE) {
        headers.push((CONTENT_TYPE, HeaderValue::from_static("application/json")));
    }
    debug_assert!(!headers.iter().any(|(n, _)| n == AUTHORIZATION));
    Step::Send(Request {
        method,
        url: target,
        headers,
        body,
    })
}

/// The JSON the example sends, as the comparer needs it (which ids were sent).
pub(crate) fn sent_json(example: &Example) -> Option<serde_json::Value> {
    example.request.as_ref()?.message.json_value()
}

/// The endpoint's scheme, host and port with the example's path and query.
/// An endpoint path (`http://host/v1.0`) is a prefix the example's path gets
/// unless it starts with it already; the prefix's version segment gives way
/// to the example's own (`/beta/me` stays beta).
pub(crate) fn join(endpoint: &Url, path_and_query: &str) -> Result<Url, String> {
    let mut rest = path_and_query.to_owned();
    if !rest.starts_with('/') {
        rest.insert(0, '/');
    }
    let mut prefix = endpoint.path().trim_end_matches('/');
    let example_version = rest[1..]
        .split(['/', '?'])
        .next()
        .is_some_and(url::is_version);
    if let Some((before, last)) = prefix.rsplit_once('/') {
        if example_version && url::is_version(last) {
            prefix = before;
        }
    }
    let has_prefix = rest.len() >= prefix.len()
        && rest.is_char_boundary(prefix.len())
        && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
        && matches!(rest.as_bytes().get(prefix.len()), None | Some(b'/' | b'?'));
    if !prefix.is_empty() && !has_prefix {
        rest.insert_str(0, prefix);
    }
    let origin = endpoint.origin().ascii_serialization();
    Url::parse(&format!("{origin}{rest}")).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples(text: &str) -> Vec<Example> {
        crate::page::Page::from_text(std::sync::Arc::from("p.md"), text.to_owned(), None).examples
    }

    fn reason(step: Step) -> String {
        match step {
            Step::Skip(why) => why.to_string(),
            Step::Send(r) => format!("sent {}", r.url),
        }
    }

    #[test]
    fn skips_say_why() {
        let endpoint = Url::parse("http://127.0.0.1:1").unwrap();
        let options = Options {
            endpoint: &endpoint,
            vars: &[("x".to_owned(), "1".to_owned())],
            repair: false,
        };
        let page = examples(
            "<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n```http\nGET /users/{id | userPrincipalName}\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\n```\n\n<!-- { \"blockType\": \"request\", \"name\": \"b\" } -->\n```http\nGET /things/{x}\n```\n\n<!-- { \"blockType\": \"request\", \"name\": \"c\" } -->\n```http\nDELETE /things/{x}\n```\n\n<!-- { \"blockType\": \"response\", \"name\": \"c\" } -->\n```http\nHTTP/1.1 204 No Content\n```\n",
        );
        let reasons: Vec<String> = page.iter().map(|e| reason(plan(e, &options))).collect();
        assert_eq!(
            reasons,
            [
                "the URL holds the placeholder `{id | userPrincipalName}`; give it a value with --var 'id | userPrincipalName=VALUE'",
                "the example documents no response to compare the answer with",
                "sent http://127.0.0.1:1/things/1",
            ]
        );
    }

    #[test]
    fn repair_sends_the_tolerant_parse() {
        let endpoint = Url::parse("http://127.0.0.1:1").unwrap();
        let page = examples(
            "<!-- { \"blockType\": \"request\" } -->\n```http\nPOST /things\nAuthorization: Bearer {token}\n\n{\"a\": 1,}\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 201 Created\n```\n",
        );
        let body = |repair| match plan(
            &page[0],
            &Options {
                endpoint: &endpoint,
                vars: &[],
                repair,
            },
        ) {
            Step::Send(r) => (
                r.body.map(|b| String::from_utf8_lossy(&b).into_owned()),
                r.headers
                    .iter()
                    .map(|(n, v)| format!("{n}: {}", v.to_str().unwrap_or("")))
                    .collect::<Vec<_>>(),
            ),
            Step::Skip(why) => (Some(why.to_string()), vec![]),
        };
        assert_eq!(
            body(false),
            (
                Some("{\"a\": 1,}".to_owned()),
                vec!["content-type: application/json".to_owned()]
            )
        );
        assert_eq!(body(true).0, Some("{\"a\":1}".to_owned()));
    }

    #[test]
    fn join_replaces_scheme_and_host() {
        let e = Url::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            join(&e, "/v1.0/me?$select=id").unwrap().as_str(),
            "http://127.0.0.1:8080/v1.0/me?$select=id"
        );
        let e = Url::parse("http://127.0.0.1:8080/v1.0/").unwrap();
        assert_eq!(
            join(&e, "/v1.0/me").unwrap().as_str(),
            "http://127.0.0.1:8080/v1.0/me"
        );
        assert_eq!(
            join(&e, "/me").unwrap().as_str(),
            "http://127.0.0.1:8080/v1.0/me"
        );
        assert_eq!(
            join(&e, "/beta/me").unwrap().as_str(),
            "http://127.0.0.1:8080/beta/me"
        );
        let api = Url::parse("https://example.com/api/v1.0").unwrap();
        assert_eq!(
            join(&api, "/beta/me?$top=1").unwrap().as_str(),
            "https://example.com/api/beta/me?$top=1"
        );
        assert_eq!(
            join(&api, "/me").unwrap().as_str(),
            "https://example.com/api/v1.0/me"
        );
        assert_eq!(
            join(&e, "/v1.0x/me").unwrap().as_str(),
            "http://127.0.0.1:8080/v1.0/v1.0x/me"
        );
        assert_eq!(
            join(&e, "/users?$filter=startswith(displayName,'a b')")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/v1.0/users?$filter=startswith(displayName,%27a%20b%27)"
        );
    }
}
