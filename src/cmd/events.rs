//! `events`: the catalog of emails PIM sends.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use pim_notify::catalog::{self, Event, Scope};
use pim_notify::text::{csv_cell, markdown_cell};
use serde_json::json;

use super::{render_table, write_json, Format, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify events
  pim-notify events --scope groups --format json")]
pub struct EventsArgs {
    /// Only events that exist in this scope
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<Scope>,
    /// Output format
    #[arg(long, short = 'f', value_parser = Format::list_parser(), default_value = "table")]
    pub format: Format,
}

fn parse_scope(text: &str) -> Result<Scope, String> {
    Scope::parse(text).ok_or_else(|| "expected entra-roles, azure-resources or groups".to_string())
}

pub fn run(args: &EventsArgs, out: &mut dyn Write) -> Result<Status> {
    let events: Vec<&Event> =
        catalog::events().iter().filter(|e| args.scope.is_none_or(|s| e.exists_in(s))).collect();
    match args.format {
        Format::Json => write_json(out, &json!(events.iter().map(|e| event_json(e)).collect::<Vec<_>>()))?,
        Format::Table => render_table(out, &HEADER, events.iter().map(|e| row(e)))?,
        Format::Csv => {
            writeln!(out, "{}", HEADER.join(","))?;
            for e in &events {
                writeln!(out, "{}", row(e).iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","))?;
            }
        }
        Format::Markdown => {
            writeln!(out, "| {} |\n|{}", HEADER.join(" | "), "---|".repeat(HEADER.len()))?;
            for e in &events {
                writeln!(
                    out,
                    "| {} |",
                    row(e).iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | ")
                )?;
            }
        }
        Format::Html => return Err(super::no_html()),
    }
    Ok(0)
}

const HEADER: [&str; 6] = ["Event", "Title", "Audiences (settings)", "Critical", "Needs", "Scopes"];

fn row(e: &Event) -> Vec<String> {
    let audiences: Vec<String> = e.audiences.iter().map(|a| format!("{a} ({})", e.setting_for(*a))).collect();
    vec![
        e.id.clone(),
        e.title.clone(),
        audiences.join(", "),
        if e.critical { "yes".into() } else { "no".into() },
        e.requires.map(|_| "approval".to_string()).unwrap_or_default(),
        e.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
    ]
}

fn event_json(e: &Event) -> serde_json::Value {
    json!({
        "id": e.id,
        "title": e.title,
        "section": e.section.as_str(),
        "audiences": e.audiences.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
        "settings": e.audiences.iter().map(|a| e.setting_for(*a).to_string()).collect::<Vec<_>>(),
        "critical": e.critical,
        "requires_approval": e.requires.is_some(),
        "scopes": e.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}
