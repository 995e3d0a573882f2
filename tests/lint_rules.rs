//! The rule registry and one fixture per rule: each rule's documented bad example triggers it
//! (positions pinned by a snapshot) and its fixed example does not.

use std::collections::HashSet;

use pim_notify::lint::{lint_str, LineIndex, LintConfig, Rule, RULES};
use pim_notify::Diagnostic;
use serde_json::{json, Value};

const DESIGN_CODES: [&str; 26] = [
    "PN001", "PN002", "PN003", "PN004", "PN005", "PN006", "PN007", "PN008", "PN009", "PN010", "PN101",
    "PN102", "PN103", "PN104", "PN105", "PN106", "PN107", "PN108", "PN109", "PN110", "PN201", "PN202",
    "PN203", "PN204", "PN205", "PN206",
];

fn config() -> LintConfig {
    LintConfig { allowed_domains: vec!["contoso.com".into()], ..LintConfig::default() }
}

/// The rule's bad example; PN107 needs more recipients than a doc can show.
fn bad_policy(rule: &Rule) -> String {
    if rule.code != "PN107" {
        return rule.doc.bad.to_string();
    }
    let members: Vec<String> = (0..1001).map(|i| format!("u{i:04}@contoso.com")).collect();
    format!("version: 1\ngroups:\n  everyone: [{}]\ndefaults:\n  activation.admin: {{ extra: [group:everyone] }}\n", members.join(", "))
}

fn findings(text: &str, code: &str) -> Vec<Diagnostic> {
    lint_str("fixture.yaml", text, &config()).diagnostics.into_iter().filter(|d| d.code == code).collect()
}

fn as_json(text: &str, diagnostics: &[Diagnostic]) -> Value {
    let lines = LineIndex::new(text);
    let rows: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let pos = d.pos.unwrap_or_default();
            let (end_line, end_column) = lines.end(pos);
            json!({ "severity": d.severity.as_str(), "message": d.message, "at": format!("{}:{}-{}:{}", pos.line, pos.column, end_line, end_column), "help": d.help })
        })
        .collect();
    Value::Array(rows)
}

#[test]
fn codes_are_unique_and_exactly_those_of_the_design() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    assert_eq!(codes, DESIGN_CODES);
    let names: HashSet<&str> = RULES.iter().map(|r| r.name).collect();
    assert_eq!(names.len(), RULES.len(), "rule names are unique");
}

