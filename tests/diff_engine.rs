//! The effect diff engine: one test per kind of change, on inline policies.

use pim_notify::diff::{diff, no_baseline, DiffOptions, Occurrence, PolicyDiff, Regression};
use pim_notify::glob::Glob;
use pim_notify::{load_str, Diagnostic, Policy};

fn policy(name: &str, text: &str) -> Policy {
    let loaded = load_str(name, text).expect("test policy parses");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.policy
}

fn pair(old: &str, new: &str) -> (Policy, Policy) {
    (policy("old.yaml", old), policy("new.yaml", new))
}

fn run<'a>(old: &'a Policy, new: &'a Policy) -> PolicyDiff<'a> {
    diff(old, new, &DiffOptions::default(), &no_baseline)
}

/// `role/event` of every outcome change, for compact assertions.
fn changed(d: &PolicyDiff) -> Vec<String> {
    d.changes.iter().map(|c| format!("{}/{}", c.role().name, c.event().id)).collect()
}

const BASE: &str = "
version: 1
directory:
  admins: [group:pim-admins]
groups:
  pim-admins: [ga@contoso.com, pra@contoso.com]
  secops: [soc@contoso.com, siem@contoso.com]
defaults:
  activation.admin: { extra: [group:secops] }
roles:
  - name: Global Administrator
    approval_required: true
    approvers: [lead@contoso.com]
  - name: Contoso Payroll Operator
    settings:
      activation.admin: { extra: [payroll@contoso.com] }
";

#[test]
fn same_policy_is_no_change() {
    let (old, new) = pair(BASE, BASE);
    let d = run(&old, &new);
    assert!(!d.has_changes());
    assert!(d.reason_changes.is_empty());
    assert!(!d.has_regressions());
}

#[test]
fn added_recipient_on_one_role() {
    let new_text = BASE.replace(
        "    approvers: [lead@contoso.com]\n",
        "    approvers: [lead@contoso.com]\n    settings:\n      activation.admin: { extra: [ciso@contoso.com] }\n",
    );
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    assert_eq!(
        changed(&d),
        [
            "Global Administrator/activation.approved",
            "Global Administrator/activation.denied",
            "Global Administrator/activation.completed"
        ]
    );
    assert!(d.changes.iter().all(|c| c.added == ["ciso@contoso.com"] && c.removed.is_empty()));
    assert!(!d.has_regressions());
}

#[test]
fn removing_a_recipient_of_a_custom_role_is_not_a_regression() {
    let new_text = BASE.replace("extra: [payroll@contoso.com]", "extra: []");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    // The role needs no approval, so only its activation email changes.
    assert_eq!(changed(&d), ["Contoso Payroll Operator/activation.completed"]);
    assert!(d.changes.iter().all(|c| c.removed == ["payroll@contoso.com"]));
    assert!(!d.has_regressions());
}

#[test]
fn the_privileged_role_list_is_configurable() {
    let new_text = BASE.replace("extra: [payroll@contoso.com]", "extra: []");
    let (old, new) = pair(BASE, &new_text);
    let options =
        DiffOptions { privileged_roles: vec!["contoso payroll operator".into()], ..DiffOptions::default() };
    let d = diff(&old, &new, &options, &no_baseline);
    assert!(d.changes.iter().all(|c| !c.regressions.is_empty()), "losing an admin recipient now counts");
}

#[test]
fn highly_privileged_role_losing_an_admin_recipient_is_a_regression() {
    let new_text = BASE.replace(
        "    approvers: [lead@contoso.com]\n",
        "    approvers: [lead@contoso.com]\n    settings:\n      activation.admin: { inherit: false }\n",
    );
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    let completed = d.changes.iter().find(|c| c.event().id == "activation.completed").unwrap();
    assert_eq!(completed.removed, ["siem@contoso.com", "soc@contoso.com"]);
    assert!(completed.regressions.contains(&Regression::LostPrivilegedRecipient {
        address: "soc@contoso.com".into(),
        audience: pim_notify::Audience::Admin,
    }));
    assert!(d.has_regressions());
}

#[test]
fn losing_an_approver_is_a_regression_on_global_administrator() {
    let new_text = BASE.replace("approvers: [lead@contoso.com]", "approvers: [other@contoso.com]");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    let requested = d.changes.iter().find(|c| c.event().id == "activation.requested").unwrap();
    assert_eq!(
        (requested.added.as_slice(), requested.removed.as_slice()),
        (&["other@contoso.com".to_string()][..], &["lead@contoso.com".to_string()][..])
    );
    assert!(requested.is_regression());
}

