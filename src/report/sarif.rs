//! `--format sarif`: a SARIF 2.1.0 log (serde-sarif types), for GitHub code
//! scanning and the SARIF viewers.
//!
//! - `run.columnKind` is `unicodeCodePoints` (SARIF 2.1.0 §3.14.17) because
//!   our columns count Unicode scalar values, not UTF-16 units.
//! - Every rule of the registry is listed in `tool.driver.rules`, so a
//!   result's `ruleIndex` is stable across runs; `help` carries the rule's
//!   page `docs/rules/NAME.md` itself, for viewers that show it inline, and
//!   `properties.docs` its path in the repository. `helpUri` must be an
//!   absolute URI (§3.49.12; the schema's `format: uri` refuses
//!   `docs/rules/NAME.md`), so it is written only when a base URI where the
//!   pages are published is configured: `BASE/NAME.md`.
//! - Regions end exclusively (§3.30.8: `endColumn` is the column after the
//!   region), which is what our spans' end positions are.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, Message,
    MultiformatMessageString, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use super::{Options, Report};
use crate::finding::{Finding, Severity};
use crate::registry;
use crate::rule::Scope;

/// The schema URI viewers and editors recognise for SARIF 2.1.0.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the report as a SARIF 2.1.0 log.
pub fn render(report: &Report, options: &Options, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, options))?;
    writeln!(out)
}

/// The SARIF log of a report.
pub fn log(report: &Report, options: &Options) -> Sarif {
    // Registry rules first, in registry order; a finding of a rule the
    // registry does not know (none today) gets a descriptor after them.
    let mut names: Vec<&str> = registry::all().iter().map(|r| r.name).collect();
    for f in &report.findings {
        if !names.contains(&f.rule.name) {
            names.push(f.rule.name);
        }
    }
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let rules: Vec<ReportingDescriptor> =
        names.iter().map(|name| descriptor(name, options)).collect();

    let with_baseline = report.findings.iter().any(|f| f.known);
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let at = report.locate(f);
            let mut region = Region::builder()
                .start_line(to_i64(at.start.line))
                .start_column(to_i64(at.start.column))
                .end_line(to_i64(at.end.line))
                .end_column(to_i64(at.end.column))
                .build();
            if !at.line_text.is_empty() {
                region.snippet = Some(ArtifactContent::builder().text(at.line_text).build());
            }
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(artifact(&f.path))
                        .region(region)
                        .build(),
                )
                .build();
            // §3.27.22: the other places the finding involves.
            let related: Vec<Location> = report
                .related(f)
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let region = Region::builder()
                        .start_line(to_i64(r.start.line))
                        .start_column(to_i64(r.start.column))
                        .end_line(to_i64(r.end.line))
                        .end_column(to_i64(r.end.column))
                        .build();
                    let mut location = Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(artifact(r.path))
                                .region(region)
                                .build(),
                        )
                        .message(Message::builder().text(r.message).build())
                        .build();
                    location.id = Some(to_i64(i + 1));
                    location
                })
                .collect();
            let mut extra = BTreeMap::new();
            for (key, value) in [
                ("example", &f.example),
                ("help", &f.help),
                ("pointer", &f.pointer),
                ("expected", &f.expected),
                ("actual", &f.actual),
            ] {
                if let Some(v) = value {
                    extra.insert(key.to_owned(), json!(v));
                }
            }
            let mut result = SarifResult::builder()
                .rule_id(f.rule.name)
                .level(level(f.severity))
                .message(Message::builder().text(&f.message).build())
                .locations(vec![location])
                .build();
            result.rule_index = index.get(f.rule.name).map(|i| to_i64(*i));
            if !related.is_empty() {
                result.related_locations = Some(related);
            }
            if !extra.is_empty() {
                result.properties =
                    Some(PropertyBag::builder().additional_properties(extra).build());
            }
            if let Some(fix) = fix(report, f) {
                result.fixes = Some(vec![fix]);
            }
            // §3.27.24: only meaningful when a baseline was compared.
            if with_baseline {
                result.baseline_state = Some(json!(if f.known { "unchanged" } else { "new" }));
            }
            result
        })
        .collect();

    let mut driver = ToolComponent::builder()
        .name("exemplar")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    driver.information_uri = Some(env!("CARGO_PKG_HOMEPAGE").to_owned());
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    // §3.14.14: where the relative paths start (the folder exemplar ran in).
    if let Some(root) = &options.source_root {
        run.original_uri_base_ids = Some(BTreeMap::from([(
            SRCROOT.to_owned(),
            ArtifactLocation::builder().uri(root.clone()).build(),
        )]));
    }
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// §3.55: the finding's fix as one artifact change of its page, each edit
/// a replacement (§3.57) whose `deletedRegion` is the edit's range (empty
/// for an insertion) and whose `insertedContent` is its text (absent for a
/// deletion). SARIF has no word for ruff's safe and unsafe fixes, so the
/// fix's property bag carries it (`safety`), as the JSON report does.
fn fix(report: &Report, f: &Finding) -> Option<Fix> {
    let fix = f.fix.as_ref()?;
    let replacements: Vec<Replacement> = fix
        .edits
        .iter()
        .map(|e| {
            let (start, end) = report.position(&f.path, &e.span);
            let mut replacement = Replacement::builder()
                .deleted_region(
                    Region::builder()
                        .start_line(to_i64(start.line))
                        .start_column(to_i64(start.column))
                        .end_line(to_i64(end.line))
                        .end_column(to_i64(end.column))
                        .build(),
                )
                .build();
            if !e.replacement.is_empty() {
                replacement.inserted_content =
                    Some(ArtifactContent::builder().text(&e.replacement).build());
            }
            replacement
        })
        .collect();
    let safety = fix.applicability.name();
    let mut out = Fix::builder()
        .artifact_changes(vec![ArtifactChange::builder()
            .artifact_location(artifact(&f.path))
            .replacements(replacements)
            .build()])
        .properties(
            PropertyBag::builder()
                .additional_properties(BTreeMap::from([("safety".to_owned(), json!(safety))]))
                .build(),
        )
        .build();
    if let Some(help) = &f.help {
        out.description = Some(Message::builder().text(help).build());
    }
    Some(out)
}

