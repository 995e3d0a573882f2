//! PN008 `extra-on-activation-approver`: `extra` recipients on `activation.approver`. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN008",
    name: "extra-on-activation-approver",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "`extra` recipients on `activation.approver`.",
        why: "Entra accepts no additional recipients for activation approval requests; approvers come from the role's `approvers:` list.",
        bad: "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n    settings:\n      activation.approver: { extra: [ciso@contoso.com] }\n",
        fixed: "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n    approvers: [ciso@contoso.com]\n",
        baseline: None,
    },
    check: None,
};
