//! `--color auto|always|never`: decided once per process, like clap's own color choice, so
//! every renderer asks [`color_enabled`] instead of threading a flag through each call.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

static STDOUT_COLOR: AtomicBool = AtomicBool::new(false);
static STDERR_COLOR: AtomicBool = AtomicBool::new(false);

/// Decides for both streams from the flag, the environment and whether each is a terminal.
pub fn init(choice: ColorChoice) {
    let env = |name: &str| std::env::var_os(name);
    STDOUT_COLOR.store(decide(choice, env, std::io::stdout().is_terminal()), Ordering::Relaxed);
    STDERR_COLOR.store(decide(choice, env, std::io::stderr().is_terminal()), Ordering::Relaxed);
}

/// Whether output to `stream` may carry ANSI colors.
pub fn color_enabled(stream: Stream) -> bool {
    match stream {
        Stream::Stdout => STDOUT_COLOR.load(Ordering::Relaxed),
        Stream::Stderr => STDERR_COLOR.load(Ordering::Relaxed),
    }
}

/// The flag wins; under `auto`, NO_COLOR (any non-empty value) turns colors off, then
/// CLICOLOR_FORCE (non-empty, not "0") turns them on even when piped, then CLICOLOR=0 or
/// TERM=dumb turn them off; otherwise colors go only to a terminal.
pub fn decide(choice: ColorChoice, env: impl Fn(&str) -> Option<OsString>, is_terminal: bool) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let equals = |name: &str, value: &str| env(name).is_some_and(|v| v == value);
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") && !equals("CLICOLOR_FORCE", "0") => true,
        ColorChoice::Auto if equals("CLICOLOR", "0") || equals("TERM", "dumb") => false,
        ColorChoice::Auto => is_terminal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| OsString::from(v))
    }

    #[test]
    fn auto_colors_only_a_terminal() {
        assert!(decide(ColorChoice::Auto, with(&[]), true));
        assert!(!decide(ColorChoice::Auto, with(&[]), false));
    }

    #[test]
    fn no_color_beats_a_terminal_and_clicolor_force() {
        assert!(!decide(ColorChoice::Auto, with(&[("NO_COLOR", "1")]), true));
        assert!(!decide(ColorChoice::Auto, with(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]), true));
        assert!(decide(ColorChoice::Auto, with(&[("NO_COLOR", "")]), true), "an empty NO_COLOR is unset");
    }

    #[test]
    fn clicolor_force_colors_a_pipe() {
        assert!(decide(ColorChoice::Auto, with(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!decide(ColorChoice::Auto, with(&[("CLICOLOR_FORCE", "0")]), false));
        assert!(!decide(ColorChoice::Auto, with(&[("CLICOLOR", "0")]), true));
        assert!(!decide(ColorChoice::Auto, with(&[("TERM", "dumb")]), true));
    }

    #[test]
    fn the_flag_beats_the_environment() {
        assert!(decide(ColorChoice::Always, with(&[("NO_COLOR", "1")]), false));
        assert!(!decide(ColorChoice::Never, with(&[("CLICOLOR_FORCE", "1")]), true));
    }
}
