//! The evaluation semantics of DESIGN §3, pinned case by case on inline policies.

use pim_notify::catalog::find_event;
use pim_notify::eval::{evaluate, Query, SuppressReason};
use pim_notify::report::answer_json;
use pim_notify::{load_str, Answer, Policy};
use serde_json::Value;

fn policy(yaml: &str) -> Policy {
    let loaded = load_str("policy.yaml", yaml).expect("policy parses");
    let errors: Vec<_> = loaded.errors().collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    loaded.policy
}

fn ask<'p>(policy: &'p Policy, role: &str, event: &str) -> Answer<'p> {
    ask_with(policy, role, event, &Query::default())
}

fn ask_with<'p>(policy: &'p Policy, role: &str, event: &str, query: &Query) -> Answer<'p> {
    let role = policy.find_role(role).unwrap_or_else(|| panic!("role {role} exists"));
    evaluate(policy, role, find_event(event).expect("event exists"), query)
}

fn addresses(answer: &Answer) -> Vec<String> {
    answer.recipients.iter().map(|n| n.address.clone()).collect()
}

fn suppressions(answer: &Answer) -> Vec<(String, SuppressReason)> {
    answer.suppressed.iter().map(|s| (s.audience.to_string(), s.reason)).collect()
}

#[test]
fn builtin_defaults_reach_placeholders() {
    let p = Policy::builtin_default();
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["<admins>", "<assignee>"]);
    assert!(a.suppressed.is_empty());
    // Extension requests go to the role's administrators, not to its activation approvers.
    let a = ask(&p, "Global Administrator", "eligible.extension-requested");
    assert_eq!(addresses(&a), ["<role-admins>"]);
}

#[test]
fn every_builtin_role_exists_by_name_and_id() {
    let p = Policy::builtin_default();
    assert!(p.roles.len() >= 100, "only {} built-in roles", p.roles.len());
    for name in pim_notify::catalog::HIGHLY_PRIVILEGED_ROLES {
        assert!(p.find_role(name).is_some(), "{name} missing");
    }
    let by_id = p.find_role("62E90394-69F5-4237-9190-012177145E10").unwrap();
    assert_eq!(by_id.name, "Global Administrator");
    assert_eq!(p.find_role("gLoBaL aDmInIsTrAtOr").unwrap().name, "Global Administrator");
    assert!(p.find_role("Global Admin").is_none());
}

#[test]
fn extra_adds_recipients_with_position() {
    let p = policy("version: 1\ndefaults:\n  activation.admin: { extra: [secops@contoso.com] }\n");
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["secops@contoso.com", "<admins>", "<assignee>"]);
    let json = answer_json(&p, &a);
    let reason = &json["recipients"][0]["reasons"][0];
    assert_eq!(reason["source"], "extra");
    assert_eq!(reason["setting"], "activation.admin");
    assert_eq!(reason["at"], "policy.yaml:3:31");
}

#[test]
fn disabled_suppresses_the_audience() {
    let p = policy("version: 1\nroles:\n  - name: Global Administrator\n    settings:\n      activation.assignee: { disabled: true, extra: [x@contoso.com] }\n");
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["<admins>"]);
    assert_eq!(suppressions(&a), [("assignee".to_string(), SuppressReason::Disabled)]);
    assert_eq!(answer_json(&p, &a)["suppressed"][0]["at"], "policy.yaml:5:40");
}

#[test]
fn critical_only_keeps_critical_events_only() {
    let p = policy("version: 1\ndefaults:\n  eligible.admin: { critical_only: true }\n");
    let routine = ask(&p, "Global Administrator", "eligible.assigned");
    assert_eq!(addresses(&routine), ["<assignee>"]);
    assert_eq!(suppressions(&routine), [("admin".to_string(), SuppressReason::CriticalOnly)]);
    // Critical-only still sends what asks its recipient to act.
    let p = policy("version: 2\ndefaults:\n  eligible.approver: { critical_only: true }\n");
    let critical = ask(&p, "Global Administrator", "eligible.renewal-requested");
    assert_eq!(addresses(&critical), ["<role-admins>"]);
}

#[test]
fn default_recipients_off_leaves_only_extra() {
    let p = policy("version: 1\ndefaults:\n  activation.admin: { default_recipients: false, extra: [soc@contoso.com] }\n  activation.assignee: { default_recipients: false }\n");
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["soc@contoso.com"]);
    assert_eq!(suppressions(&a), [("assignee".to_string(), SuppressReason::NoDefaultRecipients)]);
}

