//! OData system query options on a list or an item read (OData 4.01 URL
//! Conventions §5.1): `$filter`, `$orderby`, `$top`, `$skip`, `$count`,
//! `$select`, `$expand` (with its options in parentheses, §5.1.3), and
//! `$skiptoken` in the `@odata.nextLink` the mock writes.
//! An option the mock does not support is an error naming it, never
//! silently ignored.

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::filter::{self, Expr};
use super::store::{Entity, PAGE};

/// The largest page a client may ask for (Graph's limit for `$top`).
pub(crate) const MAX_TOP: usize = 999;

#[derive(Debug, Default)]
pub(crate) struct Options {
    pub(crate) filter: Option<Expr>,
    pub(crate) orderby: Vec<(String, bool)>,
    pub(crate) top: Option<usize>,
    pub(crate) skip: usize,
    pub(crate) count: bool,
    pub(crate) select: Option<Vec<String>>,
    /// `$search`: clauses joined by `OR` of clauses joined by `AND`.
    pub(crate) search: Option<Vec<Vec<Term>>>,
    /// `$expand`: the navigation properties to show inline.
    pub(crate) expand: Vec<Expand>,
    /// The options as sent, less `$skip`/`$skiptoken` (a next link's base).
    pub(crate) rest: Vec<(String, String)>,
}

/// One `$expand` item: `teamsAppDefinition($expand=bot;$select=id)`.
#[derive(Debug)]
pub(crate) struct Expand {
    /// The navigation property as the client wrote it.
    pub(crate) name: String,
    /// The options in its parentheses, as a list's (`$select`, `$filter`,
    /// `$top`, `$orderby`, `$expand`...).
    pub(crate) options: Options,
}

/// Why the options cannot be honoured: the option and the reason.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct QueryError {
    pub(crate) option: String,
    pub(crate) reason: String,
}

fn err(option: &str, reason: impl Into<String>) -> QueryError {
    QueryError {
        option: option.to_owned(),
        reason: reason.into(),
    }
}

/// The options a list supports; `item` reads support `$select` and `$expand`.
pub(crate) fn parse(query: &str, item: bool) -> Result<Options, QueryError> {
    let decode = |s: &str| crate::replay::url::percent_decode(&s.replace('+', " "));
    let pairs = query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k), decode(v))
    });
    parse_pairs(pairs, item, 0)
}

/// Nested `$expand`s deeper than this are refused (a URL is no stack).
const MAX_EXPAND_DEPTH: usize = 8;

fn parse_pairs(
    pairs: impl Iterator<Item = (String, String)>,
    item: bool,
    depth: usize,
) -> Result<Options, QueryError> {
    let mut o = Options::default();
    for (key, value) in pairs {
        let name = key.to_ascii_lowercase();
        // Parameters without `$` are a function's or the service's own
        // (`startDateTime`), not OData system query options.
        if !name.starts_with('$') {
            o.rest.push((key, value));
            continue;
        }
        let supported = if item {
            matches!(name.as_str(), "$select" | "$expand")
        } else {
            matches!(
                name.as_str(),
                "$filter"
                    | "$orderby"
                    | "$top"
                    | "$skip"
                    | "$count"
                    | "$select"
                    | "$search"
                    | "$skiptoken"
                    | "$expand"
            )
        };
        if !supported {
            return Err(err(
                &key,
                if item {
                    "the mock supports only $select and $expand on an item"
                } else {
                    "the mock supports $filter, $orderby, $top, $skip, $count, $search, $select and $expand"
                },
            ));
        }
        match name.as_str() {
            "$filter" => o.filter = Some(filter::parse(&value).map_err(|e| err(&key, e))?),
            "$orderby" => {
                for part in value.split(',') {
                    let mut words = part.split_whitespace();
                    let Some(prop) = words.next() else {
                        return Err(err(&key, "an empty sort key"));
                    };
                    let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
                        None | Some("asc") => false,
                        Some("desc") => true,
                        Some(other) => {
                            return Err(err(&key, format!("`{other}` is neither asc nor desc")))
                        }
                    };
                    o.orderby.push((prop.to_owned(), desc));
                }
            }
            "$top" => {
                let n: usize = value
                    .trim()
                    .parse()
                    .map_err(|_| err(&key, format!("`{value}` is not a non-negative integer")))?;
                if n > MAX_TOP {
                    return Err(err(&key, format!("{n} is over the limit of {MAX_TOP}")));
                }
                o.top = Some(n);
            }
            "$skip" | "$skiptoken" => {
                o.skip = value
                    .trim()
                    .parse()
                    .map_err(|_| err(&key, format!("`{value}` is not a non-negative integer")))?;
                continue;
            }
            "$count" => match value.trim() {
                "true" => o.count = true,
                "false" => o.count = false,
                other => return Err(err(&key, format!("`{other}` is neither true nor false"))),
            },
            "$search" => o.search = Some(search(&value).map_err(|e| err(&key, e))?),
            "$expand" => {
                if depth >= MAX_EXPAND_DEPTH {
                    return Err(err(&key, format!("nested deeper than {MAX_EXPAND_DEPTH}")));
                }
                for part in split_top(&value, ',') {
                    o.expand.push(expand_item(part, depth).map_err(|e| {
                        if e.option.eq_ignore_ascii_case("$expand") {
                            e
                        } else {
                            err(&format!("{} (in $expand)", e.option), e.reason)
                        }
                    })?);
                }
            }
            "$select" => {
                o.select = Some(
                    value
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            _ => {}
        }
        o.rest.push((key, value));
    }
    Ok(o)
}

/// `a,b(c,d),e` split at the separators outside parentheses and quotes.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 && !quoted => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// `name` or `name(opt=value;opt=value)`.
fn expand_item(part: &str, depth: usize) -> Result<Expand, QueryError> {
    let (name, inner) = match part.find('(') {
        Some(open) => {
            let inner = part[open + 1..]
                .strip_suffix(')')
                .ok_or_else(|| err("$expand", format!("`{part}` has no closing parenthesis")))?;
            (part[..open].trim(), inner)
        }
        None => (part, ""),
    };
    if name == "*" || name.contains('/') || name.is_empty() {
        return Err(err(
            "$expand",
            format!("`{name}`: the mock expands navigation properties by name only"),
        ));
    }
    let pairs = split_top(inner, ';').into_iter().map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (k.trim().to_owned(), v.trim().to_owned())
    });
    let options = parse_pairs(pairs, false, depth + 1)?;
    Ok(Expand {
        name: name.to_owned(),
        options,
    })
}

