//! PN005 `duplicate-role`: Two `roles:` entries with the same name or the same id, or two `reviews:` with the same name. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN005",
    name: "duplicate-role",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "Two `roles:` entries with the same name or the same id, or two `reviews:` with the same name.",
        why: "Only one of the two entries can apply; the other is silently dropped, with whatever it promised. Answers name a review by its name, so two reviews cannot share one.",
        bad: "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n  - name: global administrator\n    settings:\n      activation.admin: { extra: [ciso@contoso.com] }\n",
        fixed: "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n    settings:\n      activation.admin: { extra: [ciso@contoso.com] }\n",
        baseline: None,
    },
    check: None,
};
