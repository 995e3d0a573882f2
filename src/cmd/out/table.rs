//! `--format table`: text for people. Every string is written with its control, bidi and
//! escape characters made visible ([`escape`]). Sheets are drawn as boxed tables that fit
//! [`Out::width`]: columns of ids keep their values whole while a prose column can give,
//! prose wraps between words, then after punctuation; when even that cannot fit, each row is
//! shown as a record of `column  value` lines instead. A pipe (no width) gets no wrapping.

mod snippets;
mod wrap;

use std::borrow::Cow;

use anyhow::Result;
pub use snippets::diagnostics;

use super::{Block, Cell, Column, Kind, Out, Rows, Sheet, Tone};

/// Untrusted text as the terminal should show it: control characters, bidi overrides and
/// escapes written as visible `\u{..}` sequences.
pub fn escape(text: &str) -> Cow<'_, str> {
    // Printable ASCII (nearly all text) needs no look at each character.
    let printable_ascii = text.bytes().all(|b| (0x20..0x7f).contains(&b));
    if !printable_ascii && text.chars().any(pim_notify::text::needs_escape) {
        Cow::Owned(pim_notify::text::escape_control(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes `blocks` in order; headings and prose wrap to the width like cells do.
pub fn blocks(out: &mut Out, blocks: &[Block]) -> Result<()> {
    for block in blocks {
        match block {
            Block::Heading(text) | Block::Line(text) => wrapped(out, text)?,
            Block::Sheet(sheet) => self::sheet(out, sheet)?,
        }
    }
    Ok(())
}

fn wrapped(out: &mut Out, text: &str) -> Result<()> {
    let escaped = escape(text);
    let lines = match out.width {
        Some(width) => wrap::wrap(&escaped, width).into_iter().map(Cow::Owned).collect(),
        None => vec![escaped],
    };
    for line in lines {
        writeln!(out.w, "{line}")?;
    }
    Ok(())
}

/// One line of untrusted text.
pub fn line(out: &mut Out, text: &str) -> Result<()> {
    writeln!(out.w, "{}", escape(text))?;
    Ok(())
}

/// Room a grid of `n` columns leaves for text: `│ a ┆ b │` takes 3 per column and 1.
fn room(width: usize, columns: usize) -> usize {
    width.saturating_sub(3 * columns + 1)
}

/// What the rows need, per column: full widths, widest words, widest pieces.
#[derive(Clone, Default)]
struct Need {
    natural: usize,
    word: usize,
    piece: usize,
}

/// What the rows need; with no width to fit, only their full widths. Large sheets are
/// measured in two halves at once when there is a second core.
fn measure(sheet: &Sheet, fitting: bool) -> Result<Vec<Need>> {
    let kind = |k: Kind| fitting.then_some(k);
    let header: Vec<Need> =
        sheet.columns.iter().map(|c| need_of([escape(&c.name)], kind(Kind::Text))).collect();
    let columns = &sheet.columns;
    let needs = match sheet.rows.halves() {
        Some((first, second)) => {
            let (a, b) = pim_notify::threads::join(
                || measure_rows(&*first, columns, fitting),
                || measure_rows(&*second, columns, fitting),
            );
            merge(merge(header, &a?), &b?)
        }
        None => merge(header, &measure_rows(sheet.rows, columns, fitting)?),
    };
    Ok(needs)
}

/// The larger need of each column.
fn merge(mut needs: Vec<Need>, more: &[Need]) -> Vec<Need> {
    for (need, more) in needs.iter_mut().zip(more) {
        need.natural = need.natural.max(more.natural);
        need.word = need.word.max(more.word);
        need.piece = need.piece.max(more.piece);
    }
    needs
}

fn measure_rows(rows: &(dyn Rows + '_), columns: &[Column], fitting: bool) -> Result<Vec<Need>> {
    let mut needs = vec![Need::default(); columns.len()];
    rows.each(&mut |cells| {
        for ((need, cell), column) in needs.iter_mut().zip(cells).zip(columns) {
            let more = need_of(cell.lines.iter().map(|l| escape(l)), fitting.then_some(column.kind));
            need.natural = need.natural.max(more.natural);
            need.word = need.word.max(more.word);
            need.piece = need.piece.max(more.piece);
        }
        Ok(())
    })?;
    Ok(needs)
}

/// An id column needs its values whole, a column of ids its longest id, a prose column its
/// longest word (or, when it must give, its longest piece); `None` measures full widths only.
fn need_of<S: AsRef<str>>(lines: impl IntoIterator<Item = S>, kind: Option<Kind>) -> Need {
    let mut need = Need::default();
    for line in lines {
        let line = line.as_ref();
        let natural = wrap::width(line);
        need.natural = need.natural.max(natural);
        let (word, piece) = match kind {
            None | Some(Kind::Id) => (natural, natural),
            Some(Kind::Ids) => (wrap::longest_word(line), wrap::longest_word(line)),
            Some(Kind::Text) => (wrap::longest_word(line), wrap::longest_piece(line)),
        };
        need.word = need.word.max(word);
        need.piece = need.piece.max(piece);
    }
    need
}

/// Column widths, or `None` when only records can show the rows without breaking ids.
fn layout(needs: &[Need], width: Option<usize>) -> Option<Vec<usize>> {
    let natural: Vec<usize> = needs.iter().map(|n| n.natural).collect();
    let Some(width) = width else { return Some(natural) };
    let room = room(width, needs.len());
    if natural.iter().sum::<usize>() <= room {
        return Some(natural);
    }
    for least in [needs.iter().map(|n| n.word).collect::<Vec<_>>(), needs.iter().map(|n| n.piece).collect()] {
        if least.iter().sum::<usize>() <= room {
            return Some(share(least, &natural, room));
        }
    }
    None
}

/// Widens `widths` towards `natural`, evenly, until `room` is used up.
fn share(mut widths: Vec<usize>, natural: &[usize], room: usize) -> Vec<usize> {
    let mut left = room - widths.iter().sum::<usize>();
    loop {
        let wanting: Vec<usize> = (0..widths.len()).filter(|&i| widths[i] < natural[i]).collect();
        if left == 0 || wanting.is_empty() {
            return widths;
        }
        let each = (left / wanting.len()).max(1);
        for i in wanting {
            let more = each.min(natural[i] - widths[i]).min(left);
            widths[i] += more;
            left -= more;
        }
    }
}

/// A sheet as a grid, or as records when it cannot fit.
pub fn sheet(out: &mut Out, sheet: &Sheet) -> Result<()> {
    let needs = measure(sheet, out.width.is_some())?;
    match layout(&needs, out.width) {
        Some(widths) => grid(out, sheet, &widths),
        None => records(out, sheet),
    }
}

fn grid(out: &mut Out, sheet: &Sheet, widths: &[usize]) -> Result<()> {
    let rule = |left: &str, fill: &str, mid: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|&w| fill.repeat(w + 2)).collect();
        format!("{left}{}{right}", parts.join(mid))
    };
    writeln!(out.w, "{}", rule("┌", "─", "┬", "┐"))?;
    let header: Vec<Cell> = sheet.columns.iter().map(|c| Cell::new(c.name.clone())).collect();
    grid_row(out, &header.iter().collect::<Vec<_>>(), widths, true)?;
    writeln!(out.w, "{}", rule("╞", "═", "╪", "╡"))?;
    let rows =
        |out: &mut Out, rows: &(dyn Rows + '_)| rows.each(&mut |cells| grid_row(out, cells, widths, false));
    match sheet.rows.chunks() {
        Some(chunks) => super::in_order(out, &chunks, &|chunk, out| rows(out, &**chunk))?,
        None => rows(out, sheet.rows)?,
    }
    writeln!(out.w, "{}", rule("└", "─", "┴", "┘"))?;
    Ok(())
}

/// One row, as many lines as its tallest cell needs.
fn grid_row(out: &mut Out, cells: &[&Cell], widths: &[usize], header: bool) -> Result<()> {
    let wrapped: Vec<Vec<Cow<str>>> =
        cells.iter().zip(widths).map(|(c, &w)| cell_lines(c, w, out.width)).collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    let mut line = String::new();
    for i in 0..height {
        line.clear();
        line.push('│');
        for (j, (lines, &w)) in wrapped.iter().zip(widths).enumerate() {
            let text = lines.get(i).map_or("", |l| l.as_ref());
            let style = if header { Style::Bold } else { style_of(cells[j].tone) };
            line.push(' ');
            line.push_str(&paint(out.color, text, style));
            pad(&mut line, w.saturating_sub(wrap::width(text)) + 1);
            line.push_str(if j + 1 == widths.len() { "│" } else { "┆" });
        }
        writeln!(out.w, "{line}")?;
    }
    Ok(())
}

/// Appends `n` spaces.
fn pad(line: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let step = n.min(SPACES.len());
        line.push_str(&SPACES[..step]);
        n -= step;
    }
}

/// A cell's lines, escaped and wrapped to `w` (not wrapped at all on a pipe).
fn cell_lines(cell: &Cell, w: usize, width: Option<usize>) -> Vec<Cow<'_, str>> {
    let escaped = cell.lines.iter().map(|l| escape(l));
    match width {
        None => escaped.collect(),
        Some(_) => escaped.flat_map(|l| wrap::wrap(&l, w)).map(Cow::Owned).collect(),
    }
}

/// Each row as `column  value` lines, a blank line between rows: what a narrow terminal reads.
fn records(out: &mut Out, sheet: &Sheet) -> Result<()> {
    let labels: Vec<Cow<str>> = sheet.columns.iter().map(|c| escape(&c.name)).collect();
    let label_width = labels.iter().map(|l| wrap::width(l)).max().unwrap_or(0);
    let value_width = out.width.unwrap_or(80).saturating_sub(label_width + 2).max(12);
    let mut first = true;
    sheet.rows.each(&mut |cells| {
        if !first {
            writeln!(out.w)?;
        }
        first = false;
        for (label, cell) in labels.iter().map(|l| l.as_ref()).zip(cells) {
            record_field(out, (label, label_width), cell, value_width)?;
        }
        Ok(())
    })
}

/// `label  value`, the value wrapped under itself.
fn record_field(
    out: &mut Out,
    (label, label_width): (&str, usize),
    cell: &Cell,
    value_width: usize,
) -> Result<()> {
    let lines = cell_lines(cell, value_width, out.width);
    for (i, text) in lines.iter().enumerate() {
        let shown = if i == 0 { label } else { "" };
        let pad =
            if text.is_empty() { String::new() } else { " ".repeat(label_width - wrap::width(shown) + 2) };
        let value = paint(out.color, text, style_of(cell.tone));
        writeln!(out.w, "{}{pad}{value}", paint(out.color, shown, Style::Bold))?;
    }
    Ok(())
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Yellow,
}

fn style_of(tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::Plain,
        Tone::Warning => Style::Yellow,
    }
}

