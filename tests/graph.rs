//! `import graph` / `export graph`: the mapping rule by rule, lifting into `defaults:`, the
//! approval rule both ways, policy ids, and the round trip Graph → policy → PATCH requests →
//! Graph → policy with no effect diff.

mod graph_support;

use graph_support::*;
use pim_notify::catalog::{self, SettingId};
use pim_notify::graph::{self, ExportOptions, ReadOptions, Tenant};
use pim_notify::{eval, load_str, Policy};
use serde_json::{json, Value};

const EXAMPLE: &str = include_str!("../examples/graph/export.json");
const FIXTURE: &str = include_str!("fixtures/graph/tenant-page.json");

// ---------------------------------------------------------------- helpers

fn import(text: &str) -> (Policy, graph::Imported) {
    let imported = graph::import_graph("export.json", text, &[], ReadOptions::default()).expect("imports");
    (load(&imported.yaml), imported)
}

fn load(yaml: &str) -> Policy {
    let loaded = load_str("imported.yaml", yaml).expect("parses");
    assert!(!loaded.has_errors(), "{:?}\n{yaml}", loaded.diagnostics);
    loaded.policy
}

fn refusal(text: &str) -> String {
    graph::import_graph("export.json", text, &[], ReadOptions::default()).expect_err("refused").to_string()
}

fn tenant(text: &str) -> Tenant {
    graph::read_tenant("export.json", text, ReadOptions::default(), None).expect("reads")
}

fn export(policy: &Policy, tenant: Option<&Tenant>, only_changed: bool) -> graph::Exported {
    graph::export_graph(policy, ExportOptions { tenant, only_changed }).expect("exports")
}

fn requests(exported: &graph::Exported) -> Vec<Value> {
    exported
        .batches
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["requests"].as_array().unwrap().clone())
        .collect()
}

fn ga_page(rules: Vec<Value>) -> String {
    page(vec![assignment(GA, rules)]).to_string()
}

// ---------------------------------------------------------------- mapping, rule by rule

#[test]
fn each_notification_rule_maps_to_its_setting() {
    for info in graph::rules::notification_rules() {
        let setting = info.setting;
        let mut rules = seventeen_rules();
        set(&mut rules, info.rule_id, "notificationLevel", json!("None"));
        let (policy, _) = import(&ga_page(rules));
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
        let (policy, imported) = import(&ga_page(rules));
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
    let (policy, _) = import(&ga_page(rules));
    let assigned = who(&policy, GA, "eligible.assigned");
    assert!(suppressed(&assigned).contains(&("eligible.admin".into(), "critical-only".into())));
    // An extension request asks its approvers (the role's administrators) to act.
    let extension = who(&policy, GA, "eligible.extension-requested");
    assert!(addresses(&extension).contains(&"<role-admins>".to_string()));
}

#[test]
fn approval_rule_gives_approval_and_approvers_as_objects() {
    let mut rules = seventeen_rules();
    let approvers = vec![
        user("5D3F1C2A-8B7E-4F6D-9A0B-C1D2E3F4A5B6", "Dana"),
        group("7e1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8", "Approvers"),
    ];
    *rule_mut(&mut rules, "Approval_EndUser_Assignment") = approval_rule(true, approvers);
    let (policy, _) = import(&ga_page(rules));
    let requested = who(&policy, GA, "activation.requested");
    assert_eq!(
        addresses(&requested),
        ["object:5d3f1c2a-8b7e-4f6d-9a0b-c1d2e3f4a5b6", "object:7e1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8"]
    );
}

#[test]
fn approval_without_approvers_goes_to_the_default_approvers() {
    let mut rules = seventeen_rules();
    *rule_mut(&mut rules, "Approval_EndUser_Assignment") = approval_rule(true, Vec::new());
    let (policy, _) = import(&ga_page(rules));
    assert_eq!(addresses(&who(&policy, GA, "activation.requested")), ["<approvers>"]);
    let (policy, _) = import(&ga_page(seventeen_rules()));
    assert_eq!(suppressed(&who(&policy, GA, "activation.requested"))[0].1, "does-not-occur");
}

#[test]
fn unknown_rules_are_kept_with_a_note() {
    let mut rules = seventeen_rules();
    rules.push(json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyFutureRule",
        "id": "Future_EndUser_Assignment", "target": target("EndUser", "Assignment")}));
    let (_, imported) = import(&ga_page(rules));
    assert!(imported.notes.iter().any(|n| n.contains("Future_EndUser_Assignment")), "{:?}", imported.notes);
}

