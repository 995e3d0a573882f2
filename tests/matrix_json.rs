//! `matrix --format json` is written by `report::write_evaluated_matrix_json`, which evaluates
//! each distinct answer once and renders chunks of roles on two threads. These tests hold it
//! to the plain way, evaluating every (role, event), on a generated policy large enough for
//! many chunks (the property tests in `properties.rs` cover small random policies).

#[path = "../benches/support/generate.rs"]
mod generate;

use pim_notify::catalog::{self, Event};
use pim_notify::eval::{evaluate, Query};
use pim_notify::report::{write_evaluated_matrix_json, write_matrix_json};
use pim_notify::{load_str, Policy, Role};

fn generated(roles: usize) -> Policy {
    let loaded = load_str("generated.yaml", &generate::policy(generate::Spec::new(roles))).unwrap();
    assert!(!loaded.has_errors());
    loaded.policy
}

fn both_ways(policy: &Policy, roles: &[&Role], events: &[&'static Event], query: &Query) -> (String, String) {
    let answers = roles.iter().flat_map(|r| events.iter().map(|e| evaluate(policy, r, e, query)));
    let mut every = Vec::new();
    write_matrix_json(&mut every, policy, answers).unwrap();
    let mut memoised = Vec::new();
    write_evaluated_matrix_json(&mut memoised, policy, roles, events, query).unwrap();
    (String::from_utf8(every).unwrap(), String::from_utf8(memoised).unwrap())
}

#[test]
fn a_large_matrix_is_written_exactly_as_evaluating_every_question() {
    let policy = generated(300);
    let roles: Vec<&Role> = policy.roles.iter().collect();
    assert!(roles.len() > 5 * 64, "several chunks of roles: {}", roles.len());
    let events: Vec<&'static Event> = catalog::events().iter().collect();
    for query in [Query::default(), Query { assignee: Some("Zed@Contoso.com".into()), no_expand: true }] {
        let (every, memoised) = both_ways(&policy, &roles, &events, &query);
        assert!(every.len() > 1_000_000, "a real workload: {} bytes", every.len());
        assert!(every == memoised, "the memoised matrix differs ({query:?})");
    }
}

#[test]
fn empty_selections_write_an_empty_matrix() {
    let policy = generated(10);
    let roles: Vec<&Role> = policy.roles.iter().collect();
    let (every, memoised) = both_ways(&policy, &roles, &[], &Query::default());
    assert_eq!(every, memoised);
    assert!(memoised.ends_with("\"rows\": []\n}\n"), "{memoised}");
    let (every, memoised) =
        both_ways(&policy, &[], catalog::events().iter().collect::<Vec<_>>().as_slice(), &Query::default());
    assert_eq!(every, memoised);
}

/// Near Entra's 1,000-recipient cap the memoised writer counts the whole event, as evaluation
/// does: rows over the cap carry `over-cap`, rows just under it do not.
#[test]
fn rows_over_the_recipient_cap_are_written_as_evaluated() {
    let people =
        |r: std::ops::Range<usize>| r.map(|i| format!("u{i}@contoso.com")).collect::<Vec<_>>().join(", ");
    let yaml = format!(
        "version: 2\ngroups:\n  many: [{}]\ndirectory:\n  admins: [group:many]\ndefaults:\n  activation.assignee: {{ extra: [{}] }}\nroles:\n  - name: Small\n    settings:\n      activation.admin: {{ default_recipients: false, extra: [one@contoso.com] }}\n",
        people(0..700),
        people(700..1001)
    );
    let loaded = load_str("cap.yaml", &yaml).unwrap();
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let policy = loaded.policy;
    // A few roles are enough: rows of 1,700 recipients are large.
    let roles: Vec<&Role> = ["Global Administrator", "Global Reader", "Small"]
        .iter()
        .map(|r| policy.find_role(r).unwrap())
        .collect();
    let events: Vec<&'static Event> = catalog::events().iter().collect();
    for query in [Query::default(), Query { assignee: None, no_expand: true }] {
        let (every, memoised) = both_ways(&policy, &roles, &events, &query);
        assert!(every.contains("\"over-cap\""), "some rows pass the cap");
        assert!(every.contains("\"role\":{\"name\":\"Small\""), "the small role is written");
        assert!(every == memoised, "the memoised matrix differs near the cap ({query:?})");
    }
}
