//! The type model of a docs set, built once from its resource and enum
//! pages (the page model's [`TypeDoc`]): each structured type with its base
//! type, openness, key and properties (from the properties and
//! relationships tables, and from the JSON representation where a table
//! lacks a row), and each enum with its members.
//!
//! Translated resource pages share the source locale's model: a translated
//! table is not a second definition. Only when the docs set holds no page of
//! the source locale at all (a translation checked on its own) do the
//! translated pages define the types.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use foldhash::{HashMap, HashSet};
use rayon::prelude::*;

use super::primitive::Prim;
use crate::json::{self, Value};
// Read by the page reader too, which captures what the type stage reads
// of a type page's tables (the page layer stands before this one).
use crate::page::resource::{self, plain, TypeDoc};
pub use crate::page::resource::{has_link, says_read_only, TableKind};
use crate::page::Page;

/// A type as a table cell or a JSON representation names it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TypeRef {
    Prim(Prim),
    /// A structured type or an enum, by the name the cell shows and the
    /// page it links to (`emailaddress` for `[emailAddress](emailaddress.md)`).
    Named {
        name: String,
        file: Option<String>,
    },
    /// Not readable as one type (`[a](a.md), [b](b.md)`, prose).
    Unknown,
}

/// What a property's type resolves to in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Resolved {
    Prim(Prim),
    Type(usize),
    Enum(usize),
    Unknown,
}

// Serialised in the type cache (`cache.rs`) without the page, which is the
// path a run finds the page at, filled in when the cache is read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Property {
    pub name: String,
    pub type_ref: TypeRef,
    pub resolved: Resolved,
    pub collection: bool,
    /// The table's type cell as written, for messages.
    pub type_text: String,
    pub read_only: bool,
    /// From the relationships table.
    pub navigation: bool,
    /// Listed by a properties or relationships table (not only the JSON representation).
    pub in_table: bool,
    /// The table row (or the JSON member) on `page`.
    pub span: Range<usize>,
    /// The page that documents it: the type's page, or for a type that two
    /// pages define, either of them.
    #[serde(skip)]
    pub page: Arc<str>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypeDef {
    /// `microsoft.graph.user`.
    pub name: String,
    pub base: Option<String>,
    /// Resource pages the prose names as the base ("Inherits from [x](x.md)").
    pub base_files: Vec<String>,
    pub base_index: Option<usize>,
    pub open: bool,
    pub properties: Vec<Property>,
    /// The resource page that defines it, and the annotation's span there.
    #[serde(skip)]
    pub page: Arc<str>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EnumDef {
    pub name: String,
    pub members: Vec<String>,
    #[serde(skip)]
    pub page: Arc<str>,
}

#[derive(Debug, Default)]
pub struct Model {
    pub types: Vec<TypeDef>,
    pub enums: Vec<EnumDef>,
    /// Lower-case full name → type.
    /// (foldhash throughout: every body member and type name is looked
    /// up, faster than with SipHash; seeded, so that no page can choose
    /// names that collide.)
    by_name: HashMap<String, usize>,
    /// Lower-case simple name → types.
    by_simple: HashMap<String, Vec<usize>>,
    /// Lower-case file stem of the defining page → type.
    by_file: HashMap<String, usize>,
    /// Lower-case enum name → enum.
    enum_by_name: HashMap<String, usize>,
    enum_by_file: HashMap<String, usize>,
    /// Lower-case namespaces of the types (`microsoft.graph.callrecords`).
    namespaces: HashSet<String>,
    /// Per type: property name → index in its `properties`.
    index: Vec<HashMap<Box<str>, usize>>,
    /// Per type: open, itself or through a base (see [`Model::is_open`]).
    open: Vec<bool>,
    /// The JSON representations the build parsed, for the drift check of
    /// the same pages ([`Model::take_representation`]).
    representations: Representations,
}

/// Parsed JSON representations by where their text is (its address and
/// length in a page of the run that built the model). The build reads the
/// source locale's representations and the drift check reads them again:
/// parsed once, ~6 M instructions a corpus run. Emptied by the type checks
/// ([`Model::forget_representations`]), so that a kept model (`--watch`)
/// never meets the address of a text that is gone.
#[derive(Default)]
struct Representations(Mutex<HashMap<(usize, usize), json::Parsed>>);

impl std::fmt::Debug for Representations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Representations")
    }
}

/// Where `text` is: the key of [`Representations`].
fn place(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

/// One page's definitions before they are merged (what the type cache
/// keeps of a page).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PageDefs {
    types: Vec<TypeDef>,
    enums: Vec<EnumDef>,
    file: String,
}

