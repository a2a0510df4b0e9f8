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

/// A sliced run (`--changed-since`, `--shard`) reads the source locale's
/// pages only for their types, and parses only the pages that can define
/// one (`Depth::Types`): the model must be exactly the one a whole run
/// builds, for each locale standing as the source. The whole run reads its
/// pages as `check` does, knowing `en-us` for the source locale: the other
/// locales' pages keep only what the drift check reads of their types, and
/// the model reads them again when their locale stands as the source.
#[test]
fn reading_only_the_defining_pages_builds_the_same_model() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        corpus.exists(),
        "../shared/corpus is missing: this test reads it"
    );
    let read = |depth| {
        let options = DiscoverOptions {
            depth,
            source_locale: (depth == exemplar::page::Depth::Full).then(|| "en-us".to_owned()),
            ..DiscoverOptions::default()
        };
        discover::load(std::slice::from_ref(&corpus), &options)
            .expect("the corpus")
            .pages
    };
    let full = read(exemplar::page::Depth::Full);
    let sniffed = read(exemplar::page::Depth::Types);
    for locale in ["en-us", "zh-cn", "ru-ru"] {
        let of = |pages: &[exemplar::page::Page]| {
            let pages: Vec<_> = pages
                .iter()
                .filter(|p| p.locale.as_deref() == Some(locale))
                .cloned()
                .collect();
            let model = Model::build_for(&pages, locale);
            (
                format!("{:?}", model.types),
                format!("{:?}", model.enums),
                model.types.len(),
            )
        };
        let (types, enums, count) = of(&full);
        let (sniffed_types, sniffed_enums, _) = of(&sniffed);
        assert!(
            count > 500,
            "{locale}: only {count} types: is the corpus whole?"
        );
        assert!(types == sniffed_types, "{locale}: the types differ");
        assert!(enums == sniffed_enums, "{locale}: the enums differ");
    }
}

/// A translated locale checked on its own (no page of the source locale):
/// its pages stand in for the model, and `check`, which reads them knowing
/// the source locale and so without what only the model reads, reads them
/// again for it. The fixture's expected findings (`tests/fixtures/types/
/// translated-only.docset`: a base named in the prose, enum members,
/// read-only rows) pin the run that keeps the texts; the run that drops them
/// (the binary's) reads the pages again from disk and must find the same.
#[test]
fn a_translated_locale_alone_builds_its_model_from_its_pages_read_again() {
    use exemplar::commands::check::{check, CheckOptions};
    let docset = Path::new("tests/fixtures/types/translated-only.docset");
    let findings = |forget_texts: bool| {
        let mut options = CheckOptions::new(vec![docset.to_path_buf()]);
        options.forget_texts = forget_texts;
        let checked = check(options).expect("the docs set");
        let mut found: Vec<String> = checked
            .findings
            .iter()
            .filter(|f| f.rule.scope != exemplar::rule::Scope::Locale)
            .map(|f| {
                let related: Vec<_> = f
                    .related
                    .iter()
                    .map(|r| format!("{} {:?} {}", r.path, r.span, r.message))
                    .collect();
                format!(
                    "{} {} {:?} {} {related:?}",
                    f.rule.name, f.path, f.span, f.message
                )
            })
            .collect();
        found.sort();
        found
    };
    let kept = findings(false);
    let rules: Vec<&str> = kept
        .iter()
        .map(|f| f.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        rules,
        [
            "property-type",
            "read-only-property",
            "read-only-property",
            "resource-representation-drift",
            "unknown-property"
        ],
        "{kept:#?}"
    );
    assert_eq!(findings(true), kept);
}
