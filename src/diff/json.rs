//! The `diff --format json` shape (DESIGN §5): each change carries the full `who` object of
//! both versions, so tools see every reason without re-running the evaluation. Serialized
//! through views, straight to the output: a large diff builds no JSON value tree.

use serde::Serialize;
use serde_json::Value;

use super::{Change, PolicyDiff, Summary};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, Role};
use crate::report::{answer_view, written_at, AnswerView};

impl PolicyDiff<'_> {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json_view()).expect("views serialize to JSON")
    }

    /// The JSON document as a view, to serialize without building a [`Value`].
    pub fn json_view(&self) -> impl Serialize + '_ {
        DiffView {
            old: &self.old.source,
            new: &self.new.source,
            changes: self.changes.iter().map(|c| self.change_view(c)).collect(),
            reason_changes: self.reason_changes.iter().map(|c| self.change_view(c)).collect(),
            roles_added: names(&self.roles_added),
            roles_removed: names(&self.roles_removed),
            groups_renamed: self.renames.pairs().into_iter().map(|(old, new)| Renamed { old, new }).collect(),
            baseline_regressions: self.baseline_regressions.iter().map(|d| finding(self.new, d)).collect(),
            summary: SummaryView::of(&self.summary()),
        }
    }

    fn change_view<'d>(&'d self, c: &'d Change) -> ChangeView<'d> {
        ChangeView {
            role: &c.role().name,
            role_id: c.role().id.as_deref(),
            event: &c.event().id,
            added: &c.added,
            removed: &c.removed,
            occurs_before: super::occurs(&c.before),
            occurs_after: super::occurs(&c.after),
            regression: c.is_regression(),
            regressions: c
                .regressions
                .iter()
                .map(|r| RegressionView { kind: r.kind(), message: r.message() })
                .collect(),
            before: answer_view(self.old, &c.before),
            after: answer_view(self.new, &c.after),
        }
    }
}

#[derive(Serialize)]
struct DiffView<'d> {
    old: &'d str,
    new: &'d str,
    changes: Vec<ChangeView<'d>>,
    reason_changes: Vec<ChangeView<'d>>,
    roles_added: Vec<&'d str>,
    roles_removed: Vec<&'d str>,
    groups_renamed: Vec<Renamed<'d>>,
    baseline_regressions: Vec<FindingView<'d>>,
    summary: SummaryView,
}

#[derive(Serialize)]
struct ChangeView<'d> {
    role: &'d str,
    role_id: Option<&'d str>,
    event: &'d str,
    added: &'d [String],
    removed: &'d [String],
    occurs_before: bool,
    occurs_after: bool,
    regression: bool,
    regressions: Vec<RegressionView>,
    before: AnswerView<'d>,
    after: AnswerView<'d>,
}

#[derive(Serialize)]
struct RegressionView {
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
struct Renamed<'d> {
    old: &'d str,
    new: &'d str,
}

/// Role names, as `changes[].role` names them.
fn names<'d>(roles: &[&'d Role]) -> Vec<&'d str> {
    roles.iter().map(|r| r.name.as_str()).collect()
}

#[derive(Serialize)]
struct FindingView<'d> {
    code: &'d str,
    severity: &'static str,
    message: &'d str,
    role: Option<&'d str>,
    /// `file:line:column`, or `null` when the finding has no position.
    at: Option<String>,
    help: Option<&'d str>,
}

fn finding<'d>(policy: &'d Policy, d: &'d Diagnostic) -> FindingView<'d> {
    FindingView {
        code: d.code,
        severity: d.severity.as_str(),
        message: &d.message,
        role: d.role.as_deref(),
        at: written_at(policy, d.pos).map(|at| at.to_string()),
        help: d.help.as_deref(),
    }
}

#[derive(Serialize)]
struct SummaryView {
    roles_changed: usize,
    notifications_changed: usize,
    recipients_added: usize,
    recipients_removed: usize,
    regressions: usize,
    reason_only_changes: usize,
    roles_added: usize,
    roles_removed: usize,
    events_started: usize,
    events_stopped: usize,
}

impl SummaryView {
    fn of(s: &Summary) -> Self {
        SummaryView {
            roles_changed: s.roles_changed,
            notifications_changed: s.notifications_changed,
            recipients_added: s.recipients_added,
            recipients_removed: s.recipients_removed,
            regressions: s.regressions,
            reason_only_changes: s.reason_only,
            roles_added: s.roles_added,
            roles_removed: s.roles_removed,
            events_started: s.events_started,
            events_stopped: s.events_stopped,
        }
    }
}
