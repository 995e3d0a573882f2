//! What `import graph` is given, as users give it: each wrong response kind, files cut short
//! by PowerShell at every depth, paged answers with and without their pages, every encoding
//! Windows writes. Each imports faithfully or is refused with exit 2 and the fix, never a
//! silent default. The fixtures in tests/fixtures/graph/ are written in Graph's real shapes.

mod graph_support;

use graph_support::*;
use serde_json::{json, Value};

const FIXTURES: &str = "tests/fixtures/graph";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo(&fixture(name))).unwrap()).unwrap()
}

/// The policy an import writes, without the header line that names the input file.
fn policy_body(out: &std::process::Output) -> String {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    text.lines().skip(1).collect::<Vec<_>>().join("\n")
}

fn import_bytes(bytes: &[u8], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "graph", "-"];
    args.extend_from_slice(extra);
    pim_notify_stdin(&args, bytes)
}

// ---------------------------------------------------------------- response kinds

#[test]
fn each_wrong_response_kind_is_named_with_the_request_to_run() {
    let cases: [(&str, &[&str]); 12] = [
        ("policies.json", &["role management policies", "roleManagementPolicyAssignments"]),
        ("one-policy.json", &["role management policies", "roleManagementPolicyAssignments"]),
        ("rules.json", &["the rules of one policy", "roleManagementPolicyAssignments"]),
        ("role-definitions.json", &["role definitions", "--role-definitions"]),
        ("no-expand.json", &["without their policy", "$expand=policy($expand=rules)"]),
        ("arm-policy.json", &["Azure Resource Manager JSON", "`ruleType`", "graph.microsoft.com"]),
        (
            "sdk-assignments.json",
            &[
                "Graph PowerShell SDK objects",
                "AdditionalProperties",
                "Invoke-MgGraphRequest",
                "-OutputType Json",
            ],
        ),
        ("scubagear-export.json", &["ScubaGear's ProviderSettingsExport", "roleManagementPolicyAssignments"]),
        (
            "graph-error.json",
            &[
                "Graph answered with an error",
                "Authorization_RequestDenied",
                "RoleManagementPolicy.Read.Directory",
            ],
        ),
        (
            "directory-scope.json",
            &["scopeType `Directory` is the tenant's default policy", "scopeType eq 'DirectoryRole'"],
        ),
        ("group-policy.json", &["PIM for Groups", "scopeType eq 'DirectoryRole'"]),
        ("tenant-bare-list.json", &["without the page around it", "--allow-partial"]),
    ];
    for (name, needles) in cases {
        let out = pim_notify(&["import", "graph", &fixture(name)]);
        refused(&out, needles);
        refused(&out, &["help: ", &fixture(name)]);
    }
}

#[test]
fn ones_own_role_definitions_are_refused_as_an_export_and_the_export_as_role_definitions() {
    let out = pim_notify(&[
        "import",
        "graph",
        &fixture("tenant-page.json"),
        "--role-definitions",
        &fixture("tenant-page.json"),
    ]);
    refused(&out, &["not role definitions", "roleDefinitions"]);
    let out = pim_notify(&[
        "import",
        "graph",
        &fixture("tenant-page.json"),
        "--role-definitions",
        &fixture("sdk-assignments.json"),
    ]);
    refused(&out, &["not role definitions", "Invoke-MgGraphRequest"]);
}

#[test]
fn a_page_an_array_of_pages_and_one_assignment_import_alike() {
    let page = ok(pim_notify(&["import", "graph", &fixture("tenant-page.json")]));
    let pages = ok(pim_notify(&["import", "graph", &fixture("tenant-pages.json")]));
    assert_eq!(policy_body(&page), policy_body(&pages));
    assert!(policy_body(&page).contains("- name: Privileged Role Administrator"));
    let one = ok(pim_notify(&["import", "graph", &fixture("tenant-one-assignment.json")]));
    assert!(policy_body(&one).contains("- name: Global Administrator"));
}

