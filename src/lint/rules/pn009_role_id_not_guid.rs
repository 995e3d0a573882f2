//! PN009 `role-id-not-guid`: A role `id` that is not a GUID. Checked by the loader (`load.rs`) while it reads the file.

use crate::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN009",
    name: "role-id-not-guid",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "A role `id` that is not a GUID.",
        why: "Role ids are role template or definition GUIDs; anything else cannot match a role in Entra.",
        bad: "version: 2\nroles:\n  - name: Contoso Payroll Operator\n    id: payroll-operator\n",
        fixed: "version: 2\nroles:\n  - name: Contoso Payroll Operator\n    id: 0f9c6a1e-4b2d-4c8e-9f7a-1a2b3c4d5e6f\n",
        baseline: None,
    },
    check: None,
};
