//! locale-permission-drift: the permissions tables of a pair compared the
//! way a reviewer holds them side by side. Tables pair in page order, rows
//! by their position in the table and cells by their position in the row:
//! translations keep the tables' shape, so no row label has to be
//! understood to pair rows ("Делегированные", "Delegada", "Для приложений"
//! and "Сервер приложений" are all just row 1 or row 3). Only when two
//! paired tables have a different number of rows are the rows aligned, by
//! the permission names they hold and, where some language's stems read
//! both labels, by what the labels say.
//!
//! A cell counts by the permission names it holds (`User.Read.All`, not
//! translated, compared without case; see [`scopes`]), so what translation
//! changes around them does not count: the words for "not supported", list
//! separators, conjunctions, the prose of per-resource cells. A name that
//! translation mangled (`任务.读取`, `Notes. Read. ALL`,
//! `Запланируйте. ReadWrite. ALL`) no longer reads as the name: that is the
//! drift a reader would meet, since the mangled name cannot be requested.

use std::collections::BTreeSet;
use std::ops::Range;

use super::Ctx;
use crate::page::tables::{scope_spans, scopes};
use crate::page::{Permission, PermissionKind};
use crate::rule::declare_rule;

declare_rule! {
    pub(crate) LOCALE_PERMISSION_DRIFT = "locale-permission-drift", Warning, Locale,
    "a localized page's permissions table grants different permissions than the source";
}

pub(super) fn check(ctx: &mut Ctx) {
    // A page whose table is an include (newer English pages) or that has no
    // table shows no rows to compare; that is no drift we can see.
    if ctx.source.permissions.is_empty() || ctx.localized.permissions.is_empty() {
        return;
    }
    let source = tables(&ctx.source.permissions);
    let localized = tables(&ctx.localized.permissions);
    let several = source.len() > 1;
    for (n, (s, l)) in source.iter().zip(&localized).enumerate() {
        let name = several.then(|| format!(" in permissions table {}", n + 1));
        compare_tables(ctx, s, l, name.as_deref().unwrap_or(""));
    }
    if source.len() > localized.len() {
        let first = &source[localized.len()][0][0];
        let at = ctx.localized.permissions.last().map_or(0, |p| p.span.end);
        ctx.relate_next(first.span.start);
        let message = format!(
            "the source page has {} permissions tables, this page {}: the source page's table {} is missing here",
            source.len(),
            localized.len(),
            localized.len() + 1
        );
        ctx.report(&LOCALE_PERMISSION_DRIFT, at..at, None, message)
            .help = Some("translate the missing table from the source page".into());
    }
    for table in localized.iter().skip(source.len()) {
        let first = &table[0][0];
        ctx.relate_next(ctx.source.permissions[0].span.start);
        let message = format!(
            "this permissions table is not in the source page, which has {}",
            tables_count(source.len()),
        );
        ctx.report(&LOCALE_PERMISSION_DRIFT, first.span.clone(), None, message)
            .help =
            Some("remove the table, or re-translate the section from the source page".into());
    }
}

fn tables_count(n: usize) -> String {
    if n == 1 {
        "one".to_owned()
    } else {
        format!("{n}")
    }
}

/// A table's rows, each its permissions cells in column order.
type Table<'p> = Vec<&'p [Permission]>;

/// The page's permissions cells by table and row. The page lists them
/// table by table, row by row (see `page::tables`), so a row is a run of
/// its cells, taken as a slice rather than gathered into a `Vec` of its
/// own. A table whose rows are not numbered 0, 1, 2… (the page model
/// numbered a row that kept no cell) is no table.
fn tables(cells: &[Permission]) -> Vec<Table<'_>> {
    let mut out: Vec<Table> = Vec::new();
    let mut table: Option<(usize, Table, bool)> = None;
    for row in cells.chunk_by(|a, b| (a.table, a.row) == (b.table, b.row)) {
        let first = &row[0];
        match &mut table {
            Some((number, rows, whole)) if *number == first.table => {
                *whole &= first.row == rows.len();
                rows.push(row);
            }
            _ => {
                if let Some((_, rows, true)) = table.take() {
                    out.push(rows);
                }
                table = Some((first.table, vec![row], first.row == 0));
            }
        }
    }
    if let Some((_, rows, true)) = table {
        out.push(rows);
    }
    out
}