#[test]
fn the_tenant_default_policy_is_skipped_with_a_note_next_to_role_policies() {
    let mut data = fixture_json("tenant-page.json");
    let directory = fixture_json("directory-scope.json")["value"][0].clone();
    data["value"].as_array_mut().unwrap().push(directory);
    let out = ok(pim_notify_stdin(&["import", "graph", "-"], data.to_string().as_bytes()));
    assert!(stderr(&out).contains("note: assignment Directory_"), "{}", stderr(&out));
    assert!(stderr(&out).contains("tenant's default policy"));
    let body = policy_body(&out);
    assert_eq!(body.matches("- name: Global Administrator").count(), 1, "{body}");
}

// ---------------------------------------------------------------- paging

#[test]
fn unfollowed_pages_are_refused_unless_allow_partial() {
    for name in ["tenant-page1-of-2.json", "tenant-pages-last-unfollowed.json"] {
        let out = pim_notify(&["import", "graph", &fixture(name)]);
        refused(&out, &["@odata.nextLink", "not followed", "--allow-partial", "save-tenant"]);
        let out = ok(pim_notify(&["import", "graph", &fixture(name), "--allow-partial"]));
        assert!(stderr(&out).contains("read anyway (--allow-partial)"), "{}", stderr(&out));
        assert!(policy_body(&out).contains("- name: Global Administrator"));
    }
    let bare = ok(pim_notify(&["import", "graph", &fixture("tenant-bare-list.json"), "--allow-partial"]));
    assert!(policy_body(&bare).contains("- name: User Administrator"));
}

#[test]
fn export_reads_its_baseline_as_strictly_as_import() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("t.yaml");
    ok(pim_notify(&["import", "graph", &fixture("tenant-page.json"), "-o", yaml.to_str().unwrap()]));
    let yaml = yaml.to_str().unwrap();
    let out = pim_notify(&[
        "export",
        "graph",
        yaml,
        "--assignments",
        &fixture("tenant-page1-of-2.json"),
        "--only-changed",
    ]);
    refused(&out, &["@odata.nextLink"]);
    let cut = convert_to_json(&fixture_json("tenant-page.json"), 5).to_string();
    let out =
        pim_notify_stdin(&["export", "graph", yaml, "--assignments", "-", "--only-changed"], cut.as_bytes());
    refused(
        &out,
        &["cut short by PowerShell's ConvertTo-Json", "ConvertTo-Json -Depth 20", "Invoke-MgGraphRequest"],
    );
}

// ---------------------------------------------------------------- PowerShell's depth

/// `ConvertTo-Json` at -Depth 0 to 9 cuts something of the fixture (approvers sit ten levels
/// down); each cut file is refused naming the two fixes. From 10 on the file is whole.
#[test]
fn files_cut_by_convert_to_json_are_refused_at_every_depth() {
    let whole = fixture_json("tenant-page.json");
    let expected = policy_body(&ok(pim_notify(&["import", "graph", &fixture("tenant-page.json")])));
    for depth in 0..=12 {
        let text = convert_to_json(&whole, depth).to_string();
        let out = import_bytes(text.as_bytes(), &[]);
        if depth < 10 {
            refused(
                &out,
                &["ConvertTo-Json", "ConvertTo-Json -Depth 20", "Invoke-MgGraphRequest", "-OutputType Json"],
            );
            if depth >= 1 {
                refused(&out, &["where Graph returns", "<stdin>:", &format!("about -Depth {depth};")]);
            }
        } else {
            assert_eq!(policy_body(&ok(out)), expected, "-Depth {depth}");
        }
    }
    // A list of pages is one level deeper.
    let pages = fixture_json("tenant-pages.json");
    refused(
        &import_bytes(convert_to_json(&pages, 10).to_string().as_bytes(), &[]),
        &["ConvertTo-Json -Depth 20"],
    );
    ok(import_bytes(convert_to_json(&pages, 11).to_string().as_bytes(), &[]));
}

