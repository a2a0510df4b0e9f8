//! The machine formats (junit, sarif, github) on a fixture whose findings
//! are known: two pages (en-us with a trailing comma and two echo
//! mismatches whose values are `<script>` and `"><img onerror>`, zh-cn with
//! a TODO marker after CJK text).

use serde_json::Value;

const FIXTURE: &str = "tests/data/report";
const EN: &str = "tests/data/report/en-us/api/widget-create.md";
const ZH: &str = "tests/data/report/zh-cn/api/gadget-create.md";

mod common;
use common::exemplar;

#[test]
fn junit_has_a_case_per_example_and_one_per_page() {
    let (code, xml) = exemplar(&["check", "--format", "junit", FIXTURE]);
    assert_eq!(code, 1);
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit XML");
    assert_eq!(
        report.name.as_ref().map(|n| n.as_str()),
        Some("exemplar check")
    );
    assert_eq!((report.tests, report.failures, report.errors), (4, 1, 0));
    let suites: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(suites, [EN, ZH]);

    let en = &report.test_suites[0];
    let cases: Vec<&str> = en.test_cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cases, ["page".to_owned(), format!("{EN}#create_widget")]);
    assert_eq!(
        en.test_cases[1].classname.as_ref().map(|c| c.as_str()),
        Some(EN)
    );
    match &en.test_cases[1].status {
        quick_junit::TestCaseStatus::NonSuccess {
            kind,
            message,
            ty,
            description,
            ..
        } => {
            assert_eq!(*kind, quick_junit::NonSuccessKind::Failure);
            assert_eq!(
                message.as_ref().map(|m| m.as_str()),
                Some("json-syntax: trailing comma after the last property of the request body (and 2 more errors)")
            );
            assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("json-syntax"));
            let text = description.as_ref().map(|d| d.as_str()).unwrap_or_default();
            assert_eq!(text.lines().filter(|l| l.starts_with(EN)).count(), 3);
            assert!(text.contains(&format!(
                "{EN}:50:18: error[echo-mismatch]: `displayName` is sent as \"<script>alert(1)</script>\""
            )));
        }
        other => panic!("the example should fail, got {other:?}"),
    }

    // The TODO marker belongs to no example: the page case carries it, and
    // as a warning it does not fail the case.
    let zh = &report.test_suites[1];
    assert!(matches!(
        zh.test_cases[0].status,
        quick_junit::TestCaseStatus::Success { .. }
    ));
    let out = zh.test_cases[0].system_out.as_ref().map(|s| s.as_str());
    assert_eq!(
        out,
        Some(format!(
            "{ZH}:8:10: warning[todo-marker]: the page still holds a TODO marker: \"TODO: 添加 <b>权限</b> 表\"\n  help: do what the TODO asks, then remove the marker"
        ))
        .as_deref()
    );
}

#[test]
fn github_commands_point_at_the_finding_and_escape_their_parts() {
    let (code, out) = exemplar(&["check", "--format", "github", FIXTURE]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        format!("::error file={EN},line=34,col=44,endLine=34,endColumn=45,title=json-syntax::trailing comma after the last property of the request body%0Ahelp: remove the comma")
    );
    assert_eq!(
        lines[2],
        format!("::error file={EN},line=51,col=11,endLine=51,endColumn=44,title=echo-mismatch::`note` is sent as \"\\\"><img src=x onerror=alert(2)>\" but the documented response returns \"\\\"><img src=x onerror=alert(4)>\"%0Ahelp: make the response echo the value the request sends (or change the request)")
    );
    // Columns count characters: the TODO sits after nine CJK characters.
    assert_eq!(
        lines[3],
        format!("::warning file={ZH},line=8,col=10,endLine=8,endColumn=14,title=todo-marker::the page still holds a TODO marker: \"TODO: 添加 <b>权限</b> 表\"%0Ahelp: do what the TODO asks, then remove the marker")
    );
    assert_eq!(
        lines[4],
        "exemplar check: 2 pages, 2 examples, 3 errors, 1 warnings, 0 notes"
    );
}

