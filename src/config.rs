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
//!
//! [report]
//! docs-base-uri = "https://example.com/exemplar/rules/"
//! html-snippet-chars = 120
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::finding::{Finding, Severity};
use crate::registry;

/// The configuration of a docs set (`exemplar.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Glob patterns of paths not to read (matched against the displayed path).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rule name to `off`, `note`, `warning` or `error`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// How `run` compares.
    #[serde(default)]
    pub run: RunConfig,
    /// Settings of the report formats.
    #[serde(default)]
    pub report: ReportConfig,
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

/// `[run]`: how `run` compares answers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RunConfig {
    /// Extra property names whose values are compared by type and format only.
    #[serde(default)]
    pub volatile: Vec<String>,
}

/// `[report]`: what the SARIF and HTML reports need besides the findings.
/// The environment variables `EXEMPLAR_DOCS_BASE_URI` and
/// `EXEMPLAR_HTML_SNIPPET_CHARS` override these.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ReportConfig {
    /// Where the rule pages are published (`BASE/NAME.md`), for SARIF's
    /// `helpUri` and the HTML report's rule links.
    pub docs_base_uri: Option<String>,
    /// The longest stretch of a source line an HTML snippet shows.
    pub html_snippet_chars: Option<usize>,
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

    /// Reads the configuration `text` of the file at `path`.
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
                config.problems.push(registry::unknown_rule(
                    &shown,
                    span,
                    name,
                    "in the configuration",
                ));
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

    /// Re-levels the findings as the configuration says, drops those of rules
    /// switched off, and adds the configuration's own problems.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        findings.extend(self.problems.iter().cloned());
        findings.retain_mut(|f| match self.level(f.rule.name) {
            Some(None) => false,
            Some(Some(level)) => {
                f.severity = level;
                true
            }
            None => true,
        });
    }

    /// The `exclude` patterns as one matcher of displayed paths. A pattern
    /// matches at any folder boundary (`drafts/**` excludes
    /// `docs/drafts/x.md`), `*` stays within a folder and `**` crosses them.
    pub fn exclude_set(&self) -> Result<Option<crate::discover::Exclude>, String> {
        if self.exclude.is_empty() {
            return Ok(None);
        }
        let mut set = globset::GlobSetBuilder::new();
        for pattern in &self.exclude {
            let anchored = pattern.trim_start_matches("./");
            let any_depth = if anchored.starts_with("**/") {
                anchored.to_owned()
            } else {
                format!("**/{anchored}")
            };
            let glob = globset::GlobBuilder::new(&any_depth)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("exclude pattern `{pattern}`: {e}"))?;
            set.add(glob);
        }
        let set = set.build().map_err(|e| format!("exclude patterns: {e}"))?;
        Ok(Some(crate::discover::Exclude {
            patterns: self.exclude.clone(),
            set,
        }))
    }
}

fn find_upwards(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join("exemplar.toml"))
        .find(|p| p.is_file())
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
        let config = Config {
            exclude: vec!["drafts/**".into(), "*.txt".into()],
            ..Config::default()
        };
        let set = config.exclude_set().unwrap().unwrap().set;
        assert!(set.is_match("docs/drafts/a/b.md"));
        assert!(set.is_match("drafts/a.md"));
        assert!(set.is_match("seeds/a.txt"));
        assert!(set.is_match("a.txt"));
        assert!(!set.is_match("seeds/a.md"));
        assert!(!set.is_match("docs/mydrafts/a.md"));
    }
}
