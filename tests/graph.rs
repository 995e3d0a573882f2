//! `import graph` / `export graph`: the mapping rule by rule, lifting into `defaults:`, and the
//! round trip Graph → policy → PATCH requests → Graph → policy with unchanged answers.

use std::process::Command;

use pim_notify::catalog::{self, SettingId};
use pim_notify::graph::{self, ExportOptions};
use pim_notify::{eval, load_str, report, Policy, Query};
use serde_json::{json, Value};

const GA: &str = "62e90394-69f5-4237-9190-012177145e10";
const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const EXAMPLE: &str = include_str!("../examples/graph/export.json");

// ---------------------------------------------------------------- Graph JSON builders

fn target(caller: &str, level: &str) -> Value {
    json!({"caller": caller, "operations": ["All"], "level": level, "inheritableSettings": [], "enforcedSettings": []})
}

fn notification(id: &str) -> Value {
    let parts: Vec<&str> = id.split('_').collect();
    json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule", "id": id,
        "notificationType": "Email", "recipientType": parts[1], "notificationLevel": "All",
        "isDefaultRecipientsEnabled": true, "notificationRecipients": [], "target": target(parts[2], parts[3])})
}

/// All seventeen rules of a directory-role policy at Entra's shipped values.
fn seventeen_rules() -> Vec<Value> {
    let other = |kind: &str, id: &str| {
        let parts: Vec<&str> = id.split('_').collect();
        json!({"@odata.type": format!("#microsoft.graph.unifiedRoleManagementPolicy{kind}Rule"), "id": id,
            "target": target(parts[1], parts[2])})
    };
    let mut rules = Vec::new();
    for (caller, level) in [("Admin", "Eligibility"), ("Admin", "Assignment"), ("EndUser", "Assignment")] {
        rules.push(other("Expiration", &format!("Expiration_{caller}_{level}")));
        rules.push(other("Enablement", &format!("Enablement_{caller}_{level}")));
        for who in ["Admin", "Requestor", "Approver"] {
            rules.push(notification(&format!("Notification_{who}_{caller}_{level}")));
        }
    }
    rules.push(json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
        "id": "Approval_EndUser_Assignment", "target": target("EndUser", "Assignment"),
        "setting": {"isApprovalRequired": false, "approvalStages": [{"primaryApprovers": []}]}}));
    rules.push(other("AuthenticationContext", "AuthenticationContext_EndUser_Assignment"));
    assert_eq!(rules.len(), 17);
    rules
}

fn assignment(role_id: &str, rules: Vec<Value>) -> Value {
    let policy_id = format!("DirectoryRole_tenant_{role_id}");
    json!({"id": format!("{policy_id}_{role_id}"), "policyId": policy_id, "scopeId": "/", "scopeType": "DirectoryRole",
        "roleDefinitionId": role_id, "policy": {"id": policy_id, "rules": rules}})
}

fn set(rules: &mut [Value], id: &str, field: &str, value: Value) {
    let rule = rules.iter_mut().find(|r| r["id"] == id).expect("rule exists");
    rule[field] = value;
}

fn page(assignments: Vec<Value>) -> String {
    json!({"value": assignments}).to_string()
}

// ---------------------------------------------------------------- helpers

fn import(text: &str) -> (Policy, graph::Imported) {
    let imported = graph::import_graph("export.json", text, &[]).expect("imports");
    let loaded = load_str("imported.yaml", &imported.yaml).expect("parses");
    assert!(!loaded.has_errors(), "{:?}\n{}", loaded.diagnostics, imported.yaml);
    (loaded.policy, imported)
}

/// Every (role, event) answer as JSON without `at` positions (they differ between files).
fn answers(policy: &Policy) -> Vec<Value> {
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

fn strip_at(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("at");
            map.values_mut().for_each(strip_at);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_at),
        _ => {}
    }
}

