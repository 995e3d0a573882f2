//! `matrix`: every (role, event) answer, filtered by globs.

use anyhow::{bail, Result};
use clap::Args;
use pim_notify::catalog;
use pim_notify::glob::{any_match, Glob};
use pim_notify::{Policy, Role};

use super::answers::Matrix;
use super::out::{self, Document, Format, Out};
use super::{resolve_policy, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify matrix --policy policies/contoso.yaml --role \"*Administrator\" --event \"activation.*\"
  pim-notify matrix --policy policies/contoso.yaml --format csv > matrix.csv
  pim-notify matrix --policy policies/contoso.yaml --format html > matrix.html   # heat map page")]
pub struct MatrixArgs {
    /// Policy file (default: the config's policy, else Entra's built-in defaults)
    #[arg(long, short = 'p', value_name = "FILE")]
    pub policy: Option<String>,
    /// Only roles whose name or id matches this glob (repeatable, case-insensitive)
    #[arg(long, value_name = "GLOB")]
    pub role: Vec<String>,
    /// Only events whose id matches this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub event: Vec<String>,
    /// Who the assignee is, instead of <assignee>
    #[arg(long, value_name = "ADDRESS")]
    pub assignee: Option<String>,
    /// Show group:NAME recipients as groups instead of listing their members
    #[arg(long)]
    pub no_expand: bool,
    /// Output format
    #[arg(long, short = 'f', value_parser = out::formats::<Matrix>(), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &MatrixArgs, out: &mut Out) -> Result<Status> {
    let policy = resolve_policy(args.policy.as_deref(), &args.common)?;
    let roles = select_roles(&policy, &args.role)?;
    let events = select_events(&args.event)?;
    let query = super::who::query(args.assignee.clone(), args.no_expand)?;
    Matrix { policy: &policy, roles, events, query }.write(args.format, out)?;
    Ok(0)
}

/// Roles whose name or id matches any glob; a glob that matches nothing is an error.
pub fn select_roles<'p>(policy: &'p Policy, patterns: &[String]) -> Result<Vec<&'p Role>> {
    let globs: Vec<Glob> = patterns.iter().map(|p| Glob::new(p)).collect();
    for (glob, pattern) in globs.iter().zip(patterns) {
        if !policy.roles.iter().any(|r| role_matches(glob, r)) {
            if glob.is_literal() {
                super::who::find_role(policy, pattern)?;
            }
            bail!("no role matches `{pattern}`; run `pim-notify roles` to list them");
        }
    }
    Ok(policy.roles.iter().filter(|r| globs.is_empty() || globs.iter().any(|g| role_matches(g, r))).collect())
}

fn role_matches(glob: &Glob, role: &Role) -> bool {
    glob.matches(&role.name) || role.id.as_deref().is_some_and(|id| glob.matches(id))
}

pub fn select_events(patterns: &[String]) -> Result<Vec<&'static catalog::Event>> {
    let globs: Vec<Glob> = patterns.iter().map(|p| Glob::new(p)).collect();
    for (glob, pattern) in globs.iter().zip(patterns) {
        if !catalog::events().iter().any(|e| glob.matches(&e.id)) {
            if glob.is_literal() {
                super::who::find_event(pattern)?;
            }
            bail!("no event matches `{pattern}`; run `pim-notify events` to list them");
        }
    }
    Ok(catalog::events().iter().filter(|e| any_match(&globs, &e.id)).collect())
}
