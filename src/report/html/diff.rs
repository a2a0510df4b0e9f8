//! Side-by-side line diff of a documented and an actual body, for the HTML
//! report. JSON bodies are pretty-printed first so that layout differences
//! (one line vs indented) do not drown the value differences.

use similar::{DiffTag, TextDiff};

/// Lines of context kept around each change.
const CONTEXT: usize = 3;

/// One row of the two-column table; `None` on a side leaves it empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub left: Option<(usize, String)>,
    pub right: Option<(usize, String)>,
    /// `eq`, `del` (left only), `ins` (right only), `chg` (both differ),
    /// `gap` (unchanged lines left out).
    pub class: &'static str,
}

/// Normalises a body for comparison: pretty JSON when it parses.
fn layout(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_owned())
}

/// The rows of the diff of `documented` (left) against `actual` (right).
pub(crate) fn side_by_side(documented: &str, actual: &str) -> Vec<Row> {
    let (old, new) = (layout(documented), layout(actual));
    let diff = TextDiff::from_lines(&old, &new);
    let (left, right) = (diff.old_slices(), diff.new_slices());
    let text = |s: &str| s.trim_end_matches(['\n', '\r']).to_owned();
    let mut rows = Vec::new();
    for (g, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if g > 0 {
            rows.push(Row {
                left: None,
                right: None,
                class: "gap",
            });
        }
        for op in group {
            let (o, n) = (op.old_range(), op.new_range());
            match op.tag() {
                DiffTag::Equal => {
                    for (i, j) in o.zip(n) {
                        rows.push(Row {
                            left: Some((i + 1, text(left[i]))),
                            right: Some((j + 1, text(right[j]))),
                            class: "eq",
                        });
                    }
                }
                DiffTag::Delete => rows.extend(o.map(|i| Row {
                    left: Some((i + 1, text(left[i]))),
                    right: None,
                    class: "del",
                })),
                DiffTag::Insert => rows.extend(n.map(|j| Row {
                    left: None,
                    right: Some((j + 1, text(right[j]))),
                    class: "ins",
                })),
                DiffTag::Replace => {
                    // Changed lines face each other; the longer side's
                    // extra lines face an empty cell.
                    for k in 0..o.len().max(n.len()) {
                        let (i, j) = (o.start + k, n.start + k);
                        let l = (i < o.end).then(|| (i + 1, text(left[i])));
                        let r = (j < n.end).then(|| (j + 1, text(right[j])));
                        rows.push(Row {
                            left: l,
                            right: r,
                            class: "chg",
                        });
                    }
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_are_compared_value_by_value() {
        let rows = side_by_side(r#"{"id":"1","name":"a"}"#, r#"{"id":"1","name":"b"}"#);
        let changed: Vec<_> = rows.iter().filter(|r| r.class != "eq").collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].class, "chg");
        assert_eq!(changed[0].left, Some((3, r#"  "name": "a""#.to_owned())));
        assert_eq!(changed[0].right, Some((3, r#"  "name": "b""#.to_owned())));
    }

    #[test]
    fn added_lines_sit_on_the_right_only() {
        let rows = side_by_side("a\nb\n", "a\nb\nc\n");
        assert_eq!(rows.last().map(|r| r.class), Some("ins"));
        assert_eq!(rows.last().and_then(|r| r.left.clone()), None);
        assert_eq!(
            rows.last().and_then(|r| r.right.clone()),
            Some((3, "c".to_owned()))
        );
    }

    #[test]
    fn equal_bodies_have_no_rows() {
        assert!(side_by_side("{\"a\": 1}", "{ \"a\" : 1 }").is_empty());
    }
}
