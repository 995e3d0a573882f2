//! `--format json`: DESIGN §5, `{"diagnostics": [...], "summary": {...}}`.

use std::io::Write;

use anyhow::Result;
use pim_notify::lint::{LineIndex, LintConfig};
use serde_json::{json, Value};

use super::{range, Counts, Linted, Reporter};
use crate::cmd::write_json;

pub struct Json;

impl Reporter for Json {
    fn report(&self, out: &mut dyn Write, files: &[Linted], config: &LintConfig) -> Result<()> {
        let diagnostics: Vec<Value> = files.iter().flat_map(file_diagnostics).collect();
        let counts = Counts::of(files);
        let failed = files.iter().flat_map(|f| &f.outcome.diagnostics).any(|d| config.fails(d));
        let summary = json!({
            "files": files.len(),
            "errors": counts.errors,
            "warnings": counts.warnings,
            "infos": counts.infos,
            "allowed": counts.allowed,
            "fail_level": config.fail_level.as_str(),
            "failed": failed,
        });
        write_json(out, &json!({ "diagnostics": diagnostics, "summary": summary }))
    }
}

fn file_diagnostics(file: &Linted) -> Vec<Value> {
    let lines = LineIndex::new(&file.text);
    file.outcome
        .diagnostics
        .iter()
        .map(|d| {
            let r = range(&lines, d);
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "file": file.name,
                "line": r.line,
                "column": r.column,
                "end_line": r.end_line,
                "end_column": r.end_column,
                "help": d.help,
            })
        })
        .collect()
}
