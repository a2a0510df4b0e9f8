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
}

/// The changes since `rev` in the repository that holds `dir`; with
/// `lines`, the changed lines of each file too.
pub(crate) fn changed_since(rev: &str, dir: &Path, lines: bool) -> Result<Changes, String> {
    let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?.trim_end());
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    // A branch that fell behind its base is compared with the merge base,
    // so that what others merged meanwhile is not this change's.
    let base = git(&top, &["merge-base", rev, "HEAD"])
        .map(|b| b.trim().to_owned())
        .or_else(|_| {
            git(&top, &["rev-parse", "--verify", "--quiet", rev]).map(|b| b.trim().to_owned())
        })
        .map_err(|_| {
            format!(
                "--changed-since: `{rev}` is not a revision of the repository at {}",
                top.display()
            )
        })?;
    let mut changes = Changes::default();
    // One diff against the working tree (git refreshes the index once).
    if lines {
        let diff = git(
            &top,
            &[
                "diff",
                "-U0",
                "--no-color",
                "--no-ext-diff",
                "--diff-filter=AMR",
                &base,
                "--",
            ],
        )?;
        parse_hunks(&diff, &top, &mut changes.lines);
        changes.files.extend(changes.lines.keys().cloned());
    } else {
        let names = git(
            &top,
            &[
                "diff",
                "--name-only",
                "-z",
                "--diff-filter=AMR",
                &base,
                "--",
            ],
        )?;
        for name in names.split('\0').filter(|n| !n.is_empty()) {
            changes.files.insert(top.join(name));
        }
    }
    Ok(changes)
}

/// The `+` side of each hunk of a `-U0` diff (`@@ -a,b +c,d @@`: lines c
/// to c+d-1; a hunk that only deletes touches no line of the new file).
fn parse_hunks(diff: &str, top: &Path, lines: &mut HashMap<PathBuf, Vec<RangeInclusive<usize>>>) {
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        // A rename without edits has no hunk: the page is new at its name.
        if let Some(name) = line.strip_prefix("rename to ") {
            lines.entry(top.join(name)).or_default();
        } else if let Some(name) = line.strip_prefix("+++ ") {
            current = name.strip_prefix("b/").map(|n| top.join(n));
            if let Some(file) = &current {
                lines.entry(file.clone()).or_default();
            }
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
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
        parse_hunks(diff, Path::new("/r"), &mut lines);
        assert_eq!(lines[Path::new("/r/x.md")], vec![3..=4, 20..=20]);
    }
}
