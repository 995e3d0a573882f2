//! `explain`: a lint code's documentation, generated from the rule's own doc text.

use anyhow::{bail, Result};
use clap::Args;
use pim_notify::lint::{find_rule, Rule, RULES};
use pim_notify::suggest::did_you_mean;

use super::out::Out;
use super::Status;

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  pim-notify explain PN203
  pim-notify explain --all > docs/lint-codes.md")]
pub struct ExplainArgs {
    /// A lint code, e.g. PN203
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub code: Option<String>,
    /// Every code, in order (Markdown)
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: &ExplainArgs, out: &mut Out) -> Result<Status> {
    let out = &mut *out.w;
    if args.all {
        writeln!(out, "# pim-notify lint codes\n")?;
        for rule in RULES {
            writeln!(out, "{}", explain(rule))?;
        }
        return Ok(0);
    }
    let code = args.code.as_deref().unwrap_or_default();
    match find_rule(code) {
        Some(rule) => write!(out, "{}", explain(rule))?,
        None => bail!(
            "unknown lint code `{code}`{}; run `pim-notify explain --all` for the list",
            did_you_mean(&code.to_ascii_uppercase(), RULES.iter().map(|r| r.code))
        ),
    }
    Ok(0)
}

/// One rule's page, in Markdown.
pub fn explain(rule: &Rule) -> String {
    let doc = &rule.doc;
    let mut text = format!("## {} `{}` ({})\n\n", rule.code, rule.name, rule.severity);
    text.push_str(&format!("**What it checks.** {}\n\n", squeeze(doc.summary)));
    text.push_str(&format!("**Why it matters.** {}\n\n", squeeze(doc.why)));
    if let Some(baseline) = doc.baseline {
        text.push_str(&format!("**Baseline.** {baseline}\n\n"));
    }
    if rule.check.is_none() && rule.code != "PN110" {
        text.push_str(
            "Reported while the file is read, with every other structural problem of the file.\n\n",
        );
    }
    text.push_str(&format!("Bad:\n\n```yaml\n{}```\n\nFixed:\n\n```yaml\n{}```\n", doc.bad, doc.fixed));
    text
}

/// Doc strings are wrapped in the source; print them as single spaces.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
