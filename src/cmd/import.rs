//! `import graph`: Microsoft Graph role management policies → a policy file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use pim_notify::graph::{self, ReadOptions};

use super::{input, output, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify import graph export.json -o tenant.yaml")]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Subcommand, Debug)]
pub enum ImportSource {
    /// Read the JSON of `GET /policies/roleManagementPolicyAssignments?$expand=policy($expand=rules)`
    Graph(ImportGraphArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "Save the export with every page (examples/graph/save-tenant.sh or save-tenant.ps1):
  examples/graph/save-tenant.sh tenant/

Examples:
  pim-notify import graph tenant/roleManagementPolicyAssignments.json -o tenant.yaml
  pim-notify import graph export.json --role-definitions role-definitions.json -o tenant.yaml
  pim-notify import graph - < export.json

Reads one page, a list of pages, or one assignment; UTF-8 (with or without a byte order mark)
or UTF-16 as Windows PowerShell writes it. Refused, with the fix (exit 2): the answer of
another request, ARM or Graph PowerShell SDK objects, a file cut short by ConvertTo-Json, a
value this tool cannot read faithfully, and pages whose @odata.nextLink was not followed
(unless --allow-partial). Notes about skipped data go to stderr. Settings every role shares go
under `defaults:` only when the export covers every built-in role; built-in roles the export
lacks keep Entra's defaults.")]
pub struct ImportGraphArgs {
    /// The Graph export (JSON), or - for standard input
    pub file: String,
    /// Write the policy here (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Names of custom roles: the output of `GET /roleManagement/directory/roleDefinitions`
    #[arg(long, value_name = "FILE")]
    pub role_definitions: Option<String>,
    /// Read pages whose @odata.nextLink was not followed: only the roles they hold
    #[arg(long)]
    pub allow_partial: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ImportArgs, out: &mut dyn Write) -> Result<Status> {
    match &args.source {
        ImportSource::Graph(graph_args) => run_graph(graph_args, out),
    }
}

fn run_graph(args: &ImportGraphArgs, out: &mut dyn Write) -> Result<Status> {
    input::stdin_at_most_once(&[Some(&args.file), args.role_definitions.as_deref()])?;
    let config = args.common.config()?;
    let limit = args.common.input_limit(&config);
    let options = ReadOptions { allow_partial: args.allow_partial };
    let names = match &args.role_definitions {
        Some(path) => graph::parse_role_definitions(shown(path), &input::read_json(path, limit)?, options)?,
        None => Vec::new(),
    };
    let text = input::read_json(&args.file, limit)?;
    let imported = graph::import_graph(shown(&args.file), &text, &names, options)?;
    for note in &imported.notes {
        super::out::stderr::note(note);
    }
    match &args.output {
        Some(path) => {
            output::write_atomically(path, imported.yaml.as_bytes())?;
            super::out::stderr::info(&format!(
                "wrote {} role(s) to {}{}",
                imported.roles,
                path.display(),
                if imported.lifted { " (shared settings under defaults:)" } else { "" }
            ));
        }
        None => out.write_all(imported.yaml.as_bytes())?,
    }
    Ok(0)
}

/// How an input is named in messages.
pub fn shown(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}
