//! The machine-readable shapes of DESIGN §5. One set of `Serialize` views defines the `who`
//! object, so every front end (who, matrix, diff) prints exactly the same shape; `matrix`
//! streams the views straight to its writer instead of building JSON values.

use std::fmt::Display;
use std::io::{self, Write};

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::catalog::{placeholder_in, Basis, Event, Scope};
use crate::eval::{Answer, Governor, Notified, Reason, Suppressed};
use crate::model::{Policy, Role};
use crate::recipient::Placeholder;
use crate::span::{At, Pos};

mod matrix;
pub use matrix::write_evaluated_matrix_json;

/// `"file:line:column"`, or `null` for a built-in value no file wrote.
pub fn at(policy: &Policy, pos: Option<Pos>) -> Value {
    match written_at(policy, pos) {
        Some(at) => Value::String(at.to_string()),
        None => Value::Null,
    }
}

/// Where in the policy's file a value was written; `None` for built-in values.
pub fn written_at(policy: &Policy, pos: Option<Pos>) -> Option<At<'_>> {
    pos.filter(|p| p.line > 0).map(|pos| At { file: &policy.source, pos })
}

pub fn role_json(role: &Role) -> Value {
    to_value(RoleView::of(role))
}

pub fn event_json(event: &Event) -> Value {
    to_value(EventView::of(event))
}

/// The `who --format json` object.
pub fn answer_json(policy: &Policy, answer: &Answer) -> Value {
    to_value(AnswerView { policy, answer })
}

/// The `who --format json` object as a view to serialize in place, for larger documents (the
/// diff's `before` and `after`) that should not build a [`Value`] per answer.
pub fn answer_view<'a>(policy: &'a Policy, answer: &'a Answer<'a>) -> AnswerView<'a> {
    AnswerView { policy, answer }
}

fn to_value(view: impl Serialize) -> Value {
    serde_json::to_value(view).expect("views serialize to JSON")
}

/// Writes `matrix --format json`: `{"policy": ..., "rows": [...]}`, one compact row per line,
/// serialized as each answer arrives so a matrix of any size needs no big buffer.
/// [`write_evaluated_matrix_json`] writes the same from roles and events, much faster.
pub fn write_matrix_json<'p>(
    out: &mut dyn Write,
    policy: &'p Policy,
    answers: impl IntoIterator<Item = Answer<'p>>,
) -> io::Result<()> {
    let mut rows = MatrixRows::start(out, policy)?;
    for answer in answers {
        let tail = answer_tail(policy, &answer)?;
        rows.write(&role_head(answer.role)?, &event_head(answer.event)?, &tail)?;
    }
    rows.finish()
}

/// The `{"policy": ..., "rows": [` frame of matrix JSON and the separators between rows.
struct MatrixRows<'w> {
    out: &'w mut dyn Write,
    rows: usize,
}

impl<'w> MatrixRows<'w> {
    fn start(out: &'w mut dyn Write, policy: &Policy) -> io::Result<Self> {
        out.write_all(b"{\n  \"policy\": ")?;
        out.write_all(&escaped_json(&policy.source)?)?;
        out.write_all(b",\n  \"rows\": [")?;
        Ok(MatrixRows { out, rows: 0 })
    }

    /// One row, from its three pieces: `{"role":...,` `"event":...,` `"recipients":...}`.
    fn write(&mut self, role_head: &[u8], event_head: &[u8], tail: &[u8]) -> io::Result<()> {
        self.out.write_all(if self.rows == 0 { b"\n    " } else { b",\n    " })?;
        self.out.write_all(role_head)?;
        self.out.write_all(event_head)?;
        self.out.write_all(tail)?;
        self.rows += 1;
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        self.out.write_all(if self.rows == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" })
    }
}

/// `{"role":{...},`: a row's opening, as [`AnswerView`] writes it.
fn role_head(role: &Role) -> io::Result<Vec<u8>> {
    let mut head = b"{\"role\":".to_vec();
    head.extend(escaped_json(&RoleView::of(role))?);
    head.push(b',');
    Ok(head)
}

/// `"event":{...},`
fn event_head(event: &Event) -> io::Result<Vec<u8>> {
    let mut head = b"\"event\":".to_vec();
    head.extend(escaped_json(&EventView::of(event))?);
    head.push(b',');
    Ok(head)
}

/// `"recipients":[...],"suppressed":[...]}`: the rest of a row, which depends on the answer
/// and not on which role and event it names.
fn answer_tail(policy: &Policy, answer: &Answer) -> io::Result<Vec<u8>> {
    let mut tail = escaped_json(&TailView { policy, answer })?;
    tail.remove(0); // the `{`: the row's opening is in the role head
    Ok(tail)
}

/// Compact JSON of `value`, with DEL, C1 and bidi controls (which serde_json leaves raw)
/// escaped as in every JSON output. Plain ASCII (nearly everything) skips the check.
fn escaped_json(value: &impl Serialize) -> io::Result<Vec<u8>> {
    // Room for a typical recipient entry at once, rather than growing from a few bytes.
    let mut json = Vec::with_capacity(256);
    serde_json::to_writer(&mut json, value)?;
    if json.is_ascii() {
        return Ok(json);
    }
    let text = String::from_utf8(json).map_err(io::Error::other)?;
    Ok(crate::text::json_escape_invisible(text).into_bytes())
}

/// Serializes through `Display`, with no intermediate `String`.
struct Shown<T>(T);

impl<T: Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[derive(Serialize)]
struct RoleView<'a> {
    name: &'a str,
    id: Option<&'a str>,
}

