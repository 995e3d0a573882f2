//! The one table of lint rules: codes, default severities and documentation.

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Pos;

use super::context::Context;
use super::rules::*;

/// A rule's documentation, printed by `explain` and used as its test fixture: `bad` must
/// trigger the rule and `fixed` must not.
#[derive(Debug)]
pub struct RuleDoc {
    /// What it checks, one line.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A policy that triggers the rule.
    pub bad: &'static str,
    /// The same policy, fixed.
    pub fixed: &'static str,
    /// The security baseline the rule comes from, for PN2xx.
    pub baseline: Option<&'static str>,
}

/// One lint rule.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    /// Short kebab-case name, e.g. `unknown-group`.
    pub name: &'static str,
    pub severity: Severity,
    pub doc: RuleDoc,
    /// `None` for structural rules, which the loader checks while it reads the file.
    pub check: Option<fn(&Context, &mut Vec<Diagnostic>)>,
}

impl Rule {
    /// A finding of this rule at its default severity.
    pub fn at(&self, message: impl Into<String>, pos: Option<Pos>) -> Diagnostic {
        let d = Diagnostic::error(self.code, message, pos);
        Diagnostic { severity: self.severity, ..d }
    }
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    pn001_invalid_yaml::RULE,
    pn002_unknown_setting::RULE,
    pn003_unknown_group::RULE,
    pn004_group_cycle::RULE,
    pn005_duplicate_role::RULE,
    pn006_invalid_recipient::RULE,
    pn007_setting_not_allowed::RULE,
    pn008_extra_on_activation_approver::RULE,
    pn009_role_id_not_guid::RULE,
    pn010_unsupported_version::RULE,
    pn101_override_without_effect::RULE,
    pn102_duplicate_recipient::RULE,
    pn103_extra_already_default::RULE,
    pn104_contradictory_setting::RULE,
    pn105_unused_group::RULE,
    pn106_event_reaches_nobody::RULE,
    pn107_too_many_recipients::RULE,
    pn108_recipient_outside_domains::RULE,
    pn109_approvers_without_approval::RULE,
    pn110_unused_allow::RULE,
    pn201_assignment_alert_without_recipients::RULE,
    pn202_global_admin_activation_alert::RULE,
    pn203_privileged_activation_alert::RULE,
    pn204_admin_alert_off::RULE,
    pn205_approval_without_approver::RULE,
    pn206_assigned_outside_pim_alert_off::RULE,
];

/// The rule with this code (any case).
pub fn find_rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code.trim()))
}

/// Every code, for did-you-mean.
pub fn codes() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.code)
}
