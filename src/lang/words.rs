//! What each language calls the parts of a reference page. One table per
//! language; `check` reads headings, the property table and the response
//! prose through it, and the locale rules compare permissions with it. Add a
//! language by adding a table to [`LANGUAGES`].
//!
//! Matching is by lower-cased containment or equality as each field says, and
//! always tries the page's own language first, then English: machine
//! translated pages keep many English words ("Application", "Required.").

pub(crate) struct Words {
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
    /// How a permissions row label for delegated access begins: a stem, so
    /// that every inflection counts (`delegad` for "Delegada", "Delegadas"
    /// and "Delegado"). Only where a label must be read (rows of tables of
    /// unequal length, rendered pages); rows pair by position otherwise.
    pub delegated: &'static [&'static str],
    /// A stem the label of the application-permissions row contains
    /// ("Для приложений", "Сервер приложений", "Aplicativos").
    pub application: &'static [&'static str],
    /// A stem that marks a delegated label as the personal-account one
    /// ("pessoal", "личная"); the brand (`Microsoft`) marks it in every language.
    pub personal: &'static [&'static str],
    /// A property description that marks the property required (contained).
    pub required: &'static [&'static str],
    /// The phrase that introduces an enumeration's values (contained).
    pub possible_values: &'static [&'static str],
    /// The first header cell of a property table.
    pub property_header: &'static [&'static str],
}

impl Words {
    /// Every list a page's headings are read through (the section names and
    /// the example prefix): what a heading can be, in this language.
    pub(crate) fn heading_lists(&self) -> [&'static [&'static str]; 8] {
        [
            self.permissions,
            self.http_request,
            self.request_headers,
            self.request_body,
            self.response,
            self.examples,
            self.request,
            self.example_prefix,
        ]
    }
}

pub(crate) const EN: Words = Words {
    tags: &["en", "en-us", "en-gb"],
    permissions: &["permissions"],
    http_request: &["http request"],
    request_headers: &["request headers", "request header"],
    request_body: &["request body"],
    response: &["response", "responses"],
    examples: &["examples", "example"],
    request: &["request"],
    example_prefix: &["example"],
    delegated: &["delegated"],
    application: &["application", "app-only"],
    personal: &["personal"],
    required: &["required."],
    possible_values: &[
        "possible values are",
        "possible values:",
        "the possible values are",
        "possible values include",
    ],
    property_header: &["property", "parameter", "name"],
};

pub(crate) const ZH_CN: Words = Words {
    tags: &["zh-cn", "zh-hans", "zh-sg", "zh"],
    permissions: &["权限"],
    http_request: &["http 请求", "http请求"],
    request_headers: &["请求标头", "请求头"],
    request_body: &["请求正文", "请求体"],
    response: &["响应"],
    examples: &["示例", "例子"],
    request: &["请求"],
    example_prefix: &["示例"],
    delegated: &["委派", "委托"],
    application: &["应用"],
    personal: &["个人"],
    required: &["必需", "必填", "此为必需属性"],
    possible_values: &["可能的值", "可取值"],
    property_header: &["属性", "参数", "名称"],
};

pub(crate) const ZH_TW: Words = Words {
    tags: &["zh-tw", "zh-hant", "zh-hk", "zh-mo"],
    permissions: &["權限", "使用權限"],
    http_request: &["http 要求", "http要求"],
    request_headers: &["要求標頭", "要求標題"],
    request_body: &["要求本文"],
    response: &["回應"],
    examples: &["範例", "例子"],
    request: &["要求"],
    example_prefix: &["範例"],
    delegated: &["委派", "委託"],
    application: &["應用程式", "應用"],
    personal: &["個人"],
    required: &["必要", "必填"],
    possible_values: &["可能的值"],
    property_header: &["屬性", "參數", "名稱"],
};

pub(crate) const JA_JP: Words = Words {
    tags: &["ja-jp", "ja"],
    permissions: &["アクセス許可"],
    http_request: &["http 要求", "http要求"],
    request_headers: &["要求ヘッダー"],
    request_body: &["要求本文"],
    response: &["応答"],
    examples: &["例"],
    request: &["要求"],
    example_prefix: &["例"],
    delegated: &["委任", "委託"],
    application: &["アプリケーション", "アプリ"],
    personal: &["個人"],
    required: &["必須"],
    possible_values: &["使用可能な値", "可能な値"],
    property_header: &["プロパティ", "パラメーター", "名前"],
};