fn who(policy: &Policy, role: &str, event: &str) -> Value {
    let role = policy.find_role(role).expect("role");
    let event = catalog::find_event(event).expect("event");
    let mut value = report::answer_json(policy, &eval::evaluate(policy, role, event, &Query::default()));
    strip_at(&mut value);
    value
}

fn addresses(answer: &Value) -> Vec<String> {
    answer["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap().to_string())
        .collect()
}

fn suppressed(answer: &Value) -> Vec<(String, String)> {
    let list = answer["suppressed"].as_array().unwrap();
    list.iter()
        .map(|s| (s["setting"].as_str().unwrap().into(), s["reason"].as_str().unwrap().into()))
        .collect()
}

/// Applies exported PATCH requests to Graph data, as Graph would.
fn apply(graph_json: &str, batches: &Value) -> String {
    let mut data: Value = serde_json::from_str(graph_json).unwrap();
    for batch in batches.as_array().unwrap() {
        let requests = batch["requests"].as_array().unwrap();
        assert!(requests.len() <= 20);
        for request in requests {
            assert_eq!(request["method"], "PATCH");
            assert_eq!(request["headers"]["Content-Type"], "application/json");
            let url = request["url"].as_str().unwrap();
            let rest = url.strip_prefix("/policies/roleManagementPolicies/").expect("url shape");
            let (policy_id, rule_id) = rest.split_once("/rules/").expect("url shape");
            let rule = find_rule(&mut data, policy_id, rule_id);
            for (key, value) in request["body"].as_object().unwrap() {
                rule[key.as_str()] = value.clone();
            }
        }
    }
    data.to_string()
}

fn find_rule<'v>(data: &'v mut Value, policy_id: &str, rule_id: &str) -> &'v mut Value {
    let assignments = data["value"].as_array_mut().unwrap();
    let a = assignments.iter_mut().find(|a| a["policy"]["id"] == policy_id).expect("policy in data");
    let rules = a["policy"]["rules"].as_array_mut().unwrap();
    rules.iter_mut().find(|r| r["id"] == rule_id).expect("rule in policy")
}

fn export(policy: &Policy, options: ExportOptions) -> graph::Exported {
    graph::export_graph(policy, options).expect("exports")
}

// ---------------------------------------------------------------- mapping, rule by rule

#[test]
fn each_notification_rule_maps_to_its_setting() {
    for info in graph::rules::notification_rules() {
        let setting = info.setting;
        let mut rules = seventeen_rules();
        set(&mut rules, info.rule_id, "notificationLevel", json!("None"));
        let (policy, _) = import(&page(vec![assignment(GA, rules)]));
        let role = policy.find_role("Global Administrator").unwrap();
        for other in graph::rules::notification_rules().map(|r| r.setting) {
            let effective = eval::effective(&policy, role, other);
            assert_eq!(effective.disabled.value, other == setting, "{} → {other}", info.rule_id);
        }

        if setting == SettingId::parse("activation.approver").unwrap() {
            continue; // Entra takes no additional recipients there
        }
        let mut rules = seventeen_rules();
        set(&mut rules, info.rule_id, "isDefaultRecipientsEnabled", json!(false));
        set(&mut rules, info.rule_id, "notificationRecipients", json!(["soc@contoso.com"]));
        set(&mut rules, info.rule_id, "notificationLevel", json!("Critical"));
        let (policy, imported) = import(&page(vec![assignment(GA, rules)]));
        let role = policy.find_role(GA).unwrap();
        let effective = eval::effective(&policy, role, setting);
        assert!(!effective.default_recipients.value, "{}", info.rule_id);
        assert_eq!(effective.extra.len(), 1, "{}", info.rule_id);
        assert_eq!(effective.critical_only.value, !setting.all_events_critical(), "{}", info.rule_id);
        let comment = format!("# {} (Graph: {})", setting.info().admin_center_row, info.rule_id);
        assert!(imported.yaml.contains(&comment), "{comment}\n{}", imported.yaml);
    }
}

