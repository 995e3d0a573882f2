//! `lint`: diagnostics for policy files, in the format a person or a CI system reads.

pub(crate) mod options;

use anyhow::{bail, Result};
use clap::Args;
use pim_notify::lint::{lint_str, LineIndex, LintConfig, Outcome};
use pim_notify::Severity;
use serde_json::{json, Value};

use super::out::{self, stderr, Document, Finding, Format, Offer, Out, Range};
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
    #[arg(long, short = 'f', value_parser = out::formats::<Lint>(), default_value = "table")]
    pub format: Format,
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

/// One linted file: its name as shown, its text and what lint found.
pub struct Linted {
    pub name: String,
    pub text: String,
    pub outcome: Outcome,
}

pub fn run(args: &LintArgs, out: &mut Out) -> Result<Status> {
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
                stderr::error(&e);
            }
        }
    }
    let lint = Lint { files, config };
    lint.write(args.format, out)?;
    Ok(status(&lint.files, &lint.config, unreadable))
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
        stderr::warning(&format!("{name}: {problem}"));
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
pub fn range(lines: &LineIndex, d: &pim_notify::Diagnostic) -> Range {
    match d.pos.filter(|p| p.line > 0) {
        Some(pos) => {
            let column = pos.column.max(1);
            let (end_line, end_column) = lines.end(pim_notify::span::Pos { column, ..pos });
            Range { line: pos.line, column, end_line, end_column }
        }
        None => Range { line: 1, column: 1, end_line: 1, end_column: 1 },
    }
}

/// What lint found in every file, with the options it ran with.
pub struct Lint {
    pub files: Vec<Linted>,
    pub config: LintConfig,
}

impl Document for Lint {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| {
                for file in &d.files {
                    out::table::diagnostics(out, &file.text, &findings(file))?;
                }
                if d.files.is_empty() {
                    return Ok(());
                }
                out::table::line(out, &summary(&d.files, &d.config))
            }),
            Offer::new(Format::Json, |d, out| out::json::value(out, &d.json())),
            Offer::new(Format::Sarif, |d, out| {
                let all: Vec<Finding> = d.files.iter().flat_map(findings).collect();
                out::sarif::log(out, &all, &d.config)
            }),
            Offer::new(Format::Github, |d, out| {
                d.files.iter().flat_map(findings).try_for_each(|f| out::github::annotation(out, &f))
            }),
            Offer::new(Format::Junit, |d, out| out::junit::write(out, &d.junit())),
        ]
    }
}

/// A file's diagnostics as findings, with their ranges.
fn findings(file: &Linted) -> Vec<Finding> {
    let lines = LineIndex::new(&file.text);
    let finding = |d: &pim_notify::Diagnostic| Finding {
        file: Some(file.name.clone()),
        range: Some(range(&lines, d)),
        located: d.pos.is_some_and(|p| p.line > 0),
        level: d.severity.into(),
        code: d.code.to_string(),
        title: format!("{} {}", d.code, pim_notify::lint::find_rule(d.code).map_or("", |r| r.name)),
        message: d.message.clone(),
        help: d.help.clone(),
    };
    file.outcome.diagnostics.iter().map(finding).collect()
}

impl Lint {
    /// DESIGN §5: `{"diagnostics": [...], "summary": {...}}`.
    fn json(&self) -> Value {
        let diagnostics: Vec<Value> =
            self.files.iter().flat_map(findings).map(|f| finding_json(&f)).collect();
        let counts = Counts::of(&self.files);
        let failed = self.files.iter().flat_map(|f| &f.outcome.diagnostics).any(|d| self.config.fails(d));
        let summary = json!({
            "files": self.files.len(),
            "errors": counts.errors,
            "warnings": counts.warnings,
            "infos": counts.infos,
            "allowed": counts.allowed,
            "fail_level": self.config.fail_level.as_str(),
            "failed": failed,
        });
        json!({ "diagnostics": diagnostics, "summary": summary })
    }

    /// One suite per file, one failed case per finding, one passing case for a clean file, so
    /// CI test views list every file checked.
    fn junit(&self) -> out::junit::Suites {
        let suite = |file: &Linted| {
            let mut cases: Vec<out::junit::Case> = findings(file).iter().map(junit_case).collect();
            if cases.is_empty() {
                cases.push(out::junit::Case { name: "no findings".into(), at: None, failure: None });
            }
            out::junit::Suite { name: file.name.clone(), cases }
        };
        out::junit::Suites { name: "pim-notify lint", suites: self.files.iter().map(suite).collect() }
    }
}

fn finding_json(f: &Finding) -> Value {
    let r = f.range.unwrap_or(Range { line: 1, column: 1, end_line: 1, end_column: 1 });
    json!({
        "code": f.code,
        "severity": severity_name(f.level),
        "message": f.message,
        "file": f.file,
        "line": r.line,
        "column": r.column,
        "end_line": r.end_line,
        "end_column": r.end_column,
        "help": f.help,
    })
}

fn severity_name(level: out::Level) -> &'static str {
    match level {
        out::Level::Error => Severity::Error.as_str(),
        out::Level::Warning => Severity::Warning.as_str(),
        out::Level::Note => Severity::Info.as_str(),
    }
}

fn junit_case(f: &Finding) -> out::junit::Case {
    let (file, line, column) =
        (f.file.clone().unwrap_or_default(), f.range.map_or(1, |r| r.line), f.range.map_or(1, |r| r.column));
    let place = format!("{file}:{line}:{column}");
    let severity = severity_name(f.level);
    let mut body = vec![format!("{place}: {severity}[{}]: {}", f.code, f.message)];
    body.extend(f.help.as_ref().map(|h| format!("help: {h}")));
    out::junit::Case {
        name: format!("{}: {place}", f.code),
        at: Some((file, line)),
        failure: Some(out::junit::Failure { message: f.message.clone(), kind: severity.into(), body }),
    }
}

/// `1 file checked: 2 errors, 1 warning; 2 at or above the fail level (error).`
fn summary(files: &[Linted], config: &LintConfig) -> String {
    let c = Counts::of(files);
    let files_text = out::plural(files.len(), "file", "files");
    let counted =
        [(c.errors, "error", "errors"), (c.warnings, "warning", "warnings"), (c.infos, "note", "notes")];
    let parts: Vec<String> =
        counted.iter().filter(|(n, _, _)| *n > 0).map(|&(n, one, many)| out::plural(n, one, many)).collect();
    let allowed =
        if c.allowed > 0 { format!(" ({} allowed by lint allows)", c.allowed) } else { String::new() };
    if parts.is_empty() {
        return format!("{files_text} checked: no findings{allowed}.");
    }
    let failing = files.iter().flat_map(|f| &f.outcome.diagnostics).filter(|d| config.fails(d)).count();
    format!(
        "{files_text} checked: {}{allowed}; {failing} at or above the fail level ({}).",
        parts.join(", "),
        config.fail_level
    )
}
