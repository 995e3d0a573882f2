//! The body of one PATCH: the tenant's rule as Graph returned it, with only the modelled
//! fields that must change to give the policy's effect. Graph replaces a rule's complex
//! values (`target`, `setting`) whole, so a body built from scratch would reset what the
//! policy does not model (justification, timeouts, escalation...). A rule whose effect
//! already matches comes back unchanged, which is how `--only-changed` knows to leave it out.

use serde_json::{json, Value};

use super::rules::{self, NotificationRuleInfo};
use super::setting::{same_addresses, Approval, Level, RuleSetting};
use super::tenant::{self, Tenant};
use crate::catalog::{Audience, Section};

/// A notification rule as the policy wants it.
#[derive(Clone, Debug)]
pub struct WantedNotification {
    pub info: NotificationRuleInfo,
    pub level: Level,
    pub default_recipients: bool,
    pub recipients: Vec<String>,
}

impl WantedNotification {
    pub fn setting(&self) -> RuleSetting {
        RuleSetting::new(self.info.setting, self.level, self.default_recipients, self.recipients.clone())
    }

    /// Whether the policy models this rule's additional recipients (Entra sends activation
    /// requests only to the approvers, so their rule's recipients are not modelled).
    fn models_recipients(&self) -> bool {
        !(self.info.setting.section == Section::Activation
            && self.info.setting.audience == Audience::Approver)
    }

    /// The whole rule, for a policy whose current rules are not known; without the
    /// recipients it does not model, which a PATCH then leaves as they are (Graph keeps the
    /// properties a PATCH body does not name).
    pub fn fresh_body(&self) -> Value {
        let mut body = json!({
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
        });
        if !self.models_recipients() {
            body.as_object_mut().map(|b| b.remove("notificationRecipients"));
        }
        body
    }
}

/// `current` (a rule read by [`tenant`], so its fields are known to be well formed) changed
/// just enough to have `wanted`'s effect.
pub fn notification(current: &Value, wanted: &WantedNotification) -> Value {
    let mut body = current.clone();
    let level_text = current["notificationLevel"].as_str().unwrap_or_default();
    let current_level = Level::parse(level_text).unwrap_or(Level::All);
    if level_effect(wanted, current_level) != level_effect(wanted, wanted.level) {
        body["notificationLevel"] = json!(wanted.level.as_str());
    }
    if wanted.level == Level::None {
        return body; // a disabled rule sends nothing, whatever its other fields say
    }
    if current["isDefaultRecipientsEnabled"].as_bool() != Some(wanted.default_recipients) {
        body["isDefaultRecipientsEnabled"] = json!(wanted.default_recipients);
    }
    if wanted.models_recipients() {
        let listed = string_list(&current["notificationRecipients"]);
        if !same_addresses(&listed, &wanted.recipients) {
            body["notificationRecipients"] = json!(merged(&listed, &wanted.recipients));
        }
    }
    body
}

/// (disabled, critical only) as evaluation sees them: `Critical` is `All` on a setting whose
/// emails are all critical.
fn level_effect(wanted: &WantedNotification, level: Level) -> (bool, bool) {
    let setting = RuleSetting::new(wanted.info.setting, level, true, Vec::new());
    (setting.disabled, setting.critical_only)
}

fn string_list(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}

/// The listed entries still wanted (as the tenant spells them), then the new ones in order.
fn merged(listed: &[String], wanted: &[String]) -> Vec<String> {
    let has = |list: &[String], item: &str| list.iter().any(|l| l.eq_ignore_ascii_case(item));
    let kept = listed.iter().filter(|l| has(wanted, l));
    let added = wanted.iter().filter(|w| !has(listed, w));
    kept.chain(added).cloned().collect()
}

/// The approval rule changed to `wanted`: `isApprovalRequired`, and the primary approvers
/// when approval is required (approvers of a rule without approval are never asked, so they
/// stay as they are). `Err` says why it cannot be written faithfully.
pub fn approval(current: &Value, wanted: &Approval, tenant: &Tenant) -> Result<Value, String> {
    let mut body = current.clone();
    if current.pointer("/setting/isApprovalRequired").and_then(Value::as_bool) != Some(wanted.required) {
        body["setting"]["isApprovalRequired"] = json!(wanted.required);
    }
    if !wanted.required {
        return Ok(body);
    }
    let stages = current.pointer("/setting/approvalStages").and_then(Value::as_array).map_or(0, Vec::len);
    let listed = primary_approver_ids(current);
    if same_addresses(&listed, &wanted.approvers) {
        return Ok(body);
    }
    if stages != 1 {
        return Err(format!(
            "its approval rule has {stages} approval stages; this tool writes the approvers of a single stage (change them in the admin center)"
        ));
    }
    let sets = approver_sets(current, wanted, tenant)?;
    body["setting"]["approvalStages"][0]["primaryApprovers"] = Value::Array(sets);
    Ok(body)
}

/// The ids of every stage's primary approvers, lowercase.
fn primary_approver_ids(rule: &Value) -> Vec<String> {
    let stages = rule.pointer("/setting/approvalStages").and_then(Value::as_array).into_iter().flatten();
    stages
        .flat_map(|s| s.get("primaryApprovers").and_then(Value::as_array).into_iter().flatten())
        .filter_map(tenant::user_set_id)
        .map(|(_, id)| id.to_ascii_lowercase())
        .collect()
}

/// The `userSet`s of the wanted approvers: the ones already listed kept as they are, new
/// ones copied from wherever the tenant names that object (Graph must be told whether it is
/// a user or a group, and an object id alone does not say).
fn approver_sets(current: &Value, wanted: &Approval, tenant: &Tenant) -> Result<Vec<Value>, String> {
    let listed: Vec<&Value> = current["setting"]["approvalStages"][0]["primaryApprovers"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let id_of = |set: &Value| tenant::user_set_id(set).map(|(_, id)| id.to_ascii_lowercase());
    let mut sets: Vec<Value> = listed
        .iter()
        .filter(|set| id_of(set).is_some_and(|id| wanted.approvers.contains(&id)))
        .map(|set| (*set).clone())
        .collect();
    let mut unknown = Vec::new();
    for id in &wanted.approvers {
        if sets.iter().any(|s| id_of(s).as_deref() == Some(id.as_str())) {
            continue;
        }
        let found = tenant::user_sets(current).find(|s| id_of(s).as_deref() == Some(id.as_str()));
        match found.or_else(|| tenant.user_set(id)) {
            Some(set) => sets.push(as_primary(set)),
            None => unknown.push(format!("object:{id}")),
        }
    }
    if unknown.is_empty() {
        return Ok(sets);
    }
    Err(format!(
        "the approver(s) {} appear nowhere in --assignments, so whether each is a user (`singleUser`) or a group (`groupMembers`) is unknown; add them once in the admin center (or to any role's approvers) and save the export again",
        unknown.join(", ")
    ))
}

/// A `userSet` found among escalation approvers, made a primary approver.
fn as_primary(set: &Value) -> Value {
    let mut set = set.clone();
    if set.get("isBackup").is_some() {
        set["isBackup"] = json!(false);
    }
    set
}
