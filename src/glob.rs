//! Shell-style globs (`*`, `?`) for `--role` and `--event` filters, matched case-insensitively.

/// A compiled glob pattern.
#[derive(Clone, Debug)]
pub struct Glob {
    pattern: Vec<char>,
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        Glob { pattern: pattern.to_lowercase().chars().collect() }
    }

    pub fn is_literal(&self) -> bool {
        !self.pattern.iter().any(|c| matches!(c, '*' | '?'))
    }

    /// Iterative matching with single backtracking point: linear-ish, never exponential.
    pub fn matches(&self, text: &str) -> bool {
        let text: Vec<char> = text.to_lowercase().chars().collect();
        let p = &self.pattern;
        let (mut ti, mut pi) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < text.len() {
            if pi < p.len() && (p[pi] == '?' || p[pi] == text[ti]) {
                ti += 1;
                pi += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|&c| c == '*')
    }
}

/// True when `text` matches any of `globs`, or when there are none.
pub fn any_match(globs: &[Glob], text: &str) -> bool {
    globs.is_empty() || globs.iter().any(|g| g.matches(text))
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn matches_like_a_shell() {
        assert!(Glob::new("activation.*").matches("activation.completed"));
        assert!(Glob::new("*admin*").matches("Global Administrator"));
        assert!(Glob::new("a?c").matches("abc"));
        assert!(!Glob::new("a?c").matches("abbc"));
        assert!(!Glob::new("alert.*").matches("activation.completed"));
        assert!(Glob::new("*").matches(""));
    }
}
