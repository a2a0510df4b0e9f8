//! An example: a documented request and its documented response, paired in
//! page order (by annotation `name` where the response names its request).

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::http::Message;

mod layout;
pub(crate) use layout::Layout;

/// One half of an example, as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct Half {
    pub message: Message,
    /// Index into the page's annotations (none on rendered pages).
    pub annotation: Option<usize>,
    pub names: Vec<String>,
    /// The documented body shows only part of the real one.
    pub truncated: bool,
    /// The block is annotated `"blockType": "ignored"`: the writer shows the
    /// request but asks test tools not to send it (`run` skips it, saying so).
    pub ignored: bool,
    /// What the locale rules read of the message's text in the page,
    /// captured before `check` drops the text.
    pub layout: Layout,
}

#[derive(Debug, Clone)]
pub(crate) struct Example {
    /// Position in the page, from 0.
    pub index: usize,
    pub name: Option<String>,
    /// `path#name`, or `path#index` for an unnamed example.
    pub id: String,
    pub request: Option<Half>,
    pub response: Option<Half>,
    /// This example is only a response, a further one of the example at
    /// this index (its success shown first, then an error case): it needs
    /// no request of its own.
    pub further_response_of: Option<usize>,
    /// The response is the same block as an earlier example's (one response
    /// naming several requests): rules report that block once, with the first.
    pub shares_earlier_response: bool,
}

impl Example {
    fn new(request: Option<Half>, response: Option<Half>) -> Example {
        let name = request
            .as_ref()
            .or(response.as_ref())
            .and_then(|h| h.names.first().cloned());
        Example {
            index: 0,
            name,
            id: String::new(),
            request,
            response,
            further_response_of: None,
            shares_earlier_response: false,
        }
    }

    /// The line-bearing start of the example (its request, else its response).
    pub(crate) fn start(&self) -> usize {
        self.request
            .as_ref()
            .or(self.response.as_ref())
            .map_or(0, |h| h.message.line_span.start)
    }

    /// Where the line of [`Example::start`] ends: its `\n`, or the page's end.
    pub(crate) fn start_line_end(&self) -> usize {
        self.request
            .as_ref()
            .or(self.response.as_ref())
            .map_or(0, |h| h.layout.line_end)
    }

    /// The annotation indices of both halves.
    pub(crate) fn annotations(&self) -> impl Iterator<Item = usize> + '_ {
        self.request
            .iter()
            .chain(self.response.iter())
            .filter_map(|h| h.annotation)
    }
}

