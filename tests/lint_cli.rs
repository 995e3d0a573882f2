//! `pim-notify lint` and `explain` as a user and a CI system run them: exit codes, formats,
//! configuration, standard input and several files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn pim(args: &[&str]) -> Output {
    pim_in(Path::new(ROOT), args, None)
}

fn pim_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pim-notify"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or_default().as_bytes()).expect("stdin written");
    drop(input);
    child.wait_with_output().expect("the binary ends")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn codes(o: &Output) -> Vec<String> {
    json(o)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// A scratch folder of this test's own, with the given files.
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// Only warnings: an unused group in an otherwise compliant policy.
const WARNINGS_ONLY: &str = "version: 1
groups:
  secops: [soc@contoso.com]
  legacy: [old@contoso.com]
defaults:
  eligible.admin: { extra: [group:secops] }
  active.admin: { extra: [group:secops] }
  activation.admin: { extra: [group:secops, ciso@contoso.org] }
";

#[test]
fn exit_codes_follow_the_design() {
    assert_eq!(pim(&["lint", "policies/scuba-baseline.yaml"]).status.code(), Some(0));
    assert_eq!(pim(&["lint", "policies/contoso.yaml"]).status.code(), Some(1));
    let missing = pim(&["lint", "policies/no-such-file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.yaml"));
    assert_eq!(pim(&["lint", "policies/contoso.yaml", "--select", "PN999"]).status.code(), Some(2));
    assert_eq!(pim(&["lint"]).status.code(), Some(2), "a file is required");
}

#[test]
fn warnings_fail_only_at_fail_level_warning() {
    let dir = scratch("fail-level", &[("p.yaml", WARNINGS_ONLY)]);
    assert_eq!(pim_in(&dir, &["lint", "p.yaml"], None).status.code(), Some(0));
    assert_eq!(pim_in(&dir, &["lint", "p.yaml", "--fail-level", "warning"], None).status.code(), Some(1));
}

#[test]
fn standard_input_and_several_files() {
    let dir = scratch("stdin", &[("p.yaml", WARNINGS_ONLY)]);
    let both =
        pim_in(&dir, &["lint", "-", "p.yaml", "--format", "json"], Some("version: 1\nscope: entra-role\n"));
    let files: Vec<String> = json(&both)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().into())
        .collect();
    assert!(files.contains(&"<stdin>".to_string()) && files.contains(&"p.yaml".to_string()), "{files:?}");
    assert_eq!(json(&both)["summary"]["files"], 2);
    assert_eq!(both.status.code(), Some(1));
}

#[test]
fn select_and_ignore_pick_codes_and_prefixes() {
    let only = pim(&["lint", "policies/contoso.yaml", "--format", "json", "--select", "PN105,PN109"]);
    assert_eq!(codes(&only), ["PN105", "PN109"]);
    assert_eq!(only.status.code(), Some(0), "only warnings are left");
    let without =
        pim(&["lint", "policies/contoso.yaml", "--format", "json", "--ignore", "PN1", "--ignore", "PN20"]);
    assert_eq!(codes(&without), Vec::<String>::new());
}

#[test]
fn config_sets_severity_domains_and_fail_level() {
    let config = "[lint]\nallowed-domains = [\"contoso.com\"]\nignore = [\"PN106\"]\n[lint.severity]\nPN105 = \"error\"\n";
    let dir = scratch("config", &[("p.yaml", WARNINGS_ONLY), ("pim-notify.toml", config)]);
    let out = pim_in(&dir, &["lint", "p.yaml", "--format", "json"], None);
    let diagnostics = json(&out)["diagnostics"].clone();
    assert_eq!(codes(&out), ["PN105", "PN108"]);
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!((diagnostics[1]["line"].as_u64(), diagnostics[1]["column"].as_u64()), (Some(8), Some(45)));
    assert_eq!(out.status.code(), Some(1));
    let flag_wins = pim_in(&dir, &["lint", "p.yaml", "--ignore", "PN105"], None);
    assert_eq!(flag_wins.status.code(), Some(0));
}

