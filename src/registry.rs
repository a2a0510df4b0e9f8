//! Every rule exemplar knows, gathered from the lists of the stages that
//! raise them (page rules, locale rules, the comparer, discovery and the
//! suppressions), looked up by name, with "did you mean" for a misspelt one.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use crate::finding::Finding;
use crate::rule::{declare_rule, Rule};

// The rules about rules are declared here, with the names they check.
declare_rule! {
    pub(crate) UNUSED_SUPPRESSION = "unused-suppression", Warning, Check,
    "an exemplar-disable comment suppresses nothing";
}

declare_rule! {
    pub(crate) UNKNOWN_RULE = "unknown-rule", Warning, Check,
    "a configuration or suppression names a rule that does not exist";
}

static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    crate::rules::PAGE_RULES
        .iter()
        .map(|(rule, _)| *rule)
        .chain([
            &crate::discover::PAGE_TOO_LARGE,
            &UNKNOWN_RULE,
            &UNUSED_SUPPRESSION,
        ])
        .chain(crate::types::TYPE_RULES.iter().copied())
        .chain(crate::locale::LOCALE_RULES.iter().map(|(rule, _)| *rule))
        .chain(crate::replay::RUN_RULES.iter().copied())
        .collect()
});

/// Every rule, in the order `exemplar rules` lists them: page rules, the
/// rules about rules, the type rules, locale rules and `run`'s.
pub fn all() -> &'static [&'static Rule] {
    &ALL
}

/// The rule named `name`.
pub fn lookup(name: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|r| r.name == name)
}

/// The closest rule name, for "did you mean" (edit distance at most a third of the name).
pub fn suggest(name: &str) -> Option<&'static str> {
    all()
        .iter()
        .map(|r| (edit_distance(name, r.name), r.name))
        .filter(|(d, r)| *d <= r.len().max(3) / 3)
        .min()
        .map(|(_, r)| r)
}

/// What to tell a user who named no rule: the closest name, or where the
/// names are listed. The one place this advice is worded.
pub fn did_you_mean(name: &str) -> String {
    match suggest(name) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "`exemplar rules` lists the rules".into(),
    }
}

/// `unknown-rule` for `name` at `span` of `path`; `place` says where it was
/// written ("in the configuration", "in exemplar-disable").
pub(crate) fn unknown_rule(
    path: &Arc<str>,
    span: Range<usize>,
    name: &str,
    place: &str,
) -> Finding {
    Finding::new(
        &UNKNOWN_RULE,
        path,
        span,
        format!("unknown rule `{name}` {place}"),
    )
    .help(did_you_mean(name))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        assert_eq!(suggest("json-sytnax"), Some("json-syntax"));
        assert_eq!(suggest("todo"), None);
        assert_eq!(suggest("todo-markers"), Some("todo-marker"));
        assert_eq!(
            super::did_you_mean("todo"),
            "`exemplar rules` lists the rules"
        );
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<_> = all().iter().map(|r| r.name).collect();
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all().len());
    }
}
