//! PN006 `invalid-recipient`: A recipient that is not an email address, `group:NAME`, `object:GUID` or a placeholder, or a review's `self` or `manager` listed with other reviewers. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN006",
    name: "invalid-recipient",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A recipient that is not an email address, `group:NAME`, `object:GUID` or a placeholder, or a review's `self` or `manager` listed with other reviewers.",
        why: "Entra rejects or ignores a malformed address, so the person never receives the email.",
        bad: "version: 2\ndefaults:\n  activation.admin: { extra: [soc.contoso.com] }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: None,
};
