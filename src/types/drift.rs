//! `resource-representation-drift`: a resource page's properties and
//! relationships tables and its JSON representation disagree: a property in
//! one and not the other, or a different type (a collection against one
//! value, a string against a Boolean, one complex type against another).
//! Runs on every locale's resource pages: each page is compared with itself.

use std::collections::hash_map::Entry;
use std::ops::Range;

use foldhash::HashMap;

use super::check::Shared;
use super::model::{
    is_prose_cell, simple_name, with_type_cell, Model, Resolved, TableKind, TypeRef,
};
use super::primitive::Prim;
use crate::json::{Node, Value};
use crate::page::resource::is_identifier;
use crate::rule::declare_rule;

declare_rule! {
    pub(crate) RESOURCE_REPRESENTATION_DRIFT = "resource-representation-drift", Warning, Check,
    "a resource page's properties table and its JSON representation disagree";
}
use crate::rules::Ctx;

struct Row<'p> {
    name: &'p str,
    /// The type cell as written, read only when a JSON member is compared with it.
    type_cell: &'p str,
    name_span: Range<usize>,
    /// The row's 1-based line.
    line: usize,
    relationship: bool,
}

/// What comparing one JSON representation's members with type cells
/// found, kept for the group's next pages ([`Shared`]): a translation
/// shows its source's representation byte for byte (every one in the
/// corpus) and most often its type cells, and a member compared with the
/// same cell finds the same. The rest (which rows, their names and places)
/// is the page's own and is read on each page.
pub(super) struct Compared<'p> {
    body: &'p str,
    own_type: &'p str,
    /// The model's type of that name.
    type_index: Option<usize>,
    /// For each member of the representation: whether its key is a
    /// property name (an identifier: no `@odata` annotation), and the type
    /// cell it was last compared with and what that found.
    members: Vec<(bool, Option<(&'p str, Outcome)>)>,
    pub(super) used: bool,
}

/// A member's value against its row's type cell.
enum Outcome {
    /// The cell is prose, not a type: nothing to compare.
    Prose,
    Agrees,
    /// How the value disagrees, and the cell's type described.
    Differs(String, String),
}

pub(super) fn check<'p>(ctx: &mut Ctx<'p>, model: &Model, shared: &mut Shared<'p>) {
    let page = ctx.page;
    let Some(doc) = page.types.as_deref() else {
        return;
    };
    for (index, block) in doc.resources.iter().enumerate() {
        let Some(body) = &block.body else { continue };
        let Some(annotation) = page.annotations.get(block.annotation) else {
            continue;
        };
        let window = super::model::tables_window(page, doc, index);
        let mut rows: Vec<Row> = Vec::new();
        let mut foreign: Vec<String> = Vec::new();
        // The rows by name (a name's first row counts). By hash: rows
        // against members is quadratic on a page of a hundred properties,
        // and every locale's resource pages are compared.
        let mut by_name: HashMap<&str, usize> = HashMap::default();
        let mut tables = 0;
        for table in &doc.tables {
            let kind = table.kind();
            let start = table.first_row_start().unwrap_or(0);
            if !window.contains(&start) {
                continue;
            }
            if !matches!(kind, TableKind::Properties | TableKind::Relationships) {
                continue;
            }
            tables += 1;
            let table_rows = table.rows();
            by_name.reserve(table_rows.len());
            for read in table_rows {
                let row = read.row;
                if !row.described {
                    continue;
                }
                if !row.identifier {
                    // `大小` where `size` belongs: a property name translated
                    // (the rows kept of those whose name is none).
                    foreign.push(read.name.to_owned());
                    continue;
                }
                let Entry::Vacant(slot) = by_name.entry(read.name) else {
                    continue;
                };
                slot.insert(rows.len());
                rows.push(Row {
                    name: read.name,
                    type_cell: read.type_cell,
                    name_span: row.name_span.clone(),
                    line: row.line,
                    relationship: kind == TableKind::Relationships,
                });
            }
        }
        // No table to compare with (a page without one, or one this reader
        // cannot place): nothing to say.
        if tables == 0 || rows.is_empty() {
            continue;
        }
        let own_type = annotation
            .json
            .root
            .as_ref()
            .and_then(|r| r.value.get("@odata.type").or_else(|| r.value.get("@type")))
            .and_then(|n| n.value.as_str())
            .map_or("", |s| s.trim_start_matches('#'));
        // A translation's representation is most often its source's.
        let (parsed, compared) = shared.tree_and_compared(model, &body.text);
        let Some(root) = parsed.root.as_ref() else {
            continue;
        };
        let Value::Object(members) = &root.value else {
            continue;
        };
        let at = match compared
            .iter()
            .position(|c| c.body == body.text && c.own_type == own_type)
        {
            Some(at) => at,
            None => {
                compared.push(Compared {
                    body: &body.text,
                    own_type,
                    type_index: model.type_named(own_type),
                    members: members
                        .iter()
                        .map(|m| (is_identifier(&m.key), None))
                        .collect(),
                    used: false,
                });
                compared.len() - 1
            }
        };
        let memo = &mut compared[at];
        memo.used = true;
        // Each member's row, and whether each row has a member (the row
        // names are identifiers: a member of the same name is one too).
        let mut matched = vec![false; rows.len()];
        let row_of: Vec<Option<usize>> = members
            .iter()
            .map(|m| {
                let row = by_name.get(m.key.as_str()).copied();
                if let Some(i) = row {
                    matched[i] = true;
                }
                row
            })
            .collect();
        let type_index = memo.type_index;
        let namespace = own_type.rsplit_once('.').map_or("", |(n, _)| n);
        let inherited = |name: &str| {
            type_index
                .and_then(|t| model.types[t].base_index)
                .is_some_and(|b| model.property(b, name).is_some())
        };
        for (i, row) in rows.iter().enumerate() {
            // JSON representations show navigation properties only when
            // they choose to (they appear in bodies only when expanded):
            // a relationship left out is the convention, not drift. A type
            // cell of prose (a values table, a mangled translation) still
            // names a row; only its type is unknown.
            if row.relationship
                || matched[i]
                || inherited(row.name)
                || is_prose_cell(row.type_cell, &(0..row.type_cell.len()))
            {
                continue;
            }
            ctx.report(
                &RESOURCE_REPRESENTATION_DRIFT,
                row.name_span.clone(),
                format!(
                    "`{}` is in the {} table but not in the JSON representation (line {})",
                    row.name,
                    if row.relationship {
                        "relationships"
                    } else {
                        "properties"
                    },
                    doc.body_line(index)
                ),
            )
            .help = Some("add the property to the JSON representation, or remove the row".into());
        }
        for ((m, row), (named, known)) in members.iter().zip(&row_of).zip(memo.members.iter_mut()) {
            // (An `@` annotation's key is no identifier.)
            if !*named {
                continue;
            }
            let Some(row) = row.map(|i| &rows[i]) else {
                if inherited(&m.key) {
                    continue;
                }
                ctx.report(&RESOURCE_REPRESENTATION_DRIFT,
                    body.span_to_page(&m.key_span),
                    format!(
                        "`{}` is in the JSON representation but in neither the properties nor the relationships table",
                        m.key
                    ),
                )
                .help = Some(if foreign.is_empty() {
                    "add a row for it to the table, or remove it from the JSON representation".into()
                } else {
                    format!(
                        "the table has rows named {}, which are no property names: was `{}` translated?",
                        foreign.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                        m.key
                    )
                });
                continue;
            };
            if matches!(m.value.value, Value::Null | Value::Invalid(_)) {
                continue;
            }
            let cell = row.type_cell;
            let outcome = match known {
                Some((seen, outcome)) if *seen == cell => &*outcome,
                _ => {
                    let outcome = with_type_cell(cell, |c| {
                        if c.prose {
                            return Outcome::Prose;
                        }
                        match type_differs(model, &c.type_ref, c.collection, &m.value, namespace) {
                            Some(why) => Outcome::Differs(why, describe(&c.type_ref, c.collection)),
                            None => Outcome::Agrees,
                        }
                    });
                    &known.insert((cell, outcome)).1
                }
            };
            if let Outcome::Differs(why, described) = outcome {
                ctx.report(
                    &RESOURCE_REPRESENTATION_DRIFT,
                    body.span_to_page(&m.value.span),
                    format!(
                        "`{}` is {described} in the table (line {}) but the JSON representation shows {why}",
                        m.key,
                        row.line
                    ),
                )
                .help = Some("make the table and the JSON representation agree".into());
            }
        }
    }
}

