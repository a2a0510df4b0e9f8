//! `exemplar extract`: every example of every page, printed.

use std::io::Write;

use super::{examples_style, output, written, Fatal};
use crate::cli::Common;
use crate::discover::{self, DiscoverOptions};
use crate::report;

pub(super) fn run(common: &Common) -> Result<u8, Fatal> {
    let style = examples_style(common.format)?;
    let options = DiscoverOptions {
        locale_roots: common.locales.clone(),
        depth: crate::page::Depth::Examples,
        exclude: None,
        selection: Default::default(),
        source_locale: None,
    };
    // Each page is rendered on the thread that read it, and dropped there.
    let loaded = discover::load_dropping(&common.paths, &options, |page, _| {
        report::examples::Rendered::new(page, style)
    })
    .map_err(|e| Fatal(e.to_string()))?;
    let mut out = output(common.output.as_deref())?;
    let result = match style {
        report::examples::Style::Human => report::examples::human(&loaded.pages, &mut out),
        report::examples::Style::Json => report::examples::json(&loaded.pages, &mut out),
    };
    written(result.and_then(|()| out.flush()))?;
    for f in &loaded.findings {
        eprintln!("warning: {}: {}", f.path, f.message);
    }
    for warning in loaded.pages.iter().filter_map(|p| p.warning.as_deref()) {
        eprintln!("warning: {warning}");
    }
    // Freeing every page one by one costs more than the exit does.
    std::mem::forget(loaded);
    Ok(0)
}
