//! `diff`: the effect of a policy change — who gains and who loses which emails.

mod render;
mod source;

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use pim_notify::diff::{diff, DiffOptions};
use pim_notify::glob::Glob;
use pim_notify::lint::baseline_findings;
use pim_notify::Policy;

use super::{load_policy_text, write_json, Common, Status};
pub use source::Source;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Grouped by role, `+` added, `-` removed, `~` same people for other reasons
    #[value(alias = "table")]
    Human,
    Json,
    /// A compact table for a pull-request comment
    Markdown,
    /// GitHub Actions annotations
    Github,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 when a change is a regression
    Regression,
}

#[derive(Args, Debug)]
#[command(after_help = "OLD and NEW are files, `-` (standard input), or REV:path read with `git show`.
A path that exists on disk is always read as a file.

Exit status: 0 no change (or no regression with --fail-on), 1 changes with --exit-code or
regressions with --fail-on regression, 2 errors.

Examples:
  pim-notify diff examples/diff/before.yaml examples/diff/after.yaml
  pim-notify diff origin/main:policies/prod.yaml policies/prod.yaml --format markdown
  pim-notify diff HEAD~1:policies/prod.yaml policies/prod.yaml --fail-on regression --format github
  pim-notify diff old.yaml new.yaml --role \"Global Administrator\" --event \"activation.*\" --exit-code")]
pub struct DiffArgs {
    /// The policy before the change: FILE, `-` or REV:path
    pub old: String,
    /// The policy after the change: FILE, `-` or REV:path
    pub new: String,
    /// Exit 1 when who gets which email changed, like `git diff --exit-code`
    #[arg(long)]
    pub exit_code: bool,
    /// Exit 1 on this kind of change
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
    /// Only roles whose name or id matches this glob (repeatable, case-insensitive)
    #[arg(long, value_name = "GLOB")]
    pub role: Vec<String>,
    /// Only events whose id matches this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub event: Vec<String>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &DiffArgs, out: &mut dyn Write) -> Result<Status> {
    let (old_source, new_source) = (Source::parse(&args.old)?, Source::parse(&args.new)?);
    if old_source == Source::Stdin && new_source == Source::Stdin {
        bail!("only one of OLD and NEW can be `-` (standard input)");
    }
    let config = args.common.config()?;
    let limit = args.common.input_limit(&config);
    let (old, new) = load_both(&old_source, &new_source, limit)?;
    let mut options = options(args, &old, &new)?;
    // The security baseline: lint's PN2xx rules with the project's [lint] options.
    let flags = super::lint::options::Flags { fail_level: None, select: &[], ignore: &[] };
    let lint_config = super::lint::options::build(config.lint.as_ref(), &flags)?;
    options.privileged_roles = lint_config.privileged_roles.clone();
    let result = diff(&old, &new, &options, &|p: &Policy| baseline_findings(p, &lint_config));
    match args.format {
        DiffFormat::Json => write_json(out, &result.json_view())?,
        DiffFormat::Human => render::human(out, &result)?,
        DiffFormat::Markdown => render::markdown(out, &result)?,
        DiffFormat::Github => render::github(out, &result, new_source.repo_path())?,
    }
    Ok(status(args, result.has_changes(), result.has_regressions()))
}

/// Reads both versions, then parses them on two threads: parsing is most of a diff's time,
/// and the two versions are independent. Errors of the old version are reported first.
fn load_both(old: &Source, new: &Source, limit: u64) -> Result<(Policy, Policy)> {
    let (old_text, new_text) = (old.read(limit)?, new.read(limit)?);
    let (old_policy, new_policy) =
        pim_notify::threads::join(|| parse(old, &old_text), || parse(new, &new_text));
    Ok((old_policy?, new_policy?))
}

fn parse(source: &Source, text: &str) -> Result<Policy> {
    load_policy_text(&source.shown(), text).with_context(|| format!("cannot diff `{}`", source.shown()))
}

fn status(args: &DiffArgs, changed: bool, regressed: bool) -> Status {
    let fail_on_regression = args.fail_on == Some(FailOn::Regression) && regressed;
    u8::from((args.exit_code && changed) || fail_on_regression)
}

/// The filters; a glob that matches no role of either version, or no event, is a usage error.
fn options(args: &DiffArgs, old: &Policy, new: &Policy) -> Result<DiffOptions> {
    for pattern in &args.role {
        let glob = Glob::new(pattern);
        let known = old
            .roles
            .iter()
            .chain(&new.roles)
            .any(|r| glob.matches(&r.name) || r.id.as_deref().is_some_and(|id| glob.matches(id)));
        if !known {
            bail!(
                "no role of either version matches `{}`; run `pim-notify roles --policy FILE` to list them",
                pim_notify::text::escape_control(pattern)
            );
        }
    }
    super::matrix::select_events(&args.event)?;
    Ok(DiffOptions {
        roles: args.role.iter().map(|p| Glob::new(p)).collect(),
        events: args.event.iter().map(|p| Glob::new(p)).collect(),
        ..DiffOptions::default()
    })
}
