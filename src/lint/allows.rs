//! A role's `lint: { allow: { CODE: "reason" } }`: findings about that role with that code are
//! set aside with the reason; an allow that sets nothing aside is PN110.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::LintAllow;

use super::context::Context;
use super::rules::pn110_unused_allow;

/// Splits findings into those to report and those a role allowed, then adds PN110 for allows
/// that matched nothing.
pub fn apply(ctx: &Context, found: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<(Diagnostic, String)>) {
    let allows: Vec<(&str, &LintAllow)> =
        ctx.listed_roles().flat_map(|r| r.lint_allow.iter().map(move |a| (r.name.as_str(), a))).collect();
    // Allows by role, so each finding looks only at its own role's (a large policy has
    // thousands of findings and thousands of allows).
    let mut by_role: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (role, _)) in allows.iter().enumerate() {
        by_role.entry(role).or_default().push(i);
    }
    let mut used = vec![false; allows.len()];
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for d in found {
        let candidates = d.role.as_deref().and_then(|r| by_role.get(r)).map_or(&[][..], Vec::as_slice);
        let matching = candidates.iter().copied().find(|&i| allows_finding(allows[i].0, allows[i].1, &d));
        match matching {
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
