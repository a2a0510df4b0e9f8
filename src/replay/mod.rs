//! Replaying examples: the runner (reqwest on tokio), the built-in mock
//! (hyper) and the structural comparer.
//!
//! `run` plans a request per example (or a reason to skip it), starts the
//! mock in-process unless `--endpoint` names one, sends the requests, and
//! compares each answer with the documented response. The findings join
//! the static ones of `check`, so one command gates everything.

pub(crate) mod compare;
pub(crate) mod inject;
pub(crate) mod mock;
pub(crate) mod plan;
pub(crate) mod runner;
pub(crate) mod url;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Url;

use crate::cli::{MockArgs, RunArgs};
use crate::commands::{self, Fatal};
use crate::finding::{Finding, Severity};
use crate::page::Page;
use crate::report::{ExampleResult, Outcome, Report};
use crate::rules::{self, Scope};
use inject::Injection;
use plan::Step;
use runner::Outcome as Sent;

/// Set, `run` prints how long the replay itself took (for benches/replay.sh).
const TIMINGS: &str = "EXEMPLAR_TIMINGS";

/// Runs shorter than this many requests show no progress bar.
const PROGRESS_FROM: usize = 50;

/// `exemplar run`.
pub fn run(args: &RunArgs) -> Result<u8, Fatal> {
    let settings = settings(args)?;
    let vars = parse_vars(&args.vars)?;
    let injection = Injection::parse(&args.inject).map_err(Fatal)?;
    if args.endpoint.is_some() && !args.inject.is_empty() {
        return Err(Fatal(
            "--inject shapes the built-in mock; it cannot be used with --endpoint".into(),
        ));
    }
    let endpoint = args.endpoint.as_deref().map(parse_endpoint).transpose()?;
    let (config, mut loaded) = commands::prepare(&args.common)?;
    // Raw static findings: configuration and suppressions are applied once,
    // to these and the replay's together, so that a suppression used by one
    // kind is not reported unused by the other.
    let (mut findings, paired) = commands::raw_static_findings(&mut loaded, &args.common)?;

    let pages = &loaded.pages;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let started = std::time::Instant::now();
    let (steps, outcomes) = runtime.block_on(replay(
        pages,
        endpoint,
        &vars,
        args.repair,
        settings,
        injection,
    ))?;
    drop(runtime);

    let mut results = Vec::new();
    let mut documented_actual: HashMap<String, (String, String)> = HashMap::new();
    for ((page, steps), outcomes) in pages.iter().zip(&steps).zip(outcomes) {
        let mut outcomes = outcomes.into_iter();
        for (example, step) in page.examples.iter().zip(steps) {
            match step {
                Step::Skip(reason) => results.push(result(
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
                        volatile: &config.run.volatile,
                    };
                    match outcomes.next().map(|(_, o)| o) {
                        Some(Sent::Answered(answer)) => {
                            if let Some(response) = &example.response {
                                let c = compare::compare(&ctx, response, &answer);
                                findings.extend(c.findings);
                                if let (Some(d), Some(a)) = (c.documented, c.actual) {
                                    documented_actual.insert(example.id.clone(), (d, a));
                                }
                            }
                        }
                        Some(Sent::Failed(why)) => {
                            findings.push(compare::transport_error(&ctx, &why))
                        }
                        None => findings.push(compare::transport_error(
                            &ctx,
                            "the runner lost this request",
                        )),
                    }
                    // Passed or failed is decided after configuration and suppressions.
                    results.push(result(page, example, Outcome::Passed, None));
                }
            }
        }
    }

    if std::env::var_os(TIMINGS).is_some() {
        let secs = started.elapsed().as_secs_f64();
        let replayed = steps
            .iter()
            .flatten()
            .filter(|s| matches!(s, Step::Send(_)))
            .count();
        eprintln!(
            "exemplar: replay in all (mock built, requests planned, sent, answers compared): {replayed} examples in {secs:.3}s ({:.0} examples/s)",
            replayed as f64 / secs.max(1e-9)
        );
    }
    let findings = rules::apply(findings, pages, &config);
    let failures = first_failures(&findings);
    for r in &mut results {
        if r.outcome == Outcome::Passed {
            if let Some(f) = failures.get(r.id.as_str()) {
                r.outcome = Outcome::Failed;
                r.reason = Some(format!("{}: {}", f.rule, f.message));
                if let Some((d, a)) = documented_actual.remove(&r.id) {
                    r.documented = Some(d);
                    r.actual = Some(a);
                }
            }
        }
    }
    let mut report = Report::new("run", pages, commands::config_sources(&config), findings);
    let count = |o: Outcome| results.iter().filter(|r| r.outcome == o).count();
    let (passed, failed, skipped) = (
        count(Outcome::Passed),
        count(Outcome::Failed),
        count(Outcome::Skipped),
    );
    report.summary.replayed = Some(passed + failed);
    report.summary.passed = Some(passed);
    report.summary.failed = Some(failed);
    report.summary.skipped = Some(skipped);
    if paired > 0 {
        report.summary.paired_pages = Some(paired);
    }
    report.results = results;
    if let Some(token) = token_of(args) {
        redact(&mut report, &token);
    }
    commands::emit(&report, &args.common)?;
    let code = report.exit_code();
    // As in `check`: freeing every page one by one costs more than the exit does.
    std::mem::forget(report);
    std::mem::forget(loaded);
    Ok(code)
}

