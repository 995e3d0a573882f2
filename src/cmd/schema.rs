//! `schema`: the JSON Schema of the policy file (or of the test file) for editors and CI.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::{write_json, Status};

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

pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<Status> {
    let schema =
        if args.tests { pim_notify::schema::tests_schema() } else { pim_notify::schema::policy_schema() };
    write_json(out, &schema)?;
    Ok(0)
}