/// Pairs halves (in page order) into examples. A response joins the open
/// requests it names; without a name that matches, the last annotated
/// request that has no response yet, passing over requests annotated
/// `ignored` after it (an alternative the writer shows, such as the same
/// call with an app token: it does not take the response). A response right
/// after another response, with no request line between them, is a further
/// response of the same request (the success, then an error case). What
/// finds no partner is an example of its own with the other half missing.
///
/// `text` is the page the halves' spans point into.
pub(crate) fn pair(path: &Arc<str>, text: &str, halves: Vec<Half>) -> Vec<Example> {
    // At most one example per half: room for all of them at once, not
    // regrown (an example is some 500 bytes) as they come.
    let mut examples: Vec<Example> = Vec::with_capacity(halves.len());
    // Requests by name, so that a response finds the ones it names without
    // a walk over every example before it (a page of 20,000 examples).
    // Entries are checked for being still open when looked up. (Fx: the
    // names are the page's own, no attacker chooses them.) A page of a few
    // halves (nearly all) looks through its examples instead: no map and
    // no copy of each name.
    let small = halves.len() <= SMALL_PAGE;
    let mut by_name: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    // The example the previous half (if a response) was given to, and where that response ended.
    let mut previous_response: Option<(usize, usize)> = None;
    for half in halves {
        crate::work::add(1);
        if half.message.is_request() {
            previous_response = None;
            if let Some(name) = half.names.first().filter(|_| !small) {
                by_name
                    .entry(name.clone())
                    .or_default()
                    .push(examples.len());
            }
            examples.push(Example::new(Some(half), None));
            continue;
        }
        let open = |e: &Example| e.request.is_some() && e.response.is_none();
        let names = |e: &Example| e.name.as_ref().is_some_and(|n| half.names.contains(n));
        let mut named: Vec<usize> = Vec::new();
        if small && !half.names.is_empty() {
            // The open requests whose first name the response names: what
            // the map's lists hold (a request leaves its list only when
            // answered, and an answered request is never open again).
            crate::work::add(examples.len());
            named.extend((0..examples.len()).filter(|&i| {
                open(&examples[i])
                    && examples[i]
                        .request
                        .as_ref()
                        .and_then(|r| r.names.first())
                        .is_some_and(|n| half.names.contains(n))
            }));
        }
        for name in half.names.iter().filter(|_| !small) {
            // Every open request of that name is answered now, and an
            // answered one never is again: each index is looked at once.
            if let Some(list) = by_name.get_mut(name) {
                crate::work::add(list.len());
                named.extend(list.drain(..).filter(|&i| open(&examples[i])));
            }
        }
        named.sort_unstable();
        named.dedup();
        let end = half.message.line_span.end;
        if !named.is_empty() {
            // A response that names several requests answers each of them.
            previous_response = named.first().map(|&i| (i, end));
            for (k, &i) in named.iter().enumerate() {
                examples[i].response = Some(half.clone());
                examples[i].shares_earlier_response = k > 0;
            }
            continue;
        }
        if let Some(i) = answering(&examples) {
            examples[i].response = Some(half);
            previous_response = Some((i, end));
            continue;
        }
        let further = previous_response
            .filter(|&(_, after)| !request_line_between(text, after, half.message.line_span.start))
            .map(|(i, _)| i)
            // A response that names another request is not this one's.
            .filter(|&i| {
                examples[i].request.is_some() && (half.names.is_empty() || names(&examples[i]))
            });
        let mut example = Example::new(None, Some(half));
        example.further_response_of = further;
        examples.push(example);
        previous_response = further.map(|i| (i, end));
    }
    // A name taken by an earlier example: its id gets the index too (no
    // set for a page of one example).
    let repeated: Option<Vec<bool>> = (examples.len() > 1).then(|| {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        examples
            .iter()
            .map(|e| e.name.as_deref().is_some_and(|name| !seen.insert(name)))
            .collect()
    });
    for (index, example) in examples.iter_mut().enumerate() {
        example.index = index;
        let repeated = repeated.as_ref().is_some_and(|r| r[index]);
        example.id = id(path, example.name.as_deref(), index, repeated);
    }
    // Pages live until the report is written. Most hold one or two
    // examples, but a Vec grown by `push` keeps room for four (2.8 KB of
    // examples): 7 MB of the corpus's peak memory in `check` (heaptrack).
    // Moved into an exact allocation: `shrink_to_fit` left the block whole
    // (mimalloc keeps a block shrunk by less than half in place).
    crate::json::exact(&mut examples);
    examples
}

/// Halves of a page that [`pair`] pairs by looking through the examples,
/// not through a map of names: a scan of a few examples costs less than
/// the map's hashing, copies of names and allocations.
const SMALL_PAGE: usize = 16;

/// `path#name`, `path#name-index` (a repeated name) or `path#index`:
/// written into one exact allocation (`format!` through `Display` cost
/// some 800 instructions an example).
fn id(path: &str, name: Option<&str>, index: usize, repeated: bool) -> String {
    let mut digits = itoa::Buffer::new();
    let number = digits.format(index);
    let mut id = String::with_capacity(path.len() + 2 + name.map_or(0, str::len) + number.len());
    id.push_str(path);
    id.push('#');
    if let Some(name) = name {
        id.push_str(name);
        if !repeated {
            return id;
        }
        id.push('-');
    }
    id.push_str(number);
    id
}

