//! `pim-notify test`: the policy test runner, driven as users drive it.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

const POLICY: &str = "\
version: 1
groups:
  secops: [soc@contoso.com, siem@contoso.com]
  leads: [lead@contoso.com, group:secops]
defaults:
  activation.admin: { extra: [group:secops] }
roles:
  - name: Global Administrator
    settings:
      activation.admin: { disabled: true }
  - name: Payroll Operator
    settings:
      activation.admin: { extra: [ciso@contoso.com] }
";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pim-notify"))
        .current_dir(dir)
        .arg("test")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A folder with `policy.yaml` and `cases.tests.yaml` holding `tests`.
fn project(tests: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("policy.yaml"), POLICY).unwrap();
    std::fs::write(dir.path().join("cases.tests.yaml"), format!("policy: policy.yaml\ntests:\n{tests}"))
        .unwrap();
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn passing_cases_print_pass_and_exit_0() {
    let dir = project(
        "  - name: payroll activations reach secops and the CISO
    role: payroll operator
    event: activation.completed
    includes: [group:secops, CISO@Contoso.com]
",
    );
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "PASS payroll activations reach secops and the CISO\n1 passed, 0 failed\n");
}

#[test]
fn a_failure_names_role_event_expected_found_and_why() {
    let dir = project(
        "  - role: Global Administrator
    event: activation.completed
    includes: [soc@contoso.com]
",
    );
    let out = run_in(dir.path(), &["cases.tests.yaml"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("FAIL Global Administrator / activation.completed\n"), "{text}");
    assert!(text.contains("at cases.tests.yaml:3:5"), "{text}");
    assert!(text.contains("role Global Administrator, event activation.completed:"), "{text}");
    assert!(text.contains("expected to include [soc@contoso.com]"), "{text}");
    assert!(
        text.contains("soc@contoso.com is suppressed: activation.admin disabled at policy.yaml:10:37"),
        "{text}"
    );
    assert!(text.contains("found: <assignee>"), "{text}");
    assert!(text.ends_with("\n0 passed, 1 failed\n"), "{text}");
}

#[test]
fn an_unwanted_recipient_is_explained_with_the_group_it_came_through() {
    let dir = project(
        "  - role: Payroll Operator
    event: activation.completed
    excludes: [siem@contoso.com]
",
    );
    let text = stdout(&run_in(dir.path(), &[]));
    assert!(
        text.contains("siem@contoso.com is notified: admin · activation.admin · member of group:secops (policy.yaml:3:29)"),
        "{text}"
    );
}

#[test]
fn star_covers_every_built_in_role_and_the_custom_ones() {
    // Only the Global Administrator keeps secops off activations: every other role fails.
    let dir = project(
        "  - role: \"*\"
    event: activation.completed
    excludes: [soc@contoso.com]
",
    );
    let out = run_in(dir.path(), &["--format", "junit"]);
    let roles = pim_notify::catalog::entra_roles().len() + 1;
    let expected = format!("{} of {roles} (role, event) pairs failed", roles - 1);
    assert!(stdout(&out).contains(&expected), "{}", stdout(&out));
    let text = stdout(&run_in(dir.path(), &[]));
    let first_builtin = &pim_notify::catalog::entra_roles()[0].name;
    assert!(text.contains(&format!("role {first_builtin}, event activation.completed:")), "{text}");
    assert!(text.contains(&format!("… and {} more failing (role, event) pairs", roles - 1 - 5)), "{text}");
}

#[test]
fn globs_select_roles_and_events() {
    let dir = project(
        "  - name: reader activations reach secops
    role: \"*reader\"
    event: \"activation.c*\"
    includes: [group:secops]
  - name: no reader activation reaches the CISO
    role: \"Global R?ader\"
    event: \"activation.*\"
    excludes: [ciso@contoso.com]
",
    );
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).ends_with("2 passed, 0 failed\n"));
}

