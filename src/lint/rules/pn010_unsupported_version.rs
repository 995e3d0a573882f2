//! PN010 `unsupported-version`: A `version:` this pim-notify cannot read (it reads 2, and 1). Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN010",
    name: "unsupported-version",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A `version:` this pim-notify cannot read (it reads 2, and 1).",
        why: "A newer file format may mean things this version would misread.",
        bad: "version: 3\n",
        fixed: "version: 2\n",
        baseline: None,
    },
    check: None,
};
