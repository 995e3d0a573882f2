//! `events`: the catalog of emails PIM sends.

use anyhow::Result;
use clap::Args;
use pim_notify::catalog::{self, Event, Scope};
use serde_json::json;

use super::out::{self, Cell, Column, Document, Format, Offer, Out, Sheet};
use super::Status;

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify events
  pim-notify events --scope groups --format json")]
pub struct EventsArgs {
    /// Only events that exist in this scope
    #[arg(long, value_parser = parse_scope)]
    pub scope: Option<Scope>,
    /// Output format
    #[arg(long, short = 'f', value_parser = out::formats::<Events>(), default_value = "table")]
    pub format: Format,
}

fn parse_scope(text: &str) -> Result<Scope, String> {
    Scope::parse(text).ok_or_else(|| "expected entra-roles, azure-resources or groups".to_string())
}

pub fn run(args: &EventsArgs, out: &mut Out) -> Result<Status> {
    let events = catalog::events().iter().filter(|e| args.scope.is_none_or(|s| e.exists_in(s))).collect();
    Events(events).write(args.format, out)?;
    Ok(0)
}

/// The catalog, or the part of it that exists in one scope.
pub struct Events(Vec<&'static Event>);

impl Document for Events {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| out::table::sheet(out, &d.sheet(&d.rows()))),
            Offer::new(Format::Json, |d, out| {
                out::json::value(out, &json!(d.0.iter().map(|e| event_json(e)).collect::<Vec<_>>()))
            }),
            Offer::new(Format::Csv, |d, out| out::csv::sheet(out, &d.sheet(&d.rows()))),
            Offer::new(Format::Markdown, |d, out| out::markdown::sheet(out, &d.sheet(&d.rows()))),
        ]
    }
}

impl Events {
    fn rows(&self) -> Vec<Vec<Cell>> {
        self.0.iter().map(|e| row(e).into_iter().map(Cell::new).collect()).collect()
    }

    fn sheet<'a>(&self, rows: &'a Vec<Vec<Cell>>) -> Sheet<'a> {
        let columns = vec![
            Column::id("Event"),
            Column::text("Title"),
            Column::text("Audiences (settings)"),
            Column::id("Critical"),
            Column::id("Needs"),
            Column::text("Scopes"),
        ];
        Sheet { columns, rows }
    }
}

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
