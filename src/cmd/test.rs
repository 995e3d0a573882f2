//! `test`: run policy tests (`*.tests.yaml`) and report PASS/FAIL per case.

mod discover;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;
use pim_notify::span::At;
use pim_notify::testing::{self, CaseResult, Problem, RawTestFile};
use pim_notify::Policy;

use super::out::{self, stderr::Problems, Document, Format, Offer, Out};
use super::{input, load_policy_file, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "A tests file names a policy (relative to itself) and cases:
  policy: contoso.yaml
  tests:
    - name: GA activations reach the SOC
      role: Global Administrator          # name, id, \"*\" (every role), a glob, or a list
      event: activation.completed         # id, glob (e.g. \"alert.*\"), or a list
      includes: [group:secops]            # and/or excludes: [...], exactly: [...]
Recipients are addresses (any case), object:GUID, placeholders such as <assignee>, or
group:NAME meaning all of the group's members. Optional per case: name, assignee.

Examples:
  pim-notify test
  pim-notify test policies/
  pim-notify test policies/contoso.tests.yaml --format junit > test-results.xml

Exit status: 0 all cases pass, 1 a case fails, 2 a file could not be read or is invalid.")]
pub struct TestArgs {
    /// Tests files, or folders to search for *.tests.yaml [default: this folder]
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Output format
    #[arg(long, short = 'f', value_parser = out::formats::<TestRun>(), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub common: Common,
}

/// The results of one tests file, ready to render.
pub struct FileResults {
    pub path: String,
    pub results: Vec<Outcome>,
}

impl FileResults {
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.failure.is_some()).count()
    }
}

pub struct Outcome {
    pub name: String,
    pub line: u32,
    pub failure: Option<Failure>,
}

pub struct Failure {
    /// One line, for JUnit's `message`.
    pub summary: String,
    pub details: Vec<String>,
}

pub fn run(args: &TestArgs, out: &mut Out) -> Result<Status> {
    let config = args.common.config()?;
    let limit = args.common.input_limit(&config);
    let paths = discover::tests_files(&args.files)?;
    let suite = Suite::load(&paths, limit);
    let run = TestRun(suite.run()?);
    run.write(args.format, out)?;
    let failed = run.0.iter().any(|f| f.failed() > 0);
    Ok(u8::from(failed))
}

/// The results of every tests file.
pub struct TestRun(Vec<FileResults>);

impl Document for TestRun {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| text(out, &d.0)),
            Offer::new(Format::Junit, |d, out| out::junit::write(out, &junit(&d.0))),
        ]
    }
}

/// One suite per tests file, one case per test, the failure's details inside `<failure>`.
fn junit(files: &[FileResults]) -> out::junit::Suites {
    let case = |path: &str, result: &Outcome| out::junit::Case {
        name: result.name.clone(),
        at: Some((path.to_string(), result.line)),
        failure: result.failure.as_ref().map(|f| out::junit::Failure {
            message: f.summary.clone(),
            kind: "expectation".into(),
            body: f.details.clone(),
        }),
    };
    let suite = |file: &FileResults| out::junit::Suite {
        name: file.path.clone(),
        cases: file.results.iter().map(|r| case(&file.path, r)).collect(),
    };
    out::junit::Suites { name: "pim-notify test", suites: files.iter().map(suite).collect() }
}

/// Every tests file with the policy it names; each policy is read once.
struct Suite {
    files: Vec<(String, RawTestFile, usize)>,
    policies: Vec<Policy>,
    /// Files that could not be read or parsed; reported with the others' bad cases.
    errors: Vec<String>,
}

impl Suite {
    /// Reads and parses every file, keeping the errors so one run reports every broken file.
    fn load(paths: &[String], limit: u64) -> Suite {
        let mut suite = Suite { files: Vec::new(), policies: Vec::new(), errors: Vec::new() };
        let mut by_path: HashMap<String, usize> = HashMap::new();
        for path in paths {
            if let Err(e) = suite.load_file(path, limit, &mut by_path) {
                suite.errors.extend(error_lines(&e));
            }
        }
        suite
    }

