//! Evaluation of (role, event): who gets the email, why and on what basis, and who does not
//! and why (DESIGN §3).
//!
//! Two steps. [`plan`] says, as data, what each audience of the event is set to send: which
//! audience, which setting (or alert, or review) governs it, its default recipients and extra
//! recipients, the basis of the audience, or why it sends nothing. [`resolve`] then turns the
//! recipients into addresses (expanding the file's groups); it is the one place that will
//! name real people from a directory snapshot.

mod cap;
mod plan;
mod resolve;
mod shape;

use std::fmt;
use std::sync::Arc;

use crate::catalog::{Audience, Basis, Event, SettingId};
use crate::model::{LocatedRecipient, Policy, Role, SettingOverride};
use crate::recipient::key_of;
use crate::span::{Located, Pos};

pub(crate) use cap::thousands;
pub use cap::{known_recipients, RECIPIENT_CAP};
pub use plan::{
    audience as audience_plan, default_recipients, plan, setting_defaults, Block, Defaults, Delivery,
    NotOccurring,
};
pub use shape::{shape, AudienceShape, Shape};

/// Options of one question.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Who `<assignee>` stands for, when known.
    pub assignee: Option<String>,
    /// Leave `group:NAME` recipients as they are instead of listing their members.
    pub no_expand: bool,
}

/// Which layer of the merge a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    BuiltIn,
    Defaults,
    Role,
}

/// One field of an effective setting and where its value was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub value: bool,
    pub at: Option<Pos>,
    pub layer: Layer,
}

impl Field {
    fn builtin(value: bool) -> Field {
        Field { value, at: None, layer: Layer::BuiltIn }
    }

    fn apply(&mut self, written: Option<&Located<bool>>, layer: Layer) {
        if let Some(w) = written {
            *self = Field { value: w.value, at: Some(w.pos), layer };
        }
    }
}

/// A setting after merging built-in ← `defaults` ← role (DESIGN §3.2).
#[derive(Clone, Debug)]
pub struct Effective<'p> {
    pub id: SettingId,
    pub disabled: Field,
    pub default_recipients: Field,
    pub critical_only: Field,
    /// Set when the role wrote `inherit: false`, dropping the `defaults` layer.
    pub inherit_dropped: Option<Pos>,
    /// Extra recipients of every layer, in layer order.
    pub extra: Vec<(&'p LocatedRecipient, Layer)>,
}

/// The effective setting `id` for `role`.
pub fn effective<'p>(policy: &'p Policy, role: &'p Role, id: SettingId) -> Effective<'p> {
    let role_layer = role.settings.get(id);
    let inherit = role_layer.and_then(|o| o.inherit.as_ref()).filter(|i| !i.value);
    let defaults_layer = if inherit.is_some() { None } else { policy.defaults.get(id) };
    let mut merged = Effective {
        id,
        disabled: Field::builtin(false),
        default_recipients: Field::builtin(true),
        critical_only: Field::builtin(false),
        inherit_dropped: inherit.map(|i| i.pos),
        extra: Vec::new(),
    };
    merged.apply(defaults_layer, Layer::Defaults);
    merged.apply(role_layer, Layer::Role);
    merged
}

impl<'p> Effective<'p> {
    fn apply(&mut self, layer: Option<&'p SettingOverride>, which: Layer) {
        let Some(o) = layer else { return };
        self.disabled.apply(o.disabled.as_ref(), which);
        self.default_recipients.apply(o.default_recipients.as_ref(), which);
        self.critical_only.apply(o.critical_only.as_ref(), which);
        let extra = o.extra.iter().flat_map(|l| &l.items);
        self.extra.extend(extra.map(|r| (r, which)));
    }
}

/// What governs an audience's email: one of the role's settings, a security alert's switch,
/// an access review, or nothing the tenant can set (the weekly digest).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Governor {
    Setting(SettingId),
    /// The alert's name, as written under `alerts:`.
    Alert(&'static str),
    /// The review's name, shared with the policy.
    Review(Arc<str>),
    Nothing,
}

impl Governor {
    /// The governor of `audience` for an event that has no review: its setting, its alert's
    /// switch, or nothing.
    pub fn of(event: &'static Event, audience: Audience) -> Governor {
        match event.setting_for(audience) {
            Some(id) => Governor::Setting(id),
            None if event.section == crate::catalog::Section::Alert => Governor::Alert(&event.name),
            None => Governor::Nothing,
        }
    }

