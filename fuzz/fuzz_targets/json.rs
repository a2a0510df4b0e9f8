//! The tolerant JSON parser: every fault inside the text, every node's
//! span inside the text, and agreement with serde_json on valid input.
#![no_main]

use exemplar::harness::span_problem;
use exemplar::json::{self, Node, Value};
use libfuzzer_sys::fuzz_target;

fn walk(text: &str, node: &Node) {
    assert_eq!(span_problem(text, &node.span), None, "{node:?}");
    match &node.value {
        Value::Array(items) => items.iter().for_each(|n| walk(text, n)),
        Value::Object(members) => {
            for m in members {
                assert_eq!(span_problem(text, &m.key_span), None, "{m:?}");
                walk(text, &m.value);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = json::parse(text);
    for e in &parsed.errors {
        assert_eq!(span_problem(text, &e.span), None, "{e:?}");
    }
    if let Some(root) = &parsed.root {
        walk(text, root);
    }
    // Differential: what serde_json reads as valid, the tolerant parser
    // reads without a fault (a duplicate key is a fault serde_json allows,
    // a number past f64 one it refuses) and to the same value.
    if let Ok(strict) = serde_json::from_str::<serde_json::Value>(text) {
        let faults: Vec<_> = parsed
            .errors
            .iter()
            .filter(|e| !e.message.starts_with("duplicate key"))
            .collect();
        assert!(faults.is_empty(), "valid JSON reported: {faults:?}");
        if parsed.errors.is_empty() {
            let root = parsed.root.as_ref().expect("valid JSON has a value");
            assert_eq!(root.value.to_serde(), strict);
        }
    }
});
