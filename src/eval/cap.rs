//! Entra's recipient cap: one event emails at most 1,000 recipients, counted over every
//! audience, default recipients included; the rest get nothing (DESIGN §1).

use std::collections::HashSet;

use crate::groups;
use crate::model::Policy;
use crate::recipient::Recipient;

use super::{Delivery, Kind, Notified, SuppressReason, Suppressed};

/// At most this many recipients get one event's email.
pub const RECIPIENT_CAP: usize = 1000;

/// How many distinct mailboxes and directory objects an answer's recipients stand for, as far
/// as the file knows: an address or object counts once, a group left unexpanded counts its
/// members, and placeholders count nothing until a directory snapshot names their people.
pub fn known_recipients(policy: &Policy, recipients: &[Notified]) -> usize {
    let plain = |n: &&Notified| matches!(n.kind, Kind::Email | Kind::Object);
    let groups: Vec<&str> = recipients
        .iter()
        .filter(|n| n.kind == Kind::Group)
        .map(|n| n.address.strip_prefix("group:").unwrap_or(&n.address))
        .collect();
    if groups.is_empty() {
        // Merged recipients are already distinct.
        return recipients.iter().filter(plain).count();
    }
    let mut keys: HashSet<String> =
        recipients.iter().filter(plain).map(|n| n.address.to_lowercase()).collect();
    for name in groups {
        let members = groups::expand(&policy.groups, name);
        let known = members.iter().filter(|m| !matches!(m.recipient.value, Recipient::Placeholder(_)));
        keys.extend(known.map(|m| m.recipient.value.key()));
    }
    keys.len()
}

/// `over-cap` for every delivery that reached someone, when the answer's known recipients
/// pass the cap: which of them get nothing is Entra's choice.
pub(super) fn over_cap(
    policy: &Policy,
    recipients: &[Notified],
    reached: &[(&Delivery, usize)],
) -> Vec<Suppressed> {
    if recipients.len() <= RECIPIENT_CAP && !recipients.iter().any(|n| n.kind == Kind::Group) {
        return Vec::new();
    }
    let known = known_recipients(policy, recipients);
    if known <= RECIPIENT_CAP {
        return Vec::new();
    }
    reached
        .iter()
        .map(|(d, found)| Suppressed {
            audience: d.audience,
            setting: d.setting.clone(),
            reason: SuppressReason::OverCap,
            at: d.extra.first().map(|r| r.pos).or(d.defaults.at),
            detail: format!(
                "the event has {} known recipients ({} through this audience); Entra emails at most {} per event and the others get nothing",
                thousands(known),
                thousands(*found),
                thousands(RECIPIENT_CAP)
            ),
            basis: d.basis,
        })
        .collect()
}

/// `1204` as `1,204`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        assert_eq!(super::thousands(7), "7");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
