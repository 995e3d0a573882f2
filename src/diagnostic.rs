//! A finding about a policy: data, not an error. Loading, validation and lint all produce these.

use std::fmt;

use serde::Serialize;

use crate::span::Pos;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `PN003`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where in the file; `None` for findings about the file as a whole.
    pub pos: Option<Pos>,
    /// How to fix it.
    pub help: Option<String>,
    /// The role the finding is about, when there is one (lint allows are per role).
    pub role: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, pos: Option<Pos>) -> Self {
        Diagnostic { code, severity: Severity::Error, message: message.into(), pos, help: None, role: None }
    }

    pub fn warning(code: &'static str, message: impl Into<String>, pos: Option<Pos>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message, pos) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
