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
//! The cache is `.exemplar_cache/` in the repository's top folder (as
//! `.ruff_cache`: it ignores itself for git and tags itself for backup
//! tools), or `EXEMPLAR_CACHE_DIR`. It is a hint: a cache that is missing,
//! unreadable, written by another build or damaged is rebuilt, never an
//! error.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::model::{Model, PageDefs};
use crate::discover::{self, DiscoverOptions, Listed};
use crate::git::Revision;

/// The layout of the stored file; raised when it changes.
const FORMAT: u32 = 1;

/// The cache file below the cache folder.
const FILE: &str = "types-v1.bin";

/// What a run knows of one page of the revision.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Entry {
    /// Below the repository's top folder, `/`-separated.
    path: String,
    blob: String,
    /// The locale its folders name (a `--locale` root may name another:
    /// part of the key, as the page's locale decides what it defines).
    folder_locale: Option<String>,
    /// The page's locale, its folders' or its front matter's.
    locale: Option<String>,
    /// Does the page document types (then it stands in the model)?
    types: bool,
    defs: Option<PageDefs>,
}

#[derive(Debug, serde::Deserialize)]
struct Stored {
    format: u32,
    /// The exemplar build that wrote it: another build may read pages otherwise.
    build: String,
    entries: Vec<Entry>,
}

/// [`Stored`], as written (the entries borrowed).
#[derive(Debug, serde::Serialize)]
struct Storing<'a> {
    format: u32,
    build: String,
    entries: Vec<&'a Entry>,
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
}

/// What is known of the base revision before git has said what changed
/// since: its files below the roots as a walk places them, each with its
/// blob, and the cache's entries. Made while git compares the working tree
/// (`git::changed_since_with`), so that neither waits for the other.
#[derive(Debug)]
pub(crate) struct Prepared {
    roots: Vec<PathBuf>,
    /// How the type model reads pages (the source locale's, `Depth::Types`).
    options: DiscoverOptions,
    /// Canonical roots.
    canonical: Vec<PathBuf>,
    top: PathBuf,
    files: Vec<PathBuf>,
    blobs: Vec<Option<String>>,
    listed: Vec<Listed>,
    stored: HashMap<String, Entry>,
    /// The cache file (`None`: `--no-cache`).
    path: Option<PathBuf>,
}

