//! `exemplar run` against the built-in mock, in-process (the library's
//! `commands::run`, output to a file), on the seed pages in
//! `tests/replay_pages/`.

use std::path::Path;

use serde_json::Value;

const SEED_002: &str = "tests/replay_pages/002_4226d2e02c55d92f.txt";
const SEED_004: &str = "tests/replay_pages/004_e7946ddbf53cd3b6.txt";
const PLACEHOLDERS: &str = "tests/replay_pages/placeholders.md";

mod common;

/// Runs `exemplar run ARGS --output FILE`: the exit code (or the fatal error) and what was written.
fn run(args: &[&str]) -> (Result<u8, String>, String) {
    let mut argv = vec!["run"];
    argv.extend_from_slice(args);
    common::exemplar_in_process(&argv)
}

fn run_json(args: &[&str]) -> (Result<u8, String>, Value) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let (code, text) = run(&all);
    (code, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// (rule, line, column) of the findings of the replay rules.
fn replay_findings(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            matches!(
                f["rule"].as_str(),
                Some("status-mismatch" | "body-mismatch" | "header-mismatch" | "transport-error")
            )
        })
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn counts(doc: &Value) -> [u64; 5] {
    let s = &doc["summary"];
    ["examples", "replayed", "passed", "failed", "skipped"].map(|k| s[k].as_u64().unwrap_or(999))
}

fn outcomes(doc: &Value) -> Vec<String> {
    doc["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["outcome"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn seed_002_without_repair_fails_example_3_on_the_status() {
    let (code, doc) = run_json(&[SEED_002]);
    assert_eq!(code, Ok(1));
    assert_eq!(counts(&doc), [3, 3, 2, 1, 0]);
    assert_eq!(outcomes(&doc), ["passed", "passed", "failed"]);
    assert_eq!(
        replay_findings(&doc),
        vec![("status-mismatch".to_owned(), 100, 10)]
    );
    let status = doc["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "status-mismatch"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        status["message"],
        "the endpoint answered 400 Bad Request where 201 is documented: The request body is not valid JSON: trailing comma at line 4, column 1."
    );
    assert_eq!(status["example"], format!("{SEED_002}#2"));
    assert_eq!(
        (status["expected"].as_str(), status["actual"].as_str()),
        (Some("201"), Some("400"))
    );
    // The static findings of `check` are reported too.
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["json-syntax", "status-mismatch", "echo-mismatch"]);
}