/// The example an unnamed response answers: the last open annotated
/// request, looking back past open `ignored` requests only; else the
/// ignored request right before the response (a page whose only request is
/// ignored still pairs it with its response).
fn answering(examples: &[Example]) -> Option<usize> {
    let open_ignored =
        |e: &Example| e.response.is_none() && e.request.as_ref().is_some_and(|r| r.ignored);
    let back = examples.iter().rposition(|e| !open_ignored(e));
    if let Some(i) = back {
        let e = &examples[i];
        if e.response.is_none() && e.request.is_some() {
            return Some(i);
        }
    }
    let last = examples.len().checked_sub(1)?;
    open_ignored(&examples[last]).then_some(last)
}

/// Does a line of `text[from..to]` read as a request line (`GET https://…`):
/// a request the page shows without annotating it?
fn request_line_between(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to)
        .is_some_and(|between| between.lines().any(crate::http::looks_like_request_line))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;
    use std::sync::Arc;

    use crate::page::Page;

    /// An annotated block: a request (`GET /NAME`) or a response.
    fn block(out: &mut String, request: bool, names: &[&str], ignored: bool) {
        let kind = match (request, ignored) {
            (true, true) => "ignored",
            (true, false) => "request",
            (false, _) => "response",
        };
        let names = match names {
            [] => String::new(),
            [one] => format!(", \"name\": \"{one}\""),
            many => format!(", \"name\": {many:?}"),
        };
        let body = if request {
            "GET https://graph.microsoft.com/v1.0/me"
        } else {
            "HTTP/1.1 200 OK"
        };
        let _ = write!(
            out,
            "<!-- {{ \"blockType\": \"{kind}\"{names} }} -->\n```http\n{body}\n```\n\nText.\n\n"
        );
    }

    /// What pairing decided for each example.
    type Shape = (String, Option<usize>, Option<usize>, Option<usize>, bool);

    fn shapes(page: &Page) -> Vec<Shape> {
        page.examples
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.request.as_ref().map(|h| h.message.line_span.start),
                    e.response.as_ref().map(|h| h.message.line_span.start),
                    e.further_response_of,
                    e.shares_earlier_response,
                )
            })
            .collect()
    }

    #[test]
    fn a_small_page_pairs_as_the_map_of_names_pairs() {
        // (request, names, ignored): shared responses, an unnamed answer
        // and a further response, a repeated name, a name no request has,
        // an ignored request passed over.
        let halves: &[(bool, &[&str], bool)] = &[
            (true, &["a"], false),
            (true, &["b"], false),
            (false, &["a", "b"], false),
            (true, &["d"], false),
            (false, &[], false),
            (false, &[], false),
            (true, &["a"], false),
            (false, &["a"], false),
            (false, &["zzz"], false),
            (true, &["f"], false),
            (true, &["g"], true),
            (false, &["f"], false),
            (true, &[], false),
            (false, &[], false),
        ];
        assert!(halves.len() <= super::SMALL_PAGE);
        let mut small = String::from("# Examples\n\n");
        for &(request, names, ignored) in halves {
            block(&mut small, request, names, ignored);
        }
        // The same halves, then more with names of their own: past the
        // small page's size, paired through the map.
        let mut large = small.clone();
        for i in 0..super::SMALL_PAGE {
            let name = format!("pad_{i}");
            block(&mut large, true, &[&name], false);
            block(&mut large, false, &[&name], false);
        }
        let path: Arc<str> = Arc::from("api/x.md");
        let small = Page::from_text(path.clone(), small, None);
        let large = Page::from_text(path, large, None);
        let (small, large) = (shapes(&small), shapes(&large));
        assert_eq!(small.len(), 9);
        assert_eq!(small[..], large[..small.len()]);
        // The shared response, the further one, the repeated name's id.
        assert!(small[1].4);
        assert_eq!(small[3].3, Some(2));
        assert_eq!(small[4].0, "api/x.md#a-4");
    }
}