fn describe(type_ref: &TypeRef, collection: bool) -> String {
    let base = match type_ref {
        TypeRef::Prim(p) => p.name().to_owned(),
        TypeRef::Named { name, .. } => name.clone(),
        TypeRef::Unknown => "of another type".to_owned(),
    };
    if collection {
        format!("{base} collection")
    } else {
        base
    }
}

/// How the JSON representation's value disagrees with the row's type, if
/// it does. `namespace`: the page's own type's, where the row's type names
/// are looked up first.
fn type_differs(
    model: &Model,
    type_ref: &TypeRef,
    collection: bool,
    value: &Node,
    namespace: &str,
) -> Option<String> {
    if matches!(value.value, Value::Null | Value::Invalid(_)) || *type_ref == TypeRef::Unknown {
        return None;
    }
    let is_array = matches!(value.value, Value::Array(_));
    if collection && !is_array {
        return Some(format!("one value ({})", value.value.display()));
    }
    if !collection && is_array {
        return Some("an array".into());
    }
    let item = match &value.value {
        Value::Array(items) => items.first()?,
        _ => value,
    };
    if matches!(item.value, Value::Null | Value::Invalid(_)) {
        return None;
    }
    let row_kind = match type_ref {
        TypeRef::Prim(p) => Kind::Prim(*p),
        TypeRef::Named { name, .. } => match model.resolve(type_ref, namespace) {
            Resolved::Type(t) => Kind::Type(&model.types[t].name),
            Resolved::Enum(_) => Kind::Prim(Prim::String),
            _ => Kind::Type(name),
        },
        TypeRef::Unknown => return None,
    };
    // What the value shows is read as [`infer`] reads it, only as far as
    // the row's kind asks (a string's primitive name, an object's
    // `@odata.type`), without building its `TypeRef`.
    match (row_kind, &item.value) {
        (Kind::Prim(Prim::Any), _) => None,
        (Kind::Prim(p), Value::String(s)) => {
            // "string" stands for any string-like value; a type name for that type.
            let q = Prim::parse(s);
            // The head before the first " (" (`s.split_once(" (")`, by bytes:
            // a substring searcher cost more than the rest here).
            let bytes = s.as_bytes();
            let named = match memchr::memchr_iter(b'(', bytes)
                .find(|&at| at > 0 && bytes[at - 1] == b' ')
            {
                Some(at) => Prim::parse(&s[..at - 1]).is_some(),
                None => q.is_some(),
            };
            let q = q.unwrap_or(Prim::String);
            let expected = p.json_kind();
            let shown = if named { q.json_kind() } else { Some("string") };
            (expected.is_some() && shown.is_some() && expected != shown)
                .then(|| format!("{} ({})", shown.unwrap_or("string"), item.value.display()))
        }
        (Kind::Prim(p), Value::Bool(_) | Value::Number(..)) => {
            let shown = if matches!(item.value, Value::Bool(_)) {
                "boolean"
            } else {
                "number"
            };
            (p.json_kind().is_some_and(|k| k != shown))
                .then(|| format!("a {shown} ({})", item.value.display()))
        }
        (Kind::Prim(p), Value::Object(_)) => {
            Some(format!("an object where {} is expected", p.name()))
        }
        (Kind::Type(t), Value::Object(_)) => {
            let name = item
                .value
                .get("@odata.type")
                .and_then(|n| n.value.as_str())?;
            let name = name.trim().trim_start_matches('#');
            let same = simple_name(name).eq_ignore_ascii_case(simple_name(t))
                || match (model.type_named(name), model.type_named(t)) {
                    (Some(a), Some(b)) => model.derives_from(a, b) || model.derives_from(b, a),
                    _ => false,
                };
            (!same).then(|| format!("`{name}`"))
        }
        (Kind::Type(_), Value::Bool(_) | Value::Number(..)) => Some(format!(
            "{} where an object is expected",
            item.value.display()
        )),
        _ => None,
    }
}

enum Kind<'a> {
    Prim(Prim),
    Type(&'a str),
}
