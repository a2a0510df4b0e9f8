//! locale-permission-drift: the permissions tables of a pair compared row by
//! row. The page parser has already read each row's label and cell through
//! the language tables (`words`): labels such as `委派（工作或学校帐户）` are a
//! [`PermissionKind`], "不支持" / "サポートされていません" / "Not supported."
//! grant nothing, and `,` `、` separate the permissions, which are sorted.
//! So two rows differ only when they grant different permissions.

use std::collections::HashMap;

use super::Ctx;
use crate::page::{Permission, PermissionKind};
use crate::rules::registry::LOCALE_PERMISSION_DRIFT;

pub(super) fn check(ctx: &mut Ctx) {
    let source = &ctx.source.permissions;
    let localized = &ctx.localized.permissions;
    // A page whose table is an include (newer English pages) or that has no
    // table shows no rows to compare; that is no drift we can see.
    if source.is_empty() || localized.is_empty() {
        return;
    }
    let source_rows = numbered(source);
    let localized_rows = numbered(localized);
    let mut seen = vec![false; localized.len()];
    for ((kind, n), s) in &source_rows {
        match localized_rows.iter().find(|((k, m), _)| k == kind && m == n) {
            Some((_, l)) => {
                if let Some(at) = localized.iter().position(|p| std::ptr::eq(p, *l)) {
                    seen[at] = true;
                }
                if s.granted != l.granted {
                    let message = format!(
                        "{} grants {} here, but the source page grants {} ({})",
                        kind.label(),
                        grants(l),
                        grants(s),
                        ctx.source_at(s.value_span.start)
                    );
                    let f = ctx.report(LOCALE_PERMISSION_DRIFT, l.value_span.clone(), None, message);
                    f.help = Some("copy the permissions from the source page's row; only the label is translated".into());
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
                ctx.report(LOCALE_PERMISSION_DRIFT, at..at, None, message)
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
        ctx.report(LOCALE_PERMISSION_DRIFT, l.span.clone(), None, message)
            .help = Some("remove the row, or re-translate the table from the source page".into());
    }
}

/// Rows keyed by kind and occurrence: a page with one table per resource
/// repeats the kinds, and the n-th row of a kind pairs with the n-th.
fn numbered(rows: &[Permission]) -> Vec<((PermissionKind, usize), &Permission)> {
    let mut count: HashMap<PermissionKind, usize> = HashMap::new();
    rows.iter()
        .map(|p| {
            let n = count.entry(p.kind).or_default();
            *n += 1;
            ((p.kind, *n), p)
        })
        .collect()
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
