//! `exemplar check`, and the entry point every static check goes through:
//! the binary, `run` (which reports the static findings too) and the
//! fixture tests all call [`check`] or [`static_findings`].

use std::path::PathBuf;
use std::sync::Arc;

use std::io::Write;

use super::fix::{self, Fixes};
use super::gate::{self, Gate, TypeCache};
use super::{config, emit_with, report_options, Fatal};
use crate::cli::{CheckArgs, Common};
use crate::config::Config;
use crate::discover::{self, DiscoverOptions, Loaded, Selection};
use crate::finding::Finding;
use crate::locale::LocaleOptions;
use crate::page::Page;
use crate::report::{Command, Format, Report};
use crate::rule::Scope;
use crate::timings::{self, Stages};

/// What a static check reads and how.
#[derive(Debug, Default)]
pub struct CheckOptions {
    /// Files or folders.
    pub paths: Vec<PathBuf>,
    /// The configuration (`Config::default()` when there is none).
    pub config: Config,
    /// Folders that are locale roots whatever their names (`--locale TAG=DIR`).
    pub locale_roots: Vec<(String, PathBuf)>,
    /// How pages pair across locales.
    pub(crate) locale: LocaleOptions,
    /// Which pages are read (`--changed-since`, `--shard`).
    pub(crate) selection: Selection,
    /// The docs set's type model, when the caller holds it already
    /// (`--watch` keeps it between runs instead of reading every resource
    /// page again on each save).
    pub(crate) model: Option<Arc<crate::types::Model>>,
    /// Where a `--changed-since` run finds the type model's pages that did
    /// not change (`None`: every resource page is read).
    pub(crate) type_cache: Option<TypeCache>,
    /// Drop each page's text once its page rules have run, keeping the
    /// lines their findings point at ([`Page::forget_text_keeping`]): what
    /// later reads the pages (the locale rules, the type model, the
    /// report) needs no more. Off by default: callers that read the pages
    /// afterwards (`--fix`, a baseline, `run`, the tests' outlines) keep them.
    pub forget_texts: bool,
}

impl CheckOptions {
    /// Every page under `paths`, with no configuration.
    pub fn new(paths: Vec<PathBuf>) -> Self {
        CheckOptions {
            paths,
            ..CheckOptions::default()
        }
    }

    /// The options of `check` and `run` from their common arguments.
    pub(super) fn from_common(common: &Common, config: Config, selection: Selection) -> Self {
        CheckOptions {
            selection,
            paths: common.paths.clone(),
            config,
            locale_roots: common.locales.clone(),
            locale: LocaleOptions {
                source_locale: common.source_locale.clone(),
                pairs: common.pairs.clone(),
                roots: common.paths.clone(),
            },
            model: None,
            type_cache: None,
            forget_texts: false,
        }
    }
}

/// The pages read and what the static checks found in them.
#[derive(Debug)]
pub struct Checked {
    /// The configuration the check ran with.
    pub config: Config,
    /// The pages (less the excluded ones), in a stable order.
    pub(crate) loaded: Loaded,
    /// The findings: from [`check`] with the configuration and the pages'
    /// suppressions applied, from [`static_findings`] before.
    pub findings: Vec<Finding>,
    /// How many localized pages found their source-language page.
    pub paired: usize,
    /// Pages not checked (read only for the type model, or not at all
    /// when `--watch` kept the model) that findings name as related
    /// places: their text, so that the report can give those places' lines.
    pub(crate) related_sources: Vec<(Arc<str>, String)>,
    /// The type model the bodies were held to (`--watch` keeps it).
    pub(crate) model: Arc<crate::types::Model>,
}

impl Checked {
    /// The pages read, in a stable order.
    pub fn pages(&self) -> &[Page] {
        &self.loaded.pages
    }

    /// The report of `findings` (taken out of [`Checked::findings`], or
    /// joined with `run`'s) on these pages, ready to render.
    pub fn report(&self, command: Command, findings: Vec<Finding>) -> Report<'_> {
        let mut sources = config_sources(&self.config);
        sources.extend(self.related_sources.iter().cloned());
        let mut report = Report::new(command, &self.loaded.pages, sources, findings);
        if self.paired > 0 {
            report.summary.paired_pages = Some(self.paired);
        }
        report
    }
}

