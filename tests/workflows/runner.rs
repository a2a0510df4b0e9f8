//! Runs the steps of a composite action as a GitHub runner does, for a
//! test on this machine: each `run:` step through `bash --noprofile --norc
//! -eo pipefail` (the runner's `shell: bash`), with its `env:` and
//! `working-directory:` evaluated, its own `$GITHUB_OUTPUT` and
//! `$GITHUB_PATH` files read back after it, one `$GITHUB_STEP_SUMMARY`, and
//! its `if:` evaluated (a step without one runs while no step has failed).
//! A `uses:` step is not run; its `with:` values are evaluated and kept.
//!
//! Expressions are the subset action.yml uses: `||`, `&&`, `!`, `==`, `!=`,
//! `<`, `<=`, `>`, `>=`, parentheses, 'strings', numbers, `inputs.*`,
//! `steps.*.outputs.*`, `github.*`, and the functions `success()`,
//! `failure()`, `always()`, `cancelled()` and `format()`. Anything else
//! panics, so that the runner never guesses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// An expression's value (GitHub's loose typing, without null).
#[derive(Debug, Clone)]
enum V {
    S(String),
    N(f64),
    B(bool),
}

impl V {
    fn truthy(&self) -> bool {
        match self {
            V::S(s) => !s.is_empty(),
            V::N(n) => *n != 0.0 && !n.is_nan(),
            V::B(b) => *b,
        }
    }

    fn number(&self) -> f64 {
        match self {
            V::S(s) if s.trim().is_empty() => 0.0,
            V::S(s) => s.trim().parse().unwrap_or(f64::NAN),
            V::N(n) => *n,
            V::B(b) => f64::from(u8::from(*b)),
        }
    }

    fn text(&self) -> String {
        match self {
            V::S(s) => s.clone(),
            V::N(n) => format!("{n}"),
            V::B(b) => b.to_string(),
        }
    }

    /// `==`: strings case-insensitively, anything else as numbers.
    fn equals(&self, other: &V) -> bool {
        match (self, other) {
            (V::S(a), V::S(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a.number() == b.number(),
        }
    }
}

/// What an expression can read.
pub(crate) struct Context<'a> {
    pub inputs: &'a BTreeMap<String, String>,
    pub github: &'a BTreeMap<String, String>,
    pub outputs: &'a BTreeMap<String, BTreeMap<String, String>>,
    pub failed: bool,
    /// `runner.temp`.
    pub temp: &'a Path,
}

fn tokens(expr: &str) -> Vec<String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            // 'it''s': a doubled quote is a quote.
            let mut s = String::from("'");
            i += 1;
            loop {
                assert!(i < chars.len(), "unterminated string in `{expr}`");
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            out.push(s);
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | '-' | '.'))
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["||", "&&", "==", "!=", "<=", ">="].contains(&two.as_str()) {
                out.push(two);
                i += 2;
            } else if "!<>(),".contains(c) {
                out.push(c.to_string());
                i += 1;
            } else {
                panic!("unsupported character `{c}` in `{expr}`");
            }
        }
    }
    out
}

