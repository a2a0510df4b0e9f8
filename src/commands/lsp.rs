//! `exemplar lsp`: a Language Server over standard input and output
//! (rust-analyzer's synchronous `lsp-server`). Each Markdown buffer the
//! editor opens or changes is checked from the buffer's text, not the disk,
//! by [`super::check::check_text`] (the page rules, the page's suppressions
//! and the configuration; the locale rules need the page's partners on disk
//! and are left to `check`). Findings become diagnostics with their related
//! places; safe fixes become quick fixes; hovering a rule name in an
//! `exemplar-disable` comment shows the rule's documentation page.

use std::collections::HashMap;
use std::sync::Arc;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Hover, HoverContents, HoverParams, HoverProviderCapability, Location, MarkupContent,
    MarkupKind, NumberOrString, Position, PublishDiagnosticsParams, Range, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Url, WorkspaceEdit,
};

use super::check::check_text;
use super::Fatal;
use crate::config::Config;
use crate::finding::{Applicability, Finding, Severity};
use crate::page::Page;

/// One open buffer, as last checked.
struct Document {
    page: Page,
    findings: Vec<Finding>,
    lines: Lines,
}

/// Runs the server until the editor says `exit`.
pub(super) fn run() -> Result<u8, Fatal> {
    let config = Config::load(None).map_err(Fatal)?;
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| Fatal(e.to_string()))?;
    connection
        .initialize(capabilities)
        .map_err(|e| Fatal(format!("lsp: {e}")))?;
    serve(&connection, &config).map_err(|e| Fatal(format!("lsp: {e}")))?;
    drop(connection);
    io_threads.join().map_err(|e| Fatal(format!("lsp: {e}")))?;
    Ok(0)
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn serve(connection: &Connection, config: &Config) -> Result<(), Error> {
    let mut documents: HashMap<Url, Document> = HashMap::new();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = respond(&documents, request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => {
                if let Some((uri, version, text)) = opened_or_changed(n.clone()) {
                    let document = check_document(&uri, text, config);
                    publish(connection, &uri, version, &document)?;
                    documents.insert(uri, document);
                } else if n.method == DidCloseTextDocument::METHOD {
                    let params: lsp_types::DidCloseTextDocumentParams =
                        serde_json::from_value(n.params)?;
                    documents.remove(&params.text_document.uri);
                    let params = PublishDiagnosticsParams {
                        uri: params.text_document.uri,
                        diagnostics: Vec::new(),
                        version: None,
                    };
                    notify::<PublishDiagnostics>(connection, params)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// The buffer's text from `didOpen` or (full sync) `didChange`.
fn opened_or_changed(n: Notification) -> Option<(Url, Option<i32>, String)> {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params).ok()?;
            Some((
                p.text_document.uri,
                Some(p.text_document.version),
                p.text_document.text,
            ))
        }
        DidChangeTextDocument::METHOD => {
            let p: lsp_types::DidChangeTextDocumentParams =
                serde_json::from_value(n.params).ok()?;
            // Full sync: the last change holds the whole text.
            let text = p.content_changes.into_iter().last()?.text;
            Some((p.text_document.uri, Some(p.text_document.version), text))
        }
        _ => None,
    }
}

/// Checks a buffer as the page at the URI's path.
fn check_document(uri: &Url, text: String, config: &Config) -> Document {
    let path: Arc<str> = match uri.to_file_path() {
        Ok(p) => Arc::from(p.to_string_lossy().as_ref()),
        Err(()) => Arc::from(uri.as_str()),
    };
    let lines = Lines::new(&text);
    let (page, findings) = check_text(path, text, config);
    Document {
        page,
        findings,
        lines,
    }
}

fn notify<N: lsp_types::notification::Notification>(
    connection: &Connection,
    params: N::Params,
) -> Result<(), Error> {
    let n = Notification::new(N::METHOD.to_owned(), params);
    connection.sender.send(Message::Notification(n))?;
    Ok(())
}

fn publish(
    connection: &Connection,
    uri: &Url,
    version: Option<i32>,
    document: &Document,
) -> Result<(), Error> {
    let diagnostics = document
        .findings
        .iter()
        .filter(|f| *f.path == *document.page.path)
        .map(|f| diagnostic(uri, document, f))
        .collect();
    notify::<PublishDiagnostics>(
        connection,
        PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        },
    )
}