    fn load_file(&mut self, path: &str, limit: u64, by_path: &mut HashMap<String, usize>) -> Result<()> {
        let text = input::read_text(path, limit)?;
        let shown = if path == "-" { "<stdin>" } else { path };
        let raw = testing::parse(&text).map_err(|p| problem_error(shown, &[p]))?;
        let (written, pos) = raw.policy_path().map_err(|p| problem_error(shown, &[p]))?;
        let policy_path = relative_to(path, written);
        let index = match by_path.get(&policy_path) {
            Some(&i) => i,
            None => {
                let policy = load_policy_file(&policy_path, limit).with_context(|| {
                    format!("{}: cannot load the policy it names", At { file: shown, pos })
                })?;
                self.policies.push(policy);
                by_path.insert(policy_path, self.policies.len() - 1);
                self.policies.len() - 1
            }
        };
        self.files.push((shown.to_string(), raw, index));
        Ok(())
    }

    /// Resolves every case of every file (bad cases stop the run, exit 2), then runs them.
    fn run(&self) -> Result<Vec<FileResults>> {
        let mut errors = self.errors.clone();
        let mut resolved = Vec::new();
        for (path, raw, index) in &self.files {
            let policy = &self.policies[*index];
            match testing::resolve(raw, policy) {
                Ok(cases) => resolved.push((path, policy, cases)),
                Err(problems) => errors.extend(problem_error(path, &problems).lines),
            }
        }
        fail_if_any(errors)?;
        let files = resolved.iter().map(|(path, policy, cases)| FileResults {
            path: path.to_string(),
            results: testing::run(policy, cases).iter().map(|r| outcome(path, r)).collect(),
        });
        Ok(files.collect())
    }
}

fn fail_if_any(errors: Vec<String>) -> Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    Err(Problems::new("the tests cannot run:", errors).into())
}

/// An error as lines: its chain on one, then the lines of the problems it carries.
fn error_lines(e: &anyhow::Error) -> Vec<String> {
    let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
    let problems =
        e.chain().filter_map(|c| c.downcast_ref::<Problems>()).flat_map(|p| p.lines.iter().cloned());
    std::iter::once(chain.join(": ")).chain(problems.map(|l| format!("  {l}"))).collect()
}

/// `policy:` is relative to the tests file (to the current folder for standard input).
fn relative_to(tests_path: &str, policy: &str) -> String {
    let base = if tests_path == "-" { None } else { Path::new(tests_path).parent() };
    match base {
        Some(dir) => dir.join(policy).to_string_lossy().into_owned(),
        None => policy.to_string(),
    }
}

/// `file:line:col: message` and a help line for each problem.
fn problem_error(file: &str, problems: &[Problem]) -> Problems {
    let mut lines = Vec::new();
    for p in problems {
        let place = p.pos.map_or(file.to_string(), |pos| At { file, pos }.to_string());
        lines.push(format!("{place}: {}", p.message));
        lines.extend(p.help.as_deref().map(|h| format!("  help: {h}")));
    }
    Problems::new(format!("{file}: invalid tests file"), lines)
}

fn outcome(path: &str, result: &CaseResult) -> Outcome {
    let case = result.case;
    let failure = (!result.passed()).then(|| {
        let mut details = vec![format!("at {}", At { file: path, pos: case.pos })];
        details.extend(result.details());
        Failure { summary: summary(result), details }
    });
    Outcome { name: case.name.clone(), line: case.pos.line, failure }
}

fn summary(result: &CaseResult) -> String {
    let first = &result.failures[0];
    let what = first.mismatches.first().map_or("", |m| m.kind.phrase());
    let pairs = result.case.pairs.len();
    if pairs == 1 {
        return format!(
            "role {}, event {}: {what} {}",
            first.role,
            first.event,
            first.mismatches[0].expected.join(", ")
        );
    }
    format!(
        "{} of {pairs} (role, event) pairs failed, first role {}, event {}",
        result.failures.len(),
        first.role,
        first.event
    )
}

fn text(out: &mut Out, files: &[FileResults]) -> Result<()> {
    for result in files.iter().flat_map(|f| &f.results) {
        let status = if result.failure.is_some() { "FAIL" } else { "PASS" };
        out::table::line(out, &format!("{status} {}", result.name))?;
        for line in result.failure.iter().flat_map(|f| &f.details) {
            out::table::line(out, &format!("    {line}"))?;
        }
    }
    let failed: usize = files.iter().map(FileResults::failed).sum();
    let total: usize = files.iter().map(|f| f.results.len()).sum();
    out::table::line(out, &format!("{} passed, {failed} failed", total - failed))
}