fn compare_tables(ctx: &mut Ctx, source: &Table, localized: &Table, table: &str) {
    for pair in align(source, localized) {
        match pair {
            (Some(i), Some(j)) => {
                let (s, l) = (&source[i], &localized[j]);
                if s.len() == l.len() {
                    for (s, l) in s.iter().zip(l.iter()) {
                        compare_cells(ctx, s, l, table);
                    }
                } else {
                    // A row with another number of cells than its source:
                    // compare what the whole row grants.
                    compare_rows(ctx, s, l, table);
                }
            }
            (Some(i), None) => {
                let s = &source[i][0];
                let at = where_row_stands(source, localized, i);
                ctx.relate_next(s.span.start);
                let message = format!(
                    "the source page's row {}{table} is missing here; it grants {}",
                    quote(&s.label),
                    grants(source[i]),
                );
                ctx.report(&LOCALE_PERMISSION_DRIFT, at..at, None, message)
                    .help = Some("add the row as the source page has it".into());
            }
            (None, Some(j)) => {
                let l = &localized[j][0];
                ctx.relate_next(source[0][0].span.start);
                let message = format!(
                    "this row{table} is not in the source page's table; it grants {}",
                    grants(localized[j]),
                );
                ctx.report(&LOCALE_PERMISSION_DRIFT, l.span.clone(), None, message)
                    .help =
                    Some("remove the row, or re-translate the table from the source page".into());
            }
            (None, None) => {}
        }
    }
}

/// Where the source row `i`, which the translation lacks, would stand in
/// the translation: before the row paired with the next source row, else
/// after the row paired with the previous one.
fn where_row_stands(source: &Table, localized: &Table, i: usize) -> usize {
    let pairs: Vec<(usize, usize)> = align(source, localized)
        .into_iter()
        .filter_map(|p| Some((p.0?, p.1?)))
        .collect();
    if let Some(&(_, l)) = pairs.iter().find(|(s, _)| *s > i) {
        return localized[l][0].span.start;
    }
    pairs
        .iter()
        .rev()
        .find(|(s, _)| *s < i)
        .map_or(localized[0][0].span.start, |&(_, l)| {
            localized[l][0].span.end
        })
}

/// Pairs the rows of two tables: by position when they have as many rows
/// (the shape translation keeps); otherwise by the alignment that pairs the
/// most alike rows in order, where two rows are alike by the permission
/// names they grant, and rows whose labels both read as a kind of access
/// pair only with that kind.
fn align(source: &Table, localized: &Table) -> Vec<(Option<usize>, Option<usize>)> {
    let (n, m) = (source.len(), localized.len());
    if n == m {
        return (0..n).map(|i| (Some(i), Some(i))).collect();
    }
    let keys = |row: &&[Permission]| -> BTreeSet<String> {
        row.iter()
            .flat_map(|c| scopes(&c.value))
            .map(|s| s.key)
            .collect()
    };
    let s_keys: Vec<_> = source.iter().map(keys).collect();
    let l_keys: Vec<_> = localized.iter().map(keys).collect();
    let kind = |row: &[Permission]| -> Option<PermissionKind> { row[0].kind };
    // Score of pairing two rows, None where they cannot pair.
    let score = |i: usize, j: usize| -> Option<u32> {
        let mut score = 1;
        match (kind(source[i]), kind(localized[j])) {
            (Some(a), Some(b)) if a != b => return None,
            (Some(_), Some(_)) => score += 4,
            _ => {}
        }
        if s_keys[i] == l_keys[j] {
            score += 2;
        } else if !s_keys[i].is_disjoint(&l_keys[j]) {
            score += 1;
        }
        Some(score)
    };
    // best[i][j]: the best score of the first i source rows against the first j.
    let mut best = vec![vec![0u32; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let paired = score(i - 1, j - 1).map_or(0, |s| best[i - 1][j - 1] + s);
            best[i][j] = paired.max(best[i - 1][j]).max(best[i][j - 1]);
        }
    }
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0
            && j > 0
            && score(i - 1, j - 1).is_some_and(|s| best[i][j] == best[i - 1][j - 1] + s)
        {
            out.push((Some(i - 1), Some(j - 1)));
            i -= 1;
            j -= 1;
        } else if i > 0 && (j == 0 || best[i][j] == best[i - 1][j]) {
            out.push((Some(i - 1), None));
            i -= 1;
        } else {
            out.push((None, Some(j - 1)));
            j -= 1;
        }
    }
    out.reverse();
    out
}