/// Reads the pages and runs every static rule: the page rules as each page
/// is read, then the locale rules across pages; then applies the pages'
/// suppressions and the configuration.
pub fn check(options: CheckOptions) -> Result<Checked, Fatal> {
    let mut checked = static_findings_with(options, Page::forget_page_rule_inputs)?;
    let mut stages = Stages::start("check");
    let findings = std::mem::take(&mut checked.findings);
    checked.findings = settle(findings, &checked.loaded.pages, &checked.config);
    // Grown by doubling, and held until the report is written (its peak).
    checked.findings.shrink_to_fit();
    stages.mark("suppressions and configuration applied");
    Ok(checked)
}

/// Every static finding before the configuration and the pages'
/// suppressions apply. `run` adds its own findings and then settles all
/// at once, so that a suppression used by one kind is not reported unused
/// by the other.
pub fn static_findings(options: CheckOptions) -> Result<Checked, Fatal> {
    static_findings_with(options, Page::forget_json_bodies)
}

/// [`static_findings`], forgetting of each page, once its page rules have
/// run, what `forget` forgets (`check` more than `run`, whose mock reads
/// the templates and the property tables).
fn static_findings_with(options: CheckOptions, forget: fn(&mut Page)) -> Result<Checked, Fatal> {
    let CheckOptions {
        paths,
        config,
        locale_roots,
        locale,
        selection,
        model,
        type_cache,
        forget_texts,
    } = options;
    let mut stages = Stages::start("check");
    let discover = DiscoverOptions {
        locale_roots,
        depth: crate::page::Depth::default(),
        exclude: config.exclude_set()?,
        selection,
        source_locale: Some(locale.source_locale.clone()),
    };
    // The page rules run on the thread that read the page, as soon as it is read.
    let version = config.version.as_deref();
    let keep = |mut page: Page, findings: &mut Vec<Finding>| {
        let found = crate::rules::check_page(&page, version);
        forget(&mut page);
        if forget_texts {
            // Held to the report, the texts are 46 MB of the corpus that
            // every later page would fault in afresh; dropped here, their
            // memory is the next page's (stage 1 97 -> 81 ms).
            let path = Arc::clone(&page.path);
            page.forget_text_keeping(found.iter().flat_map(|f| f.offsets_on(&path)));
        } else if !found.is_empty() {
            // Where the findings are: resolved here, in parallel, rather
            // than page by page when the report is written.
            page.lines();
        }
        findings.extend(found);
        page
    };
    let mut loaded = if forget_texts {
        discover::load_dropping(&paths, &discover, keep)
    } else {
        discover::load_with(&paths, &discover, keep)
    }
    .map_err(|e| Fatal(e.to_string()))?;
    stages.mark("pages read, page rules");
    let mut findings = std::mem::take(&mut loaded.findings);
    // The locale rules and the type model with its checks read the pages
    // only: side by side, so that neither's serial part leaves a core idle.
    let pages = &loaded.pages;
    let (locale_found, typed) = rayon::join(
        || {
            timings::part("check", "locale rules", || {
                crate::locale::check(pages, &locale)
            })
        },
        || {
            let kept = match model {
                Some(model) => Kept::Model(model),
                None => type_cache.map_or(Kept::Nothing, |c| Kept::Cache(Box::new(c))),
            };
            types_findings(pages, &paths, &discover, &locale.source_locale, kept)
        },
    );
    stages.mark("locale rules beside type model and checks");
    let (locale_findings, paired) = locale_found?;
    findings.extend(locale_findings);
    let Typed {
        findings: type_findings,
        model,
        defining,
    } = typed?;
    findings.extend(type_findings);
    let related_sources = related_sources(&findings, &loaded.pages, defining);
    Ok(Checked {
        config,
        loaded,
        findings,
        paired,
        related_sources,
        model,
    })
}

/// What the type stage gives: its findings, the model it held the bodies
/// to, and the pages a sliced run read only for the model.
struct Typed {
    findings: Vec<Finding>,
    model: Arc<crate::types::Model>,
    defining: Vec<Page>,
}

/// What the type stage starts from besides the pages.
enum Kept {
    /// The model `--watch` kept.
    Model(Arc<crate::types::Model>),
    /// The cache of what each page defines (`--changed-since`).
    Cache(Box<TypeCache>),
    Nothing,
}

