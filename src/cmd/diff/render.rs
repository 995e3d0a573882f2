//! Rendering an effect diff for people (human, markdown) and for CI (github annotations).
//! Roles whose changes read exactly alike are folded into one block, so a change to
//! `defaults:` that touches a hundred built-in roles is shown once.

use crate::cmd::out::markdown::text_of as markdown_cell;
use crate::cmd::out::{self, Finding, Level, Out, Range};
use anyhow::Result;
use indexmap::IndexMap;
use pim_notify::diff::{Change, Occurrence, PolicyDiff, Regression, Summary};
use pim_notify::eval::{Answer, Notified};
use pim_notify::report::{reason_text, suppressed_text};
use pim_notify::span::At;
use pim_notify::{Policy, Role};
use std::collections::HashMap;

/// The changes of one role: outcome changes first, then reason-only ones.
struct RoleChanges<'d, 'a> {
    role: &'a Role,
    changes: Vec<&'d Change<'a>>,
    reasons: Vec<&'d Change<'a>>,
}

/// Groups changes by role, in the new version's role order.
fn by_role<'d, 'a>(d: &'d PolicyDiff<'a>) -> Vec<RoleChanges<'d, 'a>> {
    let order: HashMap<*const Role, usize> =
        d.new.roles.iter().enumerate().map(|(i, r)| (r as *const Role, i)).collect();
    let mut groups: IndexMap<*const Role, RoleChanges> = IndexMap::new();
    for (c, reason_only) in
        d.changes.iter().map(|c| (c, false)).chain(d.reason_changes.iter().map(|c| (c, true)))
    {
        let role = c.role();
        let group = groups.entry(role as *const Role).or_insert_with(|| RoleChanges {
            role,
            changes: vec![],
            reasons: vec![],
        });
        if reason_only {
            group.reasons.push(c);
        } else {
            group.changes.push(c);
        }
    }
    let mut all: Vec<RoleChanges> = groups.into_values().collect();
    all.sort_by_key(|g| order.get(&(g.role as *const Role)).copied().unwrap_or(usize::MAX));
    all
}

/// Folds roles whose rendered blocks are identical, keeping first-seen order.
fn fold<T: Eq + std::hash::Hash>(blocks: Vec<(String, T)>) -> Vec<(Vec<String>, T)> {
    let mut folded: IndexMap<T, Vec<String>> = IndexMap::new();
    for (role, block) in blocks {
        folded.entry(block).or_default().push(role);
    }
    folded.into_iter().map(|(block, roles)| (roles, block)).collect()
}

fn role_label(change: &Change) -> String {
    let (before, after) = (change.before.role, change.after.role);
    if before.name == after.name {
        after.name.clone()
    } else {
        format!("{} (was {})", after.name, before.name)
    }
}

fn role_label_of(group: &RoleChanges) -> String {
    group.changes.iter().chain(&group.reasons).next().map(|c| role_label(c)).unwrap_or_default()
}

use crate::cmd::out::plural;

/// "3 roles, 7 notifications changed: 12 recipients added, 4 removed, 1 regression".
pub fn summary_line(s: &Summary) -> String {
    let mut parts = Vec::new();
    if s.notifications_changed > 0 {
        parts.push(format!(
            "{}, {} changed: {} added, {} removed, {}",
            plural(s.roles_changed, "role", "roles"),
            plural(s.notifications_changed, "notification", "notifications"),
            plural(s.recipients_added, "recipient", "recipients"),
            s.recipients_removed,
            plural(s.regressions, "regression", "regressions"),
        ));
    } else {
        parts.push(format!(
            "No change in who is notified; {}",
            plural(s.regressions, "regression", "regressions")
        ));
    }
    if s.roles_added + s.roles_removed > 0 {
        parts.push(format!("{} added, {} removed", plural(s.roles_added, "role", "roles"), s.roles_removed));
    }
    if s.events_started + s.events_stopped > 0 {
        parts.push(format!(
            "{} started, {} stopped occurring",
            plural(s.events_started, "event", "events"),
            s.events_stopped
        ));
    }
    if s.reason_only > 0 {
        parts.push(format!(
            "{} with the same recipients for other reasons",
            plural(s.reason_only, "notification", "notifications")
        ));
    }
    parts.join("; ")
}

fn why(policy: &Policy, n: &Notified) -> String {
    n.reasons.iter().map(|r| reason_text(policy, r)).collect::<Vec<_>>().join("; ")
}

fn find<'n>(answer: &'n Answer, address: &str) -> Option<&'n Notified> {
    answer.recipients.iter().find(|n| n.address == address)
}

fn not_notified(policy: &Policy, answer: &Answer) -> String {
    if answer.suppressed.is_empty() {
        return "everyone notified".to_string();
    }
    let items: Vec<String> =
        answer.suppressed.iter().map(|s| format!("{} {}", s.audience, suppressed_text(policy, s))).collect();
    items.join("; ")
}

