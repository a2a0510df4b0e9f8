//! `exemplar rules [NAME]`: the list of rules, or one rule's page.

use std::io::{self, Write};

use super::{written, Fatal};
use crate::registry;

pub(super) fn run(name: Option<&str>) -> Result<u8, Fatal> {
    let mut out = io::stdout().lock();
    let printed = match name {
        None => registry::all().iter().try_for_each(|r| {
            writeln!(
                out,
                "{:<24} {:<8} {}",
                r.name,
                r.severity.as_str(),
                r.summary
            )
        }),
        Some(name) => match registry::lookup(name) {
            Some(rule) => write!(out, "{}", rule.doc),
            None => {
                return Err(Fatal(format!(
                    "no rule named `{name}`; {}",
                    registry::did_you_mean(name)
                )))
            }
        },
    };
    written(printed)?;
    Ok(0)
}
