//! `roles`: every role of a policy with its effective per-role settings.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use pim_notify::catalog::{SettingId, SETTINGS};
use pim_notify::eval::{default_recipients, effective, Effective};
use pim_notify::recipient::Placeholder;
use pim_notify::text::{csv_cell, escape_control, markdown_cell};
use pim_notify::{Policy, Role};
use serde_json::{json, Value};

use super::{render_table, resolve_policy, write_json, Common, Format, Status};

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
    #[arg(long, short = 'f', value_parser = Format::list_parser(), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &RolesArgs, out: &mut dyn Write) -> Result<Status> {
    let policy = resolve_policy(args.policy.as_deref(), &args.common)?;
    let roles: Vec<&Role> = policy.roles.iter().filter(|r| !args.listed || r.is_listed()).collect();
    let header = header();
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    match args.format {
        Format::Json => write_json(out, &roles_json(&policy, &roles))?,
        Format::Table => render_table(out, &header_refs, roles.iter().map(|r| row(&policy, r)))?,
        Format::Csv => {
            writeln!(out, "{}", header.join(","))?;
            for r in &roles {
                writeln!(
                    out,
                    "{}",
                    row(&policy, r).iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",")
                )?;
            }
        }
        Format::Markdown => {
            writeln!(out, "| {} |\n|{}", header.join(" | "), "---|".repeat(header.len()))?;
            for r in &roles {
                writeln!(
                    out,
                    "| {} |",
                    row(&policy, r).iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | ")
                )?;
            }
        }
        Format::Html => return Err(super::no_html()),
    }
    Ok(0)
}

fn per_role_settings() -> impl Iterator<Item = SettingId> {
    SETTINGS.iter().map(|s| s.id)
}

fn header() -> Vec<String> {
    let mut header = vec!["Role".to_string(), "Approval".to_string()];
    header.extend(per_role_settings().map(|id| id.to_string()));
    header
}

fn row(policy: &Policy, role: &Role) -> Vec<String> {
    let name = if role.is_listed() { role.name.clone() } else { format!("{} (built-in)", role.name) };
    let mut row = vec![escape_control(&name), approval_text(policy, role)];
    row.extend(per_role_settings().map(|id| summary(&effective(policy, role, id))));
    row
}

fn approval_text(policy: &Policy, role: &Role) -> String {
    if !role.requires_approval() {
        return "no".into();
    }
    let approvers = default_recipients(policy, role, Placeholder::Approvers).items;
    let names: Vec<String> = approvers.iter().map(|r| r.value.to_string()).collect();
    escape_control(&format!("yes: {}", if names.is_empty() { "nobody".into() } else { names.join(", ") }))
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
