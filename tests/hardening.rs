//! Hostile input through the command line (issue 13): the reproducers that
//! once panicked, blew up or flooded the report, each asserting its exact
//! outcome. The linear bounds are pinned in `src/hardening_tests.rs` by
//! counted work; `benches/doubling.sh` times the release binary.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn exemplar() -> Command {
    Command::cargo_bin("exemplar").expect("the binary is built")
}

/// Runs `exemplar ARGS --format json PAGE` and returns (exit code, document).
fn json(args: &[&str], page: &Path, env: &[(&str, &str)]) -> (i32, Value) {
    let mut cmd = exemplar();
    cmd.args(args).args(["--format", "json"]).arg(page);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    let code = out.status.code().expect("exited");
    assert_ne!(
        code,
        101,
        "panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON on stdout ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, doc)
}

/// (rule, severity, line, column, message) of every finding.
fn findings(doc: &Value) -> Vec<(String, String, u64, u64, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn finding(
    rule: &str,
    severity: &str,
    line: u64,
    column: u64,
    message: &str,
) -> (String, String, u64, u64, String) {
    (rule.into(), severity.into(), line, column, message.into())
}

/// A documented response, so that no example is unpaired.
const RESPONSE: &str =
    "\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 204 No Content\n```\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writes");
    path
}

#[test]
fn run_survives_a_multibyte_character_after_the_scheme() {
    // Once "end byte index 7 is not a char boundary" in replay/url.rs.
    let dir = tempfile::tempdir().unwrap();
    let page = write(
        dir.path(),
        "user-delete.md",
        "# Delete me\n\n<!-- { \"blockType\": \"request\", \"name\": \"delete_me\" } -->\n```http\nDELETE https:\u{e9}//graph.microsoft.com/v1.0/me\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 204 No Content\n```\n\n<!-- { \"blockType\": \"request\", \"name\": \"get_me\" } -->\n```http\nGET https:\u{e9}//graph.microsoft.com/v1.0/me\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"1\",}\n```\n",
    );
    let (code, doc) = json(&["run"], &page, &[]);
    assert_eq!(code, 1, "{doc}");
    // The built-in mock is built from the same page, so the URL round-trips;
    // the one finding is the body's, at its place.
    assert_eq!(
        findings(&doc),
        [finding(
            "json-syntax",
            "error",
            23,
            11,
            "trailing comma after the last property of the response body"
        )]
    );
    let s = &doc["summary"];
    assert_eq!(
        (
            s["examples"].as_u64(),
            s["replayed"].as_u64(),
            s["skipped"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    // The stateful mock deleted `/me` before the page reads it back: the
    // documented read is a limitation of the mock's state, said as such.
    let skipped: Vec<&str> = doc["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["outcome"] == "skipped")
        .filter_map(|r| r["reason"].as_str())
        .collect();
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0].starts_with("the built-in mock's state cannot give the documented response"),
        "{}",
        skipped[0]
    );
    for command in ["check", "extract"] {
        let (code, _) = json(&[command], &page, &[]);
        assert!(code <= 1, "{command}: exit {code}");
    }
}

#[test]
fn an_unclosed_annotation_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("# Unclosed\n\n");
    for _ in 0..3000 {
        text.push_str("<!-- {\n  \"blockType\": \"request\",\n");
    }
    text.push_str("-->\n");
    let page = write(dir.path(), "unclosed.md", &text);
    let (code, doc) = json(&["check"], &page, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&doc),
        [
            finding(
                "annotation-syntax",
                "error",
                3,
                7,
                "this annotation is not closed: `-->` is missing before the next `<!--`"
            ),
            finding(
                "orphan-annotation",
                "warning",
                4,
                16,
                "this request annotation is not followed by a code block, so its example is lost"
            ),
        ]
    );
    let (code, doc) = json(&["extract"], &page, &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["examples"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_run_of_broken_characters_is_a_few_findings_not_one_per_character() {
    let dir = tempfile::tempdir().unwrap();
    for (run, column, first) in [
        (
            "\"",
            24,
            "expected `:` after the key \"\", found `\"` in the request body",
        ),
        ("'", 22, "single-quoted key in the request body"),
        (
            "%",
            22,
            "expected a property name, found `%%%%%%%%%%%%%%%%%%%%…` in the request body",
        ),
    ] {
        let body = format!("{{\"displayName\": \"x\", {}}}", run.repeat(100_000));
        let page = write(
            dir.path(),
            "broken.md",
            &format!("# Create\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"create\" }} -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n\n{body}\n```\n{RESPONSE}"),
        );
        let (code, doc) = json(&["check"], &page, &[]);
        assert_eq!(code, 1);
        let found = findings(&doc);
        assert!(
            !found.is_empty() && found.len() <= 5,
            "{run}: {} findings",
            found.len()
        );
        assert_eq!(found[0].4, first);
        assert_eq!((found[0].2, found[0].3), (8, column));
    }
}

#[test]
fn a_page_or_a_body_over_the_bound_says_so_and_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<String> = (0..2000).map(|i| format!("  \"p{i}\": {i}")).collect();
    let page = write(
        dir.path(),
        "large.md",
        &format!("# Create\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"create\" }} -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n\n{{\n{},\n}}\n```\n{RESPONSE}", members.join(",\n")),
    );
    // Under both bounds: the body is read (and its trailing comma found).
    let (_, doc) = json(&["check"], &page, &[]);
    assert_eq!(
        findings(&doc),
        [finding(
            "json-syntax",
            "error",
            2008,
            16,
            "trailing comma after the last property of the request body"
        )]
    );
    let (code, doc) = json(&["check"], &page, &[("EXEMPLAR_MAX_BODY_BYTES", "10000")]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&doc),
        [finding(
            "page-too-large",
            "warning",
            8,
            1,
            "the request body is 31 KB, more than the 9 KB exemplar parses; it was not checked"
        )]
    );
    let (code, doc) = json(&["check"], &page, &[("EXEMPLAR_MAX_PAGE_BYTES", "10000")]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&doc),
        [finding(
            "page-too-large",
            "warning",
            1,
            1,
            "the page is 31 KB, more than the 9 KB exemplar reads; it was not checked"
        )]
    );
    assert_eq!(doc["summary"]["pages"], 0);
}
