//! `annotation-missing-name`: a request annotation without a `name`. The
//! name is how tests, the baseline and translations find an example; an
//! unnamed one is known by its position only, which the next example added
//! above it changes.
//!
//! The fix names it from its own heading, found by the page's structure:
//! the innermost heading whose section holds the example (its request and
//! the response paired with it) and no other example, below the level of
//! the page's sections (`## Examples`). A Request or Response sub-heading
//! names a part, not the example, and is passed over. Without such a
//! heading the page's file name stands in. A heading's anchor
//! (`<a name="example-1-get-all-users">`, which translations keep in the
//! source's words) is preferred to its words, so a translation of a page
//! whose headings carry anchors gets its source's name; a heading in
//! another script without an anchor gives way to the file name, since a
//! name is an identifier. (That a translation's name should be its source
//! page's name, whatever the headings, is for the stage that pairs pages.)

use std::collections::HashSet;
use std::ops::Range;

use super::Ctx;
use crate::example::Example;
use crate::finding::{Edit, Fix};
use crate::json::Value;
use crate::page::{Annotation, Page, SectionKind};

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) ANNOTATION_MISSING_NAME = "annotation-missing-name", Note, Check,
    "a request annotation has no name";
}

/// Longest name the fix writes (characters); a long heading is cut at a word.
const MAX_NAME: usize = 60;

pub(super) fn check(ctx: &mut Ctx) {
    let page = ctx.page;
    // Names already on the page: a new one must differ from each. Gathered
    // at the first unnamed request (most pages have none).
    let mut taken: Option<HashSet<String>> = None;
    let mut starts: Option<Vec<usize>> = None;
    for example in &page.examples {
        let Some(request) = &example.request else {
            continue;
        };
        let Some(a) = request.annotation.map(|i| &page.annotations[i]) else {
            continue;
        };
        if a.block_type.as_deref() != Some("request") || has_name_key(a) {
            continue;
        }
        let response = example
            .response
            .as_ref()
            .filter(|_| !example.shares_earlier_response)
            .and_then(|r| r.annotation)
            .map(|i| &page.annotations[i])
            .filter(|r| r.block_type.as_deref() == Some("response"));
        let taken = taken.get_or_insert_with(|| {
            page.annotations
                .iter()
                .flat_map(|a| a.names.iter().cloned())
                .collect()
        });
        let starts =
            starts.get_or_insert_with(|| page.examples.iter().map(Example::start).collect());
        // A response that names the example already gives the name.
        let named_response = response.and_then(|r| r.names.first().cloned());
        let (name, from) = match &named_response {
            Some(n) => (n.clone(), "its response's name".to_owned()),
            None => {
                let (base, from) = slug_for(page, example, starts);
                (unique(&base, taken), from)
            }
        };
        taken.insert(name.clone());
        let span = a
            .block_type_span
            .clone()
            .unwrap_or(a.span.start..a.span.start + 4);
        let mut edits: Vec<Edit> = insertion(page, a, &name).into_iter().collect();
        // The response paired with it gets the same name, unless it names
        // the example already (or carries a `name` member to mend first).
        let unnamed_response = response.filter(|r| named_response.is_none() && !has_name_key(r));
        if let Some(r) = unnamed_response {
            edits.extend(insertion(page, r, &name));
        }
        let expected = 1 + usize::from(unnamed_response.is_some());
        let also = if unnamed_response.is_some() {
            ", and its response the same"
        } else {
            ""
        };
        let f = ctx.report(
            &ANNOTATION_MISSING_NAME,
            span,
            "this request annotation has no \"name\", so the example is known only by its position",
        );
        f.help = Some(format!(
            "name it `\"name\": \"{name}\"` (from {from}){also}; tests, baselines and \
             translations find an example by its name"
        ));
        // Both annotations named, or neither: half a fix would pair them anew.
        if edits.len() == expected {
            f.fix = Some(Fix {
                applicability: crate::finding::Applicability::Safe,
                edits,
            });
        }
    }
}

