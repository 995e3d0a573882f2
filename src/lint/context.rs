//! What every rule gets: the policy, the options, and facts several rules share.

use crate::catalog::{SettingId, SETTINGS};
use std::collections::HashMap;

use crate::catalog::{Audience, Event};
use crate::eval::{audience_answer, effective, occurs, shape, AudienceShape, Effective, Query, Suppressed};
use crate::groups;
use crate::model::{LocatedRecipient, Policy, RecipientList, Role, SettingOverride};
use crate::recipient::Recipient;
use crate::span::Pos;

use super::config::LintConfig;
use super::lines::LineIndex;
use crate::diagnostic::Diagnostic;

pub struct Context<'p> {
    pub policy: &'p Policy,
    pub config: &'p LintConfig,
    /// The policy's roles that the configuration calls highly privileged, in policy order.
    pub privileged: Vec<&'p Role>,
    /// Where the loader found invalid recipients (PN006); it leaves them out of the policy.
    pub invalid_recipients: Vec<Pos>,
    lines: Option<LineIndex<'p>>,
}

impl<'p> Context<'p> {
    pub fn new(policy: &'p Policy, config: &'p LintConfig) -> Self {
        let privileged = policy
            .roles
            .iter()
            .filter(|role| config.privileged_roles.iter().any(|p| names_role(policy, p, role)))
            .collect();
        Context { policy, config, privileged, invalid_recipients: Vec::new(), lines: None }
    }

    /// Adds what the loader saw in the text, so rules do not report the consequences of a
    /// problem the loader already reported.
    pub fn with_source(mut self, text: &'p str, loaded: &[Diagnostic]) -> Self {
        self.invalid_recipients = loaded.iter().filter(|d| d.code == "PN006").filter_map(|d| d.pos).collect();
        self.lines = Some(LineIndex::new(text));
        self
    }

    /// Configured privileged role names the policy has no role for, with a did-you-mean.
    pub fn unknown_privileged(&self) -> Vec<String> {
        let missing =
            self.config.privileged_roles.iter().filter(|name| self.policy.find_role(name).is_none());
        missing
            .map(|name| {
                let near = self.policy.similar_roles(name);
                let hint = near.first().map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                format!("privileged role `{name}` is not a role of this policy{hint}")
            })
            .collect()
    }

    /// Whether a written list held recipients the loader dropped as invalid.
    pub fn had_invalid(&self, list: &RecipientList) -> bool {
        let Some(lines) = &self.lines else { return false };
        let start = (list.pos.line, list.pos.column);
        let end = lines.end(list.pos);
        self.invalid_recipients.iter().any(|p| (p.line, p.column) >= start && (p.line, p.column) < end)
    }

    pub fn effective(&self, role: &'p Role, id: SettingId) -> Effective<'p> {
        effective(self.policy, role, id)
    }

    /// Where a finding about `role`'s setting `id` should point: the role's override, else the
    /// role entry, else the `defaults:` entry; `None` when the file says nothing about either.
    pub fn setting_pos(&self, role: &Role, id: SettingId) -> Option<Pos> {
        let own = role.settings.get(id).map(|o| o.pos);
        own.or(role.name_pos).or_else(|| self.policy.defaults.get(id).map(|o| o.pos))
    }

    /// Whether a recipient stands for at least one real mailbox or object. Unknown groups
    /// count: PN003 already reports them, and one mistake should give one finding.
    pub fn reaches_someone(&self, r: &LocatedRecipient) -> bool {
        match &r.value {
            Recipient::Email(_) | Recipient::Object(_) => true,
            Recipient::Group(name) => {
                !self.policy.groups.contains_key(name)
                    || !groups::expand(&self.policy.groups, name).is_empty()
            }
            Recipient::Placeholder(_) => false,
        }
    }

    /// Every override in the file: `defaults:` (with no role) then each listed role's.
    pub fn overrides(&self) -> impl Iterator<Item = (Option<&'p Role>, &'p SettingOverride)> {
        let defaults = self.policy.defaults.iter().map(|o| (None, o));
        let roles = self.listed_roles().flat_map(|r| r.settings.iter().map(move |o| (Some(r), o)));
        defaults.chain(roles)
    }

    pub fn listed_roles(&self) -> impl Iterator<Item = &'p Role> {
        self.policy.roles.iter().filter(|r| r.is_listed())
    }

    /// The roles in groups that evaluate alike: each role that writes settings, approvers or
    /// approval alone, then every other role together (they only get `defaults:`), so rules that
    /// evaluate every role need not repeat the same work a hundred times.
    pub fn alike_roles(&self) -> Vec<Vec<&'p Role>> {
        let mut groups: Vec<Vec<&Role>> =
            self.listed_roles().filter(|r| !is_plain(r)).map(|r| vec![r]).collect();
        let unlisted: Vec<&Role> = self.policy.roles.iter().filter(|r| is_plain(r)).collect();
        if !unlisted.is_empty() {
            groups.push(unlisted);
        }
        groups
    }

    /// Every recipient list written in the file, with the role it belongs to.
    pub fn recipient_lists(&self) -> Vec<(Option<&'p Role>, &'p [LocatedRecipient])> {
        let dir = &self.policy.directory;
        let mut lists: Vec<(Option<&Role>, &[LocatedRecipient])> =
            [&dir.admins, &dir.default_approvers, &dir.role_admins]
                .into_iter()
                .flatten()
                .map(|l| (None, l.items.as_slice()))
                .collect();
        lists.extend(self.policy.groups.values().map(|g| (None, g.members.as_slice())));
        for review in &self.policy.reviews {
            lists.extend(crate::load::review_lists(review).map(|l| (None, l.items.as_slice())));
        }
        for (role, o) in self.overrides() {
            lists.extend(o.extra.iter().map(|l| (role, l.items.as_slice())));
        }
        for role in self.listed_roles() {
            lists.extend(role.approvers.iter().map(|l| (Some(role), l.items.as_slice())));
        }
        lists
    }
}

