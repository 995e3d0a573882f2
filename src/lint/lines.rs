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
    /// A flow collection (`[...]`, `{...}`), whose length the parser does not give, ends at
    /// its closing bracket.
    pub fn end(&self, pos: Pos) -> (u32, u32) {
        if pos.len <= 1 {
            if let Some(end) = self.flow_end(pos).or_else(|| self.block_sequence_end(pos)) {
                return end;
            }
        }
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

impl LineIndex<'_> {
    /// A block sequence (`- a` lines) goes on while lines are blank, comments, more indented,
    /// or further items at the same indentation.
    fn block_sequence_end(&self, pos: Pos) -> Option<(u32, u32)> {
        let first = self.line(pos.line)?;
        let indent = pos.column.checked_sub(1)? as usize;
        if first.chars().nth(indent) != Some('-') {
            return None;
        }
        let mut last = (pos.line, first.chars().count() as u32 + 1);
        for line in pos.line + 1.. {
            let Some(text) = self.line(line) else { break };
            let trimmed = text.trim_start();
            let depth = text.chars().count() - trimmed.chars().count();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if depth > indent || (depth == indent && trimmed.starts_with('-')) {
                last = (line, text.chars().count() as u32 + 1);
            } else {
                break;
            }
        }
        Some(last)
    }

    fn flow_end(&self, pos: Pos) -> Option<(u32, u32)> {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut skip = pos.column.checked_sub(1)? as usize;
        for line in pos.line..pos.line.saturating_add(10_000) {
            let text = self.line(line)?;
            for (i, c) in text.chars().enumerate().skip(skip) {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '[' | '{') => depth += 1,
                    (None, ']' | '}') if depth == 1 => return Some((line, i as u32 + 2)),
                    (None, ']' | '}') => depth = depth.checked_sub(1)?,
                    (None, '#') if depth > 0 && text[..text.char_indices().nth(i)?.0].ends_with(' ') => break,
                    (None, _) if depth == 0 => return None,
                    _ => {}
                }
            }
            skip = 0;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_of_scalars_and_flow_lists() {
        let text = "a: [x, \"]\", y]  # c\nb: hello\nc: [x,\n  y]\n";
        let lines = LineIndex::new(text);
        assert_eq!(lines.end(Pos { line: 1, column: 4, len: 1 }), (1, 15));
        assert_eq!(lines.end(Pos { line: 2, column: 4, len: 5 }), (2, 9));
        assert_eq!(lines.end(Pos { line: 3, column: 4, len: 0 }), (4, 5));
        let block = LineIndex::new("x:\n  - a\n  # c\n  - bb\ny: 1\n");
        assert_eq!(block.end(Pos { line: 2, column: 3, len: 1 }), (4, 7));
    }
}
