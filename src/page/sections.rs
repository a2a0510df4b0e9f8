//! The sections of a reference page, found by their headings: the anchor
//! (`<a name="http-request">`, which translations keep in English) when there
//! is one, else the heading's words through the language tables.

use std::ops::Range;
use std::sync::LazyLock;

use super::StatusProse;
use crate::lang::words::{normalize, Words, LANGUAGES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionKind {
    Permissions,
    HttpRequest,
    RequestHeaders,
    RequestBody,
    Response,
    Examples,
    /// An example's own heading ("Example 1: …").
    Example,
    /// "Request" under Examples.
    ExampleRequest,
    /// "Response" under Examples.
    ExampleResponse,
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub kind: SectionKind,
    pub level: u8,
    /// From the end of the heading to the next heading of the same or a higher level.
    pub body: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Sections {
    pub list: Vec<Section>,
}

impl Sections {
    /// Builds sections from headings `(level, kind, span)` in page order.
    pub(crate) fn from_headings(
        headings: Vec<(u8, SectionKind, Range<usize>)>,
        text_len: usize,
    ) -> Sections {
        let mut list: Vec<Section> = Vec::with_capacity(headings.len());
        let mut in_examples = false;
        for (level, mut kind, heading) in headings.iter().cloned() {
            if kind == SectionKind::Examples {
                in_examples = true;
            } else if in_examples {
                kind = match kind {
                    SectionKind::Response => SectionKind::ExampleResponse,
                    SectionKind::ExampleRequest => SectionKind::ExampleRequest,
                    other => other,
                };
            }
            list.push(Section {
                kind,
                level,
                body: heading.end..text_len,
            });
        }
        // Each body ends at the next heading of the same or a higher level:
        // found walking back with the nearest start of each level after it,
        // where a search forward from each heading read the rest of the
        // list for every one.
        let mut next = [text_len; 8];
        for (section, (_, _, heading)) in list.iter_mut().zip(&headings).rev() {
            let level = usize::from(section.level).min(7);
            let end = next[..=level].iter().copied().min().unwrap_or(text_len);
            section.body.end = end.max(heading.end);
            next[level] = heading.start;
        }
        Sections { list }
    }

    pub(crate) fn first(&self, kind: SectionKind) -> Option<&Section> {
        self.list.iter().find(|s| s.kind == kind)
    }

    /// Is `offset` inside a section of this kind?
    pub(crate) fn contains(&self, kind: SectionKind, offset: usize) -> bool {
        self.list
            .iter()
            .any(|s| s.kind == kind && s.body.contains(&offset))
    }
}

/// The kind of a heading from its anchor or its words.
pub(crate) fn classify(
    heading: &str,
    anchor: Option<&str>,
    words: &[&'static Words],
) -> SectionKind {
    if let Some(kind) = anchor.and_then(classify_anchor) {
        return kind;
    }
    KNOWN_KINDS.with(|known| known.borrow_mut().kind(heading, words))
}

/// [`classify`] of a heading its anchor did not classify: by its words.
fn classify_by_words(heading: &str, words: &[&Words]) -> SectionKind {
    if names_no_section(heading, words) {
        return SectionKind::Other;
    }
    classify_words(heading, words)
}

thread_local! {
    static KNOWN_KINDS: std::cell::RefCell<KnownKinds> =
        std::cell::RefCell::new(KnownKinds::default());
}

/// The kinds of the headings a thread classified by their words, by the
/// heading's text, for each set of word tables asked with. Headings repeat
/// from page to page ("Response", "Request body", "Properties", "Example";
/// 77k headings a whole-corpus run, a few thousand texts), and folding one
/// and comparing it with every table cost ~430 instructions; the kind is a
/// function of the text and the tables alone. The tables are a page's
/// (its language, then English): a thread keeps the kinds of a few
/// languages at once, since it may read pages of several in turn.
#[derive(Default)]
struct KnownKinds {
    /// For each set of word tables (by address: they are statics, so one
    /// address is one table for the whole run), the kinds read with it.
    sets: Vec<(Vec<usize>, Kinds)>,
}

/// Headings' kinds by their text.
type Kinds = foldhash::HashMap<Box<str>, SectionKind>;

/// How many headings a thread keeps for one set of tables: more than a
/// locale's repeated ones, few enough to stay small. Headings longer than
/// [`KEPT_LEN`] bytes are not kept (an example's own heading, written
/// once); at most [`KEPT_SETS`] sets of tables are (a run has a few
/// locales).
const KEPT_KINDS: usize = 4096;
const KEPT_LEN: usize = 48;
const KEPT_SETS: usize = 4;

impl KnownKinds {
    fn kind(&mut self, heading: &str, words: &[&'static Words]) -> SectionKind {
        if heading.len() > KEPT_LEN {
            return classify_by_words(heading, words);
        }
        let address = |w: &&'static Words| std::ptr::from_ref::<Words>(*w) as usize;
        let same = |set: &[usize]| {
            set.len() == words.len() && set.iter().zip(words).all(|(&a, w)| a == address(w))
        };
        let at = match self.sets.iter().position(|(set, _)| same(set)) {
            Some(at) => at,
            None => {
                if self.sets.len() == KEPT_SETS {
                    self.sets.remove(0);
                }
                let set = words.iter().map(address).collect();
                self.sets.push((set, foldhash::HashMap::default()));
                self.sets.len() - 1
            }
        };
        let kinds = &mut self.sets[at].1;
        if let Some(&kind) = kinds.get(heading) {
            return kind;
        }
        if kinds.len() >= KEPT_KINDS {
            kinds.clear();
        }
        let kind = classify_by_words(heading, words);
        kinds.insert(heading.into(), kind);
        kind
    }
}

/// [`classify`] by the words alone: the heading folded and compared with
/// the tables.
fn classify_words(heading: &str, words: &[&Words]) -> SectionKind {
    // Section names are short: a long heading can only be an example's own
    // ("Example 3: …"), which its first words tell. Only those are folded.
    let mut cut = heading.len().min(64);
    while !heading.is_char_boundary(cut) {
        cut -= 1;
    }
    let long = cut < heading.len();
    let head = &heading[..cut];
    // Most headings that get here fold to their ASCII lower case ("Request
    // body", "Example 2"): compared with the tables byte by byte, lower-cased
    // on the way, with no folded copy made.
    if folds_to_lower(head) {
        let text = head.trim_end_matches(':');
        return kind_of(
            words,
            long,
            |entry| lower_eq(entry, text),
            |prefix| {
                text.get(..prefix.len())
                    .is_some_and(|start| lower_eq(prefix, start))
                    && example_number(&text[prefix.len()..])
            },
        );
    }
    let text = normalize(head);
    let text = text.trim_end_matches([':', '：']);
    kind_of(
        words,
        long,
        |entry| entry == text,
        |prefix| text.starts_with(prefix) && example_number(&text[prefix.len()..]),
    )
}

/// The kind of a folded heading by the tables: `equals` says whether it
/// is a table's entry, `example` whether it starts with a prefix that an
/// example's number follows. `long`: cut short, so it equals no entry.
fn kind_of(
    words: &[&Words],
    long: bool,
    equals: impl Fn(&str) -> bool,
    example: impl Fn(&str) -> bool,
) -> SectionKind {
    let is = |list: &[&str]| !long && list.iter().any(|entry| equals(entry));
    for w in words {
        if is(w.permissions) {
            return SectionKind::Permissions;
        }
        if is(w.http_request) {
            return SectionKind::HttpRequest;
        }
        if is(w.request_headers) {
            return SectionKind::RequestHeaders;
        }
        if is(w.request_body) {
            return SectionKind::RequestBody;
        }
        if is(w.response) {
            return SectionKind::Response;
        }
        if is(w.examples) {
            return SectionKind::Examples;
        }
        if is(w.request) {
            return SectionKind::ExampleRequest;
        }
        if w.example_prefix.iter().any(|p| example(p)) {
            return SectionKind::Example;
        }
    }
    SectionKind::Other
}

/// After an example prefix: a number, maybe after white space.
fn example_number(rest: &str) -> bool {
    rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// Is `normalize(heading)` the heading's ASCII lower case? So it is for
/// ASCII words one space apart, with no white space at the ends and no
/// parenthesis (the only bytes `normalize` does more to).
fn folds_to_lower(heading: &str) -> bool {
    let b = heading.as_bytes();
    let mut after_space = true;
    for &c in b {
        match c {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b'(' | b')' => return false,
            c if !c.is_ascii() => return false,
            _ => after_space = false,
        }
    }
    !after_space || b.is_empty()
}

/// Is `entry` the ASCII lower case of `heading` (its fold, by
/// [`folds_to_lower`])?
fn lower_eq(entry: &str, heading: &str) -> bool {
    entry.len() == heading.len()
        && entry
            .bytes()
            .zip(heading.bytes())
            .all(|(e, h)| e == h.to_ascii_lowercase())
}

/// Whether a heading's first letter already rules out every section name
/// and example prefix, so that it need not be folded (most headings: "Methods",
/// "Properties", an operation's name, "方法", "Свойства"). The folded heading
/// begins with the lower case of its first character that is not white
/// space (`normalize` drops those; a letter or digit is no parenthesis it
/// folds, and only a capital sigma's lower case depends on what follows);
/// only the built-in tables are known, by their first characters
/// [`FIRST_CHARS`] (and, for three ASCII letters or digits, [`FIRST_THREE`]).
fn names_no_section(heading: &str, words: &[&Words]) -> bool {
    let Some((start, first)) = heading.char_indices().find(|&(_, c)| !c.is_whitespace()) else {
        return false;
    };
    if !first.is_alphanumeric() || first == 'Σ' {
        return false;
    }
    // Which built-in tables (bits of `LANGUAGES`' indices) are asked.
    let mut tables = 0u64;
    for w in words {
        // The built-in table `w` is, by its (interned) tag list.
        match LANGUAGES
            .iter()
            .position(|l| std::ptr::eq(l.tags.as_ptr(), w.tags.as_ptr()))
        {
            Some(i) if i < 64 => tables |= 1 << i,
            _ => return false,
        }
    }
    let asked = || (0..LANGUAGES.len()).filter(move |i| tables & (1 << i) != 0);
    let lower = first.to_lowercase().next().unwrap_or(first);
    if asked().all(|i| {
        FIRST_CHARS[i]
            .as_ref()
            .is_some_and(|set| !set.contains(&lower))
    }) {
        return true;
    }
    // The same with the first three bytes, when they are ASCII letters or
    // digits (the folded heading then begins with their lower case):
    // "Properties" and "Relationships" share their first letter with
    // "permissions" and "response", not their first three.
    let Some(three) = heading.as_bytes().get(start..start + 3) else {
        return false;
    };
    if !three.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let key = [
        three[0].to_ascii_lowercase(),
        three[1].to_ascii_lowercase(),
        three[2].to_ascii_lowercase(),
    ];
    asked().all(|i| {
        FIRST_THREE[i]
            .as_ref()
            .is_some_and(|set| !set.contains(&key))
    })
}

/// For each built-in language (as [`LANGUAGES`] lists them), the first
/// characters of its section names and example prefixes; `None` when one
/// is empty (it would match any heading).
static FIRST_CHARS: LazyLock<Vec<Option<Vec<char>>>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|w| {
            let mut set = Vec::new();
            for entry in w.heading_lists().into_iter().flatten() {
                let c = entry.chars().next()?;
                if !set.contains(&c) {
                    set.push(c);
                }
            }
            Some(set)
        })
        .collect()
});

/// For each built-in language, the first three bytes of its section names
/// and example prefixes; `None` when one is shorter (a heading could then
/// equal it or start with it and differ in its third byte).
static FIRST_THREE: LazyLock<Vec<Option<Vec<[u8; 3]>>>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|w| {
            let mut set = Vec::new();
            for entry in w.heading_lists().into_iter().flatten() {
                let b = entry.as_bytes();
                set.push([*b.first()?, *b.get(1)?, *b.get(2)?]);
            }
            Some(set)
        })
        .collect()
});

