//! What an answer depends on, as a value: callers that ask many questions (`matrix`, `lint`)
//! evaluate each distinct shape once.

use crate::catalog::{Audience, Basis, Event, Requirement, Section};
use crate::model::{Policy, Role};
use crate::recipient::Placeholder;
use crate::span::Pos;

/// Everything [`super::evaluate`] reads from a role and an event, with the role's own values
/// held by identity. Two (role, event) pairs of one policy and query with equal shapes get
/// answers that differ only in which role and event they name, so a caller that asks many
/// questions (`matrix`) can evaluate each shape once: most roles write nothing for most events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape<'p> {
    /// The event's id when it does not exist in the policy's scope (its answer names it).
    not_in_scope: Option<&'p str>,
    /// For an event that needs approval: whether the role requires it, and where it says not.
    approval: Option<(bool, Option<Pos>)>,
    /// Per audience, in the event's order (an event names each audience at most once).
    audiences: [Option<AudienceShape>; 4],
}

/// Everything [`super::audience_answer`] reads: what governs the audience, whether the event
/// is critical, the audience's basis and default recipients, and the role's own override of
/// the setting and own recipient list for the audience, by address (0 when the role writes
/// none). Answers governed by reviews depend on which reviews cover the role, so their shape
/// holds the role itself. Equal shapes give equal audience answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AudienceShape {
    audience: Audience,
    governed: Governed,
    critical: bool,
    basis: Basis,
    default: Placeholder,
    own_override: usize,
    own_list: usize,
    own_reviews: usize,
}

/// A setting governs every event of its section alike; anything else is the event's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Governed {
    Setting(Section),
    Event(usize),
}

impl AudienceShape {
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// Whether the answer depends on nothing the role itself writes or is: such shapes recur
    /// across roles, the others only within one role.
    pub fn is_shared(&self) -> bool {
        self.own_override == 0 && self.own_list == 0 && self.own_reviews == 0
    }
}

impl Shape<'_> {
    /// See [`AudienceShape::is_shared`].
    pub fn is_shared(&self) -> bool {
        let own_approval = matches!(self.approval, Some((_, Some(_))));
        !own_approval && self.audiences().all(AudienceShape::is_shared)
    }

    /// The event's audiences in the policy's scope, in order.
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
    for (slot, entry) in audiences.iter_mut().zip(event.audiences_in(policy.scope)) {
        *slot = Some(audience_shape(
            policy,
            role,
            event,
            entry.audience,
            entry.basis_in(policy.scope),
            entry.default,
        ));
    }
    Shape { not_in_scope: (!event.exists_in(policy.scope)).then_some(event.id.as_str()), approval, audiences }
}

fn audience_shape(
    policy: &Policy,
    role: &Role,
    event: &Event,
    audience: Audience,
    basis: Basis,
    default: Placeholder,
) -> AudienceShape {
    let setting = event.setting_for(audience);
    let governed = match setting {
        Some(_) => Governed::Setting(event.section),
        None => Governed::Event(std::ptr::from_ref(event) as usize),
    };
    let own_list = match default {
        Placeholder::Approvers => address(role.approvers.as_ref()),
        _ => 0,
    };
    let own_reviews = match event.section {
        Section::Review if !policy.reviews.is_empty() => std::ptr::from_ref(role) as usize,
        _ => 0,
    };
    AudienceShape {
        audience,
        governed,
        critical: event.critical,
        basis,
        default,
        own_override: address(setting.and_then(|id| role.settings.get(id))),
        own_list,
        own_reviews,
    }
}

fn address<T>(value: Option<&T>) -> usize {
    value.map_or(0, |v| std::ptr::from_ref(v) as usize)
}
