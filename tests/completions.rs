//! Shell completions work in a real bash, every shell gets a script, and the man pages cover
//! every command.

use std::process::Command;

fn pim_notify(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(args).output().unwrap();
    assert!(output.status.success(), "pim-notify {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The subcommand names, read from the top-level help so new commands are covered too.
fn subcommands() -> Vec<String> {
    let help = pim_notify(&["--help"]);
    let commands = help.split("Commands:\n").nth(1).unwrap().split("\n\n").next().unwrap();
    commands
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(String::from)
        .collect()
}

/// What bash offers after typing `words` and pressing Tab, through the function that the
/// script registered with `complete -F`.
fn bash_complete(script: &str, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}\n\
         fn=$(complete -p pim-notify | sed -E 's/.*-F ([^ ]+).*/\\1/')\n\
         \"$fn\" pim-notify '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let output = Command::new("bash").arg("--norc").arg("-c").arg(program).output().expect("bash runs");
    assert!(output.status.success(), "bash: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().lines().filter(|l| !l.is_empty()).map(String::from).collect()
}

#[test]
fn bash_completes_commands_options_and_values() {
    let script = pim_notify(&["completions", "bash"]);
    let offered = bash_complete(&script, &["pim-notify", ""]);
    for command in subcommands() {
        assert!(offered.contains(&command), "bash does not offer `{command}`: {offered:?}");
    }
    let mut ma = bash_complete(&script, &["pim-notify", "ma"]);
    ma.sort();
    assert_eq!(ma, ["man", "manpage", "matrix"]);
    let options = bash_complete(&script, &["pim-notify", "matrix", "--fo"]);
    assert_eq!(options, ["--format"]);
    let formats = bash_complete(&script, &["pim-notify", "matrix", "--format", ""]);
    assert_eq!(formats, ["table", "json", "csv", "markdown", "html"]);
    let colors = bash_complete(&script, &["pim-notify", "who", "--color", ""]);
    assert_eq!(colors, ["auto", "always", "never"]);
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let commands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = pim_notify(&["completions", shell]);
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell} completions lack `{command}`");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output =
        Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("possible values: bash"));
}

#[test]
fn the_man_page_documents_every_command_with_examples() {
    let page = pim_notify(&["manpage"]);
    assert!(page.starts_with(".ie") || page.contains(".TH pim-notify 1"), "not roff: {}", &page[..80]);
    for command in subcommands() {
        assert!(
            page.contains(&format!("pim\\-notify\\-{command}(1)")),
            "the main page does not list {command}"
        );
    }
    let dir = std::env::temp_dir().join(format!("pim-notify-man-{}", std::process::id()));
    pim_notify(&["man", "--out-dir", dir.to_str().unwrap()]);
    for command in subcommands() {
        let sub = std::fs::read_to_string(dir.join(format!("pim-notify-{command}.1")))
            .unwrap_or_else(|_| panic!("no page for {command}"));
        assert!(
            sub.contains("Examples:") && sub.contains("pim\\-notify "),
            "pim-notify-{command}.1 has no example"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Whether `shell` can be run. Missing on a developer's machine, the check is skipped; missing
/// in CI (`CI` set, where `.ci/run` installs it), the test fails rather than pass unchecked.
fn installed(shell: &str) -> bool {
    let found = Command::new(shell).arg("-c").arg("exit 0").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{shell} is not installed, and CI must check the {shell} completions"
        );
        eprintln!("SKIP {shell} completion check: {shell} is not installed");
    }
    found
}

#[test]
fn fish_completes_values_when_installed() {
    if !installed("fish") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pim-notify-fish-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("pim-notify.fish");
    std::fs::write(&script, pim_notify(&["completions", "fish"])).unwrap();
    let program = format!("source {}; complete -C 'pim-notify matrix --format '", script.display());
    let output = Command::new("fish").arg("--no-config").arg("-c").arg(program).output().unwrap();
    let offered = String::from_utf8(output.stdout).unwrap();
    let mut formats: Vec<&str> = offered.lines().map(|l| l.split('\t').next().unwrap()).collect();
    formats.sort();
    assert_eq!(formats, ["csv", "html", "json", "markdown", "table"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn zsh_script_parses_when_installed() {
    if !installed("zsh") {
        return;
    }
    let mut child = Command::new("zsh")
        .args(["--no-rcs", "-n"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(pim_notify(&["completions", "zsh"]).as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "zsh -n: {}", String::from_utf8_lossy(&output.stderr));
}
