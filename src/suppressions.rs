//! `<!-- exemplar-disable RULE[, RULE] -->` before an example's annotation:
//! drops that example's findings of those rules. An unknown rule name
//! (`unknown-rule`) and a rule that suppressed nothing (`unused-suppression`)
//! are findings themselves (after ty's `suppression.rs`).

use std::collections::HashMap;

use crate::example::Example;
use crate::finding::Finding;
use crate::page::Page;
use crate::registry;

pub(crate) fn apply(findings: Vec<Finding>, pages: &[Page]) -> Vec<Finding> {
    let by_path: HashMap<&str, Covering> = pages
        .iter()
        .filter(|p| !p.suppressions.is_empty())
        .map(|p| (&*p.path, Covering::new(p)))
        .collect();
    if by_path.is_empty() {
        return findings;
    }
    // (path, suppression index, rule index) -> used
    let mut used: HashMap<(&str, usize, usize), bool> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    let mut covering = Vec::new();
    for finding in findings {
        let Some(c) = by_path.get(&*finding.path) else {
            kept.push(finding);
            continue;
        };
        c.suppressions_over(&finding, &mut covering);
        let mut suppressed = false;
        for &si in &covering {
            let s = &c.page.suppressions[si];
            if let Some(ri) = s
                .rules
                .iter()
                .position(|(name, _)| name == finding.rule.name)
            {
                used.insert((&c.page.path, si, ri), true);
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }
    for page in by_path.values().map(|c| c.page) {
        for (si, s) in page.suppressions.iter().enumerate() {
            for (ri, (name, span)) in s.rules.iter().enumerate() {
                if registry::lookup(name).is_none() {
                    kept.push(registry::unknown_rule(
                        &page.path,
                        span.clone(),
                        name,
                        "in exemplar-disable",
                    ));
                } else if !used.contains_key(&(&*page.path, si, ri)) {
                    let mut f = Finding::new(
                        &registry::UNUSED_SUPPRESSION,
                        &page.path,
                        span.clone(),
                        format!("`{name}` is disabled here but reports nothing for this example"),
                    );
                    f.help = Some(if s.annotation.is_none() {
                        "put the comment right before the example's annotation".into()
                    } else {
                        "remove the suppression; the example is clean".into()
                    });
                    kept.push(f);
                }
            }
        }
    }
    kept
}

/// Which suppressions of a page cover a finding, found through maps: a
/// walk over every suppression and every example for each finding was
/// cubic on a page of many suppressed examples (1,000 took 41 s).
struct Covering<'p> {
    page: &'p Page,
    /// Annotation index -> the suppressions standing before it.
    by_annotation: HashMap<usize, Vec<usize>>,
    /// Example id -> the example.
    examples: HashMap<&'p str, &'p Example>,
}

impl<'p> Covering<'p> {
    fn new(page: &'p Page) -> Self {
        let mut by_annotation: HashMap<usize, Vec<usize>> = HashMap::new();
        for (si, s) in page.suppressions.iter().enumerate() {
            if let Some(a) = s.annotation {
                by_annotation.entry(a).or_default().push(si);
            }
        }
        let examples = page.examples.iter().map(|e| (e.id.as_str(), e)).collect();
        Covering {
            page,
            by_annotation,
            examples,
        }
    }

    /// The suppressions (in page order, each once) whose annotation holds
    /// the finding's start or belongs to the finding's example.
    fn suppressions_over(&self, finding: &Finding, out: &mut Vec<usize>) {
        out.clear();
        let annotations = &self.page.annotations;
        // Annotations are comments in page order, never overlapping.
        let after = annotations.partition_point(|a| a.span.start <= finding.span.start);
        if let Some(a) = after.checked_sub(1) {
            if annotations[a].span.contains(&finding.span.start) {
                out.extend(self.by_annotation.get(&a).into_iter().flatten());
            }
        }
        if let Some(e) = finding
            .example
            .as_deref()
            .and_then(|id| self.examples.get(id))
        {
            for a in e.annotations() {
                out.extend(self.by_annotation.get(&a).into_iter().flatten());
            }
        }
        crate::work::add(1 + out.len());
        out.sort_unstable();
        out.dedup();
    }
}
