//! The committed conformance report (`reports/`, written by
//! `scripts/conformance-report.sh`) is small enough for git and complete:
//! the HTML holds every finding the JSON summary counts.

use serde_json::Value;

#[test]
fn the_committed_report_is_complete_and_small() {
    let html = std::fs::read_to_string("reports/corpus.html").expect("reports/corpus.html");
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string("reports/corpus.json").expect("reports/corpus.json"),
    )
    .expect("the summary is JSON");
    assert!(
        html.len() <= 5 * 1024 * 1024,
        "reports/corpus.html is {} bytes",
        html.len()
    );
    assert_eq!(summary["version"], 1);
    let s = &summary["summary"];
    let total = ["errors", "warnings", "notes"]
        .iter()
        .map(|k| s[*k].as_u64().expect("a count"))
        .sum::<u64>();
    assert!(total > 0, "the corpus report has no findings");
    assert_eq!(summary["findings"].as_u64(), Some(total));

    // Every finding is a row of the page, with its severity and rule.
    let rows = html.matches("<div class=\"f ").count() as u64;
    assert_eq!(rows, total);
    assert_eq!(
        html.matches("<div class=\"f error").count() as u64,
        s["errors"].as_u64().expect("errors")
    );
    let by_rule = summary["by_rule"].as_object().expect("by_rule");
    assert_eq!(
        by_rule.values().filter_map(Value::as_u64).sum::<u64>(),
        total
    );
    for (rule, count) in by_rule {
        let shown = html.matches(&format!("<em>{rule}</em>")).count() as u64;
        assert_eq!(Some(shown), count.as_u64(), "{rule}");
    }
    // Both locales of the corpus are there.
    let locales = summary["by_locale"].as_object().expect("by_locale");
    assert!(locales.contains_key("en-us") && locales.contains_key("zh-cn"));
    assert!(html.contains("<a href=\"#locale=zh-cn\">zh-cn</a>"));
}
