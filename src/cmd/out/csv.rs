//! `--format csv`: RFC 4180 records. Every field is escaped here: control characters shown
//! as `\u{..}` (a field never breaks its line), fields a spreadsheet would read as a formula
//! neutralised with a leading apostrophe (OWASP CSV injection), quoted when needed.

use anyhow::Result;

use super::{Out, Sheet};

/// The header, then one record per row; a cell's lines are joined with `; `.
pub fn sheet(out: &mut Out, sheet: &Sheet) -> Result<()> {
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name.as_str()).collect();
    record(out, &names)?;
    sheet.rows.each(&mut |cells| {
        let fields: Vec<String> = cells.iter().map(|c| c.joined("; ")).collect();
        record(out, &fields)
    })
}

/// One record of untrusted fields.
pub fn record<S: AsRef<str>>(out: &mut Out, fields: &[S]) -> Result<()> {
    writeln!(out.w, "{}", self::fields(fields))?;
    Ok(())
}

/// Untrusted fields, escaped and joined by commas: part of a record.
pub fn fields<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&cell(field.as_ref()));
    }
    line
}

/// First characters that make a spreadsheet read a cell as a formula, including the
/// full-width forms some spreadsheets also accept.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// One field.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    let plain = |c: char| !matches!(c, ',' | '"' | '\n' | '\r') && !pim_notify::text::needs_escape(c);
    let safe_start = text.chars().next().is_none_or(|c| !c.is_whitespace() && !FORMULA_STARTS.contains(&c));
    if safe_start && !text.ends_with(' ') && text.chars().all(plain) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cell = pim_notify::text::escape_control(text);
    // Spreadsheets skip leading blanks before deciding that a cell is a formula.
    if cell.trim_start().starts_with(FORMULA_STARTS) {
        cell.insert(0, '\'');
    }
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        cell = format!("\"{}\"", cell.replace('"', "\"\""));
    }
    std::borrow::Cow::Owned(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@evil"), "'@evil");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell(" =1+1"), "' =1+1");
        assert_eq!(cell("＝1+1"), "'＝1+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("\t=1"), "\\t=1", "the tab is shown as `\\t`, which starts no formula");
        assert_eq!(cell("a@contoso.com"), "a@contoso.com");
    }

    #[test]
    fn a_field_never_breaks_its_record() {
        let field = cell("a\r\nb,\"c\"");
        assert!(!field.contains(['\r', '\n']));
        assert_eq!(field, "\"a\\r\\nb,\"\"c\"\"\"");
    }
}
