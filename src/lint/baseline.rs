//! Facts the security-baseline rules (PN2xx) share.

use crate::catalog::{Audience, Section, SettingId};
use crate::eval::Effective;
use crate::model::Role;

use super::context::Context;

pub const ELIGIBLE_ADMIN: SettingId = SettingId { section: Section::Eligible, audience: Audience::Admin };
pub const ACTIVE_ADMIN: SettingId = SettingId { section: Section::Active, audience: Audience::Admin };
pub const ACTIVATION_ADMIN: SettingId = SettingId { section: Section::Activation, audience: Audience::Admin };

/// The three per-role alerts to administrators that SCuBA MS.AAD.7.7–7.9 are about.
pub const ADMIN_ALERTS: [SettingId; 3] = [ELIGIBLE_ADMIN, ACTIVE_ADMIN, ACTIVATION_ADMIN];

/// The alert is sent at all (PN204 reports the settings that stop it).
pub fn is_sent(setting: &Effective) -> bool {
    !setting.disabled.value && !setting.critical_only.value
}

/// The alert reaches someone beyond the audience's defaults. A list whose recipients were
/// invalid counts as written: PN006 already reports it.
pub fn has_additional_recipients(ctx: &Context, role: &Role, setting: &Effective) -> bool {
    let own = role.settings.get(setting.id).and_then(|o| o.extra.as_ref());
    let shared = ctx.policy.defaults.get(setting.id).and_then(|o| o.extra.as_ref());
    let shared = shared.filter(|_| setting.inherit_dropped.is_none());
    setting.extra.iter().any(|(r, _)| ctx.reaches_someone(r))
        || own.into_iter().chain(shared).any(|l| ctx.had_invalid(l))
}

pub const MISSING_EXTRA_HELP: &str =
    "add `extra: [...]` with a monitored mailbox (a SOC or SIEM address) to this setting, \
     or once under `defaults:` for every role";
