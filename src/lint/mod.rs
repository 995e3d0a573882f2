//! `lint`: every problem of a policy in one run. Structural problems (PN0xx) come from the
//! loader; the effect, hygiene and security rules (PN1xx, PN2xx) each live in one file under
//! [`rules`] and are listed once in [`registry::RULES`].
//!
//! The pipeline: load → run every selected rule → apply the roles' written allows → keep the selected
//! codes → apply configured severities → sort.

mod allows;
mod baseline;
pub mod config;
pub mod context;
pub mod lines;
pub mod registry;
pub mod rules;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::Diagnostic;
use crate::load::load_str;
use crate::model::Policy;

pub use config::LintConfig;
pub use context::Context;
pub use lines::LineIndex;
pub use registry::{find_rule, Rule, RuleDoc, RULES};

/// What one policy file yields.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings to report, sorted by position then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings a role allowed, with the written reason.
    pub suppressed: Vec<(Diagnostic, String)>,
    /// Configured highly privileged roles this policy does not have, with a did-you-mean:
    /// a problem of the configuration, not of the file.
    pub unknown_privileged: Vec<String>,
}

/// Lints one policy text. `source` names the file in messages.
pub fn lint_str(source: &str, text: &str, config: &LintConfig) -> Outcome {
    if crate::load::is_blank(text) {
        let empty = Diagnostic::error("PN001", "the policy file is empty", None)
            .with_help("a policy starts with `version: 2`; see `pim-notify schema` for the format");
        return finish(vec![empty], Vec::new(), config);
    }
    let loaded = match load_str(source, text) {
        Ok(loaded) => loaded,
        Err(fatal) => return finish(vec![fatal], Vec::new(), config),
    };
    let ctx = Context::new(&loaded.policy, config).with_source(text, &loaded.diagnostics);
    let mut found = loaded.diagnostics.clone();
    // Rules whose codes are not selected are not run at all: their findings would be dropped.
    let selected: Vec<&Rule> = RULES.iter().filter(|r| config.is_selected(r.code)).collect();
    found.extend(run_rules(&ctx, &selected));
    let (kept, suppressed) = allows::apply(&ctx, found);
    let unknown_privileged = ctx.unknown_privileged();
    Outcome { unknown_privileged, ..finish(kept, suppressed, config) }
}

/// The security baseline findings (PN2xx) of a loaded policy after the roles' written allows:
/// what `diff` compares between two versions to flag rules that newly fail.
pub fn baseline_findings(policy: &Policy, config: &LintConfig) -> Vec<Diagnostic> {
    let ctx = Context::new(policy, config);
    let baseline: Vec<&Rule> =
        RULES.iter().filter(|r| r.code.starts_with("PN2") && config.is_selected(r.code)).collect();
    let (kept, _) = allows::apply(&ctx, run_rules(&ctx, &baseline));
    kept.into_iter().filter(|d| d.code.starts_with("PN2")).collect()
}

/// Runs `rules` and returns their findings in the order of `rules`. The rules are independent
/// and the largest evaluate every role, so two threads take them in turn from a shared
/// counter; collecting by rule keeps the output the same whichever thread ran what.
fn run_rules(ctx: &Context, rules: &[&Rule]) -> Vec<Diagnostic> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(rule) = rules.get(index) else { return done };
            let mut found = Vec::new();
            if let Some(check) = rule.check {
                check(ctx, &mut found);
            }
            done.push((index, found));
        }
    };
    let (mut done, theirs) = crate::threads::join(work, work);
    done.extend(theirs);
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().flat_map(|(_, found)| found).collect()
}

fn finish(found: Vec<Diagnostic>, suppressed: Vec<(Diagnostic, String)>, config: &LintConfig) -> Outcome {
    let mut diagnostics: Vec<Diagnostic> =
        found.into_iter().filter(|d| config.is_selected(d.code)).map(|d| config.with_severity(d)).collect();
    diagnostics.sort_by(|a, b| {
        (a.pos.map(|p| (p.line, p.column)), a.code).cmp(&(b.pos.map(|p| (p.line, p.column)), b.code))
    });
    diagnostics.dedup();
    Outcome { diagnostics, suppressed, unknown_privileged: Vec::new() }
}
