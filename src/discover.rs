//! Paths to pages: walk each root with `ignore` (`.gitignore` respected,
//! symlinks followed, loops reported rather than followed forever), read
//! every file in parallel, and let the content decide what kind of page it is.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::finding::Finding;
use crate::page::Page;

/// Extensions that are never pages; everything else is read and sniffed.
const NOT_PAGES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "bmp", "pdf", "zip", "gz", "tgz", "woff",
    "woff2", "ttf", "eot", "mp4", "mp3", "json", "yml", "yaml", "toml", "lock", "css", "js", "xml",
    "csv", "exe", "dll", "so",
];

/// Extensions whose binary content is a finding, not a skip.
const DOC_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "txt"];

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// `--locale TAG=DIR`: folders that are locale roots whatever their names.
    pub locale_roots: Vec<(String, PathBuf)>,
    /// How much of each page to read.
    pub depth: crate::page::Depth,
}

/// A file that may be a page.
#[derive(Debug, Clone)]
struct Source {
    fs_path: PathBuf,
    display: String,
    explicit: bool,
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
    // (root, path) orders the results whatever thread read them.
    let read_pages: Mutex<Vec<Read<T>>> = Mutex::new(Vec::new());
    for (index, root) in roots.iter().enumerate() {
        let meta = std::fs::metadata(root).map_err(|error| RootError {
            path: root.clone(),
            error,
        })?;
        if meta.is_file() {
            let source = Source {
                fs_path: root.clone(),
                display: display(root),
                explicit: true,
            };
            let (page, findings) = read(&source, options, &keep);
            lock(&read_pages).push((index, source.fs_path, page, findings));
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
                            if !skip {
                                let source = Source {
                                    display: display(&path),
                                    fs_path: path,
                                    explicit: false,
                                };
                                let (page, findings) = read(&source, options, &keep);
                                lock(&read_pages).push((index, source.fs_path, page, findings));
                            }
                        }
                        Ok(_) => {}
                        Err(err) => lock(&errors).push(walk_error(&err)),
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    let mut read_pages = read_pages.into_inner().unwrap_or_else(|e| e.into_inner());
    read_pages.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            a.1.as_os_str()
                .as_encoded_bytes()
                .cmp(b.1.as_os_str().as_encoded_bytes())
        })
    });
    let mut findings = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    findings.sort_by(|a, b| a.path.cmp(&b.path));
    let mut loaded = Loaded {
        pages: Vec::with_capacity(read_pages.len()),
        findings,
    };
    for (_, _, page, findings) in read_pages {
        loaded.pages.extend(page.map(|p| *p));
        loaded.findings.extend(findings);
    }
    Ok(loaded)
}

/// What reading one file gave, keyed by (root index, path) for a stable order.
/// (What was kept is boxed: the sort moves these, and a page is a large struct.)
type Read<T> = (usize, PathBuf, Option<Box<T>>, Vec<Finding>);

/// A poisoned lock still holds good data: a panic elsewhere is a bug reported on its own.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn read<T>(
    source: &Source,
    options: &DiscoverOptions,
    keep: &impl Fn(Page, &mut Vec<Finding>) -> T,
) -> (Option<Box<T>>, Vec<Finding>) {
    let path: Arc<str> = Arc::from(source.display.as_str());
    let bytes = match read_bytes(&source.fs_path, crate::limits::page_bytes()) {
        Ok(b) => b,
        // Not read at all: a page this large is no documentation page, and
        // the model of it would take many times its size (issue 13).
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            let rule = crate::rules::registry::PAGE_TOO_LARGE;
            let size = std::fs::metadata(&source.fs_path).map_or(0, |m| m.len() as usize);
            let mut f = Finding::new(
                rule.name,
                &path,
                0..0,
                format!(
                    "the page is {}, more than the {} exemplar reads; it was not checked",
                    crate::limits::shown(size),
                    crate::limits::shown(crate::limits::page_bytes())
                ),
            )
            .help("split the page, exclude it in exemplar.toml, or raise EXEMPLAR_MAX_PAGE_BYTES");
            f.severity = rule.severity;
            return (None, vec![f]);
        }
        Err(e) => {
            let f = Finding::new(
                "unreadable-page",
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
        .is_some_and(|(_, why)| why.starts_with("binary"));
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
    (Some(Box::new(kept)), findings)
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
    Finding::new("unreadable-page", &Arc::from(path.as_str()), 0..0, format!("cannot walk: {err}"))
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
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).replace('\\', "/")
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
    // The folders above the page, nearest first.
    let mut folder_end = display.rfind('/');
    while let Some(end) = folder_end {
        let start = display[..end].rfind('/').map_or(0, |i| i + 1);
        if let Some(tag) = crate::lang::tag_of_folder(&display[start..end]) {
            return (Some(tag), Some(display[end + 1..].to_owned()));
        }
        folder_end = start.checked_sub(1);
    }
    (None, None)
}
