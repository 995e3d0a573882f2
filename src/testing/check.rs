//! Running cases: evaluate each (role, event) pair and compare the recipients with what the
//! case expects, explaining every difference from the evaluator's reasons.

use indexmap::IndexMap;

use super::resolve::{Case, ExpectKind, Expectation, Member};
use crate::catalog::Event;
use crate::eval::{audience_plan, effective, evaluate, Answer, Notified, Query, SuppressReason, Suppressed};
use crate::model::{Policy, Role};
use crate::report::reason_text;
use crate::span::At;

/// How many failing pairs a case shows in full, and how many found recipients a failure lists.
const SHOWN_PAIRS: usize = 5;
const SHOWN_FOUND: usize = 20;
const NAMED_PAIRS: usize = 20;

/// The outcome of one case.
#[derive(Debug)]
pub struct CaseResult<'c, 'p> {
    pub case: &'c Case<'p>,
    /// Failing pairs in the case's order; empty when the case passed.
    pub failures: Vec<PairFailure>,
}

/// One (role, event) pair that did not meet the case's expectations.
#[derive(Debug, Clone)]
pub struct PairFailure {
    pub role: String,
    pub event: String,
    pub mismatches: Vec<Mismatch>,
    /// Everyone notified, as shown to people.
    pub found: Vec<String>,
    /// Audiences that get nothing, with why and where.
    pub suppressed: Vec<String>,
}

/// One expectation that failed and the recipients that broke it.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub kind: ExpectKind,
    /// The expectation as written.
    pub expected: Vec<String>,
    pub missing: Vec<Explained>,
    pub unexpected: Vec<Explained>,
}

/// A recipient and why it is (or is not) notified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub address: String,
    /// The expected group it was listed through, if any.
    pub group: Option<String>,
    /// E.g. "is suppressed: activation.admin disabled at policy.yaml:20:7".
    pub why: String,
}

/// Runs every case.
pub fn run<'c, 'p>(policy: &'p Policy, cases: &'c [Case<'p>]) -> Vec<CaseResult<'c, 'p>> {
    cases.iter().map(|case| run_case(policy, case)).collect()
}

pub fn run_case<'c, 'p>(policy: &'p Policy, case: &'c Case<'p>) -> CaseResult<'c, 'p> {
    let query = Query { assignee: case.assignee.clone(), no_expand: false };
    let failures = case
        .pairs
        .iter()
        .filter_map(|&(role, event)| check_pair(policy, role, event, &query, &case.expectations))
        .collect();
    CaseResult { case, failures }
}

fn check_pair(
    policy: &Policy,
    role: &Role,
    event: &'static Event,
    query: &Query,
    expectations: &[Expectation],
) -> Option<PairFailure> {
    let answer = evaluate(policy, role, event, query);
    let found: IndexMap<String, &Notified> =
        answer.recipients.iter().map(|n| (n.address.to_lowercase(), n)).collect();
    let ctx = Context { policy, answer: &answer, query, found };
    let mismatches: Vec<Mismatch> = expectations.iter().filter_map(|e| ctx.check(e)).collect();
    if mismatches.is_empty() {
        return None;
    }
    Some(PairFailure {
        role: role.name.clone(),
        event: event.id.clone(),
        mismatches,
        found: answer.recipients.iter().map(|n| n.address.clone()).collect(),
        suppressed: answer.suppressed.iter().map(|s| suppression(policy, &answer, s)).collect(),
    })
}

struct Context<'a> {
    policy: &'a Policy,
    answer: &'a Answer<'a>,
    query: &'a Query,
    /// Notified recipients by lowercase address (the evaluator's comparison key).
    found: IndexMap<String, &'a Notified>,
}