/// A modelled rule this tool cannot read is refused with its position, never taken as
/// Entra's default: the default would become a PATCH that changes the tenant.
#[test]
fn modelled_values_it_cannot_read_are_refused_with_their_position() {
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "Notification_Admin_Admin_Assignment",
            "notificationLevel",
            json!("Sometimes"),
            "notificationLevel `Sometimes`",
        ),
        (
            "Notification_Admin_Admin_Eligibility",
            "target",
            target("EndUser", "Assignment"),
            "`caller` is `EndUser`",
        ),
        (
            "Notification_Requestor_Admin_Assignment",
            "notificationRecipients",
            json!(["not an address"]),
            "not an email address",
        ),
        ("Notification_Requestor_Admin_Assignment", "notificationRecipients", json!([42]), "a number"),
        (
            "Notification_Admin_Admin_Assignment",
            "notificationType",
            json!("Sms"),
            "`notificationType` is `Sms`",
        ),
        (
            "Notification_Admin_Admin_Assignment",
            "recipientType",
            json!("Approver"),
            "`recipientType` is `Approver`",
        ),
        (
            "Notification_Admin_Admin_Assignment",
            "isDefaultRecipientsEnabled",
            json!("yes"),
            "a string, not true or false",
        ),
        (
            "Notification_Admin_Admin_Assignment",
            "@odata.type",
            json!("#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"),
            "@odata.type",
        ),
    ];
    for (rule, field, value, expected) in cases {
        let mut rules = seventeen_rules();
        set(&mut rules, rule, field, value);
        let err = refusal(&ga_page(rules));
        assert!(err.contains(expected), "{rule}.{field}: {err}");
        assert!(err.contains("export.json:") && err.contains("value[0].policy.rules["), "{err}");
    }
}

