//! The two tables the rules read: the request-body property table and the
//! permissions table. Markdown pipe tables (GFM) are split by their
//! unescaped pipes; rendered pages show the same rows as plain lines, read
//! by their known leading words.

use std::borrow::Cow;
use std::ops::Range;

use super::sections::{SectionKind, Sections};
use super::{Format, Page, Permission, PermissionKind, Property};
use crate::lang::words::{normalize, Words};

pub(super) fn read(page: &mut Page, sections: &Sections, words: &[&Words]) {
    let text = page.text.as_str();
    let mut properties = Vec::new();
    for section in sections
        .list
        .iter()
        .filter(|s| s.kind == SectionKind::RequestBody)
    {
        properties.extend(match page.format {
            Format::Markdown => markdown_properties(text, section.body.clone(), words),
            Format::Rendered => rendered_properties(text, section.body.clone(), words),
        });
    }
    let mut permissions = Vec::new();
    if let Some(section) = sections.first(SectionKind::Permissions) {
        for (row, cells) in rows(text, section.body.clone(), page.format) {
            let Some((label, value)) = cells.first().zip(cells.get(1)) else {
                continue;
            };
            let Some(kind) = permission_kind(&text[label.clone()], words) else {
                continue;
            };
            let value_text = text[value.clone()].trim();
            permissions.push(Permission {
                kind,
                span: row,
                value_span: value.clone(),
                value: value_text.to_owned(),
                granted: granted(value_text, words),
            });
        }
    }
    page.properties = properties;
    page.permissions = permissions;
}

/// Table rows of a section: for Markdown the cells of each pipe row; for a
/// rendered page, each line split after a known permission label.
fn rows(text: &str, range: Range<usize>, format: Format) -> Vec<(Range<usize>, Vec<Range<usize>>)> {
    let mut out = Vec::new();
    let mut at = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let row = at..at + content.len();
        at += line.len();
        match format {
            Format::Markdown => {
                if content.trim_start().starts_with('|')
                    || memchr::memchr_iter(b'|', content.as_bytes())
                        .nth(1)
                        .is_some()
                {
                    out.push((row.clone(), cells(text, row)));
                }
            }
            Format::Rendered => {
                let labels = [
                    PermissionKind::DelegatedWork,
                    PermissionKind::DelegatedPersonal,
                    PermissionKind::Application,
                ];
                for kind in labels {
                    let label = kind.label();
                    if content.len() > label.len()
                        && content.is_char_boundary(label.len())
                        && content[..label.len()].eq_ignore_ascii_case(label)
                    {
                        let value_start = row.start
                            + label.len()
                            + (content[label.len()..].len()
                                - content[label.len()..].trim_start().len());
                        out.push((
                            row.clone(),
                            vec![row.start..row.start + label.len(), value_start..row.end],
                        ));
                        break;
                    }
                }
            }
        }
    }
    out
}

