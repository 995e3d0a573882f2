//! `--format junit`: one test suite per file, one failed test case per finding, and one
//! passing case for a clean file, so CI test views list every file checked.

use std::io::Write;

use anyhow::Result;
use pim_notify::lint::{LineIndex, LintConfig};
use pim_notify::text::xml_text;

use crate::cmd::lint::{range, Counts, Linted, Reporter};

pub struct Junit;

impl Reporter for Junit {
    fn report(&self, out: &mut dyn Write, files: &[Linted], _config: &LintConfig) -> Result<()> {
        let counts = Counts::of(files);
        let failures = counts.errors + counts.warnings + counts.infos;
        let tests: usize = files.iter().map(|f| f.outcome.diagnostics.len().max(1)).sum();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<testsuites name="pim-notify lint" tests="{tests}" failures="{failures}">"#)?;
        for file in files {
            suite(out, file)?;
        }
        writeln!(out, "</testsuites>")?;
        Ok(())
    }
}

fn suite(out: &mut dyn Write, file: &Linted) -> Result<()> {
    let name = xml_text(&file.name);
    let diagnostics = &file.outcome.diagnostics;
    let tests = diagnostics.len().max(1);
    writeln!(out, r#"  <testsuite name="{name}" tests="{tests}" failures="{}">"#, diagnostics.len())?;
    if diagnostics.is_empty() {
        writeln!(out, r#"    <testcase name="no findings" classname="{name}"/>"#)?;
    }
    let lines = LineIndex::new(&file.text);
    for d in diagnostics {
        let r = range(&lines, d);
        let place = format!("{}:{}:{}", file.name, r.line, r.column);
        writeln!(
            out,
            r#"    <testcase name="{}: {}" classname="{name}" file="{name}" line="{}">"#,
            d.code,
            xml_text(&place),
            r.line
        )?;
        let help = d.help.as_deref().map(|h| format!("\nhelp: {h}")).unwrap_or_default();
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}: {}[{}]: {}{}</failure>"#,
            xml_text(&d.message),
            d.severity,
            xml_text(&place),
            d.severity,
            d.code,
            xml_text(&d.message),
            xml_text(&help)
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    Ok(())
}
