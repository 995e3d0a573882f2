//! JUnit XML, the report format Azure DevOps, GitLab and Jenkins read: one `<testsuite>` per
//! tests file, one `<testcase>` per case, failure details inside `<failure>`.

use std::io::Write;

use anyhow::Result;
use pim_notify::text::xml_text;

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
    let path = xml_text(&file.path);
    writeln!(
        out,
        r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0">"#,
        file.results.len(),
        file.failed()
    )?;
    for result in &file.results {
        let name = xml_text(&result.name);
        let open =
            format!(r#"    <testcase name="{name}" classname="{path}" file="{path}" line="{}""#, result.line);
        match &result.failure {
            None => writeln!(out, "{open}/>")?,
            Some(failure) => {
                writeln!(out, "{open}>")?;
                let body = failure.details.iter().map(|l| xml_text(l)).collect::<Vec<_>>().join("\n");
                writeln!(
                    out,
                    r#"      <failure message="{}" type="expectation">{body}</failure>"#,
                    xml_text(&failure.summary)
                )?;
                writeln!(out, "    </testcase>")?;
            }
        }
    }
    writeln!(out, "  </testsuite>")?;
    Ok(())
}
