//! Evaluation of (role, event): who gets the email, why, and who does not and why (DESIGN §3).

use std::sync::Arc;

use crate::catalog::{Audience, Event, Requirement, SettingId};
use crate::groups;
use crate::model::{LocatedRecipient, Policy, RecipientList, Role, SettingOverride};
use crate::recipient::{key_of, Placeholder, Recipient};
use crate::span::{Located, Pos};

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
    pub setting: SettingId,
    pub source: Source,
    /// Groups it came through, outermost first. Shared: every member of a group has the same
    /// path, and answers list many members.
    pub via: Arc<[String]>,
    /// Where the policy put it there; `None` for Entra's built-in defaults.
    pub at: Option<Pos>,
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
}

impl SuppressReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressReason::Disabled => "disabled",
            SuppressReason::CriticalOnly => "critical-only",
            SuppressReason::NoDefaultRecipients => "no-default-recipients",
            SuppressReason::NoRecipients => "no-recipients",
            SuppressReason::DoesNotOccur => "does-not-occur",
        }
    }
}

/// An audience that gets nothing, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub audience: Audience,
    pub setting: SettingId,
    pub reason: SuppressReason,
    pub at: Option<Pos>,
    /// The reason in words, for people.
    pub detail: String,
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
    if let Some((detail, at)) = not_occurring(policy, role, event) {
        answer.suppressed = event
            .audiences
            .iter()
            .map(|&a| suppressed(event, a, SuppressReason::DoesNotOccur, at, detail.clone()))
            .collect();
        return answer;
    }
    let mut reached = Vec::new();
    for &audience in &event.audiences {
        match audience_answer(policy, role, event, audience, query) {
            Ok(found) => reached.push(found),
            Err(s) => answer.suppressed.push(s),
        }
    }
    answer.recipients = merge_recipients(reached.into_iter().flatten(), merge_notified);
    answer
}

/// Whether `event` happens at all for `role`; when it does not, every audience of the answer
/// is suppressed as `does-not-occur` and [`audience_answer`] does not apply.
pub fn occurs(policy: &Policy, role: &Role, event: &Event) -> bool {
    not_occurring(policy, role, event).is_none()
}

/// What one audience of an event that occurs gets: its recipients, each once with its reasons
/// (sorted as in an answer), or why it gets nothing. [`evaluate`] merges these over the
/// event's audiences.
pub fn audience_answer(
    policy: &Policy,
    role: &Role,
    event: &Event,
    audience: Audience,
    query: &Query,
) -> Result<Vec<Notified>, Suppressed> {
    let setting = effective(policy, role, event.setting_for(audience));
    let found = audience_recipients(policy, role, event, &setting, query)?;
    let entries = found.into_iter().map(|Found { address, kind, reason }| Notified {
        address,
        kind,
        reasons: vec![reason],
    });
    Ok(merge_recipients(entries, merge_notified))
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

/// Everything [`evaluate`] reads from a role and an event, with the role's own values held by
/// identity. Two (role, event) pairs of one policy and query with equal shapes get answers
/// that differ only in which role and event they name, so a caller that asks many questions
/// (`matrix`) can evaluate each shape once: most roles write nothing for most events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape<'p> {
    /// The event's id when it does not exist in the policy's scope (its answer names it).
    not_in_scope: Option<&'p str>,
    /// For an event that needs approval: whether the role requires it, and where it says not.
    approval: Option<(bool, Option<Pos>)>,
    /// Per audience, in the event's order (an event names each audience at most once).
    audiences: [Option<AudienceShape>; 4],
}

/// Everything [`audience_answer`] reads: the setting, whether the event is critical, and the
/// role's own override of the setting and own recipient list for the audience, by address
/// (0 when the role writes none). Equal shapes give equal audience answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AudienceShape {
    setting: SettingId,
    critical: bool,
    own_override: usize,
    own_list: usize,
}

impl AudienceShape {
    pub fn audience(&self) -> Audience {
        self.setting.audience
    }

