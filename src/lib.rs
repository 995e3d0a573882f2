//! pim-notify: evaluate, lint and diff Microsoft Entra PIM notification policies.
//!
//! The library has no I/O: it turns policy text into a [`model::Policy`] ([`load`]), answers
//! "who gets event E for role R" ([`eval`]), and shapes answers for output ([`report`]).
//! The `pim-notify` binary reads files and prints.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalog;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod glob;
pub mod graph;
pub mod groups;
pub mod lint;
pub mod load;
pub mod model;
pub mod raw;
pub mod recipient;
pub mod report;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod testing;
pub mod text;
pub mod threads;

pub use catalog::{Audience, Event, Scope, Section, SettingId};
pub use diagnostic::{Diagnostic, Severity};
pub use eval::{evaluate, Answer, Query};
pub use load::{load_str, Loaded};
pub use model::{Policy, Role};
