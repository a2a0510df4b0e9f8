//! The type model of a `--changed-since` run without reading every
//! resource page: what each page defines is kept between runs in a cache
//! keyed by the page's git blob id, so that a pull request's check reads
//! only the pages it changed (and those the cache does not hold yet).
//!
//! Why git's blob ids: every file of the base revision that the change did
//! not touch is, in the working tree, that blob (git has just compared
//! them to list the change), so `git ls-tree` names the content of every
//! unchanged page without a file being opened or hashed, and a cache made
//! on one machine (restored in CI) holds on another. The changed pages are
//! read and sniffed as a whole run reads them; nothing else differs, and a
//! test holds the model equal to the one built from every page.
//!
//! The cache also keeps the base's listing (its pages as a walk places
//! them, with their blobs), so that the next run against the same base
//! lists nothing, and a run against another base (the next commit, or a
//! pull request's base in CI) asks git only how the two trees differ
//! (`git diff --raw`), not for every file of the tree.
//!
//! The cache is `.exemplar_cache/` in the repository's top folder (as
//! `.ruff_cache`: it ignores itself for git and tags itself for backup
//! tools), or `EXEMPLAR_CACHE_DIR`. It is a hint: a cache that is missing,
//! unreadable, written by another build or damaged is rebuilt, never an
//! error.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::model::{Model, PageDefs};
use crate::discover::{self, DiscoverOptions, Listed};
use crate::git::{Became, Revision};

/// The layout of the stored file; raised when it changes.
const FORMAT: u32 = 2;

/// The cache file below the cache folder.
const FILE: &str = "types-v1.bin";

/// One page of the base revision's listing, and what it defines.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Row {
    /// Below the repository's top folder, `/`-separated.
    rel: String,
    /// The page's path as the walk gives it.
    display: String,
    /// Which root it is found below.
    root: u32,
    /// The locale its folders name (a `--locale` root may name another:
    /// part of the key, as the page's locale decides what it defines).
    folder_locale: Option<String>,
    /// Its blob at the base (`None`: a symbolic link, read through).
    blob: Option<String>,
    /// What the page as that blob defines, once it was read.
    known: Option<Known>,
}

/// What reading a page told the type model.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Known {
    /// The page's locale, its folders' or its front matter's.
    locale: Option<String>,
    /// Does the page document types (then it stands in the model)?
    types: bool,
    defs: Option<PageDefs>,
}

/// The stored file: the listing of one base revision, made with one set of
/// roots and options, so that a run against the same base lists nothing
/// (and a run against another asks git only how the two trees differ).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Stored {
    format: u32,
    /// The exemplar build that wrote it: another build may read pages otherwise.
    build: String,
    /// The roots and options the rows were listed with.
    listing: String,
    /// The commit the rows' blobs are of.
    base: String,
    rows: Vec<Row>,
}

/// Where the cache lives, or that there is none (`--no-cache`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CacheDir {
    /// `.exemplar_cache` in the repository's top folder.
    Default,
    At(PathBuf),
    Off,
}

/// The model and how it was made.
#[derive(Debug)]
// `read` and `hits` are what the tests hold the cache to.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Cached {
    pub model: Model,
    /// Pages read from disk (changed, new to the cache, or not cacheable).
    pub read: usize,
    /// Pages the cache stood in for.
    pub hits: usize,
    /// How the base's pages were listed.
    pub listing: Listing,
    /// The model merged while git compared served (no page that changed
    /// defines types).
    pub assumed: bool,
}

/// How [`prepare`] came by the base's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// The cache's own: the same base and roots.
    Kept,
    /// The cache's, moved to this base by how the two trees differ.
    Moved,
    /// Every file of the base's tree, from git.
    Listed,
}

