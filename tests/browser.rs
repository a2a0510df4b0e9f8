//! The HTML report in a real browser: Debian's chromium, headless, loads the
//! report of the fixture (and the committed corpus report), runs its script,
//! and dumps the DOM. The test checks that nothing reached the console (no
//! error, no uncaught exception), that the page rendered its findings, and
//! that the filters in the URL hash (`#rule=...`, `#severity=...`,
//! `#locale=...`, `#q=...`) narrow the findings to the right rows.
//!
//! Without chromium the test fails when `CI` is set (`.ci/install-browser.sh`
//! installs it) and skips with a message otherwise.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::sync::Arc;

use clap::Parser;
use exemplar::finding::Finding;
use exemplar::page::Page;
use exemplar::report::Report;

/// chromium's flags for a sandbox-less container with no network.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
];

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing in CI: .ci/run must call .ci/install-browser.sh"
        );
        eprintln!("skipping the browser test: no chromium (run .ci/install-browser.sh)");
    }
    found
}

/// What chromium showed: the DOM after the script ran, and its log lines.
struct Loaded {
    dom: String,
    log: String,
}

impl Loaded {
    fn body_attr(&self, name: &str) -> Option<&str> {
        let body = &self.dom[self.dom.find("<body")?..];
        let body = &body[..body.find('>')?];
        let key = format!(" {name}=\"");
        let start = body.find(&key)? + key.len();
        Some(&body[start..start + body[start..].find('"')?])
    }

    /// The rules of the finding rows the filter left visible.
    fn visible_rules(&self) -> Vec<&str> {
        self.dom
            .split("<div class=\"f ")
            .skip(1)
            .filter(|row| !row[..row.find('>').unwrap_or(0)].contains("hidden"))
            .filter_map(|row| {
                let start = row.find("<em>")? + 4;
                Some(&row[start..start + row[start..].find("</em>")?])
            })
            .collect()
    }

    /// Console messages and uncaught exceptions chromium logged.
    fn console_errors(&self) -> Vec<&str> {
        self.log
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .collect()
    }
}

