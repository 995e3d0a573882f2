//! A stand-in for the security baseline (PN2xx) the diff checks for regressions: the two rules
//! that matter most, evaluated here so `diff` works on its own. The full rules live in lint;
//! callers that have them pass `lint`'s baseline to [`super::diff`] instead.

use crate::catalog::{Audience, Section, SettingId};
use crate::diagnostic::Diagnostic;
use crate::eval::effective;
use crate::model::{Policy, Role};
use crate::span::Pos;

const ASSIGNMENT_ALERTS: [SettingId; 2] = [
    SettingId { section: Section::Eligible, audience: Audience::Admin },
    SettingId { section: Section::Active, audience: Audience::Admin },
];
const ACTIVATION_ALERT: SettingId = SettingId { section: Section::Activation, audience: Audience::Admin };

/// PN201 (assignment alerts of highly privileged roles reach additional recipients, CISA
/// SCuBA MS.AAD.7.7) and PN202 (Global Administrator activations do, MS.AAD.7.8).
pub fn essential_baseline(policy: &Policy) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for role in policy.roles.iter().filter(|r| super::is_highly_privileged(r)) {
        for id in ASSIGNMENT_ALERTS {
            found.extend(unalerted(policy, role, id, "PN201"));
        }
        if is_global_admin(role) {
            found.extend(unalerted(policy, role, ACTIVATION_ALERT, "PN202"));
        }
    }
    found
}

fn is_global_admin(role: &Role) -> bool {
    role.builtin.map_or(role.name.as_str(), |b| b.name.as_str()) == "Global Administrator"
}

/// A finding when the alert `id` of `role` is off or has no additional recipients.
fn unalerted(policy: &Policy, role: &Role, id: SettingId, code: &'static str) -> Option<Diagnostic> {
    if role.lint_allow.iter().any(|a| a.code.value == code) {
        return None;
    }
    let setting = effective(policy, role, id);
    let problem = if setting.disabled.value {
        "is disabled"
    } else if setting.extra.is_empty() {
        "has no additional recipients"
    } else {
        return None;
    };
    let message = format!("`{id}` of {} {problem}", role.name);
    let help = format!("add a monitored mailbox to `{id}` under `defaults:` or the role's `settings:`");
    Some(
        Diagnostic::error(code, message, where_set(policy, role, id))
            .with_help(help)
            .with_role(role.name.clone()),
    )
}

fn where_set(policy: &Policy, role: &Role, id: SettingId) -> Option<Pos> {
    let written = role.settings.get(id).or_else(|| policy.defaults.get(id));
    written.map(|s| s.pos).or(role.declared)
}