/// One `$search` term: `"displayName:wa"` (a property) or `"pizza"` (any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) property: Option<String>,
    pub(crate) text: String,
}

/// `"displayName:wa" OR "mail:wa"`, `"a" AND "b"`, `pizza` (OData 4.01 URL
/// Conventions §5.1.7, with Graph's `property:text` terms). Matching is by
/// word prefix, ignoring case, as Graph's tokenized search does.
fn search(value: &str) -> Result<Vec<Vec<Term>>, String> {
    let mut any = Vec::new();
    let mut all = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (term, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or("a quoted term has no closing quote")?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        let (property, text) = match term.split_once(':') {
            Some((p, t)) => (Some(p.trim().to_owned()), t.trim()),
            None => (None, term.trim()),
        };
        all.push(Term {
            property,
            text: text.to_lowercase(),
        });
        rest = after.trim_start();
        if let Some(r) = rest.strip_prefix("OR ") {
            any.push(std::mem::take(&mut all));
            rest = r.trim_start();
        } else if let Some(r) = rest.strip_prefix("AND ") {
            rest = r.trim_start();
        }
    }
    if !all.is_empty() {
        any.push(all);
    }
    if any.is_empty() {
        return Err("an empty search".into());
    }
    Ok(any)
}

fn found(entity: &Entity, term: &Term) -> bool {
    let words = |v: &Value| match v {
        Value::String(s) => {
            s.to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w.starts_with(term.text.as_str()))
                || s.to_lowercase().starts_with(term.text.as_str())
        }
        _ => false,
    };
    match &term.property {
        Some(p) => entity.get(p).is_some_and(words),
        None => entity.values().any(words),
    }
}

