//! `--format markdown`: GitHub-flavoured Markdown for a pull-request comment or a wiki. Every
//! untrusted string is escaped here: pipes, HTML and emphasis characters, and control
//! characters shown as `\u{..}`.

use anyhow::Result;

use super::{Block, Out, Sheet};

pub fn blocks(out: &mut Out, blocks: &[Block]) -> Result<()> {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            writeln!(out.w)?;
        }
        match block {
            Block::Heading(text) => writeln!(out.w, "### {}", text_of(text))?,
            Block::Line(text) => writeln!(out.w, "{}", text_of(text))?,
            Block::Sheet(sheet) => self::sheet(out, sheet)?,
        }
    }
    Ok(())
}

/// A table; a cell's lines are joined with `<br>`.
pub fn sheet(out: &mut Out, sheet: &Sheet) -> Result<()> {
    let names: Vec<String> = sheet.columns.iter().map(|c| text_of(&c.name)).collect();
    writeln!(out.w, "| {} |\n|{}", names.join(" | "), "---|".repeat(names.len()))?;
    match sheet.rows.chunks() {
        Some(chunks) => super::in_order(out, &chunks, &|chunk, out| rows(out, &**chunk)),
        None => rows(out, sheet.rows),
    }
}

fn rows(out: &mut Out, rows: &(dyn super::Rows + '_)) -> Result<()> {
    rows.each(&mut |cells| {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| c.lines.iter().map(|l| text_of(l)).collect::<Vec<_>>().join("<br>"))
            .collect();
        writeln!(out.w, "| {} |", cells.join(" | "))?;
        Ok(())
    })
}

/// Untrusted text inside Markdown (a table cell, a heading, a list item).
pub fn text_of(text: &str) -> String {
    super::escape_with(text, |c| match c {
        '|' => Some("\\|"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '&' => Some("&amp;"),
        '*' => Some("\\*"),
        '_' => Some("\\_"),
        '`' => Some("\\`"),
        '[' => Some("\\["),
        ']' => Some("\\]"),
        '\\' => Some("\\\\"),
        '~' => Some("\\~"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_html_and_emphasis_are_escaped() {
        assert_eq!(text_of("a|b<script>"), "a\\|b&lt;script&gt;");
        assert_eq!(text_of("[x](http://e) ~~y~~ a&b"), "\\[x\\](http://e) \\~\\~y\\~\\~ a&amp;b");
        assert_eq!(text_of("line\nbreak"), "line\\nbreak");
    }
}
