//! Which localized page translates which source-language page.
//!
//! CONTRACT.md "Locales": pages pair by their path below their locale root
//! (`en-us/api/x.md` with `zh-cn/api/x.md`, `docs.zh-CN/api/x.md`, or a
//! `--locale TAG=DIR` root); `--pair SOURCE=LOCALIZED` pairs two single
//! pages by hand. A page whose locale comes only from its front matter
//! (`ms.contentlocale`) has no locale root, so it pairs by its path below the
//! command-line root it was found under; a page with no locale at all stands
//! in for the source language there (English pages of the Graph docs carry no
//! `ms.contentlocale`, and a rendered page carries no front matter at all).

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::page::Page;

/// One localized page and the source-language page it translates (indices
/// into the page list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pair {
    pub source: usize,
    pub localized: usize,
}

/// What pairing needs from the command line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options<'a> {
    /// Lower-case source locale tag (`en-us`).
    pub source_locale: String,
    /// `--pair SOURCE=LOCALIZED`.
    pub pairs: &'a [PairSpec],
    /// The command-line paths, for pages that have a locale but no locale root.
    pub roots: Vec<String>,
}

impl<'a> Options<'a> {
    pub(crate) fn new(
        source_locale: &str,
        pairs: &'a [PairSpec],
        roots: &[std::path::PathBuf],
    ) -> Self {
        Options {
            source_locale: source_locale.to_ascii_lowercase(),
            pairs,
            roots: roots.iter().map(|r| display(r)).collect(),
        }
    }
}

/// `--pair SOURCE=LOCALIZED`: two single pages paired by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairSpec {
    /// The source-language page, as given.
    pub source: String,
    /// Its translation, as given.
    pub localized: String,
}

impl std::str::FromStr for PairSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        match spec.split_once('=') {
            Some((source, localized)) if !source.is_empty() && !localized.is_empty() => {
                Ok(PairSpec {
                    source: source.to_owned(),
                    localized: localized.to_owned(),
                })
            }
            _ => Err(format!("expected SOURCE=LOCALIZED, got `{spec}`")),
        }
    }
}

impl std::fmt::Display for PairSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.source, self.localized)
    }
}

/// Pairs the pages: the hand-made pairs first, then every localized page
/// with the source page at the same path below its root. A localized page
/// pairs at most once; the result is in localized-page order.
pub(crate) fn pair(pages: &[Page], options: &Options) -> Result<Vec<Pair>, String> {
    let mut out = explicit(pages, options)?;
    let taken: FxHashSet<usize> = out.iter().map(|p| p.localized).collect();

    let mut sources: FxHashMap<String, usize> = FxHashMap::default();
    let mut localized = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(key) = key(page, options) else {
            continue;
        };
        match page.locale.as_deref() {
            Some(tag) if tag != options.source_locale => {
                if !taken.contains(&i) {
                    localized.push((i, key));
                }
            }
            // The first source page of a key wins when two roots hold it.
            _ => {
                sources.entry(key).or_insert(i);
            }
        }
    }
    out.extend(localized.into_iter().filter_map(|(i, key)| {
        sources.get(&key).map(|&source| Pair {
            source,
            localized: i,
        })
    }));
    out.sort_by_key(|p| p.localized);
    Ok(out)
}

/// The path a page pairs by, lower-cased (case is not a translation):
/// below its locale root, else below the command-line root it was found under.
fn key(page: &Page, options: &Options) -> Option<String> {
    if let Some(key) = &page.locale_key {
        return Some(key.to_lowercase());
    }
    let path: &str = &page.path;
    let below = options.roots.iter().find_map(|root| {
        if path == root.as_str() {
            // A file given by itself pairs by its file name.
            return Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
        }
        let rest = path.strip_prefix(root.as_str())?;
        let rest = if root.ends_with('/') || root.is_empty() {
            rest
        } else {
            rest.strip_prefix('/')?
        };
        Some(rest.to_owned())
    })?;
    Some(below.to_lowercase())
}

