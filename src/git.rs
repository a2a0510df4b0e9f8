//! What changed since a git revision (`--changed-since REF`): the files
//! added, modified or renamed between the revision's merge base with HEAD
//! and the working tree (uncommitted edits of tracked files included), and,
//! when asked, the lines each change touched, for annotations on changed
//! lines only. Read with the `git` command, which every CI image that checks
//! out a repository already has. Untracked files are not git's yet: `git
//! add` a new page to have it checked (listing them costs a walk of the
//! whole tree, more than the rest of a pull request's check).

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The changed files (absolute, canonical) and their changed lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Changes {
    /// Every file added, modified or renamed.
    pub files: HashSet<PathBuf>,
    /// The 1-based line ranges each file's change added or modified (when
    /// asked for); a file without an entry is wholly changed.
    pub lines: HashMap<PathBuf, Vec<RangeInclusive<usize>>>,
    /// What the changes were taken against.
    pub revision: Revision,
}

/// The commit a change is compared with, and what is gone since: every
/// other file git tracked there is, in the working tree, as it was there
/// (its blob, [`tree`], stands for its content).
#[derive(Debug, Clone, Default)]
pub(crate) struct Revision {
    /// The repository's top folder (canonical).
    pub top: PathBuf,
    /// The merge base's commit id.
    pub base: String,
    /// Files of the base deleted (or renamed away) since.
    pub deleted: HashSet<PathBuf>,
}

/// A file git tracks at a revision: its path (absolute) and blob id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tracked {
    pub path: PathBuf,
    /// `None` for a symbolic link, whose blob is the name of its target,
    /// not the page a walk reads through it.
    pub blob: Option<String>,
}

/// The changes since `rev` in the repository that holds `dir`; with
/// `lines`, the changed lines of each file too. `during(top, base)` runs
/// while git compares the working tree with the base (the type cache
/// lists the base's files then: neither waits for the other).
pub(crate) fn changed_since_with<T: Send>(
    rev: &str,
    dir: &Path,
    lines: bool,
    during: impl FnOnce(&Path, &str) -> T + Send,
) -> Result<(Changes, T), String> {
    // The top folder, the base and the diff, side by side (each is a git
    // process): the diff names the base itself (`--merge-base`), so that it
    // need not wait for `git merge-base` (the longest wait of a run).
    let (top, base, diff, done) = std::thread::scope(|s| {
        let top = s.spawn(|| git(dir, &["rev-parse", "--show-toplevel"]));
        // A branch that fell behind its base is compared with the merge base,
        // so that what others merged meanwhile is not this change's.
        let base = s.spawn(|| {
            git(dir, &["merge-base", rev, "HEAD"])
                .map(|b| (b.trim().to_owned(), true))
                .or_else(|_| {
                    git(dir, &["rev-parse", "--verify", "--quiet", rev])
                        .map(|b| (b.trim().to_owned(), false))
                })
        });
        // `during` runs once both are known, while git diffs.
        let known = s.spawn(move || {
            let top = top.join().unwrap_or_else(|_| Err("git".to_owned()));
            let base = base.join().unwrap_or_else(|_| Err("git".to_owned()));
            let top = top.map(|t| {
                let t = PathBuf::from(t.trim_end());
                std::fs::canonicalize(&t).unwrap_or(t)
            });
            let done = match (&top, &base) {
                (Ok(top), Ok((base, _))) => Some(during(top, base)),
                _ => None,
            };
            (top, base, done)
        });
        let diff = git(dir, &diff_args(lines, true, rev));
        // A panic in `during` is a bug: reported as it is, not swallowed.
        let (top, base, done) = known
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // No merge base (unrelated histories: the revision itself), several
        // (`--merge-base` refuses), or a git before 2.30: the base named.
        let diff = match (&diff, &base) {
            (Ok(_), Ok((_, true))) | (_, Err(_)) => diff,
            (_, Ok((base, _))) => git(dir, &diff_args(lines, false, base)),
        };
        (top, base.map(|(b, _)| b), diff, done)
    });
    let top = top?;
    let base = base.map_err(|_| {
        format!(
            "--changed-since: `{rev}` is not a revision of the repository at {}",
            top.display()
        )
    })?;
    // Both known: `during` ran.
    let done = done.ok_or_else(|| "git".to_owned())?;
    let mut changes = Changes::default();
    let diff = diff?;
    if lines {
        parse_hunks(
            &diff,
            &top,
            &mut changes.lines,
            &mut changes.revision.deleted,
        );
        changes.files.extend(changes.lines.keys().cloned());
    } else {
        parse_name_status(&diff, &top, &mut changes);
    }
    changes.revision.top = top;
    changes.revision.base = base;
    Ok((changes, done))
}

