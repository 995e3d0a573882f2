//! Messages for people on standard error — `error: …`, `warning: …`, `note: …` — written
//! here and nowhere else. A message is escaped whole when it is printed (control characters,
//! line breaks included, shown as `\u{..}`/`\n`), so no value inside it (a role name, a path,
//! a did-you-mean) can start a line of its own: a CI log never sees `::warning::` at the start
//! of a line because of user data. Messages of several lines are [`Problems`], whose lines
//! this printer breaks. A failed write to standard error (closed, full) is ignored: the exit
//! status still says what happened.

use std::fmt;
use std::io::Write;

use super::color::{color_enabled, Stream};

/// An error made of a headline and lines under it (one problem each), printed one per line.
#[derive(Debug)]
pub struct Problems {
    pub headline: String,
    pub lines: Vec<String>,
}

impl Problems {
    pub fn new(headline: impl Into<String>, lines: Vec<String>) -> Self {
        Problems { headline: headline.into(), lines }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl std::error::Error for Problems {}

/// Prints an error and its causes: `error: outer: inner`, then the lines of any [`Problems`].
pub fn error(e: &anyhow::Error) {
    let chain: Vec<String> = e.chain().map(|cause| cause.to_string()).collect();
    let lines: Vec<&String> =
        e.chain().filter_map(|c| c.downcast_ref::<Problems>()).flat_map(|p| &p.lines).collect();
    print(Label::Error, &chain.join(": "), &lines);
}

pub fn warning(text: &str) {
    print::<&str>(Label::Warning, text, &[]);
}

pub fn note(text: &str) {
    print::<&str>(Label::Note, text, &[]);
}

/// A line of progress or outcome (`wrote 3 roles to tenant.yaml`), with no label.
pub fn info(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", escape(text));
}

#[derive(Copy, Clone)]
enum Label {
    Error,
    Warning,
    Note,
}

/// `label: first`, then each of `lines` indented; every one escaped whole.
fn print<S: AsRef<str>>(label: Label, first: &str, lines: &[S]) {
    let (name, code) = match label {
        Label::Error => ("error", "1;31"),
        Label::Warning => ("warning", "1;33"),
        Label::Note => ("note", "1"),
    };
    let shown =
        if color_enabled(Stream::Stderr) { format!("\x1b[{code}m{name}\x1b[0m") } else { name.to_string() };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{shown}: {}", escape(first));
    for line in lines {
        let _ = writeln!(stderr, "  {}", escape(line.as_ref()));
    }
}

/// Every control, bidi and line-breaking character shown as an escape.
pub fn escape(text: &str) -> String {
    pim_notify::text::escape_control(text)
}
