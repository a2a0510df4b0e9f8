//! The CI gate exercised as a docs team uses it: a git repository with
//! en-us and zh-cn pages, a baseline written, edits that shift lines (no new
//! finding), a new defect (exactly one new finding), a fix (one fixed), a
//! translation-only change (its source page is checked with it), and
//! shards merged back into the single run's report.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_exemplar");

fn page(title: &str, name: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\n---\n\n# {title}\n\n## Example\n\n### Request\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->\n```http\nPOST https://graph.microsoft.com/v1.0/things\nContent-Type: application/json\n\n{body}\n```\n\n### Response\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{{\n  \"id\": \"1\"\n}}\n```\n"
    )
}

const CLEAN: &str = "{\n  \"displayName\": \"Contoso\"\n}";
/// A trailing comma: one json-syntax error.
const BROKEN: &str = "{\n  \"displayName\": \"Contoso\",\n}";

struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let repo = Repo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .current_dir(&self.root)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Runs exemplar in the repository; returns the exit code and the JSON.
    fn check(&self, args: &[&str]) -> (i32, Value) {
        let out = Command::new(BIN)
            .current_dir(&self.root)
            .args(["check", "docs", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let code = out.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (code, serde_json::from_slice(&out.stdout).unwrap())
    }
}

fn pages_read(doc: &Value) -> Vec<String> {
    let mut pages: Vec<String> = doc["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_owned())
        .collect();
    pages.sort();
    pages
}

fn new_findings(doc: &Value) -> Vec<(String, String, u64, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["known"] != true)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_docs_team_adopts_the_gate() {
    let repo = Repo::new();
    repo.write("docs/en-us/api/a.md", &page("Create a", "create_a", BROKEN));
    repo.write("docs/zh-cn/api/a.md", &page("创建 a", "create_a", BROKEN));
    repo.write("docs/en-us/api/b.md", &page("Create b", "create_b", CLEAN));
    repo.write("docs/zh-cn/api/b.md", &page("创建 b", "create_b", CLEAN));
    repo.commit("docs");

    // The known findings: one trailing comma in each a.md.
    let (code, doc) = repo.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(new_findings(&doc).len(), 2);
    let (code, doc) = repo.check(&["--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "everything just recorded is known");
    assert_eq!(doc["summary"]["known"], 2);
    let written = std::fs::read_to_string(repo.root.join("baseline.json")).unwrap();
    assert_eq!(
        written,
        "{\n  \"version\": 1,\n  \"entries\": [\n    {\"rule\":\"json-syntax\",\"locale\":\"en-us\",\"page\":\"api/a.md\",\"example\":\"create_a\",\"at\":null,\"count\":1},\n    {\"rule\":\"json-syntax\",\"locale\":\"zh-cn\",\"page\":\"api/a.md\",\"example\":\"create_a\",\"at\":null,\"count\":1}\n  ]\n}\n"
    );
    repo.commit("baseline");

    // Lines shift above the known finding: still known.
    let shifted = format!(
        "intro\n\nmore intro\n\n{}",
        page("Create a", "create_a", BROKEN)
    );
    repo.write("docs/en-us/api/a.md", &shifted);
    let (code, doc) = repo.check(&["--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert_eq!(new_findings(&doc), vec![]);
    assert_eq!(doc["summary"]["fixed"], 0);

    // A new defect: exactly one new finding, at its comma.
    repo.write("docs/en-us/api/b.md", &page("Create b", "create_b", BROKEN));
    let (code, doc) = repo.check(&["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        new_findings(&doc),
        vec![("json-syntax".into(), "docs/en-us/api/b.md".into(), 17, 27)]
    );
    assert_eq!(doc["summary"]["new"], 1);

    // A fix: one fixed, listed.
    repo.write("docs/en-us/api/b.md", &page("Create b", "create_b", CLEAN));
    repo.write("docs/zh-cn/api/a.md", &page("创建 a", "create_a", CLEAN));
    let (code, doc) = repo.check(&["--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["fixed"], 1);
    assert_eq!(doc["fixed"][0]["locale"], "zh-cn");
    assert_eq!(doc["fixed"][0]["page"], "api/a.md");
    // Writing the baseline again prunes it.
    repo.check(&[
        "--baseline",
        "baseline.json",
        "--write-baseline",
        "baseline.json",
    ]);
    let pruned = std::fs::read_to_string(repo.root.join("baseline.json")).unwrap();
    assert!(!pruned.contains("zh-cn"), "{pruned}");
    repo.commit("fixes");

    // A translation-only change: its source page is read with it.
    repo.write(
        "docs/zh-cn/api/b.md",
        &page("创建 b（新）", "create_b", CLEAN),
    );
    let (_, doc) = repo.check(&["--changed-since", "HEAD"]);
    assert_eq!(
        pages_read(&doc),
        ["docs/en-us/api/b.md", "docs/zh-cn/api/b.md"]
    );
    assert_eq!(doc["summary"]["paired_pages"], 1);
    // Nothing changed: nothing read.
    repo.commit("translation");
    let (code, doc) = repo.check(&["--changed-since", "HEAD"]);
    assert_eq!((code, pages_read(&doc).len()), (0, 0));

    // Shards: each pair in one slice, and merged they are the single run.
    let single = Command::new(BIN)
        .current_dir(&repo.root)
        .args(["check", "docs", "--format", "sarif"])
        .output()
        .unwrap()
        .stdout;
    let mut files = Vec::new();
    for k in 1..=3 {
        let file = repo.root.join(format!("shard{k}.json"));
        let out = Command::new(BIN)
            .current_dir(&repo.root)
            .args([
                "check",
                "docs",
                "--format",
                "json",
                "--shard",
                &format!("{k}/3"),
            ])
            .args(["--output", file.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(out.code().is_some_and(|c| c <= 1));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let read = pages_read(&doc);
        for pair in read.chunks(2) {
            assert_eq!(pair.len(), 2, "a locale pair stays in one shard: {read:?}");
        }
        files.push(file);
    }
    let merged = Command::new(BIN)
        .current_dir(&repo.root)
        .arg("merge")
        .args(&files)
        .args(["--format", "sarif"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        String::from_utf8(merged).unwrap(),
        String::from_utf8(single).unwrap()
    );
}

/// `--format github` with `--changed-since` annotates only changed lines.
#[test]
fn annotations_only_on_changed_lines() {
    let repo = Repo::new();
    let two = format!(
        "{}\n{}",
        page("Create a", "create_a", BROKEN),
        page("Create c", "create_c", CLEAN)
    );
    repo.write("docs/en-us/api/a.md", &two);
    repo.commit("docs");
    // The second example breaks; the first was broken already.
    let two = format!(
        "{}\n{}",
        page("Create a", "create_a", BROKEN),
        page("Create c", "create_c", BROKEN)
    );
    repo.write("docs/en-us/api/a.md", &two);
    let out = Command::new(BIN)
        .current_dir(&repo.root)
        .args([
            "check",
            "docs",
            "--format",
            "github",
            "--changed-since",
            "HEAD",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{text}");
    assert!(
        annotations[0].starts_with("::error file=docs/en-us/api/a.md,line=49,col=27,"),
        "{}",
        annotations[0]
    );
}

/// On the whole corpus: three shards merged give exactly the single run's
/// JSON; and a baseline written on it leaves every finding known (exit 0).
#[test]
fn corpus_shards_merge_into_the_single_run_and_a_baseline_quiets_it() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        panic!("../shared/corpus is missing: the gate test reads it");
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], out: &str| -> i32 {
        let status = Command::new(BIN)
            .current_dir(corpus.parent().unwrap())
            .args(args)
            .args(["--output", dir.path().join(out).to_str().unwrap()])
            .status()
            .unwrap();
        status.code().unwrap()
    };
    run(&["check", "corpus", "--format", "json"], "single.json");
    let mut merge = vec!["merge".to_owned()];
    for k in 1..=3 {
        let name = format!("shard{k}.json");
        run(
            &[
                "check",
                "corpus",
                "--format",
                "json",
                "--shard",
                &format!("{k}/3"),
            ],
            &name,
        );
        merge.push(dir.path().join(name).to_string_lossy().into_owned());
    }
    merge.extend(["--format".into(), "json".into()]);
    let args: Vec<&str> = merge.iter().map(String::as_str).collect();
    run(&args, "merged.json");
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert!(
        read("single.json") == read("merged.json"),
        "merged shards differ from the single run"
    );

    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    assert_eq!(
        run(&["check", "corpus", "--write-baseline", baseline], "w.txt"),
        0
    );
    assert_eq!(
        run(
            &[
                "check",
                "corpus",
                "--baseline",
                baseline,
                "--format",
                "json"
            ],
            "b.json"
        ),
        0
    );
    let doc: Value = serde_json::from_str(&read("b.json")).unwrap();
    assert_eq!(doc["summary"]["new"], 0);
    assert_eq!(
        doc["summary"]["known"],
        doc["findings"].as_array().unwrap().len()
    );
}

/// A pull request's check keeps what each resource page defines in
/// `.exemplar_cache` (ignored by git): the second run reads only the
/// changed page, and reports exactly what a run without the cache does,
/// related places in unread resource pages included.
#[test]
fn a_pull_request_check_keeps_the_type_model_in_a_cache() {
    let repo = Repo::new();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/types/basic.docset"
    );
    for locale in ["en-us", "zh-cn"] {
        for folder in ["api", "resources"] {
            let dir = std::path::Path::new(fixture).join(locale).join(folder);
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".md") {
                    let text = std::fs::read_to_string(entry.path()).unwrap();
                    repo.write(&format!("docs/{locale}/{folder}/{name}"), &text);
                }
            }
        }
    }
    repo.commit("docs");
    let post = "docs/en-us/api/widget-post.md";
    let text = std::fs::read_to_string(repo.root.join(post)).unwrap();
    repo.write(post, &format!("{text}\nAn edit.\n"));

    let (_, uncached) = repo.check(&["--changed-since", "HEAD", "--no-cache"]);
    assert!(!repo.root.join(".exemplar_cache").exists());
    let (_, first) = repo.check(&["--changed-since", "HEAD"]);
    let (_, second) = repo.check(&["--changed-since", "HEAD"]);
    assert_eq!(first, uncached);
    assert_eq!(second, uncached);
    assert!(repo.root.join(".exemplar_cache/types-v1.bin").is_file());
    // The model was there: the edited page's first type finding, and the
    // resource page it points to (read from disk, not checked) with its line.
    let finding = &uncached["findings"][0];
    assert_eq!(
        (
            finding["rule"].as_str(),
            finding["line"].as_u64(),
            finding["column"].as_u64()
        ),
        (Some("unknown-property"), Some(31), Some(3))
    );
    assert_eq!(
        finding["related"][0]["path"].as_str(),
        Some("docs/en-us/resources/widget.md")
    );
    assert_eq!(finding["related"][0]["line"].as_u64(), Some(48));
    // The cache is no change of the repository's.
    let status = Command::new("git")
        .current_dir(&repo.root)
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        format!(" M {post}\n")
    );
}
