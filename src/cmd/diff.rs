//! `diff`: the effect of a policy change — who gains and who loses which emails.

mod render;
mod source;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use pim_notify::diff::{diff, DiffOptions, PolicyDiff};
use pim_notify::glob::Glob;
use pim_notify::lint::baseline_findings;
use pim_notify::Policy;

use super::out::{self, Document, Format, Offer, Out};
use super::{load_policy_text, Common, Status};
pub use source::Source;

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
    #[arg(long, short = 'f', value_parser = out::formats::<Effect>(), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &DiffArgs, out: &mut Out) -> Result<Status> {
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
    let effect = Effect { diff: result, file: new_source.repo_path().map(str::to_string) };
    effect.write(args.format, out)?;
    Ok(status(args, effect.diff.has_changes(), effect.diff.has_regressions()))
}

/// The effect of a change, and the file annotations point at (the new version's path).
pub struct Effect<'a> {
    diff: PolicyDiff<'a>,
    file: Option<String>,
}

impl Document for Effect<'_> {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| render::human(out, &d.diff)),
            Offer::new(Format::Json, |d, out| out::json::value(out, &d.diff.json_view())),
            Offer::new(Format::Markdown, |d, out| render::markdown(out, &d.diff)),
            Offer::new(Format::Github, |d, out| render::github(out, &d.diff, d.file.as_deref())),
        ]
    }
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
            bail!("no role of either version matches `{pattern}`; run `pim-notify roles --policy FILE` to list them");
        }
    }
    super::matrix::select_events(&args.event)?;
    Ok(DiffOptions {
        roles: args.role.iter().map(|p| Glob::new(p)).collect(),
        events: args.event.iter().map(|p| Glob::new(p)).collect(),
        ..DiffOptions::default()
    })
}