// ---------------------------------------------------------------- human

/// One line of untrusted text, escaped by the table writer.
fn line(out: &mut Out, text: &str) -> Result<()> {
    out::table::line(out, text)
}

pub fn human(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    line(out, &format!("Effect of {} → {}", d.old.source, d.new.source))?;
    line(out, "")?;
    let blocks = by_role(d).iter().map(|g| (role_label_of(g), human_block(d, g))).collect();
    for (roles, lines) in fold(blocks) {
        line(out, &roles_heading(&roles))?;
        for text in lines {
            line(out, &text)?;
        }
        line(out, "")?;
    }
    human_roles(out, d)?;
    human_baseline(out, d)?;
    line(out, &summary_line(&d.summary()))
}

fn roles_heading(roles: &[String]) -> String {
    match roles {
        [one] => one.clone(),
        many => format!("{} roles: {}", many.len(), many.join(", ")),
    }
}

/// A role's lines; events whose changes read alike share one heading.
fn human_block(d: &PolicyDiff, g: &RoleChanges) -> Vec<String> {
    let changes = g.changes.iter().map(|c| (c, (occurrence_note(c), change_lines(d, c))));
    let reasons = g.reasons.iter().map(|c| (c, (": same recipients, other reasons", reason_lines(d, c))));
    let mut lines = Vec::new();
    for (marker, items) in [("", changes.collect::<Vec<_>>()), ("~ ", reasons.collect())] {
        let labelled = items.into_iter().map(|(c, key)| (event_label(c), key)).collect();
        for (events, (note, body)) in fold(labelled) {
            let events = match events.as_slice() {
                [one] => one.clone(),
                many => many.iter().map(|e| e.split(' ').next().unwrap_or(e)).collect::<Vec<_>>().join(", "),
            };
            lines.push(format!("  {marker}{events}{note}"));
            lines.extend(body);
        }
    }
    lines
}

/// `id (title)`; folded headings keep only the ids.
fn event_label(c: &Change) -> String {
    format!("{} ({})", c.event().id, c.event().title)
}

fn occurrence_note(c: &Change) -> &'static str {
    match c.occurrence {
        Occurrence::Same => "",
        Occurrence::Starts => " — now occurs",
        Occurrence::Stops => " — no longer occurs",
    }
}

fn change_lines(d: &PolicyDiff, c: &Change) -> Vec<String> {
    let mut lines = Vec::new();
    for address in &c.added {
        let reasons = find(&c.after, address).map(|n| why(d.new, n)).unwrap_or_default();
        lines.push(format!("    + {address}  {reasons}"));
    }
    for address in &c.removed {
        let reasons = find(&c.before, address).map(|n| why(d.old, n)).unwrap_or_default();
        lines.push(format!("    - {address}  {reasons}"));
    }
    if c.occurrence == Occurrence::Stops || c.after.recipients.is_empty() {
        lines.push(format!("    not notified: {}", not_notified(d.new, &c.after)));
    }
    lines.extend(regression_texts(c).iter().map(|r| format!("    ! regression: {r}")));
    lines
}

/// One sentence per kind of regression: lost recipients of one audience are listed together.
fn regression_texts(c: &Change) -> Vec<String> {
    let mut lost: IndexMap<String, Vec<&str>> = IndexMap::new();
    let mut texts = Vec::new();
    for r in &c.regressions {
        match r {
            Regression::LostPrivilegedRecipient { address, audience } => {
                lost.entry(audience.to_string()).or_default().push(address)
            }
            other => texts.push(other.message()),
        }
    }
    let lost = lost.into_iter().map(|(audience, addresses)| {
        let noun = if addresses.len() == 1 { "recipient" } else { "recipients" };
        format!("highly privileged role no longer notifies {audience} {noun} {}", addresses.join(", "))
    });
    lost.chain(texts).collect()
}

fn reason_lines(d: &PolicyDiff, c: &Change) -> Vec<String> {
    let mut lines = Vec::new();
    for (old, new) in c.reason_changes(&d.renames) {
        lines.push(format!("    ~ {}", new.address));
        lines.push(format!("        was: {}", why(d.old, old)));
        lines.push(format!("        now: {}", why(d.new, new)));
    }
    let (before, after) = (not_notified(d.old, &c.before), not_notified(d.new, &c.after));
    if suppressed_kinds(&c.before) != suppressed_kinds(&c.after) {
        lines.push(format!("    ~ not notified was: {before}"));
        lines.push(format!("      not notified now: {after}"));
    }
    lines
}

fn suppressed_kinds(answer: &Answer) -> Vec<(String, &'static str)> {
    let mut kinds: Vec<_> =
        answer.suppressed.iter().map(|s| (s.audience.to_string(), s.reason.as_str())).collect();
    kinds.sort();
    kinds
}