/// The cells of one pipe-table row; pipes inside backticks or escaped (`\|`) do not split.
pub(crate) fn cells(text: &str, row: Range<usize>) -> Vec<Range<usize>> {
    let line = &text[row.clone()];
    let mut out = Vec::with_capacity(8);
    let mut start = 0;
    let mut in_code = false;
    let bytes = line.as_bytes();
    // Only pipes and backticks matter: jump from one to the next.
    for i in memchr::memchr2_iter(b'|', b'`', bytes) {
        match bytes[i] {
            b'`' => in_code = !in_code,
            _ if !in_code && (i == 0 || bytes[i - 1] != b'\\') => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(start..line.len());
    // A leading pipe leaves an empty first cell, a trailing one an empty last cell.
    if line.trim_start().starts_with('|')
        && out
            .first()
            .is_some_and(|c| line[c.clone()].trim().is_empty())
    {
        out.remove(0);
    }
    if line.trim_end().ends_with('|')
        && out
            .last()
            .is_some_and(|c| line[c.clone()].trim().is_empty())
    {
        out.pop();
    }
    out.into_iter()
        .map(|c| {
            let cell = &line[c.clone()];
            let lead = cell.len() - cell.trim_start().len();
            row.start + c.start + lead..row.start + c.start + lead + cell.trim().len()
        })
        .collect()
}

fn permission_kind(label: &str, words: &[&Words]) -> Option<PermissionKind> {
    let label = normalize(&strip_markup(label));
    // The tables hold their words normalised already.
    let is = |list: &[&str]| list.iter().any(|w| w.eq_ignore_ascii_case(&label));
    for w in words {
        if is(w.delegated_work) {
            return Some(PermissionKind::DelegatedWork);
        }
        if is(w.delegated_personal) {
            return Some(PermissionKind::DelegatedPersonal);
        }
        if is(w.application) {
            return Some(PermissionKind::Application);
        }
    }
    None
}

/// The permissions a cell grants, normalised and sorted; empty for "not supported".
pub(crate) fn granted(value: &str, words: &[&Words]) -> Vec<String> {
    let plain = normalize(&strip_markup(value));
    let plain = plain.trim_end_matches(['.', '。']).trim();
    if plain.is_empty()
        || words.iter().any(|w| {
            w.not_supported
                .iter()
                .any(|n| n.eq_ignore_ascii_case(plain))
        })
    {
        return Vec::new();
    }
    let mut out: Vec<String> = strip_markup(value)
        .split([',', '、', '，', ';', '；'])
        .flat_map(|p| p.split(" and ").map(str::to_owned).collect::<Vec<_>>())
        .map(|p| p.trim().trim_end_matches(['.', '。']).trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Drops emphasis, code ticks and link targets: `**[x](y)**` → `x`.
pub(crate) fn strip_markup(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| matches!(b, b'*' | b'`' | b'[' | b']')) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn markdown_properties(text: &str, range: Range<usize>, words: &[&Words]) -> Vec<Property> {
    let mut out = Vec::new();
    let mut in_table = false;
    let rows = rows(text, range, Format::Markdown);
    for (i, (row, cells)) in rows.iter().enumerate() {
        // A GFM table's header is the row right above its delimiter row;
        // only there is the first cell compared with the header words.
        if rows
            .get(i + 1)
            .is_some_and(|(_, next)| is_delimiter(text, next))
        {
            let first = cells
                .first()
                .map(|c| normalize(&strip_markup(&text[c.clone()])))
                .unwrap_or_default();
            in_table = words
                .iter()
                .any(|w| w.property_header.contains(&first.as_str()));
            continue;
        }
        if !in_table || cells.len() < 3 || is_delimiter(text, cells) {
            continue;
        }
        let name = strip_markup(&text[cells[0].clone()]).trim().to_owned();
        if name.is_empty() || name.contains(' ') {
            continue;
        }
        let description = cells[cells.len() - 1].clone();
        out.push(Property {
            name,
            type_name: strip_markup(&text[cells[1].clone()]).trim().to_owned(),
            description,
            span: row.clone(),
        });
    }
    out
}

/// `|:---|---:|`: every cell dashes with optional colons.
fn is_delimiter(text: &str, cells: &[Range<usize>]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let cell = text[c.clone()].trim();
            cell.contains('-') && cell.bytes().all(|b| matches!(b, b'-' | b':' | b' '))
        })
}

fn rendered_properties(text: &str, range: Range<usize>, words: &[&Words]) -> Vec<Property> {
    let mut out = Vec::new();
    let mut in_table = false;
    let mut at = range.start;
    for line in text[range].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let row = at..at + content.len();
        at += line.len();
        let mut parts = content.split_whitespace();
        let first = parts.next().unwrap_or("").to_lowercase();
        if words
            .iter()
            .any(|w| w.property_header.contains(&first.as_str()))
            && content.split_whitespace().count() <= 4
        {
            in_table = true;
            continue;
        }
        if content.trim().is_empty() {
            if !out.is_empty() {
                in_table = false;
            }
            continue;
        }
        if !in_table {
            continue;
        }
        let name = content.split_whitespace().next().unwrap_or("").to_owned();
        let type_name = parts.next().unwrap_or("").to_owned();
        out.push(Property {
            name,
            type_name,
            description: row.clone(),
            span: row,
        });
    }
    out
}

/// `lower` is the lower-cased description. A property is required when a
/// sentence of its description is the marker alone ("Required.", "必需。",
/// "Обязательный."), perhaps with a character or two more ("必需项。"):
/// "Required when …" and "仅当 … 时必需" are conditions, "Not required." and
/// "Indicates whether a PIN is required." describe something else. Where the
/// marker stands in its sentence decides, in any language.
pub(super) fn is_required(lower: &str, words: &[&Words]) -> bool {
    let markers = words
        .iter()
        .flat_map(|w| w.required.iter())
        .map(|r| r.trim_end_matches(['.', '。']));
    let sentences: Vec<String> = lower
        .split(['.', '。', '!', '！', ';', '；', '|'])
        .map(|s| {
            s.chars()
                .filter(|c| !matches!(c, '*' | '`' | '_'))
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect();
    markers.into_iter().any(|marker| {
        sentences.iter().any(|s| {
            s.strip_prefix(marker)
                .is_some_and(|rest| rest.trim().chars().count() <= 2)
        })
    })
}

/// The values after "Possible values are": the code spans (or, without
/// them, the bold words) up to the end of the sentence; else the
/// comma-separated words. Empty, so that nothing is checked, when the list
/// cannot be trusted: a value that is no identifier (translated with the
/// prose, `зритель`), or a range (`TableStyleLight1 thru TableStyleLight21`).
pub(super) fn possible_values(description: &str, lower: &str, words: &[&Words]) -> Vec<String> {
    let Some(at) = words
        .iter()
        .flat_map(|w| w.possible_values.iter())
        .filter_map(|p| memchr::memmem::find(lower.as_bytes(), p.as_bytes()).map(|i| i + p.len()))
        .min()
    else {
        return Vec::new();
    };
    // `to_lowercase` keeps byte lengths for the scripts these tables hold; fall back safely.
    let Some(rest) = description.get(at..) else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches([' ', ':', '：', '是', '为', '—', '-']);
    let values = match marked_values(rest, "`").or_else(|| marked_values(rest, "**")) {
        Some(values) => values,
        None => match plain_values(rest) {
            Some(values) => values,
            None => return Vec::new(),
        },
    };
    if values.iter().any(|v| !is_value_identifier(v)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Values written between `mark`s (code spans, bold) up to the end of the
/// sentence; `None` when the list has none. A run of bare punctuation
/// between marked values (`A` `B` ：、、。 `C`, as machine translation
/// leaves a list) does not end it.
fn marked_values(rest: &str, mark: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut at = 0;
    while let Some(open) = rest[at..].find(mark).map(|i| at + i) {
        let between = &rest[at..open];
        if !values.is_empty() && ends_sentence(between) {
            break;
        }
        if values.is_empty() && ends_sentence(between) && !between.trim().is_empty() {
            return None;
        }
        let start = open + mark.len();
        let Some(close) = rest[start..].find(mark).map(|i| start + i) else {
            break;
        };
        let value = rest[start..close].trim().trim_matches(['"', '\'']);
        if !value.is_empty() {
            values.push(value.to_owned());
        }
        at = close + mark.len();
    }
    (!values.is_empty()).then_some(values)
}

/// Does the text between two marked values end the sentence? A full stop
/// followed by more words does; bare punctuation does not.
fn ends_sentence(between: &str) -> bool {
    between
        .find(['.', '。'])
        .is_some_and(|stop| between[stop..].chars().any(char::is_alphanumeric))
}

/// Comma-separated words up to the end of the sentence: `a, b, c`,
/// `a, b, and c`, `a, b или c`. `None` for a range (`X1 thru X21`).
fn plain_values(rest: &str) -> Option<Vec<String>> {
    let sentence = rest
        .split(['。'])
        .next()
        .unwrap_or("")
        .split(". ")
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let mut values = Vec::new();
    for item in sentence.split([',', '、', '，', ';']) {
        let item = strip_markup(item);
        let tokens: Vec<&str> = item
            .split_whitespace()
            .map(|t| t.trim_matches(['"', '\'', '(', ')']))
            .filter(|t| !t.is_empty())
            .collect();
        match tokens.as_slice() {
            [] => {}
            [one] => values.push((*one).to_owned()),
            // "and c", "или c": a connecting word, then the value.
            [_, last] => values.push((*last).to_owned()),
            // "b or c", "b 或 c"; but "X1 thru X21" names a range.
            [first, _, last] => {
                if is_range(first, last) {
                    return None;
                }
                values.push((*first).to_owned());
                values.push((*last).to_owned());
            }
            // Prose: the list ended.
            _ => break,
        }
    }
    Some(values)
}

/// `TableStyleLight1` … `TableStyleLight21`: one stem, two numbers.
fn is_range(first: &str, last: &str) -> bool {
    let stem = |s: &str| s.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned();
    let (a, b) = (stem(first), stem(last));
    !a.is_empty() && a == b && a.len() < first.len() && b.len() < last.len()
}

/// An enumeration member as a service spells it: ASCII letters, digits, `_`
/// (and `.`/`-` inside, as in `v1.0` or `en-US`).
fn is_value_identifier(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_alphanumeric())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::words::{EN, ZH_CN};

    #[test]
    fn possible_values_in_english_and_chinese() {
        let values = |d: &str, w: &[&Words]| possible_values(d, &d.to_lowercase(), w);
        assert_eq!(
            values(
                "The type. Possible values are: `user`, `group`, `unknownFutureValue`. Required.",
                &[&EN]
            ),
            ["user", "group", "unknownFutureValue"]
        );
        assert_eq!(
            values(
                "The type. Possible values are: user,group, externalGroup. Required.",
                &[&EN]
            ),
            ["user", "group", "externalGroup"]
        );
        assert_eq!(
            values(
                "类型。 可能的值是 `user` `group` `externalGroup` ：、、。 必需。",
                &[&ZH_CN, &EN]
            ),
            ["user", "group", "externalGroup"]
        );
    }

    #[test]
    fn possible_values_as_real_pages_write_them() {
        use crate::lang::words::RU_RU;
        let values = |d: &str, w: &[&Words]| possible_values(d, &d.to_lowercase(), w);
        // Machine translation splits the list with bare punctuation.
        assert_eq!(
            values(
                "水平对齐方式。 可能的值是 `General` `Left` ：、、、。 `Center` `Right`",
                &[&ZH_CN, &EN]
            ),
            ["General", "Left", "Center", "Right"]
        );
        assert_eq!(
            values(
                "Possible values are **All**, **Selected** or **None**.",
                &[&EN]
            ),
            ["All", "Selected", "None"]
        );
        assert_eq!(
            values(
                "Возможные значения — **All**, **Selected** и **None**.",
                &[&RU_RU, &EN]
            ),
            ["All", "Selected", "None"]
        );
        assert_eq!(
            values(
                "Possible values are everyone, organization, organizer, and unknownFutureValue.",
                &[&EN]
            ),
            [
                "everyone",
                "organization",
                "organizer",
                "unknownFutureValue"
            ]
        );
        assert_eq!(
            values("The possible values are: **Private**, **Public**, or empty (which is interpreted as **Public**).", &[&EN]),
            ["Private", "Public"]
        );
        assert_eq!(
            values("Possible values are: `a`, `b`. Default is `c`.", &[&EN]),
            ["a", "b"]
        );
        // A range, a translated value and a pointer elsewhere list nothing to check against.
        assert!(values("The possible values are: TableStyleLight1 thru TableStyleLight21, TableStyleMedium1 thru TableStyleMedium28.", &[&EN]).is_empty());
        assert!(values(
            "Возможные значения: \"зритель\", \"sharer\"",
            &[&RU_RU, &EN]
        )
        .is_empty());
        assert!(values("Possible values are listed in the following table.", &[&EN]).is_empty());
    }

    #[test]
    fn required_is_a_sentence_of_its_own() {
        use crate::lang::words::RU_RU;
        let required = |d: &str, w: &[&Words]| is_required(&d.to_lowercase(), w);
        assert!(required("The name. Required.", &[&EN]));
        assert!(required("The name. **Required**", &[&EN]));
        assert!(required("名称。 必需。", &[&ZH_CN, &EN]));
        assert!(required("名称。 必需项。", &[&ZH_CN, &EN]));
        assert!(required("Имя. Обязательный.", &[&RU_RU, &EN]));
        assert!(!required(
            "The name. Required when the type is `user`.",
            &[&EN]
        ));
        assert!(!required(
            "The name. Required only if **scope** is set.",
            &[&EN]
        ));
        assert!(!required("The name. Not required.", &[&EN]));
        assert!(!required(
            "Indicates whether an app-level pin is required.",
            &[&EN]
        ));
        assert!(!required("名称。 仅当类型为用户时必需。", &[&ZH_CN, &EN]));
    }

    #[test]
    fn cells_respect_code_spans() {
        let text = "| a | `x|y` | c |";
        let cells = cells(text, 0..text.len());
        let got: Vec<&str> = cells.iter().map(|c| &text[c.clone()]).collect();
        assert_eq!(got, ["a", "`x|y`", "c"]);
    }

    #[test]
    fn granted_normalises_lists_and_not_supported() {
        assert_eq!(
            granted(
                "ExternalItem.ReadWrite.OwnedBy、ExternalItem.ReadWrite.All",
                &[&ZH_CN, &EN]
            ),
            [
                "externalitem.readwrite.all",
                "externalitem.readwrite.ownedby"
            ]
        );
        assert!(granted("不支持", &[&ZH_CN, &EN]).is_empty());
        assert!(granted("Not supported.", &[&EN]).is_empty());
    }
}
