//! Policy → Graph `$batch` bodies that PATCH each role's nine notification rules to the
//! policy's effective settings.

use serde_json::{json, Value};

use super::import::{notification_setting, Level, RuleSetting};
use super::rules::{self, NotificationRuleInfo};
use super::schema::Export;
use super::GraphError;
use crate::eval::{self, Effective};
use crate::groups;
use crate::model::{Policy, Role};
use crate::recipient::Recipient;

/// Graph refuses a JSON batch of more than 20 requests.
pub const MAX_REQUESTS_PER_BATCH: usize = 20;

#[derive(Clone, Copy, Debug, Default)]
pub struct ExportOptions<'a> {
    /// The tenant's current policies (the import's input); gives policy ids and, with
    /// `only_changed`, what is already there.
    pub assignments: Option<&'a Export>,
    /// Leave out rules whose current value already has the same effect.
    pub only_changed: bool,
}

#[derive(Debug)]
pub struct Exported {
    /// A JSON array of `{"requests": [...]}` bodies for `POST /$batch`.
    pub batches: Value,
    pub requests: usize,
    pub roles: usize,
    /// Rules left out by `only_changed`.
    pub unchanged: usize,
}

/// The rules of every role the policy speaks for, as batches.
pub fn export_graph(policy: &Policy, options: ExportOptions) -> Result<Exported, GraphError> {
    let roles = policy_ids(policy, roles_to_write(policy), options.assignments)?;
    let mut requests = Vec::new();
    let mut problems = Vec::new();
    let mut unchanged = 0;
    for (role, policy_id) in &roles {
        for info in rules::notification_rules() {
            let rule = match WrittenRule::of(policy, role, info) {
                Ok(rule) => rule,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            if options.only_changed && already_there(options.assignments, policy_id, &rule) {
                unchanged += 1;
                continue;
            }
            requests.push(rule.request(requests.len() + 1, policy_id));
        }
    }
    if !problems.is_empty() {
        return Err(GraphError::new(format!(
            "cannot write these settings to Graph:\n  {}",
            problems.join("\n  ")
        )));
    }
    let count = requests.len();
    let batches: Vec<Value> =
        requests.chunks(MAX_REQUESTS_PER_BATCH).map(|chunk| json!({ "requests": chunk })).collect();
    Ok(Exported { batches: Value::Array(batches), requests: count, roles: roles.len(), unchanged })
}

/// Listed roles, plus every built-in role when `defaults:` change per-role settings (they
/// reach roles the file does not list).
fn roles_to_write(policy: &Policy) -> Vec<&Role> {
    let defaults_reach_all = !policy.defaults.is_empty();
    policy.roles.iter().filter(|r| r.is_listed() || (defaults_reach_all && r.builtin.is_some())).collect()
}

fn policy_ids<'p>(
    policy: &Policy,
    roles: Vec<&'p Role>,
    assignments: Option<&Export>,
) -> Result<Vec<(&'p Role, String)>, GraphError> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut conflicts = Vec::new();
    for role in roles {
        let from_file = role.policy_id.as_ref().map(|p| p.value.clone());
        let from_tenant = assignments.and_then(|a| tenant_policy_id(a, role));
        match (from_file, from_tenant) {
            (Some(a), Some(b)) if !a.eq_ignore_ascii_case(&b) => {
                conflicts.push(format!("{}: policy_id `{a}` in the file, `{b}` in --assignments", role.name))
            }
            (Some(id), _) | (None, Some(id)) => found.push((role, id)),
            (None, None) => missing.push(role.name.as_str()),
        }
    }
    if !conflicts.is_empty() {
        return Err(GraphError::new(format!(
            "policy ids disagree (is the file from another tenant?):\n  {}",
            conflicts.join("\n  ")
        )));
    }
    if !missing.is_empty() {
        return Err(missing_ids_error(policy, &missing, assignments.is_some()));
    }
    Ok(found)
}

fn tenant_policy_id(export: &Export, role: &Role) -> Option<String> {
    let id = role.id.as_deref()?;
    let assignment = export
        .assignments
        .iter()
        .find(|a| a.role_definition_id.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(id)))?;
    assignment.effective_policy_id().map(str::to_string)
}

