//! Which example of a translation is which example of its source: by
//! annotation name where both pages name their examples, else by position.
//! A rendered page has no annotations, so a pair with a rendered side
//! matches every example by position.

use std::collections::VecDeque;

use foldhash::HashMap;

use crate::page::{Format, Page};

/// Indices into `source.examples` and `localized.examples`; a side is `None`
/// when the example exists only on the other page. In source order, with
/// examples only the translation has placed after their predecessor.
pub(crate) type Matched = Vec<(Option<usize>, Option<usize>)>;

/// Below this many pairs of examples, names are matched by a scan rather
/// than through a map of queues (which costs allocations for every name).
const SCAN: usize = 64;

pub(crate) fn match_examples(source: &Page, localized: &Page) -> Matched {
    let by_name = source.format == Format::Markdown && localized.format == Format::Markdown;
    let mut loc_of_src: Vec<Option<usize>> = vec![None; source.examples.len()];
    let mut src_taken = vec![false; source.examples.len()];
    let mut loc_taken = vec![false; localized.examples.len()];

    // Most pairs are resource pages, without examples.
    if source.examples.is_empty() && localized.examples.is_empty() {
        return Matched::new();
    }
    if by_name && source.examples.len() * localized.examples.len() <= SCAN {
        // A few examples: each translation's name looks for the first source
        // example of that name not yet taken (what the queues below give),
        // without a map and a queue for every name.
        for (j, e) in localized.examples.iter().enumerate() {
            let Some(name) = &e.name else { continue };
            if let Some(i) = (0..source.examples.len())
                .find(|&i| !src_taken[i] && source.examples[i].name.as_ref() == Some(name))
            {
                loc_of_src[i] = Some(j);
                src_taken[i] = true;
                loc_taken[j] = true;
            }
        }
    } else if by_name {
        // Two examples may share a name (duplicate-example-name reports it);
        // they then match in page order. A seeded hash: the names are the
        // page's, and names written to collide in an unseeded one would
        // make this quadratic.
        let mut names: HashMap<&str, VecDeque<usize>> = HashMap::default();
        for (i, e) in source.examples.iter().enumerate() {
            if let Some(name) = &e.name {
                names.entry(name.as_str()).or_default().push_back(i);
            }
        }
        for (j, e) in localized.examples.iter().enumerate() {
            let Some(name) = &e.name else { continue };
            if let Some(i) = names.get_mut(name.as_str()).and_then(VecDeque::pop_front) {
                loc_of_src[i] = Some(j);
                src_taken[i] = true;
                loc_taken[j] = true;
            }
        }
    }
    // What has no name (or no partner of its name) matches by position among
    // the unnamed: a named example never takes an unnamed partner, since a
    // name that found no match means the example was renamed or is new.
    let unnamed = |taken: &[bool], named: &dyn Fn(usize) -> bool| -> Vec<usize> {
        (0..taken.len())
            .filter(|&i| !(taken[i] || by_name && named(i)))
            .collect()
    };
    let src_free = unnamed(&src_taken, &|i| source.examples[i].name.is_some());
    let loc_free = unnamed(&loc_taken, &|j| localized.examples[j].name.is_some());
    for (&i, &j) in src_free.iter().zip(&loc_free) {
        loc_of_src[i] = Some(j);
        loc_taken[j] = true;
    }

    let mut out: Matched = loc_of_src
        .iter()
        .enumerate()
        .map(|(i, j)| (Some(i), *j))
        .collect();
    // A translation's own example goes after the matched example that precedes it.
    for (j, taken) in loc_taken.iter().enumerate().rev() {
        if *taken {
            continue;
        }
        let at = out
            .iter()
            .rposition(|(_, l)| l.is_some_and(|l| l < j))
            .map_or(0, |p| p + 1);
        out.insert(at, (None, Some(j)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn page(examples: &[(&str, &str)]) -> Page {
        let mut text = String::from("# T\n\n## Examples\n\n");
        for (name, url) in examples {
            let annotation = if name.is_empty() {
                "<!-- { \"blockType\": \"request\" } -->".to_owned()
            } else {
                format!("<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->")
            };
            text.push_str(&format!(
                "{annotation}\n```http\nGET https://x/{url}\n```\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 204 No Content\n```\n\n"
            ));
        }
        Page::from_text(Arc::from("p.md"), text, None)
    }

    #[test]
    fn by_name_then_by_position_among_the_unnamed() {
        let source = page(&[("a", "1"), ("b", "2"), ("", "3"), ("c", "4")]);
        let localized = page(&[("b", "2"), ("a", "1"), ("", "3"), ("d", "5")]);
        assert_eq!(source.examples.len(), 4);
        assert_eq!(
            match_examples(&source, &localized),
            [
                (Some(0), Some(1)),
                (Some(1), Some(0)),
                (Some(2), Some(2)),
                (None, Some(3)),
                (Some(3), None),
            ]
        );
    }

    /// Examples sharing a name match in page order, on a small page (the
    /// scan) as on a large one (the map of queues).
    #[test]
    fn shared_names_match_in_page_order_at_any_size() {
        let source = page(&[("a", "1"), ("b", "2"), ("a", "3"), ("", "4")]);
        let localized = page(&[("a", "3"), ("a", "1"), ("", "4"), ("b", "2")]);
        let small = match_examples(&source, &localized);
        assert_eq!(
            small,
            [
                (Some(0), Some(0)),
                (Some(1), Some(3)),
                (Some(2), Some(1)),
                (Some(3), Some(2)),
            ]
        );
        // The same pages with enough unnamed examples after them to pass
        // the scan's limit match their named examples alike.
        let more: Vec<(&str, &str)> = (0..6).map(|_| ("", "9")).collect();
        let with = |base: &[(&'static str, &'static str)]| {
            let mut all = base.to_vec();
            all.extend(&more);
            page(&all)
        };
        let (source, localized) = (
            with(&[("a", "1"), ("b", "2"), ("a", "3"), ("", "4")]),
            with(&[("a", "3"), ("a", "1"), ("", "4"), ("b", "2")]),
        );
        assert!(source.examples.len() * localized.examples.len() > SCAN);
        let large = match_examples(&source, &localized);
        assert_eq!(large[..4], small[..]);
    }

    #[test]
    fn extra_translation_examples_follow_their_predecessor() {
        let source = page(&[("a", "1"), ("c", "3")]);
        let localized = page(&[("a", "1"), ("b", "2"), ("c", "3")]);
        assert_eq!(
            match_examples(&source, &localized),
            [(Some(0), Some(0)), (None, Some(1)), (Some(1), Some(2))]
        );
    }
}
