//! PN108 `recipient-outside-domains`: a mail address outside the configured domains.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::recipient::Recipient;

pub const RULE: Rule = Rule {
    code: "PN108",
    name: "recipient-outside-domains",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An email address whose domain is not one of `allowed-domains` in the `[lint]` section \
                  of pim-notify.toml (subdomains included). Off when no domains are configured.",
        why: "PIM emails name privileged roles, members and approvals. Sending them outside the \
              organisation, through a typo or a personal address, leaks who holds power in the tenant.",
        bad: "# pim-notify.toml: [lint] allowed-domains = [\"contoso.com\"]\nversion: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.co] }\n",
        fixed: "# pim-notify.toml: [lint] allowed-domains = [\"contoso.com\"]\nversion: 2\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
        baseline: None,
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let allowed = &ctx.config.allowed_domains;
    if allowed.is_empty() {
        return;
    }
    for (role, items) in ctx.recipient_lists() {
        for r in items {
            let Recipient::Email(address) = &r.value else { continue };
            let domain = address.rsplit('@').next().unwrap_or_default().to_ascii_lowercase();
            if allowed.iter().any(|a| within(&domain, a)) {
                continue;
            }
            let d = RULE.at(format!("`{address}` is outside the allowed domains"), Some(r.pos)).with_help(
                format!(
                    "allowed: {}{}",
                    allowed.join(", "),
                    crate::suggest::did_you_mean(&domain, allowed.iter().map(String::as_str))
                ),
            );
            out.push(match role {
                Some(role) => d.with_role(role.name.clone()),
                None => d,
            });
        }
    }
}

/// `domain` is `allowed` or one of its subdomains.
fn within(domain: &str, allowed: &str) -> bool {
    let allowed = allowed.trim().trim_start_matches('@').trim_start_matches("*.").to_ascii_lowercase();
    domain == allowed || domain.strip_suffix(&allowed).is_some_and(|rest| rest.ends_with('.'))
}
