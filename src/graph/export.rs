//! Policy → Graph `$batch` bodies that PATCH each role's nine notification rules and its
//! approval rule to the policy's effective settings. With the tenant's current policies
//! (`--assignments`) each body is the tenant's own rule with only what must change changed;
//! `--only-changed` leaves out the rules that need no change. The approval rule holds
//! settings the policy does not model, so it is written only from the tenant's rule.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::patch::{self, WantedNotification};
use super::problem::{GraphError, Problem};
use super::rules::{self, NotificationRuleInfo};
use super::setting::{Approval, Level};
use super::tenant::{Tenant, TenantRole};
use super::{check_policy_id, policy_at};
use crate::eval::{self, Effective};
use crate::groups;
use crate::model::{Policy, Role};
use crate::recipient::Recipient;

/// Graph refuses a JSON batch of more than 20 requests.
pub const MAX_REQUESTS_PER_BATCH: usize = 20;

#[derive(Clone, Copy, Debug, Default)]
pub struct ExportOptions<'a> {
    /// The tenant's current policies (the import's input): policy ids, the rules each body
    /// starts from, and with `only_changed` what is already there.
    pub tenant: Option<&'a Tenant>,
    /// Leave out rules that already have the policy's effect.
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
    /// What was not written and why, one sentence each.
    pub notes: Vec<String>,
}

/// The rules of every role the policy speaks for, as batches.
pub fn export_graph(policy: &Policy, options: ExportOptions) -> Result<Exported, GraphError> {
    let targets = targets(policy, options.tenant)?;
    let mut run = Run {
        policy,
        options,
        requests: Vec::new(),
        problems: Vec::new(),
        unchanged: 0,
        approvals_skipped: Vec::new(),
    };
    for target in &targets {
        run.role(target);
    }
    if !run.problems.is_empty() {
        return Err(GraphError::from_problems(run.problems).with_help(
            "fix the policy (or pass --assignments with the tenant's current policies), then export again",
        ));
    }
    let notes = approval_notes(&run.approvals_skipped, options.tenant.is_some());
    let count = run.requests.len();
    let batches: Vec<Value> =
        run.requests.chunks(MAX_REQUESTS_PER_BATCH).map(|chunk| json!({ "requests": chunk })).collect();
    Ok(Exported {
        batches: Value::Array(batches),
        requests: count,
        roles: targets.len(),
        unchanged: run.unchanged,
        notes,
    })
}

/// One role to write: its Graph policy id and, when known, its current policy.
struct Target<'p, 't> {
    role: &'p Role,
    policy_id: String,
    current: Option<&'t TenantRole>,
}

/// Listed roles, plus every built-in role when `defaults:` change per-role settings (they
/// reach roles the file does not list).
fn roles_to_write(policy: &Policy) -> Vec<&Role> {
    let defaults_reach_all = !policy.defaults.is_empty();
    policy.roles.iter().filter(|r| r.is_listed() || (defaults_reach_all && r.builtin.is_some())).collect()
}