#[test]
fn approvers_it_cannot_name_are_refused_when_they_would_be_asked() {
    let manager = json!({"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1});
    let mut rules = seventeen_rules();
    *rule_mut(&mut rules, "Approval_EndUser_Assignment") = approval_rule(true, vec![manager.clone()]);
    let err = refusal(&ga_page(rules));
    assert!(err.contains("requestorManager") && err.contains("primaryApprovers[0]"), "{err}");
    // Dormant (approval off): nobody is asked, so it is no reason to refuse.
    let mut rules = seventeen_rules();
    *rule_mut(&mut rules, "Approval_EndUser_Assignment") = approval_rule(false, vec![manager]);
    import(&ga_page(rules));
}

#[test]
fn a_rule_listed_twice_is_refused_with_both_positions() {
    let mut rules = seventeen_rules();
    let mut second = notification("Notification_Admin_EndUser_Assignment");
    second["notificationLevel"] = json!("None");
    rules.push(second);
    let err = refusal(&ga_page(rules));
    assert!(err.contains("`Notification_Admin_EndUser_Assignment` is listed twice"), "{err}");
    assert!(err.contains("rules[17]") && err.contains("first at export.json:"), "{err}");
}

#[test]
fn a_missing_modelled_rule_is_refused() {
    let mut rules = seventeen_rules();
    rules.retain(|r| {
        r["id"] != "Notification_Approver_Admin_Assignment" && r["id"] != "Approval_EndUser_Assignment"
    });
    let err = refusal(&ga_page(rules));
    assert!(
        err.contains("no `Notification_Approver_Admin_Assignment`, `Approval_EndUser_Assignment` rule"),
        "{err}"
    );
}

#[test]
fn null_recipients_are_no_recipients() {
    let mut rules = seventeen_rules();
    set(&mut rules, "Notification_Approver_EndUser_Assignment", "notificationRecipients", Value::Null);
    set(&mut rules, "Notification_Admin_Admin_Assignment", "notificationRecipients", Value::Null);
    let (policy, _) = import(&ga_page(rules));
    assert_eq!(addresses(&who(&policy, GA, "active.assigned")), ["<admins>", "<assignee>"]);
}

// ---------------------------------------------------------------- names and roles

#[test]
fn custom_roles_are_named_from_role_definitions() {
    let names = graph::parse_role_definitions(
        "role-definitions.json",
        include_str!("fixtures/graph/role-definitions.json"),
        ReadOptions::default(),
    )
    .unwrap();
    let imported = graph::import_graph("export.json", FIXTURE, &names, ReadOptions::default()).unwrap();
    assert!(imported.yaml.contains("- name: Contoso Tier-1 Support"), "{}", imported.yaml);
    assert!(!imported.notes.iter().any(|n| n.contains("not a built-in role")));
}

fn custom_role_named(name: &str) -> (Policy, graph::Imported) {
    let custom = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    let names = vec![(custom.to_string(), name.to_string())];
    let text = page(vec![assignment(custom, seventeen_rules())]).to_string();
    let imported = graph::import_graph("export.json", &text, &names, ReadOptions::default()).unwrap();
    (load(&imported.yaml), imported)
}

#[test]
fn invisible_characters_in_names_are_written_escaped_with_a_note() {
    for (name, escape) in [
        ("Tier\u{202e}1 Support", "\\u202E"),
        ("Global\u{200b} Administrator", "\\u200B"),
        ("Ops\u{1b}[31m", "\\x1B"),
        ("Tag\u{e0041}", "\\U000E0041"),
    ] {
        let (policy, imported) = custom_role_named(name);
        let name_line = imported.yaml.lines().find(|l| l.contains("- name:")).unwrap();
        assert!(name_line.contains(escape), "{name_line}");
        assert!(name_line.is_ascii(), "written raw: {name_line:?}");
        assert!(
            imported.notes.iter().any(|n| n.contains("invisible or control characters")),
            "{:?}",
            imported.notes
        );
        assert!(policy.roles.iter().any(|r| r.name == name), "the escape loads back as the name");
    }
}

#[test]
fn a_custom_role_named_like_a_built_in_one_keeps_both() {
    let (policy, imported) = custom_role_named("Global Administrator");
    let custom = policy.find_role("0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6").unwrap();
    assert_eq!(custom.name, "Global Administrator (custom 0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6)");
    assert_eq!(policy.find_role("Global Administrator").unwrap().id.as_deref(), Some(GA));
    assert!(imported.notes.iter().any(|n| n.contains("named like the built-in role")));
}

#[test]
fn an_invalid_policy_id_is_refused_at_import() {
    for bad in ["..", ".", "", "a/b", "x y"] {
        let mut value = assignment(GA, seventeen_rules());
        value["policyId"] = json!(bad);
        value["policy"]["id"] = json!(bad);
        let err = refusal(&page(vec![value]).to_string());
        assert!(err.contains("policy id") && err.contains("value[0].policy.id"), "{bad:?}: {err}");
    }
}

#[test]
fn two_differing_policies_for_one_role_are_refused() {
    let first = assignment(GA, seventeen_rules());
    let mut rules = seventeen_rules();
    set(&mut rules, "Notification_Admin_EndUser_Assignment", "notificationLevel", json!("None"));
    let second = assignment(GA, rules);
    let err = refusal(&page(vec![first.clone(), second]).to_string());
    assert!(err.contains("second, different policy"), "{err}");
    let (_, imported) = import(&page(vec![first.clone(), first]).to_string());
    assert!(imported.notes.iter().any(|n| n.contains("listed twice")));
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
    page(assignments).to_string()
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
fn a_partial_export_lifts_nothing_even_when_its_pages_name_every_role() {
    let mut page = serde_json::from_str::<Value>(&whole_tenant()).unwrap();
    page["@odata.nextLink"] =
        json!("https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$skiptoken=x");
    let text = page.to_string();
    assert!(refusal(&text).contains("@odata.nextLink"));
    let partial =
        graph::import_graph("export.json", &text, &[], ReadOptions { allow_partial: true }).unwrap();
    assert!(!partial.lifted);
    assert!(partial.notes.iter().any(|n| n.contains("--allow-partial")), "{:?}", partial.notes);
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
    let (policy, imported) = import(&page(vec![shared(GA), shared(USER_ADMIN)]).to_string());
    assert!(!imported.lifted);
    assert!(!imported.yaml.contains("\ndefaults:\n"));
    let builtin = Policy::builtin_default();
    assert_eq!(
        who(&policy, HELPDESK, "activation.completed"),
        who(&builtin, HELPDESK, "activation.completed")
    );
    assert!(addresses(&who(&policy, GA, "activation.completed")).contains(&"soc@contoso.com".to_string()));
}

// ---------------------------------------------------------------- export

#[test]
fn an_unedited_import_exports_nothing_with_only_changed() {
    for text in [EXAMPLE, FIXTURE, &whole_tenant()] {
        let (policy, _) = import(text);
        let current = tenant(text);
        let exported = export(&policy, Some(&current), true);
        assert_eq!(exported.requests, 0, "{:#}", exported.batches);
        assert_eq!(exported.unchanged, exported.roles * 10);
        // Without --only-changed every rule is written, and each body is the tenant's rule.
        let all = export(&policy, Some(&current), false);
        assert_eq!(all.requests, all.roles * 10);
        let text_value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(apply(&text_value, &all.batches), text_value, "an unedited export changes nothing");
    }
}

#[test]
fn approval_is_exported_and_compared_by_only_changed() {
    let (_, imported) = import(FIXTURE);
    let current = tenant(FIXTURE);
    // Turn approval on for User Administrator with its (dormant) approver and a new group.
    let edited = imported.yaml.replace(
        "  - name: User Administrator\n",
        "  - name: User Administrator\n    approval_required: true\n    approvers: [\"object:c4d6e8f0-a2b4-4c6e-9f0a-2b4c6d8e0f1a\", \"object:a7e5c3b1-9d7f-4e1c-8b3a-5d7f9e1c3b5a\"]\n",
    );
    let edited = load(&edited);
    let exported = export(&edited, Some(&current), true);
    let list = requests(&exported);
    assert_eq!(list.len(), 1, "{:#}", exported.batches);
    let (policy_id, rule) = parse_url(list[0]["url"].as_str().unwrap());
    assert_eq!(
        (policy_id.as_str(), rule.as_str()),
        (policy_id_of(USER_ADMIN).as_str(), "Approval_EndUser_Assignment")
    );
    let body = &list[0]["body"];
    assert_eq!(body["setting"]["isApprovalRequired"], true);
    let approvers = &body["setting"]["approvalStages"][0]["primaryApprovers"];
    assert_eq!(
        approvers[0]["userId"], "c4d6e8f0-a2b4-4c6e-9f0a-2b4c6d8e0f1a",
        "the dormant approver kept as it was"
    );
    assert_eq!(
        approvers[1]["@odata.type"], "#microsoft.graph.groupMembers",
        "the group's kind found on another role"
    );
    // Every field the policy does not model is as the tenant had it.
    let original =
        current.role_by_id(USER_ADMIN).unwrap().rule("Approval_EndUser_Assignment").unwrap().value.clone();
    let mut expected = original.clone();
    expected["setting"]["isApprovalRequired"] = json!(true);
    expected["setting"]["approvalStages"][0]["primaryApprovers"] = approvers.clone();
    assert_eq!(body, &expected);
    let after = import(&apply(&serde_json::from_str(FIXTURE).unwrap(), &exported.batches).to_string()).0;
    assert_eq!(
        addresses(&who(&after, USER_ADMIN, "activation.requested")),
        ["object:a7e5c3b1-9d7f-4e1c-8b3a-5d7f9e1c3b5a", "object:c4d6e8f0-a2b4-4c6e-9f0a-2b4c6d8e0f1a"]
    );
}

fn policy_id_of(role: &str) -> String {
    tenant(FIXTURE).role_by_id(role).unwrap().role.policy_id.clone()
}

#[test]
fn approval_off_keeps_the_approvers_it_would_no_longer_ask() {
    let (_, imported) = import(FIXTURE);
    let edited =
        imported.yaml.replacen("    approval_required: true   # Graph: Approval_EndUser_Assignment\n", "", 1);
    let exported = export(&load(&edited), Some(&tenant(FIXTURE)), true);
    let list = requests(&exported);
    assert_eq!(list.len(), 1);
    let body = &list[0]["body"]["setting"];
    assert_eq!(body["isApprovalRequired"], false);
    assert_eq!(body["approvalStages"][0]["primaryApprovers"].as_array().unwrap().len(), 2);
}

#[test]
fn an_approver_of_unknown_kind_is_refused() {
    let (_, imported) = import(FIXTURE);
    let edited = imported.yaml.replace(
        "\"object:a7e5c3b1-9d7f-4e1c-8b3a-5d7f9e1c3b5a\"]",
        "\"object:a7e5c3b1-9d7f-4e1c-8b3a-5d7f9e1c3b5a\", \"object:99999999-9d7f-4e1c-8b3a-5d7f9e1c3b5a\"]",
    );
    let err = graph::export_graph(
        &load(&edited),
        ExportOptions { tenant: Some(&tenant(FIXTURE)), only_changed: true },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("object:99999999-9d7f-4e1c-8b3a-5d7f9e1c3b5a")
            && err.contains("user (`singleUser`) or a group"),
        "{err}"
    );
}

#[test]
fn without_assignments_approval_is_refused_if_stated_and_left_alone_otherwise() {
    let (policy, _) = import(FIXTURE);
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(
        err.contains(
            "Global Administrator: writing `Approval_EndUser_Assignment` needs the tenant's current rule"
        ),
        "{err}"
    );
    assert!(err.contains("imported.yaml:"), "the role's position: {err}");
    let text = "roles:\n  - name: Helpdesk Administrator\n    policy_id: p1\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n";
    let exported = export(&load(text), None, false);
    assert_eq!(exported.requests, 9, "the nine notification rules, no approval rule");
    let list = requests(&exported);
    let approver_rule = list
        .iter()
        .find(|r| r["url"].as_str().unwrap().ends_with("Notification_Approver_EndUser_Assignment"))
        .unwrap();
    assert!(
        approver_rule["body"].get("notificationRecipients").is_none(),
        "recipients it does not model are left out"
    );
    assert_eq!(list[0]["body"]["notificationRecipients"], json!([]));
    assert!(
        exported.notes[0].contains("`Approval_EndUser_Assignment` not written for 1 role(s)"),
        "{:?}",
        exported.notes
    );
}

#[test]
fn export_takes_policy_ids_from_assignments() {
    let text = "roles:\n  - name: Global Administrator\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n";
    let policy = load(text);
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("`Global Administrator`") && err.contains("--assignments"), "{err}");
    let current = tenant(&ga_page(seventeen_rules()));
    let exported = export(&policy, Some(&current), true);
    let list = requests(&exported);
    assert_eq!(list.len(), 1, "only the rule that changes: {:#}", exported.batches);
    let expected_url = format!(
        "/policies/roleManagementPolicies/{}/rules/Notification_Admin_EndUser_Assignment",
        policy_id(GA)
    );
    assert_eq!(list[0]["url"], expected_url);
    assert_eq!(list[0]["body"]["notificationRecipients"], json!(["soc@contoso.com"]));
    assert_eq!(list[0]["body"]["target"]["operations"], json!(["all"]), "the tenant's own rule, as it was");
}

#[test]
fn policy_ids_that_are_not_graph_ids_are_refused_with_their_position() {
    for bad in ["..", ".", "\"\"", "\"a/b\"", "\"x?y\"", "\"%2e%2e\""] {
        let text = format!("roles:\n  - name: Global Administrator\n    policy_id: {bad}\n");
        let err = graph::export_graph(&load(&text), ExportOptions::default()).unwrap_err().to_string();
        assert!(err.contains("imported.yaml:3:16: Global Administrator: policy_id"), "{bad}: {err}");
    }
}

#[test]
fn two_roles_on_one_policy_id_are_refused_with_both_positions() {
    let text = "roles:\n  - name: Global Administrator\n    policy_id: P1\n  - name: User Administrator\n    policy_id: p1\n";
    let policy = load(text);
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("imported.yaml:5:16: User Administrator and Global Administrator (policy_id at imported.yaml:3:16)"), "{err}");
    let groups = graph::duplicate_policy_ids(&policy);
    assert_eq!(groups.len(), 1);
    let names: Vec<&str> = groups[0].roles.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, ["Global Administrator", "User Administrator"]);
    // A role without policy_id whose tenant policy is another role's is refused the same way.
    let text = format!(
        "roles:\n  - name: User Administrator\n    policy_id: {}\n  - name: Global Administrator\n",
        policy_id(GA)
    );
    let current = tenant(&ga_page(seventeen_rules()));
    let err =
        graph::export_graph(&load(&text), ExportOptions { tenant: Some(&current), only_changed: false })
            .unwrap_err()
            .to_string();
    assert!(err.contains("is the policy of Global Administrator"), "{err}");
}

