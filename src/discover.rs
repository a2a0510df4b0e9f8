//! Paths to pages: walk each root with `ignore` (`.gitignore` respected,
//! symlinks followed, loops reported rather than followed forever), read
//! every file in parallel, and let the content decide what kind of page it is.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::finding::Finding;
use crate::page::{Page, Unreadable};

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) PAGE_TOO_LARGE = "page-too-large", Warning, Check,
    "a page, or a body in it, is larger than exemplar reads, so it is not checked";
}

declare_rule! {
    pub(crate) UNREADABLE_PAGE = "unreadable-page", Error, Check,
    "a page cannot be read as text: I/O error, binary content, or invalid UTF-8";
}

/// Extensions that are never pages; everything else is read and sniffed.
const NOT_PAGES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "bmp", "pdf", "zip", "gz", "tgz", "woff",
    "woff2", "ttf", "eot", "mp4", "mp3", "json", "yml", "yaml", "toml", "lock", "css", "js", "xml",
    "csv", "exe", "dll", "so",
];

/// Extensions whose binary content is a finding, not a skip.
pub(crate) const DOC_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "txt"];

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// `--locale TAG=DIR`: folders that are locale roots whatever their names.
    pub locale_roots: Vec<(String, PathBuf)>,
    /// How much of each page to read.
    pub depth: crate::page::Depth,
    /// Displayed paths never read (`exclude` of exemplar.toml).
    pub exclude: Option<Exclude>,
    /// Which pages are read at all.
    pub selection: Selection,
}

impl DiscoverOptions {
    fn excluded(&self, display: &str) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|exclude| exclude.set.is_match(display))
    }
}

/// The `exclude` patterns, as written and as one matcher (the type cache
/// keeps a listing per set of patterns, and a compiled set cannot name them).
#[derive(Debug, Clone)]
pub struct Exclude {
    pub patterns: Vec<String>,
    pub set: globset::GlobSet,
}

/// Which of the pages found are read: the files changed since a git
/// revision and their locale partners (`--changed-since`), and one stable
/// slice of them (`--shard K/N`). A page's locale partners share its key
/// (its path below its locale root), so a translation and its source are
/// always selected together.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Absolute, canonical paths of the changed files; `None` reads all.
    pub changed: Option<HashSet<PathBuf>>,
    /// `(k, n)`: the k-th (from 1) of n slices.
    pub shard: Option<(u32, u32)>,
    /// Only pages whose folders name this locale, or no locale at all (the
    /// type model reads the source locale's resource pages alone).
    pub locale: Option<String>,
}

/// The key a page pairs and shards by: its path below its locale root, or
/// below the command-line root it was found under.
fn selection_key(source: &Source, options: &DiscoverOptions) -> String {
    match locale_of(&source.fs_path, &source.display, options).1 {
        Some(key) => key,
        None => source.below_root.clone(),
    }
}

/// Which shard (from 1) a key falls in: FNV-1a, so that the slices are the
/// same on every machine and every run (the standard library's hasher is
/// seeded per process).
pub fn shard_of(key: &str, n: u32) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    u32::try_from(hash % u64::from(n.max(1))).unwrap_or(0) + 1
}

/// What the selection keeps, decided before a file is read.
struct Selector {
    /// The changed files and the keys they pair by.
    changed: Option<(HashSet<PathBuf>, HashSet<String>)>,
    shard: Option<(u32, u32)>,
    locale: Option<String>,
    /// Each root, canonical, to place walked files among the changed ones.
    roots: Vec<Option<PathBuf>>,
}

impl Selector {
    fn new(roots: &[PathBuf], options: &DiscoverOptions) -> Selector {
        let canonical: Vec<Option<PathBuf>> = roots
            .iter()
            .map(|r| std::fs::canonicalize(r).ok())
            .collect();
        let changed = options.selection.changed.as_ref().map(|files| {
            // The keys of the changed files, so their partners are read too.
            let mut keys = HashSet::new();
            for (index, (root, canon)) in roots.iter().zip(&canonical).enumerate() {
                let Some(canon) = canon else { continue };
                for file in files {
                    let Ok(rest) = file.strip_prefix(canon) else {
                        continue;
                    };
                    let below_root = rest.to_string_lossy().replace('\\', "/");
                    let fs_path = if below_root.is_empty() {
                        root.clone()
                    } else {
                        root.join(rest)
                    };
                    let source = Source {
                        display: display(&fs_path),
                        fs_path,
                        explicit: false,
                        root: index,
                        below_root,
                    };
                    keys.insert(selection_key(&source, options));
                }
            }
            (files.clone(), keys)
        });
        Selector {
            changed,
            shard: options.selection.shard,
            locale: options.selection.locale.clone(),
            roots: canonical,
        }
    }