fn human_roles(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    for role in &d.roles_added {
        line(out, &format!("+ role {} (new in {})", role.name, d.new.source))?;
    }
    for role in &d.roles_removed {
        line(out, &format!("- role {} (gone from {})", role.name, d.old.source))?;
    }
    for (old, new) in d.renames.pairs() {
        line(out, &format!("~ group:{old} renamed group:{new} (same members)"))?;
    }
    if !(d.roles_added.is_empty() && d.roles_removed.is_empty() && d.renames.pairs().is_empty()) {
        line(out, "")?;
    }
    Ok(())
}

fn human_baseline(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    if d.baseline_regressions.is_empty() {
        return Ok(());
    }
    line(out, "Security baseline rules that newly fail:")?;
    for f in &d.baseline_regressions {
        let place = f
            .pos
            .map(|pos| At { file: &d.new.source, pos }.to_string())
            .unwrap_or_else(|| d.new.source.clone());
        line(out, &format!("  ! {place}: {}[{}]: {}", f.severity, f.code, f.message))?;
    }
    line(out, "")
}

// ---------------------------------------------------------------- markdown

/// Cells longer than this many entries fold into a `<details>` element.
const FOLD_AFTER: usize = 3;
/// Tables with more rows than this fold entirely, leaving the summary line visible.
const TABLE_FOLD_ROWS: usize = 25;

pub fn markdown(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    writeln!(
        out.w,
        "### Notification effect of `{}` → `{}`\n",
        markdown_cell(&d.old.source),
        markdown_cell(&d.new.source)
    )?;
    writeln!(out.w, "**{}**\n", summary_line(&d.summary()))?;
    markdown_changes(out, d)?;
    markdown_extras(out, d)?;
    markdown_reasons(out, d)?;
    Ok(())
}

