//! The command line as users and CI see it: exit codes, formats, and hostile
//! input that must become findings, never a crash (exit code 101).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn exemplar() -> Command {
    Command::cargo_bin("exemplar").expect("the binary is built")
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `check --format json` on `paths` and returns (exit code, document).
fn check_json(paths: &[&Path]) -> (i32, Value) {
    let out = exemplar()
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(paths)
        .output()
        .expect("runs");
    let code = out.status.code().expect("exited");
    assert_ne!(
        code,
        101,
        "panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        code,
        serde_json::from_slice(&out.stdout).expect("JSON on stdout"),
    )
}

/// (rule, line, column) of every finding.
fn positions(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn extract_json_gives_every_seed_example_with_its_lines() {
    let out = exemplar()
        .args(["extract", "--format", "json"])
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let lines: Vec<(u64, u64)> = doc["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["request"]["line"].as_u64().unwrap(),
                e["response"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (67, 87),
            (46, 56),
            (68, 78),
            (90, 100),
            (80, 118),
            (140, 177),
            (199, 236)
        ]
    );
    let third = &doc["examples"][3];
    assert_eq!(third["name"], Value::Null);
    assert_eq!(third["index"], 2);
    assert!(
        third["request"]["body"]
            .as_str()
            .unwrap()
            .contains("\"externalGroup\",\n}"),
        "the trailing comma survives byte for byte"
    );
    let zh = &doc["examples"][4];
    assert_eq!(zh["locale"], "zh-cn");
    assert_eq!(
        zh["id"].as_str().unwrap().rsplit('#').next(),
        Some("create_aad_user_identity_from_group")
    );
    assert_eq!(zh["response"]["annotation"]["truncated"], true);
    let pages = doc["pages"].as_array().unwrap();
    assert_eq!(pages[1]["format"], "rendered");
    assert_eq!(pages[1]["examples"], 3);
}

#[test]
fn extract_human_prints_one_line_an_example_and_a_summary() {
    let out = exemplar()
        .arg("extract")
        .arg(seeds().join("002_4226d2e02c55d92f.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].ends_with("002_4226d2e02c55d92f.txt:46  -  POST https://graph.microsoft.com/v1.0/external/connections/contosohr/groups/31bea3d537902000/members -> 201"), "{}", lines[0]);
    assert_eq!(lines[3], "3 examples (3 requests, 3 responses) in 1 page");
}

#[test]
fn check_finds_every_seed_defect_and_fails_the_gate() {
    let (code, doc) = check_json(&[&seeds()]);
    assert_eq!(code, 1);
    let found = positions(&doc);
    let expect = |rule: &str, line: u64, column: u64| {
        assert!(
            found.contains(&(rule.to_owned(), line, column)),
            "missing {rule} at {line}:{column} in {found:?}"
        );
    };
    for (line, column) in [
        (4, 12),
        (6, 13),
        (22, 39),
        (23, 43),
        (24, 16),
        (49, 14),
        (50, 22),
    ] {
        expect("todo-marker", line, column);
    }
    expect("placeholder-value", 67, 51);
    expect("placeholder-value", 67, 74);
    // "String" is a placeholder, reported once (not also as an enum value).
    expect("placeholder-value", 73, 11);
    expect("json-syntax", 95, 26);
    expect("echo-mismatch", 104, 9);
    expect("json-syntax", 204, 26);
    expect("echo-mismatch", 240, 9);
    assert_eq!(found.len(), 14, "nothing else fires: {found:?}");
    assert_eq!(doc["summary"]["pages"], 3);
    assert_eq!(doc["summary"]["examples"], 7);
    assert_eq!(doc["summary"]["errors"], 4);
    let trailing = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "json-syntax")
        .unwrap();
    assert_eq!(trailing["end_line"], 95);
    assert_eq!(trailing["end_column"], 27);
    assert_eq!(
        trailing["message"],
        "trailing comma after the last property of the request body"
    );
    assert_eq!(trailing["help"], "remove the comma");
    assert!(trailing["example"]
        .as_str()
        .unwrap()
        .ends_with("002_4226d2e02c55d92f.txt#2"));
}

#[test]
fn a_clean_page_passes_the_gate() {
    let (code, doc) = check_json(&[&fixture("rules/clean.md")]);
    assert_eq!(code, 0);
    assert_eq!(positions(&doc), vec![]);
}

#[test]
fn human_output_points_a_caret_at_the_column() {
    let out = exemplar()
        .arg("check")
        .arg(seeds().join("002_4226d2e02c55d92f.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
    let expected = "002_4226d2e02c55d92f.txt:95:26: error[json-syntax]: trailing comma after the last property of the request body\n   |\n95 |   \"type\": \"externalGroup\",\n   |                          ^\n   |\n   = help: remove the comma\n";
    assert!(text.contains(expected), "{text}");
    assert!(
        text.ends_with("1 page, 3 examples. 2 errors, 0 warnings, 0 notes.\n"),
        "{text}"
    );
}

#[test]
fn usage_errors_and_missing_roots_exit_2() {
    exemplar()
        .args(["check", "does/not/exist"])
        .assert()
        .code(2);
    exemplar().args(["check"]).assert().code(2);
    exemplar()
        .args(["check", "--format", "yaml", "x"])
        .assert()
        .code(2);
    exemplar()
        .args(["extract", "--format", "sarif"])
        .arg(seeds())
        .assert()
        .code(2);
    let out = exemplar().args(["rules", "json-sytnax"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `json-syntax`?"));
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    exemplar()
        .args(["check", "--format", "json", "--output"])
        .arg(&file)
        .arg(seeds())
        .assert()
        .code(1)
        .stdout("");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(doc["summary"]["examples"], 7);
}

#[test]
fn rules_lists_every_rule_and_prints_its_page() {
    let out = exemplar().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), exemplar::registry::all().len());
    assert!(text
        .lines()
        .any(|l| l.starts_with("echo-mismatch ") && l.contains("error")));
    let page = exemplar().args(["rules", "todo-marker"]).output().unwrap();
    assert!(String::from_utf8(page.stdout)
        .unwrap()
        .starts_with("# todo-marker\n"));
}

#[test]
fn config_switches_rules_off_relevels_and_reports_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("exemplar.toml"),
        "[rules]\ntodo-marker = \"off\"\nplaceholder-value = \"error\"\nplaceholder-vaule = \"off\"\n",
    )
    .unwrap();
    let out = exemplar()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .arg(seeds().join("000_93a7005e7c663efb.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "placeholder-value is an error now"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = positions(&doc);
    assert!(!found.iter().any(|(r, _, _)| r == "todo-marker"));
    assert!(
        found.contains(&("unknown-rule".to_owned(), 4, 1)),
        "{found:?}"
    );
    let unknown = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "unknown-rule")
        .unwrap();
    assert_eq!(unknown["help"], "did you mean `placeholder-value`?");
    assert!(unknown["path"].as_str().unwrap().ends_with("exemplar.toml"));
    let placeholder = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "placeholder-value")
        .unwrap();
    assert_eq!(placeholder["severity"], "error");
    std::fs::write(
        dir.path().join("other.toml"),
        "exclude = [\"*/000_*.txt\", \"**/004_*\"]\n",
    )
    .unwrap();
    let out = exemplar()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--config", "other.toml"])
        .arg(seeds())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["summary"]["pages"], 1,
        "two of the three seeds are excluded"
    );
    std::fs::write(dir.path().join("exemplar.toml"), "colour = true\n").unwrap();
    exemplar()
        .current_dir(dir.path())
        .arg("check")
        .arg(seeds())
        .assert()
        .code(2);
}

#[test]
fn hostile_pages_are_findings_never_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.md"), "").unwrap();
    std::fs::write(d.join("binary.md"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    std::fs::write(d.join("image.png"), b"\x89PNG\x00").unwrap();
    std::fs::write(
        d.join("latin1.md"),
        b"# Caf\xe9\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET /x\n```\n",
    )
    .unwrap();
    std::fs::write(
        d.join("long-line.md"),
        format!("# Long\n\n{}\n", "x".repeat(5 * 1024 * 1024)),
    )
    .unwrap();
    let mut many = String::from("# Many\n\n");
    for i in 0..20_000 {
        many.push_str(&format!("<!-- {{ \"blockType\": \"request\", \"name\": \"e{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/x/{i}\n```\n<!-- {{ \"blockType\": \"response\", \"name\": \"e{i}\" }} -->\n```http\nHTTP/1.1 200 OK\n```\n"));
    }
    std::fs::write(d.join("many.md"), many).unwrap();
    std::fs::write(
        d.join("deep.md"),
        format!("# Deep\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{}{}\n```\n", "[".repeat(20_000), "]".repeat(20_000)),
    )
    .unwrap();
    std::fs::write(
        d.join("unclosed.md"),
        "# Unclosed\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nPOST /x\n\n{\"a\": [\n",
    )
    .unwrap();
    std::fs::write(d.join("broken.md"), "# Broken\n\n<!-- { \"blockType\": \"request\", -->\n<!-- {{{{ -->\n<!-- { \"blockType\": 7 } -->\n<!--\n").unwrap();
    #[cfg(unix)]
    {
        std::fs::create_dir(d.join("loop")).unwrap();
        std::os::unix::fs::symlink("..", d.join("loop/up")).unwrap();
    }
    let (code, doc) = check_json(&[d]);
    assert_eq!(code, 1);
    let found = positions(&doc);
    let rel = |name: &str| format!("{}/{name}", d.display());
    let at = |path: &str| -> Vec<(String, u64, u64)> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == rel(path))
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(at("binary.md"), [("unreadable-page".to_owned(), 1, 1)]);
    assert_eq!(at("latin1.md")[0], ("unreadable-page".to_owned(), 1, 6));
    assert_eq!(at("empty.md"), []);
    assert_eq!(
        at("image.png"),
        [],
        "a binary file that is no page is passed over"
    );
    assert_eq!(
        at("deep.md"),
        [
            ("unpaired-example".to_owned(), 5, 1),
            ("json-syntax".to_owned(), 8, 257)
        ]
    );
    assert_eq!(
        at("unclosed.md"),
        [
            ("annotation-missing-name".to_owned(), 3, 21),
            ("unpaired-example".to_owned(), 5, 1),
            ("json-syntax".to_owned(), 7, 1),
            ("json-syntax".to_owned(), 7, 7)
        ]
    );
    assert_eq!(
        at("broken.md"),
        [
            ("annotation-syntax".to_owned(), 3, 6),
            ("orphan-annotation".to_owned(), 3, 21),
            ("annotation-syntax".to_owned(), 4, 6),
            ("annotation-syntax".to_owned(), 4, 7),
            ("annotation-syntax".to_owned(), 5, 21),
        ]
    );
    let many_examples = doc["summary"]["examples"].as_u64().unwrap();
    assert!(many_examples >= 20_000, "{many_examples}");
    #[cfg(unix)]
    assert_eq!(
        at("loop/up"),
        [("unreadable-page".to_owned(), 1, 1)],
        "a symlink loop is reported, not followed forever"
    );
    assert!(found.iter().any(|(r, _, _)| r == "unreadable-page"));
}

#[test]
fn docs_pages_and_rules_match_one_to_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut rules: Vec<String> = exemplar::registry::all()
        .iter()
        .map(|r| r.name.to_owned())
        .collect();
    rules.sort();
    assert_eq!(
        pages, rules,
        "every rule has docs/rules/NAME.md and every page a rule"
    );
    for rule in exemplar::registry::all() {
        assert!(
            rule.doc.starts_with(&format!("# {}\n", rule.name)),
            "{} page starts with its name",
            rule.name
        );
        assert!(
            rule.doc.contains("exemplar-disable"),
            "{} page says how to suppress it",
            rule.name
        );
        assert!(
            !rule.doc.contains("being written"),
            "{} page is written",
            rule.name
        );
    }
}

