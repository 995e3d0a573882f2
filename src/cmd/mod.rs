//! The binary's commands: each parses its arguments, reads what it needs, and renders.

pub mod answers;
pub mod completions;
pub mod config;
pub mod diff;
pub mod events;
pub mod explain;
pub mod export;
pub mod import;
pub mod input;
pub mod lint;
pub mod matrix;
pub mod out;
pub mod roles;
pub mod schema;
pub mod test;
pub mod who;

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use pim_notify::span::At;
use pim_notify::{load_str, Diagnostic, Policy};

use config::Config;
pub use out::file as output;

/// Options every command shares.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Configuration file (default: the nearest pim-notify.toml in this folder or a parent)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Largest input file accepted, in bytes [default: 67108864 = 64 MiB]
    #[arg(long, global = true, value_name = "BYTES")]
    pub max_input_size: Option<u64>,
}

impl Common {
    pub fn config(&self) -> Result<Config> {
        Config::discover(self.config.as_deref())
    }

    pub fn input_limit(&self, config: &Config) -> u64 {
        self.max_input_size.or(config.max_input_size).unwrap_or(input::DEFAULT_MAX_INPUT)
    }
}

/// The exit status a command asks for when it did its job.
pub type Status = u8;

/// The policy to answer from: `--policy`, else the config's `policy`, else Entra's defaults.
pub fn resolve_policy(policy: Option<&str>, common: &Common) -> Result<Policy> {
    let config = common.config()?;
    let limit = common.input_limit(&config);
    let path = match policy {
        Some(p) => Some(p.to_string()),
        None => config.policy_path().map(|p| p.to_string_lossy().into_owned()),
    };
    match path {
        Some(path) => load_policy_file(&path, limit),
        None => Ok(Policy::builtin_default()),
    }
}

/// Reads and validates a policy; any error-level problem stops the command (exit 2).
pub fn load_policy_file(path: &str, limit: u64) -> Result<Policy> {
    let text = input::read_text(path, limit)?;
    let shown = if path == "-" { "<stdin>" } else { path };
    load_policy_text(shown, &text)
}

/// Validates policy text read by the caller, named `shown` in messages. A blank file is refused:
/// it is almost always a mistake, not a wish for Entra's defaults.
pub fn load_policy_text(shown: &str, text: &str) -> Result<Policy> {
    if pim_notify::load::is_blank(text) {
        bail!(
            "{shown}: the policy file is empty; a policy starts with `version: 2` (see `pim-notify schema`)"
        );
    }
    let loaded = match load_str(shown, text) {
        Ok(loaded) => loaded,
        Err(fatal) => return Err(problems(shown, &[fatal], None).into()),
    };
    if loaded.has_errors() {
        let errors: Vec<Diagnostic> = loaded.errors().cloned().collect();
        let hint = format!("run `pim-notify lint {shown}` for details");
        return Err(problems(shown, &errors, Some(hint)).into());
    }
    Ok(loaded.policy)
}

/// `N problem(s) in FILE:`, then `file:line:col: error[PN003]: message` and its help, one
/// line each.
pub fn problems(file: &str, diagnostics: &[Diagnostic], hint: Option<String>) -> out::stderr::Problems {
    let mut lines = Vec::new();
    for d in diagnostics {
        lines.push(diagnostic_line(file, d));
        lines.extend(d.help.as_deref().map(|h| format!("  help: {h}")));
    }
    lines.extend(hint);
    out::stderr::Problems::new(
        format!("{} in {file}:", out::plural(diagnostics.len(), "problem", "problems")),
        lines,
    )
}

fn diagnostic_line(file: &str, d: &Diagnostic) -> String {
    let place = match d.pos {
        Some(pos) => At { file, pos }.to_string(),
        None => file.to_string(),
    };
    format!("{place}: {}[{}]: {}", d.severity, d.code, d.message)
}
