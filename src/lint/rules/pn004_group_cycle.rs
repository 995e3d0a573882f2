//! PN004 `group-cycle`: Groups that contain themselves, directly or through other groups. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN004",
    name: "group-cycle",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "Groups that contain themselves, directly or through other groups.",
        why: "A cycle has no members to resolve to; it is always a mistake in how groups were nested.",
        bad: "version: 2\ngroups:\n  a: [group:b]\n  b: [group:a, soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [group:a] }\n",
        fixed: "version: 2\ngroups:\n  a: [group:b]\n  b: [soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [group:a] }\n",
        baseline: None,
    },
    check: None,
};