/// The diff of the working tree with `base` (its merge base with HEAD with
/// `merge_base`): each hunk's lines with `lines`, else each file's status.
fn diff_args(lines: bool, merge_base: bool, base: &str) -> Vec<&str> {
    let mut args = vec!["diff"];
    if merge_base {
        args.push("--merge-base");
    }
    if lines {
        args.extend(["-U0", "--no-color", "--no-ext-diff"]);
    } else {
        args.extend(["--name-status", "-z"]);
    }
    // Deleted files are listed too: a type cache must not take them as present.
    args.extend(["--diff-filter=AMRD", "--no-relative", base, "--"]);
    args
}

/// `git diff --name-status -z`: `STATUS\0PATH\0`, or for a rename or copy
/// `R100\0OLD\0NEW\0`.
fn parse_name_status(out: &str, top: &Path, changes: &mut Changes) {
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    while let Some(status) = fields.next() {
        let Some(path) = fields.next() else { break };
        match status.as_bytes().first() {
            Some(b'D') => {
                changes.revision.deleted.insert(top.join(path));
            }
            Some(b'R' | b'C') => {
                let Some(new) = fields.next() else { break };
                if status.starts_with('R') {
                    changes.revision.deleted.insert(top.join(path));
                }
                changes.files.insert(top.join(new));
            }
            _ => {
                changes.files.insert(top.join(path));
            }
        }
    }
}

/// Every file git tracks at `rev` below `dirs` (absolute folders in the
/// repository at `top`) whose path (below `top`) `wanted` accepts, with
/// its blob id: read from git's objects, no file of the working tree is
/// opened.
pub(crate) fn tree(
    top: &Path,
    rev: &str,
    dirs: &[PathBuf],
    wanted: impl FnMut(&str) -> bool,
) -> Result<Vec<Tracked>, String> {
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", rev, "--"];
    let specs = pathspecs(top, dirs)?;
    args.extend(specs.iter().map(String::as_str));
    Ok(parse_tree(&git(top, &args)?, top, wanted))
}

/// What a file that differs between two revisions is at the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Became {
    /// A file: its blob.
    File(String),
    /// A symbolic link.
    Link,
    /// Deleted, or no file any more (a submodule).
    Gone,
}

/// How each file below `dirs` that `wanted` accepts differs between two
/// revisions, from their trees alone (no file of the working tree is
/// looked at): its path (absolute) and what it became at `to`. Renames are
/// a deletion and an addition, as a listing sees them.
pub(crate) fn tree_diff(
    top: &Path,
    from: &str,
    to: &str,
    dirs: &[PathBuf],
    wanted: impl FnMut(&str) -> bool,
) -> Result<Vec<(PathBuf, Became)>, String> {
    let specs = pathspecs(top, dirs)?;
    let mut args = vec![
        "diff",
        "--raw",
        "-z",
        "--no-renames",
        "--no-abbrev",
        "--no-relative",
        from,
        to,
        "--",
    ];
    args.extend(specs.iter().map(String::as_str));
    parse_raw(&git(top, &args)?, top, wanted)
}

/// `git diff --raw -z`: `:OLDMODE NEWMODE OLD NEW STATUS\0PATH\0` a file.
fn parse_raw(
    out: &str,
    top: &Path,
    mut wanted: impl FnMut(&str) -> bool,
) -> Result<Vec<(PathBuf, Became)>, String> {
    let mut fields = out.split('\0');
    let mut changes = Vec::new();
    while let (Some(raw), Some(path)) = (fields.next(), fields.next()) {
        let mut meta = raw.trim_start_matches(':').split(' ');
        let (Some(_), Some(mode), Some(_), Some(blob)) =
            (meta.next(), meta.next(), meta.next(), meta.next())
        else {
            return Err(format!("git diff --raw: unexpected `{raw}`"));
        };
        if !wanted(path) {
            continue;
        }
        let after = match mode {
            "120000" => Became::Link,
            // Deleted (all zeros), or a submodule: another repository's.
            "000000" | "160000" => Became::Gone,
            _ => Became::File(blob.to_owned()),
        };
        changes.push((top.join(path), after));
    }
    Ok(changes)
}

/// `dirs` (absolute, in the repository at `top`) as git pathspecs.
fn pathspecs(top: &Path, dirs: &[PathBuf]) -> Result<Vec<String>, String> {
    let specs: Vec<String> = dirs
        .iter()
        .filter_map(|d| d.strip_prefix(top).ok())
        .map(|d| {
            let d = d.to_string_lossy().replace('\\', "/");
            if d.is_empty() {
                ".".to_owned()
            } else {
                d
            }
        })
        .collect();
    if specs.len() != dirs.len() {
        return Err("a folder is outside the repository".to_owned());
    }
    Ok(specs)
}