/// Two rows with a different number of cells: what each grants as a whole.
fn compare_rows(ctx: &mut Ctx, source: &[Permission], localized: &[Permission], table: &str) {
    let keys = |row: &[Permission]| -> BTreeSet<String> {
        row.iter()
            .flat_map(|c| scopes(&c.value))
            .map(|s| s.key)
            .collect()
    };
    if keys(source) == keys(localized) {
        return;
    }
    let (s, l) = (&source[0], &localized[0]);
    ctx.relate_next(s.span.start);
    let message = format!(
        "row {}{table} has {} permissions cells here but {} in the source page, and grants {} here against {} there",
        quote(&s.label),
        localized.len(),
        source.len(),
        grants(localized),
        grants(source),
    );
    ctx.report(&LOCALE_PERMISSION_DRIFT, l.span.clone(), None, message)
        .help = Some("re-translate the row from the source page".into());
}

/// One permissions cell against the source page's cell at its position.
fn compare_cells(ctx: &mut Ctx, s: &Permission, l: &Permission, table: &str) {
    let Some(difference) = Difference::of(&s.value, &l.value) else {
        return;
    };
    let label = s.label.as_str();
    ctx.relate_next(s.value_span.start);
    let message = if difference.source_names == 0 {
        format!(
            "{label}{table} grants `{}` here, but the source page grants nothing (`{}`)",
            l.value, s.value
        )
    } else if difference.localized_names == 0 && !difference.written {
        format!(
            "{label}{table} grants nothing (`{}`) here, but the source page grants `{}`",
            l.value, s.value
        )
    } else {
        format!(
            "{label}{table} differs from the source page: {}",
            difference.clauses.join("; ")
        )
    };
    // The value is the cell's text as it stands in the page (cells are trimmed).
    let span = match &difference.focus {
        Some(at) => l.value_span.start + at.start..l.value_span.start + at.end,
        None => l.value_span.clone(),
    };
    let f = ctx.report(&LOCALE_PERMISSION_DRIFT, span, None, message);
    f.help = Some(
        "copy the permission names from the source page's cell; only the label and the \
         prose around the names are translated"
            .into(),
    );
    f.expected = Some(s.value.clone());
    f.actual = Some(l.value.clone());
    // Unsafe: the translator's names are replaced by the source page's.
    // Offered only when the source cell is names and separators alone, so
    // that no untranslated prose is copied in.
    if difference.written && names_only(&s.value) {
        f.fix = Some(crate::finding::Fix::unsafe_edit(
            l.value_span.clone(),
            s.value.clone(),
        ));
    }
}

