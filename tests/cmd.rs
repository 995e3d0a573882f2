//! CLI cases as data (tests/cmd/cases.toml): every command in every format it offers, on
//! ordinary and on hostile input. See the file's header for what is checked.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde::Deserialize;

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_pim-notify");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    args: Vec<String>,
    #[serde(default)]
    formats: Vec<String>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/cmd/cases.toml")).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[String]) -> Run {
    let o = Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    Run {
        code: o.status.code(),
        stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
    }
}

#[test]
fn every_case_in_every_format() {
    for case in cases() {
        let formats: Vec<Option<&str>> = if case.formats.is_empty() {
            vec![None]
        } else {
            case.formats.iter().map(|f| Some(f.as_str())).collect()
        };
        for format in formats {
            let mut args = case.args.clone();
            args.extend(format.iter().flat_map(|f| ["-f".to_string(), f.to_string()]));
            let out = run(&args);
            let what = format!("{} {}", case.name, format.unwrap_or(""));
            assert_ne!(out.code, Some(101), "{what} panicked: {}", out.stderr);
            check_stderr(&what, &out.stderr);
            check_format(&what, format.unwrap_or("table"), &out.stdout);
            let snapshot = format!(
                "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
                out.code,
                shown(format, &out.stdout),
                out.stderr
            );
            let name = match format {
                Some(f) => format!("{}.{f}", case.name),
                None => case.name.clone(),
            };
            insta::with_settings!({ snapshot_path => "cmd/snapshots", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, snapshot);
            });
        }
    }
}

/// The HTML page without its fixed style and script, which every page carries alike.
fn shown(format: Option<&str>, stdout: &str) -> String {
    if format != Some("html") {
        return stdout.to_string();
    }
    let cut = |text: &str, open: &str, close: &str| -> String {
        match (text.find(open), text.rfind(close)) {
            (Some(a), Some(b)) if a < b => format!("{}{open}…{}", &text[..a], &text[b..]),
            _ => text.to_string(),
        }
    };
    let text = cut(stdout, "<style>\n", "</style>");
    let at = text.rfind("<script>\n").unwrap_or(text.len());
    format!("{}<script>…</script>\n</body>\n</html>\n", &text[..at])
}

fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    })
}

fn check_stderr(what: &str, stderr: &str) {
    assert_eq!(raw_control(stderr), None, "{what}: raw control character on stderr:\n{stderr}");
    for line in stderr.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: stderr line starts a workflow command:\n{stderr}"
        );
    }
}

fn check_format(what: &str, format: &str, out: &str) {
    assert_eq!(raw_control(out), None, "{what}: a raw control character:\n{out}");
    match format {
        "json" | "sarif" => {
            serde_json::from_str::<serde_json::Value>(out)
                .unwrap_or_else(|e| panic!("{what}: invalid JSON ({e}):\n{out}"));
        }
        "csv" => check_csv(what, out),
        "markdown" => check_markdown(what, out),
        "html" => check_html(what, out),
        "github" => check_github(what, out),
        "junit" => check_xml(what, out),
        _ => {}
    }
}

fn check_csv(what: &str, out: &str) {
    let mut width = None;
    for line in out.lines() {
        let fields = support::csv_fields(line);
        assert_eq!(
            *width.get_or_insert(fields.len()),
            fields.len(),
            "{what}: a record of other width: {line}"
        );
        for field in &fields {
            let first = field.trim_start().chars().next();
            assert!(!matches!(first, Some('=' | '+' | '-' | '@')), "{what}: {field:?} reads as a formula");
        }
    }
}

/// Table rows keep their header's columns, and the only HTML is the writer's own.
fn check_markdown(what: &str, out: &str) {
    let ours = ["<br>", "<details>", "</details>", "<summary>", "</summary>"];
    let mut rest = out.to_string();
    for tag in ours {
        rest = rest.replace(tag, "");
    }
    assert!(!rest.contains('<'), "{what}: raw HTML in Markdown:\n{out}");
    let mut header = None;
    for line in out.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let pipes = support::unescaped_pipes(line);
        assert_eq!(*header.get_or_insert(pipes), pipes, "{what}: a row with other columns: {line}");
    }
}

fn check_html(what: &str, out: &str) {
    assert_eq!(out.matches("<script").count(), 2, "{what}: only the data block and the page script");
    assert_eq!(out.matches("</script>").count(), 2, "{what}");
    assert_eq!(out.matches("<!--").count(), 0, "{what}: a comment was opened");
}

fn check_github(what: &str, out: &str) {
    for line in out.lines() {
        if line.trim_start().starts_with("::") {
            let command = line.split([' ', ':']).nth(2).unwrap_or("");
            assert!(["error", "warning", "notice"].contains(&command), "{what}: an unknown command: {line}");
            let props = line[2 + command.len()..].split("::").next().unwrap();
            assert!(props.split(',').all(|p| p.trim().contains('=')), "{what}: a property was cut: {line}");
        }
    }
}

/// Well-formed enough: every `<` opens one of the report's own elements, and no character
/// XML 1.0 forbids is there.
fn check_xml(what: &str, out: &str) {
    let tags = [
        "<?xml",
        "<testsuites",
        "</testsuites",
        "<testsuite",
        "</testsuite",
        "<testcase",
        "</testcase",
        "<failure",
        "</failure",
    ];
    for (i, _) in out.match_indices('<') {
        assert!(tags.iter().any(|t| out[i..].starts_with(t)), "{what}: markup from the data at {i}:\n{out}");
    }
    assert!(!out.contains(['\u{fffe}', '\u{ffff}']), "{what}");
}

/// The formats each command offers, as its `--help` lists them.
fn offered(command: &str) -> BTreeSet<String> {
    let help = run(&[command.to_string(), "--help".to_string()]).stdout;
    let format = help.split("--format <FORMAT>").nth(1).unwrap_or("");
    let values = format.split("Possible values:").nth(1).unwrap_or("");
    values
        .lines()
        .skip(1)
        .take_while(|l| l.trim_start().starts_with("- "))
        .map(|l| l.trim_start()[2..].split(':').next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn the_cases_cover_every_format_of_every_command() {
    let mut covered: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for case in cases() {
        covered.entry(case.args[0].clone()).or_default().extend(case.formats.iter().cloned());
    }
    for command in ["who", "matrix", "events", "roles", "lint", "diff", "test"] {
        let offered = offered(command);
        assert!(!offered.is_empty(), "{command} lists its formats");
        assert_eq!(covered.get(command), Some(&offered), "{command}: cases and offered formats differ");
    }
}
