//! The pipeline is the folder layout, and imports run one way: a module of
//! `src/` may use `crate::X` only for an X in its own layer or a layer
//! before it (docs/architecture.md), and no two modules import each other
//! through any path. A mention in a comment counts too (a doc link is a
//! reference, and a comment naming a later stage is the same coupling in
//! words); unit-test modules (`#[cfg(test)] mod tests { .. }`) may reach
//! anywhere, as the shared `module-circles` check reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, first to last; a module may import its layer and those above it.
const LAYERS: &[&[&str]] = &[
    &[
        "rule",
        "line_index",
        "lang",
        "limits",
        "work",
        "timings",
        "bytes",
        "alloc",
        "memo",
    ],
    &["finding"],
    &["json", "excerpt", "http"],
    &["example", "page"],
    &["discover", "git"],
    &["rules"],
    &["locale", "types"],
    &["replay"],
    &["registry", "suppressions", "config", "baseline"],
    &["report"],
    &["cli", "commands"],
    // Unit tests across the whole pipeline.
    &["hardening_tests", "harness"],
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("src/{module} is in no layer of tests/architecture.rs"))
}

/// Top-level module -> the top-level modules it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if relative == "lib.rs" || relative == "main.rs" {
                continue;
            }
            let module = relative
                .split(['/', '\\'])
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            // A file's unit tests come last: what follows their opening is theirs.
            let text = match text.find("#[cfg(test)]\nmod tests {") {
                Some(at) => &text[..at],
                None => text.as_str(),
            };
            let used = graph.entry(module.clone()).or_default();
            for line in text.lines() {
                for part in line.split("crate::").skip(1) {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        used.insert(name);
                    }
                }
            }
        }
    }
    graph
}

#[test]
fn no_import_runs_back_up_the_pipeline() {
    let mut upward = Vec::new();
    for (module, used) in imports() {
        for dependency in used {
            if layer_of(&dependency) > layer_of(&module) {
                upward.push(format!("{module} -> {dependency}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the pipeline: {upward:?}"
    );
}

#[test]
fn no_import_cycle() {
    let graph = imports();
    // Depth-first search for a back edge.
    fn visit<'g>(
        node: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        let mut path = Vec::new();
        assert_eq!(
            visit(node, &graph, &mut path, &mut done),
            None,
            "an import cycle"
        );
    }
}
