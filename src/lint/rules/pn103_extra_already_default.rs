//! PN103 `extra-already-default`: an extra recipient the audience's defaults already reach.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::setting_defaults;
use crate::groups;
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::{Role, SettingOverride};
use crate::recipient::Recipient;

pub const RULE: Rule = Rule {
    code: "PN103",
    name: "extra-already-default",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An `extra` recipient who already gets the email as a default recipient of the \
                  audience (directly or as a member of a default group), while default recipients are on.",
        why: "The entry adds nobody, and it stops protecting anyone the day default recipients are \
              turned off: then the list silently shrinks to what is written in `extra`.",
        bad: "version: 2\ndirectory:\n  admins: [ga@contoso.com, soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        fixed: "version: 2\ndirectory:\n  admins: [ga@contoso.com]\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let nobody = Role::default();
    for (role, o) in ctx.overrides() {
        let Some(extra) = &o.extra else { continue };
        if !defaults_on(ctx, role, o) {
            continue;
        }
        let known = default_keys(ctx, role.unwrap_or(&nobody), o);
        for r in extra.items.iter().filter(|r| known.contains(&r.value.key())) {
            let d = RULE
                .at(format!("`{}` already gets `{}` emails as a default recipient", r.value, o.id), Some(r.pos))
                .with_help("remove it from `extra`, or set `default_recipients: false` if only `extra` should get them");
            out.push(match role {
                Some(role) => d.with_role(role.name.clone()),
                None => d,
            });
        }
    }
}

fn defaults_on(ctx: &Context, role: Option<&Role>, o: &SettingOverride) -> bool {
    match role {
        Some(role) => ctx.effective(role, o.id).default_recipients.value,
        None => o.default_recipients.as_ref().is_none_or(|d| d.value),
    }
}

/// Keys of the audience's default recipients, with the members of default groups.
fn default_keys(ctx: &Context, role: &Role, o: &SettingOverride) -> HashSet<String> {
    let mut keys = HashSet::new();
    for r in setting_defaults(ctx.policy, role, o.id).items {
        if let Recipient::Group(name) = &r.value {
            keys.extend(groups::expand(&ctx.policy.groups, name).iter().map(|m| m.recipient.value.key()));
        }
        keys.insert(r.value.key());
    }
    keys
}
