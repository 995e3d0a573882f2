//! PN101 `override-without-effect`: a written field that changes nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};
use crate::model::{Role, SettingOverride};
use crate::span::{Located, Pos};

pub const RULE: Rule = Rule {
    code: "PN101",
    name: "override-without-effect",
    severity: Severity::Warning,
    doc: RuleDoc {
        summary: "An override, or a field of one, that leaves the setting as it already was: an empty \
                  mapping, a field equal to what `defaults:` or Entra already give, `inherit: false` \
                  with nothing in `defaults:` to drop, an empty `extra` list, an alert under \
                  `alerts:` with nothing set, or a review's `roles:` entry that matches no role.",
        why: "A reviewer reads every written line as a decision. Lines that change nothing hide the \
              ones that do, and often mean the author expected a different effect.",
        bad: "version: 2\ndefaults:\n  eligible.assignee: { critical_only: true }\nroles:\n  - name: Global Administrator\n    settings:\n      eligible.assignee: { critical_only: true }\n",
        fixed: "version: 2\ndefaults:\n  eligible.assignee: { critical_only: true }\nroles:\n  - name: Global Administrator\n",
        baseline: None,
    },
    check: Some(check),
};

/// The value a field has below the layer being checked.
#[derive(Clone, Copy)]
struct Below {
    disabled: bool,
    default_recipients: bool,
    critical_only: bool,
    source: &'static str,
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (role, o) in ctx.overrides() {
        let below = below(ctx, role, o);
        let found = field_findings(o, below, role.is_some(), ctx.policy.defaults.get(o.id).is_some());
        if o.disabled.is_none()
            && o.default_recipients.is_none()
            && o.critical_only.is_none()
            && o.inherit.is_none()
            && o.extra.is_none()
        {
            out.push(finding(role, format!("the override of `{}` is empty", o.id), o.pos, "remove it"));
        }
        for (message, pos) in found.into_iter().filter(|(_, pos)| !dropped_invalid(ctx, o, *pos)) {
            out.push(finding(role, message, pos, "remove the field; it changes nothing"));
        }
    }
    for alert in ctx.policy.alerts.0.iter().filter(|a| a.enabled.is_none()) {
        let message = format!("the entry of alert `{}` is empty", alert.alert.name);
        out.push(finding(
            None,
            message,
            alert.pos,
            "remove it, or write `enabled: false` to switch the alert off",
        ));
    }
    for review in &ctx.policy.reviews {
        for (pattern, glob) in &review.roles {
            if !ctx.policy.roles.iter().any(|role| crate::model::Review::matches(glob, role)) {
                let message = format!("`{}` in review `{}` matches no role", pattern.value, review.name);
                let help =
                    "name a role of this policy (any case), its id, or a glob such as `*Administrator`";
                out.push(finding(None, message, pattern.pos, help));
            }
        }
    }
}

fn finding(role: Option<&Role>, message: String, pos: Pos, help: &str) -> Diagnostic {
    let d = RULE.at(format!("{message} and has no effect"), Some(pos)).with_help(help);
    match role {
        Some(r) => d.with_role(r.name.clone()),
        None => d,
    }
}

fn below(ctx: &Context, role: Option<&Role>, o: &SettingOverride) -> Below {
    let builtin =
        Below { disabled: false, default_recipients: true, critical_only: false, source: "Entra's default" };
    let dropped = o.inherit.as_ref().is_some_and(|i| !i.value);
    let defaults = ctx.policy.defaults.get(o.id).filter(|_| role.is_some() && !dropped);
    let Some(d) = defaults else { return builtin };
    let pick = |f: &Option<Located<bool>>, base: bool| f.as_ref().map_or(base, |l| l.value);
    Below {
        disabled: pick(&d.disabled, builtin.disabled),
        default_recipients: pick(&d.default_recipients, builtin.default_recipients),
        critical_only: pick(&d.critical_only, builtin.critical_only),
        source: "what `defaults:` gives",
    }
}

fn field_findings(
    o: &SettingOverride,
    below: Below,
    per_role: bool,
    has_defaults: bool,
) -> Vec<(String, Pos)> {
    let mut found = Vec::new();
    let fields = [
        ("disabled", &o.disabled, below.disabled),
        ("default_recipients", &o.default_recipients, below.default_recipients),
        ("critical_only", &o.critical_only, below.critical_only),
    ];
    for (name, written, base) in fields {
        if let Some(w) = written.as_ref().filter(|w| w.value == base) {
            found.push((format!("`{name}: {}` in `{}` is already {}", w.value, o.id, below.source), w.pos));
        }
    }
    if let Some(i) = &o.inherit {
        let why = match (per_role, i.value, has_defaults) {
            (false, _, _) => Some("only means something under a role"),
            (true, true, _) => Some("is already how settings merge"),
            (true, false, false) => Some("drops nothing: `defaults:` does not set it"),
            (true, false, true) => None,
        };
        if let Some(why) = why {
            found.push((format!("`inherit: {}` in `{}` {why}", i.value, o.id), i.pos));
        }
    }
    if let Some(list) = o.extra.as_ref().filter(|l| l.items.is_empty()) {
        found.push((format!("the empty `extra` list of `{}` adds nobody", o.id), list.pos));
    }
    found
}

/// An `extra` list left empty because the loader dropped its invalid recipients (PN006).
fn dropped_invalid(ctx: &Context, o: &SettingOverride, pos: Pos) -> bool {
    o.extra.as_ref().is_some_and(|l| l.pos == pos && ctx.had_invalid(l))
}
