//! PN002 `unknown-setting`: A setting key that is not one of the fourteen `section.audience` settings. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN002",
    name: "unknown-setting",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A setting key that is not one of the fourteen `section.audience` settings.",
        why: "An unknown setting changes nothing in Entra: the intended notification stays as it was.",
        bad: "version: 1\ndefaults:\n  activation.admins: { extra: [soc@contoso.com] }\n",
        fixed: "version: 1\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: None,
};