#[test]
fn every_rule_is_documented() {
    for rule in RULES {
        let doc = &rule.doc;
        for (what, text) in
            [("summary", doc.summary), ("why", doc.why), ("bad", doc.bad), ("fixed", doc.fixed)]
        {
            assert!(text.trim().len() > 5, "{} has no {what}", rule.code);
        }
        assert!(rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{} name", rule.code);
        assert_eq!(
            doc.baseline.is_some(),
            rule.code.starts_with("PN2"),
            "{}: baselines are for PN2xx",
            rule.code
        );
    }
}

#[test]
fn every_bad_example_triggers_its_rule_and_every_fixed_one_does_not() {
    for rule in RULES {
        let bad = bad_policy(rule);
        assert!(!findings(&bad, rule.code).is_empty(), "{}: the bad example does not trigger it", rule.code);
        let fixed = findings(rule.doc.fixed, rule.code);
        assert!(fixed.is_empty(), "{}: the fixed example still triggers it: {fixed:?}", rule.code);
    }
}

#[test]
fn positions_of_every_rule() {
    for rule in RULES {
        let bad = bad_policy(rule);
        let found = findings(&bad, rule.code);
        let text = if rule.code == "PN107" { "(generated)".to_string() } else { bad.clone() };
        insta::assert_json_snapshot!(rule.code, json!({ "policy": text, "findings": as_json(&bad, &found) }));
    }
}

#[test]
fn three_independent_mistakes_give_three_findings() {
    let text = "version: 1\ngroups:\n  unused: [a@contoso.com]\ndefaults:\n  activation.admins: {}\n  eligible.admin: { extra: [group:missing] }\n";
    let codes: Vec<&str> = lint_str("f.yaml", text, &config()).diagnostics.iter().map(|d| d.code).collect();
    for code in ["PN105", "PN002", "PN003"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn a_yaml_error_says_where_it_is() {
    let found =
        lint_str("f.yaml", "version: 1\ndefaults:\n  activation.admin: { extra: [a@b.com }\n", &config());
    let d = &found.diagnostics[0];
    assert_eq!(d.code, "PN001");
    assert_eq!(d.pos.map(|p| p.line), Some(3));
}

#[test]
fn security_rules_check_builtin_roles_the_file_does_not_list() {
    let found = lint_str("f.yaml", "version: 1\n", &config());
    let pn201: Vec<&Diagnostic> = found.diagnostics.iter().filter(|d| d.code == "PN201").collect();
    assert_eq!(pn201.len(), 16, "eight roles, two assignment alerts each");
    assert!(found.diagnostics.iter().any(|d| d.code == "PN202"));
    assert_eq!(found.diagnostics.iter().filter(|d| d.code == "PN203").count(), 7);
}

#[test]
fn a_role_allow_sets_its_finding_aside_with_the_reason() {
    let text = "version: 1\ndefaults:\n  eligible.admin: { extra: [soc@contoso.com] }\n  active.admin: { extra: [soc@contoso.com] }\n  activation.admin: { extra: [soc@contoso.com] }\nroles:\n  - name: User Administrator\n    settings:\n      activation.admin: { inherit: false }\n    lint: { allow: { PN203: \"SIEM rule SOC-12\" } }\n";
    let found = lint_str("f.yaml", text, &config());
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    assert_eq!(found.suppressed.len(), 1);
    assert_eq!(found.suppressed[0].1, "SIEM rule SOC-12");
}

#[test]
fn privileged_roles_are_configurable() {
    let config = LintConfig { privileged_roles: vec!["Global Reader".into()], ..LintConfig::default() };
    let found = lint_str("f.yaml", "version: 1\n", &config);
    let roles: HashSet<Option<&str>> =
        found.diagnostics.iter().filter(|d| d.code.starts_with("PN20")).map(|d| d.role.as_deref()).collect();
    assert_eq!(roles, HashSet::from([Some("Global Reader")]));
}

#[test]
fn the_shipped_policies() {
    let scuba = include_str!("../policies/scuba-baseline.yaml");
    assert_eq!(lint_str("scuba-baseline.yaml", scuba, &LintConfig::default()).diagnostics, vec![]);
    let contoso = include_str!("../policies/contoso.yaml");
    let found = lint_str("contoso.yaml", contoso, &LintConfig::default());
    let summary: Vec<String> = found
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.pos.unwrap_or_default().line, d.code, d.message))
        .collect();
    insta::assert_json_snapshot!("contoso", summary);
}

#[test]
fn an_invalid_recipient_is_one_finding_not_a_cascade() {
    let text = "version: 1
defaults:
  eligible.admin: { extra: [soc@contoso.com] }
  active.admin: { extra: [soc@contoso.com] }
  activation.admin:
    extra:
      - soc.contoso.com
roles:
  - name: Global Administrator
    approval_required: true
    approvers: [pra-at-contoso.com]
";
    let found = lint_str("f.yaml", text, &config());
    let at: Vec<(&str, u32)> =
        found.diagnostics.iter().map(|d| (d.code, d.pos.unwrap_or_default().line)).collect();
    assert_eq!(at, [("PN006", 7), ("PN006", 11)]);
}

#[test]
fn an_allow_without_a_reason_does_not_apply() {
    let text = "version: 1\ndefaults:\n  eligible.admin: { extra: [soc@contoso.com] }\n  active.admin: { extra: [soc@contoso.com] }\n  activation.admin: { extra: [soc@contoso.com] }\nroles:\n  - name: User Administrator\n    settings:\n      activation.admin: { inherit: false }\n    lint: { allow: { PN203: \" \", PN2O4: \"typo\" } }\n";
    let found = lint_str("f.yaml", text, &config());
    let codes: Vec<(&str, &str)> = found.diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("PN203", "activations of `User Administrator` alert no additional recipient"),
            ("PN110", "allow of PN203 gives no reason, so it does not apply"),
            ("PN110", "`PN2O4` is not a lint code"),
        ]
    );
    assert!(found.diagnostics[2].help.as_deref().unwrap_or_default().contains("did you mean `PN204`?"));
}

/// PN107 counts one event's recipients over every audience (DESIGN §1): 600 admins and 600
/// extra recipients of the activated user's email make 1,200.
#[test]
fn the_recipient_cap_counts_every_audience_of_the_event() {
    let people =
        |r: std::ops::Range<usize>| r.map(|i| format!("u{i}@contoso.com")).collect::<Vec<_>>().join(", ");
    let text = format!(
        "version: 2\ndirectory:\n  admins: [{}]\ndefaults:\n  activation.assignee: {{ extra: [{}] }}\n",
        people(0..600),
        people(600..1200)
    );
    let found = findings(&text, "PN107");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].message.starts_with("`activation.completed` reaches up to 1,200 known recipients"),
        "{}",
        found[0].message
    );
    // Under the cap, or counted per audience only, there is nothing to report.
    let under = format!("version: 2\ndirectory:\n  admins: [{}]\n", people(0..1000));
    assert!(findings(&under, "PN107").is_empty());
}

/// Outside Entra roles nobody approves by default: approval without approvers is PN205, even
/// though the administrators hear that the request is pending.
#[test]
fn approval_without_approvers_outside_entra_roles() {
    for scope in ["groups", "azure-resources"] {
        let text = format!("version: 2\nscope: {scope}\nroles:\n  - name: R\n    approval_required: true\n");
        let found = findings(&text, "PN205");
        assert_eq!(found.len(), 1, "{scope}");
        assert!(found[0].help.as_deref().unwrap_or_default().contains("no default approvers"), "{scope}");
        let named = format!("{text}    approvers: [lead@contoso.com]\n");
        assert!(findings(&named, "PN205").is_empty(), "{scope}");
    }
    assert!(findings(
        "version: 2\nroles:\n  - name: Global Administrator\n    approval_required: true\n",
        "PN205"
    )
    .is_empty());
}

#[test]
fn a_review_pattern_that_matches_no_role_has_no_effect() {
    let text = "version: 2\nreviews:\n  - name: R\n    roles: [Global Administator, \"*Reader\"]\n";
    let found = findings(text, "PN101");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].pos.map(|p| (p.line, p.column)), Some((4, 13)));
}
