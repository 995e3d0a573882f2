//! pim-notify: evaluate, lint and diff Microsoft Entra PIM notification policies.
//!
//! The library has no I/O: it turns policy text into a [`model::Policy`] ([`load`]), answers
//! "who gets event E for role R" ([`eval`]), and shapes answers for output ([`report`]).
//! The `pim-notify` binary reads files and prints.
//!
//! The facade: the modules below are what the binary and a library user need; helpers only
//! the engine uses (`groups`, where group membership is expanded) are crate-private, and the
//! finding types are re-exported at the root.
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod catalog;
mod diagnostic;
pub mod diff;
pub mod eval;
pub mod glob;
pub mod graph;
pub(crate) mod groups;
pub mod lint;
pub mod load;
pub mod memo;
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
