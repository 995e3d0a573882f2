//! Microsoft Graph interchange (DESIGN §8): `import graph` turns the tenant's role management
//! policies into a policy file, `export graph` turns a policy back into `$batch` requests.
//! No I/O: text in, text or JSON out, and notes for the caller to print.

pub mod export;
pub mod import;
pub mod rules;
pub mod schema;
pub mod write;

use std::fmt;

pub use export::{export_graph, ExportOptions, Exported};
pub use import::RoleNames;
pub use schema::{parse_export, parse_role_definitions, Export};

/// Why Graph data could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphError(String);

impl GraphError {
    pub fn new(message: impl Into<String>) -> GraphError {
        GraphError(message.into())
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GraphError {}

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

/// Reads an export and writes the policy. `source` names the export in the file's header.
pub fn import_graph(source: &str, text: &str, names: &RoleNames) -> Result<Imported, GraphError> {
    let export = parse_export(text)?;
    if export.assignments.is_empty() {
        return Err(GraphError::new("the export lists no role management policy assignments"));
    }
    let (roles, notes) = import::roles_from_export(&export, names);
    if roles.is_empty() {
        let why = notes.first().map(|n| format!(" (first: {n})")).unwrap_or_default();
        return Err(GraphError::new(format!(
            "no assignment in the export is a directory role policy with its rules expanded{why}"
        )));
    }
    let layout = write::layout(&roles);
    let header = write::Header { source, skipped_notes: notes.len() };
    let yaml = write::policy_yaml(&layout, &header);
    check_loads(&yaml)?;
    Ok(Imported { yaml, notes, roles: roles.len(), lifted: layout.lifted })
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