impl PageDefs {
    /// What `page` defines: `None` unless it documents types.
    pub fn of(page: &Page) -> Option<PageDefs> {
        defs_of(page).map(|(defs, _)| defs)
    }

    /// The definitions as found on the page at `path` (the cache keeps
    /// them without it).
    pub fn placed(mut self, path: &Arc<str>) -> PageDefs {
        for t in &mut self.types {
            t.page = Arc::clone(path);
            for p in &mut t.properties {
                p.page = Arc::clone(path);
            }
        }
        for e in &mut self.enums {
            e.page = Arc::clone(path);
        }
        self
    }
}

/// Which locale's pages define the types, given the locale of every page
/// that documents any (see the module docs): `None` stands for the source
/// locale's (and unknown) pages, `Some(tag)` for the translated locale that
/// stands in when no page of the source locale is there.
fn stand_in<'a>(
    locales: impl Iterator<Item = Option<&'a str>> + Clone,
    source: &str,
) -> Option<String> {
    let has_source = locales
        .clone()
        .any(|l| l.is_none_or(|l| l.eq_ignore_ascii_case(source)));
    if has_source {
        None
    } else {
        locales.flatten().min().map(str::to_owned)
    }
}

/// Does a page of `locale` define types, given the stand-in locale?
fn defines(fallback: Option<&str>, locale: Option<&str>, source: &str) -> bool {
    match (fallback, locale) {
        (None, None) => true,
        (None, Some(l)) => l.eq_ignore_ascii_case(source),
        (Some(f), l) => l == Some(f),
    }
}

impl Model {
    /// The model of the pages, with `en-us` as the source locale.
    pub fn build(pages: &[Page]) -> Model {
        Model::build_for(pages, "en-us")
    }

    /// The model of the pages whose locale is `source` (or unknown); see the module docs.
    pub fn build_for(pages: &[Page], source: &str) -> Model {
        let has_source = pages.iter().any(|p| {
            p.locale
                .as_deref()
                .is_none_or(|l| l.eq_ignore_ascii_case(source))
        });
        // Without any source page, the first translated locale stands in.
        let fallback = if has_source {
            None
        } else {
            stand_in(
                pages
                    .iter()
                    .filter(|p| p.types.is_some())
                    .map(|p| p.locale.as_deref()),
                source,
            )
        };
        let (defs, parsed): (Vec<PageDefs>, Vec<Vec<Parsed>>) = pages
            .par_iter()
            .filter(|p| {
                p.types.is_some() && defines(fallback.as_deref(), p.locale.as_deref(), source)
            })
            .filter_map(defs_of)
            .unzip();
        let model = Model::merged(defs);
        if let Ok(mut kept) = model.representations.0.lock() {
            kept.extend(parsed.into_iter().flatten());
        }
        model
    }

    /// The tree of a JSON representation the build parsed, given its text
    /// on the page (the same page: found by where the text is).
    pub(super) fn take_representation(&self, text: &str) -> Option<json::Parsed> {
        self.representations.0.lock().ok()?.remove(&place(text))
    }

    /// Drops the representations the drift check did not take.
    pub(super) fn forget_representations(&self) {
        if let Ok(mut kept) = self.representations.0.lock() {
            *kept = HashMap::default();
        }
    }

    /// The model of pages that each document types, given each one's
    /// locale and definitions, in page order: as [`Model::build_for`] builds
    /// it from those pages (the type cache's pages, read or not).
    pub fn from_defs(pages: Vec<(Option<String>, Option<PageDefs>)>, source: &str) -> Model {
        let fallback = stand_in(pages.iter().map(|(l, _)| l.as_deref()), source);
        let defs = pages
            .into_iter()
            .filter(|(l, _)| defines(fallback.as_deref(), l.as_deref(), source))
            .filter_map(|(_, d)| d)
            .collect();
        Model::merged(defs)
    }

