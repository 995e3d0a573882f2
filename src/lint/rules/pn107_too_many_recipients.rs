//! PN107 `too-many-recipients`: an event with more known recipients than Entra emails.

use std::collections::HashMap;

use indexmap::IndexMap;

use crate::catalog::{events, Event};
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{evaluate, known_recipients, plan, Delivery, Query, RECIPIENT_CAP};
use crate::groups;
use crate::lint::context::{short_list as list, Context, RoleGroups};
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::{LocatedRecipient, Role};
use crate::recipient::Recipient;
use crate::span::Pos;

pub const RULE: Rule = Rule {
    code: "PN107",
    name: "too-many-recipients",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An event whose known recipients, counted over every audience (default recipients, \
                  extra recipients and the members of the file's groups, each person once), number more \
                  than 1,000. Placeholders count nothing until a directory snapshot names their people.",
        why: "Entra sends one event to at most 1,000 recipients; the others, chosen by Entra, get nothing. \
              Send to a mail-enabled group or distribution list instead of its members.",
        bad: "version: 2\ngroups:\n  everyone: [u0001@contoso.com, u0002@contoso.com]  # … and 999 more\ndefaults:\n  activation.admin: { extra: [group:everyone] }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [all-admins-dl@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

/// Events over the cap for the same recipient list, and the roles concerned.
#[derive(Default)]
struct Over<'p> {
    events: Vec<&'static Event>,
    roles: Vec<&'p Role>,
    /// The roles already in `roles`, by address (one list can reach every role of a policy).
    seen_roles: std::collections::HashSet<*const Role>,
    most: usize,
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let policy = ctx.policy;
    let groups = RoleGroups::new(ctx);
    let mut sizes = Sizes { ctx, known: HashMap::new() };
    // Keyed by the recipient that brings the most people: one list, one finding.
    let mut over: IndexMap<Option<Pos>, Over> = IndexMap::new();
    for event in events().iter().filter(|e| e.exists_in(policy.scope)) {
        for group in groups.for_event(event) {
            let Some((count, biggest)) = over_cap(ctx, group[0], event, &mut sizes) else { continue };
            let entry = over.entry(biggest).or_default();
            if !entry.events.iter().any(|e| std::ptr::eq(*e, event)) {
                entry.events.push(event);
            }
            for &role in group.iter().filter(|_| !event.section.is_tenant_wide()) {
                if entry.seen_roles.insert(role as *const Role) {
                    entry.roles.push(role);
                }
            }
            entry.most = entry.most.max(count);
        }
    }
    out.extend(over.into_iter().map(|(pos, o)| finding(pos, o)));
}

/// The event's known recipients for `role` and the recipient that brings the most of them,
/// when they pass the cap.
fn over_cap(
    ctx: &Context,
    role: &Role,
    event: &'static Event,
    sizes: &mut Sizes,
) -> Option<(usize, Option<Pos>)> {
    let deliveries = plan(ctx.policy, role, event).ok()?;
    let sending = || deliveries.iter().filter(|d| d.blocked.is_none()).flat_map(Delivery::candidates);
    // Counting distinct people is costly and almost never near the cap: an upper bound
    // (members counted as often as they are named) settles nearly every question.
    if sending().map(|r| sizes.of(r)).sum::<usize>() <= RECIPIENT_CAP {
        return None;
    }
    let answer = evaluate(ctx.policy, role, event, &Query::default());
    let count = known_recipients(ctx.policy, &answer.recipients);
    let biggest = sending().max_by_key(|r| sizes.of(r)).map(|r| r.pos).filter(|p| p.line > 0);
    (count > RECIPIENT_CAP).then_some((count, biggest))
}

/// Known people per recipient: one per address or object, a group's expanded members.
struct Sizes<'c, 'p> {
    ctx: &'c Context<'p>,
    known: HashMap<String, usize>,
}

impl Sizes<'_, '_> {
    fn of(&mut self, r: &LocatedRecipient) -> usize {
        match &r.value {
            Recipient::Email(_) | Recipient::Object(_) => 1,
            Recipient::Placeholder(_) => 0,
            Recipient::Group(name) => *self.known.entry(name.clone()).or_insert_with(|| {
                let members = groups::expand(&self.ctx.policy.groups, name);
                members.iter().filter(|m| !matches!(m.recipient.value, Recipient::Placeholder(_))).count()
            }),
        }
    }
}

fn finding(pos: Option<Pos>, mut o: Over) -> Diagnostic {
    o.roles.sort_by_cached_key(|r| r.name.to_lowercase());
    let events = list(o.events.iter().map(|e| format!("`{}`", e.id)).collect());
    let whom = match o.roles.as_slice() {
        [] => String::new(),
        [role] => format!(" for role `{}`", role.name),
        roles => format!(
            " for {} roles ({})",
            roles.len(),
            list(roles.iter().map(|r| format!("`{}`", r.name)).collect())
        ),
    };
    let verb = if o.events.len() == 1 { "reaches" } else { "reach" };
    let d = RULE
        .at(
            format!(
                "{events} {verb} up to {} known recipients{whom}; Entra emails at most {} per event",
                crate::eval::thousands(o.most),
                crate::eval::thousands(RECIPIENT_CAP)
            ),
            pos,
        )
        .with_help("send to a mail-enabled group or distribution list instead of its members");
    match o.roles.as_slice() {
        [role] => d.with_role(role.name.clone()),
        _ => d,
    }
}
