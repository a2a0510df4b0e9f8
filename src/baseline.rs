//! The baseline of a docs set (`--write-baseline FILE`, `--baseline FILE`):
//! the findings a team has accepted for now, so that a gate fails only on
//! new ones. A finding's fingerprint survives edits elsewhere on the page:
//! its rule, its page's path below the locale root, the locale, the
//! example's name (or index) and the JSON pointer it is about, never a line
//! number or message text. Findings that share a fingerprint are counted
//! (as PHPStan's baseline does): the first N of them on the page are known.
//!
//! The file is JSON with one entry a line, sorted, so that a pull request
//! that changes it is reviewable.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::page::Page;
use crate::rule::Scope;

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The rule's name.
    pub rule: String,
    /// The page's locale, if known.
    pub locale: Option<String>,
    /// The page's path below its locale root (or as given when it has none).
    pub page: String,
    /// The example's name, or its index on the page.
    pub example: Option<String>,
    /// The JSON pointer the finding is about, if any.
    pub at: Option<String>,
}

/// A fingerprint and how many findings share it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What the findings share.
    #[serde(flatten)]
    pub fingerprint: Fingerprint,
    /// How many.
    pub count: usize,
}

/// A baseline file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// The format's version.
    pub version: u32,
    /// The entries, sorted by fingerprint.
    pub entries: Vec<Entry>,
}