#[test]
fn defaults_reach_every_built_in_role_so_each_needs_a_policy_id() {
    let policy = load("defaults:\n  activation.admin: { extra: [soc@contoso.com] }\n");
    let err = graph::export_graph(&policy, ExportOptions::default()).unwrap_err().to_string();
    assert!(
        err.contains(&format!("no Graph policy id for {} role(s)", catalog::entra_roles().len())),
        "{err}"
    );
}

#[test]
fn recipients_graph_cannot_take_are_an_error() {
    let text = "roles:\n  - name: Global Administrator\n    policy_id: p1\n    settings:\n      activation.admin: { extra: [\"<assignee>\"] }\n";
    let err = graph::export_graph(&load(text), ExportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("Global Administrator") && err.contains("<assignee>"), "{err}");
    let text = "roles:\n  - name: Global Administrator\n    approval_required: true\n    approvers: [ops@contoso.com]\n";
    let current = tenant(&ga_page(seventeen_rules()));
    let err = graph::export_graph(&load(text), ExportOptions { tenant: Some(&current), only_changed: false })
        .unwrap_err()
        .to_string();
    assert!(err.contains("approver `ops@contoso.com` is not a directory object"), "{err}");
    let text = "roles:\n  - name: Global Administrator\n    approval_required: true\n    approvers: []\n";
    let err = graph::export_graph(&load(text), ExportOptions { tenant: Some(&current), only_changed: false })
        .unwrap_err()
        .to_string();
    assert!(err.contains("`approvers: []` names nobody"), "{err}");
}