pub(crate) const KO_KR: Words = Words {
    tags: &["ko-kr", "ko"],
    permissions: &["사용 권한", "권한"],
    http_request: &["http 요청"],
    request_headers: &["요청 헤더"],
    request_body: &["요청 본문"],
    response: &["응답"],
    examples: &["예제", "예"],
    request: &["요청"],
    example_prefix: &["예제", "예"],
    delegated: &["위임"],
    application: &["애플리케이션", "응용 프로그램", "응용프로그램", "앱"],
    personal: &["개인"],
    required: &["필수"],
    possible_values: &["가능한 값"],
    property_header: &["속성", "매개 변수", "이름"],
};

pub(crate) const DE_DE: Words = Words {
    tags: &["de-de", "de-at", "de-ch", "de"],
    permissions: &["berechtigungen"],
    http_request: &["http-anforderung"],
    request_headers: &["anforderungsheader"],
    request_body: &["anforderungstext"],
    response: &["antwort"],
    examples: &["beispiele", "beispiel"],
    request: &["anforderung"],
    example_prefix: &["beispiel"],
    delegated: &["delegiert"],
    application: &["anwendung"],
    personal: &["persönlich"],
    required: &["erforderlich."],
    possible_values: &["mögliche werte"],
    property_header: &["eigenschaft", "parameter", "name"],
};

pub(crate) const FR_FR: Words = Words {
    tags: &["fr-fr", "fr-ca", "fr-be", "fr-ch", "fr"],
    permissions: &["autorisations"],
    http_request: &["requête http", "demande http"],
    request_headers: &["en-têtes de demande", "en-têtes de requête"],
    request_body: &["corps de la demande", "corps de la requête"],
    response: &["réponse"],
    examples: &["exemples", "exemple"],
    request: &["demande", "requête"],
    example_prefix: &["exemple"],
    delegated: &["délégu", "delegu"],
    application: &["application"],
    personal: &["personnel"],
    required: &["obligatoire.", "requis."],
    possible_values: &["les valeurs possibles sont", "valeurs possibles"],
    property_header: &["propriété", "paramètre", "nom"],
};

pub(crate) const ES_ES: Words = Words {
    tags: &["es-es", "es-mx", "es"],
    permissions: &["permisos"],
    http_request: &["solicitud http"],
    request_headers: &["encabezados de solicitud", "encabezados de la solicitud"],
    request_body: &["cuerpo de la solicitud"],
    response: &["respuesta"],
    examples: &["ejemplos", "ejemplo"],
    request: &["solicitud"],
    example_prefix: &["ejemplo"],
    delegated: &["delegad"],
    application: &["aplicaci"],
    personal: &["personal"],
    required: &["obligatorio.", "necesario."],
    possible_values: &["los valores posibles son", "valores posibles"],
    property_header: &["propiedad", "parámetro", "nombre"],
};

pub(crate) const PT_BR: Words = Words {
    tags: &["pt-br", "pt-pt", "pt"],
    permissions: &["permissões"],
    http_request: &["solicitação http"],
    request_headers: &["cabeçalhos de solicitação", "cabeçalhos da solicitação"],
    request_body: &["corpo da solicitação"],
    response: &["resposta"],
    examples: &["exemplos", "exemplo"],
    request: &["solicitação"],
    example_prefix: &["exemplo"],
    delegated: &["delegad"],
    application: &["aplicativo", "aplicaç"],
    personal: &["pessoa"],
    required: &["obrigatório."],
    possible_values: &["os valores possíveis são", "valores possíveis"],
    property_header: &["propriedade", "parâmetro", "nome"],
};

pub(crate) const RU_RU: Words = Words {
    tags: &["ru-ru", "ru"],
    permissions: &["разрешения"],
    http_request: &["http-запрос"],
    request_headers: &["заголовки запросов", "заголовки запроса"],
    request_body: &["текст запроса"],
    response: &["отклик", "ответ"],
    examples: &["примеры", "пример"],
    request: &["запрос"],
    example_prefix: &["пример"],
    delegated: &["делегирован"],
    application: &["приложени"],
    personal: &["личн", "майкрософт"],
    required: &["обязательный.", "обязательное."],
    possible_values: &["возможные значения"],
    property_header: &["свойство", "параметр", "имя"],
};

pub(crate) const IT_IT: Words = Words {
    tags: &["it-it", "it"],
    permissions: &["autorizzazioni"],
    http_request: &["richiesta http"],
    request_headers: &["intestazioni della richiesta", "intestazioni di richiesta"],
    request_body: &["corpo della richiesta"],
    response: &["risposta"],
    examples: &["esempi", "esempio"],
    request: &["richiesta"],
    example_prefix: &["esempio"],
    delegated: &["delegat"],
    application: &["applicazion"],
    personal: &["personal"],
    required: &["obbligatorio."],
    possible_values: &["i valori possibili sono", "valori possibili"],
    property_header: &["proprietà", "parametro", "nome"],
};