fn descriptor(name: &str, options: &Options) -> ReportingDescriptor {
    let rule = registry::lookup(name);
    // §3.49.7: a name is a readable identifier distinct from the id.
    let mut d = ReportingDescriptor::builder()
        .id(name)
        .name(pascal_case(name))
        .build();
    d.help_uri = help_uri(name, options.docs_base.as_deref());
    if let Some(rule) = rule {
        d.short_description = Some(
            MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        );
        d.help = Some(
            MultiformatMessageString::builder()
                .text(rule.doc)
                .markdown(rule.doc)
                .build(),
        );
        d.default_configuration = Some(
            ReportingConfiguration::builder()
                .level(json!(level_str(rule.severity)))
                .build(),
        );
        let scope = match rule.scope {
            Scope::Check => "check",
            Scope::Locale => "locale",
            Scope::Run => "run",
        };
        d.properties = Some(
            PropertyBag::builder()
                .tags(vec![scope.to_owned()])
                .additional_properties(BTreeMap::from([(
                    "docs".to_owned(),
                    json!(docs_path(name)),
                )]))
                .build(),
        );
    }
    d
}

/// The rule's page in the repository.
pub fn docs_path(name: &str) -> String {
    format!("docs/rules/{name}.md")
}

/// `BASE/NAME.md` when a base (an absolute URI) is configured.
pub fn help_uri(name: &str, base: Option<&str>) -> Option<String> {
    base.filter(|b| !b.is_empty())
        .map(|b| format!("{}/{name}.md", b.trim_end_matches('/')))
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn level_str(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The `uriBaseId` of paths relative to the folder exemplar ran in.
const SRCROOT: &str = "SRCROOT";

/// Where a page is: an absolute path as a `file://` URI, a relative one as
/// a relative reference against `SRCROOT` (code-scanning services reject a
/// bare absolute path, SARIF1004).
fn artifact(path: &str) -> ArtifactLocation {
    if let Some(absolute) = file_uri(path) {
        return ArtifactLocation::builder().uri(absolute).build();
    }
    let mut location = ArtifactLocation::builder().uri(uri(path)).build();
    location.uri_base_id = Some(SRCROOT.to_owned());
    location
}

/// `file:///…` for an absolute path (Unix `/x`, Windows `C:\x` or `C:/x`).
pub fn file_uri(path: &str) -> Option<String> {
    let slashed = path.replace('\\', "/");
    let bytes = slashed.as_bytes();
    let windows =
        bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if slashed.starts_with('/') {
        Some(format!("file://{}", uri(&slashed)))
    } else if windows {
        // The drive's colon stays as written in a file URI (RFC 8089 §2).
        Some(format!("file:///{}:{}", &slashed[..1], uri(&slashed[2..])))
    } else {
        None
    }
}

/// `json-syntax` → `JsonSyntax`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A path as a relative URI reference (RFC 3986 §4.2): `/` separators,
/// everything outside the unreserved and path characters percent-encoded.
/// `:` is encoded too, so `C:/x` cannot read as a scheme.
pub fn uri(path: &str) -> String {
    /// Every ASCII byte but the unreserved and path characters (and `:`).
    const ENCODED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/')
        .remove(b'!')
        .remove(b'$')
        .remove(b'&')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b'+')
        .remove(b',')
        .remove(b';')
        .remove(b'=')
        .remove(b'@');
    percent_encoding::utf8_percent_encode(&path.replace('\\', "/"), ENCODED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths_are_file_uris() {
        assert_eq!(
            file_uri("/abs/docs/a b.md").as_deref(),
            Some("file:///abs/docs/a%20b.md")
        );
        assert_eq!(
            file_uri("C:\\x\\y.md").as_deref(),
            Some("file:///C:/x/y.md")
        );
        assert_eq!(file_uri("docs/a.md"), None);
        assert_eq!(pascal_case("json-syntax"), "JsonSyntax");
    }

    #[test]
    fn uris_encode_spaces_colons_and_non_ascii() {
        assert_eq!(uri("docs/a b.md"), "docs/a%20b.md");
        assert_eq!(uri("C:\\x\\y.md"), "C%3A/x/y.md");
        assert_eq!(uri("zh-cn/接口.md"), "zh-cn/%E6%8E%A5%E5%8F%A3.md");
        assert_eq!(uri("../shared/seeds/0_a.txt"), "../shared/seeds/0_a.txt");
    }

    #[test]
    fn help_uri_needs_a_base() {
        assert_eq!(help_uri("json-syntax", None), None);
        assert_eq!(
            help_uri(
                "json-syntax",
                Some("https://example.org/exemplar/docs/rules/")
            )
            .as_deref(),
            Some("https://example.org/exemplar/docs/rules/json-syntax.md")
        );
    }
}
