//! PN206 `security-alerts-disabled`: PIM's security alert emails are turned off.

use crate::catalog::{Audience, Section, SettingId};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};

const ALERT_ADMIN: SettingId = SettingId { section: Section::Alert, audience: Audience::Admin };

pub const RULE: Rule = Rule {
    code: "PN206",
    name: "security-alerts-disabled",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "`alert.admin` is disabled under `defaults:`, so no PIM security alert (roles assigned \
                  outside PIM, too many Global Administrators, activations without MFA...) is emailed.",
        why: "These alerts are PIM's own detections of privilege abuse. With the emails off they only \
              show in the portal, where nobody looks during an incident.",
        bad: "version: 1\ndefaults:\n  alert.admin: { disabled: true }\n",
        fixed: "version: 1\ndefaults:\n  alert.admin: { extra: [soc@contoso.com] }\n",
        baseline: Some("CISA SCuBA MS.AAD.7 (privileged access alerting), with the Microsoft PIM deployment guidance to keep alert emails on."),
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let exists =
        crate::catalog::events().iter().any(|e| e.section == Section::Alert && e.exists_in(ctx.policy.scope));
    let Some(disabled) = ctx.policy.defaults.get(ALERT_ADMIN).and_then(|o| o.disabled.as_ref()) else {
        return;
    };
    if exists && disabled.value {
        out.push(
            RULE.at(
                "`alert.admin` is disabled: PIM security alerts are emailed to nobody",
                Some(disabled.pos),
            )
            .with_help("remove `disabled: true`; send the alerts to a monitored mailbox with `extra`"),
        );
    }
}