/// What is known of the base revision before git has said what changed
/// since: its pages below the roots as a walk places them, each with its
/// blob and what the cache knows of it. Made while git compares the
/// working tree (`git::changed_since_with`), so that neither waits for the
/// other.
#[derive(Debug)]
pub(crate) struct Prepared {
    roots: Vec<PathBuf>,
    /// How the type model reads pages (the source locale's, `Depth::Types`).
    options: DiscoverOptions,
    /// Canonical roots.
    canonical: Vec<PathBuf>,
    top: PathBuf,
    listing: String,
    base: String,
    /// The base's pages, in the walk's order.
    rows: Vec<Row>,
    how: Listing,
    /// The model of the rows as the cache knows them, merged while git
    /// still compares: the model when no page that changed defines types.
    assumed: Option<Model>,
    /// The cache file (`None`: `--no-cache`).
    path: Option<PathBuf>,
}

/// Lists the pages git tracks at `base` below `roots` (in the repository
/// at `top`) as the type model reads them (`options`: the source locale's
/// pages at `Depth::Types`), with what the cache knows of each. A cache of
/// the same listing serves as it is (the same base) or updated by how the
/// base's tree differs from its own (another base); else git lists the
/// base's whole tree.
pub(crate) fn prepare(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    top: &Path,
    base: &str,
    dir: &CacheDir,
) -> Result<Prepared, String> {
    let path = match dir {
        CacheDir::Off => None,
        CacheDir::At(dir) => Some(dir.join(FILE)),
        CacheDir::Default => Some(default_dir(top).join(FILE)),
    };
    let canonical: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let listing = listing_key(roots, &canonical, options);
    let stored = path.as_deref().and_then(read);
    // The stored rows as they are, moved to this base, or (another
    // listing, a base this clone lacks, no cache) what they knew of blobs.
    let served = match stored {
        Some(stored) if stored.listing == listing && stored.base == base => {
            Ok((stored.rows, Listing::Kept))
        }
        Some(stored) if stored.listing == listing => moved(
            roots,
            options,
            top,
            &canonical,
            &stored.base,
            base,
            stored.rows,
        )
        .map(|rows| (rows, Listing::Moved)),
        stored => Err(stored.map(|s| s.rows).unwrap_or_default()),
    };
    let (rows, how) = match served {
        Ok(served) => served,
        Err(known) => (
            list(roots, options, top, &canonical, base, known)?,
            Listing::Listed,
        ),
    };
    let assumed = options
        .selection
        .locale
        .as_deref()
        .and_then(|source| assume(&rows, source));
    Ok(Prepared {
        roots: roots.to_vec(),
        options: options.clone(),
        canonical,
        top: top.to_path_buf(),
        listing,
        base: base.to_owned(),
        rows,
        how,
        assumed,
        path,
    })
}

/// The model of the rows the cache knows to document types, in order.
fn assume(rows: &[Row], source: &str) -> Option<Model> {
    let defining: Vec<(Option<String>, Option<PageDefs>)> = rows
        .iter()
        .filter_map(|row| {
            let known = row.known.as_ref().filter(|k| k.types)?;
            let shown: Arc<str> = Arc::from(row.display.as_str());
            Some((
                known.locale.clone(),
                known.defs.clone().map(|d| d.placed(&shown)),
            ))
        })
        .collect();
    (!defining.is_empty()).then(|| Model::from_defs(defining, source))
}

/// What a listing depends on: the roots as given (the walk shows paths as
/// they are spelled) and as they are, and the options that place a file.
fn listing_key(roots: &[PathBuf], canonical: &[PathBuf], options: &DiscoverOptions) -> String {
    let exclude = options.exclude.as_ref().map(|e| &e.patterns);
    format!(
        "{roots:?} {canonical:?} {:?} {:?} {:?} {exclude:?}",
        options.locale_roots, options.depth, options.selection.locale
    )
}

/// The base's pages from `git ls-tree`, each with what `known` (rows of
/// another listing) knew of its blob.
fn list(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    top: &Path,
    canonical: &[PathBuf],
    base: &str,
    known: Vec<Row>,
) -> Result<Vec<Row>, String> {
    let tracked = crate::git::tree(top, base, canonical, in_locale(options))?;
    let (files, blobs): (Vec<PathBuf>, Vec<Option<String>>) =
        tracked.into_iter().map(|t| (t.path, t.blob)).unzip();
    let mut known: HashMap<String, Row> = known
        .into_iter()
        .filter(|r| r.known.is_some())
        .map(|r| (r.rel.clone(), r))
        .collect();
    Ok(discover::listed(roots, options, &files)
        .into_iter()
        .map(|l| {
            let mut row = row(&l, top, &files, blobs[l.file].clone());
            row.known = known
                .remove(&row.rel)
                .filter(|k| k.blob == row.blob && k.folder_locale == row.folder_locale)
                .and_then(|k| k.known);
            row
        })
        .collect())
}

