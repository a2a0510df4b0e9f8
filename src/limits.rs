//! Size bounds on hostile input (issue 13): past them exemplar says so in a
//! finding instead of spending the runner's memory and time. The defaults
//! sit far above any real page (the largest of 9,941 corpus pages is 82 KB);
//! an environment variable moves each, in bytes:
//!
//! | bound | default | variable |
//! |---|---|---|
//! | a page, read from disk | 10 MiB | `EXEMPLAR_MAX_PAGE_BYTES` |
//! | one JSON body or annotation, parsed | 4 MiB | `EXEMPLAR_MAX_BODY_BYTES` |
//! | one answer of a live endpoint, read | 32 MiB | `EXEMPLAR_MAX_RESPONSE_BYTES` |
//!
//! A page over its bound is a `page-too-large` finding and is not read; a
//! body over its bound is left unparsed, and `json-syntax` says it skipped it;
//! an answer over its bound is a `transport-error`, read no further.

use std::sync::OnceLock;

pub(crate) const DEFAULT_PAGE_BYTES: usize = 10 * 1024 * 1024;
pub(crate) const DEFAULT_BODY_BYTES: usize = 4 * 1024 * 1024;
pub(crate) const DEFAULT_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The largest page exemplar reads.
pub(crate) fn page_bytes() -> usize {
    static BOUND: OnceLock<usize> = OnceLock::new();
    *BOUND.get_or_init(|| from_env("EXEMPLAR_MAX_PAGE_BYTES", DEFAULT_PAGE_BYTES))
}

/// The largest JSON text (a body, an annotation) exemplar parses.
pub(crate) fn body_bytes() -> usize {
    static BOUND: OnceLock<usize> = OnceLock::new();
    *BOUND.get_or_init(|| from_env("EXEMPLAR_MAX_BODY_BYTES", DEFAULT_BODY_BYTES))
}

/// The largest answer exemplar reads from an endpoint: a service that
/// streams without end must not take the runner's memory.
pub(crate) fn response_bytes() -> usize {
    static BOUND: OnceLock<usize> = OnceLock::new();
    *BOUND.get_or_init(|| from_env("EXEMPLAR_MAX_RESPONSE_BYTES", DEFAULT_RESPONSE_BYTES))
}

fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// `10 MB`, `820 KB`, `912 bytes`: a size as a message shows it.
pub(crate) fn shown(bytes: usize) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / MB).replace(".0 MB", " MB")
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(shown(DEFAULT_PAGE_BYTES), "10 MB");
        assert_eq!(shown(5 * 1024 * 1024 + 300 * 1024), "5.3 MB");
        assert_eq!(shown(839_680), "820 KB");
        assert_eq!(shown(912), "912 bytes");
    }
}
