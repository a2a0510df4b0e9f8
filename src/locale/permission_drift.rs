//! locale-permission-drift: the permissions tables of a pair compared row by
//! row. The page parser has already read each row's label through the
//! language tables (`words`), so `委派（工作或学校帐户）`, `委任 (職場または学校の
//! アカウント)` and `Delegated (work or school account)` are one
//! [`PermissionKind`]. A cell is compared by the permission names it holds
//! (`User.Read.All`: not translated, compared without case), so what
//! translation changes around them does not count: the words for "not
//! supported" (`不支持`, `サポートされていません`, `Not supported.`), the list
//! separators (`,` `、` `，`), the conjunctions (`and` `和` `或`), and the prose
//! of per-resource cells ("For **user** resource:" / "对于 **用户** 资源：").
//! A permission name that translation mangled (`任务.读取` for `Tasks.Read`)
//! no longer reads as the name, which is the drift a reader would meet.

use std::collections::{BTreeSet, HashMap};

use super::Ctx;
use crate::page::{Permission, PermissionKind};

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) LOCALE_PERMISSION_DRIFT = "locale-permission-drift", Warning, Locale,
    "a localized page's permissions table grants different permissions than the source";
}

pub(super) fn check(ctx: &mut Ctx) {
    let source = &ctx.source.permissions;
    let localized = &ctx.localized.permissions;
    // A page whose table is an include (newer English pages) or that has no
    // table shows no rows to compare; that is no drift we can see.
    if source.is_empty() || localized.is_empty() {
        return;
    }
    let localized_rows = numbered(localized);
    let mut seen = vec![false; localized.len()];
    for ((kind, n), s) in numbered(source) {
        let s = &source[s];
        match localized_rows
            .iter()
            .find(|((k, m), _)| *k == kind && *m == n)
        {
            Some(&(_, at)) => {
                seen[at] = true;
                let l = &localized[at];
                if names(&s.value) != names(&l.value) {
                    let message = format!(
                        "{} grants {} here, but the source page grants {} ({})",
                        kind.label(),
                        grants(l),
                        grants(s),
                        ctx.source_at(s.value_span.start)
                    );
                    let f = ctx.report(
                        &LOCALE_PERMISSION_DRIFT,
                        l.value_span.clone(),
                        None,
                        message,
                    );
                    f.help = Some(
                        "copy the permissions from the source page's row; only the label and \
                         the prose around the names are translated"
                            .into(),
                    );
                    f.expected = Some(s.value.clone());
                    f.actual = Some(l.value.clone());
                }
            }
            None => {
                let at = localized[0].span.start;
                let message = format!(
                    "the permissions table has no {} row, but the source page grants {} there ({})",
                    kind.label(),
                    grants(s),
                    ctx.source_at(s.span.start)
                );
                ctx.report(&LOCALE_PERMISSION_DRIFT, at..at, None, message)
                    .help = Some("add the row as the source page has it".into());
            }
        }
    }
    for (i, l) in localized.iter().enumerate() {
        if seen[i] {
            continue;
        }
        let message = format!(
            "the source page's permissions table ({}) has no {} row; this one grants {}",
            ctx.source_at(source[0].span.start),
            l.kind.label(),
            grants(l)
        );
        ctx.report(&LOCALE_PERMISSION_DRIFT, l.span.clone(), None, message)
            .help = Some("remove the row, or re-translate the table from the source page".into());
    }
}

/// Rows keyed by kind and occurrence (a page with one table per resource
/// repeats the kinds; the n-th row of a kind pairs with the n-th), each with
/// its index.
fn numbered(rows: &[Permission]) -> Vec<((PermissionKind, usize), usize)> {
    let mut count: HashMap<PermissionKind, usize> = HashMap::new();
    rows.iter()
        .enumerate()
        .map(|(i, p)| {
            let n = count.entry(p.kind).or_default();
            *n += 1;
            ((p.kind, *n), i)
        })
        .collect()
}

/// The permission names a cell holds, lower-cased: ASCII words joined by
/// dots (`Directory.AccessAsUser.All`). Link targets are skipped, since
/// `(../concepts/x.md)` is no permission; a trailing `*` is a footnote mark
/// (resource-specific consent), which translations drop or space out.
pub(crate) fn names(cell: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut word = String::new();
    let mut chars = cell.chars().peekable();
    let mut flush = |word: &mut String| {
        let name = word.trim_matches(|c| c == '.' || c == '-');
        let dotted = name.split('.').filter(|p| !p.is_empty()).count() >= 2;
        if dotted && name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.insert(name.to_ascii_lowercase());
        }
        word.clear();
    };
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            word.push(c);
            continue;
        }
        flush(&mut word);
        if c == ']' && chars.peek() == Some(&'(') {
            for c in chars.by_ref() {
                if c == ')' {
                    break;
                }
            }
        }
    }
    flush(&mut word);
    out
}

/// "nothing (`不支持`)" or "`A, B`", as the cell reads.
fn grants(p: &Permission) -> String {
    let value = p.value.trim();
    if p.granted.is_empty() {
        format!("nothing (`{value}`)")
    } else {
        format!("`{value}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_ignore_separators_conjunctions_and_prose() {
        let en = names("Policy.Read.All and Application.ReadWrite.All, Policy.ReadWrite.ApplicationConfiguration");
        let zh = names("Policy.Read.All 和 Application.ReadWrite.All、Policy.ReadWrite.ApplicationConfiguration。");
        assert_eq!(en, zh);
        assert_eq!(
            en,
            set(&[
                "application.readwrite.all",
                "policy.read.all",
                "policy.readwrite.applicationconfiguration"
            ])
        );
        assert_eq!(
            names("对于 **用户** 资源：不支持。<br/>对于 **频道** 资源：TeamMember.Read.Group *"),
            set(&["teammember.read.group"])
        );
        assert!(names("不支持").is_empty());
        assert!(names("サポートされていません。").is_empty());
        assert_eq!(
            names("[User.Read](../concepts/permissions-reference.md)"),
            set(&["user.read"])
        );
        // A mangled name is a different name.
        assert_ne!(
            names("任务.读取，任务.ReadWrite"),
            names("Tasks.Read, Tasks.ReadWrite")
        );
    }
}
