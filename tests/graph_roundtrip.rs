//! The round trip of DESIGN §8 as a property: a random tenant → `import graph` → random edits
//! of any modelled field (notification fields, `inherit`, approval, approvers; in a role or in
//! `defaults:`) → `export graph --only-changed` → the PATCH bodies applied to the Graph JSON
//! as Graph would → `import graph` again. The second import has the effect of the edited
//! policy (no effect diff), a second export finds nothing to do, and no field the policy does
//! not model changed anywhere.

mod graph_support;

use graph_support::*;
use pim_notify::diff::{diff, no_baseline, DiffOptions};
use pim_notify::graph::{self, ExportOptions, ReadOptions};
use pim_notify::{catalog, load_str, Policy};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Extra recipients the generators pick from (one spelled in capitals: addresses ignore case).
const ADDRESSES: [&str; 4] =
    ["soc@contoso.com", "CISO@contoso.com", "noc@contoso.com", "helpdesk-lead@contoso.com"];

/// Approvers the generators pick from: two users and two groups.
const APPROVERS: [(&str, bool); 4] = [
    ("0b3c5d7e-9f1a-4b2c-8d4e-6f8a0b2c4d6e", true),
    ("c4d6e8f0-a2b4-4c6e-9f0a-2b4c6d8e0f1a", true),
    ("a7e5c3b1-9d7f-4e1c-8b3a-5d7f9e1c3b5a", false),
    ("1e3c5a7b-9d1f-4b3d-8e5a-7c9e1b3d5f7a", false),
];

const CUSTOM: &str = "3c9d2e8f-41a7-4b6e-8d05-c1f2a3b4d5e6";
const SMALL_POOL: [&str; 6] = [GA, PRA, USER_ADMIN, HELPDESK, SECURITY_ADMIN, CUSTOM];

fn picked<T: Copy>(pool: &[T], mask: u8) -> Vec<T> {
    pool.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, x)| *x).collect()
}

fn user_set((id, is_user): (&str, bool)) -> Value {
    if is_user {
        user(id, "A user")
    } else {
        group(id, "A group")
    }
}

// ---------------------------------------------------------------- tenants

#[derive(Clone, Debug)]
struct RuleGen {
    level: usize,
    defaults: bool,
    recipients: u8,
}

#[derive(Clone, Debug)]
struct RoleGen {
    rules: Vec<RuleGen>,
    approval: bool,
    approvers: u8,
    justification: bool,
    timeout_days: u8,
}

fn rule_gen() -> impl Strategy<Value = RuleGen> {
    (0..3usize, any::<bool>(), 0..16u8).prop_map(|(level, defaults, recipients)| RuleGen {
        level,
        defaults,
        recipients,
    })
}

fn role_gen() -> impl Strategy<Value = RoleGen> {
    (prop::collection::vec(rule_gen(), 9), any::<bool>(), 0..16u8, any::<bool>(), 1..4u8).prop_map(
        |(rules, approval, approvers, justification, timeout_days)| RoleGen {
            rules,
            approval,
            approvers,
            justification,
            timeout_days,
        },
    )
}

/// The Graph page of a tenant. The first role lists every approver of the pool as an
/// escalation approver, so each one's kind (user or group) is known to the export.
fn tenant_json(role_ids: &[&str], roles: &[RoleGen]) -> Value {
    let assignments = role_ids
        .iter()
        .zip(roles)
        .enumerate()
        .map(|(i, (id, role))| {
            let mut rules = seventeen_rules();
            for (info, rule) in graph::rules::notification_rules().zip(&role.rules) {
                let value = rule_mut(&mut rules, info.rule_id);
                value["notificationLevel"] = json!(["None", "Critical", "All"][rule.level]);
                value["isDefaultRecipientsEnabled"] = json!(rule.defaults);
                value["notificationRecipients"] = json!(picked(&ADDRESSES, rule.recipients));
            }
            let mut approval = approval_rule(
                role.approval,
                picked(&APPROVERS, role.approvers).into_iter().map(user_set).collect(),
            );
            approval["setting"]["isRequestorJustificationRequired"] = json!(role.justification);
            approval["setting"]["approvalStages"][0]["approvalStageTimeOutInDays"] = json!(role.timeout_days);
            if i == 0 {
                approval["setting"]["approvalStages"][0]["escalationApprovers"] =
                    APPROVERS.iter().map(|a| user_set(*a)).collect();
            }
            *rule_mut(&mut rules, "Approval_EndUser_Assignment") = approval;
            assignment(id, rules)
        })
        .collect();
    page(assignments)
}

