use super::*;

fn errors(text: &str) -> Vec<(usize, String)> {
    parse(text)
        .errors
        .into_iter()
        .map(|e| (e.span.start, e.message))
        .collect()
}

#[test]
fn valid_json_has_no_errors_and_keeps_spans() {
    let parsed = parse(r#"{"a": [1, "x", true, null], "b": {"c": -2.5e3}}"#);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let root = parsed.root.unwrap();
    let a = root.value.get("a").unwrap();
    assert_eq!(a.span, 6..26);
    assert_eq!(root.value.members()[1].key_span, 28..31);
}

#[test]
fn trailing_comma_is_reported_at_the_comma() {
    let text = "{\n  \"id\": \"1\",\n  \"type\": \"x\",\n}";
    assert_eq!(
        errors(text),
        vec![(28, "trailing comma after the last property".to_owned())]
    );
    assert_eq!(&text[28..29], ",");
}

#[test]
fn faults_are_reported_and_parsing_goes_on() {
    let text = "{\"a\": 1 \"b\": 'x', // note\n c: ..., \"a\": 2}";
    let found = errors(text);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "missing comma between properties",
            "single-quoted string",
            "comment in JSON",
            "unquoted key c",
            "`...` is not a JSON value",
            "duplicate key \"a\"",
        ]
    );
    let root = parse(text).root.unwrap();
    assert_eq!(root.value.members().len(), 4);
}

#[test]
fn unclosed_brackets_point_at_the_opening() {
    assert_eq!(
        errors("{\"a\": [1, 2"),
        vec![
            (6, "this `[` is never closed".to_owned()),
            (0, "this `{` is never closed".to_owned())
        ]
    );
}

#[test]
fn deep_nesting_is_a_fault_not_a_crash() {
    let text = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let parsed = parse(&text);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].span, MAX_DEPTH..MAX_DEPTH + 1);
}

#[test]
fn strings_unescape_and_multibyte_survives() {
    let parsed = parse(r#"["a\"b\u0041", "委派\é"]"#);
    let root = parsed.root.unwrap();
    let Value::Array(items) = &root.value else {
        panic!()
    };
    assert_eq!(items[0].value, Value::String("a\"bA".into()));
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].message, "invalid escape in a string");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "{",
        "}",
        "[}",
        "{\"a\"",
        "{\"a\":",
        "\"",
        "'",
        "-",
        "{,}",
        "[,]",
        "<",
        "{\"k\": <",
        "\u{1F600}",
        "{\u{1F600}}",
        "[\u{1F600}",
    ] {
        let _ = parse(text);
    }
}

#[test]
fn nbsp_and_wrapped_strings_are_one_fault_each() {
    let text = "{\"a\":\u{a0}1,\n \"b\": \"x\ny\", \"c\": 2}";
    let found = errors(text);
    assert_eq!(
        found,
        vec![
            (
                5,
                "a no-break space (U+00A0) stands between JSON tokens; JSON allows only spaces, tabs and line ends"
                    .to_owned()
            ),
            (18, "line break inside a string".to_owned())
        ]
    );
    let root = parse(text).root.unwrap();
    assert_eq!(
        root.value.get("b").unwrap().value,
        Value::String("x\ny".into())
    );
    assert_eq!(root.value.members().len(), 3);
}