/// Do both cells name the same permissions in the same order, compared
/// without case?
fn same_names_in_order(source: &str, localized: &str) -> bool {
    let (mut s, mut l) = (scope_spans(source), scope_spans(localized));
    loop {
        match (s.next(), l.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) => {
                if !source[a].eq_ignore_ascii_case(&localized[b]) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Is the cell nothing but permission names, punctuation and spaces?
fn names_only(cell: &str) -> bool {
    let names = scopes(cell);
    if names.is_empty() {
        return false;
    }
    let mut rest = String::new();
    let mut at = 0;
    for name in &names {
        rest.push_str(&cell[at..name.span.start]);
        at = name.span.end;
    }
    rest.push_str(&cell[at..]);
    rest.chars()
        .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
}

/// How a translated cell's permission names differ from its source cell's.
#[derive(Debug, PartialEq)]
struct Difference {
    source_names: usize,
    localized_names: usize,
    /// Did the translation write some name of the source another way?
    written: bool,
    /// "`A` is written `a`", "`B` is missing", "`C` is not in the source page".
    clauses: Vec<String>,
    /// The first differing place in the translated cell (a name written
    /// otherwise, or one the source lacks); `None` when only names are missing.
    focus: Option<Range<usize>>,
}

impl Difference {
    /// `None` when both cells name the same permissions, or when they differ
    /// only where the source page misspells a name the translation writes
    /// right (`Directory AccessAsUser.All` in the source, `Directory.AccessAsUser.All`
    /// in the translation): the translation is then not what needs fixing.
    fn of(source: &str, localized: &str) -> Option<Difference> {
        // Most cells are copied as they are: the same names, nothing to read.
        if source == localized {
            return None;
        }
        // Most others name the same permissions in the same order (case
        // aside) amid translated words: the same set, told without the
        // lower-cased copies and the sets below.
        if same_names_in_order(source, localized) {
            return None;
        }
        let s_names = scopes(source);
        let l_names = scopes(localized);
        let s_keys: BTreeSet<&str> = s_names.iter().map(|n| n.key.as_str()).collect();
        let l_keys: BTreeSet<&str> = l_names.iter().map(|n| n.key.as_str()).collect();
        if s_keys == l_keys {
            return None;
        }
        let mut missing: Vec<&str> = Vec::new();
        for n in &s_names {
            let text = &source[n.span.clone()];
            if !l_keys.contains(n.key.as_str())
                && !missing.iter().any(|m| m.eq_ignore_ascii_case(text))
            {
                missing.push(text);
            }
        }
        let mut extra: Vec<&str> = Vec::new();
        for n in &l_names {
            let text = &localized[n.span.clone()];
            if !s_keys.contains(n.key.as_str())
                && !extra.iter().any(|e| e.eq_ignore_ascii_case(text))
            {
                extra.push(text);
            }
        }
        // The source misspells, the translation is right: a source item with
        // no name the translation has, spelled like a name only the translation has.
        for item in items(source) {
            if scopes(item).iter().any(|n| l_keys.contains(n.key.as_str())) {
                continue;
            }
            let shape = skeleton(item);
            if let Some(k) = extra.iter().position(|e| skeleton(e) == shape) {
                extra.remove(k);
                let inside: Vec<String> = scopes(item).into_iter().map(|n| n.key).collect();
                missing.retain(|m| !inside.contains(&m.to_ascii_lowercase()));
            }
        }
        if missing.is_empty() && extra.is_empty() {
            return None;
        }
        // Where the translation mangled a name, the item standing in its
        // place: items that hold no name of the source, paired with the
        // missing names by position when there are as many of each, and
        // only when the item holds no other real name (an item that names
        // `Directory.ReadWrite.All` where the source has `Directory.Read.All`
        // grants something else; it is no spelling of it).
        let stand_ins: Vec<&str> = items(localized)
            .filter(|item| !scopes(item).iter().any(|n| s_keys.contains(n.key.as_str())))
            .collect();
        let mut clauses = Vec::new();
        let mut written = false;
        let mut focus = None;
        if !missing.is_empty() && stand_ins.len() == missing.len() {
            let mangled = |name: &str, item: &str| {
                let name = name.to_ascii_lowercase();
                let names = scopes(item);
                if names.is_empty() {
                    // No name left: a spelling of this one if it still
                    // joins words with a full stop (`任务.读取`, `Notes. Read`)
                    // or keeps one of its words (`WorkforceIntegration`).
                    let item = item.trim_end_matches(['.', '。', '．']);
                    return item.contains(['.', '。', '．'])
                        || item.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
                            w.len() > 3 && name.split('.').any(|p| p.eq_ignore_ascii_case(w))
                        });
                }
                // A part of the name (`Calls.Initiate. Все`, `.Read.All`).
                skeleton(&name) == skeleton(item)
                    || names.iter().all(|n| {
                        let k = n.key.as_str();
                        name.strip_prefix(k)
                            .is_some_and(|rest| rest.starts_with('.'))
                            || name.strip_suffix(k).is_some_and(|rest| rest.ends_with('.'))
                    })
            };
            if missing.iter().zip(&stand_ins).all(|(m, i)| mangled(m, i)) {
                let pairs: Vec<_> = missing.drain(..).zip(&stand_ins).collect();
                focus = stand_ins.first().map(|item| within(localized, item));
                for (_, item) in &pairs {
                    for n in scopes(item) {
                        extra.retain(|e| !e.eq_ignore_ascii_case(&n.key));
                    }
                    written = true;
                }
                // Two spellings show the pattern; the cell itself is in `actual`.
                for (m, item) in pairs.iter().take(2) {
                    clauses.push(format!("`{m}` is written `{item}`"));
                }
                if pairs.len() > 2 {
                    clauses.push(format!(
                        "{} more names are written otherwise",
                        pairs.len() - 2
                    ));
                }
            }
        }
        if !missing.is_empty() {
            clauses.push(format!(
                "{} {} missing",
                list(&missing),
                if missing.len() == 1 { "is" } else { "are" }
            ));
        }
        if !extra.is_empty() {
            focus = focus.or_else(|| extra.first().map(|e| within(localized, e)));
            clauses.push(format!(
                "{} {} not in the source page",
                list(&extra),
                if extra.len() == 1 { "is" } else { "are" }
            ));
        }
        Some(Difference {
            source_names: s_names.len(),
            localized_names: l_names.len(),
            written,
            clauses,
            focus,
        })
    }
}

/// The items of a list cell, split at list separators, trimmed; a trailing
/// full stop or footnote mark is no part of an item.
fn items(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', '、', '，', ';', '；'])
        .map(|i| i.trim().trim_end_matches(['.', '。', '*', ' ']).trim())
        .filter(|i| !i.is_empty())
}

/// Where `part`, a slice of `whole`, stands in it.
fn within(whole: &str, part: &str) -> Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

/// The letters and digits of a text, lower-cased: `Notes. Read. ALL` and
/// `Notes.Read.All` have the same skeleton.
fn skeleton(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// "`A`", "`A` and `B`", "`A`, `B` and `C`".
fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// "`label`", or "the unlabelled row" when a translation left it empty.
fn quote(label: &str) -> String {
    if label.is_empty() {
        "without a label".to_owned()
    } else {
        format!("`{label}`")
    }
}

/// What a row grants, as its cells read: "`A, B`", "nothing (`Not supported.`)",
/// or its cells joined by " | " in a table with one column per kind.
fn grants(row: &[Permission]) -> String {
    let text = row
        .iter()
        .map(|c| c.value.as_str())
        .collect::<Vec<_>>()
        .join(" | ");
    if row.iter().all(|c| scopes(&c.value).is_empty()) {
        format!("nothing (`{text}`)")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(source: &str, localized: &str) -> Option<Vec<String>> {
        Difference::of(source, localized).map(|d| d.clauses)
    }

    #[test]
    fn separators_conjunctions_case_and_footnotes_do_not_count() {
        assert_eq!(
            clauses(
                "Policy.Read.All and Application.ReadWrite.All, Policy.ReadWrite.ApplicationConfiguration",
                "Policy.Read.All 和 Application.ReadWrite.All、policy.readwrite.applicationconfiguration。"
            ),
            None
        );
        assert_eq!(clauses("Not supported.", "不支持"), None);
        assert_eq!(
            clauses("TeamsTab.ReadWrite.Group*", "TeamsTab.ReadWrite.Group *"),
            None
        );
    }

    #[test]
    fn mangled_names_are_shown_as_written() {
        assert_eq!(
            clauses(
                "Tasks.Read, Tasks.ReadWrite, Group.Read.All",
                "任务.读取，任务.ReadWrite，Group.Read.All"
            )
            .unwrap(),
            [
                "`Tasks.Read` is written `任务.读取`",
                "`Tasks.ReadWrite` is written `任务.ReadWrite`"
            ]
        );
        assert_eq!(
            clauses(
                "Schedule.ReadWrite.All, Group.ReadWrite.All",
                "Запланируйте. ReadWrite. ALL, Group. ReadWrite. ALL"
            )
            .unwrap(),
            [
                "`Schedule.ReadWrite.All` is written `Запланируйте. ReadWrite. ALL`",
                "`Group.ReadWrite.All` is written `Group. ReadWrite. ALL`"
            ]
        );
        assert_eq!(
            clauses(
                "Calls.JoinGroupCalls.All, Calls.Initiate.All",
                "Calls.JoinGroupCalls.All, Calls.Initiate. Все"
            )
            .unwrap(),
            ["`Calls.Initiate.All` is written `Calls.Initiate. Все`"]
        );
        assert_eq!(
            clauses(
                "DeviceManagementManagedDevices.PriviligedOperation.All",
                "DeviceManagementManagedDevices.IliiligedOperation.All"
            )
            .unwrap(),
            [
                "`DeviceManagementManagedDevices.PriviligedOperation.All` is missing",
                "`DeviceManagementManagedDevices.IliiligedOperation.All` is not in the source page"
            ]
        );
    }

    #[test]
    fn only_what_still_reads_as_a_name_is_a_spelling_of_one() {
        assert_eq!(
            clauses(
                "Notes.Read, Notes.ReadWrite",
                "Notes. Read, Notes. ReadWrite"
            )
            .unwrap(),
            [
                "`Notes.Read` is written `Notes. Read`",
                "`Notes.ReadWrite` is written `Notes. ReadWrite`"
            ]
        );
        assert_eq!(
            clauses("WorkforceIntegration.ReadWrite.All", "WorkforceIntegration").unwrap(),
            ["`WorkforceIntegration.ReadWrite.All` is written `WorkforceIntegration`"]
        );
        assert_eq!(
            clauses(
                "Directory.Read.All, Directory.ReadWrite.All",
                ".Read.All、Directory.ReadWrite.All"
            )
            .unwrap(),
            ["`Directory.Read.All` is written `.Read.All`"]
        );
        // "Not supported" in any language is no spelling of a name.
        for nothing in [
            "不支持",
            "Не поддерживается.",
            "Sem suporte",
            "Nicht unterstützt",
        ] {
            let d = Difference::of("Mail.Read", nothing).unwrap();
            assert!(!d.written, "{nothing}");
            assert_eq!(d.localized_names, 0);
        }
    }

    #[test]
    fn added_and_dropped_names() {
        assert_eq!(
            clauses(
                "Application.ReadWrite.All and Directory.Read.All, Directory.AccessAsUser.All",
                "Application.ReadWrite.All, Directory.ReadWrite.All, Directory.AccessAsUser.All"
            )
            .unwrap(),
            [
                "`Directory.Read.All` is missing",
                "`Directory.ReadWrite.All` is not in the source page"
            ]
        );
        assert_eq!(
            clauses("User.Read, GroupMember.Read.All", "GroupMember.Read.All").unwrap(),
            ["`User.Read` is missing"]
        );
    }

    #[test]
    fn a_misspelling_in_the_source_is_not_the_translations_drift() {
        assert_eq!(
            clauses(
                "Directory.ReadWrite.All, Directory AccessAsUser.All",
                "Directory.ReadWrite.All、Directory.AccessAsUser.All"
            ),
            None
        );
    }

    fn page(path: &str, rows: &[(&str, &str)]) -> crate::page::Page {
        let mut text = String::from("# T\n\n## Permissions\n\n| a | b |\n|--|--|\n");
        for (label, value) in rows {
            text.push_str(&format!("| {label} | {value} |\n"));
        }
        crate::page::Page::from_text(std::sync::Arc::from(path), text, None)
    }

    /// `(line, column, message)` of each finding on the translation.
    fn drift(source: &[(&str, &str)], localized: &[(&str, &str)]) -> Vec<(usize, usize, String)> {
        let (s, l) = (page("en.md", source), page("xx.md", localized));
        super::super::shown(&s, &l)
    }

    #[test]
    fn rows_align_by_what_they_grant_when_a_row_is_missing() {
        let source = [
            (
                "Delegated (work or school account)",
                "Mail.Read, Mail.ReadWrite",
            ),
            ("Delegated (personal Microsoft account)", "Mail.Read"),
            ("Application", "Mail.Read.All"),
        ];
        // Labels no word table knows: the rows align by their names alone.
        let localized = [
            ("Yetkili (iş)", "Mail.Read、Mail.ReadWrite"),
            ("Uygulama", "Mail.Read.All"),
        ];
        assert_eq!(
            drift(&source, &localized),
            [(8, 1, "the source page's row `Delegated (personal Microsoft account)` is missing here; it grants `Mail.Read` @ en.md:8".to_owned())]
        );
        // As many rows: by position, whatever the labels say.
        let localized = [
            ("?", "Mail.Read, Mail.ReadWrite"),
            ("?", "Mail.Read"),
            ("?", "Mail.Read.All"),
        ];
        assert_eq!(drift(&source, &localized), []);
        // A row only the translation has.
        let localized = [
            (
                "Делегированные (рабочая или учебная учетная запись)",
                "Mail.Read, Mail.ReadWrite",
            ),
            (
                "Делегированные (личная учетная запись Майкрософт)",
                "Mail.Read",
            ),
            (
                "Делегированные (личная учетная запись Майкрософт)",
                "Mail.Send",
            ),
            ("Для приложений", "Mail.Read.All"),
        ];
        assert_eq!(
            drift(&source, &localized),
            [(
                9,
                1,
                "this row is not in the source page's table; it grants `Mail.Send` @ en.md:7"
                    .to_owned()
            )]
        );
    }
}
