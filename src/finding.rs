//! The one finding type every rule produces and every renderer reads.
//! Positions are byte spans into the page; line and column are resolved only
//! at output time by [`crate::line_index::LineIndex`].

use std::ops::Range;
use std::sync::Arc;

use crate::rule::Rule;
pub use crate::rule::Severity;

/// One problem at one place of one page.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule that raised it.
    pub rule: &'static Rule,
    /// The rule's severity, unless the configuration re-levelled it.
    pub severity: Severity,
    /// The page's path as given on the command line joined with the path below it.
    pub path: Arc<str>,
    /// Byte span in the page text; an empty span points at a place.
    pub span: Range<usize>,
    /// What is wrong, in a sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// `path#name` (or `path#index`) of the example the finding is about.
    pub example: Option<String>,
    /// JSON pointer of the value the finding is about, for body comparisons.
    pub pointer: Option<String>,
    /// The value expected (documented, sent or listed).
    pub expected: Option<String>,
    /// The value found.
    pub actual: Option<String>,
    /// Set when a baseline already records this finding.
    pub known: bool,
    /// Other places the finding involves: the request line that sent a
    /// value, the property table row, the source-language page. Messages
    /// name them in words and leave the positions here, so that a message
    /// does not change when lines move.
    pub related: Vec<Related>,
    /// The repair its rule declares, when there is one obvious repair.
    pub fix: Option<Fix>,
}

/// Whether a fix can be applied without a writer's review (ruff's model):
/// a safe fix keeps the meaning the writer meant; an unsafe one chooses
/// between two readings (the source page's names over the translator's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps the meaning: applied by `--fix`.
    Safe,
    /// May change the meaning: applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`, as the JSON and SARIF reports write it.
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A repair: byte edits to the finding's page, applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Whether `--fix` applies it alone.
    pub applicability: Applicability,
    /// Disjoint edits, each inside the example or table the finding is about.
    pub edits: Vec<Edit>,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The byte span of the page replaced.
    pub span: Range<usize>,
    /// What replaces it.
    pub replacement: String,
}

impl Fix {
    /// A safe fix of one edit.
    pub fn safe(span: Range<usize>, replacement: impl Into<String>) -> Fix {
        Fix::one(Applicability::Safe, span, replacement)
    }

    /// An unsafe fix of one edit.
    pub fn unsafe_edit(span: Range<usize>, replacement: impl Into<String>) -> Fix {
        Fix::one(Applicability::Unsafe, span, replacement)
    }

    fn one(
        applicability: Applicability,
        span: Range<usize>,
        replacement: impl Into<String>,
    ) -> Fix {
        Fix {
            applicability,
            edits: vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        }
    }

    /// The bytes the fix touches, from its first edit's start to its last
    /// edit's end: two fixes whose ranges meet go in separate passes.
    pub fn range(&self) -> Range<usize> {
        let start = self.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        start..end
    }
}

/// A second place a finding involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The page's path, as in [`Finding::path`]; it may be another page.
    pub path: Arc<str>,
    /// Byte span in that page.
    pub span: Range<usize>,
    /// What is there, in a few words ("sent here", "the property table row").
    pub message: String,
}

impl Finding {
    /// Every offset the finding points at on the page at `path`: its span's
    /// ends, its fix's, and those of its related places there (the lines a
    /// page keeps for the report when its text is dropped).
    pub fn offsets_on<'f>(&'f self, path: &'f str) -> impl Iterator<Item = usize> + 'f {
        self.places()
            .filter(move |(on, _)| *on == path)
            .flat_map(|(_, span)| [span.start, span.end.max(span.start)])
    }

    /// Every place the finding points at, with its page's path: its span,
    /// its fix's edits (on its page), its related places.
    pub fn places(&self) -> impl Iterator<Item = (&str, &Range<usize>)> {
        let edits = self
            .fix
            .iter()
            .flat_map(|fix| fix.edits.iter().map(|e| &e.span));
        std::iter::once(&self.span)
            .chain(edits)
            .map(|span| (&*self.path, span))
            .chain(self.related.iter().map(|r| (&*r.path, &r.span)))
    }

    /// A finding of `rule` at `span` of the page at `path`, with the rule's severity.
    pub fn new(
        rule: &'static Rule,
        path: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            path: Arc::clone(path),
            span,
            message: message.into(),
            help: None,
            example: None,
            pointer: None,
            expected: None,
            actual: None,
            known: false,
            related: Vec::new(),
            fix: None,
        }
    }

    /// Adds a related place (see [`Finding::related`]).
    pub fn relate(
        &mut self,
        path: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            path: Arc::clone(path),
            span,
            message: message.into(),
        });
        self
    }

    /// Sets how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the example the finding is about (`path#name`).
    pub fn example(mut self, id: Option<&str>) -> Self {
        self.example = id.map(str::to_owned);
        self
    }

    /// Sets the JSON pointer of the value the finding is about.
    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets the expected and the actual value (shown side by side).
    pub fn expected_actual(
        mut self,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        self.expected = Some(expected.into());
        self.actual = Some(actual.into());
        self
    }
}