#[test]
fn layers_merge_field_by_field_and_extra_adds_up() {
    let yaml = "version: 1
defaults:
  activation.admin: { extra: [soc@contoso.com], critical_only: true }
roles:
  - name: Global Administrator
    settings:
      activation.admin: { extra: [ciso@contoso.com], critical_only: false }
";
    let p = policy(yaml);
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["ciso@contoso.com", "soc@contoso.com", "<admins>", "<assignee>"]);
    // Another role keeps the defaults layer: critical_only suppresses the admin.
    let other = ask(&p, "Security Administrator", "activation.completed");
    assert_eq!(suppressions(&other), [("admin".to_string(), SuppressReason::CriticalOnly)]);
}

#[test]
fn inherit_false_drops_the_defaults_layer() {
    let yaml = "version: 1
defaults:
  activation.admin: { extra: [soc@contoso.com], default_recipients: false }
roles:
  - name: User Administrator
    settings:
      activation.admin: { inherit: false, extra: [lead@contoso.com] }
";
    let p = policy(yaml);
    let a = ask(&p, "User Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["lead@contoso.com", "<admins>", "<assignee>"]);
    let kept = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&kept), ["soc@contoso.com", "<assignee>"]);
}

#[test]
fn activation_request_occurs_only_with_approval() {
    let yaml = "version: 1
directory:
  default_approvers: [pra@contoso.com]
roles:
  - name: Global Administrator
    approval_required: true
  - name: Exchange Administrator
    approval_required: true
    approvers: [group:messaging]
groups:
  messaging: [m1@contoso.com, m2@contoso.com]
";
    let p = policy(yaml);
    let none = ask(&p, "User Administrator", "activation.requested");
    assert!(none.recipients.is_empty());
    assert_eq!(suppressions(&none), [("approver".to_string(), SuppressReason::DoesNotOccur)]);
    assert_eq!(addresses(&ask(&p, "Global Administrator", "activation.requested")), ["pra@contoso.com"]);
    let exchange = ask(&p, "Exchange Administrator", "activation.requested");
    assert_eq!(addresses(&exchange), ["m1@contoso.com", "m2@contoso.com"]);
    assert_eq!(*exchange.recipients[0].reasons[0].via, ["messaging"]);
}

#[test]
fn groups_expand_recursively_with_the_path() {
    let yaml = "version: 1
groups:
  outer: [a@contoso.com, group:inner]
  inner: [b@contoso.com, group:innermost]
  innermost: [c@contoso.com]
defaults:
  activation.admin: { default_recipients: false, extra: [group:outer] }
";
    let p = policy(yaml);
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["a@contoso.com", "b@contoso.com", "c@contoso.com", "<assignee>"]);
    let c = &a.recipients[2].reasons[0];
    assert_eq!(*c.via, ["outer", "inner", "innermost"]);
    let no_expand = Query { no_expand: true, ..Query::default() };
    let a = ask_with(&p, "Global Administrator", "activation.completed", &no_expand);
    assert_eq!(addresses(&a), ["group:outer", "<assignee>"]);
}

#[test]
fn a_recipient_reached_twice_appears_once_with_both_reasons() {
    let yaml = "version: 1
directory:
  admins: [SOC@contoso.com]
defaults:
  activation.admin: { extra: [soc@contoso.com] }
  activation.assignee: { extra: [soc@contoso.com] }
";
    let p = policy(yaml);
    let a = ask(&p, "Global Administrator", "activation.completed");
    assert_eq!(addresses(&a), ["SOC@contoso.com", "<assignee>"]);
    let sources: Vec<_> =
        a.recipients[0].reasons.iter().map(|r| (r.audience.as_str(), r.source.as_str())).collect();
    assert_eq!(sources, [("admin", "default"), ("admin", "extra"), ("assignee", "extra")]);
}

#[test]
fn assignee_flag_replaces_the_placeholder() {
    let p = Policy::builtin_default();
    let q = Query { assignee: Some("alex@contoso.com".into()), ..Query::default() };
    let a = ask_with(&p, "Global Administrator", "activation.completed", &q);
    assert_eq!(addresses(&a), ["alex@contoso.com", "<admins>"]);
}

