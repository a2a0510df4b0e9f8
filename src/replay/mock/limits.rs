//! When `run` replays a page against the built-in mock, some documented
//! responses cannot come out of a stateful service built from the docs:
//! a create's response showing values the request did not send (the real
//! service derives them), a read of an item another page documents with
//! other values, a list showing items no request created, a query option
//! the mock does not implement. Such a difference says nothing about the
//! page, so it is a skip with its own reason (a mock limitation), not a
//! `body-mismatch`. A difference in a value the request sent stays a
//! finding: any service answers what it was sent, and a page documenting
//! another value is wrong whatever the endpoint.

use serde_json::Value;

use crate::finding::Finding;
use crate::rule::Severity;

/// The answer header value (see `handle::ANSWER_HEADER`) of answers made
/// from the mock's state, and of refusals of an unsupported query option.
pub(crate) const STORE: &str = "store";
pub(crate) const UNSUPPORTED: &str = "unsupported";

/// Splits the comparison's findings of one example into those that stand
/// and, when the rest are explained by the mock's state, the reason (the
/// first explained difference, in words).
pub(crate) fn sift(
    answer: Option<&str>,
    findings: Vec<Finding>,
    sent: Option<&Value>,
) -> (Vec<Finding>, Option<String>) {
    let Some(kind @ (STORE | UNSUPPORTED)) = answer else {
        return (findings, None);
    };
    let mut kept = Vec::new();
    let mut reason = None;
    for f in findings {
        let explained = f.severity == Severity::Error
            && (kind == UNSUPPORTED
                || match &f.pointer {
                    // `@odata.type` and friends are the service's to write.
                    Some(p)
                        if p.rsplit('/')
                            .next()
                            .is_some_and(|k| k.starts_with("@odata.")) =>
                    {
                        true
                    }
                    // The request sent this value: the page contradicts itself.
                    Some(p) if !p.is_empty() => sent.and_then(|s| s.pointer(p)).is_none(),
                    _ => true,
                });
        if explained {
            reason.get_or_insert(f.message);
        } else {
            kept.push(f);
        }
    }
    (kept, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn body_mismatch(pointer: &str) -> Finding {
        Finding::new(
            &crate::replay::compare::BODY_MISMATCH,
            &Arc::from("p.md"),
            0..1,
            format!("`{pointer}` differs"),
        )
        .pointer(pointer)
    }

    #[test]
    fn differences_in_sent_values_stand_the_rest_are_the_mocks() {
        let sent = serde_json::json!({"displayName": "A"});
        let (kept, why) = sift(
            Some(STORE),
            vec![body_mismatch("/givenName"), body_mismatch("/displayName")],
            Some(&sent),
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].pointer.as_deref(), Some("/displayName"));
        assert_eq!(why.as_deref(), Some("`/givenName` differs"));
        // A documented answer: everything stands.
        let (kept, why) = sift(None, vec![body_mismatch("/givenName")], Some(&sent));
        assert_eq!((kept.len(), why), (1, None));
        // An unsupported option explains everything.
        let (kept, why) = sift(
            Some(UNSUPPORTED),
            vec![body_mismatch("/displayName")],
            Some(&sent),
        );
        assert_eq!((kept.len(), why.is_some()), (0, true));
    }
}
