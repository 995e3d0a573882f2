//! PN007 `tenant-wide-per-role`: A tenant-wide setting (`alert.admin`, `digest.admin`, `review.*`) written under a role. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN007",
    name: "tenant-wide-per-role",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A tenant-wide setting (`alert.admin`, `digest.admin`, `review.*`) written under a role.",
        why: "Entra has one such setting for the whole tenant; a per-role value would never be applied.",
        bad: "version: 1\nroles:\n  - name: Global Administrator\n    settings:\n      alert.admin: { extra: [soc@contoso.com] }\n",
        fixed: "version: 1\ndefaults:\n  alert.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: None,
};
