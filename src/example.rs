//! An example: a documented request and its documented response, paired in
//! page order (by annotation `name` where the response names its request).

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
    for half in halves {
        if half.message.is_request() {
            examples.push(Example {
                index: 0,
                name: half.names.first().cloned(),
                id: String::new(),
                request: Some(half),
                response: None,
            });
            continue;
        }
        let open = |e: &Example| e.request.is_some() && e.response.is_none();
        let named: Vec<usize> = examples
            .iter()
            .enumerate()
            .filter(|(_, e)| open(e) && e.name.as_ref().is_some_and(|n| half.names.contains(n)))
            .map(|(i, _)| i)
            .collect();
        if !named.is_empty() {
            // A response that names several requests answers each of them.
            for i in named {
                examples[i].response = Some(half.clone());
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
    // Pages live until the report is written. Most hold one or two
    // examples, but a Vec grown by `push` keeps room for four (2.8 KB of
    // examples): 7 MB of the corpus's peak memory in `check` (heaptrack).
    examples.shrink_to_fit();
    examples
}
