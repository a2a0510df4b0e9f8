//! `content-length`: a declared Content-Length that equals the body's byte
//! length neither with LF nor with CRLF line ends (pages are stored with
//! either; the wire uses whatever the writer's tool sent).

use super::Ctx;
use crate::example::Example;
use crate::finding::Fix;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) CONTENT_LENGTH = "content-length", Warning, Check,
    "a declared Content-Length matches the body's byte length neither with LF nor with CRLF line ends";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    for half in example.request.iter().chain(example.response.iter()) {
        let Some(header) = half.message.header("content-length") else {
            continue;
        };
        let Ok(declared) = header.value.trim().parse::<usize>() else {
            ctx.report(
                &CONTENT_LENGTH,
                header.value_span.clone(),
                format!("Content-Length `{}` is not a number", header.value),
            )
            .help = Some("write the body's length in bytes".into());
            continue;
        };
        let body = half.message.body.as_ref().map_or("", |b| b.text());
        // The lengths with every `\r\n` made `\n` and with every `\n` made
        // `\r\n`, counted rather than built: `memchr` counts a byte a block
        // at a time, and most bodies hold no `\r` to pair at all.
        let bytes = body.as_bytes();
        let crlfs = match memchr::memchr(b'\r', bytes) {
            None => 0,
            Some(_) => memchr::memmem::find_iter(bytes, b"\r\n").count(),
        };
        let lf_len = body.len() - crlfs;
        // Every line may end with its line end, the last one too. The LF
        // lengths need no count of the lines (most declared lengths that
        // are right are one of them).
        let lf_accepted = !body.is_empty() && (declared == lf_len || declared == lf_len + 1);
        if lf_accepted {
            continue;
        }
        let newlines = memchr::memchr_iter(b'\n', bytes).count();
        let crlf_len = lf_len + newlines;
        let accepted = [lf_len, crlf_len, lf_len + 1, crlf_len + 2];
        if !body.is_empty() && !accepted.contains(&declared) || body.is_empty() && declared != 0 {
            // The fix writes the body's length as the page stores it: CRLF
            // when the page's lines end so (the header's line tells).
            let crlf_page = crlfs > 0
                || ctx
                    .page
                    .text
                    .get(header.value_span.end..)
                    .is_some_and(|t| t.starts_with("\r\n"));
            let stored = if crlf_page { crlf_len } else { lf_len };
            let finding = ctx.report(&CONTENT_LENGTH,
                header.value_span.clone(),
                format!("Content-Length is {declared} but the body is {lf_len} bytes with LF line ends ({crlf_len} with CRLF)"),
            );
            finding.help = Some(format!(
                "set it to {crlf_len} (CRLF) or {lf_len} (LF), or drop the header"
            ));
            // A body shown only in part, or a placeholder for bytes
            // (`<the file's bytes>`), has no length to copy: only JSON
            // bodies shown whole are fixed.
            let json = half
                .message
                .body
                .as_ref()
                .is_some_and(|b| b.json().is_some());
            if json && !half.truncated {
                finding.fix = Some(Fix::safe(header.value_span.clone(), stored.to_string()));
            }
            finding.expected = Some(format!("{lf_len} or {crlf_len}"));
            finding.actual = Some(declared.to_string());
        }
    }
}