/// Every language exemplar knows, English first.
pub(crate) static LANGUAGES: &[&Words] = &[
    &EN, &ZH_CN, &ZH_TW, &JA_JP, &KO_KR, &DE_DE, &FR_FR, &ES_ES, &PT_BR, &RU_RU, &IT_IT,
];

/// The table for a locale tag (`zh-cn`, `zh-CN`, `ja-jp`), if any.
pub(crate) fn for_locale(tag: Option<&str>) -> Option<&'static Words> {
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
pub(crate) fn candidates(tag: Option<&str>) -> impl Iterator<Item = &'static Words> {
    let own = for_locale(tag).filter(|w| !std::ptr::eq(*w, &EN));
    own.into_iter().chain(std::iter::once(&EN))
}

/// Lower-cases and folds the spacing of a label so that table cells compare.
/// Full-width parentheses become ASCII ones with one space before `(` and
/// none inside: translations write `委派（工作或学校帐户）`, `委任 (職場…)`
/// and `委派(…)` for the same label, and only the words should count.
///
/// One pass over the label, lower-casing as it goes: every heading and
/// permission label of every page comes here. [`normalize_in_steps`] is the
/// definition (a test holds the two equal); it also serves the one label
/// the pass cannot do alone, one with a capital sigma, whose lower case
/// depends on the letters around it.
pub(crate) fn normalize(label: &str) -> String {
    if label.is_ascii() {
        return normalize_ascii(label);
    }
    let mut out = String::with_capacity(label.len());
    // Whitespace seen since the last word (only after a first word counts).
    let mut gap = false;
    for c in label.chars() {
        if c.is_whitespace() {
            gap = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut gap) && !out.ends_with('(') {
            out.push(' ');
        }
        match c {
            '(' | '（' => {
                if out.ends_with(' ') {
                    out.pop();
                }
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push('(');
            }
            ')' | '）' => {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push(')');
            }
            'Σ' => return normalize_in_steps(label),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => match lower_common(c) {
                Some(lower) => out.push(lower),
                None => out.extend(c.to_lowercase()),
            },
        }
    }
    out
}

/// The lower case of a character of the scripts most non-ASCII headings
/// and labels are written in, without the search of Unicode's case table
/// that `char::to_lowercase` makes for every character (most of the cost
/// of a Russian or Chinese heading): basic Cyrillic, and the CJK, kana and
/// Hangul blocks, which have no case. `None` for any other character. A
/// test holds it to `char::to_lowercase` on every character it answers for.
fn lower_common(c: char) -> Option<char> {
    match c {
        // `А`..`Я` are 0x20 below `а`..`я`, `Ѐ`..`Џ` 0x50 below `ѐ`..`џ`.
        'А'..='Я' => char::from_u32(u32::from(c) + 0x20),
        'Ѐ'..='Џ' => char::from_u32(u32::from(c) + 0x50),
        'а'..='џ' | '\u{3000}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}' => Some(c),
        // Punctuation of those headings: Latin-1's (`«»`, no-break space),
        // general punctuation (`–`, `’`) and the full-width forms other
        // than the letters (`：`, `，`).
        '\u{A0}'..='\u{BF}'
        | '\u{2000}'..='\u{206F}'
        | '\u{FF01}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}' => Some(c),
        _ => None,
    }
}