// ---------------------------------------------------------------- edits

/// Where an edit lands: a role (by index), or `defaults:` when the export covers every role.
#[derive(Clone, Debug)]
enum Edit {
    Flag { role: usize, in_defaults: bool, setting: usize, field: usize, value: bool },
    Extra { role: usize, in_defaults: bool, setting: usize, addresses: u8 },
    RemoveSetting { role: usize, in_defaults: bool, setting: usize },
    Inherit { role: usize, setting: usize, value: bool },
    Approval { role: usize, required: bool },
    Approvers { role: usize, approvers: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..200usize, any::<bool>(), 0..9usize, 0..3usize, any::<bool>()).prop_map(
            |(role, in_defaults, setting, field, value)| {
                Edit::Flag { role, in_defaults, setting, field, value }
            }
        ),
        (0..200usize, any::<bool>(), 0..8usize, 0..16u8).prop_map(
            |(role, in_defaults, setting, addresses)| Edit::Extra { role, in_defaults, setting, addresses }
        ),
        (0..200usize, any::<bool>(), 0..9usize)
            .prop_map(|(role, in_defaults, setting)| Edit::RemoveSetting { role, in_defaults, setting }),
        (0..200usize, 0..9usize, any::<bool>()).prop_map(|(role, setting, value)| Edit::Inherit {
            role,
            setting,
            value
        }),
        (0..200usize, any::<bool>()).prop_map(|(role, required)| Edit::Approval { role, required }),
        (0..200usize, 0..16u8).prop_map(|(role, approvers)| Edit::Approvers { role, approvers }),
    ]
}

/// Settings an edit may touch, in admin-center order; `extra` never goes on
/// `activation.approver` (Entra sends activation requests to approvers only; PN008).
fn setting_name(index: usize) -> String {
    graph::rules::notification_rules().nth(index).unwrap().setting.to_string()
}

fn extra_setting_name(index: usize) -> String {
    graph::rules::notification_rules()
        .map(|r| r.setting.to_string())
        .filter(|s| s != "activation.approver")
        .nth(index)
        .unwrap()
}

/// Applies edits to the imported policy, as a user editing the YAML would.
fn edited(yaml: &str, edits: &[Edit], lifted: bool) -> String {
    let mut doc: Value = serde_saphyr::from_str(yaml).expect("the import is YAML");
    let count = doc["roles"].as_array().map_or(0, Vec::len);
    for edit in edits {
        apply_edit(&mut doc, edit, count, lifted);
    }
    // JSON is YAML: the loader reads this text as any policy file.
    serde_json::to_string_pretty(&doc).unwrap()
}

/// The settings map an edit writes into: `defaults:`, or a role's `settings:`.
fn layer(
    doc: &mut Value,
    role: usize,
    count: usize,
    in_defaults: bool,
    lifted: bool,
) -> &mut Map<String, Value> {
    let layer = if in_defaults && lifted {
        doc.as_object_mut().unwrap().entry("defaults").or_insert_with(|| json!({}))
    } else {
        doc["roles"][role % count].as_object_mut().unwrap().entry("settings").or_insert_with(|| json!({}))
    };
    layer.as_object_mut().unwrap()
}

