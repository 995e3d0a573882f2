//! `who`: one answer to "who gets event E for role R".

use anyhow::{bail, Result};
use clap::Args;
use pim_notify::catalog::{self, Event};
use pim_notify::{evaluate, Policy, Query, Role};

use super::answers::Who;
use super::out::{self, Document, Format, Out};
use super::{resolve_policy, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify who --role \"Global Administrator\" --event activation.completed
  pim-notify who --role 62e90394-69f5-4237-9190-012177145e10 --event eligible.assigned --policy policies/contoso.yaml --format json
  pim-notify who --role \"User Administrator\" --event activation.approved --assignee alex@contoso.com")]
pub struct WhoArgs {
    /// Role name (any case) or role id
    #[arg(long)]
    pub role: String,
    /// Event id, e.g. activation.completed (see `pim-notify events`)
    #[arg(long)]
    pub event: String,
    /// Policy file (default: the config's policy, else Entra's built-in defaults)
    #[arg(long, short = 'p', value_name = "FILE")]
    pub policy: Option<String>,
    /// Who the assignee (the member concerned) is, instead of <assignee>
    #[arg(long, value_name = "ADDRESS")]
    pub assignee: Option<String>,
    /// Show group:NAME recipients as groups instead of listing their members
    #[arg(long)]
    pub no_expand: bool,
    /// Output format
    #[arg(long, short = 'f', value_parser = out::formats::<Who>(), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &WhoArgs, out: &mut Out) -> Result<Status> {
    let policy = resolve_policy(args.policy.as_deref(), &args.common)?;
    let role = find_role(&policy, &args.role)?;
    let event = find_event(&args.event)?;
    let query = query(args.assignee.clone(), args.no_expand)?;
    let answer = evaluate(&policy, role, event, &query);
    Who { policy: &policy, answer }.write(args.format, out)?;
    Ok(0)
}

pub fn query(assignee: Option<String>, no_expand: bool) -> Result<Query> {
    if let Some(who) = &assignee {
        if let Err(e) = pim_notify::recipient::Recipient::parse(who) {
            bail!("--assignee `{who}`: {}; {}", e.problem, e.help);
        }
    }
    Ok(Query { assignee, no_expand })
}

pub fn find_role<'p>(policy: &'p Policy, name: &str) -> Result<&'p Role> {
    if let Some(role) = policy.find_role(name) {
        return Ok(role);
    }
    let near = policy.similar_roles(name);
    let hint = if near.is_empty() {
        "run `pim-notify roles` to list them".to_string()
    } else {
        format!("did you mean {}?", quoted_list(&near))
    };
    bail!("unknown role `{name}` in {}; {hint}", policy.source)
}

pub fn find_event(id: &str) -> Result<&'static Event> {
    if let Some(event) = catalog::find_event(id) {
        return Ok(event);
    }
    let ids = catalog::events().iter().map(|e| e.id.as_str());
    let near = pim_notify::suggest::nearest(id, ids, 3);
    let hint = if near.is_empty() {
        "run `pim-notify events` to list them".to_string()
    } else {
        format!("did you mean {}?", quoted_list(&near))
    };
    bail!("unknown event `{id}`; {hint}")
}

fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    quoted.join(", ")
}
