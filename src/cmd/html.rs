//! `matrix --format html`: one self-contained page (inline CSS and JS, no external resource)
//! with the role × event grid as a heat map of recipient counts. Every policy-controlled
//! string is HTML-escaped in the markup, and the data block is JSON with `<`, `>` and `&`
//! escaped so no role name can close the script element.

use std::io::Write;

use anyhow::Result;
use indexmap::IndexMap;
use pim_notify::catalog::Event;
use pim_notify::report::{reason_text, suppressed_text};
use pim_notify::text::escape_control;
use pim_notify::{Answer, Policy, Role};
use serde_json::{json, Value};

const STYLE: &str = include_str!("html/matrix.css");
const SCRIPT: &str = include_str!("html/matrix.js");

/// The grid: roles down, events across, one answer per cell.
struct Grid<'a, 'p> {
    roles: Vec<&'p Role>,
    events: Vec<&'static Event>,
    /// `cells[role][event]`.
    cells: Vec<Vec<&'a Answer<'p>>>,
    max_count: usize,
}

impl<'a, 'p> Grid<'a, 'p> {
    fn new(answers: &'a [Answer<'p>]) -> Self {
        let mut grid = Grid { roles: Vec::new(), events: Vec::new(), cells: Vec::new(), max_count: 0 };
        for answer in answers {
            if !grid.events.iter().any(|e| std::ptr::eq(*e, answer.event)) {
                grid.events.push(answer.event);
            }
            if grid.roles.last().is_none_or(|r| !std::ptr::eq(*r, answer.role)) {
                grid.roles.push(answer.role);
                grid.cells.push(Vec::new());
            }
            grid.cells.last_mut().expect("a row was pushed").push(answer);
            grid.max_count = grid.max_count.max(answer.recipients.len());
        }
        grid
    }
}

pub fn matrix_page(out: &mut dyn Write, policy: &Policy, answers: &[Answer]) -> Result<()> {
    let grid = Grid::new(answers);
    let title = format!("PIM notifications — {}", policy.source);
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
    )?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out, "<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>", text(&title))?;
    header(out, policy, &grid)?;
    table(out, &grid)?;
    writeln!(
        out,
        "<aside id=\"details\" hidden><button id=\"close\" type=\"button\" aria-label=\"Close\">×</button>\
         <div id=\"details-body\"></div></aside>"
    )?;
    let data = script_json(&data_json(policy, &grid))?;
    writeln!(out, "<script type=\"application/json\" id=\"pim-data\">{data}</script>")?;
    writeln!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>")?;
    Ok(())
}

fn header(out: &mut dyn Write, policy: &Policy, grid: &Grid) -> Result<()> {
    let cells = grid.cells.iter().flatten();
    let nobody = cells.clone().filter(|a| reaches_nobody(a)).count();
    let suppressed = cells.filter(|a| is_suppressed(a)).count();
    writeln!(out, "<header>\n<h1>Who gets notified — <code>{}</code></h1>", text(&policy.source))?;
    writeln!(
        out,
        "<p id=\"summary\">{} × {} · <span class=\"none-key\">{nobody}</span> cells reach nobody · \
         <span class=\"sup-key\">{suppressed}</span> cells with a suppressed audience</p>",
        plural(grid.roles.len(), "role"),
        plural(grid.events.len(), "event")
    )?;
    writeln!(
        out,
        "<div id=\"controls\"><label>Role <input id=\"filter-role\" type=\"search\" \
         placeholder=\"name or id\" autocomplete=\"off\"></label> \
         <label>Event <input id=\"filter-event\" type=\"search\" placeholder=\"e.g. activation\" \
         autocomplete=\"off\"></label> <label><input id=\"filter-suppressed\" type=\"checkbox\"> \
         only rows with suppressed audiences</label> <span id=\"shown\"></span></div>"
    )?;
    writeln!(out, "{}\n</header>", legend(grid.max_count))?;
    Ok(())
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn legend(max: usize) -> String {
    let steps: String = heat_steps(max)
        .into_iter()
        .map(|(level, low, high)| {
            let label = if low == high { low.to_string() } else { format!("{low}–{high}") };
            format!("<span class=\"c h{level} step\">{label}</span>")
        })
        .collect();
    format!(
        "<p id=\"legend\">Recipients: <span class=\"c h0 none\">0</span>{steps} \
         <span class=\"c h2 sup\">n</span> an audience is suppressed \
         <span class=\"c na\">·</span> the event does not occur for the role</p>"
    )
}

/// The heat levels in use for counts 1..=max, each with its lowest and highest count.
fn heat_steps(max: usize) -> Vec<(usize, usize, usize)> {
    let mut steps: Vec<(usize, usize, usize)> = Vec::new();
    for count in 1..=max {
        match steps.last_mut() {
            Some((level, _, high)) if *level == heat(count, max) => *high = count,
            _ => steps.push((heat(count, max), count, count)),
        }
    }
    steps
}

fn heat(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (count * 5).div_ceil(max).clamp(1, 5)
    }
}