    /// The changed files below root `index` and their locale partners, as
    /// the walk would have found them: the same page below every sibling
    /// locale folder (`en-us/api/x.md` -> `zh-cn/api/x.md`), below every
    /// `--locale` root and below every other command-line root. Hidden,
    /// excluded and non-page files stay out, as in the walk.
    fn changed_sources(
        &self,
        index: usize,
        root: &Path,
        roots: &[PathBuf],
        options: &DiscoverOptions,
    ) -> Vec<Source> {
        let (Some((files, _)), Some(canon)) = (&self.changed, &self.roots[index]) else {
            return Vec::new();
        };
        let mut below: Vec<PathBuf> = Vec::new();
        for file in files {
            let Ok(rest) = file.strip_prefix(canon) else {
                continue;
            };
            below.push(rest.to_path_buf());
            // Sibling locale folders of each locale folder on the way down.
            let parts: Vec<_> = rest.components().collect();
            for (i, part) in parts.iter().enumerate().take(parts.len().saturating_sub(1)) {
                let name = part.as_os_str().to_string_lossy();
                if crate::lang::tag_of_folder(&name).is_none() {
                    continue;
                }
                let parent: PathBuf = parts[..i].iter().collect();
                let Ok(siblings) = std::fs::read_dir(root.join(&parent)) else {
                    continue;
                };
                let tail: PathBuf = parts[i + 1..].iter().collect();
                for sibling in siblings.flatten() {
                    let sibling_name = sibling.file_name().to_string_lossy().into_owned();
                    if sibling_name != name && crate::lang::tag_of_folder(&sibling_name).is_some() {
                        below.push(parent.join(&sibling_name).join(&tail));
                    }
                }
            }
        }
        // The same path below the other roots (front-matter locales pair so)
        // and the `--locale` roots (a page below one pairs below the others).
        let mut extra = Vec::new();
        for rest in &below {
            let full = root.join(rest);
            for (_, dir) in &options.locale_roots {
                if let Ok(inner) = full.strip_prefix(dir) {
                    for (_, other) in &options.locale_roots {
                        if let Ok(rel) = other.join(inner).strip_prefix(root) {
                            extra.push(rel.to_path_buf());
                        }
                    }
                }
            }
            for (j, other) in roots.iter().enumerate() {
                if j != index && other.is_dir() && self.roots[j].is_some() {
                    if let Ok(rel) = other.join(rest).strip_prefix(root) {
                        extra.push(rel.to_path_buf());
                    }
                }
            }
        }
        below.extend(extra);
        below.sort();
        below.dedup();
        below
            .into_iter()
            .filter(|rest| walked(rest) && root.join(rest).is_file())
            .map(|rest| Source::below(root, &rest, index))
            .filter(|s| !options.excluded(&s.display))
            .collect()
    }

    fn keeps(&self, source: &Source, options: &DiscoverOptions) -> bool {
        if let Some(wanted) = &self.locale {
            let locale = locale_of(&source.fs_path, &source.display, options).0;
            if locale.is_some_and(|l| !l.eq_ignore_ascii_case(wanted)) {
                return false;
            }
        }
        if self.changed.is_none() && self.shard.is_none() {
            return true;
        }
        let key = selection_key(source, options);
        if let Some((k, n)) = self.shard {
            if shard_of(&key, n) != k {
                return false;
            }
        }
        match &self.changed {
            None => true,
            Some((files, keys)) => {
                keys.contains(&key)
                    || self.roots[source.root].as_ref().is_some_and(|canon| {
                        let absolute = if source.explicit {
                            canon.clone()
                        } else {
                            canon.join(&source.below_root)
                        };
                        files.contains(&absolute)
                    })
            }
        }
    }
}

