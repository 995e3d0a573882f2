//! PN104 `contradictory-setting`: fields that cannot all take effect.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::SettingOverride;
use crate::span::Pos;

pub const RULE: Rule = Rule {
    code: "PN104",
    name: "contradictory-setting",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "`disabled: true` together with other fields of the same setting (they are ignored), \
                  or `critical_only: true` on a setting whose emails are all critical (it filters nothing).",
        why: "The file says two things at once. A reader cannot tell which was meant, and the one \
              that loses is silently ignored.",
        bad: "version: 2\nroles:\n  - name: Global Reader\n    settings:\n      eligible.admin: { disabled: true, extra: [soc@contoso.com] }\n",
        fixed: "version: 2\nroles:\n  - name: Global Reader\n    settings:\n      eligible.admin: { disabled: true }\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (role, o) in ctx.overrides() {
        for (message, pos, help) in contradictions(o) {
            let d = RULE.at(message, Some(pos)).with_help(help);
            out.push(match role {
                Some(role) => d.with_role(role.name.clone()),
                None => d,
            });
        }
    }
}

fn contradictions(o: &SettingOverride) -> Vec<(String, Pos, &'static str)> {
    let mut found = Vec::new();
    if let Some(disabled) = o.disabled.as_ref().filter(|d| d.value) {
        let others = [
            ("default_recipients", o.default_recipients.is_some()),
            ("extra", o.extra.is_some()),
            ("critical_only", o.critical_only.is_some()),
        ];
        let ignored: Vec<&str> = others.iter().filter(|(_, set)| *set).map(|(n, _)| *n).collect();
        if !ignored.is_empty() {
            found.push((
                format!("`{}` is disabled, so its {} is ignored", o.id, ignored.join(", ")),
                disabled.pos,
                "remove `disabled: true` to send these emails, or remove the other fields",
            ));
        }
    }
    if let Some(c) = o.critical_only.as_ref().filter(|c| c.value && o.id.all_events_critical()) {
        found.push((
            format!("every `{}` email is critical, so `critical_only: true` filters nothing", o.id),
            c.pos,
            "remove `critical_only`",
        ));
    }
    found
}