/// `Select-Object` or an SDK object without its `AdditionalProperties` drops a notification
/// rule's fields: refused, not read as Entra's defaults.
#[test]
fn a_notification_rule_without_its_fields_is_refused() {
    for field in [
        "target",
        "notificationType",
        "recipientType",
        "notificationLevel",
        "isDefaultRecipientsEnabled",
        "notificationRecipients",
    ] {
        let mut data = fixture_json("tenant-page.json");
        let rule = find_rule(&mut data, &policy_id_of_fixture(), "Notification_Admin_EndUser_Assignment");
        rule.as_object_mut().unwrap().remove(field);
        let out = import_bytes(data.to_string().as_bytes(), &[]);
        refused(
            &out,
            &[&format!("lacks `{field}`"), "Notification_Admin_EndUser_Assignment", "Invoke-MgGraphRequest"],
        );
    }
}

fn policy_id_of_fixture() -> String {
    fixture_json("tenant-page.json")["value"][0]["policy"]["id"].as_str().unwrap().to_string()
}

#[test]
fn an_approval_rule_cut_below_its_setting_is_refused() {
    let mut data = fixture_json("tenant-page.json");
    let rule = find_rule(&mut data, &policy_id_of_fixture(), "Approval_EndUser_Assignment");
    rule["setting"]["approvalStages"][0]["primaryApprovers"] =
        json!("System.Collections.Hashtable System.Collections.Hashtable");
    refused(
        &import_bytes(data.to_string().as_bytes(), &[]),
        &["`primaryApprovers` is the text", "ConvertTo-Json -Depth 20"],
    );
    let mut data = fixture_json("tenant-page.json");
    find_rule(&mut data, &policy_id_of_fixture(), "Approval_EndUser_Assignment")["setting"] =
        json!("@{isApprovalRequired=True; approvalStages=System.Object[]}");
    refused(
        &import_bytes(data.to_string().as_bytes(), &[]),
        &["`setting` is the text", "where Graph returns an object"],
    );
}

// ---------------------------------------------------------------- encodings

/// Text to the bytes of one encoding.
type Encode = fn(&str) -> Vec<u8>;

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    bytes
}

/// What Windows PowerShell 5.1 and Notepad write: a UTF-8 byte order mark, UTF-16 either way
/// round, CRLF line ends. Every JSON input reads them: the export, --role-definitions and
/// --assignments.
#[test]
fn byte_order_marks_utf16_and_crlf_are_read_for_every_json_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo(&fixture("tenant-page.json"))).unwrap().replace('\n', "\r\n");
    let names = std::fs::read_to_string(repo(&fixture("role-definitions.json"))).unwrap();
    let expected = policy_body(&ok(pim_notify(&[
        "import",
        "graph",
        &fixture("tenant-page.json"),
        "--role-definitions",
        &fixture("role-definitions.json"),
    ])));
    let encodings: [(&str, Encode); 4] = [
        ("utf8-bom", |t| [&[0xEF, 0xBB, 0xBF][..], t.as_bytes()].concat()),
        ("utf16le", |t| utf16(t, true)),
        ("utf16be", |t| utf16(t, false)),
        ("utf8-crlf", |t| t.as_bytes().to_vec()),
    ];
    for (name, encode) in encodings {
        let export = dir.path().join(format!("{name}.json"));
        let definitions = dir.path().join(format!("{name}-names.json"));
        std::fs::write(&export, encode(&text)).unwrap();
        std::fs::write(&definitions, encode(&names)).unwrap();
        let (export, definitions) = (export.to_str().unwrap(), definitions.to_str().unwrap());
        let out = ok(pim_notify(&["import", "graph", export, "--role-definitions", definitions]));
        assert_eq!(policy_body(&out), expected, "{name}");
        let yaml = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&yaml, &out.stdout).unwrap();
        let none = ok(pim_notify(&[
            "export",
            "graph",
            yaml.to_str().unwrap(),
            "--assignments",
            export,
            "--only-changed",
        ]));
        assert_eq!(String::from_utf8_lossy(&none.stdout).trim(), "[]", "{name}");
    }
}