fn missing_ids_error(policy: &Policy, missing: &[&str], had_assignments: bool) -> GraphError {
    let shown: Vec<String> = missing.iter().take(10).map(|n| format!("`{n}`")).collect();
    let more = if missing.len() > shown.len() {
        format!(" and {} more", missing.len() - shown.len())
    } else {
        String::new()
    };
    let hint = if had_assignments {
        "the --assignments file has no policy for them either; add `policy_id:` to each role"
    } else {
        "add `policy_id:` to each role, or pass --assignments FILE (the output of `GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'`)"
    };
    GraphError::new(format!(
        "no Graph policy id for {} role(s) of {}: {}{more}; {hint}",
        missing.len(),
        policy.source,
        shown.join(", ")
    ))
}

/// One notification rule as it will be written.
struct WrittenRule {
    info: NotificationRuleInfo,
    level: Level,
    default_recipients: bool,
    recipients: Vec<String>,
}

impl WrittenRule {
    fn of(policy: &Policy, role: &Role, info: NotificationRuleInfo) -> Result<WrittenRule, String> {
        let effective = eval::effective(policy, role, info.setting);
        let level = if effective.disabled.value {
            Level::None
        } else if effective.critical_only.value {
            Level::Critical
        } else {
            Level::All
        };
        let recipients = email_recipients(policy, &effective)
            .map_err(|bad| format!("{}: `{}` extra recipient `{bad}` is not an email address (Graph's notificationRecipients takes only addresses)", role.name, info.setting))?;
        Ok(WrittenRule { info, level, default_recipients: effective.default_recipients.value, recipients })
    }

    fn setting(&self) -> RuleSetting {
        RuleSetting::new(self.info.setting, self.level, self.default_recipients, self.recipients.clone())
    }

    fn body(&self) -> Value {
        json!({
            "@odata.type": rules::NOTIFICATION_RULE_TYPE,
            "id": self.info.rule_id,
            "target": {
                "@odata.type": rules::TARGET_TYPE,
                "caller": self.info.caller,
                "operations": ["All"],
                "level": self.info.level,
                "inheritableSettings": [],
                "enforcedSettings": [],
            },
            "notificationType": "Email",
            "recipientType": self.info.recipient_type,
            "notificationLevel": self.level.as_str(),
            "isDefaultRecipientsEnabled": self.default_recipients,
            "notificationRecipients": self.recipients,
        })
    }

    fn request(&self, n: usize, policy_id: &str) -> Value {
        json!({
            "id": n.to_string(),
            "method": "PATCH",
            "url": format!("/policies/roleManagementPolicies/{}/rules/{}", path_segment(policy_id), self.info.rule_id),
            "headers": { "Content-Type": "application/json" },
            "body": self.body(),
        })
    }
}

/// The effective extra recipients as addresses, groups expanded; `Err` names the first one
/// Graph cannot take.
fn email_recipients(policy: &Policy, effective: &Effective) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |address: &str| {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(address)) {
            out.push(address.to_string());
        }
    };
    for (recipient, _) in &effective.extra {
        match &recipient.value {
            Recipient::Email(address) => push(address),
            Recipient::Group(name) => {
                for member in groups::expand(&policy.groups, name) {
                    match &member.recipient.value {
                        Recipient::Email(address) => push(address),
                        other => return Err(format!("{other} (in group:{name})")),
                    }
                }
            }
            other => return Err(other.to_string()),
        }
    }
    Ok(out)
}

fn already_there(assignments: Option<&Export>, policy_id: &str, rule: &WrittenRule) -> bool {
    let Some(export) = assignments else { return false };
    let current = export
        .assignments
        .iter()
        .filter(|a| a.effective_policy_id().is_some_and(|p| p.eq_ignore_ascii_case(policy_id)))
        .find_map(|a| a.rule(rule.info.rule_id));
    let Some(raw) = current else { return false };
    match notification_setting(raw, rule.info, "", &mut Vec::new()) {
        Ok(current) => current.same_effect(&rule.setting()),
        Err(_) => false,
    }
}

/// Percent-encodes what is not safe in a URL path segment (policy ids normally are).
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
