//! The resource-type model on the whole corpus: how many of the types the
//! response annotations announce it resolves, per locale. Ignored by
//! default (it reads `../shared/corpus`); run with
//! `cargo test --test types -- --ignored --nocapture`.

use std::path::Path;

use exemplar::discover::{self, DiscoverOptions};
use exemplar::types::{self, Model};

#[test]
#[ignore = "reads ../shared/corpus"]
fn corpus_coverage() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let loaded = discover::load(&[corpus], &DiscoverOptions::default()).expect("the corpus");
    let model = Model::build(&loaded.pages);
    println!(
        "model: {} types, {} enums",
        model.types.len(),
        model.enums.len()
    );
    for locale in ["en-us", "zh-cn", "ru-ru"] {
        let pages: Vec<_> = loaded
            .pages
            .iter()
            .filter(|p| p.locale.as_deref() == Some(locale))
            .cloned()
            .collect();
        let (announced, resolved, mut missed) = types::coverage(&pages, &model);
        missed.sort();
        missed.dedup();
        println!(
            "{locale}: {resolved} of {announced} annotated responses resolve ({:.1}%); unresolved: {missed:?}",
            100.0 * resolved as f64 / announced.max(1) as f64
        );
    }
}
