//! PN106 `event-reaches-nobody`: an email PIM would send to no one.

use indexmap::IndexMap;

use crate::catalog::{events, Event};
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{Query, Suppressed};
use crate::lint::context::{short_list as list, AudienceAnswers, Context, RoleGroups};
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
        why: "PIM still records the event, but nobody hears of it: a member's request to extend an \
              expiring assignment waits for nobody, or a review starts with no reviewer told.",
        bad: "version: 2\nroles:\n  - name: Contoso Payroll Operator\n    settings:\n      eligible.approver: { disabled: true }\n",
        fixed: "version: 2\nroles:\n  - name: Contoso Payroll Operator\n    settings:\n      eligible.approver: { default_recipients: false, extra: [payroll-owner@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

/// Events that reach nobody for the same reasons, and the roles concerned.
#[derive(Default)]
struct Silence<'p> {
    events: Vec<&'static Event>,
    roles: Vec<&'p Role>,
    /// The roles already in `roles`, by address: one silence can cover every role of a large
    /// policy, so a linear search per role would be quadratic.
    seen_roles: std::collections::HashSet<*const Role>,
    detail: String,
}

impl<'p> Silence<'p> {
    fn add(&mut self, event: &'static Event, role: &'p Role) {
        if !self.events.iter().any(|e| std::ptr::eq(*e, event)) {
            self.events.push(event);
        }
        if self.seen_roles.insert(role as *const Role) {
            self.roles.push(role);
        }
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let policy = ctx.policy;
    // Expansion is off: an empty group is still somebody to PIM.
    let mut audiences = AudienceAnswers::new(policy, Query { assignee: None, no_expand: true });
    // Keyed by what silences the event and whether it is tenant-wide, so one cause is one finding.
    let mut silences: IndexMap<(bool, Vec<Pos>), Silence> = IndexMap::new();
    let groups = RoleGroups::new(ctx);
    for event in events().iter().filter(|e| e.exists_in(policy.scope) && !reported_elsewhere(e)) {
        let tenant_wide = event.section.is_tenant_wide();
        for group in groups.for_event(event) {
            let Some(suppressed) = audiences.all_suppressed(group[0], event) else { continue };
            let silence = silences.entry((tenant_wide, silence_causes(&suppressed))).or_default();
            if silence.detail.is_empty() {
                silence.detail = detail(&suppressed);
            }
            group.iter().for_each(|role| silence.add(event, role));
        }
    }
    out.extend(silences.into_iter().map(|((tenant_wide, causes), s)| finding(tenant_wide, &causes, s)));
}

/// Silences another rule reports with more weight: an approval request nobody receives is
/// PN205. (An alert switched off does not occur at all; PN206 reports the one that emails.)
fn reported_elsewhere(event: &Event) -> bool {
    event.id == "activation.requested"
}

/// The positions that silence every audience, sorted, each once.
fn silence_causes(suppressed: &[Suppressed]) -> Vec<Pos> {
    let mut causes: Vec<Pos> = suppressed.iter().map(|s| s.at.unwrap_or_default()).collect();
    causes.sort();
    causes.dedup();
    causes
}

fn detail(suppressed: &[Suppressed]) -> String {
    let parts: Vec<String> =
        suppressed.iter().map(|s| format!("{} ({}): {}", s.audience, s.setting, s.detail)).collect();
    parts.join("; ")
}

fn finding(tenant_wide: bool, causes: &[Pos], mut silence: Silence) -> Diagnostic {
    silence.roles.sort_by_cached_key(|r| r.name.to_lowercase());
    let own = |p: &Pos| matches!(silence.roles.as_slice(), [role] if written_by(role, *p));
    let pos = causes.iter().copied().find(own).or_else(|| causes.iter().copied().find(|p| p.line > 0));
    let help = format!("{}; send it to someone, or accept it with a role-level lint allow", silence.detail);
    let events = list(silence.events.iter().map(|e| format!("`{}`", e.id)).collect());
    let verb = if silence.events.len() == 1 { "reaches" } else { "reach" };
    if tenant_wide {
        return RULE.at(format!("{events} {verb} nobody"), pos).with_help(help);
    }
    match silence.roles.as_slice() {
        [role] => RULE
            .at(format!("{events} {verb} nobody for role `{}`", role.name), pos)
            .with_help(help)
            .with_role(role.name.clone()),
        roles => {
            let names = list(roles.iter().map(|r| format!("`{}`", r.name)).collect());
            RULE.at(format!("{events} {verb} nobody for {} roles ({names})", roles.len()), pos)
                .with_help(help)
        }
    }
}

/// Whether `pos` is one of the values the role's own entry writes, so a finding about the role
/// points at its entry rather than at a shared default.
fn written_by(role: &Role, pos: Pos) -> bool {
    let flags =
        role.settings.iter().flat_map(|o| [&o.disabled, &o.default_recipients, &o.critical_only, &o.inherit]);
    let mut positions = flags.flatten().map(|f| f.pos).collect::<Vec<_>>();
    positions.extend(role.settings.iter().filter_map(|o| o.extra.as_ref().map(|l| l.pos)));
    positions.extend(role.approvers.iter().map(|l| l.pos));
    positions.extend(role.approval_required.iter().map(|a| a.pos));
    positions.contains(&pos)
}
