//! `matrix --format html`: one self-contained page (inline CSS and JS, no external resource)
//! with the role × event grid as a heat map of recipient counts. Every policy-controlled
//! string is HTML-escaped in the markup, and the data block is JSON with `<`, `>` and `&`
//! escaped so no role name can close the script element.

use anyhow::Result;
use pim_notify::catalog::Event;
use pim_notify::report::{reason_text, suppressed_text};
use pim_notify::{Answer, Policy, Role};
use serde::Serialize;
use serde_json::{json, Value};

use super::Out;
use crate::cmd::answers::Answers;

const STYLE: &str = include_str!("html/matrix.css");
const SCRIPT: &str = include_str!("html/matrix.js");

/// What the page's header says, counted over every cell before the grid is written.
#[derive(Default)]
struct Counts {
    max: usize,
    nobody: usize,
    suppressed: usize,
}

impl Counts {
    /// Counted in two halves at once when there is a second core.
    fn of<A: Answers + Sync + Send>(answers: &A) -> Result<Counts> {
        let Some((first, second)) = answers.halves() else { return Counts::walk(answers) };
        let (a, b) = pim_notify::threads::join(|| Counts::walk(&first), || Counts::walk(&second));
        let (a, b) = (a?, b?);
        Ok(Counts {
            max: a.max.max(b.max),
            nobody: a.nobody + b.nobody,
            suppressed: a.suppressed + b.suppressed,
        })
    }

    fn walk(answers: &impl Answers) -> Result<Counts> {
        let mut counts = Counts::default();
        let make = |answer: &Answer| (answer.recipients.len(), reaches_nobody(answer), is_suppressed(answer));
        answers.each(&make, &mut |_, _, &(count, nobody, suppressed), _| {
            counts.max = counts.max.max(count);
            counts.nobody += usize::from(nobody);
            counts.suppressed += usize::from(suppressed);
            Ok(())
        })?;
        Ok(counts)
    }
}