/// The official SARIF 2.1.0 schema (vendored from the serde-sarif crate,
/// which ships the OASIS file; see tests/data/README.md), with formats
/// (`uri`, `date-time`) checked too.
fn sarif_schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("vendored schema");
    // The official file's `run.language` pattern has a stray `]` that Rust
    // regex engines refuse when the schema itself is checked against its
    // meta-schema; the pattern is about a property exemplar never writes.
    let text = text.replace(
        r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
        r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#,
    );
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Every location a code-scanning service reads: an absolute `file://` URI,
/// or a relative reference with a `uriBaseId` the run defines (a bare
/// absolute path is refused by the SARIF Multitool, SARIF1004).
fn assert_locations_resolve(log: &Value) {
    let run = &log["runs"][0];
    let bases = run["originalUriBaseIds"]
        .as_object()
        .expect("originalUriBaseIds");
    let root = bases["SRCROOT"]["uri"].as_str().expect("SRCROOT");
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let mut seen = 0;
    for result in run["results"].as_array().expect("results") {
        let places = result["locations"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(result["relatedLocations"].as_array().into_iter().flatten());
        for place in places {
            let artifact = &place["physicalLocation"]["artifactLocation"];
            let uri = artifact["uri"].as_str().expect("a uri");
            match artifact["uriBaseId"].as_str() {
                Some(base) => {
                    assert!(bases.contains_key(base), "{base}");
                    assert!(!uri.starts_with('/') && !uri.contains(':'), "{uri}");
                }
                None => assert!(uri.starts_with("file:///"), "{uri}"),
            }
            seen += 1;
        }
    }
    assert!(seen > 0);
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    for rule in driver["rules"].as_array().expect("rules") {
        assert_ne!(rule["name"], rule["id"], "a rule's name is not its id");
    }
}

/// SARIF from a relative and an absolute invocation, with a baseline, and
/// after `merge`: each valid, each location resolvable.
#[test]
fn sarif_from_any_invocation_is_accepted() {
    let validator = sarif_schema();
    let absolute = std::fs::canonicalize(FIXTURE).expect("the fixture");
    let absolute = absolute.to_str().expect("UTF-8");
    let dir = tempfile::tempdir().expect("a temp dir");
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().expect("UTF-8");
    exemplar(&["check", "--write-baseline", baseline, FIXTURE]);
    let json = dir.path().join("result.json");
    let json = json.to_str().expect("UTF-8");
    let bin = env!("CARGO_BIN_EXE_exemplar");
    let status = std::process::Command::new(bin)
        .args(["check", "--format", "json", "--output", json, FIXTURE])
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(1));
    for args in [
        vec!["check", "--format", "sarif", FIXTURE],
        vec!["check", "--format", "sarif", absolute],
        vec![
            "check",
            "--format",
            "sarif",
            "--baseline",
            baseline,
            FIXTURE,
        ],
        vec!["merge", "--format", "sarif", json],
    ] {
        let (_, out) = exemplar(&args);
        let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        assert_valid(&validator, &log);
        assert_locations_resolve(&log);
        let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"]
            .as_str()
            .expect("a uri")
            .to_owned();
        if args.contains(&absolute) {
            assert!(uri.starts_with("file:///"), "{uri}");
        } else {
            assert!(uri.starts_with("tests/data/report/"), "{uri}");
        }
        if args.contains(&"--baseline") {
            assert_eq!(log["runs"][0]["results"][0]["baselineState"], "unchanged");
        }
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = sarif_schema();
    for root in [FIXTURE, "tests/data/report/zh-cn"] {
        let (code, out) = exemplar(&["check", "--format", "sarif", root]);
        assert!(code <= 1, "{root}: exit {code}");
        let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        assert_valid(&validator, &log);
    }
    // The validator really checks: a result without its message is refused.
    let (_, out) = exemplar(&["check", "--format", "sarif", FIXTURE]);
    let mut log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    log["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result")
        .remove("message");
    assert!(!validator.is_valid(&log));
}

#[test]
fn sarif_results_carry_exact_regions_and_rules_link_their_pages() {
    let (_, out) = exemplar(&["check", "--format", "sarif", FIXTURE]);
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), exemplar::registry::all().len());
    for rule in rules {
        let id = rule["id"].as_str().expect("an id");
        // No base configured: no helpUri (it must be absolute), the page's
        // path and text instead.
        assert_eq!(rule.get("helpUri"), None);
        assert_eq!(rule["properties"]["docs"], format!("docs/rules/{id}.md"));
        let doc = exemplar::registry::lookup(id).expect("a registry rule").doc;
        assert_eq!(rule["help"]["markdown"], doc);
        assert!(
            std::path::Path::new(&format!("docs/rules/{id}.md")).is_file(),
            "helpUri of {id} points at a missing page"
        );
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    let todo = &results[3];
    assert_eq!(todo["ruleId"], "todo-marker");
    assert_eq!(todo["level"], "warning");
    let index = todo["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    assert_eq!(rules[index]["id"], "todo-marker");
    let location = &todo["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], ZH);
    let region = &location["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (
            &Value::from(8),
            &Value::from(10),
            &Value::from(8),
            &Value::from(14)
        )
    );
    assert_eq!(
        region["snippet"]["text"],
        "创建小组件。说明：TODO: 添加 <b>权限</b> 表"
    );
    let echo = &results[1];
    assert_eq!(echo["properties"]["pointer"], "/displayName");
    assert_eq!(echo["properties"]["example"], format!("{EN}#create_widget"));
}

#[test]
fn sarif_help_uris_take_a_configured_base() {
    use exemplar::report::{sarif, Options, Report};
    let path: std::sync::Arc<str> = "api/x.md".into();
    let pages = [exemplar::page::Page::from_text(
        path.clone(),
        "# X\n\nTODO: write\n".to_owned(),
        None,
    )];
    let finding = exemplar::finding::Finding::new(
        exemplar::registry::lookup("todo-marker").unwrap(),
        &path,
        5..9,
        "a TODO",
    );
    let report = Report::new(
        exemplar::report::Command::Check,
        &pages,
        Vec::new(),
        vec![finding],
    );
    let options = Options {
        docs_base: Some("https://example.org/exemplar/docs/rules/".to_owned()),
        ..Options::default()
    };
    let log = serde_json::to_value(sarif::log(&report, &options)).expect("serialises");
    assert_valid(&sarif_schema(), &log);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for rule in rules {
        assert_eq!(
            rule["helpUri"],
            format!(
                "https://example.org/exemplar/docs/rules/{}.md",
                rule["id"].as_str().unwrap_or("?")
            )
        );
    }
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&Value::from(3), &Value::from(1))
    );
}

