//! Rendering answers for people (table, markdown) and for tools (json, csv).

use std::io::Write;

use anyhow::Result;
use comfy_table::{presets, Cell, ContentArrangement, Table};
use pim_notify::eval::Kind;
use pim_notify::report::{
    answer_json, assumed_footnote, at, audience_text, marked_reason_text, placeholder_note, suppressed_text,
    write_matrix_json,
};
use pim_notify::text::{csv_cell, escape_control, markdown_cell};
use pim_notify::{Answer, Policy};

use super::color::warning_cell;
use super::{write_json, Format};

/// Renders one answer (`who`) or many (`matrix`, where `as_matrix` selects the matrix shapes).
pub fn answers(
    out: &mut dyn Write,
    policy: &Policy,
    answers: &[Answer],
    format: Format,
    as_matrix: bool,
) -> Result<()> {
    match (format, as_matrix) {
        (Format::Json, false) => write_json(out, &answer_json(policy, &answers[0])),
        (Format::Json, true) => Ok(write_matrix_json(out, policy, answers.iter().cloned())?),
        (Format::Csv, _) => csv(out, policy, answers),
        (Format::Table, false) => who_table(out, policy, &answers[0]),
        (Format::Table, true) => matrix_table(out, policy, answers),
        (Format::Markdown, false) => who_markdown(out, policy, &answers[0]),
        (Format::Markdown, true) => matrix_markdown(out, policy, answers),
        (Format::Html, _) => super::html::matrix_page(out, policy, answers),
    }
}

fn heading(answer: &Answer) -> String {
    let e = answer.event;
    let critical = if e.critical { ", critical" } else { "" };
    escape_control(&format!("{} — {} ({}{critical})", answer.role.name, e.id, e.title))
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(super::color::header(header));
    super::color::style_table(&mut table);
    table
}

