//! `exemplar check --watch`: checks once, then again each time a page is
//! saved, reading only the saved pages and their locale partners (the
//! `--changed-since` selection, fed by the file watcher instead of git).
//! The screen is cleared between runs when the output is a terminal.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::Fatal;
use crate::cli::CheckArgs;
use crate::page::{Depth, Page};
use crate::types::Model;

/// How long to wait for the rest of a save: editors write a file in
/// several steps (truncate, write, rename) that arrive as several events.
const SETTLE: Duration = Duration::from_millis(15);

pub(super) fn run(args: &CheckArgs) -> Result<u8, Fatal> {
    let (tx, rx) = mpsc::channel();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| Fatal(format!("--watch: {e}")))?;
    for path in &args.common.paths {
        watcher
            .watch(path, RecursiveMode::Recursive)
            .map_err(|e| Fatal(format!("--watch {}: {e}", path.display())))?;
    }
    let terminal = args.common.output.is_none() && std::io::stdout().is_terminal();
    // The docs set's type model, built by the first run and kept: a saved
    // page is held to it without reading every resource page again (2 s
    // of the corpus's 3,300 English pages, debug build). A saved page that
    // defines types builds it anew.
    let mut model = None;
    once(args, None, terminal, None, &mut model)?;
    let mut defining = model.as_deref().map(pages_of).unwrap_or_default();
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(0);
        };
        let started = Instant::now();
        let mut changed = HashSet::new();
        collect(first, &mut changed);
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            collect(event, &mut changed);
        }
        if changed.is_empty() {
            continue;
        }
        // A page the kept model was built from, or one that defines types
        // now: either may change the model.
        if changed
            .iter()
            .any(|p| defining.contains(p) || defines_types(p))
        {
            model = None;
        }
        let rebuilt = model.is_none();
        once(args, Some(changed), terminal, Some(started), &mut model)?;
        if rebuilt {
            defining = model.as_deref().map(pages_of).unwrap_or_default();
        }
    }
}

/// The pages an event names (created or modified, of a page's extension).
fn collect(event: notify::Result<notify::Event>, into: &mut HashSet<PathBuf>) {
    let Ok(event) = event else { return };
    if !matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_)) {
        return;
    }
    for path in event.paths {
        let page = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| crate::discover::DOC_EXTENSIONS.contains(&e));
        if !page {
            continue;
        }
        // The selection holds canonical paths, as git's does.
        if let Ok(path) = path.canonicalize() {
            into.insert(path);
        }
    }
}

/// Does the page at `path` document a resource or enum type (so the type
/// model changes with it)? An unreadable one is taken to: the model is
/// then built again, which is never wrong.
fn defines_types(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return true;
    };
    let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    // The depth a sliced run reads defining pages at: a page that cannot
    // define a type is not parsed at all.
    Page::from_bytes(name, bytes, None, None, Depth::Types)
        .types
        .is_some()
}

/// The pages a model was built from, as the watcher names them (canonical):
/// every type's, property's and enum's page.
fn pages_of(model: &Model) -> HashSet<PathBuf> {
    let pages: HashSet<&str> = model
        .types
        .iter()
        .flat_map(|t| std::iter::once(&*t.page).chain(t.properties.iter().map(|p| &*p.page)))
        .chain(model.enums.iter().map(|e| &*e.page))
        .collect();
    pages
        .into_iter()
        .filter_map(|p| Path::new(p).canonicalize().ok())
        .collect()
}

/// One run: everything (`changed` is `None`) or the changed pages and their partners.
fn once(
    args: &CheckArgs,
    changed: Option<HashSet<PathBuf>>,
    terminal: bool,
    since: Option<Instant>,
    model: &mut Option<Arc<Model>>,
) -> Result<(), Fatal> {
    if terminal {
        // Clear the screen and the scrollback, and go home.
        print!("\x1b[2J\x1b[3J\x1b[H");
    }
    let pages = changed.as_ref().map(HashSet::len);
    super::check::run_selected(args, changed, model)?;
    let mut out = std::io::stdout().lock();
    let line = match (pages, since) {
        (Some(n), Some(at)) => format!(
            "[watch] re-checked after {n} changed {} in {} ms; waiting for changes",
            if n == 1 { "page" } else { "pages" },
            at.elapsed().as_millis()
        ),
        _ => "[watch] waiting for changes".to_owned(),
    };
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    Ok(())
}
