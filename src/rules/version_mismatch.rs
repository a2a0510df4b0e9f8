//! `version-mismatch`: an example calls another API version than the page
//! documents: a page of the `beta` docs set whose example calls `/v1.0/`,
//! or the reverse. The docs set's version is `version` in `exemplar.toml`
//! when given, else the last folder of the page's path that names a version
//! (`api-reference/beta/api/user-get.md`, `docs/2023-01-01/widgets.md`).
//! The example's version is the first segment of its URL's path (or the
//! second, after a plain base such as `/api`), as in a service root
//! `https://graph.microsoft.com/v1.0`; a URL whose version stands deeper
//! (`https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`) calls
//! another service, and one without a version (`/me`) names none.

use std::ops::Range;

use super::path_template::is_version;
use super::Ctx;
use crate::example::Example;
use crate::http::StartLine;
use crate::rule::declare_rule;

declare_rule! {
    pub(crate) VERSION_MISMATCH = "version-mismatch", Warning, Check,
    "an example calls another API version than the page documents";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let Some(request) = &example.request else {
        return;
    };
    let StartLine::Request { url, url_span, .. } = &request.message.start else {
        return;
    };
    // The page's version is the same for every example: read once per page.
    let Some((documented, configured)) = ctx.documented_version() else {
        return;
    };
    let Some(range) = url_version(url) else {
        return;
    };
    let called = &url[range.clone()];
    if called.eq_ignore_ascii_case(documented) {
        return;
    }
    let source = if configured {
        "`version` in exemplar.toml".to_owned()
    } else {
        format!("the page's folder `{documented}/`")
    };
    let at = url_span.start + range.start;
    let finding = ctx.report(&VERSION_MISMATCH,
        at..at + called.len(),
        format!("the example calls version `{called}` of the API, but the page documents version `{documented}`"),
    );
    finding.help = Some(format!(
        "call `/{documented}/`, the version {source} names, or move the example to the `{called}` docs"
    ));
    finding.expected = Some(documented.to_owned());
    finding.actual = Some(called.to_owned());
}

/// The version the page documents, and whether the configuration (rather
/// than the page's folder) names it.
pub(super) fn documented_version<'p>(
    configured: Option<&'p str>,
    path: &'p str,
) -> Option<(&'p str, bool)> {
    match configured {
        Some(v) => Some((v, true)),
        None => path_version(path).map(|v| (v, false)),
    }
}

/// The version a docs set's folder names: the last folder of the path
/// that is a version (`v1.0`, `beta`, `2023-01-01`).
fn path_version(path: &str) -> Option<&str> {
    // The folders from the last, by byte searches for the separators (both
    // ASCII): `rsplit` with a set of characters decodes every one.
    let bytes = path.as_bytes();
    // The file name is no folder.
    let mut end = memchr::memrchr2(b'/', b'\\', bytes)?;
    loop {
        let start = memchr::memrchr2(b'/', b'\\', &bytes[..end]).map_or(0, |i| i + 1);
        let folder = &path[start..end];
        if is_version(folder) {
            return Some(folder);
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
    }
}

/// Where the version of the URL's service root stands (`/v1.0/me` names
/// one too; `/me` does not).
fn url_version(url: &str) -> Option<Range<usize>> {
    super::path_template::service_root_version(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_set_version_comes_from_the_path() {
        assert_eq!(
            path_version("en-us/api-reference/beta/api/user-get.md"),
            Some("beta")
        );
        assert_eq!(
            path_version("docs/2023-01-01/widgets.md"),
            Some("2023-01-01")
        );
        assert_eq!(path_version("docs/api/v1.0.md"), None);
        assert_eq!(path_version("v1.0"), None);
        assert_eq!(path_version("beta/x.md"), Some("beta"));
        assert_eq!(path_version("docs\\v2\\api//x.md"), Some("v2"));
        assert_eq!(path_version("/x.md"), None);
    }

    #[test]
    fn the_called_version_is_the_service_roots() {
        fn v(u: &str) -> Option<&str> {
            url_version(u).map(|r| &u[r])
        }
        assert_eq!(v("https://graph.microsoft.com/v1.0/me"), Some("v1.0"));
        assert_eq!(
            v("https://graph.microsoft.com/beta/me?$select=id"),
            Some("beta")
        );
        assert_eq!(v("https://contoso.test/api/v2/widgets"), Some("v2"));
        assert_eq!(
            v("https://api.contoso.test/2023-01-01/widgets"),
            Some("2023-01-01")
        );
        assert_eq!(
            v("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
            None
        );
        assert_eq!(
            v("https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337"),
            None
        );
        assert_eq!(v("/me/messages"), None);
        assert_eq!(v("/beta/me/messages"), Some("beta"));
    }
}