fn diagnostic(uri: &Url, document: &Document, f: &Finding) -> Diagnostic {
    let text = &document.page.text;
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related = f
        .related
        .iter()
        .filter_map(|r| {
            // A place in this buffer has a range; another page's is read from the disk.
            let (uri, range) = if *r.path == *document.page.path {
                (uri.clone(), document.lines.range(text, &r.span))
            } else {
                let other = std::fs::read_to_string(r.path.as_ref()).ok()?;
                let lines = Lines::new(&other);
                let uri = Url::from_file_path(std::path::absolute(r.path.as_ref()).ok()?).ok()?;
                (uri, lines.range(&other, &r.span))
            };
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect::<Vec<_>>();
    Diagnostic {
        range: document.lines.range(text, &f.span),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.rule.name.to_owned())),
        source: Some("exemplar".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

fn respond(documents: &HashMap<Url, Document>, request: Request) -> Response {
    let id = request.id.clone();
    let result = match request.method.as_str() {
        CodeActionRequest::METHOD => request
            .extract::<CodeActionParams>(CodeActionRequest::METHOD)
            .map_err(|e| e.to_string())
            .and_then(|(_, params)| {
                serde_json::to_value(code_actions(documents, &params)).map_err(|e| e.to_string())
            }),
        HoverRequest::METHOD => request
            .extract::<HoverParams>(HoverRequest::METHOD)
            .map_err(|e| e.to_string())
            .and_then(|(_, params)| {
                serde_json::to_value(hover(documents, &params)).map_err(|e| e.to_string())
            }),
        other => {
            return Response::new_err(
                id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("exemplar does not serve {other}"),
            )
        }
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err(e) => invalid(id, e),
    }
}

fn invalid(id: RequestId, message: String) -> Response {
    Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
}

/// A quick fix for each safe fix whose finding meets the requested range.
fn code_actions(
    documents: &HashMap<Url, Document>,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let Some(document) = documents.get(uri) else {
        return Vec::new();
    };
    let text = &document.page.text;
    let (start, end) = (
        document.lines.offset(text, params.range.start),
        document.lines.offset(text, params.range.end),
    );
    document
        .findings
        .iter()
        .filter(|f| f.span.start <= end && start <= f.span.end)
        .filter_map(|f| {
            let fix = f.fix.as_ref()?;
            if fix.applicability != Applicability::Safe {
                return None;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: document.lines.range(text, &e.span),
                    new_text: e.replacement.clone(),
                })
                .collect();
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Fix {}: {}",
                    f.rule.name,
                    f.help.as_deref().unwrap_or(&f.message)
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(uri, document, f)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// The documentation page of the rule named under the cursor in an
/// `exemplar-disable` comment.
fn hover(documents: &HashMap<Url, Document>, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let document = documents.get(&at.text_document.uri)?;
    let text = &document.page.text;
    let offset = document.lines.offset(text, at.position);
    let (name, span) = document
        .page
        .suppressions
        .iter()
        .flat_map(|s| s.rules.iter())
        .find(|(_, span)| span.start <= offset && offset <= span.end)?;
    let rule = crate::registry::lookup(name)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: rule.doc.to_owned(),
        }),
        range: Some(document.lines.range(text, span)),
    })
}

/// Byte offsets to LSP positions (lines from 0, columns in UTF-16 code
/// units, the protocol's default encoding) and back.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { starts }
    }

    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map_or(0, |s| s.encode_utf16().count());
        Position::new(line as u32, column as u32)
    }

    pub(crate) fn range(&self, text: &str, span: &std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    pub(crate) fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(text.len());
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_code_units_and_come_back() {
        let text = "a\nü𝄞x\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(text, x), Position::new(1, 3));
        assert_eq!(lines.offset(text, Position::new(1, 3)), x);
        assert_eq!(lines.offset(text, Position::new(9, 0)), text.len());
    }
}
