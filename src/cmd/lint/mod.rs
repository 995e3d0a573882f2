//! `lint`: diagnostics for policy files, in the format a person or a CI system reads.

mod human;
mod json;
pub(crate) mod options;

use std::io::Write;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use pim_notify::lint::{lint_str, LintConfig, Outcome};
use pim_notify::text::escape_control;
use pim_notify::Severity;

use super::{input, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify lint policies/contoso.yaml
  pim-notify lint policies/*.yaml --format sarif > pim-notify.sarif
  pim-notify lint policy.yaml --format github --fail-level warning
  pim-notify lint policy.yaml --select PN2 --ignore PN203
  cat policy.yaml | pim-notify lint -

Exit status: 0 clean, 1 findings at or above the fail level, 2 could not run.
Options in pim-notify.toml: [lint] fail-level, select, ignore, allowed-domains,
privileged-roles, and [lint.severity] CODE = \"error\" | \"warning\" | \"info\".
`pim-notify explain CODE` documents each code.")]
pub struct LintArgs {
    /// Policy files to check (`-` reads standard input) [default: the policy of pim-notify.toml]
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Fail (exit 1) on findings at or above this severity [default: error]
    #[arg(long, value_name = "LEVEL", value_parser = ["error", "warning", "info"])]
    pub fail_level: Option<String>,
    /// Only report these codes or prefixes, e.g. PN2,PN105 (repeatable)
    #[arg(long, value_name = "CODES")]
    pub select: Vec<String>,
    /// Never report these codes or prefixes (repeatable; wins over --select)
    #[arg(long, value_name = "CODES")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// rustc-style messages with the source line (alias: table)
    #[value(alias = "table", alias = "text")]
    Human,
    /// DESIGN §5: {"diagnostics": [...], "summary": {...}}
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, for CI test reports
    Junit,
}

/// One linted file: its name as shown, its text and what lint found.
pub struct Linted {
    pub name: String,
    pub text: String,
    pub outcome: Outcome,
}

/// Renders every file's findings; one implementation per `--format`.
pub trait Reporter {
    fn report(&self, out: &mut dyn Write, files: &[Linted], config: &LintConfig) -> Result<()>;
}

fn reporter(format: LintFormat) -> Box<dyn Reporter> {
    match format {
        LintFormat::Human => Box::new(human::Human::for_stdout()),
        LintFormat::Json => Box::new(json::Json),
        LintFormat::Sarif => Box::new(crate::cmd::out::sarif::Sarif),
        LintFormat::Github => Box::new(crate::cmd::out::github::Github),
        LintFormat::Junit => Box::new(crate::cmd::out::junit::Junit),
    }
}

pub fn run(args: &LintArgs, out: &mut dyn Write) -> Result<Status> {
    let file_config = args.common.config()?;
    let flags =
        options::Flags { fail_level: args.fail_level.as_deref(), select: &args.select, ignore: &args.ignore };
    let config = options::build(file_config.lint.as_ref(), &flags)?;
    let limit = args.common.input_limit(&file_config);
    let paths = paths(args, &file_config)?;
    let mut files = Vec::with_capacity(paths.len());
    let mut unreadable = false;
    for path in &paths {
        match input::read_text(path, limit) {
            Ok(text) => files.push(lint_file(path, text, &config)),
            Err(e) => {
                unreadable = true;
                eprintln!("error: {}", escape_control(&format!("{e:#}")));
            }
        }
    }
    reporter(args.format).report(out, &files, &config)?;
    Ok(status(&files, &config, unreadable))
}

/// The files named, else the config's `policy`.
fn paths(args: &LintArgs, config: &super::config::Config) -> Result<Vec<String>> {
    if !args.files.is_empty() {
        return Ok(args.files.clone());
    }
    match config.policy_path() {
        Some(path) => Ok(vec![path.to_string_lossy().into_owned()]),
        None => bail!("no policy file given: name one (`pim-notify lint policy.yaml`, `-` for standard input) or set `policy` in pim-notify.toml"),
    }
}

fn lint_file(path: &str, text: String, config: &LintConfig) -> Linted {
    let name = if path == "-" { "<stdin>".to_string() } else { path.to_string() };
    let outcome = lint_str(&name, &text, config);
    for problem in &outcome.unknown_privileged {
        eprintln!("warning: {}: {}", escape_control(&name), escape_control(problem));
    }
    Linted { name, text, outcome }
}

/// DESIGN §7: 2 when a file could not be read, 1 when a finding reaches the fail level.
fn status(files: &[Linted], config: &LintConfig, unreadable: bool) -> Status {
    if unreadable {
        return 2;
    }
    let failed = files.iter().flat_map(|f| &f.outcome.diagnostics).any(|d| config.fails(d));
    u8::from(failed)
}

/// Counts of findings by severity, for summaries.
#[derive(Default, Debug, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub allowed: usize,
}

impl Counts {
    pub fn of(files: &[Linted]) -> Counts {
        let mut counts = Counts::default();
        for f in files {
            counts.allowed += f.outcome.suppressed.len();
            for d in &f.outcome.diagnostics {
                match d.severity {
                    Severity::Error => counts.errors += 1,
                    Severity::Warning => counts.warnings += 1,
                    Severity::Info => counts.infos += 1,
                }
            }
        }
        counts
    }
}

/// Where a finding is, 1-based, end exclusive. Findings about the whole file point at 1:1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub fn range(lines: &pim_notify::lint::LineIndex, d: &pim_notify::Diagnostic) -> Range {
    match d.pos.filter(|p| p.line > 0) {
        Some(pos) => {
            let column = pos.column.max(1);
            let (end_line, end_column) = lines.end(pim_notify::span::Pos { column, ..pos });
            Range { line: pos.line, column, end_line, end_column }
        }
        None => Range { line: 1, column: 1, end_line: 1, end_column: 1 },
    }
}
