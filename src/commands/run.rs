//! `exemplar run`: the static checks, then every example replayed against
//! `--endpoint` (or the built-in mock) and its answer compared; one report,
//! whose counts always add up (examples = replayed + skipped, replayed =
//! passed + failed).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reqwest::header::HeaderValue;

use super::check::{self, CheckOptions};
use super::gate::{self, Gate};
use super::{config, emit, report_options, Fatal};
use crate::cli::RunArgs;
use crate::finding::{Finding, Severity};
use crate::replay::{self, runner, Injection, Outcome, Target};
use crate::report::{Command, Format, Report};
use crate::rule::Scope;

/// Runs shorter than this many requests show no progress bar.
const PROGRESS_FROM: usize = 50;

pub(super) fn run(args: &RunArgs) -> Result<u8, Fatal> {
    let mut target = Target {
        endpoint: args.endpoint.clone(),
        vars: args.vars.clone(),
        repair: args.repair,
        settings: settings(args)?,
        injection: Injection::new(&args.inject)?,
        model: None,
    };
    let config = config(&args.common)?;
    let types = check::types_discover(&args.common, &args.gate, &config)?;
    let (mut gate, selection) = Gate::new(
        &args.gate,
        &args.common.paths,
        args.common.format == Format::Github,
        types.as_ref(),
    )?;
    // Raw static findings: configuration and suppressions are applied once,
    // to these and the replay's together.
    let mut options = CheckOptions::from_common(&args.common, config, selection);
    options.type_cache = gate.type_cache();
    let mut checked = check::static_findings(options)?;
    target.model = Some(std::sync::Arc::clone(&checked.model));
    let pages = &checked.loaded.pages;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    let started = std::time::Instant::now();
    let replayed = runtime.block_on(replay::replay(pages, target, progress))?;
    drop(runtime);
    let sent = replayed.sent();
    let judged = replay::judge(pages, replayed, &checked.config.run.volatile);
    if crate::timings::on() {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "exemplar: replay in all (mock built, requests planned, sent, answers compared): {sent} examples in {secs:.3}s ({:.0} examples/s)",
            sent as f64 / secs.max(1e-9)
        );
    }

    let mut findings = std::mem::take(&mut checked.findings);
    findings.extend(judged.findings);
    let mut findings = check::settle(findings, pages, &checked.config);
    let fixed = gate.apply(
        &mut findings,
        pages,
        &[Scope::Check, Scope::Locale, Scope::Run],
    )?;
    let mut results = judged.results;
    let mut bodies = judged.bodies;
    let failures = first_failures(&findings);
    for r in &mut results {
        if r.outcome == Outcome::Passed {
            if let Some(f) = failures.get(r.id.as_str()) {
                r.outcome = Outcome::Failed;
                r.reason = Some(format!("{}: {}", f.rule.name, f.message));
                if let Some((d, a)) = bodies.remove(&r.id) {
                    r.documented = Some(d);
                    r.actual = Some(a);
                }
            }
        }
    }
    drop(failures);
    let mut report = checked.report(Command::Run, findings);
    gate::record(&mut report, fixed);
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
    report.results = results;
    if let Some(token) = token_of(args) {
        redact(&mut report, &token);
    }
    let mut options = report_options(&checked.config);
    gate.report_options(&checked.loaded.pages, &mut options);
    emit(
        &report,
        &options,
        args.common.format,
        args.common.output.as_deref(),
    )?;
    let code = report.exit_code();
    // As in `check`: freeing every page one by one costs more than the exit does.
    std::mem::forget(report);
    std::mem::forget(checked);
    Ok(code)
}

/// The first replay finding of severity error of each example: it fails it.
fn first_failures(findings: &[Finding]) -> HashMap<&str, &Finding> {
    let mut failures = HashMap::new();
    for f in findings {
        let replay = f.rule.scope == Scope::Run;
        if let (true, Severity::Error, Some(id)) = (replay, f.severity, f.example.as_deref()) {
            failures.entry(id).or_insert(f);
        }
    }
    failures
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
        f.related.iter_mut().for_each(|r| scrub(&mut r.message));
    }
    for r in &mut report.results {
        r.reason.iter_mut().for_each(scrub);
        r.documented.iter_mut().for_each(scrub);
        r.actual.iter_mut().for_each(scrub);
    }
}
