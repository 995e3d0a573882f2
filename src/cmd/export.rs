//! `export graph`: a policy → Microsoft Graph `$batch` bodies that PATCH each role's nine
//! notification rules.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{anyhow, Result};
use clap::{Args, Subcommand};
use pim_notify::graph::{self, ExportOptions};
use pim_notify::text::escape_control;

use super::{input, load_policy_file, output, Common, Status};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify export graph tenant.yaml -o batches.json")]
pub struct ExportArgs {
    #[command(subcommand)]
    pub target: ExportTarget,
}

#[derive(Subcommand, Debug)]
pub enum ExportTarget {
    /// Write JSON batch requests for `POST https://graph.microsoft.com/v1.0/$batch`
    Graph(ExportGraphArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify export graph tenant.yaml -o batches.json
  pim-notify export graph tenant.yaml --assignments export.json --only-changed -o batches.json

Output: a JSON list of $batch bodies, at most 20 PATCH requests each. Send each one, e.g.:
  jq -c '.[]' batches.json | while read -r batch; do
    printf '%s' \"$batch\" > batch.json
    az rest --method post --url https://graph.microsoft.com/v1.0/\\$batch --body @batch.json
  done")]
pub struct ExportGraphArgs {
    /// The policy file
    pub policy: String,
    /// Write the batches here (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The tenant's current policies (the `import graph` input): policy ids for roles
    /// without `policy_id:`, and the baseline for --only-changed
    #[arg(long, value_name = "FILE")]
    pub assignments: Option<String>,
    /// Only rules whose effect differs from the --assignments data
    #[arg(long, requires = "assignments")]
    pub only_changed: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ExportArgs, out: &mut dyn Write) -> Result<Status> {
    match &args.target {
        ExportTarget::Graph(graph_args) => run_graph(graph_args, out),
    }
}

fn run_graph(args: &ExportGraphArgs, out: &mut dyn Write) -> Result<Status> {
    let config = args.common.config()?;
    let limit = args.common.input_limit(&config);
    let policy = load_policy_file(&args.policy, limit)?;
    let assignments = match &args.assignments {
        Some(path) => Some(
            graph::parse_export(&input::read_text(path, limit)?)
                .map_err(|e| anyhow!("{}: {e}", escape_control(path)))?,
        ),
        None => None,
    };
    let options = ExportOptions { assignments: assignments.as_ref(), only_changed: args.only_changed };
    let exported = graph::export_graph(&policy, options)?;
    let mut text = serde_json::to_string_pretty(&exported.batches)?;
    text.push('\n');
    match &args.output {
        Some(path) => output::write_atomically(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    let batches = exported.batches.as_array().map_or(0, Vec::len);
    let unchanged = if args.only_changed {
        format!(", {} rule(s) already as wanted", exported.unchanged)
    } else {
        String::new()
    };
    super::out::stderr::info(&format!(
        "{} PATCH request(s) for {} role(s) in {batches} batch(es){unchanged}",
        exported.requests, exported.roles
    ));
    Ok(0)
}
