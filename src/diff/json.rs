//! The `diff --format json` shape (DESIGN §5): each change carries the full `who` object of
//! both versions, so tools see every reason without re-running the evaluation.

use serde_json::{json, Value};

use super::{Change, PolicyDiff, Summary};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, Role};
use crate::report::{answer_json, at};

impl PolicyDiff<'_> {
    pub fn to_json(&self) -> Value {
        json!({
            "old": self.old.source,
            "new": self.new.source,
            "changes": self.changes.iter().map(|c| self.change_json(c)).collect::<Vec<_>>(),
            "reason_changes": self.reason_changes.iter().map(|c| self.change_json(c)).collect::<Vec<_>>(),
            "roles_added": roles_json(&self.roles_added),
            "roles_removed": roles_json(&self.roles_removed),
            "groups_renamed": self.renames.pairs().iter().map(|(o, n)| json!({"old": o, "new": n})).collect::<Vec<_>>(),
            "baseline_regressions": self.baseline_regressions.iter().map(|d| finding_json(self.new, d)).collect::<Vec<_>>(),
            "summary": summary_json(&self.summary()),
        })
    }

    fn change_json(&self, c: &Change) -> Value {
        json!({
            "role": c.role().name,
            "role_id": c.role().id,
            "event": c.event().id,
            "added": c.added,
            "removed": c.removed,
            "occurs_before": super::occurs(&c.before),
            "occurs_after": super::occurs(&c.after),
            "regression": c.is_regression(),
            "regressions": c.regressions.iter().map(|r| json!({"kind": r.kind(), "message": r.message()})).collect::<Vec<_>>(),
            "before": answer_json(self.old, &c.before),
            "after": answer_json(self.new, &c.after),
        })
    }
}

/// Role names, as `changes[].role` names them.
fn roles_json(roles: &[&Role]) -> Value {
    roles.iter().map(|r| Value::String(r.name.clone())).collect()
}

fn finding_json(policy: &Policy, d: &Diagnostic) -> Value {
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "role": d.role,
        "at": at(policy, d.pos),
        "help": d.help,
    })
}

fn summary_json(s: &Summary) -> Value {
    json!({
        "roles_changed": s.roles_changed,
        "notifications_changed": s.notifications_changed,
        "recipients_added": s.recipients_added,
        "recipients_removed": s.recipients_removed,
        "regressions": s.regressions,
        "reason_only_changes": s.reason_only,
        "roles_added": s.roles_added,
        "roles_removed": s.roles_removed,
        "events_started": s.events_started,
        "events_stopped": s.events_stopped,
    })
}