#[test]
fn an_invalid_config_cannot_run() {
    let dir = scratch(
        "bad-config",
        &[("p.yaml", WARNINGS_ONLY), ("pim-notify.toml", "[lint]\nfail_levl = \"x\"\n")],
    );
    let out = pim_in(&dir, &["lint", "p.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fail_levl"));
}

#[test]
fn json_diagnostics_have_the_design_fields() {
    let out = pim(&["lint", "policies/contoso.yaml", "--format", "json"]);
    let first = &json(&out)["diagnostics"][0];
    for key in ["code", "severity", "message", "file", "line", "column", "end_line", "end_column", "help"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    assert_eq!(first["code"], "PN105");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64(), first["end_column"].as_u64()),
        (Some(22), Some(3), Some(16))
    );
}

#[test]
fn human_output_shows_the_source_line() {
    let out = pim(&["lint", "policies/contoso.yaml"]);
    insta::assert_snapshot!("human_contoso", stdout(&out));
}

#[test]
fn sarif_is_what_code_scanning_accepts() {
    let out = pim(&["lint", "./policies/contoso.yaml", "--format", "sarif"]);
    let log = json(&out);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 26);
    assert!(rules.iter().all(|r| r["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty())));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "PN105");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "PN105");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "policies/contoso.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 22);
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let out = pim(&["lint", "policies/contoso.yaml", "--format", "github"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "one line per finding, a newline inside a message is escaped");
    assert!(lines[0].starts_with("::warning file=policies/contoso.yaml,line=22,col=3,endLine=22,endColumn=16,title=PN105 unused-group::"));
    assert!(text.contains("::error file=policies/contoso.yaml,line=95,"));
    assert!(lines[0].contains("%0Ahelp: "));
}

#[test]
fn junit_lists_one_case_per_finding() {
    let out = pim(&["lint", "policies/contoso.yaml", "policies/scuba-baseline.yaml", "--format", "junit"]);
    let text = stdout(&out);
    assert!(text.starts_with("<?xml"));
    assert!(text.contains(r#"<testsuites name="pim-notify lint" tests="11" failures="10">"#), "{text}");
    assert_eq!(text.matches("<failure ").count(), 10);
    assert!(text.contains(r#"<testcase name="no findings" classname="policies/scuba-baseline.yaml"/>"#));
}

#[test]
fn explain_prints_a_rules_documentation() {
    let out = pim(&["explain", "pn203"]);
    let text = stdout(&out);
    assert!(text.starts_with("## PN203 `privileged-activation-alert` (warning)"), "{text}");
    assert!(text.contains("MS.AAD.7.9") && text.contains("Bad:") && text.contains("Fixed:"));
    let all = stdout(&pim(&["explain", "--all"]));
    assert_eq!(all.matches("\n## PN").count(), 26);
    let unknown = pim(&["explain", "PN2O3"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `PN203`?"));
}

#[test]
fn the_lint_code_reference_is_generated_from_the_rules() {
    let generated = stdout(&pim(&["explain", "--all"]));
    let committed = std::fs::read_to_string(Path::new(ROOT).join("docs/lint-codes.md")).unwrap();
    assert!(
        generated == committed,
        "docs/lint-codes.md is stale: run `cargo run -- explain --all > docs/lint-codes.md`"
    );
}

#[test]
fn the_configured_policy_is_linted_and_unknown_privileged_roles_are_named() {
    let config =
        "policy = \"p.yaml\"\n[lint]\nprivileged-roles = [\"Global Administrator\", \"Global Admin\"]\n";
    let dir = scratch("config-policy", &[("p.yaml", WARNINGS_ONLY), ("pim-notify.toml", config)]);
    let out = pim_in(&dir, &["lint", "--format", "json"], None);
    assert_eq!(json(&out)["summary"]["files"], 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("privileged role `Global Admin` is not a role of this policy (did you mean `Global Administrator`?)"), "{stderr}");
}