/// `$select` applied to one entity: the properties named and the
/// `@odata.*` annotations (OData JSON 4.01 §4.5: control information stays).
pub(crate) fn select(entity: &Entity, select: &[String]) -> Entity {
    entity
        .iter()
        .filter(|(k, _)| k.starts_with("@odata.") || select.iter().any(|s| s == *k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// One page of a list: the entities kept, in order, and whether more follow.
pub(crate) struct Page {
    pub(crate) value: Vec<Value>,
    pub(crate) count: usize,
    /// The `$skip` of the next page, when there is one.
    pub(crate) next: Option<usize>,
}

pub(crate) fn page(items: Vec<Arc<Entity>>, o: &Options) -> Page {
    let mut kept: Vec<Arc<Entity>> = match &o.filter {
        Some(f) => items
            .into_iter()
            .filter(|e| filter::matches(f, &Value::Object((**e).clone())))
            .collect(),
        None => items,
    };
    if let Some(search) = &o.search {
        kept.retain(|e| search.iter().any(|all| all.iter().all(|t| found(e, t))));
    }
    if !o.orderby.is_empty() {
        kept.sort_by(|a, b| {
            for (prop, desc) in &o.orderby {
                let ord = order(a.get(prop), b.get(prop));
                if ord != Ordering::Equal {
                    return if *desc { ord.reverse() } else { ord };
                }
            }
            Ordering::Equal
        });
    }
    let count = kept.len();
    let size = o.top.unwrap_or(PAGE);
    let end = o.skip.saturating_add(size).min(count);
    let value = kept
        .get(o.skip.min(count)..end)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            Value::Object(match &o.select {
                Some(s) => select(e, s),
                None => (**e).clone(),
            })
        })
        .collect();
    Page {
        value,
        count,
        next: (end < count && size > 0).then_some(end),
    }
}

/// Null (absent) first, then booleans, numbers, strings, as OData orders.
fn order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let rank = |v: Option<&Value>| match v {
        None | Some(Value::Null) => 0,
        Some(Value::Bool(_)) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        _ => 4,
    };
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// The query of the next page: the options as sent, and `$skiptoken`.
pub(crate) fn next_query(o: &Options, skip: usize) -> String {
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string();
    let mut parts: Vec<String> = o
        .rest
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    parts.push(format!("$skiptoken={skip}"));
    parts.join("&")
}

/// What a query value must escape (RFC 3986 §3.4, and `&`, `=`, `+`, `#`).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'%');

/// The list body: context, count, value, next link.
pub(crate) fn body(context: Option<Value>, page: Page, count: bool, next: Option<String>) -> Value {
    let mut out = Map::new();
    if let Some(c) = context {
        out.insert("@odata.context".into(), c);
    }
    if count {
        out.insert("@odata.count".into(), Value::from(page.count));
    }
    out.insert("value".into(), Value::Array(page.value));
    if let Some(n) = next {
        out.insert("@odata.nextLink".into(), Value::String(n));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn items(n: usize) -> Vec<Arc<Entity>> {
        (0..n)
            .map(|i| {
                Arc::new(
                    json!({"id": i.to_string(), "n": i, "name": format!("u{}", n - i)})
                        .as_object()
                        .cloned()
                        .unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn top_skip_and_next() {
        let o = parse("$top=2&$skip=1&$select=id", false).unwrap();
        let p = page(items(5), &o);
        assert_eq!(p.value, vec![json!({"id": "1"}), json!({"id": "2"})]);
        assert_eq!(p.next, Some(3));
        assert_eq!(next_query(&o, 3), "$top=2&$select=id&$skiptoken=3");
        let o = parse("$top=2&$select=id&$skiptoken=3", false).unwrap();
        let p = page(items(5), &o);
        assert_eq!(p.value, vec![json!({"id": "3"}), json!({"id": "4"})]);
        assert_eq!(p.next, None);
    }

    #[test]
    fn filter_orderby_count() {
        let o = parse("$filter=n%20ge%202&$orderby=name%20desc&$count=true", false).unwrap();
        assert!(o.count);
        let p = page(items(4), &o);
        let ids: Vec<&Value> = p.value.iter().map(|v| &v["id"]).collect();
        assert_eq!(ids, [&json!("2"), &json!("3")]);
        assert_eq!(p.count, 2);
        let o = parse("$orderby=name", false).unwrap();
        assert_eq!(page(items(3), &o).value[0]["id"], "2");
    }

    #[test]
    fn search_by_word_prefix() {
        let o = parse("$search=%22name:u3%22%20OR%20%22name:u1%22", false).unwrap();
        let ids: Vec<Value> = page(items(4), &o)
            .value
            .iter()
            .map(|v| v["id"].clone())
            .collect();
        assert_eq!(ids, [json!("1"), json!("3")]);
        let o = parse("$search=u2", false).unwrap();
        assert_eq!(page(items(4), &o).value.len(), 1);
        assert_eq!(parse("$search=%22a", false).unwrap_err().option, "$search");
    }

    #[test]
    fn expand_reads_nested_options() {
        let o = parse(
            "$expand=teamsApp,teamsAppDefinition($expand=bot;$select=id,bot)&$select=id",
            true,
        )
        .unwrap();
        let names: Vec<&str> = o.expand.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["teamsApp", "teamsAppDefinition"]);
        let inner = &o.expand[1].options;
        assert_eq!(inner.select, Some(vec!["id".to_owned(), "bot".to_owned()]));
        assert_eq!(inner.expand[0].name, "bot");
        // A `$filter` inside keeps its own commas and quotes.
        let o = parse("$expand=Extensions($filter=id eq 'a,b';$top=1)", false).unwrap();
        assert_eq!(o.expand.len(), 1);
        assert_eq!(o.expand[0].options.top, Some(1));
        assert!(o.expand[0].options.filter.is_some());
        // Nesting is bounded.
        let deep = format!("$expand={}x{}", "a($expand=".repeat(12), ")".repeat(12));
        assert!(parse(&deep, true).is_err());
    }

    #[test]
    fn unsupported_options_are_named() {
        assert_eq!(
            parse("$apply=groupby((a))", false).unwrap_err(),
            err(
                "$apply",
                "the mock supports $filter, $orderby, $top, $skip, $count, $search, $select and $expand"
            )
        );
        // An option inside `$expand`'s parentheses is named as such.
        assert_eq!(
            parse("$expand=manager($levels=max)", true)
                .unwrap_err()
                .option,
            "$levels (in $expand)"
        );
        assert_eq!(
            parse("$expand=*", true).unwrap_err().reason,
            "`*`: the mock expands navigation properties by name only"
        );
        assert_eq!(
            parse("$expand=a(", true).unwrap_err().reason,
            "`a(` has no closing parenthesis"
        );
        assert_eq!(parse("$top=x", false).unwrap_err().option, "$top");
        assert_eq!(parse("$filter=a eq", false).unwrap_err().option, "$filter");
        assert_eq!(parse("$top=2", true).unwrap_err().option, "$top");
        assert!(parse("startDateTime=2020-01-01&$select=id", true).is_ok());
    }
}
