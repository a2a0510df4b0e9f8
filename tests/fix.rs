//! `check --fix`, `--unsafe-fixes` and `--diff`. Each folder under
//! `tests/fixes/` is one case: `before/` is copied to a temporary folder,
//! `exemplar check --fix` (plus the arguments in `args`, if any) runs on it,
//! and the folder must then equal `after/` byte for byte (line ends and
//! byte-order marks included). A second run must find nothing to fix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn exemplar() -> Command {
    Command::cargo_bin("exemplar").expect("the binary is built")
}

/// `exemplar check FLAGS... DIR`, run to its end.
fn check<S: AsRef<std::ffi::OsStr>>(flags: &[S], dir: &Path) -> std::process::Output {
    exemplar()
        .arg("check")
        .args(flags)
        .arg(dir)
        .output()
        .expect("runs")
}

/// Every file below `dir`, by its path below `dir`.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                out.insert(path.strip_prefix(dir).expect("below").to_path_buf(), bytes);
            }
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, bytes).expect("write");
    }
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("tests/fixes")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 4, "the fix cases are there");
    cases
}

fn args(case: &Path) -> Vec<String> {
    std::fs::read_to_string(case.join("args"))
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

#[test]
fn each_fix_case_turns_before_into_after_and_a_second_run_finds_nothing() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        // FLAG and the case's own arguments.
        let with = |flag: &str| -> Vec<String> {
            std::iter::once(flag.to_owned())
                .chain(args(&case))
                .collect()
        };
        let dir = tempfile::tempdir().expect("temp dir");
        copy(&case.join("before"), dir.path());
        let out = check(&with("--fix"), dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("Fixed "), "{name}: {stderr}");
        let got = tree(dir.path());
        let want = tree(&case.join("after"));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (rel, bytes) in &want {
            assert_eq!(
                String::from_utf8_lossy(&got[rel]),
                String::from_utf8_lossy(bytes),
                "{name}: {}",
                rel.display()
            );
            assert_eq!(&got[rel], bytes, "{name}: {} (bytes)", rel.display());
        }
        // Idempotent: nothing left to fix, and --diff agrees.
        let again = check(&with("--fix"), dir.path());
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(
            !stderr.contains("Fixed") && !stderr.contains("fixable"),
            "{name}: {stderr}"
        );
        assert_eq!(tree(dir.path()), want, "{name}: second run");
        let diff = check(&with("--diff"), dir.path());
        assert_eq!(diff.status.code(), Some(0), "{name}");
        assert!(diff.stdout.is_empty(), "{name}");
    }
}

#[test]
fn an_unsafe_fix_waits_for_unsafe_fixes_and_is_counted_apart() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes/permission-names");
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&case.join("before"), dir.path());
    let out = check(&["--fix"], dir.path());
    assert_eq!(tree(dir.path()), tree(&case.join("before")));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "No finding is fixable with `--fix` (1 more with `--fix --unsafe-fixes`)."
    );
}

#[test]
fn diff_prints_the_fixes_without_writing_and_exits_1() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes/comma-then-length");
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&case.join("before"), dir.path());
    let out = exemplar()
        .current_dir(dir.path())
        .args(["check", "--diff", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(dir.path()), tree(&case.join("before")));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "--- widget-rename.md\n+++ widget-rename.md\n\
         @@ -4,10 +4,10 @@\n \
         ```http\n \
         PATCH https://graph.microsoft.com/v1.0/widgets/7\n \
         Content-Type: application/json\n\
         -Content-Length: 29\n\
         +Content-Length: 26\n \
         \n \
         {\n\
         -  \"displayName\": \"Cog\",\n\
         +  \"displayName\": \"Cog\"\n \
         }\n \
         ```\n \
         \n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "widget-rename.md: would fix content-length 1, json-syntax 1\n\
         Would fix 2 findings (content-length 1, json-syntax 1) in 1 page.\n"
    );
}

/// The issue's done-when: on a copy of the seeds, `--fix` removes both
/// trailing commas and nothing else (byte for byte: each changed page is its
/// old bytes less one `,`, the one that ended `"type": "externalGroup",`);
/// a second run finds nothing fixable, safe or unsafe.
#[test]
fn fix_on_the_seeds_removes_both_trailing_commas_and_nothing_else() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("no seeds at {}: skipped", seeds.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&seeds, dir.path());
    let before = tree(dir.path());
    let out = check(&["--fix"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Fixed 2 findings (json-syntax 2) in 2 pages."),
        "{stderr}"
    );
    let after = tree(dir.path());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (rel, old) in &before {
        let new = &after[rel];
        if old == new {
            continue;
        }
        changed += 1;
        // The first byte that differs is the comma; the rest is the same.
        let at = old
            .iter()
            .zip(new)
            .position(|(a, b)| a != b)
            .unwrap_or(new.len());
        assert_eq!(old[at], b',', "{}", rel.display());
        assert_eq!(
            [&old[..at], &old[at + 1..]].concat(),
            *new,
            "{}: more than the comma changed",
            rel.display()
        );
        let line_start = old[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        assert_eq!(
            String::from_utf8_lossy(&old[line_start..=at]).trim(),
            "\"type\": \"externalGroup\",",
            "{}",
            rel.display()
        );
    }
    assert_eq!(changed, 2);
    // A second run: nothing fixable, safe or unsafe, and nothing to diff.
    let again = check::<&str>(&[], dir.path());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!stderr.contains("fixable"), "{stderr}");
    let json = check(&["--format", "json"], dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let with_fix: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f.get("fix").is_some())
        .collect();
    assert_eq!(with_fix, Vec::<&serde_json::Value>::new());
    let diff = check(&["--diff", "--unsafe-fixes"], dir.path());
    assert_eq!(diff.status.code(), Some(0));
    assert!(diff.stdout.is_empty());
    let fix_again = check(&["--fix", "--unsafe-fixes"], dir.path());
    assert!(!String::from_utf8_lossy(&fix_again.stderr).contains("Fixed"));
    assert_eq!(tree(dir.path()), after);
}

/// The whitespace case's note, as the JSON report carries it: the first
/// place the translation's request parts from the source's (line 20, after
/// the list item's three spaces), its unsafe fix one edit from the request
/// line to the end of the body, written with the translation's indentation
/// and CRLF line ends.
#[test]
fn a_whitespace_only_difference_is_a_note_whose_unsafe_fix_copies_the_source() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes/whitespace-copy/before");
    let out = exemplar()
        .current_dir(&case)
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let notes: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "locale-example-whitespace")
        .collect();
    assert_eq!(notes.len(), 1, "{doc:#}");
    let note = notes[0];
    assert_eq!(
        (
            note["path"].as_str(),
            note["line"].as_u64(),
            note["column"].as_u64(),
            note["severity"].as_str(),
            note["message"].as_str()
        ),
        (
            Some("zh-cn/api/widget-create.md"),
            Some(20),
            Some(4),
            Some("note"),
            Some("this request differs from the source page's only in whitespace")
        )
    );
    assert_eq!(
        note["fix"]["edits"],
        serde_json::json!([{
            "line": 16, "column": 4, "end_line": 22, "end_column": 5,
            "replacement": "POST https://graph.microsoft.com/v1.0/widgets\r\n   \
                Content-Type: application/json\r\n\r\n   {\r\n   \
                \t\"displayName\": \"Blue  widget\",\r\n   \t\"size\": 3\r\n   }"
        }])
    );
    assert_eq!(note["fix"]["safety"], "unsafe");
}
