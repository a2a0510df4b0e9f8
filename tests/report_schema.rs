//! `docs/report.schema.json` describes what `--format json` really prints:
//! real `check` output and a `run` document validate against it, and the
//! schema refuses documents that break it (so the test can fail).

use std::sync::Arc;

use exemplar::finding::Finding;
use exemplar::page::Page;
use exemplar::report::{ExampleResult, Outcome, Report};
use serde_json::{json, Value};

mod common;
use common::exemplar;

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("docs/report.schema.json").expect("the schema file"),
    )
    .expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn check_output_validates() {
    let v = validator();
    for root in ["tests/data/report", "tests/data/report/zh-cn"] {
        let (_, out) = exemplar(&["check", "--format", "json", root]);
        let doc: Value = serde_json::from_str(&out).expect("JSON output");
        assert_eq!(errors(&v, &doc), Vec::<String>::new(), "{root}");
        assert!(!doc["findings"].as_array().expect("findings").is_empty());
    }
    // The en-us page's trailing comma carries its fix, which validates too.
    let (_, out) = exemplar(&["check", "--format", "json", "tests/data/report/en-us"]);
    let doc: Value = serde_json::from_str(&out).expect("JSON output");
    let fixes = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f.get("fix").is_some())
        .count();
    assert_eq!(fixes, 1);
}

#[test]
fn run_documents_validate() {
    let path: Arc<str> = "api/x.md".into();
    let pages = [Page::from_text(
        path.clone(),
        "# X\n\n{\"a\": 1}\n".to_owned(),
        Some("en-us".to_owned()),
    )];
    let finding = Finding::new(
        exemplar::registry::lookup("body-mismatch").unwrap(),
        &path,
        11..12,
        "`a` differs",
    )
    .example(Some("api/x.md#0"))
    .pointer("/a")
    .expected_actual("1", "2");
    let mut report = Report::new(
        exemplar::report::Command::Run,
        &pages,
        Vec::new(),
        vec![finding],
    );
    report.summary.replayed = Some(1);
    report.summary.passed = Some(0);
    report.summary.failed = Some(1);
    report.summary.skipped = Some(0);
    report.results.push(ExampleResult {
        skip: None,
        id: "api/x.md#0".to_owned(),
        path,
        outcome: Outcome::Failed,
        reason: Some("the body differs".to_owned()),
        documented: Some("{\"a\": 1}".to_owned()),
        actual: Some("{\"a\": 2}".to_owned()),
    });
    let doc = serde_json::to_value(exemplar::report::json::document(&report)).expect("serialises");
    assert_eq!(errors(&validator(), &doc), Vec::<String>::new());
    assert_eq!(doc["results"][0]["outcome"], "failed");
}

#[test]
fn the_schema_refuses_broken_documents() {
    let v = validator();
    let (_, out) = exemplar(&["check", "--format", "json", "tests/data/report"]);
    let good: Value = serde_json::from_str(&out).expect("JSON output");
    type Mutation = (&'static str, fn(&mut Value));
    let with_fix = good["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .position(|f| f.get("fix").is_some())
        .expect("a finding with a fix");
    assert!(v.is_valid(&good));
    let mut unknown_safety = good.clone();
    unknown_safety["findings"][with_fix]["fix"]["safety"] = json!("risky");
    assert!(!v.is_valid(&unknown_safety), "unknown fix safety");
    let mut no_edits = good.clone();
    no_edits["findings"][with_fix]["fix"]["edits"] = json!([]);
    assert!(!v.is_valid(&no_edits), "a fix without edits");
    let mut column_0 = good.clone();
    column_0["findings"][with_fix]["fix"]["edits"][0]["column"] = json!(0);
    assert!(!v.is_valid(&column_0), "an edit at column 0");
    let mutations: [Mutation; 5] = [
        ("no rule", |d| {
            d["findings"][0]
                .as_object_mut()
                .expect("a finding")
                .remove("rule");
        }),
        ("line 0", |d| d["findings"][0]["line"] = json!(0)),
        ("unknown severity", |d| {
            d["findings"][0]["severity"] = json!("fatal")
        }),
        ("version 2", |d| d["version"] = json!(2)),
        ("negative count", |d| d["summary"]["errors"] = json!(-1)),
    ];
    for (what, mutate) in mutations {
        let mut doc = good.clone();
        mutate(&mut doc);
        assert!(!v.is_valid(&doc), "{what} should not validate");
    }
}
