//! What each language calls the parts of a reference page. One table per
//! language; `check` reads headings, the property table and the response
//! prose through it, and the locale rules compare permissions with it. Add a
//! language by adding a table to [`LANGUAGES`].
//!
//! Matching is by lower-cased containment or equality as each field says, and
//! always tries the page's own language first, then English: machine
//! translated pages keep many English words ("Application", "Required.").

pub struct Words {
    /// Locale tags (lower case) this table serves; the first is its name.
    pub tags: &'static [&'static str],
    /// Section headings, compared whole (lower-cased, trimmed).
    pub permissions: &'static [&'static str],
    pub http_request: &'static [&'static str],
    pub request_headers: &'static [&'static str],
    pub request_body: &'static [&'static str],
    pub response: &'static [&'static str],
    pub examples: &'static [&'static str],
    /// The example sub-heading "Request".
    pub request: &'static [&'static str],
    /// Prefix of an example's own heading ("Example 1: …").
    pub example_prefix: &'static [&'static str],
    /// Permissions table row labels, compared whole after normalising.
    pub delegated_work: &'static [&'static str],
    pub delegated_personal: &'static [&'static str],
    pub application: &'static [&'static str],
    /// A permissions cell that grants nothing, compared whole after trimming `.`/`。`.
    pub not_supported: &'static [&'static str],
    /// A property description that marks the property required (contained).
    pub required: &'static [&'static str],
    /// The phrase that introduces an enumeration's values (contained).
    pub possible_values: &'static [&'static str],
    /// The first header cell of a property table.
    pub property_header: &'static [&'static str],
}

pub const EN: Words = Words {
    tags: &["en", "en-us", "en-gb"],
    permissions: &["permissions"],
    http_request: &["http request"],
    request_headers: &["request headers", "request header"],
    request_body: &["request body"],
    response: &["response", "responses"],
    examples: &["examples", "example"],
    request: &["request"],
    example_prefix: &["example"],
    delegated_work: &["delegated (work or school account)"],
    delegated_personal: &["delegated (personal microsoft account)"],
    application: &["application"],
    not_supported: &["not supported", "none"],
    required: &["required."],
    possible_values: &[
        "possible values are",
        "possible values:",
        "the possible values are",
        "possible values include",
    ],
    property_header: &["property", "parameter", "name"],
};

pub const ZH_CN: Words = Words {
    tags: &["zh-cn", "zh-hans", "zh"],
    permissions: &["权限"],
    http_request: &["http 请求", "http请求"],
    request_headers: &["请求标头", "请求头"],
    request_body: &["请求正文", "请求体"],
    response: &["响应"],
    examples: &["示例", "例子"],
    request: &["请求"],
    example_prefix: &["示例"],
    delegated_work: &[
        "委派（工作或学校帐户）",
        "委派(工作或学校帐户)",
        "委派（工作或学校账户）",
    ],
    delegated_personal: &[
        "委派（个人 microsoft 帐户）",
        "委派(个人 microsoft 帐户)",
        "委派（个人 microsoft 账户）",
    ],
    application: &["应用程序", "应用"],
    not_supported: &["不支持", "不受支持"],
    required: &["必需", "必填", "此为必需属性"],
    possible_values: &["可能的值", "可取值"],
    property_header: &["属性", "参数", "名称"],
};

/// Every language exemplar knows, English first.
pub static LANGUAGES: &[&Words] = &[&EN, &ZH_CN];

/// The table for a locale tag (`zh-cn`, `zh-CN`, `ja-jp`), if any.
pub fn for_locale(tag: Option<&str>) -> Option<&'static Words> {
    let tag = tag?.to_ascii_lowercase();
    let lang = tag.split('-').next().unwrap_or("");
    LANGUAGES
        .iter()
        .copied()
        .find(|w| w.tags.contains(&tag.as_str()))
        .or_else(|| {
            LANGUAGES
                .iter()
                .copied()
                .find(|w| w.tags.iter().any(|t| t.split('-').next() == Some(lang)))
        })
}

/// The page's language, then English (deduplicated).
pub fn candidates(tag: Option<&str>) -> impl Iterator<Item = &'static Words> {
    let own = for_locale(tag).filter(|w| !std::ptr::eq(*w, &EN));
    own.into_iter().chain(std::iter::once(&EN))
}

/// Lower-cases and folds the spacing of a label so that table cells compare.
pub fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.to_lowercase()
}
