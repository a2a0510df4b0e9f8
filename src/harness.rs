//! In-memory entry points to each stage of the pipeline, for the fuzz
//! targets in `fuzz/`, the regression inputs in `tests/regressions/` and the
//! property tests: no files, no sockets, no worker threads, so that one
//! input is one deterministic call and a crash points at one stage.
//!
//! Each function does what the command does for one page (the same calls in
//! the same order), so that an input that breaks one of these breaks the
//! command too, and the other way round. Keeping these next to the commands
//! in the library (rather than in the fuzz crate, which CI does not build)
//! means a refactoring that changes a stage's signature fails to compile
//! here, where it is seen.

use std::sync::Arc;

use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Method, Uri};

use crate::cli::Format;
use crate::config::Config;
use crate::finding::Finding;
use crate::page::{Depth, Page};
use crate::replay::compare::{self, Answer};
use crate::replay::inject::Injection;
use crate::replay::mock::{handle, Mock};
use crate::replay::plan::{self, Step};
use crate::report::Report;
use crate::rules;

/// A page read from `bytes` as `extract` (`Depth::Examples`) or `check` and
/// `run` (`Depth::Full`) read a file, named `path`, with no locale.
pub fn read_page(path: &str, bytes: &[u8], depth: Depth) -> Page {
    Page::from_bytes(Arc::from(path), bytes.to_vec(), None, None, depth)
}

/// `check` of one page without translations or configuration: the page
/// rules as the page is read, the JSON trees dropped as `check` drops them,
/// then the suppressions; [`render_check`] prints them.
pub fn check_page(path: &str, bytes: &[u8]) -> (Page, Vec<Finding>) {
    let mut page = read_page(path, bytes, Depth::Full);
    let findings = rules::check_page(&page, None);
    page.forget_json_bodies();
    let pages = std::slice::from_ref(&page);
    let findings = crate::commands::check::settle(findings, pages, &Config::default());
    (page, findings)
}

/// A page's findings (from [`check_page`]) rendered in `format` as
/// `check --format FORMAT` prints them (without colour): what a user sees.
pub fn render_check(page: &Page, findings: Vec<Finding>, format: Format) -> Vec<u8> {
    let pages = std::slice::from_ref(page);
    let report = Report::new(crate::report::Command::Check, pages, Vec::new(), findings);
    let mut out = Vec::new();
    // Writing to a Vec cannot fail; a renderer that fails on its own is a bug.
    crate::report::render(
        &report,
        format,
        &crate::report::Options::default(),
        &mut out,
        false,
    )
    .expect("rendering into memory");
    out
}

/// The built-in mock, asked directly: requests go to the same handler the
/// server calls, without a socket, an HTTP/1 connection or fault injection.
pub struct MockService {
    mock: Mock,
}

/// The mock's answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct MockAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl MockService {
    /// The mock `exemplar mock` would serve for `pages`.
    pub fn build(pages: &[Page]) -> MockService {
        MockService {
            mock: Mock::build(pages, Injection::default(), false),
        }
    }

    /// Answers `method target` (an origin-form target, `/v1.0/me?$top=1`)
    /// with `headers` and `body`. `None` when hyper would refuse the request
    /// before the mock saw it: an invalid method, target, header name or
    /// header value.
    pub fn answer(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Option<MockAnswer> {
        let method = Method::from_bytes(method.as_bytes()).ok()?;
        let uri: Uri = target.parse().ok()?;
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).ok()?,
                HeaderValue::from_str(value).ok()?,
            );
        }
        Some(self.ask(&method, &uri, &map, body))
    }

    fn ask(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> MockAnswer {
        let reply = handle::handle(
            &self.mock,
            &handle::Incoming {
                method: method.as_str(),
                path: uri.path(),
                query: uri.query().unwrap_or(""),
                content_type: headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()),
                headers,
                body,
            },
        );
        let content_type = reply
            .headers
            .iter()
            .find(|(n, _)| n == CONTENT_TYPE)
            .and_then(|(_, v)| v.to_str().ok())
            .map(str::to_owned);
        MockAnswer {
            status: reply.status.as_u16(),
            content_type,
            body: reply.body.to_vec(),
        }
    }
}

/// What `run` did with one page against the built-in mock.
#[derive(Debug)]
pub struct RunOutcome {
    /// The page as `run` read it.
    pub page: Page,
    /// The page's examples.
    pub examples: usize,
    /// Examples sent to the mock.
    pub replayed: usize,
    /// Examples not sent, each with its reason.
    pub skipped: Vec<String>,
    /// The static findings and the comparisons' findings, suppressions applied.
    pub findings: Vec<Finding>,
}

