//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Every rule is described
//! in the driver (so the Security tab can show its documentation) and every result points at
//! a relative URI under `%SRCROOT%`.

use std::path::Path;

use anyhow::Result;
use pim_notify::lint::{LintConfig, Rule, RULES};
use serde_json::{json, Value};

use super::{Finding, Level, Out};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of one lint run: every rule (with its configured severity) and every finding.
/// Strings go through the JSON writer, which escapes them.
pub fn log(out: &mut Out, findings: &[Finding], config: &LintConfig) -> Result<()> {
    let results: Vec<Value> = findings.iter().map(result).collect();
    let rules: Vec<Value> = RULES.iter().map(|r| rule(r, config)).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pim-notify",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The folder pim-notify ran in" } } },
            "results": results,
        }],
    });
    super::json::value(out, &log)
}

fn rule(rule: &Rule, config: &LintConfig) -> Value {
    let doc = &rule.doc;
    let severity = config.severity.get(rule.code).copied().unwrap_or(rule.severity);
    let baseline = doc.baseline.map(|b| format!("\n\nBaseline: {b}")).unwrap_or_default();
    let markdown = format!(
        "{}\n\n**Why it matters.** {}{}\n\nExample:\n\n```yaml\n{}```\n\nFixed:\n\n```yaml\n{}```",
        doc.summary, doc.why, baseline, doc.bad, doc.fixed
    );
    let mut tags = vec!["pim", if rule.code.starts_with("PN2") { "security" } else { "correctness" }];
    if doc.baseline.is_some() {
        tags.push("scuba");
    }
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": doc.summary },
        "fullDescription": { "text": format!("{} {}", doc.summary, doc.why) },
        "help": { "text": format!("{} {}{baseline}", doc.summary, doc.why), "markdown": markdown },
        "defaultConfiguration": { "level": level(Level::from(severity)) },
        "properties": { "tags": tags },
    })
}

fn result(f: &Finding) -> Value {
    let r = f.range.unwrap_or(super::Range { line: 1, column: 1, end_line: 1, end_column: 1 });
    let uri = relative_uri(f.file.as_deref().unwrap_or("<stdin>"));
    json!({
        "ruleId": f.code,
        "ruleIndex": RULES.iter().position(|rule| rule.code == f.code),
        "level": level(f.level),
        "message": { "text": f.text() },
        "locations": [{ "physicalLocation": {
            "artifactLocation": artifact(&uri),
            "region": {
                "startLine": r.line,
                "startColumn": r.column,
                "endLine": r.end_line,
                "endColumn": r.end_column,
            },
        }}],
    })
}

/// Relative URIs are resolved against `%SRCROOT%`; absolute ones (files outside the current
/// folder) stand alone.
fn artifact(uri: &str) -> Value {
    if uri.starts_with("file://") {
        json!({ "uri": uri })
    } else {
        json!({ "uri": uri, "uriBaseId": "%SRCROOT%" })
    }
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// The file's path relative to the current folder, with `/` separators and percent-encoding,
/// as code scanning matches it against the repository.
pub fn relative_uri(name: &str) -> String {
    if name == "<stdin>" {
        return "stdin".to_string();
    }
    let path = Path::new(name);
    let cwd = std::env::current_dir().unwrap_or_default();
    let relative = path.strip_prefix(&cwd).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    let text = text.trim_start_matches("./");
    if relative.is_absolute() {
        return format!("file://{}", encode(text));
    }
    encode(text)
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(relative_uri("./policies/my policy.yaml"), "policies/my%20policy.yaml");
        assert_eq!(relative_uri("<stdin>"), "stdin");
    }
}
