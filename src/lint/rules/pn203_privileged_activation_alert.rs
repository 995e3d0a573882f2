//! PN203 `privileged-activation-alert`: Activations of a highly privileged role other than Global Administrator send the role activation alert (`activation.admin`) to no additional recipient.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::baseline::{has_additional_recipients, is_sent, ACTIVATION_ADMIN, MISSING_EXTRA_HELP};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::Role;

pub const RULE: Rule = Rule {
    code: "PN203",
    name: "privileged-activation-alert",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "Activations of a highly privileged role other than Global Administrator send the role activation alert (`activation.admin`) to no additional recipient.",
        why: "Privileged Role, User, Exchange, SharePoint and the other highly privileged administrators can grant themselves or others more power. Their activations should reach a monitored mailbox too.",
        bad: "version: 1\nroles:\n  - name: Global Administrator\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n",
        fixed: "version: 1\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: Some("CISA SCuBA MS.AAD.7.9v1: user activation of other highly privileged roles SHOULD trigger an alert."),
    },
    check: Some(check),
};

fn applies(role: &Role) -> bool {
    !is_global_admin(role)
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for role in ctx.privileged.iter().filter(|r| applies(r)) {
        let setting = ctx.effective(role, ACTIVATION_ADMIN);
        if !is_sent(&setting) || has_additional_recipients(ctx, role, &setting) {
            continue;
        }
        out.push(
            RULE.at(
                format!("activations of `{}` alert no additional recipient", role.name),
                ctx.setting_pos(role, ACTIVATION_ADMIN),
            )
            .with_help(MISSING_EXTRA_HELP)
            .with_role(role.name.clone()),
        );
    }
}

fn is_global_admin(role: &Role) -> bool {
    role.id.as_deref() == Some(GLOBAL_ADMINISTRATOR_ID)
        || role.name.eq_ignore_ascii_case("Global Administrator")
}

/// The Global Administrator role template id.
const GLOBAL_ADMINISTRATOR_ID: &str = "62e90394-69f5-4237-9190-012177145e10";
