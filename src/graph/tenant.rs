//! The tenant as a Graph export states it: one role per directory-role policy, each with its
//! nine notification settings and its approval, read strictly. A value this tool cannot read
//! faithfully is a problem (with its position), never a default: the same reading is the
//! baseline of `export`, and a guess there would become a PATCH that changes the tenant.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::json::JsonPath;
use super::names::{self, RoleNames};
use super::problem::{GraphError, Problem, Source};
use super::response::{self, ReadOptions};
use super::rules::{self, NotificationRuleInfo};
use super::setting::{Approval, ImportedRole, Level, RuleSetting};
use super::{shape, truncation};
use crate::catalog::{self, Audience, Section};
use crate::recipient::{is_guid, Recipient};

/// Every policy of the export that this tool reads, with the JSON it came from.
#[derive(Debug)]
pub struct Tenant {
    /// How the file is named in messages.
    pub name: String,
    text: String,
    pub roles: Vec<TenantRole>,
    /// Lowercase role id → index in `roles`, and lowercase policy id → index.
    by_role: HashMap<String, usize>,
    by_policy: HashMap<String, usize>,
    /// Everything skipped or worth knowing, one sentence each.
    pub notes: Vec<String>,
    /// Read with `--allow-partial` from pages that were not all fetched.
    pub partial: bool,
}

/// One role's policy.
#[derive(Debug)]
pub struct TenantRole {
    pub role: ImportedRole,
    /// Where the assignment is in the file.
    pub path: JsonPath,
    /// Every rule of the policy as Graph returned it.
    pub rules: Vec<RawRule>,
}

/// A rule as Graph returned it; an export keeps every field it does not model.
#[derive(Clone, Debug)]
pub struct RawRule {
    pub id: String,
    pub path: JsonPath,
    pub value: Value,
}

impl TenantRole {
    pub fn rule(&self, id: &str) -> Option<&RawRule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }
}

impl Tenant {
    pub fn source(&self) -> Source<'_> {
        Source::new(&self.name, &self.text)
    }

    pub fn role_by_id(&self, id: &str) -> Option<&TenantRole> {
        self.by_role.get(&id.to_ascii_lowercase()).map(|&i| &self.roles[i])
    }

    pub fn role_by_policy(&self, policy_id: &str) -> Option<&TenantRole> {
        self.by_policy.get(&policy_id.to_ascii_lowercase()).map(|&i| &self.roles[i])
    }

    /// A `userSet` naming this object (any role, primary or escalation approver): Graph
    /// needs to be told whether an approver is a user or a group.
    pub fn user_set(&self, object_id: &str) -> Option<&Value> {
        let approval_rules = self.roles.iter().filter_map(|r| r.rule(rules::APPROVAL_RULE_ID));
        approval_rules
            .flat_map(|rule| user_sets(&rule.value))
            .find(|set| user_set_id(set).is_some_and(|(_, id)| id.eq_ignore_ascii_case(object_id)))
    }

    /// True when the export has a policy for every built-in Entra role and all its pages.
    pub fn covers_every_builtin_role(&self) -> bool {
        !self.partial && {
            let roles: Vec<&ImportedRole> = self.roles.iter().map(|r| &r.role).collect();
            covers_every_builtin_role(&roles)
        }
    }
}

/// True when these roles include every built-in Entra role.
pub fn covers_every_builtin_role(roles: &[&ImportedRole]) -> bool {
    let ids: std::collections::HashSet<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    catalog::entra_roles().iter().all(|b| ids.contains(b.id.as_str()))
}

/// Every primary and escalation approver of an approval rule.
pub fn user_sets(rule: &Value) -> impl Iterator<Item = &Value> {
    let stages = rule.pointer("/setting/approvalStages").and_then(Value::as_array).into_iter().flatten();
    stages.flat_map(|stage| {
        ["primaryApprovers", "escalationApprovers"]
            .into_iter()
            .filter_map(move |key| stage.get(key).and_then(Value::as_array))
            .flatten()
    })
}

/// `(@odata.type without '#', object id)` of a `singleUser` or `groupMembers` approver.
pub fn user_set_id(set: &Value) -> Option<(&str, &str)> {
    let kind = set.get("@odata.type").and_then(Value::as_str)?.trim_start_matches('#');
    let key = match kind {
        "microsoft.graph.singleUser" => "userId",
        "microsoft.graph.groupMembers" => "groupId",
        _ => return None,
    };
    let id = set.get(key).or_else(|| set.get("id")).and_then(Value::as_str)?;
    Some((kind, id))
}

