//! The CI recipes and pre-commit hooks are valid YAML that run real pim-notify commands.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The commands of DESIGN §4. The recipes may only call these.
const COMMANDS: &[&str] = &[
    "who",
    "matrix",
    "events",
    "roles",
    "lint",
    "explain",
    "diff",
    "test",
    "import",
    "export",
    "schema",
    "completions",
];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn yaml(path: &str) -> (String, Value) {
    let text = std::fs::read_to_string(repo(path)).unwrap();
    let value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"));
    (text, value)
}

/// Every `pim-notify SUBCOMMAND` written in a recipe, outside comments.
fn invoked_commands(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .flat_map(|line| line.split("pim-notify ").skip(1).filter_map(|rest| rest.split_whitespace().next()))
        .collect()
}

fn assert_known_commands(path: &str, text: &str) {
    let invoked = invoked_commands(text);
    assert!(!invoked.is_empty(), "{path} runs no pim-notify command");
    for command in invoked.iter().filter(|c| c.chars().all(|ch| ch.is_ascii_lowercase())) {
        assert!(COMMANDS.contains(command), "{path} runs unknown command `pim-notify {command}`");
    }
}

fn steps(value: &Value) -> Vec<&Value> {
    value["jobs"].as_object().unwrap().values().flat_map(|job| job["steps"].as_array().unwrap()).collect()
}

#[test]
fn github_workflow_uploads_sarif_tests_and_comments_the_diff() {
    let (text, workflow) = yaml("examples/ci/github-actions.yml");
    assert_known_commands("github-actions.yml", &text);
    let steps = steps(&workflow);
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@")))
        .expect("an upload-sarif step");
    let sarif = upload["with"]["sarif_file"].as_str().unwrap();
    let lint = steps.iter().find(|s| s["id"] == "lint").expect("a lint step");
    assert!(lint["run"].as_str().unwrap().contains(&format!("--format sarif > {sarif}")));
    assert!(steps.iter().any(|s| s["run"].as_str().is_some_and(|r| r.contains("pim-notify test"))));
    let diff =
        steps.iter().find(|s| s["run"].as_str().is_some_and(|r| r.contains("pim-notify diff"))).unwrap();
    assert!(diff["run"].as_str().unwrap().contains("--format markdown"));
    assert!(steps.iter().any(|s| s["run"].as_str().is_some_and(|r| r.contains("gh pr comment"))));
    let permissions = &workflow["jobs"]["policies"]["permissions"];
    assert_eq!(permissions["security-events"], "write");
    assert_eq!(permissions["pull-requests"], "write");
    assert!(!text.contains("${{ github.base_ref }}\""), "pass untrusted refs through env, not into scripts");
}

#[test]
fn azure_pipeline_publishes_junit_results() {
    let (text, pipeline) = yaml("examples/ci/azure-pipelines.yml");
    assert_known_commands("azure-pipelines.yml", &text);
    let steps = pipeline["steps"].as_array().unwrap();
    let publish = steps.iter().find(|s| s["task"] == "PublishTestResults@2").expect("PublishTestResults");
    assert_eq!(publish["inputs"]["testResultsFormat"], "JUnit");
    let tests =
        steps.iter().find(|s| s["script"].as_str().is_some_and(|r| r.contains("pim-notify test"))).unwrap();
    assert!(tests["script"]
        .as_str()
        .unwrap()
        .contains("--format junit > \"$(Common.TestResultsDirectory)/pim-notify-"));
}

#[test]
fn pre_commit_hooks_run_pim_notify() {
    let (text, hooks) = yaml(".pre-commit-hooks.yaml");
    assert_known_commands(".pre-commit-hooks.yaml", &text);
    let hooks = hooks.as_array().unwrap();
    assert!(hooks.iter().any(|h| h["id"] == "pim-notify-lint"));
    for hook in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(hook[key].is_string(), "hook {} lacks {key}", hook["id"]);
        }
        assert_eq!(hook["language"], "rust", "built from this repository's Cargo.toml");
        assert!(hook["entry"].as_str().unwrap().starts_with("pim-notify "));
    }
    let lint = hooks.iter().find(|h| h["id"] == "pim-notify-lint").unwrap();
    let files = lint["files"].as_str().unwrap();
    assert!(files.contains("policies/"), "lint only policy files by default, not every YAML: {files}");
}
