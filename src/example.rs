//! An example: a documented request and its documented response, paired in
//! page order (by annotation `name` where the response names its request).

use std::collections::HashMap;
use std::sync::Arc;

use crate::http::Message;

/// One half of an example, as the page shows it.
#[derive(Debug, Clone)]
pub struct Half {
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
pub struct Example {
    /// Position in the page, from 0.
    pub index: usize,
    pub name: Option<String>,
    /// `path#name`, or `path#index` for an unnamed example.
    pub id: String,
    pub request: Option<Half>,
    pub response: Option<Half>,
    /// The response is the same block as an earlier example's (one response
    /// naming several requests): rules report that block once, with the first.
    pub shares_earlier_response: bool,
}

impl Example {
    /// The line-bearing start of the example (its request, else its response).
    pub fn start(&self) -> usize {
        self.request
            .as_ref()
            .or(self.response.as_ref())
            .map_or(0, |h| h.message.line_span.start)
    }

    /// The annotation indices of both halves.
    pub fn annotations(&self) -> impl Iterator<Item = usize> + '_ {
        self.request
            .iter()
            .chain(self.response.iter())
            .filter_map(|h| h.annotation)
    }
}

/// Pairs halves (in page order) into examples. A response joins the open
/// requests it names; without a name that matches, the request right before
/// it when that one has no response yet. What finds no partner is an
/// example of its own with the other half missing.
pub fn pair(path: &Arc<str>, halves: Vec<Half>) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    // Requests by name, so that a response finds the ones it names without
    // a walk over every example before it (a page of 20,000 examples).
    // Entries are checked for being still open when looked up.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for half in halves {
        crate::work::add(1);
        if half.message.is_request() {
            if let Some(name) = half.names.first() {
                by_name
                    .entry(name.clone())
                    .or_default()
                    .push(examples.len());
            }
            examples.push(Example {
                index: 0,
                name: half.names.first().cloned(),
                id: String::new(),
                request: Some(half),
                response: None,
                shares_earlier_response: false,
            });
            continue;
        }
        let open = |e: &Example| e.request.is_some() && e.response.is_none();
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
        if !named.is_empty() {
            // A response that names several requests answers each of them.
            for (k, &i) in named.iter().enumerate() {
                examples[i].response = Some(half.clone());
                examples[i].shares_earlier_response = k > 0;
            }
        } else if let Some(last) = examples.last_mut().filter(|e| open(e)) {
            last.response = Some(half);
        } else {
            examples.push(Example {
                index: 0,
                name: half.names.first().cloned(),
                id: String::new(),
                request: None,
                response: Some(half),
                shares_earlier_response: false,
            });
        }
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
    examples
}
