//! The cached model is the model built from every page, whatever the
//! working tree did since the revision: edits, new pages, deletions,
//! renames, a damaged cache, and a cache made before the edits.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::discover::Selection;
use crate::page::Depth;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/types/basic.docset"
);

struct Repo {
    dir: tempfile::TempDir,
    /// How the last run listed the base.
    last: std::cell::Cell<Option<Listing>>,
    /// Did the last run's model come from the cache's model as it was?
    assumed: std::cell::Cell<bool>,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
            last: std::cell::Cell::new(None),
            assumed: std::cell::Cell::new(false),
        };
        copy(Path::new(FIXTURE), &repo.docs());
        repo.git(&["init", "-q", "-b", "main"]);
        repo.commit();
        repo
    }

    fn docs(&self) -> PathBuf {
        self.dir.path().join("docs")
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(self.dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn commit(&self) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", "docs"]);
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    /// The model from the cache (`--changed-since HEAD`), with the pages read and the hits.
    fn cached(&self, dir: &CacheDir) -> (String, usize, usize) {
        let cached = self.cached_below(&[self.docs()], dir);
        self.last.set(Some(cached.listing));
        self.assumed.set(cached.assumed);
        (shown(&cached.model), cached.read, cached.hits)
    }

    /// The same below `roots`, with how the base was listed.
    fn cached_below(&self, roots: &[PathBuf], dir: &CacheDir) -> Cached {
        // The base's files listed while git diffs, as `check` does.
        let (changes, prepared) =
            crate::git::changed_since_with("HEAD", &roots[0], false, |top, base| {
                prepare(roots, &options(), top, base, dir)
            })
            .unwrap();
        model(
            prepared.unwrap(),
            "en-us",
            &changes.revision,
            &changes.files,
        )
        .unwrap()
    }

    /// How the last run listed the base.
    fn listed(&self) -> Listing {
        self.last.get().expect("a run")
    }

    /// The model from every page, as a sliced run without the cache builds it.
    fn built(&self) -> String {
        self.built_below(&[self.docs()])
    }

    fn built_below(&self, roots: &[PathBuf]) -> String {
        let pages = discover::load_with(roots, &options(), |page, _| {
            page.types.is_some().then_some(page)
        })
        .unwrap()
        .pages
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
        shown(&Model::build_for(&pages, "en-us"))
    }
}

fn options() -> DiscoverOptions {
    DiscoverOptions {
        depth: Depth::Types,
        selection: Selection {
            locale: Some("en-us".to_owned()),
            ..Selection::default()
        },
        ..DiscoverOptions::default()
    }
}

/// Every definition, with the page and span each points to.
fn shown(model: &Model) -> String {
    format!("{:#?}\n{:#?}", model.types, model.enums)
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else if entry.path().extension().is_some_and(|e| e == "md") {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn en_us_pages(repo: &Repo) -> usize {
    discover::load(&[repo.docs()], &options())
        .unwrap()
        .pages
        .len()
}

#[test]
fn the_cached_model_is_the_built_model_through_every_kind_of_change() {
    let repo = Repo::new();
    let dir = CacheDir::At(repo.cache());
    let pages = en_us_pages(&repo);
    assert_eq!(pages, 9, "the fixture's en-us pages");
    let file = repo.cache().join(FILE);

    // A first run reads every page and fills the cache.
    let (model, read, hits) = repo.cached(&dir);
    assert_eq!(model, repo.built());
    assert!(model.contains("microsoft.graph.widget"), "{model}");
    assert_eq!((read, hits), (pages, 0));
    assert_eq!(repo.listed(), Listing::Listed);
    assert_eq!(stored_keys(&file).len(), pages);
    assert!(repo.cache().join(".gitignore").is_file());

    // Nothing changed: nothing is read, and the base is not listed again.
    let (model, read, hits) = repo.cached(&dir);
    assert_eq!(model, repo.built());
    assert_eq!((read, hits), (0, pages));
    assert_eq!(repo.listed(), Listing::Kept);
    assert!(repo.assumed.get());

    // An edit of a page that defines no type: the model merged while git
    // compared is the model.
    let post = repo.docs().join("en-us/api/widget-post.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\nAn edit of one paragraph.\n")).unwrap();
    let (model, read, _) = repo.cached(&dir);
    assert_eq!(model, repo.built());
    assert_eq!(read, 1);
    assert!(repo.assumed.get());
    std::fs::write(&post, text).unwrap();

    // A property added to a resource page, not committed: that page is read.
    let widget = repo.docs().join("en-us/resources/widget.md");
    let text = std::fs::read_to_string(&widget).unwrap();
    std::fs::write(
        &widget,
        text.replace(
            "| size | Int32 |",
            "| weight | Double | The weight in grams. |\n| size | Int32 |",
        ),
    )
    .unwrap();
    let (model, read, hits) = repo.cached(&dir);
    assert!(model.contains("\"weight\""), "{model}");
    assert_eq!(model, repo.built());
    assert_eq!((read, hits), (1, pages - 1));
    assert_eq!(repo.listed(), Listing::Kept);
    assert!(!repo.assumed.get(), "widget.md defines a type");

    // A new resource page (staged), and a page deleted.
    let gizmo = text
        .replace("widget", "gizmo")
        .replace("Inherits from [entity](entity.md).", "");
    std::fs::write(repo.docs().join("en-us/resources/gizmo.md"), gizmo).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["rm", "-q", "docs/en-us/resources/gadget.md"]);
    let (model, read, _) = repo.cached(&dir);
    assert!(model.contains("microsoft.graph.gizmo"), "{model}");
    assert!(!model.contains("microsoft.graph.gadget"), "{model}");
    assert_eq!(model, repo.built());
    assert_eq!(read, 2, "widget.md and gizmo.md");

    // Committed: the listing moves to the new base by how the trees
    // differ, and the cache learns the new blobs once.
    repo.commit();
    let (model, read, hits) = repo.cached(&dir);
    assert_eq!(model, repo.built());
    assert_eq!((read, hits), (2, pages - 2));
    assert_eq!(repo.listed(), Listing::Moved);
    let (_, read, _) = repo.cached(&dir);
    assert_eq!(read, 0);
    assert_eq!(repo.listed(), Listing::Kept);
    assert!(!stored_keys(&file)
        .iter()
        .any(|(path, _)| path.ends_with("gadget.md")));

    // A renamed page is found at its new name (and its file stem with it).
    repo.git(&[
        "mv",
        "docs/en-us/resources/identity.md",
        "docs/en-us/resources/person.md",
    ]);
    let (model, _, _) = repo.cached(&dir);
    assert!(model.contains("resources/person.md"), "{model}");
    assert!(!model.contains("resources/identity.md"), "{model}");
    assert_eq!(model, repo.built());

    // A cache whose base this clone does not have (a shallow one) is
    // listed anew, and what it knew of each blob still serves.
    let mut stored = super::read(&file).unwrap();
    stored.base = "0123456789abcdef0123456789abcdef01234567".to_owned();
    write(&file, &stored);
    let (model, read_now, hits) = repo.cached(&dir);
    assert_eq!(model, repo.built());
    assert_eq!(repo.listed(), Listing::Listed);
    assert_eq!((read_now, hits), (1, pages - 1), "person.md is new to it");

    // A damaged cache is no cache.
    std::fs::write(&file, b"\x00\x01 not a cache").unwrap();
    let (model, read, hits) = repo.cached(&dir);
    assert_eq!(model, repo.built());
    assert_eq!((read, hits), (pages, 0));
    assert_eq!(repo.listed(), Listing::Listed);
}

#[test]
fn without_a_cache_nothing_is_written() {
    let repo = Repo::new();
    let (model, read, hits) = repo.cached(&CacheDir::Off);
    assert_eq!(model, repo.built());
    assert_eq!((read, hits), (en_us_pages(&repo), 0));
    assert!(!repo.cache().exists());
    assert!(!repo.dir.path().join(".exemplar_cache").exists());
}

#[test]
fn a_page_committed_below_overlapping_roots_is_placed_as_the_walk_places_it() {
    let repo = Repo::new();
    let dir = CacheDir::At(repo.cache());
    // Two roots, one inside the other: each page is listed below both.
    let roots = [repo.docs(), repo.docs().join("en-us")];
    let first = repo.cached_below(&roots, &dir);
    assert_eq!(shown(&first.model), repo.built_below(&roots));
    assert_eq!(first.listing, Listing::Listed);

    // A new resource page in a folder that sorts first, and one that sorts
    // last, committed: the base moves, and they are placed below both roots.
    let widget = std::fs::read_to_string(repo.docs().join("en-us/resources/widget.md")).unwrap();
    for (folder, name) in [("aaa", "sprocket"), ("zzz", "flange")] {
        let dir = repo.docs().join("en-us").join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        let page = widget
            .replace("widget", name)
            .replace("Inherits from [entity](entity.md).", "");
        std::fs::write(dir.join(format!("{name}.md")), page).unwrap();
    }
    repo.commit();
    let moved = repo.cached_below(&roots, &dir);
    let model = shown(&moved.model);
    assert!(model.contains("aaa/sprocket.md"), "{model}");
    assert!(model.contains("zzz/flange.md"), "{model}");
    assert_eq!(model, repo.built_below(&roots));
    assert_eq!(moved.listing, Listing::Moved);
    assert_eq!(
        (moved.read, moved.hits),
        (4, first.read),
        "each new page below each root"
    );
}
