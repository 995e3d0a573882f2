//! PN107 `too-many-recipients`: more additional recipients than Entra mails.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::Effective;
use crate::groups;
use crate::lint::context::{per_role_settings, Context};
use crate::lint::registry::{Rule, RuleDoc};
use crate::recipient::Recipient;

/// Entra sends a notification to at most this many additional recipients.
pub const LIMIT: usize = 1000;

pub const RULE: Rule = Rule {
    code: "PN107",
    name: "too-many-recipients",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "A setting whose additional recipients, once groups are expanded and layers merged, \
                  number more than 1000.",
        why: "Entra mails only the first 1000 additional recipients; the rest, in an order you do not \
              control, get nothing. Use a mail-enabled group or distribution list instead.",
        bad: "version: 1\ngroups:\n  everyone: [u0001@contoso.com, u0002@contoso.com]  # … and 999 more\ndefaults:\n  activation.admin: { extra: [group:everyone] }\n",
        fixed: "version: 1\ndefaults:\n  activation.admin: { extra: [all-admins-dl@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mut reported = HashSet::new();
    let mut group_sizes = HashMap::new();
    for role in ctx.alike_roles().into_iter().map(|group| group[0]) {
        for id in per_role_settings() {
            let setting = ctx.effective(role, id);
            // Counting distinct recipients is costly and almost never near the limit: an upper
            // bound (members counted as often as they are named) settles nearly every setting.
            if most_extra(ctx, &setting, &mut group_sizes) <= LIMIT {
                continue;
            }
            let count = distinct_extra(ctx, &setting);
            let pos = extra_list_pos(ctx, role, id);
            if count > LIMIT && reported.insert((id, pos)) {
                out.push(
                    RULE.at(
                        format!(
                            "`{id}` has {count} additional recipients; Entra mails only the first {LIMIT}"
                        ),
                        pos,
                    )
                    .with_help("send to a mail-enabled group or distribution list instead of its members"),
                );
            }
        }
    }
}

/// An upper bound on the distinct additional recipients: each name counts one, each group
/// its expanded members (counted once per group and kept in `sizes`).
fn most_extra<'p>(ctx: &Context<'p>, setting: &Effective<'p>, sizes: &mut HashMap<&'p str, usize>) -> usize {
    let mut most = 0;
    for (r, _) in &setting.extra {
        most += match &r.value {
            Recipient::Group(name) => {
                *sizes.entry(name.as_str()).or_insert_with(|| groups::expand(&ctx.policy.groups, name).len())
            }
            _ => 1,
        };
    }
    most
}

fn distinct_extra(ctx: &Context, setting: &Effective) -> usize {
    let mut keys = BTreeSet::new();
    for (r, _) in &setting.extra {
        match &r.value {
            Recipient::Group(name) => {
                keys.extend(groups::expand(&ctx.policy.groups, name).iter().map(|m| m.recipient.value.key()))
            }
            other => {
                keys.insert(other.key());
            }
        }
    }
    keys.len()
}

/// The `extra` list that brought the count over: the role's own, else the one in `defaults:`.
fn extra_list_pos(
    ctx: &Context,
    role: &crate::model::Role,
    id: crate::catalog::SettingId,
) -> Option<crate::span::Pos> {
    let own = role.settings.get(id).and_then(|o| o.extra.as_ref());
    own.or_else(|| ctx.policy.defaults.get(id).and_then(|o| o.extra.as_ref())).map(|l| l.pos)
}
