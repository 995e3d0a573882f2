//! PN110 `unused-allow`: a role's lint allow that sets nothing aside.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{codes, find_rule, Rule, RuleDoc};
use crate::model::LintAllow;

pub const RULE: Rule = Rule {
    code: "PN110",
    name: "unused-allow",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "A `lint: { allow: { CODE: reason } }` entry that matches no finding on its role, names \
                  an unknown code, gives an empty reason (it then does not apply), or tries to allow PN110 itself. Allows of codes not selected in this \
                  run are not judged.",
        why: "Allows are exceptions to a security baseline, each with a reason. One that no longer \
              matches anything is stale documentation, and it would silently hide the finding if the \
              problem came back in a different form.",
        bad: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\nroles:\n  - name: Application Administrator\n    lint: { allow: { PN203: \"forwarded by the SIEM rule SOC-12\" } }\n",
        fixed: "version: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\nroles:\n  - name: Application Administrator\n",
        baseline: None,
    },
    // Judged after every other rule ran, by `lint::allows`.
    check: None,
};

/// The PN110 finding for an allow that matched nothing, if it deserves one.
pub fn check_allow(ctx: &Context, role: &str, allow: &LintAllow) -> Option<Diagnostic> {
    let code = allow.code.value.trim();
    let (message, help) = match find_rule(code) {
        None => (
            format!("`{code}` is not a lint code"),
            format!(
                "remove this allow{}; run `pim-notify explain --all` for the codes",
                crate::suggest::did_you_mean(&code.to_ascii_uppercase(), codes())
            ),
        ),
        Some(rule) if rule.code == RULE.code => {
            ("PN110 cannot be allowed".to_string(), "remove this allow; it can never match".to_string())
        }
        Some(rule) if allow.reason.value.trim().is_empty() => (
            format!("allow of {} gives no reason, so it does not apply", rule.code),
            "write why the finding is acceptable, e.g. `PN203: \"forwarded by SIEM rule SOC-12\"`"
                .to_string(),
        ),
        Some(rule) if !ctx.config.is_selected(rule.code) => return None,
        Some(rule) => (
            format!("allow of {} matches no finding on role `{role}`", rule.code),
            "remove it; the finding it excused is gone".to_string(),
        ),
    };
    Some(RULE.at(message, Some(allow.code.pos)).with_help(help).with_role(role))
}