/// The rows of the base `from` made the rows of `to`, from how the two
/// trees differ; the rows as they were when git cannot say.
fn moved(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    top: &Path,
    canonical: &[PathBuf],
    from: &str,
    to: &str,
    mut rows: Vec<Row>,
) -> Result<Vec<Row>, Vec<Row>> {
    let Ok(changes) = crate::git::tree_diff(top, from, to, canonical, in_locale(options)) else {
        return Err(rows);
    };
    let mut changes: HashMap<String, (PathBuf, Became, bool)> = changes
        .into_iter()
        .map(|(path, after)| (relative(top, &path), (path, after, false)))
        .collect();
    rows.retain_mut(|row| {
        let Some((_, after, seen)) = changes.get_mut(&row.rel) else {
            return true;
        };
        *seen = true;
        row.known = None;
        match after {
            Became::File(blob) => row.blob = Some(blob.clone()),
            Became::Link => row.blob = None,
            Became::Gone => return false,
        }
        true
    });
    // New since (as files): placed as a walk places them.
    let (added, blobs): (Vec<PathBuf>, Vec<Option<String>>) = changes
        .into_values()
        .filter(|(_, _, seen)| !seen)
        .filter_map(|(path, after, _)| match after {
            Became::File(blob) => Some((path, Some(blob))),
            Became::Link => Some((path, None)),
            Became::Gone => None,
        })
        .unzip();
    if !added.is_empty() {
        rows.extend(
            discover::listed(roots, options, &added)
                .iter()
                .map(|l| row(l, top, &added, blobs[l.file].clone())),
        );
        sort(&mut rows);
    }
    Ok(rows)
}

/// A listed page as a row (nothing known of it yet).
fn row(listed: &Listed, top: &Path, files: &[PathBuf], blob: Option<String>) -> Row {
    Row {
        rel: relative(top, &files[listed.file]),
        display: listed.path.to_string(),
        root: root_of(listed),
        folder_locale: listed.locale.clone(),
        blob,
        known: None,
    }
}

/// The root a listed page was found below, as a row holds it.
fn root_of(listed: &Listed) -> u32 {
    u32::try_from(listed.root()).unwrap_or(u32::MAX)
}

/// The walk's order (`discover::sort_listed`: by root, then by path): below
/// one root every path starts alike, so their paths below the top compare
/// as the walk's do.
fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| (a.root, a.rel.as_bytes()).cmp(&(b.root, b.rel.as_bytes())));
}

/// A path below the top folder, `/`-separated.
fn relative(top: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(top).unwrap_or(file);
    rel.to_string_lossy().replace('\\', "/")
}

/// git lists a folder's files together: one locale verdict a folder.
fn in_locale(options: &DiscoverOptions) -> impl FnMut(&str) -> bool + '_ {
    let mut last: Option<(String, bool)> = None;
    move |path: &str| {
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        match &last {
            Some((f, keep)) if f == folder => *keep,
            _ => {
                let keep = !discover::of_other_locale(path, options);
                last = Some((folder.to_owned(), keep));
                keep
            }
        }
    }
}

/// Where a page of the working tree comes from.
enum Slot {
    /// Row `n` of the base, as the cache knows it.
    Known(usize),
    /// The `n`-th page read now.
    Read(usize),
}