#[test]
fn exactly_is_a_set_comparison() {
    let dir = project(
        "  - name: order, case and duplicates do not matter
    role: Payroll Operator
    event: activation.completed
    exactly: [<assignee>, ciso@contoso.com, group:secops, SOC@contoso.com, <admins>]
  - name: a missing and an extra recipient both fail
    role: Payroll Operator
    event: activation.completed
    exactly: [<admins>, <assignee>, lead@contoso.com, soc@contoso.com, ciso@contoso.com]
",
    );
    let text = stdout(&run_in(dir.path(), &[]));
    assert!(text.starts_with("PASS order, case and duplicates do not matter\nFAIL a missing"), "{text}");
    assert!(text.contains("lead@contoso.com is not notified"), "{text}");
    assert!(text.contains("siem@contoso.com is notified"), "{text}");
    assert!(text.ends_with("1 passed, 1 failed\n"), "{text}");
}

#[test]
fn groups_in_expectations_mean_all_their_members_recursively() {
    let dir = project(
        "  - role: Payroll Operator
    event: activation.completed
    includes: [group:leads]
",
    );
    let text = stdout(&run_in(dir.path(), &[]));
    assert!(text.contains("lead@contoso.com (member of group:leads) is not notified"), "{text}");
    assert!(!text.contains("soc@contoso.com (member"), "soc is notified, so it is not reported: {text}");
}

