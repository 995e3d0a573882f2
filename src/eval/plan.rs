//! The first step of evaluation: what each audience of an event is set to send for a role,
//! as data. Nothing is resolved here; [`super::resolve`] turns the recipients into addresses.

use crate::catalog::{
    default_placeholder, Audience, AudienceEntry, Basis, Event, Requirement, Section, SettingId,
};
use crate::model::{LocatedRecipient, Policy, RecipientList, Review, Reviewers, Role};
use crate::recipient::{Placeholder, Recipient};
use crate::span::{Located, Pos};

use super::{effective, Governor, SuppressReason, Suppressed};

/// What one audience of an event is set to send, before anyone is resolved: which audience,
/// what governs it, its default recipients, its extra recipients and the basis of the
/// audience, or why it sends nothing.
#[derive(Clone, Debug)]
pub struct Delivery<'p> {
    pub audience: Audience,
    pub setting: Governor,
    pub basis: Basis,
    /// The placeholder that stands for the audience's default recipients.
    pub default: Placeholder,
    /// Who the default recipients are: the file's list that names them, or the placeholder.
    pub defaults: Defaults<'p>,
    /// Whether the default recipients get the email.
    pub defaults_on: bool,
    /// Default recipients beyond `defaults`: a review's fallback reviewers.
    pub fallback: &'p [LocatedRecipient],
    /// Additional recipients, in layer order.
    pub extra: Vec<&'p LocatedRecipient>,
    /// Why the audience gets nothing, whoever its recipients are.
    pub blocked: Option<Block>,
}

impl<'p> Delivery<'p> {
    /// Everyone the delivery would name if nothing blocked it: default recipients (when on),
    /// fallback reviewers, then extra recipients.
    pub fn candidates(&self) -> impl Iterator<Item = &'p LocatedRecipient> + '_ {
        let defaults = if self.defaults_on { self.defaults.items } else { &[] };
        defaults.iter().chain(self.fallback).chain(self.extra.iter().copied())
    }
}

/// Why a delivery sends nothing, and where that is written.
#[derive(Clone, Debug)]
pub struct Block {
    pub reason: SuppressReason,
    pub at: Option<Pos>,
    pub detail: String,
}

/// The audience's default recipients, and where the list that names them is written.
/// Borrowed: evaluation asks for them once per audience of every answer.
#[derive(Clone, Copy, Debug)]
pub struct Defaults<'p> {
    pub items: &'p [LocatedRecipient],
    pub at: Option<Pos>,
}

/// Why an event never happens (or never emails) for a role.
#[derive(Clone, Debug)]
pub struct NotOccurring {
    pub reason: SuppressReason,
    pub at: Option<Pos>,
    pub detail: String,
}

impl NotOccurring {
    /// The answer's suppressions: every audience the event has, with this reason.
    pub fn suppressed(&self, policy: &Policy, event: &'static Event) -> Vec<Suppressed> {
        let scope = policy.scope;
        let in_scope = event.exists_in(scope);
        let entries = event.audience_entries().iter().filter(|a| !in_scope || a.exists_in(scope));
        entries
            .map(|entry| Suppressed {
                audience: entry.audience,
                setting: Governor::of(event, entry.audience),
                reason: self.reason,
                at: self.at,
                detail: self.detail.clone(),
                basis: entry.basis_in(scope),
            })
            .collect()
    }
}

/// What every audience of `event` is set to send for `role`, in catalog order (one delivery
/// per review that covers the role, for review events), or why the event does not occur.
pub fn plan<'p>(
    policy: &'p Policy,
    role: &'p Role,
    event: &'static Event,
) -> Result<Vec<Delivery<'p>>, NotOccurring> {
    if let Some(not) = not_occurring(policy, role, event) {
        return Err(not);
    }
    let mut out = Vec::with_capacity(4);
    for entry in event.audiences_in(policy.scope) {
        audience_into(policy, role, event, entry, &mut out);
    }
    Ok(out)
}

/// The deliveries of one audience of an event that occurs (one per covering review for
/// review events).
pub fn audience<'p>(
    policy: &'p Policy,
    role: &'p Role,
    event: &'static Event,
    audience: Audience,
) -> Vec<Delivery<'p>> {
    let mut out = Vec::new();
    if let Some(entry) = event.audiences_in(policy.scope).find(|e| e.audience == audience) {
        audience_into(policy, role, event, entry, &mut out);
    }
    out
}

