//! `pim-notify diff` end to end: exit codes, formats, `REV:path` through git, and arguments
//! that try to pass options to git.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_pim-notify");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn pim(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).stdin(Stdio::null()).output().expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh empty folder under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("pim-notify-diff-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const OLD: &str = "version: 1\nroles:\n  - name: Global Administrator\n    settings:\n      activation.admin: { extra: [soc@contoso.com] }\n";
const ADDED: &str = "version: 1\nroles:\n  - name: Global Administrator\n    settings:\n      activation.admin: { extra: [soc@contoso.com, ciso@contoso.com] }\n";
const REMOVED: &str = "version: 1\nroles:\n  - name: Global Administrator\n";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn exit_codes_follow_git_diff() {
    let dir = temp_dir("exit");
    write(&dir, "old.yaml", OLD);
    write(&dir, "same.yaml", OLD);
    write(&dir, "added.yaml", ADDED);
    write(&dir, "removed.yaml", REMOVED);
    let status = |args: &[&str]| pim(&dir, args).status.code();
    assert_eq!(status(&["diff", "old.yaml", "same.yaml", "--exit-code"]), Some(0));
    assert_eq!(status(&["diff", "old.yaml", "added.yaml"]), Some(0), "changes alone do not fail");
    assert_eq!(status(&["diff", "old.yaml", "added.yaml", "--exit-code"]), Some(1));
    assert_eq!(status(&["diff", "old.yaml", "added.yaml", "--fail-on", "regression"]), Some(0));
    assert_eq!(status(&["diff", "old.yaml", "removed.yaml", "--fail-on", "regression"]), Some(1));
    assert_eq!(status(&["diff", "old.yaml", "missing.yaml"]), Some(2));
    assert_eq!(status(&["diff", "old.yaml", "added.yaml", "--role", "No Such Role"]), Some(2));
    assert_eq!(status(&["diff", "old.yaml", "added.yaml", "--event", "activation.complete"]), Some(2));
}

#[test]
fn human_output_shows_additions_and_the_summary() {
    let dir = temp_dir("human");
    write(&dir, "old.yaml", OLD);
    write(&dir, "new.yaml", ADDED);
    let out = pim(&dir, &["diff", "old.yaml", "new.yaml"]);
    let text = stdout(&out);
    // The role needs no approval, so only the activation email changes (DESIGN §1).
    assert!(text.contains("Global Administrator\n  activation.completed (Role activated)\n    + ciso@contoso.com  admin · activation.admin · extra (new.yaml:5:52)"), "{text}");
    assert!(
        text.ends_with("1 role, 1 notification changed: 1 recipient added, 0 removed, 0 regressions\n"),
        "{text}"
    );
}