/// Each role's policy id (from the file, else the tenant), checked to be a Graph id, to
/// agree with the tenant, and to belong to that role alone.
fn targets<'p, 't>(
    policy: &'p Policy,
    tenant: Option<&'t Tenant>,
) -> Result<Vec<Target<'p, 't>>, GraphError> {
    let mut found: Vec<Target> = Vec::new();
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    for role in roles_to_write(policy) {
        match target(policy, role, tenant) {
            Ok(Some(target)) => found.push(target),
            Ok(None) => missing.push(role.name.as_str()),
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(shared_policy_ids(policy, &found, tenant));
    if !problems.is_empty() {
        return Err(GraphError::from_problems(problems).with_help(
            "each role needs its own Graph policy id: `policy_id:` as `import graph` writes it, or the tenant's in --assignments",
        ));
    }
    if !missing.is_empty() {
        return Err(missing_ids_error(policy, &missing, tenant.is_some()));
    }
    Ok(found)
}

fn target<'p, 't>(
    policy: &Policy,
    role: &'p Role,
    tenant: Option<&'t Tenant>,
) -> Result<Option<Target<'p, 't>>, Problem> {
    let from_tenant = tenant.and_then(|t| role.id.as_deref().and_then(|id| t.role_by_id(id)));
    let Some(written) = &role.policy_id else {
        return Ok(from_tenant.map(|current| Target {
            role,
            policy_id: current.role.policy_id.clone(),
            current: Some(current),
        }));
    };
    let at = Some(policy_at(policy, written.pos));
    let problem = |message: String| Problem { at: at.clone(), path: None, message };
    if let Err(why) = check_policy_id(&written.value) {
        return Err(problem(format!(
            "{}: policy_id {} {why}",
            role.name,
            super::write::quoted(&written.value)
        )));
    }
    let by_policy = tenant.and_then(|t| t.role_by_policy(&written.value));
    if let (Some(tenant), Some(current)) = (tenant, from_tenant) {
        if !current.role.policy_id.eq_ignore_ascii_case(&written.value) {
            return Err(problem(format!(
                "{}: policy_id `{}` in the file, `{}` in {} (is the file from another tenant?)",
                role.name, written.value, current.role.policy_id, tenant.name
            )));
        }
    } else if let (Some(tenant), Some(other)) = (tenant, by_policy) {
        return Err(problem(format!(
            "{}: policy_id `{}` is the policy of {} in {} (at {})",
            role.name,
            written.value,
            other.role.name,
            tenant.name,
            tenant.source().at(&other.path)
        )));
    }
    Ok(Some(Target { role, policy_id: written.value.clone(), current: by_policy }))
}

/// Two roles on one policy id would get two PATCHes of one rule, which Graph runs in no set
/// order (a `$batch` has no order without `dependsOn`): refused, naming both.
fn shared_policy_ids(policy: &Policy, targets: &[Target], tenant: Option<&Tenant>) -> Vec<Problem> {
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let Some(&first) = first_of.get(&target.policy_id.to_ascii_lowercase()) else {
            first_of.insert(target.policy_id.to_ascii_lowercase(), i);
            continue;
        };
        let first = &targets[first];
        problems.push(Problem {
            at: Some(where_id_comes_from(policy, target, tenant)),
            path: None,
            message: format!(
                "{} and {} (policy_id at {}) name the same Graph policy `{}`; each role has a policy of its own",
                target.role.name,
                first.role.name,
                where_id_comes_from(policy, first, tenant),
                target.policy_id
            ),
        });
    }
    problems
}

fn where_id_comes_from(policy: &Policy, target: &Target, tenant: Option<&Tenant>) -> String {
    match (&target.role.policy_id, target.current, tenant) {
        (Some(id), _, _) => policy_at(policy, id.pos),
        (None, Some(current), Some(tenant)) => tenant.source().at(&current.path),
        _ => policy.source.clone(),
    }
}

fn missing_ids_error(policy: &Policy, missing: &[&str], had_tenant: bool) -> GraphError {
    let shown: Vec<String> = missing.iter().take(10).map(|n| format!("`{n}`")).collect();
    let more = if missing.len() > shown.len() {
        format!(" and {} more", missing.len() - shown.len())
    } else {
        String::new()
    };
    let hint = if had_tenant {
        "the --assignments file has no policy for them either; add `policy_id:` to each role"
    } else {
        "add `policy_id:` to each role, or pass --assignments FILE (the tenant's current policies, what `import graph` reads)"
    };
    GraphError::new(format!(
        "no Graph policy id for {} role(s) of {}: {}{more}; {hint}",
        missing.len(),
        policy.source,
        shown.join(", ")
    ))
}

/// The requests being gathered and the problems found on the way.
struct Run<'a> {
    policy: &'a Policy,
    options: ExportOptions<'a>,
    requests: Vec<Value>,
    problems: Vec<Problem>,
    unchanged: usize,
    /// Roles whose approval rule was not written, for lack of their current rule.
    approvals_skipped: Vec<String>,
}

