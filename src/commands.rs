//! What each command does, from parsed arguments to an exit code
//! (0 clean, 1 a finding of severity error, 2 the command could not do its job).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use crate::cli::{Cli, Command, Common, Format};
use crate::config::Config;
use crate::discover::{self, DiscoverOptions, Loaded};
use crate::report::{self, Report};
use crate::rules;

/// An error that stops a command: exit code 2.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fatal {}

pub fn run(cli: Cli) -> Result<u8, Fatal> {
    match cli.command {
        Command::Extract(args) => extract(&args.common),
        Command::Check(args) => check(&args.common),
        Command::Run(args) => crate::replay::run(&args),
        Command::Mock(args) => crate::replay::mock(&args),
        Command::Rules { name } => rules(name.as_deref()),
    }
}

pub(crate) fn discover_options(common: &Common) -> Result<DiscoverOptions, Fatal> {
    let mut options = DiscoverOptions::default();
    for spec in &common.locales {
        let (tag, dir) = spec
            .split_once('=')
            .ok_or_else(|| Fatal(format!("--locale takes TAG=DIR, got `{spec}`")))?;
        if !crate::lang::is_locale_tag(tag) {
            return Err(Fatal(format!(
                "--locale: `{tag}` is not a locale tag such as zh-cn"
            )));
        }
        options
            .locale_roots
            .push((tag.to_ascii_lowercase(), PathBuf::from(dir)));
    }
    Ok(options)
}

/// Standard output, or the `--output` file.
pub(crate) fn output(common: &Common) -> Result<Box<dyn Write>, Fatal> {
    Ok(match &common.output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).map_err(|e| {
                Fatal(format!("cannot write {}: {e}", path.display()))
            })?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

fn io_fatal(e: io::Error) -> Fatal {
    Fatal(format!("cannot write the output: {e}"))
}

/// A reader that stops reading (`exemplar check | head`) is no failure:
/// the output ends there, as it does for other command-line tools.
fn written(result: io::Result<()>) -> Result<(), Fatal> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(io_fatal),
    }
}

fn extract(common: &Common) -> Result<u8, Fatal> {
    let mut options = discover_options(common)?;
    options.depth = crate::page::Depth::Examples;
    let style = match common.format {
        Format::Human => report::examples::Style::Human,
        Format::Json => report::examples::Style::Json,
        other => {
            return Err(Fatal(
                format!("extract prints human or json, not {other:?}").to_lowercase(),
            ))
        }
    };
    // Each page is rendered on the thread that read it, and dropped there.
    let loaded = discover::load_with(&common.paths, &options, |page, _| {
        report::examples::Rendered::new(page, style)
    })
    .map_err(|e| Fatal(e.to_string()))?;
    let mut out = output(common)?;
    let result = match style {
        report::examples::Style::Human => report::examples::human(&loaded.pages, &mut out),
        report::examples::Style::Json => report::examples::json(&loaded.pages, &mut out),
    };
    written(result.and_then(|()| out.flush()))?;
    for f in &loaded.findings {
        eprintln!("warning: {}: {}", f.path, f.message);
    }
    for warning in loaded.pages.iter().filter_map(|p| p.warning.as_deref()) {
        eprintln!("warning: {warning}");
    }
    // Freeing every page one by one costs more than the exit does.
    std::mem::forget(loaded);
    Ok(0)
}

/// Loads the configuration and the pages (less the excluded ones).
/// The page rules run while the pages are read (see `raw_static_findings`).
pub(crate) fn prepare(common: &Common) -> Result<(Config, Loaded), Fatal> {
    let config = Config::load(common.config.as_deref()).map_err(Fatal)?;
    let options = discover_options(common)?;
    // The page rules run on the thread that read the page, as soon as it is read.
    let mut loaded = discover::load_with(&common.paths, &options, |mut page, findings| {
        let found = rules::check_page(&page);
        page.forget_json_bodies();
        if !found.is_empty() {
            // Where the findings are: resolved here, in parallel, rather
            // than page by page when the report is written.
            page.lines();
        }
        findings.extend(found);
        page
    })
    .map_err(|e| Fatal(e.to_string()))?;
    if !config.exclude.is_empty() {
        loaded.pages.retain(|p| !config.excludes(&p.path));
        loaded.findings.retain(|f| !config.excludes(&f.path));
    }
    Ok((config, loaded))
}

/// Every static finding of `check` (and of `run`, which reports them too):
/// the page rules and the locale rules, before the configuration and the
/// pages' suppressions; also how many localized pages found their source.
/// `run` adds its own findings before [`rules::apply`] runs once on all.
pub(crate) fn raw_static_findings(
    loaded: &mut Loaded,
    common: &Common,
) -> Result<(Vec<crate::finding::Finding>, usize), Fatal> {
    // The page rules ran as each page was read (`prepare`); their findings
    // came with the pages.
    let mut findings = std::mem::take(&mut loaded.findings);
    let (locale, paired) = locale_findings(loaded, common)?;
    findings.extend(locale);
    let model = crate::types::Model::build_for(&loaded.pages, &common.source_locale);
    findings.extend(crate::types::check(&loaded.pages, &model));
    Ok((findings, paired))
}

/// The locale rules' findings and the number of localized pages paired.
pub(crate) fn locale_findings(
    loaded: &Loaded,
    common: &Common,
) -> Result<(Vec<crate::finding::Finding>, usize), Fatal> {
    crate::locale::check(&loaded.pages, common).map_err(Fatal)
}

/// The configuration file as a source of findings, so positions resolve.
pub(crate) fn config_sources(config: &Config) -> Vec<(std::sync::Arc<str>, String)> {
    config
        .path
        .as_ref()
        .and_then(|p| {
            std::fs::read_to_string(p)
                .ok()
                .map(|t| (std::sync::Arc::from(p.to_string_lossy().as_ref()), t))
        })
        .into_iter()
        .collect()
}

/// Writes the report in the chosen format; colour only for a terminal.
pub(crate) fn emit(report: &Report, common: &Common) -> Result<(), Fatal> {
    use std::io::IsTerminal;
    let color = common.output.is_none()
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut out = output(common)?;
    written(report::render(report, common.format, &mut out, color).and_then(|()| out.flush()))
}

fn check(common: &Common) -> Result<u8, Fatal> {
    let (config, mut loaded) = prepare(common)?;
    let (findings, paired) = raw_static_findings(&mut loaded, common)?;
    let findings = rules::apply(findings, &loaded.pages, &config);
    let mut report = Report::new("check", &loaded.pages, config_sources(&config), findings);
    if paired > 0 {
        report.summary.paired_pages = Some(paired);
    }
    emit(&report, common)?;
    let code = report.exit_code();
    // Freeing every page one by one costs more than the exit does.
    std::mem::forget(report);
    std::mem::forget(loaded);
    Ok(code)
}

fn rules(name: Option<&str>) -> Result<u8, Fatal> {
    let mut out = io::stdout().lock();
    let printed = match name {
        None => crate::rules::ALL.iter().try_for_each(|r| {
            writeln!(
                out,
                "{:<24} {:<8} {}",
                r.name,
                r.severity.as_str(),
                r.summary
            )
        }),
        Some(name) => match crate::rules::lookup(name) {
            Some(rule) => write!(out, "{}", rule.doc),
            None => {
                let hint = crate::rules::suggest(name).map_or_else(
                    || "`exemplar rules` lists them".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                return Err(Fatal(format!("no rule named `{name}`; {hint}")));
            }
        },
    };
    written(printed)?;
    Ok(0)
}