    /// The model of the pages' definitions, in page order: a type two pages
    /// define joins their properties, and names resolve once all are known.
    fn merged(defs: Vec<PageDefs>) -> Model {
        let mut model = Model::default();
        for page in defs {
            let single_enum = page.enums.len() == 1 && page.types.is_empty();
            // The page's first type, new or joined: the page stands for it.
            let mut first_type = None;
            for t in page.types {
                let key = t.name.to_ascii_lowercase();
                let i = match model.by_name.get(&key) {
                    // Two pages defining one type: their properties join.
                    Some(&i) => {
                        let named_after = simple_name(&t.name).eq_ignore_ascii_case(&page.file);
                        let known = &mut model.types[i];
                        // The page named after the type (`user.md`) is the one
                        // messages point to, whichever page came first.
                        if named_after {
                            known.page = Arc::clone(&t.page);
                            known.span = t.span.clone();
                        }
                        for p in t.properties {
                            if !known.properties.iter().any(|q| q.name == p.name) {
                                known.properties.push(p);
                            }
                        }
                        i
                    }
                    None => {
                        model.by_name.insert(key, model.types.len());
                        model.types.push(t);
                        model.types.len() - 1
                    }
                };
                first_type.get_or_insert(i);
            }
            if let Some(first_type) = first_type {
                model.by_file.entry(page.file.clone()).or_insert(first_type);
            }
            for e in page.enums {
                let key = e.name.to_ascii_lowercase();
                match model.enum_by_name.get(&key) {
                    // One name in two namespaces: either's members are accepted.
                    Some(&i) => {
                        for m in e.members {
                            if !model.enums[i].members.contains(&m) {
                                model.enums[i].members.push(m);
                            }
                        }
                    }
                    None => {
                        model.enum_by_name.insert(key, model.enums.len());
                        // Only a page of one enum stands for it (not `enums.md`).
                        if single_enum {
                            model
                                .enum_by_file
                                .entry(page.file.clone())
                                .or_insert(model.enums.len());
                        }
                        model.enums.push(e);
                    }
                }
            }
        }
        for (i, t) in model.types.iter().enumerate() {
            let simple = simple_name(&t.name).to_ascii_lowercase();
            model.by_simple.entry(simple).or_default().push(i);
            if let Some((ns, _)) = t.name.rsplit_once('.') {
                model.namespaces.insert(ns.to_ascii_lowercase());
            }
        }
        // Resolve bases and property types once, now that every name is known.
        let resolved: Vec<(Option<usize>, Vec<Resolved>)> = model
            .types
            .par_iter()
            .map(|t| {
                let ns = t.name.rsplit_once('.').map_or("", |(n, _)| n);
                let base = t
                    .base
                    .as_deref()
                    .and_then(|b| model.type_named(b))
                    .or_else(|| t.base_files.iter().find_map(|f| model.type_of_file(f)))
                    .filter(|&b| model.types[b].name != t.name);
                let props = t
                    .properties
                    .iter()
                    .map(|p| model.resolve(&p.type_ref, ns))
                    .collect();
                (base, props)
            })
            .collect();
        for (t, (base, props)) in model.types.iter_mut().zip(resolved) {
            t.base_index = base;
            for (p, r) in t.properties.iter_mut().zip(props) {
                p.resolved = r;
            }
        }
        // Every body member is looked up: by hash, not by a scan of the
        // type's (up to a hundred) properties and its bases'.
        model.index = model
            .types
            .par_iter()
            .map(|t| {
                t.properties
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.name.as_str().into(), i))
                    .collect()
            })
            .collect();
        model.open = (0..model.types.len())
            .map(|t| {
                model.chain(t).any(|i| model.types[i].open)
                    || model
                        .chain(t)
                        .all(|i| model.types[i].properties.iter().all(|p| !p.in_table))
            })
            .collect();
        model
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The type an `@odata.type` value names (`#microsoft.graph.user`).
    pub fn type_named(&self, name: &str) -> Option<usize> {
        let name = name.trim().trim_start_matches('#');
        with_ascii_lowercase(name, |lower| self.by_name.get(lower).copied())
    }

    /// Does the model define types in the namespace of `name`?
    pub fn knows_namespace(&self, name: &str) -> bool {
        let name = name.trim().trim_start_matches('#');
        name.rsplit_once('.').is_some_and(|(ns, _)| {
            with_ascii_lowercase(ns, |lower| self.namespaces.contains(lower))
        })
    }

    /// The type whose page is `file` (a resource page's file name, lower case, no extension).
    pub fn type_of_file(&self, file: &str) -> Option<usize> {
        with_ascii_lowercase(file, |lower| self.by_file.get(lower).copied())
    }

    /// The closest type name, for "did you mean".
    pub fn suggest_type(&self, name: &str) -> Option<&str> {
        let name = name.trim().trim_start_matches('#');
        let lower = name.to_ascii_lowercase();
        let simple = simple_name(&lower);
        // Same simple name in another namespace first, then a near spelling.
        if let Some(&i) = self.by_simple.get(simple).and_then(|v| v.first()) {
            return Some(&self.types[i].name);
        }
        // Simple names compared: `speciaWidget` is one letter from `specialWidget`.
        let max = (simple.len() / 3).max(1);
        self.by_simple
            .iter()
            // A misspelling keeps its first or its last letter: the rest
            // are not worth an edit distance.
            .filter(|(s, _)| {
                s.as_bytes().first() == simple.as_bytes().first()
                    || s.as_bytes().last() == simple.as_bytes().last()
            })
            .filter_map(|(s, ts)| near(simple, s, max).map(|d| (d, &self.types[ts[0]].name)))
            .min()
            .map(|(_, n)| n.as_str())
    }

    /// Is `ancestor` the type `t` or one of its base types?
    pub fn derives_from(&self, t: usize, ancestor: usize) -> bool {
        self.chain(t).any(|i| i == ancestor)
    }

    /// The type and its base types, nearest first (cycles cut).
    pub fn chain(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = Some(t);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let here = next?;
            steps += 1;
            next = self.types[here].base_index.filter(|_| steps < 32);
            Some(here)
        })
    }

    /// The property `name` of type `t` or of a base type, with the type defining it.
    /// A table's row wins over a JSON representation's member anywhere in
    /// the chain: the representation repeats inherited properties (`id`)
    /// without what the base type's table says of them (read-only).
    pub fn property(&self, t: usize, name: &str) -> Option<(usize, &Property)> {
        // One walk up the chain: the first table row, else the first member.
        let mut member = None;
        for i in self.chain(t) {
            let Some(&at) = self.index.get(i).and_then(|index| index.get(name)) else {
                continue;
            };
            let p = &self.types[i].properties[at];
            if p.in_table {
                return Some((i, p));
            }
            member.get_or_insert((i, p));
        }
        member
    }

    /// Is the type, or a base type, open (`openType: true`)? A type whose
    /// pages list no property in a table counts as open: a JSON
    /// representation alone is a sample (`feedbackTokenSet`'s "Echo"), not
    /// a definition to hold an instance's properties to.
    pub fn is_open(&self, t: usize) -> bool {
        self.open.get(t).copied().unwrap_or(true)
    }

    /// Every property name of `t` and its bases, for "did you mean".
    pub fn property_names(&self, t: usize) -> impl Iterator<Item = &str> {
        self.chain(t)
            .flat_map(|i| self.types[i].properties.iter().map(|p| p.name.as_str()))
    }

    /// The type a cell names, preferring the names of the namespace given.
    pub fn resolve(&self, r: &TypeRef, namespace: &str) -> Resolved {
        match r {
            TypeRef::Prim(p) => Resolved::Prim(*p),
            TypeRef::Unknown => Resolved::Unknown,
            TypeRef::Named { name, file } => {
                let by_name = self.resolve_name(name, namespace);
                if let Some(file) = file {
                    if let Some(&i) = self.by_file.get(file) {
                        // A link to the wrong page (`[invitationParticipantInfo](participantinfo.md)`):
                        // the words win when they name a type of their own.
                        let agrees = simple_name(&self.types[i].name)
                            .eq_ignore_ascii_case(simple_name(name));
                        return match by_name {
                            Resolved::Type(_) | Resolved::Enum(_) if !agrees => by_name,
                            _ => Resolved::Type(i),
                        };
                    }
                    if let Some(&i) = self.enum_by_file.get(file) {
                        return Resolved::Enum(i);
                    }
                }
                by_name
            }
        }
    }

    fn resolve_name(&self, name: &str, namespace: &str) -> Resolved {
        with_ascii_lowercase(name, |lower| {
            if let Some(&i) = self.by_name.get(lower) {
                return Resolved::Type(i);
            }
            let simple = simple_name(lower);
            if let Some(candidates) = self.by_simple.get(simple) {
                let same_ns = candidates.iter().find(|&&i| {
                    self.types[i]
                        .name
                        .rsplit_once('.')
                        .is_some_and(|(ns, _)| ns.eq_ignore_ascii_case(namespace))
                });
                if let Some(&i) = same_ns.or(candidates.first()) {
                    return Resolved::Type(i);
                }
            }
            if let Some(&i) = self.enum_by_name.get(simple) {
                return Resolved::Enum(i);
            }
            Resolved::Unknown
        })
    }

    /// `Int32`, `emailAddress collection`: a resolved type for messages.
    pub fn describe(&self, p: &Property) -> String {
        let base = match p.resolved {
            Resolved::Prim(x) => x.name().to_owned(),
            Resolved::Type(i) => self.types[i].name.clone(),
            Resolved::Enum(i) => self.enums[i].name.clone(),
            Resolved::Unknown => p.type_text.clone(),
        };
        if p.collection {
            format!("{base} collection")
        } else {
            base
        }
    }
}