#[test]
fn no_change_says_so() {
    let dir = temp_dir("nochange");
    write(&dir, "old.yaml", OLD);
    write(&dir, "new.yaml", &OLD.replace("soc@contoso.com", "SOC@contoso.com"));
    let out = pim(&dir, &["diff", "old.yaml", "new.yaml", "--exit-code"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("No change in who is notified; 0 regressions"), "{}", stdout(&out));
}

#[test]
fn json_has_the_documented_shape() {
    let dir = temp_dir("json");
    write(&dir, "old.yaml", OLD);
    write(&dir, "new.yaml", REMOVED);
    let out = pim(&dir, &["diff", "old.yaml", "new.yaml", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    for key in ["changes", "roles_added", "roles_removed", "summary"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    let change = &json["changes"][0];
    assert_eq!(change["removed"], serde_json::json!(["soc@contoso.com"]));
    assert_eq!(change["regression"], true);
    assert_eq!(change["before"]["recipients"][0]["address"], "soc@contoso.com");
    assert_eq!(change["after"]["event"]["id"], change["event"]);
}

#[test]
fn stdin_is_one_side() {
    let dir = temp_dir("stdin");
    write(&dir, "new.yaml", ADDED);
    let mut child = Command::new(BIN)
        .args(["diff", "-", "new.yaml", "--exit-code"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(OLD.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("Effect of <stdin> → new.yaml"));
    assert_eq!(pim(&dir, &["diff", "-", "-"]).status.code(), Some(2));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn repo_with_history() -> PathBuf {
    let dir = temp_dir("git");
    git(&dir, &["init", "-q"]);
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    write(&dir, "policies/prod.yaml", OLD);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "old"]);
    write(&dir, "policies/prod.yaml", ADDED);
    dir
}

#[test]
fn rev_path_reads_through_git() {
    let dir = repo_with_history();
    let out = pim(&dir, &["diff", "HEAD:policies/prod.yaml", "policies/prod.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["old"], "HEAD:policies/prod.yaml");
    assert_eq!(json["summary"]["recipients_added"], 1);
    let missing = pim(&dir, &["diff", "HEAD:policies/none.yaml", "policies/prod.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("git cannot show `HEAD:policies/none.yaml`"), "{}", stderr(&missing));
}

#[test]
fn a_revision_is_never_read_as_an_option() {
    let dir = repo_with_history();
    let target = dir.join("pwned.txt");
    let injected = format!("--output={}:policies/prod.yaml", target.display());
    for old in [injected.as_str(), "-p:policies/prod.yaml", "--no-index:x"] {
        let out = pim(&dir, &["diff", "--", old, "policies/prod.yaml"]);
        assert_eq!(out.status.code(), Some(2), "{old}");
        assert!(stderr(&out).contains("a revision cannot be an option"), "{}", stderr(&out));
    }
    assert!(!target.exists(), "git must not have written a file");
}

#[test]
fn a_file_on_disk_wins_over_rev_path() {
    let dir = repo_with_history();
    write(&dir, "HEAD:policies", OLD);
    let out = pim(&dir, &["diff", "HEAD:policies", "policies/prod.yaml", "--exit-code"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Effect of HEAD:policies → policies/prod.yaml"));
}

#[test]
fn github_annotations_point_at_the_new_file() {
    let dir = temp_dir("github");
    write(&dir, "old.yaml", OLD);
    write(&dir, "new.yaml", REMOVED);
    let out = pim(&dir, &["diff", "old.yaml", "new.yaml", "--format", "github"]);
    let text = stdout(&out);
    assert!(text.starts_with("::error file=new.yaml,line=3,col=5,title=notification regression::Global Administrator: activation.completed: - soc@contoso.com; regression:"), "{text}");
}

#[test]
fn untrusted_text_cannot_inject_markdown_or_terminal_escapes() {
    let dir = temp_dir("escape");
    write(&dir, "old.yaml", REMOVED);
    let evil = "version: 1\nroles:\n  - name: \"Evil | <img src=x> \\e[31m\"\n";
    write(&dir, "new.yaml", evil);
    let md = stdout(&pim(&dir, &["diff", "old.yaml", "new.yaml", "--format", "markdown"]));
    assert!(md.contains("Evil \\| &lt;img src=x&gt;"), "{md}");
    let human = stdout(&pim(&dir, &["diff", "old.yaml", "new.yaml"]));
    assert!(!human.contains('\u{1b}'), "{human}");
}

/// The worked example in examples/diff/ stays what the tool prints.
#[test]
fn worked_example_is_current() {
    let root = Path::new(ROOT);
    for (format, file) in [("human", "diff.txt"), ("markdown", "diff.md")] {
        let out =
            pim(root, &["diff", "examples/diff/before.yaml", "examples/diff/after.yaml", "--format", format]);
        let expected = std::fs::read_to_string(root.join("examples/diff").join(file)).unwrap();
        assert_eq!(stdout(&out), expected, "regenerate examples/diff/{file}");
    }
}

#[test]
fn help_has_examples() {
    let out = pim(Path::new(ROOT), &["diff", "--help"]);
    assert!(stdout(&out).contains("pim-notify diff origin/main:policies/prod.yaml policies/prod.yaml"));
}
