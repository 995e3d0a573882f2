//! PN203 `privileged-activation-alert`: Activations of a highly privileged role other than Global Administrator send the role activation alert (`activation.admin`) to no additional recipient.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::baseline::{check_activation_alerts, is_global_admin};
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
        bad: "version: 2\nroles:\n  - name: Global Administrator\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: Some("CISA SCuBA MS.AAD.7.9v1: user activation of other highly privileged roles SHOULD trigger an alert."),
    },
    check: Some(check),
};

fn applies(role: &Role) -> bool {
    !is_global_admin(role)
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    check_activation_alerts(ctx, out, &RULE, applies);
}