/// Where the tables of a page's `index`-th resource block stand: after the
/// previous block's annotation, before its own (the whole page before it
/// for the first).
pub fn tables_window(page: &Page, doc: &TypeDoc, index: usize) -> Range<usize> {
    let annotation_of = |i: usize| {
        doc.resources
            .get(i)
            .and_then(|b| page.annotations.get(b.annotation))
    };
    let after_previous = index
        .checked_sub(1)
        .and_then(annotation_of)
        .map_or(0, |a| a.span.end);
    let before = annotation_of(index).map_or(after_previous, |a| a.span.start);
    after_previous..before
}

/// `microsoft.graph.user` → `user`.
pub fn simple_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The lower-case file stem of a page path or link (`../resources/User.md#x` → `user`).
pub fn file_stem(path: &str) -> String {
    // By bytes (the cut points are ASCII): a char searcher per call cost
    // more than the rest, and every link of every type cell comes here.
    let bytes = path.as_bytes();
    let path = &path[..memchr::memchr2(b'#', b'?', bytes).unwrap_or(bytes.len())];
    let name = &path[memchr::memrchr2(b'/', b'\\', path.as_bytes()).map_or(0, |at| at + 1)..];
    name.strip_suffix(".md")
        .unwrap_or(name)
        .to_ascii_lowercase()
}

