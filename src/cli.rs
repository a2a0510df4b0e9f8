//! The commands and options of CONTRACT.md (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "exemplar",
    version,
    about = "Treats the HTTP examples in REST API reference pages as tests.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

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
    /// List the rules, or print one rule's page.
    Rules {
        /// The rule to explain.
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Junit,
    Sarif,
    Github,
    Html,
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
    #[arg(long = "locale", value_name = "TAG=DIR")]
    pub locales: Vec<String>,
    /// The locale translations are compared against.
    #[arg(long, value_name = "TAG", default_value = "en-us")]
    pub source_locale: String,
    /// Pair two single pages by hand (repeatable): `--pair en/x.md=zh/x.md`.
    #[arg(long = "pair", value_name = "SOURCE=LOCALIZED")]
    pub pairs: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    /// Replace the scheme and host of every example URL with this one (the path is kept).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Read a bearer token from this environment variable (never printed).
    #[arg(long, value_name = "NAME")]
    pub token_env: Option<String>,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub jobs: usize,
    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Retries of a 429 or 503 answer (Retry-After honoured), shared by all workers.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,
    /// Fill `{NAME}` in example URLs (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Send the tolerant parse of a malformed JSON body instead of the page's bytes.
    #[arg(long)]
    pub repair: bool,
    /// Make the built-in mock answer a share of requests with a fault (as `mock --inject`).
    #[arg(long, value_name = "FAULT:SHARE")]
    pub inject: Vec<String>,
}

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
    pub inject: Vec<String>,
}
