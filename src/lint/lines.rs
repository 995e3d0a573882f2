//! Turning a value's start and length into an end line and column, for outputs that mark a
//! whole range (JSON, SARIF, GitHub annotations, the caret under the source line).

use crate::span::Pos;

/// Where each line starts, so positions convert without rescanning the text.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: u32) -> Option<&'t str> {
        let start = *self.starts.get((line as usize).checked_sub(1)?)?;
        let rest = &self.text[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        Some(rest[..end].trim_end_matches('\r'))
    }

    /// The line and column just past the value at `pos` (1-based, columns in characters).
    /// A value of unknown length ends one character after it starts.
    pub fn end(&self, pos: Pos) -> (u32, u32) {
        let (mut line, mut column) = (pos.line, pos.column);
        let Some(text) = self.line(pos.line) else { return (line, column.saturating_add(1)) };
        let mut remaining = pos.len.max(1) as usize;
        let mut chars = text.chars().skip(column.saturating_sub(1) as usize).count();
        while remaining > chars {
            match self.line(line + 1) {
                Some(next) => {
                    remaining -= chars + 1;
                    line += 1;
                    column = 1;
                    chars = next.chars().count();
                }
                None => return (line, column.saturating_add(chars as u32)),
            }
        }
        (line, column.saturating_add(remaining as u32))
    }
}
