//! The interesting inputs the fuzz targets found (crashes, hangs, slow
//! units, minimised) and inputs in their shape, run on every `cargo test`:
//! fuzzing does not run in CI, its findings do.
//!
//! `tests/regressions/KIND/FILE`, one named test per file:
//!
//! - `page/`: read as `extract` and `check` read a page (both depths),
//!   checked, rendered as JSON, and run against the built-in mock; every
//!   span of the page model and every finding lies inside the page, and
//!   the counts add up (examples = replayed + skipped).
//! - `http/`: parsed as a code block (unannotated, as a request, as a
//!   response); every span inside the block.
//! - `json/`: parsed by the tolerant JSON parser; every fault and node inside.
//! - `mock/`: a page, `====`, then requests apart by `----` (the `mock`
//!   fuzz target's format), answered by the mock's handler.
//! - `open/KIND/`: reproducers of faults not fixed on this branch yet (see
//!   `open/README.md`); listed as ignored tests, run with `--ignored`.
//!
//! The CLI check at the end runs `check` and `extract` over every `page/`
//! input in one process, as a user would, and validates the JSON report's
//! positions against each file.

mod common;

use std::path::{Path, PathBuf};

use exemplar::excerpt::Excerpt;
use exemplar::harness::{self, span_problem};
use exemplar::http::StartLine;
use exemplar::json::{Node, Value};
use exemplar::page::Depth;
use libtest_mimic::{Arguments, Failed, Trial};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && !is_readme(p));
    files.sort();
    files
}

fn is_readme(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n == "README.md")
}

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(why().into())
    }
}

fn page(bytes: &[u8]) -> Result<(), Failed> {
    for depth in [Depth::Examples, Depth::Full] {
        let page = harness::read_page("input.md", bytes, depth);
        let problems = harness::page_problems(&page);
        ensure(problems.is_empty(), || format!("{depth:?}: {problems:#?}"))?;
    }
    let (page, findings) = harness::check_page("input.md", bytes);
    for f in &findings {
        ensure(span_problem(&page.text, &f.span).is_none(), || {
            format!("check: {f:?} lies outside the page")
        })?;
    }
    let out = harness::render_check(&page, findings, exemplar::cli::Format::Json);
    serde_json::from_slice::<serde_json::Value>(&out).map_err(|e| format!("JSON report: {e}"))?;
    let run = harness::run_page("input.md", bytes);
    ensure(run.examples == run.replayed + run.skipped.len(), || {
        format!(
            "run: {} examples, {} replayed, {} skipped",
            run.examples,
            run.replayed,
            run.skipped.len()
        )
    })?;
    for f in &run.findings {
        ensure(span_problem(&run.page.text, &f.span).is_none(), || {
            format!("run: {f:?} lies outside the page")
        })?;
    }
    Ok(())
}

fn http(bytes: &[u8]) -> Result<(), Failed> {
    let text = String::from_utf8_lossy(bytes);
    let block = Excerpt::contiguous(text.clone().into_owned(), 0);
    let messages = [
        exemplar::http::parse(&block),
        exemplar::http::parse_expecting(&block, true),
        exemplar::http::parse_expecting(&block, false),
    ];
    for m in messages.iter().flatten() {
        let mut spans = vec![m.line_span.clone()];
        match &m.start {
            StartLine::Request {
                method_span,
                url_span,
                ..
            } => spans.extend([method_span.clone(), url_span.clone()]),
            StartLine::Status { status_span, .. } => spans.push(status_span.clone()),
        }
        spans.extend(
            m.headers
                .iter()
                .flat_map(|h| [h.span.clone(), h.value_span.clone()]),
        );
        spans.extend(m.errors.iter().map(|e| e.span.clone()));
        for s in spans {
            ensure(span_problem(&text, &s).is_none(), || {
                format!("{s:?} in {m:#?}")
            })?;
        }
    }
    Ok(())
}

fn walk(text: &str, node: &Node) -> Result<(), Failed> {
    ensure(span_problem(text, &node.span).is_none(), || {
        format!("{node:?}")
    })?;
    match &node.value {
        Value::Array(items) => items.iter().try_for_each(|n| walk(text, n)),
        Value::Object(members) => members.iter().try_for_each(|m| {
            ensure(span_problem(text, &m.key_span).is_none(), || {
                format!("{m:?}")
            })?;
            walk(text, &m.value)
        }),
        _ => Ok(()),
    }
}

