//! Why Graph data could not be read, or an export not written: every problem found (not only
//! the first), each with the file position and JSON path it is about, and one way to fix them.

use std::cell::Cell;
use std::fmt;

use super::json::{self, JsonPath};

/// One thing wrong, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `file:line:column`, or just the file when there is no better place.
    pub at: Option<String>,
    /// The JSON path of the value (`value[0].policy.rules[3]`), for Graph data.
    pub path: Option<String>,
    pub message: String,
}

/// Messages quote values from the file; a line break in one must not start a line of its own
/// (a CI log would read `::warning::` there), so each part is escaped here, where the lines
/// of a multi-line error are put together.
fn escaped(text: &str) -> String {
    crate::text::escape_control(text)
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{}: ", escaped(at))?;
        }
        f.write_str(&escaped(&self.message))?;
        if let Some(path) = &self.path {
            write!(f, " (at {})", escaped(path))?;
        }
        Ok(())
    }
}

/// The problems that stopped an import or an export, and how to fix them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphError {
    pub problems: Vec<Problem>,
    pub help: Option<String>,
}

/// At most this many problems are shown; the rest are counted.
const SHOWN: usize = 20;

impl GraphError {
    /// One problem without a position.
    pub fn new(message: impl Into<String>) -> GraphError {
        GraphError::from(Problem { at: None, path: None, message: message.into() })
    }

    pub fn with_help(mut self, help: impl Into<String>) -> GraphError {
        self.help = Some(help.into());
        self
    }

    pub fn from_problems(problems: Vec<Problem>) -> GraphError {
        GraphError { problems, help: None }
    }
}

impl From<Problem> for GraphError {
    fn from(problem: Problem) -> GraphError {
        GraphError { problems: vec![problem], help: None }
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        if self.problems.len() > SHOWN {
            write!(f, "\n... and {} more problem(s) of the same kinds", self.problems.len() - SHOWN)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escaped(help))?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_cannot_start_a_line() {
        let problem = Problem {
            at: Some("x.json:1:2".into()),
            path: None,
            message: "scopeType `a\n::warning::b`".into(),
        };
        let error = GraphError::from_problems(vec![problem.clone(), problem]).with_help("fix\r\nit");
        let text = error.to_string();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.lines().all(|l| !l.starts_with("::")), "{text}");
        assert!(text.contains("a\\n::warning::b") && text.ends_with("fix\\r\\nit"), "{text}");
    }
}

/// A JSON text and the name to show for it: turns JSON paths into `file:line:column`.
/// Only the first problems shown get a position: finding one rescans the text.
#[derive(Debug)]
pub struct Source<'t> {
    pub name: &'t str,
    pub text: &'t str,
    located: Cell<usize>,
}

impl<'t> Source<'t> {
    pub fn new(name: &'t str, text: &'t str) -> Source<'t> {
        Source { name, text, located: Cell::new(0) }
    }

    /// `file:line:column` of the value at `path` (the file alone if it cannot be found).
    pub fn at(&self, path: &JsonPath) -> String {
        let count = self.located.get();
        self.located.set(count + 1);
        if count >= SHOWN {
            return self.name.to_string();
        }
        match json::locate(self.text, path) {
            Some(place) => format!("{}:{place}", self.name),
            None => self.name.to_string(),
        }
    }

    pub fn problem(&self, path: &JsonPath, message: impl Into<String>) -> Problem {
        let shown_path = (!path.is_root()).then(|| path.to_string());
        Problem { at: Some(self.at(path)), path: shown_path, message: message.into() }
    }

    /// A problem about the whole file.
    pub fn file_problem(&self, message: impl Into<String>) -> Problem {
        Problem { at: Some(self.name.to_string()), path: None, message: message.into() }
    }
}
