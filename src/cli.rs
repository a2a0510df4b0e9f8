//! The commands and options of CONTRACT.md (clap derive). Flag values are
//! parsed here, by clap value parsers, so that a bad value is a usage error
//! with clap's message (exit code 2) before any page is read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use reqwest::Url;

pub use crate::locale::PairSpec;
pub use crate::replay::FaultSpec;
pub use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "exemplar",
    version,
    about = "Treats the HTTP examples in REST API reference pages as tests.",
    propagate_version = true
)]
/// The command line.
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands of CONTRACT.md.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find every example in the pages under PATH and print them.
    Extract(ExtractArgs),
    /// Static checks, no network: print findings.
    Check(CheckArgs),
    /// Replay each request against an endpoint (the built-in mock without
    /// --endpoint) and compare the answer with the documented response.
    Run(RunArgs),
    /// Serve the built-in mock endpoint built from the pages.
    Mock(MockArgs),
    /// Join the JSON results of several runs (the shards of a CI matrix)
    /// into one report, in any format.
    Merge(MergeArgs),
    /// List the rules, or print one rule's page.
    Rules {
        /// The rule to explain.
        name: Option<String>,
    },
    /// Serve the findings to an editor: a Language Server over standard
    /// input and output (see docs/editors.md).
    Lsp,
}

/// Options every command that reads pages shares.
#[derive(Debug, Args)]
pub struct Common {
    /// Files or folders (walked recursively, .gitignore respected).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file (default: exemplar.toml in the current folder or the nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Treat DIR as the root of locale TAG (repeatable): `--locale zh-cn=docs.zh`.
    #[arg(long = "locale", value_name = "TAG=DIR", value_parser = locale_root)]
    pub locales: Vec<(String, PathBuf)>,
    /// The locale translations are compared against.
    #[arg(long, value_name = "TAG", default_value = "en-us", value_parser = locale_tag)]
    pub source_locale: String,
    /// Pair two single pages by hand (repeatable): `--pair en/x.md=zh/x.md`.
    #[arg(long = "pair", value_name = "SOURCE=LOCALIZED")]
    pub pairs: Vec<PairSpec>,
}

/// `exemplar extract`: every example, printed.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Paths, format and locales.
    #[command(flatten)]
    pub common: Common,
}

/// `exemplar check`: static checks, no network.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Paths, format and locales.
    #[command(flatten)]
    pub common: Common,
    /// Baseline, changed pages and shards.
    #[command(flatten)]
    pub gate: GateArgs,
    /// `--fix`, `--unsafe-fixes`, `--diff`, `--watch`.
    #[command(flatten)]
    pub fix: FixArgs,
}

/// The repairs the rules declare (ruff's model).
#[derive(Debug, Args, Default, Clone)]
pub struct FixArgs {
    /// Apply the safe fixes in place, report what changed, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too (they choose between
    /// two readings: review them).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1
    /// when there is something to fix.
    #[arg(long)]
    pub diff: bool,
    /// Check, then check again each page saved (with its locale partners)
    /// until interrupted; the screen is cleared between runs.
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    pub watch: bool,
}

/// How `check` and `run` serve as a CI gate.
#[derive(Debug, Args, Default, Clone)]
pub struct GateArgs {
    /// Findings recorded in FILE are known: reported (marked known), but
    /// they do not fail the gate; entries no longer seen are reported fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding in FILE (a baseline); entries of pages this run
    /// did not read are kept, entries no longer seen are pruned.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Check only the pages that differ from git REF (added, modified or
    /// renamed, committed or not; a new page once `git add`ed), plus their
    /// locale partners.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Take the K-th of N stable slices of the pages (a locale pair stays
    /// in one slice); join the JSON results with `exemplar merge`.
    #[arg(long, value_name = "K/N", value_parser = shard)]
    pub shard: Option<(u32, u32)>,
    /// With --changed-since, read every resource page for the type model
    /// instead of keeping what each defines in `.exemplar_cache` (or
    /// EXEMPLAR_CACHE_DIR) between runs.
    #[arg(long)]
    pub no_cache: bool,
}

