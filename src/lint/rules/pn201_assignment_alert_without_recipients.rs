//! PN201 `assignment-alert-without-recipients`: privileged assignments alert nobody extra.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::baseline::{
    has_additional_recipients, is_sent, ACTIVE_ADMIN, ELIGIBLE_ADMIN, MISSING_EXTRA_HELP,
};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN201",
    name: "assignment-alert-without-recipients",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "On a highly privileged role, the eligible or active assignment alert (`eligible.admin`, \
                  `active.admin`) has no additional recipients once defaults and role overrides are merged. \
                  Roles the file does not list are checked too.",
        why: "A new Global Administrator is the first step of most tenant takeovers. By default the \
              alert goes only to the privileged administrators themselves; an attacker who is one of \
              them, or who just made one, sees it first. A monitored mailbox outside that circle must get it.",
        bad: "version: 2\ndefaults:\n  eligible.admin: { extra: [soc@contoso.com] }\n",
        fixed: "version: 2\ndefaults:\n  eligible.admin: { extra: [soc@contoso.com] }\n  active.admin: { extra: [soc@contoso.com] }\n",
        baseline: Some(
            "CISA SCuBA MS.AAD.7.7v1: eligible and active highly privileged role assignments SHALL trigger an alert.",
        ),
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for role in &ctx.privileged {
        for id in [ELIGIBLE_ADMIN, ACTIVE_ADMIN] {
            let setting = ctx.effective(role, id);
            if !is_sent(&setting) || has_additional_recipients(ctx, role, &setting) {
                continue;
            }
            out.push(
                RULE.at(
                    format!(
                        "`{id}` of highly privileged role `{}` alerts no additional recipient",
                        role.name
                    ),
                    ctx.setting_pos(role, id),
                )
                .with_help(MISSING_EXTRA_HELP)
                .with_role(role.name.clone()),
            );
        }
    }
}
