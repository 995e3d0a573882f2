//! Loading: what is refused, with which code and where, and what is accepted.

use pim_notify::{load_str, Diagnostic};

fn fatal(yaml: &str) -> Diagnostic {
    load_str("p.yaml", yaml).expect_err("the file is refused")
}

fn codes(yaml: &str) -> Vec<(&'static str, u32, u32)> {
    let loaded = load_str("p.yaml", yaml).expect("the file parses");
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.pos.map_or(0, |p| p.line), d.pos.map_or(0, |p| p.column)))
        .collect()
}

#[test]
fn unknown_keys_are_refused_with_did_you_mean() {
    let d = fatal("version: 1\nrole:\n  - name: x\n");
    assert_eq!(d.code, "PN001");
    assert!(d.message.contains("unknown field `role`"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("did you mean `roles`"), "{:?}", d.help);
    assert_eq!(d.pos.map(|p| p.line), Some(2));

    let d = fatal("version: 1\ndefaults:\n  activation.admin: { extras: [a@b.com] }\n");
    assert!(d.help.as_deref().unwrap().contains("`extra`"), "{:?}", d.help);
    assert_eq!(d.pos.map(|p| p.line), Some(3));
}

#[test]
fn duplicate_keys_are_refused() {
    let d = fatal("version: 1\ngroups:\n  a: [x@contoso.com]\n  a: [y@contoso.com]\n");
    assert_eq!(d.code, "PN001");
    assert!(d.message.to_lowercase().contains("duplicate"), "{}", d.message);
    assert_eq!(d.pos.map(|p| p.line), Some(4));
}

#[test]
fn wrong_types_point_at_the_value() {
    let d = fatal("version: 1\nroles:\n  - name: X\n    approval_required: maybe\n");
    assert_eq!(d.code, "PN001");
    assert_eq!(d.pos.map(|p| p.line), Some(4));
}

#[test]
fn every_structural_problem_is_reported_in_one_run() {
    let yaml = "version: 1
groups:
  a: [group:b]
  b: [group:a]
  me: [group:me]
  ok: [not-an-address]
defaults:
  activation.admn: {}
  activation.approver: { extra: [x@contoso.com] }
roles:
  - name: X
    id: nope
    settings:
      alert.admin: {}
      activation.admin: { extra: [group:missing] }
  - name: x
";
    let found = codes(yaml);
    let expect = [
        ("PN006", 6, 8),
        ("PN002", 8, 3),
        ("PN008", 9, 33),
        ("PN009", 12, 9),
        ("PN007", 14, 7),
        ("PN005", 16, 11),
        ("PN003", 15, 35),
        ("PN004", 3, 3),
        ("PN004", 5, 3),
    ];
    assert_eq!(found, expect);
}

#[test]
fn group_cycles_name_the_path() {
    let loaded =
        load_str("p.yaml", "version: 1\ngroups:\n  a: [group:b]\n  b: [group:c]\n  c: [group:a]\n").unwrap();
    let cycles: Vec<&str> =
        loaded.diagnostics.iter().filter(|d| d.code == "PN004").map(|d| d.message.as_str()).collect();
    assert_eq!(cycles, ["group cycle: a -> b -> c -> a"]);
}

#[test]
fn unsupported_version_and_scope() {
    assert_eq!(codes("version: 3\n"), [("PN010", 1, 10)]);
    assert_eq!(codes("version: 0\n"), [("PN010", 1, 10)]);
    assert!(codes("version: 1\n").is_empty(), "version 1 files still load");
    assert!(codes("version: 2\n").is_empty());
    let loaded = load_str("p.yaml", "version: 1\nscope: entra-role\n").unwrap();
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "PN001");
    assert!(d.help.as_deref().unwrap().contains("did you mean `entra-roles`"));
}

#[test]
fn valid_oddities_load() {
    // A byte order mark, CRLF line ends, anchors and aliases, Unicode names and addresses.
    let yaml = "\u{feff}version: 1\r\ngroups:\r\n  équipe: &team [jürgen@bücher.de]\r\n  copy: *team\r\nroles:\r\n  - name: Администратор\r\n    settings:\r\n      activation.admin: { extra: [group:équipe] }\r\n";
    let loaded = load_str("p.yaml", yaml).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(loaded.policy.find_role("администратор").is_some());
}

#[test]
fn empty_and_null_documents_are_the_default_policy() {
    for text in ["", "---\n", "~\n"] {
        let loaded = load_str("p.yaml", text).unwrap();
        assert!(loaded.diagnostics.is_empty());
        assert!(loaded.policy.find_role("Global Administrator").is_some());
    }
}

#[test]
fn a_scalar_or_list_at_the_root_is_refused() {
    assert_eq!(fatal("just a string\n").code, "PN001");
    assert_eq!(fatal("- a\n- b\n").code, "PN001");
}

#[test]
fn alias_bombs_are_refused() {
    let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        yaml.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    let d = fatal(&yaml);
    assert_eq!(d.code, "PN001");
}