#[test]
fn walk_visits_in_document_order_with_escaped_pointers() {
    let root = parse(r#"{"a/b": [1, {"c~d": true}], "e": {}, "f": "x"}"#)
        .root
        .unwrap();
    let mut seen = Vec::new();
    crate::json::walk(&root, |pointer, member, node| {
        seen.push((
            pointer.to_owned(),
            member.map(|m| m.key.clone()),
            node.value.kind(),
        ));
    });
    let expected = [
        ("", None, "object"),
        ("/a~1b", Some("a/b"), "array"),
        ("/a~1b/0", None, "number"),
        ("/a~1b/1", None, "object"),
        ("/a~1b/1/c~0d", Some("c~d"), "boolean"),
        ("/e", Some("e"), "object"),
        ("/f", Some("f"), "string"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(p, k, kind)| (p.to_string(), k.map(crate::json::Text::from), *kind))
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn unicode_spaces_are_named_and_read_as_spaces() {
    let text = "{\n\u{202f}\u{202f}\"a\": 1,\n\u{3000}\"b\":\u{2009}2\n}";
    assert_eq!(
        errors(text),
        vec![
            (2, "a narrow no-break space (U+202F) is used as indentation; JSON allows only spaces, tabs and line ends".to_owned()),
            (16, "an ideographic space (U+3000) is used as indentation; JSON allows only spaces, tabs and line ends".to_owned()),
            (23, "a thin space (U+2009) stands between JSON tokens; JSON allows only spaces, tabs and line ends".to_owned()),
        ]
    );
    assert_eq!(parse(text).root.unwrap().value.members().len(), 2);
}

#[test]
fn a_string_that_closes_is_never_called_unclosed() {
    // Closed by a typographic quote, its closing quote escaped, an
    // unescaped quote inside it: each named for what it is.
    assert_eq!(
        errors("{\n  \"name\": \"Contoso\u{201d},\n  \"b\": 1\n}"),
        vec![(
            20,
            "this string is closed by a typographic quote `\u{201d}`".to_owned()
        )]
    );
    assert_eq!(
        errors("{\n  \"path\": \"C:\\\\docs\\\",\n  \"b\": 1\n}"),
        vec![(
            21,
            "the backslash before this string's closing quote escapes it, so the string never closes".to_owned()
        )]
    );
    let text = "{\"title\": \"27\" monitor\", \"b\": 1}";
    assert_eq!(
        errors(text),
        vec![(13, "unescaped `\"` inside a string".to_owned())]
    );
    let root = parse(text).root.unwrap();
    assert_eq!(
        root.value.get("title").unwrap().value,
        Value::String("27\" monitor".into())
    );
    assert_eq!(root.value.members().len(), 2);
    // Really unclosed: said once, and the comma it swallowed is no second fault.
    assert_eq!(
        errors("{\n  \"a\": \"x,\n  \"b\": 1\n}"),
        vec![(9, "this string is never closed".to_owned())]
    );
}

#[test]
fn one_fault_is_one_error_not_a_cascade() {
    // Junk where a key belongs: one error for the run, none for the comma.
    assert_eq!(
        errors("{\"a\": 1, %%%%, \"b\": 2}"),
        vec![(9, "expected a property name, found `%%%%`".to_owned())]
    );
    // A missing `]`: the `}` is the object's, which then closes cleanly.
    assert_eq!(
        errors("{\"a\": [1, 2}"),
        vec![(11, "`}` closes a `[`".to_owned())]
    );
    // Faults on separate lines are separate faults: each is reported.
    assert_eq!(
        errors("{\n  \"a\": x,\n  \"b\" 2,\n  \"c\": 'y'\n}"),
        vec![
            (9, "`x` is not a JSON value".to_owned()),
            (18, "expected `:` after the key \"b\", found `2`".to_owned()),
            (28, "single-quoted string".to_owned()),
        ]
    );
    // Two strings without a comma are a missing comma, not an unescaped quote.
    assert_eq!(
        errors("{\"a\": \"x\" \"b\": \"y\"}"),
        vec![(10, "missing comma between properties".to_owned())]
    );
}

#[test]
fn hostile_runs_give_a_bounded_number_of_errors() {
    for run in [
        "\"", "'", "%", "{", "[", ",", "}", "\\", ":", "\u{a0}", "\u{3000}",
    ] {
        for at in [
            "{\"a\": \"x\", RUN}",
            "{\"a\": RUN}",
            "[RUN]",
            "RUN",
            "{\"a\": \"RUN\"}",
        ] {
            let text = at.replace("RUN", &run.repeat(5000));
            let found = parse(&text).errors.len();
            assert!(found <= 4, "{run:?} in {at}: {found} errors");
        }
    }
}

#[test]
fn walk_writes_indices_of_several_digits() {
    let items = (0..12).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let root = parse(&format!("{{\"a\": [{items}]}}")).root.unwrap();
    let mut pointers = Vec::new();
    crate::json::walk(&root, |pointer, _, _| pointers.push(pointer.to_owned()));
    let expected: Vec<String> = ["".to_owned(), "/a".to_owned()]
        .into_iter()
        .chain((0..12).map(|i| format!("/a/{i}")))
        .collect();
    assert_eq!(pointers, expected);
}

/// Every object and array of a tree is built in an allocation of its exact
/// size (the trees of annotations are kept for a page's life, and nothing
/// shrinks them afterwards).
#[test]
fn trees_are_built_exact() {
    let text = r#"{"a": [1, 2, 3, {"b": [], "c": {"d": [4, 5, 6, 7, 8]}}], "e": 1, "f": 2,
        "g": 3, "h": {"i": 4}, "j": [[9], [10, 11]]}"#;
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let root = parsed.root.unwrap();
    let mut containers = 0;
    crate::json::walk(&root, |pointer, _, node| match &node.value {
        Value::Object(members) => {
            containers += 1;
            assert_eq!(members.capacity(), members.len(), "{pointer}");
        }
        Value::Array(items) => {
            containers += 1;
            assert_eq!(items.capacity(), items.len(), "{pointer}");
        }
        _ => {}
    });
    assert_eq!(containers, 10);
    assert_eq!(root.value.get("a").unwrap().span, 6..55);
    let j = root.value.get("j").unwrap();
    assert_eq!(&text[j.span.clone()], "[[9], [10, 11]]");
}

/// An object of more keys than are compared one by one finds its
/// duplicates by hash: each once, at the later key, in text order with the
/// other faults; keys that differ only past a shared prefix are no
/// duplicates.
#[test]
fn duplicate_keys_of_a_large_object_are_each_reported() {
    let mut members: Vec<String> = (0..40).map(|i| format!("\"key{i}\": {i}")).collect();
    members.insert(30, "\"key3\": 'x'".to_owned());
    members.push("\"key39\": 0".to_owned());
    members.push("\"key\": 0".to_owned());
    let text = format!("{{{}}}", members.join(", "));
    let found = errors(&text);
    let at = |needle: &str| text.rfind(needle).unwrap();
    assert_eq!(
        found,
        vec![
            (at("'x'"), "single-quoted string".to_owned()),
            (at("\"key3\""), "duplicate key \"key3\"".to_owned()),
            (at("\"key39\""), "duplicate key \"key39\"".to_owned()),
        ]
    );
    let root = parse(&text).root.unwrap();
    assert_eq!(root.value.members().len(), 43);
    assert_eq!(root.value.get("key3").unwrap().value.as_str(), Some("x"));
}