    /// Whether the answer depends on nothing the role itself writes: such shapes recur across
    /// roles, the others only within one role.
    pub fn is_shared(&self) -> bool {
        self.own_override == 0 && self.own_list == 0
    }
}

impl Shape<'_> {
    /// See [`AudienceShape::is_shared`].
    pub fn is_shared(&self) -> bool {
        let own_approval = matches!(self.approval, Some((_, Some(_))));
        !own_approval && self.audiences().all(AudienceShape::is_shared)
    }

    /// The event's audiences, in order.
    pub fn audiences(&self) -> impl Iterator<Item = &AudienceShape> {
        self.audiences.iter().flatten()
    }
}

/// The [`Shape`] of the question (`role`, `event`) in `policy`.
pub fn shape<'p>(policy: &'p Policy, role: &'p Role, event: &'p Event) -> Shape<'p> {
    let approval = (event.requires == Some(Requirement::Approval)).then(|| {
        let required = role.requires_approval();
        (required, role.approval_required.as_ref().filter(|_| !required).map(|a| a.pos))
    });
    let mut audiences = [None; 4];
    for (slot, &audience) in audiences.iter_mut().zip(&event.audiences) {
        *slot = Some(audience_shape(role, event, audience));
    }
    Shape { not_in_scope: (!event.exists_in(policy.scope)).then_some(event.id.as_str()), approval, audiences }
}

fn audience_shape(role: &Role, event: &Event, audience: Audience) -> AudienceShape {
    let setting = event.setting_for(audience);
    let own_list = match audience {
        Audience::Approver => role.approvers.as_ref(),
        Audience::Reviewer => role.reviewers.as_ref(),
        Audience::Admin | Audience::Assignee => None,
    };
    AudienceShape {
        setting,
        critical: event.critical,
        own_override: address(role.settings.get(setting)),
        own_list: address(own_list),
    }
}

fn address<T>(value: Option<&T>) -> usize {
    value.map_or(0, |v| std::ptr::from_ref(v) as usize)
}

/// Why the event never happens for this role, if it does not.
fn not_occurring(policy: &Policy, role: &Role, event: &Event) -> Option<(String, Option<Pos>)> {
    if !event.exists_in(policy.scope) {
        let detail = format!("`{}` does not exist in scope {}", event.id, policy.scope);
        return Some((detail, policy.scope_pos));
    }
    if event.requires == Some(Requirement::Approval) && !role.requires_approval() {
        let at = role.approval_required.as_ref().map(|a| a.pos);
        return Some(("the role does not require approval to activate".into(), at));
    }
    None
}

fn suppressed(
    event: &Event,
    audience: Audience,
    reason: SuppressReason,
    at: Option<Pos>,
    detail: String,
) -> Suppressed {
    Suppressed { audience, setting: event.setting_for(audience), reason, at, detail }
}

/// A recipient found for one audience before merging with the other audiences.
struct Found {
    address: String,
    kind: Kind,
    reason: Reason,
}

fn audience_recipients(
    policy: &Policy,
    role: &Role,
    event: &Event,
    setting: &Effective,
    query: &Query,
) -> Result<Vec<Found>, Suppressed> {
    let audience = setting.id.audience;
    let suppress = |reason, at, detail: &str| suppressed(event, audience, reason, at, detail.to_string());
    if setting.disabled.value {
        return Err(suppress(SuppressReason::Disabled, setting.disabled.at, "the setting is disabled"));
    }
    if setting.critical_only.value && !event.critical {
        return Err(suppress(
            SuppressReason::CriticalOnly,
            setting.critical_only.at,
            "only critical emails are sent and this one is not critical",
        ));
    }
    if !setting.default_recipients.value && setting.extra.is_empty() {
        return Err(suppress(
            SuppressReason::NoDefaultRecipients,
            setting.default_recipients.at,
            "default recipients are off and there are no extra recipients",
        ));
    }
    let resolver = Resolver { policy, query, audience, setting: setting.id };
    let mut found = Vec::new();
    let mut empty_at = None;
    if setting.default_recipients.value {
        let defaults = default_recipients(policy, role, audience);
        empty_at = defaults.at;
        for r in defaults.items {
            resolver.resolve(r, Source::Default, &mut found);
        }
    }
    for (r, _) in &setting.extra {
        resolver.resolve(r, Source::Extra, &mut found);
    }
    if found.is_empty() {
        let at = setting.extra.first().map(|(r, _)| r.pos).or(empty_at);
        return Err(suppress(
            SuppressReason::NoRecipients,
            at,
            "nobody is left once lists and groups are resolved",
        ));
    }
    Ok(found)
}