/// The type model's findings: every example body of `pages` held to the
/// docs set's resource types (`kept`: the model `--watch` kept, or the
/// type cache of a `--changed-since` run).
fn types_findings(
    pages: &[Page],
    paths: &[PathBuf],
    discover: &DiscoverOptions,
    source_locale: &str,
    kept: Kept,
) -> Result<Typed, Fatal> {
    let mut defining = Vec::new();
    let kept = match (kept, &discover.selection.changed) {
        (Kept::Model(model), _) => Some(model),
        (Kept::Cache(cache), Some(changed)) => {
            crate::types::cache::model(cache.prepared, source_locale, &cache.revision, changed)
                .map(|cached| Arc::new(cached.model))
        }
        _ => None,
    };
    let model = if let Some(model) = kept {
        model
    } else if discover.selection.changed.is_none() && discover.selection.shard.is_none() {
        timings::part("check", "type model", || {
            Arc::new(crate::types::Model::build_for(pages, source_locale))
        })
    } else {
        // A slice of the pages still holds its bodies to the whole docs
        // set's types: the pages that define types are read for the model
        // (and only kept when they do), so that shards merge into the
        // single run's report and a changed page meets every type.
        // The source locale's pages first (the model is theirs); a docs
        // set without any falls back to every locale, as the whole run does.
        let read_defining = |only: Option<String>| {
            discover::load_with(paths, &for_types(discover, only), |page, _| {
                page.types.is_some().then_some(page)
            })
            .map(|loaded| loaded.pages.into_iter().flatten().collect::<Vec<Page>>())
            .map_err(|e| Fatal(e.to_string()))
        };
        defining = read_defining(Some(source_locale.to_owned()))?;
        if defining.is_empty() {
            defining = read_defining(None)?;
        }
        Arc::new(crate::types::Model::build_for(&defining, source_locale))
    };
    Ok(Typed {
        findings: timings::part("check", "type checks", || {
            crate::types::check(pages, &model)
        }),
        model,
        defining,
    })
}

/// How the type model reads the pages `discover` finds: only those of
/// `locale` (all with `None`), only as far as their type documentation.
fn for_types(discover: &DiscoverOptions, locale: Option<String>) -> DiscoverOptions {
    DiscoverOptions {
        selection: Selection {
            locale,
            ..Selection::default()
        },
        depth: crate::page::Depth::Types,
        // Read for the model: each page keeps what it reads.
        source_locale: None,
        ..discover.clone()
    }
}

/// How the type model of `check` and `run` reads the source locale's pages,
/// for the type cache, which lists them while git diffs: only with
/// `--changed-since` (no other run has a cache).
pub(super) fn types_discover(
    common: &Common,
    gate: &crate::cli::GateArgs,
    config: &Config,
) -> Result<Option<DiscoverOptions>, Fatal> {
    if gate.changed_since.is_none() {
        return Ok(None);
    }
    let discover = DiscoverOptions {
        locale_roots: common.locales.clone(),
        exclude: config.exclude_set()?,
        ..DiscoverOptions::default()
    };
    Ok(Some(for_types(
        &discover,
        Some(common.source_locale.clone()),
    )))
}

/// The text of the pages that findings name as related places but that
/// were not checked (read only for the type model, or not at all when
/// `--watch` kept the model), so that the report can give their lines.
///
/// A related place's path is nearly always a checked page's own `Arc`
/// (cloned, not rebuilt): it is known checked by the address of its text,
/// and only the other paths are compared by text, with the checked pages'
/// paths hashed for it only then (hashing all of them was most of this
/// step: 2 ms on the corpus, between the cross-page stage and the report).
fn related_sources(
    findings: &[Finding],
    checked: &[Page],
    defining: Vec<Page>,
) -> Vec<(Arc<str>, String)> {
    use rustc_hash::{FxHashMap, FxHashSet};
    let named: FxHashSet<&str> = findings
        .iter()
        .flat_map(|f| f.related.iter().map(|r| &*r.path))
        .collect();
    if named.is_empty() {
        return Vec::new();
    }
    let by_address: FxHashSet<(usize, usize)> = checked.iter().map(|p| text_at(&p.path)).collect();
    let mut unmatched: FxHashSet<&str> = named
        .into_iter()
        .filter(|path| !by_address.contains(&text_at(path)))
        .collect();
    if unmatched.is_empty() {
        return Vec::new();
    }
    let by_text: FxHashSet<&str> = checked.iter().map(|p| &*p.path).collect();
    unmatched.retain(|path| !by_text.contains(path));
    let mut defining: FxHashMap<Arc<str>, String> = defining
        .into_iter()
        .filter(|p| unmatched.contains(&*p.path))
        .map(|p| (p.path, p.text))
        .collect();
    unmatched
        .into_iter()
        .filter_map(|path| {
            // Read for the model, or (a kept model) read now from disk.
            let text = defining
                .remove(path)
                .or_else(|| std::fs::read_to_string(path).ok())?;
            Some((Arc::from(path), text))
        })
        .collect()
}