/// The roles of a policy in groups that get the same answer to an event, so rules that look at
/// every (role, event) evaluate each group once: the [`Context::alike_roles`] for events of
/// the role settings, the roles each set of reviews covers for review events, and one role for
/// events about the tenant (alerts, the digest).
pub struct RoleGroups<'p> {
    alike: Vec<Vec<&'p Role>>,
    by_reviews: Vec<Vec<&'p Role>>,
    any: [&'p Role; 1],
}

impl<'p> RoleGroups<'p> {
    pub fn new(ctx: &Context<'p>) -> Self {
        let policy = ctx.policy;
        let mut by_reviews: indexmap::IndexMap<Vec<bool>, Vec<&Role>> = indexmap::IndexMap::new();
        for role in &policy.roles {
            let covered: Vec<bool> = policy.reviews.iter().map(|r| r.covers(role)).collect();
            by_reviews.entry(covered).or_default().push(role);
        }
        RoleGroups {
            alike: ctx.alike_roles(),
            by_reviews: by_reviews.into_values().collect(),
            any: [policy.roles.first().unwrap_or_else(|| nobody())],
        }
    }

    /// The groups for `event`; the first role of each stands for the group.
    pub fn for_event(&self, event: &Event) -> Vec<&[&'p Role]> {
        if event.section.is_tenant_wide() {
            return vec![&self.any[..]];
        }
        let groups =
            if event.section == crate::catalog::Section::Review { &self.by_reviews } else { &self.alike };
        groups.iter().map(Vec::as_slice).collect()
    }
}

/// A role the file does not have, for tenant-wide events of a policy without roles.
fn nobody() -> &'static Role {
    static NOBODY: std::sync::OnceLock<Role> = std::sync::OnceLock::new();
    NOBODY.get_or_init(Role::default)
}

/// Each audience's answer, asked once per [`AudienceShape`]: rules that look at every role
/// would otherwise evaluate the same answer again and again, since most roles write nothing
/// for most settings and one override serves every event of its section.
pub struct AudienceAnswers<'p> {
    policy: &'p Policy,
    query: Query,
    /// `None` when the audience reaches someone, else its suppressions.
    memo: HashMap<AudienceShape, Option<Vec<Suppressed>>>,
}

impl<'p> AudienceAnswers<'p> {
    pub fn new(policy: &'p Policy, query: Query) -> Self {
        AudienceAnswers { policy, query, memo: HashMap::new() }
    }

    /// Why each audience of `event` gets nothing for `role`, in the event's order; `None` when
    /// someone is reached or the event does not occur for the role.
    pub fn all_suppressed(&mut self, role: &'p Role, event: &'static Event) -> Option<Vec<Suppressed>> {
        if !occurs(self.policy, role, event) {
            return None;
        }
        let shape = shape(self.policy, role, event);
        for audience in shape.audiences() {
            // Someone is reached: nearly every question ends here.
            self.outcome(role, event, audience)?;
        }
        Some(shape.audiences().filter_map(|a| self.memo.get(a).cloned().flatten()).flatten().collect())
    }

    /// Why `audience` of `event` gets nothing for `role`; `None` when it reaches someone, the
    /// event does not occur, or the audience does not get the event in this scope.
    pub fn suppressed_for(
        &mut self,
        role: &'p Role,
        event: &'static Event,
        audience: Audience,
    ) -> Option<Vec<Suppressed>> {
        if !occurs(self.policy, role, event) {
            return None;
        }
        let shape = shape(self.policy, role, event);
        let wanted = shape.audiences().find(|a| a.audience() == audience)?;
        self.outcome(role, event, wanted).cloned()
    }

    /// The memoised suppressions of one audience, `None` when it reaches someone.
    fn outcome(
        &mut self,
        role: &'p Role,
        event: &'static Event,
        audience: &AudienceShape,
    ) -> Option<&Vec<Suppressed>> {
        let (policy, query) = (self.policy, &self.query);
        let entry = self.memo.entry(*audience).or_insert_with(|| {
            let outcome = audience_answer(policy, role, event, audience.audience(), query);
            outcome.reached.is_empty().then_some(outcome.suppressed)
        });
        entry.as_ref()
    }
}

/// The nine per-role settings, in admin-center order.
pub fn per_role_settings() -> impl Iterator<Item = SettingId> {
    SETTINGS.iter().map(|s| s.id)
}

/// A role that evaluates exactly like a built-in role the file does not list (reviews that
/// cover some roles and not others are told apart where they matter, by the rules that ask).
fn is_plain(role: &Role) -> bool {
    role.settings.is_empty() && role.approvers.is_none() && !role.requires_approval()
}

fn names_role(policy: &Policy, name_or_id: &str, role: &Role) -> bool {
    policy.find_role(name_or_id).is_some_and(|found| std::ptr::eq(found, role))
}

/// Up to three items, then an ellipsis: `a, b, c, … 12 in all`.
pub fn short_list(items: Vec<String>) -> String {
    let mut shown: Vec<String> = items.iter().take(3).cloned().collect();
    if items.len() > 3 {
        shown.push(format!("… {} in all", items.len()));
    }
    shown.join(", ")
}