/// Loads `file#hash` headless and dumps the DOM once the page's timers ran.
fn load(browser: &Path, file: &Path, hash: &str) -> Loaded {
    let profile = tempfile::tempdir().expect("a profile dir");
    let url = format!("file://{}{hash}", file.display());
    let out = Command::new("timeout")
        .arg("180")
        .arg(browser)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--virtual-time-budget=30000")
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium starts");
    assert!(out.status.success(), "chromium failed on {url}: {out:?}");
    Loaded {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        log: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The HTML report of `root`, written by exemplar in-process.
fn report_of(root: &str, dir: &Path) -> PathBuf {
    let file = dir.join("report.html");
    let cli = exemplar::cli::Cli::try_parse_from([
        "exemplar",
        "check",
        "--format",
        "html",
        root,
        "--output",
        file.to_str().expect("a UTF-8 temp path"),
    ])
    .expect("valid arguments");
    exemplar::commands::run(cli).expect("the report is written");
    file
}

#[test]
fn the_report_renders_and_filters_in_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = report_of("tests/data/report", dir.path());

    let all = load(&browser, &file, "");
    assert_eq!(all.console_errors(), Vec::<&str>::new());
    assert_eq!(all.body_attr("data-state"), Some("ready"));
    assert_eq!(all.body_attr("data-shown"), Some("4"));
    assert_eq!(
        all.visible_rules(),
        [
            "json-syntax",
            "echo-mismatch",
            "echo-mismatch",
            "todo-marker"
        ]
    );
    // The hostile bodies stayed text: no element came out of them.
    assert!(!all.dom.contains("<img"));
    assert_eq!(all.dom.matches("<script").count(), 1);
    // The script showed the filter controls.
    assert!(all.dom.contains("<div id=\"controls\">"));

    for (hash, shown, rules) in [
        ("#rule=json-syntax", "1", &["json-syntax"][..]),
        (
            "#rule=echo-mismatch",
            "2",
            &["echo-mismatch", "echo-mismatch"],
        ),
        ("#severity=warning", "1", &["todo-marker"]),
        ("#locale=zh-cn", "1", &["todo-marker"]),
        ("#q=%E6%9D%83%E9%99%90", "1", &["todo-marker"]),
        (
            "#severity=error&q=onerror",
            "2",
            &["json-syntax", "echo-mismatch"],
        ),
    ] {
        let page = load(&browser, &file, hash);
        assert_eq!(page.console_errors(), Vec::<&str>::new(), "{hash}");
        assert_eq!(page.body_attr("data-state"), Some("ready"), "{hash}");
        assert_eq!(page.body_attr("data-shown"), Some(shown), "{hash}");
        assert_eq!(page.visible_rules(), rules, "{hash}");
        assert!(
            page.dom
                .contains(&format!("<output id=\"shown\">{shown}</output>")),
            "{hash}"
        );
    }
}

#[test]
fn the_seeds_report_renders_without_console_errors() {
    let Some(browser) = chromium() else { return };
    let seeds = Path::new("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("skipping the seeds page: ../shared/seeds is not there");
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = report_of("../shared/seeds", dir.path());
    let html = std::fs::read_to_string(&file).expect("the report");
    let rows = html.matches("<div class=\"f ").count();
    assert!(rows > 0);
    let page = load(&browser, &file, "#severity=error");
    assert_eq!(page.console_errors(), Vec::<&str>::new());
    let errors = html.matches("<div class=\"f error").count();
    assert_eq!(
        page.body_attr("data-shown"),
        Some(errors.to_string().as_str())
    );
    assert_eq!(page.visible_rules().len(), errors);
}

#[test]
fn the_committed_corpus_report_renders_and_filters() {
    let Some(browser) = chromium() else { return };
    let file = std::fs::canonicalize("reports/corpus.html").expect("reports/corpus.html");
    let html = std::fs::read_to_string(&file).expect("the corpus report");
    let rows = html.matches("<div class=\"f ").count();
    assert!(rows > 0, "the corpus report has no findings");

    let started = std::time::Instant::now();
    let page = load(&browser, &file, "");
    eprintln!(
        "corpus report: {rows} findings; parsed at {:?} ms, first paint at {:?} ms, load at {:?} ms; chromium wall time {:?}",
        page.body_attr("data-t-parsed"),
        page.body_attr("data-t-paint"),
        page.body_attr("data-t-load"),
        started.elapsed()
    );
    assert_eq!(page.console_errors(), Vec::<&str>::new());
    assert_eq!(
        page.body_attr("data-shown"),
        Some(rows.to_string().as_str())
    );

    let json_syntax = html.matches("<em>json-syntax</em>").count();
    assert!(json_syntax > 0);
    let filtered = load(&browser, &file, "#rule=json-syntax");
    assert_eq!(filtered.console_errors(), Vec::<&str>::new());
    assert_eq!(
        filtered.body_attr("data-shown"),
        Some(json_syntax.to_string().as_str())
    );
    let visible = filtered.visible_rules();
    assert_eq!(visible.len(), json_syntax);
    assert!(visible.iter().all(|r| *r == "json-syntax"));
}

/// Corpus scale: 12,000 findings on 400 pages of two locales, every rule of
/// the registry. The page must load without console errors, show every row,
/// and filter by rule to exactly that rule's rows; the time to first render
/// is printed (`cargo test --test browser -- --nocapture`).
#[test]
fn twelve_thousand_findings_load_and_filter() {
    let Some(browser) = chromium() else { return };
    const PAGES: usize = 400;
    const PER_PAGE: usize = 30;
    let line = "  \"displayName\": \"<script>alert(1)</script>\", \"note\": \"String\",\n";
    let text = line.repeat(PER_PAGE);
    let pages: Vec<Page> = (0..PAGES)
        .map(|i| {
            let locale = if i % 2 == 0 { "en-us" } else { "zh-cn" };
            let path: Arc<str> = format!("{locale}/api/page-{i:03}.md").into();
            Page::from_text(path, text.clone(), Some(locale.to_owned()))
        })
        .collect();
    let rules = exemplar::registry::all();
    let mut findings = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        for k in 0..PER_PAGE {
            let rule = rules[(p * PER_PAGE + k) % rules.len()];
            let at = k * line.len() + 17;
            let mut f = Finding::new(rule, &page.path, at..at + 28, "synthetic finding")
                .help("synthetic help");
            f.severity = rule.severity;
            findings.push(f);
        }
    }
    let total = findings.len();
    assert_eq!(total, 12_000);
    let report = Report::new(
        exemplar::report::Command::Check,
        &pages,
        Vec::new(),
        findings,
    );
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("scale.html");
    let mut out = Vec::new();
    exemplar::report::render(
        &report,
        exemplar::report::Format::Html,
        &exemplar::report::Options::default(),
        &mut out,
        false,
    )
    .expect("renders");
    std::fs::write(&file, &out).expect("written");

    let started = std::time::Instant::now();
    let page = load(&browser, &file, "");
    eprintln!(
        "{total} findings, {} bytes: parsed at {:?} ms, first paint at {:?} ms, load at {:?} ms; chromium wall time {:?}",
        out.len(),
        page.body_attr("data-t-parsed"),
        page.body_attr("data-t-paint"),
        page.body_attr("data-t-load"),
        started.elapsed()
    );
    assert_eq!(page.console_errors(), Vec::<&str>::new());
    assert_eq!(page.body_attr("data-shown"), Some("12000"));
    assert_eq!(page.visible_rules().len(), total);

    let rule = rules[1].name;
    let expected = report
        .findings
        .iter()
        .filter(|f| f.rule.name == rule)
        .count();
    let filtered = load(&browser, &file, &format!("#rule={rule}&locale=zh-cn"));
    assert_eq!(filtered.console_errors(), Vec::<&str>::new());
    let zh = report
        .findings
        .iter()
        .filter(|f| f.rule.name == rule && f.path.starts_with("zh-cn/"))
        .count();
    assert!(zh > 0 && zh < expected);
    assert_eq!(
        filtered.body_attr("data-shown"),
        Some(zh.to_string().as_str())
    );
    let visible = filtered.visible_rules();
    assert_eq!(visible.len(), zh);
    assert!(visible.iter().all(|r| *r == rule));
    eprintln!(
        "filter #rule={rule}&locale=zh-cn: {zh} rows in {:?} ms",
        filtered.body_attr("data-t-filter")
    );
}