/// `f` of `s` lower-cased in ASCII, without a copy when `s` has no
/// capital and on the stack when it is short: the model's names are looked
/// up for every body member and type cell, and a `String` per lookup
/// was most of a lookup's cost.
pub fn with_ascii_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    if !s.bytes().any(|b| b.is_ascii_uppercase()) {
        return f(s);
    }
    let mut buf = [0u8; 96];
    match buf.get_mut(..s.len()) {
        Some(lower) => {
            lower.copy_from_slice(s.as_bytes());
            lower.make_ascii_lowercase();
            // ASCII case changes keep UTF-8 valid: this never fails.
            match std::str::from_utf8(lower) {
                Ok(lower) => f(lower),
                Err(_) => f(&s.to_ascii_lowercase()),
            }
        }
        None => f(&s.to_ascii_lowercase()),
    }
}

/// The edit distance of `a` and `b` ignoring ASCII case, when it is at most
/// `max` (else `None`). Bounded and allocation-free: it runs for every
/// "did you mean", over every property of a type.
pub fn near(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max || b.len() > 127 {
        return None;
    }
    let mut row = [0usize; 128];
    for (j, cell) in row.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca.eq_ignore_ascii_case(cb) {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            best = best.min(row[j + 1]);
            prev = cur;
        }
        if best > max {
            return None;
        }
    }
    (row[b.len()] <= max).then_some(row[b.len()])
}

/// A second cell of prose ("Range with specific number of occurrences"):
/// the table lists something else than properties (a values table).
pub fn is_prose(type_text: &str) -> bool {
    type_text.split_whitespace().nth(3).is_some()
}

/// [`is_prose`] of the cell's [`plain`] text, read only when the cell as
/// written may be prose: dropping markup only takes characters away, so it
/// never makes more words than the cell has (most cells: one or two).
pub fn is_prose_cell(text: &str, cell: &Range<usize>) -> bool {
    // Words are at most one more than the whitespace characters: an ASCII
    // cell with two spaces at most is no prose, whatever its markup.
    let raw = text[cell.clone()].as_bytes();
    let few_words =
        raw.is_ascii() && raw.iter().filter(|&&b| crate::bytes::is_space(b)).count() <= 2;
    !few_words && is_prose(&resource::plain_cow(text, cell))
}

/// A type cell read: [`parse_type_cell`] of its text, and whether the
/// cell is prose ([`is_prose_cell`]) rather than a type.
pub struct TypeCell {
    pub type_ref: TypeRef,
    pub collection: bool,
    pub prose: bool,
}

