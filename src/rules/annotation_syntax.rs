//! `annotation-syntax`: an annotation that is not valid JSON, not an object,
//! or names an unknown `blockType`.

use super::Ctx;
use crate::json::Value;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) ANNOTATION_SYNTAX = "annotation-syntax", Error, Check,
    "an annotation comment is not valid JSON, not an object, or names an unknown blockType";
}

/// The block types the Microsoft Graph docs tooling (API Doctor) knows.
const BLOCK_TYPES: &[&str] = &[
    "request",
    "response",
    "ignored",
    "resource",
    "example",
    "samples",
    "enum",
    "complexType",
];

pub(super) fn check(ctx: &mut Ctx) {
    let page = ctx.page;
    for a in &page.annotations {
        let at = |span: &std::ops::Range<usize>| a.json_start + span.start..a.json_start + span.end;
        // The first fault only: what follows a broken annotation mostly cascades from it.
        if let Some(e) = a.json.errors.first() {
            let more = a.json.errors.len() - 1;
            // A fault of the comment itself (an unclosed annotation) names
            // the annotation already.
            let place = if e.message.starts_with("this annotation") {
                ""
            } else {
                " in the annotation"
            };
            let message = match more {
                0 => format!("{}{place}", e.message),
                n => format!(
                    "{}{place} (and {n} more fault{} after it)",
                    e.message,
                    if n == 1 { "" } else { "s" }
                ),
            };
            ctx.report(&ANNOTATION_SYNTAX, at(&e.span), message).help = Some(e.help.into());
            // What an unclosed annotation's JSON lacks (a blockType, a
            // closing brace) follows from the one fault just reported.
            if place.is_empty() {
                continue;
            }
        }
        let Some(root) = &a.json.root else { continue };
        if !matches!(root.value, Value::Object(_)) {
            ctx.report(
                &ANNOTATION_SYNTAX,
                at(&root.span),
                "the annotation is not a JSON object",
            )
            .help = Some(
                "write the annotation as `{ \"blockType\": \"request\", \"name\": \"...\" }`"
                    .into(),
            );
            continue;
        }
        match (&a.block_type, &a.block_type_span) {
            (Some(kind), Some(span)) if !BLOCK_TYPES.contains(&kind.as_str()) => {
                let suggestion = BLOCK_TYPES.iter().find(|k| k.eq_ignore_ascii_case(kind));
                let help = match suggestion {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("known block types: {}", BLOCK_TYPES.join(", ")),
                };
                ctx.report(
                    &ANNOTATION_SYNTAX,
                    span.clone(),
                    format!("unknown blockType \"{kind}\""),
                )
                .help = Some(help);
            }
            // The page annotation (`"type": "#page.annotation"`) carries no blockType.
            (None, _) if root.value.get("type").is_some() => {}
            (None, _) => {
                let span = match root.value.get("blockType") {
                    Some(node) => at(&node.span),
                    None => at(&(root.span.start..root.span.start + 1)),
                };
                ctx.report(
                    &ANNOTATION_SYNTAX,
                    span,
                    "the annotation has no string blockType",
                )
                .help = Some(
                    "add `\"blockType\": \"request\"` (or response, ignored, resource)".into(),
                );
            }
            _ => {}
        }
    }
}