/// `exemplar merge`: JSON results joined into one report.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON results of `check` or `run` (`--format json --output FILE`).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file (its `[report]` settings apply).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// As `check --changed-since`: `--format github` annotates only the
    /// lines changed since git REF.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
}

/// `exemplar run`: the static checks, then every example replayed.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Paths, format and locales.
    #[command(flatten)]
    pub common: Common,
    /// Baseline, changed pages and shards.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Replace the scheme and host of every example URL with this one (the path is kept).
    #[arg(long, value_name = "URL", value_parser = endpoint)]
    pub endpoint: Option<Url>,
    /// Read a bearer token from this environment variable (never printed).
    #[arg(long, value_name = "NAME")]
    pub token_env: Option<String>,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = jobs)]
    pub jobs: usize,
    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = timeout)]
    pub timeout: f64,
    /// Retries of a 429 or 503 answer (Retry-After honoured), shared by all workers.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,
    /// Fill `{NAME}` in example URLs (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = var)]
    pub vars: Vec<(String, String)>,
    /// Send the tolerant parse of a malformed JSON body instead of the page's bytes.
    #[arg(long)]
    pub repair: bool,
    /// Make the built-in mock answer a share of requests with a fault (as `mock --inject`).
    #[arg(long, value_name = "FAULT:SHARE", conflicts_with = "endpoint")]
    pub inject: Vec<FaultSpec>,
}

/// `exemplar mock`: the built-in mock served over HTTP.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Files or folders the mock is built from.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Address to listen on (loopback unless told otherwise).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Answer a share of requests with a fault: `429:0.1`, `503:0.05`, `delay=200ms:0.1` (repeatable).
    #[arg(long, value_name = "FAULT:SHARE")]
    pub inject: Vec<FaultSpec>,
}

/// `--locale TAG=DIR`.
fn locale_root(spec: &str) -> Result<(String, PathBuf), String> {
    let (tag, dir) = spec
        .split_once('=')
        .ok_or_else(|| format!("expected TAG=DIR, got `{spec}`"))?;
    Ok((locale_tag(tag)?, PathBuf::from(dir)))
}

/// A locale tag such as `zh-cn`, lower-cased.
fn locale_tag(tag: &str) -> Result<String, String> {
    if crate::lang::is_locale_tag(tag) {
        Ok(tag.to_ascii_lowercase())
    } else {
        Err(format!("`{tag}` is not a locale tag such as zh-cn"))
    }
}

/// `--var NAME=VALUE`.
fn var(spec: &str) -> Result<(String, String), String> {
    spec.split_once('=')
        .filter(|(name, _)| !name.is_empty())
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected NAME=VALUE, got `{spec}`"))
}

/// `--endpoint URL`: http or https, with a host, without credentials.
fn endpoint(endpoint: &str) -> Result<Url, String> {
    let url = Url::parse(endpoint).map_err(|e| {
        format!(
            "not a URL ({e}); write it as http://127.0.0.1:8080 or https://graph.example.com/v1.0"
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("it must be an http or https URL with a host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it must not carry credentials; use --token-env".into());
    }
    Ok(url)
}

/// `--shard K/N`: 1 <= K <= N.
fn shard(spec: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected K/N with 1 <= K <= N (`2/4`), got `{spec}`");
    let (k, n) = spec.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// `--jobs N`, at least 1.
fn jobs(n: &str) -> Result<usize, String> {
    match n.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number of at least 1".into()),
    }
}

/// `--timeout SECS`: more than 0 and at most a day.
fn timeout(secs: &str) -> Result<f64, String> {
    match secs.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err("expected seconds, more than 0 and at most a day".into()),
    }
}