/// `--pair SOURCE=LOCALIZED`: both must be pages that were read.
fn explicit(pages: &[Page], options: &Options) -> Result<Vec<Pair>, String> {
    let mut out = Vec::new();
    for spec in options.pairs {
        let (source, localized) = (spec.source.as_str(), spec.localized.as_str());
        let find = |given: &str| {
            let wanted = display(Path::new(given));
            pages
                .iter()
                .position(|p| *p.path == *wanted)
                .ok_or_else(|| {
                    format!(
                        "--pair: `{given}` is not among the pages read; give it as a PATH too, \
                     e.g. `exemplar check --pair {spec} {source} {localized}`"
                    )
                })
        };
        let pair = Pair {
            source: find(source)?,
            localized: find(localized)?,
        };
        if pair.source == pair.localized {
            return Err(format!("--pair: `{spec}` pairs a page with itself"));
        }
        if out.iter().any(|p: &Pair| p.localized == pair.localized) {
            return Err(format!(
                "--pair: `{localized}` is paired twice; a translation has one source"
            ));
        }
        out.push(pair);
    }
    Ok(out)
}

/// A path as pages show it: no leading `./`, forward slashes (as discovery
/// writes `Page::path`).
fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s);
    if s == "." {
        return String::new();
    }
    s.strip_suffix('/').unwrap_or(s).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn page(path: &str, locale: Option<&str>, key: Option<&str>) -> Page {
        let mut p = Page::from_text(Arc::from(path), String::new(), locale.map(str::to_owned));
        p.locale_key = key.map(str::to_owned);
        p
    }

    fn options<'a>(pairs: &'a [PairSpec], roots: &[&str]) -> Options<'a> {
        let roots: Vec<std::path::PathBuf> = roots.iter().map(Into::into).collect();
        Options::new("en-US", pairs, &roots)
    }

    #[test]
    fn pairs_by_path_below_the_locale_root() {
        let pages = [
            page("c/en-us/api/a.md", Some("en-us"), Some("api/a.md")),
            page("c/en-us/api/b.md", Some("en-us"), Some("api/b.md")),
            page("c/zh-cn/api/a.md", Some("zh-cn"), Some("api/a.md")),
            page("c/zh-cn/api/c.md", Some("zh-cn"), Some("api/c.md")),
            page("docs.ja-JP/api/B.md", Some("ja-jp"), Some("api/B.md")),
        ];
        let got = pair(&pages, &options(&[], &["c", "docs.ja-JP"])).unwrap();
        assert_eq!(
            got,
            [
                Pair {
                    source: 0,
                    localized: 2
                },
                Pair {
                    source: 1,
                    localized: 4
                }
            ]
        );
    }

    #[test]
    fn front_matter_locale_pairs_below_the_command_line_root() {
        let pages = [
            page("en/api/a.md", None, None),
            page("zh/api/a.md", Some("zh-cn"), None),
            page("one/x.md", None, None),
            page("two/x.md", Some("ja-jp"), None),
        ];
        let got = pair(
            &pages,
            &options(&[], &["en", "./zh/", "one/x.md", "two/x.md"]),
        )
        .unwrap();
        assert_eq!(
            got,
            [
                Pair {
                    source: 0,
                    localized: 1
                },
                Pair {
                    source: 2,
                    localized: 3
                }
            ]
        );
    }

    #[test]
    fn source_locale_decides_the_direction() {
        let pages = [
            page("en-us/a.md", Some("en-us"), Some("a.md")),
            page("zh-cn/a.md", Some("zh-cn"), Some("a.md")),
        ];
        let roots: Vec<std::path::PathBuf> = vec![".".into()];
        let got = pair(&pages, &Options::new("zh-cn", &[], &roots)).unwrap();
        assert_eq!(
            got,
            [Pair {
                source: 1,
                localized: 0
            }]
        );
        assert!(pair(&pages, &Options::new("xx-yy", &[], &roots))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn hand_made_pairs_win_and_must_name_pages_read() {
        let pages = [
            page("s/002.txt", None, None),
            page("s/004.txt", Some("zh-cn"), None),
        ];
        let pairs = vec!["./s/002.txt=s/004.txt".parse().unwrap()];
        let got = pair(&pages, &options(&pairs, &["s"])).unwrap();
        assert_eq!(
            got,
            [Pair {
                source: 0,
                localized: 1
            }]
        );
        let bad = vec!["s/002.txt=s/missing.txt".parse().unwrap()];
        let err = pair(&pages, &options(&bad, &["s"])).unwrap_err();
        assert!(err.starts_with("--pair: `s/missing.txt` is not among the pages read"));
        assert_eq!(
            "s/002.txt".parse::<PairSpec>().unwrap_err(),
            "expected SOURCE=LOCALIZED, got `s/002.txt`"
        );
    }
}