#[test]
fn seed_002_with_repair_fails_example_3_on_the_id() {
    let (code, doc) = run_json(&[SEED_002, "--repair"]);
    assert_eq!(code, Ok(1));
    assert_eq!(counts(&doc), [3, 3, 2, 1, 0]);
    assert_eq!(
        replay_findings(&doc),
        vec![("body-mismatch".to_owned(), 104, 9)]
    );
    let body = doc["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "body-mismatch"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(body["pointer"], "/id");
    assert_eq!(body["expected"], "\"14m1b9c38qe647f6a\"");
    assert_eq!(body["actual"], "\"1431b9c38ee647f6a\"");
    assert_eq!(
        (body["end_line"].as_u64(), body["end_column"].as_u64()),
        (Some(104), Some(28))
    );
    let third = &doc["results"][2];
    assert_eq!(third["outcome"], "failed");
    assert_eq!(
        third["documented"],
        "{\n  \"id\": \"14m1b9c38qe647f6a\",\n  \"type\": \"externalGroup\"\n}"
    );
    assert_eq!(
        third["actual"],
        "{\n  \"id\": \"1431b9c38ee647f6a\",\n  \"type\": \"externalGroup\"\n}"
    );
}

#[test]
fn seed_002_with_repair_prints_a_diff_in_human_format() {
    let (code, text) = run(&[SEED_002, "--repair"]);
    assert_eq!(code, Ok(1));
    assert!(text.contains(&format!(
        "{SEED_002}:104:9: error[body-mismatch]: `/id` is documented as \"14m1b9c38qe647f6a\" but the endpoint returned \"1431b9c38ee647f6a\"\n"
    )), "{text}");
    assert!(
        text.contains("-  \"id\": \"14m1b9c38qe647f6a\",\n+  \"id\": \"1431b9c38ee647f6a\",\n"),
        "{text}"
    );
    assert!(text.ends_with(
        "1 page, 3 examples: 3 replayed (2 passed, 1 failed), 0 skipped. 3 errors, 0 warnings, 0 notes.\n"
    ), "{text}");
}

#[test]
fn seed_004_gives_the_same_at_its_own_lines() {
    let (_, doc) = run_json(&[SEED_004]);
    assert_eq!(counts(&doc), [3, 3, 2, 1, 0]);
    assert_eq!(
        replay_findings(&doc),
        vec![("status-mismatch".to_owned(), 236, 10)]
    );
    let (_, doc) = run_json(&[SEED_004, "--repair"]);
    assert_eq!(counts(&doc), [3, 3, 2, 1, 0]);
    assert_eq!(
        replay_findings(&doc),
        vec![("body-mismatch".to_owned(), 240, 9)]
    );
}

#[test]
fn unfilled_placeholders_and_lone_responses_are_skipped_with_a_reason() {
    let (code, doc) = run_json(&[PLACEHOLDERS]);
    assert_eq!(code, Ok(0));
    assert_eq!(counts(&doc), [2, 0, 0, 0, 2]);
    assert_eq!(
        doc["results"][0]["reason"],
        "the URL holds the placeholder `{widget-id}`; give it a value with --var widget-id=VALUE"
    );
    assert_eq!(
        doc["results"][1]["reason"],
        "the example has only a response; there is no request to replay"
    );
    let (code, doc) = run_json(&[PLACEHOLDERS, "--var", "widget-id=42"]);
    assert_eq!(code, Ok(0));
    assert_eq!(counts(&doc), [2, 1, 1, 0, 1]);
    assert_eq!(outcomes(&doc), ["passed", "skipped"]);
}

#[test]
fn injected_throttling_uses_one_retry_budget_for_all_workers() {
    let started = std::time::Instant::now();
    let (code, doc) = run_json(&[
        SEED_002,
        "--repair",
        "--inject",
        "429:1",
        "--retries",
        "2",
        "--jobs",
        "4",
    ]);
    assert_eq!(code, Ok(1));
    assert_eq!(counts(&doc), [3, 3, 0, 3, 0]);
    assert_eq!(
        replay_findings(&doc),
        vec![
            ("status-mismatch".to_owned(), 56, 10),
            ("status-mismatch".to_owned(), 78, 10),
            ("status-mismatch".to_owned(), 100, 10),
        ]
    );
    // Two retries in all, each after `Retry-After: 1`, one page in order.
    let took = started.elapsed();
    assert!(took >= std::time::Duration::from_secs(2), "{took:?}");
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

#[test]
fn configured_volatile_properties_compare_by_type() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("stamp.md");
    std::fs::write(
        &page,
        "# Create a stamp\n\n<!-- { \"blockType\": \"request\", \"name\": \"create\" } -->\n```http\nPOST https://graph.microsoft.com/v1.0/stamps\nContent-Type: application/json\n\n{\"name\": \"x\", \"stamp\": \"sent\"}\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{\n  \"id\": \"8e2b3f4c-1d2e-4f5a-9b6c-7d8e9f0a1b2c\",\n  \"name\": \"x\",\n  \"stamp\": \"documented\"\n}\n```\n",
    )
    .expect("the page");
    let config = dir.path().join("exemplar.toml");
    std::fs::write(&config, "[run]\nvolatile = [\"stamp\"]\n").expect("the config");
    let page = page.to_str().expect("a UTF-8 path");
    // The mock stores what was sent: `stamp` differs from the page (the
    // generated id is a GUID like the documented one).
    let (code, doc) = run_json(&[page]);
    assert_eq!(code, Ok(1));
    assert_eq!(
        replay_findings(&doc),
        vec![("body-mismatch".to_owned(), 19, 12)]
    );
    let rules = |doc: &Value| -> Vec<(String, String)> {
        doc["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or_default().to_owned(),
                    f["pointer"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    // `echo-mismatch` is the static rule's view of the same difference.
    assert_eq!(
        rules(&doc),
        [
            ("body-mismatch".to_owned(), "/stamp".to_owned()),
            ("echo-mismatch".to_owned(), "/stamp".to_owned())
        ]
    );
    // Declared volatile, it compares by type (a string either way).
    let (code, doc) = run_json(&[page, "--config", config.to_str().expect("a UTF-8 path")]);
    assert_eq!(code, Ok(1));
    assert_eq!(counts(&doc), [1, 1, 1, 0, 0]);
    assert_eq!(
        rules(&doc),
        [("echo-mismatch".to_owned(), "/stamp".to_owned())]
    );
}

#[test]
fn an_unreachable_endpoint_is_fatal() {
    // Port 9 (discard) on loopback: nothing listens there in a test box.
    let (code, text) = run(&[SEED_002, "--endpoint", "http://127.0.0.1:9"]);
    let err = code.expect_err("a fatal error (exit code 2)");
    assert!(
        err.starts_with("the endpoint http://127.0.0.1:9 is unreachable: "),
        "{err}"
    );
    assert_eq!(text, "");
}

#[test]
fn bad_options_are_fatal() {
    // Bad flag values are usage errors, found by clap before any page is read.
    for (args, message) in [
        (
            vec!["--var", "novalue"],
            "invalid value 'novalue' for '--var <NAME=VALUE>': expected NAME=VALUE, got `novalue`",
        ),
        (
            vec!["--jobs", "0"],
            "invalid value '0' for '--jobs <N>': expected a whole number of at least 1",
        ),
        (
            vec!["--endpoint", "ftp://127.0.0.1"],
            "invalid value 'ftp://127.0.0.1' for '--endpoint <URL>': it must be an http or https URL with a host",
        ),
        (
            vec!["--inject", "200:0.1"],
            "invalid value '200:0.1' for '--inject <FAULT:SHARE>': the status is not a 4xx or 5xx code",
        ),
    ] {
        let mut argv = vec!["exemplar", "run", SEED_002];
        argv.extend(args);
        let err = <exemplar::cli::Cli as clap::Parser>::try_parse_from(argv).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        let shown = err.to_string();
        assert!(shown.starts_with(&format!("error: {message}")), "{shown}");
    }
    // What needs the environment is checked when the command runs.
    assert_eq!(
        run(&[SEED_002, "--token-env", "EXEMPLAR_REPLAY_TEST_UNSET"]).0,
        Err("--token-env: the environment variable `EXEMPLAR_REPLAY_TEST_UNSET` is not set or empty; export the bearer token in it".to_owned())
    );
    assert!(Path::new(SEED_002).exists());
}

/// The mock of a shard validates bodies by the whole docs set's types,
/// as the static checks do: every shard's outcomes are the whole run's,
/// though the resource pages that define the types fall in other shards.
#[test]
fn a_shard_validates_bodies_by_the_whole_docs_sets_types() {
    let docs = "tests/fixtures/types/basic.docset";
    let results = |doc: &Value| -> Vec<(String, String, String)> {
        doc["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r["id"].as_str().unwrap_or_default().to_owned(),
                    r["outcome"].as_str().unwrap_or_default().to_owned(),
                    r["reason"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let (_, whole) = run_json(&[docs]);
    let mut whole = results(&whole);
    let mut sharded = Vec::new();
    for k in 1..=4 {
        let (_, doc) = run_json(&[docs, "--shard", &format!("{k}/4")]);
        sharded.extend(results(&doc));
    }
    whole.sort();
    sharded.sort();
    assert!(
        whole.iter().any(
            |(id, outcome, reason)| id.ends_with("widget-post.md#create_widget")
                && outcome == "failed"
                && reason.contains(
                    "Property 'displayNme' does not exist on type 'microsoft.graph.widget'"
                )
        ),
        "{whole:#?}"
    );
    assert_eq!(sharded, whole);
}
