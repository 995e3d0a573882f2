//! The JSON Schemas: committed copies stay in sync with the code, the shipped files validate,
//! and the schema refuses what the loader refuses.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn pim_notify(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "pim-notify {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn assert_committed(path: &str, args: &[&str]) {
    let committed = std::fs::read_to_string(repo(path)).unwrap_or_default();
    let generated = pim_notify(args);
    assert!(
        committed == generated,
        "{path} is out of date; regenerate it with `pim-notify {}  > {path}`",
        args.join(" ")
    );
}

#[test]
fn committed_policy_schema_matches_the_code() {
    assert_committed("schema/policy.schema.json", &["schema"]);
}

#[test]
fn committed_tests_schema_matches_the_code() {
    assert_committed("schema/tests.schema.json", &["schema", "--tests"]);
}

fn validator(schema: Value) -> jsonschema::Validator {
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::new(&schema).expect("the schema itself is valid")
}

fn policy_validator() -> jsonschema::Validator {
    validator(pim_notify::schema::policy_schema())
}

/// An empty document is an empty policy to the loader, and to editors an empty mapping.
fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str::<Option<Value>>(text).unwrap().unwrap_or_else(|| serde_json::json!({}))
}

fn schema_errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    validator.iter_errors(&yaml_to_json(text)).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// Every YAML file directly in `dir` whose name passes `keep`.
fn yaml_files(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(repo(dir)) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".yaml") && keep(n)))
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_policies_validate_and_point_at_the_schema() {
    let validator = policy_validator();
    let policies = yaml_files("policies", |name| !name.ends_with(".tests.yaml"));
    assert!(policies.len() >= 2, "expected the shipped policies, found {policies:?}");
    for path in policies {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/policy.schema.json"),
            "{} lacks the schema modeline",
            path.display()
        );
        assert_eq!(schema_errors(&validator, &text), Vec::<String>::new(), "{}", path.display());
    }
}

#[test]
fn shipped_test_files_validate() {
    let validator = validator(pim_notify::schema::tests_schema());
    for dir in ["policies", "examples", "tests/fixtures"] {
        for path in yaml_files(dir, |name| name.ends_with(".tests.yaml")) {
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(schema_errors(&validator, &text), Vec::<String>::new(), "{}", path.display());
        }
    }
}

#[test]
fn the_design_example_test_file_validates_and_typos_do_not() {
    let validator = validator(pim_notify::schema::tests_schema());
    let good = "policy: contoso.yaml\ntests:\n  - name: GA activations reach the SOC\n    role: Global Administrator\n    event: activation.completed\n    includes: [group:secops]\n  - role: \"*\"\n    event: alert.assigned-outside-pim\n    includes: [siem@contoso.com]\n";
    assert_eq!(schema_errors(&validator, good), Vec::<String>::new());
    for bad in [
        "tests:\n  - role: x\n    event: activation.complete\n    includes: [a@b.com]\n",
        "tests:\n  - role: x\n    event: activation.completed\n    include: [a@b.com]\n",
        "tests:\n  - role: x\n    event: activation.completed\n",
        "tests:\n  - role: x\n    event: activation.completed\n    exactly: [not an address]\n",
    ] {
        assert!(!schema_errors(&validator, bad).is_empty(), "schema accepted {bad:?}");
    }
}

