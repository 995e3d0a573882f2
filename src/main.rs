//! The `pim-notify` binary: parses arguments, runs one command, maps the outcome to an exit
//! code (0 success, 1 findings, 2 could not do the job) and never panics on user input.

mod cmd;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Preview, lint and diff Microsoft Entra PIM notification policies.
#[derive(Parser, Debug)]
#[command(name = "pim-notify", version, about, long_about = None)]
#[command(after_help = "Start with:
  pim-notify who --role \"Global Administrator\" --event activation.completed
  pim-notify events")]
struct Cli {
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
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = run(&cli.command, &mut out).and_then(|status| {
        out.flush()?;
        Ok(status)
    });
    match result {
        Ok(status) => ExitCode::from(status),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            drop(out);
            eprintln!("error: {}", pim_notify::text::escape_control_keep_newlines(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(command: &Command, out: &mut dyn Write) -> anyhow::Result<cmd::Status> {
    match command {
        Command::Who(args) => cmd::who::run(args, out),
        Command::Matrix(args) => cmd::matrix::run(args, out),
        Command::Events(args) => cmd::events::run(args, out),
        Command::Roles(args) => cmd::roles::run(args, out),
        Command::Lint(args) => cmd::lint::run(args, out),
        Command::Explain(args) => cmd::explain::run(args, out),
    }
}

/// Help and version go to stdout with status 0; usage errors exit 2.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<serde_json::Error>().and_then(|j| j.io_error_kind())
                == Some(io::ErrorKind::BrokenPipe)
    })
}