/// Lists the files git tracks at `base` below `roots` (in the repository
/// at `top`) as the type model reads them (`options`: the source locale's
/// pages at `Depth::Types`), and reads the cache.
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
    // The cache is read while the revision's files are placed.
    let (placed, stored) = rayon::join(
        || -> Result<_, String> {
            let tracked = crate::git::tree(top, base, &canonical, in_locale(options))?;
            let (files, blobs): (Vec<PathBuf>, Vec<Option<String>>) =
                tracked.into_iter().map(|t| (t.path, t.blob)).unzip();
            let listed = discover::listed(roots, options, &files);
            Ok((files, blobs, listed))
        },
        || path.as_deref().map(read).unwrap_or_default(),
    );
    let (files, blobs, listed) = placed?;
    Ok(Prepared {
        roots: roots.to_vec(),
        options: options.clone(),
        canonical,
        top: top.to_path_buf(),
        files,
        blobs,
        listed,
        stored,
        path,
    })
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
        mut files,
        mut blobs,
        listed,
        mut stored,
        path,
    } = prepared;
    // Deleted since: gone. Changed since: read, whatever the blob says.
    let mut listed: Vec<Listed> = listed
        .into_iter()
        .filter(|l| !revision.deleted.contains(&files[l.file]))
        .collect();
    for l in &listed {
        if changed.contains(&files[l.file]) {
            blobs[l.file] = None;
        }
    }
    // Added since (or only a link before): placed as the others.
    let known: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    let added: Vec<PathBuf> = changed
        .iter()
        .filter(|f| !known.contains(f.as_path()) && canonical.iter().any(|r| f.starts_with(r)))
        .cloned()
        .collect();
    if !added.is_empty() {
        let offset = files.len();
        let mut more = discover::listed(&roots, &options, &added);
        for l in &mut more {
            l.file += offset;
        }
        blobs.extend(added.iter().map(|_| None));
        files.extend(added);
        listed.extend(more);
        discover::sort_listed(&mut listed);
    }
    let relative = |file: &Path| -> String {
        let rel = file.strip_prefix(&top).unwrap_or(file);
        rel.to_string_lossy().replace('\\', "/")
    };
    // The cache's entries for the pages it holds; the rest are read.
    let mut entries: Vec<Option<Entry>> = listed
        .iter()
        .map(|l| {
            let blob = blobs[l.file].as_deref()?;
            let entry = stored.remove(relative(&files[l.file]).as_str())?;
            (entry.blob == blob && entry.folder_locale == l.locale).then_some(entry)
        })
        .collect();
    let hits = entries.iter().flatten().count();
    let missing: Vec<&Listed> = listed
        .iter()
        .zip(&entries)
        .filter(|(_, e)| e.is_none())
        .map(|(l, _)| l)
        .collect();
    let read_now = discover::read_listed(&missing, &options, |page| {
        (
            page.locale.clone(),
            page.types.is_some(),
            PageDefs::of(&page),
        )
    });
    let read = read_now.len();
    let mut read_now = read_now.into_iter();
    let mut new = 0;
    for (listed, entry) in listed.iter().zip(&mut entries) {
        if entry.is_some() {
            continue;
        }
        let Some(page) = read_now.next() else {
            break;
        };
        let (locale, types, defs) = page.unwrap_or((None, false, None));
        let blob = blobs[listed.file].clone();
        new += usize::from(blob.is_some());
        *entry = Some(Entry {
            path: relative(&files[listed.file]),
            // A page read because it changed is not the blob's: not kept.
            blob: blob.unwrap_or_default(),
            folder_locale: listed.locale.clone(),
            locale,
            types,
            defs,
        });
    }
    let entries: Vec<Entry> = entries.into_iter().flatten().collect();
    // What is no longer listed (gone, or of a build before) is dropped.
    if let Some(path) = path.filter(|_| new > 0 || !stored.is_empty()) {
        write(&path, &entries);
    }
    let defining: Vec<(Option<String>, Option<PageDefs>)> = listed
        .iter()
        .zip(entries)
        .filter(|(_, e)| e.types)
        .map(|(l, e)| (e.locale, e.defs.map(|d| d.placed(&l.path))))
        .collect();
    if defining.is_empty() {
        return None;
    }
    Some(Cached {
        model: Model::from_defs(defining, source),
        read,
        hits,
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

/// The stored entries by path; empty when there is no usable cache.
fn read(path: &Path) -> HashMap<String, Entry> {
    let Ok(bytes) = std::fs::read(path) else {
        return HashMap::new();
    };
    let Ok(stored) = postcard::from_bytes::<Stored>(&bytes) else {
        return HashMap::new();
    };
    if stored.format != FORMAT || stored.build != build() {
        return HashMap::new();
    }
    stored
        .entries
        .into_iter()
        .map(|e| (e.path.clone(), e))
        .collect()
}

/// Writes the cache whole (to a temporary file renamed over it, so that a
/// run stopped half-way or a concurrent run never leaves half a file). A
/// cache that cannot be written is left unwritten: it is a hint.
fn write(path: &Path, entries: &[Entry]) {
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
    let stored = Storing {
        format: FORMAT,
        build: build(),
        // A page read because it changed has no blob: not kept.
        entries: entries.iter().filter(|e| !e.blob.is_empty()).collect(),
    };
    let Ok(bytes) = postcard::to_stdvec(&stored) else {
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

/// The cache's entries (for tests): (path, blob) of each.
#[cfg(test)]
fn stored_keys(path: &Path) -> Vec<(String, String)> {
    let mut keys: Vec<_> = read(path).into_values().map(|e| (e.path, e.blob)).collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests;
