//! PN109 `approvers-without-approval`: approvers on a role that needs no approval.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN109",
    name: "approvers-without-approval",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "A role lists `approvers:` but does not set `approval_required: true`.",
        why: "Activations of the role are never approved, so the approvers never see them; the \
              list suggests a control that is not there. (Extension and renewal requests go to the \
              role's administrators, not to these approvers.)",
        bad: "version: 2\nroles:\n  - name: Helpdesk Administrator\n    approvers: [helpdesk-lead@contoso.com]\n",
        fixed: "version: 2\nroles:\n  - name: Helpdesk Administrator\n    approval_required: true\n    approvers: [helpdesk-lead@contoso.com]\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for role in ctx.listed_roles().filter(|r| !r.requires_approval()) {
        let Some(list) = &role.approvers else { continue };
        let pos = role.approval_required.as_ref().map_or(list.pos, |a| a.pos);
        out.push(
            RULE.at(
                format!("role `{}` lists approvers but activating it needs no approval", role.name),
                Some(pos),
            )
            .with_help("set `approval_required: true`, or remove `approvers:`")
            .with_role(role.name.clone()),
        );
    }
}
