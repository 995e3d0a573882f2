//! `export graph`: a policy → Microsoft Graph `$batch` bodies that PATCH each role's nine
//! notification rules.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use pim_notify::graph::{self, ExportOptions, ReadOptions};

use super::import::shown;
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
  pim-notify export graph tenant.yaml --assignments export.json --only-changed -o batches.json
  pim-notify export graph tenant.yaml -o batches.json

Writes, for each role, its nine notification rules and its approval rule
(Approval_EndUser_Assignment: approval on or off, primary approvers). With --assignments each
body is the tenant's own rule with only what the policy changes changed; the approval rule is
written only from it (without it, a policy that states approval is refused and others leave
approval alone). An empty list with --only-changed means the tenant matches the policy in
everything it models. Expiration, enablement, authentication context, the approval rule's
other settings, alerts and access reviews are never written.

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
    /// The tenant's current policies (what `import graph` reads): policy ids for roles
    /// without `policy_id:`, the rules each request starts from, the baseline of --only-changed
    #[arg(long, value_name = "FILE")]
    pub assignments: Option<String>,
    /// Only rules whose effect differs from the --assignments data
    #[arg(long, requires = "assignments")]
    pub only_changed: bool,
    /// Read --assignments pages whose @odata.nextLink was not followed
    #[arg(long, requires = "assignments")]
    pub allow_partial: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: &ExportArgs, out: &mut dyn Write) -> Result<Status> {
    match &args.target {
        ExportTarget::Graph(graph_args) => run_graph(graph_args, out),
    }
}

fn run_graph(args: &ExportGraphArgs, out: &mut dyn Write) -> Result<Status> {
    input::stdin_at_most_once(&[Some(&args.policy), args.assignments.as_deref()])?;
    let config = args.common.config()?;
    let limit = args.common.input_limit(&config);
    let policy = load_policy_file(&args.policy, limit)?;
    let tenant = match &args.assignments {
        Some(path) => {
            let options = ReadOptions { allow_partial: args.allow_partial };
            Some(graph::read_tenant(shown(path), &input::read_json(path, limit)?, options, None)?)
        }
        None => None,
    };
    for note in tenant.iter().flat_map(|t| &t.notes) {
        super::out::stderr::note(note);
    }
    let options = ExportOptions { tenant: tenant.as_ref(), only_changed: args.only_changed };
    let exported = graph::export_graph(&policy, options)?;
    for note in &exported.notes {
        super::out::stderr::note(note);
    }
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