#[test]
fn removing_an_address_that_still_gets_the_email_another_way_changes_nothing() {
    // soc@ is named directly and is also in group:secops; dropping the direct copy keeps soc.
    let old_text = BASE.replace("extra: [group:secops] }", "extra: [group:secops, soc@contoso.com] }");
    let (old, new) = pair(&old_text, BASE);
    let d = run(&old, &new);
    assert!(!d.has_changes(), "{:?}", changed(&d));
    assert!(!d.reason_changes.is_empty(), "the path changed, so it is shown as a reason-only change");
    let c = &d.reason_changes[0];
    let moved = c.reason_changes(&d.renames);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].1.address, "soc@contoso.com");
}

#[test]
fn extra_that_is_already_a_default_recipient_is_no_change() {
    let new_text =
        BASE.replace("extra: [payroll@contoso.com]", "extra: [payroll@contoso.com, GA@contoso.com]");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    assert!(!d.has_changes(), "{:?}", changed(&d));
    assert_eq!(d.reason_changes.len(), 1);
}

#[test]
fn reordering_changes_nothing_at_all() {
    let reordered = "
version: 1
roles:
  - name: Contoso Payroll Operator
    settings:
      activation.admin: { extra: [payroll@contoso.com] }
  - approvers: [lead@contoso.com]
    approval_required: true
    name: Global Administrator
defaults:
  activation.admin: { extra: [group:secops] }
groups:
  secops: [siem@contoso.com, soc@contoso.com]
  pim-admins: [pra@contoso.com, ga@contoso.com]
directory:
  admins: [group:pim-admins]
";
    let (old, new) = pair(BASE, reordered);
    let d = run(&old, &new);
    assert!(!d.has_changes(), "{:?}", changed(&d));
    assert!(d.reason_changes.is_empty());
}

#[test]
fn renaming_a_group_with_the_same_members_changes_nothing() {
    let renamed = BASE.replace("group:secops", "group:security-ops").replace("  secops:", "  security-ops:");
    let (old, new) = pair(BASE, &renamed);
    let d = run(&old, &new);
    assert!(!d.has_changes());
    assert!(d.reason_changes.is_empty());
    assert_eq!(d.renames.pairs(), [("secops", "security-ops")]);
}

#[test]
fn address_case_is_not_a_change() {
    let (old, new) = pair(BASE, &BASE.replace("soc@contoso.com", "SOC@Contoso.com"));
    assert!(!run(&old, &new).has_changes());
}

#[test]
fn events_start_and_stop_occurring_with_approval() {
    let new_text = BASE.replace("    approval_required: true\n", "");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    let stopped: Vec<_> = d.changes.iter().filter(|c| c.occurrence == Occurrence::Stops).collect();
    // Requests, approvals and denials occur only when approval is required (DESIGN §1).
    let ids: Vec<&str> = stopped.iter().map(|c| c.event().id.as_str()).collect();
    assert_eq!(ids, ["activation.requested", "activation.approved", "activation.denied"]);
    assert_eq!(stopped[0].removed, ["lead@contoso.com"]);
    let back = run(&new, &old);
    assert!(back
        .changes
        .iter()
        .any(|c| c.occurrence == Occurrence::Starts && c.added == ["lead@contoso.com"]));
    assert_eq!(back.summary().events_started, 3);
}

#[test]
fn an_event_that_now_reaches_nobody_is_a_regression() {
    let new_text = BASE.replace(
        "      activation.admin: { extra: [payroll@contoso.com] }\n",
        "      activation.admin: { disabled: true }\n      activation.assignee: { disabled: true }\n",
    );
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    let completed = d.changes.iter().find(|c| c.event().id == "activation.completed").unwrap();
    assert!(completed.after.recipients.is_empty());
    assert_eq!(completed.regressions, [Regression::ReachesNobody]);
}

#[test]
fn roles_added_and_removed() {
    let new_text = BASE.replace("Contoso Payroll Operator", "Contoso Treasury Operator");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    assert_eq!(
        d.roles_added.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Contoso Treasury Operator"]
    );
    assert_eq!(
        d.roles_removed.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Contoso Payroll Operator"]
    );
    assert!(d.changes.is_empty(), "an added role is reported as such, not per event");
    assert!(d.has_changes());
}

