//! Deciding, without evaluating, that a role gets the same answer to every event in both
//! versions: the evaluation (DESIGN §3) reads only the scope, the directory, the groups, the
//! `defaults:` layer and the role's approval, approvers, reviewers and settings. When all of
//! those hold the same values (positions aside, as the diff ignores them), every answer is
//! the same and the role's events need not be evaluated. Anything else is evaluated.

use crate::catalog::{AudienceEntry, Event, Requirement, Section};
use crate::model::{
    Alerts, Directory, Group, LocatedRecipient, Policy, RecipientList, Review, Reviewers, Role,
    SettingOverride, Settings,
};
use crate::recipient::Placeholder;
use crate::span::Located;

/// Whether everything outside the roles that evaluation reads is the same in both versions.
pub(super) struct SameInputs<'a> {
    old: &'a Policy,
    new: &'a Policy,
    shared_unchanged: bool,
}

impl<'a> SameInputs<'a> {
    pub(super) fn between(old: &'a Policy, new: &'a Policy) -> SameInputs<'a> {
        let shared_unchanged = old.scope == new.scope
            && directory_eq(&old.directory, &new.directory)
            && groups_eq(&old.groups, &new.groups)
            && settings_eq(&old.defaults, &new.defaults)
            && alerts_eq(&old.alerts, &new.alerts)
            && reviews_eq(&old.reviews, &new.reviews);
        SameInputs { old, new, shared_unchanged }
    }

    /// True when `before` and `after` answer every event the same way.
    pub(super) fn role_unchanged(&self, before: &Role, after: &Role) -> bool {
        self.shared_unchanged
            && flag_eq(&before.approval_required, &after.approval_required)
            && list_eq(&before.approvers, &after.approvers)
            && settings_eq(&before.settings, &after.settings)
            && self.same_reviews(before, after)
    }

    /// True when `before` and `after` answer `event` the same way: besides the shared inputs,
    /// an event reads only the role's approval (if it needs approval), its overrides of the
    /// event's settings, its approvers (for the audiences they approve for) and, for review
    /// events, which reviews cover it (DESIGN §3), so a changed role is evaluated only for the
    /// events its change can reach.
    pub(super) fn event_unchanged(&self, before: &Role, after: &Role, event: &Event) -> bool {
        let approval = event.requires != Some(Requirement::Approval)
            || flag_eq(&before.approval_required, &after.approval_required);
        let reviews = event.section != Section::Review || self.same_reviews(before, after);
        self.shared_unchanged
            && approval
            && reviews
            && event.audience_entries().iter().all(|a| audience_eq(before, after, event, a))
    }

    /// Whether the same reviews (by position: the lists are equal) cover both roles.
    fn same_reviews(&self, before: &Role, after: &Role) -> bool {
        let old = self.old.reviews.iter().map(|r| r.covers(before));
        old.eq(self.new.reviews.iter().map(|r| r.covers(after)))
    }
}

fn audience_eq(before: &Role, after: &Role, event: &Event, entry: &AudienceEntry) -> bool {
    let lists = entry.default != Placeholder::Approvers || list_eq(&before.approvers, &after.approvers);
    let Some(id) = event.setting_for(entry.audience) else { return lists };
    let overrides = match (before.settings.get(id), after.settings.get(id)) {
        (None, None) => true,
        (Some(a), Some(b)) => override_eq(a, b),
        _ => false,
    };
    lists && overrides
}

fn directory_eq(a: &Directory, b: &Directory) -> bool {
    list_eq(&a.admins, &b.admins)
        && list_eq(&a.default_approvers, &b.default_approvers)
        && list_eq(&a.role_admins, &b.role_admins)
}

fn alerts_eq(a: &Alerts, b: &Alerts) -> bool {
    a.0.len() == b.0.len()
        && a.0
            .iter()
            .zip(&b.0)
            .all(|(x, y)| std::ptr::eq(x.alert, y.alert) && flag_eq(&x.enabled, &y.enabled))
}

fn reviews_eq(a: &[Review], b: &[Review]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| review_eq(x, y))
}

fn review_eq(a: &Review, b: &Review) -> bool {
    let patterns = |r: &Review| r.roles.iter().map(|(p, _)| p.value.clone()).collect::<Vec<_>>();
    a.name == b.name
        && patterns(a) == patterns(b)
        && reviewers_eq(&a.reviewers, &b.reviewers)
        && flag_eq(&a.mail, &b.mail)
        && flag_eq(&a.reminders, &b.reminders)
        && list_eq(&a.completed_extra, &b.completed_extra)
}

fn reviewers_eq(a: &Reviewers, b: &Reviewers) -> bool {
    match (a, b) {
        (Reviewers::Unnamed, Reviewers::Unnamed) | (Reviewers::Members(_), Reviewers::Members(_)) => true,
        (Reviewers::Listed(x), Reviewers::Listed(y)) => recipients_eq(&x.items, &y.items),
        (Reviewers::Managers { fallback: x, .. }, Reviewers::Managers { fallback: y, .. }) => list_eq(x, y),
        _ => false,
    }
}

fn groups_eq(a: &indexmap::IndexMap<String, Group>, b: &indexmap::IndexMap<String, Group>) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((na, ga), (nb, gb))| na == nb && recipients_eq(&ga.members, &gb.members))
}

fn settings_eq(a: &Settings, b: &Settings) -> bool {
    a.0.len() == b.0.len() && a.iter().zip(b.iter()).all(|(x, y)| override_eq(x, y))
}

fn override_eq(a: &SettingOverride, b: &SettingOverride) -> bool {
    a.id == b.id
        && flag_eq(&a.disabled, &b.disabled)
        && flag_eq(&a.default_recipients, &b.default_recipients)
        && flag_eq(&a.critical_only, &b.critical_only)
        && flag_eq(&a.inherit, &b.inherit)
        && list_eq(&a.extra, &b.extra)
}

fn flag_eq(a: &Option<Located<bool>>, b: &Option<Located<bool>>) -> bool {
    a.as_ref().map(|f| f.value) == b.as_ref().map(|f| f.value)
}

/// Absent and empty lists differ: an empty `approvers:` means nobody, an absent one the default.
fn list_eq(a: &Option<RecipientList>, b: &Option<RecipientList>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => recipients_eq(&a.items, &b.items),
        _ => false,
    }
}

fn recipients_eq(a: &[LocatedRecipient], b: &[LocatedRecipient]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value == y.value)
}
