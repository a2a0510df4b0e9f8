//! `enum-value`: a request value that is not among the possible values the
//! page's property table lists for that property. A table whose list cannot
//! be trusted (a range, a translated value) lists nothing to check against.

use super::Ctx;
use crate::example::Example;
use crate::json::Value;

use crate::rule::declare_rule;

declare_rule! {
    pub(crate) ENUM_VALUE = "enum-value", Error, Check,
    "a value is not among the possible values the property table lists";
}

pub(super) fn check(ctx: &mut Ctx, example: &Example) {
    let page = ctx.page;
    let Some(request) = &example.request else {
        return;
    };
    let Some(body) = &request.message.body else {
        return;
    };
    let Some(root) = body.root() else { return };
    for member in root.value.members() {
        // The values to check come first: reading a property's possible
        // values from its description costs more than looking at the value.
        let values: Vec<(&crate::json::Node, &str)> = match &member.value.value {
            Value::String(_) => vec![&member.value],
            Value::Array(items) => items
                .iter()
                .filter(|n| matches!(n.value, Value::String(_)))
                .collect(),
            _ => continue,
        }
        .into_iter()
        .filter_map(|node| Some((node, node.value.as_str()?)))
        // A placeholder ("String", "style-value") is `placeholder-value`'s
        // finding: one finding per fault.
        .filter(|(_, text)| !super::placeholder_value::is_placeholder(text))
        .collect();
        if values.is_empty() {
            continue;
        }
        let Some((property, possible)) = page
            .properties
            .iter()
            .filter(|p| p.name.eq_ignore_ascii_case(&member.key))
            .map(|p| (p, page.possible_values(p)))
            .find(|(_, possible)| !possible.is_empty())
        else {
            continue;
        };
        for (node, text) in values {
            // Flag enums are written "a,b".
            let unknown: Vec<&str> = text
                .split(',')
                .map(str::trim)
                .filter(|v| !possible.iter().any(|p| p == v))
                .collect();
            if unknown.is_empty() {
                continue;
            }
            let listed = possible
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            // Every unknown member is a listed one spelled in another case:
            // the page disagrees with itself, and the table may be the one wrong.
            let case_only: Vec<&String> = unknown
                .iter()
                .filter_map(|u| possible.iter().find(|p| p.eq_ignore_ascii_case(u)))
                .collect();
            let (message, help) = if case_only.len() == unknown.len() {
                let spelled = case_only
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(",");
                (
                    format!(
                        "\"{}\" is spelled {spelled} in the possible values of `{}`",
                        unknown.join(","),
                        member.key
                    ),
                    "spell the value one way, as the service does, in the example and in the property table".to_owned(),
                )
            } else {
                (
                    format!(
                        "\"{}\" is not a possible value of `{}` (the property table lists {listed})",
                        unknown.join(","),
                        member.key
                    ),
                    "use one of the listed values, or add the value to the property table"
                        .to_owned(),
                )
            };
            let finding = ctx.report(&ENUM_VALUE, body.to_page(&node.span), message);
            finding.help = Some(help);
            finding.relate(&page.path, property.span.clone(), "the property table row");
            finding.expected = Some(listed);
            finding.actual = Some(text.to_owned());
        }
    }
}