/// Where a text lives and how long it is: two `str`s with the same are
/// the same text.
fn text_at(s: &str) -> (usize, usize) {
    (s.as_ptr() as usize, s.len())
}

/// Applies the pages' suppressions (reporting unknown and unused ones) and
/// the configuration (rules off or re-levelled).
pub(crate) fn settle(findings: Vec<Finding>, pages: &[Page], config: &Config) -> Vec<Finding> {
    let mut findings = crate::suppressions::apply(findings, pages);
    config.apply(&mut findings);
    findings
}

/// The configuration file as a source of findings, so positions resolve.
fn config_sources(config: &Config) -> Vec<(Arc<str>, String)> {
    config
        .path
        .as_ref()
        .and_then(|p| {
            std::fs::read_to_string(p)
                .ok()
                .map(|t| (Arc::from(p.to_string_lossy().as_ref()), t))
        })
        .into_iter()
        .collect()
}

/// One page from text (an editor's buffer) as `check` would check it on
/// its own: the page rules, then the page's suppressions and the
/// configuration. The locale rules need the page's partners and are left out.
pub fn check_text(path: Arc<str>, text: String, config: &Config) -> (Page, Vec<Finding>) {
    let page = Page::from_text(path, text, None);
    let found = crate::rules::check_page(&page, config.version.as_deref());
    let findings = settle(found, std::slice::from_ref(&page), config);
    (page, findings)
}

pub(super) fn run(args: &CheckArgs) -> Result<u8, Fatal> {
    if args.fix.watch {
        return super::watch::run(args);
    }
    run_selected(args, None, &mut None)
}

/// `check`, on the pages `changed` names (and their locale partners) when
/// given (`--watch`), else on the pages the arguments select. `model` is the
/// type model to use, if the caller holds one; it then holds the one used.
pub(super) fn run_selected(
    args: &CheckArgs,
    changed: Option<std::collections::HashSet<PathBuf>>,
    model: &mut Option<Arc<crate::types::Model>>,
) -> Result<u8, Fatal> {
    let common = &args.common;
    let config = config(common)?;
    let types = types_discover(common, &args.gate, &config)?;
    let (mut gate, mut selection) = Gate::new(
        &args.gate,
        &common.paths,
        common.format == Format::Github,
        types.as_ref(),
    )?;
    if changed.is_some() {
        selection.changed = changed;
    }
    let mut options = CheckOptions::from_common(common, config, selection);
    options.model = model.take();
    options.type_cache = gate.type_cache();
    // `--fix` settles the findings itself (before and after its edits).
    let settled = args.fix.fix || args.fix.diff;
    // `--fix` edits the texts, and a baseline reads them.
    options.forget_texts = !settled && !gate.reads_page_texts();
    let mut checked = if settled {
        let which = if args.fix.unsafe_fixes {
            Fixes::All
        } else {
            Fixes::Safe
        };
        let locale = options.locale.clone();
        let mut checked = static_findings_with(options, Page::forget_page_rule_inputs)?;
        let raw = std::mem::take(&mut checked.findings);
        let outcome = fix::fix(checked, raw, &locale, which)?;
        if args.fix.diff {
            // As ruff: the diff alone, and exit 1 when there is something to fix.
            let mut out = super::output(common.output.as_deref())?;
            super::written(
                out.write_all(fix::diff(&outcome.changed).as_bytes())
                    .and_then(|()| out.flush()),
            )?;
            if !outcome.changed.is_empty() {
                eprint!("{}", fix::summary(&outcome.changed, "would fix"));
            }
            return Ok(u8::from(!outcome.changed.is_empty()));
        }
        fix::write(&outcome.changed)?;
        if !outcome.changed.is_empty() {
            eprint!("{}", fix::summary(&outcome.changed, "fixed"));
        }
        outcome.checked
    } else {
        static_findings_with(options, Page::forget_page_rule_inputs)?
    };
    let mut stages = Stages::start("check");
    *model = Some(Arc::clone(&checked.model));
    let findings = std::mem::take(&mut checked.findings);
    let shared = &checked;
    // The JSON report's page entries depend on the pages only: rendered
    // beside the settling, the gate and the sorting of the findings, which
    // are serial and would leave the other cores idle.
    let (made, pages) = rayon::join(
        || -> Result<_, Fatal> {
            let mut findings = if settled {
                findings
            } else {
                let mut findings = settle(findings, &shared.loaded.pages, &shared.config);
                // Grown by doubling, and held until the report is written (its peak).
                findings.shrink_to_fit();
                stages.mark("suppressions and configuration applied");
                findings
            };
            let (safe, unsafe_) = fix::fixable(&findings);
            let fixed = gate.apply(
                &mut findings,
                &shared.loaded.pages,
                &[Scope::Check, Scope::Locale],
            )?;
            let mut report = shared.report(Command::Check, findings);
            gate::record(&mut report, fixed);
            let mut options = report_options(&shared.config);
            gate.report_options(&shared.loaded.pages, &mut options);
            stages.mark("gate applied, report made");
            Ok((report, options, (safe, unsafe_)))
        },
        || {
            (common.format == Format::Json)
                .then(|| crate::report::json::pages(&shared.loaded.pages))
        },
    );
    let (report, options, (safe, unsafe_)) = made?;
    emit_with(
        &report,
        &options,
        common.format,
        common.output.as_deref(),
        pages,
    )?;
    stages.mark("report written");
    let code = report.exit_code();
    if common.format == Format::Human && (safe > 0 || unsafe_ > 0 && !args.fix.unsafe_fixes) {
        eprintln!("{}", fixable_hint(safe, unsafe_, args.fix.unsafe_fixes));
    }
    if !args.fix.watch {
        // Freeing every page one by one costs more than the exit does.
        std::mem::forget(report);
        std::mem::forget(checked);
    }
    Ok(code)
}

