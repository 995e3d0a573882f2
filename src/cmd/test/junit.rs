//! JUnit XML, the report format Azure DevOps, GitLab and Jenkins read: one `<testsuite>` per
//! tests file, one `<testcase>` per case, failure details inside `<failure>`.

use std::io::Write;

use anyhow::Result;
use pim_notify::text::escape_control;

use super::FileResults;

pub fn write(out: &mut dyn Write, files: &[FileResults]) -> Result<()> {
    let (tests, failures) = totals(files);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="pim-notify test" tests="{tests}" failures="{failures}" errors="0">"#)?;
    for file in files {
        suite(out, file)?;
    }
    writeln!(out, "</testsuites>")?;
    Ok(())
}

fn totals(files: &[FileResults]) -> (usize, usize) {
    let tests = files.iter().map(|f| f.results.len()).sum();
    let failures = files.iter().map(FileResults::failed).sum();
    (tests, failures)
}

fn suite(out: &mut dyn Write, file: &FileResults) -> Result<()> {
    let path = xml(&file.path);
    writeln!(
        out,
        r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0">"#,
        file.results.len(),
        file.failed()
    )?;
    for result in &file.results {
        let name = xml(&result.name);
        let open =
            format!(r#"    <testcase name="{name}" classname="{path}" file="{path}" line="{}""#, result.line);
        match &result.failure {
            None => writeln!(out, "{open}/>")?,
            Some(failure) => {
                writeln!(out, "{open}>")?;
                let body = failure.details.iter().map(|l| xml(l)).collect::<Vec<_>>().join("\n");
                writeln!(
                    out,
                    r#"      <failure message="{}" type="expectation">{body}</failure>"#,
                    xml(&failure.summary)
                )?;
                writeln!(out, "    </testcase>")?;
            }
        }
    }
    writeln!(out, "  </testsuite>")?;
    Ok(())
}

/// Text safe inside XML 1.0 content and attributes: control characters shown as escapes
/// (XML cannot carry most of them at all) and markup characters as entities.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_control(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{fffe}' | '\u{ffff}' => out.extend(c.escape_default()),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(xml(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
        assert_eq!(xml("bell\u{7}\u{ffff}"), "bell\\u{7}\\u{ffff}");
    }
}
