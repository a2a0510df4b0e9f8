//! `version` in exemplar.toml names the docs set's API version for
//! `version-mismatch` when the pages' folders do not.

use serde_json::Value;

mod common;

const PAGE: &str = "# Get widget

<!-- { \"blockType\": \"request\", \"name\": \"get_widget\" } -->
```http
GET https://api.contoso.test/v1/widgets/wdg-1000042
```

<!-- { \"blockType\": \"response\" } -->
```http
HTTP/1.1 200 OK
```
";

fn version_findings(config: Option<&str>) -> Vec<(u64, u64, String)> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("widget-get.md");
    std::fs::write(&page, PAGE).expect("the page");
    let toml = dir.path().join("exemplar.toml");
    std::fs::write(&toml, config.unwrap_or("")).expect("the configuration");
    let (_, out) = common::exemplar(&[
        "check",
        page.to_str().expect("a UTF-8 path"),
        "--config",
        toml.to_str().expect("a UTF-8 path"),
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out).expect("a JSON report");
    doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "version-mismatch")
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_configured_version_is_the_documented_one() {
    assert_eq!(
        version_findings(Some("version = \"2023-01-01\"\n")),
        [(
            5,
            30,
            "the example calls version `v1` of the API, but the page documents version `2023-01-01`"
                .to_owned()
        )]
    );
    assert!(version_findings(Some("version = \"v1\"\n")).is_empty());
    // Without the key and without a version folder, nothing is known to compare.
    assert!(version_findings(None).is_empty());
}
