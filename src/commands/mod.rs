//! One room per command, from parsed arguments to an exit code (0 clean,
//! 1 a finding of severity error, 2 the command could not do its job).
//! Each command turns its arguments into the library's typed options,
//! calls the pipeline, and writes the report; the pipeline never sees `cli`.

pub mod check;
mod extract;
mod fix;
mod gate;
mod lsp;
mod merge;
mod mock;
mod rules;
pub mod run;
mod watch;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::cli::{Cli, Command, Common};
use crate::config::Config;
use crate::report::{self, Format, Report};

/// An error that stops a command: exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fatal {}

impl From<String> for Fatal {
    fn from(s: String) -> Self {
        Fatal(s)
    }
}

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<u8, Fatal> {
    let serves = match &cli.command {
        Command::Check(args) => args.fix.watch,
        Command::Mock(_) | Command::Lsp => true,
        Command::Extract(_) | Command::Run(_) | Command::Merge(_) | Command::Rules { .. } => false,
    };
    if !serves {
        crate::alloc::keep_freed_memory();
    }
    match cli.command {
        Command::Extract(args) => extract::run(&args.common),
        Command::Check(args) => check::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Mock(args) => mock::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Rules { name } => rules::run(name.as_deref()),
        Command::Lsp => lsp::run(),
    }
}

/// Standard output, or the `--output` file.
fn output(path: Option<&Path>) -> Result<Box<dyn Write>, Fatal> {
    Ok(match path {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).map_err(|e| {
                Fatal(format!("cannot write {}: {e}", path.display()))
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// A reader that stops reading (`exemplar check | head`) is no failure:
/// the output ends there, as it does for other command-line tools.
fn written(result: io::Result<()>) -> Result<(), Fatal> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Fatal(format!("cannot write the output: {e}"))),
    }
}

/// The configuration `--config` names, or the nearest `exemplar.toml`.
fn config(common: &Common) -> Result<Config, Fatal> {
    Config::load(common.config.as_deref()).map_err(Fatal)
}

/// The renderers' settings from the configuration (and the environment).
fn report_options(config: &Config) -> report::Options {
    report::Options::new(
        config.report.docs_base_uri.as_deref(),
        config.report.html_snippet_chars,
    )
}

/// Writes the report in `format` to `output_file` (standard output
/// without one); colour only for a terminal.
fn emit(
    report: &Report,
    options: &report::Options,
    format: Format,
    output_file: Option<&Path>,
) -> Result<(), Fatal> {
    emit_with(report, options, format, output_file, None)
}

/// [`emit`], with the JSON report's page entries rendered ahead
/// ([`report::json::pages`]) when given.
fn emit_with(
    report: &Report,
    options: &report::Options,
    format: Format,
    output_file: Option<&Path>,
    pages: Option<report::json::Pages>,
) -> Result<(), Fatal> {
    use std::io::IsTerminal;
    let color = output_file.is_none()
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut out = output(output_file)?;
    let rendered = match pages {
        Some(pages) if format == Format::Json => {
            report::json::render_with(report, Some(pages), &mut out)
        }
        _ => report::render(report, format, options, &mut out, color),
    };
    written(rendered.and_then(|()| out.flush()))
}

/// `extract` prints examples, not findings: only two of the formats apply.
fn examples_style(format: Format) -> Result<report::examples::Style, Fatal> {
    match format {
        Format::Human => Ok(report::examples::Style::Human),
        Format::Json => Ok(report::examples::Style::Json),
        other => Err(Fatal(
            format!("extract prints human or json, not {other:?}").to_lowercase(),
        )),
    }
}
