//! One page, read once into the model every rule reads: its text and line
//! index, annotations, examples, request templates, property and permission
//! tables, the status its prose promises, TODO markers and suppressions.

mod markdown;
mod rendered;
mod sections;
mod tables;

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::example::Example;
use crate::json;
use crate::line_index::LineIndex;

pub use sections::SectionKind;

/// How much of a page to read: `extract` needs the examples only; `check`
/// and `run` also read the tables, the Response prose and the TODOs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Depth {
    Examples,
    #[default]
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Rendered,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub path: Arc<str>,
    pub text: String,
    pub format: Format,
    /// Lower-case locale tag, from the path or the front matter.
    pub locale: Option<String>,
    /// The path below the locale root, which pairs a page with its translations.
    pub locale_key: Option<String>,
    /// Built on first use: most pages never need a position.
    lines: OnceLock<LineIndex>,
    /// Why the page could not be read as it is (binary, not UTF-8, I/O), and where.
    pub unreadable: Option<(Range<usize>, String)>,
    pub annotations: Vec<Annotation>,
    pub examples: Vec<Example>,
    pub templates: Vec<Template>,
    pub properties: Vec<Property>,
    pub permissions: Vec<Permission>,
    pub status_prose: Option<StatusProse>,
    pub todos: Vec<Range<usize>>,
    pub suppressions: Vec<Suppression>,
}

/// An HTML comment holding a JSON object: `<!-- { "blockType": "request" } -->`.
#[derive(Debug, Clone)]
pub struct Annotation {
    /// The whole comment.
    pub span: Range<usize>,
    /// Page offset where the JSON text starts; `json` spans are relative to it.
    pub json_start: usize,
    pub json: json::Parsed,
    pub block_type: Option<String>,
    pub block_type_span: Option<Range<usize>>,
    pub names: Vec<String>,
    pub truncated: bool,
    /// Is a fenced code block right after it?
    pub attached: bool,
}

impl Annotation {
    /// The annotation's JSON as a plain value (tolerantly parsed).
    pub fn value(&self) -> serde_json::Value {
        self.json
            .root
            .as_ref()
            .map_or(serde_json::Value::Null, |n| n.value.to_serde())
    }

    pub fn is_example_half(&self) -> bool {
        matches!(self.block_type.as_deref(), Some("request" | "response"))
    }
}

/// A documented request template: `POST /external/connections/{connectionsId}/groups`.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub method: String,
    pub path: String,
    pub span: Range<usize>,
}

/// A row of the request-body property table.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub type_name: String,
    /// The description cell, read on demand by [`Page::is_required`] and
    /// [`Page::possible_values`] (few rows are ever asked about).
    pub description: Range<usize>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionKind {
    DelegatedWork,
    DelegatedPersonal,
    Application,
}

impl PermissionKind {
    pub fn label(self) -> &'static str {
        match self {
            PermissionKind::DelegatedWork => "Delegated (work or school account)",
            PermissionKind::DelegatedPersonal => "Delegated (personal Microsoft account)",
            PermissionKind::Application => "Application",
        }
    }
}

/// A row of the permissions table, its cell normalised to a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Permission {
    pub kind: PermissionKind,
    /// The whole row.
    pub span: Range<usize>,
    /// The permissions cell.
    pub value_span: Range<usize>,
    pub value: String,
    /// The permissions granted, sorted; empty when the cell says "not supported".
    pub granted: Vec<String>,
}

/// The status the Response section's prose promises ("returns a `201 Created` response code").
#[derive(Debug, Clone, PartialEq)]
pub struct StatusProse {
    /// The first status named, the one a success states.
    pub status: u16,
    pub span: Range<usize>,
    /// Every status the section names ("201 Created, or 202 Accepted when …").
    pub all: Vec<u16>,
}

/// `<!-- exemplar-disable RULE[, RULE] -->`, right before an example's annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub span: Range<usize>,
    /// Each rule named, with its span.
    pub rules: Vec<(String, Range<usize>)>,
    /// The annotation it stands before, if any.
    pub annotation: Option<usize>,
}

impl Page {
    /// Reads a page from its bytes. Never fails: what cannot be read is
    /// recorded in [`Page::unreadable`] and the rest of the page still counts.
    pub fn from_bytes(
        path: Arc<str>,
        bytes: Vec<u8>,
        locale: Option<String>,
        locale_key: Option<String>,
        depth: Depth,
    ) -> Page {
        let (text, unreadable) = decode(bytes);
        let mut page = Page::empty(path, text, locale, locale_key);
        page.unreadable = unreadable;
        if page
            .unreadable
            .as_ref()
            .is_some_and(|(_, why)| why.starts_with("binary"))
        {
            return page;
        }
        page.analyse(depth);
        page
    }

    /// A page from text already decoded.
    pub fn from_text(path: Arc<str>, text: String, locale: Option<String>) -> Page {
        let mut page = Page::empty(path, text, locale, None);
        page.analyse(Depth::Full);
        page
    }