impl Context<'_> {
    fn check(&self, expectation: &Expectation) -> Option<Mismatch> {
        let expected = expected_members(expectation);
        let missing: Vec<Explained> = match expectation.kind {
            ExpectKind::Includes | ExpectKind::Exactly => expected
                .iter()
                .filter(|(m, _)| !self.found.contains_key(&m.key))
                .map(|(m, g)| self.missing(m, g))
                .collect(),
            ExpectKind::Excludes => Vec::new(),
        };
        let unexpected: Vec<Explained> = match expectation.kind {
            ExpectKind::Includes => Vec::new(),
            ExpectKind::Excludes => expected
                .iter()
                .filter_map(|(m, g)| self.found.get(&m.key).map(|n| self.notified(n, g)))
                .collect(),
            ExpectKind::Exactly => self
                .found
                .iter()
                .filter(|(key, _)| !expected.iter().any(|(m, _)| &m.key == *key))
                .map(|(_, n)| self.notified(n, &None))
                .collect(),
        };
        if missing.is_empty() && unexpected.is_empty() {
            return None;
        }
        let written = expectation.items.iter().map(|i| i.written.clone()).collect();
        Some(Mismatch { kind: expectation.kind, expected: written, missing, unexpected })
    }

    fn notified(&self, n: &Notified, group: &Option<String>) -> Explained {
        let reasons: Vec<String> = n.reasons.iter().map(|r| reason_text(self.policy, r)).collect();
        let why = format!("is notified: {}", reasons.join("; "));
        Explained { address: n.address.clone(), group: group.clone(), why }
    }

    fn missing(&self, member: &Member, group: &Option<String>) -> Explained {
        let answer = self.answer;
        // An event that never happens for the role explains every absence.
        let not_occurring = answer.suppressed.iter().find(|s| s.reason.is_not_occurring());
        let suppressed_here =
            not_occurring.or_else(|| answer.suppressed.iter().find(|s| self.would_reach(s, &member.key)));
        let why = match suppressed_here {
            Some(s) if s.reason.is_not_occurring() => {
                format!("is not notified: {}", suppression(self.policy, answer, s))
            }
            Some(s) => format!("is suppressed: {}", suppression(self.policy, answer, s)),
            None => self.dropped_by_inherit(&member.key).unwrap_or_else(|| {
                let audiences: Vec<&str> =
                    answer.event.audiences_in(self.policy.scope).map(|a| a.audience.as_str()).collect();
                format!(
                    "is not notified: no audience of {} ({}) names it for this role",
                    answer.event.id,
                    audiences.join(", ")
                )
            }),
        };
        Explained { address: member.address.clone(), group: group.clone(), why }
    }

    /// "is not notified: activation.admin has `inherit: false` at …", when the role's
    /// `inherit: false` drops a `defaults:` entry that would have named `key`.
    fn dropped_by_inherit(&self, key: &str) -> Option<String> {
        let (policy, answer) = (self.policy, self.answer);
        answer.event.audiences_in(policy.scope).find_map(|entry| {
            let id = answer.event.setting_for(entry.audience)?;
            let setting = effective(policy, answer.role, id);
            let at = setting.inherit_dropped?;
            let dropped = policy.defaults.get(setting.id)?.extra.as_ref()?;
            dropped.items.iter().any(|r| self.reaches(&r.value, key)).then(|| {
                let at = At { file: &policy.source, pos: at };
                format!("is not notified: {} has `inherit: false` at {at}, which drops the `defaults:` recipients", setting.id)
            })
        })
    }

    /// Whether a suppressed audience would have reached `key` had it not been suppressed.
    fn would_reach(&self, s: &Suppressed, key: &str) -> bool {
        let (policy, answer) = (self.policy, self.answer);
        let deliveries = audience_plan(policy, answer.role, answer.event, s.audience);
        deliveries.iter().filter(|d| d.setting == s.setting).any(|d| {
            let defaults_count = d.defaults_on || s.reason == SuppressReason::NoDefaultRecipients;
            let defaults = if defaults_count { d.defaults.items } else { &[] };
            let rest = d.fallback.iter().chain(d.extra.iter().copied());
            defaults.iter().chain(rest).any(|r| self.reaches(&r.value, key))
        })
    }

    fn reaches(&self, recipient: &crate::recipient::Recipient, key: &str) -> bool {
        use crate::recipient::{Placeholder, Recipient};
        match recipient {
            Recipient::Group(name) => crate::groups::expand(&self.policy.groups, name)
                .iter()
                .any(|m| self.reaches(&m.recipient.value, key)),
            Recipient::Placeholder(Placeholder::Assignee) if self.query.assignee.is_some() => {
                self.query.assignee.as_deref().is_some_and(|a| a.to_lowercase() == key)
            }
            other => other.key() == key,
        }
    }
}

