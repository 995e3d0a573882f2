//! PN204 `admin-alert-off`: an alert to administrators is disabled or critical-only.

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::Effective;
use crate::lint::baseline::ADMIN_ALERTS;
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::span::Pos;

pub const RULE: Rule = Rule {
    code: "PN204",
    name: "admin-alert-off",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "On a highly privileged role, an alert to administrators (`eligible.admin`, `active.admin`, \
                  `activation.admin`) is disabled or limited to critical emails, which drops every \
                  assignment and activation alert.",
        why: "These alerts are how a tenant notices a privileged assignment or activation it did not \
              expect. Turning them off removes the detection the security baseline requires.",
        bad: "version: 2\nroles:\n  - name: Cloud Application Administrator\n    settings:\n      active.admin: { critical_only: true }\n",
        fixed: "version: 2\nroles:\n  - name: Cloud Application Administrator\n",
        baseline: Some(
            "CISA SCuBA MS.AAD.7.7v1, 7.8v1 and 7.9v1: privileged assignments and activations SHALL (SHOULD) trigger an alert.",
        ),
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for role in &ctx.privileged {
        for id in ADMIN_ALERTS {
            let setting = ctx.effective(role, id);
            let Some((how, pos)) = why_off(&setting) else { continue };
            out.push(
                RULE.at(format!("`{id}` of highly privileged role `{}` is {how}", role.name), pos.or(ctx.setting_pos(role, id)))
                    .with_help("remove the field that turns it off; reduce noise with filters in the receiving mailbox instead")
                    .with_role(role.name.clone()),
            );
        }
    }
}

fn why_off(setting: &Effective) -> Option<(&'static str, Option<Pos>)> {
    if setting.disabled.value {
        return Some(("disabled", setting.disabled.at));
    }
    if setting.critical_only.value {
        return Some(("limited to critical emails, so its alerts are never sent", setting.critical_only.at));
    }
    None
}
