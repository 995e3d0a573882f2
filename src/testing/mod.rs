//! Policy tests (`*.tests.yaml`, DESIGN §4): cases that pin who must, and must not, be notified
//! for (role, event) pairs. No I/O: the binary reads the tests file and the policy it names,
//! then calls [`parse`], [`resolve`] and [`run`].
//!
//! Expectations use set semantics: `includes` (every listed recipient is notified), `excludes`
//! (none is), `exactly` (the recipients are those and no others). Addresses compare
//! case-insensitively; `group:NAME` stands for all of its members, recursively.

mod check;
mod file;
mod resolve;

pub use check::{run, run_case, CaseResult, Explained, Mismatch, PairFailure};
pub use file::{parse, OneOrMany, RawCase, RawTestFile, FORMAT_HELP};
pub use resolve::{resolve, Case, ExpectKind, Expectation, Expected, Member};

use crate::span::Pos;

/// Why a tests file cannot be run: a mistake in the file itself, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub pos: Option<Pos>,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>, pos: Pos, help: impl Into<String>) -> Problem {
        Problem { message: message.into(), pos: Some(pos), help: Some(help.into()) }
    }
}

impl RawTestFile {
    /// The `policy:` path as written (relative to the tests file), required.
    pub fn policy_path(&self) -> Result<(&str, Pos), Problem> {
        match &self.policy {
            Some(p) if !p.value.trim().is_empty() => Ok((p.value.as_str(), Pos::of_spanned(p))),
            Some(p) => Err(Problem::new("`policy` is empty", Pos::of_spanned(p), FORMAT_HELP)),
            None => Err(Problem {
                message: "the tests file names no policy".into(),
                pos: Some(Pos::new(1, 1)),
                help: Some("add `policy: FILE`, the policy to test, relative to this file".into()),
            }),
        }
    }
}