fn who_table(out: &mut dyn Write, policy: &Policy, answer: &Answer) -> Result<()> {
    writeln!(out, "{}", heading(answer))?;
    if answer.recipients.is_empty() {
        writeln!(out, "Nobody is notified.")?;
    } else {
        let mut table = new_table(&["Recipient", "Kind", "Why (audience · setting · source)"]);
        for n in &answer.recipients {
            // Escaped one reason at a time: the line breaks between reasons are the table's.
            let why: Vec<String> =
                n.reasons.iter().map(|r| escape_control(&marked_reason_text(policy, r))).collect();
            table.add_row(vec![escape_control(&n.address), n.kind.as_str().into(), why.join("\n")]);
        }
        writeln!(out, "{table}")?;
        placeholder_legend(out, policy, answer)?;
    }
    suppressed_table(out, policy, answer)?;
    if let Some(note) = assumed_footnote(answer) {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

/// Says who each placeholder in the answer stands for, so `<admins>` is not a mystery.
fn placeholder_legend(out: &mut dyn Write, policy: &Policy, answer: &Answer) -> Result<()> {
    for n in answer.recipients.iter().filter(|n| n.kind == Kind::Placeholder) {
        if let Some(note) = placeholder_note(policy.scope, &n.address) {
            writeln!(out, "  {}: {note}", n.address)?;
        }
    }
    Ok(())
}

fn suppressed_table(out: &mut dyn Write, policy: &Policy, answer: &Answer) -> Result<()> {
    if answer.suppressed.is_empty() {
        return Ok(());
    }
    let mut table = new_table(&["Not notified", "Setting", "Why"]);
    let audience = |s: &pim_notify::eval::Suppressed| audience_text(s.audience, s.basis);
    for s in &answer.suppressed {
        table.add_row(vec![
            warning_cell(audience(s)),
            Cell::new(s.setting.to_string()),
            Cell::new(escape_control(&suppressed_text(policy, s))),
        ]);
    }
    writeln!(out, "{table}")?;
    Ok(())
}

fn recipients_cell(answer: &Answer) -> String {
    answer.recipients.iter().map(|n| n.address.as_str()).collect::<Vec<_>>().join(", ")
}

fn suppressed_cell(answer: &Answer) -> String {
    let items: Vec<String> =
        answer.suppressed.iter().map(|s| format!("{}: {}", s.audience, s.reason.as_str())).collect();
    items.join(", ")
}

fn matrix_table(out: &mut dyn Write, _policy: &Policy, answers: &[Answer]) -> Result<()> {
    let mut table = new_table(&["Role", "Event", "Recipients", "Not notified"]);
    for a in answers {
        table.add_row(vec![
            Cell::new(escape_control(&a.role.name)),
            Cell::new(&a.event.id),
            Cell::new(escape_control(&recipients_cell(a))),
            warning_cell(suppressed_cell(a)),
        ]);
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{} answers", answers.len())?;
    Ok(())
}

const CSV_HEADER: &str =
    "role,role_id,event,status,address,kind,audience,setting,source_or_reason,via,at,basis";

/// One row per reason and one per suppressed audience.
fn csv(out: &mut dyn Write, policy: &Policy, answers: &[Answer]) -> Result<()> {
    writeln!(out, "{CSV_HEADER}")?;
    for a in answers {
        let role =
            [csv_cell(&a.role.name), csv_cell(a.role.id.as_deref().unwrap_or("")), csv_cell(&a.event.id)];
        for n in &a.recipients {
            for r in &n.reasons {
                let fields = [
                    "notified".into(),
                    csv_cell(&n.address),
                    n.kind.as_str().into(),
                    r.audience.as_str().into(),
                    csv_cell(&r.setting.path().unwrap_or_default()),
                    r.source.as_str().into(),
                    csv_cell(&r.via.join(">")),
                    csv_cell(at(policy, r.at).as_str().unwrap_or("")),
                    r.basis.as_str().into(),
                ];
                writeln!(out, "{},{}", role.join(","), fields.join(","))?;
            }
        }
        for s in &a.suppressed {
            let fields = [
                "suppressed".into(),
                String::new(),
                String::new(),
                s.audience.as_str().into(),
                csv_cell(&s.setting.path().unwrap_or_default()),
                s.reason.as_str().into(),
                String::new(),
                csv_cell(at(policy, s.at).as_str().unwrap_or("")),
                s.basis.as_str().into(),
            ];
            writeln!(out, "{},{}", role.join(","), fields.join(","))?;
        }
    }
    Ok(())
}

fn who_markdown(out: &mut dyn Write, policy: &Policy, answer: &Answer) -> Result<()> {
    writeln!(out, "### {}\n", markdown_cell(&heading(answer)))?;
    writeln!(out, "| Recipient | Kind | Why |\n|---|---|---|")?;
    for n in &answer.recipients {
        let why: Vec<String> =
            n.reasons.iter().map(|r| markdown_cell(&marked_reason_text(policy, r))).collect();
        writeln!(out, "| {} | {} | {} |", markdown_cell(&n.address), n.kind.as_str(), why.join("<br>"))?;
    }
    if !answer.suppressed.is_empty() {
        writeln!(out, "\n| Not notified | Setting | Why |\n|---|---|---|")?;
        for s in &answer.suppressed {
            writeln!(
                out,
                "| {} | {} | {} |",
                s.audience,
                s.setting,
                markdown_cell(&suppressed_text(policy, s))
            )?;
        }
    }
    if let Some(note) = assumed_footnote(answer) {
        writeln!(out, "\n{}", markdown_cell(note))?;
    }
    Ok(())
}

fn matrix_markdown(out: &mut dyn Write, _policy: &Policy, answers: &[Answer]) -> Result<()> {
    writeln!(out, "| Role | Event | Recipients | Not notified |\n|---|---|---|---|")?;
    for a in answers {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            markdown_cell(&a.role.name),
            a.event.id,
            markdown_cell(&recipients_cell(a)),
            suppressed_cell(a)
        )?;
    }
    Ok(())
}
