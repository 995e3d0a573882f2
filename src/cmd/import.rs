//! `import graph`: Microsoft Graph role management policies → a policy file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use pim_notify::graph;
use pim_notify::text::escape_control;

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
#[command(after_help = "Get the export (one page, or save every @odata.nextLink page into a JSON list):
  az rest --method get --url \"https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?\\$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'&\\$expand=policy(\\$expand=rules)\" > export.json

Examples:
  pim-notify import graph export.json -o tenant.yaml
  pim-notify import graph export.json --role-definitions role-definitions.json -o tenant.yaml
  pim-notify import graph - < export.json

Notes about skipped rules go to stderr. Settings every role shares go under `defaults:` only
when the export covers every built-in role; built-in roles the export lacks keep Entra's defaults.")]
pub struct ImportGraphArgs {
    /// The Graph export (JSON), or - for standard input
    pub file: String,
    /// Write the policy here (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Names of custom roles: the output of `GET /roleManagement/directory/roleDefinitions`
    #[arg(long, value_name = "FILE")]
    pub role_definitions: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ImportArgs, out: &mut dyn Write) -> Result<Status> {
    match &args.source {
        ImportSource::Graph(graph_args) => run_graph(graph_args, out),
    }
}

fn run_graph(args: &ImportGraphArgs, out: &mut dyn Write) -> Result<Status> {
    let config = args.common.config()?;
    let limit = args.common.input_limit(&config);
    let names = match &args.role_definitions {
        Some(path) => graph::parse_role_definitions(&input::read_text(path, limit)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", escape_control(path)))?,
        None => Vec::new(),
    };
    let text = input::read_text(&args.file, limit)?;
    let shown = if args.file == "-" { "<stdin>" } else { args.file.as_str() };
    let imported = graph::import_graph(shown, &text, &names)
        .map_err(|e| anyhow::anyhow!("{}: {e}", escape_control(shown)))?;
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