// ---------------------------------------------------------------- round trip

fn round_trip(text: &str) {
    let (first, _) = import(text);
    let current = tenant(text);
    let exported = export(&first, Some(&current), false);
    let (second, _) = import(&apply(&serde_json::from_str(text).unwrap(), &exported.batches).to_string());
    assert_eq!(answers(&first), answers(&second));
}

#[test]
fn round_trip_of_the_examples_changes_no_answer() {
    round_trip(EXAMPLE);
    round_trip(FIXTURE);
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
    let edited = load(&edited);
    let current = tenant(EXAMPLE);
    let exported = export(&edited, Some(&current), true);
    assert_eq!(exported.requests, 2, "{:#}", exported.batches);
    let (after, _) = import(&apply(&serde_json::from_str(EXAMPLE).unwrap(), &exported.batches).to_string());
    assert_eq!(answers(&edited), answers(&after));
}

// ---------------------------------------------------------------- the command line

#[test]
fn cli_imports_to_a_file_and_exports_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("tenant.yaml");
    let out =
        ok(pim_notify(&["import", "graph", "examples/graph/export.json", "-o", yaml.to_str().unwrap()]));
    assert!(stderr(&out).contains("note: User Administrator: approvers are listed"), "{}", stderr(&out));
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
    let batches = ok(pim_notify(&[
        "export",
        "graph",
        yaml.to_str().unwrap(),
        "--assignments",
        "examples/graph/export.json",
    ]));
    let batches: Value = serde_json::from_slice(&batches.stdout).unwrap();
    assert_eq!(batches.as_array().unwrap().len(), 4); // 7 roles × 10 rules = 70 requests
    let none = ok(pim_notify(&[
        "export",
        "graph",
        yaml.to_str().unwrap(),
        "--assignments",
        "examples/graph/export.json",
        "--only-changed",
    ]));
    assert_eq!(String::from_utf8_lossy(&none.stdout).trim(), "[]");
    assert!(stderr(&none)
        .contains("0 PATCH request(s) for 7 role(s) in 0 batch(es), 70 rule(s) already as wanted"));
}

