//! `--format github`: GitHub Actions workflow commands, one annotation per finding. Values
//! are escaped as the runner expects (`%`, CR, LF percent-encoded; `:` and `,` too in
//! properties), and other control characters are shown as `\u{..}`, so no value can end the
//! command early, start a new one at the beginning of a line, or color the log.

use anyhow::Result;

use super::{Finding, Level, Out};

/// `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=T::MESSAGE`
pub fn annotation(out: &mut Out, f: &Finding) -> Result<()> {
    let command = match f.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(file) = &f.file {
        props.push(format!("file={}", property(file)));
        if let Some(r) = f.range {
            props.push(format!("line={},col={}", r.line, r.column));
            if r.end_line > 0 {
                props.push(format!("endLine={},endColumn={}", r.end_line, r.end_column));
            }
        }
    }
    props.push(format!("title={}", property(&f.title)));
    writeln!(out.w, "::{command} {}::{}", props.join(","), message(&f.text()))?;
    Ok(())
}

/// A line of plain text between the annotations (a summary): escaped so that it cannot be
/// read as a command.
pub fn line(out: &mut Out, text: &str) -> Result<()> {
    let text = super::table::escape(text);
    if text.trim_start().starts_with("::") {
        writeln!(out.w, " {text}")?;
    } else {
        writeln!(out.w, "{text}")?;
    }
    Ok(())
}

/// The message of a workflow command.
pub fn message(text: &str) -> String {
    escape(text, false)
}

/// A property value of a workflow command (`file=`, `title=`).
pub fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    super::escape_with(text, |c| match c {
        '%' => Some("%25"),
        '\r' => Some("%0D"),
        '\n' => Some("%0A"),
        ':' if property => Some("%3A"),
        ',' if property => Some("%2C"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_cannot_inject_a_second_command() {
        assert_eq!(message("a\n::error::x 100%"), "a%0A::error::x 100%25");
        assert_eq!(message("100% sure\r\nnext: a,b"), "100%25 sure%0D%0Anext: a,b");
        assert_eq!(message("\u{1b}[31mred"), "\\u{1b}[31mred");
    }

    #[test]
    fn properties_also_encode_colon_and_comma() {
        assert_eq!(property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        assert_eq!(property("policies/contoso.yaml"), "policies/contoso.yaml");
    }
}
