//! Role names: built-in roles by their template id, custom roles from `--role-definitions`
//! (`GET /roleManagement/directory/roleDefinitions`), and names made safe to write: unique,
//! distinct from every built-in role, and with invisible characters noted.

use std::collections::HashSet;

use serde_json::Value;

use super::problem::{GraphError, Source};
use super::response::{self, ReadOptions};
use super::tenant::TenantRole;
use super::{truncation, write};
use crate::catalog;
use crate::recipient::is_guid;

/// `(lowercase id or template id, display name)` pairs.
pub type RoleNames = [(String, String)];

const ROLE_DEFINITIONS_REQUEST: &str =
    "GET https://graph.microsoft.com/v1.0/roleManagement/directory/roleDefinitions";

/// Reads role definitions: one page or a list of pages, every page fetched.
pub fn parse_role_definitions(
    name: &str,
    text: &str,
    options: ReadOptions,
) -> Result<Vec<(String, String)>, GraphError> {
    let source = Source::new(name, text);
    let json = response::parse_json(&source)?;
    let pages = pages(&json).ok_or_else(|| not_role_definitions(&source, &json))?;
    check_complete(&source, pages, options)?;
    let mut names = Vec::new();
    for item in pages.iter().flat_map(|p| p["value"].as_array().into_iter().flatten()) {
        if truncation::is_type_name(item.as_str().unwrap_or_default()) {
            return Err(GraphError::from(
                source.file_problem("the role definitions were cut short by ConvertTo-Json"),
            )
            .with_help(truncation::FIX));
        }
        let Some(display) = item.get("displayName").and_then(Value::as_str) else { continue };
        for key in ["id", "templateId"] {
            if let Some(id) = item.get(key).and_then(Value::as_str).filter(|id| is_guid(id)) {
                names.push((id.to_ascii_lowercase(), display.to_string()));
            }
        }
    }
    if names.is_empty() {
        return Err(not_role_definitions(&source, &json));
    }
    Ok(names)
}

/// The pages of a role definitions response.
fn pages(json: &Value) -> Option<&[Value]> {
    let looks_right = |page: &Value| {
        page.get("value").and_then(Value::as_array).is_some_and(|items| {
            items.iter().all(|i| i.get("displayName").is_some() || i.is_string())
                && !items.iter().any(|i| i.get("policy").is_some() || i.get("DisplayName").is_some())
        })
    };
    match json {
        Value::Array(pages) if !pages.is_empty() && pages.iter().all(looks_right) => Some(pages),
        page if looks_right(page) => Some(std::slice::from_ref(page)),
        _ => None,
    }
}

fn not_role_definitions(source: &Source, json: &Value) -> GraphError {
    let sdk = json
        .get("value")
        .and_then(Value::as_array)
        .is_some_and(|i| i.iter().any(|i| i.get("DisplayName").is_some()))
        || json.as_array().is_some_and(|i| i.iter().any(|i| i.get("DisplayName").is_some()));
    let what = if sdk {
        "these are Graph PowerShell SDK objects (PascalCase `DisplayName`), not Graph's JSON"
    } else {
        "not role definitions: expected a page with `value`, each with `id` and `displayName`"
    };
    GraphError::from(source.file_problem(what)).with_help(format!(
        "save `{ROLE_DEFINITIONS_REQUEST}` (with Graph PowerShell: `Invoke-MgGraphRequest -Method GET -Uri $uri -OutputType Json`); examples/graph/save-tenant.sh saves it too"
    ))
}

fn check_complete(source: &Source, pages: &[Value], options: ReadOptions) -> Result<(), GraphError> {
    let last = pages.len() - 1;
    if pages[last].get("@odata.nextLink").is_none_or(Value::is_null) || options.allow_partial {
        return Ok(());
    }
    let path = if pages.len() == 1 && !source.text.trim_start().starts_with('[') {
        super::json::JsonPath::root().key("@odata.nextLink")
    } else {
        super::json::JsonPath::root().index(last).key("@odata.nextLink")
    };
    let problem =
        source.problem(&path, "the role definitions have more pages: `@odata.nextLink` was not followed");
    Err(GraphError::from(problem)
        .with_help("save every page (examples/graph/save-tenant.sh does), or pass --allow-partial to name only these roles"))
}

/// The role's name: the built-in name, else the role definition's, else `Custom role {id}`.
pub fn role_name(id: &str, names: &RoleNames, notes: &mut Vec<String>) -> String {
    if let Some(builtin) = catalog::entra_roles().iter().find(|r| r.id == id) {
        return builtin.name.clone();
    }
    let fallback = format!("Custom role {id}");
    let Some((_, name)) = names.iter().find(|(i, _)| i == id) else {
        notes.push(format!(
            "role {id} is not a built-in role this tool knows; named `{fallback}` (pass --role-definitions FILE to name it)"
        ));
        return fallback;
    };
    let trimmed = name.trim();
    if trimmed.is_empty() {
        notes.push(format!("role {id} has an empty display name; named `{fallback}`"));
        return fallback;
    }
    if trimmed.len() != name.len() {
        notes.push(format!("role {id}: spaces around its display name {} were removed", write::quoted(name)));
    }
    let hidden: Vec<String> =
        trimmed.chars().filter(|c| write::is_hidden(*c)).map(|c| format!("U+{:04X}", c as u32)).collect();
    if !hidden.is_empty() {
        notes.push(format!(
            "role {id}: its display name {} contains invisible or control characters ({}); written escaped, check it is not posing as another role",
            write::quoted(trimmed),
            hidden.join(", ")
        ));
    }
    trimmed.to_string()
}

/// Names a policy can hold: a custom role named like a built-in role would be taken for it,
/// and two roles cannot share a name; the id tells them apart.
pub fn make_unique(roles: &mut [TenantRole], notes: &mut Vec<String>) {
    let builtin_names: HashSet<String> =
        catalog::entra_roles().iter().map(|r| r.name.to_lowercase()).collect();
    for tenant_role in roles.iter_mut() {
        let role = &mut tenant_role.role;
        let is_builtin = catalog::entra_roles().iter().any(|b| b.id == role.id);
        if !is_builtin && builtin_names.contains(&role.name.to_lowercase()) {
            let renamed = format!("{} (custom {})", role.name, role.id);
            notes.push(format!(
                "custom role {} is named like the built-in role `{}`; written as `{renamed}` so the two stay apart",
                role.id, role.name
            ));
            role.name = renamed;
        }
    }
    let mut seen = HashSet::new();
    for tenant_role in roles.iter_mut() {
        let role = &mut tenant_role.role;
        if !seen.insert(role.name.to_lowercase()) {
            role.name = format!("{} ({})", role.name, role.id);
            seen.insert(role.name.to_lowercase());
        }
    }
}