/// The trailing comma of the fixture's request body (line 34, column 44):
/// its fix deletes exactly that character, in the JSON report and in SARIF
/// (§3.55 `fixes`: one artifact change, one replacement whose deleted
/// region is the comma and which inserts nothing).
#[test]
fn a_trailing_comma_finding_carries_its_fix_in_json_and_sarif() {
    let (_, out) = exemplar(&["check", "--format", "json", FIXTURE]);
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");
    let fixed: Vec<&Value> = findings.iter().filter(|f| f.get("fix").is_some()).collect();
    assert_eq!(fixed.len(), 1, "{findings:#?}");
    let comma = fixed[0];
    assert_eq!(
        (&comma["rule"], &comma["line"], &comma["column"]),
        (
            &Value::from("json-syntax"),
            &Value::from(34),
            &Value::from(44)
        )
    );
    assert_eq!(
        comma["fix"],
        serde_json::json!({
            "safety": "safe",
            "message": "remove the comma",
            "edits": [{"line": 34, "column": 44, "end_line": 34, "end_column": 45, "replacement": ""}]
        })
    );

    let (_, out) = exemplar(&["check", "--format", "sarif", FIXTURE]);
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_valid(&sarif_schema(), &log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let with_fixes: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert_eq!(with_fixes.len(), 1);
    assert_eq!(with_fixes[0]["ruleId"], "json-syntax");
    assert_eq!(
        with_fixes[0]["fixes"],
        serde_json::json!([{
            "description": {"text": "remove the comma"},
            "artifactChanges": [{
                "artifactLocation": {"uri": EN, "uriBaseId": "SRCROOT"},
                "replacements": [{
                    "deletedRegion": {"startLine": 34, "startColumn": 44, "endLine": 34, "endColumn": 45}
                }]
            }],
            "properties": {"safety": "safe"}
        }])
    );
}

/// `merge` reads the fixes back from the shards' JSON: the merged report
/// carries the single run's fixes.
#[test]
fn merged_shards_keep_the_fixes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let json = dir.path().join("result.json");
    let json = json.to_str().expect("UTF-8");
    let bin = env!("CARGO_BIN_EXE_exemplar");
    std::process::Command::new(bin)
        .args(["check", "--format", "json", "--output", json, FIXTURE])
        .status()
        .expect("runs");
    let (_, single) = exemplar(&["check", "--format", "json", FIXTURE]);
    let (_, merged) = exemplar(&["merge", "--format", "json", json]);
    let fixes = |out: &str| -> Vec<Value> {
        let doc: Value = serde_json::from_str(out).expect("JSON");
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["fix"].clone())
            .collect()
    };
    assert_eq!(fixes(&merged), fixes(&single));
    assert!(fixes(&single).iter().any(|f| !f.is_null()));
}
