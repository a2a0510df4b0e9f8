//! `check --fix`, `--unsafe-fixes` and `--diff`: the repairs the rules
//! declare ([`crate::finding::Fix`]), applied the way ruff applies them.
//! Each pass applies every fix that overlaps no fix already taken in that
//! pass, then the changed pages are read again from their new text and
//! checked again; passes repeat until no fix applies (or [`MAX_PASSES`]),
//! so that two overlapping fixes land in separate passes and a fix is only
//! applied to text the checks have seen.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::check::{settle, Checked};
use super::Fatal;
use crate::finding::{Applicability, Finding, Fix};
use crate::locale::LocaleOptions;
use crate::page::Page;
use crate::rule::Scope;

/// As ruff: enough for fixes that uncover fixes, few enough to stop a cycle.
pub(crate) const MAX_PASSES: usize = 10;

/// Which fixes apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixes {
    /// Only the safe ones (`--fix`).
    Safe,
    /// Safe and unsafe (`--fix --unsafe-fixes`).
    All,
}

impl Fixes {
    pub(crate) fn allows(self, fix: &Fix) -> bool {
        match self {
            Fixes::Safe => fix.applicability == Applicability::Safe,
            Fixes::All => true,
        }
    }
}

/// One page the fixes changed.
#[derive(Debug)]
pub(crate) struct Changed {
    pub path: Arc<str>,
    /// The text as read (without a byte-order mark).
    pub before: String,
    /// The text after every pass.
    pub after: String,
    /// How many fixes of each rule were applied, by rule name.
    pub applied: BTreeMap<&'static str, usize>,
}

/// The result of fixing: the pages as they are now, the findings that
/// remain on them (settled), and what changed.
pub(crate) struct Outcome {
    pub checked: Checked,
    pub changed: Vec<Changed>,
}

/// Applies `which` fixes to the checked pages in memory, re-checking after
/// each pass; nothing is written (see [`write`]).
pub(crate) fn fix(
    mut checked: Checked,
    raw: Vec<Finding>,
    locale: &LocaleOptions,
    which: Fixes,
) -> Result<Outcome, Fatal> {
    let version = checked.config.version.clone();
    let index: BTreeMap<Arc<str>, usize> = checked
        .loaded
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (Arc::clone(&p.path), i))
        .collect();
    let mut raw = raw;
    let mut settled = settle(raw.clone(), &checked.loaded.pages, &checked.config);
    let mut changed: BTreeMap<usize, Changed> = BTreeMap::new();
    let mut passes = 0;
    while passes < MAX_PASSES {
        let mut by_page: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
        for f in &settled {
            let Some(fix) = &f.fix else { continue };
            let Some(&i) = index.get(&f.path) else {
                continue;
            };
            // A page read with replacement characters would be written back mangled.
            if which.allows(fix) && checked.loaded.pages[i].unreadable.is_none() {
                by_page.entry(i).or_default().push(f);
            }
        }
        if by_page.is_empty() {
            break;
        }
        passes += 1;
        let mut touched = Vec::new();
        for (i, findings) in by_page {
            let page = &checked.loaded.pages[i];
            let (text, applied) = apply(&page.text, &findings);
            if applied.is_empty() || text == page.text {
                continue;
            }
            let entry = changed.entry(i).or_insert_with(|| Changed {
                path: Arc::clone(&page.path),
                before: page.text.clone(),
                after: String::new(),
                applied: BTreeMap::new(),
            });
            for f in applied {
                *entry.applied.entry(f.rule.name).or_default() += 1;
            }
            entry.after.clone_from(&text);
            let mut new = Page::from_text(Arc::clone(&page.path), text, page.locale.clone());
            new.locale_key.clone_from(&page.locale_key);
            checked.loaded.pages[i] = new;
            touched.push(i);
        }
        if touched.is_empty() {
            break;
        }
        // The changed pages' page findings and every locale finding are
        // found again; the other pages' findings stand.
        let paths: Vec<Arc<str>> = touched
            .iter()
            .map(|&i| Arc::clone(&checked.loaded.pages[i].path))
            .collect();
        raw.retain(|f| f.rule.scope != Scope::Locale && !paths.contains(&f.path));
        for &i in &touched {
            raw.extend(crate::rules::check_page(
                &checked.loaded.pages[i],
                version.as_deref(),
            ));
        }
        let (locale_findings, paired) = crate::locale::check(&checked.loaded.pages, locale)?;
        raw.extend(locale_findings);
        checked.paired = paired;
        settled = settle(raw.clone(), &checked.loaded.pages, &checked.config);
    }
    checked.findings = settled;
    Ok(Outcome {
        checked,
        changed: changed.into_values().collect(),
    })
}

/// Applies the fixes of `findings` that overlap no fix taken before them
/// (in page order); returns the new text and the findings whose fix was applied.
pub(crate) fn apply<'f>(text: &str, findings: &[&'f Finding]) -> (String, Vec<&'f Finding>) {
    let mut order: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| f.fix.as_ref().is_some_and(|fix| valid(text, fix)))
        .collect();
    order.sort_by_key(|f| {
        let r = f.fix.as_ref().map_or(0..0, Fix::range);
        (r.start, r.end)
    });
    let mut taken: Vec<&Finding> = Vec::new();
    let mut taken_ranges: Vec<Range<usize>> = Vec::new();
    for f in order {
        let fix = f.fix.as_ref().expect("filtered");
        let range = fix.range();
        // The same repair found twice (two rules, one fault) is applied once.
        if taken.iter().any(|t| t.fix.as_ref() == Some(fix)) {
            continue;
        }
        if taken_ranges.iter().any(|t| overlaps(t, &range)) {
            continue;
        }
        taken_ranges.push(range);
        taken.push(f);
    }
    let mut edits: Vec<_> = taken
        .iter()
        .flat_map(|f| f.fix.as_ref().expect("filtered").edits.iter())
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, taken)
}