/// `f` of the cell `cell` read ([`TypeCell`]), each cell's text read once
/// per thread: type cells repeat across a docs set (`String`, `Boolean`,
/// `[identitySet](identityset.md)`), each translation repeats its source's,
/// and the model and the drift check both read the source pages' cells;
/// reading one (links, markup, words, the primitive names, a file stem)
/// cost ~3,000 instructions, a look-up ~100. The answer is a function of
/// the text alone: whether it is prose too, which both readers ask before
/// the type (it was a second reading of the cell's markup and words).
/// `f` must not read a type cell itself.
pub fn with_type_cell<R>(cell: &str, f: impl FnOnce(&TypeCell) -> R) -> R {
    /// More distinct cells than a docs set holds (the corpus: ~3,000 in
    /// all); past it the thread starts again rather than grow (`--watch`).
    const KEPT: usize = 16_384;
    type Read = HashMap<Box<str>, TypeCell>;
    thread_local! {
        static READ: std::cell::RefCell<Read> = std::cell::RefCell::new(Read::default());
    }
    READ.with(|read| {
        let mut read = read.borrow_mut();
        if let Some(known) = read.get(cell) {
            return f(known);
        }
        if read.len() >= KEPT {
            read.clear();
        }
        let (type_ref, collection) = parse_type_cell(cell);
        let known = TypeCell {
            type_ref,
            collection,
            prose: is_prose_cell(cell, &(0..cell.len())),
        };
        let answer = f(&known);
        read.insert(cell.into(), known);
        answer
    })
}

/// Reads a type cell: `[emailAddress](emailaddress.md) collection`,
/// `String collection`, `Collection(microsoft.graph.x)`, `Int32`.
pub fn parse_type_cell(cell: &str) -> (TypeRef, bool) {
    let raw = cell.trim();
    let links = links(raw);
    let plain = crate::page::resource::plain_cow(raw, &(0..raw.len()));
    // A word of its own: `siteCollection` is no collection.
    let collection = plain
        .split(|c: char| c.is_whitespace() || c == '(')
        .any(|w| w.eq_ignore_ascii_case("collection"));
    let mut name: &str = &plain;
    for cut in [
        "Collection(",
        "collection(",
        "collection of ",
        "Collection of ",
    ] {
        if let Some(rest) = name.strip_prefix(cut) {
            name = rest.trim_end_matches(')');
        }
    }
    for cut in [" collection", " Collection", " object", " resource"] {
        if let Some(rest) = name.strip_suffix(cut) {
            name = rest;
        }
    }
    let name = name.trim().trim_end_matches(['.', ',']).trim();
    if links.len() > 1 {
        return (TypeRef::Unknown, collection);
    }
    if let Some(p) = Prim::parse(name) {
        return (TypeRef::Prim(p), collection);
    }
    // A link into a page (`enums.md#bodytype-values`, `chat.md#chattype`)
    // names a section, not the page's type: the link's words name the type.
    let file = links
        .first()
        .filter(|l| !l.is_empty() && !l.contains('#'))
        .map(|l| file_stem(l));
    if name.is_empty() || !name.split('.').all(resource::is_identifier) {
        return (TypeRef::Unknown, collection);
    }
    (
        TypeRef::Named {
            name: name.to_owned(),
            file,
        },
        collection,
    )
}

/// The targets of the Markdown links in a cell (`[a](t)` gives `t`;
/// reference links `[a][]` give no target).
fn links(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = cell.as_bytes();
    for at in memchr::memchr_iter(b']', bytes) {
        match bytes.get(at + 1) {
            Some(b'(') => {
                let after = &cell[at + 2..];
                let end = after.find(')').unwrap_or(after.len());
                out.push(after[..end].trim());
            }
            Some(b'[') => out.push(""),
            _ => {}
        }
    }
    out
}

/// [`says_read_only`] as first written, on a lower-cased copy: the
/// definition the byte-wise one is tested against.
#[cfg(test)]
fn says_read_only_by_copy(description: &str) -> bool {
    let lower = description.to_lowercase();
    for word in ["read-only", "read only", "readonly"] {
        for (at, _) in lower.match_indices(word) {
            let before = lower[..at].trim_end();
            let after = lower[at + word.len()..].trim_start();
            let starts = before.is_empty()
                || before.ends_with(['.', '>', '*', '|', ';'])
                || before.ends_with("<br>")
                || before.ends_with("<br/>");
            let ends = after.is_empty() || after.starts_with(['.', ',', ';', '<', '*']);
            if starts && ends {
                return true;
            }
        }
    }
    false
}

/// A JSON representation's tree, and where its text is.
type Parsed = ((usize, usize), json::Parsed);

/// [`page_defs`] of a page that documents types, read again first when it
/// was read without what the model reads ([`TypeDoc::for_model`]: a page of
/// a translated locale, which stands in for the source locale's when the
/// docs set has none).
fn defs_of(page: &Page) -> Option<(PageDefs, Vec<Parsed>)> {
    if page.types.as_deref()?.for_model() {
        return page_defs(page);
    }
    let again = page.read_types_again()?;
    // Without the trees: they are found by where their text is, and this
    // text is dropped here (another page's text could come to stand there).
    page_defs(&again).map(|(defs, _)| (defs, Vec::new()))
}

