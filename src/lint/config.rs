//! Lint options: which codes run, their severities, the fail level, and the facts some rules
//! need (allowed recipient domains, the highly privileged roles). The binary fills this from
//! `pim-notify.toml` and the command line.

use std::collections::BTreeMap;

use crate::catalog::HIGHLY_PRIVILEGED_ROLES;
use crate::diagnostic::{Diagnostic, Severity};
use crate::suggest::did_you_mean;

use super::registry::{codes, RULES};

#[derive(Clone, Debug)]
pub struct LintConfig {
    /// Code selectors to run (`PN203`, a prefix such as `PN2`, or `ALL`); empty runs every rule.
    pub select: Vec<String>,
    /// Code selectors to skip; they win over `select`.
    pub ignore: Vec<String>,
    /// Severity per code, replacing the rule's default.
    pub severity: BTreeMap<String, Severity>,
    /// Findings at or above this severity fail the run.
    pub fail_level: Severity,
    /// Mail domains recipients may use (PN108); empty turns PN108 off.
    pub allowed_domains: Vec<String>,
    /// Role names or ids the PN2xx rules treat as highly privileged.
    pub privileged_roles: Vec<String>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            fail_level: Severity::Error,
            allowed_domains: Vec::new(),
            privileged_roles: HIGHLY_PRIVILEGED_ROLES.iter().map(|r| r.to_string()).collect(),
        }
    }
}

impl LintConfig {
    /// Whether findings with `code` are reported.
    pub fn is_selected(&self, code: &str) -> bool {
        let chosen = self.select.is_empty() || self.select.iter().any(|s| matches(s, code));
        chosen && !self.ignore.iter().any(|s| matches(s, code))
    }

    /// The finding with its configured severity.
    pub fn with_severity(&self, mut d: Diagnostic) -> Diagnostic {
        if let Some(&severity) = self.severity.get(d.code) {
            d.severity = severity;
        }
        d
    }

    /// Whether a finding makes the run fail.
    pub fn fails(&self, d: &Diagnostic) -> bool {
        d.severity >= self.fail_level
    }

    /// Checks every selector and severity key names real codes, with a did-you-mean if not.
    pub fn validate(&self) -> Result<(), String> {
        for selector in self.select.iter().chain(&self.ignore) {
            check_selector(selector)?;
        }
        for code in self.severity.keys() {
            if super::find_rule(code).is_none() {
                return Err(unknown_code(code));
            }
        }
        Ok(())
    }
}

/// `ALL`, a full code, or a code prefix such as `PN2` or `PN10`, in any case.
fn matches(selector: &str, code: &str) -> bool {
    let selector = selector.trim().to_ascii_uppercase();
    selector == "ALL" || (!selector.is_empty() && code.starts_with(&selector))
}

fn check_selector(selector: &str) -> Result<(), String> {
    if RULES.iter().any(|r| matches(selector, r.code)) {
        return Ok(());
    }
    Err(unknown_code(selector))
}

fn unknown_code(code: &str) -> String {
    format!(
        "unknown lint code `{}`{}; run `pim-notify explain --all` for the list",
        crate::text::escape_control(code),
        did_you_mean(&code.to_ascii_uppercase(), codes())
    )
}

/// Normalises a configured severity (`error`, `warning`, `info`).
pub fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(&text.to_ascii_lowercase()).ok_or_else(|| {
        format!("unknown severity `{}`; use error, warning or info", crate::text::escape_control(text))
    })
}
