//! The `pim-notify` binary: parses arguments, runs one command, maps the outcome to an exit
//! code (0 success, 1 findings, 2 could not do the job) and never panics on user input.
#![forbid(unsafe_code)]

mod cmd;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Preview, lint and diff Microsoft Entra PIM notification policies.
#[derive(Parser, Debug)]
#[command(name = "pim-notify", version, about, long_about = None)]
#[command(after_help = "Start with:
  pim-notify who --role \"Global Administrator\" --event activation.completed
  pim-notify events")]
struct Cli {
    /// When to color output: auto = only on a terminal, never with NO_COLOR (CLICOLOR_FORCE
    /// forces colors)
    #[arg(long, global = true, value_enum, value_name = "WHEN", display_order = 900)]
    #[arg(default_value_t = cmd::out::color::ColorChoice::Auto)]
    color: cmd::out::color::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Who gets notified for one event on one role, and why
    Who(cmd::who::WhoArgs),
    /// Every (role, event) answer of a policy
    Matrix(cmd::matrix::MatrixArgs),
    /// The catalog of emails PIM sends
    Events(cmd::events::EventsArgs),
    /// The roles of a policy with their effective settings
    Roles(cmd::roles::RolesArgs),
    /// Check policy files: structure, effect, hygiene and the SCuBA security baseline
    Lint(cmd::lint::LintArgs),
    /// Document a lint code (or every code with --all)
    Explain(cmd::explain::ExplainArgs),
    /// Turn Microsoft Graph role management policies into a policy file
    Import(cmd::import::ImportArgs),
    /// Turn a policy into Microsoft Graph requests
    Export(cmd::export::ExportArgs),
    /// Run policy tests (*.tests.yaml): who must and must not be notified
    Test(cmd::test::TestArgs),
    /// The effect of a policy change: who gains and who loses which emails
    Diff(cmd::diff::DiffArgs),
    /// JSON Schema of the policy file (or of the test file), for editors and CI
    Schema(cmd::schema::SchemaArgs),
    /// Shell completions for bash, zsh, fish, powershell or elvish
    Completions(cmd::completions::CompletionsArgs),
    /// The man page, generated from this help
    #[command(visible_alias = "man")]
    Manpage(cmd::completions::ManpageArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    cmd::out::color::init(cli.color);
    let stdout = io::stdout();
    let mut buffered = BufWriter::new(stdout.lock());
    let mut out = cmd::out::Out::stdout(&mut buffered);
    let result = run(&cli.command, &mut out).and_then(|status| {
        out.w.flush()?;
        Ok(status)
    });
    match result {
        Ok(status) => ExitCode::from(status),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // What was written stays written; a second failure to flush changes nothing.
            let _ = buffered.flush();
            cmd::out::stderr::error(&e);
            ExitCode::from(2)
        }
    }
}

fn run(command: &Command, out: &mut cmd::out::Out) -> anyhow::Result<cmd::Status> {
    match command {
        Command::Who(args) => cmd::who::run(args, out),
        Command::Matrix(args) => cmd::matrix::run(args, out),
        Command::Events(args) => cmd::events::run(args, out),
        Command::Roles(args) => cmd::roles::run(args, out),
        Command::Lint(args) => cmd::lint::run(args, out),
        Command::Explain(args) => cmd::explain::run(args, out),
        Command::Import(args) => cmd::import::run(args, out.w),
        Command::Export(args) => cmd::export::run(args, out.w),
        Command::Test(args) => cmd::test::run(args, out),
        Command::Diff(args) => cmd::diff::run(args, out),
        Command::Schema(args) => cmd::schema::run(args, out),
        Command::Completions(args) => cmd::completions::completions(args, Cli::command(), out),
        Command::Manpage(args) => cmd::completions::manpage(args, Cli::command(), out),
    }
}

/// Help and version go to stdout with status 0; usage errors exit 2. A usage error quotes
/// the arguments, so it is made again from arguments whose control characters are shown as
/// escapes: a newline typed into an argument cannot start a line of its own on stderr.
fn clap_exit(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let shown = std::env::args_os().map(|a| pim_notify::text::escape_control(&a.to_string_lossy()));
    let error = match Cli::try_parse_from(shown) {
        Err(again) if again.use_stderr() => again,
        _ => clap::Error::raw(e.kind(), pim_notify::text::escape_control(&e.to_string())),
    };
    let _ = error.print();
    ExitCode::from(2)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<serde_json::Error>().and_then(|j| j.io_error_kind())
                == Some(io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command path below the root, e.g. `["who"]`, `["import", "graph"]`.
    fn command_paths(command: &clap::Command, prefix: &[String]) -> Vec<Vec<String>> {
        let mut paths = Vec::new();
        for sub in command.get_subcommands() {
            let path: Vec<String> = prefix.iter().cloned().chain([sub.get_name().to_string()]).collect();
            paths.extend(command_paths(sub, &path));
            paths.push(path);
        }
        paths
    }

    fn help(path: &[String]) -> String {
        let args = std::iter::once("pim-notify").chain(path.iter().map(String::as_str)).chain(["--help"]);
        let error = Cli::try_parse_from(args).expect_err("--help stops parsing");
        assert_eq!(error.kind(), clap::error::ErrorKind::DisplayHelp);
        error.render().to_string()
    }

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_help_is_snapshotted() {
        insta::assert_snapshot!("help", help(&[]));
        for path in command_paths(&Cli::command(), &[]) {
            insta::assert_snapshot!(format!("help-{}", path.join("-")), help(&path));
        }
    }

    #[test]
    fn every_command_help_has_examples() {
        let paths = command_paths(&Cli::command(), &[]);
        assert!(paths.len() >= 7, "{paths:?}");
        for path in paths {
            let text = help(&path);
            let examples = text.split_once("Examples:").map(|(_, rest)| rest).unwrap_or_default();
            assert!(
                examples.contains("pim-notify "),
                "`pim-notify {} --help` has no example",
                path.join(" ")
            );
        }
    }
}