/// DESIGN §8 end to end: import, edit, export --only-changed, apply the PATCH requests to
/// the Graph data, import again; `diff --exit-code` between the edit and the new import finds
/// no effect.
#[test]
fn cli_round_trip_has_no_effect_diff() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let fixture = "tests/fixtures/graph/tenant-pages.json";
    ok(pim_notify(&["import", "graph", fixture, "-o", &path("first.yaml")]));
    let edited = std::fs::read_to_string(path("first.yaml")).unwrap().replace(
        "      activation.assignee: { disabled: true }",
        "      activation.assignee: { critical_only: true }\n      activation.admin: { extra: [noc@contoso.com] }",
    );
    std::fs::write(path("edited.yaml"), edited).unwrap();
    let diff = pim_notify(&["diff", "--exit-code", &path("first.yaml"), &path("edited.yaml")]);
    assert_eq!(diff.status.code(), Some(1), "the edit has an effect");
    let batches = ok(pim_notify(&[
        "export",
        "graph",
        &path("edited.yaml"),
        "--assignments",
        fixture,
        "--only-changed",
    ]));
    let batches: Value = serde_json::from_slice(&batches.stdout).unwrap();
    let graph_json: Value = serde_json::from_str(&std::fs::read_to_string(repo(fixture)).unwrap()).unwrap();
    std::fs::write(path("applied.json"), apply(&graph_json, &batches).to_string()).unwrap();
    ok(pim_notify(&["import", "graph", &path("applied.json"), "-o", &path("second.yaml")]));
    let diff = pim_notify(&["diff", "--exit-code", &path("edited.yaml"), &path("second.yaml")]);
    assert_eq!(diff.status.code(), Some(0), "{}", String::from_utf8_lossy(&diff.stdout));
    let again = ok(pim_notify(&[
        "export",
        "graph",
        &path("edited.yaml"),
        "--assignments",
        &path("applied.json"),
        "--only-changed",
    ]));
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "[]", "the tenant now matches");
}

