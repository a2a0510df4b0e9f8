//! `exemplar check --watch` on a temporary folder: the first run checks
//! everything; saving a translated page re-checks it with its source page
//! (and nothing else). Every wait is bounded; the watcher is killed at the end.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

const PAGE: &str = "# Update widget

<!-- { \"blockType\": \"request\", \"name\": \"update_widget\" } -->
```http
PATCH https://graph.microsoft.com/v1.0/widgets/7
Content-Type: application/json

{
  \"displayName\": \"Cog\"
}
```

<!-- { \"blockType\": \"response\", \"name\": \"update_widget\" } -->
```http
HTTP/1.1 204 No Content
```
";

/// Lines up to and including the next one that starts with `[watch]`.
fn run_output(lines: &Receiver<String>) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    let mut out = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).expect("output in time");
        let done = line.starts_with("[watch]");
        out.push(line);
        if done {
            return out;
        }
    }
}

#[test]
fn a_saved_page_is_checked_again_with_its_locale_partner() {
    let dir = tempfile::tempdir().expect("temp dir");
    for page in [
        "en-us/api/widget-update.md",
        "de-de/api/widget-update.md",
        "en-us/api/other.md",
    ] {
        let path = dir.path().join(page);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            path,
            PAGE.replace(
                "update_widget",
                if page.ends_with("other.md") {
                    "other"
                } else {
                    "update_widget"
                },
            ),
        )
        .expect("write");
    }
    let (mut child, lines) = watch(dir.path());
    let first = run_output(&lines);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(first.iter().any(|l| l.starts_with("3 pages")), "{first:#?}");
        assert_eq!(
            first.last().map(String::as_str),
            Some("[watch] waiting for changes")
        );
        // Give the watcher a moment to be watching before the save.
        std::thread::sleep(Duration::from_millis(200));
        let page = dir.path().join("de-de/api/widget-update.md");
        let text = std::fs::read_to_string(&page).expect("read");
        let saved = Instant::now();
        std::fs::write(&page, text.replace("\"Cog\"", "\"Cog\",")).expect("write");
        let second = run_output(&lines);
        let latency = saved.elapsed();
        eprintln!("watch latency (save -> re-checked output), debug binary: {latency:?}");
        assert!(
            second.iter().any(|l| l
                == "de-de/api/widget-update.md:9:23: error[json-syntax]: trailing comma after the last property of the request body"),
            "{second:#?}"
        );
        // The saved page and its source page; not the third page.
        assert!(
            second.iter().any(|l| l
                == "2 pages, 2 examples; 1 localized page paired. 1 error, 0 warnings, 0 notes."),
            "{second:#?}"
        );
        assert!(
            second
                .last()
                .is_some_and(|l| l.starts_with("[watch] re-checked after 1 changed page in ")),
            "{second:#?}"
        );
        latency
    }));
    child.kill().expect("kill");
    child.wait().expect("reaped");
    let latency = result.unwrap_or_else(|e| std::panic::resume_unwind(e));
    assert!(latency < Duration::from_secs(5), "{latency:?}");
}

/// The type model is built once and kept between saves, and built again
/// when a saved page defines types: an example page saved after its
/// resource page changed is held to the new model, not the kept one.
#[test]
fn the_type_model_is_kept_between_saves_and_rebuilt_when_a_resource_page_changes() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/types/basic.docset");
    let dir = tempfile::tempdir().expect("temp dir");
    copy_md(&fixture, dir.path());
    let (mut child, lines) = watch(dir.path());
    let size = "en-us/api/widget-update.md:21:11: error[property-type]: 1.5 is not a valid Int32 for `size`: Int32 takes a whole number (`size` of microsoft.graph.widget, en-us/resources/widget.md)";
    let example = dir.path().join("en-us/api/widget-update.md");
    let resource = dir.path().join("en-us/resources/widget.md");
    let save = |path: &std::path::Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains(from), "{from}");
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let first = run_output(&lines);
        assert!(first.iter().any(|l| l == size), "{first:#?}");
        std::thread::sleep(Duration::from_millis(200));
        // Saved alone: held to the kept model, the same finding.
        save(&example, "\"size\": 1.5\n", "\"size\": 1.5 \n");
        let second = run_output(&lines);
        assert!(second.iter().any(|l| l == size), "{second:#?}");
        std::thread::sleep(Duration::from_millis(100));
        // The resource page now documents a Double: the model is built again.
        save(&resource, "| size | Int32 |", "| size | Double |");
        run_output(&lines);
        std::thread::sleep(Duration::from_millis(100));
        save(&example, "\"size\": 1.5 \n", "\"size\": 1.5\n");
        let fourth = run_output(&lines);
        assert!(
            !fourth.iter().any(|l| l.contains("error[property-type]")),
            "{fourth:#?}"
        );
        assert!(
            fourth
                .last()
                .is_some_and(|l| l.starts_with("[watch] re-checked after 1 changed page in ")),
            "{fourth:#?}"
        );
    }));
    child.kill().expect("kill");
    child.wait().expect("reaped");
    result.unwrap_or_else(|e| std::panic::resume_unwind(e));
}

/// A page the kept model was built from that no longer defines a type
/// (its resource annotation and enum heading gone) builds the model again:
/// the type it defined is gone from it.
#[test]
fn a_page_that_stops_defining_types_rebuilds_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_md(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/types/basic.docset"),
        dir.path(),
    );
    let (mut child, lines) = watch(dir.path());
    let size = "en-us/api/widget-update.md:21:11: error[property-type]: 1.5 is not a valid Int32 for `size`: Int32 takes a whole number (`size` of microsoft.graph.widget, en-us/resources/widget.md)";
    let example = dir.path().join("en-us/api/widget-update.md");
    let resource = dir.path().join("en-us/resources/widget.md");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let first = run_output(&lines);
        assert!(first.iter().any(|l| l == size), "{first:#?}");
        std::thread::sleep(Duration::from_millis(200));
        let text = std::fs::read_to_string(&resource).expect("read");
        let plain = text
            .replacen(
                "\"blockType\": \"resource\"",
                "\"blockType\": \"ignored\"",
                1,
            )
            .replacen("### widgetKind values", "### Kinds", 1);
        assert_ne!(plain, text);
        std::fs::write(&resource, plain).expect("write");
        run_output(&lines);
        std::thread::sleep(Duration::from_millis(100));
        let text = std::fs::read_to_string(&example).expect("read");
        std::fs::write(
            &example,
            text.replacen("\"size\": 1.5\n", "\"size\": 1.5 \n", 1),
        )
        .expect("write");
        let third = run_output(&lines);
        assert!(
            !third.iter().any(|l| l.contains("error[property-type]")),
            "{third:#?}"
        );
    }));
    child.kill().expect("kill");
    child.wait().expect("reaped");
    result.unwrap_or_else(|e| std::panic::resume_unwind(e));
}

/// Copies the Markdown pages under `from` to `to`, folders kept.
fn copy_md(from: &std::path::Path, to: &std::path::Path) {
    let mut stack = vec![from.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let target = to.join(path.strip_prefix(from).expect("below"));
                std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                std::fs::copy(&path, target).expect("copy");
            }
        }
    }
}

/// Starts `exemplar check --watch .` in `dir`: the process and its output's
/// lines as they come.
fn watch(dir: &std::path::Path) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exemplar"))
        .args(["check", "--watch", "."])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    (child, lines)
}