/// The type model of the pages below the roots as they are in the working
/// tree, read as [`prepare`] listed them: built from the cache where a
/// page is unchanged since `revision`, else from the page. `changed` are
/// the files changed since (absolute, canonical). `None` when no such page
/// documents types (the caller falls back to every locale's pages, as a
/// whole run does).
pub(crate) fn model(
    prepared: Prepared,
    source: &str,
    revision: &Revision,
    changed: &HashSet<PathBuf>,
) -> Option<Cached> {
    let Prepared {
        roots,
        options,
        canonical,
        top,
        listing,
        base,
        mut rows,
        how,
        assumed,
        path,
    } = prepared;
    let deleted: HashSet<String> = revision.deleted.iter().map(|f| relative(&top, f)).collect();
    let changed_rel: HashSet<String> = changed.iter().map(|f| relative(&top, f)).collect();
    // The working tree's pages: the base's (less the deleted), each from
    // the cache or read (changed since, a link, or not known yet) ...
    let mut slots: Vec<(u32, &str, Slot)> = Vec::with_capacity(rows.len());
    // The pages to read, the root each is read below, and the row that
    // learns what it defines (none when it is not the base's blob).
    let (mut files, mut below, mut learn) = (Vec::new(), Vec::new(), Vec::new());
    // The changed files that are rows (the others were added since).
    let mut changed_rows: HashSet<&str> = HashSet::new();
    // Does a page the assumed model holds leave it (deleted, or read now)?
    let mut left = false;
    for (n, row) in rows.iter().enumerate() {
        let defined = row.known.as_ref().is_some_and(|k| k.types);
        if deleted.contains(&row.rel) {
            left |= defined;
            continue;
        }
        let fresh = changed_rel.contains(&row.rel);
        if fresh {
            changed_rows.insert(&row.rel);
        }
        let slot = if row.known.is_some() && row.blob.is_some() && !fresh {
            Slot::Known(n)
        } else {
            left |= defined;
            files.push(top.join(&row.rel));
            below.push(row.root);
            // A page read because it changed is not the blob's: not kept.
            learn.push((row.blob.is_some() && !fresh).then_some(n));
            Slot::Read(files.len() - 1)
        };
        slots.push((row.root, &row.rel, slot));
    }
    // ... and those added since, placed as the others.
    let added: Vec<PathBuf> = changed
        .iter()
        .filter(|f| canonical.iter().any(|r| f.starts_with(r)))
        .filter(|f| !changed_rows.contains(relative(&top, f).as_str()))
        .cloned()
        .collect();
    let added_listed = discover::listed(&roots, &options, &added);
    let added_rels: Vec<String> = added_listed
        .iter()
        .map(|l| relative(&top, &added[l.file]))
        .collect();
    for (l, rel) in added_listed.iter().zip(&added_rels) {
        files.push(added[l.file].clone());
        below.push(root_of(l));
        learn.push(None);
        slots.push((root_of(l), rel, Slot::Read(files.len() - 1)));
    }
    if !added_listed.is_empty() {
        slots.sort_by(|a, b| (a.0, a.1.as_bytes()).cmp(&(b.0, b.1.as_bytes())));
    }
    // The pages to read, placed under the root their row names.
    let placed = discover::listed(&roots, &options, &files);
    let mut reading: Vec<Option<&Listed>> = vec![None; files.len()];
    for l in &placed {
        if root_of(l) == below[l.file] {
            reading[l.file] = Some(l);
        }
    }
    let wanted: Vec<&Listed> = reading.iter().flatten().copied().collect();
    let mut read_now = discover::read_listed(&wanted, &options, |page| Known {
        locale: page.locale.clone(),
        types: page.types.is_some(),
        defs: PageDefs::of(&page),
    })
    .into_iter();
    let read = wanted.len();
    let mut now: Vec<Option<Known>> = reading
        .iter()
        .map(|l| l.and_then(|_| read_now.next().flatten()))
        .collect();
    let shown: Vec<Option<Arc<str>>> = reading
        .iter()
        .map(|l| l.map(|l| Arc::clone(&l.path)))
        .collect();
    let hits = slots
        .iter()
        .filter(|(_, _, s)| matches!(s, Slot::Known(_)))
        .count();
    let slots: Vec<Slot> = slots.into_iter().map(|(_, _, s)| s).collect();
    // What was read of the base's blobs is kept for the next run.
    let mut learnt = false;
    for (k, n) in learn.iter().enumerate() {
        if let (Some(n), Some(known)) = (n, &now[k]) {
            rows[*n].known = Some(known.clone());
            learnt = true;
        }
    }
    if let Some(path) = path.filter(|_| learnt || how != Listing::Kept) {
        let stored = Stored {
            format: FORMAT,
            build: build(),
            listing,
            base,
            rows,
        };
        write(&path, &stored);
        rows = stored.rows;
    }
    // No page left the assumed model and none read now joins it: it is
    // the model (the rows and pages read are the pages it was made of).
    let joined = now.iter().flatten().any(|k| k.types);
    if let Some(model) =
        assumed.filter(|_| !left && !joined && options.selection.locale.as_deref() == Some(source))
    {
        return Some(Cached {
            model,
            read,
            hits,
            listing: how,
            assumed: true,
        });
    }
    let defining: Vec<(Option<String>, Option<PageDefs>)> = slots
        .into_iter()
        .filter_map(|slot| {
            let (known, shown) = match slot {
                Slot::Known(n) => {
                    let row = &mut rows[n];
                    (row.known.take()?, Arc::from(row.display.as_str()))
                }
                Slot::Read(k) => (now[k].take()?, shown[k].clone()?),
            };
            known
                .types
                .then(|| (known.locale, known.defs.map(|d| d.placed(&shown))))
        })
        .collect();
    if defining.is_empty() {
        return None;
    }
    Some(Cached {
        model: Model::from_defs(defining, source),
        read,
        hits,
        listing: how,
        assumed: false,
    })
}

