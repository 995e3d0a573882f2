//! Breaking a line of text into lines of at most a given width, between words first, then
//! after punctuation (`.`, `-`, `@`, `,`, `/`, `>`), and inside a run of letters only when
//! nothing else fits. Every step walks the text once, so a megabyte-long cell costs
//! milliseconds, not seconds.

use unicode_width::UnicodeWidthChar;

/// Display columns of `text` (control characters are escaped before they get here).
pub fn width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// After these a line may break when a word does not fit.
fn is_break_after(c: char) -> bool {
    matches!(c, '.' | '-' | '@' | ',' | '/' | '>' | ';' | ':' | '_')
}

/// The widest word of `text` (words end at spaces).
pub fn longest_word(text: &str) -> usize {
    text.split(' ').map(width).max().unwrap_or(0)
}

/// The widest piece of `text` once words also break after punctuation.
pub fn longest_piece(text: &str) -> usize {
    text.split(' ').flat_map(pieces).map(width).max().unwrap_or(0)
}

/// A word cut after each punctuation character: `eligible.assigned` → `eligible.`, `assigned`.
fn pieces(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .find(|&(_, c)| is_break_after(c))
            .map_or(rest.len(), |(i, c)| i + c.len_utf8());
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// `text` in lines of at most `max` columns (at least one line, possibly empty).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Lines { max, done: Vec::new(), line: String::new(), used: 0 };
    for (i, word) in text.split(' ').enumerate() {
        lines.word(word, i > 0);
    }
    lines.finish()
}

/// The lines made so far and the one being filled.
struct Lines {
    max: usize,
    done: Vec<String>,
    line: String,
    used: usize,
}

impl Lines {
    fn word(&mut self, word: &str, after_space: bool) {
        let w = width(word);
        let gap = usize::from(after_space && self.used > 0);
        if self.used + gap + w <= self.max {
            if gap == 1 {
                self.push_str(" ", 1);
            }
            self.push_str(word, w);
            return;
        }
        if w <= self.max {
            self.break_line();
            self.push_str(word, w);
            return;
        }
        // Longer than a line: piece by piece, after punctuation.
        if gap == 1 && self.used + 1 < self.max {
            self.push_str(" ", 1);
        }
        for piece in pieces(word) {
            self.piece(piece);
        }
    }

    fn piece(&mut self, piece: &str) {
        let w = width(piece);
        if self.used + w <= self.max {
            return self.push_str(piece, w);
        }
        if w <= self.max {
            self.break_line();
            return self.push_str(piece, w);
        }
        for c in piece.chars() {
            let cw = c.width().unwrap_or(0);
            if self.used + cw > self.max && self.used > 0 {
                self.break_line();
            }
            self.line.push(c);
            self.used += cw;
        }
    }

    fn push_str(&mut self, text: &str, w: usize) {
        self.line.push_str(text);
        self.used += w;
    }

    fn break_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.done.push(line.trim_end_matches(' ').to_string());
        self.used = 0;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.line.is_empty() || self.done.is_empty() {
            self.break_line();
        }
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stay_whole_when_they_fit() {
        assert_eq!(wrap("admin · activation.admin · extra", 20), ["admin ·", "activation.admin ·", "extra"]);
        assert_eq!(wrap("short", 20), ["short"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn long_words_break_after_punctuation_then_anywhere() {
        assert_eq!(wrap("eligible.extension-requested", 12), ["eligible.", "extension-", "requested"]);
        assert_eq!(wrap("first.last@contoso.com", 12), ["first.last@", "contoso.com"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn no_line_is_wider_than_asked() {
        let text = "a bb ccc.dddd-eeeee@ffffff,g 漢字漢字 ".repeat(7);
        for max in 1..30 {
            for line in wrap(&text, max) {
                assert!(width(&line) <= max.max(2), "{max}: {line:?}");
            }
        }
    }

    #[test]
    fn widths_measure_the_widest_part() {
        assert_eq!(longest_word("a bbb cc"), 3);
        assert_eq!(longest_piece("activation.approver x"), 11);
    }
}