fn audience_into<'p>(
    policy: &'p Policy,
    role: &'p Role,
    event: &'static Event,
    entry: &AudienceEntry,
    out: &mut Vec<Delivery<'p>>,
) {
    match event.section {
        Section::Eligible | Section::Active | Section::Activation => {
            out.push(setting_delivery(policy, role, event, entry));
        }
        Section::Alert | Section::Digest => out.push(fixed_delivery(policy, role, event, entry)),
        Section::Review => {
            out.extend(
                policy.reviews_of(role).map(|review| review_delivery(policy, role, event, entry, review)),
            );
        }
    }
}

/// Why the event never happens for this role, if it does not (DESIGN §3.1).
pub(super) fn not_occurring(policy: &Policy, role: &Role, event: &Event) -> Option<NotOccurring> {
    let not = |reason, at, detail: String| Some(NotOccurring { reason, at, detail });
    if !event.exists_in(policy.scope) {
        let detail = format!("`{}` does not exist in scope {}", event.id, policy.scope);
        return not(SuppressReason::DoesNotOccur, policy.scope_pos, detail);
    }
    if event.requires == Some(Requirement::Approval) && !role.requires_approval() {
        let at = role.approval_required.as_ref().map(|a| a.pos);
        return not(
            SuppressReason::DoesNotOccur,
            at,
            "the role does not require approval to activate".into(),
        );
    }
    match event.section {
        Section::Alert => alert_not_emailed(policy, event),
        Section::Review if policy.reviews_of(role).next().is_none() => {
            not(SuppressReason::NoReview, None, "no access review under `reviews:` covers this role".into())
        }
        _ => None,
    }
}

fn alert_not_emailed(policy: &Policy, event: &Event) -> Option<NotOccurring> {
    if let Some(at) = policy.alerts.switched_off(event) {
        let detail = "the alert is switched off under `alerts:`, so PIM does not raise it".to_string();
        return Some(NotOccurring { reason: SuppressReason::AlertDisabled, at: Some(at), detail });
    }
    event.dashboard_only.then(|| NotOccurring {
        reason: SuppressReason::DashboardOnly,
        at: None,
        detail: "the alert shows on the PIM dashboard only; nobody is emailed".into(),
    })
}

/// An audience governed by one of the role's nine settings.
fn setting_delivery<'p>(
    policy: &'p Policy,
    role: &'p Role,
    event: &Event,
    entry: &AudienceEntry,
) -> Delivery<'p> {
    let id = SettingId { section: event.section, audience: entry.audience };
    let setting = effective(policy, role, id);
    let extra: Vec<&LocatedRecipient> = setting.extra.iter().map(|(r, _)| *r).collect();
    let block = |reason, at, detail: &str| Some(Block { reason, at, detail: detail.to_string() });
    let blocked = if setting.disabled.value {
        block(SuppressReason::Disabled, setting.disabled.at, "the setting is disabled")
    } else if setting.critical_only.value && !event.critical {
        block(
            SuppressReason::CriticalOnly,
            setting.critical_only.at,
            "only critical emails are sent and this one is not critical",
        )
    } else if !setting.default_recipients.value && extra.is_empty() {
        block(
            SuppressReason::NoDefaultRecipients,
            setting.default_recipients.at,
            "default recipients are off and there are no extra recipients",
        )
    } else {
        None
    };
    Delivery {
        audience: entry.audience,
        setting: Governor::Setting(id),
        basis: entry.basis_in(policy.scope),
        default: entry.default,
        defaults: default_recipients(policy, role, entry.default),
        defaults_on: setting.default_recipients.value,
        fallback: &[],
        extra,
        blocked,
    }
}

/// An audience nothing in the file governs: the alert that emails, the weekly digest.
fn fixed_delivery<'p>(
    policy: &'p Policy,
    role: &'p Role,
    event: &'static Event,
    entry: &AudienceEntry,
) -> Delivery<'p> {
    Delivery {
        audience: entry.audience,
        setting: Governor::of(event, entry.audience),
        basis: entry.basis_in(policy.scope),
        default: entry.default,
        defaults: default_recipients(policy, role, entry.default),
        defaults_on: true,
        fallback: &[],
        extra: Vec::new(),
        blocked: None,
    }
}

