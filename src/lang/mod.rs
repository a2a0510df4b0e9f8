//! Languages: which locale tag a name stands for, and the words each
//! language uses for the sections and labels exemplar reads (`words`, one
//! table per language). The page model and locale pairing both read these,
//! so they live below both.

pub(crate) mod words;

/// Is `s` a locale tag such as `en-us`, `zh-CN` or `zh-Hans`?
pub(crate) fn is_locale_tag(s: &str) -> bool {
    let Some((lang, rest)) = s.split_once('-') else {
        return false;
    };
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic());
    let rest_ok = (rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_alphabetic()))
        || ["hans", "hant", "latn", "cyrl"]
            .iter()
            .any(|script| rest.eq_ignore_ascii_case(script));
    lang_ok && rest_ok
}

/// The locale tag a folder name stands for: `zh-cn`, or the tag that ends a
/// repository folder such as `docs.zh-CN`.
pub(crate) fn tag_of_folder(name: &str) -> Option<String> {
    if is_locale_tag(name) {
        return Some(name.to_ascii_lowercase());
    }
    let (_, tail) = name.rsplit_once('.')?;
    is_locale_tag(tail).then(|| tail.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_that_are_locales() {
        assert_eq!(tag_of_folder("en-us").as_deref(), Some("en-us"));
        assert_eq!(
            tag_of_folder("microsoft-graph-docs.zh-CN").as_deref(),
            Some("zh-cn")
        );
        assert_eq!(tag_of_folder("zh-Hans").as_deref(), Some("zh-hans"));
        assert_eq!(tag_of_folder("api-reference"), None);
        assert_eq!(tag_of_folder("ms-docs"), None);
        assert_eq!(tag_of_folder("v1.0"), None);
    }
}