#[test]
fn cli_refuses_bad_input_with_exit_2() {
    refused(
        &pim_notify(&["import", "graph", "policies/contoso.yaml"]),
        &["pim-notify policy file (YAML)", "help:"],
    );
    refused(&pim_notify(&["export", "graph", "policies/contoso.yaml"]), &["no Graph policy id"]);
    let out = pim_notify(&["export", "graph", "policies/contoso.yaml", "--only-changed"]);
    assert_eq!(out.status.code(), Some(2), "--only-changed needs --assignments");
}

#[test]
fn the_committed_example_outputs_are_current() {
    let names = graph::parse_role_definitions(
        "examples/graph/role-definitions.json",
        include_str!("../examples/graph/role-definitions.json"),
        ReadOptions::default(),
    )
    .unwrap();
    let imported =
        graph::import_graph("examples/graph/export.json", EXAMPLE, &names, ReadOptions::default()).unwrap();
    assert_eq!(
        imported.yaml,
        include_str!("../examples/graph/tenant.yaml"),
        "regenerate examples/graph/tenant.yaml"
    );
    let policy = load_str("examples/graph/tenant.yaml", &imported.yaml).unwrap().policy;
    let current =
        graph::read_tenant("examples/graph/export.json", EXAMPLE, ReadOptions::default(), None).unwrap();
    let exported = export(&policy, Some(&current), false);
    let batches = serde_json::to_string_pretty(&exported.batches).unwrap() + "\n";
    assert_eq!(
        batches,
        include_str!("../examples/graph/batches.json"),
        "regenerate examples/graph/batches.json"
    );
}