#[test]
fn critical_level_sends_only_critical_emails() {
    let mut rules = seventeen_rules();
    set(&mut rules, "Notification_Admin_Admin_Eligibility", "notificationLevel", json!("Critical"));
    set(&mut rules, "Notification_Approver_Admin_Eligibility", "notificationLevel", json!("Critical"));
    let (policy, _) = import(&page(vec![assignment(GA, rules)]));
    let assigned = who(&policy, GA, "eligible.assigned");
    assert!(suppressed(&assigned).contains(&("eligible.admin".into(), "critical-only".into())));
    // An extension request asks its approvers (the role's administrators) to act.
    let extension = who(&policy, GA, "eligible.extension-requested");
    assert!(addresses(&extension).contains(&"<role-admins>".to_string()));
}

#[test]
fn approval_rule_gives_approval_and_approvers_as_objects() {
    let mut rules = seventeen_rules();
    let approvers = json!([
        {"@odata.type": "#microsoft.graph.singleUser", "userId": "5D3F1C2A-8B7E-4F6D-9A0B-C1D2E3F4A5B6"},
        {"@odata.type": "#microsoft.graph.groupMembers", "groupId": "7e1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8"},
        {"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1}
    ]);
    set(
        &mut rules,
        "Approval_EndUser_Assignment",
        "setting",
        json!({"isApprovalRequired": true, "approvalStages": [{"primaryApprovers": approvers}]}),
    );
    let (policy, imported) = import(&page(vec![assignment(GA, rules)]));
    let requested = who(&policy, GA, "activation.requested");
    assert_eq!(
        addresses(&requested),
        ["object:5d3f1c2a-8b7e-4f6d-9a0b-c1d2e3f4a5b6", "object:7e1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8"]
    );
    assert!(imported.notes.iter().any(|n| n.contains("requestorManager")), "{:?}", imported.notes);
}

#[test]
fn approval_without_approvers_goes_to_the_default_approvers() {
    let mut rules = seventeen_rules();
    set(&mut rules, "Approval_EndUser_Assignment", "setting", json!({"isApprovalRequired": true}));
    let (policy, _) = import(&page(vec![assignment(GA, rules)]));
    assert_eq!(addresses(&who(&policy, GA, "activation.requested")), ["<approvers>"]);
    let (policy, _) = import(&page(vec![assignment(GA, seventeen_rules())]));
    assert_eq!(suppressed(&who(&policy, GA, "activation.requested"))[0].1, "does-not-occur");
}

#[test]
fn unknown_rules_and_targets_are_skipped_with_a_note() {
    let mut rules = seventeen_rules();
    rules.push(json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyFutureRule", "id": "Future_EndUser_Assignment"}));
    set(&mut rules, "Notification_Admin_Admin_Eligibility", "target", target("EndUser", "Assignment"));
    set(&mut rules, "Notification_Admin_Admin_Eligibility", "notificationLevel", json!("None"));
    set(&mut rules, "Notification_Admin_Admin_Assignment", "notificationLevel", json!("Sometimes"));
    set(
        &mut rules,
        "Notification_Requestor_Admin_Assignment",
        "notificationRecipients",
        json!(["not an address"]),
    );
    let (policy, imported) = import(&page(vec![assignment(GA, rules)]));
    let notes = imported.notes.join("\n");
    for expected in [
        "Future_EndUser_Assignment",
        "unexpected target caller EndUser / level Assignment",
        "Sometimes",
        "not an address",
    ] {
        assert!(notes.contains(expected), "{expected} missing from:\n{notes}");
    }
    let role = policy.find_role(GA).unwrap();
    let skipped = eval::effective(&policy, role, SettingId::parse("eligible.admin").unwrap());
    assert!(!skipped.disabled.value, "a skipped rule keeps Entra's default");
}

#[test]
fn custom_roles_are_named_from_role_definitions() {
    let names =
        graph::parse_role_definitions(include_str!("../examples/graph/role-definitions.json")).unwrap();
    let imported = graph::import_graph("export.json", EXAMPLE, &names).unwrap();
    assert!(imported.yaml.contains("- name: Contoso Tier-1 Support"));
    assert!(!imported.notes.iter().any(|n| n.contains("not a built-in role")));
}

#[test]
fn what_is_not_an_export_is_refused() {
    for text in
        ["not json", r#"{"policies": []}"#, r#"{"value": []}"#, r#"[{"value": [{"roleDefinitionId": "x"}]}]"#]
    {
        assert!(graph::import_graph("x.json", text, &[]).is_err(), "{text}");
    }
}

// ---------------------------------------------------------------- defaults and absent roles

/// An export of every built-in role: all share the SOC copy of activation alerts and
/// critical-only assignment mails; GA adds the CISO and disables an alert.
fn whole_tenant() -> String {
    let assignments = catalog::entra_roles()
        .iter()
        .map(|role| {
            let mut rules = seventeen_rules();
            let mut extra = vec!["soc@contoso.com"];
            if role.id == GA {
                extra.push("ciso@contoso.com");
                set(&mut rules, "Notification_Admin_Admin_Assignment", "notificationLevel", json!("None"));
            } else {
                set(
                    &mut rules,
                    "Notification_Admin_Admin_Assignment",
                    "isDefaultRecipientsEnabled",
                    json!(false),
                );
            }
            set(&mut rules, "Notification_Admin_EndUser_Assignment", "notificationRecipients", json!(extra));
            set(
                &mut rules,
                "Notification_Requestor_Admin_Eligibility",
                "notificationLevel",
                json!("Critical"),
            );
            if role.id == USER_ADMIN {
                set(
                    &mut rules,
                    "Notification_Requestor_EndUser_Assignment",
                    "notificationLevel",
                    json!("None"),
                );
            }
            assignment(&role.id, rules)
        })
        .collect();
    page(assignments)
}

#[test]
fn settings_every_role_shares_are_lifted_when_the_export_covers_every_role() {
    let (policy, imported) = import(&whole_tenant());
    assert!(imported.lifted);
    let defaults = imported.yaml.split("\nroles:").next().unwrap();
    assert!(defaults.contains("activation.admin: { extra: [soc@contoso.com] }"), "{defaults}");
    assert!(defaults.contains("eligible.assignee: { critical_only: true }"), "{defaults}");
    assert!(defaults.contains("active.admin: { default_recipients: false }"), "{defaults}");
    assert!(imported.yaml.contains("activation.admin: { extra: [ciso@contoso.com] }"));
    assert_eq!(
        addresses(&who(&policy, GA, "activation.completed")),
        ["ciso@contoso.com", "soc@contoso.com", "<admins>", "<assignee>"]
    );
    assert_eq!(
        suppressed(&who(&policy, GA, "active.assigned")),
        [("active.admin".into(), "disabled".into())]
    );
    assert_eq!(
        suppressed(&who(&policy, HELPDESK, "active.assigned")),
        [("active.admin".into(), "no-default-recipients".into())]
    );
    assert_eq!(
        suppressed(&who(&policy, USER_ADMIN, "activation.completed")),
        [("activation.assignee".into(), "disabled".into())]
    );
}

#[test]
fn built_in_roles_missing_from_the_export_keep_entras_defaults() {
    let shared = |id: &str| {
        let mut rules = seventeen_rules();
        set(
            &mut rules,
            "Notification_Admin_EndUser_Assignment",
            "notificationRecipients",
            json!(["soc@contoso.com"]),
        );
        assignment(id, rules)
    };
    let (policy, imported) = import(&page(vec![shared(GA), shared(USER_ADMIN)]));
    assert!(!imported.lifted);
    assert!(!imported.yaml.contains("\ndefaults:\n"));
    let builtin = Policy::builtin_default();
    assert_eq!(
        who(&policy, HELPDESK, "activation.completed"),
        who(&builtin, HELPDESK, "activation.completed")
    );
    assert!(addresses(&who(&policy, GA, "activation.completed")).contains(&"soc@contoso.com".to_string()));
}

// ---------------------------------------------------------------- export and round trip

fn round_trip(graph_json: &str) {
    let (first, _) = import(graph_json);
    let exported = export(&first, ExportOptions::default());
    assert_eq!(exported.requests, exported.roles * 9);
    let (second, _) = import(&apply(graph_json, &exported.batches));
    assert_eq!(answers(&first), answers(&second));
}

#[test]
fn round_trip_of_the_example_changes_no_answer() {
    round_trip(EXAMPLE);
}

#[test]
fn round_trip_with_lifted_defaults_changes_no_answer() {
    round_trip(&whole_tenant());
}

#[test]
fn an_edited_policy_reaches_graph_with_only_changed() {
    let (_, imported) = import(EXAMPLE);
    let edited = imported.yaml.replace(
        "activation.admin: { extra: [helpdesk-lead@contoso.com] }",
        "activation.admin: { extra: [helpdesk-lead@contoso.com, ciso@contoso.com] }\n      eligible.assignee: { disabled: true }",
    );
    assert_ne!(edited, imported.yaml);
    let edited = load_str("edited.yaml", &edited).unwrap().policy;
    let current = graph::parse_export(EXAMPLE).unwrap();
    let options = ExportOptions { assignments: Some(&current), only_changed: true };
    let exported = export(&edited, options);
    assert_eq!(exported.requests, 2, "{:#}", exported.batches);
    let (after, _) = import(&apply(EXAMPLE, &exported.batches));
    for role in ["User Administrator", "Global Administrator"] {
        for event in ["activation.completed", "eligible.assigned"] {
            let (want, got) = (who(&edited, role, event), who(&after, role, event));
            assert_eq!(addresses(&want), addresses(&got), "{role} {event}");
            assert_eq!(suppressed(&want), suppressed(&got), "{role} {event}");
        }
    }
}

#[test]
fn export_takes_policy_ids_from_assignments() {
    let text = "roles:\n  - name: Global Administrator\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n";
    let policy = load_str("p.yaml", text).unwrap().policy;
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("`Global Administrator`") && err.contains("--assignments"), "{err}");
    let current = graph::parse_export(&page(vec![assignment(GA, seventeen_rules())])).unwrap();
    let exported = export(&policy, ExportOptions { assignments: Some(&current), only_changed: true });
    assert_eq!(exported.requests, 1);
    let request = &exported.batches[0]["requests"][0];
    assert_eq!(request["url"], format!("/policies/roleManagementPolicies/DirectoryRole_tenant_{GA}/rules/Notification_Admin_EndUser_Assignment"));
    assert_eq!(request["body"]["notificationRecipients"], json!(["soc@contoso.com"]));
    assert_eq!(
        request["body"]["@odata.type"],
        "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule"
    );
}

#[test]
fn defaults_reach_every_built_in_role_so_each_needs_a_policy_id() {
    let policy =
        load_str("p.yaml", "defaults:\n  activation.admin: { extra: [soc@contoso.com] }\n").unwrap().policy;
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(
        err.contains(&format!("no Graph policy id for {} role(s)", catalog::entra_roles().len())),
        "{err}"
    );
}

#[test]
fn recipients_graph_cannot_take_are_an_error() {
    let text = "roles:\n  - name: Global Administrator\n    policy_id: p1\n    settings:\n      activation.admin: { extra: [\"<assignee>\"] }\n";
    let policy = load_str("p.yaml", text).unwrap().policy;
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("Global Administrator") && err.contains("<assignee>"), "{err}");
}

// ---------------------------------------------------------------- the command line

fn pim_notify(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(args).output().expect("runs")
}

#[test]
fn cli_imports_to_a_file_and_exports_it_back() {
    let dir = std::env::temp_dir().join(format!("pim-notify-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = dir.join("tenant.yaml");
    let out = pim_notify(&["import", "graph", "examples/graph/export.json", "-o", yaml.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: User Administrator: approvers are listed"), "{stderr}");
    let who_out = pim_notify(&[
        "who",
        "-p",
        yaml.to_str().unwrap(),
        "--role",
        "Global Administrator",
        "--event",
        "activation.completed",
        "-f",
        "json",
    ]);
    let answer: Value = serde_json::from_slice(&who_out.stdout).unwrap();
    assert_eq!(addresses(&answer), ["ciso@contoso.com", "soc@contoso.com", "<admins>", "<assignee>"]);
    let batches = pim_notify(&["export", "graph", yaml.to_str().unwrap()]);
    assert_eq!(batches.status.code(), Some(0));
    let batches: Value = serde_json::from_slice(&batches.stdout).unwrap();
    assert_eq!(batches.as_array().unwrap().len(), 4); // 7 roles × 9 rules = 63 requests
    std::fs::remove_dir_all(&dir).unwrap();
}

/// DESIGN §8 end to end: import, export, apply the PATCH requests to the Graph data, import
/// again; `diff --exit-code` between the two imports finds no effect.
#[test]
fn cli_round_trip_has_no_effect_diff() {
    let dir = std::env::temp_dir().join(format!("pim-notify-graph-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let ok = |out: std::process::Output| {
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        out
    };
    ok(pim_notify(&["import", "graph", "examples/graph/export.json", "-o", &path("first.yaml")]));
    let batches = ok(pim_notify(&["export", "graph", &path("first.yaml")]));
    let batches: Value = serde_json::from_slice(&batches.stdout).unwrap();
    std::fs::write(dir.join("applied.json"), apply(EXAMPLE, &batches)).unwrap();
    ok(pim_notify(&["import", "graph", &path("applied.json"), "-o", &path("second.yaml")]));
    let diff = pim_notify(&["diff", "--exit-code", &path("first.yaml"), &path("second.yaml")]);
    assert_eq!(diff.status.code(), Some(0), "{}", String::from_utf8_lossy(&diff.stdout));
    // And the check can fail: an edited policy does differ.
    let edited = std::fs::read_to_string(dir.join("second.yaml"))
        .unwrap()
        .replace("soc@contoso.com", "noc@contoso.com");
    std::fs::write(dir.join("edited.yaml"), edited).unwrap();
    let diff = pim_notify(&["diff", "--exit-code", &path("first.yaml"), &path("edited.yaml")]);
    assert_eq!(diff.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_refuses_bad_input_with_exit_2() {
    let out = pim_notify(&["import", "graph", "policies/contoso.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("roleManagementPolicyAssignments"));
    let out = pim_notify(&["export", "graph", "policies/contoso.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Graph policy id"));
    let out = pim_notify(&["export", "graph", "policies/contoso.yaml", "--only-changed"]);
    assert_eq!(out.status.code(), Some(2), "--only-changed needs --assignments");
}

#[test]
fn the_committed_example_outputs_are_current() {
    let names =
        graph::parse_role_definitions(include_str!("../examples/graph/role-definitions.json")).unwrap();
    let imported = graph::import_graph("examples/graph/export.json", EXAMPLE, &names).unwrap();
    assert_eq!(
        imported.yaml,
        include_str!("../examples/graph/tenant.yaml"),
        "regenerate examples/graph/tenant.yaml"
    );
    let policy = load_str("examples/graph/tenant.yaml", &imported.yaml).unwrap().policy;
    let batches =
        serde_json::to_string_pretty(&export(&policy, ExportOptions::default()).batches).unwrap() + "\n";
    assert_eq!(
        batches,
        include_str!("../examples/graph/batches.json"),
        "regenerate examples/graph/batches.json"
    );
}
