//! Paths to pages: walk each root with `ignore` (`.gitignore` respected,
//! symlinks followed, loops reported rather than followed forever), or list
//! it in order without it when none of that applies, read every file in
//! parallel, and let the content decide what kind of page it is.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
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

/// Is a file with this extension never a page? Everything else is read and
/// sniffed. (A `match` on the lower-cased bytes: a list compared one by
/// one, ignoring case, was 300 instructions a page.)
fn never_a_page(extension: &str) -> bool {
    /// The longest extension below.
    const LONGEST: usize = 5;
    let bytes = extension.as_bytes();
    if bytes.len() > LONGEST {
        return false;
    }
    let mut lower = [0; LONGEST];
    for (to, from) in lower.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &lower[..bytes.len()],
        b"png"
            | b"jpg"
            | b"jpeg"
            | b"gif"
            | b"svg"
            | b"ico"
            | b"webp"
            | b"bmp"
            | b"pdf"
            | b"zip"
            | b"gz"
            | b"tgz"
            | b"woff"
            | b"woff2"
            | b"ttf"
            | b"eot"
            | b"mp4"
            | b"mp3"
            | b"json"
            | b"yml"
            | b"yaml"
            | b"toml"
            | b"lock"
            | b"css"
            | b"js"
            | b"xml"
            | b"csv"
            | b"exe"
            | b"dll"
            | b"so"
    )
}

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
    /// The docs set's source locale, when the pages are read for `check`:
    /// the other locales' pages then keep only what the drift check reads
    /// of their type documentation, not what the type model reads of the
    /// source locale's ([`Page::from_bytes_in`]). `None`: every page keeps all.
    pub source_locale: Option<String>,
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
                        folder: None,
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

    /// Is only a slice of the pages read (`--changed-since`, `--shard`)?
    /// Only a slice pairs and shards by a page's path below its root.
    fn sliced(&self) -> bool {
        self.changed.is_some() || self.shard.is_some()
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
        .is_some_and(never_a_page);
    !hidden && !not_page
}

/// A file the listing found, and the folder it found it in, open
/// ([`list_folder`]).
type FoundFile = (PathBuf, Option<Arc<File>>);

/// A file that may be a page.
#[derive(Debug, Clone)]
struct Source {
    fs_path: PathBuf,
    /// The folder the listing found it in, open: the file is opened by its
    /// name in there ([`Source::open`]). Opened by name on unix only.
    #[cfg_attr(not(unix), allow(dead_code))]
    folder: Option<Arc<File>>,
    /// Its path as pages and findings show it.
    display: Arc<str>,
    explicit: bool,
    /// Which command-line root it was found under.
    root: usize,
    /// Its path below that root (empty when the root is the file).
    below_root: String,
}

