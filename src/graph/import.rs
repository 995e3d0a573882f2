//! Graph export → roles with their nine notification settings, approval and approvers.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use super::rules::{self, NotificationRuleInfo};
use super::schema::{self, ApprovalRule, Assignment, Export, NotificationRule, Target};
use crate::catalog::{self, SettingId};
use crate::recipient::{is_guid, Recipient};

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
        let set = |s: &RuleSetting| s.extra.iter().map(|e| e.to_lowercase()).collect::<HashSet<_>>();
        self.default_recipients == other.default_recipients
            && self.critical_only == other.critical_only
            && set(self) == set(other)
    }
}

/// `notificationLevel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    None,
    Critical,
    All,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        [Level::None, Level::Critical, Level::All].into_iter().find(|l| l.as_str().eq_ignore_ascii_case(text))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Critical => "Critical",
            Level::All => "All",
        }
    }
}

/// One role's Graph policy, in this tool's terms.
#[derive(Clone, Debug)]
pub struct ImportedRole {
    pub name: String,
    /// Role template or definition id, lowercase.
    pub id: String,
    pub policy_id: String,
    pub approval_required: bool,
    /// `object:GUID` recipients; only kept when approval is required.
    pub approvers: Vec<String>,
    pub settings: BTreeMap<SettingId, RuleSetting>,
}

impl ImportedRole {
    pub fn setting(&self, id: SettingId) -> &RuleSetting {
        static BUILT_IN: RuleSetting = RuleSetting::BUILT_IN;
        self.settings.get(&id).unwrap_or(&BUILT_IN)
    }
}

/// Names of role ids: `--role-definitions` output, looked up after the built-in table.
pub type RoleNames = [(String, String)];

/// Every usable assignment as a role, and a note for everything skipped.
pub fn roles_from_export(export: &Export, names: &RoleNames) -> (Vec<ImportedRole>, Vec<String>) {
    let mut notes = export.notes.clone();
    let mut roles: Vec<ImportedRole> = Vec::new();
    let mut seen = HashSet::new();
    for (i, assignment) in export.assignments.iter().enumerate() {
        let Some(role) = role_from_assignment(assignment, i, names, &mut notes) else { continue };
        if !seen.insert(role.id.clone()) {
            notes.push(format!("{}: listed twice in the export; the first policy is kept", role.name));
            continue;
        }
        roles.push(role);
    }
    make_names_unique(&mut roles);
    roles.sort_by_cached_key(|r| (r.name.to_lowercase(), r.id.clone()));
    (roles, notes)
}

fn role_from_assignment(
    a: &Assignment,
    index: usize,
    names: &RoleNames,
    notes: &mut Vec<String>,
) -> Option<ImportedRole> {
    let label = a.id.clone().unwrap_or_else(|| format!("#{}", index + 1));
    let skip =
        |notes: &mut Vec<String>, why: String| notes.push(format!("assignment {label} skipped: {why}"));
    if let Some(scope) = a.scope_type.as_deref().filter(|s| !is_directory_scope(s)) {
        skip(notes, format!("scopeType `{scope}` is not a directory role"));
        return None;
    }
    if let Some(scope) = a.scope_id.as_deref().filter(|s| *s != "/") {
        skip(notes, format!("scopeId `{scope}` is not the tenant (`/`)"));
        return None;
    }
    let Some(id) = a.role_definition_id.as_deref().filter(|id| is_guid(id)) else {
        skip(notes, "no roleDefinitionId GUID".into());
        return None;
    };
    let Some(policy_id) = a.effective_policy_id() else {
        skip(notes, "no policy id".into());
        return None;
    };
    if a.policy.as_ref().and_then(|p| p.rules.as_ref()).is_none() {
        skip(notes, "its policy rules are not expanded; query with `$expand=policy($expand=rules)`".into());
        return None;
    }
    let id = id.to_ascii_lowercase();
    let name = role_name(&id, names, notes);
    let mut role = ImportedRole {
        name,
        id,
        policy_id: policy_id.to_string(),
        approval_required: false,
        approvers: Vec::new(),
        settings: BTreeMap::new(),
    };
    read_rules(a, &mut role, notes);
    Some(role)
}

