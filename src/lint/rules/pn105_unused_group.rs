//! PN105 `unused-group`: a group nothing refers to.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::recipient::Recipient;

pub const RULE: Rule = Rule {
    code: "PN105",
    name: "unused-group",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "A group under `groups:` that no recipient list refers to, not even another group's.",
        why: "Dead groups mislead: a reader assumes the people in them are notified of something. \
              Often a reference to it was misspelt or removed by mistake.",
        bad: "version: 2\ngroups:\n  secops: [soc@contoso.com]\n  legacy: [old@contoso.com]\ndefaults:\n  activation.admin: { extra: [group:secops] }\n",
        fixed: "version: 2\ngroups:\n  secops: [soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [group:secops] }\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mut used = HashSet::new();
    for (_, items) in ctx.recipient_lists() {
        used.extend(items.iter().filter_map(|r| group_name(&r.value)));
    }
    // A reference that misspells the group is PN003's finding, with the did-you-mean: one
    // mistake, one finding.
    let unknown: Vec<&str> = used.iter().copied().filter(|n| !ctx.policy.groups.contains_key(*n)).collect();
    let misspelt = |name: &str| {
        unknown
            .iter()
            .any(|u| crate::suggest::closest(u, ctx.policy.groups.keys().map(String::as_str)) == Some(name))
    };
    for (name, group) in ctx.policy.groups.iter().filter(|(n, _)| !used.contains(n.as_str()) && !misspelt(n))
    {
        out.push(
            RULE.at(format!("group `{name}` is never used"), Some(group.pos))
                .with_help("remove it, or name it as `group:NAME` where it should be notified"),
        );
    }
}

fn group_name(r: &Recipient) -> Option<&str> {
    match r {
        Recipient::Group(name) => Some(name),
        _ => None,
    }
}