impl Source {
    /// The file, opened by its name in the folder the listing held open,
    /// else by its path: a path is looked up name by name from the working
    /// folder (eight names a page of `../shared/corpus`), a name in an open
    /// folder once (reading the corpus: 51 -> 47 ms on two threads).
    fn open(&self) -> std::io::Result<File> {
        #[cfg(unix)]
        if let Some(folder) = &self.folder {
            use rustix::fs::{openat, Mode, OFlags};
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(file_name(&self.fs_path));
            return openat(
                &**folder,
                name,
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map(File::from)
            .map_err(std::io::Error::from);
        }
        File::open(&self.fs_path)
    }

    /// The file at `rest` below root `index`, as the walk finds it.
    fn below(root: &Path, rest: &Path, index: usize) -> Source {
        let fs_path = root.join(rest);
        Source {
            display: display(&fs_path),
            fs_path,
            folder: None,
            explicit: false,
            root: index,
            below_root: rest.to_string_lossy().replace('\\', "/"),
        }
    }

    /// A root that is a file: read whatever its name.
    fn explicit(root: &Path, index: usize) -> Source {
        Source {
            fs_path: root.to_path_buf(),
            folder: None,
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
///
/// The pages come in order of (root, path), and the findings: the walk's
/// errors sorted by path, then each page's in page order.
pub fn load_with<T: Send>(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    keep: impl Fn(Page, &mut Vec<Finding>) -> T + Sync,
) -> Result<Loaded<T>, RootError> {
    load_held(roots, options, Held::Kept, keep)
}

/// As [`load_with`], for a `keep` that drops each page it is given, or
/// its text, on the thread that read it (`extract` keeps only what it made
/// of the page; `check`, when it forgets the texts, drops each once its
/// page rules have run): each page is read straight into a block that the
/// page owns, the next page's once dropped (see [`Held::Dropped`]).
pub fn load_dropping<T: Send>(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    keep: impl Fn(Page, &mut Vec<Finding>) -> T + Sync,
) -> Result<Loaded<T>, RootError> {
    load_held(roots, options, Held::Dropped, keep)
}

/// How long a page's text outlives its reading, which decides how its
/// bytes are read ([`read_bytes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// The page is kept (`check` holds every page until its report): its
    /// text gets an allocation of its own size, copied out of the thread's
    /// reading buffer. A block with room to spare would hold the slack of
    /// every page of the run; knowing the size first costs a `statx` a page.
    Kept,
    /// The page, or its text, is dropped on its thread before the next is
    /// read (`extract`; `check` when it forgets the texts): its text is
    /// read into a block of [`DROPPED_BLOCK`] bytes, the page's own, which
    /// is freed with the page and taken again by the next page the thread
    /// reads. No copy of the text (16 M instructions on the corpus,
    /// callgrind), and the slack lives only as long as the page.
    Dropped,
}

fn load_held<T: Send>(
    roots: &[PathBuf],
    options: &DiscoverOptions,
    held: Held,
    keep: impl Fn(Page, &mut Vec<Finding>) -> T + Sync,
) -> Result<Loaded<T>, RootError> {
    let keep = &Keep { held, keep };
    let mut errors = Vec::new();
    let selector = Selector::new(roots, options);
    let mut loaded = Loaded {
        pages: Vec::new(),
        findings: Vec::new(),
    };
    // Each root's pages in order, one root after another: the order of
    // (root, path).
    for (index, root) in roots.iter().enumerate() {
        let meta = std::fs::metadata(root).map_err(|error| RootError {
            path: root.clone(),
            error,
        })?;
        let found = if meta.is_file() {
            let source = Source::explicit(root, index);
            if options.excluded(&source.display) || !selector.keeps(&source, options) {
                continue;
            }
            let (page, findings) = read(&source, options, keep);
            Loaded {
                pages: page.into_iter().collect(),
                findings,
            }
        } else if selector.changed.is_some() {
            // Only the changed pages and their partners: found by name, not
            // by walking the whole docs set.
            let mut sources: Vec<Source> = selector
                .changed_sources(index, root, roots, options)
                .into_iter()
                .filter(|s| selector.keeps(s, options))
                .collect();
            sources.sort_unstable_by(|a, b| path_order(&a.fs_path, &b.fs_path));
            read_in_order(sources, |s| &s.fs_path, Some, options, keep)
        } else if let Some(files) = plain_listing(root, selector.roots[index].as_deref()) {
            let found = |path| found_below(root, index, path, &selector, options);
            read_in_order(files, |(path, _)| path, found, options, keep)
        } else {
            walk(root, index, &selector, options, keep, &mut errors)
        };
        append(&mut loaded, found);
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    if !errors.is_empty() {
        errors.append(&mut loaded.findings);
        loaded.findings = errors;
    }
    Ok(loaded)
}

/// Adds one root's pages and findings after those of the roots before it
/// (the first root's lists are taken as they are, not copied).
fn append<T>(loaded: &mut Loaded<T>, mut more: Loaded<T>) {
    if loaded.pages.is_empty() {
        std::mem::swap(&mut loaded.pages, &mut more.pages);
    }
    loaded.pages.append(&mut more.pages);
    if loaded.findings.is_empty() {
        std::mem::swap(&mut loaded.findings, &mut more.findings);
    }
    loaded.findings.append(&mut more.findings);
}

/// Two paths in the pages' order: by their bytes (not by components, as
/// `Path`'s own order is: `a.md` comes before `a/b.md`).
fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    a.as_os_str()
        .as_encoded_bytes()
        .cmp(b.as_os_str().as_encoded_bytes())
}

/// A file found below root `index` as the selection sees it: `None` for a
/// file of a kind that is never a page, an excluded one, or one not
/// selected.
fn found_below(
    root: &Path,
    index: usize,
    (path, folder): FoundFile,
    selector: &Selector,
    options: &DiscoverOptions,
) -> Option<Source> {
    if extension(&path).is_some_and(never_a_page) {
        return None;
    }
    let display = display(&path);
    if options.excluded(&display) {
        return None;
    }
    // Only a slice of the pages pairs and shards by the path below the
    // root; a whole run never reads it (its strip_prefix parsed both paths
    // into components: 17 M instructions on the corpus, callgrind).
    let below_root = if selector.sliced() {
        path.strip_prefix(root)
            .map(|r| text_of(r).replace('\\', "/"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let source = Source {
        fs_path: path,
        folder,
        display,
        explicit: false,
        root: index,
        below_root,
    };
    selector.keeps(&source, options).then_some(source)
}

/// `Path::extension` of a path the walk found, read from the bytes after
/// its last separator (a walked path never ends in one, nor in `.`): the
/// standard one parses the path into components first (4.4 M instructions
/// on the corpus, callgrind).
fn extension(path: &Path) -> Option<&str> {
    let name = file_name(path);
    let dot = name.iter().rposition(|&b| b == b'.')?;
    if dot == 0 || name == b".." {
        return None;
    }
    std::str::from_utf8(&name[dot + 1..]).ok()
}

/// The most pages one thread reads in a row without offering the rest to
/// another ([`read_in_order`]): a page takes some 25 µs, so the last part
/// keeps one thread alone for well under a millisecond.
const PART: usize = 16;

/// Reads `items` (each made a source, or passed over) in parallel, each
/// page into its own slot of a list in `items`' order. They are read in
/// [`beside_namesakes`]' order, and put back in theirs once all are read.
/// The findings go to one list as they come (a list per page, joined at
/// the end, would hold them twice), and are put in page order in place.
fn read_in_order<S: Send, T: Send>(
    mut items: Vec<S>,
    path_of: impl Fn(&S) -> &Path,
    source_of: impl Fn(S) -> Option<Source> + Sync,
    options: &DiscoverOptions,
    keep: &Keep<impl Fn(Page, &mut Vec<Finding>) -> T + Sync>,
) -> Loaded<T> {
    let order = beside_namesakes(items.iter().map(|item| file_name(path_of(item))));
    // `back[k]`: the turn the page of `items[k]` is read in.
    let mut back = vec![0; order.len()];
    for (turn, &k) in order.iter().enumerate() {
        back[k] = turn;
    }
    permute(&mut items, order);
    let findings: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    // A thread whose part is not stolen stops splitting it after a few
    // halvings (rayon's adaptive splitter), and reads the rest on its own:
    // a part of hundreds of pages left for the last was read by one thread
    // while the other had nothing to take (10 ms at the end of `extract`).
    // Parts of at most `PART` pages leave the other thread something.
    let mut read: Vec<(Option<T>, Range<usize>)> = items
        .into_par_iter()
        .with_max_len(PART)
        .map(|item| {
            let Some(source) = source_of(item) else {
                return (None, 0..0);
            };
            let (page, mut found) = read(&source, options, keep);
            if found.is_empty() {
                return (page, 0..0);
            }
            (page, add_found(&mut lock(&findings), &mut found))
        })
        .collect();
    permute(&mut read, back);
    let mut findings = findings.into_inner().unwrap_or_else(|e| e.into_inner());
    let order: Vec<usize> = read.iter().flat_map(|(_, at)| at.clone()).collect();
    permute(&mut findings, order);
    // Collected in place (the standard library reuses a vector's block
    // for a `filter_map` into items no larger): the pages are put back in
    // order where they are, not gathered into a second list (6 MB more at
    // the peak of a whole-corpus `check`).
    let pages = read.into_iter().filter_map(|(page, _)| page).collect();
    Loaded { pages, findings }
}

/// The order to read files in, given their names in the pages' order: each
/// file right after the others of its name, the names in the order of
/// their first file (`order[turn]` is the index of the file read in that
/// turn). A page's translations have its name (`en-us/api/x.md`,
/// `zh-cn/api/x.md`), and read one after another they are read on one
/// thread while what it keeps of the first is still there: the trees of
/// the bodies and annotations they share ([`crate::memo`]), the
/// kinds of their headings. In the pages' own order, a locale's pages
/// after another's, a thread had long forgotten the source's when it came
/// to a translation. (Any other files that share a name are read together
/// too, to no harm: the order is the reading's only.)
fn beside_namesakes<'n>(names: impl ExactSizeIterator<Item = &'n [u8]>) -> Vec<usize> {
    let mut first: foldhash::HashMap<&[u8], u32> = foldhash::HashMap::default();
    first.reserve(names.len());
    // (index of the name's first file, the file's own index), sorted.
    let mut keys: Vec<u64> = names
        .enumerate()
        .map(|(i, name)| {
            let i = i as u32;
            let group = *first.entry(name).or_insert(i);
            (u64::from(group) << 32) | u64::from(i)
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|k| (k & u64::from(u32::MAX)) as usize)
        .collect()
}

/// Names that make a folder's walk depend on more than its names: ignore
/// files and a repository (its `info/exclude`).
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", ".git"];

/// The files below `root` (`canonical`: the same, canonical) that a walk
/// would read, in the pages' order, or `None` where the `ignore` walker
/// must list them ([`listable`], [`list_folder`]).
fn plain_listing(root: &Path, canonical: Option<&Path>) -> Option<Vec<FoundFile>> {
    if !listable(canonical) {
        return None;
    }
    list_folder(root, &AtomicUsize::new(0), 0)
}

/// How many levels of folders [`list_folder`] lists side by side (the
/// corpus's locales and their folders), and how deep it lists at all.
const SIDE_BY_SIDE: usize = 4;
const LISTED_DEPTH: usize = 64;

/// The most folders a listing holds open ([`list_folder`]): each is a file
/// descriptor until the pages are read, and a docs set of thousands of
/// folders would otherwise meet the process's limit (1,024 by default)
/// and fail to open its pages. The folders past it are opened by path.
const HELD_FOLDERS: usize = 64;

/// Whether the files below `canonical` can be listed without the `ignore`
/// walker, as far as what lies above them and the user's git settings
/// tell: no ignore file or repository in the root or above it, no global
/// excludes file. What lies below is [`list_folder`]'s to find.
///
/// Why: the walker's own work per file (its matchers, its queue, joining
/// and testing each path) was 20 M instructions on the corpus, and its
/// pages arrived in no order, to be sorted and moved into order (another
/// 23 M). A listing in order lets each page be read into its place.
fn listable(canonical: Option<&Path>) -> bool {
    if !cfg!(unix) {
        // Elsewhere a hidden file is also one with the hidden attribute.
        return false;
    }
    let Some(canonical) = canonical else {
        return false;
    };
    let marked = |dir: &Path| {
        IGNORE_FILES
            .iter()
            .any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
    };
    if canonical.ancestors().skip(1).any(marked) {
        return false;
    }
    !global_excludes()
}

/// Whether the user's git settings name an excludes file that exists: a
/// walk must then read it, and only the `ignore` walker does.
fn global_excludes() -> bool {
    ignore::gitignore::gitconfig_excludes_path().is_some_and(|p| p.is_file())
}

/// The files below `dir` in the pages' order, or `None` when the folder
/// needs the `ignore` walker (see [`listable`]): an ignore file, a
/// repository or a symbolic link (whose loops the walker reports) below,
/// or an error reading a folder (which it reports).
///
/// The order of whole paths, by their bytes, is the order of each folder's
/// names, a folder's name read with a `/` after it (`a.md` < `a/` < `a0`),
/// each folder's files listed in its place.
///
/// A folder's subfolders are listed side by side, down to
/// [`SIDE_BY_SIDE`] levels below the root: listed one after another, the
/// corpus's ten thousand names (read and sorted) kept one core busy and
/// the other idle for 11 ms before the first page was read. A folder more
/// than [`LISTED_DEPTH`] levels down is the walker's (which keeps no
/// stack of calls): each level is a call here, on a thread of the pool
/// with its smaller stack.
fn list_folder(dir: &Path, held: &AtomicUsize, depth: usize) -> Option<Vec<FoundFile>> {
    if depth > LISTED_DEPTH {
        return None;
    }
    // (the name's first bytes as a number, path, where its name begins,
    // whether it is a folder)
    let mut entries: Vec<(u128, PathBuf, usize, bool)> = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let kind = entry.file_type().ok()?;
        if kind.is_symlink() {
            return None;
        }
        let path = entry.path();
        let start = name_start(path.as_os_str().as_encoded_bytes());
        let name = &path.as_os_str().as_encoded_bytes()[start..];
        if name.first() == Some(&b'.') {
            if IGNORE_FILES.iter().any(|n| n.as_bytes() == name) {
                return None;
            }
            // Hidden, as the walker has it.
            continue;
        }
        if kind.is_dir() || kind.is_file() {
            entries.push((name_key(name, kind.is_dir()), path, start, kind.is_dir()));
        }
    }
    // Most names differ in their first 16 bytes, compared as one number
    // (comparing the names as slices was 7 M instructions on the corpus).
    entries.sort_unstable_by(|(a_key, a, a_start, a_dir), (b_key, b, b_start, b_dir)| {
        a_key.cmp(b_key).then_with(|| {
            let (a, b) = (
                a.as_os_str().as_encoded_bytes(),
                b.as_os_str().as_encoded_bytes(),
            );
            name_order(&a[*a_start..], *a_dir, &b[*b_start..], *b_dir)
        })
    });
    // A subfolder that needs the walker stops the listing (`None`): the
    // subfolders not started yet are not listed.
    let folders: Vec<&Path> = entries
        .iter()
        .filter(|(_, _, _, is_dir)| *is_dir)
        .map(|(_, path, _, _)| path.as_path())
        .collect();
    let list = |path: &&Path| list_folder(path, held, depth + 1);
    let below: Vec<Vec<FoundFile>> = if depth < SIDE_BY_SIDE {
        folders.par_iter().map(list).collect::<Option<_>>()?
    } else {
        folders.iter().map(list).collect::<Option<_>>()?
    };
    // Held open for its files to be opened by name (`None` where it cannot
    // be, or [`HELD_FOLDERS`] are: they are opened by path). Only a folder
    // that holds files takes one of them.
    let folder = if entries.len() > below.len()
        && held.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < HELD_FOLDERS
    {
        File::open(dir).ok().map(Arc::new)
    } else {
        None
    };
    let mut below = below.into_iter();
    let mut files = Vec::with_capacity(entries.len());
    for (_, path, _, is_dir) in entries {
        if is_dir {
            files.append(&mut below.next()?);
        } else {
            files.push((path, folder.clone()));
        }
    }
    Some(files)
}

/// The bytes after a walked path's last separator: its name.
fn file_name(path: &Path) -> &[u8] {
    let bytes = path.as_os_str().as_encoded_bytes();
    &bytes[name_start(bytes)..]
}

/// Where the name begins in a path's bytes.
fn name_start(bytes: &[u8]) -> usize {
    if cfg!(windows) {
        bytes
            .iter()
            .rposition(|&b| std::path::is_separator(char::from(b)))
            .map_or(0, |i| i + 1)
    } else {
        memchr::memrchr(b'/', bytes).map_or(0, |i| i + 1)
    }
}

/// The first 16 bytes of a name (a folder's followed by `/`), then zeros,
/// read as a big-endian number: names in [`name_order`] have their keys in
/// the same order, or equal ones (a name holds no zero byte).
fn name_key(name: &[u8], dir: bool) -> u128 {
    let mut bytes = [0; 16];
    let n = name.len().min(16);
    bytes[..n].copy_from_slice(&name[..n]);
    if dir && n < 16 {
        bytes[n] = b'/';
    }
    u128::from_be_bytes(bytes)
}

/// Two names of one folder in the order of the paths below them: a
/// folder's name as if a `/` followed it.
fn name_order(a: &[u8], a_dir: bool, b: &[u8], b_dir: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let next = |name: &[u8], dir: bool| name.get(n).copied().or(dir.then_some(b'/'));
        next(a, a_dir).cmp(&next(b, b_dir))
    })
}

/// The pages below `root` as the `ignore` walker finds them (`.gitignore`
/// respected, symbolic links followed, loops reported in `errors`), read
/// on its own threads as it finds them, then put in order.
fn walk<T: Send>(
    root: &Path,
    index: usize,
    selector: &Selector,
    options: &DiscoverOptions,
    keep: &Keep<impl Fn(Page, &mut Vec<Finding>) -> T + Sync>,
    errors: &mut Vec<Finding>,
) -> Loaded<T> {
    let found_errors = Mutex::new(Vec::new());
    let read_pages: Mutex<Reads<T>> = Mutex::new(Reads::default());
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
                        let listed = (entry.into_path(), None);
                        if let Some(source) = found_below(root, index, listed, selector, options) {
                            let (page, findings) = read(&source, options, keep);
                            lock(&read_pages).push(source.fs_path, page, findings);
                        }
                    }
                    Ok(_) => {}
                    Err(err) => lock(&found_errors).push(walk_error(&err)),
                }
                ignore::WalkState::Continue
            })
        });
    errors.extend(found_errors.into_inner().unwrap_or_else(|e| e.into_inner()));
    read_pages
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_loaded()
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
            if other_locale || selector.sliced() && !selector.keeps(&source, options) {
                return None;
            }
            Some(Listed {
                path: Arc::clone(&source.display),
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
        a.source
            .root
            .cmp(&b.source.root)
            .then_with(|| path_order(&a.source.fs_path, &b.source.fs_path))
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
        .map(|l| {
            let keep = Keep {
                held: Held::Kept,
                keep: |page, _: &mut Vec<Finding>| keep(page),
            };
            read(&l.source, options, &keep).0
        })
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
    /// (path, what was kept, its findings in `findings`): by path the
    /// pages' order, whatever thread read them.
    pages: Vec<(PathBuf, Option<T>, Range<usize>)>,
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
    fn push(&mut self, path: PathBuf, page: Option<T>, mut found: Vec<Finding>) {
        let at = add_found(&mut self.findings, &mut found);
        grow(&mut self.pages, 1);
        self.pages.push((path, page, at));
    }

    /// The pages by path, and every page's findings in that order.
    fn into_loaded(self) -> Loaded<T> {
        let Reads {
            mut pages,
            mut findings,
        } = self;
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_unstable_by(|&a, &b| path_order(&pages[a].0, &pages[b].0));
        let found_order: Vec<usize> = order.iter().flat_map(|&i| pages[i].2.clone()).collect();
        permute(&mut pages, order);
        permute(&mut findings, found_order);
        // Collected in place (the standard library reuses a vector's block
        // for a `filter_map` into items no larger): `pages`'s block becomes
        // the pages' list.
        let pages = pages.into_iter().filter_map(|read| read.1).collect();
        Loaded { pages, findings }
    }
}

/// Moves a page's findings to the end of the run's list (read in any
/// order, put in page order later by [`permute`]): where they now are.
fn add_found(findings: &mut Vec<Finding>, found: &mut Vec<Finding>) -> Range<usize> {
    let start = findings.len();
    grow(findings, found.len());
    findings.append(found);
    start..findings.len()
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

/// What is kept of each page read (`keep`), and how long the page is.
struct Keep<K> {
    held: Held,
    keep: K,
}

fn read<T>(
    source: &Source,
    options: &DiscoverOptions,
    keep: &Keep<impl Fn(Page, &mut Vec<Finding>) -> T>,
) -> (Option<T>, Vec<Finding>) {
    let path = Arc::clone(&source.display);
    let limit = crate::limits::page_bytes();
    let read = source.open().and_then(|file| match keep.held {
        Held::Kept => read_bytes(file, limit),
        Held::Dropped => read_into_block(file, limit),
    });
    let bytes = match read {
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
    let page = Page::from_bytes_in(
        path,
        bytes,
        locale,
        key,
        options.depth,
        options.source_locale.as_deref(),
    );
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
    let kept = (keep.keep)(page, &mut findings);
    (Some(kept), findings)
}

/// The file's bytes. `std::fs::read` asks the file's size first (a `statx`
/// per page); reading into this thread's buffer until the end needs no size,
/// and the buffer is reused from page to page. More than `limit` bytes is
/// an error of kind `FileTooLarge`, found without reading further.
fn read_bytes(mut file: File, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::cell::RefCell;
    use std::io::Read;
    /// Larger than any page of the corpus (the largest is 82 KB).
    const USUAL: usize = 128 * 1024;
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; USUAL]);
    }
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

/// The block a page that is dropped after its reading is read into: larger
/// than all but 37 of the corpus's 9,941 pages (a larger one grows it).
const DROPPED_BLOCK: usize = 32 * 1024;

/// The file's bytes, read straight into a block of their own of
/// [`DROPPED_BLOCK`] bytes or more ([`Held::Dropped`]). Through `Take`,
/// which reads into the block's spare room without zeroing it and without
/// asking the file's size first (`File::read_to_end` asks: a `statx` and an
/// `lseek` a page). Its first read is of 8 KB, so a page larger than that
/// takes one more `read` than [`read_bytes`] (9% of the corpus's pages).
/// More than `limit` bytes is an error of kind `FileTooLarge`, found
/// without reading further.
fn read_into_block(file: File, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(DROPPED_BLOCK)
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
    let most = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    file.take(most).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(std::io::Error::from(std::io::ErrorKind::FileTooLarge));
    }
    Ok(bytes)
}

