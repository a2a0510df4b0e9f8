//! `exemplar.toml`: switch rules off, re-level them, exclude paths, and tune
//! the comparer. Keys are kebab-case; unknown keys are an error (exit 2), an
//! unknown rule name is a finding with "did you mean".
//!
//! ```toml
//! exclude = ["drafts/**"]
//! version = "beta"
//!
//! [rules]
//! todo-marker = "off"
//! enum-value = "warning"
//!
//! [run]
//! volatile = ["lastModifiedDateTime", "@odata.etag"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::finding::{Finding, Severity};
use crate::rules::registry;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Glob patterns of paths not to read (matched against the displayed path).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule name to `off`, `note`, `warning` or `error`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    #[serde(default)]
    pub run: RunConfig,
    /// The API version the docs set documents (`v1.0`, `beta`,
    /// `2023-01-01`), for `version-mismatch`; without it, the page's folder says.
    #[serde(default)]
    pub version: Option<String>,
    /// Where the configuration came from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Problems found in the configuration that are findings, not errors.
    #[serde(skip)]
    pub problems: Vec<Finding>,
    #[serde(skip)]
    levels: BTreeMap<&'static str, Option<Severity>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunConfig {
    /// Extra property names whose values are compared by type and format only.
    #[serde(default)]
    pub volatile: Vec<String>,
}

impl Config {
    /// The level a finding of `rule` gets: `None` when untouched,
    /// `Some(None)` when switched off.
    pub fn level(&self, rule: &str) -> Option<Option<Severity>> {
        self.levels.get(rule).copied()
    }

    /// Loads `explicit`, or the nearest `exemplar.toml` from the current folder up.
    pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => find_upwards(&std::env::current_dir().map_err(|e| e.to_string())?),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut config = Config::parse(&text, &path)?;
        config.path = Some(path);
        Ok(config)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| format!("{}: {e}", path.display()))?;
        let shown: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        for (name, level) in &config.rules {
            let span = text
                .find(&format!("{name} "))
                .or_else(|| text.find(name.as_str()))
                .map_or(0..0, |i| i..i + name.len());
            let Some(rule) = registry::lookup(name) else {
                let mut f = Finding::new(
                    registry::UNKNOWN_RULE.name,
                    &shown,
                    span,
                    format!("unknown rule `{name}` in the configuration"),
                );
                f.severity = registry::UNKNOWN_RULE.severity;
                f.help = Some(match registry::suggest(name) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`exemplar rules` lists the rules".into(),
                });
                config.problems.push(f);
                continue;
            };
            let level = match level.as_str() {
                "off" | "allow" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    format!(
                        "{}: rule `{name}`: level `{other}` is none of off, note, warning, error",
                        path.display()
                    )
                })?),
            };
            config.levels.insert(rule.name, level);
        }
        Ok(config)
    }

    /// Is this displayed path excluded?
    pub fn excludes(&self, path: &str) -> bool {
        self.exclude.iter().any(|pattern| glob_match(pattern, path))
    }
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join("exemplar.toml"))
        .find(|p| p.is_file())
}

/// `*` matches within a path segment, `**` across segments, `?` one character.
/// Hand-written because the patterns are few and simple; it matches a path
/// ending too, so `drafts/**` excludes `docs/drafts/x.md`.
fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                (0..=s.len()).any(|i| go(rest, &s[i..]))
            }
            (Some(b'*'), _) => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| go(&p[1..], &s[i..])),
            (Some(b'?'), Some(c)) if *c != b'/' => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let path = path.trim_start_matches("./");
    (0..path.len())
        .filter(|&i| i == 0 || path.as_bytes()[i - 1] == b'/')
        .any(|i| go(pattern.as_bytes(), &path.as_bytes()[i..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_unknown_rules() {
        let config = Config::parse(
            "[rules]\ntodo-marker = \"off\"\nenum-value = \"warning\"\njson-sytnax = \"off\"\n",
            Path::new("exemplar.toml"),
        )
        .unwrap();
        assert_eq!(config.level("todo-marker"), Some(None));
        assert_eq!(config.level("enum-value"), Some(Some(Severity::Warning)));
        assert_eq!(config.problems.len(), 1);
        assert_eq!(config.problems[0].span, 51..62);
        assert_eq!(
            config.problems[0].help.as_deref(),
            Some("did you mean `json-syntax`?")
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::parse("colour = 1\n", Path::new("x.toml")).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("drafts/**", "docs/drafts/a/b.md"));
        assert!(glob_match("*.txt", "seeds/a.txt"));
        assert!(!glob_match("*.txt", "seeds/a.md"));
    }
}