impl Baseline {
    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--baseline: cannot read {}: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "--baseline: {} is not a baseline written by --write-baseline: {e}",
                path.display()
            )
        })?;
        if baseline.version != 1 {
            return Err(format!(
                "--baseline: {} has version {}; this exemplar reads version 1",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// The baseline of `findings` on `pages`, keeping the entries of
    /// `previous` for pages this run did not read (a `--changed-since` or
    /// `--shard` run records only what it saw).
    pub fn of(findings: &[Finding], pages: &[Page], previous: Option<&Baseline>) -> Baseline {
        let by_path = pages_by_path(pages);
        let mut counts: BTreeMap<Fingerprint, usize> = BTreeMap::new();
        for f in findings {
            *counts.entry(fingerprint(f, &by_path)).or_default() += 1;
        }
        if let Some(previous) = previous {
            let read = read_pages(pages);
            for e in &previous.entries {
                let f = &e.fingerprint;
                if !read.contains(&(f.page.as_str(), f.locale.as_deref())) {
                    *counts.entry(f.clone()).or_default() += e.count;
                }
            }
        }
        Baseline {
            version: 1,
            entries: counts
                .into_iter()
                .map(|(fingerprint, count)| Entry { fingerprint, count })
                .collect(),
        }
    }

    /// Writes the file: pretty enough to review, one entry a line.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let io =
            |e: std::io::Error| format!("--write-baseline: cannot write {}: {e}", path.display());
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
        let mut text = String::from("{\n  \"version\": 1,\n  \"entries\": [");
        for (i, e) in self.entries.iter().enumerate() {
            text.push_str(if i == 0 { "\n    " } else { ",\n    " });
            text.push_str(&serde_json::to_string(e).map_err(|e| e.to_string())?);
        }
        text.push_str(if self.entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out.write_all(text.as_bytes()).map_err(io)?;
        out.flush().map_err(io)
    }

    /// Marks the findings the baseline records as known (the first N of
    /// each fingerprint, in page order) and returns the entries no longer
    /// seen: on the pages read, for rules that ran (`scopes`).
    pub fn apply(&self, findings: &mut [Finding], pages: &[Page], scopes: &[Scope]) -> Vec<Entry> {
        let by_path = pages_by_path(pages);
        let mut groups: HashMap<Fingerprint, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            groups.entry(fingerprint(f, &by_path)).or_default().push(i);
        }
        let read = read_pages(pages);
        let mut fixed = Vec::new();
        for e in &self.entries {
            let seen = groups.get_mut(&e.fingerprint);
            let found = seen.as_ref().map_or(0, |s| s.len());
            if let Some(indices) = seen {
                indices.sort_by_key(|&i| (findings[i].span.start, findings[i].span.end));
                for &i in indices.iter().take(e.count) {
                    findings[i].known = true;
                }
            }
            let f = &e.fingerprint;
            let ran = crate::registry::lookup(&f.rule).is_some_and(|r| scopes.contains(&r.scope));
            if found < e.count && ran && read.contains(&(f.page.as_str(), f.locale.as_deref())) {
                fixed.push(Entry {
                    fingerprint: f.clone(),
                    count: e.count - found,
                });
            }
        }
        fixed
    }
}

fn pages_by_path(pages: &[Page]) -> HashMap<&str, &Page> {
    pages.iter().map(|p| (&*p.path, p)).collect()
}

/// (page key, locale) of every page read.
fn read_pages(pages: &[Page]) -> HashSet<(&str, Option<&str>)> {
    pages
        .iter()
        .map(|p| (page_key(p), p.locale.as_deref()))
        .collect()
}

fn page_key(page: &Page) -> &str {
    page.locale_key.as_deref().unwrap_or(&page.path)
}

/// The fingerprint of a finding.
pub fn fingerprint(f: &Finding, pages: &HashMap<&str, &Page>) -> Fingerprint {
    let page = pages.get(&*f.path);
    let example = f.example.as_deref().map(|id| {
        id.strip_prefix(&*f.path)
            .and_then(|rest| rest.strip_prefix('#'))
            .unwrap_or(id)
            .to_owned()
    });
    let at = f
        .pointer
        .clone()
        .or_else(|| page.and_then(|p| table_row(&p.text, f.span.start)));
    Fingerprint {
        rule: f.rule.name.to_owned(),
        locale: page.and_then(|p| p.locale.clone()),
        page: page.map_or_else(|| f.path.to_string(), |p| page_key(p).to_owned()),
        example,
        at,
    }
}

/// The table row a finding with no JSON pointer is on, by its first cell
/// (`row:Delegated (work or school account)`, `row:displayName`): a
/// permission or property row keeps its first cell when rows are added,
/// moved or reworded elsewhere, where a line number would not.
fn table_row(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    if !line.trim_start().starts_with('|') {
        return None;
    }
    let first = crate::page::tables::cells(text, start..end)
        .into_iter()
        .next()?;
    let cell = crate::page::tables::strip_markup(text[first].trim())
        .trim()
        .to_owned();
    (!cell.is_empty()).then(|| format!("row:{cell}"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A finding on a table row keeps its fingerprint when a row is added
    /// above it and the page's other lines move.
    #[test]
    fn a_table_row_is_known_by_its_first_cell() {
        let before = "# Get x\n\n## Permissions\n\n| Permission type | Permissions |\n|:--|:--|\n| Delegated (work or school account) | `User.Read` |\n| Application | `User.Read.All` |\n";
        let after = before.replace(
            "|:--|:--|\n",
            "|:--|:--|\n| Delegated (personal Microsoft account) | Not supported. |\n",
        );
        let fingerprint_of_application_row = |text: &str| {
            let path: Arc<str> = Arc::from("en-us/api/x-get.md");
            let page = Page::from_text(Arc::clone(&path), text.to_owned(), Some("en-us".into()));
            let at = text.find("`User.Read.All`").expect("the row");
            let finding = Finding::new(&crate::registry::UNKNOWN_RULE, &path, at..at + 15, "m");
            fingerprint(&finding, &pages_by_path(std::slice::from_ref(&page)))
        };
        let first = fingerprint_of_application_row(before);
        assert_eq!(first.at.as_deref(), Some("row:Application"));
        assert_eq!(first, fingerprint_of_application_row(&after));
        assert_eq!(table_row("no table here\n", 3), None);
        assert_eq!(
            table_row("| **`displayName`** | String |\n", 5).as_deref(),
            Some("row:displayName")
        );
    }
}
