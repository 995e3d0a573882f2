//! `--color`: colors only on a terminal, never with NO_COLOR, forced by CLICOLOR_FORCE or
//! `--color always`.

use std::process::Command;

mod support;

const ESC: &str = "\u{1b}[";

/// Runs `pim-notify events` with a clean color environment plus `vars`.
fn events(args: &[&str], vars: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pim-notify"));
    command.arg("events").args(args);
    for name in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let output = command.output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_pipe_gets_no_color_unless_forced() {
    assert!(!events(&[], &[]).contains(ESC));
    assert!(events(&["--color", "always"], &[]).contains(ESC));
    assert!(events(&[], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(!events(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains(ESC));
    assert!(!events(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
}

#[test]
fn the_flag_is_global() {
    let before = Command::new(env!("CARGO_BIN_EXE_pim-notify"))
        .args(["--color", "always", "events"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&before.stdout).contains(ESC));
}

/// Runs `pim-notify events` on a pseudo-terminal.
fn on_a_terminal(extra_env: &[(&str, &str)]) -> Option<String> {
    support::on_terminal("events", None, extra_env)
}

#[test]
fn a_terminal_gets_color_unless_no_color() {
    let Some(colored) = on_a_terminal(&[]) else { return };
    assert!(colored.contains(ESC), "no color on a terminal");
    let plain = on_a_terminal(&[("NO_COLOR", "1")]).unwrap();
    assert!(!plain.contains(ESC), "color despite NO_COLOR");
}

/// `lint` follows the same choice as every other command (it once decided for itself).
#[test]
fn lint_follows_the_color_choice() {
    let lint = |args: &[&str], vars: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pim-notify"));
        command.args(["lint", "policies/contoso.yaml"]).args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
        for name in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"] {
            command.env_remove(name);
        }
        String::from_utf8(command.envs(vars.iter().copied()).output().unwrap().stdout).unwrap()
    };
    assert!(lint(&["--color", "always"], &[]).contains(ESC));
    assert!(lint(&[], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(!lint(&[], &[]).contains(ESC));
    let Some(never) = support::on_terminal("lint policies/contoso.yaml --color never", None, &[]) else {
        return;
    };
    assert!(!never.contains(ESC), "--color never on a terminal");
    let colored = support::on_terminal("lint policies/contoso.yaml", None, &[]).unwrap();
    assert!(colored.contains(ESC), "a terminal gets colour");
}