fn apply_edit(doc: &mut Value, edit: &Edit, count: usize, lifted: bool) {
    match edit {
        Edit::Flag { role, in_defaults, setting, field, value } => {
            let layer = layer(doc, *role, count, *in_defaults, lifted);
            let entry = layer.entry(setting_name(*setting)).or_insert_with(|| json!({}));
            entry[["disabled", "default_recipients", "critical_only"][*field]] = json!(value);
        }
        Edit::Extra { role, in_defaults, setting, addresses } => {
            let layer = layer(doc, *role, count, *in_defaults, lifted);
            let entry = layer.entry(extra_setting_name(*setting)).or_insert_with(|| json!({}));
            entry["extra"] = json!(picked(&ADDRESSES, *addresses));
        }
        Edit::RemoveSetting { role, in_defaults, setting } => {
            layer(doc, *role, count, *in_defaults, lifted).remove(&setting_name(*setting));
        }
        Edit::Inherit { role, setting, value } => {
            let layer = layer(doc, *role, count, false, lifted);
            let entry = layer.entry(setting_name(*setting)).or_insert_with(|| json!({}));
            entry["inherit"] = json!(value);
        }
        Edit::Approval { role, required } => {
            let entry = &mut doc["roles"][role % count];
            entry["approval_required"] = json!(required);
            if !required {
                // Approvers of a role without approval are never asked; a user turning
                // approval off drops them too (PN109 warns otherwise).
                entry.as_object_mut().unwrap().remove("approvers");
            }
        }
        Edit::Approvers { role, approvers } => {
            let entry = &mut doc["roles"][role % count];
            let ids: Vec<String> =
                picked(&APPROVERS, *approvers).iter().map(|(id, _)| format!("object:{id}")).collect();
            if entry["approval_required"] != json!(true) {
                // Only a role that requires approval asks its approvers.
            } else if ids.is_empty() {
                // The default approvers (`approvers: []` names nobody, which Graph cannot say).
                entry.as_object_mut().unwrap().remove("approvers");
            } else {
                entry["approvers"] = json!(ids);
            }
        }
    }
}

// ---------------------------------------------------------------- the property

