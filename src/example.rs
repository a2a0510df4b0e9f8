//! An example: a documented request and its documented response, paired in
//! page order (by annotation `name` where the response names its request).

use std::collections::HashMap;
use std::sync::Arc;

use crate::http::Message;

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
    let mut examples: Vec<Example> = Vec::new();
    // Requests by name, so that a response finds the ones it names without
    // a walk over every example before it (a page of 20,000 examples).
    // Entries are checked for being still open when looked up.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    // The example the previous half (if a response) was given to, and where that response ended.
    let mut previous_response: Option<(usize, usize)> = None;
    for half in halves {
        crate::work::add(1);
        if half.message.is_request() {
            previous_response = None;
            if let Some(name) = half.names.first() {
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
        for name in &half.names {
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
    let mut seen = std::collections::HashSet::new();
    for (index, example) in examples.iter_mut().enumerate() {
        example.index = index;
        example.id = match &example.name {
            Some(name) if seen.insert(name.clone()) => format!("{path}#{name}"),
            Some(name) => format!("{path}#{name}-{index}"),
            None => format!("{path}#{index}"),
        };
    }
    // Pages live until the report is written. Most hold one or two
    // examples, but a Vec grown by `push` keeps room for four (2.8 KB of
    // examples): 7 MB of the corpus's peak memory in `check` (heaptrack).
    // Moved into an exact allocation: `shrink_to_fit` left the block whole
    // (mimalloc keeps a block shrunk by less than half in place).
    crate::json::exact(&mut examples);
    examples
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