impl Run<'_> {
    fn role(&mut self, target: &Target) {
        for info in rules::notification_rules() {
            match wanted_notification(self.policy, target.role, info) {
                Ok(wanted) => self.notification(target, &wanted),
                Err(message) => self.problem_at_role(target.role, message),
            }
        }
        if target.role.is_listed() {
            self.approval(target);
        }
    }

    fn notification(&mut self, target: &Target, wanted: &WantedNotification) {
        let current = target.current.and_then(|c| c.rule(wanted.info.rule_id));
        let body = match current {
            Some(rule) => patch::notification(&rule.value, wanted),
            None => wanted.fresh_body(),
        };
        self.push(target, wanted.info.rule_id, body, current.map(|r| &r.value));
    }

    fn approval(&mut self, target: &Target) {
        let role = target.role;
        let wanted = match wanted_approval(self.policy, role) {
            Ok(wanted) => wanted,
            Err(message) => return self.problem_at_role(role, message),
        };
        let tenant = self.options.tenant;
        let current = target.current.and_then(|c| c.rule(rules::APPROVAL_RULE_ID));
        let (Some(tenant), Some(rule)) = (tenant, current) else {
            return self.approval_without_current(role);
        };
        match patch::approval(&rule.value, &wanted, tenant) {
            Ok(body) => self.push(target, rules::APPROVAL_RULE_ID, body, Some(&rule.value)),
            Err(message) => self.problem_at_role(role, format!("{}: {message}", role.name)),
        }
    }

    /// Without the tenant's rule, the approval rule's other settings (justification,
    /// timeouts, escalation) are unknown and a PATCH would reset them: a policy that states
    /// approval is refused, any other leaves the rule alone and says so.
    fn approval_without_current(&mut self, role: &Role) {
        if role.approval_required.is_none() && role.approvers.is_none() {
            self.approvals_skipped.push(role.name.clone());
            return;
        }
        let message = format!(
            "{}: writing `{}` needs the tenant's current rule, which keeps the settings this tool does not model (justification, timeouts, escalation); pass --assignments with a policy for this role",
            role.name,
            rules::APPROVAL_RULE_ID
        );
        self.problem_at_role(role, message);
    }

    fn push(&mut self, target: &Target, rule_id: &str, body: Value, current: Option<&Value>) {
        if self.options.only_changed && current == Some(&body) {
            self.unchanged += 1;
            return;
        }
        let url = format!(
            "/policies/roleManagementPolicies/{}/rules/{}",
            path_segment(&target.policy_id),
            path_segment(rule_id)
        );
        self.requests.push(json!({
            "id": (self.requests.len() + 1).to_string(),
            "method": "PATCH",
            "url": url,
            "headers": { "Content-Type": "application/json" },
            "body": body,
        }));
    }

    fn problem_at_role(&mut self, role: &Role, message: String) {
        let at = role
            .declared
            .map(|pos| policy_at(self.policy, pos))
            .unwrap_or_else(|| self.policy.source.clone());
        self.problems.push(Problem { at: Some(at), path: None, message });
    }
}

fn approval_notes(skipped: &[String], had_tenant: bool) -> Vec<String> {
    if skipped.is_empty() {
        return Vec::new();
    }
    let why = if had_tenant { "--assignments has no policy for them" } else { "no --assignments" };
    vec![format!(
        "`{}` not written for {} role(s) ({why}): the policy does not state their approval, so it stays as the tenant has it",
        rules::APPROVAL_RULE_ID,
        skipped.len()
    )]
}

/// The notification rule the policy asks for.
fn wanted_notification(
    policy: &Policy,
    role: &Role,
    info: NotificationRuleInfo,
) -> Result<WantedNotification, String> {
    let effective = eval::effective(policy, role, info.setting);
    let level = if effective.disabled.value {
        Level::None
    } else if effective.critical_only.value {
        Level::Critical
    } else {
        Level::All
    };
    let recipients = email_recipients(policy, &effective).map_err(|bad| {
        format!(
            "{}: `{}` extra recipient `{bad}` is not an email address (Graph's notificationRecipients takes only addresses)",
            role.name, info.setting
        )
    })?;
    Ok(WantedNotification { info, level, default_recipients: effective.default_recipients.value, recipients })
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

/// Approval as the policy states it; approvers must be directory objects (`object:GUID`,
/// directly or through the file's groups), which is all Graph's `primaryApprovers` takes.
fn wanted_approval(policy: &Policy, role: &Role) -> Result<Approval, String> {
    let required = role.requires_approval();
    let mut approval = Approval { required, approvers: Vec::new() };
    if !required {
        return Ok(approval);
    }
    if role.approvers.as_ref().is_some_and(|l| l.items.is_empty()) {
        return Err(format!(
            "{}: `approvers: []` names nobody, and Graph cannot say that (its empty primaryApprovers means the default approvers); remove `approvers:` for the default approvers, or name them",
            role.name
        ));
    }
    let listed = role.approvers.iter().flat_map(|l| &l.items);
    let mut push = |recipient: &Recipient, via: Option<&str>| match recipient {
        Recipient::Object(id) => {
            let id = id.to_ascii_lowercase();
            if !approval.approvers.contains(&id) {
                approval.approvers.push(id);
            }
            Ok(())
        }
        other => {
            let via = via.map(|g| format!(" (in group:{g})")).unwrap_or_default();
            Err(format!(
                "{}: approver `{other}`{via} is not a directory object; Graph's primaryApprovers take users and groups as `object:GUID`",
                role.name
            ))
        }
    };
    for recipient in listed {
        match &recipient.value {
            Recipient::Group(name) => {
                for member in groups::expand(&policy.groups, name) {
                    push(&member.recipient.value, Some(name))?;
                }
            }
            other => push(other, None)?,
        }
    }
    Ok(approval)
}

/// Percent-encodes what is not safe in a URL path segment. Ids are checked before they get
/// here; this keeps any other character from changing the URL's meaning all the same.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(path_segment("DirectoryRole_a-b"), "DirectoryRole_a-b");
        assert_eq!(path_segment(".."), "%2E%2E");
        assert_eq!(path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(path_segment("é"), "%C3%A9");
    }
}