#[test]
fn junit_is_escaped_and_counts_cases() {
    let dir = project(
        "  - name: <b>&\"quotes\"</b>
    role: Global Administrator
    event: activation.completed
    includes: [soc@contoso.com]
  - role: Payroll Operator
    event: activation.completed
    includes: [ciso@contoso.com]
",
    );
    let out = run_in(dir.path(), &["--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "), "{xml}");
    assert!(xml.contains(r#"tests="2" failures="1""#), "{xml}");
    assert!(xml.contains(r#"<testcase name="&lt;b&gt;&amp;&quot;quotes&quot;&lt;/b&gt;""#), "{xml}");
    assert!(xml.contains(r#"<failure message="role Global Administrator, event activation.completed: expected to include soc@contoso.com""#), "{xml}");
    assert!(
        xml.contains("soc@contoso.com is suppressed: activation.admin disabled at policy.yaml:10:37"),
        "{xml}"
    );
    assert_well_formed(&xml);
}

/// Tags balance and no raw `<` or `&` sits in text or attributes.
fn assert_well_formed(xml: &str) {
    let body = xml.split_once("?>\n").expect("an XML declaration").1;
    let mut open: Vec<String> = Vec::new();
    for piece in body.split('<').skip(1) {
        let (tag, text) = piece.split_once('>').expect("every tag closes");
        assert!(!text.contains('>') || text.trim().is_empty() || !text.contains('<'), "{text}");
        for amp in text.match_indices('&').chain(tag.match_indices('&')) {
            let rest = &(if text.contains(amp.1) { text } else { tag })[amp.0..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e)),
                "{rest}"
            );
        }
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap().to_string();
        if tag.starts_with('/') {
            assert_eq!(open.pop().as_deref(), Some(name.as_str()), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

#[test]
fn unknown_role_or_event_is_a_bad_file_with_its_position() {
    let dir = project(
        "  - role: Globl Administrator
    event: activation.complete
    includes: [soc@contoso.com]
",
    );
    let out = run_in(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(stdout(&out).is_empty(), "no partial results: {}", stdout(&out));
    assert!(
        err.contains("cases.tests.yaml:3:11: unknown role `Globl Administrator` in policy.yaml"),
        "{err}"
    );
    assert!(err.contains("did you mean `Global Administrator`"), "{err}");
    assert!(err.contains("cases.tests.yaml:4:12: unknown event `activation.complete`"), "{err}");
    assert!(err.contains("did you mean `activation.completed`"), "{err}");
}

#[test]
fn globs_that_match_nothing_and_unknown_groups_are_bad_files() {
    let dir = project(
        "  - role: \"Nothing*\"
    event: \"nope.*\"
    includes: [group:secop]
",
    );
    let out = run_in(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cases.tests.yaml:3:11: no role of policy.yaml matches `Nothing*`"), "{err}");
    assert!(err.contains("cases.tests.yaml:4:12: no event matches `nope.*`"), "{err}");
    assert!(err.contains("cases.tests.yaml:5:16: unknown group `secop`"), "{err}");
    assert!(err.contains("did you mean `secops`"), "{err}");
}

#[test]
fn an_unknown_key_is_a_bad_file_with_a_did_you_mean() {
    let dir = project(
        "  - role: Global Administrator
    event: activation.completed
    exclude: [soc@contoso.com]
",
    );
    let out = run_in(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cases.tests.yaml:5:5: unknown field `exclude`"), "{err}");
    assert!(err.contains("did you mean `excludes`?"), "{err}");
}

#[test]
fn a_case_that_expects_nothing_is_a_bad_file() {
    let dir = project("  - role: Global Administrator\n    event: activation.completed\n");
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cases.tests.yaml:3:5: the case expects nothing"), "{}", stderr(&out));
}

#[test]
fn a_missing_policy_file_is_named() {
    let dir = TempDir::new().unwrap();
    let tests = "policy: nowhere/policy.yaml\ntests: []\n";
    std::fs::write(dir.path().join("a.tests.yaml"), tests).unwrap();
    let out = run_in(dir.path(), &["a.tests.yaml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("a.tests.yaml:1:9: cannot load the policy it names"), "{err}");
    assert!(err.contains("nowhere/policy.yaml"), "{err}");
}

#[test]
fn an_unreadable_tests_file_is_named() {
    let dir = TempDir::new().unwrap();
    let out = run_in(dir.path(), &["missing.tests.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.tests.yaml"), "{}", stderr(&out));
}

#[test]
fn the_policy_is_found_relative_to_the_tests_file() {
    let dir = project(
        "  - role: Payroll Operator
    event: activation.completed
    includes: [ciso@contoso.com]
",
    );
    let parent = dir.path().parent().unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let out = run_in(parent, &[&format!("{name}/cases.tests.yaml")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn discovery_is_recursive_sorted_and_skips_hidden_and_target_folders() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("policy.yaml"), POLICY).unwrap();
    let case = |name: &str, prefix: &str| {
        format!("policy: {prefix}policy.yaml\ntests:\n  - name: {name}\n    role: Payroll Operator\n    event: activation.completed\n    includes: [ciso@contoso.com]\n")
    };
    let broken = "policy: policy.yaml\ntests:\n  - role: Nobody\n    event: nothing\n    includes: []\n";
    for sub in ["b", "a/deeper", ".hidden", "target"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    std::fs::write(dir.path().join("b/one.tests.yaml"), case("from b", "../")).unwrap();
    std::fs::write(dir.path().join("a/deeper/two.tests.yaml"), case("from a/deeper", "../../")).unwrap();
    std::fs::write(dir.path().join("z.tests.yaml"), case("from the top", "")).unwrap();
    std::fs::write(dir.path().join("a/not-a-test.yaml"), broken).unwrap();
    std::fs::write(dir.path().join(".hidden/x.tests.yaml"), broken).unwrap();
    std::fs::write(dir.path().join("target/x.tests.yaml"), broken).unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "PASS from a/deeper\nPASS from b\nPASS from the top\n3 passed, 0 failed\n");
    let in_folder = run_in(dir.path(), &["a"]);
    assert_eq!(stdout(&in_folder), "PASS from a/deeper\n1 passed, 0 failed\n");
}

#[test]
fn no_tests_files_is_an_error() {
    let dir = TempDir::new().unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no *.tests.yaml files"), "{}", stderr(&out));
}

#[test]
fn the_shipped_policy_tests_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run_in(root, &["policies/"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.lines().last().unwrap().ends_with(" passed, 0 failed"), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
}
