//! PN202 `global-admin-activation-alert`: Activations of Global Administrator send the role activation alert (`activation.admin`) to no additional recipient.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::baseline::{check_activation_alerts, is_global_admin};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::Role;

pub const RULE: Rule = Rule {
    code: "PN202",
    name: "global-admin-activation-alert",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "Activations of Global Administrator send the role activation alert (`activation.admin`) to no additional recipient.",
        why: "An activated Global Administrator can change anything in the tenant. Someone outside the circle of privileged administrators must learn of every activation as it happens.",
        bad: "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n",
        fixed: "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: Some("CISA SCuBA MS.AAD.7.8v1: user activation of the Global Administrator role SHALL trigger an alert."),
    },
    check: Some(check),
};

fn applies(role: &Role) -> bool {
    is_global_admin(role)
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    check_activation_alerts(ctx, out, &RULE, applies);
}