impl<'a> RoleView<'a> {
    fn of(role: &'a Role) -> Self {
        RoleView { name: &role.name, id: role.id.as_deref() }
    }
}

#[derive(Serialize)]
struct EventView<'a> {
    id: &'a str,
    title: &'a str,
    section: &'static str,
    critical: bool,
}

impl<'a> EventView<'a> {
    fn of(event: &'a Event) -> Self {
        EventView {
            id: &event.id,
            title: &event.title,
            section: event.section.as_str(),
            critical: event.critical,
        }
    }
}

/// The `who` object: `role`, `event`, then the [`TailView`] fields.
pub struct AnswerView<'a> {
    policy: &'a Policy,
    answer: &'a Answer<'a>,
}

impl Serialize for AnswerView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = serializer.serialize_struct("Answer", 4)?;
        row.serialize_field("role", &RoleView::of(self.answer.role))?;
        row.serialize_field("event", &EventView::of(self.answer.event))?;
        TailView { policy: self.policy, answer: self.answer }.fields(&mut row)?;
        row.end()
    }
}

/// `recipients` and `suppressed`: what an answer says, apart from which role and event.
struct TailView<'a> {
    policy: &'a Policy,
    answer: &'a Answer<'a>,
}

impl TailView<'_> {
    fn fields<S: serde::ser::SerializeStruct>(&self, row: &mut S) -> Result<(), S::Error> {
        let (policy, answer) = (self.policy, self.answer);
        let recipients = answer.recipients.iter().map(|n| NotifiedView { policy, n });
        let suppressed = answer.suppressed.iter().map(|s| SuppressedView::of(policy, s));
        row.serialize_field("recipients", &Seq(recipients))?;
        row.serialize_field("suppressed", &Seq(suppressed))
    }
}

impl Serialize for TailView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = serializer.serialize_struct("Answer", 2)?;
        self.fields(&mut row)?;
        row.end()
    }
}

/// A sequence serialized straight from an iterator (cloned, since `serialize` takes `&self`).
struct Seq<I>(I);

impl<I: Iterator + Clone> Serialize for Seq<I>
where
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

struct NotifiedView<'a> {
    policy: &'a Policy,
    n: &'a Notified,
}

impl Serialize for NotifiedView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let policy = self.policy;
        let reasons = self.n.reasons.iter().map(|r| ReasonView::of(policy, r));
        let mut entry = serializer.serialize_struct("Notified", 3)?;
        entry.serialize_field("address", &self.n.address)?;
        entry.serialize_field("kind", self.n.kind.as_str())?;
        entry.serialize_field("reasons", &Seq(reasons))?;
        entry.end()
    }
}

#[derive(Serialize)]
struct ReasonView<'a> {
    audience: &'static str,
    /// `null` when nothing governs the email (the weekly digest).
    setting: Option<Shown<&'a Governor>>,
    source: &'static str,
    via: &'a [String],
    at: Option<Shown<At<'a>>>,
    basis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a str>,
}

impl<'a> ReasonView<'a> {
    fn of(policy: &'a Policy, r: &'a Reason) -> Self {
        ReasonView {
            audience: r.audience.as_str(),
            setting: governor(&r.setting),
            source: r.source.as_str(),
            via: &r.via,
            at: written_at(policy, r.at).map(Shown),
            basis: r.basis.as_str(),
            review: r.setting.review(),
        }
    }
}