#[test]
fn readme_starts_with_the_two_commands_and_names_every_command() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let head: Vec<&str> = readme.lines().take(12).collect::<Vec<_>>();
    assert!(
        head.iter()
            .any(|l| l.contains("cargo run -- check ../shared/seeds")),
        "{head:?}"
    );
    assert!(head.iter().any(|l| l.trim() == "cargo test"), "{head:?}");
    let ci =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
    assert!(
        ci.contains("cargo test"),
        ".ci/run runs the README's test command"
    );
    for command in ["extract", "check", "run", "mock", "rules"] {
        assert!(
            readme.contains(&format!("exemplar {command}")),
            "README shows `exemplar {command}`"
        );
    }
}

#[test]
fn run_skips_an_ignored_request_and_says_why() {
    let out = exemplar()
        .args(["run", "--format", "json"])
        .arg(fixture("rules/orphan-unpaired.md"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &doc["summary"];
    assert_eq!(
        (
            s["examples"].as_u64(),
            s["replayed"].as_u64(),
            s["skipped"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let skipped = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "skipped")
        .unwrap();
    assert!(skipped["id"].as_str().unwrap().ends_with("#ignored_alone"));
    assert_eq!(
        skipped["reason"],
        "the request's annotation says \"ignored\": its writer asks test tools not to send it"
    );
}

/// Every `declare_rule!` in the sources is in the registry (which drives the
/// checks that run), and every registered rule has a fixture or a test that
/// names its finding.
#[test]
fn every_declared_rule_is_registered_and_tested() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut declared = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Declarations start a line; the macro's own doc example does not.
                for block in text.split("\ndeclare_rule! {").skip(1) {
                    let name = block.split('"').nth(1).unwrap().to_owned();
                    declared.push((name, path.clone()));
                }
            }
        }
    }
    let registered: Vec<&str> = exemplar::registry::all().iter().map(|r| r.name).collect();
    assert_eq!(declared.len(), registered.len(), "{declared:?}");
    let mut tested = String::new();
    let mut stack = vec![root.join("tests")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                tested.push_str(&text);
            }
        }
    }
    for (name, file) in &declared {
        assert!(
            registered.contains(&name.as_str()),
            "{name} (declared in {}) is in no rule list, so it never runs",
            file.display()
        );
        assert!(
            tested.contains(&format!("[{name}]")) || tested.contains(&format!("\"{name}\"")),
            "{name} has no fixture or test naming its findings"
        );
    }
}