/// `text` in `style` when colour is on; escaped text only (it holds no escape of its own).
fn paint(color: bool, text: &str, style: Style) -> Cow<'_, str> {
    let code = match style {
        _ if !color || text.is_empty() => return Cow::Borrowed(text),
        Style::Plain => return Cow::Borrowed(text),
        Style::Bold => "1",
        Style::Yellow => "33",
    };
    Cow::Owned(format!("\x1b[{code}m{text}\x1b[0m"))
}

#[cfg(test)]
mod tests {
    use super::super::Rows;
    use super::*;

    fn render(sheet: &Sheet, width: Option<usize>) -> String {
        let mut bytes = Vec::new();
        self::sheet(&mut Out { w: &mut bytes, color: false, width }, sheet).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    fn events_sheet(rows: &dyn Rows) -> Sheet<'_> {
        Sheet { columns: vec![Column::id("Event"), Column::text("Title")], rows }
    }

    #[test]
    fn a_pipe_gets_whole_lines() {
        let rows = vec![vec![Cell::new("eligible.assigned"), Cell::new("Assigned as eligible ".repeat(9))]];
        let text = render(&events_sheet(&rows), None);
        assert_eq!(text.lines().count(), 5, "{text}");
    }

    #[test]
    fn ids_stay_whole_while_prose_wraps() {
        let rows = vec![vec![
            Cell::new("eligible.extension-requested"),
            Cell::new("A request to extend ".repeat(5)),
        ]];
        let text = render(&events_sheet(&rows), Some(60));
        assert!(text.lines().all(|l| wrap::width(l) <= 60), "{text}");
        assert!(text.contains("eligible.extension-requested"), "{text}");
    }

    #[test]
    fn too_narrow_for_the_ids_gives_records() {
        let rows = vec![vec![Cell::new("eligible.extension-requested"), Cell::new("Extension requested")]];
        let text = render(&events_sheet(&rows), Some(35));
        assert!(
            text.starts_with("Event  eligible.extension-requested\nTitle  Extension requested"),
            "{text}"
        );
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let rows = vec![vec![Cell::new("a\u{1b}[31m"), Cell::new("b\nc")]];
        let text = render(&events_sheet(&rows), Some(80));
        assert!(!text.contains('\u{1b}') && text.contains("b\\nc"), "{text}");
    }

    #[test]
    fn a_megabyte_cell_wraps_line_by_line() {
        let rows = vec![vec![Cell::new("id"), Cell::new("word ".repeat(200_000))]];
        let text = render(&events_sheet(&rows), Some(80));
        assert!(text.lines().count() > 10_000);
    }
}
