//! The runner: sends the planned requests with reqwest on tokio. The
//! examples of one page go in page order (a create before the get that
//! reads it); pages go concurrently, `jobs` at a time. 429 and 503 are
//! retried after `Retry-After` while a budget shared by all workers lasts.
//! The bearer token is attached as a sensitive header and never follows a
//! redirect to another origin, nor goes through a proxy.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::ProgressBar;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::redirect::{Attempt, Policy};
use reqwest::Url;

use super::compare::Answer;
use super::plan::Request;

/// The longest `Retry-After` the runner waits for.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// What it waits when a 429 or 503 does not say.
const DEFAULT_WAIT: Duration = Duration::from_secs(1);

pub(crate) struct Settings {
    pub(crate) jobs: usize,
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    /// `Bearer …`, already marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
    /// Send the built-in mock's scope header (the page's number), so that
    /// concurrent pages keep their state apart. Never sent to an endpoint.
    pub(crate) scoped: bool,
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Answered(Answer),
    /// No answer: why, in words (never the token: it is only in a header).
    Failed(String),
}

/// One page's requests: (example index, request).
pub(crate) type PagePlan = Vec<(usize, Request)>;

/// The client: no proxy (the token goes to the endpoint and nowhere else),
/// redirects followed only within the endpoint's origin.
pub(crate) fn client(endpoint: &Url, settings: &Settings) -> Result<reqwest::Client, String> {
    let origin = endpoint.origin();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(Policy::custom(move |attempt: Attempt| {
            if attempt.previous().len() >= 10 {
                attempt.error("more than 10 redirects")
            } else if attempt.url().origin() == origin {
                attempt.follow()
            } else {
                // Another host: hand the 3xx back to the comparer.
                attempt.stop()
            }
        }))
        .pool_max_idle_per_host(settings.jobs)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))
}

/// Runs every page's requests; the result has one entry per page, in order.
pub(crate) async fn execute(
    client: reqwest::Client,
    plans: Vec<PagePlan>,
    settings: Settings,
    progress: ProgressBar,
) -> Vec<Vec<(usize, Outcome)>> {
    let plans = Arc::new(plans);
    let settings = Arc::new(settings);
    let budget = Arc::new(AtomicU32::new(settings.retries));
    let next = Arc::new(AtomicUsize::new(0));
    let workers = settings.jobs.clamp(1, plans.len().max(1));
    let mut handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (plans, settings, budget, next, client, progress) = (
            Arc::clone(&plans),
            Arc::clone(&settings),
            Arc::clone(&budget),
            Arc::clone(&next),
            client.clone(),
            progress.clone(),
        );
        handles.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(page) = plans.get(i) else { break };
                let mut outcomes = Vec::with_capacity(page.len());
                let scope = settings.scoped.then(|| HeaderValue::from(i));
                for (example, request) in page {
                    let sent = send(&client, request, scope.as_ref(), &settings, &budget).await;
                    outcomes.push((*example, sent));
                    progress.inc(1);
                }
                done.push((i, outcomes));
            }
            done
        }));
    }
    let mut results: Vec<Vec<(usize, Outcome)>> = (0..plans.len()).map(|_| Vec::new()).collect();
    for handle in handles {
        // A worker only ends by finishing its loop; a panic there is a bug,
        // and its pages' examples are reported as failed, never dropped.
        if let Ok(done) = handle.await {
            for (i, outcomes) in done {
                results[i] = outcomes;
            }
        }
    }
    for (page, outcomes) in plans.iter().zip(results.iter_mut()) {
        if outcomes.len() != page.len() {
            *outcomes = page
                .iter()
                .map(|(e, _)| {
                    (
                        *e,
                        Outcome::Failed("the runner stopped before this request".into()),
                    )
                })
                .collect();
        }
    }
    results
}

async fn send(
    client: &reqwest::Client,
    request: &Request,
    scope: Option<&HeaderValue>,
    settings: &Settings,
    budget: &AtomicU32,
) -> Outcome {
    loop {
        let mut builder = client
            .request(request.method.clone(), request.url.clone())
            .timeout(settings.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(scope) = scope {
            builder = builder.header(super::mock::handle::SCOPE_HEADER, scope.clone());
        }
        if let Some(auth) = &settings.authorization {
            builder = builder.header(AUTHORIZATION, auth.clone());
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut response = match builder.send().await {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(describe(&e, settings.timeout)),
        };
        let status = response.status();
        if matches!(status.as_u16(), 429 | 503) && take_retry(budget) {
            let wait = retry_after(response.headers()).min(MAX_WAIT);
            drop(response);
            tokio::time::sleep(wait).await;
            continue;
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Only the built-in mock (scoped) says where its answer came from.
        let mock = scope
            .and_then(|_| response.headers().get(super::mock::handle::ANSWER_HEADER))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Read up to the bound, never more: an endless or huge answer is a
        // transport error, not the runner's memory.
        let limit = crate::limits::response_bytes();
        let too_large = || {
            Outcome::Failed(format!(
                "the endpoint sent more than the {} exemplar reads of an answer, so it was not compared (EXEMPLAR_MAX_RESPONSE_BYTES raises the bound)",
                crate::limits::shown(limit)
            ))
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return too_large();
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() > limit => return too_large(),
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Outcome::Failed(describe(&e, settings.timeout)),
            }
        }
        return Outcome::Answered(Answer {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_owned(),
            content_type,
            body,
            mock,
        });
    }
}

/// Takes one retry from the shared budget, if any is left.
fn take_retry(budget: &AtomicU32) -> bool {
    budget
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |b| b.checked_sub(1))
        .is_ok()
}

/// `Retry-After` in seconds (RFC 9110 §10.2.3); an HTTP date or nothing
/// waits the default.
fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DEFAULT_WAIT, Duration::from_secs)
}

/// Why a request got no answer, from reqwest's error and its causes.
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("no answer within {}s (--timeout)", timeout.as_secs_f64());
    }
    let kind = if e.is_connect() {
        "cannot connect"
    } else if e.is_redirect() {
        "the redirect failed"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else {
        "the exchange failed"
    };
    let mut causes: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if causes.last() != Some(&text) {
            causes.push(text);
        }
        source = s.source();
    }
    if causes.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {}", causes.join(": "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_budget_is_shared_and_bounded() {
        let budget = AtomicU32::new(2);
        assert!(take_retry(&budget));
        assert!(take_retry(&budget));
        assert!(!take_retry(&budget));
    }

    #[test]
    fn retry_after_seconds_or_default() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), DEFAULT_WAIT);
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Duration::from_secs(3));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), DEFAULT_WAIT);
    }
}
