//! PN007 `setting-not-allowed`: A setting or key this version does not allow where it is written. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN007",
    name: "setting-not-allowed",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A setting or key this version does not allow where it is written: a setting removed in \
                  version 2 (`alert.admin`, `digest.admin`, `review.reviewer`, `review.admin`, \
                  `review.assignee`: the message names what replaced it), a role's or the directory's \
                  `reviewers`, `directory.default_approvers` in a scope without default approvers, an \
                  alert of another scope, or `fallback` without `reviewers: [manager]`.",
        why: "Microsoft has no such setting there: security alerts have no recipient list (one alert \
              emails, each is switched on or off), the weekly digest has no setting, and access-review \
              emails belong to each review. A value written there would never be applied.",
        bad: "version: 1\ndefaults:\n  alert.admin: { extra: [soc@contoso.com] }\n  review.reviewer: { extra: [audit@contoso.com] }\n",
        fixed: "version: 2\nalerts:\n  assigned-outside-pim: { enabled: true }\nreviews:\n  - name: Quarterly privileged roles\n    roles: [\"*Administrator\"]\n    reviewers: [audit@contoso.com]\n",
        baseline: None,
    },
    check: None,
};