/// Reads an export. `name` is how messages call the file; `names` names custom roles (`None`
/// when names do not matter, as for an export's baseline: custom roles then get no note).
pub fn read(
    name: &str,
    text: &str,
    options: ReadOptions,
    names: Option<&RoleNames>,
) -> Result<Tenant, GraphError> {
    let source = Source::new(name, text);
    let response = response::read(&source, options)?;
    let mut reader =
        Reader { source: &source, names, problems: Vec::new(), help: Vec::new(), notes: response.notes };
    let mut roles = Vec::new();
    let count = response.assignments.len();
    for (path, value) in response.assignments {
        if let Some(role) = reader.assignment(&path, value) {
            roles.push(role);
        }
    }
    let roles = reader.distinct(roles);
    if reader.problems.is_empty() && roles.is_empty() {
        reader.nothing_to_read(count);
    }
    if !reader.problems.is_empty() {
        let help = reader.help.join("; ");
        return Err(GraphError::from_problems(reader.problems).with_help(help));
    }
    let mut roles = roles;
    names::make_unique(&mut roles, &mut reader.notes);
    roles.sort_by_cached_key(|r| (r.role.name.to_lowercase(), r.role.id.clone()));
    let by_role = roles.iter().enumerate().map(|(i, r)| (r.role.id.clone(), i)).collect();
    let by_policy =
        roles.iter().enumerate().map(|(i, r)| (r.role.policy_id.to_ascii_lowercase(), i)).collect();
    Ok(Tenant {
        name: name.to_string(),
        text: text.to_string(),
        roles,
        by_role,
        by_policy,
        notes: reader.notes,
        partial: response.partial,
    })
}

/// How to fix a file whose values were cut or lost.
const RESAVE: &str =
    "the file was cut short, filtered or edited: save the response again as Graph returns it";

struct Reader<'a> {
    source: &'a Source<'a>,
    names: Option<&'a RoleNames>,
    problems: Vec<Problem>,
    help: Vec<String>,
    notes: Vec<String>,
}

/// What stops a role from being read: problems were recorded, or it was skipped with a note.
struct Stop;

