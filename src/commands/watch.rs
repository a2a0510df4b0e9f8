//! `exemplar check --watch`: checks once, then again each time a page is
//! saved, reading only the saved pages and their locale partners (the
//! `--changed-since` selection, fed by the file watcher instead of git).
//! The screen is cleared between runs when the output is a terminal.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::Fatal;
use crate::cli::CheckArgs;

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
    once(args, None, terminal, None)?;
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
        once(args, Some(changed), terminal, Some(started))?;
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

/// One run: everything (`changed` is `None`) or the changed pages and their partners.
fn once(
    args: &CheckArgs,
    changed: Option<HashSet<PathBuf>>,
    terminal: bool,
    since: Option<Instant>,
) -> Result<(), Fatal> {
    if terminal {
        // Clear the screen and the scrollback, and go home.
        print!("\x1b[2J\x1b[3J\x1b[H");
    }
    let pages = changed.as_ref().map(HashSet::len);
    super::check::run_selected(args, changed)?;
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