/// `run` of one page against the built-in mock built from it: each example
/// planned as `run` plans it, sent to the mock's handler, and the answer
/// compared with the documented response.
pub fn run_page(path: &str, bytes: &[u8]) -> RunOutcome {
    let mut page = read_page(path, bytes, Depth::Full);
    let mut findings = rules::check_page(&page, None);
    page.forget_json_bodies();
    let pages = std::slice::from_ref(&page);
    let service = MockService::build(pages);
    // Any origin does: the mock sees the path and query only.
    let endpoint = reqwest::Url::parse("http://127.0.0.1:1/").expect("a valid literal URL");
    let options = plan::Options {
        endpoint: &endpoint,
        vars: &[],
        repair: false,
    };
    let examples = page.examples.len();
    let (mut replayed, mut skipped) = (0, Vec::new());
    // `run` sends the page's number as its scope; one page is number 0.
    let scope = HeaderValue::from(0usize);
    for example in &page.examples {
        let request = match plan::plan(example, &options) {
            Step::Skip(why) => {
                skipped.push(why.to_string());
                continue;
            }
            Step::Send(request) => request,
        };
        replayed += 1;
        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        headers.insert(handle::SCOPE_HEADER, scope.clone());
        let uri: Uri = match request.url.as_str().parse() {
            Ok(uri) => uri,
            Err(_) => continue,
        };
        let body = request.body.clone().unwrap_or_else(Bytes::new);
        let answer = service.ask(&request.method, &uri, &headers, &body);
        let Some(response) = &example.response else {
            continue;
        };
        let sent = plan::sent_json(example);
        let ctx = compare::Context {
            path: &page.path,
            example,
            sent: sent.as_ref(),
            volatile: &[],
        };
        let answer = Answer {
            status: answer.status,
            reason: hyper::StatusCode::from_u16(answer.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("")
                .to_owned(),
            content_type: answer.content_type,
            body: answer.body,
            mock: None,
        };
        findings.extend(compare::compare(&ctx, response, &answer).findings);
    }
    let findings = crate::commands::check::settle(findings, pages, &Config::default());
    RunOutcome {
        page,
        examples,
        replayed,
        skipped,
        findings,
    }
}

/// Why `span` cannot be a position in `text` (reversed, or past its end),
/// or `None` when it lies inside. An end inside a multi-byte character is
/// allowed: positions resolve it to that character.
pub fn span_problem(text: &str, span: &std::ops::Range<usize>) -> Option<String> {
    (span.start > span.end || span.end > text.len()).then(|| {
        format!(
            "span {}..{} does not lie inside a text of {} bytes",
            span.start,
            span.end,
            text.len()
        )
    })
}

/// Every span of the page model that does not lie inside the page, and
/// every message body whose text is not the page's text at the offsets its
/// excerpt maps it to (a body's byte must be the page's byte it came from,
/// or positions inside bodies point at the wrong character).
pub fn page_problems(page: &Page) -> Vec<String> {
    let text = page.text.as_str();
    let mut spans: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    for a in &page.annotations {
        spans.push(("annotation", a.span.clone()));
        spans.extend(a.block_type_span.clone().map(|s| ("blockType", s)));
        for e in &a.json.errors {
            let start = a.json_start + e.span.start;
            spans.push(("annotation JSON error", start..a.json_start + e.span.end));
        }
    }
    let mut bodies = Vec::new();
    for example in &page.examples {
        for half in example.request.iter().chain(example.response.iter()) {
            let m = &half.message;
            spans.push(("start line", m.line_span.clone()));
            match &m.start {
                crate::http::StartLine::Request {
                    method_span,
                    url_span,
                    ..
                } => {
                    spans.push(("method", method_span.clone()));
                    spans.push(("url", url_span.clone()));
                }
                crate::http::StartLine::Status { status_span, .. } => {
                    spans.push(("status", status_span.clone()));
                }
            }
            for h in &m.headers {
                spans.push(("header", h.span.clone()));
                spans.push(("header value", h.value_span.clone()));
            }
            for e in &m.errors {
                spans.push(("http error", e.span.clone()));
            }
            bodies.extend(m.body.as_ref());
        }
    }
    for t in &page.templates {
        spans.push(("template", t.span.clone()));
    }
    for p in &page.properties {
        spans.push(("property", p.span.clone()));
        spans.push(("property description", p.description.clone()));
    }
    for p in &page.permissions {
        spans.push(("permission", p.span.clone()));
        spans.push(("permission value", p.value_span.clone()));
    }
    spans.extend(
        page.status_prose
            .iter()
            .map(|s| ("status prose", s.span.clone())),
    );
    spans.extend(page.todos.iter().map(|s| ("todo", s.clone())));
    for s in &page.suppressions {
        spans.push(("suppression", s.span.clone()));
        spans.extend(s.rules.iter().map(|(_, r)| ("suppressed rule", r.clone())));
    }
    if let Some((span, _)) = &page.unreadable {
        spans.push(("unreadable", span.clone()));
    }
    let mut problems: Vec<String> = spans
        .into_iter()
        .filter_map(|(what, span)| span_problem(text, &span).map(|p| format!("{what}: {p}")))
        .collect();
    for body in bodies {
        let bytes = body.text().as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let at = body.excerpt.to_page(i);
            if text.as_bytes().get(at) != Some(&b) {
                problems.push(format!(
                    "body byte {i} ({b:#04x}) maps to page offset {at}, which holds {:?}",
                    text.as_bytes().get(at)
                ));
                break;
            }
        }
    }
    problems
}