fn load(name: &str, text: &str) -> Policy {
    let loaded = load_str(name, text).expect("parses");
    let errors: Vec<_> = loaded.errors().map(|d| d.message.clone()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    loaded.policy
}

/// A rule without the fields the policy models: what no export may change.
fn unmodelled(rule: &Value) -> Value {
    let mut rule = rule.clone();
    let object = rule.as_object_mut().unwrap();
    for key in ["notificationLevel", "isDefaultRecipientsEnabled"] {
        object.remove(key);
    }
    if rule["id"] != "Notification_Approver_EndUser_Assignment" {
        rule.as_object_mut().unwrap().remove("notificationRecipients");
    }
    if let Some(setting) = rule.get_mut("setting").and_then(Value::as_object_mut) {
        setting.remove("isApprovalRequired");
        for stage in setting.get_mut("approvalStages").and_then(Value::as_array_mut).into_iter().flatten() {
            stage.as_object_mut().unwrap().remove("primaryApprovers");
        }
    }
    rule
}

fn all_rules(data: &Value) -> Vec<Value> {
    let mut data = data.clone();
    assignments_mut(&mut data)
        .into_iter()
        .flat_map(|a| a["policy"]["rules"].as_array().unwrap().clone())
        .collect()
}

fn check_round_trip(graph_json: &Value, edits: &[Edit]) -> Result<(), TestCaseError> {
    let text = graph_json.to_string();
    let imported = graph::import_graph("tenant.json", &text, &[], ReadOptions::default()).expect("imports");
    let edited_text = edited(&imported.yaml, edits, imported.lifted);
    let edited = load("edited.yaml", &edited_text);
    let tenant = graph::read_tenant("tenant.json", &text, ReadOptions::default(), None).unwrap();
    let exported = graph::export_graph(&edited, ExportOptions { tenant: Some(&tenant), only_changed: true })
        .map_err(|e| TestCaseError::fail(format!("export refused: {e}\n{edited_text}")))?;
    let applied = apply(graph_json, &exported.batches);

    let again = graph::import_graph("applied.json", &applied.to_string(), &[], ReadOptions::default())
        .expect("re-imports");
    let second = load("second.yaml", &again.yaml);
    // What `diff --exit-code` checks: who gets which email.
    let effect = diff(&edited, &second, &DiffOptions::default(), &no_baseline);
    if effect.has_changes() {
        let change = &effect.changes[0];
        return Err(TestCaseError::fail(format!(
            "effect differs: {} {}: +{:?} -{:?}\n{edited_text}\n{:#}",
            change.role().name,
            change.event().id,
            change.added,
            change.removed,
            exported.batches
        )));
    }

    let after =
        graph::read_tenant("applied.json", &applied.to_string(), ReadOptions::default(), None).unwrap();
    let twice =
        graph::export_graph(&edited, ExportOptions { tenant: Some(&after), only_changed: true }).unwrap();
    prop_assert_eq!(twice.requests, 0, "a second export still writes {:#}", twice.batches);

    let (before, after) = (all_rules(graph_json), all_rules(&applied));
    prop_assert_eq!(before.len(), after.len());
    for (old, new) in before.iter().zip(&after) {
        prop_assert_eq!(unmodelled(old), unmodelled(new), "a field the policy does not model changed");
    }
    let mut original = graph_json.clone();
    for request in exported.batches.as_array().unwrap().iter().flat_map(|b| b["requests"].as_array().unwrap())
    {
        let (policy, rule) = parse_url(request["url"].as_str().unwrap());
        prop_assert_ne!(
            &*find_rule(&mut original, &policy, &rule),
            &request["body"],
            "a PATCH that changes nothing"
        );
    }
    Ok(())
}

fn small_tenant() -> impl Strategy<Value = Value> {
    (1..=SMALL_POOL.len())
        .prop_flat_map(|n| (Just(n), prop::collection::vec(role_gen(), n)))
        .prop_map(|(n, roles)| tenant_json(&SMALL_POOL[..n], &roles))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn edits_survive_the_round_trip_through_graph(graph_json in small_tenant(), edits in prop::collection::vec(edit(), 0..8)) {
        check_round_trip(&graph_json, &edits)?;
    }
}

/// Every built-in role, so the import lifts shared settings into `defaults:` and edits there
/// reach all of them. Most roles are at Entra's defaults; a few are random.
fn whole_tenant() -> impl Strategy<Value = Value> {
    prop::collection::vec(role_gen(), 3).prop_map(|random| {
        let ids: Vec<&str> = catalog::entra_roles().iter().map(|r| r.id.as_str()).collect();
        let plain = RoleGen {
            rules: vec![RuleGen { level: 2, defaults: true, recipients: 1 }; 9],
            approval: false,
            approvers: 0,
            justification: true,
            timeout_days: 1,
        };
        let mut roles = vec![plain; ids.len()];
        for (i, role) in random.into_iter().enumerate() {
            roles[i * 40] = role;
        }
        tenant_json(&ids, &roles)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn edits_of_defaults_survive_the_round_trip_through_graph(graph_json in whole_tenant(), edits in prop::collection::vec(edit(), 1..6)) {
        check_round_trip(&graph_json, &edits)?;
    }
}

/// The property can fail: an applier that drops one request leaves an effect diff.
#[test]
fn a_lost_request_is_caught() {
    let roles = vec![RoleGen {
        rules: vec![RuleGen { level: 2, defaults: true, recipients: 0 }; 9],
        approval: false,
        approvers: 0,
        justification: true,
        timeout_days: 1,
    }];
    let graph_json = tenant_json(&[GA], &roles);
    let text = graph_json.to_string();
    let imported = graph::import_graph("t.json", &text, &[], ReadOptions::default()).unwrap();
    let edit = Edit::Extra { role: 0, in_defaults: false, setting: 6, addresses: 1 };
    let edited = load("e.yaml", &edited(&imported.yaml, &[edit], false));
    let tenant = graph::read_tenant("t.json", &text, ReadOptions::default(), None).unwrap();
    let exported =
        graph::export_graph(&edited, ExportOptions { tenant: Some(&tenant), only_changed: true }).unwrap();
    assert_eq!(exported.requests, 1);
    let second = graph::import_graph("t.json", &text, &[], ReadOptions::default()).unwrap();
    assert_ne!(
        answers(&edited),
        answers(&load("s.yaml", &second.yaml)),
        "without the request the effect differs"
    );
}