fn result(
    page: &Page,
    example: &crate::example::Example,
    outcome: Outcome,
    reason: Option<String>,
) -> ExampleResult {
    ExampleResult {
        id: example.id.clone(),
        path: Arc::clone(&page.path),
        outcome,
        reason,
        documented: None,
        actual: None,
    }
}

/// The first replay finding of severity error of each example: it fails it.
fn first_failures(findings: &[Finding]) -> HashMap<&str, &Finding> {
    let mut failures = HashMap::new();
    for f in findings {
        let replay = rules::lookup(f.rule).is_some_and(|r| r.scope == Scope::Run);
        if let (true, Severity::Error, Some(id)) = (replay, f.severity, f.example.as_deref()) {
            failures.entry(id).or_insert(f);
        }
    }
    failures
}

/// Plans every page's examples, starts the mock unless an endpoint is
/// given, and sends the requests. Returns the steps and, per page, the
/// outcomes of the steps that were sent, in order.
async fn replay(
    pages: &[Page],
    endpoint: Option<Url>,
    vars: &[(String, String)],
    repair: bool,
    settings: runner::Settings,
    injection: Injection,
) -> Result<(Vec<Vec<Step>>, Vec<Vec<(usize, Sent)>>), Fatal> {
    let mut server = None;
    let mut settings = settings;
    settings.scoped = endpoint.is_none();
    let endpoint = match endpoint {
        Some(url) => {
            reachable(&url, settings.timeout).await?;
            url
        }
        None => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| Fatal(format!("cannot start the built-in mock: {e}")))?;
            let addr = listener
                .local_addr()
                .map_err(|e| Fatal(format!("cannot start the built-in mock: {e}")))?;
            let mock = Arc::new(mock::Mock::build(pages, injection, false));
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let handle = tokio::spawn(mock::serve(listener, mock, async {
                let _ = stopped.await;
            }));
            server = Some((stop, handle));
            Url::parse(&format!("http://{addr}"))
                .map_err(|e| Fatal(format!("cannot start the built-in mock: {e}")))?
        }
    };
    let options = plan::Options {
        endpoint: &endpoint,
        vars,
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
    let client = runner::client(&endpoint, &settings).map_err(Fatal)?;
    let started = std::time::Instant::now();
    let outcomes = runner::execute(client, plans, settings, progress(total)).await;
    if std::env::var_os(TIMINGS).is_some() {
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
    Ok((steps, outcomes))
}

/// A progress bar on a terminal for long runs; nothing otherwise.
fn progress(total: usize) -> ProgressBar {
    if total < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} examples replayed ({per_sec}, {eta})")
    {
        bar.set_style(style);
    }
    bar
}

