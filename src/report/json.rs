//! `--format json`: the document of CONTRACT.md (`version`, `summary`,
//! `findings`, and for `run` the per-example `results`).

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Report;

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}

/// The JSON document, shared with the reports that embed it.
pub fn document(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let at = report.locate(f);
            let mut v = json!({
                "rule": f.rule,
                "severity": f.severity,
                "path": &*f.path,
                "line": at.start.line,
                "column": at.start.column,
                "end_line": at.end.line,
                "end_column": at.end.column,
                "message": f.message,
                "example": f.example,
                "help": f.help,
            });
            let map = v.as_object_mut().expect("an object");
            if let Some(p) = &f.pointer {
                map.insert("pointer".into(), json!(p));
            }
            if let Some(e) = &f.expected {
                map.insert("expected".into(), json!(e));
            }
            if let Some(a) = &f.actual {
                map.insert("actual".into(), json!(a));
            }
            if f.known {
                map.insert("known".into(), json!(true));
            }
            v
        })
        .collect();
    let mut doc = json!({
        "version": 1,
        "command": report.command,
        "summary": report.summary,
        "findings": findings,
    });
    if report.command == "run" {
        doc["results"] = json!(report.results);
    }
    doc
}