/// With `EXEMPLAR_TIMINGS` set, `check` names each stage on standard error
/// as it ends, in order; without it, nothing of the kind is printed and the
/// report is the same.
#[test]
fn timings_name_the_stages_of_check_only_when_asked() {
    let run = |timings: bool| {
        let mut cmd = exemplar();
        cmd.arg("check").arg("--format").arg("json").arg(seeds());
        if timings {
            cmd.env("EXEMPLAR_TIMINGS", "1");
        } else {
            cmd.env_remove("EXEMPLAR_TIMINGS");
        }
        cmd.output().expect("runs")
    };
    let (timed, plain) = (run(true), run(false));
    assert_eq!(timed.stdout, plain.stdout);
    assert_eq!(timed.status.code(), plain.status.code());
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("exemplar: check:"));
    let stderr = String::from_utf8_lossy(&timed.stderr);
    let mut stages: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("exemplar: check: "))
        .filter_map(|l| l.rsplit_once(": ").map(|(what, _)| what.trim_start()))
        .collect();
    // The locale rules run beside the type model and its checks: their
    // lines come in either order but the model's before its checks.
    let model = stages.iter().position(|s| *s == "type model");
    let checks = stages.iter().position(|s| *s == "type checks");
    assert!(model < checks, "{stderr}");
    stages[1..4].sort_unstable();
    assert_eq!(
        stages,
        [
            "pages read, page rules",
            "locale rules",
            "type checks",
            "type model",
            "locale rules beside type model and checks",
            "suppressions and configuration applied",
            "gate applied, report made",
            "report written",
        ],
        "{stderr}"
    );
}
