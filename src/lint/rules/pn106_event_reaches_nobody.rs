//! PN106 `event-reaches-nobody`: an email PIM would send to no one.

use indexmap::IndexMap;

use crate::catalog::{events, Event};
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{evaluate, Answer, Query, SuppressReason};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::Role;
use crate::span::Pos;

pub const RULE: Rule = Rule {
    code: "PN106",
    name: "event-reaches-nobody",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An event that occurs for a role but, once settings are merged, reaches no recipient \
                  in any audience. Roles that share the same cause are reported once, at the cause.",
        why: "PIM still records the event, but nobody hears of it: a member's assignment expires \
              silently, or an alert is raised to an empty room.",
        bad: "version: 1\nroles:\n  - name: Contoso Payroll Operator\n    settings:\n      active.assignee: { disabled: true }\n",
        fixed: "version: 1\nroles:\n  - name: Contoso Payroll Operator\n    settings:\n      active.assignee: { default_recipients: false, extra: [payroll-owner@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

/// Roles for which one event reaches nobody for the same reasons.
struct Silence<'p> {
    roles: Vec<&'p Role>,
    detail: String,
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let policy = ctx.policy;
    let nobody = Role::default();
    let query = Query { assignee: None, no_expand: true };
    for event in events().iter().filter(|e| e.exists_in(policy.scope)) {
        let roles: Vec<&Role> = if event.section.is_tenant_wide() {
            vec![policy.roles.first().unwrap_or(&nobody)]
        } else {
            policy.roles.iter().collect()
        };
        let mut silences: IndexMap<Vec<Pos>, Silence> = IndexMap::new();
        for role in roles {
            let answer = evaluate(policy, role, event, &query);
            if let Some(causes) = silence_causes(&answer) {
                let entry = silences
                    .entry(causes)
                    .or_insert_with(|| Silence { roles: Vec::new(), detail: detail(&answer) });
                entry.roles.push(role);
            }
        }
        out.extend(silences.into_iter().map(|(causes, s)| finding(event, &causes, s)));
    }
}

/// The positions that silence every audience, or `None` when someone is reached or the
/// event does not occur. Expansion is off: an empty group is still somebody to PIM.
fn silence_causes(answer: &Answer) -> Option<Vec<Pos>> {
    let occurs = answer.suppressed.iter().all(|s| s.reason != SuppressReason::DoesNotOccur);
    if !answer.recipients.is_empty() || !occurs {
        return None;
    }
    let mut causes: Vec<Pos> = answer.suppressed.iter().map(|s| s.at.unwrap_or_default()).collect();
    causes.sort();
    causes.dedup();
    Some(causes)
}

fn detail(answer: &Answer) -> String {
    let parts: Vec<String> =
        answer.suppressed.iter().map(|s| format!("{} ({}): {}", s.audience, s.setting, s.detail)).collect();
    parts.join("; ")
}

fn finding(event: &Event, causes: &[Pos], silence: Silence) -> Diagnostic {
    let pos = causes.iter().copied().find(|p| p.line > 0);
    let help = format!("{}; send it to someone, or accept it with a role-level lint allow", silence.detail);
    if event.section.is_tenant_wide() {
        return RULE.at(format!("`{}` reaches nobody", event.id), pos).with_help(help);
    }
    match silence.roles.as_slice() {
        [role] => RULE
            .at(format!("`{}` reaches nobody for role `{}`", event.id, role.name), pos)
            .with_help(help)
            .with_role(role.name.clone()),
        roles => RULE
            .at(format!("`{}` reaches nobody for {} roles ({})", event.id, roles.len(), sample(roles)), pos)
            .with_help(help),
    }
}

fn sample(roles: &[&Role]) -> String {
    let mut names: Vec<&str> = roles.iter().take(3).map(|r| r.name.as_str()).collect();
    if roles.len() > 3 {
        names.push("…");
    }
    names.join(", ")
}
