//! PN003 `unknown-group`: A `group:NAME` recipient whose group is not defined under `groups:`. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN003",
    name: "unknown-group",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A `group:NAME` recipient whose group is not defined under `groups:`.",
        why: "Nobody behind an undefined group is notified, so an alert you believe is watched goes nowhere.",
        bad: "version: 2\ngroups:\n  secops: [soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [group:secop] }\n",
        fixed: "version: 2\ngroups:\n  secops: [soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [group:secops] }\n",
        baseline: None,
    },
    check: None,
};
