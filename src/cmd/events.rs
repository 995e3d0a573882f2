//! `events`: the catalog of emails PIM sends.

use anyhow::Result;
use clap::Args;
use pim_notify::catalog::{self, Audience, AudienceEntry, Event, Evidence, Scope, Section};
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
    Events { events, scope: args.scope }.write(args.format, out)?;
    Ok(0)
}

/// The catalog, or the part of it that exists in one scope: a row per audience of an event.
pub struct Events {
    events: Vec<&'static Event>,
    scope: Option<Scope>,
}

impl Document for Events {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| out::table::sheet(out, &sheet(&d.rows()))),
            Offer::new(Format::Json, |d, out| {
                let events: Vec<serde_json::Value> =
                    d.events.iter().map(|e| event_json(e, d.scope)).collect();
                out::json::value(out, &json!(events))
            }),
            Offer::new(Format::Csv, |d, out| out::csv::sheet(out, &sheet(&d.rows()))),
            Offer::new(Format::Markdown, |d, out| out::markdown::sheet(out, &sheet(&d.rows()))),
        ]
    }
}

impl Events {
    fn rows(&self) -> Vec<Vec<Cell>> {
        let rows = self.events.iter().flat_map(|e| rows(e, self.scope));
        rows.map(|row| row.into_iter().map(Cell::new).collect()).collect()
    }
}

fn sheet(rows: &Vec<Vec<Cell>>) -> Sheet<'_> {
    let columns = vec![
        Column::id("Event"),
        Column::text("Title"),
        Column::id("Audience"),
        Column::id("Governed by"),
        Column::text("Default"),
        Column::id("Critical"),
        Column::text("Occurs"),
        Column::text("Scopes"),
        Column::text("Basis"),
        Column::text("Source"),
    ];
    Sheet { columns, rows }
}

/// One row per audience of the event (in `scope`, or in every scope).
fn rows(e: &Event, scope: Option<Scope>) -> Vec<Vec<String>> {
    let entries = e.audience_entries().iter().filter(|a| scope.is_none_or(|s| a.exists_in(s)));
    entries
        .map(|a| {
            vec![
                e.id.clone(),
                e.title.clone(),
                a.audience.to_string(),
                governed_by(e, a),
                default_text(a),
                if e.critical { "yes".into() } else { "no".into() },
                occurs(e),
                a.scopes
                    .iter()
                    .filter(|s| scope.is_none_or(|x| x == **s))
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                per_scope(a, scope, |source| source.basis.to_string()),
                per_scope(a, scope, source_text),
            ]
        })
        .collect()
}

fn governed_by(e: &Event, a: &AudienceEntry) -> String {
    match (e.setting_for(a.audience), e.section) {
        (Some(id), _) => id.to_string(),
        (None, Section::Alert) => format!("alerts.{}", e.name),
        (None, Section::Review) => "each review".into(),
        (None, _) => "no setting".into(),
    }
}

fn default_text(a: &AudienceEntry) -> String {
    match a.audience {
        Audience::Reviewer => "the review's reviewers".into(),
        _ => a.default.as_str().into(),
    }
}

fn occurs(e: &Event) -> String {
    let text = match (e.requires, e.section) {
        (Some(_), _) => "approval required",
        (_, Section::Alert) if e.dashboard_only => "dashboard only, no email",
        (_, Section::Alert) => "while the alert is on",
        (_, Section::Review) => "per review of the role",
        _ => "",
    };
    text.into()
}

/// The pages that say so (with the note), or why it is assumed.
fn source_text(source: &Evidence) -> String {
    let titles: Vec<&str> = source.pages.iter().map(|p| p.title.as_str()).collect();
    match (&source.note, titles.is_empty()) {
        (Some(note), true) => note.clone(),
        (Some(note), false) => format!("{} ({note})", titles.join("; ")),
        (None, _) => titles.join("; "),
    }
}

/// `show` of the audience's basis in `scope`, or in its first scope followed by the scopes
/// whose basis differs (`… · entra-roles: …`).
fn per_scope(a: &AudienceEntry, scope: Option<Scope>, show: impl Fn(&Evidence) -> String) -> String {
    if let Some(scope) = scope {
        return show(a.evidence_in(scope));
    }
    let first = show(a.evidence_in(a.scopes[0]));
    let mut parts = vec![first.clone()];
    for scope in &a.scopes[1..] {
        let here = show(a.evidence_in(*scope));
        if here != first {
            parts.push(format!("{scope}: {here}"));
        }
    }
    parts.join(" · ")
}

fn source_json(source: &Evidence) -> serde_json::Value {
    let pages: Vec<serde_json::Value> =
        source.pages.iter().map(|p| json!({"title": p.title, "url": p.url})).collect();
    json!({"basis": source.basis.as_str(), "pages": pages, "note": source.note})
}

fn event_json(e: &Event, scope: Option<Scope>) -> serde_json::Value {
    let entries: Vec<&AudienceEntry> =
        e.audience_entries().iter().filter(|a| scope.is_none_or(|s| a.exists_in(s))).collect();
    let audiences: Vec<serde_json::Value> = entries
        .iter()
        .map(|a| {
            let by_scope: serde_json::Map<String, serde_json::Value> =
                a.scopes.iter().map(|s| (s.as_str().to_string(), source_json(a.evidence_in(*s)))).collect();
            json!({
                "audience": a.audience.as_str(),
                "setting": e.setting_for(a.audience).map(|id| id.to_string()),
                "governed_by": governed_by(e, a),
                "default": a.default.as_str(),
                "scopes": a.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "basis": by_scope,
            })
        })
        .collect();
    json!({
        "id": e.id,
        "title": e.title,
        "section": e.section.as_str(),
        "audiences": entries.iter().map(|a| a.audience.as_str()).collect::<Vec<_>>(),
        "settings": entries.iter().map(|a| e.setting_for(a.audience).map(|id| id.to_string())).collect::<Vec<_>>(),
        "critical": e.critical,
        "requires_approval": e.requires.is_some(),
        "dashboard_only": e.dashboard_only,
        "scopes": e.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "audience_details": audiences,
    })
}