fn classify_anchor(anchor: &str) -> Option<SectionKind> {
    Some(match anchor {
        "permissions" => SectionKind::Permissions,
        "http-request" => SectionKind::HttpRequest,
        "request-headers" | "request-header" => SectionKind::RequestHeaders,
        "request-body" => SectionKind::RequestBody,
        "response" | "responses" => SectionKind::Response,
        "examples" | "example" => SectionKind::Examples,
        "request" => SectionKind::ExampleRequest,
        a if a.starts_with("example-") && a[8..].starts_with(|c: char| c.is_ascii_digit()) => {
            SectionKind::Example
        }
        _ => return None,
    })
}

/// The status codes the Response section's prose names, such as the `201`
/// of "returns a `201 Created` response code", first one first. Only the
/// page's own Response section (a level-2 heading before Examples) counts:
/// example sub-headings and how-to pages' "### Response" do not.
pub(crate) fn status_prose(text: &str, sections: &Sections) -> Option<StatusProse> {
    let section = sections
        .list
        .iter()
        .find(|s| s.kind == SectionKind::Response && s.level <= 2)?;
    let body = &text[section.body.clone()];
    let bytes = body.as_bytes();
    let mut first: Option<(u16, usize)> = None;
    let mut all = Vec::new();
    let mut i = 0;
    while i + 3 <= bytes.len() {
        // Eight bytes at once where none is a status's first digit (most
        // of the prose): a status can start at none of them.
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if !has_status_digit(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        // The first digit decides most bytes at once.
        if !(b'1'..=b'5').contains(&bytes[i]) {
            i += 1;
            continue;
        }
        let digits = bytes[i..i + 3].iter().all(u8::is_ascii_digit);
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if digits && before_ok {
            let after = &bytes[i + 3..];
            if after.first() == Some(&b' ') && after.get(1).is_some_and(u8::is_ascii_uppercase) {
                if let Ok(status) = body[i..i + 3].parse::<u16>() {
                    first.get_or_insert((status, i));
                    all.push(status);
                }
            }
        }
        i += 1;
    }
    let (status, at) = first?;
    let start = section.body.start + at;
    Some(StatusProse {
        status,
        span: start..start + 3,
        all,
    })
}

/// Does any of the eight bytes of `word` lie in `1`..=`5`? Each byte's
/// high bit is set by two subtractions that cannot borrow across bytes
/// (the bit trick "has a byte between m and n", for bytes below 128; a
/// byte from 128 up is masked off by `!word`). memchr has no search for a
/// range of bytes, and a byte at a time costs each byte a test and branch.
fn has_status_digit(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Strictly between: `0` (0x30) < byte < `6` (0x36).
    const LOW: u64 = 0x30;
    const HIGH: u64 = 0x36;
    let low7 = word & (ONES * 127);
    let below_high = ONES * (127 + HIGH) - low7;
    let above_low = low7 + ONES * (127 - LOW);
    below_high & above_low & !word & (ONES * 128) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::words::candidates;

    /// Each body ends where a search forward for the next heading of the
    /// same or a higher level says, on every list of up to five headings
    /// of levels 1, 2, 3 and 6.
    #[test]
    fn bodies_end_at_the_next_heading_as_high() {
        let mut lists: Vec<Vec<u8>> = vec![Vec::new()];
        let mut all = lists.clone();
        for _ in 0..5 {
            lists = lists
                .iter()
                .flat_map(|l| {
                    [1, 2, 3, 6].map(|level| {
                        let mut l = l.clone();
                        l.push(level);
                        l
                    })
                })
                .collect();
            all.extend(lists.iter().cloned());
        }
        for levels in all {
            let headings: Vec<_> = levels
                .iter()
                .enumerate()
                .map(|(i, &l)| (l, SectionKind::Other, i * 10..i * 10 + 4))
                .collect();
            let text_len = levels.len() * 10 + 3;
            let by_search: Vec<_> = headings
                .iter()
                .enumerate()
                .map(|(i, (level, _, span))| {
                    let end = headings[i + 1..]
                        .iter()
                        .find(|(l, _, _)| l <= level)
                        .map_or(text_len, |(_, _, s)| s.start);
                    span.end..end.max(span.end)
                })
                .collect();
            let sections = Sections::from_headings(headings, text_len);
            let bodies: Vec<_> = sections.list.iter().map(|s| s.body.clone()).collect();
            assert_eq!(bodies, by_search, "{levels:?}");
        }
    }

    /// Every byte value in every lane, among other bytes that are and are
    /// not digits: the eight-byte test says what a byte-by-byte one does.
    #[test]
    fn a_word_has_a_status_digit_exactly_when_a_byte_is_one_to_five() {
        for fill in [0u8, b'0', b'6', b'a', 0x80, 0xff] {
            for lane in 0..8 {
                for b in 0..=255u8 {
                    let mut word = [fill; 8];
                    word[lane] = b;
                    let expected = word.iter().any(|c| (b'1'..=b'5').contains(c));
                    assert_eq!(
                        has_status_digit(u64::from_le_bytes(word)),
                        expected,
                        "{word:?}"
                    );
                }
            }
        }
    }

    /// A heading that folds to its lower case by [`folds_to_lower`] is
    /// folded so by `normalize`, and [`lower_eq`] then says what comparing
    /// the fold says; white space, parentheses and other scripts are left
    /// to `normalize`.
    #[test]
    fn a_heading_folds_to_its_lower_case_only_where_normalize_agrees() {
        let headings = [
            "Request body",
            "Example 2",
            "HTTP request",
            "Response:",
            "A",
            "",
            " Response",
            "Response ",
            "Request  body",
            "Request\tbody",
            "Request (beta)",
            "Réponse",
            "委派",
            "ΣΑΣ",
        ];
        for h in headings {
            let folded = normalize(h);
            if folds_to_lower(h) {
                assert_eq!(folded, h.to_ascii_lowercase(), "{h:?}");
                assert!(lower_eq(&folded, h), "{h:?}");
                assert!(!lower_eq(&format!("{folded}x"), h), "{h:?}");
            } else {
                assert!(
                    [" Response", "Response ", "Request  body", "Request\tbody"].contains(&h)
                        || h.contains('(')
                        || !h.is_ascii(),
                    "{h:?}"
                );
            }
        }
        assert!(!lower_eq("request Body", "Request body"));
    }

    /// The kinds a thread keeps are those the words give, for the tables
    /// asked with: headings of several languages asked in turn (a thread
    /// reads pages of every locale), each twice, some the same text that
    /// is a section in one language and not another, long ones, and more
    /// headings than are kept.
    #[test]
    fn kept_kinds_are_the_words_kinds_for_the_tables_asked() {
        let tags = [
            Some("en-us"),
            Some("de-de"),
            Some("zh-cn"),
            None,
            Some("ru-ru"),
        ];
        let tables: Vec<Vec<&'static Words>> =
            tags.iter().map(|t| candidates(*t).collect()).collect();
        let mut headings: Vec<String> = [
            "Antwort",
            "Response",
            "Anforderungstext",
            "Request body",
            "响应",
            "Ответ",
            "Example 1: Get a user",
            "Properties",
            "",
        ]
        .map(String::from)
        .to_vec();
        headings.push(format!("Example 2: {}", "x".repeat(KEPT_LEN)));
        headings.push(format!("Response{}", " ".repeat(KEPT_LEN)));
        headings.extend((0..KEPT_KINDS + 10).map(|i| format!("Heading {i}")));
        let mut differs = 0;
        for round in 0..2 {
            for h in &headings {
                for words in &tables {
                    let kind = classify(h, None, words);
                    assert_eq!(kind, classify_by_words(h, words), "{round} {h:?}");
                }
                let kinds: Vec<_> = tables.iter().map(|w| classify(h, None, w)).collect();
                differs += usize::from(kinds.iter().any(|k| *k != kinds[0]));
            }
        }
        // "Antwort" and the others of one language are sections there only.
        assert!(differs >= 2 * 4, "{differs}");
        let de = &tables[1];
        assert_eq!(classify("Antwort", None, de), SectionKind::Response);
        assert_eq!(classify("Antwort", None, &tables[0]), SectionKind::Other);
        assert_eq!(classify("Antwort", None, de), SectionKind::Response);
        // An anchor still classifies first.
        assert_eq!(
            classify("Antwort", Some("request-body"), de),
            SectionKind::RequestBody
        );
    }

    /// The first-letter filter changes no heading's kind: every section
    /// name and prefix of every table (as written, capitalised, indented,
    /// numbered) and ordinary headings classify as the words alone do; and
    /// it does rule out a heading whose first letter begins no name.
    #[test]
    fn a_first_letter_that_begins_no_section_name_is_other() {
        let mut headings: Vec<String> = [
            "Methods",
            "Properties",
            "JSON representation",
            "Create user",
            "1. Step",
            "Namespace: microsoft.graph",
            "Σ",
            "(Note)",
            "",
            " ",
            "Zone",
            "ÉCHANTILLON",
            "Relationships",
            "Request",
            "Requests",
            "Exa",
            "Ex",
            "Ex 1",
            "HTTP",
            "Per",
            "Resp onse",
            "Res-ponse",
            "方法",
            "\u{3000}权限",
            "Свойства",
            "  Разрешения",
            "Отношения",
            "ΣΑΣ",
            "Ωmega",
            "İstek",
            "１. 示例",
        ]
        .map(String::from)
        .to_vec();
        for w in LANGUAGES {
            let lists = w.heading_lists();
            for entry in lists.into_iter().flatten() {
                let mut capital = entry.chars();
                let capital: String = capital
                    .next()
                    .map(|c| c.to_uppercase().chain(capital).collect())
                    .unwrap_or_default();
                for h in [
                    entry.to_string(),
                    capital.clone(),
                    format!("  {capital}:"),
                    format!("{capital} 1: Get"),
                    format!("{capital}2"),
                ] {
                    headings.push(h);
                }
                // Near misses of the three-byte filter: the same first
                // three bytes (or two), then other words.
                for n in [2, 3, 4] {
                    if entry.is_char_boundary(n.min(entry.len())) {
                        let head = &entry[..n.min(entry.len())];
                        headings.push(format!("{head}zzz"));
                        headings.push(format!("\t{}zzz", head.to_uppercase()));
                        headings.push(format!("{head} 7"));
                    }
                }
            }
        }
        for tag in [
            None,
            Some("en-us"),
            Some("zh-cn"),
            Some("ru-ru"),
            Some("de-de"),
        ] {
            let words: Vec<&Words> = candidates(tag).collect();
            for h in &headings {
                assert_eq!(
                    classify(h, None, &words),
                    classify_words(h, &words),
                    "{tag:?} {h:?}"
                );
            }
        }
        let words: Vec<&Words> = candidates(Some("en-us")).collect();
        let unused = (b'a'..=b'z')
            .find(|&b| {
                FIRST_CHARS[0]
                    .as_ref()
                    .is_some_and(|set| !set.contains(&char::from(b)))
            })
            .expect("a letter that begins no section name");
        let heading = format!("{}ethods", char::from(unused.to_ascii_uppercase()));
        assert!(names_no_section(&heading, &words), "{heading}");
        assert!(!names_no_section("Response", &words));
        // English's table is the first; "Methods" begins none of its names.
        assert!(names_no_section("Methods", &words));
        // "pro" and "rel" begin none (where "p" and "r" do).
        assert!(names_no_section("Properties", &words));
        assert!(names_no_section("  Relationships", &words));
        assert!(!names_no_section("Request body", &words));
        assert!(!names_no_section("Res", &words));
        // Other scripts' first letters too.
        let zh: Vec<&Words> = candidates(Some("zh-cn")).collect();
        assert!(names_no_section("方法", &zh));
        assert!(!names_no_section("\u{3000}示例 1", &zh));
    }
}
