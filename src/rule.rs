//! What a rule is: a name, a default severity, where it runs, a one-line
//! summary and its documentation page. Each rule is declared with
//! [`declare_rule!`] in the file that raises it (after ty's `declare_lint!`);
//! the registry (`registry.rs`) lists them all.

use serde::{Deserialize, Serialize};

/// How much a finding matters: an error fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information: never fails the gate.
    Note,
    /// Worth fixing; does not fail the gate.
    Warning,
    /// Fails the gate (exit code 1) unless the baseline knows it.
    Error,
}

impl Severity {
    /// `note`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// A level as written in `exemplar.toml` (`info` and `warn` too).
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Which command raises a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `check` (and `run`, which reports the static findings too).
    Check,
    /// Across locales, in `check` and `run`.
    Locale,
    /// Only `run`, from the endpoint's answers.
    Run,
}

/// One rule, declared once.
#[derive(Debug)]
pub struct Rule {
    /// The kebab-case name users write in `exemplar.toml` and `exemplar-disable`.
    pub name: &'static str,
    /// The severity of its findings unless the configuration re-levels it.
    pub severity: Severity,
    /// Which command raises it.
    pub scope: Scope,
    /// One line for `exemplar rules` and report legends.
    pub summary: &'static str,
    /// Its documentation page (`docs/rules/NAME.md`), compiled in so that
    /// `exemplar rules NAME` works from any folder.
    pub doc: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.name == other.name
    }
}

impl Eq for Rule {}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Declares a rule as a `static` beside the check that raises it:
///
/// ```ignore
/// declare_rule! {
///     pub(crate) TODO_MARKER = "todo-marker", Warning, Check,
///     "the page still holds a TODO marker";
/// }
/// ```
///
/// The documentation page must exist: it is compiled in.
macro_rules! declare_rule {
    ($vis:vis $ident:ident = $name:literal, $severity:ident, $scope:ident, $summary:literal;) => {
        $vis static $ident: $crate::rule::Rule = $crate::rule::Rule {
            name: $name,
            severity: $crate::rule::Severity::$severity,
            scope: $crate::rule::Scope::$scope,
            summary: $summary,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules/", $name, ".md")),
        };
    };
}

pub(crate) use declare_rule;
