//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//! Values are escaped as the runner expects, so a message cannot end the command early or
//! start a new one.

use std::io::Write;

use anyhow::Result;
use pim_notify::lint::{LineIndex, LintConfig};
use pim_notify::Severity;

use crate::cmd::lint::{range, Linted, Reporter};

pub struct Github;

impl Reporter for Github {
    fn report(&self, out: &mut dyn Write, files: &[Linted], _config: &LintConfig) -> Result<()> {
        for file in files {
            let lines = LineIndex::new(&file.text);
            for d in &file.outcome.diagnostics {
                let r = range(&lines, d);
                let command = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                writeln!(
                    out,
                    "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                    property(&file.name),
                    r.line,
                    r.column,
                    r.end_line,
                    r.end_column,
                    property(&format!("{} {}", d.code, rule_name(d.code))),
                    data(&message)
                )?;
            }
        }
        Ok(())
    }
}

fn rule_name(code: &str) -> &'static str {
    pim_notify::lint::find_rule(code).map_or("", |r| r.name)
}

/// Escapes a command's message.
pub fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property (`file=`, `title=`).
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_cannot_inject_a_second_command() {
        assert_eq!(data("a\n::error::x 100%"), "a%0A::error::x 100%25");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