/// The audience's default recipients, and where the list that names them is written.
/// Borrowed: evaluation asks for them once per audience of every answer.
pub struct Defaults<'p> {
    pub items: &'p [LocatedRecipient],
    pub at: Option<Pos>,
}

/// One placeholder standing alone, for audiences the policy names nobody for.
const fn alone(placeholder: Placeholder) -> LocatedRecipient {
    Located { value: Recipient::Placeholder(placeholder), pos: Pos { line: 0, column: 0, len: 0 } }
}

static ADMINS: [LocatedRecipient; 1] = [alone(Placeholder::Admins)];
static APPROVERS: [LocatedRecipient; 1] = [alone(Placeholder::Approvers)];
static ASSIGNEE: [LocatedRecipient; 1] = [alone(Placeholder::Assignee)];
static REVIEWERS: [LocatedRecipient; 1] = [alone(Placeholder::Reviewers)];

/// Who an audience is by default for a role (DESIGN §3.4).
pub fn default_recipients<'p>(policy: &'p Policy, role: &'p Role, audience: Audience) -> Defaults<'p> {
    let dir = &policy.directory;
    let (list, fallback): (_, &'static [LocatedRecipient]) = match audience {
        Audience::Admin => (dir.admins.as_ref(), &ADMINS),
        Audience::Assignee => (None, &ASSIGNEE),
        Audience::Approver => (
            role.approvers.as_ref().or(dir.default_approvers.as_ref()),
            if policy.scope.has_default_approvers() { &APPROVERS } else { &[] },
        ),
        Audience::Reviewer => (role.reviewers.as_ref().or(dir.reviewers.as_ref()), &REVIEWERS),
    };
    match list {
        Some(RecipientList { pos, items }) => Defaults { items, at: Some(*pos) },
        None => Defaults { items: fallback, at: None },
    }
}

struct Resolver<'q> {
    policy: &'q Policy,
    query: &'q Query,
    audience: Audience,
    setting: SettingId,
}

impl Resolver<'_> {
    fn resolve(&self, r: &LocatedRecipient, source: Source, out: &mut Vec<Found>) {
        let at = (r.pos != Pos::default()).then_some(r.pos);
        match &r.value {
            Recipient::Group(name) if !self.query.no_expand => {
                for member in groups::expand(&self.policy.groups, name) {
                    let m = member.recipient;
                    out.push(self.found(&m.value, Source::Group, member.via, Some(m.pos)));
                }
            }
            other => out.push(self.found(other, source, groups::no_groups(), at)),
        }
    }

    fn found(&self, recipient: &Recipient, source: Source, via: Arc<[String]>, at: Option<Pos>) -> Found {
        let (address, kind) = match (recipient, &self.query.assignee) {
            (Recipient::Placeholder(Placeholder::Assignee), Some(who)) => {
                let named = Recipient::parse(who).unwrap_or_else(|_| Recipient::Email(who.clone()));
                (named.to_string(), kind_of(&named))
            }
            (Recipient::Email(address), _) => (address.clone(), Kind::Email),
            (other, _) => (other.to_string(), kind_of(other)),
        };
        let reason = Reason { audience: self.audience, setting: self.setting, source, via, at };
        Found { address, kind, reason }
    }
}

fn kind_of(recipient: &Recipient) -> Kind {
    match recipient {
        Recipient::Email(_) => Kind::Email,
        Recipient::Object(_) => Kind::Object,
        Recipient::Group(_) => Kind::Group,
        Recipient::Placeholder(_) => Kind::Placeholder,
    }
}