/// [`normalize`] of an ASCII label (most headings and labels), a byte at a
/// time: the same pass without decoding or encoding characters.
fn normalize_ascii(label: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(label.len());
    let mut gap = false;
    for &b in label.as_bytes() {
        // `char::is_whitespace` of the ASCII characters.
        if matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            gap = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut gap) && out.last() != Some(&b'(') {
            out.push(b' ');
        }
        match b {
            b'(' => {
                if out.last() == Some(&b' ') {
                    out.pop();
                }
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.push(b'(');
            }
            b')' => {
                if out.last() == Some(&b' ') {
                    out.pop();
                }
                out.push(b')');
            }
            b => out.push(b.to_ascii_lowercase()),
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// [`normalize`] step by step: the words joined by one space, then the
/// parentheses folded, then the whole lower-cased.
fn normalize_in_steps(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if !out.contains(['(', ')', '（', '）']) {
        return lowercase(out);
    }
    let mut folded = String::with_capacity(out.len());
    for c in out.chars() {
        match c {
            '(' | '（' => {
                let kept = folded.trim_end().len();
                folded.truncate(kept);
                if !folded.is_empty() {
                    folded.push(' ');
                }
                folded.push('(');
            }
            ')' | '）' => {
                let kept = folded.trim_end().len();
                folded.truncate(kept);
                folded.push(')');
            }
            ' ' if folded.ends_with('(') => {}
            c => folded.push(c),
        }
    }
    lowercase(folded)
}

/// `to_lowercase`, in place for ASCII text (most labels): no second string.
fn lowercase(mut s: String) -> String {
    if s.is_ascii() {
        s.make_ascii_lowercase();
        s
    } else {
        s.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold_width_and_spacing_of_parentheses() {
        assert_eq!(normalize("委派（工作或学校帐户）"), "委派 (工作或学校帐户)");
        assert_eq!(normalize("委派(工作或学校帐户 )"), "委派 (工作或学校帐户)");
        assert_eq!(
            normalize("Delegated  (work or school account)"),
            "delegated (work or school account)"
        );
        assert_eq!(normalize("  HTTP   Request "), "http request");
    }

    #[test]
    fn the_one_pass_normalizes_as_the_steps_do() {
        let mut labels: Vec<String> = [
            "",
            " ",
            "  HTTP   Request ",
            "委派（工作或学校帐户）",
            "委派(工作或学校帐户 )",
            "Delegated  (work or school account)",
            "( a )",
            "(",
            ")",
            " ) ( ",
            "a ( ( b ) ) c",
            "x\u{3000}(y)\u{a0}z",
            "ΣΑΣ ΟΔΟΣ",
            "Ünïcödé  ÀÉ (İstanbul)",
            "Делегированные (рабочая или учебная учетная запись)",
            "\tTab\nNew\u{b}line\u{c}\r",
            "a（b）c（ d ）",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every label of the word tables, and each with a capital first.
        for w in LANGUAGES {
            for list in [w.permissions, w.request_body, w.delegated, w.required] {
                for word in list {
                    labels.push(word.to_uppercase());
                    labels.push(format!(" {word}  ( {word})"));
                }
            }
        }
        for label in &labels {
            assert_eq!(normalize(label), normalize_in_steps(label), "{label:?}");
        }
    }

    #[test]
    fn the_common_lower_case_is_unicodes() {
        let mut answered = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(lower) = lower_common(c) {
                let unicode: Vec<char> = c.to_lowercase().collect();
                assert_eq!(unicode, [lower], "{c:?}");
                answered += 1;
            }
        }
        // Cyrillic 0x400..=0x45F, CJK 0x3000..=0x9FFF, Hangul 0xAC00..=0xD7A3,
        // then the punctuation.
        assert_eq!(
            answered,
            0x60 + 0x7000 + 0x2BA4 + 0x20 + 0x70 + 0x20 + 0x6 + 0xB
        );
    }

    #[test]
    fn every_language_has_every_word() {
        for w in LANGUAGES {
            let fields = [
                w.tags,
                w.permissions,
                w.http_request,
                w.request_headers,
                w.request_body,
                w.response,
                w.examples,
                w.request,
                w.example_prefix,
                w.delegated,
                w.application,
                w.personal,
                w.required,
                w.possible_values,
                w.property_header,
            ];
            assert!(fields.iter().all(|f| !f.is_empty()), "{:?}", w.tags);
            // Headings and permission labels are compared with already
            // normalised (lower-case, spacing-folded) text, so the tables
            // must hold them normalised.
            for list in &fields[1..12] {
                for word in *list {
                    assert_eq!(normalize(word), *word, "{:?}", w.tags);
                }
            }
        }
    }

    #[test]
    fn tags_find_their_table() {
        for (tag, first) in [
            ("zh-CN", "zh-cn"),
            ("zh-tw", "zh-tw"),
            ("ja-JP", "ja-jp"),
            ("ko-kr", "ko-kr"),
            ("de-de", "de-de"),
            ("fr-fr", "fr-fr"),
            ("es-es", "es-es"),
            ("pt-br", "pt-br"),
            ("ru-ru", "ru-ru"),
            ("it-it", "it-it"),
            ("en-us", "en"),
            ("fr-ca", "fr-fr"),
        ] {
            assert_eq!(for_locale(Some(tag)).map(|w| w.tags[0]), Some(first));
        }
        assert!(for_locale(Some("xx-yy")).is_none());
    }
}