/// Does the annotation have a `name` member at all (even a broken one,
/// which annotation-syntax or the writer must mend; a second key would not)?
fn has_name_key(a: &Annotation) -> bool {
    a.json
        .root
        .as_ref()
        .is_none_or(|r| r.value.get("name").is_some() || !matches!(r.value, Value::Object(_)))
}

/// The edit that writes `"name": "NAME"` right after the annotation's
/// `blockType` member: on a line of its own, indented as that member, when
/// the annotation puts members on lines of their own; else on the same line.
/// None for an annotation whose JSON has faults (annotation-syntax first).
fn insertion(page: &Page, a: &Annotation, name: &str) -> Option<Edit> {
    if !a.json.errors.is_empty() {
        return None;
    }
    let root = a.json.root.as_ref()?;
    let member = root.value.members().iter().find(|m| m.key == "blockType")?;
    let key_start = a.json_start + member.key_span.start;
    let value_end = a.json_start + member.value.span.end;
    let open = a.json_start + root.span.start;
    let text = &page.text;
    let before = text.get(open..key_start)?;
    let quoted = serde_json::to_string(name).ok()?;
    let replacement = if before.contains('\n') {
        let line_start = text[..key_start].rfind('\n').map_or(0, |n| n + 1);
        let indent = text.get(line_start..key_start)?;
        if !indent.chars().all(char::is_whitespace) {
            return None;
        }
        let eol = if text[value_end..].starts_with("\r\n") || text[..line_start].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        format!(",{eol}{indent}\"name\": {quoted}")
    } else {
        format!(", \"name\": {quoted}")
    };
    Some(Edit {
        span: value_end..value_end,
        replacement,
    })
}

/// The example's name from its own heading, else from the page's file
/// name; and where it came from, in words for the help.
fn slug_for(page: &Page, example: &Example, starts: &[usize]) -> (String, String) {
    if let Some((heading, text)) = example_heading(page, example, starts) {
        let name = slug(&text);
        if !name.is_empty() && name.is_ascii() {
            let line = page.line(heading.start);
            return (name, format!("its heading on line {line}"));
        }
    }
    let stem = page
        .path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .split('.')
        .next()
        .unwrap_or("");
    let name = slug(stem);
    if name.is_empty() || !name.is_ascii() {
        ("example".to_owned(), "nothing better".to_owned())
    } else {
        (name, "the page's file name".to_owned())
    }
}

/// The heading that is the example's own, as its span (the heading line)
/// and the text to name it by (its anchor, else its words).
fn example_heading(
    page: &Page,
    example: &Example,
    starts: &[usize],
) -> Option<(Range<usize>, String)> {
    let request = example.request.as_ref()?;
    let at = request
        .annotation
        .map_or(request.message.line_span.start, |i| {
            page.annotations[i].span.start
        });
    let end = example
        .response
        .as_ref()
        .map_or(at, |r| r.message.line_span.start);
    let section_level = section_level(page)?;
    // Every other example's start; a further response of this one (its
    // error case) is part of it.
    let others: Vec<usize> = page
        .examples
        .iter()
        .zip(starts)
        .filter(|(e, _)| e.index != example.index && e.further_response_of != Some(example.index))
        .map(|(_, &s)| s)
        .collect();
    // Innermost first: the deepest heading whose section holds the example.
    let mut holding: Vec<&crate::page::Section> = page
        .sections
        .iter()
        .filter(|s| s.body.contains(&at) && s.body.contains(&end))
        .collect();
    holding.sort_by_key(|s| std::cmp::Reverse(s.level));
    for s in holding {
        if s.level <= section_level {
            return None;
        }
        // A Request or Response heading names a part of the example.
        if !matches!(s.kind, SectionKind::Example | SectionKind::Other) {
            continue;
        }
        if others.iter().any(|&o| s.body.contains(&o)) {
            return None;
        }
        let line = heading_line(&page.text, s.body.start)?;
        let text = anchor(&page.text[line.clone()])
            .map(str::to_owned)
            .unwrap_or_else(|| words(&page.text[line.clone()]));
        return Some((line, text));
    }
    None
}

