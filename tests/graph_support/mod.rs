//! Shared by the Graph tests: Graph JSON in the shapes Microsoft Graph returns, an applier
//! that plays Graph's part for exported PATCH requests, PowerShell's ConvertTo-Json depth cut,
//! and the effect of a policy as comparable data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pim_notify::{catalog, eval, report, Policy, Query};
use serde_json::{json, Map, Value};

pub const TENANT: &str = "5f2c1a9e-7b3d-4c8e-9a1f-2d6b4e8c0a37";
pub const GA: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const PRA: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";
pub const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
pub const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
pub const SECURITY_ADMIN: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";
pub const CONTEXT: &str =
    "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))";

// ---------------------------------------------------------------- Graph JSON builders

pub fn target(caller: &str, level: &str) -> Value {
    json!({"caller": caller, "operations": ["all"], "level": level, "inheritableSettings": [], "enforcedSettings": []})
}

pub fn notification(id: &str) -> Value {
    let parts: Vec<&str> = id.split('_').collect();
    json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule", "id": id,
        "notificationType": "Email", "recipientType": parts[1], "notificationLevel": "All",
        "isDefaultRecipientsEnabled": true, "notificationRecipients": [], "target": target(parts[2], parts[3])})
}

pub fn user(id: &str, name: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.singleUser", "isBackup": false, "userId": id, "description": name})
}

pub fn group(id: &str, name: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.groupMembers", "isBackup": false, "groupId": id, "description": name})
}

/// `Approval_EndUser_Assignment` with every setting Graph returns.
pub fn approval_rule(required: bool, approvers: Vec<Value>) -> Value {
    json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
        "id": "Approval_EndUser_Assignment", "target": target("EndUser", "Assignment"),
        "setting": {"isApprovalRequired": required, "isApprovalRequiredForExtension": false,
            "isRequestorJustificationRequired": true, "approvalMode": "SingleStage",
            "approvalStages": [{"approvalStageTimeOutInDays": 1, "isApproverJustificationRequired": true,
                "escalationTimeInMinutes": 0, "isEscalationEnabled": false,
                "primaryApprovers": approvers, "escalationApprovers": []}]}})
}

/// All seventeen rules of a directory-role policy at Entra's shipped values, in Graph's order.
pub fn seventeen_rules() -> Vec<Value> {
    let other = |kind: &str, id: &str, extra: Value| {
        let parts: Vec<&str> = id.split('_').collect();
        let mut rule = json!({"@odata.type": format!("#microsoft.graph.unifiedRoleManagementPolicy{kind}Rule"), "id": id,
            "target": target(parts[1], parts[2])});
        for (k, v) in extra.as_object().unwrap() {
            rule[k] = v.clone();
        }
        rule
    };
    let mut rules = Vec::new();
    for (caller, level) in [("Admin", "Eligibility"), ("Admin", "Assignment"), ("EndUser", "Assignment")] {
        let expiration = json!({"isExpirationRequired": level == "Assignment", "maximumDuration": "P180D"});
        rules.push(other("Expiration", &format!("Expiration_{caller}_{level}"), expiration));
        rules.push(other(
            "Enablement",
            &format!("Enablement_{caller}_{level}"),
            json!({"enabledRules": ["Justification"]}),
        ));
        for who in ["Admin", "Requestor", "Approver"] {
            rules.push(notification(&format!("Notification_{who}_{caller}_{level}")));
        }
    }
    rules.push(approval_rule(false, Vec::new()));
    rules.push(other(
        "AuthenticationContext",
        "AuthenticationContext_EndUser_Assignment",
        json!({"isEnabled": false, "claimValue": null}),
    ));
    assert_eq!(rules.len(), 17);
    rules
}

/// A policy id in Graph's form, different from the role id as in real tenants.
pub fn policy_id(role_id: &str) -> String {
    let digits: String = role_id.chars().rev().filter(|c| *c != '-').collect();
    format!(
        "DirectoryRole_{TENANT}_{}-{}-{}-{}-{}",
        &digits[0..8],
        &digits[8..12],
        &digits[12..16],
        &digits[16..20],
        &digits[20..32]
    )
}

pub fn assignment(role_id: &str, rules: Vec<Value>) -> Value {
    let policy_id = policy_id(role_id);
    json!({"id": format!("{policy_id}_{role_id}"), "policyId": policy_id, "scopeId": "/", "scopeType": "DirectoryRole",
        "roleDefinitionId": role_id,
        "policy": {"id": policy_id, "displayName": "DirectoryRole", "description": "DirectoryRole",
            "isOrganizationDefault": false, "scopeId": "/", "scopeType": "DirectoryRole",
            "lastModifiedDateTime": null, "lastModifiedBy": {"displayName": null, "id": null}, "rules": rules}})
}

pub fn rule_mut<'v>(rules: &'v mut [Value], id: &str) -> &'v mut Value {
    rules.iter_mut().find(|r| r["id"] == id).expect("rule exists")
}

pub fn set(rules: &mut [Value], id: &str, field: &str, value: Value) {
    rule_mut(rules, id)[field] = value;
}

/// One page, as Graph returns it.
pub fn page(assignments: Vec<Value>) -> Value {
    json!({"@odata.context": CONTEXT, "value": assignments})
}

/// The assignments split into pages of `size`, each but the last with its `@odata.nextLink`.
pub fn pages(assignments: Vec<Value>, size: usize) -> Vec<Value> {
    let chunks: Vec<Vec<Value>> = assignments.chunks(size).map(<[Value]>::to_vec).collect();
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut page = page(chunk);
            if i + 1 < count {
                page["@odata.nextLink"] = json!(format!(
                    "https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$skiptoken=page{}",
                    i + 2
                ));
            }
            page
        })
        .collect()
}