/// The definitions of one resource or enum page, and the JSON
/// representations it parsed for them.
fn page_defs(page: &Page) -> Option<(PageDefs, Vec<Parsed>)> {
    let doc = page.types.as_deref()?;
    let mut enums = Vec::new();
    for table in &doc.tables {
        let Some(name) = doc.enum_of(table) else {
            continue;
        };
        let members: Vec<String> = table.members().map(str::to_owned).collect();
        if !members.is_empty() {
            enums.push(EnumDef {
                name: name.to_owned(),
                members,
                page: Arc::clone(&page.path),
            });
        }
    }
    let mut types = Vec::new();
    let mut trees = Vec::new();
    for (index, block) in doc.resources.iter().enumerate() {
        let Some(annotation) = page.annotations.get(block.annotation) else {
            continue;
        };
        let Some(root) = annotation.json.root.as_ref() else {
            continue;
        };
        let Some(name) = root
            .value
            .get("@odata.type")
            .or_else(|| root.value.get("@type"))
            .and_then(|n| n.value.as_str())
        else {
            continue;
        };
        let name = name.trim().trim_start_matches('#').to_owned();
        if name.is_empty() {
            continue;
        }
        let base = root
            .value
            .get("baseType")
            .and_then(|n| n.value.as_str())
            .map(|b| b.trim().trim_start_matches('#').to_owned())
            .filter(|b| !b.is_empty());
        let open = matches!(
            root.value.get("openType").map(|n| &n.value),
            Some(Value::Bool(true))
        );
        // With several types on a page, each takes the tables before its annotation.
        let window = tables_window(page, doc, index);
        let mut properties = Vec::new();
        let parsed = block.body.as_ref().map(|body| json::parse(&body.text));
        // The names already read, by hash (rows against rows is quadratic),
        // borrowed from the page and the representation.
        let mut names: HashSet<Cow<str>> = HashSet::default();
        for table in &doc.tables {
            let start = table.first_row_start().unwrap_or(0);
            if doc.resources.len() > 1 && !window.contains(&start) {
                continue;
            }
            let kind = table.kind();
            if !matches!(kind, TableKind::Properties | TableKind::Relationships) {
                continue;
            }
            for read in table.rows() {
                let row = read.row;
                if !row.identifier || !names.insert(Cow::Borrowed(read.name)) {
                    continue;
                }
                let Some((type_ref, collection)) = with_type_cell(read.type_cell, |c| {
                    (!c.prose).then(|| (c.type_ref.clone(), c.collection))
                }) else {
                    continue;
                };
                properties.push(Property {
                    name: read.name.to_owned(),
                    type_ref,
                    resolved: Resolved::Unknown,
                    collection,
                    type_text: plain(read.type_cell, &(0..read.type_cell.len())),
                    read_only: row.read_only,
                    navigation: kind == TableKind::Relationships,
                    in_table: true,
                    span: row.span.clone(),
                    page: Arc::clone(&page.path),
                });
            }
        }
        // The JSON representation documents the type too: a property it
        // shows and no table lists is the page's drift, not the example's.
        if let (Some(body), Some(parsed)) = (&block.body, &parsed) {
            if let Some(root) = parsed.root.as_ref() {
                for m in root.value.members() {
                    if m.key.starts_with('@')
                        || m.key.contains('@')
                        || !resource::is_identifier(&m.key)
                    {
                        continue;
                    }
                    if !names.insert(Cow::Borrowed(&m.key)) {
                        continue;
                    }
                    let (type_ref, collection) = infer(&m.value);
                    properties.push(Property {
                        name: m.key.to_string(),
                        type_ref,
                        resolved: Resolved::Unknown,
                        collection,
                        type_text: String::new(),
                        read_only: false,
                        navigation: false,
                        in_table: false,
                        span: body.span_to_page(&m.key_span),
                        page: Arc::clone(&page.path),
                    });
                }
            }
        }
        // `keyProperty` names a property even when neither the table nor
        // the JSON representation shows it (`"keyProperty": "id"`).
        if let Some(key) = root.value.get("keyProperty").and_then(|n| n.value.as_str()) {
            if resource::is_identifier(key) && names.insert(Cow::Borrowed(key)) {
                properties.push(Property {
                    name: key.to_owned(),
                    type_ref: TypeRef::Unknown,
                    resolved: Resolved::Unknown,
                    collection: false,
                    type_text: String::new(),
                    read_only: false,
                    navigation: false,
                    in_table: false,
                    span: annotation.span.clone(),
                    page: Arc::clone(&page.path),
                });
            }
        }
        types.push(TypeDef {
            name,
            base,
            base_files: doc.bases().to_vec(),
            base_index: None,
            open,
            properties,
            page: Arc::clone(&page.path),
            span: annotation.span.clone(),
        });
        if let (Some(body), Some(parsed)) = (&block.body, parsed) {
            trees.push((place(&body.text), parsed));
        }
    }
    let defs = PageDefs {
        types,
        enums,
        file: file_stem(&page.path),
    };
    Some((defs, trees))
}