    pub fn setting(&self) -> Option<SettingId> {
        match self {
            Governor::Setting(id) => Some(*id),
            _ => None,
        }
    }

    /// The review that governs the email, if one does.
    pub fn review(&self) -> Option<&str> {
        match self {
            Governor::Review(name) => Some(name),
            _ => None,
        }
    }

    /// The policy path that governs the email (`activation.admin`, `alerts.NAME`,
    /// `reviews.NAME`); `None` when nothing does.
    pub fn path(&self) -> Option<String> {
        match self {
            Governor::Nothing => None,
            other => Some(other.to_string()),
        }
    }
}

impl fmt::Display for Governor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Governor::Setting(id) => id.fmt(f),
            Governor::Alert(name) => write!(f, "alerts.{name}"),
            Governor::Review(name) => write!(f, "reviews.{name}"),
            Governor::Nothing => f.write_str("no setting"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The audience's default recipients.
    Default,
    /// The setting's additional recipients.
    Extra,
    /// A member of a group named by either.
    Group,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::Extra => "extra",
            Source::Group => "group",
        }
    }
}

/// Why one recipient gets the email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub audience: Audience,
    /// What governs the email: a setting, an alert, a review, or nothing.
    pub setting: Governor,
    pub source: Source,
    /// Groups it came through, outermost first. Shared: every member of a group has the same
    /// path, and answers list many members.
    pub via: Arc<[String]>,
    /// Where the policy put it there; `None` for Entra's built-in defaults.
    pub at: Option<Pos>,
    /// Whether a Microsoft page says this audience gets this email.
    pub basis: Basis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Email,
    Object,
    Placeholder,
    /// Only with `--no-expand`.
    Group,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Object => "object",
            Kind::Placeholder => "placeholder",
            Kind::Group => "group",
        }
    }
}

/// A recipient of the email with every reason it gets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notified {
    pub address: String,
    pub kind: Kind,
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuppressReason {
    Disabled,
    CriticalOnly,
    NoDefaultRecipients,
    NoRecipients,
    DoesNotOccur,
    /// An alert that shows on the PIM dashboard and emails nobody.
    DashboardOnly,
    /// The alert is switched off under `alerts:`.
    AlertDisabled,
    /// No access review covers the role.
    NoReview,
    /// The event has more known recipients than Entra emails; some get nothing.
    OverCap,
}

impl SuppressReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressReason::Disabled => "disabled",
            SuppressReason::CriticalOnly => "critical-only",
            SuppressReason::NoDefaultRecipients => "no-default-recipients",
            SuppressReason::NoRecipients => "no-recipients",
            SuppressReason::DoesNotOccur => "does-not-occur",
            SuppressReason::DashboardOnly => "dashboard-only",
            SuppressReason::AlertDisabled => "alert-disabled",
            SuppressReason::NoReview => "no-review",
            SuppressReason::OverCap => "over-cap",
        }
    }

    /// Whether the reason means the event never happens (or never emails) for the role, so
    /// no audience could get it whatever its settings say.
    pub fn is_not_occurring(self) -> bool {
        matches!(
            self,
            SuppressReason::DoesNotOccur
                | SuppressReason::DashboardOnly
                | SuppressReason::AlertDisabled
                | SuppressReason::NoReview
        )
    }
}

/// An audience that gets nothing (or, `over-cap`, maybe not everything), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub audience: Audience,
    pub setting: Governor,
    pub reason: SuppressReason,
    pub at: Option<Pos>,
    /// The reason in words, for people.
    pub detail: String,
    pub basis: Basis,
}

/// The answer to "who gets event E for role R".
#[derive(Clone, Debug)]
pub struct Answer<'p> {
    pub role: &'p Role,
    pub event: &'static Event,
    pub recipients: Vec<Notified>,
    pub suppressed: Vec<Suppressed>,
}

