//! `schema`: the JSON Schema of the policy file (or of the test file) for editors and CI.

use anyhow::Result;
use clap::Args;

use super::out::{self, Out};
use super::Status;

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify schema > schema/policy.schema.json
  pim-notify schema --tests > schema/tests.schema.json

VS Code (YAML extension) validates and completes a policy that starts with:
  # yaml-language-server: $schema=../schema/policy.schema.json")]
pub struct SchemaArgs {
    /// The schema of policy test files (*.tests.yaml) instead of policy files
    #[arg(long)]
    pub tests: bool,
}

pub fn run(args: &SchemaArgs, out: &mut Out) -> Result<Status> {
    let schema =
        if args.tests { pim_notify::schema::tests_schema() } else { pim_notify::schema::policy_schema() };
    out::json::value(out, &schema)?;
    Ok(0)
}