/// The type a JSON representation's value stands for: `"String"`, `true`,
/// `{"@odata.type": "microsoft.graph.x"}`, `["string"]`.
pub fn infer(node: &json::Node) -> (TypeRef, bool) {
    match &node.value {
        Value::Array(items) => {
            let (t, _) = items.first().map_or((TypeRef::Unknown, false), infer);
            (t, true)
        }
        Value::Object(_) => match node.value.get("@odata.type").and_then(|n| n.value.as_str()) {
            Some(t) => (
                TypeRef::Named {
                    name: t.trim().trim_start_matches('#').to_owned(),
                    file: None,
                },
                false,
            ),
            None => (TypeRef::Unknown, false),
        },
        Value::String(s) => (TypeRef::Prim(Prim::parse(s).unwrap_or(Prim::String)), false),
        Value::Bool(_) => (TypeRef::Prim(Prim::Boolean), false),
        Value::Number(raw, _) if raw.contains(['.', 'e', 'E']) => {
            (TypeRef::Prim(Prim::Double), false)
        }
        Value::Number(..) => (TypeRef::Prim(Prim::Int(32)), false),
        _ => (TypeRef::Unknown, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_cells() {
        assert_eq!(
            parse_type_cell("String"),
            (TypeRef::Prim(Prim::String), false)
        );
        assert_eq!(
            parse_type_cell("String collection"),
            (TypeRef::Prim(Prim::String), true)
        );
        assert_eq!(
            parse_type_cell("[emailAddress](emailaddress.md) collection"),
            (
                TypeRef::Named {
                    name: "emailAddress".into(),
                    file: Some("emailaddress".into())
                },
                true
            )
        );
        assert_eq!(
            parse_type_cell("Collection(microsoft.graph.recipient)"),
            (
                TypeRef::Named {
                    name: "microsoft.graph.recipient".into(),
                    file: None
                },
                true
            )
        );
        assert_eq!(parse_type_cell("[a](a.md), [b](b.md)").0, TypeRef::Unknown);
        assert!(!parse_type_cell("identityType").1);
    }

    #[test]
    fn read_only_words() {
        assert!(says_read_only("The id. Read-only."));
        assert!(says_read_only("Read-only. Nullable."));
        assert!(says_read_only("When created. Read-only, not nullable."));
        assert!(!says_read_only(
            "The phone. Read-only for users synced from on-premises directory."
        ));
        assert!(!says_read_only("Not read-only in beta"));
    }

    /// The byte-wise reading agrees with the lower-cased copy's on every
    /// shape around the words, in any case, after and before non-ASCII
    /// text (`İ` and the Kelvin sign lower-case into ASCII).
    #[test]
    fn read_only_by_bytes_is_read_only_by_copy() {
        let befores = [
            "",
            "The id.",
            "The id. ",
            "x <BR>",
            "x <br/> ",
            "x<Br>",
            "a|",
            "a;\u{3000}",
            "*",
            "İ",
            "İ.",
            "K",
            "ünï ",
            "x >",
            "word ",
            "READ",
            "x,",
        ];
        let words = [
            "Read-only",
            "READ ONLY",
            "readOnly",
            "read-Only",
            "read",
            "reado nly",
        ];
        let afters = [
            "",
            ".",
            ", nullable",
            " ;",
            "<br>",
            "*",
            "\u{a0}.",
            " for users",
            "İ",
            "K.",
            "ly.",
        ];
        let mut n = 0;
        for b in befores {
            for w in words {
                for a in afters {
                    for t in [
                        format!("{b}{w}{a}"),
                        format!("{b} {w} {a}"),
                        format!("{b}{w}{a} {b}{w}"),
                    ] {
                        assert_eq!(says_read_only(&t), says_read_only_by_copy(&t), "{t:?}");
                        n += usize::from(says_read_only(&t));
                    }
                }
            }
        }
        // The cases hold both answers.
        assert!(n > 100, "{n}");
    }
}
