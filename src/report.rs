//! The machine-readable shapes of DESIGN §5, built as JSON values so every front end (who,
//! matrix, diff) prints exactly the same object.

use serde_json::{json, Value};

use crate::catalog::{Event, Scope};
use crate::eval::{Answer, Notified, Reason, Suppressed};
use crate::model::{Policy, Role};
use crate::span::{At, Pos};

/// `"file:line:column"`, or `null` for a built-in value no file wrote.
pub fn at(policy: &Policy, pos: Option<Pos>) -> Value {
    match pos {
        Some(pos) if pos.line > 0 => Value::String(At { file: &policy.source, pos }.to_string()),
        _ => Value::Null,
    }
}

pub fn role_json(role: &Role) -> Value {
    json!({ "name": role.name, "id": role.id })
}

pub fn event_json(event: &Event) -> Value {
    json!({
        "id": event.id,
        "title": event.title,
        "section": event.section.as_str(),
        "critical": event.critical,
    })
}

/// The `who --format json` object.
pub fn answer_json(policy: &Policy, answer: &Answer) -> Value {
    json!({
        "role": role_json(answer.role),
        "event": event_json(answer.event),
        "recipients": answer.recipients.iter().map(|n| notified_json(policy, n)).collect::<Vec<_>>(),
        "suppressed": answer.suppressed.iter().map(|s| suppressed_json(policy, s)).collect::<Vec<_>>(),
    })
}

fn notified_json(policy: &Policy, n: &Notified) -> Value {
    json!({
        "address": n.address,
        "kind": n.kind.as_str(),
        "reasons": n.reasons.iter().map(|r| reason_json(policy, r)).collect::<Vec<_>>(),
    })
}

fn reason_json(policy: &Policy, r: &Reason) -> Value {
    json!({
        "audience": r.audience.as_str(),
        "setting": r.setting.to_string(),
        "source": r.source.as_str(),
        "via": r.via,
        "at": at(policy, r.at),
    })
}

fn suppressed_json(policy: &Policy, s: &Suppressed) -> Value {
    json!({
        "audience": s.audience.as_str(),
        "setting": s.setting.to_string(),
        "reason": s.reason.as_str(),
        "at": at(policy, s.at),
    })
}

/// One line per reason, for people: `admin via activation.admin (extra, policy.yaml:12:9)`.
pub fn reason_text(policy: &Policy, r: &Reason) -> String {
    let mut text = format!("{} · {} · ", r.audience, r.setting);
    if r.via.is_empty() {
        text.push_str(r.source.as_str());
    } else {
        text.push_str(&format!("member of group:{}", r.via.join(" > group:")));
    }
    match r.at.filter(|p| p.line > 0) {
        Some(pos) => text.push_str(&format!(" ({})", At { file: &policy.source, pos })),
        None => text.push_str(" (built-in)"),
    }
    text
}

/// `disabled: the setting is disabled (policy.yaml:20:7)`, for people.
pub fn suppressed_text(policy: &Policy, s: &Suppressed) -> String {
    let at = match s.at.filter(|p| p.line > 0) {
        Some(pos) => At { file: &policy.source, pos }.to_string(),
        None => "built-in".to_string(),
    };
    format!("{}: {} ({at})", s.reason.as_str(), s.detail)
}

/// Who a placeholder stands for in a scope, and how to name them instead.
pub fn placeholder_note(scope: Scope, placeholder: &str) -> Option<String> {
    let note = match placeholder {
        "<admins>" => format!("{} (name them with directory.admins)", scope.admins_description()),
        "<approvers>" => format!(
            "{} (name them with the role's approvers or directory.default_approvers)",
            scope.approvers_description()
        ),
        "<assignee>" => "the member the email is about (name one with --assignee)".to_string(),
        "<reviewers>" => "the access review's reviewers (name them with directory.reviewers)".to_string(),
        _ => return None,
    };
    Some(note)
}
