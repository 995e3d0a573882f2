//! Hostile role names, group names and addresses (tests/corpus/ok/hostile-text.yaml) are
//! printed inert by `who`, `matrix`, `roles` and `events` in every format: no raw terminal
//! control characters, no spreadsheet formulas, no Markdown/HTML markup, valid JSON.

use std::process::{Command, Output};

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_pim-notify");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const POLICY: &str = "tests/corpus/ok/hostile-text.yaml";
const EVIL_ROLE: &str = "Evil \u{1b}[31mRed\u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7} \u{7}\r\n| <b>&</b> *x* \u{9b}31m \u{202e}abc \u{7f}";
const FORMULA_ROLE: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const FORMATS: [&str; 4] = ["table", "json", "csv", "markdown"];

fn run(args: &[&str]) -> Output {
    let o = Command::new(BIN).args(args).current_dir(ROOT).env("NO_COLOR", "1").output().expect("runs");
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Every command and format that prints policy text.
fn outputs() -> Vec<(String, String)> {
    let mut runs: Vec<(String, Vec<&str>)> = Vec::new();
    for format in FORMATS {
        for role in [EVIL_ROLE, FORMULA_ROLE, "@SUM(1+1)"] {
            runs.push((
                format!("who {format} {role:?}"),
                vec!["who", "-p", POLICY, "--role", role, "--event", "activation.completed", "-f", format],
            ));
        }
        runs.push((
            format!("matrix {format}"),
            vec!["matrix", "-p", POLICY, "--event", "activation.*", "-f", format],
        ));
        runs.push((format!("roles {format}"), vec!["roles", "-p", POLICY, "--listed", "-f", format]));
        runs.push((format!("events {format}"), vec!["events", "-f", format]));
    }
    runs.into_iter()
        .map(|(name, args)| (name, String::from_utf8(run(&args).stdout).expect("output is UTF-8")))
        .collect()
}

/// ESC, BEL, CR, DEL, C1 controls and bidirectional overrides never reach the output raw.
#[test]
fn no_format_prints_raw_control_characters() {
    for (name, out) in outputs() {
        let bad = out.chars().find(|&c| {
            (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        assert_eq!(bad, None, "{name} printed a raw {bad:?}:\n{out}");
    }
}

#[test]
fn the_evil_role_is_shown_escaped_in_people_formats() {
    for format in ["table", "markdown", "csv"] {
        let out =
            run(&["who", "-p", POLICY, "--role", EVIL_ROLE, "--event", "activation.completed", "-f", format]);
        let out = String::from_utf8(out.stdout).unwrap();
        // Markdown also escapes the `[` after the escape.
        let visible = if format == "markdown" { "u{1b}\\[31mRed" } else { "u{1b}[31mRed" };
        assert!(out.contains(visible), "{format}: the escape is visible as text:\n{out}");
        assert!(out.contains("u{202e}abc"), "{format}:\n{out}");
    }
}

#[test]
fn json_is_valid_and_keeps_names_exactly() {
    let out =
        run(&["who", "-p", POLICY, "--role", EVIL_ROLE, "--event", "activation.completed", "-f", "json"]);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(answer["role"]["name"], EVIL_ROLE);
    let matrix = run(&["matrix", "-p", POLICY, "--role", "Evil *", "-f", "json"]);
    let matrix: serde_json::Value = serde_json::from_slice(&matrix.stdout).expect("valid JSON");
    let rows = matrix["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["role"]["name"] == EVIL_ROLE));
    let completed = rows.iter().find(|r| r["event"]["id"] == "activation.completed").unwrap();
    let via = &completed["recipients"][0]["reasons"][0]["via"][0];
    assert_eq!(via, "ops|<i>*team*</i>,\"x\"");
    let roles = run(&["roles", "-p", POLICY, "--listed", "-f", "json"]);
    let roles: serde_json::Value = serde_json::from_slice(&roles.stdout).expect("valid JSON");
    assert_eq!(roles["roles"][0]["name"], EVIL_ROLE);
}

fn csv_records(text: &str) -> Vec<Vec<String>> {
    text.lines().map(support::csv_fields).collect()
}

#[test]
fn csv_rows_keep_their_shape_and_start_no_formula() {
    for (name, out) in outputs().into_iter().filter(|(n, _)| n.contains(" csv")) {
        let records = csv_records(&out);
        let width = records[0].len();
        for record in &records {
            assert_eq!(record.len(), width, "{name}: a row has another number of fields: {record:?}");
            for cell in record {
                let first = cell.trim_start().chars().next();
                assert!(
                    !matches!(first, Some('=' | '+' | '-' | '@')),
                    "{name}: the cell {cell:?} would be read as a formula"
                );
            }
        }
    }
    let out =
        run(&["who", "-p", POLICY, "--role", FORMULA_ROLE, "--event", "activation.completed", "-f", "csv"]);
    let records = csv_records(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(records[1][0], format!("'{FORMULA_ROLE}"), "neutralised with an apostrophe, text kept");
    assert!(records.iter().any(|r| r[4] == "'=1+1@contoso.com"));
}

#[test]
fn markdown_tables_keep_their_columns_and_carry_no_html() {
    for (name, out) in outputs().into_iter().filter(|(n, _)| n.contains(" markdown")) {
        assert!(!out.contains("<b>") && !out.contains("<i>"), "{name} carries raw HTML:\n{out}");
        let mut header = None;
        for line in out.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let n = support::unescaped_pipes(line);
            let expected = *header.get_or_insert(n);
            assert_eq!(n, expected, "{name}: the row has other columns than its header: {line}");
        }
    }
}

#[test]
fn tables_show_one_escaped_line_per_reason() {
    // A recipient with two reasons: their line break is the table's, not an escaped `\n`.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("two-reasons.yaml");
    let yaml = "version: 1\ndirectory:\n  admins: [soc@contoso.com]\ndefaults:\n  activation.admin: { extra: [soc@contoso.com] }\n";
    std::fs::write(&path, yaml).unwrap();
    let policy = path.to_str().unwrap();
    let out =
        run(&["who", "-p", policy, "--role", "Global Administrator", "--event", "activation.completed"]);
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("· default"), "{out}");
    assert!(out.contains("· extra"), "{out}");
    assert!(!out.contains("\\n"), "{out}");
}

/// Runs the binary under `sh`, so a test can close or fill its streams.
fn shell(script: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("PIM", BIN)
        .env("NO_COLOR", "1")
        .current_dir(ROOT)
        .output()
        .expect("sh runs")
}

/// No line of stderr starts (after blanks) with a workflow command, and none carries a raw
/// control character: user data stays inside its message.
fn assert_inert(what: &str, stderr: &str) {
    for line in stderr.lines() {
        assert!(!line.trim_start().starts_with("::"), "{what}: a line starts a workflow command:\n{stderr}");
        assert!(!line.chars().any(|c| c.is_control()), "{what}: raw control character:\n{stderr}");
    }
}

#[test]
fn user_data_in_messages_cannot_start_a_line() {
    let evil = "Global Administratr\n::warning::pwned\u{1b}[31m";
    let policy_path = "no such\n::error::file.yaml";
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("unknown role", vec!["who", "--role", evil, "--event", "activation.completed"]),
        ("unknown event", vec!["who", "--role", "Global Administrator", "--event", evil]),
        ("missing policy", vec!["who", "-p", policy_path, "--role", "x", "--event", "y"]),
        ("matrix glob", vec!["matrix", "--role", evil]),
        ("lint path", vec!["lint", policy_path]),
        ("explain", vec!["explain", evil]),
        ("diff revision", vec!["diff", "nope\n::error::x:y.yaml", "policies/contoso.yaml"]),
        ("usage error", vec!["who", "--role", "x", "--event", "y", "--format", evil]),
        (
            "assignee",
            vec![
                "who",
                "--role",
                "Global Administrator",
                "--event",
                "activation.completed",
                "--assignee",
                evil,
            ],
        ),
    ];
    for (what, args) in runs {
        let o = Command::new(BIN).args(&args).current_dir(ROOT).env("NO_COLOR", "1").output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{what}");
        let stderr = String::from_utf8(o.stderr).unwrap();
        assert!(stderr.contains("\\n::"), "{what}: the line break is shown escaped:\n{stderr}");
        assert_inert(what, &stderr);
    }
}

#[test]
fn a_did_you_mean_from_the_policy_is_escaped() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("newline-role.yaml");
    std::fs::write(&path, "version: 1\nroles:\n  - name: \"Tier0 Admins\\n::warning::owned\"\n").unwrap();
    let o = Command::new(BIN)
        .args([
            "who",
            "-p",
            path.to_str().unwrap(),
            "--role",
            "Tier0 Admins",
            "--event",
            "activation.completed",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean"), "{stderr}");
    assert_inert("did you mean", &stderr);
}

#[test]
fn a_closed_or_full_stream_is_an_exit_status_not_a_panic() {
    // Closed stderr, and a usage error to report on it.
    assert_eq!(shell("\"$PIM\" who --role nope --event nope 2>&-").status.code(), Some(2));
    assert_eq!(shell("\"$PIM\" --bogus 2>&-").status.code(), Some(2));
    // Full disk on stdout: the write fails, the error goes to stderr.
    let full = shell("\"$PIM\" events > /dev/full");
    assert_eq!(full.status.code(), Some(2), "{}", String::from_utf8_lossy(&full.stderr));
    assert!(String::from_utf8_lossy(&full.stderr).contains("error:"));
    // Both streams full.
    assert_eq!(shell("\"$PIM\" events > /dev/full 2>/dev/full").status.code(), Some(2));
    assert_eq!(shell("\"$PIM\" lint missing.yaml 2>/dev/full").status.code(), Some(2));
    // A closed stdout is reopened on /dev/null by Rust's runtime: written, and fine.
    assert_eq!(shell("\"$PIM\" events >&- 2>/dev/null").status.code(), Some(0));
}

#[test]
fn matrix_json_escapes_del_in_an_otherwise_ascii_name() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("del-role.yaml");
    std::fs::write(&path, "version: 1\nroles:\n  - name: \"Del\\x7fRole\"\n").unwrap();
    let o = run(&["matrix", "-p", path.to_str().unwrap(), "--role", "Del*", "-f", "json"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(!text.contains('\u{7f}'), "a raw DEL:\n{text}");
    assert!(text.contains("Del\\u007fRole"), "{text}");
    let matrix: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(matrix["rows"][0]["role"]["name"], "Del\u{7f}Role");
}

/// A megabyte-long role name is wrapped line by line (issue: 12 s for 1 MB when wrapping
/// was quadratic): every command that draws it finishes and keeps to the width.
#[test]
fn a_megabyte_name_is_drawn_within_the_width() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("long-name.yaml");
    let name = "Ab.cd-ef@gh ".repeat(90_000);
    let id = "11111111-2222-3333-4444-555555555555";
    let yaml = format!(
        "version: 1\nroles:\n  - name: \"{name}\"\n    id: {id}\n  - name: \"{}\"\n",
        "x".repeat(1 << 20)
    );
    std::fs::write(&path, yaml).unwrap();
    let policy = path.to_str().unwrap();
    for args in [
        vec!["roles", "-p", policy, "--listed"],
        vec!["matrix", "-p", policy, "--event", "activation.completed"],
        vec!["who", "-p", policy, "--role", id, "--event", "activation.completed"],
    ] {
        let o = Command::new(BIN).args(&args).env("COLUMNS", "80").env("NO_COLOR", "1").output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}: {}", args[0], String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{} drew a line wider than 80", args[0]);
    }
}
