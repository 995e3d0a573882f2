//! The diff skips roles whose inputs are unchanged (src/diff/same.rs). These tests compare its
//! result with a brute-force evaluation of every (role, event) in both versions, on generated
//! policies, so the shortcut can never hide a change.

#[path = "../benches/support/generate.rs"]
mod generate;

use std::collections::BTreeSet;

use pim_notify::catalog;
use pim_notify::diff::{diff, no_baseline, DiffOptions};
use pim_notify::eval::{evaluate, Query, SuppressReason};
use pim_notify::{load_str, Answer, Policy};

fn load(text: &str) -> Policy {
    let loaded = load_str("p.yaml", text).expect("generated policies parse");
    assert!(!loaded.has_errors(), "{:?}", loaded.errors().next());
    loaded.policy
}

fn outcome(answer: &Answer) -> (BTreeSet<String>, bool) {
    let recipients = answer.recipients.iter().map(|n| n.address.to_lowercase()).collect();
    let occurs = !answer.suppressed.iter().any(|s| s.reason == SuppressReason::DoesNotOccur);
    (recipients, occurs)
}

/// Every (role, event) whose recipients or occurrence differ, found the slow way.
fn brute_force(old: &Policy, new: &Policy) -> BTreeSet<(String, String)> {
    differing(old, new, |a, b| outcome(a) != outcome(b))
}

/// Every (role, event) of roles in both versions whose answers `differ`, evaluating them all.
fn differing(old: &Policy, new: &Policy, differ: fn(&Answer, &Answer) -> bool) -> BTreeSet<(String, String)> {
    let mut changed = BTreeSet::new();
    for after in &new.roles {
        let Some(before) = old.find_role(&after.name) else { continue };
        for event in catalog::events() {
            let a = evaluate(old, before, event, &Query::default());
            let b = evaluate(new, after, event, &Query::default());
            if differ(&a, &b) {
                changed.insert((after.name.clone(), event.id.clone()));
            }
        }
    }
    changed
}

/// Everything the diff compares in an answer: recipients with their reasons (positions aside)
/// and the suppressions.
type Signature = (BTreeSet<(String, Vec<String>)>, BTreeSet<String>);

fn signature(answer: &Answer) -> Signature {
    let recipients = answer
        .recipients
        .iter()
        .map(|n| {
            let mut reasons: Vec<String> = n
                .reasons
                .iter()
                .map(|r| format!("{:?} {} {:?} {:?}", r.audience, r.setting, r.source, r.via))
                .collect();
            reasons.sort();
            (n.address.to_lowercase(), reasons)
        })
        .collect();
    let suppressed = answer.suppressed.iter().map(|s| format!("{:?} {:?}", s.audience, s.reason)).collect();
    (recipients, suppressed)
}

/// Every (role, event) whose answer differs in anything the diff compares, found the slow way.
fn brute_force_any(old: &Policy, new: &Policy) -> BTreeSet<(String, String)> {
    differing(old, new, |a, b| signature(a) != signature(b))
}

fn reported_any(old: &Policy, new: &Policy) -> BTreeSet<(String, String)> {
    let result = diff(old, new, &DiffOptions::default(), &no_baseline);
    let all = result.changes.iter().chain(&result.reason_changes);
    all.map(|c| (c.role().name.clone(), c.event().id.clone())).collect()
}

fn reported(old: &Policy, new: &Policy) -> BTreeSet<(String, String)> {
    let result = diff(old, new, &DiffOptions::default(), &no_baseline);
    result.changes.iter().map(|c| (c.role().name.clone(), c.event().id.clone())).collect()
}

#[test]
fn changed_roles_are_found_exactly() {
    let old = load(&generate::policy(generate::Spec::new(120)));
    let new = load(&generate::policy(generate::Spec::new(120).changed(0.05)));
    let expected = brute_force(&old, &new);
    assert!(expected.len() > 10, "the variant changes something: {}", expected.len());
    assert_eq!(reported(&old, &new), expected);
    assert_eq!(reported_any(&old, &new), brute_force_any(&old, &new), "reason-only changes too");
}

#[test]
fn a_changed_group_is_seen_through_unchanged_roles() {
    let text = generate::policy(generate::Spec::new(80));
    let old = load(&text);
    let new = load(&text.replace("member-5-a@contoso.com", "someone-else@contoso.com"));
    let expected = brute_force(&old, &new);
    assert!(!expected.is_empty());
    assert_eq!(reported(&old, &new), expected);
}

#[test]
fn a_changed_default_is_seen_through_unchanged_roles() {
    let text = generate::policy(generate::Spec::new(80));
    let old = load(&text);
    let new = load(&text.replace("activation.admin: { extra: [soc@contoso.com] }", "activation.admin: {}"));
    let expected = brute_force(&old, &new);
    assert!(expected.len() > 50);
    assert_eq!(reported(&old, &new), expected);
}

#[test]
fn a_policy_against_itself_has_no_change() {
    let text = generate::policy(generate::Spec::new(80));
    let (old, new) = (load(&text), load(&text));
    let result = diff(&old, &new, &DiffOptions::default(), &no_baseline);
    assert!(!result.has_changes() && result.reason_changes.is_empty());
}
