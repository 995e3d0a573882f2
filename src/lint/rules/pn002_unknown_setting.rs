//! PN002 `unknown-setting`: A setting key that is not one of the nine `section.audience` settings, or an alert under `alerts:` that PIM does not have. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN002",
    name: "unknown-setting",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A setting key that is not one of the nine `section.audience` settings, or an alert under `alerts:` that PIM does not have.",
        why: "An unknown setting or alert changes nothing in Entra: the intended notification stays as it was.",
        bad: "version: 2\ndefaults:\n  activation.admins: { extra: [soc@contoso.com] }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: None,
};
