//! Data-driven tests: every page under `tests/fixtures/` (and the three seed
//! pages in `../shared/seeds`) is one named test. `exemplar check` runs on
//! it and its findings, one line each (`LINE:COL-END_LINE:END_COL
//! severity[rule] message`, each related place on an indented line after
//! it: `    = LINE:COL message`), must equal the `.expected` file beside it; a
//! `.extract` file, where present, holds the expected examples.
//! `EXEMPLAR_BLESS=1 cargo test --test fixtures` rewrites the expected files
//! (review the diff before committing).

use std::path::{Path, PathBuf};

use exemplar::commands::check::{check, CheckOptions};
use exemplar::finding::Finding;
use exemplar::report::{Command, Report};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut trials = Vec::new();
    let mut pages: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    collect(&root.join("tests/fixtures"), &mut pages, root);
    let seeds = root.join("../shared/seeds");
    if let Ok(dir) = std::fs::read_dir(&seeds) {
        let mut found: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        found.sort();
        for page in found {
            let stem = page
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let expected = root.join("tests/fixtures/seeds").join(&stem);
            pages.push((format!("seeds/{stem}"), page, expected));
        }
    }
    for (name, page, expected) in pages {
        if page.is_dir() {
            trials.push(Trial::test(name, move || run_docset(&page)));
        } else {
            trials.push(Trial::test(name, move || run(&page, &expected)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// Pages (not expected files) below `dir`, with the stem their expectations share.
fn collect(dir: &Path, out: &mut Vec<(String, PathBuf, PathBuf)>, root: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            // A folder named `*.docset` is one docs set, checked as a whole
            // (the cross-page rules need all its pages: the resource types).
            if path.extension().is_some_and(|e| e == "docset") {
                let name = path
                    .strip_prefix(root.join("tests/fixtures"))
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, path.clone(), path.clone()));
            } else if path.file_name().is_some_and(|n| n != "seeds") {
                collect(&path, out, root);
            }
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "expected" || ext == "extract" {
            continue;
        }
        let stem = path.with_extension("");
        let name = stem
            .strip_prefix(root.join("tests/fixtures"))
            .unwrap_or(&stem)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((name, path.clone(), stem));
    }
}

fn run(page: &Path, expected_stem: &Path) -> Result<(), Failed> {
    // The binary's own entry point, on this page alone, with no configuration.
    let mut checked =
        check(CheckOptions::new(vec![page.to_path_buf()])).map_err(|e| e.to_string())?;
    let findings = std::mem::take(&mut checked.findings);
    let report = checked.report(Command::Check, findings);
    let actual: String = report.findings.iter().map(|f| shown(&report, f)).collect();
    compare(&expected_stem.with_extension("expected"), &actual, true)?;
    let examples: String = checked
        .pages()
        .iter()
        .map(exemplar::report::examples::outline)
        .collect();
    compare(&expected_stem.with_extension("extract"), &examples, false)
}

/// A docs set: every page read, the page rules and the type rules run as
/// `check` runs them, and each page's findings compared with the
/// `.expected` file beside it (the same line format as single pages).
/// Paths are relative to the crate, so that messages naming another page
/// of the set read the same on every machine.
fn run_docset(dir: &Path) -> Result<(), Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = dir.strip_prefix(root).unwrap_or(dir).to_path_buf();
    // The binary's entry point; the locale rules are left out, as a docs
    // set's fixtures pin the type rules.
    let mut checked = check(CheckOptions::new(vec![relative])).map_err(|e| e.to_string())?;
    let mut findings = std::mem::take(&mut checked.findings);
    findings.retain(|f| f.rule.scope != exemplar::rule::Scope::Locale);
    let report = checked.report(Command::Check, findings);
    let mut failures = Vec::new();
    // The expectations sit beside the pages and read as pages too.
    for page in checked
        .pages()
        .iter()
        .filter(|p| !p.path.ends_with(".expected") && !p.path.ends_with(".extract"))
    {
        let mut actual = String::new();
        for f in report.findings.iter().filter(|f| f.path == page.path) {
            actual.push_str(&shown(&report, f));
        }
        let expected = root.join(page.path.as_ref()).with_extension("expected");
        if let Err(e) = compare(&expected, &actual, true) {
            failures.push(e.message().unwrap_or_default().to_owned());
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

/// A finding as the expected files write it: `LINE:COL-END_LINE:END_COL
/// severity[rule] message`, then each related place indented
/// (`    = LINE:COL message`, with its path when it is another page).
fn shown(report: &Report, f: &Finding) -> String {
    let at = report.locate(f);
    let mut out = format!(
        "{}:{}-{}:{} {}[{}] {}\n",
        at.start.line,
        at.start.column,
        at.end.line,
        at.end.column,
        f.severity.as_str(),
        f.rule.name,
        f.message
    );
    for r in report.related(f) {
        let elsewhere = if r.path == &*f.path {
            String::new()
        } else {
            format!("{} ", r.path)
        };
        out.push_str(&format!(
            "    = {elsewhere}{}:{} {}\n",
            r.start.line, r.start.column, r.message
        ));
    }
    out
}

/// Compares with the expected file; blesses when asked. An absent `.extract`
/// file is no failure (`required` says whether the file must exist).
fn compare(path: &Path, actual: &str, required: bool) -> Result<(), Failed> {
    if std::env::var_os("EXEMPLAR_BLESS").is_some() {
        if required || path.exists() || !actual.is_empty() {
            std::fs::write(path, actual).map_err(|e| e.to_string())?;
        }
        return Ok(());
    }
    let expected = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(_) if !required => return Ok(()),
        Err(e) => {
            return Err(format!("{}: {e} (EXEMPLAR_BLESS=1 writes it)", path.display()).into())
        }
    };
    if expected == actual {
        Ok(())
    } else {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        Err(format!(
            "{} differs:\n{}",
            path.display(),
            diff.unified_diff().header("expected", "actual")
        )
        .into())
    }
}