#[test]
fn review_emails_belong_to_each_review_that_covers_the_role() {
    let yaml = "version: 2
reviews:
  - name: Quarterly
    roles: [Global Administrator, '*Reader']
    reviewers: [board@contoso.com]
    completed_extra: [audit@contoso.com]
  - name: Readers
    roles: [Global Reader]
    reviewers: [self]
    mail: false
";
    let p = policy(yaml);
    let ga = ask(&p, "Global Administrator", "review.started");
    assert_eq!(addresses(&ga), ["board@contoso.com"]);
    let reason = &answer_json(&p, &ga)["recipients"][0]["reasons"][0];
    assert_eq!(reason["setting"], "reviews.Quarterly");
    assert_eq!(reason["review"], "Quarterly");
    // Two reviews cover Global Reader; the second sends no mail.
    let reader = ask(&p, "Global Reader", "review.started");
    assert_eq!(addresses(&reader), ["board@contoso.com"]);
    assert_eq!(suppressions(&reader), [("reviewer".to_string(), SuppressReason::Disabled)]);
    let done = ask(&p, "Global Administrator", "review.completed");
    assert_eq!(addresses(&done), ["audit@contoso.com", "board@contoso.com", "<admins>"]);
    // No review covers a role: nothing is sent, and the answer says why.
    let none = ask(&p, "User Administrator", "review.started");
    assert_eq!(suppressions(&none), [("reviewer".to_string(), SuppressReason::NoReview)]);
    let bare = Policy::builtin_default();
    assert_eq!(
        suppressions(&ask(&bare, "Global Reader", "review.reminder")),
        [("reviewer".to_string(), SuppressReason::NoReview)]
    );
}

#[test]
fn self_and_manager_reviews_name_the_member_and_their_manager() {
    let yaml = "version: 2
reviews:
  - name: Self
    roles: [Global Reader]
    reviewers: [self]
  - name: Managers
    roles: [Global Administrator]
    reviewers: [manager]
    fallback: [lead@contoso.com]
    reminders: false
";
    let p = policy(yaml);
    assert_eq!(addresses(&ask(&p, "Global Reader", "review.started")), ["<assignee>"]);
    let q = Query { assignee: Some("alex@contoso.com".into()), ..Query::default() };
    assert_eq!(addresses(&ask_with(&p, "Global Reader", "review.started", &q)), ["alex@contoso.com"]);
    assert_eq!(
        addresses(&ask(&p, "Global Administrator", "review.started")),
        ["lead@contoso.com", "<manager>"]
    );
    let reminder = ask(&p, "Global Administrator", "review.reminder");
    assert_eq!(suppressions(&reminder), [("reviewer".to_string(), SuppressReason::Disabled)]);
}

#[test]
fn groups_scope_has_no_default_approvers_and_no_alerts() {
    let yaml = "version: 1
scope: groups
roles:
  - name: Finance Admins (member)
    approval_required: true
";
    let p = policy(yaml);
    assert_eq!(p.roles.len(), 1, "no built-in roles outside entra-roles");
    // No default approvers: nobody can approve; the group's owners hear it is pending.
    let a = ask(&p, "finance admins (member)", "activation.requested");
    assert_eq!(addresses(&a), ["<admins>"]);
    assert_eq!(suppressions(&a), [("approver".to_string(), SuppressReason::NoRecipients)]);
    let alert = ask(&p, "Finance Admins (member)", "alert.assigned-outside-pim");
    assert_eq!(suppressions(&alert), [("admin".to_string(), SuppressReason::DoesNotOccur)]);
    let ext = ask(&p, "Finance Admins (member)", "eligible.extension-requested");
    assert_eq!(addresses(&ext), ["<role-admins>"]);
}

#[test]
fn azure_resources_keep_only_the_outside_pim_alert() {
    let p = policy("version: 1\nscope: azure-resources\nroles:\n  - name: Owner\n");
    assert!(ask(&p, "Owner", "alert.assigned-outside-pim").suppressed.is_empty());
    let stale = ask(&p, "Owner", "alert.stale-accounts");
    assert_eq!(suppressions(&stale), [("admin".to_string(), SuppressReason::DoesNotOccur)]);
    let owners = ask(&p, "Owner", "alert.too-many-owners");
    assert_eq!(suppressions(&owners), [("admin".to_string(), SuppressReason::DashboardOnly)]);
    let digest = ask(&p, "Owner", "digest.weekly");
    assert_eq!(suppressions(&digest), [("admin".to_string(), SuppressReason::DoesNotOccur)]);
    assert_eq!(
        suppressions(&ask(&p, "Owner", "review.started")),
        [("reviewer".to_string(), SuppressReason::NoReview)]
    );
}

#[test]
fn empty_approver_list_reaches_nobody() {
    let p = policy("version: 1\nroles:\n  - name: Global Administrator\n    approval_required: true\n    approvers: []\n");
    let a = ask(&p, "Global Administrator", "activation.requested");
    assert_eq!(suppressions(&a), [("approver".to_string(), SuppressReason::NoRecipients)]);
    assert_eq!(answer_json(&p, &a)["suppressed"][0]["at"], "policy.yaml:5:16");
}

