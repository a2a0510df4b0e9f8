//! The HTML report: escaping of hostile page text, self-containment, the
//! figures it shows, and the side-by-side body diff of `run`.

use std::sync::Arc;

use exemplar::finding::{Finding, Severity};
use exemplar::page::Page;
use exemplar::report::{ExampleResult, Outcome, Report};

const FIXTURE: &str = "tests/data/report";

mod common;
use common::exemplar;

fn html_of(report: &Report) -> String {
    let mut out = Vec::new();
    exemplar::report::render(
        report,
        exemplar::report::Format::Html,
        &exemplar::report::Options::default(),
        &mut out,
        false,
    )
    .expect("renders");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn page_text_is_escaped_everywhere() {
    let (code, html) = exemplar(&["check", "--format", "html", FIXTURE]);
    assert_eq!(code, 1);
    // The only script element is the report's own.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script>\n\n// Filtering and search only"));
    for raw in [
        "<script>alert",
        "</script>\"",
        "<img src=x",
        "onerror=alert(2)>",
        "<b>权限",
    ] {
        assert!(!html.contains(raw), "unescaped {raw:?} in the report");
    }
    // Messages, snippets and expected/actual values show the escaped text.
    assert!(html.contains(
        "<p>`displayName` is sent as &#34;&#60;script&#62;alert(1)&#60;/script&#62;&#34; but the documented response returns &#34;&#60;script&#62;alert(3)&#60;/script&#62;&#34; <i>#create_widget</i></p>"
    ));
    assert!(html.contains(
        "<pre>&#34;displayName&#34;: <mark>&#34;&#60;script&#62;alert(3)&#60;/script&#62;&#34;</mark>,\n"
    ));
    assert!(html.contains("<dd>&#34;\\&#34;&#62;&#60;img src=x onerror=alert(2)&#62;&#34;"));
    assert!(html.contains("TODO: 添加 &#60;b&#62;权限&#60;/b&#62; 表"));
}

#[test]
fn the_report_is_self_contained() {
    let (_, html) = exemplar(&["check", "--format", "html", FIXTURE]);
    for remote in [
        "<link",
        "<script src",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "@font-face",
    ] {
        assert!(
            !html.contains(remote),
            "{remote:?} in a self-contained page"
        );
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
}

#[test]
fn the_report_shows_totals_breakdowns_pages_and_every_finding() {
    let (_, html) = exemplar(&["check", "--format", "html", FIXTURE]);
    assert!(html.contains("<title>exemplar check: 4 findings in 2 pages</title>"));
    assert!(html.contains("paths below <code>tests/data/report/</code>"));
    for total in [
        "<li class=\"\"><b>2</b>pages</li>",
        "<li class=\"\"><b>2</b>examples</li>",
        "<li class=\"error\"><b>3</b>errors</li>",
        "<li class=\"warning\"><b>1</b>warnings</li>",
    ] {
        assert!(html.contains(total), "missing total {total}");
    }
    // By locale: en-us has 3 errors (the widest bar), zh-cn 1 warning.
    assert!(html.contains("<tr><td><a href=\"#locale=en-us\">en-us</a></td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n error\">3</td><td class=\"n warning\">0</td><td><span class=\"bar\" title=\"3 errors, 0 warnings\"><i class=\"e\" style=\"width:100.0%\"></i><i class=\"w\" style=\"width:0.0%\"></i></span></td></tr>"));
    assert!(html.contains("<tr><td><a href=\"#locale=zh-cn\">zh-cn</a></td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n error\">0</td><td class=\"n warning\">1</td>"));
    // By rule, most frequent first.
    let order: Vec<usize> = [
        "#rule=echo-mismatch\"",
        "#rule=json-syntax\"",
        "#rule=todo-marker\"",
    ]
    .iter()
    .map(|r| html.find(r).expect("a rule row"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Pages with their state.
    assert!(html.contains("<tr><td><a href=\"#p0\">en-us/api/widget-create.md</a><td>en-us<td>1<td>3<td>0<td class=\"fail\">fail"));
    assert!(html.contains("<tr><td><a href=\"#p1\">zh-cn/api/gadget-create.md</a><td>zh-cn<td>1<td>0<td>1<td class=\"warn\">warn"));
    // Every finding, grouped by page, with its position and a caret line.
    assert_eq!(html.matches("<div class=\"f ").count(), 4);
    assert!(
        html.contains("<div class=\"f error\"><code>34:44</code><b>error</b><em>json-syntax</em>")
    );
    // The caret sits under column 44; the snippet drops the 2-space indent.
    assert!(html.contains(&format!(
        "<pre>&#34;note&#34;: &#34;\\&#34;&#62;&#60;img src=x onerror=alert(2)&#62;&#34;<mark>,</mark>\n{}<b>^</b></pre>",
        " ".repeat(41)
    )));
    // Wide characters before the caret: the pad is the text itself, hidden.
    assert!(html.contains("<pre>创建小组件。说明：<mark>TODO</mark>: 添加 &#60;b&#62;权限&#60;/b&#62; 表\n<span>创建小组件。说明：</span><b>^^^^</b></pre>"));
}

#[test]
fn snippets_are_cut_to_the_configured_width_around_the_column() {
    let path: Arc<str> = "p.md".into();
    let line = format!("{}NEEDLE{}", "a".repeat(300), "b".repeat(300));
    let pages = [Page::from_text(path.clone(), line.clone(), None)];
    let finding = Finding::new(
        exemplar::registry::lookup("todo-marker").unwrap(),
        &path,
        300..306,
        "here",
    );
    let report = Report::new(
        exemplar::report::Command::Check,
        &pages,
        Vec::new(),
        vec![finding],
    );
    let options = exemplar::report::Options {
        snippet_chars: 40,
        ..Default::default()
    };
    let mut out = Vec::new();
    exemplar::report::html::render(&report, &options, &mut out).expect("renders");
    let html = String::from_utf8(out).expect("UTF-8");
    // 10 characters before (a quarter of 40), 30 from the column on.
    let expected = format!(
        "<pre>…{}<mark>NEEDLE</mark>{}…\n{}<b>^^^^^^</b></pre>",
        "a".repeat(10),
        "b".repeat(24),
        " ".repeat(11)
    );
    assert!(html.contains(&expected), "{html}");
}

#[test]
fn run_reports_show_outcomes_and_a_side_by_side_body_diff() {
    let path: Arc<str> = "api/get.md".into();
    let text = "# Get\n\n```http\nGET https://graph.microsoft.com/v1.0/things/1\n```\n\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"1\", \"name\": \"<script>x()</script>\"}\n```\n".to_owned();
    let at = text.find("\"<script>").expect("the value in the page");
    let pages = [Page::from_text(
        path.clone(),
        text,
        Some("en-us".to_owned()),
    )];
    let id = format!("{path}#0");
    let mut finding = Finding::new(
        exemplar::registry::lookup("body-mismatch").unwrap(),
        &path,
        at..at + 22,
        "`name` differs from the documented body",
    )
    .example(Some(&id))
    .pointer("/name")
    .expected_actual("\"<script>x()</script>\"", "\"thing\"");
    finding.severity = Severity::Error;
    let mut report = Report::new(
        exemplar::report::Command::Run,
        &pages,
        Vec::new(),
        vec![finding],
    );
    report.results.push(ExampleResult {
        skip: None,
        id: id.clone(),
        path: path.clone(),
        outcome: Outcome::Failed,
        reason: Some("the body differs".to_owned()),
        documented: Some("{\"id\": \"1\", \"name\": \"<script>x()</script>\"}".to_owned()),
        actual: Some("{\"id\": \"1\", \"name\": \"thing\"}".to_owned()),
    });
    report.summary.replayed = Some(1);
    report.summary.failed = Some(1);
    report.summary.passed = Some(0);
    report.summary.skipped = Some(0);
    let html = html_of(&report);
    assert!(!html.contains("<script>x()"));
    // The finding links to the diff, which pairs the lines side by side.
    assert!(html.contains(" <a href=\"#d0\">diff</a></p>"));
    assert!(html.contains("<h3 id=\"d0\" class=\"mono\">api/get.md#0</h3>"));
    assert!(html.contains("<tr class=\"eq\"><td class=\"no\">2</td><td class=\"l\">  &#34;id&#34;: &#34;1&#34;,</td><td class=\"no\">2</td><td class=\"r\">  &#34;id&#34;: &#34;1&#34;,</td></tr>"));
    assert!(html.contains("<tr class=\"chg\"><td class=\"no\">3</td><td class=\"l\">  &#34;name&#34;: &#34;&#60;script&#62;x()&#60;/script&#62;&#34;</td><td class=\"no\">3</td><td class=\"r\">  &#34;name&#34;: &#34;thing&#34;</td></tr>"));
    // Outcomes per example and per page, and the run totals.
    assert!(html.contains("<tr><td>api/get.md#0</td><td class=\"outcome-failed\">failed</td><td>the body differs</td></tr>"));
    assert!(html.contains("<td>0/1/0<td class=\"fail\">fail"));
    assert!(html.contains("<li class=\"\"><b>1</b>replayed</li>"));
    assert!(html.contains("<li class=\"error\"><b>1</b>failed</li>"));
}

#[test]
fn an_empty_report_says_so() {
    let report = Report::new(
        exemplar::report::Command::Check,
        &[],
        Vec::new(),
        Vec::new(),
    );
    let html = html_of(&report);
    assert!(html.contains("<p>No findings.</p>"));
    assert!(html.contains("<tr><td colspan=\"6\">no findings</td></tr>"));
}