/// Would the walk read a file at `rest` below its root: not hidden (no
/// part starts with a dot) and not of a kind that is never a page?
fn walked(rest: &Path) -> bool {
    let hidden = rest
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let not_page = rest
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| NOT_PAGES.contains(&e.to_ascii_lowercase().as_str()));
    !hidden && !not_page
}

/// A file that may be a page.
#[derive(Debug, Clone)]
struct Source {
    fs_path: PathBuf,
    display: String,
    explicit: bool,
    /// Which command-line root it was found under.
    root: usize,
    /// Its path below that root (empty when the root is the file).
    below_root: String,
}

impl Source {
    /// The file at `rest` below root `index`, as the walk finds it.
    fn below(root: &Path, rest: &Path, index: usize) -> Source {
        let fs_path = root.join(rest);
        Source {
            display: display(&fs_path),
            fs_path,
            explicit: false,
            root: index,
            below_root: rest.to_string_lossy().replace('\\', "/"),
        }
    }

    /// A root that is a file: read whatever its name.
    fn explicit(root: &Path, index: usize) -> Source {
        Source {
            fs_path: root.to_path_buf(),
            display: display(root),
            explicit: true,
            root: index,
            below_root: root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }
}

/// Pages read from the roots (or what was kept of each), in a stable order,
/// with the problems met on the way.
#[derive(Debug)]
pub struct Loaded<T = Page> {
    pub pages: Vec<T>,
    pub findings: Vec<Finding>,
}

#[derive(Debug)]
pub struct RootError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for RootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.error)
    }
}

/// Reads every page under `roots`. A root that does not exist or cannot be
/// read is an error (exit code 2); anything below a root is at most a finding.
pub fn load(roots: &[PathBuf], options: &DiscoverOptions) -> Result<Loaded, RootError> {
    load_with(roots, options, |page, _| page)
}

/// Reads every page under `roots` and hands each to `keep` on the thread
/// that read it, which returns what is kept of the page and may add
/// findings. `check` runs its page rules there, so that no core waits
/// between reading and checking; `extract` keeps only its rendered output,
/// so that the page's memory is reused rather than grown.
pub fn load_with<T: Send>(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    keep: impl Fn(Page, &mut Vec<Finding>) -> T + Sync,
) -> Result<Loaded<T>, RootError> {
    let errors = Mutex::new(Vec::new());
    let selector = Selector::new(roots, options);
    let read_pages: Mutex<Reads<T>> = Mutex::new(Reads::default());
    for (index, root) in roots.iter().enumerate() {
        let meta = std::fs::metadata(root).map_err(|error| RootError {
            path: root.clone(),
            error,
        })?;
        if meta.is_file() {
            let source = Source::explicit(root, index);
            if options.excluded(&source.display) || !selector.keeps(&source, options) {
                continue;
            }
            let (page, findings) = read(&source, options, &keep);
            lock(&read_pages).push(index, source.fs_path, page, findings);
            continue;
        }
        if selector.changed.is_some() {
            // Only the changed pages and their partners: found by name, not
            // by walking the whole docs set.
            let sources = selector.changed_sources(index, root, roots, options);
            sources
                .into_par_iter()
                .filter(|s| selector.keeps(s, options))
                .for_each(|source| {
                    let (page, findings) = read(&source, options, &keep);
                    lock(&read_pages).push(index, source.fs_path, page, findings);
                });
            continue;
        }
        // Pages are read and parsed on the walker's own threads, as it finds
        // them: no pause between walking and parsing.
        ignore::WalkBuilder::new(root)
            .follow_links(true)
            .require_git(false)
            .hidden(true)
            .threads(rayon::current_num_threads())
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                            let path = entry.into_path();
                            let skip = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                                NOT_PAGES.contains(&e.to_ascii_lowercase().as_str())
                            });
                            let shown = display(&path);
                            let source = Source {
                                below_root: path
                                    .strip_prefix(root)
                                    .map(|r| text_of(r).replace('\\', "/"))
                                    .unwrap_or_default(),
                                display: shown,
                                fs_path: path,
                                explicit: false,
                                root: index,
                            };
                            if !skip
                                && !options.excluded(&source.display)
                                && selector.keeps(&source, options)
                            {
                                let (page, findings) = read(&source, options, &keep);
                                lock(&read_pages).push(index, source.fs_path, page, findings);
                            }
                        }
                        Ok(_) => {}
                        Err(err) => lock(&errors).push(walk_error(&err)),
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(read_pages
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_loaded(errors))
}