fn table(out: &mut dyn Write, grid: &Grid) -> Result<()> {
    writeln!(out, "<main><table id=\"grid\">\n<thead><tr><th class=\"corner\">Role</th>")?;
    for (e, event) in grid.events.iter().enumerate() {
        let critical = if event.critical { " crit" } else { "" };
        writeln!(
            out,
            "<th class=\"ev sec-{}{critical}\" data-e=\"{e}\" data-id=\"{}\" title=\"{}\"><span>{}</span></th>",
            event.section.as_str(),
            text(&event.id),
            text(&format!("{} — {}{}", event.id, event.title, if event.critical { " (critical)" } else { "" })),
            text(&event.id)
        )?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for (r, role) in grid.roles.iter().enumerate() {
        row(out, grid, r, role)?;
    }
    writeln!(out, "</tbody></table></main>")?;
    Ok(())
}

fn row(out: &mut dyn Write, grid: &Grid, r: usize, role: &Role) -> Result<()> {
    let id = role.id.as_deref().unwrap_or("");
    write!(
        out,
        "<tr data-r=\"{r}\"><th class=\"role\" scope=\"row\" title=\"{}\">{}</th>",
        text(id),
        text(&role.name)
    )?;
    for (e, answer) in grid.cells[r].iter().enumerate() {
        cell(out, grid.max_count, r, e, answer)?;
    }
    writeln!(out, "</tr>")?;
    Ok(())
}

fn cell(out: &mut dyn Write, max: usize, r: usize, e: usize, answer: &Answer) -> Result<()> {
    let count = answer.recipients.len();
    let (class, shown) = if does_not_occur(answer) {
        ("c na".to_string(), "·".to_string())
    } else {
        let mut class = format!("c h{}", heat(count, max));
        if count == 0 {
            class.push_str(" none");
        }
        if is_suppressed(answer) {
            class.push_str(" sup");
        }
        (class, count.to_string())
    };
    write!(
        out,
        "<td class=\"{class}\" data-r=\"{r}\" data-e=\"{e}\" data-n=\"{count}\" tabindex=\"0\">{shown}</td>"
    )?;
    Ok(())
}

fn does_not_occur(answer: &Answer) -> bool {
    !answer.suppressed.is_empty() && answer.suppressed.iter().all(|s| s.reason.is_not_occurring())
}

fn is_suppressed(answer: &Answer) -> bool {
    answer.suppressed.iter().any(|s| !s.reason.is_not_occurring())
}

fn reaches_nobody(answer: &Answer) -> bool {
    answer.recipients.is_empty() && !does_not_occur(answer)
}

/// Everything the details panel and tooltips show. Most cells of a policy are alike (the
/// same defaults reach most roles), so each distinct cell is stored once in `answers` and
/// `cells[role][event]` holds its index: this keeps a 130-role page small.
fn data_json(policy: &Policy, grid: &Grid) -> Value {
    let mut answers: IndexMap<String, Value> = IndexMap::new();
    let mut intern = |value: Value| answers.insert_full(value.to_string(), value).0;
    let cells: Vec<Vec<usize>> =
        grid.cells.iter().map(|row| row.iter().map(|a| intern(cell_json(policy, a))).collect()).collect();
    json!({
        "answers": answers.into_values().collect::<Vec<_>>(),
        "policy": policy.source,
        "roles": grid.roles.iter().map(|r| json!({"name": r.name, "id": r.id})).collect::<Vec<_>>(),
        "events": grid.events.iter().map(|e| json!({
            "id": e.id, "title": e.title, "section": e.section.as_str(), "critical": e.critical
        })).collect::<Vec<_>>(),
        "cells": cells,
    })
}

fn cell_json(policy: &Policy, answer: &Answer) -> Value {
    json!({
        "recipients": answer.recipients.iter().map(|n| json!({
            "address": n.address,
            "kind": n.kind.as_str(),
            "reasons": n.reasons.iter().map(|r| reason_text(policy, r)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "suppressed": answer.suppressed.iter().map(|s| json!({
            "audience": s.audience.as_str(),
            "setting": s.setting.to_string(),
            "reason": s.reason.as_str(),
            "text": suppressed_text(policy, s),
        })).collect::<Vec<_>>(),
    })
}

/// JSON that is safe inside `<script>`: `<`, `>` and `&` only occur inside JSON strings, so
/// writing them as `\u003c` etc. keeps the value and makes `</script>` and `<!--` impossible.
/// U+2028/U+2029 are escaped too, for older JavaScript parsers.
fn script_json(value: &Value) -> Result<String> {
    let text = serde_json::to_string(value)?;
    let mut safe = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    Ok(safe)
}

/// Text for HTML element content and quoted attribute values, control characters made visible.
fn text(raw: &str) -> String {
    let visible = escape_control(raw);
    let mut escaped = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_quotes() {
        assert_eq!(
            text("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn script_json_cannot_close_the_script_or_open_a_comment() {
        let value = json!({"name": "</script><!-- \u{2028} & >"});
        let safe = script_json(&value).unwrap();
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), value, "the value is unchanged");
    }

    #[test]
    fn heat_spreads_counts_over_five_levels() {
        assert_eq!(heat(0, 10), 0);
        assert_eq!(heat(1, 10), 1);
        assert_eq!(heat(10, 10), 5);
        assert_eq!(heat(3, 3), 5);
        assert_eq!(heat_steps(3), [(2, 1, 1), (4, 2, 2), (5, 3, 3)]);
        assert_eq!(heat_steps(10), [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10)]);
        assert_eq!(heat_steps(0), []);
    }
}