    fn empty(
        path: Arc<str>,
        text: String,
        locale: Option<String>,
        locale_key: Option<String>,
    ) -> Page {
        Page {
            path,
            lines: OnceLock::new(),
            text,
            format: Format::Markdown,
            locale,
            locale_key,
            unreadable: None,
            annotations: Vec::new(),
            examples: Vec::new(),
            templates: Vec::new(),
            properties: Vec::new(),
            permissions: Vec::new(),
            status_prose: None,
            todos: Vec::new(),
            suppressions: Vec::new(),
        }
    }

    fn analyse(&mut self, depth: Depth) {
        if self.locale.is_none() {
            self.locale =
                front_matter_value(&self.text, "ms.contentlocale").map(|v| v.to_ascii_lowercase());
        }
        self.format = if rendered::is_rendered(&self.text) {
            Format::Rendered
        } else {
            Format::Markdown
        };
        // Only the examples wanted, and no annotation could announce one:
        // nothing to parse (a third of the corpus, its resource pages).
        if depth == Depth::Examples
            && self.format == Format::Markdown
            && !markdown::may_hold_examples(&self.text)
        {
            return;
        }
        let sections = match self.format {
            Format::Markdown => markdown::read(self),
            Format::Rendered => rendered::read(self),
        };
        // The page model lives until the report is written; a Vec grown by
        // `push` keeps room for four annotations where most pages have two
        // (6 MB of a whole-corpus `check`'s peak, heaptrack).
        self.annotations.shrink_to_fit();
        if depth == Depth::Examples {
            return;
        }
        let words = crate::lang::words::candidates(self.locale.as_deref()).collect::<Vec<_>>();
        tables::read(self, &sections, &words);
        self.status_prose = sections::status_prose(&self.text, &sections);
        self.todos = find_todos(&self.text);
    }

    /// Does the property table mark this property required?
    pub fn is_required(&self, property: &Property) -> bool {
        let words: Vec<_> = crate::lang::words::candidates(self.locale.as_deref()).collect();
        tables::is_required(
            &self.text[property.description.clone()].to_lowercase(),
            &words,
        )
    }

    /// The values the property table lists for this property ("Possible values are: …").
    pub fn possible_values(&self, property: &Property) -> Vec<String> {
        let words: Vec<_> = crate::lang::words::candidates(self.locale.as_deref()).collect();
        let description = &self.text[property.description.clone()];
        tables::possible_values(description, &description.to_lowercase(), &words)
    }

    /// Drops the examples' parsed JSON bodies, which are parsed again on
    /// demand (see [`crate::http::Body::forget_json`]).
    pub fn forget_json_bodies(&mut self) {
        for example in &mut self.examples {
            for half in [&mut example.request, &mut example.response]
                .into_iter()
                .flatten()
            {
                if let Some(body) = &mut half.message.body {
                    body.forget_json();
                }
            }
        }
    }

    /// The page's line starts.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.lines().line_of(offset) + 1
    }

    pub fn position(&self, offset: usize) -> crate::line_index::Position {
        self.lines().position(&self.text, offset)
    }
}

/// UTF-8 text, or why not: a NUL byte in the first 8 KiB means binary; an
/// invalid sequence is reported at its offset and replaced.
fn decode(mut bytes: Vec<u8>) -> (String, Option<(Range<usize>, String)>) {
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = memchr::memchr(0, head) {
        return (
            String::new(),
            Some((
                0..0,
                format!("binary content (a NUL byte at offset {at}), not a text page"),
            )),
        );
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Moved, not copied: the corpus is 27 MB. simdutf8 validates it several
    // times faster than the standard library on the CJK text of translated
    // pages; only on a failure does the standard library look for where.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `bytes` was validated as UTF-8 just above.
        return (unsafe { String::from_utf8_unchecked(bytes) }, None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let why = format!("the page is not valid UTF-8 (invalid byte 0x{:02X}); the rest was read with replacement characters", bytes[at]);
            (text, Some((at..at + 1, why)))
        }
    }
}

/// Where the text after the YAML front matter starts (0 when there is none).
pub(crate) fn front_matter_end(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("---") else {
        return 0;
    };
    let Some(first) = memchr::memchr(b'\n', rest.as_bytes()) else {
        return 0;
    };
    if !rest[..first].trim().is_empty() {
        return 0;
    }
    let bytes = text.as_bytes();
    let mut at = 3 + first + 1;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let trimmed = text[at..end].trim_end();
        if trimmed == "---" || trimmed == "..." {
            return end;
        }
        at = end;
    }
    0
}

/// A flat `key: value` line of the YAML front matter.
pub fn front_matter_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    // The same block the Markdown reader skips: one definition of its end.
    let block = &text[..front_matter_end(text)];
    block.lines().skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').trim_matches('\''))
    })
}

/// Every `TODO` that stands as a word.
fn find_todos(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"TODO")
        .filter(|&i| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 4).copied();
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
        .map(|i| i..i + 4)
        .collect()
}
