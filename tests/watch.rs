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
    let mut child = Command::new(env!("CARGO_BIN_EXE_exemplar"))
        .args(["check", "--watch", "."])
        .current_dir(dir.path())
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
