//! locale-outdated-translation: a translation made from an older version of
//! its source page. Its examples then differ from the source's in many
//! places at once (a property the source added to every request, an example
//! rewritten with real values, a whole example section added), and one
//! finding per property would bury the one thing to do: re-translate the
//! page. So when the page's structure shows that it is older, the
//! example-drift and missing-example findings of the page fold into one
//! note that says so.
//!
//! Only structure decides, never the translated words: the front matter's
//! `ms.date` (older than the source's), the number of sections and of
//! examples (a section or example added to the source since), and an example
//! whose values differ for the most part (rewritten in the source since).
//! A page that merely differs in a value or two, with the same structure,
//! keeps its findings one by one: that is drift to fix in place.

use std::collections::HashMap;

use super::example_drift::LOCALE_EXAMPLE_DRIFT;
use super::matching::Matched;
use super::missing_example::LOCALE_MISSING_EXAMPLE;
use super::Ctx;
use crate::example::Example;
use crate::finding::Finding;
use crate::http::Body;
use crate::json::{self, Node, Value};
use crate::page::{Format, Page};
use crate::rule::declare_rule;

declare_rule! {
    pub(crate) LOCALE_OUTDATED_TRANSLATION = "locale-outdated-translation", Note, Locale,
    "a localized page translates an older version of its source page";
}

/// Folds the example findings `ctx.findings[from..]` into one note when the
/// translation is plainly older than its source.
pub(super) fn check(ctx: &mut Ctx, matched: &Matched, from: usize) {
    if ctx.findings.len() <= from {
        return;
    }
    let evidence = evidence(ctx, matched);
    if evidence.is_empty() {
        return;
    }
    // Findings that a suppression comment on their example covers stay, so
    // that the comment keeps doing its job (and is not reported unused).
    let mut folded: Vec<Finding> = Vec::new();
    let mut kept: Vec<Finding> = Vec::new();
    for f in ctx.findings.drain(from..) {
        let foldable = f.rule == &LOCALE_EXAMPLE_DRIFT || f.rule == &LOCALE_MISSING_EXAMPLE;
        if foldable && !suppressed(ctx.localized, &f) {
            folded.push(f);
        } else {
            kept.push(f);
        }
    }
    ctx.findings.extend(kept);
    let Some(first) = folded.iter().min_by_key(|f| f.span.start) else {
        return;
    };
    let span = first.span.clone();
    let missing = folded
        .iter()
        .filter(|f| f.rule == &LOCALE_MISSING_EXAMPLE)
        .count();
    let drift = folded.len() - missing;
    let mut what = Vec::new();
    if missing > 0 {
        what.push(count(missing, "example is", "examples are") + " on one side only");
    }
    if drift > 0 {
        what.push(count(drift, "value differs", "values differ") + " in the examples both have");
    }
    let message = format!(
        "the translation is older than its source page ({}): {}, the first here",
        evidence.join("; "),
        what.join(" and ")
    );
    let help = format!(
        "re-translate the page from its current source page ({}); the differences of its \
         examples are not listed one by one while the translation is older",
        ctx.source.path
    );
    ctx.report(&LOCALE_OUTDATED_TRANSLATION, span, None, message)
        .help = Some(help);
}

/// What shows that the translation is older, as phrases for the message.
fn evidence(ctx: &Ctx, matched: &Matched) -> Vec<String> {
    let (source, localized) = (ctx.source, ctx.localized);
    let mut out = Vec::new();
    if let (Some((s, s_text)), Some((l, l_text))) = (date(source), date(localized)) {
        if l < s {
            out.push(format!(
                "its `ms.date` is {l_text}, the source page's {s_text}"
            ));
        }
    }
    // Rendered pages find their sections by known words, not by markup, so
    // only two Markdown pages compare their number of sections.
    let sections = |p: &Page| p.sections.iter().filter(|s| s.level >= 2).count();
    let sections = (source.format == Format::Markdown && localized.format == Format::Markdown)
        .then(|| (sections(source), sections(localized)))
        .filter(|(s, l)| s != l);
    let examples = Some((source.examples.len(), localized.examples.len())).filter(|(s, l)| s != l);
    match (sections, examples) {
        (Some((s, l)), Some((se, le))) => out.push(format!(
            "the source page has {s} sections and {se} examples, this one {l} and {le}"
        )),
        (Some((s, l)), None) => out.push(format!("the source page has {s} sections, this one {l}")),
        (None, Some((s, l))) => out.push(format!("the source page has {s} examples, this one {l}")),
        (None, None) => {}
    }
    for pair in matched {
        let (Some(i), Some(j)) = *pair else { continue };
        let (s, l) = (&source.examples[i], &localized.examples[j]);
        let (kept, total) = kept_values(s, l);
        // Most of its values changed, and more than a slip would change:
        // the source rewrote the example since.
        if total - kept >= 3 && kept * 2 < total {
            let name = l
                .name
                .as_deref()
                .map_or_else(|| format!("#{}", l.index + 1), |n| format!("`{n}`"));
            out.push(format!(
                "example {name} keeps {kept} of the source's {total} values"
            ));
            break;
        }
    }
    out
}

