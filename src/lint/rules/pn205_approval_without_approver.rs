//! PN205 `approval-without-approver`: approval is required but no approver gets the request.

use crate::catalog::{find_event, Audience};
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{evaluate, occurs, Query};
use crate::lint::context::{AudienceAnswers, Context};
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN205",
    name: "approval-without-approver",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A role requires approval to activate, but the approval request \
                  (`activation.requested`) reaches no approver: `activation.approver` is disabled or has \
                  default recipients off, the approver list resolves to no one, or (Azure resources and \
                  PIM for Groups, which have no default approvers) the role names no approver.",
        why: "Activation requests then wait until they expire: nobody can use the role in an \
              emergency, and people route around PIM with permanent assignments. Outside Entra roles \
              there is nobody to fall back on: Microsoft says \"there are no default approvers\".",
        bad: "version: 2\nscope: groups\nroles:\n  - name: Tier0 Admins member\n    approval_required: true\n",
        fixed: "version: 2\nscope: groups\nroles:\n  - name: Tier0 Admins member\n    approval_required: true\n    approvers: [identity-lead@contoso.com]\n",
        baseline: Some("CISA SCuBA MS.AAD.7.6v1: activation of the Global Administrator role SHALL require approval (an approval nobody receives is no control)."),
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(requested) = find_event("activation.requested") else { return };
    let query = Query::default();
    let mut audiences = AudienceAnswers::new(ctx.policy, query.clone());
    for role in ctx.policy.roles.iter().filter(|r| r.requires_approval()) {
        let lists = [&role.approvers, &ctx.policy.directory.default_approvers];
        if lists.into_iter().flatten().any(|l| ctx.had_invalid(l)) {
            continue;
        }
        // Only approvers can act on the request (administrators of groups and Azure resources
        // are told of it, and cannot approve it). An event that does not occur (outside the
        // scope) reaches nobody either.
        let suppressed = if occurs(ctx.policy, role, requested) {
            audiences.suppressed_for(role, requested, Audience::Approver)
        } else {
            Some(evaluate(ctx.policy, role, requested, &query).suppressed)
        };
        let Some(suppressed) = suppressed else { continue };
        let cause = suppressed.first();
        let pos = cause.and_then(|s| s.at).or(role.approval_required.as_ref().map(|a| a.pos));
        let detail = cause.map_or_else(String::new, |s| format!(": {}", s.detail));
        out.push(
            RULE.at(
                format!(
                    "role `{}` requires approval but no approver receives the request{detail}",
                    role.name
                ),
                pos,
            )
            .with_help(help(ctx))
            .with_role(role.name.clone()),
        );
    }
}

fn help(ctx: &Context) -> String {
    let scope = ctx.policy.scope;
    if scope.has_default_approvers() {
        "name approvers with `approvers:` (or `directory.default_approvers`) and keep `activation.approver` enabled".into()
    } else {
        format!("scope {scope} has no default approvers: name the role's approvers with `approvers:` and keep `activation.approver` enabled")
    }
}