#[test]
fn a_role_renamed_with_the_same_id_is_the_same_role() {
    let old_text = BASE.replace(
        "  - name: Contoso Payroll Operator\n",
        "  - name: Contoso Payroll Operator\n    id: 0f9c6a1e-4b2d-4c8e-9f7a-1a2b3c4d5e6f\n",
    );
    let new_text = old_text.replace("Contoso Payroll Operator", "Contoso Payroll Admin");
    let (old, new) = pair(&old_text, &new_text);
    let d = run(&old, &new);
    assert!(d.roles_added.is_empty() && d.roles_removed.is_empty());
    assert!(!d.has_changes());
}

#[test]
fn a_defaults_change_reaches_built_in_roles_the_file_does_not_list() {
    let new_text = BASE.replace("extra: [group:secops] }", "extra: [group:secops, ciso@contoso.com] }");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    assert!(changed(&d).contains(&"Global Reader/activation.completed".to_string()));
    assert!(d.summary().roles_changed > 100, "every Entra built-in role is compared");
}

#[test]
fn role_and_event_filters() {
    let new_text = BASE.replace("extra: [group:secops] }", "extra: [group:secops, ciso@contoso.com] }");
    let (old, new) = pair(BASE, &new_text);
    let options = DiffOptions {
        roles: vec![Glob::new("global admin*")],
        events: vec![Glob::new("*.completed")],
        ..DiffOptions::default()
    };
    let d = diff(&old, &new, &options, &no_baseline);
    assert_eq!(changed(&d), ["Global Administrator/activation.completed"]);
}

#[test]
fn a_baseline_rule_that_newly_fails_is_a_regression() {
    // The plug point for lint: any function from a policy to findings.
    let baseline = |p: &Policy| -> Vec<Diagnostic> {
        let lacks = p.defaults.get(pim_notify::SettingId::parse("activation.admin").unwrap()).is_none();
        if lacks {
            vec![Diagnostic::error("PN202", "no activation alert", None).with_role("Global Administrator")]
        } else {
            vec![]
        }
    };
    let new_text = BASE.replace("  activation.admin: { extra: [group:secops] }\n", "");
    let (old, new) = pair(BASE, &new_text);
    let d = diff(&old, &new, &DiffOptions::default(), &baseline);
    assert_eq!(d.baseline_regressions.len(), 1);
    assert_eq!(d.baseline_regressions[0].code, "PN202");
    let fixed = diff(&new, &old, &DiffOptions::default(), &baseline);
    assert!(fixed.baseline_regressions.is_empty(), "a rule that stops failing is no regression");
}

#[test]
fn lint_baseline_finds_global_administrator_without_activation_alert() {
    let new_text = BASE.replace(
        "    approvers: [lead@contoso.com]\n",
        "    approvers: [lead@contoso.com]\n    settings:\n      activation.admin: { inherit: false }\n",
    );
    let (old, new) = pair(BASE, &new_text);
    let config = pim_notify::lint::LintConfig::default();
    let baseline = |p: &Policy| pim_notify::lint::baseline_findings(p, &config);
    let d = diff(&old, &new, &DiffOptions::default(), &baseline);
    let codes: Vec<&str> = d.baseline_regressions.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["PN202"]);
    assert_eq!(d.baseline_regressions[0].pos.map(|p| p.line), Some(15));
}

#[test]
fn json_changes_carry_the_who_objects() {
    let new_text =
        BASE.replace("extra: [payroll@contoso.com]", "extra: [payroll@contoso.com, cfo@contoso.com]");
    let (old, new) = pair(BASE, &new_text);
    let d = run(&old, &new);
    let json = d.to_json();
    let first = &json["changes"][0];
    assert_eq!(first["role"], "Contoso Payroll Operator");
    assert_eq!(first["event"], "activation.completed");
    assert_eq!(first["added"], serde_json::json!(["cfo@contoso.com"]));
    assert_eq!(first["regression"], false);
    let c = &d.changes[0];
    assert_eq!(first["before"], pim_notify::report::answer_json(&old, &c.before));
    assert_eq!(first["after"], pim_notify::report::answer_json(&new, &c.after));
    insta::assert_json_snapshot!("diff_json_one_added_recipient", json);
}
