//! `enum-value`: a request value that is not among the possible values the
//! page's property table lists for that property.

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
        let Some((property, possible)) = page
            .properties
            .iter()
            .filter(|p| p.name.eq_ignore_ascii_case(&member.key))
            .map(|p| (p, page.possible_values(p)))
            .find(|(_, possible)| !possible.is_empty())
        else {
            continue;
        };
        let values: Vec<&crate::json::Node> = match &member.value.value {
            Value::String(_) => vec![&member.value],
            Value::Array(items) => items
                .iter()
                .filter(|n| matches!(n.value, Value::String(_)))
                .collect(),
            _ => continue,
        };
        for node in values {
            let Some(text) = node.value.as_str() else {
                continue;
            };
            // Flag enums are written "a,b".
            let unknown: Vec<&str> = text
                .split(',')
                .map(str::trim)
                .filter(|v| !possible.iter().any(|p| p == v))
                .collect();
            if unknown.is_empty() {
                continue;
            }
            let table_line = page.line(property.span.start);
            let listed = possible
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let near = unknown
                .first()
                .and_then(|u| possible.iter().find(|p| p.eq_ignore_ascii_case(u)));
            let finding = ctx.report(
                &ENUM_VALUE,
                body.to_page(&node.span),
                format!(
                    "\"{}\" is not a possible value of `{}` (line {table_line} lists {listed})",
                    unknown.join(","),
                    member.key
                ),
            );
            finding.help = Some(match near {
                Some(p) => format!("did you mean \"{p}\"? enumeration values are case-sensitive"),
                None => {
                    "use one of the listed values, or add the value to the property table".into()
                }
            });
            finding.expected = Some(listed);
            finding.actual = Some(text.to_owned());
        }
    }
}
