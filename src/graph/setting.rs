//! A notification rule in this tool's terms, and the approval rule's modelled part.

use std::collections::{BTreeMap, HashSet};

use crate::catalog::SettingId;

/// `notificationLevel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    None,
    Critical,
    All,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::None, Level::Critical, Level::All];

    /// Graph spells them `None`, `Critical`, `All`; other cases are read too.
    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(text))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Critical => "Critical",
            Level::All => "All",
        }
    }
}

/// A notification setting as Graph states it, reduced to what can change an outcome: a
/// disabled rule keeps nothing else, and `Critical` on a setting whose emails are all
/// critical is the same as `All`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    pub disabled: bool,
    pub default_recipients: bool,
    pub critical_only: bool,
    pub extra: Vec<String>,
}

impl RuleSetting {
    /// Entra's shipped value of every notification rule.
    pub const BUILT_IN: RuleSetting =
        RuleSetting { disabled: false, default_recipients: true, critical_only: false, extra: Vec::new() };

    pub fn new(
        setting: SettingId,
        level: Level,
        default_recipients: bool,
        extra: Vec<String>,
    ) -> RuleSetting {
        match level {
            Level::None => RuleSetting { disabled: true, ..RuleSetting::BUILT_IN },
            _ => RuleSetting {
                disabled: false,
                default_recipients,
                critical_only: level == Level::Critical && !setting.all_events_critical(),
                extra: dedup_ignore_case(extra),
            },
        }
    }

    /// True when both send the same emails to the same people.
    pub fn same_effect(&self, other: &RuleSetting) -> bool {
        if self.disabled || other.disabled {
            return self.disabled == other.disabled;
        }
        self.default_recipients == other.default_recipients
            && self.critical_only == other.critical_only
            && same_addresses(&self.extra, &other.extra)
    }
}

/// The same addresses, in any order and case.
pub fn same_addresses(a: &[String], b: &[String]) -> bool {
    let set = |list: &[String]| list.iter().map(|e| e.to_lowercase()).collect::<HashSet<_>>();
    set(a) == set(b)
}

pub fn dedup_ignore_case(items: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(i.to_lowercase())).collect()
}

/// The part of `Approval_EndUser_Assignment` this tool models.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Approval {
    pub required: bool,
    /// Primary approvers of every stage as lowercase object ids, in order, once each.
    pub approvers: Vec<String>,
}

impl Approval {
    /// True when activation requests reach the same approvers: approvers of a rule that asks
    /// for no approval never get a request.
    pub fn same_effect(&self, other: &Approval) -> bool {
        self.required == other.required
            && (!self.required || same_addresses(&self.approvers, &other.approvers))
    }
}

/// One role's Graph policy, in this tool's terms.
#[derive(Clone, Debug)]
pub struct ImportedRole {
    pub name: String,
    /// Role template or definition id, lowercase.
    pub id: String,
    pub policy_id: String,
    pub approval: Approval,
    pub settings: BTreeMap<SettingId, RuleSetting>,
}

impl ImportedRole {
    pub fn setting(&self, id: SettingId) -> &RuleSetting {
        static BUILT_IN: RuleSetting = RuleSetting::BUILT_IN;
        self.settings.get(&id).unwrap_or(&BUILT_IN)
    }

    /// `object:GUID` approvers, as the policy file writes them (only when approval is required).
    pub fn approver_recipients(&self) -> Vec<String> {
        if !self.approval.required {
            return Vec::new();
        }
        self.approval.approvers.iter().map(|id| format!("object:{id}")).collect()
    }
}
