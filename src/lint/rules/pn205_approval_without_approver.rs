//! PN205 `approval-without-approver`: approval is required but no approver gets the request.

use crate::catalog::find_event;
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
                  (`activation.requested`) reaches nobody: `activation.approver` is disabled or has \
                  default recipients off, or the approver list resolves to no one.",
        why: "Activation requests then wait until they expire: nobody can use the role in an \
              emergency, and people route around PIM with permanent assignments.",
        bad: "version: 1\nroles:\n  - name: Exchange Administrator\n    approval_required: true\n    settings:\n      activation.approver: { disabled: true }\n",
        fixed: "version: 1\nroles:\n  - name: Exchange Administrator\n    approval_required: true\n    approvers: [messaging-lead@contoso.com]\n",
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
        // An event that does not occur (outside the scope) reaches nobody either.
        let suppressed = if occurs(ctx.policy, role, requested) {
            audiences.all_suppressed(role, requested)
        } else {
            Some(evaluate(ctx.policy, role, requested, &query).suppressed)
        };
        let Some(suppressed) = suppressed else { continue };
        let cause = suppressed.first();
        let pos = cause.and_then(|s| s.at).or(role.approval_required.as_ref().map(|a| a.pos));
        let detail = cause.map_or_else(String::new, |s| format!(": {}", s.detail));
        out.push(
            RULE.at(format!("role `{}` requires approval but no approver receives the request{detail}", role.name), pos)
                .with_help("name approvers with `approvers:` (or `directory.default_approvers`) and keep `activation.approver` enabled")
                .with_role(role.name.clone()),
        );
    }
}
