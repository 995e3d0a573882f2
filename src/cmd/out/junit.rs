//! `--format junit`: JUnit XML, the report Azure DevOps, GitLab and Jenkins read. One
//! `<testsuite>` per file, one `<testcase>` per case. Every string is XML-escaped here:
//! markup characters as entities, characters XML 1.0 cannot carry shown as `\u{..}`.

use anyhow::Result;

use super::Out;

pub struct Suites {
    pub name: &'static str,
    pub suites: Vec<Suite>,
}

pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

pub struct Case {
    pub name: String,
    /// Where the case is written, when it is.
    pub at: Option<(String, u32)>,
    pub failure: Option<Failure>,
}

pub struct Failure {
    /// One line.
    pub message: String,
    /// `error`, `warning`, `expectation`...
    pub kind: String,
    /// The details, one per line.
    pub body: Vec<String>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

pub fn write(out: &mut Out, report: &Suites) -> Result<()> {
    let tests: usize = report.suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = report.suites.iter().map(Suite::failures).sum();
    writeln!(out.w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out.w,
        r#"<testsuites name="{}" tests="{tests}" failures="{failures}" errors="0">"#,
        text(report.name)
    )?;
    for suite in &report.suites {
        write_suite(out, suite)?;
    }
    writeln!(out.w, "</testsuites>")?;
    Ok(())
}

fn write_suite(out: &mut Out, suite: &Suite) -> Result<()> {
    let name = text(&suite.name);
    writeln!(
        out.w,
        r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="0">"#,
        suite.cases.len(),
        suite.failures()
    )?;
    for case in &suite.cases {
        let at = case
            .at
            .as_ref()
            .map(|(file, line)| format!(r#" file="{}" line="{line}""#, text(file)))
            .unwrap_or_default();
        let open = format!(r#"    <testcase name="{}" classname="{name}"{at}"#, text(&case.name));
        match &case.failure {
            None => writeln!(out.w, "{open}/>")?,
            Some(failure) => {
                writeln!(out.w, "{open}>")?;
                let body: Vec<String> = failure.body.iter().map(|l| text(l)).collect();
                writeln!(
                    out.w,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    text(&failure.message),
                    text(&failure.kind),
                    body.join("\n")
                )?;
                writeln!(out.w, "    </testcase>")?;
            }
        }
    }
    writeln!(out.w, "  </testsuite>")?;
    Ok(())
}

/// Text safe inside XML 1.0 content and attributes: control characters, which XML cannot
/// carry, shown as escapes; markup characters as entities; line breaks as `&#10;` so that
/// attributes keep them too.
pub fn text(text: &str) -> String {
    super::escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        '\n' => Some("&#10;"),
        '\u{fffe}' => Some("\\u{fffe}"),
        '\u{ffff}' => Some("\\u{ffff}"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_control_characters() {
        assert_eq!(text(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
        assert_eq!(text("bell\u{7}\u{ffff}\nnext"), "bell\\u{7}\\u{ffff}&#10;next");
    }
}