/// A file placed among the roots as a walk would find it, without a walk:
/// the type cache lists a revision's files from git and reads only the
/// pages it does not hold.
#[derive(Debug)]
pub(crate) struct Listed {
    source: Source,
    /// Which of the files given it is.
    pub file: usize,
    /// The page's path, as the walk gives it.
    pub path: Arc<str>,
    /// Its locale from its folders (its text may still name one).
    pub locale: Option<String>,
}

impl Listed {
    /// Which root it was found below.
    pub(crate) fn root(&self) -> usize {
        self.source.root
    }
}

/// The pages `files` (absolute, canonical) are below `roots`, as a walk
/// of the roots finds them: hidden, excluded and non-page files left out,
/// the selection's locale kept, in `load_with`'s order. Nothing is read.
pub(crate) fn listed(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    files: &[PathBuf],
) -> Vec<Listed> {
    let selector = Selector::new(roots, options);
    let mut listed = Vec::new();
    for (index, root) in roots.iter().enumerate() {
        let Some(canon) = &selector.roots[index] else {
            continue;
        };
        let explicit = root.is_file();
        // Thousands of paths, each joined, shown and placed in a locale.
        let here = files.par_iter().enumerate().filter_map(|(file, path)| {
            let rest = path.strip_prefix(canon).ok()?;
            let source = if explicit {
                if !rest.as_os_str().is_empty() {
                    return None;
                }
                Source::explicit(root, index)
            } else {
                if !walked(rest) || rest.as_os_str().is_empty() {
                    return None;
                }
                Source::below(root, rest, index)
            };
            if options.excluded(&source.display) {
                return None;
            }
            let locale = locale_of(&source.fs_path, &source.display, options).0;
            // The selection's locale, as `Selector::keeps` has it (without
            // finding the locale a second time); a slice, as it has it.
            let other_locale = options.selection.locale.as_ref().is_some_and(|wanted| {
                locale
                    .as_ref()
                    .is_some_and(|l| !l.eq_ignore_ascii_case(wanted))
            });
            let sliced = selector.changed.is_some() || selector.shard.is_some();
            if other_locale || sliced && !selector.keeps(&source, options) {
                return None;
            }
            Some(Listed {
                path: Arc::from(source.display.as_str()),
                source,
                file,
                locale,
            })
        });
        listed.par_extend(here);
    }
    sort_listed(&mut listed);
    listed
}

/// Puts listed pages in `load_with`'s order: by root, then by path.
pub(crate) fn sort_listed(listed: &mut [Listed]) {
    listed.sort_unstable_by(|a, b| {
        a.source.root.cmp(&b.source.root).then_with(|| {
            a.source
                .fs_path
                .as_os_str()
                .as_encoded_bytes()
                .cmp(b.source.fs_path.as_os_str().as_encoded_bytes())
        })
    });
}

/// Reads listed pages in parallel, as `load_with` reads those it finds
/// (what cannot be read gives `None`; its findings are the checked run's
/// business, not the model's).
pub(crate) fn read_listed<T: Send>(
    listed: &[&Listed],
    options: &DiscoverOptions,
    keep: impl Fn(Page) -> T + Sync,
) -> Vec<Option<T>> {
    listed
        .par_iter()
        .map(|l| read(&l.source, options, &|page, _: &mut Vec<Finding>| keep(page)).0)
        .collect()
}

