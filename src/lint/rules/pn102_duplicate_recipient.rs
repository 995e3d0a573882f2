//! PN102 `duplicate-recipient`: the same recipient twice in one list.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};

pub const RULE: Rule = Rule {
    code: "PN102",
    name: "duplicate-recipient",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "A recipient written twice in the same list (addresses compare case-insensitively).",
        why: "The second entry adds nobody; it is usually a copy-paste slip or a different address \
              that was meant.",
        bad: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com, SOC@contoso.com] }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (role, items) in ctx.recipient_lists() {
        let mut first = HashMap::new();
        for r in items {
            let Some(earlier) = first.get(&r.value.key()).copied() else {
                first.insert(r.value.key(), r.pos);
                continue;
            };
            let d = RULE
                .at(format!("`{}` is listed twice", r.value), Some(r.pos))
                .with_help(format!("remove it; it is already at {}", line_of(earlier)));
            out.push(match role {
                Some(role) => d.with_role(role.name.clone()),
                None => d,
            });
        }
    }
}

fn line_of(pos: crate::span::Pos) -> String {
    format!("{}:{}", pos.line, pos.column)
}