/// `git ls-tree -r -z`: `MODE SP TYPE SP OBJECT TAB PATH\0`: the blobs
/// (files and symbolic links; a submodule is another repository's).
fn parse_tree(out: &str, top: &Path, mut wanted: impl FnMut(&str) -> bool) -> Vec<Tracked> {
    out.split('\0')
        .filter_map(|entry| {
            let (meta, path) = entry.split_once('\t')?;
            if !wanted(path) {
                return None;
            }
            let mut meta = meta.split(' ');
            let mode = meta.next()?;
            let kind = meta.next()?;
            let blob = meta.next()?;
            (kind == "blob").then(|| Tracked {
                path: top.join(path),
                blob: (mode != "120000").then(|| blob.to_owned()),
            })
        })
        .collect()
}

/// The `+` side of each hunk of a `-U0` diff (`@@ -a,b +c,d @@`: lines c
/// to c+d-1; a hunk that only deletes touches no line of the new file).
fn parse_hunks(
    diff: &str,
    top: &Path,
    lines: &mut HashMap<PathBuf, Vec<RangeInclusive<usize>>>,
    deleted: &mut HashSet<PathBuf>,
) {
    let mut current: Option<PathBuf> = None;
    // The `---` side of the file being read, deleted when `+++` is /dev/null.
    let mut old: Option<&str> = None;
    // Between `diff --git` and the first hunk: a removed line `-- x` of a
    // hunk is not a `--- ` header.
    let mut header = false;
    for line in diff.lines() {
        if line.starts_with("diff --git ") {
            header = true;
            current = None;
            old = None;
        } else if line.starts_with("@@ ") {
            header = false;
        }
        if !header {
            // Hunk lines, below.
        } else if let Some(name) = line.strip_prefix("rename to ") {
            // A rename without edits has no hunk: the page is new at its name.
            lines.entry(top.join(name)).or_default();
        } else if let Some(name) = line.strip_prefix("rename from ") {
            deleted.insert(top.join(name));
        } else if let Some(name) = line.strip_prefix("--- ") {
            old = name.strip_prefix("a/");
        } else if let Some(name) = line.strip_prefix("+++ ") {
            if name == "/dev/null" {
                deleted.extend(old.map(|o| top.join(o)));
            }
            current = name.strip_prefix("b/").map(|n| top.join(n));
            if let Some(file) = &current {
                lines.entry(file.clone()).or_default();
            }
            continue;
        }
        if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
            let Some(added) = hunk.split(' ').find_map(|part| part.strip_prefix('+')) else {
                continue;
            };
            let (start, count) = match added.split_once(',') {
                Some((s, c)) => (s.parse().unwrap_or(0), c.parse().unwrap_or(0)),
                None => (added.parse().unwrap_or(0), 1),
            };
            if count > 0 && start > 0 {
                lines
                    .entry(file.clone())
                    .or_default()
                    .push(start..=start + count - 1);
            }
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .output()
        .map_err(|e| format!("--changed-since needs git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("git {}: {e}", args.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_the_new_side_lines() {
        let diff = "diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -3 +3,2 @@ h\n-a\n+b\n+c\n@@ -10,2 +11,0 @@\n-d\n-e\n@@ -20 +20 @@\n-f\n+g\n";
        let mut lines = HashMap::new();
        let mut deleted = HashSet::new();
        parse_hunks(diff, Path::new("/r"), &mut lines, &mut deleted);
        assert_eq!(lines[Path::new("/r/x.md")], vec![3..=4, 20..=20]);
        assert!(deleted.is_empty());
    }

    #[test]
    fn deleted_and_renamed_away_files_are_gone() {
        let diff = "diff --git a/gone.md b/gone.md\ndeleted file mode 100644\n--- a/gone.md\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\ndiff --git a/old.md b/new.md\nsimilarity index 100%\nrename from old.md\nrename to new.md\n";
        let mut lines = HashMap::new();
        let mut deleted = HashSet::new();
        parse_hunks(diff, Path::new("/r"), &mut lines, &mut deleted);
        assert_eq!(
            deleted,
            HashSet::from([PathBuf::from("/r/gone.md"), PathBuf::from("/r/old.md")])
        );
        assert_eq!(
            lines.keys().collect::<Vec<_>>(),
            vec![Path::new("/r/new.md")]
        );

        let mut changes = Changes::default();
        parse_name_status(
            "M\0a.md\0D\0gone.md\0R087\0old.md\0new.md\0A\0b.md\0",
            Path::new("/r"),
            &mut changes,
        );
        let mut files: Vec<_> = changes.files.iter().collect();
        files.sort();
        assert_eq!(
            files,
            vec![
                Path::new("/r/a.md"),
                Path::new("/r/b.md"),
                Path::new("/r/new.md")
            ]
        );
        assert_eq!(
            changes.revision.deleted,
            HashSet::from([PathBuf::from("/r/gone.md"), PathBuf::from("/r/old.md")])
        );
    }

    #[test]
    fn a_tree_lists_files_with_their_blobs_and_links_without() {
        let out = "100644 blob aaaa\tdocs/a.md\x00100644 blob eeee\tdocs/skipped.md\x00120000 blob bbbb\tdocs/link.md\x00160000 commit cccc\tsub\x00100755 blob dddd\tdocs/b c.md\x00";
        assert_eq!(
            parse_tree(out, Path::new("/r"), |p| p != "docs/skipped.md"),
            vec![
                Tracked {
                    path: PathBuf::from("/r/docs/a.md"),
                    blob: Some("aaaa".to_owned())
                },
                Tracked {
                    path: PathBuf::from("/r/docs/link.md"),
                    blob: None
                },
                Tracked {
                    path: PathBuf::from("/r/docs/b c.md"),
                    blob: Some("dddd".to_owned())
                },
            ]
        );
    }

    #[test]
    fn a_raw_diff_says_what_each_file_became() {
        let out = ":100644 100644 aaaa bbbb M\0docs/a.md\0:000000 100644 0000 cccc A\0docs/new.md\0:100644 000000 dddd 0000 D\0docs/gone.md\0:100644 120000 eeee ffff T\0docs/link.md\0:000000 160000 0000 9999 A\0sub\0:100644 100644 1111 2222 M\0docs/skipped.md\0";
        assert_eq!(
            parse_raw(out, Path::new("/r"), |p| p != "docs/skipped.md").unwrap(),
            vec![
                (
                    PathBuf::from("/r/docs/a.md"),
                    Became::File("bbbb".to_owned())
                ),
                (
                    PathBuf::from("/r/docs/new.md"),
                    Became::File("cccc".to_owned())
                ),
                (PathBuf::from("/r/docs/gone.md"), Became::Gone),
                (PathBuf::from("/r/docs/link.md"), Became::Link),
                (PathBuf::from("/r/sub"), Became::Gone),
            ]
        );
        assert!(parse_raw("garbage\0x\0", Path::new("/r"), |_| true).is_err());
        assert_eq!(parse_raw("", Path::new("/r"), |_| true), Ok(Vec::new()));
    }

    /// A repository whose `main` moved on since `side` branched off, an
    /// unrelated `other` history, and uncommitted work.
    fn branched() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(dir.path())
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        git(&["init", "-q", "-b", "main"]);
        write("a.md", "one\n");
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "c1"]);
        git(&["checkout", "-q", "-b", "side"]);
        write("s.md", "side\n");
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "s1"]);
        git(&["checkout", "-q", "--orphan", "other"]);
        git(&["rm", "-rq", "--cached", "."]);
        std::fs::remove_file(dir.path().join("a.md")).unwrap();
        std::fs::remove_file(dir.path().join("s.md")).unwrap();
        write("x.md", "other\n");
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "o1"]);
        git(&["checkout", "-q", "main"]);
        write("a.md", "two\n");
        write("b.md", "new\n");
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "c2"]);
        write("b.md", "edited\n");
        write("c.md", "staged\n");
        git(&["add", "c.md"]);
        dir
    }

    fn names(files: &HashSet<PathBuf>) -> Vec<String> {
        let mut names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_change_is_taken_against_the_merge_base_or_else_the_revision() {
        let dir = branched();
        let commit = |rev: &str| {
            git(dir.path(), &["rev-parse", rev])
                .unwrap()
                .trim()
                .to_owned()
        };
        // Against `side`: what main did since it branched off (not s.md,
        // which only `side` has), with uncommitted edits.
        for lines in [false, true] {
            let (changes, seen) =
                changed_since_with("side", dir.path(), lines, |_, base| base.to_owned()).unwrap();
            assert_eq!(names(&changes.files), ["a.md", "b.md", "c.md"]);
            assert!(changes.revision.deleted.is_empty());
            assert_eq!(seen, commit("main~1"));
            assert_eq!(changes.revision.base, seen);
        }
        // Against an unrelated history: the revision itself.
        let (changes, seen) =
            changed_since_with("other", dir.path(), false, |_, base| base.to_owned()).unwrap();
        assert_eq!(names(&changes.files), ["a.md", "b.md", "c.md"]);
        assert_eq!(names(&changes.revision.deleted), ["x.md"]);
        assert_eq!(seen, commit("other"));
        // Not a revision at all.
        let error = changed_since_with("nowhere", dir.path(), false, |_, _| ()).unwrap_err();
        assert!(error.contains("`nowhere` is not a revision"), "{error}");
    }
}