/// The front matter's `ms.date`, read and as written.
fn date(page: &Page) -> Option<((u32, u32, u32), &str)> {
    let text = page.ms_date.as_deref()?;
    Some((parse_date(text)?, text))
}

/// Of the values in the source example's bodies (JSON scalars by their
/// pointer, or the lines of another body), how many the translation's
/// example still has, and how many there are. A value that the translation
/// wrote in another script (`"Blue widget"` as `"蓝色小组件"`) was translated,
/// not changed by a newer source: it counts as kept, so that translated
/// values stay reported one by one as drift.
fn kept_values(source: &Example, localized: &Example) -> (usize, usize) {
    let halves = [
        (&source.request, &localized.request),
        (&source.response, &localized.response),
    ];
    let (mut kept, mut total) = (0, 0);
    for (s, l) in halves {
        let Some(s) = s else { continue };
        // A body the translation kept byte for byte keeps every value: counted
        // without building (and parsing the translation's body for) the list
        // of places.
        if let Some(n) = l
            .as_ref()
            .and_then(|l| same_body_values(s.message.body.as_ref(), l.message.body.as_ref()))
        {
            kept += n;
            total += n;
            continue;
        }
        let s_values = values(s.message.body.as_ref());
        let l_values = l
            .as_ref()
            .map(|l| values(l.message.body.as_ref()))
            .unwrap_or_default();
        let by_place: HashMap<&str, &str> = l_values
            .iter()
            .map(|(p, v)| (p.as_str(), v.as_str()))
            .collect();
        total += s_values.len();
        kept += s_values
            .iter()
            .filter(|(place, value)| {
                by_place
                    .get(place.as_str())
                    .is_some_and(|l| l == value || (value.is_ascii() && !l.is_ascii()))
            })
            .count();
    }
    (kept, total)
}

/// When both bodies are the same text (and so give the same values at the
/// same places): how many values [`values`] lists. `None` when they differ,
/// or when two values share a place (an object repeating a key: the
/// translation's value at that place is then only its last one).
fn same_body_values(source: Option<&Body>, localized: Option<&Body>) -> Option<usize> {
    let (source, localized) = (source?, localized?);
    if source.is_json() != localized.is_json() || source.text() != localized.text() {
        return None;
    }
    let Some(root) = source.json().and_then(|p| p.root.as_ref()) else {
        return Some(
            source
                .text()
                .lines()
                .filter(|l| l.split_whitespace().next().is_some())
                .count(),
        );
    };
    let mut count = 0;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                let repeats = if members.len() <= 32 {
                    members
                        .iter()
                        .enumerate()
                        .any(|(i, m)| members[..i].iter().any(|o| o.key == m.key))
                } else {
                    let mut keys = std::collections::HashSet::new();
                    !members.iter().all(|m| keys.insert(m.key.as_str()))
                };
                if repeats {
                    return None;
                }
                stack.extend(members.iter().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items),
            _ => count += 1,
        }
    }
    Some(count)
}

/// A body's values with their places: JSON scalars by pointer, or the
/// non-blank lines of another body by number.
fn values(body: Option<&Body>) -> Vec<(String, String)> {
    let Some(body) = body else {
        return Vec::new();
    };
    let Some(root) = body.json().and_then(|p| p.root.as_ref()) else {
        return body
            .text()
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .enumerate()
            .map(|(i, l)| (i.to_string(), l))
            .collect();
    };
    // Iteratively: bodies nest up to `json::MAX_DEPTH`.
    let mut out = Vec::new();
    let mut stack: Vec<(String, &Node)> = vec![(String::new(), root)];
    while let Some((pointer, node)) = stack.pop() {
        match &node.value {
            Value::Object(members) => stack.extend(members.iter().map(|m| {
                (
                    format!("{pointer}/{}", json::pointer_token(&m.key)),
                    &m.value,
                )
            })),
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(k, n)| (format!("{pointer}/{k}"), n)),
            ),
            scalar => out.push((pointer, scalar.display())),
        }
    }
    out
}

/// Is this finding's example covered by a suppression comment naming its rule?
fn suppressed(page: &Page, finding: &Finding) -> bool {
    let Some(id) = finding.example.as_deref() else {
        return false;
    };
    let Some(example) = page.examples.iter().find(|e| e.id == id) else {
        return false;
    };
    page.suppressions.iter().any(|s| {
        s.annotation
            .is_some_and(|a| example.annotations().any(|x| x == a))
            && s.rules.iter().any(|(name, _)| name == finding.rule.name)
    })
}

/// `ms.date` as (year, month, day): `09/10/2017` (the docs' month/day/year)
/// or `2017-09-10`.
fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let numbers: Vec<u32> = text
        .split(['/', '-', '.'])
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    match numbers[..] {
        [y, m, d] if y > 999 => Some((y, m, d)),
        [m, d, y] if y > 999 => Some((y, m, d)),
        _ => None,
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_orders() {
        assert_eq!(parse_date("09/10/2017"), Some((2017, 9, 10)));
        assert_eq!(parse_date("2017-09-10"), Some((2017, 9, 10)));
        assert!(parse_date("01/02/2020") < parse_date("2020-01-03"));
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("1/2"), None);
    }
}