/// Snippets the loader refuses with an error; the schema must refuse them too.
const REFUSED: &[&str] = &[
    "versio: 1\n",
    "version: 3\n",
    "defaults:\n  alert.admin: { extra: [a@b.com] }\n",
    "defaults:\n  review.reviewer: {}\n",
    "directory:\n  reviewers: [a@b.com]\n",
    "roles:\n  - name: X\n    reviewers: [a@b.com]\n",
    "alerts:\n  assigned-outside-pm: { enabled: false }\n",
    "alerts:\n  assigned-outside-pim: { enabled: nope }\n",
    "alerts:\n  assigned-outside-pim: { on: false }\n",
    "reviews:\n  - name: R\n",
    "reviews:\n  - roles: [X]\n",
    "reviews:\n  - name: R\n    roles: [X]\n    reviewers: [self, a@b.com]\n",
    "reviews:\n  - name: R\n    roles: [X]\n    reviewer: [a@b.com]\n",
    "reviews:\n  - name: R\n    roles: [X]\n    completed_extra: [not-an-address]\n",
    "scope: entra-role\n",
    "defaults:\n  activation.admn: {}\n",
    "defaults:\n  activation.admin: { extras: [a@b.com] }\n",
    "defaults:\n  activation.admin: { extra: [not-an-address] }\n",
    "defaults:\n  activation.admin: { extra: [a@b] }\n",
    "defaults:\n  activation.admin: { extra: ['<admin>'] }\n",
    "defaults:\n  activation.admin: { extra: ['object:123'] }\n",
    "defaults:\n  activation.admin: { disabled: yes please }\n",
    "defaults:\n  activation.approver: { extra: [a@b.com] }\n",
    "roles:\n  - name: X\n    settings:\n      alert.admin: { disabled: true }\n",
    "roles:\n  - name: X\n    id: not-a-guid\n",
    "roles:\n  - id: 62e90394-69f5-4237-9190-012177145e10\n",
    "roles:\n  - name: X\n    lint: { allow: { PN203: reason }, deny: {} }\n",
    "directory:\n  admin: [a@b.com]\n",
    "groups:\n  soc: [a@b.com, 'group:']\n",
];

/// Snippets the loader accepts without errors; the schema must accept them too.
const ACCEPTED: &[&str] = &[
    "",
    "version: 1\nscope: groups\n",
    "directory:\n  admins: [group:pim-admins]\n  default_approvers: [pra@contoso.com]\ngroups:\n  pim-admins: [ga@contoso.com, 'object:62E90394-69F5-4237-9190-012177145E10']\n",
    "version: 2\n",
    "defaults:\n  activation.admin: { extra: ['<admins>', jürgen@bücher.de] }\n  activation.approver: { critical_only: true }\n",
    "directory:\n  role_admins: ['<role-admins>', pra@contoso.com]\nalerts:\n  assigned-outside-pim: { enabled: true }\n  stale-accounts: { enabled: false }\n",
    "reviews:\n  - name: Quarterly\n    roles: [Global Administrator, '*Administrator']\n    reviewers: [group:auditors]\n    mail: true\n    reminders: false\n    completed_extra: [audit@contoso.com]\n  - name: Self\n    roles: [X]\n    reviewers: [self]\n  - name: Managers\n    roles: [X]\n    reviewers: [manager]\n    fallback: [lead@contoso.com]\ngroups:\n  auditors: [a@b.com]\n",
    "roles:\n  - name: Global Administrator\n    id: 62e90394-69f5-4237-9190-012177145e10\n    approval_required: true\n    approvers: [group:pim-admins]\n    settings:\n      eligible.assignee: { critical_only: true, inherit: false }\n    lint: { allow: { PN203: covered by SOC-12 } }\ngroups:\n  pim-admins: [a@b.com]\n",
];

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let validator = policy_validator();
    for snippet in REFUSED {
        let loader_refuses = pim_notify::load_str("t.yaml", snippet).map_or(true, |l| l.has_errors());
        assert!(loader_refuses, "the loader accepts {snippet:?}; move it to ACCEPTED");
        assert!(!schema_errors(&validator, snippet).is_empty(), "the schema accepts {snippet:?}");
    }
}

#[test]
fn the_schema_accepts_what_the_loader_accepts() {
    let validator = policy_validator();
    for snippet in ACCEPTED {
        let loaded = pim_notify::load_str("t.yaml", snippet).expect("parses");
        assert!(!loaded.has_errors(), "the loader refuses {snippet:?}: {:?}", loaded.diagnostics);
        assert_eq!(schema_errors(&validator, snippet), Vec::<String>::new(), "{snippet:?}");
    }
}

#[test]
fn setting_names_are_the_catalog_settings() {
    let schema = pim_notify::schema::policy_schema();
    let defaults: Vec<&String> =
        schema["properties"]["defaults"]["properties"].as_object().unwrap().keys().collect();
    let per_role: Vec<&String> =
        schema["$defs"]["Role"]["properties"]["settings"]["properties"].as_object().unwrap().keys().collect();
    let all: Vec<String> = pim_notify::catalog::SettingId::names().collect();
    assert_eq!(defaults, all.iter().collect::<Vec<_>>());
    assert_eq!(per_role.len(), 9);
    assert!(per_role.iter().all(|name| !name.starts_with("alert.") && !name.starts_with("review.")));
}
