//! `roles`: every role of a policy with its effective per-role settings.

use anyhow::Result;
use clap::Args;
use pim_notify::catalog::{SettingId, SETTINGS};
use pim_notify::eval::{default_recipients, effective, Effective};
use pim_notify::recipient::Placeholder;
use pim_notify::{Policy, Role};
use serde_json::{json, Value};

use super::out::{self, Cell, Column, Document, Format, Offer, Out, Sheet};
use super::{resolve_policy, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify roles
  pim-notify roles --policy policies/contoso.yaml --listed --format json")]
pub struct RolesArgs {
    /// Policy file (default: the config's policy, else Entra's built-in defaults)
    #[arg(long, short = 'p', value_name = "FILE")]
    pub policy: Option<String>,
    /// Only roles the policy file lists (skip built-in roles left as they are)
    #[arg(long)]
    pub listed: bool,
    /// Output format
    #[arg(long, short = 'f', value_parser = out::formats::<Roles>(), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &RolesArgs, out: &mut Out) -> Result<Status> {
    let policy = resolve_policy(args.policy.as_deref(), &args.common)?;
    let roles = policy.roles.iter().filter(|r| !args.listed || r.is_listed()).collect();
    Roles { policy: &policy, roles }.write(args.format, out)?;
    Ok(0)
}

/// The roles of a policy, each with its effective per-role settings.
pub struct Roles<'p> {
    policy: &'p Policy,
    roles: Vec<&'p Role>,
}

impl Document for Roles<'_> {
    fn offers() -> Vec<Offer<Self>> {
        vec![
            Offer::new(Format::Table, |d, out| out::table::sheet(out, &sheet(&d.rows()))),
            Offer::new(Format::Json, |d, out| out::json::value(out, &roles_json(d.policy, &d.roles))),
            Offer::new(Format::Csv, |d, out| out::csv::sheet(out, &sheet(&d.rows()))),
            Offer::new(Format::Markdown, |d, out| out::markdown::sheet(out, &sheet(&d.rows()))),
        ]
    }
}

impl Roles<'_> {
    fn rows(&self) -> Vec<Vec<Cell>> {
        self.roles.iter().map(|r| row(self.policy, r).into_iter().map(Cell::new).collect()).collect()
    }
}

fn sheet(rows: &Vec<Vec<Cell>>) -> Sheet<'_> {
    let mut columns = vec![Column::text("Role"), Column::text("Approval")];
    columns.extend(per_role_settings().map(|id| Column::text(id.to_string())));
    Sheet { columns, rows }
}

fn per_role_settings() -> impl Iterator<Item = SettingId> {
    SETTINGS.iter().map(|s| s.id)
}

fn row(policy: &Policy, role: &Role) -> Vec<String> {
    let name = if role.is_listed() { role.name.clone() } else { format!("{} (built-in)", role.name) };
    let mut row = vec![name, approval_text(policy, role)];
    row.extend(per_role_settings().map(|id| summary(&effective(policy, role, id))));
    row
}

fn approval_text(policy: &Policy, role: &Role) -> String {
    if !role.requires_approval() {
        return "no".into();
    }
    let approvers = default_recipients(policy, role, Placeholder::Approvers).items;
    let names: Vec<String> = approvers.iter().map(|r| r.value.to_string()).collect();
    format!("yes: {}", if names.is_empty() { "nobody".into() } else { names.join(", ") })
}

/// `off`, `critical`, `no defaults`, `+2 extra`, or `on` when nothing changed.
fn summary(s: &Effective) -> String {
    if s.disabled.value {
        return "off".into();
    }
    let mut parts = Vec::new();
    if s.critical_only.value {
        parts.push("critical".to_string());
    }
    if !s.default_recipients.value {
        parts.push("no defaults".to_string());
    }
    if !s.extra.is_empty() {
        parts.push(format!("+{} extra", s.extra.len()));
    }
    if parts.is_empty() {
        "on".into()
    } else {
        parts.join(", ")
    }
}

fn roles_json(policy: &Policy, roles: &[&Role]) -> Value {
    let roles: Vec<Value> = roles.iter().map(|r| role_json(policy, r)).collect();
    json!({ "policy": policy.source, "scope": policy.scope.as_str(), "roles": roles })
}

fn role_json(policy: &Policy, role: &Role) -> Value {
    let settings: serde_json::Map<String, Value> =
        per_role_settings().map(|id| (id.to_string(), setting_json(&effective(policy, role, id)))).collect();
    let approvers: Vec<String> = default_recipients(policy, role, Placeholder::Approvers)
        .items
        .iter()
        .map(|r| r.value.to_string())
        .collect();
    json!({
        "name": role.name,
        "id": role.id,
        "builtin": role.builtin.is_some(),
        "listed": role.is_listed(),
        "approval_required": role.requires_approval(),
        "approvers": approvers,
        "settings": settings,
    })
}

fn setting_json(s: &Effective) -> Value {
    json!({
        "disabled": s.disabled.value,
        "default_recipients": s.default_recipients.value,
        "critical_only": s.critical_only.value,
        "extra": s.extra.iter().map(|(r, _)| r.value.to_string()).collect::<Vec<_>>(),
    })
}
