//! Replaying examples: planning a request per example (or a reason to skip
//! it), the runner (reqwest on tokio), the built-in mock (hyper) and the
//! structural comparer. The command around it (`exemplar run`: options,
//! runtime, counting, redaction) is `commands/run.rs`.

pub(crate) mod compare;
pub(crate) mod inject;
pub mod mock;
pub(crate) mod plan;
pub(crate) mod runner;
pub(crate) mod url;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use indicatif::ProgressBar;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;
use serde::Serialize;

use crate::example::Example;
use crate::finding::Finding;
use crate::page::Page;
pub(crate) use compare::RUN_RULES;
pub use inject::FaultSpec;
pub(crate) use inject::Injection;
pub use plan::SkipReason;
use plan::Step;
use runner::Outcome as Sent;

/// How one example fared in `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Replayed, and the answer matched the documented response.
    Passed,
    /// Replayed, and a finding of severity error says how it differs.
    Failed,
    /// Not replayed; the result's reason says why.
    Skipped,
}

/// One example's result in `run`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ExampleResult {
    /// `path#name` (or `path#index`).
    pub id: String,
    /// The page's path.
    pub path: Arc<str>,
    /// Passed, failed or skipped.
    pub outcome: Outcome,
    /// Why it was skipped or failed, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why it was skipped, as a value (the reason above says it in words).
    #[serde(skip)]
    pub skip: Option<SkipReason>,
    /// The documented and the actual body, for side-by-side diffs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documented: Option<String>,
    /// The body the endpoint answered (see `documented`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
}

/// Where requests go and how.
pub(crate) struct Target {
    /// `--endpoint`, or `None` for the built-in mock started in-process.
    pub(crate) endpoint: Option<Url>,
    pub(crate) vars: Vec<(String, String)>,
    pub(crate) repair: bool,
    pub(crate) settings: runner::Settings,
    /// Faults the built-in mock injects.
    pub(crate) injection: Injection,
    /// The docs set's type model, as the static checks built it (a sliced
    /// run's from every defining page, not only the slice's): the built-in
    /// mock validates bodies by it rather than building its own.
    pub(crate) model: Option<Arc<crate::types::Model>>,
}

/// What replaying the pages gave: per page, the step of each example, and
/// the outcomes of the steps that were sent, in order.
pub(crate) struct Replayed {
    steps: Vec<Vec<Step>>,
    outcomes: Vec<Vec<(usize, Sent)>>,
}

impl Replayed {
    /// How many examples were sent.
    pub(crate) fn sent(&self) -> usize {
        self.steps
            .iter()
            .flatten()
            .filter(|s| matches!(s, Step::Send(_)))
            .count()
    }
}

/// The comparison of every replayed example: the findings, a result per
/// example (passed until a finding of severity error says otherwise, which
/// is decided once configuration and suppressions are applied), and the two
/// bodies of each example whose bodies differed.
pub(crate) struct Judged {
    pub(crate) findings: Vec<Finding>,
    pub(crate) results: Vec<ExampleResult>,
    pub(crate) bodies: HashMap<String, (String, String)>,
}

/// Compares each answer with the documented response.
pub(crate) fn judge(pages: &[Page], replayed: Replayed, volatile: &[String]) -> Judged {
    let mut judged = Judged {
        findings: Vec::new(),
        results: Vec::new(),
        bodies: HashMap::new(),
    };
    for ((page, steps), outcomes) in pages.iter().zip(&replayed.steps).zip(replayed.outcomes) {
        let mut outcomes = outcomes.into_iter();
        for (example, step) in page.examples.iter().zip(steps) {
            match step {
                Step::Skip(reason) => judged.results.push(result(
                    page,
                    example,
                    Outcome::Skipped,
                    Some(reason.clone()),
                )),
                Step::Send(_) => {
                    let sent = plan::sent_json(example);
                    let ctx = compare::Context {
                        path: &page.path,
                        example,
                        sent: sent.as_ref(),
                        volatile,
                    };
                    match outcomes.next().map(|(_, o)| o) {
                        Some(Sent::Answered(answer)) => {
                            if let Some(response) = &example.response {
                                let c = compare::compare(&ctx, response, &answer);
                                // The built-in mock's limits are skips, not findings.
                                let (kept, limit) = mock::limits::sift(
                                    answer.mock.as_deref(),
                                    c.findings,
                                    sent.as_ref(),
                                );
                                if let (Some(why), true) = (limit, kept.is_empty()) {
                                    judged.results.push(result(
                                        page,
                                        example,
                                        Outcome::Skipped,
                                        Some(SkipReason::MockLimitation { why }),
                                    ));
                                    continue;
                                }
                                judged.findings.extend(kept);
                                if let (Some(d), Some(a)) = (c.documented, c.actual) {
                                    judged.bodies.insert(example.id.clone(), (d, a));
                                }
                            }
                        }
                        Some(Sent::Failed(why)) => {
                            judged.findings.push(compare::transport_error(&ctx, &why))
                        }
                        None => judged.findings.push(compare::transport_error(
                            &ctx,
                            "the runner lost this request",
                        )),
                    }
                    judged
                        .results
                        .push(result(page, example, Outcome::Passed, None));
                }
            }
        }
    }
    judged
}