// ---------------------------------------------------------------- PowerShell

/// What `ConvertTo-Json -Depth depth` writes for `value` (PowerShell 7, as Windows PowerShell
/// 5.1 does too): the top level is depth 0, each member or item one deeper; an object deeper
/// than `depth` becomes its type name, a list its items' text joined by spaces.
pub fn convert_to_json(value: &Value, depth: usize) -> Value {
    cut(value, 0, depth)
}

fn cut(value: &Value, level: usize, depth: usize) -> Value {
    match value {
        Value::Object(_) if level > depth => json!("System.Collections.Hashtable"),
        Value::Array(items) if level > depth => {
            json!(items.iter().map(as_text).collect::<Vec<_>>().join(" "))
        }
        Value::Object(map) => Value::Object(
            map.iter().map(|(k, v)| (k.clone(), cut(v, level + 1, depth))).collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| cut(v, level + 1, depth)).collect()),
        other => other.clone(),
    }
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(_) => "System.Collections.Hashtable".into(),
        Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join(" "),
        Value::Null => String::new(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
    }
}

// ---------------------------------------------------------------- playing Graph

/// Applies exported `$batch` bodies to Graph data as Graph would: each PATCH replaces the
/// properties its body names on the rule its URL names. Checks what Graph checks on the way
/// (batch size, request ids, method, content type, `@odata.type`) and what a batch cannot
/// order (two requests for one rule).
pub fn apply(graph: &Value, batches: &Value) -> Value {
    let mut data = graph.clone();
    let mut seen_urls = std::collections::HashSet::new();
    for batch in batches.as_array().expect("a list of batches") {
        let requests = batch["requests"].as_array().expect("requests");
        assert!(!requests.is_empty() && requests.len() <= 20, "a $batch holds 1 to 20 requests");
        let ids: std::collections::HashSet<&str> =
            requests.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), requests.len(), "request ids are unique in a batch");
        for request in requests {
            assert_eq!(request["method"], "PATCH");
            assert_eq!(request["headers"]["Content-Type"], "application/json");
            let url = request["url"].as_str().unwrap();
            assert!(seen_urls.insert(url.to_string()), "two requests for {url}");
            let (policy, rule_id) = parse_url(url);
            let rule = find_rule(&mut data, &policy, &rule_id);
            let body = request["body"].as_object().expect("a body");
            assert_eq!(body.get("@odata.type"), rule.get("@odata.type"), "{url}: @odata.type must match");
            assert_eq!(body["id"].as_str(), Some(rule_id.as_str()));
            for (key, value) in body {
                rule[key.as_str()] = value.clone();
            }
        }
    }
    data
}

/// `(policy id, rule id)` of `/policies/roleManagementPolicies/{id}/rules/{id}`, decoded.
pub fn parse_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("/policies/roleManagementPolicies/").expect("url shape");
    let (policy, rule) = rest.split_once("/rules/").expect("url shape");
    assert!(!policy.contains('/') && !rule.contains('/'), "{url}");
    (percent_decode(policy), percent_decode(rule))
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Every assignment of a page, a list of pages, or one assignment.
pub fn assignments_mut(data: &mut Value) -> Vec<&mut Value> {
    match data {
        Value::Array(pages) => {
            pages.iter_mut().flat_map(|p| p["value"].as_array_mut().unwrap().iter_mut()).collect()
        }
        page if page.get("value").is_some() => page["value"].as_array_mut().unwrap().iter_mut().collect(),
        one => vec![one],
    }
}

pub fn find_rule<'v>(data: &'v mut Value, policy_id: &str, rule_id: &str) -> &'v mut Value {
    let assignment =
        assignments_mut(data).into_iter().find(|a| a["policy"]["id"] == policy_id).expect("policy in data");
    let rules = assignment["policy"]["rules"].as_array_mut().unwrap();
    rules.iter_mut().find(|r| r["id"] == rule_id).expect("rule in policy")
}

// ---------------------------------------------------------------- effects

/// Every (role, event) answer as JSON without `at` positions (they differ between files).
pub fn answers(policy: &Policy) -> Vec<Value> {
    let mut all = Vec::new();
    for role in &policy.roles {
        for event in catalog::events() {
            let answer = eval::evaluate(policy, role, event, &Query::default());
            let mut value = report::answer_json(policy, &answer);
            strip_at(&mut value);
            all.push(value);
        }
    }
    all
}

pub fn strip_at(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("at");
            map.values_mut().for_each(strip_at);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_at),
        _ => {}
    }
}

pub fn who(policy: &Policy, role: &str, event: &str) -> Value {
    let role = policy.find_role(role).expect("role");
    let event = catalog::find_event(event).expect("event");
    let mut value = report::answer_json(policy, &eval::evaluate(policy, role, event, &Query::default()));
    strip_at(&mut value);
    value
}

pub fn addresses(answer: &Value) -> Vec<String> {
    answer["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap().to_string())
        .collect()
}

pub fn suppressed(answer: &Value) -> Vec<(String, String)> {
    let list = answer["suppressed"].as_array().unwrap();
    list.iter()
        .map(|s| (s["setting"].as_str().unwrap().into(), s["reason"].as_str().unwrap().into()))
        .collect()
}

// ---------------------------------------------------------------- the command line

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn pim_notify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pim-notify"))
        .args(args)
        .current_dir(repo(""))
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

pub fn pim_notify_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pim-notify"))
        .args(args)
        .current_dir(repo(""))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("finishes")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs and expects exit 0.
pub fn ok(out: Output) -> Output {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out
}

/// Runs and expects exit 2 with every `needle` in stderr.
pub fn refused(out: &Output, needles: &[&str]) {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(2), "expected exit 2:\n{text}");
    for needle in needles {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
}