/// The page, streamed: the answers are walked twice (to count, then to draw the grid, each row
/// carrying the distinct answers it is the first to show, for the details panel) and never held.
pub fn matrix_page(
    out: &mut Out,
    policy: &Policy,
    answers: &(impl Answers + Sync + Send),
    roles: &[&Role],
    events: &[&'static Event],
) -> Result<()> {
    let counts = Counts::of(answers)?;
    let title = format!("PIM notifications — {}", policy.source);
    writeln!(out.w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(
        out.w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
    )?;
    writeln!(out.w, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out.w, "<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>", text(&title))?;
    header(out, policy, roles.len(), events.len(), &counts)?;
    table(out, policy, answers, events, counts.max)?;
    writeln!(
        out.w,
        "<aside id=\"details\" hidden><button id=\"close\" type=\"button\" aria-label=\"Close\">×</button>\
         <div id=\"details-body\"></div></aside>"
    )?;
    data(out, policy, roles, events)?;
    writeln!(out.w, "<script>\n{SCRIPT}</script>\n</body>\n</html>")?;
    Ok(())
}

fn header(out: &mut Out, policy: &Policy, roles: usize, events: usize, counts: &Counts) -> Result<()> {
    writeln!(out.w, "<header>\n<h1>Who gets notified — <code>{}</code></h1>", text(&policy.source))?;
    writeln!(
        out.w,
        "<p id=\"summary\">{} × {} · <span class=\"none-key\">{}</span> cells reach nobody · \
         <span class=\"sup-key\">{}</span> cells with a suppressed audience</p>",
        super::plural(roles, "role", "roles"),
        super::plural(events, "event", "events"),
        counts.nobody,
        counts.suppressed
    )?;
    writeln!(
        out.w,
        "<div id=\"controls\"><label>Role <input id=\"filter-role\" type=\"search\" \
         placeholder=\"name or id\" autocomplete=\"off\"></label> \
         <label>Event <input id=\"filter-event\" type=\"search\" placeholder=\"e.g. activation\" \
         autocomplete=\"off\"></label> <label><input id=\"filter-suppressed\" type=\"checkbox\"> \
         only rows with suppressed audiences</label> <span id=\"shown\"></span></div>"
    )?;
    writeln!(out.w, "{}\n</header>", legend(counts.max))?;
    Ok(())
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

fn table<A: Answers + Sync>(
    out: &mut Out,
    policy: &Policy,
    answers: &A,
    events: &[&'static Event],
    max: usize,
) -> Result<()> {
    writeln!(out.w, "<main><table id=\"grid\">\n<thead><tr><th class=\"corner\">Role</th>")?;
    for (e, event) in events.iter().enumerate() {
        let critical = if event.critical { " crit" } else { "" };
        writeln!(
            out.w,
            "<th class=\"ev sec-{}{critical}\" data-e=\"{e}\" data-id=\"{}\" title=\"{}\"><span>{}</span></th>",
            event.section.as_str(),
            text(&event.id),
            text(&format!("{} — {}{}", event.id, event.title, if event.critical { " (critical)" } else { "" })),
            text(&event.id)
        )?;
    }
    writeln!(out.w, "</tr></thead>")?;
    match answers.chunks() {
        Some(chunks) => {
            // Each chunk is a <tbody> of its own, its cells' `data-a` counted within it.
            let mut first_row = 0;
            let numbered: Vec<(usize, A)> = chunks
                .into_iter()
                .map(|chunk| {
                    let start = first_row;
                    first_row += chunk.roles();
                    (start, chunk)
                })
                .collect();
            super::in_order(out, &numbered, &|(start, chunk), out| body(out, policy, chunk, max, *start))?
        }
        None => body(out, policy, answers, max, 0)?,
    }
    writeln!(out.w, "</table></main>")?;
    Ok(())
}

/// A `<tbody>` of rows from `first_row` on; each row carries the answers it shows first.
fn body(out: &mut Out, policy: &Policy, answers: &impl Answers, max: usize, first_row: usize) -> Result<()> {
    writeln!(out.w, "<tbody>")?;
    let mut row = Row { r: first_row, ..Row::default() };
    let make = |answer: &Answer| (cell(max, answer), answer_json(policy, answer));
    answers.each(&make, &mut |role, _, (cell, json), key| {
        if row.role != Some(std::ptr::from_ref(role)) {
            row.end(out)?;
            row.start(role);
        }
        row.cell(cell, json, key);
        Ok(())
    })?;
    row.end(out)?;
    writeln!(out.w, "</tbody>")?;
    Ok(())
}

/// The grid row being written: its cells wait until the row is complete, because its start
/// tag carries the answers its cells are the first to show (`data-answers`).
#[derive(Default)]
struct Row {
    role: Option<*const Role>,
    heading: String,
    r: usize,
    /// The next cell's column.
    e: usize,
    cells: String,
    answers: Vec<String>,
    answers_written: usize,
}

impl Row {
    fn start(&mut self, role: &Role) {
        let id = role.id.as_deref().unwrap_or("");
        self.heading =
            format!("<th class=\"role\" scope=\"row\" title=\"{}\">{}</th>", text(id), text(&role.name));
        self.role = Some(std::ptr::from_ref(role));
    }

    fn cell(&mut self, (class, shown, count): &(String, String, usize), json: &str, key: usize) {
        if key == self.answers_written {
            self.answers.push(json.to_string());
            self.answers_written += 1;
        }
        let (r, e) = (self.r, self.e);
        self.e += 1;
        self.cells.push_str(&format!(
            "<td class=\"{class}\" data-r=\"{r}\" data-e=\"{e}\" data-a=\"{key}\" data-n=\"{count}\" tabindex=\"0\">{shown}</td>"
        ));
    }

    fn end(&mut self, out: &mut Out) -> Result<()> {
        if self.role.is_none() {
            return Ok(());
        }
        let answers = text(&format!("[{}]", self.answers.join(",")));
        writeln!(
            out.w,
            "<tr data-r=\"{}\" data-answers=\"{answers}\">{}{}</tr>",
            self.r, self.heading, self.cells
        )?;
        self.r += 1;
        self.e = 0;
        self.cells.clear();
        self.answers.clear();
        self.role = None;
        Ok(())
    }
}

/// An answer as the details panel reads it: JSON, with DEL, C1 and bidi controls escaped
/// (the attribute it goes into escapes the markup characters).
fn answer_json(policy: &Policy, answer: &Answer) -> String {
    let json = serde_json::to_string(&cell_view(policy, answer)).unwrap_or_else(|_| "null".into());
    pim_notify::text::json_escape_invisible(json)
}

/// A cell's class, what it shows and its count.
fn cell(max: usize, answer: &Answer) -> (String, String, usize) {
    let count = answer.recipients.len();
    if does_not_occur(answer) {
        return ("c na".to_string(), "·".to_string(), count);
    }
    let mut class = format!("c h{}", heat(count, max));
    if count == 0 {
        class.push_str(" none");
    }
    if is_suppressed(answer) {
        class.push_str(" sup");
    }
    (class, count.to_string(), count)
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

/// What the details panel and tooltips show besides the answers: the roles and the events.
fn data(out: &mut Out, policy: &Policy, roles: &[&Role], events: &[&Event]) -> Result<()> {
    let roles: Vec<Value> = roles.iter().map(|r| json!({"name": r.name, "id": r.id})).collect();
    let events: Vec<Value> = events
        .iter()
        .map(|e| json!({"id": e.id, "title": e.title, "section": e.section.as_str(), "critical": e.critical}))
        .collect();
    let data = json!({ "policy": policy.source, "roles": roles, "events": events });
    writeln!(out.w, "<script type=\"application/json\" id=\"pim-data\">{}</script>", script_json(&data)?)?;
    Ok(())
}

/// One answer as the details panel reads it, serialized straight from these views.
#[derive(Serialize)]
struct CellView<'a> {
    recipients: Vec<RecipientView<'a>>,
    suppressed: Vec<SuppressedView>,
}

#[derive(Serialize)]
struct RecipientView<'a> {
    address: &'a str,
    kind: &'static str,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct SuppressedView {
    audience: &'static str,
    setting: String,
    reason: &'static str,
    text: String,
}

fn cell_view<'a>(policy: &Policy, answer: &'a Answer) -> CellView<'a> {
    let recipient = |n: &'a pim_notify::eval::Notified| RecipientView {
        address: &n.address,
        kind: n.kind.as_str(),
        reasons: n.reasons.iter().map(|r| reason_text(policy, r)).collect(),
    };
    let suppressed = |s: &pim_notify::eval::Suppressed| SuppressedView {
        audience: s.audience.as_str(),
        setting: s.setting.to_string(),
        reason: s.reason.as_str(),
        text: suppressed_text(policy, s),
    };
    CellView {
        recipients: answer.recipients.iter().map(recipient).collect(),
        suppressed: answer.suppressed.iter().map(suppressed).collect(),
    }
}