#[test]
fn limits_are_explained_in_policy_terms() {
    let deep = format!("version: 1\ngroups:\n  a: {}{}\n", "[".repeat(1000), "]".repeat(1000));
    assert_eq!(fatal(&deep).message, "the YAML nests deeper than 64 levels");
    let items = vec!["x@contoso.com"; 1000].join(", ");
    let mut wide = format!("version: 1\ngroups:\n  base: &b [{items}]\n");
    for i in 0..300 {
        wide.push_str(&format!("  g{i}: *b\n"));
    }
    let d = fatal(&wide);
    assert!(d.message.starts_with("the YAML expands beyond what is safe to read"), "{}", d.message);
    // A type error met through an alias points at the alias, without the parser's suffix.
    let d = fatal("version: 1\ngroups:\n  a: &a [x@contoso.com]\n  b: [*a]\n");
    assert_eq!(d.message, "expected a text value here");
    assert_eq!(d.pos.map(|p| (p.line, p.column)), Some((4, 7)));
}

#[test]
fn the_node_budget_grows_with_honest_input() {
    // 30,000 roles (about 270,000 nodes) is over serde-saphyr's default 250,000-node budget.
    let mut yaml = String::from("version: 1\nroles:\n");
    for i in 0..30_000 {
        yaml.push_str(&format!(
            "  - {{ name: Custom Role {i}, approval_required: true, approvers: [a{i}@contoso.com] }}\n"
        ));
    }
    let loaded = load_str("big.yaml", &yaml).expect("a large honest policy loads");
    assert!(loaded.diagnostics.is_empty());
    assert!(loaded.policy.find_role("custom role 29999").is_some());
}

#[test]
fn deep_nesting_is_refused_without_overflowing() {
    let yaml = "[".repeat(100_000);
    assert_eq!(fatal(&yaml).code, "PN001");
    let block: String = (0..5_000).map(|i| format!("{}- \n", " ".repeat(i * 2))).collect();
    assert_eq!(fatal(&block).code, "PN001");
}

#[test]
fn version_2_keys_are_checked_where_they_are_written() {
    // Default approvers do not exist outside Entra roles (DESIGN §1).
    assert_eq!(
        codes("version: 2\nscope: groups\ndirectory:\n  default_approvers: [a@contoso.com]\n"),
        [("PN007", 4, 22)]
    );
    assert!(codes("version: 2\ndirectory:\n  default_approvers: [a@contoso.com]\n").is_empty());
    // Alerts: unknown ones, and those of another scope.
    assert_eq!(codes("version: 2\nalerts:\n  assigned-outside-pm: { enabled: false }\n"), [("PN002", 3, 3)]);
    assert_eq!(codes("version: 2\nalerts:\n  too-many-owners: { enabled: false }\n"), [("PN007", 3, 3)]);
    assert_eq!(codes("version: 2\nscope: groups\nalerts:\n  assigned-outside-pim: {}\n"), [("PN007", 4, 3)]);
    assert!(codes("version: 2\nscope: azure-resources\nalerts:\n  too-many-owners: { enabled: false }\n")
        .is_empty());
    // Reviews: reviewers, fallback, names.
    let review = |rest: &str| format!("version: 2\nreviews:\n  - name: R\n    roles: [X]\n{rest}");
    assert_eq!(codes(&review("    reviewers: [self, a@contoso.com]\n")), [("PN006", 5, 17)]);
    assert_eq!(
        codes(&review("    reviewers: [a@contoso.com]\n    fallback: [b@contoso.com]\n")),
        [("PN007", 6, 15)]
    );
    assert!(codes(&review("    reviewers: [manager]\n    fallback: [b@contoso.com]\n")).is_empty());
    let twice = "version: 2\nreviews:\n  - name: R\n    roles: [X]\n  - name: R\n    roles: [Y]\n";
    assert_eq!(codes(twice), [("PN005", 5, 5)]);
}

#[test]
fn version_1_reviewers_name_their_replacement() {
    let loaded = load_str(
        "v1.yaml",
        "version: 1\ndirectory:\n  reviewers: [a@contoso.com]\nroles:\n  - name: X\n    reviewers: [b@contoso.com]\n",
    )
    .unwrap();
    let found: Vec<(&str, u32)> =
        loaded.diagnostics.iter().map(|d| (d.code, d.pos.map_or(0, |p| p.line))).collect();
    assert_eq!(found, [("PN007", 3), ("PN007", 6)]);
    assert!(loaded.diagnostics.iter().all(|d| d.help.as_deref().unwrap_or_default().contains("reviews:")));
}

#[test]
fn a_version_1_file_without_removed_settings_loads_as_it_is() {
    let loaded = load_str(
        "v1.yaml",
        "version: 1\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\nroles:\n  - name: Global Administrator\n    approval_required: true\n",
    )
    .unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.policy.version, 1);
}