fn is_directory_scope(scope: &str) -> bool {
    scope.eq_ignore_ascii_case("DirectoryRole") || scope.eq_ignore_ascii_case("Directory")
}

fn role_name(id: &str, names: &RoleNames, notes: &mut Vec<String>) -> String {
    if let Some(builtin) = catalog::entra_roles().iter().find(|r| r.id == id) {
        return builtin.name.clone();
    }
    if let Some((_, name)) = names.iter().find(|(i, _)| i == id) {
        return name.clone();
    }
    notes.push(format!(
        "role {id} is not a built-in role this tool knows; named `Custom role {id}` (pass --role-definitions FILE to name it)"
    ));
    format!("Custom role {id}")
}

/// Two custom roles cannot share a name in a policy; the id tells them apart.
fn make_names_unique(roles: &mut [ImportedRole]) {
    let mut seen = HashSet::new();
    for role in roles.iter_mut() {
        if !seen.insert(role.name.to_lowercase()) {
            role.name = format!("{} ({})", role.name, role.id);
            seen.insert(role.name.to_lowercase());
        }
    }
}

fn read_rules(a: &Assignment, role: &mut ImportedRole, notes: &mut Vec<String>) {
    for raw in a.rules() {
        let Some(rule_id) = schema::rule_id(raw) else {
            notes.push(format!("{}: a rule without an id was skipped", role.name));
            continue;
        };
        if let Some(info) = rules::notification_rule(rule_id) {
            read_notification(raw, info, role, notes);
        } else if rule_id.eq_ignore_ascii_case(rules::APPROVAL_RULE_ID) {
            read_approval(raw, role, notes);
        } else if !rules::is_unmodeled(rule_id) {
            notes.push(format!("{}: unknown rule `{rule_id}` skipped", role.name));
        }
    }
    for info in rules::notification_rules() {
        if !role.settings.contains_key(&info.setting) {
            notes.push(format!(
                "{}: no usable `{}` rule; `{}` keeps Entra's default",
                role.name, info.rule_id, info.setting
            ));
        }
    }
}

fn target_matches(target: Option<&Target>, caller: &str, level: &str) -> bool {
    let Some(t) = target else { return true };
    let same =
        |found: &Option<String>, want: &str| found.as_deref().is_none_or(|f| f.eq_ignore_ascii_case(want));
    same(&t.caller, caller) && same(&t.level, level)
}

fn describe_target(target: Option<&Target>) -> String {
    let t = target.cloned().unwrap_or_default();
    format!("caller {} / level {}", t.caller.as_deref().unwrap_or("?"), t.level.as_deref().unwrap_or("?"))
}

fn read_notification(
    raw: &Value,
    info: NotificationRuleInfo,
    role: &mut ImportedRole,
    notes: &mut Vec<String>,
) {
    match notification_setting(raw, info, &role.name, notes) {
        Ok(setting) => {
            role.settings.insert(info.setting, setting);
        }
        Err(why) => notes.push(format!("{}: rule `{}` skipped: {why}", role.name, info.rule_id)),
    }
}

/// Reads one notification rule; `Err` says why it cannot be used.
pub fn notification_setting(
    raw: &Value,
    info: NotificationRuleInfo,
    role: &str,
    notes: &mut Vec<String>,
) -> Result<RuleSetting, String> {
    let rule: NotificationRule =
        serde_json::from_value(raw.clone()).map_err(|e| format!("not a notification rule ({e})"))?;
    if !target_matches(rule.target.as_ref(), info.caller, info.level) {
        return Err(format!("unexpected target {}", describe_target(rule.target.as_ref())));
    }
    if let Some(r) = rule.recipient_type.as_deref().filter(|r| !r.eq_ignore_ascii_case(info.recipient_type)) {
        return Err(format!("recipientType `{r}`, expected `{}`", info.recipient_type));
    }
    if let Some(t) = rule.notification_type.as_deref().filter(|t| !t.eq_ignore_ascii_case("Email")) {
        return Err(format!("notificationType `{t}` (only Email is modelled)"));
    }
    let level_text = rule.notification_level.as_deref().unwrap_or("All");
    let level =
        Level::parse(level_text).ok_or_else(|| format!("unknown notificationLevel `{level_text}`"))?;
    let extra = recipients(&rule, info, role, notes);
    Ok(RuleSetting::new(info.setting, level, rule.is_default_recipients_enabled.unwrap_or(true), extra))
}