/// Two ranges overlap when they share a byte, or are both insertions at
/// one place (their order would be a guess).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
        || a == b
        || a.start == b.start && (a.is_empty() || b.is_empty())
}

/// Edits inside the text, on character boundaries, disjoint and in order.
fn valid(text: &str, fix: &Fix) -> bool {
    let mut edits: Vec<&Range<usize>> = fix.edits.iter().map(|e| &e.span).collect();
    edits.sort_by_key(|r| r.start);
    !edits.is_empty()
        && edits.iter().all(|r| {
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        })
        && edits.windows(2).all(|w| w[0].end <= w[1].start)
}

/// Writes each changed page back, keeping its byte-order mark; a file that
/// changed on disk since it was read is left alone and named in the error.
pub(crate) fn write(changed: &[Changed]) -> Result<(), Fatal> {
    const BOM: &str = "\u{feff}";
    let mut stale = Vec::new();
    for c in changed {
        let path = std::path::Path::new(c.path.as_ref());
        let on_disk = std::fs::read(path)
            .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
        let bom = on_disk.starts_with(BOM.as_bytes());
        let unchanged = if bom {
            &on_disk[BOM.len()..] == c.before.as_bytes()
        } else {
            on_disk == c.before.as_bytes()
        };
        if !unchanged {
            stale.push(c.path.to_string());
            continue;
        }
        let mut bytes = Vec::with_capacity(c.after.len() + 3);
        if bom {
            bytes.extend_from_slice(BOM.as_bytes());
        }
        bytes.extend_from_slice(c.after.as_bytes());
        std::fs::write(path, bytes)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(Fatal(format!(
            "not fixed, changed on disk while exemplar read it: {}",
            stale.join(", ")
        )))
    }
}

/// The changes as a unified diff, one file after another.
pub(crate) fn diff(changed: &[Changed]) -> String {
    let mut out = String::new();
    for c in changed {
        let diff = similar::TextDiff::from_lines(&c.before, &c.after);
        let path = c.path.as_ref();
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(path, path)
                .to_string(),
        );
    }
    out
}

/// "Fixed 2 findings (json-syntax 2) in 2 pages." and one line per page.
pub(crate) fn summary(changed: &[Changed], verb: &str) -> String {
    let mut total: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = String::new();
    for c in changed {
        let rules: Vec<String> = c
            .applied
            .iter()
            .map(|(rule, n)| {
                *total.entry(rule).or_default() += n;
                format!("{rule} {n}")
            })
            .collect();
        out.push_str(&format!("{}: {verb} {}\n", c.path, rules.join(", ")));
    }
    let n: usize = total.values().sum();
    let rules: Vec<String> = total.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let pages = changed.len();
    out.push_str(&format!(
        "{} {n} {} ({}) in {pages} {}.\n",
        capitalize(verb),
        if n == 1 { "finding" } else { "findings" },
        rules.join(", "),
        if pages == 1 { "page" } else { "pages" },
    ));
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// How many findings a fix would repair: (safe, unsafe).
pub(crate) fn fixable(findings: &[Finding]) -> (usize, usize) {
    findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .fold((0, 0), |(s, u), fix| match fix.applicability {
            Applicability::Safe => (s + 1, u),
            Applicability::Unsafe => (s, u + 1),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::declare_rule;

    declare_rule! {
        TEST_RULE = "json-syntax", Error, Check,
        "a test rule";
    }

    fn finding(span: Range<usize>, fix: Fix) -> Finding {
        let mut f = Finding::new(&TEST_RULE, &Arc::from("p.md"), span, "m");
        f.fix = Some(fix);
        f
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let a = finding(1..2, Fix::safe(1..2, ""));
        let b = finding(1..3, Fix::safe(1..3, "X"));
        let c = finding(4..5, Fix::safe(4..5, "Y"));
        let (text, taken) = apply("a,b,c", &[&b, &a, &c]);
        assert_eq!(text, "ab,Y");
        assert_eq!(taken.len(), 2);
    }

    #[test]
    fn a_fix_outside_the_text_or_inside_a_character_is_not_applied() {
        let a = finding(0..1, Fix::safe(0..1, ""));
        let b = finding(9..10, Fix::safe(9..10, ""));
        let (text, taken) = apply("é", &[&a, &b]);
        assert_eq!(text, "é");
        assert!(taken.is_empty());
    }

    #[test]
    fn the_same_repair_twice_is_applied_once() {
        let a = finding(1..2, Fix::safe(1..2, ""));
        let b = finding(1..2, Fix::safe(1..2, ""));
        let (text, taken) = apply("a,", &[&a, &b]);
        assert_eq!(text, "a");
        assert_eq!(taken.len(), 1);
    }
}