#[test]
fn broken_encodings_are_refused_with_the_fix() {
    let mut odd = utf16("{\"value\": []}", true);
    odd.push(0);
    refused(&import_bytes(&odd, &[]), &["not valid UTF-16", "UTF-8"]);
    refused(&import_bytes(&[b'{', 0xFF, b'}'], &[]), &["<stdin>:1:2", "not valid UTF-8"]);
    refused(&import_bytes(&[0xFF, 0xFE, 0, 0, b'{', 0, 0, 0], &[]), &["UTF-32"]);
}

// ---------------------------------------------------------------- other refusals

#[test]
fn a_key_written_twice_is_refused_with_both_positions() {
    let text =
        "{\"value\": [{\"id\": \"a\",\n \"scopeType\": \"DirectoryRole\", \"scopeType\": \"Directory\"}]}";
    refused(
        &import_bytes(text.as_bytes(), &[]),
        &["<stdin>:2:32", "`scopeType` is written twice", "line 2, column 2"],
    );
}

#[test]
fn not_json_says_where_and_what_to_save() {
    refused(&import_bytes(b"{\"value\": [,]}", &[]), &["<stdin>:1:12", "not JSON", "help: save `GET"]);
    refused(&import_bytes(b"", &[]), &["not JSON"]);
    refused(&import_bytes(b"[]", &[]), &["an empty list"]);
    refused(&import_bytes(b"{\"value\": []}", &[]), &["lists no role management policy assignments"]);
}

/// A file far denser than Graph's JSON (millions of `{}`) would parse into a tree dozens of
/// times its size: refused before parsing. Items that are not objects are no export.
#[test]
fn inputs_that_would_blow_up_in_memory_are_refused_before_parsing() {
    let many = format!("[{}]", vec!["{}"; 200_000].join(","));
    refused(&import_bytes(many.as_bytes(), &[]), &["far denser than any Graph response"]);
    let numbers = format!("{{\"value\": [{}]}}", vec!["1"; 200_000].join(","));
    refused(&import_bytes(numbers.as_bytes(), &[]), &["far denser than any Graph response"]);
    refused(&import_bytes(b"{\"value\": [1, null, true]}", &[]), &["not a response of the request"]);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    refused(&import_bytes(deep.as_bytes(), &[]), &["not JSON", "recursion limit"]);
}

#[test]
fn standard_input_is_read_once() {
    let text = std::fs::read(repo(&fixture("tenant-page.json"))).unwrap();
    let out = pim_notify_stdin(&["import", "graph", "-", "--role-definitions", "-"], &text);
    refused(&out, &["`-` (standard input) is given more than once"]);
    let out = pim_notify_stdin(&["export", "graph", "-", "--assignments", "-"], b"version: 1\n");
    refused(&out, &["more than once"]);
}

#[test]
fn the_real_shapes_in_tests_fixtures_are_as_documented() {
    // The fixtures must keep the marks the detectors and the tests rely on.
    let page = fixture_json("tenant-page.json");
    assert!(page["@odata.context"]
        .as_str()
        .unwrap()
        .contains("roleManagementPolicyAssignments(policy(rules()))"));
    assert_eq!(page["value"].as_array().unwrap().len(), 4);
    for assignment in page["value"].as_array().unwrap() {
        assert_eq!(assignment["policy"]["rules"].as_array().unwrap().len(), 17);
    }
    assert!(fixture_json("tenant-pages.json")[0]["@odata.nextLink"].is_string());
    assert!(fixture_json("tenant-pages.json")[1].get("@odata.nextLink").is_none());
}