fn walk_error(err: &ignore::Error) -> Finding {
    let path = walk_error_path(err).map_or_else(|| Arc::from("<walk>"), |p| display(&p));
    Finding::new(&UNREADABLE_PAGE, &path, 0..0, format!("cannot walk: {err}"))
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

/// A path as pages and findings show it, made once: the page and its
/// findings share it.
fn display(path: &Path) -> Arc<str> {
    let s = text_of(path);
    let s = s.strip_prefix("./").unwrap_or(&s);
    if s.contains('\\') {
        Arc::from(s.replace('\\', "/"))
    } else {
        Arc::from(s)
    }
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
/// offset of the `/` after that folder. Pages are read a few folders at a
/// time (a page beside its translations, [`beside_namesakes`]): the
/// answers for the last [`KEPT_FOLDERS`] folders are kept per thread (the
/// folder walk and its tag tests were ~2,800 instructions a page).
fn folder_locale(display: &str) -> Option<(String, usize)> {
    use std::cell::RefCell;
    /// Folders and their answers, the latest last.
    type Kept = Vec<(String, Option<(String, usize)>)>;
    thread_local! {
        static LAST: RefCell<Kept> = const { RefCell::new(Vec::new()) };
    }
    let folder = &display[..memchr::memrchr(b'/', display.as_bytes())?];
    LAST.with_borrow_mut(|last| {
        if let Some((_, found)) = last.iter().rev().find(|(dir, _)| dir == folder) {
            return found.clone();
        }
        let found = folder_locale_uncached(display);
        if last.len() == KEPT_FOLDERS {
            last.remove(0);
        }
        last.push((folder.to_owned(), found.clone()));
        found
    })
}

/// How many folders' locales a thread keeps: a page's folder in a few
/// locales, and room to spare.
const KEPT_FOLDERS: usize = 8;

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

    /// Files of one name are read one after another, in their own order,
    /// where the first of them stands; the pages come out in theirs.
    #[test]
    fn namesakes_are_read_together_and_come_out_in_order() {
        let names: [&[u8]; 6] = [b"a.md", b"b.md", b"c.md", b"a.md", b"c.md", b"a.md"];
        assert_eq!(beside_namesakes(names.iter().copied()), [0, 3, 5, 1, 2, 4]);
        let dir = tempfile::tempdir().unwrap();
        for locale in ["en-us", "zh-cn"] {
            for page in ["a.md", "b.md"] {
                let path = dir.path().join(locale).join("api");
                std::fs::create_dir_all(&path).unwrap();
                std::fs::write(path.join(page), format!("# {locale} {page}\n")).unwrap();
            }
        }
        let loaded = load(&[dir.path().to_path_buf()], &DiscoverOptions::default()).unwrap();
        let below: Vec<String> = loaded
            .pages
            .iter()
            .map(|p| p.path.rsplitn(4, '/').take(3).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            below,
            [
                "a.md api en-us",
                "b.md api en-us",
                "a.md api zh-cn",
                "b.md api zh-cn"
            ]
        );
    }

    /// A page read into a block of its own holds what the thread's buffer
    /// gives: empty, around the first read's 8 KB, around the block's size
    /// and past it (grown), and past the thread buffer's first size; a
    /// file of `limit` bytes is read, one byte more is `FileTooLarge`.
    #[test]
    fn a_page_read_into_its_block_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let sizes = [
            0,
            1,
            8191,
            8192,
            8193,
            DROPPED_BLOCK - 1,
            DROPPED_BLOCK,
            DROPPED_BLOCK + 1,
            3 * DROPPED_BLOCK + 7,
            300_000,
        ];
        for size in sizes {
            let path = dir.path().join(format!("p{size}.md"));
            let text: Vec<u8> = (0..size).map(|i| b'a' + (i % 23) as u8).collect();
            std::fs::write(&path, &text).unwrap();
            let open = || File::open(&path).unwrap();
            let read = read_into_block(open(), size).unwrap();
            assert_eq!(read, text, "{size}");
            assert!(read.capacity() >= DROPPED_BLOCK, "{size}");
            assert_eq!(read_bytes(open(), size).unwrap(), text, "{size}");
            if size > 0 {
                for error in [
                    read_into_block(open(), size - 1),
                    read_bytes(open(), size - 1),
                ] {
                    let kind = error.map(|b| b.len()).unwrap_err().kind();
                    assert_eq!(kind, std::io::ErrorKind::FileTooLarge, "{size}");
                }
            }
        }
        // Opened by name in the folder held open, or by path: the same
        // file, and a missing one `NotFound` either way.
        #[cfg(unix)]
        {
            let folder = Arc::new(File::open(dir.path()).unwrap());
            for name in ["p8192.md", "missing.md"] {
                let path = dir.path().join(name);
                let by_path = Source::explicit(&path, 0);
                let by_name = Source {
                    folder: Some(Arc::clone(&folder)),
                    ..Source::explicit(&path, 0)
                };
                let read = |s: &Source| s.open().and_then(|f| read_bytes(f, 1 << 20));
                match (read(&by_name), read(&by_path)) {
                    (Ok(a), Ok(b)) => assert_eq!((a.len(), &a), (8192, &b)),
                    (Err(a), Err(b)) => {
                        assert_eq!(
                            (a.kind(), b.kind()),
                            (std::io::ErrorKind::NotFound, std::io::ErrorKind::NotFound)
                        );
                        assert_eq!(name, "missing.md");
                    }
                    other => panic!("{name}: {other:?}"),
                }
            }
        }
    }

    /// `load_dropping` gives what `load_with` gives, pages and findings,
    /// whichever way the bytes were read.
    #[test]
    fn pages_dropped_after_reading_are_read_as_kept_ones() {
        let dir = tempfile::tempdir().unwrap();
        let big = format!("# Big\n\n{}", "Some text.\n".repeat(5000));
        for (name, text) in [
            ("a.md", "# A\n\nText.\n".to_owned()),
            ("b.md", String::new()),
            ("c.md", big),
            ("d.md", "\u{feff}# D\n\nx\n".to_owned()),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        std::fs::write(dir.path().join("e.md"), b"# E\n\xff\xfe\n").unwrap();
        let roots = [dir.path().to_path_buf()];
        let options = DiscoverOptions::default();
        let shown = |page: Page, found: &mut Vec<Finding>| {
            found.push(Finding::new(&UNREADABLE_PAGE, &page.path, 0..0, "x"));
            (
                page.path.to_string(),
                page.text.clone(),
                page.unreadable.is_some(),
            )
        };
        let kept = load_with(&roots, &options, shown).unwrap();
        let dropped = load_dropping(&roots, &options, shown).unwrap();
        assert_eq!(kept.pages.len(), 5);
        assert_eq!(kept.pages, dropped.pages);
        let paths = |l: &Loaded<_>| {
            l.findings
                .iter()
                .map(|f| f.path.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(&kept), paths(&dropped));
        assert!(dropped.pages[2].1.len() > DROPPED_BLOCK);
        assert!(dropped.pages[4].2);
    }

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

    /// The listing without the `ignore` walker gives the files that walker
    /// gives, in the pages' order (names sharing their first 16 bytes, a
    /// file beside a folder of the same stem, hidden ones left out), and
    /// gives way to it when an ignore file or a link is there. (Unix only:
    /// elsewhere the walker always lists.)
    #[cfg(unix)]
    #[test]
    fn a_plain_listing_is_the_walk_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("docs");
        let files = [
            "a.md",
            "a/b.md",
            "a0.md",
            "a-b.md",
            "A.md",
            "b/c/d.md",
            "b/c.md",
            "b.md",
            "serviceprincipal-add.md",
            "serviceprincipal-a/x.md",
            "serviceprincipal-addowner.md",
            "serviceprincipal/y.md",
            "x.png",
            ".hidden.md",
            ".hid/z.md",
            "empty/.keep",
        ];
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "# x\n").unwrap();
        }
        let walked = || {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(&root)
                .follow_links(true)
                .require_git(false)
                .hidden(true)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(ignore::DirEntry::into_path)
                .collect();
            found.sort_unstable_by(|a, b| path_order(a, b));
            found
        };
        let canonical = std::fs::canonicalize(&root).unwrap();
        let listed = plain_listing(&root, Some(&canonical));
        if global_excludes() {
            // A global excludes file: always the walker's.
            assert!(listed.is_none());
            return;
        }
        let listed: Option<Vec<PathBuf>> =
            listed.map(|files| files.into_iter().map(|(path, _)| path).collect());
        assert_eq!(listed.as_ref(), Some(&walked()));
        assert_eq!(listed.unwrap().len(), 13, "all but the hidden");
        std::fs::write(root.join("b/.gitignore"), "d.md\n").unwrap();
        assert!(plain_listing(&root, Some(&canonical)).is_none());
        assert_eq!(walked().len(), 12, "the walker reads the ignore file");
        std::fs::remove_file(root.join("b/.gitignore")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("../a", root.join("b/link")).unwrap();
            assert!(plain_listing(&root, Some(&canonical)).is_none());
        }
    }

    /// A listing holds at most [`HELD_FOLDERS`] folders open (the rest of
    /// their files are opened by path), and only folders that hold files.
    #[cfg(unix)]
    #[test]
    fn a_listing_holds_few_folders_open() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("docs");
        for i in 0..HELD_FOLDERS + 6 {
            let folder = root.join(format!("f{i:03}"));
            std::fs::create_dir_all(folder.join("empty")).unwrap();
            std::fs::write(folder.join("p.md"), "# x\n").unwrap();
        }
        let canonical = std::fs::canonicalize(&root).unwrap();
        let Some(listed) = plain_listing(&root, Some(&canonical)) else {
            // A global excludes file: always the walker's.
            assert!(global_excludes());
            return;
        };
        assert_eq!(listed.len(), HELD_FOLDERS + 6);
        let held = listed.iter().filter(|(_, folder)| folder.is_some()).count();
        assert_eq!(held, HELD_FOLDERS);
    }

    /// A tree deeper than [`LISTED_DEPTH`] is the walker's (the listing
    /// calls itself a level at a time); one as deep is listed.
    #[cfg(unix)]
    #[test]
    fn a_deep_tree_is_left_to_the_walker() {
        if global_excludes() {
            // A global excludes file: always the walker's.
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        for (name, depth) in [("deep", LISTED_DEPTH + 1), ("shallow", LISTED_DEPTH)] {
            let root = dir.path().join(name);
            let bottom = (0..depth).fold(root.clone(), |p, _| p.join("d"));
            std::fs::create_dir_all(&bottom).unwrap();
            std::fs::write(bottom.join("p.md"), "# x\n").unwrap();
            let canonical = std::fs::canonicalize(&root).unwrap();
            let listed = plain_listing(&root, Some(&canonical));
            let paths: Option<Vec<PathBuf>> =
                listed.map(|l| l.into_iter().map(|(p, _)| p).collect());
            let expected = (depth == LISTED_DEPTH).then(|| vec![bottom.join("p.md")]);
            assert_eq!(paths, expected, "{name}");
        }
    }

    /// Names in order of their paths, as the keys order them.
    #[test]
    fn names_are_ordered_as_the_paths_below_them() {
        let names: [(&[u8], bool); 8] = [
            (b"a", false),
            (b"a.md", false),
            (b"a", true),
            (b"a0", false),
            (b"abcdefghijklmnop", false),
            (b"abcdefghijklmnop", true),
            (b"abcdefghijklmnopq", false),
            (b"b", true),
        ];
        let path = |(name, dir): (&[u8], bool)| {
            let mut p = name.to_vec();
            if dir {
                p.extend_from_slice(b"/x");
            }
            p
        };
        for a in names {
            for b in names {
                let by_path = path(a).cmp(&path(b));
                assert_eq!(name_order(a.0, a.1, b.0, b.1), by_path, "{a:?} {b:?}");
                let by_key = name_key(a.0, a.1).cmp(&name_key(b.0, b.1));
                assert!(by_key == by_path || by_key.is_eq(), "{a:?} {b:?}");
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
