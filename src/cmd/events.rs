//! `events`: the catalog of emails PIM sends.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use pim_notify::catalog::{self, Audience, AudienceEntry, Event, Evidence, Scope, Section};
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
    let rows = || events.iter().flat_map(|e| rows(e, args.scope));
    match args.format {
        Format::Json => {
            write_json(out, &json!(events.iter().map(|e| event_json(e, args.scope)).collect::<Vec<_>>()))?
        }
        Format::Table => render_table(out, &HEADER, rows())?,
        Format::Csv => {
            writeln!(out, "{}", HEADER.join(","))?;
            for row in rows() {
                writeln!(out, "{}", row.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","))?;
            }
        }
        Format::Markdown => {
            writeln!(out, "| {} |\n|{}", HEADER.join(" | "), "---|".repeat(HEADER.len()))?;
            for row in rows() {
                writeln!(
                    out,
                    "| {} |",
                    row.iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | ")
                )?;
            }
        }
        Format::Html => return Err(super::no_html()),
    }
    Ok(0)
}

const HEADER: [&str; 10] = [
    "Event",
    "Title",
    "Audience",
    "Governed by",
    "Default",
    "Critical",
    "Occurs",
    "Scopes",
    "Basis",
    "Source",
];

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