struct Parser<'a, 'c> {
    tokens: Vec<String>,
    at: usize,
    cx: &'a Context<'c>,
    expr: &'a str,
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn eat(&mut self, token: &str) -> bool {
        let hit = self.peek() == Some(token);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn or(&mut self) -> V {
        let mut value = self.and();
        while self.eat("||") {
            let right = self.and();
            if !value.truthy() {
                value = right;
            }
        }
        value
    }

    fn and(&mut self) -> V {
        let mut value = self.not();
        while self.eat("&&") {
            let right = self.not();
            if value.truthy() {
                value = right;
            }
        }
        value
    }

    fn not(&mut self) -> V {
        if self.eat("!") {
            V::B(!self.not().truthy())
        } else {
            self.comparison()
        }
    }

    fn comparison(&mut self) -> V {
        let left = self.primary();
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                let right = self.primary();
                let (a, b) = (left.number(), right.number());
                return V::B(match op {
                    "==" => left.equals(&right),
                    "!=" => !left.equals(&right),
                    "<" => a < b,
                    "<=" => a <= b,
                    ">" => a > b,
                    _ => a >= b,
                });
            }
        }
        left
    }

    fn primary(&mut self) -> V {
        let expr = self.expr;
        let token = self
            .tokens
            .get(self.at)
            .cloned()
            .unwrap_or_else(|| panic!("`{expr}` ends too soon"));
        self.at += 1;
        if token == "(" {
            let value = self.or();
            assert!(self.eat(")"), "missing ) in `{expr}`");
            return value;
        }
        if let Some(s) = token.strip_prefix('\'') {
            return V::S(s.to_owned());
        }
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            return V::N(
                token
                    .parse()
                    .unwrap_or_else(|_| panic!("`{token}` in `{expr}`")),
            );
        }
        if self.eat("(") {
            let mut args = Vec::new();
            if !self.eat(")") {
                loop {
                    args.push(self.or());
                    if self.eat(")") {
                        break;
                    }
                    assert!(self.eat(","), "expected , or ) in `{expr}`");
                }
            }
            return self.call(&token, &args);
        }
        match token.as_str() {
            "true" => return V::B(true),
            "false" => return V::B(false),
            _ => {}
        }
        V::S(self.lookup(&token))
    }

    fn call(&self, name: &str, args: &[V]) -> V {
        match (name, args.len()) {
            ("success", 0) => V::B(!self.cx.failed),
            ("failure", 0) => V::B(self.cx.failed),
            ("always", 0) => V::B(true),
            ("cancelled", 0) => V::B(false),
            ("format", n) if n > 0 => {
                let mut text = args[0].text();
                for (i, arg) in args[1..].iter().enumerate() {
                    text = text.replace(&format!("{{{i}}}"), &arg.text());
                }
                V::S(text)
            }
            _ => panic!(
                "unsupported function {name}/{} in `{}`",
                args.len(),
                self.expr
            ),
        }
    }

    fn lookup(&self, path: &str) -> String {
        let parts: Vec<&str> = path.split('.').collect();
        let cx = self.cx;
        match parts[..] {
            ["inputs", name] => cx
                .inputs
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("the action has no input `{name}`")),
            ["github", name] => cx
                .github
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("the test gives no github.{name}")),
            ["runner", "temp"] => cx.temp.to_string_lossy().into_owned(),
            ["runner", "os"] => "Linux".to_owned(),
            ["steps", id, "outputs", name] => cx
                .outputs
                .get(id)
                .and_then(|o| o.get(name))
                .cloned()
                .unwrap_or_default(),
            _ => panic!("unsupported context `{path}` in `{}`", self.expr),
        }
    }
}

fn evaluate(expr: &str, cx: &Context) -> V {
    let mut parser = Parser {
        tokens: tokens(expr),
        at: 0,
        cx,
        expr,
    };
    let value = parser.or();
    assert!(parser.peek().is_none(), "`{expr}` has more after its end");
    value
}

/// A string with `${{ ... }}` parts replaced by their values.
pub(crate) fn interpolate(text: &str, cx: &Context) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("}}")
            .unwrap_or_else(|| panic!("unterminated ${{{{ in `{text}`"));
        out.push_str(&evaluate(&rest[start + 3..start + end], cx).text());
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// An `if:` (with or without `${{ }}`).
fn condition(text: &str, cx: &Context) -> bool {
    let t = text.trim();
    let t = t
        .strip_prefix("${{")
        .and_then(|t| t.strip_suffix("}}"))
        .unwrap_or(t);
    evaluate(t, cx).truthy()
}

/// What one step did.
#[derive(Debug)]
pub(crate) struct Step {
    pub name: String,
    /// None when the step did not run (its `if:` was false, or `uses:`).
    pub exit: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// A `uses:` step's evaluated `with:`.
    pub with: BTreeMap<String, String>,
}

/// What the action did.
pub(crate) struct Run {
    pub steps: Vec<Step>,
    pub outputs: BTreeMap<String, BTreeMap<String, String>>,
    pub summary: String,
    pub temp: PathBuf,
}