impl Reader<'_> {
    fn problem(&mut self, path: &JsonPath, message: impl Into<String>, help: &str) {
        self.problems.push(self.source.problem(path, message));
        if !self.help.iter().any(|h| h == help) {
            self.help.push(help.to_string());
        }
    }

    fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    /// The role of one assignment; its rules are moved out of `value`, not copied (an
    /// export of thousands of roles is large).
    fn assignment(&mut self, path: &JsonPath, mut value: Value) -> Option<TenantRole> {
        let Some(object) = value.as_object() else {
            self.problem(path, "an assignment is not an object", RESAVE);
            return None;
        };
        let label = object.get("id").and_then(Value::as_str).unwrap_or("without an id").to_string();
        self.directory_role_scope(object, path, &label).ok()?;
        let id = self.role_definition_id(object, path).ok()?;
        let policy_id = self.policy(object, path).ok()?;
        let rules_path = path.key("policy").key("rules");
        let listed = value.pointer_mut("/policy/rules").map(Value::take);
        let rules = self.raw_rules(listed, &rules_path).ok()?;
        let name = match self.names {
            Some(names) => names::role_name(&id, names, &mut self.notes),
            None => names::role_name(&id, &[], &mut Vec::new()),
        };
        let mut role =
            ImportedRole { name, id, policy_id, approval: Approval::default(), settings: BTreeMap::new() };
        self.read_rules(&rules, &rules_path, &mut role).ok()?;
        Some(TenantRole { role, path: path.clone(), rules })
    }

    /// Only the tenant-wide policies of directory roles are roles of this file.
    fn directory_role_scope(
        &mut self,
        object: &Map<String, Value>,
        path: &JsonPath,
        label: &str,
    ) -> Result<(), Stop> {
        let scope_type = self.required_str(object, path, "scopeType")?;
        match scope_type {
            s if s.eq_ignore_ascii_case("DirectoryRole") => {}
            s if s.eq_ignore_ascii_case("Directory") => {
                self.note(format!(
                    "assignment {label} skipped: scopeType `Directory` is the tenant's default policy, not a role's (query with `scopeType eq 'DirectoryRole'`)"
                ));
                return Err(Stop);
            }
            s if s.eq_ignore_ascii_case("Group") => {
                self.note(format!(
                    "assignment {label} skipped: scopeType `Group` is a PIM for Groups policy, which `import graph` does not read yet"
                ));
                return Err(Stop);
            }
            other => {
                let message = format!(
                    "scopeType `{other}` is not one Graph documents (DirectoryRole, Directory, Group)"
                );
                self.problem(&path.key("scopeType"), message, RESAVE);
                return Err(Stop);
            }
        }
        let scope_id = self.required_str(object, path, "scopeId")?;
        if scope_id != "/" {
            self.note(format!("assignment {label} skipped: scopeId `{scope_id}` is not the tenant (`/`)"));
            return Err(Stop);
        }
        Ok(())
    }

    fn role_definition_id(&mut self, object: &Map<String, Value>, path: &JsonPath) -> Result<String, Stop> {
        let id = self.required_str(object, path, "roleDefinitionId")?;
        if !is_guid(id) {
            self.problem(
                &path.key("roleDefinitionId"),
                format!("roleDefinitionId `{id}` is not a GUID"),
                RESAVE,
            );
            return Err(Stop);
        }
        Ok(id.to_ascii_lowercase())
    }

    /// The expanded policy's id, checked.
    fn policy(&mut self, object: &Map<String, Value>, path: &JsonPath) -> Result<String, Stop> {
        let Some(policy) = object.get("policy").and_then(Value::as_object) else {
            let message =
                "the assignment has no expanded `policy`: the request lacks `$expand=policy($expand=rules)`";
            self.problem(path, message, RESAVE);
            return Err(Stop);
        };
        let policy_path = path.key("policy");
        let id = self.required_str(policy, &policy_path, "id")?;
        if let Some(outer) =
            object.get("policyId").and_then(Value::as_str).filter(|o| !o.eq_ignore_ascii_case(id))
        {
            let message = format!("policyId `{outer}` differs from the expanded policy's id `{id}`");
            self.problem(&path.key("policyId"), message, RESAVE);
            return Err(Stop);
        }
        if let Err(why) = super::check_policy_id(id) {
            self.problem(&policy_path.key("id"), format!("policy id `{id}` {why}"), RESAVE);
            return Err(Stop);
        }
        Ok(id.to_string())
    }

    fn raw_rules(&mut self, listed: Option<Value>, path: &JsonPath) -> Result<Vec<RawRule>, Stop> {
        let Some(Value::Array(items)) = listed else {
            let message = "the policy has no `rules` list: the request lacks `$expand=policy($expand=rules)`";
            self.problem(path, message, RESAVE);
            return Err(Stop);
        };
        let mut rules: Vec<RawRule> = Vec::new();
        let mut failed = false;
        for (i, value) in items.into_iter().enumerate() {
            let at = path.index(i);
            let Some(id) = value.get("id").and_then(Value::as_str).map(str::to_string) else {
                self.problem(&at, "a rule without an `id`", RESAVE);
                failed = true;
                continue;
            };
            if let Some(first) = rules.iter().find(|r| r.id.eq_ignore_ascii_case(&id)) {
                let message = format!(
                    "the rule `{id}` is listed twice in one policy (first at {}); Graph lists each rule once, so which one the tenant holds cannot be told",
                    self.source.at(&first.path)
                );
                self.problem(&at, message, RESAVE);
                failed = true;
                continue;
            }
            rules.push(RawRule { id, path: at, value });
        }
        if failed {
            Err(Stop)
        } else {
            Ok(rules)
        }
    }

    /// Every modelled rule of the policy into `role`. A rule that cannot be read stops the
    /// role (never a default in its place), so does a modelled rule that is missing.
    fn read_rules(
        &mut self,
        rules: &[RawRule],
        path: &JsonPath,
        role: &mut ImportedRole,
    ) -> Result<(), Stop> {
        let mut read_all = true;
        for rule in rules {
            if let Some(info) = rules::notification_rule(&rule.id) {
                let setting = self.notification(rule, info, &role.name);
                read_all &= setting.is_some();
                role.settings.extend(setting.map(|s| (info.setting, s)));
            } else if rule.id.eq_ignore_ascii_case(rules::APPROVAL_RULE_ID) {
                let approval = self.approval(rule, &role.name);
                read_all &= approval.is_some();
                role.approval = approval.unwrap_or_default();
            } else if !rules::is_unmodeled(&rule.id) {
                let id = &rule.id;
                self.note(format!(
                    "{}: rule `{id}` is not one this tool knows; export leaves it as it is",
                    role.name
                ));
            }
        }
        let missing: Vec<&str> = rules::modelled_rule_ids()
            .filter(|id| !rules.iter().any(|r| r.id.eq_ignore_ascii_case(id)))
            .collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
            let message = format!(
                "the policy of {} has no {list} rule: Graph lists all of a policy's rules",
                role.name
            );
            self.problem(path, message, RESAVE);
            read_all = false;
        }
        if read_all {
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn notification(
        &mut self,
        rule: &RawRule,
        info: NotificationRuleInfo,
        role: &str,
    ) -> Option<RuleSetting> {
        let object = self.rule_object(rule, rules::NOTIFICATION_RULE_TYPE)?;
        let missing: Vec<&str> =
            rules::NOTIFICATION_FIELDS.iter().copied().filter(|f| !object.contains_key(*f)).collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
            let message = format!("the notification rule `{}` of {role} lacks {list}", info.rule_id);
            self.problem(&rule.path, message, truncation::FIX);
            return None;
        }
        let checked = self.check_target(object, &rule.path, info.caller, info.level)
            & self.expect_str(object, &rule.path, "notificationType", &["Email"])
            & self.expect_str(object, &rule.path, "recipientType", &[info.recipient_type]);
        let level = self.level(object, &rule.path);
        let default_recipients = self.bool_field(object, &rule.path, "isDefaultRecipientsEnabled");
        let extra = self.recipients(object, &rule.path, info, role);
        match (checked, level, default_recipients, extra) {
            (true, Some(level), Some(defaults), Some(extra)) => {
                Some(RuleSetting::new(info.setting, level, defaults, extra))
            }
            _ => None,
        }
    }

    /// The rule as an object of the right `@odata.type` (when it names one).
    fn rule_object<'v>(&mut self, rule: &'v RawRule, odata_type: &str) -> Option<&'v Map<String, Value>> {
        let Some(object) = rule.value.as_object() else {
            self.problem(&rule.path, "a rule is not an object", truncation::FIX);
            return None;
        };
        if let Some(found) = object.get("@odata.type").and_then(Value::as_str) {
            if !found.trim_start_matches('#').eq_ignore_ascii_case(odata_type.trim_start_matches('#')) {
                let message = format!("the rule `{}` has @odata.type `{found}`, not `{odata_type}`", rule.id);
                self.problem(&rule.path.key("@odata.type"), message, RESAVE);
                return None;
            }
        }
        Some(object)
    }

    fn check_target(
        &mut self,
        rule: &Map<String, Value>,
        path: &JsonPath,
        caller: &str,
        level: &str,
    ) -> bool {
        let Some(target) = rule.get("target").and_then(Value::as_object) else {
            self.problem(path, "the rule has no `target` object", truncation::FIX);
            return false;
        };
        let at = path.key("target");
        let caller_ok = self.expect_str(target, &at, "caller", &[caller]);
        let level_ok = self.expect_str(target, &at, "level", &[level]);
        caller_ok && level_ok
    }

    /// A string field that must be one of `allowed` (any case).
    fn expect_str(
        &mut self,
        object: &Map<String, Value>,
        path: &JsonPath,
        key: &str,
        allowed: &[&str],
    ) -> bool {
        let Ok(found) = self.required_str(object, path, key) else { return false };
        if allowed.iter().any(|a| a.eq_ignore_ascii_case(found)) {
            return true;
        }
        let message = format!("`{key}` is `{found}` where this rule has `{}`", allowed.join("` or `"));
        self.problem(&path.key(key), message, RESAVE);
        false
    }

    fn level(&mut self, rule: &Map<String, Value>, path: &JsonPath) -> Option<Level> {
        let text = self.required_str(rule, path, "notificationLevel").ok()?;
        let level = Level::parse(text);
        if level.is_none() {
            let message = format!("notificationLevel `{text}` is not None, Critical or All");
            self.problem(&path.key("notificationLevel"), message, RESAVE);
        }
        level
    }

    fn bool_field(&mut self, object: &Map<String, Value>, path: &JsonPath, key: &str) -> Option<bool> {
        match object.get(key) {
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.problem(
                    &path.key(key),
                    format!("`{key}` is {}, not true or false", kind(other)),
                    RESAVE,
                );
                None
            }
            None => {
                self.problem(path, format!("`{key}` is missing"), truncation::FIX);
                None
            }
        }
    }

    fn required_str<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &JsonPath,
        key: &str,
    ) -> Result<&'v str, Stop> {
        match object.get(key) {
            Some(Value::String(s)) => Ok(s),
            Some(other) => {
                self.problem(&path.key(key), format!("`{key}` is {}, not a string", kind(other)), RESAVE);
                Err(Stop)
            }
            None => {
                self.problem(path, format!("`{key}` is missing"), truncation::FIX);
                Err(Stop)
            }
        }
    }

    /// The additional recipients: email addresses, except on the activation approval
    /// request, whose additional recipients Entra does not email and this tool does not model.
    fn recipients(
        &mut self,
        rule: &Map<String, Value>,
        path: &JsonPath,
        info: NotificationRuleInfo,
        role: &str,
    ) -> Option<Vec<String>> {
        let at = path.key("notificationRecipients");
        // Graph's (and ARM's) way of saying "none" on some rules; a cut list is text instead.
        let items = match rule.get("notificationRecipients") {
            Some(Value::Null) => &[][..],
            _ => self.list(rule, path, "notificationRecipients")?,
        };
        let not_modelled =
            info.setting.section == Section::Activation && info.setting.audience == Audience::Approver;
        if not_modelled {
            if !items.is_empty() {
                self.note(format!(
                    "{role}: `{}` lists additional recipients, which Entra does not send activation requests to; not imported, and export keeps them as they are",
                    info.rule_id
                ));
            }
            return Some(Vec::new());
        }
        let mut emails = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str().map(Recipient::parse) {
                Some(Ok(Recipient::Email(address))) => emails.push(address),
                _ => {
                    let shown = item.as_str().map_or_else(|| kind(item).to_string(), |s| format!("`{s}`"));
                    let message =
                        format!("the recipient {shown} of `{}` is not an email address", info.rule_id);
                    self.problem(
                        &at.index(i),
                        message,
                        "fix the recipient in the admin center (or the file), then save it again",
                    );
                }
            }
        }
        (emails.len() == items.len()).then_some(emails)
    }

    fn approval(&mut self, rule: &RawRule, role: &str) -> Option<Approval> {
        let object = self.rule_object(rule, rules::APPROVAL_RULE_TYPE)?;
        if !self.check_target(object, &rule.path, "EndUser", "Assignment") {
            return None;
        }
        let Some(setting) = object.get("setting").and_then(Value::as_object) else {
            self.problem(&rule.path, "the approval rule has no `setting` object", truncation::FIX);
            return None;
        };
        let at = rule.path.key("setting");
        let required = self.bool_field(setting, &at, "isApprovalRequired")?;
        let stages = self.stages(setting, &at)?;
        let mut approval = Approval { required, approvers: Vec::new() };
        for (i, stage) in stages.iter().enumerate() {
            let stage_at = at.key("approvalStages").index(i);
            self.stage_approvers(stage, &stage_at, &mut approval, role)?;
        }
        self.approval_notes(&approval, stages, role);
        Some(approval)
    }

    fn stages<'v>(&mut self, setting: &'v Map<String, Value>, path: &JsonPath) -> Option<&'v [Value]> {
        self.list(setting, path, "approvalStages")
    }

    /// A list field; anything else is a problem (text there is what ConvertTo-Json leaves).
    fn list<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &JsonPath,
        key: &str,
    ) -> Option<&'v [Value]> {
        match object.get(key) {
            Some(Value::Array(items)) => Some(items),
            found => {
                let found = found.map_or("missing", kind);
                self.problem(&path.key(key), format!("`{key}` is {found}, not a list"), truncation::FIX);
                None
            }
        }
    }

    fn stage_approvers(
        &mut self,
        stage: &Value,
        path: &JsonPath,
        approval: &mut Approval,
        role: &str,
    ) -> Option<()> {
        let Some(stage) = stage.as_object() else {
            self.problem(path, "an approval stage is not an object", truncation::FIX);
            return None;
        };
        let dormant = !approval.required && stage.get("primaryApprovers").is_none_or(Value::is_null);
        if dormant {
            return Some(());
        }
        let approvers = self.list(stage, path, "primaryApprovers")?;
        let mut ok = true;
        for (i, set) in approvers.iter().enumerate() {
            match user_set_id(set) {
                Some((_, id)) if is_guid(id) => {
                    let id = id.to_ascii_lowercase();
                    if !approval.approvers.contains(&id) {
                        approval.approvers.push(id);
                    }
                }
                _ if !approval.required => {}
                _ => {
                    let kind =
                        set.get("@odata.type").and_then(Value::as_str).unwrap_or("without @odata.type");
                    let message = format!(
                        "{role} requires approval by an approver of type `{kind}`; this tool models users (`singleUser`) and groups (`groupMembers`) by object id"
                    );
                    self.problem(
                        &path.key("primaryApprovers").index(i),
                        message,
                        "name approvers as users or groups in the admin center, then save the export again",
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(())
    }

    fn approval_notes(&mut self, approval: &Approval, stages: &[Value], role: &str) {
        if !approval.required {
            if !approval.approvers.is_empty() {
                self.note(format!(
                    "{role}: approvers are listed but approval is not required; not imported (export keeps them unless the policy turns approval on)"
                ));
            }
            return;
        }
        if stages.len() > 1 {
            self.note(format!(
                "{role}: {} approval stages; the approvers of all stages are imported, and export refuses to change them",
                stages.len()
            ));
        }
        let escalation = stages
            .iter()
            .any(|s| s.get("escalationApprovers").and_then(Value::as_array).is_some_and(|a| !a.is_empty()));
        if escalation {
            self.note(format!(
                "{role}: escalation approvers are not modelled; export keeps them as they are"
            ));
        }
    }

    /// The roles once each: a role listed twice the same way (overlapping pages) is kept once;
    /// listed twice differently, or two roles on one policy, cannot be read faithfully.
    fn distinct(&mut self, roles: Vec<TenantRole>) -> Vec<TenantRole> {
        let mut kept: Vec<TenantRole> = Vec::new();
        let mut by_policy: HashMap<String, usize> = HashMap::new();
        let mut by_role: HashMap<String, usize> = HashMap::new();
        for role in roles {
            if let Some(first) = by_role.get(&role.role.id).map(|&i| &kept[i]) {
                if same_rules(first, &role) && first.role.policy_id == role.role.policy_id {
                    self.note(format!(
                        "{}: listed twice in the export (the same policy); read once",
                        role.role.name
                    ));
                } else {
                    let message = format!(
                        "{} has a second, different policy (the first at {}); which one the tenant holds cannot be told",
                        role.role.name,
                        self.source.at(&first.path)
                    );
                    self.problem(&role.path, message, RESAVE);
                }
                continue;
            }
            let key = role.role.policy_id.to_ascii_lowercase();
            if let Some(&other) = by_policy.get(&key) {
                let message = format!(
                    "{} and {} (at {}) name the same policy `{}`; each role has a policy of its own",
                    role.role.name,
                    kept[other].role.name,
                    self.source.at(&kept[other].path),
                    role.role.policy_id
                );
                self.problem(&role.path, message, RESAVE);
                continue;
            }
            by_policy.insert(key, kept.len());
            by_role.insert(role.role.id.clone(), kept.len());
            kept.push(role);
        }
        kept
    }

    /// Nothing was read and nothing was wrong: every assignment was skipped (or there were none).
    fn nothing_to_read(&mut self, assignments: usize) {
        let message = if assignments == 0 {
            "the export lists no role management policy assignments (is the $filter right?)".to_string()
        } else {
            format!(
                "none of the {assignments} assignment(s) is the policy of a directory role (see the notes above: {})",
                self.notes.first().map_or("", String::as_str)
            )
        };
        let help = format!("save `{}`; {}", shape::ASSIGNMENTS_REQUEST, shape::SAVE_HINT);
        self.problems.push(self.source.file_problem(message));
        self.help.push(help);
    }
}

fn same_rules(a: &TenantRole, b: &TenantRole) -> bool {
    a.rules.len() == b.rules.len() && a.rules.iter().zip(&b.rules).all(|(x, y)| x.value == y.value)
}

/// A JSON value's kind, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