/// Each expected recipient once, with the group it was listed through.
fn expected_members(expectation: &Expectation) -> Vec<(&Member, Option<String>)> {
    let mut out: Vec<(&Member, Option<String>)> = Vec::new();
    for item in &expectation.items {
        for m in &item.members {
            if !out.iter().any(|(x, _)| x.key == m.key) {
                out.push((m, item.group.clone()));
            }
        }
    }
    out
}

/// "activation.admin disabled at policy.yaml:20:7", for people.
fn suppression(policy: &Policy, answer: &Answer, s: &Suppressed) -> String {
    let at = match crate::report::written_at(policy, s.at) {
        Some(at) => format!(" at {at}"),
        None if s.reason.is_not_occurring() => String::new(),
        None => " (built-in)".to_string(),
    };
    match s.reason {
        SuppressReason::DoesNotOccur | SuppressReason::NoReview => {
            format!("{} does not occur for {}: {}{at}", answer.event.id, answer.role.name, s.detail)
        }
        SuppressReason::DashboardOnly => format!("{} emails nobody: {}", answer.event.id, s.detail),
        SuppressReason::AlertDisabled => format!("{} is never raised: {}{at}", answer.event.id, s.detail),
        SuppressReason::OverCap => format!("{} may not reach everyone: {}{at}", s.setting, s.detail),
        SuppressReason::CriticalOnly => {
            format!("{} critical-only and {} is not critical{at}", s.setting, answer.event.id)
        }
        SuppressReason::NoDefaultRecipients => {
            format!("{} has default recipients off and no extra{at}", s.setting)
        }
        SuppressReason::NoRecipients => format!("{} resolves to nobody{at}", s.setting),
        SuppressReason::Disabled => format!("{} disabled{at}", s.setting),
    }
}

impl CaseResult<'_, '_> {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The failure explained for people, one line per entry, without indentation or escaping.
    pub fn details(&self) -> Vec<String> {
        let mut lines: Vec<String> =
            self.failures.iter().take(SHOWN_PAIRS).flat_map(PairFailure::lines).collect();
        let rest = &self.failures[self.failures.len().min(SHOWN_PAIRS)..];
        if !rest.is_empty() {
            let named: Vec<String> =
                rest.iter().take(NAMED_PAIRS).map(|f| format!("{} / {}", f.role, f.event)).collect();
            let more = if rest.len() > NAMED_PAIRS { ", …" } else { "" };
            lines.push(format!(
                "… and {} more failing (role, event) pairs: {}{more}",
                rest.len(),
                named.join(", ")
            ));
        }
        lines
    }
}

impl PairFailure {
    /// `role X, event Y:` then each mismatch, what was found, and what was suppressed.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("role {}, event {}:", self.role, self.event)];
        for m in &self.mismatches {
            lines.push(format!("  {} [{}]", m.kind.phrase(), m.expected.join(", ")));
            lines.extend(m.missing.iter().chain(&m.unexpected).map(|e| format!("    {}", e.sentence())));
        }
        lines.push(format!("  found: {}", list(&self.found)));
        // Suppressions already given as the reason for a missing recipient are not repeated.
        let explained =
            |s: &&String| self.mismatches.iter().flat_map(|m| &m.missing).any(|e| e.why.contains(s.as_str()));
        let rest: Vec<&str> = self.suppressed.iter().filter(|s| !explained(s)).map(String::as_str).collect();
        if !rest.is_empty() {
            lines.push(format!("  suppressed: {}", rest.join("; ")));
        }
        lines
    }
}

impl Explained {
    /// "wei@contoso.com (member of group:leads) is suppressed: …".
    pub fn sentence(&self) -> String {
        match &self.group {
            Some(g) => format!("{} (member of group:{g}) {}", self.address, self.why),
            None => format!("{} {}", self.address, self.why),
        }
    }
}

fn list(found: &[String]) -> String {
    if found.is_empty() {
        return "nobody".into();
    }
    let shown = found.iter().take(SHOWN_FOUND).cloned().collect::<Vec<_>>().join(", ");
    match found.len().saturating_sub(SHOWN_FOUND) {
        0 => shown,
        more => format!("{shown}, … ({more} more)"),
    }
}