/// What the reading threads gave, in the order they gave it.
///
/// Each list is the one `Loaded` hands on, put in order in place: a run
/// keeps every page until its report, and a list of boxed pages moved into
/// a new list, and every page's findings joined into a new one, held each
/// page and finding twice at the end of the reading (about 8 MB of the
/// whole corpus's peak, heaptrack). The lists grow as pages are read, so
/// the blocks they leave behind are reused by the pages read after them.
struct Reads<T> {
    /// (root index, path, what was kept, its findings in `findings`): by
    /// (root, path) the pages' order, whatever thread read them.
    pages: Vec<(usize, PathBuf, Option<T>, Range<usize>)>,
    findings: Vec<Finding>,
}

impl<T> Default for Reads<T> {
    fn default() -> Self {
        Reads {
            pages: Vec::new(),
            findings: Vec::new(),
        }
    }
}

impl<T> Reads<T> {
    fn push(&mut self, root: usize, path: PathBuf, page: Option<T>, mut found: Vec<Finding>) {
        let start = self.findings.len();
        grow(&mut self.findings, found.len());
        self.findings.append(&mut found);
        grow(&mut self.pages, 1);
        self.pages
            .push((root, path, page, start..self.findings.len()));
    }

    /// The pages by (root, path), then the walk's `errors` and every
    /// page's findings in that order.
    fn into_loaded(self, errors: Vec<Finding>) -> Loaded<T> {
        let Reads {
            mut pages,
            mut findings,
        } = self;
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            a.0.cmp(&b.0).then_with(|| {
                a.1.as_os_str()
                    .as_encoded_bytes()
                    .cmp(b.1.as_os_str().as_encoded_bytes())
            })
        });
        // The findings' order: the walk's errors (added last), then each
        // page's in page order.
        let first_error = findings.len();
        let mut found_order: Vec<usize> = (first_error..first_error + errors.len()).collect();
        found_order.extend(order.iter().flat_map(|&i| pages[i].3.clone()));
        findings.extend(errors);
        permute(&mut pages, order);
        permute(&mut findings, found_order);
        // Collected in place (the standard library reuses a vector's block
        // for a `filter_map` into items no larger): `pages`'s block becomes
        // the pages' list.
        let pages = pages.into_iter().filter_map(|read| read.2).collect();
        Loaded { pages, findings }
    }
}

/// Makes room for `more` items in `list`, four times its room when it is
/// full: every growth copies the list (a page is 440 bytes), and growing by
/// half as often copies a third as much (doubling copied 7 M instructions'
/// worth on the corpus, callgrind). The room never written to is never
/// touched, so it takes no fresh memory (peak RSS and minor faults fell).
fn grow<X>(list: &mut Vec<X>, more: usize) {
    if list.capacity() - list.len() < more {
        list.reserve((list.capacity() * 3).max(more).max(64));
    }
}

/// Puts `items` in `order` (the item at `i` becomes the one that was at
/// `order[i]`; `order` holds each index once), in place: each item moves
/// once along its cycle, where a sort moves a large page many times.
fn permute<X>(items: &mut [X], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// A poisoned lock still holds good data: a panic elsewhere is a bug reported on its own.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn read<T>(
    source: &Source,
    options: &DiscoverOptions,
    keep: &impl Fn(Page, &mut Vec<Finding>) -> T,
) -> (Option<T>, Vec<Finding>) {
    let path: Arc<str> = Arc::from(source.display.as_str());
    let bytes = match read_bytes(&source.fs_path, crate::limits::page_bytes()) {
        Ok(b) => b,
        // Not read at all: a page this large is no documentation page, and
        // the model of it would take many times its size (issue 13).
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            let size = std::fs::metadata(&source.fs_path).map_or(0, |m| m.len() as usize);
            let f = Finding::new(
                &PAGE_TOO_LARGE,
                &path,
                0..0,
                format!(
                    "the page is {}, more than the {} exemplar reads; it was not checked",
                    crate::limits::shown(size),
                    crate::limits::shown(crate::limits::page_bytes())
                ),
            )
            .help("split the page, exclude it in exemplar.toml, or raise EXEMPLAR_MAX_PAGE_BYTES");
            return (None, vec![f]);
        }
        Err(e) => {
            let f = Finding::new(
                &UNREADABLE_PAGE,
                &path,
                0..0,
                format!("cannot read the page: {e}"),
            )
            .help("check the file's permissions, or exclude it in exemplar.toml");
            return (None, vec![f]);
        }
    };
    let (locale, key) = locale_of(&source.fs_path, &source.display, options);
    let page = Page::from_bytes(path, bytes, locale, key, options.depth);
    let binary = page
        .unreadable
        .as_ref()
        .is_some_and(|(_, why)| matches!(why, Unreadable::Binary { .. }));
    if binary && !source.explicit {
        let doc = source
            .fs_path
            .extension()
            .and_then(|e| e.to_str())
            .is_none_or(|e| DOC_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if !doc {
            return (None, Vec::new());
        }
    }
    let mut findings = Vec::new();
    let kept = keep(page, &mut findings);
    (Some(kept), findings)
}