fn settings(args: &RunArgs) -> Result<runner::Settings, Fatal> {
    if args.jobs == 0 {
        return Err(Fatal("--jobs must be at least 1".into()));
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        return Err(Fatal(
            "--timeout takes seconds, more than 0 and at most a day".into(),
        ));
    }
    let authorization = match &args.token_env {
        None => None,
        Some(name) => {
            let token = token_of(args).ok_or_else(|| {
                Fatal(format!(
                    "--token-env: the environment variable `{name}` is not set or empty; export the bearer token in it"
                ))
            })?;
            let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                Fatal(format!(
                    "--token-env: the value of `{name}` holds characters a header cannot carry"
                ))
            })?;
            value.set_sensitive(true);
            Some(value)
        }
    };
    Ok(runner::Settings {
        jobs: args.jobs,
        timeout: Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        authorization,
        scoped: false,
    })
}

fn token_of(args: &RunArgs) -> Option<String> {
    let name = args.token_env.as_deref()?;
    std::env::var(name).ok().filter(|t| !t.trim().is_empty())
}

/// An endpoint answer may quote the request back; the token must still not
/// reach any output, so every text taken from an answer is scrubbed.
fn redact(report: &mut Report, token: &str) {
    let scrub = |s: &mut String| {
        if s.contains(token) {
            *s = s.replace(token, "[redacted]");
        }
    };
    for f in &mut report.findings {
        scrub(&mut f.message);
        f.expected.iter_mut().for_each(scrub);
        f.actual.iter_mut().for_each(scrub);
    }
    for r in &mut report.results {
        r.reason.iter_mut().for_each(scrub);
        r.documented.iter_mut().for_each(scrub);
        r.actual.iter_mut().for_each(scrub);
    }
}

fn parse_vars(vars: &[String]) -> Result<Vec<(String, String)>, Fatal> {
    vars.iter()
        .map(|v| {
            v.split_once('=')
                .filter(|(name, _)| !name.is_empty())
                .map(|(n, val)| (n.to_owned(), val.to_owned()))
                .ok_or_else(|| Fatal(format!("--var takes NAME=VALUE, got `{v}`")))
        })
        .collect()
}

fn parse_endpoint(endpoint: &str) -> Result<Url, Fatal> {
    let url = Url::parse(endpoint).map_err(|e| {
        Fatal(format!(
            "--endpoint `{endpoint}` is not a URL ({e}); write it as http://127.0.0.1:8080 or https://graph.example.com/v1.0"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Fatal(format!(
            "--endpoint `{endpoint}` must be an http or https URL with a host"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Fatal(
            "--endpoint must not carry credentials; use --token-env".into(),
        ));
    }
    Ok(url)
}

/// Exit code 2 when the endpoint cannot be reached at all before the run.
async fn reachable(url: &Url, timeout: Duration) -> Result<(), Fatal> {
    let host = url.host_str().unwrap_or("");
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let connect = tokio::net::TcpStream::connect((host, port));
    match tokio::time::timeout(timeout.min(Duration::from_secs(10)), connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(Fatal(format!(
            "the endpoint {} is unreachable: {e}",
            url.origin().ascii_serialization()
        ))),
        Err(_) => Err(Fatal(format!(
            "the endpoint {} is unreachable: no connection within the timeout",
            url.origin().ascii_serialization()
        ))),
    }
}

/// `exemplar mock`.
pub fn mock(args: &MockArgs) -> Result<u8, Fatal> {
    let injection = Injection::parse(&args.inject).map_err(Fatal)?;
    let loaded = crate::discover::load(&args.paths, &crate::discover::DiscoverOptions::default())
        .map_err(|e| Fatal(e.to_string()))?;
    let listen = if args.listen.bytes().all(|b| b.is_ascii_digit()) {
        format!("127.0.0.1:{}", args.listen)
    } else {
        args.listen.clone()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| Fatal(format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Fatal(format!("cannot listen on {listen}: {e}")))?;
        let mock = Arc::new(mock::Mock::build(&loaded.pages, injection, true));
        eprintln!(
            "exemplar mock: {} routes from {} pages on http://{addr}/v1.0 (and /beta); Ctrl-C stops",
            mock.routes(),
            loaded.pages.len()
        );
        mock::serve(listener, mock, stop_signal()).await;
        eprintln!("exemplar mock: stopped");
        Ok(0)
    })
}

/// Ctrl-C (and SIGTERM on Unix, which service managers and scripts send).
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    () = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
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