/// Answers one question. Pure: the same inputs always give the same answer.
pub fn evaluate<'p>(policy: &'p Policy, role: &'p Role, event: &'static Event, query: &Query) -> Answer<'p> {
    let mut answer = Answer { role, event, recipients: Vec::new(), suppressed: Vec::new() };
    let deliveries = match plan(policy, role, event) {
        Ok(deliveries) => deliveries,
        Err(not) => {
            answer.suppressed = not.suppressed(policy, event);
            return answer;
        }
    };
    let mut reached = Vec::with_capacity(deliveries.len());
    for delivery in &deliveries {
        match resolve::delivery(policy, delivery, query) {
            Ok(found) => reached.push((delivery, found)),
            Err(s) => answer.suppressed.push(s),
        }
    }
    let counts: Vec<(&Delivery, usize)> = reached.iter().map(|(d, found)| (*d, found.len())).collect();
    let entries = reached.into_iter().flat_map(|(_, found)| found);
    answer.recipients = merge_recipients(entries, merge_notified);
    answer.suppressed.extend(cap::over_cap(policy, &answer.recipients, &counts));
    answer
}

/// Whether `event` happens (and emails) at all for `role`; when it does not, every audience
/// of the answer is suppressed with the reason and [`audience_answer`] does not apply.
pub fn occurs(policy: &Policy, role: &Role, event: &Event) -> bool {
    plan::not_occurring(policy, role, event).is_none()
}

/// What one audience of an event that occurs gets: its recipients, each once with its reasons
/// (sorted as in an answer), and its suppressions (one per review when reviews govern it). The
/// event-wide recipient cap is not applied: [`evaluate`] merges these over the event's
/// audiences and applies it.
#[derive(Clone, Debug, Default)]
pub struct AudienceOutcome {
    pub reached: Vec<Notified>,
    pub suppressed: Vec<Suppressed>,
}

pub fn audience_answer(
    policy: &Policy,
    role: &Role,
    event: &'static Event,
    audience: Audience,
    query: &Query,
) -> AudienceOutcome {
    let mut outcome = AudienceOutcome::default();
    let mut found = Vec::new();
    for delivery in plan::audience(policy, role, event, audience) {
        match resolve::delivery(policy, &delivery, query) {
            Ok(reached) => found.extend(reached),
            Err(s) => outcome.suppressed.push(s),
        }
    }
    outcome.reached = merge_recipients(found, merge_notified);
    outcome
}

/// Merges entries that name the same recipient into the first of them, and sorts the result
/// (DESIGN §3): placeholders last, then by address ignoring case. `absorb` folds a later entry
/// into the first. The one place the merge rule lives: `evaluate` merges [`Notified`] entries
/// with it, and the matrix writer merges entries it serialized once.
pub fn merge_recipients<T: RecipientEntry>(
    entries: impl IntoIterator<Item = T>,
    absorb: fn(&mut T, T),
) -> Vec<T> {
    let mut merged: indexmap::IndexMap<String, T> = indexmap::IndexMap::new();
    for entry in entries {
        match merged.entry(key_of(entry.address().to_string(), entry.kind() == Kind::Group)) {
            indexmap::map::Entry::Occupied(mut first) => absorb(first.get_mut(), entry),
            indexmap::map::Entry::Vacant(slot) => {
                slot.insert(entry);
            }
        }
    }
    // The key of an address or id is already its lowercase form; only group names need one.
    let mut all: Vec<(bool, String, T)> = merged
        .into_iter()
        .map(|(key, e)| {
            let lowercase = if e.kind() == Kind::Group { e.address().to_lowercase() } else { key };
            (e.kind() == Kind::Placeholder, lowercase, e)
        })
        .collect();
    all.sort_by(|a, b| (a.0, &a.1, a.2.address()).cmp(&(b.0, &b.1, b.2.address())));
    all.into_iter().map(|(_, _, e)| e).collect()
}

/// What [`merge_recipients`] needs to know of an entry.
pub trait RecipientEntry {
    fn address(&self) -> &str;
    fn kind(&self) -> Kind;
}

impl RecipientEntry for Notified {
    fn address(&self) -> &str {
        &self.address
    }

    fn kind(&self) -> Kind {
        self.kind
    }
}

/// Adds the reasons of `later` that `first` does not have yet.
fn merge_notified(first: &mut Notified, later: Notified) {
    for reason in later.reasons {
        if !first.reasons.contains(&reason) {
            first.reasons.push(reason);
        }
    }
}
