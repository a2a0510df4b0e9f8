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