#[test]
fn custom_roles_and_overrides_by_id() {
    let yaml = "version: 1
roles:
  - name: GA
    id: 62e90394-69f5-4237-9190-012177145e10
    settings:
      activation.admin: { disabled: true }
  - name: Contoso Auditor
    id: 0f9c6a1e-4b2d-4c8e-9f7a-1a2b3c4d5e6f
";
    let p = policy(yaml);
    let builtin_count = Policy::builtin_default().roles.len();
    assert_eq!(p.roles.len(), builtin_count + 1);
    // The override replaced the built-in role and is found by either name.
    assert_eq!(p.find_role("Global Administrator").unwrap().name, "GA");
    let a = ask(&p, "ga", "activation.completed");
    assert_eq!(suppressions(&a), [("admin".to_string(), SuppressReason::Disabled)]);
    assert_eq!(
        ask(&p, "0F9C6A1E-4B2D-4C8E-9F7A-1A2B3C4D5E6F", "activation.completed").role.name,
        "Contoso Auditor"
    );
}

#[test]
fn alerts_are_switched_and_the_digest_has_no_setting() {
    let p = policy("version: 2\ndirectory:\n  admins: [siem@contoso.com]\nalerts:\n  assigned-outside-pim: { enabled: false }\n");
    for role in ["Global Administrator", "Global Reader"] {
        let alert = ask(&p, role, "alert.assigned-outside-pim");
        assert_eq!(suppressions(&alert), [("admin".to_string(), SuppressReason::AlertDisabled)]);
        assert_eq!(answer_json(&p, &alert)["suppressed"][0]["at"], "policy.yaml:5:36");
        let digest = ask(&p, role, "digest.weekly");
        assert_eq!(addresses(&digest), ["siem@contoso.com"]);
        assert_eq!(answer_json(&p, &digest)["recipients"][0]["reasons"][0]["setting"], Value::Null);
    }
    let on = Policy::builtin_default();
    let alert = ask(&on, "Global Reader", "alert.assigned-outside-pim");
    assert_eq!(addresses(&alert), ["<admins>"]);
    assert_eq!(
        answer_json(&on, &alert)["recipients"][0]["reasons"][0]["setting"],
        "alerts.assigned-outside-pim"
    );
}

#[test]
fn removed_settings_of_version_1_say_what_replaced_them() {
    let loaded = load_str(
        "v1.yaml",
        "version: 1\ndefaults:\n  alert.admin: { extra: [a@contoso.com] }\n  digest.admin: {}\n  review.admin: {}\n",
    )
    .unwrap();
    let found: Vec<(&str, &str)> =
        loaded.diagnostics.iter().map(|d| (d.code, d.help.as_deref().unwrap_or_default())).collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|(code, _)| *code == "PN007"));
    assert!(found[0].1.contains("`alerts:`"), "{found:?}");
    assert!(found[1].1.contains("no setting"), "{found:?}");
    assert!(found[2].1.contains("`reviews:`"), "{found:?}");
}

#[test]
fn answers_are_deterministic() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/contoso.yaml")).unwrap();
    let p = policy(&text);
    for event in pim_notify::catalog::events() {
        let role = p.find_role("Global Administrator").unwrap();
        let one = answer_json(&p, &evaluate(&p, role, event, &Query::default()));
        let two = answer_json(&p, &evaluate(&p, role, event, &Query::default()));
        assert_eq!(one, two);
    }
}

#[test]
fn who_json_snapshot() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/contoso.yaml")).unwrap();
    let loaded = load_str("policies/contoso.yaml", &text).unwrap();
    let p = loaded.policy;
    let mut all = serde_json::Map::new();
    for (role, event) in [
        ("Global Administrator", "activation.completed"),
        ("Global Administrator", "activation.requested"),
        ("Helpdesk Administrator", "activation.completed"),
        ("Global Reader", "eligible.assigned"),
        ("Contoso Break-Glass Auditor", "review.started"),
    ] {
        all.insert(format!("{role} / {event}"), answer_json(&p, &ask(&p, role, event)));
    }
    insta::assert_json_snapshot!(Value::Object(all));
}

/// `Shape` keeps one slot per audience, and the matrix writer concatenates reasons across
/// audiences without looking for duplicates: both rely on every event naming each audience
/// at most once.
#[test]
fn every_event_names_each_audience_once() {
    for event in pim_notify::catalog::events() {
        let mut audiences: Vec<_> = event.audience_entries().iter().map(|a| a.audience).collect();
        audiences.sort();
        audiences.dedup();
        assert_eq!(audiences.len(), event.audience_entries().len(), "{} repeats an audience", event.id);
        assert!(audiences.len() <= 4, "{}", event.id);
    }
}
