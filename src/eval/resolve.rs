//! The second step of evaluation: a delivery's recipients as addresses, each with its reason.
//! The file's groups expand to their members here (unless `--no-expand`); a directory snapshot
//! will name the placeholders' people here too.

use std::sync::Arc;

use crate::catalog::{Audience, Basis};
use crate::groups;
use crate::model::{LocatedRecipient, Policy};
use crate::recipient::{Placeholder, Recipient};
use crate::span::Pos;

use super::{Delivery, Governor, Kind, Notified, Query, Reason, Source, SuppressReason, Suppressed};

/// The recipients of one delivery, one entry per recipient found (not yet merged), or why
/// the delivery reaches nobody.
pub(super) fn delivery(policy: &Policy, d: &Delivery, query: &Query) -> Result<Vec<Notified>, Suppressed> {
    let suppress = |reason, at, detail: String| Suppressed {
        audience: d.audience,
        setting: d.setting.clone(),
        reason,
        at,
        detail,
        basis: d.basis,
    };
    if let Some(block) = &d.blocked {
        return Err(suppress(block.reason, block.at, block.detail.clone()));
    }
    let resolver = Resolver { policy, query, audience: d.audience, setting: &d.setting, basis: d.basis };
    let mut found = Vec::new();
    if d.defaults_on {
        for r in d.defaults.items.iter().chain(d.fallback) {
            resolver.resolve(r, Source::Default, d.defaults.at, &mut found);
        }
    }
    for r in &d.extra {
        resolver.resolve(r, Source::Extra, None, &mut found);
    }
    if found.is_empty() {
        let at = d.extra.first().map(|r| r.pos).or(d.defaults.at);
        return Err(suppress(SuppressReason::NoRecipients, at, nobody_detail(policy, d)));
    }
    Ok(found)
}

fn nobody_detail(policy: &Policy, d: &Delivery) -> String {
    let unnamed = d.defaults.at.is_none() && d.defaults.items.is_empty() && d.extra.is_empty();
    if d.default == Placeholder::Approvers && unnamed {
        return format!("scope {} has no default approvers and the role names none", policy.scope);
    }
    "nobody is left once lists and groups are resolved".to_string()
}

struct Resolver<'q> {
    policy: &'q Policy,
    query: &'q Query,
    audience: Audience,
    setting: &'q Governor,
    basis: Basis,
}

impl Resolver<'_> {
    /// Adds `r`, or the members of the group it names. `list_at` is where the list that
    /// names a placeholder is written (`reviewers: [self]`), for placeholders the file wrote
    /// in words rather than as a recipient.
    fn resolve(&self, r: &LocatedRecipient, source: Source, list_at: Option<Pos>, out: &mut Vec<Notified>) {
        let at = (r.pos != Pos::default()).then_some(r.pos).or(list_at);
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

    fn found(&self, recipient: &Recipient, source: Source, via: Arc<[String]>, at: Option<Pos>) -> Notified {
        let (address, kind) = match (recipient, &self.query.assignee) {
            (Recipient::Placeholder(Placeholder::Assignee), Some(who)) => {
                let named = Recipient::parse(who).unwrap_or_else(|_| Recipient::Email(who.clone()));
                (named.to_string(), kind_of(&named))
            }
            (Recipient::Email(address), _) => (address.clone(), Kind::Email),
            (other, _) => (other.to_string(), kind_of(other)),
        };
        let reason = Reason {
            audience: self.audience,
            setting: self.setting.clone(),
            source,
            via,
            at,
            basis: self.basis,
        };
        Notified { address, kind, reasons: vec![reason] }
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