/// The rule's additional recipients that are email addresses; anything else gets a note.
fn recipients(
    rule: &NotificationRule,
    info: NotificationRuleInfo,
    role: &str,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let listed = rule.notification_recipients.clone().unwrap_or_default();
    let listed: Vec<String> =
        listed.into_iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    if info.setting.audience == catalog::Audience::Approver
        && info.setting.section == catalog::Section::Activation
    {
        if !listed.is_empty() {
            notes.push(format!(
                "{role}: `{}` lists additional recipients, which Entra does not send activation requests to; dropped",
                info.rule_id
            ));
        }
        return Vec::new();
    }
    let mut emails = Vec::new();
    for r in listed {
        match Recipient::parse(&r) {
            Ok(Recipient::Email(address)) => emails.push(address),
            _ => notes
                .push(format!("{role}: `{}` recipient `{r}` is not an email address; skipped", info.rule_id)),
        }
    }
    emails
}

fn read_approval(raw: &Value, role: &mut ImportedRole, notes: &mut Vec<String>) {
    let rule: ApprovalRule = match serde_json::from_value(raw.clone()) {
        Ok(rule) => rule,
        Err(e) => {
            notes.push(format!("{}: rule `{}` skipped: {e}", role.name, rules::APPROVAL_RULE_ID));
            return;
        }
    };
    if !target_matches(rule.target.as_ref(), "EndUser", "Assignment") {
        let target = describe_target(rule.target.as_ref());
        notes.push(format!(
            "{}: rule `{}` skipped: unexpected target {target}",
            role.name,
            rules::APPROVAL_RULE_ID
        ));
        return;
    }
    let setting = rule.setting.unwrap_or_default();
    role.approval_required = setting.is_approval_required.unwrap_or(false);
    let stages = setting.approval_stages.unwrap_or_default();
    if !role.approval_required {
        // Approvers of a rule that asks for no approval never get a request.
        if stages.iter().any(|s| s.primary_approvers.as_ref().is_some_and(|p| !p.is_empty())) {
            notes.push(format!(
                "{}: approvers are listed but approval is not required; not imported",
                role.name
            ));
        }
        return;
    }
    if stages.len() > 1 {
        notes.push(format!(
            "{}: {} approval stages; the approvers of all stages are imported",
            role.name,
            stages.len()
        ));
    }
    let approvers = stages.iter().flat_map(|s| s.primary_approvers.iter().flatten());
    for approver in approvers {
        match approver_object(approver) {
            Ok(object) if !role.approvers.contains(&object) => role.approvers.push(object),
            Ok(_) => {}
            Err(why) => notes.push(format!("{}: approver skipped: {why}", role.name)),
        }
    }
}

/// `singleUser` and `groupMembers` approvers as `object:GUID`.
fn approver_object(approver: &Value) -> Result<String, String> {
    let kind = schema::odata_type(approver).unwrap_or_default();
    let key = match kind.trim_start_matches('#') {
        "microsoft.graph.singleUser" => "userId",
        "microsoft.graph.groupMembers" => "groupId",
        other => return Err(format!("approver type `{other}` is not modelled")),
    };
    let id = approver.get(key).or_else(|| approver.get("id")).and_then(Value::as_str).unwrap_or_default();
    if is_guid(id) {
        Ok(format!("object:{}", id.to_ascii_lowercase()))
    } else {
        Err(format!("`{kind}` without a GUID `{key}`"))
    }
}

fn dedup_ignore_case(items: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(i.to_lowercase())).collect()
}

/// True when the export has a policy for every built-in Entra role, so `defaults:` reach
/// only roles whose settings were read from the export.
pub fn covers_every_builtin_role(roles: &[ImportedRole]) -> bool {
    let ids: HashSet<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    catalog::entra_roles().iter().all(|b| ids.contains(b.id.as_str()))
}