/// "2 findings are fixable with `--fix` (1 more with `--unsafe-fixes`)."
fn fixable_hint(safe: usize, unsafe_: usize, unsafe_on: bool) -> String {
    let mut hint = match safe {
        0 => "No finding is fixable with `--fix`".to_owned(),
        1 => "1 finding is fixable with `--fix`".to_owned(),
        n => format!("{n} findings are fixable with `--fix`"),
    };
    if unsafe_ > 0 && !unsafe_on {
        hint.push_str(&format!(" ({unsafe_} more with `--fix --unsafe-fixes`)"));
    }
    hint.push('.');
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A related place on a checked page (its own `Arc`, or another
    /// allocation of its path) needs no source; one on a page read only
    /// for the type model gives that page's text; one on a file not read
    /// is read from disk; one on no file is left out.
    #[test]
    fn related_sources_are_the_pages_named_but_not_checked() {
        let dir = tempfile::tempdir().expect("a folder");
        let on_disk = dir.path().join("disk.md");
        std::fs::write(&on_disk, "on disk\n").expect("written");
        let on_disk = on_disk.to_string_lossy().into_owned();
        let page = |path: &str, text: &str| Page::from_text(Arc::from(path), text.into(), None);
        let checked = [page("a.md", "a\n"), page("b.md", "b\n")];
        let defining = vec![page("model.md", "model\n"), page("other.md", "other\n")];
        let mut finding = Finding::new(
            &crate::discover::UNREADABLE_PAGE,
            &checked[0].path,
            0..1,
            "m",
        );
        for path in [&checked[1].path, &Arc::from("a.md"), &Arc::from("model.md")] {
            finding.relate(path, 0..1, "here");
        }
        let mut second = finding.clone();
        second.related.clear();
        second.relate(&Arc::from(on_disk.as_str()), 0..1, "there");
        second.relate(&Arc::from("nowhere.md"), 0..1, "nowhere");
        let mut sources = related_sources(&[finding, second], &checked, defining);
        sources.sort();
        let expected = [(on_disk.as_str(), "on disk\n"), ("model.md", "model\n")];
        let mut expected: Vec<(Arc<str>, String)> = expected
            .into_iter()
            .map(|(p, t)| (Arc::from(p), t.to_owned()))
            .collect();
        expected.sort();
        assert_eq!(sources, expected);
        assert!(related_sources(&[], &checked, Vec::new()).is_empty());
    }
}