impl Run {
    pub(crate) fn step(&self, name: &str) -> &Step {
        self.steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no step named {name}"))
    }
}

/// Runs `action` (action.yml as JSON) in `workspace` with `given` inputs
/// (the rest take their defaults) and `path` before the runner's PATH.
pub(crate) fn run(
    action: &Value,
    given: &[(&str, &str)],
    github: &BTreeMap<String, String>,
    workspace: &Path,
    path: &Path,
    temp: &Path,
) -> Run {
    let declared = action["inputs"].as_object().expect("inputs");
    for (name, _) in given {
        assert!(
            declared.contains_key(*name),
            "the action has no input {name}"
        );
    }
    let mut inputs = BTreeMap::new();
    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    // Defaults may be expressions over github.*; inputs are read only after.
    for (name, input) in declared {
        let value = match given.iter().find(|(n, _)| n == name) {
            Some((_, v)) => (*v).to_owned(),
            None => {
                let empty = BTreeMap::new();
                let cx = Context {
                    inputs: &empty,
                    github,
                    outputs: &outputs,
                    failed: false,
                    temp,
                };
                interpolate(input["default"].as_str().unwrap_or(""), &cx)
            }
        };
        inputs.insert(name.clone(), value);
    }
    let summary = temp.join("step-summary.md");
    std::fs::write(&summary, "").expect("summary file");
    let mut search_path = vec![path.to_path_buf()];
    let mut failed = false;
    let mut steps = Vec::new();
    for (i, step) in action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .enumerate()
    {
        let name = step["name"].as_str().unwrap_or("").to_owned();
        let cx = Context {
            inputs: &inputs,
            github,
            outputs: &outputs,
            failed,
            temp,
        };
        let runs = match step["if"].as_str() {
            Some(expr) => condition(expr, &cx),
            None => !failed,
        };
        let mut record = Step {
            name,
            exit: None,
            stdout: String::new(),
            stderr: String::new(),
            with: BTreeMap::new(),
        };
        if !runs {
            steps.push(record);
            continue;
        }
        if step["uses"].is_string() {
            if let Some(with) = step["with"].as_object() {
                for (key, value) in with {
                    let text = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    record.with.insert(key.clone(), interpolate(&text, &cx));
                }
            }
            steps.push(record);
            continue;
        }
        let script = step["run"].as_str().expect("a run step");
        let file = temp.join(format!("step-{i}.sh"));
        std::fs::write(&file, script).expect("script file");
        let output_file = temp.join(format!("step-{i}.output"));
        let path_file = temp.join(format!("step-{i}.path"));
        std::fs::write(&output_file, "").expect("output file");
        std::fs::write(&path_file, "").expect("path file");
        let dir = step["working-directory"]
            .as_str()
            .map_or_else(|| ".".to_owned(), |d| interpolate(d, &cx));
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file)
            .current_dir(workspace.join(dir))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", temp)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &summary);
        let mut paths = search_path.clone();
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        command.env("PATH", std::env::join_paths(paths).expect("PATH"));
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                command.env(key, interpolate(&text, &cx));
            }
        }
        let out = command.output().expect("bash runs");
        let code = out.status.code().unwrap_or(-1);
        record.exit = Some(code);
        record.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        record.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        failed |= code != 0;
        if let Some(id) = step["id"].as_str() {
            let text = std::fs::read_to_string(&output_file).expect("output file");
            let mine = outputs.entry(id.to_owned()).or_default();
            for line in text.lines() {
                assert!(
                    !line.contains("<<"),
                    "multi-line outputs are not supported: {line}"
                );
                if let Some((k, v)) = line.split_once('=') {
                    mine.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        let added = std::fs::read_to_string(&path_file).expect("path file");
        for line in added.lines().filter(|l| !l.is_empty()) {
            search_path.insert(0, PathBuf::from(line));
        }
        steps.push(record);
    }
    Run {
        steps,
        outputs,
        summary: std::fs::read_to_string(&summary).expect("summary file"),
        temp: temp.to_path_buf(),
    }
}
