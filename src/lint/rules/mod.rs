//! One file per lint rule. Each defines `RULE` (code, severity, documentation) and, for the
//! rules the loader does not already check, the `check` function that finds it.

pub mod pn001_invalid_yaml;
pub mod pn002_unknown_setting;
pub mod pn003_unknown_group;
pub mod pn004_group_cycle;
pub mod pn005_duplicate_role;
pub mod pn006_invalid_recipient;
pub mod pn007_setting_not_allowed;
pub mod pn008_extra_on_activation_approver;
pub mod pn009_role_id_not_guid;
pub mod pn010_unsupported_version;
pub mod pn101_override_without_effect;
pub mod pn102_duplicate_recipient;
pub mod pn103_extra_already_default;
pub mod pn104_contradictory_setting;
pub mod pn105_unused_group;
pub mod pn106_event_reaches_nobody;
pub mod pn107_too_many_recipients;
pub mod pn108_recipient_outside_domains;
pub mod pn109_approvers_without_approval;
pub mod pn110_unused_allow;
pub mod pn201_assignment_alert_without_recipients;
pub mod pn202_global_admin_activation_alert;
pub mod pn203_privileged_activation_alert;
pub mod pn204_admin_alert_off;
pub mod pn205_approval_without_approver;
pub mod pn206_assigned_outside_pim_alert_off;