/// JSON that is safe inside `<script>`: `<`, `>` and `&` only occur inside JSON strings, so
/// writing them as `\u003c` etc. keeps the value and makes `</script>` and `<!--` impossible.
/// U+2028/U+2029 are escaped too, for older JavaScript parsers, and so are DEL, C1 controls and
/// bidi overrides (which JSON allows raw), as in every JSON this tool writes.
fn script_json(value: &Value) -> Result<String> {
    let text = pim_notify::text::json_escape_invisible(serde_json::to_string(value)?);
    Ok(super::escape_with(&text, |c| match c {
        '<' => Some("\\u003c"),
        '>' => Some("\\u003e"),
        '&' => Some("\\u0026"),
        '\u{2028}' => Some("\\u2028"),
        '\u{2029}' => Some("\\u2029"),
        _ => None,
    }))
}

/// Text for HTML element content and quoted attribute values, control characters made visible.
fn text(raw: &str) -> String {
    super::escape_with(raw, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    })
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
        let value = json!({"name": "</script><!-- \u{2028} & > \u{7f}\u{9b}\u{202e}"});
        let safe = script_json(&value).unwrap();
        assert!(!safe.contains(['<', '>', '&', '\u{7f}', '\u{9b}', '\u{202e}']), "{safe}");
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
