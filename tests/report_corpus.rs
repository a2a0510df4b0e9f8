//! The committed conformance report (`reports/`, written by
//! `scripts/conformance-report.sh`: `exemplar run` of the corpus against the
//! built-in mock) is small enough for git and complete: the HTML pages (one
//! a locale) hold every finding the JSON summary counts and every example's
//! outcome, and the per-example results add up to the summary, locale by
//! locale.

use serde_json::Value;

/// The HTML pages the summary lists, one a locale, joined (each checked
/// for size on the way).
fn html_pages(summary: &Value) -> String {
    let pages = summary["reports"].as_object().expect("reports");
    assert!(pages.contains_key("en-us") && pages.contains_key("zh-cn"));
    let mut all = String::new();
    for (locale, file) in pages {
        let path = format!("reports/{}", file.as_str().expect("a file name"));
        let html = std::fs::read_to_string(&path).expect("an HTML page");
        assert!(
            html.len() <= 5 * 1024 * 1024,
            "{path} is {} bytes",
            html.len()
        );
        assert!(
            html.contains(&format!("<a href=\"#locale={locale}\">{locale}</a>")),
            "{path}"
        );
        all.push_str(&html);
    }
    all
}

#[test]
fn the_committed_report_is_complete_and_small() {
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string("reports/corpus.json").expect("reports/corpus.json"),
    )
    .expect("the summary is JSON");
    let html = html_pages(&summary);
    assert_eq!(summary["version"], 1);
    assert_eq!(summary["command"], "run");
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
    // The locales of the corpus are there.
    let locales = summary["by_locale"].as_object().expect("by_locale");
    assert!(locales.contains_key("en-us") && locales.contains_key("zh-cn"));
}

#[test]
fn the_committed_report_has_every_examples_outcome() {
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string("reports/corpus.json").expect("reports/corpus.json"),
    )
    .expect("the summary is JSON");
    let html = html_pages(&summary);
    let results: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string("reports/corpus-results.json")
            .expect("reports/corpus-results.json"),
    )
    .expect("the results are JSON");
    let s = &summary["summary"];
    let count = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("summary.{k}"));
    // The run's arithmetic: examples = replayed + skipped, replayed = passed + failed.
    assert_eq!(count("examples"), count("replayed") + count("skipped"));
    assert_eq!(count("replayed"), count("passed") + count("failed"));
    assert!(count("passed") > 0 && count("skipped") > 0);
    assert_eq!(results.len() as u64, count("examples"));
    for outcome in ["passed", "failed", "skipped"] {
        let listed = results.iter().filter(|r| r["outcome"] == outcome).count() as u64;
        assert_eq!(listed, count(outcome), "{outcome} in corpus-results.json");
        let shown = html
            .matches(&format!("<td class=\"outcome-{outcome}\">"))
            .count() as u64;
        assert_eq!(shown, count(outcome), "{outcome} rows in the HTML pages");
    }
    // Every skip and every failure says why; a pass needs no reason.
    for r in &results {
        let has_reason = r["reason"].as_str().is_some_and(|x| !x.is_empty());
        assert_eq!(has_reason, r["outcome"] != "passed", "{r}");
    }
    // Locale by locale, the counts add up to the whole, and the skip
    // reasons to the skips.
    let by_locale = summary["examples_by_locale"]
        .as_object()
        .expect("examples_by_locale");
    assert!(by_locale.contains_key("en-us") && by_locale.contains_key("zh-cn"));
    for key in ["examples", "replayed", "passed", "failed", "skipped"] {
        let sum: u64 = by_locale
            .values()
            .map(|l| l[key].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(sum, count(key), "{key} by locale");
    }
    for (locale, l) in by_locale {
        let reasons: u64 = l["skip_reasons"]
            .as_object()
            .expect("skip_reasons")
            .values()
            .filter_map(Value::as_u64)
            .sum();
        assert_eq!(Some(reasons), l["skipped"].as_u64(), "{locale}");
        let listed = results.iter().filter(|r| r["locale"] == *locale).count() as u64;
        assert_eq!(Some(listed), l["examples"].as_u64(), "{locale}");
    }
}
