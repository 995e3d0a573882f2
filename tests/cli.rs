//! The `who`, `matrix`, `events` and `roles` commands as a user runs them.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_pim-notify");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("the binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

#[test]
fn who_table_on_builtin_defaults() {
    let o = run(&["who", "--role", "Global Administrator", "--event", "activation.completed"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

/// With no policy, `who` answers Entra's defaults as the catalog documents them (DESIGN §1):
/// each case is (role, event, recipients, suppressions as `audience:reason`).
#[test]
fn who_on_builtin_roles_answers_the_catalog() {
    let cases: [(&str, &str, &[&str], &[&str]); 8] = [
        ("Global Administrator", "eligible.expired", &["<admins>", "<assignee>"], &[]),
        ("Global Administrator", "eligible.extension-requested", &["<role-admins>"], &[]),
        ("User Administrator", "active.request-decided", &["<admins>", "<assignee>"], &[]),
        (
            "Global Administrator",
            "activation.approved",
            &[],
            &["approver:does-not-occur", "assignee:does-not-occur", "admin:does-not-occur"],
        ),
        ("Global Reader", "alert.assigned-outside-pim", &["<admins>"], &[]),
        ("Global Reader", "alert.too-many-global-admins", &[], &["admin:dashboard-only"]),
        ("Global Reader", "digest.weekly", &["<admins>"], &[]),
        ("Global Reader", "review.started", &[], &["reviewer:no-review"]),
    ];
    for (role, event, recipients, suppressed) in cases {
        let o = run(&["who", "--role", role, "--event", event, "-f", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v = json(&o);
        let found: Vec<&str> =
            v["recipients"].as_array().unwrap().iter().map(|r| r["address"].as_str().unwrap()).collect();
        assert_eq!(found, recipients, "{role} {event}");
        let why: Vec<String> = v["suppressed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| format!("{}:{}", s["audience"].as_str().unwrap(), s["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(why, suppressed, "{role} {event}");
    }
    // The table marks the assumed audiences and says what the mark means.
    let table = stdout(&run(&["who", "--role", "Global Administrator", "--event", "eligible.removed"]));
    assert!(table.contains("admin* · eligible.admin · default (built-in)"), "{table}");
    assert!(table.contains("* assumed: no Microsoft page says this audience gets this email"), "{table}");
}

#[test]
fn who_table_on_the_example_policy() {
    let o = run(&[
        "who",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "global administrator",
        "--event",
        "activation.completed",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn who_json_matches_the_contract() {
    let o = run(&[
        "who",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "Security Administrator",
        "--event",
        "activation.approved",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["role", "event", "recipients", "suppressed"]);
    assert_eq!(v["role"]["id"], "194ae4cb-b126-40b2-bd5b-6091b380977d");
    assert_eq!(
        v["event"],
        serde_json::json!({"id": "activation.approved", "title": "Role activation request approved", "section": "activation", "critical": false})
    );
    for r in v["recipients"].as_array().unwrap() {
        assert!(["email", "object", "placeholder"].contains(&r["kind"].as_str().unwrap()));
        for reason in r["reasons"].as_array().unwrap() {
            let keys: Vec<&str> = reason.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["audience", "setting", "source", "via", "at", "basis"]);
        }
    }
    insta::assert_json_snapshot!(v);
}

#[test]
fn assignee_and_no_expand_flags() {
    let o = run(&[
        "who",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "Global Administrator",
        "--event",
        "eligible.assigned",
        "--assignee",
        "alex@contoso.com",
        "--no-expand",
        "-f",
        "json",
    ]);
    let v = json(&o);
    let addresses: Vec<&str> =
        v["recipients"].as_array().unwrap().iter().map(|r| r["address"].as_str().unwrap()).collect();
    assert_eq!(addresses, ["group:pim-admins", "group:secops"]);
    assert_eq!(v["suppressed"][0]["reason"], "critical-only");
}

#[test]
fn unknown_role_or_event_exits_2_with_nearest_names() {
    let o = run(&["who", "--role", "Global Admnistrator", "--event", "activation.completed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `Global Administrator`"), "{}", stderr(&o));
    let o = run(&["who", "--role", "Global Administrator", "--event", "activation.complete"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`activation.completed`"), "{}", stderr(&o));
}

#[test]
fn invalid_policies_exit_2_with_positions() {
    let dir = tempdir("invalid");
    std::fs::write(dir.join("bad.yaml"), "version: 1\ngroups:\n  a: [group:nope]\n").unwrap();
    let o = run_in(
        &dir,
        &["who", "-p", "bad.yaml", "--role", "Global Administrator", "--event", "activation.completed"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.yaml:3:7: error[PN003]: unknown group `nope`"), "{}", stderr(&o));
    let o = run_in(&dir, &["who", "-p", "missing.yaml", "--role", "x", "--event", "y"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.yaml"), "{}", stderr(&o));
    let o = run_in(&dir, &["who", "-p", ".", "--role", "x", "--event", "y"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

#[test]
fn config_file_names_the_default_policy() {
    let dir = tempdir("config");
    std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
    std::fs::write(dir.join("pim-notify.toml"), "policy = \"sub/p.yaml\"\n").unwrap();
    std::fs::write(
        dir.join("sub/p.yaml"),
        "version: 1\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n",
    )
    .unwrap();
    let o = run_in(
        &dir.join("sub/deeper"),
        &["who", "--role", "Global Administrator", "--event", "activation.completed", "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["recipients"][0]["address"], "soc@contoso.com");
    let o = run_in(
        &dir.join("sub/deeper"),
        &["who", "--config", "/nonexistent/pim-notify.toml", "--role", "x", "--event", "y"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn matrix_json_rows_are_who_objects() {
    let o = run(&[
        "matrix",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "exchange admin*",
        "--event",
        "activation.*",
        "-f",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["policy"], "policies/contoso.yaml");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "one role (Exchange Administrator) x four activation events");
    let single = run(&[
        "who",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "Exchange Administrator",
        "--event",
        "activation.requested",
        "-f",
        "json",
    ]);
    assert_eq!(rows[0], json(&single));
}

#[test]
fn matrix_filters_that_match_nothing_are_errors() {
    let o = run(&["matrix", "--role", "Nope*"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["matrix", "--event", "activation.complted"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("activation.completed"));
}

#[test]
fn csv_and_markdown_outputs() {
    let o = run(&[
        "who",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "Helpdesk Administrator",
        "--event",
        "activation.completed",
        "-f",
        "csv",
    ]);
    insta::assert_snapshot!("who_csv", stdout(&o));
    let o = run(&[
        "who",
        "-p",
        "policies/contoso.yaml",
        "--role",
        "Helpdesk Administrator",
        "--event",
        "activation.completed",
        "-f",
        "markdown",
    ]);
    insta::assert_snapshot!("who_markdown", stdout(&o));
}

#[test]
fn events_lists_the_catalog() {
    let o = run(&["events", "-f", "json"]);
    let v = json(&o);
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 36, "9 eligible, 9 active, 4 activation, 10 alerts, 1 digest, 3 review");
    assert!(ids.contains(&"eligible.request-decided") && ids.contains(&"active.request-decided"));
    assert!(ids.contains(&"alert.no-license") && ids.contains(&"alert.duplicate-role"));
    // Every audience names its basis and, when documented, its Microsoft pages.
    for event in v.as_array().unwrap() {
        for audience in event["audience_details"].as_array().unwrap() {
            for (scope, basis) in audience["basis"].as_object().unwrap() {
                let pages = basis["pages"].as_array().unwrap();
                match basis["basis"].as_str().unwrap() {
                    "documented" => assert!(!pages.is_empty(), "{} {scope}", event["id"]),
                    "assumed" => assert!(basis["note"].is_string(), "{} {scope}", event["id"]),
                    other => panic!("basis {other}"),
                }
            }
        }
    }
    let o = run(&["events", "--scope", "groups", "-f", "json"]);
    assert!(!stdout(&o).contains("\"alert."));
    insta::assert_snapshot!("events_table", stdout(&run(&["events"])));
}

#[test]
fn roles_show_effective_settings() {
    let o = run(&["roles", "-p", "policies/contoso.yaml", "--listed", "-f", "json"]);
    let v = json(&o);
    let roles = v["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 12);
    let ga = &roles.iter().find(|r| r["name"] == "Global Administrator").unwrap();
    assert_eq!(
        ga["settings"]["activation.admin"]["extra"],
        serde_json::json!(["soc@contoso.com", "ciso@contoso.com"])
    );
    assert_eq!(ga["settings"]["activation.assignee"]["disabled"], true);
    assert_eq!(ga["approvers"], serde_json::json!(["group:identity-leads"]));
    let o = run(&["roles"]);
    assert!(stdout(&o).contains("Global Administrator (built-in)"));
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempdir("control");
    std::fs::write(dir.join("p.yaml"), "version: 1\nroles:\n  - name: \"Evil\\e]0;pwned\\a Role\"\n")
        .unwrap();
    let o = run_in(&dir, &["matrix", "-p", "p.yaml", "--role", "evil*", "--event", "activation.completed"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("\\u{1b}]0;pwned"));
}

#[test]
fn broken_pipe_exits_quietly() {
    use std::io::Read;
    let mut child = Command::new(BIN)
        .args(["matrix", "-f", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pim-notify-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn table_lists_every_reason_on_its_own_line() {
    let dir = tempdir("reasons");
    let yaml = "version: 1\ndirectory:\n  admins: [soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [SOC@contoso.com] }\n";
    std::fs::write(dir.join("p.yaml"), yaml).unwrap();
    let o = run_in(
        &dir,
        &["who", "-p", "p.yaml", "--role", "Global Administrator", "--event", "activation.completed"],
    );
    let out = stdout(&o);
    assert!(!out.contains("\\n"), "{out}");
    assert!(out.contains("admin · activation.admin · default (p.yaml:3:12)"), "{out}");
    assert!(out.contains("admin · activation.admin · extra (p.yaml:5:31)"), "{out}");
    assert!(out.contains("<assignee>: the member the email is about"), "{out}");
}
