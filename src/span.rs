//! Positions of user-written values. Every value read from a policy keeps where it was
//! written so any message can point at it; a file name is attached only when rendering.

use std::fmt;

use serde_saphyr::{Location, Spanned};

/// Where a value starts in its file, and how long it is (in characters), 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Pos {
    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column, len: 0 }
    }

    pub fn of(location: &Location) -> Pos {
        let len = u32::try_from(location.span().len()).unwrap_or(u32::MAX);
        Pos { line: location.line() as u32, column: location.column() as u32, len }
    }

    pub fn of_spanned<T>(value: &Spanned<T>) -> Pos {
        Pos::of(&value.referenced)
    }

    /// End column of a value on one line (values spanning lines report their first line).
    pub fn end_column(&self) -> u32 {
        self.column.saturating_add(self.len.max(1))
    }
}

/// A position in a named file, as shown to users: `policy.yaml:12:9`.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    pub file: &'a str,
    pub pos: Pos,
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.pos.line, self.pos.column)
    }
}

/// A user-written value with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Located<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Located { value, pos }
    }

    pub fn from_spanned(spanned: Spanned<T>) -> Self {
        let pos = Pos::of_spanned(&spanned);
        Located { value: spanned.value, pos }
    }
}