/// The level of the page's sections (Permissions, HTTP request, Examples):
/// the shallowest heading level, unless one heading alone has it and
/// opens the page (its title), then the next one down.
fn section_level(page: &Page) -> Option<u8> {
    let top = page.sections.iter().map(|s| s.level).min()?;
    let at_top = page.sections.iter().filter(|s| s.level == top).count();
    if at_top == 1 && page.sections[0].level == top {
        let next = page
            .sections
            .iter()
            .map(|s| s.level)
            .filter(|&l| l > top)
            .min();
        return Some(next.unwrap_or(top + 1));
    }
    Some(top)
}

/// The heading line ending where its section's body starts (the text line
/// above a setext underline).
fn heading_line(text: &str, body_start: usize) -> Option<Range<usize>> {
    let before = text.get(..body_start)?;
    let trimmed = before.trim_end_matches(['\n', '\r']);
    let start = trimmed.rfind('\n').map_or(0, |n| n + 1);
    let line = &trimmed[start..];
    let underline = !line.is_empty() && line.trim().chars().all(|c| c == '=' || c == '-');
    if underline {
        let above = trimmed[..start].trim_end_matches(['\n', '\r']);
        let from = above.rfind('\n').map_or(0, |n| n + 1);
        return Some(from..above.len());
    }
    Some(start..trimmed.len())
}

/// `<a name="X"></a>` or `<a id="X"></a>` in a heading line.
fn anchor(line: &str) -> Option<&str> {
    let open = line.find("<a ")?;
    let rest = &line[open..];
    let close = rest.find('>')?;
    let tag = &rest[..close];
    for attr in ["name=\"", "id=\""] {
        if let Some(p) = tag.find(attr) {
            let value = &tag[p + attr.len()..];
            let value = &value[..value.find('"')?];
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

/// A heading line's words: without its `#` marks, HTML tags, link targets
/// and code ticks.
fn words(line: &str) -> String {
    let line = line.trim().trim_start_matches('#').trim_end_matches('#');
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_tag = false;
    let mut in_target = false;
    while let Some(c) = chars.next() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            ']' if chars.peek() == Some(&'(') => {
                chars.next();
                in_target = true;
            }
            ')' if in_target => in_target = false,
            _ if in_target => {}
            '[' | ']' | '`' | '*' => {}
            c => out.push(c),
        }
    }
    out
}

/// A name from words or an anchor, as the heading's GitHub anchor would be
/// spelled with `_` (`Example 1: Get all users` and `example-1-get-all-users`
/// both give `example_1_get_all_users`): lower case, letters and digits kept,
/// other punctuation dropped, runs of spaces, `-` and `_` one `_`; cut at a
/// word past [`MAX_NAME`] characters.
fn slug(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut out = String::new();
    for w in words {
        if !out.is_empty() && out.chars().count() + 1 + w.chars().count() > MAX_NAME {
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&w);
    }
    out
}

/// `base`, or `base_2`, `base_3`, … : the first not taken on the page.
fn unique(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_agree_with_anchors() {
        assert_eq!(slug("Example 1: Get all users"), "example_1_get_all_users");
        assert_eq!(slug("example-1-get-all-users"), "example_1_get_all_users");
        assert_eq!(
            slug("Use $filter to get users whose mail ends with 'a@contoso.com'"),
            "use_filter_to_get_users_whose_mail_ends_with_acontosocom"
        );
        assert_eq!(
            slug("swapshiftschangerequest-post"),
            "swapshiftschangerequest_post"
        );
        assert!(slug(&"word ".repeat(40)).chars().count() <= MAX_NAME);
    }

    #[test]
    fn heading_words_and_anchors() {
        assert_eq!(
            anchor("### <a name=\"example-1-get-all-users\"></a>示例 1：列出所有用户"),
            Some("example-1-get-all-users")
        );
        assert_eq!(anchor("### Example 1"), None);
        assert_eq!(
            words("### Example 2: Get a [user](../resources/user.md) by `id` ###"),
            " Example 2: Get a user by id "
        );
    }

    #[test]
    fn taken_names_get_a_number() {
        let taken: HashSet<String> = ["a".to_owned(), "a_2".to_owned()].into();
        assert_eq!(unique("a", &taken), "a_3");
        assert_eq!(unique("b", &taken), "b");
    }
}