fn result(
    page: &Page,
    example: &Example,
    outcome: Outcome,
    skip: Option<SkipReason>,
) -> ExampleResult {
    ExampleResult {
        id: example.id.clone(),
        path: Arc::clone(&page.path),
        outcome,
        reason: skip.as_ref().map(SkipReason::to_string),
        skip,
        documented: None,
        actual: None,
    }
}

/// Plans every page's examples, starts the mock unless an endpoint is
/// given, and sends the requests.
pub(crate) async fn replay(
    pages: &[Page],
    target: Target,
    progress: impl FnOnce(usize) -> ProgressBar,
) -> Result<Replayed, String> {
    let Target {
        endpoint,
        vars,
        repair,
        mut settings,
        injection,
        model,
    } = target;
    let mut server = None;
    settings.scoped = endpoint.is_none();
    let endpoint = match endpoint {
        Some(url) => {
            reachable(&url, settings.timeout).await?;
            url
        }
        None => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| format!("cannot start the built-in mock: {e}"))?;
            let addr = listener
                .local_addr()
                .map_err(|e| format!("cannot start the built-in mock: {e}"))?;
            let mock = Arc::new(mock::Mock::build_with(
                pages, injection, false, &vars, model,
            ));
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let handle = tokio::spawn(mock::serve(listener, mock, async {
                let _ = stopped.await;
            }));
            server = Some((stop, handle));
            Url::parse(&format!("http://{addr}"))
                .map_err(|e| format!("cannot start the built-in mock: {e}"))?
        }
    };
    let options = plan::Options {
        endpoint: &endpoint,
        vars: &vars,
        repair,
    };
    let steps: Vec<Vec<Step>> = pages
        .iter()
        .map(|p| p.examples.iter().map(|e| plan::plan(e, &options)).collect())
        .collect();
    let plans: Vec<runner::PagePlan> = steps
        .iter()
        .map(|s| {
            s.iter()
                .enumerate()
                .filter_map(|(i, step)| match step {
                    Step::Send(r) => Some((i, r.clone())),
                    Step::Skip(_) => None,
                })
                .collect()
        })
        .collect();
    let total: usize = plans.iter().map(Vec::len).sum();
    let client = runner::client(&endpoint, &settings)?;
    let started = std::time::Instant::now();
    let outcomes = runner::execute(client, plans, settings, progress(total)).await;
    if crate::timings::on() {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "exemplar: requests alone: {total} sent and answered in {secs:.3}s ({:.0} examples/s)",
            total as f64 / secs.max(1e-9)
        );
    }
    if let Some((stop, handle)) = server {
        let _ = stop.send(());
        let _ = handle.await;
    }
    Ok(Replayed { steps, outcomes })
}

/// An error when the endpoint cannot be reached at all before the run.
async fn reachable(url: &Url, timeout: Duration) -> Result<(), String> {
    let host = url.host_str().unwrap_or("");
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let connect = tokio::net::TcpStream::connect((host, port));
    match tokio::time::timeout(timeout.min(Duration::from_secs(10)), connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!(
            "the endpoint {} is unreachable: {e}",
            url.origin().ascii_serialization()
        )),
        Err(_) => Err(format!(
            "the endpoint {} is unreachable: no connection within the timeout",
            url.origin().ascii_serialization()
        )),
    }
}

/// A page's header lines as wire headers, less those named in `skip`
/// (framing the sender sets itself); a line that is no valid header is left
/// out (`http-syntax` reports it). Shared by the runner and the mock.
pub(crate) fn wire_headers(
    headers: &[crate::http::Header],
    skip: &[&str],
) -> Vec<(HeaderName, HeaderValue)> {
    headers
        .iter()
        .filter(|h| !skip.iter().any(|s| h.name.eq_ignore_ascii_case(s)))
        .filter_map(|h| {
            Some((
                HeaderName::from_bytes(h.name.as_bytes()).ok()?,
                HeaderValue::from_str(&h.value).ok()?,
            ))
        })
        .collect()
}
