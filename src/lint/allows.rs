//! A role's `lint: { allow: { CODE: "reason" } }`: findings about that role with that code are
//! set aside with the reason; an allow that sets nothing aside is PN110.

use crate::diagnostic::Diagnostic;
use crate::model::LintAllow;

use super::context::Context;
use super::rules::pn110_unused_allow;

/// Splits findings into those to report and those a role allowed, then adds PN110 for allows
/// that matched nothing.
pub fn apply(ctx: &Context, found: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<(Diagnostic, String)>) {
    let allows: Vec<(&str, &LintAllow)> =
        ctx.listed_roles().flat_map(|r| r.lint_allow.iter().map(move |a| (r.name.as_str(), a))).collect();
    let mut used = vec![false; allows.len()];
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for d in found {
        match allows.iter().position(|(role, a)| allows_finding(role, a, &d)) {
            Some(i) => {
                used[i] = true;
                suppressed.push((d, allows[i].1.reason.value.clone()));
            }
            None => kept.push(d),
        }
    }
    for ((role, allow), used) in allows.iter().zip(used) {
        if !used {
            kept.extend(pn110_unused_allow::check_allow(ctx, role, allow));
        }
    }
    (kept, suppressed)
}

fn allows_finding(role: &str, allow: &LintAllow, d: &Diagnostic) -> bool {
    !allow.reason.value.trim().is_empty()
        && d.role.as_deref() == Some(role)
        && allow.code.value.eq_ignore_ascii_case(d.code)
        && d.code != pn110_unused_allow::RULE.code
}
