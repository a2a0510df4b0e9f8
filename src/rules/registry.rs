//! Every rule, declared once (after ty's `declare_lint!`): its name, default
//! severity, one-line summary and its documentation page, compiled in so
//! that `exemplar rules NAME` works from any folder.

use crate::finding::Severity;

/// Which command raises a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `check` (and `run`, which reports the static findings too).
    Check,
    /// Across locales, in `check` and `run`.
    Locale,
    /// Only `run`, from the endpoint's answers.
    Run,
}

#[derive(Debug)]
pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    pub summary: &'static str,
    pub doc: &'static str,
}

macro_rules! declare_rules {
    ($( $ident:ident: $name:literal, $severity:ident, $scope:ident, $summary:literal; )*) => {
        $(
            pub const $ident: &Rule = &Rule {
                name: $name,
                severity: Severity::$severity,
                scope: Scope::$scope,
                summary: $summary,
                doc: include_str!(concat!("../../docs/rules/", $name, ".md")),
            };
        )*
        /// Every rule, in the order `exemplar rules` lists them.
        pub static ALL: &[&Rule] = &[$($ident),*];
    };
}

declare_rules! {
    UNREADABLE_PAGE: "unreadable-page", Error, Check, "a page cannot be read as text: I/O error, binary content, or invalid UTF-8";
    JSON_SYNTAX: "json-syntax", Error, Check, "a request or response body that should be JSON is not";
    HTTP_SYNTAX: "http-syntax", Error, Check, "a request line, status line or header line is malformed";
    ANNOTATION_SYNTAX: "annotation-syntax", Error, Check, "an annotation comment is not valid JSON, not an object, or names an unknown blockType";
    ORPHAN_ANNOTATION: "orphan-annotation", Warning, Check, "a request/response annotation is not followed by a code block";
    UNPAIRED_EXAMPLE: "unpaired-example", Warning, Check, "a request has no response, or a response has no request";
    CONTENT_LENGTH: "content-length", Warning, Check, "a declared Content-Length matches the body's byte length neither with LF nor with CRLF line ends";
    ECHO_MISMATCH: "echo-mismatch", Error, Check, "a property sent in a create/update/action request comes back with a different value";
    ENUM_VALUE: "enum-value", Error, Check, "a value is not among the possible values the property table lists";
    REQUIRED_PROPERTY: "required-property", Warning, Check, "a create request omits a property the property table marks required";
    PATH_TEMPLATE: "path-template", Warning, Check, "an example's method and path match none of the page's documented request templates";
    STATUS_PROSE: "status-prose", Warning, Check, "the documented response status differs from the one the Response section states";
    PLACEHOLDER_VALUE: "placeholder-value", Warning, Check, "an example carries a placeholder instead of a value";
    TODO_MARKER: "todo-marker", Warning, Check, "the page still holds a TODO marker";
    DUPLICATE_EXAMPLE_NAME: "duplicate-example-name", Warning, Check, "two examples share an annotation name within one locale";
    UNKNOWN_RULE: "unknown-rule", Warning, Check, "a configuration or suppression names a rule that does not exist";
    UNUSED_SUPPRESSION: "unused-suppression", Warning, Check, "an exemplar-disable comment suppresses nothing";
    UNKNOWN_TYPE: "unknown-type", Error, Check, "an @odata.type that no resource page of the docs set defines";
    UNKNOWN_PROPERTY: "unknown-property", Error, Check, "a body property that its resource type does not define (open types exempt)";
    PROPERTY_TYPE: "property-type", Error, Check, "a body value of the wrong JSON type, format or enum member for its property";
    READ_ONLY_PROPERTY: "read-only-property", Warning, Check, "a create/update request sends a property its resource page documents as read-only";
    RESOURCE_REPRESENTATION_DRIFT: "resource-representation-drift", Warning, Check, "a resource page's properties table and its JSON representation disagree";
    LOCALE_EXAMPLE_DRIFT: "locale-example-drift", Warning, Locale, "a localized page's example differs from the source-language example";
    LOCALE_PERMISSION_DRIFT: "locale-permission-drift", Warning, Locale, "a localized page's permissions table grants different permissions than the source";
    LOCALE_MISSING_EXAMPLE: "locale-missing-example", Warning, Locale, "a localized page lacks an example the source has, or has one the source lacks";
    STATUS_MISMATCH: "status-mismatch", Error, Run, "the endpoint answered with another status than documented";
    BODY_MISMATCH: "body-mismatch", Error, Run, "the endpoint's body differs structurally from the documented one";
    HEADER_MISMATCH: "header-mismatch", Warning, Run, "a documented response header (Content-Type) differs";
    TRANSPORT_ERROR: "transport-error", Error, Run, "no answer: connection refused, reset, timeout, TLS failure";
}

/// The rule named `name`.
pub fn lookup(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}

/// The closest rule name, for "did you mean" (edit distance at most a third of the name).
pub fn suggest(name: &str) -> Option<&'static str> {
    ALL.iter()
        .map(|r| (edit_distance(name, r.name), r.name))
        .filter(|(d, r)| *d <= r.len().max(3) / 3)
        .min()
        .map(|(_, r)| r)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        assert_eq!(suggest("json-sytnax"), Some("json-syntax"));
        assert_eq!(suggest("todo"), None);
        assert_eq!(suggest("todo-markers"), Some("todo-marker"));
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }
}
