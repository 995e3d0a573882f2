//! The seventeen rules of a directory-role policy and what each one means to this tool.

use crate::catalog::{Audience, Section, SettingId, SETTINGS};

pub const NOTIFICATION_RULE_TYPE: &str = "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule";
pub const TARGET_TYPE: &str = "microsoft.graph.unifiedRoleManagementPolicyRuleTarget";
pub const APPROVAL_RULE_ID: &str = "Approval_EndUser_Assignment";
pub const APPROVAL_RULE_TYPE: &str = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule";

/// The fields of every notification rule Graph returns (besides `id` and `@odata.type`); a rule
/// without one of them was cut or filtered, and reading it would mean guessing.
pub const NOTIFICATION_FIELDS: [&str; 6] = [
    "target",
    "notificationType",
    "recipientType",
    "notificationLevel",
    "isDefaultRecipientsEnabled",
    "notificationRecipients",
];

/// Rules Graph has on every directory-role policy that say nothing about who is notified.
pub const UNMODELED_RULE_IDS: [&str; 7] = [
    "Expiration_Admin_Eligibility",
    "Expiration_Admin_Assignment",
    "Expiration_EndUser_Assignment",
    "Enablement_Admin_Eligibility",
    "Enablement_Admin_Assignment",
    "Enablement_EndUser_Assignment",
    "AuthenticationContext_EndUser_Assignment",
];

/// Graph's facts about one of the nine per-role notification settings.
#[derive(Clone, Copy, Debug)]
pub struct NotificationRuleInfo {
    pub setting: SettingId,
    pub rule_id: &'static str,
    /// `Admin` or `EndUser`.
    pub caller: &'static str,
    /// `Eligibility` or `Assignment`.
    pub level: &'static str,
    /// `Admin`, `Requestor` or `Approver`.
    pub recipient_type: &'static str,
}

/// The nine notification rules, in admin-center order.
pub fn notification_rules() -> impl Iterator<Item = NotificationRuleInfo> {
    SETTINGS.iter().map(|s| info(s.id, s.graph_rule_id))
}

fn info(setting: SettingId, rule_id: &'static str) -> NotificationRuleInfo {
    let (caller, level) = match setting.section {
        Section::Eligible => ("Admin", "Eligibility"),
        Section::Active => ("Admin", "Assignment"),
        _ => ("EndUser", "Assignment"),
    };
    let recipient_type = match setting.audience {
        Audience::Admin => "Admin",
        Audience::Assignee => "Requestor",
        _ => "Approver",
    };
    NotificationRuleInfo { setting, rule_id, caller, level, recipient_type }
}

/// The notification rule with this id (Graph ids compare case-insensitively here).
pub fn notification_rule(rule_id: &str) -> Option<NotificationRuleInfo> {
    notification_rules().find(|r| r.rule_id.eq_ignore_ascii_case(rule_id))
}

/// The rules this tool reads and writes: the nine notification rules and the approval rule.
pub fn modelled_rule_ids() -> impl Iterator<Item = &'static str> {
    notification_rules().map(|r| r.rule_id).chain([APPROVAL_RULE_ID])
}

pub fn is_unmodeled(rule_id: &str) -> bool {
    UNMODELED_RULE_IDS.iter().any(|id| id.eq_ignore_ascii_case(rule_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_rules_in_all() {
        let known = notification_rules().count() + UNMODELED_RULE_IDS.len() + 1;
        assert_eq!(known, 17);
    }

    #[test]
    fn targets_follow_the_rule_id() {
        for r in notification_rules() {
            let expected = format!("Notification_{}_{}_{}", r.recipient_type, r.caller, r.level);
            assert_eq!(r.rule_id, expected);
        }
    }
}
