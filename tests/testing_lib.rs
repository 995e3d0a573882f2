//! The policy-test engine (`pim_notify::testing`) used directly, without the binary.

use pim_notify::testing::{self, ExpectKind};
use pim_notify::{load_str, Policy};

const POLICY: &str = "\
version: 1
groups:
  secops: [soc@contoso.com]
defaults:
  activation.admin: { extra: [group:secops] }
roles:
  - name: Global Administrator
    approval_required: true
    settings:
      activation.admin: { disabled: true }
  - name: Payroll Operator
";

fn policy() -> Policy {
    load_str("policy.yaml", POLICY).unwrap().policy
}

fn tests_file(cases: &str) -> testing::RawTestFile {
    testing::parse(&format!("policy: policy.yaml\ntests:\n{cases}")).unwrap_or_else(|p| panic!("{p:?}"))
}

#[test]
fn star_expands_to_every_role_built_in_ones_included() {
    let policy = policy();
    let file =
        tests_file("  - role: \"*\"\n    event: activation.completed\n    includes: [soc@contoso.com]\n");
    let cases = testing::resolve(&file, &policy).unwrap();
    let roles: Vec<&str> = cases[0].pairs.iter().map(|(r, _)| r.name.as_str()).collect();
    assert_eq!(roles.len(), pim_notify::catalog::entra_roles().len() + 1);
    assert!(roles.contains(&"Global Reader"), "a built-in role the file never lists");
    assert_eq!(roles.last(), Some(&"Payroll Operator"));
    assert_eq!(cases[0].name, "* / activation.completed");
}

#[test]
fn globs_and_lists_expand_to_each_pair_once() {
    let policy = policy();
    let file = tests_file(
        "  - role: [\"*Reader\", Global Reader, payroll operator]
    event: [\"activation.*\", activation.completed]
    excludes: [ciso@contoso.com]
",
    );
    let cases = testing::resolve(&file, &policy).unwrap();
    let readers = policy.roles.iter().filter(|r| r.name.to_lowercase().ends_with("reader")).count();
    assert!(readers >= 2, "the catalog has several reader roles");
    assert_eq!(cases[0].pairs.len(), (readers + 1) * 4, "4 activation events, each pair once");
}

#[test]
fn a_failure_carries_structured_explanations() {
    let policy = policy();
    let file = tests_file(
        "  - role: Global Administrator
    event: activation.completed
    exactly: [soc@contoso.com]
",
    );
    let cases = testing::resolve(&file, &policy).unwrap();
    let result = testing::run_case(&policy, &cases[0]);
    assert!(!result.passed());
    let mismatch = &result.failures[0].mismatches[0];
    assert_eq!(mismatch.kind, ExpectKind::Exactly);
    assert_eq!(mismatch.missing[0].address, "soc@contoso.com");
    assert_eq!(mismatch.missing[0].why, "is suppressed: activation.admin disabled at policy.yaml:10:37");
    assert_eq!(mismatch.unexpected[0].address, "<assignee>");
}

#[test]
fn an_event_that_does_not_occur_notifies_nobody() {
    let policy = policy();
    let file = tests_file(
        "  - role: Payroll Operator
    event: activation.requested
    exactly: []
  - role: Payroll Operator
    event: activation.requested
    includes: [\"<approvers>\"]
",
    );
    let cases = testing::resolve(&file, &policy).unwrap();
    assert!(testing::run_case(&policy, &cases[0]).passed());
    let failed = testing::run_case(&policy, &cases[1]);
    let why = &failed.failures[0].mismatches[0].missing[0].why;
    assert!(why.contains("does not occur for Payroll Operator"), "{why}");
}

#[test]
fn assignee_stands_in_for_the_placeholder() {
    let policy = policy();
    let file = tests_file(
        "  - role: Payroll Operator
    event: activation.completed
    assignee: Alex@Contoso.com
    exactly: [alex@contoso.com, soc@contoso.com, \"<admins>\"]
  - role: Payroll Operator
    event: activation.completed
    assignee: alex@contoso.com
    includes: [\"<assignee>\"]
    excludes: [bob@contoso.com]
",
    );
    let cases = testing::resolve(&file, &policy).unwrap();
    assert!(testing::run_case(&policy, &cases[0]).passed());
    assert!(testing::run_case(&policy, &cases[1]).passed(), "<assignee> means the named assignee");
}

#[test]
fn every_problem_of_a_file_is_reported_with_its_position() {
    let policy = policy();
    let file = tests_file(
        "  - role: Nobody
    event: activation.completed
    includes: [\"<admin>\"]
  - role: Payroll Operator
    event: activation.done
    includes: [group:nope]
",
    );
    let problems = testing::resolve(&file, &policy).unwrap_err();
    let at: Vec<(u32, u32)> = problems.iter().map(|p| (p.pos.unwrap().line, p.pos.unwrap().column)).collect();
    assert_eq!(at, [(3, 11), (5, 16), (7, 12), (8, 16)], "{problems:#?}");
}

#[test]
fn unknown_keys_and_wrong_types_are_refused_with_positions() {
    let unknown =
        testing::parse("policy: p.yaml\ntests:\n  - role: Reader\n    event: alert.x\n    include: []\n")
            .unwrap_err();
    assert_eq!(unknown.pos.map(|p| (p.line, p.column)), Some((5, 5)));
    assert!(unknown.help.unwrap().contains("did you mean `includes`?"));
    let wrong = testing::parse("policy: p.yaml\ntests: {}\n").unwrap_err();
    assert_eq!(wrong.pos.map(|p| p.line), Some(2));
}