/// One row per (folded roles, folded events): added, removed and notes.
fn markdown_changes(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    let rows: Vec<(String, Vec<[String; 4]>)> = by_role(d)
        .iter()
        .filter(|g| !g.changes.is_empty())
        .map(|g| (role_label_of(g), markdown_rows(&g.changes)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let table: Vec<String> = fold(rows)
        .into_iter()
        .flat_map(|(roles, rows)| {
            let roles = folded_cell(&roles);
            rows.into_iter().map(move |[events, added, removed, note]| {
                format!("| {roles} | {events} | {added} | {removed} | {note} |")
            })
        })
        .collect();
    let folded = table.len() > TABLE_FOLD_ROWS;
    if folded {
        writeln!(out.w, "<details><summary>{} changed rows</summary>\n", table.len())?;
    }
    writeln!(out.w, "| Role | Event | Added | Removed | Note |\n|---|---|---|---|---|")?;
    for line in table {
        writeln!(out.w, "{line}")?;
    }
    if folded {
        writeln!(out.w, "\n</details>")?;
    }
    writeln!(out.w)?;
    Ok(())
}

/// A role's rows, events with the same change sharing one row.
fn markdown_rows(changes: &[&Change]) -> Vec<[String; 4]> {
    let cells = changes.iter().map(|c| (format!("`{}`", c.event().id), markdown_row(c)));
    fold(cells.collect())
        .into_iter()
        .map(|(events, [added, removed, note])| [events.join("<br>"), added, removed, note])
        .collect()
}

fn markdown_row(c: &Change) -> [String; 3] {
    let mut notes: Vec<String> =
        regression_texts(c).iter().map(|r| format!("⚠️ {}", markdown_cell(r))).collect();
    match c.occurrence {
        Occurrence::Starts => notes.push("now occurs".into()),
        Occurrence::Stops => notes.push("no longer occurs".into()),
        Occurrence::Same => {}
    }
    if c.after.recipients.is_empty() && c.occurrence != Occurrence::Stops && !c.is_regression() {
        notes.push("reaches nobody".into());
    }
    [folded_cell(&c.added), folded_cell(&c.removed), notes.join("<br>")]
}

/// `a, b, c` or `a, b, c <details><summary>and 9 more</summary>d<br>e…</details>`.
fn folded_cell(items: &[String]) -> String {
    let cells: Vec<String> = items.iter().map(|i| markdown_cell(i)).collect();
    if cells.len() <= FOLD_AFTER + 1 {
        return cells.join(", ");
    }
    let (shown, rest) = cells.split_at(FOLD_AFTER);
    format!(
        "{} <details><summary>and {} more</summary>{}</details>",
        shown.join(", "),
        rest.len(),
        rest.join("<br>")
    )
}

fn markdown_extras(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    let mut items = Vec::new();
    items.extend(d.roles_added.iter().map(|r| format!("- ➕ role **{}** added", markdown_cell(&r.name))));
    items.extend(d.roles_removed.iter().map(|r| format!("- ➖ role **{}** removed", markdown_cell(&r.name))));
    for (old, new) in d.renames.pairs() {
        items.push(format!(
            "- group `{}` renamed `{}` (same members)",
            markdown_cell(old),
            markdown_cell(new)
        ));
    }
    for f in &d.baseline_regressions {
        let place = f.pos.map(|p| format!(" (line {})", p.line)).unwrap_or_default();
        items.push(format!("- ⚠️ **{}** newly fails{place}: {}", f.code, markdown_cell(&f.message)));
    }
    for item in &items {
        writeln!(out.w, "{item}")?;
    }
    if !items.is_empty() {
        writeln!(out.w)?;
    }
    Ok(())
}

fn markdown_reasons(out: &mut Out, d: &PolicyDiff) -> Result<()> {
    if d.reason_changes.is_empty() {
        return Ok(());
    }
    let rows: Vec<(String, Vec<String>)> = by_role(d)
        .iter()
        .filter(|g| !g.reasons.is_empty())
        .map(|g| (role_label_of(g), g.reasons.iter().map(|c| format!("`{}`", c.event().id)).collect()))
        .collect();
    writeln!(
        out.w,
        "<details><summary>{} with the same recipients for other reasons</summary>\n",
        plural(d.reason_changes.len(), "notification", "notifications")
    )?;
    writeln!(out.w, "| Role | Events |\n|---|---|")?;
    for (roles, events) in fold(rows) {
        writeln!(out.w, "| {} | {} |", folded_cell(&roles), events.join(", "))?;
    }
    writeln!(out.w, "\n</details>")?;
    Ok(())
}

// ---------------------------------------------------------------- github

/// Workflow commands: an error per regression, a notice per other change, at the line of the
/// new policy that explains it when there is one.
pub fn github(out: &mut Out, d: &PolicyDiff, file: Option<&str>) -> Result<()> {
    let blocks = by_role(d).iter().map(|g| (role_label_of(g), role_annotations(d, g, file))).collect();
    for (roles, annotations) in fold(blocks) {
        let roles = roles_heading(&roles);
        for mut finding in annotations {
            finding.message = format!("{roles}: {}", finding.message);
            out::github::annotation(out, &finding)?;
        }
    }
    for f in &d.baseline_regressions {
        let at = f.pos.map(|p| (p.line, p.column));
        out::github::annotation(
            out,
            &annotation_at(Level::Error, file, at, format!("{} newly fails", f.code), f.message.clone()),
        )?;
    }
    out::github::line(out, &summary_line(&d.summary()))
}

/// One annotation per group of a role's events that changed alike.
fn role_annotations(d: &PolicyDiff, g: &RoleChanges, file: Option<&str>) -> Vec<Finding> {
    let labelled = g.changes.iter().map(|c| (c.event().id.clone(), annotation(d, c, file))).collect();
    fold(labelled)
        .into_iter()
        .map(|(events, mut finding)| {
            finding.message = format!("{}{}", events.join(", "), finding.message);
            finding
        })
        .collect()
}

fn annotation(d: &PolicyDiff, c: &Change, file: Option<&str>) -> Finding {
    let level = if c.is_regression() { Level::Error } else { Level::Note };
    let title = if c.is_regression() { "notification regression" } else { "notification change" };
    let mut parts = Vec::new();
    if !c.added.is_empty() {
        parts.push(format!("+ {}", c.added.join(", ")));
    }
    if !c.removed.is_empty() {
        parts.push(format!("- {}", c.removed.join(", ")));
    }
    parts.extend(regression_texts(c).iter().map(|r| format!("regression: {r}")));
    let body = format!("{}: {}", occurrence_note(c), parts.join("; "));
    annotation_at(level, file, change_line(d, c), title.to_string(), body)
}

fn annotation_at(
    level: Level,
    file: Option<&str>,
    at: Option<(u32, u32)>,
    title: String,
    message: String,
) -> Finding {
    Finding {
        file: file.map(str::to_string),
        // No end: the diff points at a line, not at a value.
        range: at.map(|(line, column)| Range { line, column, end_line: 0, end_column: 0 }),
        located: at.is_some(),
        level,
        code: String::new(),
        title,
        message,
        help: None,
    }
}

/// Where the new version explains the change: the role's entry, else (for a role the file
/// does not list, changed through `defaults:`) an added recipient's reason.
fn change_line(_d: &PolicyDiff, c: &Change) -> Option<(u32, u32)> {
    let added = c.added.iter().filter_map(|a| find(&c.after, a)).flat_map(|n| &n.reasons);
    let pos = c.role().declared.or_else(|| added.filter_map(|r| r.at).find(|p| p.line > 0));
    pos.map(|p| (p.line, p.column))
}