fn json(bytes: &[u8]) -> Result<(), Failed> {
    let text = String::from_utf8_lossy(bytes);
    let parsed = exemplar::json::parse(&text);
    for e in &parsed.errors {
        ensure(span_problem(&text, &e.span).is_none(), || format!("{e:?}"))?;
    }
    // One fault per fault, not per character: never more faults than bytes.
    ensure(parsed.errors.len() <= text.len().max(1), || {
        format!("{} faults in {} bytes", parsed.errors.len(), text.len())
    })?;
    parsed
        .root
        .as_ref()
        .map_or(Ok(()), |root| walk(&text, root))
}

fn mock(bytes: &[u8]) -> Result<(), Failed> {
    let text = String::from_utf8_lossy(bytes);
    let (page, requests) = text.split_once("\n====\n").unwrap_or(("", &text));
    let page = harness::read_page("input.md", page.as_bytes(), Depth::Full);
    let mock = harness::MockService::build(std::slice::from_ref(&page));
    for request in requests.split("\n----\n") {
        let (head, body) = request.split_once("\n\n").unwrap_or((request, ""));
        let mut lines = head.lines();
        let Some((method, target)) = lines.next().and_then(|l| l.split_once(' ')) else {
            continue;
        };
        let headers: Vec<(&str, &str)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim(), v.trim()))
            .collect();
        if let Some(answer) = mock.answer(method, target.trim(), &headers, body.as_bytes()) {
            ensure((100..=599).contains(&answer.status), || {
                format!("{answer:?}")
            })?;
        }
    }
    Ok(())
}

/// What runs on one input of a kind.
type Check = fn(&[u8]) -> Result<(), Failed>;

fn kind_fn(kind: &str) -> Option<Check> {
    Some(match kind {
        "page" => page,
        "http" => http,
        "json" => json,
        "mock" => mock,
        _ => return None,
    })
}

fn trials(dir: &Path, prefix: &str, ignored: bool) -> Vec<Trial> {
    let mut out = Vec::new();
    for kind in ["page", "http", "json", "mock"] {
        let run = kind_fn(kind).expect("a known kind");
        for path in files(&dir.join(kind)) {
            let name = format!(
                "{prefix}{kind}/{}",
                path.file_name().expect("a file").to_string_lossy()
            );
            out.push(
                Trial::test(name, move || {
                    let bytes = std::fs::read(&path).map_err(|e| format!("{e}"))?;
                    run(&bytes)
                })
                .with_ignored_flag(ignored),
            );
        }
    }
    out
}

/// `check` and `extract` over every page input in one run of each, as a
/// user runs them: no exit code 101, and every position in the report names
/// a line of its file and a column on that line.
fn cli() -> Result<(), Failed> {
    let dir = root().join("page");
    let dir = dir.to_str().ok_or("a UTF-8 path")?;
    let (code, out) = common::exemplar_in_process(&["check", "--format", "json", dir]);
    code.map_err(|e| format!("check could not run: {e}"))?;
    let report: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("{e}"))?;
    let findings = report["findings"].as_array().ok_or("findings")?;
    ensure(!findings.is_empty(), || "the inputs hold faults".into())?;
    for f in findings {
        let path = f["path"].as_str().ok_or("a path")?;
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
        let lines: Vec<&str> = text.split('\n').collect();
        for (l, c) in [("line", "column"), ("end_line", "end_column")] {
            let line = f[l].as_u64().ok_or("a line")? as usize;
            let column = f[c].as_u64().ok_or("a column")? as usize;
            ensure((1..=lines.len()).contains(&line), || format!("{f}"))?;
            let chars = lines[line - 1].chars().count();
            ensure((1..=chars + 1).contains(&column), || format!("{f}"))?;
        }
    }
    let (code, out) = common::exemplar_in_process(&["extract", "--format", "json", dir]);
    code.map_err(|e| format!("extract could not run: {e}"))?;
    let report: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("{e}"))?;
    ensure(report["examples"].is_array(), || {
        "extract lists examples".into()
    })
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = trials(&root(), "", false);
    trials.extend(trials_open());
    trials.push(Trial::test("cli/check-and-extract-every-page-input", cli));
    libtest_mimic::run(&args, trials).exit();
}

fn trials_open() -> Vec<Trial> {
    trials(&root().join("open"), "open/", true)
}
