//! The `[lint]` section of pim-notify.toml and the command-line flags that override it.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};
use pim_notify::lint::config::parse_severity;
use pim_notify::lint::LintConfig;
use serde::Deserialize;

/// `[lint]` as written; keys may use `-` or `_`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LintSection {
    #[serde(alias = "fail_level")]
    fail_level: Option<String>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    severity: Option<BTreeMap<String, String>>,
    #[serde(alias = "allowed_domains")]
    allowed_domains: Option<Vec<String>>,
    #[serde(alias = "privileged_roles")]
    privileged_roles: Option<Vec<String>>,
}

/// What the command line says; set values win over the config file.
pub struct Flags<'a> {
    pub fail_level: Option<&'a str>,
    pub select: &'a [String],
    pub ignore: &'a [String],
}

/// The effective lint options: built-in defaults ← `[lint]` ← flags.
pub fn build(section: Option<&toml::Table>, flags: &Flags) -> Result<LintConfig> {
    let mut config = LintConfig::default();
    if let Some(table) = section {
        let section: LintSection =
            table.clone().try_into().context("invalid `[lint]` section in pim-notify.toml")?;
        apply_section(&mut config, section)?;
    }
    if let Some(level) = flags.fail_level {
        config.fail_level = parse_severity(level).map_err(|e| anyhow!("--fail-level: {e}"))?;
    }
    if !flags.select.is_empty() {
        config.select = split_codes(flags.select);
    }
    if !flags.ignore.is_empty() {
        config.ignore = split_codes(flags.ignore);
    }
    config.validate().map_err(|e| anyhow!(e))?;
    Ok(config)
}

fn apply_section(config: &mut LintConfig, section: LintSection) -> Result<()> {
    if let Some(level) = section.fail_level {
        config.fail_level = parse_severity(&level).map_err(|e| anyhow!("[lint] fail-level: {e}"))?;
    }
    config.select = section.select.map(|s| split_codes(&s)).unwrap_or_default();
    config.ignore = section.ignore.map(|s| split_codes(&s)).unwrap_or_default();
    for (code, level) in section.severity.unwrap_or_default() {
        let severity = parse_severity(&level).map_err(|e| anyhow!("[lint.severity] {code}: {e}"))?;
        config.severity.insert(code.trim().to_ascii_uppercase(), severity);
    }
    if let Some(domains) = section.allowed_domains {
        config.allowed_domains = domains;
    }
    if let Some(roles) = section.privileged_roles {
        config.privileged_roles = roles;
    }
    Ok(())
}

/// `--select PN1,PN203 --select PN206` → `[PN1, PN203, PN206]`.
fn split_codes(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect()
}