/// `.exemplar_cache` in the repository's top folder.
fn default_dir(top: &Path) -> PathBuf {
    top.join(".exemplar_cache")
}

impl CacheDir {
    /// Where the cache is: `EXEMPLAR_CACHE_DIR`, else the default; none with `off`.
    pub(crate) fn from_env(off: bool) -> CacheDir {
        if off {
            return CacheDir::Off;
        }
        std::env::var_os("EXEMPLAR_CACHE_DIR")
            .filter(|d| !d.is_empty())
            .map_or(CacheDir::Default, |d| CacheDir::At(PathBuf::from(d)))
    }
}

/// The stored listing, when there is a usable cache.
fn read(path: &Path) -> Option<Stored> {
    let bytes = std::fs::read(path).ok()?;
    let stored = postcard::from_bytes::<Stored>(&bytes).ok()?;
    (stored.format == FORMAT && stored.build == build()).then_some(stored)
}

/// Writes the cache whole (to a temporary file renamed over it, so that a
/// run stopped half-way or a concurrent run never leaves half a file). A
/// cache that cannot be written is left unwritten: it is a hint.
fn write(path: &Path, stored: &Stored) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // As `.ruff_cache`: git ignores it, and backup tools know it for a cache.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(&ignore, "# Written by exemplar.\n*\n");
        let _ = std::fs::write(
            dir.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by exemplar.\n",
        );
    }
    let Ok(bytes) = postcard::to_stdvec(stored) else {
        return;
    };
    let temporary = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    if std::fs::write(&temporary, bytes).is_ok() && std::fs::rename(&temporary, path).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

/// Which exemplar wrote a cache: its version and its binary's size and
/// time, so that a rebuilt binary, whose page reading may differ, does not
/// read an older one's definitions.
fn build() -> String {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILD
        .get_or_init(|| {
            let binary = std::env::current_exe()
                .and_then(std::fs::metadata)
                .map(|m| {
                    let time = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    format!("{}/{time}", m.len())
                })
                .unwrap_or_default();
            format!("{} {binary}", env!("CARGO_PKG_VERSION"))
        })
        .clone()
}

/// The pages the cache knows (for tests): (path, blob) of each.
#[cfg(test)]
fn stored_keys(path: &Path) -> Vec<(String, String)> {
    let mut keys: Vec<_> = read(path)
        .map(|s| s.rows)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.known.is_some())
        .map(|r| (r.rel, r.blob.unwrap_or_default()))
        .collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests;