/// The file's bytes. `std::fs::read` asks the file's size first (a `statx`
/// per page); reading into this thread's buffer until the end needs no size,
/// and the buffer is reused from page to page. More than `limit` bytes is
/// an error of kind `FileTooLarge`, found without reading further.
fn read_bytes(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::cell::RefCell;
    use std::io::Read;
    /// Larger than any page of the corpus (the largest is 82 KB).
    const USUAL: usize = 128 * 1024;
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; USUAL]);
    }
    let mut file = std::fs::File::open(path)?;
    BUFFER.with_borrow_mut(|buffer| {
        // Growing and copying may fail on a huge file: a finding, not an abort.
        let out_of_memory = |_| std::io::Error::from(std::io::ErrorKind::OutOfMemory);
        let mut len = 0;
        let read = loop {
            if len == buffer.len() {
                if let Err(e) = buffer.try_reserve_exact(buffer.len()) {
                    break Err(out_of_memory(e));
                }
                buffer.resize(buffer.len() * 2, 0);
            }
            match file.read(&mut buffer[len..]) {
                Ok(0) => {
                    let mut bytes = Vec::new();
                    break match bytes.try_reserve_exact(len) {
                        Ok(()) => {
                            bytes.extend_from_slice(&buffer[..len]);
                            Ok(bytes)
                        }
                        Err(e) => Err(out_of_memory(e)),
                    };
                }
                Ok(n) => {
                    len += n;
                    if len > limit {
                        break Err(std::io::Error::from(std::io::ErrorKind::FileTooLarge));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        // A huge file (a hostile 5 MB line) does not keep its buffer.
        if buffer.len() > USUAL {
            *buffer = vec![0; USUAL];
        }
        read
    })
}

fn walk_error(err: &ignore::Error) -> Finding {
    let path = walk_error_path(err).map_or_else(|| "<walk>".to_owned(), |p| display(&p));
    Finding::new(&UNREADABLE_PAGE, &Arc::from(path.as_str()), 0..0, format!("cannot walk: {err}"))
        .help("a symbolic link that points back into its own folder is followed only once; remove or exclude the loop")
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

fn display(path: &Path) -> String {
    let s = text_of(path);
    s.strip_prefix("./").unwrap_or(&s).replace('\\', "/")
}

/// A path as text: `to_string_lossy` checks UTF-8 a character at a time
/// (~550 instructions a page path, twice a page); `to_str`'s check is
/// word-at-a-time, and only a path that fails it needs the lossy copy.
fn text_of(path: &Path) -> std::borrow::Cow<'_, str> {
    path.to_str()
        .map_or_else(|| path.to_string_lossy(), std::borrow::Cow::Borrowed)
}

/// Is a file at `path` (below a repository's top folder) of another locale
/// than the selection's, whatever root a walk finds it under? Its nearest
/// folder named by a locale tag says so before any path is built, as
/// [`locale_of`] would (not with `--locale` roots, which decide first).
pub(crate) fn of_other_locale(path: &str, options: &DiscoverOptions) -> bool {
    let Some(wanted) = &options.selection.locale else {
        return false;
    };
    if !options.locale_roots.is_empty() {
        return false;
    }
    folder_locale(path).is_some_and(|(tag, _)| !tag.eq_ignore_ascii_case(wanted))
}

/// The locale of a page and its path below the locale root: a `--locale`
/// root first, then the last folder of the path named by a locale tag.
fn locale_of(
    fs_path: &Path,
    display: &str,
    options: &DiscoverOptions,
) -> (Option<String>, Option<String>) {
    for (tag, dir) in &options.locale_roots {
        if let Ok(rest) = fs_path.strip_prefix(dir) {
            return (
                Some(tag.to_ascii_lowercase()),
                Some(rest.to_string_lossy().replace('\\', "/")),
            );
        }
    }
    match folder_locale(display) {
        Some((tag, end)) => (Some(tag), Some(display[end + 1..].to_owned())),
        None => (None, None),
    }
}

/// The locale tag of the nearest folder of `display` named by one, and the
/// offset of the `/` after that folder. A walker reads a folder's pages one
/// after another: the answer for the last folder is kept per thread and
/// reused while the folder is the same (the folder walk and its tag tests
/// were ~2,800 instructions a page).
fn folder_locale(display: &str) -> Option<(String, usize)> {
    use std::cell::RefCell;
    /// A folder and its answer.
    type Kept = Option<(String, Option<(String, usize)>)>;
    thread_local! {
        static LAST: RefCell<Kept> = const { RefCell::new(None) };
    }
    let folder = &display[..display.rfind('/')?];
    LAST.with_borrow_mut(|last| match last {
        Some((dir, found)) if dir == folder => found.clone(),
        _ => {
            let found = folder_locale_uncached(display);
            *last = Some((folder.to_owned(), found.clone()));
            found
        }
    })
}

/// [`folder_locale`] read from the path: the folders above the page,
/// nearest first.
fn folder_locale_uncached(display: &str) -> Option<(String, usize)> {
    let mut folder_end = display.rfind('/');
    while let Some(end) = folder_end {
        let start = display[..end].rfind('/').map_or(0, |i| i + 1);
        if let Some(tag) = crate::lang::tag_of_folder(&display[start..end]) {
            return Some((tag, end));
        }
        folder_end = start.checked_sub(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `permute` puts items where a sort by the same order puts them, for
    /// every order of a few items (one cycle, several, fixed points).
    #[test]
    fn a_permutation_in_place_is_the_order_given() {
        fn orders(n: usize) -> Vec<Vec<usize>> {
            if n == 0 {
                return vec![Vec::new()];
            }
            let mut all = Vec::new();
            for shorter in orders(n - 1) {
                for at in 0..n {
                    let mut order = shorter.clone();
                    order.insert(at, n - 1);
                    all.push(order);
                }
            }
            all
        }
        for n in 0..=6 {
            for order in orders(n) {
                let mut items: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
                let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
                permute(&mut items, order.clone());
                assert_eq!(items, expected, "{order:?}");
            }
        }
    }

    /// The kept answer of a folder is the answer read from the path, for
    /// pages of one folder in a row, of other folders between, of folders
    /// that share a beginning, and of a page with no folder.
    #[test]
    fn a_folder_locale_kept_is_the_one_read() {
        let paths = [
            "docs/en-us/api/a.md",
            "docs/en-us/api/b.md",
            "docs/en-us/api/sub/c.md",
            "docs/en-us/api/b.md",
            "docs/en-us/apix/b.md",
            "docs/repo.zh-CN/api/a.md",
            "docs/repo.zh-CN/api/a.md",
            "docs/ru-ru/en-us/x.md",
            "a.md",
            "/a.md",
            "api/a.md",
            "en-us/a.md",
            "en-us/a.md",
            "../shared/corpus/ru-ru/api-reference/v1.0/api/x.md",
            "../shared/corpus/ru-ru/api-reference/v1.0/api/y.md",
            "../shared/corpus/ru-ru/api-reference/v1.0/api.md",
        ];
        for path in paths.iter().chain(paths.iter().rev()) {
            let expected = path.rfind('/').and_then(|_| folder_locale_uncached(path));
            assert_eq!(folder_locale(path), expected, "{path}");
            // The nearest folder named by a tag, as `of_other_locale` once
            // found it on its own.
            let nearest = path
                .rsplit('/')
                .skip(1)
                .find_map(crate::lang::tag_of_folder);
            assert_eq!(expected.map(|(tag, _)| tag), nearest, "{path}");
        }
        assert_eq!(
            folder_locale("docs/en-us/api/a.md"),
            Some(("en-us".to_owned(), 10))
        );
    }
}