/// An audience of a review's email: its reviewers, or the administrators and the review's
/// completion recipients.
fn review_delivery<'p>(
    policy: &'p Policy,
    role: &'p Role,
    event: &Event,
    entry: &AudienceEntry,
    review: &'p Review,
) -> Delivery<'p> {
    let (default, defaults, fallback) = match entry.audience {
        Audience::Reviewer => reviewers_of(review),
        _ => (entry.default, default_recipients(policy, role, entry.default), &[][..]),
    };
    let completion = event.name == "completed" && entry.audience == Audience::Admin;
    let extra = review.completed_extra.iter().filter(|_| completion).flat_map(|l| &l.items).collect();
    Delivery {
        audience: entry.audience,
        setting: Governor::Review(review.name.clone()),
        basis: entry.basis_in(policy.scope),
        default,
        defaults,
        defaults_on: true,
        fallback,
        extra,
        blocked: review_block(event, review),
    }
}

/// A review's emails are off: reminders have their own switch, the others follow `mail`.
fn review_block(event: &Event, review: &Review) -> Option<Block> {
    let (flag, on, what) = if event.name == "reminder" {
        (&review.reminders, review.reminders_on(), "the review's reminders are off")
    } else {
        (&review.mail, review.mail_on(), "the review's mail notifications are off")
    };
    (!on).then(|| Block {
        reason: SuppressReason::Disabled,
        at: flag.as_ref().map(|f| f.pos),
        detail: what.into(),
    })
}

/// Who reviews: the listed reviewers, the members themselves (`<assignee>`), or each member's
/// manager with the fallback reviewers.
fn reviewers_of(review: &Review) -> (Placeholder, Defaults<'_>, &[LocatedRecipient]) {
    match &review.reviewers {
        Reviewers::Unnamed => (Placeholder::Reviewers, Defaults { items: &REVIEWERS, at: None }, &[]),
        Reviewers::Listed(list) => (Placeholder::Reviewers, listed(list), &[]),
        Reviewers::Members(pos) => {
            (Placeholder::Assignee, Defaults { items: &ASSIGNEE, at: Some(*pos) }, &[])
        }
        Reviewers::Managers { pos, fallback } => {
            let fallback = fallback.as_ref().map_or(&[][..], |l| l.items.as_slice());
            (Placeholder::Manager, Defaults { items: &MANAGER, at: Some(*pos) }, fallback)
        }
    }
}

fn listed(list: &RecipientList) -> Defaults<'_> {
    Defaults { items: &list.items, at: Some(list.pos) }
}

/// One placeholder standing alone, for audiences the policy names nobody for.
const fn alone(placeholder: Placeholder) -> LocatedRecipient {
    Located { value: Recipient::Placeholder(placeholder), pos: Pos { line: 0, column: 0, len: 0 } }
}

static ADMINS: [LocatedRecipient; 1] = [alone(Placeholder::Admins)];
static APPROVERS: [LocatedRecipient; 1] = [alone(Placeholder::Approvers)];
static ROLE_ADMINS: [LocatedRecipient; 1] = [alone(Placeholder::RoleAdmins)];
static ASSIGNEE: [LocatedRecipient; 1] = [alone(Placeholder::Assignee)];
static REVIEWERS: [LocatedRecipient; 1] = [alone(Placeholder::Reviewers)];
static MANAGER: [LocatedRecipient; 1] = [alone(Placeholder::Manager)];

/// Who a placeholder's people are for a role (DESIGN §1): the file's list that names them
/// (the directory's, or the role's approvers), else the placeholder itself. Approvers of a
/// scope without default approvers are nobody unless named.
pub fn default_recipients<'p>(policy: &'p Policy, role: &'p Role, placeholder: Placeholder) -> Defaults<'p> {
    let dir = &policy.directory;
    let (list, fallback): (_, &'static [LocatedRecipient]) = match placeholder {
        Placeholder::Admins => (dir.admins.as_ref(), &ADMINS),
        Placeholder::Approvers => (
            role.approvers.as_ref().or(dir.default_approvers.as_ref()),
            if policy.scope.has_default_approvers() { &APPROVERS } else { &[] },
        ),
        Placeholder::RoleAdmins => (dir.role_admins.as_ref(), &ROLE_ADMINS),
        Placeholder::Assignee => (None, &ASSIGNEE),
        Placeholder::Reviewers => (None, &REVIEWERS),
        Placeholder::Manager => (None, &MANAGER),
    };
    match list {
        Some(list) => listed(list),
        None => Defaults { items: fallback, at: None },
    }
}

/// The default recipients of the audience that setting `id` governs.
pub fn setting_defaults<'p>(policy: &'p Policy, role: &'p Role, id: SettingId) -> Defaults<'p> {
    default_recipients(policy, role, default_placeholder(id.section, id.audience))
}
