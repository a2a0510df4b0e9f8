//! The `--var NAME=VALUE` hint that `placeholder-value` and `run` give is
//! offered only for a real `{NAME}` template (a GUID in braces is a value),
//! and following it makes the example run.

use serde_json::Value;

mod common;

const PAGE: &str = "tests/fixtures/rules/placeholder-value.md";

fn json(args: &[&str]) -> Value {
    let mut argv = args.to_vec();
    argv.extend_from_slice(&["--format", "json"]);
    let (_, text) = common::exemplar(&argv);
    serde_json::from_str(&text).expect("a JSON report")
}

/// (outcome, reason) of the example named `name`.
fn result(doc: &Value, name: &str) -> (String, String) {
    let r = doc["results"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| {
            r["id"]
                .as_str()
                .is_some_and(|id| id.ends_with(&format!("#{name}")))
        })
        .unwrap_or_else(|| panic!("a result for {name}: {doc}"));
    (
        r["outcome"].as_str().unwrap_or_default().to_owned(),
        r["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn the_var_hint_names_the_template_and_following_it_runs_the_example() {
    let checked = json(&["check", PAGE]);
    let helps: Vec<&str> = checked["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "placeholder-value" && f["line"] == 75)
        .filter_map(|f| f["help"].as_str())
        .collect();
    // One finding for `{user-id}`; the MAPI id's `{66f5a359-…}` is a value.
    assert_eq!(
        helps,
        ["write a realistic value, as a reader would send it (`exemplar run` fills it with --var user-id=VALUE)"]
    );

    let before = json(&["run", PAGE]);
    assert_eq!(
        result(&before, "get_message_extended"),
        (
            "skipped".to_owned(),
            "the URL holds the placeholder `{user-id}`; give it a value with --var user-id=VALUE"
                .to_owned()
        )
    );
    let after = json(&[
        "run",
        PAGE,
        "--var",
        "user-id=48d31887-5fad-4d73-a9f5-3c356e68a038",
    ]);
    assert_eq!(result(&after, "get_message_extended").0, "passed");
}

#[test]
fn a_stand_in_that_run_cannot_fill_gets_no_var_hint() {
    let checked = json(&["check", PAGE]);
    let timestamp: Vec<&str> = checked["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("`<timestamp>`"))
        })
        .filter_map(|f| f["help"].as_str())
        .collect();
    assert_eq!(
        timestamp,
        [
            "write a realistic value, as a reader would send it",
            "write a realistic value, as a reader would send it"
        ]
    );
}
