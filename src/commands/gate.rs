//! What makes `check` and `run` a gate a docs team keeps switched on: only
//! the pages a pull request changed (`--changed-since`), one slice of a CI
//! matrix (`--shard`), and a baseline of accepted findings (`--baseline`,
//! `--write-baseline`) so that only new ones fail.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Fatal;
use crate::baseline::{Baseline, Entry};
use crate::cli::GateArgs;
use crate::discover::DiscoverOptions;
use crate::discover::Selection;
use crate::finding::Finding;
use crate::git::{Changes, Revision};
use crate::page::Page;
use crate::report::{Options, Report};
use crate::rule::Scope;
use crate::types::cache::{self, CacheDir};

/// The gate's settings for one run.
pub(super) struct Gate {
    changes: Option<Changes>,
    /// The type cache's listing of the base, made with the diff.
    prepared: Option<cache::Prepared>,
    baseline: Option<PathBuf>,
    write: Option<PathBuf>,
}

impl Gate {
    /// Reads what changed (when asked) and says which pages to read.
    /// `lines`: the output shows only changed lines, so read them. `types`:
    /// how the type model reads pages, for its cache (none for `merge`).
    pub(super) fn new(
        args: &GateArgs,
        paths: &[PathBuf],
        lines: bool,
        types: Option<&DiscoverOptions>,
    ) -> Result<(Gate, Selection), Fatal> {
        let mut prepared = None;
        let changes = match &args.changed_since {
            None => None,
            Some(rev) => {
                // The type cache lists the base's files while git diffs.
                let (changes, ready) = crate::git::changed_since_with(
                    rev,
                    &repository_dir(paths),
                    lines,
                    |top, base| {
                        let types = types?;
                        let dir = CacheDir::from_env(args.no_cache);
                        cache::prepare(paths, types, top, base, &dir).ok()
                    },
                )?;
                prepared = ready;
                Some(changes)
            }
        };
        let selection = Selection {
            locale: None,
            changed: changes.as_ref().map(|c| c.files.clone()),
            shard: args.shard,
        };
        if let Some(path) = &args.baseline {
            if !path.is_file() && args.write_baseline.as_ref() != Some(path) {
                return Err(Fatal(format!(
                    "--baseline: {} does not exist; write it first with --write-baseline {}",
                    path.display(),
                    path.display()
                )));
            }
        }
        Ok((
            Gate {
                changes,
                prepared,
                baseline: args.baseline.clone(),
                write: args.write_baseline.clone(),
            },
            selection,
        ))
    }

    /// Whether the gate reads the pages' text (a baseline's fingerprints
    /// name a finding's table row by its text), which `check` then keeps.
    pub(super) fn reads_page_texts(&self) -> bool {
        self.baseline.is_some() || self.write.is_some()
    }

    /// Writes the baseline when asked, then marks the findings it records
    /// as known; returns the entries no longer seen.
    pub(super) fn apply(
        &self,
        findings: &mut [Finding],
        pages: &[Page],
        scopes: &[Scope],
    ) -> Result<Option<Vec<Entry>>, Fatal> {
        let mut baseline = match &self.baseline {
            Some(path) if path.is_file() => Some(Baseline::read(path)?),
            _ => None,
        };
        if let Some(path) = &self.write {
            let previous = if baseline.is_some() && self.baseline.as_ref() == Some(path) {
                baseline.clone()
            } else if path.is_file() {
                Baseline::read(path).ok()
            } else {
                None
            };
            let written = Baseline::of(findings, pages, previous.as_ref());
            written.write(path)?;
            // What was just recorded is known: this run passes.
            baseline = Some(written);
        }
        Ok(baseline.map(|b| b.apply(findings, pages, scopes)))
    }

    /// Where a `--changed-since` run keeps the type model's pages between
    /// runs, and the revision their blobs are read at.
    pub(super) fn type_cache(&mut self) -> Option<TypeCache> {
        let prepared = self.prepared.take()?;
        let changes = self.changes.as_mut()?;
        Some(TypeCache {
            // Only the type cache reads the revision.
            revision: std::mem::take(&mut changes.revision),
            prepared,
        })
    }

    /// The lines each changed page's change touched, by the page's path.
    pub(super) fn report_options(&self, pages: &[Page], options: &mut Options) {
        let Some(changes) = &self.changes else {
            return;
        };
        let mut lines = HashMap::new();
        for page in pages {
            let Ok(absolute) = std::fs::canonicalize(&*page.path) else {
                continue;
            };
            if changes.files.contains(&absolute) {
                lines.insert(page.path.to_string(), changes.lines.get(&absolute).cloned());
            }
        }
        options.changed_lines = Some(lines);
    }
}

/// The type cache of a `--changed-since` run (see `types::cache`).
#[derive(Debug)]
pub(crate) struct TypeCache {
    pub revision: Revision,
    pub prepared: cache::Prepared,
}

/// Counts the baseline's verdict into the report.
pub(super) fn record(report: &mut Report, fixed: Option<Vec<Entry>>) {
    let Some(fixed) = fixed else {
        return;
    };
    let known = report.findings.iter().filter(|f| f.known).count();
    report.summary.known = Some(known);
    report.summary.new = Some(report.findings.len() - known);
    report.summary.fixed = Some(fixed.iter().map(|e| e.count).sum());
    report.fixed = fixed;
}

/// The folder whose repository `--changed-since` reads: that of the first path.
fn repository_dir(paths: &[PathBuf]) -> PathBuf {
    let first = paths.first().map_or(Path::new("."), PathBuf::as_path);
    let dir = if first.is_dir() {
        first
    } else {
        first.parent().unwrap_or(Path::new("."))
    };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    }
}
