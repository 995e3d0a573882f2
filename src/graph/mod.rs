//! Microsoft Graph interchange (DESIGN §8): `import graph` turns the tenant's role management
//! policies into a policy file, `export graph` turns a policy back into `$batch` requests.
//! No I/O: text in, text or JSON out, and notes for the caller to print.
//!
//! The pipeline: [`response`] parses the text and recognises what it is ([`shape`], with
//! [`truncation`] for files PowerShell cut short), [`tenant`] reads each policy strictly,
//! [`write`] writes the policy file; [`export`] writes PATCH requests, based on the tenant's
//! own rules ([`patch`]) so that nothing the policy does not model is changed.

pub mod export;
pub mod json;
pub mod names;
pub mod patch;
pub mod problem;
pub mod response;
pub mod rules;
pub mod setting;
pub mod shape;
pub mod tenant;
pub mod truncation;
pub mod write;

use std::collections::BTreeMap;

pub use export::{export_graph, ExportOptions, Exported};
pub use names::{parse_role_definitions, RoleNames};
pub use problem::{GraphError, Problem};
pub use response::ReadOptions;
pub use setting::{ImportedRole, Level, RuleSetting};
pub use tenant::{read as read_tenant, Tenant};

use crate::model::Policy;
use crate::span::{At, Pos};

/// The result of an import.
#[derive(Debug)]
pub struct Imported {
    /// The policy file text; it loads without errors.
    pub yaml: String,
    /// Everything skipped or changed on the way, one sentence each.
    pub notes: Vec<String>,
    pub roles: usize,
    /// Whether shared settings went into `defaults:`.
    pub lifted: bool,
}

/// Reads an export and writes the policy. `source` names the export in messages and in the
/// file's header.
pub fn import_graph(
    source: &str,
    text: &str,
    names: &RoleNames,
    options: ReadOptions,
) -> Result<Imported, GraphError> {
    let tenant = tenant::read(source, text, options, Some(names))?;
    let roles: Vec<&ImportedRole> = tenant.roles.iter().map(|r| &r.role).collect();
    let layout = write::layout(&roles, tenant.covers_every_builtin_role());
    let header = write::Header { source, skipped_notes: tenant.notes.len() };
    let yaml = write::policy_yaml(&layout, &header);
    check_loads(&yaml)?;
    Ok(Imported { yaml, roles: roles.len(), lifted: layout.lifted, notes: tenant.notes })
}

/// The written file must load without errors; anything else is a bug worth a clear message.
fn check_loads(yaml: &str) -> Result<(), GraphError> {
    let loaded = crate::load_str("imported.yaml", yaml).map_err(|d| {
        GraphError::new(format!("internal error: the written policy does not parse: {}", d.message))
    })?;
    if let Some(error) = loaded.errors().next() {
        return Err(GraphError::new(format!(
            "internal error: the written policy has an error [{}]: {}",
            error.code, error.message
        )));
    }
    Ok(())
}

/// Graph policy ids are segments of letters, digits, `_` and `-`
/// (`DirectoryRole_{tenant}_{guid}`, `Group_{group}_{guid}_member`). Anything else, `.` and
/// `..` above all, must never reach a request URL. `Err` says what is wrong.
pub fn check_policy_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("is empty");
    }
    if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        Ok(())
    } else {
        Err("is not a Graph policy id (only letters, digits, `_` and `-`)")
    }
}

/// Roles of one policy file that name the same Graph policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedPolicyId<'p> {
    /// The id as the first role writes it.
    pub id: String,
    /// Each role's name and the position of its `policy_id:`, in file order.
    pub roles: Vec<(&'p str, Pos)>,
}

/// Roles of a policy that name the same `policy_id` (ids compare ignoring case). Export
/// refuses them (two PATCHes of one rule in a batch run in no set order); lint can say so too.
pub fn duplicate_policy_ids(policy: &Policy) -> Vec<SharedPolicyId<'_>> {
    let mut by_id: BTreeMap<String, SharedPolicyId> = BTreeMap::new();
    for role in policy.roles.iter() {
        if let Some(id) = &role.policy_id {
            let key = id.value.to_ascii_lowercase();
            let entry = by_id
                .entry(key)
                .or_insert_with(|| SharedPolicyId { id: id.value.clone(), roles: Vec::new() });
            entry.roles.push((role.name.as_str(), id.pos));
        }
    }
    let mut shared: Vec<SharedPolicyId> = by_id.into_values().filter(|s| s.roles.len() > 1).collect();
    shared.sort_by_key(|s| s.roles[0].1);
    shared
}

/// `file:line:column` of a position in the policy.
pub(crate) fn policy_at(policy: &Policy, pos: Pos) -> String {
    At { file: &policy.source, pos }.to_string()
}