fn governor(g: &Governor) -> Option<Shown<&Governor>> {
    (*g != Governor::Nothing).then_some(Shown(g))
}

#[derive(Serialize)]
struct SuppressedView<'a> {
    audience: &'static str,
    setting: Option<Shown<&'a Governor>>,
    reason: &'static str,
    at: Option<Shown<At<'a>>>,
    basis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a str>,
}

impl<'a> SuppressedView<'a> {
    fn of(policy: &'a Policy, s: &'a Suppressed) -> Self {
        SuppressedView {
            audience: s.audience.as_str(),
            setting: governor(&s.setting),
            reason: s.reason.as_str(),
            at: written_at(policy, s.at).map(Shown),
            basis: s.basis.as_str(),
            review: s.setting.review(),
        }
    }
}

/// Marks an audience the catalog assumes gets the email (no Microsoft page says so).
pub const ASSUMED_MARK: &str = "*";

/// The footnote that explains [`ASSUMED_MARK`].
pub const ASSUMED_FOOTNOTE: &str =
    "* assumed: no Microsoft page says this audience gets this email; `pim-notify events` shows why it is modelled";

/// `admin`, or `admin*` when the audience is assumed.
pub fn audience_text(audience: crate::catalog::Audience, basis: Basis) -> String {
    match basis {
        Basis::Documented => audience.to_string(),
        Basis::Assumed => format!("{audience}{ASSUMED_MARK}"),
    }
}

/// The footnote to print under an answer shown to people, when it names an assumed audience.
pub fn assumed_footnote(answer: &Answer) -> Option<&'static str> {
    let reasons = answer.recipients.iter().flat_map(|n| &n.reasons).map(|r| r.basis);
    let mut bases = reasons.chain(answer.suppressed.iter().map(|s| s.basis));
    bases.any(|b| b == Basis::Assumed).then_some(ASSUMED_FOOTNOTE)
}

/// One line per reason, for people: `admin · activation.admin · extra (policy.yaml:12:9)`.
pub fn reason_text(policy: &Policy, r: &Reason) -> String {
    reason_line(policy, r, r.audience.to_string())
}

/// [`reason_text`] with an assumed audience marked (`admin*`), for answers that print
/// [`assumed_footnote`] under them.
pub fn marked_reason_text(policy: &Policy, r: &Reason) -> String {
    reason_line(policy, r, audience_text(r.audience, r.basis))
}

fn reason_line(policy: &Policy, r: &Reason, audience: String) -> String {
    let mut text = format!("{audience} · {} · ", r.setting);
    if r.via.is_empty() {
        text.push_str(r.source.as_str());
    } else {
        text.push_str(&format!("member of group:{}", r.via.join(" > group:")));
    }
    match written_at(policy, r.at) {
        Some(at) => text.push_str(&format!(" ({at})")),
        None => text.push_str(" (built-in)"),
    }
    text
}

/// `disabled: the setting is disabled (policy.yaml:20:7)`, for people.
pub fn suppressed_text(policy: &Policy, s: &Suppressed) -> String {
    match written_at(policy, s.at) {
        Some(at) => format!("{}: {} ({at})", s.reason.as_str(), s.detail),
        // An event that does not occur is Entra's fact, not a built-in value.
        None if s.reason.is_not_occurring() => format!("{}: {}", s.reason.as_str(), s.detail),
        None => format!("{}: {} (built-in)", s.reason.as_str(), s.detail),
    }
}

/// Who a placeholder stands for in a scope, and how to name them instead.
pub fn placeholder_note(scope: Scope, placeholder: &str) -> Option<String> {
    let placeholder = Placeholder::parse(placeholder)?;
    let facts = placeholder_in(placeholder, scope);
    let how = match placeholder {
        Placeholder::Admins => "name them with directory.admins",
        Placeholder::Approvers if facts.nobody => "name them with the role's approvers",
        Placeholder::Approvers => "name them with the role's approvers or directory.default_approvers",
        Placeholder::RoleAdmins => "name them with directory.role_admins",
        Placeholder::Assignee => "name one with --assignee",
        Placeholder::Reviewers => "name them with the review's reviewers",
        Placeholder::Manager => "a directory snapshot names them",
    };
    let who = if facts.nobody { format!("nobody by default in scope {scope}") } else { facts.who.clone() };
    Some(format!("{who} ({how})"))
}
