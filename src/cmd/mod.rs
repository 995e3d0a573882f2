//! The binary's commands: each parses its arguments, reads what it needs, and renders.

pub mod color;
pub mod completions;
pub mod config;
pub mod diff;
pub mod events;
pub mod explain;
pub mod export;
pub mod html;
pub mod import;
pub mod input;
pub mod lint;
pub mod matrix;
pub mod output;
pub mod render;
pub mod roles;
pub mod schema;
pub mod test;
pub mod who;

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use pim_notify::span::At;
use pim_notify::{load_str, Diagnostic, Policy};

use config::Config;

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

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
}

impl Format {
    /// For commands that print lists rather than answers: every format but html.
    pub fn list_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
        use clap::builder::TypedValueParser;
        clap::builder::PossibleValuesParser::new(["table", "json", "csv", "markdown"])
            .map(|name| Format::from_str(&name, true).unwrap_or(Format::Table))
    }
}

/// The error of a list command asked for html, which its parser already refuses.
pub fn no_html() -> anyhow::Error {
    anyhow::anyhow!("--format html is only available for `matrix` and `who`")
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
            "{}: the policy file is empty; a policy starts with `version: 2` (see `pim-notify schema`)",
            pim_notify::text::escape_control(shown)
        );
    }
    let loaded = match load_str(shown, text) {
        Ok(loaded) => loaded,
        Err(fatal) => bail!("{}", diagnostics_text(shown, &[fatal])),
    };
    if loaded.has_errors() {
        let errors: Vec<Diagnostic> = loaded.errors().cloned().collect();
        bail!("{}\nrun `pim-notify lint {shown}` for details", diagnostics_text(shown, &errors));
    }
    Ok(loaded.policy)
}

/// `file:line:col: error[PN003]: message (help: ...)`, one problem per line.
pub fn diagnostics_text(file: &str, diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(|d| diagnostic_line(file, d)).collect();
    format!(
        "{} problem(s) in {}:\n{}",
        diagnostics.len(),
        pim_notify::text::escape_control(file),
        lines.join("\n")
    )
}

fn diagnostic_line(file: &str, d: &Diagnostic) -> String {
    let place = match d.pos {
        Some(pos) => At { file, pos }.to_string(),
        None => file.to_string(),
    };
    let esc = pim_notify::text::escape_control;
    let help = d.help.as_deref().map(|h| format!("\n    help: {}", esc(h))).unwrap_or_default();
    format!("{}: {}[{}]: {}{help}", esc(&place), d.severity, d.code, esc(&d.message))
}

/// Writes a JSON value, pretty, with a final newline.
/// Raw DEL, C1 controls and bidirectional overrides are written as `\uXXXX` escapes.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    let text = pim_notify::text::json_escape_invisible(serde_json::to_string_pretty(value)?);
    writeln!(out, "{text}")?;
    Ok(())
}

/// A plain table for people; cells are escaped by the caller.
pub fn render_table(
    out: &mut dyn Write,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    table.set_header(color::header(header));
    color::style_table(&mut table);
    for row in rows {
        table.add_row(row);
    }
    writeln!(out, "{table}")?;
    Ok(())
}
