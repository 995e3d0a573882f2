//! PN001 `invalid-yaml`: The file is not YAML, or does not have the shape of a policy: an unknown key, a value of the wrong type, a duplicate key. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN001",
    name: "invalid-yaml",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "The file is not YAML, or does not have the shape of a policy: an unknown key, a value of the wrong type, a duplicate key.",
        why: "A file that cannot be read as a policy says nothing reliable about who is notified; a misspelt key would otherwise be silently ignored and its setting lost.",
        bad: "version: 2\ndefaults:\n  activation.admin: { extras: [soc@contoso.com] }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: None,
};
