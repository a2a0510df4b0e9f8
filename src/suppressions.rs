//! `<!-- exemplar-disable RULE[, RULE] -->` before an example's annotation:
//! drops that example's findings of those rules. An unknown rule name
//! (`unknown-rule`) and a rule that suppressed nothing (`unused-suppression`)
//! are findings themselves (after ty's `suppression.rs`).

use std::collections::HashMap;

use crate::finding::Finding;
use crate::page::Page;
use crate::registry;

pub(crate) fn apply(findings: Vec<Finding>, pages: &[Page]) -> Vec<Finding> {
    let by_path: HashMap<&str, &Page> = pages
        .iter()
        .filter(|p| !p.suppressions.is_empty())
        .map(|p| (&*p.path, p))
        .collect();
    if by_path.is_empty() {
        return findings;
    }
    // (path, suppression index, rule index) -> used
    let mut used: HashMap<(&str, usize, usize), bool> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        let Some(page) = by_path.get(&*finding.path) else {
            kept.push(finding);
            continue;
        };
        let mut suppressed = false;
        for (si, s) in page.suppressions.iter().enumerate() {
            let Some(a) = s.annotation else { continue };
            let covers = page
                .annotations
                .get(a)
                .is_some_and(|ann| ann.span.contains(&finding.span.start))
                || page.examples.iter().any(|e| {
                    finding.example.as_deref() == Some(e.id.as_str())
                        && e.annotations().any(|x| x == a)
                });
            if !covers {
                continue;
            }
            if let Some(ri) = s
                .rules
                .iter()
                .position(|(name, _)| name == finding.rule.name)
            {
                used.insert((&page.path, si, ri), true);
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }
    for page in by_path.values() {
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
